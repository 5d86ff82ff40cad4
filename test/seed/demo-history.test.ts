// The demo a first `sverka serve` loads plays eight weeks of work (src/seed/demo-history.ts) so that every report of
// the album has numbers: a trend of several full audits, findings of every age, calls linked to findings, work done
// in time and late. Checked through the report functions the album reads, on the embedded database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemo } from '../../src/seed/demo.ts'
import { incidentHotspots, slaBreaches } from '../../src/incidents/reports.ts'
import { aging, bottlenecks, findingsMatrix } from '../../src/reports/findings.ts'
import { qualityScores } from '../../src/reports/quality.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'

const all = { markets: null }
const DAY = 86_400_000

describe('the demo with its history', () => {
  let db: TestDatabase
  let open: number
  beforeAll(async () => {
    db = await testDatabase('pglite')
    open = (await loadDemo(db, { scale: 300, history: true })).findings
  }, 180_000)
  afterAll(async () => { await db?.close() })

  it('has a trend of five full audits over eight weeks, the oldest eight weeks back', async () => {
    const runs = await qualityScores(db.sql, all, {})
    expect(runs).toHaveLength(5)
    const ages = runs.map((r) => Math.round((Date.now() - r.finishedAt.getTime()) / DAY))
    expect(ages).toEqual([56, 28, 10, 3, 0])
    // the collisions typed in after the first weeks lower the score of the addresses
    const addresses = (run: (typeof runs)[number]) => run.markets.flatMap((m) => m.entityTypes).filter((t) => t.entityType === 'address')
      .reduce((s, t) => ({ records: s.records + t.records, clean: s.clean + t.clean }), { records: 0, clean: 0 })
    expect(addresses(runs[4]).records).toBeGreaterThan(addresses(runs[0]).records)
    expect(addresses(runs[4]).records - addresses(runs[4]).clean).toBeGreaterThan(addresses(runs[1]).records - addresses(runs[1]).clean)
  })

  it('has open findings of every age bucket, and the matrix counts them all', async () => {
    const rows = await aging(db.sql, all, 'rule')
    const sum = (k: 'under1Day' | 'days1to7' | 'days7to30' | 'over30Days' | 'total') => rows.reduce((n, r) => n + r[k], 0)
    for (const bucket of ['under1Day', 'days1to7', 'days7to30', 'over30Days'] as const) expect(sum(bucket), bucket).toBeGreaterThan(0)
    expect(sum('total')).toBe(open)
    expect((await findingsMatrix(db.sql, all)).reduce((n, c) => n + c.total, 0)).toBe(open)
  })

  it('has calls linked to findings, work in time and late, and SLA breaches now', async () => {
    const hot = await incidentHotspots(db.sql, all)
    expect(hot.byRule.reduce((n, r) => n + r.incidents, 0)).toBeGreaterThan(0)
    expect(hot.byRule.reduce((n, r) => n + r.complaints, 0)).toBeGreaterThan(0)
    const month = await bottlenecks(db.sql, all, { since: new Date(Date.now() - 30 * DAY) })
    expect(month.reduce((n, r) => n + r.received, 0)).toBeGreaterThan(0)
    expect(month.reduce((n, r) => n + r.acknowledgedInTime, 0)).toBeGreaterThan(0)
    expect(month.filter((r) => r.worst).length).toBeGreaterThan(0)
    expect((await slaBreaches(db.sql, all)).total).toBeGreaterThan(0)
    // people's work is dated in the past, not at the moment the demo was loaded
    const { rows: [work] } = await db.sql.query<{ n: number; late: number }>(`SELECT count(*)::int AS n,
      count(*) FILTER (WHERE at > now() - interval '1 hour')::int AS late FROM finding_event WHERE action IN ('acknowledged', 'started', 'waived')`)
    expect(work.n).toBeGreaterThan(0)
    expect(work.late).toBe(0)
  })
})
