// Imports enqueue incremental re-checks once findings are kept: the import lists what it changed and plans it
// before writing, the re-check job (in-process job layer) resolves and raises exactly what the change caused —
// a device leaving a contract included — and `sverka import` prints the re-check line, or queues the job on Redis.
import { spawnSync } from 'node:child_process'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findingsKept, importRecheck, runRecheckJob } from '../../src/jobs/import-recheck.ts'
import { runAudit } from '../../src/audits/run.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { deserializePlan, prepareRecheck, RECHECK_CAP, serializePlan } from '../../src/engine/incremental.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { DEFAULT_CHANGED_CAP, importDirectory } from '../../src/import/importer.ts'
import { obliterateQueues, redisConnection } from '../../src/jobs/bullmq.ts'
import type { RecheckJob } from '../../src/jobs/queue.ts'
import { sverkaIn } from '../helpers/cli.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { REDIS_URL, testPrefix } from '../jobs/helpers.ts'

const asOf = '2026-01-31'
const EQUIPMENT = ['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at']
const ref = (type: EntityRef['type'], key: string): EntityRef => ({ type, key })
const fp = (ruleId: string, type: EntityRef['type'], keys: string[]) => fingerprint(ruleId, keys.map((k) => ref(type, k)))
const byKey = (a: EntityRef, b: EntityRef) => `${a.type}/${a.key}`.localeCompare(`${b.type}/${b.key}`)

const DUPLICATE = fp('equipment-duplicate-serial', 'equipment', ['INV-1', 'INV-3'])
const MISSING_D1 = fp('contract-missing-equipment', 'contract', ['D-1'])
const MISSING_D3 = fp('contract-missing-equipment', 'contract', ['D-3'])

/**
 * The first load: INV-1 on D-1; INV-3 (in stock) repeats INV-1's serial (equipment-duplicate-serial); D-3, an
 * active SPB contract for internet, has no router (contract-missing-equipment).
 */
function firstFiles() {
  const files = baseFiles()
  files['contracts.csv'] += 'D-3,C-2,A-2,NET-500,SPB,ACTIVE,2024-07-01,\n'
  files['equipment.csv'] += 'INV-3,SN-4F2A-9931,,RT-AX,,,IN_STOCK,,\n'
  return files
}

/** The changed equipment file: INV-1 moves to D-3 (D-1 now misses its router), INV-3 gets its own serial. */
function changedEquipment() {
  return {
    'equipment.csv': csv(EQUIPMENT, [
      ['INV-1', 'sn-4f2a 9931', '00:1A:2B:3C:4D:5E', 'RT-AX', 'A-2', 'D-3', 'INSTALLED', '2024-01-05', ''],
      ['INV-2', 'SN4F2B0001', '001a.2b3c.4d5f', 'RT-AX', '', '', 'IN_STOCK', '', ''],
      ['INV-3', 'SN-UNIQUE-3', '', 'RT-AX', '', '', 'IN_STOCK', '', ''],
    ]),
  }
}

async function openFingerprints(db: TestDatabase) {
  const { rows } = await db.sql.query<{ fingerprint: string }>(`SELECT fingerprint FROM finding WHERE status::text = ANY($1::text[])`, [[...OPEN_STATUSES]])
  return rows.map((r) => r.fingerprint).sort()
}

/** What a full detection of the data finds now: the findings the re-checks must have kept. */
async function fullDetection(db: TestDatabase) {
  const rules = (await loadCatalog()).rules.filter((r) => r.enabled)
  const { findings } = await runDetection(db, rules, { asOf })
  return findings.map((f) => fingerprint(f.ruleId, f.entities)).sort()
}

/** The fingerprints a run raised and resolved, from its events. */
async function changedBy(db: TestDatabase, runId: string) {
  const { rows } = await db.sql.query<{ action: string; fingerprint: string }>(
    `SELECT e.action, f.fingerprint FROM finding_event e JOIN finding f ON f.id = e."findingId" WHERE e."runId" = $1::uuid`, [runId])
  const of = (action: string) => rows.filter((r) => r.action === action).map((r) => r.fingerprint).sort()
  return { detected: of('detected'), resolved: of('resolved'), reopened: of('reopened') }
}

describe.each(backends)('an import re-checks the records it changed on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
  })
  afterAll(async () => { await db?.close() })

  it('before any audit an import only loads: findings are not kept yet, so there is nothing to re-check', async () => {
    const summary = await importDirectory(db, writeFiles(tempDir('recheck-first-'), firstFiles()))
    expect(summary.rejected).toBe(0)
    expect(summary.changedOverflow).toBe(false)
    expect(summary.changed).toHaveLength(2 + 2 + 3 + 2 + 2 + 3 + 3)
    expect(summary.changed).toContainEqual(ref('equipment', 'INV-3'))
    expect(await findingsKept(db)).toBe(false)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
    expect(await findingsKept(db)).toBe(true)
    const open = await openFingerprints(db)
    expect(open).toEqual(expect.arrayContaining([DUPLICATE, MISSING_D3]))
    expect(open).not.toContain(MISSING_D1)
  })

  it('the re-check job resolves the fixed duplicate and the contract the device joined, and raises the one it left', async () => {
    const recheck = importRecheck(db)
    const seen: EntityRef[][] = []
    const summary = await importDirectory(db, writeFiles(tempDir('recheck-move-'), changedEquipment()), {
      beforeWrite: async (records) => { seen.push(records); await recheck.beforeWrite(records) },
    })
    expect(summary.files[0]).toMatchObject({ updated: 2, unchanged: 1, rejected: 0 })
    expect([...summary.changed].sort(byKey)).toEqual([ref('equipment', 'INV-1'), ref('equipment', 'INV-3')])
    const { rows: [stored] } = await db.sql.query<{ changed: Record<string, string[]> }>(`SELECT changed FROM import_run WHERE id = $1::uuid`, [summary.importRunId])
    expect({ equipment: [...stored.changed.equipment].sort() }).toEqual({ equipment: ['INV-1', 'INV-3'] })
    expect(Object.keys(stored.changed)).toEqual(['equipment'])
    // the hook saw exactly the records about to change, before they did
    expect(seen.flat().sort(byKey)).toEqual([ref('equipment', 'INV-1'), ref('equipment', 'INV-3')])

    const planned = await recheck.job(summary, { asOf })
    if (!('job' in planned)) throw new Error(`no re-check job: ${planned.skipped}`)
    expect(planned.jobId).toBe(`import-${summary.importRunId}`)
    // the plan taken before the write remembers the contract INV-1 sat on
    expect(planned.job.before!.rules['contract-missing-equipment'].keys).toContain('D-1')

    const outcome = await runRecheckJob(db, planned, { redisUrl: '' })
    if (outcome.queued) throw new Error('queued instead of run')
    expect(outcome.counts).toMatchObject({ new: 1, resolved: 2, reopened: 0 })
    expect(await changedBy(db, outcome.runId)).toEqual({ detected: [MISSING_D1], resolved: [DUPLICATE, MISSING_D3].sort(), reopened: [] })
    const { rows: [run] } = await db.sql.query<{ trigger: string; status: string; actor: string }>(
      `SELECT trigger::text, status::text, actor FROM audit_run WHERE id = $1::uuid`, [outcome.runId])
    expect(run).toEqual({ trigger: 'INCREMENTAL', status: 'SUCCEEDED', actor: `import job:${planned.jobId}` })
    expect(await openFingerprints(db)).toEqual(await fullDetection(db))
  })

  it('an import that changes nothing plans and queues nothing; past the cap it lists nothing and leaves it to the next audit', async () => {
    const recheck = importRecheck(db)
    let calls = 0
    const same = await importDirectory(db, writeFiles(tempDir('recheck-same-'), changedEquipment()), {
      beforeWrite: async (records) => { calls++; await recheck.beforeWrite(records) },
    })
    expect(calls).toBe(0)
    expect(same.changed).toEqual([])
    expect(await recheck.job(same, { asOf })).toEqual({ skipped: 'nothing changed' })

    const many = importRecheck(db)
    const big = await importDirectory(db, writeFiles(tempDir('recheck-cap-'), firstFiles()), {
      changedCap: 1, beforeWrite: async (records) => { calls++; await many.beforeWrite(records) },
    })
    expect(big.files.find((f) => f.file === 'equipment.csv')).toMatchObject({ updated: 2 })
    expect(big).toMatchObject({ changed: [], changedOverflow: true })
    expect(calls).toBe(0)
    expect(await many.job(big)).toMatchObject({ skipped: expect.stringMatching(/next audit/) })
    expect(DEFAULT_CHANGED_CAP).toBe(RECHECK_CAP)
  })

  it('a plan survives the queue: serialized to JSON and read back the same; a broken one is refused clearly', async () => {
    const plan = await prepareRecheck(db, [ref('equipment', 'INV-1'), ref('contract', 'D-3')])
    const json = JSON.parse(JSON.stringify(serializePlan(plan))) as ReturnType<typeof serializePlan>
    const back = deserializePlan(json)
    expect([...back.rules.keys()].sort()).toEqual([...plan.rules.keys()].sort())
    for (const [id, p] of plan.rules) {
      const q = back.rules.get(id)!
      expect({ subject: q.subject, whole: q.whole }, id).toEqual({ subject: p.subject, whole: p.whole })
      if (!p.whole) expect({ keys: [...q.keys].sort(), groups: [...q.groups].sort() }, id).toEqual({ keys: [...p.keys].sort(), groups: [...p.groups].sort() })
    }
    expect(back.rules.get('contract-missing-equipment')!.keys.has('D-3')).toBe(true)
    expect(() => deserializePlan({ rules: { r: { subject: 'planet', keys: [], groups: [], whole: false } } })).toThrow(/план перепроверки: правило r: неизвестный тип записи «planet»/)
    expect(() => deserializePlan({ rules: { r: { subject: 'contract', keys: [1], groups: [], whole: false } } })).toThrow(/план перепроверки: правило r: keys и groups — списки строк/)
    expect(() => deserializePlan(null)).toThrow(/план перепроверки: ожидается \{ rules/)
  })

  it('a re-check that fails, or cannot be queued, is an error for the caller (the CLI prints it), not a hang', async () => {
    const bad = { job: { changes: [{ type: 'planet', key: 'X' }] as unknown as EntityRef[], actor: 'import' }, jobId: `bad-${backend}` }
    await expect(runRecheckJob(db, bad, { redisUrl: '' })).rejects.toThrow(/перепроверка: неизвестный тип записи «planet»/)
    await expect(runRecheckJob(db, bad, { redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(/Redis по адресу redis:\/\/127\.0\.0\.1:1 не отвечает/)
  }, 30_000)
})

describe('sverka import re-checks after an audit (embedded database)', { timeout: 300_000 }, () => {
  const sverka = sverkaIn(tempDir('sverka-cli-recheck-'))

  it('prints no re-check before the first audit, and the re-check line after one', () => {
    const first = sverka('import', writeFiles(tempDir(), firstFiles()))
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).not.toMatch(/повторная проверка/)
    const audit = sverka('audit', '--as-of', asOf)
    expect(audit.code, audit.stderr).toBe(0)
    const changed = sverka('import', writeFiles(tempDir(), changedEquipment()))
    expect(changed.code, changed.stderr).toBe(0)
    expect(changed.stdout).toMatch(/^повторная проверка: новых 1 · устранено 2 · переоткрыто 0$/m)
    const again = sverka('import', writeFiles(tempDir(), changedEquipment()))
    expect(again.stdout).toMatch(/Изменений нет/)
    expect(again.stdout).not.toMatch(/повторная проверка/)
  })
})

describe.skipIf(!backends.includes('postgres'))('sverka import with REDIS_URL queues the re-check (PostgreSQL, local Redis)', () => {
  const prefix = testPrefix()
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase('postgres')
    await importDirectory(db, writeFiles(tempDir('recheck-bull-'), firstFiles()))
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
  }, 120_000)
  afterAll(async () => {
    await obliterateQueues(REDIS_URL, prefix)
    await db?.close()
  })

  it('adds the job with the changes and the plan to the recheck queue, and does not run it', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, REDIS_URL, SVERKA_QUEUE_PREFIX: prefix, SVERKA_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' }
    delete env.VITEST
    const r = spawnSync(process.execPath, ['src/cli/sverka.mjs', 'import', writeFiles(tempDir(), changedEquipment())], { env, encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^повторная проверка поставлена в очередь \(записей: 2\)$/m)

    const queue = new Queue<RecheckJob>('recheck', { connection: redisConnection(REDIS_URL), prefix })
    try {
      const waiting = await queue.getWaiting()
      expect(waiting).toHaveLength(1)
      const { rows: [imported] } = await db.sql.query<{ id: string }>(`SELECT id FROM import_run ORDER BY "startedAt" DESC LIMIT 1`)
      expect(waiting[0].id).toBe(`import-${imported.id}`)
      expect([...waiting[0].data.changes].sort(byKey)).toEqual([ref('equipment', 'INV-1'), ref('equipment', 'INV-3')])
      expect(waiting[0].data).toMatchObject({ actor: 'import' })
      expect(waiting[0].data.before!.rules['contract-missing-equipment'].keys).toContain('D-1')
    } finally {
      await queue.close()
    }
    const { rows } = await db.sql.query(`SELECT id FROM audit_run WHERE trigger = 'INCREMENTAL'`)
    expect(rows).toEqual([])
    expect(await openFingerprints(db)).toContain(DUPLICATE)
  }, 120_000)
})
