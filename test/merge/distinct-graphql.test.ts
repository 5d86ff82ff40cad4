// «Not a duplicate» over GraphQL: markDistinct and removeDistinctMark as result unions, the list distinctMarks,
// Finding.distinctMarks and the events on the finding; roles without mergeRecords are refused, a key of another
// market finds nothing, bad input comes back as ValidationFailed in Russian.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { DISTINCT_RU } from '../../src/i18n/ru-distinct.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { distinctFixture } from './distinct-fixture.ts'

const asOf = '2026-01-31'
const ADDR = (keys: string[]) => fingerprint('address-duplicate', keys.map((key) => ({ type: 'address' as const, key })))

const MARK = `mutation($input: MarkDistinctInput!) { markDistinct(input: $input) {
  __typename
  ... on MarkDistinctDone { marks { id type keys reason actor finding { fingerprint } removedAt } resolved { fingerprint status } caused { fingerprint status } recheckQueued }
  ... on ValidationFailed { problems { field code message } }
  ... on Error { message code }
} }`
const REMOVE = `mutation($id: ID!, $reason: String) { removeDistinctMark(id: $id, reason: $reason) {
  __typename
  ... on RemoveDistinctMarkDone { mark { id removedAt removedBy removeReason } resolved { fingerprint } caused { fingerprint status } }
  ... on Error { message code }
} }`

for (const backend of backends) {
  describe(`not a duplicate over GraphQL (${backend})`, () => {
    let db: TestDatabase
    let client: ReturnType<typeof graphqlClient>
    let findingId: string

    beforeAll(async () => {
      db = await testDatabase(backend)
      await importDirectory(db, writeFiles(tempDir(), distinctFixture()))
      await runAudit(db, { trigger: 'CLI', actor: 'cli', asOf })
      client = graphqlClient(db)
      findingId = (await db.sql.query<{ id: string }>(`SELECT id::text AS id FROM finding WHERE fingerprint = $1`, [ADDR(['A-1', 'A-3', 'A-4'])])).rows[0].id
    }, 60_000)
    afterAll(async () => { await db?.close() })

    it('roles without mergeRecords are refused; a key of another market finds no such finding', async () => {
      const input = { findingId, keys: ['A-1', 'A-3'], reason: 'разные квартиры' }
      for (const role of ['SUPPORT_AGENT', 'AUDITOR', 'SERVICE_DESK']) {
        const res = await client.request(MARK, { input }, await client.key(role))
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN')
        expect(res.data?.markDistinct ?? null).toBeNull()
      }
      const spb = await client.request(MARK, { input }, await client.key('NSI_SPECIALIST', ['SPB']))
      expect(spb.data.markDistinct).toEqual({ __typename: 'NotFound', message: DISTINCT_RU.findingNotFound(findingId), code: 'NOT_FOUND' })
      expect((await db.sql.query('SELECT 1 FROM distinct_mark')).rows).toHaveLength(0)
    })

    it('bad input is a ValidationFailed result in Russian', async () => {
      const key = await client.key('NSI_SPECIALIST')
      const res = await client.request(MARK, { input: { findingId, keys: ['A-1'], reason: ' ' } }, key)
      expect(res.data.markDistinct.__typename).toBe('ValidationFailed')
      expect(res.data.markDistinct.problems).toEqual([
        { field: 'reason', code: 'REQUIRED', message: DISTINCT_RU.reasonRequired },
        { field: 'keys', code: 'TOO_FEW', message: DISTINCT_RU.tooFewKeys },
      ])
      const outside = await client.request(MARK, { input: { findingId, keys: ['A-1', 'A-2'], reason: 'разные' } }, key)
      expect(outside.data.markDistinct.problems).toEqual([{ field: 'keys', code: 'NOT_IN_FINDING', message: DISTINCT_RU.notInFinding(['A-2'], ['A-1', 'A-3', 'A-4']) }])
    })

    it('marks, splits the finding, shows the mark on the finding and the event in its history; removing it brings the group back', async () => {
      const key = await client.key('NSI_SPECIALIST', ['MSK'])
      const whole = ADDR(['A-1', 'A-3', 'A-4'])
      const res = await client.request(MARK, { input: { findingId, keys: ['A-1', 'A-3'], reason: 'разные квартиры' } }, key)
      const done = res.data.markDistinct
      expect(done.__typename).toBe('MarkDistinctDone')
      expect(done.marks).toMatchObject([{ type: 'ADDRESS', keys: ['A-1', 'A-3'], reason: 'разные квартиры', finding: { fingerprint: whole }, removedAt: null }])
      expect(done.marks[0].actor).toContain('NSI_SPECIALIST')
      expect(done.resolved).toEqual([{ fingerprint: whole, status: 'RESOLVED' }])
      expect(done.caused.map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual([ADDR(['A-1', 'A-4']), ADDR(['A-3', 'A-4'])].sort())
      expect(done.recheckQueued).toBe(false)

      const finding = await client.request(`query($f: String!) { finding(fingerprint: $f) { status distinctMarks { id keys } events { action reason data } } }`, { f: whole }, key)
      expect(finding.data.finding.status).toBe('RESOLVED')
      expect(finding.data.finding.distinctMarks).toEqual([{ id: done.marks[0].id, keys: ['A-1', 'A-3'] }])
      expect(finding.data.finding.events.map((e: { action: string }) => e.action).slice(-2)).toEqual(['marked-distinct', 'resolved'])
      expect(finding.data.finding.events.at(-2)).toMatchObject({ reason: 'разные квартиры', data: { keys: ['A-1', 'A-3'], markIds: [Number(done.marks[0].id)] } })

      const list = await client.request(`{ distinctMarks(type: ADDRESS, first: 10) { edges { node { id keys } } pageInfo { hasNextPage } } }`, {}, key)
      expect(list.data.distinctMarks.edges.map((e: { node: { keys: string[] } }) => e.node.keys)).toEqual([['A-1', 'A-3']])
      const hidden = await client.request(`{ distinctMarks(first: 10) { edges { node { id } } } }`, {}, await client.key('AUDITOR', ['SPB']))
      expect(hidden.data.distinctMarks.edges).toEqual([])

      const forbidden = await client.request(REMOVE, { id: done.marks[0].id }, await client.key('SUPPORT_AGENT'))
      expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN')
      const removed = await client.request(REMOVE, { id: done.marks[0].id, reason: 'одна квартира' }, key)
      expect(removed.data.removeDistinctMark).toMatchObject({ __typename: 'RemoveDistinctMarkDone', mark: { id: done.marks[0].id, removeReason: 'одна квартира' }, caused: [{ fingerprint: whole, status: 'REOPENED' }] })
      expect(removed.data.removeDistinctMark.mark.removedAt).not.toBeNull()
      const again = await client.request(REMOVE, { id: done.marks[0].id }, key)
      expect(again.data.removeDistinctMark).toMatchObject({ __typename: 'Conflict', code: 'CONFLICT' })
      const none = await client.request(REMOVE, { id: 'no-such' }, key)
      expect(none.data.removeDistinctMark).toMatchObject({ __typename: 'NotFound', message: DISTINCT_RU.markNotFound(0) })
    })
  })
}
