// Responsible groups through GraphQL: the list and lookup (a key limited to markets sees the groups of its
// markets and those covering every market), creating and changing them (manageRules, unscoped keys only),
// refused input as ValidationFailed naming the field; a finding shows its group, line, dues and unrouted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reconcileFindings } from '../../src/engine/findings.ts'
import { routeRunFindings } from '../../src/incidents/routing.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const GROUP = 'code name email supportLine coversAllMarkets markets { code } equipmentTypes { code }'
const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) {
  __typename ... on MutationCreateGroupSuccess { data { ${GROUP} } } ... on ValidationFailed { problems { field code } } ... on Conflict { message } } }`
const UPDATE = `mutation($code: String!, $input: UpdateGroupInput!) { updateGroup(code: $code, input: $input) {
  __typename ... on MutationUpdateGroupSuccess { data { ${GROUP} } } ... on ValidationFailed { problems { field code } } ... on NotFound { message } } }`

describe.each(backends)('responsible groups through GraphQL on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let admin: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Петербург')`)
    await db.sql.query(`INSERT INTO equipment_type (code, name) VALUES ('ROUTER', 'Роутер'), ('STB', 'Приставка')`)
    client = graphqlClient(db)
    admin = await client.key('ADMIN')
  })
  afterAll(async () => { await db?.close() })

  it('creates groups with their markets and equipment types, refusing bad input field by field', async () => {
    const nsi = await client.key('NSI_SPECIALIST')
    const created = await client.request(CREATE, { input: { code: 'G-MSK', name: 'Москва', email: 'a@x.org, b@x.org', supportLine: 2, markets: ['MSK'], equipmentTypes: ['ROUTER'] } }, nsi)
    expect(created.data.createGroup).toEqual({
      __typename: 'MutationCreateGroupSuccess',
      data: { code: 'G-MSK', name: 'Москва', email: 'a@x.org, b@x.org', supportLine: 2, coversAllMarkets: false, markets: [{ code: 'MSK' }], equipmentTypes: [{ code: 'ROUTER' }] },
    })
    await client.request(CREATE, { input: { code: 'G-ALL', name: 'Все', supportLine: 1 } }, admin)
    const again = await client.request(CREATE, { input: { code: 'G-MSK', name: 'Снова', supportLine: 1 } }, admin)
    expect(again.data.createGroup.__typename).toBe('Conflict')
    const bad = await client.request(CREATE, { input: { code: 'bad code', name: ' ', email: 'nope', supportLine: 4, markets: ['XXX'] } }, admin)
    expect(bad.data.createGroup.problems.map((p: { field: string }) => p.field).sort()).toEqual(['code', 'email', 'line', 'markets', 'name'])
  })

  it('updates a group: fields given change, lists given replace', async () => {
    const r = await client.request(UPDATE, { code: 'G-MSK', input: { supportLine: 3, markets: ['MSK', 'SPB'], email: null } }, admin)
    expect(r.data.updateGroup.data).toMatchObject({ supportLine: 3, email: null, name: 'Москва', markets: [{ code: 'MSK' }, { code: 'SPB' }], equipmentTypes: [{ code: 'ROUTER' }] })
    expect((await client.request(UPDATE, { code: 'NOPE', input: {} }, admin)).data.updateGroup.__typename).toBe('NotFound')
    expect((await client.request(UPDATE, { code: 'G-MSK', input: { supportLine: 0 } }, admin)).data.updateGroup.problems).toEqual([{ field: 'line', code: 'INVALID' }])
  })

  it('lets a key limited to markets see its groups and those covering every market, and not manage them', async () => {
    await client.request(CREATE, { input: { code: 'G-SPB', name: 'Петербург', supportLine: 1, markets: ['SPB'] } }, admin)
    const msk = await client.key('SUPPORT_AGENT', ['MSK'])
    const list = await client.request(`{ groups { code markets { code } } }`, {}, msk)
    expect(list.data.groups).toEqual([{ code: 'G-ALL', markets: [] }, { code: 'G-MSK', markets: [{ code: 'MSK' }] }])
    expect((await client.request(`{ group(code: "G-SPB") { code } }`, {}, msk)).data.group).toBeNull()
    const scopedNsi = await client.key('NSI_SPECIALIST', ['MSK'])
    const refused = await client.request(CREATE, { input: { code: 'G-X', name: 'X', supportLine: 1 } }, scopedNsi)
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    const agent = await client.request(CREATE, { input: { code: 'G-Y', name: 'Y', supportLine: 1 } }, await client.key('SUPPORT_AGENT'))
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })

  it('shows a finding\'s group, line, dues and whether it was unrouted', async () => {
    const { rows: [run] } = await db.sql.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
    await reconcileFindings(db.sql, { id: run.id, actor: 'test' }, { rules: [{ id: 'contract-overlap', severity: 'HIGH' }] },
      [{ ruleId: 'contract-overlap', entities: [{ type: 'contract', key: 'D-1' }], message: 'm', data: {}, details: {}, marketCode: 'MSK', equipmentTypeCode: null }])
    // Friday 17:00 in Moscow; high: acknowledge within 8 business hours → Monday 16:00 (13:00 UTC)
    await routeRunFindings(db.sql, run.id, { now: new Date('2026-01-16T14:00:00Z') })
    const r = await client.request(`{ findings(first: 5) { edges { node { group { code } supportLine unrouted ackDueAt dueAt escalationLevel } } } }`, {}, admin)
    expect(r.data.findings.edges[0].node).toEqual({
      group: { code: 'BILLING-L2' }, supportLine: 2, unrouted: false, ackDueAt: '2026-01-19T13:00:00.000Z', dueAt: expect.any(String), escalationLevel: 0,
    })
    expect((await client.request(`{ groups { code } }`, {}, admin)).data.groups.map((g: { code: string }) => g.code)).toEqual(expect.arrayContaining(['NSI-TRIAGE', 'G-MSK']))
  })
})
