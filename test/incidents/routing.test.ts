// Routing: the most specific route wins (rule over market over equipment type), no route → the default group
// and unrouted; the routing step after reconcile gives every finding of a run its group, line and SLA dues,
// and an audit of a seeded dataset routes every new finding.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { reconcileFindings } from '../../src/engine/findings.ts'
import type { DetectedFinding, Severity } from '../../src/engine/types.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { addBusinessHours } from '../../src/incidents/calendar.ts'
import { loadRouting, parseRouting, pickRoute, placementOf, prepareRouting, routeRunFindings, type Route } from '../../src/incidents/routing.ts'
import { loadSla } from '../../src/incidents/sla.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const route = (rule: string | null, market: string | null, equipmentType: string | null, group: string, line: number | null = null, index = 0): Route =>
  ({ rule, market, equipmentType, group, line, index })

describe('pickRoute', () => {
  const routes = [
    route(null, 'MSK', null, 'MSK-L1'),
    route(null, null, 'ROUTER', 'NET-L2'),
    route(null, 'MSK', 'ROUTER', 'MSK-NET'),
    route('contract-overlap', null, null, 'BILLING'),
    route('contract-overlap', 'SPB', null, 'BILLING-SPB', 3),
  ]
  const f = (ruleId: string, marketCode: string | null, equipmentTypeCode: string | null) => pickRoute(routes, { ruleId, marketCode, equipmentTypeCode })?.group ?? null

  it('prefers the most specific route: rule over market over equipment type', () => {
    expect(f('contract-overlap', 'SPB', null)).toBe('BILLING-SPB')
    expect(f('contract-overlap', 'MSK', 'ROUTER')).toBe('BILLING')
    expect(f('equipment-duplicate-serial', 'MSK', 'ROUTER')).toBe('MSK-NET')
    expect(f('equipment-duplicate-serial', 'MSK', 'STB')).toBe('MSK-L1')
    expect(f('equipment-duplicate-serial', 'KZN', 'ROUTER')).toBe('NET-L2')
  })

  it('routes a market-only match, and never matches a named market or type against a finding without one', () => {
    expect(f('address-incomplete', 'MSK', null)).toBe('MSK-L1')
    expect(f('address-incomplete', null, null)).toBeNull()
    expect(f('equipment-duplicate-serial', null, 'ROUTER')).toBe('NET-L2')
    expect(f('customer-duplicate', null, null)).toBeNull()
    expect(f('contract-overlap', null, null)).toBe('BILLING')
  })
})

describe('routing file', () => {
  it('rules/routing.yaml is valid: groups, default group, routes', async () => {
    const r = await loadRouting()
    expect(r.defaultGroup).toBe('NSI-TRIAGE')
    expect(r.groups.map((g) => g.code)).toContain('NSI-TRIAGE')
    const codes = new Set(r.groups.map((g) => g.code))
    for (const x of r.routes) expect(codes.has(x.group), `routes.${x.index}.group`).toBe(true)
  })

  it('refuses a broken file, naming the file and the field', () => {
    const ok = 'default: { group: G }\ngroups: [{ code: G, name: Группа, line: 1 }]\nroutes:\n  - { rule: r, group: G }\n'
    expect(parseRouting(ok, 'routing.yaml').routes).toEqual([route('r', null, null, 'G')])
    expect(() => parseRouting(ok.replace('line: 1', 'line: 4'), 'routing.yaml')).toThrow(/^routing\.yaml: groups\.0\.line: /)
    expect(() => parseRouting(`${ok}  - { rule: r, market: '*', group: G, line: 2 }\n`, 'routing.yaml')).toThrow(/routes\.1: совпадает ровно с тем, что выбирает routes\.0/)
    expect(() => parseRouting(ok.replace('{ rule: r, group: G }', '{ rule: r, grop: G }'), 'dir/routing.yaml')).toThrow(/^dir\/routing\.yaml: .*routes\.0\.grop: неизвестное поле/)
    expect(() => parseRouting('groups: []\n', 'routing.yaml')).toThrow(/routing\.yaml: default: обязательное поле/)
  })
})

describe.each(backends)('the routing step on %s', (backend) => {
  let db: TestDatabase
  let dir: string
  let runs = 0

  const detected = (ruleId: string, key: string, marketCode: string | null, equipmentTypeCode: string | null): DetectedFinding =>
    ({ ruleId, entities: [{ type: 'equipment', key }], message: `${ruleId} ${key}`, data: {}, details: {}, marketCode, equipmentTypeCode })

  /** A run that reconciles `found` for `rules`, then routes its findings at `now` with the test's files. */
  async function run(rules: Array<{ id: string; severity: Severity }>, found: DetectedFinding[], now: Date) {
    const { rows: [r] } = await db.sql.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
    await reconcileFindings(db.sql, { id: r.id, actor: `test-${++runs}` }, { rules }, found)
    return { runId: r.id, ...(await routeRunFindings(db.sql, r.id, { now, routingFile: join(dir, 'routing.yaml') })) }
  }
  const finding = async (key: string) => (await db.sql.query<{ group: string | null; line: number | null; unrouted: boolean; ackDueAt: Date | null; dueAt: Date | null }>(
    `SELECT g.code AS group, f."supportLine" AS line, f.unrouted, f."ackDueAt", f."dueAt" FROM finding f LEFT JOIN responsible_group g ON g.id = f."groupId"
      WHERE f.entities @> $1::jsonb`, [JSON.stringify([{ type: 'equipment', key }])])).rows[0]

  beforeAll(async () => {
    db = await testDatabase(backend)
    dir = tempDir()
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Петербург')`)
    await db.sql.query(`INSERT INTO equipment_type (code, name) VALUES ('ROUTER', 'Роутер'), ('STB', 'Приставка')`)
    writeFileSync(join(dir, 'routing.yaml'), `
default: { group: TRIAGE }
groups:
  - { code: TRIAGE, name: Разбор, line: 1 }
  - { code: MSK-L1, name: Москва, line: 1, markets: [MSK, NOPE] }
  - { code: NET-L2, name: Сеть, line: 2, equipmentTypes: [ROUTER] }
  - { code: BILLING, name: Биллинг, line: 2 }
routes:
  - { market: MSK, group: MSK-L1 }
  - { equipmentType: ROUTER, group: NET-L2 }
  - { rule: r-contract, group: BILLING, line: 3 }
`)
  })
  afterAll(async () => { await db?.close() })

  it('seeds the file\'s groups with the markets and types that exist', async () => {
    await run([{ id: 'r-none', severity: 'LOW' }], [], new Date())
    const { rows } = await db.sql.query<{ code: string; markets: string[] }>(`SELECT g.code, COALESCE(array_agg(m.code ORDER BY m.code) FILTER (WHERE m.code IS NOT NULL), '{}') AS markets
      FROM responsible_group g LEFT JOIN responsible_group_market gm ON gm."groupId" = g.id LEFT JOIN market m ON m.id = gm."marketId" GROUP BY g.code ORDER BY g.code`)
    expect(rows).toEqual([{ code: 'BILLING', markets: [] }, { code: 'MSK-L1', markets: ['MSK'] }, { code: 'NET-L2', markets: [] }, { code: 'TRIAGE', markets: [] }])
  })

  it('gives each new finding its route\'s group and line (or the group\'s), and SLA dues from now', async () => {
    const now = new Date('2026-01-16T14:00:00Z') // Friday 17:00 in Moscow
    const r = await run([{ id: 'r-device', severity: 'CRITICAL' }, { id: 'r-contract', severity: 'HIGH' }], [
      detected('r-device', 'E-MSK-STB', 'MSK', 'STB'),
      detected('r-device', 'E-SPB-ROUTER', 'SPB', 'ROUTER'),
      detected('r-device', 'E-MSK-ROUTER', 'MSK', 'ROUTER'),
      detected('r-contract', 'K-MSK', 'MSK', null),
      detected('r-device', 'E-SPB-STB', 'SPB', 'STB'),
      detected('r-device', 'E-NONE', null, null),
    ], now)
    expect(r).toEqual({ runId: r.runId, routed: 6, unrouted: 2, restarted: 0 })
    expect(await finding('E-MSK-STB')).toMatchObject({ group: 'MSK-L1', line: 1, unrouted: false })
    expect(await finding('E-SPB-ROUTER')).toMatchObject({ group: 'NET-L2', line: 2, unrouted: false })
    // a market route is more specific than an equipment-type route
    expect(await finding('E-MSK-ROUTER')).toMatchObject({ group: 'MSK-L1', line: 1 })
    expect(await finding('K-MSK')).toMatchObject({ group: 'BILLING', line: 3 })
    expect(await finding('E-SPB-STB')).toMatchObject({ group: 'TRIAGE', line: 1, unrouted: true })
    expect(await finding('E-NONE')).toMatchObject({ group: 'TRIAGE', line: 1, unrouted: true })
    const sla = await loadSla()
    const critical = await finding('E-MSK-STB')
    expect(new Date(critical.ackDueAt!).toISOString()).toBe('2026-01-19T09:00:00.000Z') // Monday 12:00 Moscow
    expect(new Date(critical.dueAt!).toISOString()).toBe(addBusinessHours(now, sla.severities.CRITICAL.resolve, sla.calendar).toISOString())
    expect(new Date((await finding('K-MSK')).ackDueAt!).toISOString()).toBe(addBusinessHours(now, sla.severities.HIGH.acknowledge, sla.calendar).toISOString())
  })

  it('routes a run of many new findings in the audit\'s transaction alike (statistics refreshed there), and leaves jit as it was', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => detected('r-bulk', `E-BULK-${i}`, i % 3 === 0 ? 'MSK' : 'SPB', i % 2 === 0 ? 'ROUTER' : null))
    const routed = await db.sql.transaction(async (tx) => {
      await tx.query(`SELECT set_config('jit', 'on', true)`)
      const { rows: [r] } = await tx.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
      await reconcileFindings(tx, { id: r.id, actor: `test-${++runs}` }, { rules: [{ id: 'r-bulk', severity: 'LOW' }] }, many)
      // the reconcile switches JIT off for the rest of the run's transaction; the routing puts back whatever it finds
      const { rows: [afterReconcile] } = await tx.query<{ jit: string }>(`SELECT current_setting('jit') AS jit`)
      expect(afterReconcile.jit).toBe('off')
      await tx.query(`SELECT set_config('jit', 'on', true)`)
      const result = await routeRunFindings(tx, r.id, { now: new Date('2026-01-16T14:00:00Z'), routingFile: join(dir, 'routing.yaml') })
      const { rows: [jit] } = await tx.query<{ jit: string }>(`SELECT current_setting('jit') AS jit`)
      return { ...result, jit: jit.jit }
    })
    expect(routed).toMatchObject({ routed: 1500, unrouted: 500, restarted: 0, jit: 'on' })
    const { rows } = await db.sql.query<{ group: string; n: number }>(`SELECT g.code AS group, count(*)::int AS n FROM finding f JOIN responsible_group g ON g.id = f."groupId"
      WHERE f."ruleId" = 'r-bulk' GROUP BY 1 ORDER BY 1`)
    // MSK: every third (MSK-L1, a market route wins); the rest with a router: NET-L2; the rest of all: the default group
    expect(rows).toEqual([{ group: 'MSK-L1', n: 500 }, { group: 'NET-L2', n: 500 }, { group: 'TRIAGE', n: 500 }])
  })

  it('places an audit\'s new findings as they are inserted exactly where the routing step would route them', async () => {
    const now = new Date('2026-01-16T14:00:00Z')
    const prepared = await prepareRouting(db.sql, { routingFile: join(dir, 'routing.yaml') })
    const keys: Array<[string, string | null, string | null]> = [['MSK', 'ROUTER'], ['SPB', 'ROUTER'], [null, null], ['SPB', null], ['MSK', 'STB']]
      .map(([m, t], i) => [`E-PL-${i}`, m, t])
    const found = (rule: string) => keys.map(([key, m, t]) => detected(rule, `${rule}-${key}`, m, t))
    const rules = (id: string) => [{ id, severity: 'HIGH' as const }]
    let counted: [number, number] | null = null
    const placement = { place: (k: Parameters<typeof placementOf>[1]) => placementOf(prepared, k, now), placed: (r: number, u: number) => { counted = [r, u] } }
    const placed = await db.sql.transaction(async (tx) => {
      const { rows: [r] } = await tx.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
      await reconcileFindings(tx, { id: r.id, actor: 'test-placed' }, { rules: rules('r-placed') }, found('r-placed'), { placement })
      // nothing is left for the routing step
      return routeRunFindings(tx, r.id, { now, prepared })
    })
    expect(placed).toMatchObject({ routed: 0, unrouted: 0, restarted: 0 })
    expect(counted).toEqual([5, 2])
    const routed = await run(rules('r-routed'), found('r-routed'), now)
    expect(routed).toMatchObject({ routed: 5, unrouted: 2 })
    for (const [key] of keys) expect(await finding(`r-placed-${key}`), key).toEqual(await finding(`r-routed-${key}`))
    expect(await finding('r-placed-E-PL-0')).toMatchObject({ group: 'MSK-L1', line: 1, unrouted: false, ackDueAt: expect.any(Date) })
  })

  it('leaves routed findings alone when seen again, and restarts the dues of a finding the run reopens', async () => {
    const later = new Date('2026-01-20T07:00:00Z')
    const rules = [{ id: 'r-device', severity: 'CRITICAL' as const }]
    const before = await finding('E-MSK-STB')
    await db.sql.query(`UPDATE responsible_group SET "supportLine" = 1 WHERE code = 'NET-L2'`)
    const again = await run(rules, [detected('r-device', 'E-MSK-STB', 'MSK', 'STB')], later)
    expect(again).toMatchObject({ routed: 0, unrouted: 0, restarted: 0 })
    expect(await finding('E-MSK-STB')).toEqual(before)
    // r-device's other findings were resolved by that run; one comes back
    const back = await run(rules, [detected('r-device', 'E-MSK-STB', 'MSK', 'STB'), detected('r-device', 'E-SPB-ROUTER', 'SPB', 'ROUTER')], later)
    expect(back).toMatchObject({ routed: 0, restarted: 1 })
    expect(await finding('E-SPB-ROUTER')).toMatchObject({ group: 'NET-L2', line: 2, ackDueAt: addBusinessHours(later, 4, (await loadSla()).calendar) })
  })

  it('refuses a route to a group that exists neither in the file nor in the database, naming file and field', async () => {
    const file = join(dir, 'bad-routing.yaml')
    writeFileSync(file, 'default: { group: TRIAGE }\nroutes:\n  - { rule: x, group: GHOST }\n')
    const { rows: [r] } = await db.sql.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
    await expect(routeRunFindings(db.sql, r.id, { routingFile: file })).rejects.toThrow(/bad-routing\.yaml: routes\.0\.group: нет ответственной группы «GHOST»/)
  })
})

describe.each(backends)('an audit of a seeded dataset on %s routes every new finding', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir()
    await generateSeed({ scale: 300, seed: 11, out: dir, asOf: '2026-01-31' })
    await importDirectory(db, dir)
  })
  afterAll(async () => { await db?.close() })

  it('gives each finding a group, a line and dues, and counts the unrouted in the stored run', async () => {
    const result = await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    expect(result.run.counts.new).toBeGreaterThan(0)
    expect(Object.keys(result.run.counts).sort()).toEqual(['new', 'open', 'reopened', 'resolved'])
    const { rows } = await db.sql.query<{ n: number; routed: number; unrouted: number; lines: number[] }>(`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE "groupId" IS NOT NULL AND "supportLine" IS NOT NULL AND "ackDueAt" IS NOT NULL AND "dueAt" > "ackDueAt")::int AS routed,
        count(*) FILTER (WHERE unrouted)::int AS unrouted, array_agg(DISTINCT "supportLine" ORDER BY "supportLine") AS lines
      FROM finding WHERE "firstRunId" = $1::uuid`, [result.run.id])
    expect(rows[0].n).toBe(result.run.counts.new)
    expect(rows[0].routed).toBe(rows[0].n)
    expect(rows[0].lines).toEqual([1, 2, 3])
    const stored = await db.prisma.auditRun.findUniqueOrThrow({ where: { id: result.run.id } })
    expect(stored.counts).toMatchObject({ new: result.run.counts.new, unrouted: rows[0].unrouted })
    // address-incomplete has no route in rules/routing.yaml: its findings are the unrouted ones, in the default group
    const { rows: unrouted } = await db.sql.query<{ rule: string; group: string }>(`SELECT DISTINCT f."ruleId" AS rule, g.code AS group
      FROM finding f JOIN responsible_group g ON g.id = f."groupId" WHERE f.unrouted`)
    expect(unrouted.every((u) => u.group === 'NSI-TRIAGE')).toBe(true)
    expect((stored.timings as Record<string, unknown>).routing).toEqual(expect.any(Number))
    // seen again: nothing to route
    const second = await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    expect((await db.prisma.auditRun.findUniqueOrThrow({ where: { id: second.run.id } })).counts).toMatchObject({ new: 0, unrouted: 0 })
  })
})
