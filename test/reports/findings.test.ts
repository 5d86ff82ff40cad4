// The reports on open findings (matrix, aging, bottlenecks) on a planted set of findings in known states, ages,
// groups and lines, against numbers worked out here in plain JS from what was planted — for an unscoped key and
// a key limited to SPB. Every number then drills down: the findings list with the matching filter has exactly
// that many (what the console's links rely on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HIDDEN } from '../../src/access/redact.ts'
import { aging, bottlenecks, findingsMatrix } from '../../src/reports/findings.ts'
import { acknowledgeFinding, resolveFinding, startFinding } from '../../src/engine/findings.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { loadHandMade } from '../incidents/fixture.ts'

const HOUR = 3_600_000
const OPEN = ['NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED', 'IN_PROGRESS']
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const
const RULES = ['contract-overlap', 'address-duplicate', 'equipment-duplicate-serial']
const MARKETS = ['MSK', 'SPB', null]
// (group, line) pairs a finding is routed to; no group has no line (the findings filter cannot ask for «no line»)
const ROUTES: Array<[string | null, number | null]> = [['G1', 1], ['G1', 2], ['G2', 1], ['G2', 2], ['G2', 3], ['G3', 1], [null, null]]
// hours since first seen, none near a bucket edge (24, 168, 720 h) nor near the period's edges below
const AGES = [0.5, 5, 20, 30, 60, 150, 200, 400, 700, 800, 1500]

interface Planted {
  fp: string; rule: string; market: string | null; severity: string; status: string
  group: string | null; line: number | null; firstSeen: number
  ackDue: number | null; due: number | null; acknowledgedAt: number | null
  /** times of the first acknowledgement ('acknowledged' or 'started' event) and of the first resolve */
  acked: number | null; resolved: number | null; ackAction: 'acknowledged' | 'started'
  subjects: Array<{ type: string; key: string }>
}

/** A deterministic spread of findings over rules, markets, severities, statuses, routes, ages and SLA states. */
function plant(now: number): Planted[] {
  let seed = 7
  const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n }
  const out: Planted[] = []
  for (let i = 0; i < 90; i++) {
    const firstSeen = now - AGES[next(AGES.length)] * HOUR
    const status = ['NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'WAIVED'][next(7)]
    const [group, line] = ROUTES[next(ROUTES.length)]
    // SLA times relative to first seen: some passed, some to come; some findings have none
    const sla = next(5)
    const ackDue = sla === 0 ? null : firstSeen + [2, 10, 50, 2000][next(4)] * HOUR
    const due = sla === 0 ? null : firstSeen + [8, 40, 300, 3000][next(4)] * HOUR
    const wasAcked = ['ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED'].includes(status) || (status === 'REOPENED' && next(2) === 0)
    const acked = wasAcked ? Math.min(now - 60_000, firstSeen + [0.25, 1, 3, 15][next(4)] * HOUR) : null
    const resolved = status === 'RESOLVED' || status === 'REOPENED'
      ? Math.min(now - 30_000, Math.max(acked ?? firstSeen, firstSeen) + [0.5, 4, 20, 100][next(4)] * HOUR) : null
    const market = MARKETS[next(MARKETS.length)]
    const type = ['address', 'contract', 'customer', 'equipment'][next(4)]
    const subjects = [{ type, key: `${type}-${i}` }, ...(next(3) === 0 ? [{ type: 'contract', key: `contract-x${i}` }] : [])]
    out.push({
      fp: `fp-${i}`, rule: RULES[next(RULES.length)], market, severity: SEVERITIES[next(4)], status, group, line, firstSeen,
      ackDue, due, acknowledgedAt: acked, acked, resolved, ackAction: next(3) === 0 ? 'started' : 'acknowledged', subjects,
    })
  }
  return out
}

// ─── the expectations, worked out apart from the SQL ───

const isOpen = (f: Planted) => OPEN.includes(f.status)
const overdueAt = (f: Planted, now: number) => isOpen(f) && ((f.acknowledgedAt === null && f.ackDue !== null && f.ackDue < now) || (f.due !== null && f.due < now))
const visible = (f: Planted, markets: string[] | null) => markets === null || (f.market !== null && markets.includes(f.market))

function expectedMatrix(found: Planted[]) {
  const cells = new Map<string, { ruleId: string; market: string | null; critical: number; high: number; medium: number; low: number; total: number }>()
  for (const f of found.filter(isOpen)) {
    const id = `${f.rule}|${f.market}`
    const cell = cells.get(id) ?? { ruleId: f.rule, market: f.market, critical: 0, high: 0, medium: 0, low: 0, total: 0 }
    cell[f.severity.toLowerCase() as 'critical']++
    cell.total++
    cells.set(id, cell)
  }
  return [...cells.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || (a.market ?? '\uffff').localeCompare(b.market ?? '\uffff'))
}

function bucketOf(f: Planted, now: number): 'under1Day' | 'days1to7' | 'days7to30' | 'over30Days' {
  const hours = (now - f.firstSeen) / HOUR
  return hours <= 24 ? 'under1Day' : hours <= 168 ? 'days1to7' : hours <= 720 ? 'days7to30' : 'over30Days'
}

function expectedAging(found: Planted[], by: 'rule' | 'group', now: number) {
  const rows = new Map<string | null, { key: string | null; name: string | null; under1Day: number; days1to7: number; days7to30: number; over30Days: number; total: number }>()
  for (const f of found.filter(isOpen)) {
    const key = by === 'rule' ? f.rule : f.group
    const row = rows.get(key) ?? { key, name: by === 'group' && key ? `Группа ${key}` : null, under1Day: 0, days1to7: 0, days7to30: 0, over30Days: 0, total: 0 }
    row[bucketOf(f, now)]++
    row.total++
    rows.set(key, row)
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'))
}

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const pos = p * (sorted.length - 1)
  const lo = Math.floor(pos)
  return sorted[lo] + (pos - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo])
}

function expectedBottlenecks(found: Planted[], since: number, until: number, now: number) {
  const rows = new Map<string, { f: Planted[]; overdue: number; group: string | null; line: number | null }>()
  for (const f of found) {
    const id = `${f.group}|${f.line}`
    const row = rows.get(id) ?? { f: [], overdue: 0, group: f.group, line: f.line }
    if (f.firstSeen >= since && f.firstSeen < until) row.f.push(f)
    if (overdueAt(f, now)) row.overdue++
    rows.set(id, row)
  }
  const durations = (seconds: number[]) => ({ count: seconds.length, medianSeconds: percentile(seconds, 0.5), p90Seconds: percentile(seconds, 0.9) })
  const late = (f: Planted) => (f.ackDue !== null && (f.acked ?? (isOpen(f) ? now : -Infinity)) > f.ackDue)
    || (f.due !== null && (f.resolved ?? (isOpen(f) ? now : -Infinity)) > f.due)
  const result = [...rows.values()].filter((r) => r.f.length || r.overdue).map((r) => ({
    groupCode: r.group, groupName: r.group ? `Группа ${r.group}` : null, line: r.line,
    received: r.f.length,
    acknowledgedInTime: r.f.filter((f) => f.acked !== null && (f.ackDue === null || f.acked <= f.ackDue)).length,
    resolvedInTime: r.f.filter((f) => f.resolved !== null && (f.due === null || f.resolved <= f.due)).length,
    acknowledge: durations(r.f.filter((f) => f.acked !== null).map((f) => (f.acked! - f.firstSeen) / 1000)),
    resolve: durations(r.f.filter((f) => f.resolved !== null).map((f) => (f.resolved! - f.firstSeen) / 1000)),
    overdue: r.overdue,
    eligible: r.overdue > 0 || r.f.some(late),
    worst: false,
  }))
  const share = (n: number, of: number) => (of ? n / of : 1)
  const byCode = (a: typeof result[number], b: typeof result[number]) => (a.groupCode ?? '\uffff').localeCompare(b.groupCode ?? '\uffff') || (a.line ?? 9) - (b.line ?? 9)
  const ranked = [...result].sort((a, b) => Number(b.eligible) - Number(a.eligible) || b.overdue - a.overdue
    || share(a.acknowledgedInTime, a.received) - share(b.acknowledgedInTime, b.received)
    || share(a.resolvedInTime, a.received) - share(b.resolvedInTime, b.received) || byCode(a, b))
  const worst = ranked.slice(0, 3).filter((r) => r.eligible)
  for (const r of worst) r.worst = true
  return [...worst, ...result.filter((r) => !r.worst).sort(byCode)].map(({ eligible: _, ...r }) => r)
}

// percentiles over float seconds: compare to the millisecond
const rounded = (rows: unknown) => JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)))

describe.each(backends)('reports on open findings on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  const now = Date.now()
  const planted = plant(now)
  const since = now - 250 * HOUR
  const until = now - 2 * HOUR

  beforeAll(async () => {
    db = await testDatabase(backend)
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Санкт-Петербург')`)
    const groups = new Map<string, number>()
    for (const [code, line] of [['G1', 1], ['G2', 2], ['G3', 1]] as const) {
      groups.set(code, (await db.sql.query<{ id: number }>(`INSERT INTO responsible_group (code, name, "supportLine") VALUES ($1, $2, $3) RETURNING id`,
        [code, `Группа ${code}`, line])).rows[0].id)
    }
    // G3 covers MSK only: a key limited to SPB does not see its code (nor name), though SPB findings are routed there
    await db.sql.query(`INSERT INTO responsible_group_market ("groupId", "marketId") SELECT $1, id FROM market WHERE code = 'MSK'`, [groups.get('G3')])
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())
    for (const f of planted) {
      const { rows: [row] } = await db.sql.query<{ id: string }>(`
        INSERT INTO finding (fingerprint, "ruleId", severity, status, message, entities, "marketCode", "groupId", "supportLine",
          "firstSeenAt", "ackDueAt", "dueAt", "acknowledgedAt")
        VALUES ($1, $2, $3::"Severity", $4::"FindingStatus", $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [f.fp, f.rule, f.severity, f.status, `finding ${f.fp}`, JSON.stringify(f.subjects), f.market, f.group ? groups.get(f.group) : null, f.line,
        iso(f.firstSeen), iso(f.ackDue), iso(f.due), iso(f.acknowledgedAt)])
      for (const s of f.subjects) {
        await db.sql.query(`INSERT INTO finding_entity ("findingId", "entityType", "entityKey") VALUES ($1::uuid, $2, $3)`, [row.id, s.type, s.key])
      }
      const event = (at: number, action: string, from: string | null, to: string) => db.sql.query(
        `INSERT INTO finding_event ("findingId", at, actor, action, "fromStatus", "toStatus") VALUES ($1::uuid, $2, 'anna', $3, $4::"FindingStatus", $5::"FindingStatus")`,
        [row.id, iso(at), action, from, to])
      await event(f.firstSeen, 'detected', null, 'NEW')
      if (f.acked !== null) await event(f.acked, f.ackAction, 'NEW', f.ackAction === 'started' ? 'IN_PROGRESS' : 'ACKNOWLEDGED')
      if (f.acked !== null) await event(f.acked + 1000, 'commented', 'ACKNOWLEDGED', 'ACKNOWLEDGED')
      if (f.resolved !== null) {
        await event(f.resolved, 'resolved', f.acked === null ? 'OPEN' : 'ACKNOWLEDGED', 'RESOLVED')
        // reopened (and maybe resolved again): the first resolve is the one measured
        if (f.status === 'REOPENED') await event(f.resolved + 5000, 'reopened', 'RESOLVED', 'REOPENED')
      }
    }
    client = graphqlClient(db)
  })
  afterAll(async () => { await db?.close() })

  const scopes = [
    { name: 'an unscoped key', markets: null, role: 'AUDITOR', keyMarkets: [] },
    { name: 'a key limited to SPB', markets: ['SPB'], role: 'AUDITOR', keyMarkets: ['SPB'] },
  ] as const

  it('the planted set covers what the reports tell apart', () => {
    expect(new Set(planted.map((f) => f.status)).size).toBe(7)
    expect(planted.filter((f) => overdueAt(f, now)).length).toBeGreaterThan(5)
    expect(new Set(planted.filter(isOpen).map((f) => bucketOf(f, now))).size).toBe(4)
    expect(planted.some((f) => isOpen(f) && f.market === null)).toBe(true)
    expect(planted.some((f) => isOpen(f) && f.market === 'SPB' && f.group === 'G3')).toBe(true)
  })

  describe.each(scopes)('for $name', ({ markets, role, keyMarkets }) => {
    const mine = () => planted.filter((f) => visible(f, markets as string[] | null))

    it('findingsMatrix: open findings per rule × market by severity', async () => {
      expect(await findingsMatrix(db.sql, { markets })).toEqual(expectedMatrix(mine()))
      expect(await findingsMatrix(db.sql, { markets, market: 'SPB' })).toEqual(expectedMatrix(mine().filter((f) => f.market === 'SPB')))
    })

    it('aging by rule and by group, in the console\'s age buckets', async () => {
      expect(await aging(db.sql, { markets }, 'rule', new Date(now))).toEqual(expectedAging(mine(), 'rule', now))
      expect(await aging(db.sql, { markets }, 'group', new Date(now))).toEqual(expectedAging(mine(), 'group', now))
    })

    it('bottlenecks per group and line: received, in time, durations, overdue, the three worst first', async () => {
      const got = await bottlenecks(db.sql, { markets }, { since: new Date(since), until: new Date(until) }, new Date(now))
      const expected = expectedBottlenecks(mine(), since, until, now)
      expect(rounded(got)).toEqual(rounded(expected))
      expect(got.filter((r) => r.worst).length).toBeGreaterThan(0)
      // without a period every finding counts as received
      expect(rounded(await bottlenecks(db.sql, { markets }, {}, new Date(now)))).toEqual(rounded(expectedBottlenecks(mine(), -Infinity, Infinity, now)))
    })

    it('through GraphQL, and every number drills down to a findings list of that size', async () => {
      const key = await client.key(role, [...keyMarkets])
      const gql = async (query: string, variables: Record<string, unknown> = {}) => {
        const r = await client.request(query, variables, key)
        expect(r.errors).toBeUndefined()
        return r.data
      }
      const total = async (filter: Record<string, unknown>) => (await gql(`query($f: FindingFilter) { findings(filter: $f, first: 1) { totalCount } }`, { f: filter })).findings.totalCount as number
      const { reports } = await gql(`query($since: DateTime, $until: DateTime) { reports {
        findingsMatrix { ruleId market critical high medium low total }
        byRule: aging { key name under1Day days1to7 days7to30 over30Days total }
        byGroup: aging(by: GROUP) { key name under1Day days1to7 days7to30 over30Days total }
        bottlenecks(since: $since, until: $until) { group groupName line received acknowledgedInTime resolvedInTime
          acknowledge { count medianSeconds p90Seconds } resolve { count medianSeconds p90Seconds } overdue worst }
      } }`, { since: new Date(since).toISOString(), until: new Date(until).toISOString() })

      // the API's `now` is a little later than ours: nothing planted sits near an edge, so the numbers are the same;
      // the key limited to SPB reads G3 (a group of MSK only) as «[скрыто]», its name too
      const hide = (code: string | null) => (markets !== null && code === 'G3' ? HIDDEN : code)
      expect(reports.findingsMatrix).toEqual(expectedMatrix(mine()))
      expect(reports.byRule).toEqual(expectedAging(mine(), 'rule', now))
      expect(reports.byGroup).toEqual(expectedAging(mine(), 'group', now).map((r) => ({ ...r, key: hide(r.key), name: r.key === hide(r.key) ? r.name : HIDDEN })))
      expect(rounded(reports.bottlenecks)).toEqual(rounded(expectedBottlenecks(mine(), since, until, now)
        .map(({ groupCode, groupName, ...r }) => ({ group: hide(groupCode), groupName: groupCode === hide(groupCode) ? groupName : HIDDEN, ...r }))))
      if (markets !== null) expect(reports.byGroup.map((r: { key: string }) => r.key)).toContain(HIDDEN)

      const marketFilter = (market: string | null) => (market === null ? { noMarket: true } : { market })
      for (const cell of reports.findingsMatrix) {
        for (const sev of SEVERITIES) {
          expect(await total({ open: true, ruleIds: [cell.ruleId], ...marketFilter(cell.market), severities: [sev] }), `${cell.ruleId} ${cell.market} ${sev}`)
            .toBe(cell[sev.toLowerCase()])
        }
        expect(await total({ open: true, ruleIds: [cell.ruleId], ...marketFilter(cell.market) })).toBe(cell.total)
      }
      // the age buckets as the console's findings URL turns them into moments (web/src/screens/findings/url.ts)
      const at = (hours: number) => new Date(now - hours * HOUR).toISOString()
      const buckets = {
        under1Day: { firstSeenFrom: at(24) }, days1to7: { firstSeenFrom: at(168), firstSeenBefore: at(24) },
        days7to30: { firstSeenFrom: at(720), firstSeenBefore: at(168) }, over30Days: { firstSeenBefore: at(720) },
      }
      for (const [by, rows] of [['rule', reports.byRule], ['group', reports.byGroup]] as const) {
        for (const row of rows.filter((r: { key: string }) => r.key !== HIDDEN)) {
          const which = by === 'rule' ? { ruleIds: [row.key] } : row.key === null ? { noGroup: true } : { group: row.key }
          for (const [bucket, moments] of Object.entries(buckets)) {
            expect(await total({ open: true, ...which, ...moments }), `${by} ${row.key} ${bucket}`).toBe(row[bucket])
          }
        }
      }
      for (const row of reports.bottlenecks.filter((r: { group: string }) => r.group !== HIDDEN)) {
        const where = { ...(row.group === null ? { noGroup: true } : { group: row.group }), ...(row.line === null ? {} : { line: row.line }) }
        expect(await total({ ...where, overdue: true }), `${row.group} ${row.line} overdue`).toBe(row.overdue)
        expect(await total({ ...where, firstSeenFrom: new Date(since).toISOString(), firstSeenBefore: new Date(until).toISOString() }), `${row.group} ${row.line} received`)
          .toBe(row.received)
      }
    })

    it('the new filters: no market, subject type, line, overdue (and not), no group', async () => {
      const key = await client.key(role, [...keyMarkets])
      const total = async (filter: Record<string, unknown>) => {
        const r = await client.request(`query($f: FindingFilter) { findings(filter: $f) { totalCount } }`, { f: filter }, key)
        expect(r.errors).toBeUndefined()
        return r.data.findings.totalCount as number
      }
      const count = (test: (f: Planted) => boolean) => mine().filter(test).length
      expect(await total({ noMarket: true })).toBe(count((f) => f.market === null))
      expect(await total({ noMarket: false })).toBe(count((f) => f.market !== null))
      for (const type of ['contract', 'address', 'equipment', 'market']) {
        expect(await total({ subjectType: type }), type).toBe(count((f) => f.subjects.some((s) => s.type === type)))
      }
      for (const line of [1, 2, 3]) expect(await total({ line })).toBe(count((f) => f.line === line))
      expect(await total({ overdue: true })).toBe(count((f) => overdueAt(f, now)))
      expect(await total({ overdue: false })).toBe(count((f) => !overdueAt(f, now)))
      expect(await total({ noGroup: true, open: true })).toBe(count((f) => f.group === null && isOpen(f)))
      expect(await total({ noGroup: false })).toBe(count((f) => f.group !== null))
      const refused = await client.request(`{ findings(filter: { line: 4 }) { totalCount } }`, {}, key)
      expect(refused.errors?.length).toBeGreaterThan(0)
    })
  })

  it('refuses a bottleneck period that ends before it starts', async () => {
    const r = await client.request('{ reports { bottlenecks(since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z") { received } } }', {}, await client.key('AUDITOR'))
    expect(r.errors?.length).toBeGreaterThan(0)
  })
})

// The same reports over findings a real audit raised and people then moved through the lifecycle functions:
// the events those functions write are the ones the bottlenecks read.
describe.each(backends)('reports over an audited dataset on %s', (backend) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
  })
  afterAll(async () => { await db?.close() })

  it('matrix and aging count the audit\'s open findings; acknowledging, starting and resolving show in the bottlenecks', async () => {
    const before = await db.prisma.finding.findMany()
    expect(before.length).toBeGreaterThan(2)
    const [a, b, c] = before
    await acknowledgeFinding(db, a.fingerprint, { actor: 'anna' })
    await startFinding(db, b.fingerprint, { actor: 'anna' })
    await resolveFinding(db, c.fingerprint, { actor: 'anna', comment: 'fixed at the source' })

    const all = await db.prisma.finding.findMany({ include: { group: true } })
    const open = all.filter((f) => OPEN.includes(f.status))
    const cells = new Map<string, number>()
    for (const f of open) cells.set(`${f.ruleId}|${f.marketCode}`, (cells.get(`${f.ruleId}|${f.marketCode}`) ?? 0) + 1)
    const matrix = await findingsMatrix(db.sql, { markets: null })
    expect(new Map(matrix.map((m) => [`${m.ruleId}|${m.market}`, m.total]))).toEqual(cells)
    // the audit saw them all just now
    const byRule = await aging(db.sql, { markets: null }, 'rule')
    expect(byRule.reduce((n, r) => n + r.under1Day, 0)).toBe(open.length)

    // per group and line: the findings received, those with an acknowledgement (acknowledged or started) and a
    // resolve, as the lifecycle functions recorded them
    const events = await db.prisma.findingEvent.findMany()
    const did = (f: { id: string }, test: (e: (typeof events)[number]) => boolean) => events.some((e) => e.findingId === f.id && test(e))
    const expected = new Map<string, { received: number; acks: number; resolves: number }>()
    for (const f of all) {
      const id = `${f.group?.code ?? null}|${f.supportLine}`
      const row = expected.get(id) ?? { received: 0, acks: 0, resolves: 0 }
      row.received++
      if (did(f, (e) => e.action === 'acknowledged' || e.action === 'started')) row.acks++
      if (did(f, (e) => e.toStatus === 'RESOLVED')) row.resolves++
      expected.set(id, row)
    }
    const rows = await bottlenecks(db.sql, { markets: null }, {})
    expect(new Map(rows.map((r) => [`${r.groupCode}|${r.line}`, { received: r.received, acks: r.acknowledge.count, resolves: r.resolve.count }]))).toEqual(expected)
    expect([...expected.values()].reduce((n, r) => n + r.acks, 0)).toBeGreaterThanOrEqual(2)
    expect([...expected.values()].reduce((n, r) => n + r.resolves, 0)).toBe(1)
  })
})
