// Reports on hand-made findings, events and incidents with numbers worked out by hand: what causes the most
// incidents and complaints (per rule, per market, over a period, top N), time to acknowledge and to resolve
// per group and line (count, median, p90), findings breaching their SLA now — each within the caller's markets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { incidentHotspots, responseTimes, slaBreaches } from '../../src/incidents/reports.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const T = new Date('2026-03-02T09:00:00Z').getTime()
const at = (hours: number) => new Date(T + hours * 3_600_000)
const H = 3600

const ALL = { markets: null }
const SPB = { markets: ['SPB'] }

describe.each(backends)('incident reports on %s', (backend) => {
  let db: TestDatabase
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    db = await testDatabase(backend)
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Санкт-Петербург')`)
    const group = async (code: string, line: number) => (await db.sql.query<{ id: number }>(
      `INSERT INTO responsible_group (code, name, "supportLine") VALUES ($1, $2, $3) RETURNING id`, [code, `Группа ${code}`, line])).rows[0].id
    const g1 = await group('G1', 1)
    const g2 = await group('G2', 2)

    const finding = async (name: string, f: {
      rule: string; market: string | null; group: number | null; line: number | null; status: string
      ackDue?: number; due?: number; acknowledged?: number
    }) => {
      const { rows: [row] } = await db.sql.query<{ id: string }>(`
        INSERT INTO finding (fingerprint, "ruleId", severity, status, message, entities, "marketCode", "groupId", "supportLine",
          "firstSeenAt", "ackDueAt", "dueAt", "acknowledgedAt")
        VALUES ($1, $2, 'HIGH', $3::"FindingStatus", $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [`fp-${name}`, f.rule, f.status, `finding ${name}`, JSON.stringify([{ type: 'contract', key: `D-${name}` }]), f.market, f.group, f.line,
        at(0), f.ackDue === undefined ? null : at(f.ackDue), f.due === undefined ? null : at(f.due),
        f.acknowledged === undefined ? null : at(f.acknowledged)])
      ids[name] = row.id
    }
    await finding('f1', { rule: 'contract-overlap', market: 'MSK', group: g1, line: 1, status: 'RESOLVED', due: 2 })
    await finding('f2', { rule: 'contract-overlap', market: 'MSK', group: g1, line: 1, status: 'RESOLVED' })
    await finding('f3', { rule: 'contract-overlap', market: 'MSK', group: g1, line: 1, status: 'IN_PROGRESS', ackDue: 1, due: 30, acknowledged: 2 })
    await finding('f4', { rule: 'equipment-duplicate-serial', market: 'SPB', group: g2, line: 2, status: 'OPEN', ackDue: 4, due: 48 })
    await finding('f5', { rule: 'equipment-duplicate-serial', market: 'SPB', group: g2, line: 2, status: 'RESOLVED' })
    await finding('f6', { rule: 'address-incomplete', market: null, group: null, line: null, status: 'NEW', ackDue: 1 })
    await finding('f7', { rule: 'contract-overlap', market: 'SPB', group: g2, line: 3, status: 'ACKNOWLEDGED', ackDue: 1, due: 24, acknowledged: 0.5 })

    const event = (name: string, hours: number, action: string, from: string | null, to: string, actor = 'anna') => db.sql.query(
      `INSERT INTO finding_event ("findingId", at, actor, action, "fromStatus", "toStatus") VALUES ($1::uuid, $2, $3, $4, $5::"FindingStatus", $6::"FindingStatus")`,
      [ids[name], at(hours), actor, action, from, to])
    for (const name of Object.keys(ids)) await event(name, 0, 'detected', null, 'NEW', 'audit')
    await event('f1', 1, 'acknowledged', 'NEW', 'ACKNOWLEDGED')
    await event('f1', 1.5, 'commented', 'ACKNOWLEDGED', 'ACKNOWLEDGED')
    await event('f1', 5, 'resolved', 'ACKNOWLEDGED', 'RESOLVED')
    await event('f2', 3, 'acknowledged', 'NEW', 'ACKNOWLEDGED')
    await event('f2', 9, 'resolved', 'ACKNOWLEDGED', 'RESOLVED')
    // reopened and resolved again: the first resolve counts
    await event('f2', 12, 'reopened', 'RESOLVED', 'REOPENED')
    await event('f2', 20, 'resolved', 'REOPENED', 'RESOLVED')
    // started without acknowledging first: that is the acknowledgement
    await event('f3', 2, 'started', 'NEW', 'IN_PROGRESS')
    await event('f4', 1, 'assigned', 'NEW', 'NEW')
    await event('f5', 10, 'resolved', 'OPEN', 'RESOLVED', 'audit')
    await event('f7', 0.5, 'acknowledged', 'NEW', 'ACKNOWLEDGED')

    const incident = async (kind: string, ref: string, hours: number, findings: string[]) => {
      const { rows: [row] } = await db.sql.query<{ id: string }>(
        `INSERT INTO incident (kind, channel, "externalRef", "createdBy", "createdAt") VALUES ($1::"IncidentKind", 'PHONE', $2, 'test', $3) RETURNING id`,
        [kind, ref, at(hours)])
      for (const f of findings) {
        await db.sql.query(`INSERT INTO finding_incident ("findingId", "incidentId", origin, actor) VALUES ($1::uuid, $2::uuid, 'AUTO', 'test')`, [ids[f], row.id])
      }
    }
    await incident('INCIDENT', 'I1', 1, ['f1', 'f2'])
    await incident('INCIDENT', 'I2', 2, ['f1', 'f4'])
    await incident('COMPLAINT', 'C1', 3, ['f4'])
    await incident('COMPLAINT', 'C2', 4, ['f6'])
    await incident('INCIDENT', 'I3', 50, ['f7'])
  })
  afterAll(async () => { await db?.close() })

  const row = (key: string | null, incidents: number, complaints: number, findings: number) => ({ key, incidents, complaints, findings })

  it('rules and markets causing the most incidents and complaints: distinct counts, most first', async () => {
    expect(await incidentHotspots(db.sql, ALL)).toEqual({
      byRule: [row('contract-overlap', 3, 0, 3), row('equipment-duplicate-serial', 1, 1, 1), row('address-incomplete', 0, 1, 1)],
      byMarket: [row('SPB', 2, 1, 2), row('MSK', 2, 0, 2), row(null, 0, 1, 1)],
    })
  })

  it('over a period (since inclusive, until exclusive), top N, ties broken by incidents', async () => {
    expect(await incidentHotspots(db.sql, ALL, { until: at(24) })).toEqual({
      byRule: [row('contract-overlap', 2, 0, 2), row('equipment-duplicate-serial', 1, 1, 1), row('address-incomplete', 0, 1, 1)],
      byMarket: [row('MSK', 2, 0, 2), row('SPB', 1, 1, 1), row(null, 0, 1, 1)],
    })
    expect(await incidentHotspots(db.sql, ALL, { since: at(2), until: at(4) })).toEqual({
      byRule: [row('equipment-duplicate-serial', 1, 1, 1), row('contract-overlap', 1, 0, 1)],
      byMarket: [row('SPB', 1, 1, 1), row('MSK', 1, 0, 1)],
    })
    expect(await incidentHotspots(db.sql, ALL, { top: 1 })).toEqual({ byRule: [row('contract-overlap', 3, 0, 3)], byMarket: [row('SPB', 2, 1, 2)] })
  })

  it('a key limited to SPB counts only through SPB findings', async () => {
    expect(await incidentHotspots(db.sql, SPB)).toEqual({
      byRule: [row('equipment-duplicate-serial', 1, 1, 1), row('contract-overlap', 1, 0, 1)],
      byMarket: [row('SPB', 2, 1, 2)],
    })
    expect(await incidentHotspots(db.sql, { markets: ['SPB'], market: 'MSK' })).toEqual({ byRule: [], byMarket: [] })
    expect(await incidentHotspots(db.sql, { markets: null, market: 'MSK' })).toEqual({
      byRule: [row('contract-overlap', 2, 0, 2)], byMarket: [row('MSK', 2, 0, 2)],
    })
  })

  it('time to acknowledge and to resolve per group and line: count, median, p90; open and unacknowledged now', async () => {
    expect(await responseTimes(db.sql, ALL)).toEqual([
      {
        groupCode: 'G1', groupName: 'Группа G1', line: 1,
        // 1 h, 2 h (started), 3 h: p90 = 2 h + 0.8 · 1 h
        acknowledge: { count: 3, medianSeconds: 2 * H, p90Seconds: 2.8 * H },
        // 5 h, 9 h: median 7 h, p90 = 5 h + 0.9 · 4 h
        resolve: { count: 2, medianSeconds: 7 * H, p90Seconds: 8.6 * H },
        open: 1, unacknowledged: 0,
      },
      {
        groupCode: 'G2', groupName: 'Группа G2', line: 2,
        acknowledge: { count: 0, medianSeconds: null, p90Seconds: null },
        resolve: { count: 1, medianSeconds: 10 * H, p90Seconds: 10 * H },
        open: 1, unacknowledged: 1,
      },
      {
        groupCode: 'G2', groupName: 'Группа G2', line: 3,
        acknowledge: { count: 1, medianSeconds: 0.5 * H, p90Seconds: 0.5 * H },
        resolve: { count: 0, medianSeconds: null, p90Seconds: null },
        open: 1, unacknowledged: 0,
      },
      {
        groupCode: null, groupName: null, line: null,
        acknowledge: { count: 0, medianSeconds: null, p90Seconds: null },
        resolve: { count: 0, medianSeconds: null, p90Seconds: null },
        open: 1, unacknowledged: 1,
      },
    ])
  })

  it('response times over a period count the acknowledgements and resolves that happened in it; a scoped key sees its markets only', async () => {
    const inPeriod = await responseTimes(db.sql, ALL, { since: at(2.5), until: at(9.5) })
    expect(inPeriod.map((r) => [r.groupCode, r.line, r.acknowledge.count, r.acknowledge.medianSeconds, r.resolve.count, r.resolve.medianSeconds, r.open])).toEqual([
      ['G1', 1, 1, 3 * H, 2, 7 * H, 1],
      ['G2', 2, 0, null, 0, null, 1],
      ['G2', 3, 0, null, 0, null, 1],
      [null, null, 0, null, 0, null, 1],
    ])
    const spb = await responseTimes(db.sql, SPB)
    expect(spb.map((r) => [r.groupCode, r.line, r.acknowledge.count, r.resolve.count, r.open, r.unacknowledged])).toEqual([
      ['G2', 2, 0, 1, 1, 1],
      ['G2', 3, 1, 0, 1, 0],
    ])
    expect(await responseTimes(db.sql, { markets: ['SPB'], market: 'MSK' })).toEqual([])
  })

  it('findings breaching their SLA now: not acknowledged past ack-by, or past resolve-by; most late first', async () => {
    const now = at(26)
    const { total, breaches } = await slaBreaches(db.sql, ALL, { now })
    expect(total).toBe(3)
    expect(breaches.map((b) => [b.fingerprint, b.acknowledgeLateSeconds, b.resolveLateSeconds, b.lateSeconds])).toEqual([
      ['fp-f6', 25 * H, null, 25 * H],
      ['fp-f4', 22 * H, null, 22 * H],
      // acknowledged in time does not matter once resolve-by has passed
      ['fp-f7', null, 2 * H, 2 * H],
    ])
    expect(breaches[1]).toMatchObject({ ruleId: 'equipment-duplicate-serial', status: 'OPEN', marketCode: 'SPB', groupCode: 'G2', line: 2, escalationLevel: 0 })
    expect(breaches[1].ackDueAt!.toISOString()).toBe(at(4).toISOString())

    const firstTwo = await slaBreaches(db.sql, ALL, { now, limit: 2 })
    expect([firstTwo.total, firstTwo.breaches.map((b) => b.fingerprint)]).toEqual([3, ['fp-f6', 'fp-f4']])
    const spb = await slaBreaches(db.sql, SPB, { now })
    expect([spb.total, spb.breaches.map((b) => b.fingerprint)]).toEqual([2, ['fp-f4', 'fp-f7']])
    // later both of f4's deadlines have passed: the larger lateness counts
    const later = await slaBreaches(db.sql, SPB, { now: at(50) })
    expect(later.breaches.map((b) => [b.fingerprint, b.acknowledgeLateSeconds, b.resolveLateSeconds, b.lateSeconds])).toEqual([
      ['fp-f4', 46 * H, 2 * H, 46 * H],
      ['fp-f7', null, 26 * H, 26 * H],
    ])
    expect(await slaBreaches(db.sql, ALL, { now: at(0.5) })).toEqual({ total: 0, breaches: [] })
  })
})
