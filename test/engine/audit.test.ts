// The audit runner: first with a stand-in catalogue and detection (what the runner itself promises: the
// run record, scope checks, FAILED runs keeping findings), then end to end on a seeded dataset with
// the real rule catalogue: stable findings across runs, exactly one RESOLVED when its collision is fixed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import type { AuditEngine } from '../../src/engine/audit.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { waiveFinding } from '../../src/engine/findings.ts'
import { clearRuleOverride, loadEffectiveCatalog, setRuleOverride } from '../../src/engine/overrides.ts'
import { reportJson } from '../../src/engine/report.ts'
import type { DetectedFinding, RuleMeta } from '../../src/engine/types.ts'
import { InputError } from '../../src/errors.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

function rule(id: string, severity: RuleMeta['severity'], enabled = true): RuleMeta {
  return {
    id, severity, enabled, title: { ru: id, en: id }, reads: ['equipment'], message: { ru: '{key}' }, kind: 'predicate', params: {}, source: `${id}.yaml`,
  }
}

function found(ruleId: string, key: string, marketCode = 'MSK'): DetectedFinding {
  return {
    ruleId, entities: [{ type: 'equipment', key }], message: `${ruleId} ${key}`, data: { key }, details: { note: key }, marketCode, equipmentTypeCode: null,
  }
}

/** A catalogue of three rules (one switched off) and a detection that reports whatever the test sets. */
function fakeEngine() {
  const rules = [rule('fake-critical', 'CRITICAL'), rule('fake-low', 'LOW'), rule('fake-off', 'MEDIUM', false)]
  const state = {
    detected: [] as DetectedFinding[],
    fail: null as string | null,
    contexts: [] as Array<{ asOf: string; market?: string; rules: string[] }>,
  }
  const engine: AuditEngine = {
    async loadCatalog() { return { rules, get: (id: string) => rules.find((r) => r.id === id) } },
    async runDetection(_db, run, ctx, onProgress) {
      state.contexts.push({ ...ctx, rules: run.map((r) => r.id) })
      run.forEach((r, i) => onProgress?.(r.id, i, run.length))
      if (state.fail) throw new Error(state.fail)
      const ids = new Set(run.map((r) => r.id))
      return { findings: state.detected.filter((f) => ids.has(f.ruleId)), timings: Object.fromEntries(run.map((r) => [r.id, 1])) }
    },
  }
  return { engine, state }
}

describe.each(backends)('audit runner on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Санкт-Петербург')`)
  })
  afterAll(async () => { await db?.close() })

  it('records the run, and answers with the open findings of its scope, most severe first, waived ones left out', async () => {
    const { engine, state } = fakeEngine()
    state.detected = [found('fake-low', 'L-1'), found('fake-critical', 'C-1'), found('fake-critical', 'C-2')]
    const progress: string[] = []
    const first = await runAudit(db, { trigger: 'CLI', actor: 'tester', asOf: '2026-01-31', onProgress: (id) => progress.push(id) }, engine)
    expect(state.contexts.at(-1)).toEqual({ asOf: '2026-01-31', rules: ['fake-critical', 'fake-low'] })
    expect(progress).toEqual(['fake-critical', 'fake-low'])
    expect(first.run).toMatchObject({ asOf: '2026-01-31', rules: ['fake-critical', 'fake-low'], counts: { new: 3, open: 3, resolved: 0, reopened: 0 } })
    expect(first.findings.map((f) => [f.ruleId, f.severity, f.status, f.entities[0].key])).toEqual([
      ['fake-critical', 'CRITICAL', 'NEW', 'C-1'], ['fake-critical', 'CRITICAL', 'NEW', 'C-2'], ['fake-low', 'LOW', 'NEW', 'L-1'],
    ])
    expect(first.findings[0]).toEqual({
      fingerprint: fingerprint('fake-critical', [{ type: 'equipment', key: 'C-1' }]), ruleId: 'fake-critical', severity: 'CRITICAL', status: 'NEW',
      message: 'fake-critical C-1', entities: [{ type: 'equipment', key: 'C-1' }], details: { note: 'C-1' },
    })
    const stored = await db.prisma.auditRun.findUniqueOrThrow({ where: { id: first.run.id } })
    expect(stored).toMatchObject({ status: 'SUCCEEDED', trigger: 'CLI', actor: 'tester', rules: ['fake-critical', 'fake-low'], error: null })
    // the stored run also says how many findings no route matched (issue 5); the report's counts stay as the SPEC has them
    expect(stored.counts).toEqual({ ...first.run.counts, unrouted: 0 })
    expect(stored.timings).toMatchObject({ rules: { 'fake-critical': 1, 'fake-low': 1 } })
    expect(stored.finishedAt!.toISOString()).toBe(first.run.finishedAt)
    expect(stored.asOf.toISOString().slice(0, 10)).toBe('2026-01-31')

    await waiveFinding(db, first.findings[1].fingerprint, { actor: 'nsi', reason: 'known' })
    const second = await runAudit(db, { trigger: 'SCHEDULE', actor: 'scheduler', asOf: '2026-01-31' }, engine)
    expect(second.run.counts).toEqual({ new: 0, open: 2, resolved: 0, reopened: 0 })
    expect(second.findings.map((f) => [f.entities[0].key, f.status])).toEqual([['C-1', 'OPEN'], ['L-1', 'OPEN']])
    expect(Object.keys(reportJson(second))).toEqual(['run', 'findings'])
    expect(Object.keys(reportJson(second).run)).toEqual(['id', 'asOf', 'startedAt', 'finishedAt', 'rules', 'counts'])
  })

  it('a run limited to rules and a market touches only them', async () => {
    const { engine, state } = fakeEngine()
    state.detected = [found('fake-low', 'S-1', 'MSK'), found('fake-low', 'S-2', 'SPB'), found('fake-critical', 'S-3', 'MSK')]
    await runAudit(db, { trigger: 'CLI', actor: 'tester' }, engine)
    state.detected = []
    const scoped = await runAudit(db, { trigger: 'CLI', actor: 'tester', ruleIds: ['fake-low'], market: 'SPB' }, engine)
    expect(state.contexts.at(-1)).toMatchObject({ market: 'SPB', rules: ['fake-low'] })
    expect(scoped.run.rules).toEqual(['fake-low'])
    expect(scoped.run.counts.resolved).toBe(1)
    const statuses = await db.sql.query<{ key: string; status: string }>(
      `SELECT entities->0->>'key' AS key, status FROM finding WHERE entities->0->>'key' LIKE 'S-%' ORDER BY 1`)
    expect(statuses.rows).toEqual([{ key: 'S-1', status: 'NEW' }, { key: 'S-2', status: 'RESOLVED' }, { key: 'S-3', status: 'NEW' }])
  })

  it('refuses unknown rules, switched-off rules, unknown markets and bad dates with a clear InputError', async () => {
    const { engine } = fakeEngine()
    await expect(runAudit(db, { trigger: 'CLI', actor: 't', ruleIds: ['nope'] }, engine))
      .rejects.toThrow(/нет такого правила: «nope» \(есть: fake-critical, fake-low, fake-off\)/)
    await expect(runAudit(db, { trigger: 'CLI', actor: 't', ruleIds: ['fake-off'] }, engine)).rejects.toThrow(/правило выключено: «fake-off» \(включить: sverka rules enable fake-off\)/)
    await expect(runAudit(db, { trigger: 'CLI', actor: 't', market: 'XXX' }, engine)).rejects.toThrow(/нет рынка «XXX» \(есть: MSK, SPB\)/)
    await expect(runAudit(db, { trigger: 'CLI', actor: 't', market: 'XXX' }, engine)).rejects.toThrow(InputError)
    const runs = await db.prisma.auditRun.count()
    await expect(runAudit(db, { trigger: 'CLI', actor: 't', asOf: '2026-02-30' }, engine)).rejects.toThrow(/--as-of: нужна дата ГГГГ-ММ-ДД \(YYYY-MM-DD\), получено «2026-02-30»/)
    expect(await db.prisma.auditRun.count()).toBe(runs)
    const failed = await db.prisma.auditRun.findFirstOrThrow({ where: { marketCode: 'XXX' } })
    expect(failed).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/нет рынка/) })
  })

  it('a failing detection leaves a FAILED run with its reason and the findings as they were', async () => {
    const { engine, state } = fakeEngine()
    state.detected = [found('fake-critical', 'F-1'), found('fake-critical', 'F-2')]
    await runAudit(db, { trigger: 'CLI', actor: 'tester', ruleIds: ['fake-critical'] }, engine)
    const before = (await db.sql.query(`SELECT fingerprint, status, "lastRunId" FROM finding WHERE "ruleId" = 'fake-critical' ORDER BY 1`)).rows
    state.detected = []
    state.fail = 'rule fake-critical failed: boom'
    await expect(runAudit(db, { trigger: 'CLI', actor: 'tester', ruleIds: ['fake-critical'] }, engine)).rejects.toThrow(/boom/)
    const run = await db.prisma.auditRun.findFirstOrThrow({ where: { error: { contains: 'boom' } } })
    expect(run).toMatchObject({ status: 'FAILED', error: 'rule fake-critical failed: boom', rules: ['fake-critical'] })
    expect(run.finishedAt).toBeInstanceOf(Date)
    expect((await db.sql.query(`SELECT fingerprint, status, "lastRunId" FROM finding WHERE "ruleId" = 'fake-critical' ORDER BY 1`)).rows).toEqual(before)
  })
})

interface Truth { ruleId: string; entities: Array<{ type: string; key: string }> }

describe.each(backends)('audit of a seeded dataset on %s (real catalogue)', (backend) => {
  const asOf = '2026-01-31'
  let db: TestDatabase
  let dir: string
  let truth: Truth[]
  beforeAll(async () => {
    db = await testDatabase(backend)
    dir = tempDir('sverka-audit-')
    await generateSeed({ scale: 1000, seed: 7, out: dir, asOf })
    await importDirectory(db, dir)
    truth = readFileSync(join(dir, 'ground-truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Truth)
  }, 300_000)
  afterAll(async () => { await db?.close() })

  const audit = () => runAudit(db, { trigger: 'CLI', actor: 'tester', asOf })
  const openSet = (r: Awaited<ReturnType<typeof audit>>) => r.findings.map((f) => f.fingerprint).sort()

  it('a second audit without data changes: nothing new, the same open findings; fixing one collision resolves exactly it, re-breaking reopens it', async () => {
    const first = await audit()
    expect(first.run.counts.new).toBeGreaterThan(0)
    expect(first.run.counts.open).toBe(first.findings.length)
    const rulesFound = new Set(first.findings.map((f) => f.ruleId))
    for (const t of truth) expect(rulesFound, t.ruleId).toContain(t.ruleId)

    // the SPEC's report shape, with business keys
    const report = JSON.parse(JSON.stringify(reportJson(first))) as ReturnType<typeof reportJson>
    expect(Object.keys(report)).toEqual(['run', 'findings'])
    expect(Object.keys(report.run)).toEqual(['id', 'asOf', 'startedAt', 'finishedAt', 'rules', 'counts'])
    expect(report.run.asOf).toBe(asOf)
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(['fingerprint', 'ruleId', 'severity', 'status', 'message', 'entities', 'details'])
      expect(['critical', 'high', 'medium', 'low']).toContain(f.severity)
      expect(f.entities.length).toBeGreaterThan(0)
      for (const e of f.entities) {
        expect(['market', 'equipmentType', 'product', 'customer', 'address', 'contract', 'equipment']).toContain(e.type)
        expect(e.key).not.toMatch(/^\d+$/) // a business key, never a database id
      }
    }
    const planted = truth.find((t) => t.ruleId === 'equipment-duplicate-serial' && t.entities.length === 2)!
    const plantedFp = fingerprint(planted.ruleId, planted.entities as never)
    expect(openSet(first)).toContain(plantedFp)

    const second = await audit()
    expect(second.run.counts).toMatchObject({ new: 0, resolved: 0, reopened: 0, open: first.run.counts.open })
    expect(openSet(second)).toEqual(openSet(first))
    expect(second.findings.every((f) => f.status === 'OPEN')).toBe(true)

    // fix the planted duplicate serial: give one of the devices a serial of its own
    const [, keep] = planted.entities
    const { rows: [original] } = await db.sql.query<{ serial: string; serialNorm: string }>(
      `SELECT serial, "serialNorm" FROM equipment WHERE "inventoryNo" = $1`, [keep.key])
    await db.sql.query(`UPDATE equipment SET serial = 'FIXED-UNIQUE-1', "serialNorm" = 'FIXEDUNIQUE1' WHERE "inventoryNo" = $1`, [keep.key])
    const fixed = await audit()
    expect(fixed.run.counts).toMatchObject({ new: 0, resolved: 1, reopened: 0 })
    expect(openSet(fixed)).toEqual(openSet(second).filter((fp) => fp !== plantedFp))
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { fingerprint: plantedFp } })).status).toBe('RESOLVED')

    await db.sql.query(`UPDATE equipment SET serial = $2, "serialNorm" = $3 WHERE "inventoryNo" = $1`, [keep.key, original.serial, original.serialNorm])
    const rebroken = await audit()
    expect(rebroken.run.counts).toMatchObject({ new: 0, resolved: 0, reopened: 1 })
    expect(openSet(rebroken)).toEqual(openSet(second))
    expect(rebroken.findings.find((f) => f.fingerprint === plantedFp)!.status).toBe('REOPENED')
  })

  it('a failing rule marks the run FAILED and keeps the previous findings', async () => {
    const before = (await db.sql.query(`SELECT fingerprint, status, "lastRunId" FROM finding ORDER BY 1`)).rows
    const { runDetection } = await import('../../src/engine/detect.ts')
    const { loadCatalog } = await import('../../src/engine/catalog.ts')
    const engine: AuditEngine = {
      loadCatalog,
      // the real detection runs, then the database goes away under it
      async runDetection(d, rules, ctx, onProgress) {
        const result = await runDetection(d, rules, ctx, onProgress)
        await d.sql.query('SELECT * FROM no_such_table')
        return result
      },
    }
    await expect(runAudit(db, { trigger: 'CLI', actor: 'tester', asOf }, engine)).rejects.toThrow(/no_such_table/)
    const run = await db.prisma.auditRun.findFirstOrThrow({ where: { error: { contains: 'no_such_table' } } })
    expect(run.status).toBe('FAILED')
    expect(run.error).toMatch(/no_such_table/)
    expect((await db.sql.query(`SELECT fingerprint, status, "lastRunId" FROM finding ORDER BY 1`)).rows).toEqual(before)
  })

  it('a stored override switches a rule off or changes its severity without touching rule files', async () => {
    const R = 'equipment-duplicate-mac'
    const open = async () => (await db.sql.query<{ status: string; severity: string }>(
      `SELECT DISTINCT status::text, severity::text FROM finding WHERE "ruleId" = $1 AND status <> 'RESOLVED'`, [R])).rows
    const before = await open()
    expect(before.length).toBeGreaterThan(0)
    const fileSeverity = (await loadEffectiveCatalog(db)).get(R)!.severity
    expect(fileSeverity).not.toBe('LOW')

    expect(await setRuleOverride(db, R, { enabled: false }, 'nsi')).toMatchObject({ id: R, enabled: false })
    const off = await runAudit(db, { trigger: 'CLI', actor: 'tester', asOf })
    expect(off.run.rules).not.toContain(R)
    expect(off.findings.some((f) => f.ruleId === R)).toBe(false)
    expect(await open()).toEqual(before) // not checked, so neither resolved nor touched
    await expect(runAudit(db, { trigger: 'CLI', actor: 'tester', asOf, ruleIds: [R] })).rejects.toThrow(/правило выключено/)

    const lowered = await setRuleOverride(db, R, { enabled: null, severity: 'LOW' }, 'nsi')
    expect(lowered).toMatchObject({ enabled: true, severity: 'LOW' })
    const on = await runAudit(db, { trigger: 'CLI', actor: 'tester', asOf, ruleIds: [R] })
    expect(on.findings.length).toBeGreaterThan(0)
    expect(on.findings.every((f) => f.ruleId === R && f.severity === 'LOW')).toBe(true)

    await expect(setRuleOverride(db, 'no-such-rule', { enabled: false }, 'nsi')).rejects.toThrow(/нет правила «no-such-rule» \(есть: /)
    await expect(setRuleOverride(db, R, { severity: 'urgent' as never }, 'nsi')).rejects.toThrow(InputError)
    await expect(setRuleOverride(db, R, { params: { key: 42 } }, 'nsi')).rejects.toThrow(InputError)
    expect((await db.prisma.ruleOverride.findUniqueOrThrow({ where: { ruleId: R } })).severity).toBe('LOW')

    await clearRuleOverride(db, R)
    expect((await loadEffectiveCatalog(db)).get(R)).toMatchObject({ enabled: true, severity: fileSeverity })
  })
})
