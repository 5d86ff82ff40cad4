// The findings lifecycle on real databases, with hand-made detections: what each run does to each
// finding, that every change is an event, what people may do, and that a failing run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, InputError, NotFoundError } from '../../src/errors.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import {
  acknowledgeFinding, commentFinding, effectiveLastSeen, lastSeenOf, reconcileFindings, reopenFinding, resolveFinding, ruleSeenTimes,
  settleLastSeen, startFinding, waiveFinding, type ReconcileScope,
} from '../../src/engine/findings.ts'
import type { DetectedFinding, Severity } from '../../src/engine/types.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

function detected(ruleId: string, keys: string[], extra: Partial<DetectedFinding> = {}): DetectedFinding {
  return {
    ruleId,
    entities: keys.map((key): EntityRef => ({ type: 'equipment', key })),
    message: `${ruleId}: ${keys.join(', ')}`,
    data: { count: keys.length },
    details: {},
    marketCode: 'MSK',
    equipmentTypeCode: null,
    ...extra,
  }
}

const scope = (ruleIds: string[], market?: string, severity: Severity = 'HIGH'): ReconcileScope =>
  ({ rules: ruleIds.map((id) => ({ id, severity })), market })

describe('fingerprint', () => {
  it('depends on the rule and the set of entities, not on their order or on repeats', () => {
    const a: EntityRef = { type: 'contract', key: 'D-1' }
    const b: EntityRef = { type: 'contract', key: 'D-2' }
    expect(fingerprint('contract-overlap', [a, b])).toBe(fingerprint('contract-overlap', [b, a, b]))
    expect(fingerprint('contract-overlap', [a, b])).not.toBe(fingerprint('contract-invalid-period', [a, b]))
    expect(fingerprint('r', [{ type: 'equipment', key: 'a,b' }])).not.toBe(fingerprint('r', [{ type: 'equipment', key: 'a' }, { type: 'equipment', key: 'b' }]))
    expect(fingerprint('r', [a])).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe.each(backends)('findings lifecycle on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  async function run(ruleIds: string[], findings: DetectedFinding[], market?: string, severity?: Severity) {
    const r = await db.prisma.auditRun.create({ data: { trigger: 'CLI', actor: 'tester', rules: ruleIds, asOf: new Date('2026-01-31'), marketCode: market } })
    const counts = await reconcileFindings(db.sql, { id: r.id, actor: 'tester' }, scope(ruleIds, market, severity), findings)
    return { runId: r.id, counts }
  }
  const status = async (ruleId: string, keys: string[]) =>
    (await db.prisma.finding.findUniqueOrThrow({ where: { fingerprint: fingerprint(ruleId, keys.map((key) => ({ type: 'equipment' as const, key }))) } }))
  const history = async (id: string) =>
    (await db.prisma.findingEvent.findMany({ where: { findingId: id }, orderBy: { id: 'asc' } })).map((e) => [e.action, e.fromStatus, e.toStatus])

  it('NEW on first sight, OPEN on the second, RESOLVED when gone, REOPENED when back — every change an event', async () => {
    const R = 'lc-basic'
    const x = detected(R, ['E-1', 'E-2'])
    const y = detected(R, ['E-3', 'E-4'])

    const first = await run([R], [x, y])
    expect(first.counts).toEqual({ new: 2, open: 2, resolved: 0, reopened: 0 })
    const fx = await status(R, ['E-1', 'E-2'])
    expect(fx).toMatchObject({ status: 'NEW', ruleId: R, severity: 'HIGH', message: x.message, firstRunId: first.runId, lastRunId: first.runId, marketCode: 'MSK' })
    expect(fx.entities).toEqual([{ type: 'equipment', key: 'E-1' }, { type: 'equipment', key: 'E-2' }])
    const subjects = await db.prisma.findingEntity.findMany({ where: { findingId: fx.id }, orderBy: { entityKey: 'asc' } })
    expect(subjects.map((s) => [s.entityType, s.entityKey])).toEqual([['equipment', 'E-1'], ['equipment', 'E-2']])

    // the same collision reported in another order, with a new message and severity, is the same finding
    const second = await run([R], [{ ...x, entities: [...x.entities].reverse(), message: 'reworded' }, y], undefined, 'CRITICAL')
    expect(second.counts).toEqual({ new: 0, open: 2, resolved: 0, reopened: 0 })
    expect(await status(R, ['E-1', 'E-2'])).toMatchObject({ status: 'OPEN', message: 'reworded', severity: 'CRITICAL', firstRunId: first.runId, lastRunId: second.runId })

    const third = await run([R], [y])
    expect(third.counts).toEqual({ new: 0, open: 1, resolved: 1, reopened: 0 })
    const gone = await status(R, ['E-1', 'E-2'])
    expect(gone.status).toBe('RESOLVED')
    expect(gone.resolvedAt).toBeInstanceOf(Date)
    expect(gone.lastRunId).toBe(second.runId)

    const fourth = await run([R], [x, y])
    expect(fourth.counts).toEqual({ new: 0, open: 2, resolved: 0, reopened: 1 })
    const back = await status(R, ['E-1', 'E-2'])
    expect(back.status).toBe('REOPENED')
    expect(back.resolvedAt).toBeNull()
    // a reopened finding seen again stays REOPENED: nobody has looked at it yet
    await run([R], [x, y])
    expect((await status(R, ['E-1', 'E-2'])).status).toBe('REOPENED')

    expect(await history(fx.id)).toEqual([
      ['detected', null, 'NEW'], ['confirmed', 'NEW', 'OPEN'], ['resolved', 'OPEN', 'RESOLVED'], ['reopened', 'RESOLVED', 'REOPENED'],
    ])
    const events = await db.prisma.findingEvent.findMany({ where: { findingId: fx.id }, orderBy: { id: 'asc' } })
    expect(events.map((e) => e.runId)).toEqual([first.runId, second.runId, third.runId, fourth.runId])
    expect(events.every((e) => e.actor === 'tester' && e.reason)).toBe(true)
  })

  it('a run that only confirms open findings writes none of them: the rule_seen row says when they were seen', async () => {
    const R = 'lc-seen'
    const [x, y, z] = [detected(R, ['S-1']), detected(R, ['S-2']), detected(R, ['S-3'], { marketCode: 'SPB' })]
    await run([R], [x, y, z])
    await run([R], [x, y, z]) // NEW → OPEN: written, each an event
    const group = await db.prisma.responsibleGroup.create({ data: { code: 'lc-seen-group', name: 'g', supportLine: 1 } })
    await db.sql.query(`UPDATE finding SET "groupId" = $1 WHERE "ruleId" = $2`, [group.id, R])
    const rows = () => db.sql.query<{ fingerprint: string; updatedAt: Date; lastSeenAt: Date; lastRunId: string }>(
      `SELECT fingerprint, "updatedAt", "lastSeenAt", "lastRunId" FROM finding WHERE "ruleId" = $1 ORDER BY fingerprint`, [R]).then((r) => r.rows)
    const seenAt = async (keys: string[]) => {
      const fp = fingerprint(R, keys.map((key) => ({ type: 'equipment' as const, key })))
      const sqlValue = (await db.sql.query<{ v: Date }>(`SELECT ${effectiveLastSeen('f')} AS v FROM finding f WHERE fingerprint = $1`, [fp])).rows[0].v
      const f = await db.prisma.finding.findUniqueOrThrow({ where: { fingerprint: fp } })
      expect(lastSeenOf(f, await ruleSeenTimes(db.sql))).toEqual(sqlValue)
      return sqlValue
    }
    const before = await rows()
    const events = await db.prisma.findingEvent.count()
    const third = await run([R], [x, y, z])
    expect(third.counts).toEqual({ new: 0, open: 3, resolved: 0, reopened: 0 })
    expect(await rows()).toEqual(before)
    expect(await db.prisma.findingEvent.count()).toBe(events)
    const { seenAt: thirdAt } = await db.prisma.ruleSeen.findUniqueOrThrow({ where: { ruleId_market: { ruleId: R, market: '' } } })
    expect(await seenAt(['S-1'])).toEqual(thirdAt)
    expect(thirdAt.getTime()).toBeGreaterThan(before[0].lastSeenAt.getTime())

    // a market's run vouches for that market's findings only
    await new Promise((r) => setTimeout(r, 5))
    await run([R], [z], 'SPB')
    const { seenAt: spbAt } = await db.prisma.ruleSeen.findUniqueOrThrow({ where: { ruleId_market: { ruleId: R, market: 'SPB' } } })
    expect(await seenAt(['S-3'])).toEqual(spbAt)
    expect(await seenAt(['S-1'])).toEqual(thirdAt)

    // closed by a person, it keeps the time it was last seen; reopened by a person, the runs before did not see it open
    await new Promise((r) => setTimeout(r, 5))
    await resolveFinding(db, fingerprint(R, x.entities), { actor: 'p', comment: 'fixed' })
    expect(await seenAt(['S-1'])).toEqual(thirdAt)
    expect((await status(R, ['S-1'])).lastSeenAt).toEqual(thirdAt)
    await reopenFinding(db, fingerprint(R, x.entities), { actor: 'p' })
    expect(await seenAt(['S-1'])).toEqual(thirdAt)
    // resolved by a run that no longer sees it: the same
    await run([R], [x, z])
    const resolvedY = await status(R, ['S-2'])
    expect(resolvedY.status).toBe('RESOLVED')
    expect(resolvedY.lastSeenAt).toEqual(thirdAt)
    const fifth = await db.prisma.ruleSeen.findUniqueOrThrow({ where: { ruleId_market: { ruleId: R, market: '' } } })
    expect(await seenAt(['S-1'])).toEqual(fifth.seenAt)
    // reopened by a person after runs that did not see it: none of them counts
    await new Promise((r) => setTimeout(r, 5))
    await reopenFinding(db, fingerprint(R, y.entities), { actor: 'p' })
    expect(await seenAt(['S-2'])).toEqual(thirdAt)

    // sorting by last seen: the stored times catch up once, and then say what effectiveLastSeen says
    expect(await settleLastSeen(db.sql)).toBeGreaterThan(0)
    const stored = await db.sql.query<{ same: boolean }>(`SELECT bool_and("lastSeenAt" = ${effectiveLastSeen('f')}) AS same FROM finding f WHERE "ruleId" = $1`, [R])
    expect(stored.rows[0].same).toBe(true)
    expect(await settleLastSeen(db.sql)).toBe(0)
  })

  it('keeps people statuses while the collision is seen, and resolves them when it is gone', async () => {
    const R = 'lc-people-kept'
    const a = detected(R, ['P-1'])
    const b = detected(R, ['P-2'])
    await run([R], [a, b])
    await acknowledgeFinding(db, fingerprint(R, a.entities), { actor: 'nsi' })
    await startFinding(db, fingerprint(R, b.entities), { actor: 'nsi' })
    const again = await run([R], [a, b])
    expect(again.counts).toEqual({ new: 0, open: 2, resolved: 0, reopened: 0 })
    expect((await status(R, ['P-1'])).status).toBe('ACKNOWLEDGED')
    expect((await status(R, ['P-2'])).status).toBe('IN_PROGRESS')
    const gone = await run([R], [])
    expect(gone.counts).toEqual({ new: 0, open: 0, resolved: 2, reopened: 0 })
  })

  it('a waived finding stays waived and out of the open count while its waiver holds', async () => {
    const R = 'lc-waiver'
    const w = detected(R, ['W-1'])
    await run([R], [w])
    const waived = await waiveFinding(db, fingerprint(R, w.entities), { actor: 'nsi', reason: 'known: legacy stock', until: new Date(Date.now() + 86_400_000) })
    expect(waived.status).toBe('WAIVED')
    const seen = await run([R], [w])
    expect(seen.counts).toEqual({ new: 0, open: 0, resolved: 0, reopened: 0 })
    expect((await status(R, ['W-1'])).status).toBe('WAIVED')
    // not detected either: the waiver still holds, so nothing to resolve
    const unseen = await run([R], [])
    expect(unseen.counts.resolved).toBe(0)
    expect((await status(R, ['W-1'])).status).toBe('WAIVED')
  })

  it('an expired waiver brings the finding back (REOPENED), or RESOLVED when the collision is gone', async () => {
    const R = 'lc-waiver-expired'
    const a = detected(R, ['X-1'])
    const b = detected(R, ['X-2'])
    await run([R], [a, b])
    for (const f of [a, b]) await waiveFinding(db, fingerprint(R, f.entities), { actor: 'nsi', reason: 'until the migration', until: new Date(Date.now() + 60_000) })
    await db.sql.query(`UPDATE waiver SET "expiresAt" = now() - interval '1 day' WHERE "findingId" IN (SELECT id FROM finding WHERE "ruleId" = $1)`, [R])
    const after = await run([R], [a])
    expect(after.counts).toEqual({ new: 0, open: 1, resolved: 1, reopened: 1 })
    const fa = await status(R, ['X-1'])
    expect(fa.status).toBe('REOPENED')
    expect((await history(fa.id)).at(-1)).toEqual(['waiver-expired', 'WAIVED', 'REOPENED'])
    const fb = await status(R, ['X-2'])
    expect(fb.status).toBe('RESOLVED')
    expect((await history(fb.id)).at(-1)).toEqual(['resolved', 'WAIVED', 'RESOLVED'])
  })

  it('a market-scoped run resolves only its market, and a run resolves only its own rules', async () => {
    const R = 'lc-market'
    const other = 'lc-market-other-rule'
    const msk = detected(R, ['M-1'], { marketCode: 'MSK' })
    const spb = detected(R, ['M-2'], { marketCode: 'SPB' })
    const none = detected(R, ['M-3'], { marketCode: null })
    const otherRule = detected(other, ['M-4'], { marketCode: 'MSK' })
    await run([R, other], [msk, spb, none, otherRule])
    const scoped = await run([R], [], 'MSK')
    expect(scoped.counts).toEqual({ new: 0, open: 0, resolved: 1, reopened: 0 })
    expect((await status(R, ['M-1'])).status).toBe('RESOLVED')
    expect((await status(R, ['M-2'])).status).toBe('NEW')
    expect((await status(R, ['M-3'])).status).toBe('NEW')
    expect((await status(other, ['M-4'])).status).toBe('NEW')
  })

  it('people transitions are validated and each is an event with actor and reason', async () => {
    const R = 'lc-people'
    const f = detected(R, ['H-1'])
    await run([R], [f])
    const fp = fingerprint(R, f.entities)

    const acked = await acknowledgeFinding(db, fp, { actor: 'anna', reason: 'looking' })
    expect(acked.status).toBe('ACKNOWLEDGED')
    expect(acked.acknowledgedAt).toBeInstanceOf(Date)
    await expect(acknowledgeFinding(db, fp, { actor: 'anna' })).rejects.toThrow(ConflictError)
    expect((await startFinding(db, acked.id, { actor: 'anna' })).status).toBe('IN_PROGRESS')
    await commentFinding(db, fp, { actor: 'boris', text: 'called the warehouse' })
    await expect(resolveFinding(db, fp, { actor: 'anna', comment: ' ' })).rejects.toThrow(InputError)
    const resolved = await resolveFinding(db, fp, { actor: 'anna', comment: 'serial corrected in the source system' })
    expect(resolved.status).toBe('RESOLVED')
    expect(resolved.resolvedAt).toBeInstanceOf(Date)
    await expect(startFinding(db, fp, { actor: 'anna' })).rejects.toThrow(/нельзя взять в работу находку .*: её статус «устранено»/)
    await expect(waiveFinding(db, fp, { actor: 'anna', reason: 'x' })).rejects.toThrow(ConflictError)
    expect((await reopenFinding(db, fp, { actor: 'boris', reason: 'still wrong on site' })).status).toBe('REOPENED')
    await expect(waiveFinding(db, fp, { actor: 'anna', reason: 'x', until: new Date(Date.now() - 1000) })).rejects.toThrow(InputError)
    await expect(waiveFinding(db, fp, { actor: 'anna', reason: '' })).rejects.toThrow(InputError)
    const waived = await waiveFinding(db, fp, { actor: 'anna', reason: 'accepted risk' })
    expect(waived.status).toBe('WAIVED')
    const reopened = await reopenFinding(db, fp, { actor: 'boris' })
    expect(reopened.status).toBe('REOPENED')
    const waivers = await db.prisma.waiver.findMany({ where: { findingId: reopened.id } })
    expect(waivers).toHaveLength(1)
    expect(waivers[0]).toMatchObject({ reason: 'accepted risk', actor: 'anna', expiresAt: null })
    expect(waivers[0].revokedAt).toBeInstanceOf(Date)
    await expect(acknowledgeFinding(db, 'no-such-finding', { actor: 'anna' })).rejects.toThrow(NotFoundError)
    await expect(acknowledgeFinding(db, '00000000-0000-0000-0000-000000000000', { actor: 'anna' })).rejects.toThrow(NotFoundError)

    const events = await db.prisma.findingEvent.findMany({ where: { findingId: reopened.id }, orderBy: { id: 'asc' } })
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus, e.actor, e.reason])).toEqual([
      ['detected', null, 'NEW', 'tester', 'first detected'],
      ['acknowledged', 'NEW', 'ACKNOWLEDGED', 'anna', 'looking'],
      ['started', 'ACKNOWLEDGED', 'IN_PROGRESS', 'anna', null],
      ['commented', 'IN_PROGRESS', 'IN_PROGRESS', 'boris', 'called the warehouse'],
      ['resolved', 'IN_PROGRESS', 'RESOLVED', 'anna', 'serial corrected in the source system'],
      ['reopened', 'RESOLVED', 'REOPENED', 'boris', 'still wrong on site'],
      ['waived', 'REOPENED', 'WAIVED', 'anna', 'accepted risk'],
      ['reopened', 'WAIVED', 'REOPENED', 'boris', null],
    ])
    expect(events.filter((e) => e.action !== 'detected').every((e) => e.runId === null)).toBe(true)

    // a person's RESOLVED is reopened by the next run that still sees the collision
    await resolveFinding(db, fp, { actor: 'anna', comment: 'thought it was fixed' })
    expect((await run([R], [f])).counts.reopened).toBe(1)
  })

  it('a run that fails halfway leaves every finding, subject and event as it was', async () => {
    const R = 'lc-atomic'
    const a = detected(R, ['Z-1'])
    const b = detected(R, ['Z-2'])
    await run([R], [a, b])
    const snapshot = async () => ({
      findings: (await db.sql.query(`SELECT fingerprint, status, "lastRunId", message FROM finding WHERE "ruleId" = $1 ORDER BY fingerprint`, [R])).rows,
      events: (await db.sql.query(`SELECT count(*)::int AS n FROM finding_event e JOIN finding f ON f.id = e."findingId" WHERE f."ruleId" = $1`, [R])).rows,
      subjects: (await db.sql.query(`SELECT count(*)::int AS n FROM finding_entity s JOIN finding f ON f.id = s."findingId" WHERE f."ruleId" = $1`, [R])).rows,
    })
    const before = await snapshot()
    // the seen-again update runs first; the new finding's NUL byte then makes the database refuse the insert
    const broken = detected(R, ['Z-3'], { message: 'broken \u0000 message' })
    await expect(run([R], [{ ...a, message: 'changed' }, broken])).rejects.toThrow()
    expect(await snapshot()).toEqual(before)
    // and a finding of a rule outside the run's scope is refused before anything is written
    await expect(run([R], [a, detected('lc-elsewhere', ['Z-9'])])).rejects.toThrow(/does not evaluate/)
    expect(await snapshot()).toEqual(before)
    // the database is usable afterwards
    expect((await run([R], [a, b])).counts).toEqual({ new: 0, open: 2, resolved: 0, reopened: 0 })
  })

  it('reconciles thousands of findings in a few statements', async () => {
    const R = 'lc-bulk'
    const many = Array.from({ length: 5000 }, (_, i) => detected(R, [`B-${i}`, `B-${i}-dup`]))
    const started = Date.now()
    expect((await run([R], many)).counts).toEqual({ new: 5000, open: 5000, resolved: 0, reopened: 0 })
    expect((await run([R], many.slice(0, 4000))).counts).toEqual({ new: 0, open: 4000, resolved: 1000, reopened: 0 })
    expect((await run([R], many)).counts).toEqual({ new: 0, open: 5000, resolved: 0, reopened: 1000 })
    expect(Date.now() - started).toBeLessThan(30_000)
    const subjects = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM finding_entity s JOIN finding f ON f.id = s."findingId" WHERE f."ruleId" = $1`, [R])
    expect(subjects.rows[0].n).toBe(10_000)

    // a run around 1,200 subjects (staged in tables, past the inline size): only findings naming them move
    const around = many.slice(0, 1200).map((f) => f.entities[0])
    const r = await db.prisma.auditRun.create({ data: { trigger: 'INCREMENTAL', actor: 'tester', rules: [R], asOf: new Date('2026-01-31') } })
    const counts = await reconcileFindings(db.sql, { id: r.id, actor: 'tester' }, { rules: [{ id: R, severity: 'HIGH', subjects: around }] }, many.slice(0, 600))
    expect(counts).toEqual({ new: 0, open: 600, resolved: 600, reopened: 0 })
    const statuses = await db.sql.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM finding WHERE "ruleId" = $1 GROUP BY 1 ORDER BY 1`, [R])
    // B-0…B-599 seen again (OPEN), B-600…B-1199 resolved, B-4000… reopened by the run before, the rest untouched
    expect(statuses.rows).toEqual([{ status: 'OPEN', n: 3400 }, { status: 'REOPENED', n: 1000 }, { status: 'RESOLVED', n: 600 }])
  })

  it('a small run around a few subjects (inline, no staging tables) moves only the findings naming them', async () => {
    const R = 'lc-small-partial'
    const all = Array.from({ length: 20 }, (_, i) => detected(R, [`S-${i}`, `S-${i}-dup`]))
    expect((await run([R], all)).counts).toEqual({ new: 20, open: 20, resolved: 0, reopened: 0 })
    const r = await db.prisma.auditRun.create({ data: { trigger: 'INCREMENTAL', actor: 'tester', rules: [R], asOf: new Date('2026-01-31') } })
    const subjects = [0, 1, 2].map((i) => ({ type: 'equipment' as const, key: `S-${i}` }))
    const fresh = detected(R, ['S-0', 'S-new'])
    const counts = await reconcileFindings(db.sql, { id: r.id, actor: 'tester' }, { rules: [{ id: R, severity: 'HIGH', subjects }] }, [all[1], fresh])
    expect(counts).toEqual({ new: 1, open: 2, resolved: 2, reopened: 0 })
    expect((await status(R, ['S-0', 'S-0-dup'])).status).toBe('RESOLVED')
    expect((await status(R, ['S-1', 'S-1-dup'])).status).toBe('OPEN')
    expect((await status(R, ['S-2', 'S-2-dup'])).status).toBe('RESOLVED')
    expect((await status(R, ['S-3', 'S-3-dup'])).status).toBe('NEW')
    expect((await status(R, ['S-0', 'S-new'])).status).toBe('NEW')
  })
})
