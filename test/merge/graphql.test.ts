// The merge API through yoga: previewMerge, mergeRecords, unmergeRecords, merge, merges and Customer.merges — who
// may use them (NSI specialists and admins), and a key limited to markets learning nothing of another market's
// records (a member there answered exactly as a missing one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { duplicateFiles } from './fixtures.ts'

const PREVIEW = `query($input: MergeInput!) { previewMerge(input: $input) {
  type survivor proposed reason version members { key filled contracts devices incidents values } fields { field from value differs options { key value } }
  moves { type key field from } resolving { fingerprint ruleId status } appearing { ruleId severity } } }`
const MERGE = `mutation($input: MergeInput!) { mergeRecords(input: $input) { __typename
  ... on MergeDone { recheckQueued merge { id type survivor members actor undoable undoneAt finding { id } moves { type key field from } fields } resolved { ruleId status } caused { ruleId } }
  ... on Error { message code } } }`
const UNMERGE = `mutation($id: ID!) { unmergeRecords(id: $id) { __typename
  ... on MergeDone { merge { id undoneBy undoable } caused { ruleId status } }
  ... on Error { message } } }`

describe.each(backends)('the merge API on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let nsi: string, agent: string, spb: string, admin: string
  let findingId: string
  beforeAll(async () => {
    db = await testDatabase(backend)
    await importDirectory(db, writeFiles(tempDir('merge-gql-'), duplicateFiles()))
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    findingId = (await db.sql.query<{ id: string }>(`SELECT id FROM finding WHERE "ruleId" = 'customer-duplicate'`)).rows[0].id
    client = graphqlClient(db, { production: true })
    nsi = await client.key('NSI_SPECIALIST')
    admin = await client.key('ADMIN')
    agent = await client.key('SUPPORT_AGENT')
    spb = await client.key('NSI_SPECIALIST', ['SPB'])
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it('only NSI specialists and admins preview, merge and undo', async () => {
    const input = { type: 'CUSTOMER', keys: ['C-1', 'C-3'] }
    for (const [query, variables] of [[PREVIEW, { input }], [MERGE, { input }], [UNMERGE, { id: '00000000-0000-4000-8000-000000000000' }], ['{ merges { edges { node { id } } } }', {}]] as const) {
      const r = await client.request(query, variables, agent)
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN'])
      expect(Object.values(r.data ?? {}).filter((v) => v !== null)).toEqual([])
    }
    expect((await client.request(PREVIEW, { input }, admin)).data?.previewMerge.survivor).toBe('C-1')
  })

  it('a key limited to a market: another market\'s member is answered exactly as a missing one', async () => {
    const hidden = await client.request(PREVIEW, { input: { type: 'CUSTOMER', keys: ['C-4', 'C-1'] } }, spb)
    const absent = await client.request(PREVIEW, { input: { type: 'CUSTOMER', keys: ['C-4', 'C-404'] } }, spb)
    expect(hidden.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'нет клиента C-1']])
    expect(absent.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'нет клиента C-404']])
    const merge = await client.request(MERGE, { input: { type: 'CUSTOMER', keys: ['C-4', 'C-1'] } }, spb)
    expect(merge.data?.mergeRecords).toEqual({ __typename: 'NotFound', message: 'нет клиента C-1', code: 'NOT_FOUND' })
  })

  it('previews, merges from the finding, lists the merge, and undoes it', async () => {
    const preview = await client.request(PREVIEW, { input: { type: 'CUSTOMER', keys: ['C-3', 'C-1'], fields: [{ field: 'kind', from: 'C-3' }] } }, nsi)
    expect(preview.errors).toBeUndefined()
    const p = preview.data.previewMerge
    expect(p).toMatchObject({ type: 'CUSTOMER', survivor: 'C-1', proposed: 'C-1', reason: 'COMPLETE', appearing: [] })
    expect(p.members.map((m: { key: string }) => m.key)).toEqual(['C-1', 'C-3'])
    expect(p.members[1].values).toMatchObject({ code: 'C-3', email: 'ivanov@example.ru' })
    expect(p.fields.find((f: { field: string }) => f.field === 'kind')).toMatchObject({ from: 'C-3', value: null, differs: true })
    expect(p.moves).toEqual([{ type: 'CONTRACT', key: 'D-3', field: 'customer', from: 'C-3' }])
    expect(p.resolving.map((f: { ruleId: string }) => f.ruleId)).toEqual(['customer-duplicate'])

    const done = await client.request(MERGE, { input: { type: 'CUSTOMER', keys: ['C-3', 'C-1'], version: p.version, findingId } }, nsi)
    expect(done.errors).toBeUndefined()
    const d = done.data.mergeRecords
    expect(d).toMatchObject({
      __typename: 'MergeDone', recheckQueued: false,
      merge: { type: 'CUSTOMER', survivor: 'C-1', members: ['C-3'], undoable: true, undoneAt: null, finding: { id: findingId }, moves: [{ type: 'CONTRACT', key: 'D-3' }] },
      resolved: [{ ruleId: 'customer-duplicate', status: 'RESOLVED' }],
    })
    expect(d.merge.actor).toMatch(/^key:\d+:/)
    expect(d.merge.fields).toMatchObject({ email: 'C-3', phone: 'C-1' })
    const id = d.merge.id

    const again = await client.request(MERGE, { input: { type: 'CUSTOMER', keys: ['C-3', 'C-1'] } }, nsi)
    expect(again.data.mergeRecords.__typename).toBe('Conflict')

    const read = await client.request(`query($id: ID!) { merge(id: $id) { id survivor } merges(key: "C-3") { edges { node { id } } }
      customer(code: "C-1") { merges { id } } finding(fingerprint: "${await fingerprintOf(db, findingId)}") { events { action data } } }`, { id }, nsi)
    expect(read.errors).toBeUndefined()
    expect(read.data.merge).toEqual({ id, survivor: 'C-1' })
    expect(read.data.merges.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id])
    expect(read.data.customer.merges).toEqual([{ id }])
    expect(read.data.finding.events.find((e: { action: string }) => e.action === 'merged')?.data).toMatchObject({ mergeId: id, survivor: 'C-1', members: ['C-3'] })
    // C-1 is a MSK customer: a SPB key neither sees the merge nor undoes it
    expect((await client.request(`query($id: ID!) { merge(id: $id) { id } }`, { id }, spb)).data.merge).toBeNull()
    expect((await client.request(UNMERGE, { id }, spb)).data.unmergeRecords).toMatchObject({ __typename: 'NotFound' })

    const undone = await client.request(UNMERGE, { id }, nsi)
    expect(undone.data.unmergeRecords).toMatchObject({ __typename: 'MergeDone', merge: { id, undoable: false }, caused: [{ ruleId: 'customer-duplicate', status: 'REOPENED' }] })
    expect(undone.data.unmergeRecords.merge.undoneBy).toMatch(/^key:\d+:/)
    expect((await client.request(UNMERGE, { id }, nsi)).data.unmergeRecords).toMatchObject({ __typename: 'Conflict' })
  })
})

async function fingerprintOf(db: TestDatabase, id: string) {
  return (await db.sql.query<{ fingerprint: string }>(`SELECT fingerprint FROM finding WHERE id = $1`, [id])).rows[0].fingerprint
}
