// «Not a duplicate» marks on real databases: marking splits a duplicate finding at once, the split holds whatever
// joins the group, a full audit agrees with the re-checks, removing the mark brings the group (and its finding) back;
// events, rights, the market scope and refused input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed } from '../../src/errors.ts'
import { DISTINCT_RU } from '../../src/i18n/ru-distinct.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { createRecord } from '../../src/masterdata/write.ts'
import { listDistinctMarks, livePairs, markDistinct, removeDistinctMark } from '../../src/merge/distinct.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { distinctFixture as files } from './distinct-fixture.ts'

const asOf = '2026-01-31'
const actor = 'nsi'
const NSI: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }
const NSI_MSK: Principal = { keyId: 2, name: 'nsi-msk', role: 'NSI_SPECIALIST', markets: ['MSK'] }
const NSI_SPB: Principal = { keyId: 3, name: 'nsi-spb', role: 'NSI_SPECIALIST', markets: ['SPB'] }
const AGENT: Principal = { keyId: 4, name: 'agent', role: 'SUPPORT_AGENT', markets: null }

const refs = (type: EntityRef['type'], keys: string[]) => keys.map((key): EntityRef => ({ type, key }))
const fp = (ruleId: string, type: EntityRef['type'], keys: string[]) => fingerprint(ruleId, refs(type, keys))
const ADDR = (keys: string[]) => fp('address-duplicate', 'address', keys)
const CUST = (keys: string[]) => fp('customer-duplicate', 'customer', keys)

for (const backend of backends) {
  describe(`not a duplicate (${backend})`, () => {
    let db: TestDatabase

    beforeAll(async () => {
      db = await testDatabase(backend)
      const summary = await importDirectory(db, writeFiles(tempDir(), files()))
      expect(summary.files.every((f) => f.rejected === 0)).toBe(true)
      await runAudit(db, { trigger: 'CLI', actor, asOf })
    }, 60_000)
    afterAll(async () => { await db?.close() })

    const statusOf = async (print: string) =>
      (await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM finding WHERE fingerprint = $1`, [print])).rows[0]?.status ?? null
    const idOf = async (print: string) =>
      (await db.sql.query<{ id: string }>(`SELECT id::text AS id FROM finding WHERE fingerprint = $1`, [print])).rows[0].id
    /** open findings of a duplicate rule, as their subjects' keys (but the group of the K- customers, a test of its own) */
    const openGroups = async (ruleId: string) => (await db.sql.query<{ keys: string }>(
      `SELECT string_agg(e->>'key', ',' ORDER BY e->>'key') AS keys FROM finding f, jsonb_array_elements(f.entities) e
        WHERE f."ruleId" = $1 AND f.status::text = ANY($2::text[]) GROUP BY f.id`, [ruleId, [...OPEN_STATUSES]])).rows.map((r) => r.keys)
      .filter((keys) => !keys.startsWith('K-')).sort()
    /** stored open findings against a full detection of the same data */
    const expectSameAsFull = async () => {
      const rules = (await loadCatalog()).rules.filter((r) => r.enabled)
      const { findings } = await runDetection(db, rules, { asOf })
      const { rows } = await db.sql.query<{ fingerprint: string }>(
        `SELECT fingerprint FROM finding WHERE status::text = ANY($1::text[])`, [[...OPEN_STATUSES]])
      expect(rows.map((r) => r.fingerprint).sort()).toEqual(findings.map((f) => fingerprint(f.ruleId, f.entities)).sort())
    }

    it('the fixture gives one group of three addresses and one of three customers', async () => {
      expect(await openGroups('address-duplicate')).toEqual(['A-1,A-3,A-4'])
      expect(await openGroups('customer-duplicate')).toEqual(['C-1,C-3,C-4'])
      expect(await statusOf(ADDR(['A-1', 'A-3', 'A-4']))).toBe('NEW')
    })

    it('refuses bad input in Russian: keys not in the finding, one key, a repeated key, an empty reason, another rule\'s finding', async () => {
      const findingId = await idOf(ADDR(['A-1', 'A-3', 'A-4']))
      const problems = async (input: { findingId: string; keys: string[]; reason: string }) => {
        const e = await markDistinct(db, NSI, input, { actor, asOf }).then(() => null, (err: unknown) => err)
        expect(e).toBeInstanceOf(ValidationFailed)
        return (e as ValidationFailed).problems
      }
      expect(await problems({ findingId, keys: ['A-1', 'A-2'], reason: 'разные' }))
        .toEqual([{ field: 'keys', code: 'NOT_IN_FINDING', message: DISTINCT_RU.notInFinding(['A-2'], ['A-1', 'A-3', 'A-4']) }])
      expect(await problems({ findingId, keys: ['A-1'], reason: 'разные' })).toEqual([{ field: 'keys', code: 'TOO_FEW', message: 'укажите не меньше двух записей находки' }])
      expect(await problems({ findingId, keys: ['A-1', 'A-1'], reason: 'разные' })).toMatchObject([{ field: 'keys', code: 'DUPLICATE' }])
      expect(await problems({ findingId, keys: ['A-1', 'A-3'], reason: '   ' })).toEqual([{ field: 'reason', code: 'REQUIRED', message: 'укажите причину: почему это разные записи' }])
      expect(await problems({ findingId, keys: ['A-1', 'A-3'], reason: 'я'.repeat(1001) })).toMatchObject([{ field: 'reason', code: 'TOO_LONG' }])
      const other = (await db.sql.query<{ id: string; ruleId: string }>(
        `SELECT id::text AS id, "ruleId" FROM finding WHERE "ruleId" NOT LIKE '%-duplicate' LIMIT 1`)).rows[0]
      expect(other).toBeDefined()
      expect(await problems({ findingId: other.id, keys: ['A-1', 'A-3'], reason: 'разные' }))
        .toEqual([{ field: 'findingId', code: 'NOT_DUPLICATE', message: DISTINCT_RU.notDuplicateFinding(other.ruleId) }])
      expect((await db.sql.query('SELECT 1 FROM distinct_mark')).rows).toHaveLength(0)
    })

    it('rights: a support agent is refused; a key of another market finds no such finding, in the words used for none at all', async () => {
      const findingId = await idOf(ADDR(['A-1', 'A-3', 'A-4']))
      const input = { findingId, keys: ['A-1', 'A-3'], reason: 'разные квартиры' }
      await expect(markDistinct(db, AGENT, input, { actor })).rejects.toBeInstanceOf(ForbiddenError)
      const hidden = await markDistinct(db, NSI_SPB, input, { actor }).then(() => null, (e: unknown) => e)
      const missing = await markDistinct(db, NSI_SPB, { ...input, findingId: '00000000-0000-4000-8000-000000000000' }, { actor }).then(() => null, (e: unknown) => e)
      expect(hidden).toBeInstanceOf(NotFoundError)
      expect(missing).toBeInstanceOf(NotFoundError)
      expect((hidden as Error).message).toBe(DISTINCT_RU.findingNotFound(findingId))
      expect((missing as Error).message).toBe(DISTINCT_RU.findingNotFound('00000000-0000-4000-8000-000000000000'))
      expect((await db.sql.query('SELECT 1 FROM distinct_mark')).rows).toHaveLength(0)
    })

    it('marking A-1 and A-3 splits the group at once: {A-1,A-3,A-4} resolves, {A-1,A-4} and {A-3,A-4} appear', async () => {
      const whole = ADDR(['A-1', 'A-3', 'A-4'])
      const findingId = await idOf(whole)
      // a key of the finding's market may mark it
      const done = await markDistinct(db, NSI_MSK, { findingId, keys: ['A-3', 'A-1'], reason: '  разные квартиры: 12 и 12а  ' }, { actor, asOf })
      expect(done.marks).toHaveLength(1)
      expect(done.marks[0]).toMatchObject({ type: 'address', keys: ['A-1', 'A-3'], reason: 'разные квартиры: 12 и 12а', actor, findingId, removedAt: null })
      expect(done.resolved.map((f) => f.fingerprint)).toContain(whole)
      expect(done.caused.map((f) => f.fingerprint).sort()).toEqual([ADDR(['A-1', 'A-4']), ADDR(['A-3', 'A-4'])].sort())
      expect(await statusOf(whole)).toBe('RESOLVED')
      expect(await openGroups('address-duplicate')).toEqual(['A-1,A-4', 'A-3,A-4'])
      expect(await livePairs(db.sql, 'address')).toEqual(new Set(['A-1\u0000A-3']))
      await expectSameAsFull()

      const { rows: events } = await db.sql.query<{ action: string; actor: string; reason: string | null; data: Record<string, unknown> }>(
        `SELECT action, actor, reason, data FROM finding_event WHERE "findingId" = $1::uuid ORDER BY at, id`, [findingId])
      const marked = events.find((e) => e.action === 'marked-distinct')
      expect(marked).toMatchObject({ actor, reason: 'разные квартиры: 12 и 12а', data: { markIds: [done.marks[0].id], keptIds: [], keys: ['A-1', 'A-3'] } })
      expect(events.map((e) => e.action).slice(-2)).toEqual(['marked-distinct', 'resolved'])
    })

    it('a pair marked already is kept, not marked twice, and reported', async () => {
      const findingId = await idOf(ADDR(['A-1', 'A-3', 'A-4']))
      const [first] = await listDistinctMarks(db.sql, NSI, { type: 'address' })
      const again = await markDistinct(db, NSI, { findingId, keys: ['A-1', 'A-3'], reason: 'ещё раз' }, { actor, asOf })
      expect(again.marks.map((m) => m.id)).toEqual([first.id])
      expect(again.marks[0].reason).toBe('разные квартиры: 12 и 12а')
      expect(again.caused).toEqual([])
      expect((await db.sql.query(`SELECT 1 FROM distinct_mark`)).rows).toHaveLength(1)
    })

    it('a full audit after marking keeps exactly what the re-check left', async () => {
      const before = await openGroups('address-duplicate')
      await runAudit(db, { trigger: 'CLI', actor, asOf })
      expect(await openGroups('address-duplicate')).toEqual(before)
      await expectSameAsFull()
    })

    it('removing the mark brings the group back as one: its old finding reopens, the parts resolve', async () => {
      const [mark] = await listDistinctMarks(db.sql, NSI, { type: 'address' })
      await expect(removeDistinctMark(db, AGENT, mark.id, { actor })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(removeDistinctMark(db, NSI_SPB, mark.id, { actor })).rejects.toThrow(DISTINCT_RU.markNotFound(mark.id))
      const done = await removeDistinctMark(db, NSI, mark.id, { actor, asOf, reason: 'ошиблись: одна квартира' })
      expect(done.mark).toMatchObject({ id: mark.id, removedBy: actor, removeReason: 'ошиблись: одна квартира' })
      expect(done.mark.removedAt).toBeInstanceOf(Date)
      const whole = ADDR(['A-1', 'A-3', 'A-4'])
      expect(done.caused.map((f) => f.fingerprint)).toEqual([whole])
      expect(done.resolved.map((f) => f.fingerprint).sort()).toEqual([ADDR(['A-1', 'A-4']), ADDR(['A-3', 'A-4'])].sort())
      expect(await statusOf(whole)).toBe('REOPENED')
      expect(await openGroups('address-duplicate')).toEqual(['A-1,A-3,A-4'])
      await expectSameAsFull()
      const { rows } = await db.sql.query<{ action: string; reason: string; data: Record<string, unknown> }>(
        `SELECT action, reason, data FROM finding_event WHERE "findingId" = (SELECT id FROM finding WHERE fingerprint = $1) ORDER BY at, id`, [whole])
      expect(rows.map((e) => e.action).slice(-2)).toEqual(['distinct-mark-removed', 'reopened'])
      expect(rows.at(-2)).toMatchObject({ reason: 'ошиблись: одна квартира', data: { markId: mark.id, keys: ['A-1', 'A-3'] } })
      await expect(removeDistinctMark(db, NSI, mark.id, { actor })).rejects.toBeInstanceOf(ConflictError)
      // history stays: the removed mark is listed on request only
      expect(await listDistinctMarks(db.sql, NSI, { type: 'address' })).toEqual([])
      expect((await listDistinctMarks(db.sql, NSI, { type: 'address', includeRemoved: true })).map((m) => m.id)).toEqual([mark.id])
    })

    it('a new record joining the group never brings a marked pair together', async () => {
      const findingId = await idOf(ADDR(['A-1', 'A-3', 'A-4']))
      await markDistinct(db, NSI, { findingId, keys: ['A-1', 'A-3'], reason: 'разные квартиры' }, { actor, asOf })
      expect(await openGroups('address-duplicate')).toEqual(['A-1,A-4', 'A-3,A-4'])
      await createRecord(db, NSI, 'address', { code: 'A-5', text: 'Москва, ул Ленина, д 5, кв 12' }, { actor, asOf })
      expect(await openGroups('address-duplicate')).toEqual(['A-1,A-4,A-5', 'A-3,A-4,A-5'])
      await expectSameAsFull()
      await runAudit(db, { trigger: 'CLI', actor, asOf })
      expect(await openGroups('address-duplicate')).toEqual(['A-1,A-4,A-5', 'A-3,A-4,A-5'])
    })

    it('a customer group of one INN splits the same way, and all its pairs can be marked at once', async () => {
      const whole = CUST(['C-1', 'C-3', 'C-4'])
      const findingId = await idOf(whole)
      const done = await markDistinct(db, NSI, { findingId, keys: ['C-1', 'C-3'], reason: 'однофамильцы с ошибкой в ИНН' }, { actor, asOf })
      expect(done.marks.map((m) => m.keys)).toEqual([['C-1', 'C-3']])
      expect(done.resolved.map((f) => f.fingerprint)).toEqual([whole])
      expect(done.caused.map((f) => f.fingerprint).sort()).toEqual([CUST(['C-1', 'C-4']), CUST(['C-3', 'C-4'])].sort())
      expect(await openGroups('customer-duplicate')).toEqual(['C-1,C-4', 'C-3,C-4'])
      await expectSameAsFull()

      // every pair of the three: nothing is left to report, and the kept pair is said so
      const all = await markDistinct(db, NSI, { findingId, keys: ['C-4', 'C-3', 'C-1'], reason: 'три разных человека' }, { actor, asOf })
      expect(all.marks.map((m) => m.keys)).toEqual([['C-1', 'C-3'], ['C-1', 'C-4'], ['C-3', 'C-4']])
      expect(all.marks[0].id).toBe(done.marks[0].id)
      expect(await openGroups('customer-duplicate')).toEqual([])
      await runAudit(db, { trigger: 'CLI', actor, asOf })
      expect(await openGroups('customer-duplicate')).toEqual([])
      await expectSameAsFull()
    })

    it('keys are stored in the database\'s order, which is not JavaScript\'s past U+FFFF', async () => {
      const [wide, emoji] = ['K-\uFF21', 'K-\u{1F600}']
      const whole = CUST([wide, emoji])
      expect(await statusOf(whole)).toBe('OPEN')
      const done = await markDistinct(db, NSI, { findingId: await idOf(whole), keys: [emoji, wide], reason: 'две разные компании' }, { actor, asOf })
      expect(done.marks.map((m) => m.keys)).toEqual([[wide, emoji]])
      expect(done.resolved.map((f) => f.fingerprint)).toEqual([whole])
      expect(await statusOf(whole)).toBe('RESOLVED')
      await removeDistinctMark(db, NSI, done.marks[0].id, { actor, asOf })
      expect(await statusOf(whole)).toBe('REOPENED')
    })

    it('lists marks by type, record and finding; a key of another market sees none of them', async () => {
      const customerFinding = await idOf(CUST(['C-1', 'C-3', 'C-4']))
      expect((await listDistinctMarks(db.sql, NSI, { type: 'customer' })).map((m) => m.keys)).toEqual([['C-3', 'C-4'], ['C-1', 'C-4'], ['C-1', 'C-3']])
      expect((await listDistinctMarks(db.sql, NSI, { key: 'C-4' })).map((m) => m.keys)).toEqual([['C-3', 'C-4'], ['C-1', 'C-4']])
      expect((await listDistinctMarks(db.sql, NSI, { findingId: customerFinding })).every((m) => m.type === 'customer')).toBe(true)
      expect(await listDistinctMarks(db.sql, NSI_SPB, {})).toEqual([])
      expect((await listDistinctMarks(db.sql, NSI_MSK, {})).length).toBe(4)
      // paged newest first by id
      const page1 = await listDistinctMarks(db.sql, NSI, { first: 2 })
      const page2 = await listDistinctMarks(db.sql, NSI, { first: 2, after: String(page1[1].id) })
      expect(page1.length).toBe(2)
      expect(page2[0].id).toBeLessThan(page1[1].id)
    })
  })
}
