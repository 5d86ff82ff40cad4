// The reports through GraphQL: the three reports under `reports`, each within the key's markets, and
// arguments out of range refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const HOUR = 3_600_000

describe.each(backends)('reports over GraphQL on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  const now = Date.now()
  const ago = (hours: number) => new Date(now - hours * HOUR)

  beforeAll(async () => {
    db = await testDatabase(backend)
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Санкт-Петербург')`)
    const { rows: [group] } = await db.sql.query<{ id: number }>(`INSERT INTO responsible_group (code, name, "supportLine") VALUES ('NSI-SPB', 'НСИ СПб', 1) RETURNING id`)
    const finding = async (fp: string, market: string, firstSeenHoursAgo: number, ackDueHoursAgo: number) => (await db.sql.query<{ id: string }>(`
      INSERT INTO finding (fingerprint, "ruleId", severity, status, message, entities, "marketCode", "groupId", "supportLine", "firstSeenAt", "ackDueAt")
      VALUES ($1, 'contract-overlap', 'CRITICAL', 'OPEN', 'пересечение договоров', '[{"type":"contract","key":"D-1"}]', $2, $3, 1, $4, $5) RETURNING id`,
    [fp, market, group.id, ago(firstSeenHoursAgo), ago(ackDueHoursAgo)])).rows[0].id
    const spb = await finding('fp-spb', 'SPB', 10, 6)
    const msk = await finding('fp-msk', 'MSK', 10, 8)
    const { rows: [incident] } = await db.sql.query<{ id: string }>(`INSERT INTO incident (kind, channel, "externalRef", "createdBy") VALUES ('INCIDENT', 'PHONE', 'INC-1', 'test') RETURNING id`)
    for (const f of [spb, msk]) await db.sql.query(`INSERT INTO finding_incident ("findingId", "incidentId", origin, actor) VALUES ($1::uuid, $2::uuid, 'AUTO', 'test')`, [f, incident.id])
    await db.sql.query(`INSERT INTO finding_event ("findingId", at, actor, action, "fromStatus", "toStatus") VALUES ($1::uuid, $2, 'anna', 'commented', 'OPEN', 'OPEN')`, [spb, ago(1)])
    client = graphqlClient(db)
  })
  afterAll(async () => { await db?.close() })

  const QUERY = `query($market: String) { reports {
    incidentHotspots(market: $market) { byRule { key incidents complaints total findings } byMarket { key incidents total } }
    responseTimes(market: $market) { group groupName line acknowledge { count medianSeconds p90Seconds } resolve { count } open unacknowledged }
    slaBreaches(market: $market) { total breaches { fingerprint marketCode group line acknowledgeLateSeconds resolveLateSeconds lateSeconds finding { fingerprint group { code } } } }
  } }`

  it('an unscoped key sees every market', async () => {
    const r = await client.request(QUERY, {}, await client.key('AUDITOR'))
    expect(r.errors).toBeUndefined()
    const { incidentHotspots, responseTimes, slaBreaches } = r.data.reports
    expect(incidentHotspots).toEqual({
      byRule: [{ key: 'contract-overlap', incidents: 1, complaints: 0, total: 1, findings: 2 }],
      byMarket: [{ key: 'MSK', incidents: 1, total: 1 }, { key: 'SPB', incidents: 1, total: 1 }],
    })
    expect(responseTimes).toEqual([{
      group: 'NSI-SPB', groupName: 'НСИ СПб', line: 1, acknowledge: { count: 0, medianSeconds: null, p90Seconds: null }, resolve: { count: 0 }, open: 2, unacknowledged: 2,
    }])
    expect(slaBreaches.total).toBe(2)
    expect(slaBreaches.breaches.map((b: any) => [b.fingerprint, b.finding.fingerprint, b.finding.group.code, b.resolveLateSeconds])).toEqual([
      ['fp-msk', 'fp-msk', 'NSI-SPB', null], ['fp-spb', 'fp-spb', 'NSI-SPB', null],
    ])
    // eight and six hours late, give or take the time the request took
    expect(Math.round(slaBreaches.breaches[0].lateSeconds / 3600)).toBe(8)
    expect(Math.round(slaBreaches.breaches[1].acknowledgeLateSeconds / 3600)).toBe(6)
  })

  it('a key limited to SPB sees only SPB findings in every report, and nothing when it asks for another market', async () => {
    const key = await client.key('SERVICE_DESK', ['SPB'])
    const own = (await client.request(QUERY, {}, key)).data.reports
    expect(own.incidentHotspots.byMarket).toEqual([{ key: 'SPB', incidents: 1, total: 1 }])
    expect(own.incidentHotspots.byRule).toEqual([{ key: 'contract-overlap', incidents: 1, complaints: 0, total: 1, findings: 1 }])
    expect(own.responseTimes.map((r: any) => [r.group, r.open])).toEqual([['NSI-SPB', 1]])
    expect(own.slaBreaches.breaches.map((b: any) => b.fingerprint)).toEqual(['fp-spb'])
    const foreign = (await client.request(QUERY, { market: 'MSK' }, key)).data.reports
    expect(foreign).toEqual({ incidentHotspots: { byRule: [], byMarket: [] }, responseTimes: [], slaBreaches: { total: 0, breaches: [] } })
  })

  it('refuses arguments out of range and a period that ends before it starts; no key, no reports', async () => {
    const key = await client.key('AUDITOR')
    const bad = [
      '{ reports { incidentHotspots(top: 0) { byRule { key } } } }',
      '{ reports { slaBreaches(limit: 501) { total } } }',
      '{ reports { responseTimes(since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z") { open } } }',
    ]
    for (const query of bad) {
      const r = await client.request(query, {}, key)
      expect(r.errors?.length, query).toBeGreaterThan(0)
    }
    const anonymous = await client.request('{ reports { slaBreaches { total } } }', {}, null)
    expect([anonymous.status, anonymous.data ?? null]).toEqual([401, null])
  })
})
