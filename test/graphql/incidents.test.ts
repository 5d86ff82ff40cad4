// Incidents through GraphQL: registering (errors as results), the list and the lookup within the key's
// markets, the Incident type (references as typed, resolved records, unresolved, linked findings), a
// finding's incidents, and linking and unlinking by hand with the actor in the finding's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { findingOn, loadHandMade } from '../incidents/fixture.ts'

const REGISTER = `mutation($input: IncidentInput!) { registerIncident(input: $input) {
  __typename
  ... on MutationRegisterIncidentSuccess { data { id created links { fingerprint ruleId reason finding { ruleId } } unresolved { field value reason } resolved { field value how record { type key } } } }
  ... on ValidationFailed { problems { field code } }
} }`

const INCIDENT = `query($id: ID, $ref: String, $kind: IncidentKind) { incident(id: $id, externalRef: $ref, kind: $kind) {
  id kind channel externalRef description status marketCode createdBy
  references { customer address contract equipment }
  resolved { field how record { type key } }
  unresolved { field reason }
  findingCount
  findings { origin reason actor finding { fingerprint } }
} }`

describe.each(backends)('incidents in GraphQL on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let overlap: string
  let inactive: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
    client = graphqlClient(db)
    overlap = await findingOn(db, 'contract-overlap', 'contract', 'D-7')
    inactive = await findingOn(db, 'equipment-on-inactive-contract', 'equipment', 'INV-9')
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('registers incidents and complaints, answering links, unresolved and resolved; refusals are results', async () => {
    const key = await client.key('SERVICE_DESK')
    const r = await client.request(REGISTER, { input: { channel: 'PHONE', externalRef: 'GQL-1', address: 'ленина 5 кв 12', contract: 'D-404', description: 'нет связи' } }, key)
    expect(r.errors).toBeUndefined()
    const data = r.data.registerIncident.data
    expect(data.created).toBe(true)
    expect(data.resolved).toEqual([{ field: 'address', value: 'ленина 5 кв 12', how: 'address normalised', record: { type: 'address', key: 'A-1' } }])
    expect(data.unresolved).toEqual([{ field: 'contract', value: 'D-404', reason: 'ни одна запись типа «договор» не совпала (проверено: по ключу)' }])
    expect(data.links.find((l: any) => l.fingerprint === overlap)).toMatchObject({ ruleId: 'contract-overlap', finding: { ruleId: 'contract-overlap' } })
    const again = await client.request(REGISTER, { input: { channel: 'PHONE', externalRef: 'GQL-1', description: 'снова' } }, key)
    expect([again.data.registerIncident.data.id, again.data.registerIncident.data.created]).toEqual([data.id, false])

    const complaint = await client.request(`mutation { registerComplaint(input: { channel: FAX, equipment: "HWTC-8DCE-F9F6" }) { __typename ... on MutationRegisterComplaintSuccess { data { incident { kind channel } links { fingerprint } } } } }`, {}, key)
    expect(complaint.data.registerComplaint.data.incident).toEqual({ kind: 'COMPLAINT', channel: 'FAX' })
    expect(complaint.data.registerComplaint.data.links.map((l: any) => l.fingerprint)).toContain(inactive)

    const refused = await client.request(REGISTER, { input: { channel: 'EMAIL', description: ' ', externalRef: 'x'.repeat(101) } }, key)
    expect(refused.data.registerIncident).toEqual({ __typename: 'ValidationFailed', problems: [{ field: 'externalRef', code: 'TOO_LONG' }, { field: null, code: 'REQUIRED' }] })
  })

  it('shows an incident with its references, resolved records and findings; a finding shows its incidents', async () => {
    const key = await client.key('NSI_SPECIALIST')
    const r = await client.request(INCIDENT, { ref: 'GQL-1' }, key)
    const i = r.data.incident
    expect(i).toMatchObject({
      kind: 'INCIDENT', channel: 'PHONE', externalRef: 'GQL-1', description: 'нет связи', status: 'OPEN', marketCode: 'MSK',
      references: { customer: null, address: 'ленина 5 кв 12', contract: 'D-404', equipment: null },
      resolved: [{ field: 'address', how: 'address normalised', record: { type: 'address', key: 'A-1' } }],
      unresolved: [{ field: 'contract', reason: 'ни одна запись типа «договор» не совпала (проверено: по ключу)' }],
    })
    expect(i.createdBy).toMatch(/^key:\d+:test SERVICE_DESK:$/)
    expect(i.findingCount).toBe(i.findings.length)
    expect(i.findings.find((l: any) => l.finding.fingerprint === overlap)).toMatchObject({ origin: 'AUTO', actor: i.createdBy })
    expect((await client.request(INCIDENT, { id: i.id }, key)).data.incident.id).toBe(i.id)
    expect((await client.request(INCIDENT, { ref: 'GQL-1', kind: 'COMPLAINT' }, key)).data.incident).toBeNull()

    const f = await client.request(`query($f: String!) { finding(fingerprint: $f) { incidentCount complaintCount incidents { externalRef kind linkOrigin linkedAt references { address } } } }`, { f: overlap }, key)
    expect(f.data.finding.incidents).toContainEqual(expect.objectContaining({ externalRef: 'GQL-1', kind: 'INCIDENT', linkOrigin: 'AUTO', references: { address: 'ленина 5 кв 12' } }))
  })

  it('lists incidents with filters, within the key\'s markets', async () => {
    const all = await client.key('AUDITOR')
    const spb = await client.key('AUDITOR', ['SPB'])
    const list = async (key: string, filter: Record<string, unknown> = {}) =>
      (await client.request(`query($f: IncidentFilter) { incidents(first: 100, filter: $f) { totalCount edges { node { externalRef kind channel marketCode } } } }`, { f: filter }, key)).data.incidents
    const everything = await list(all)
    expect(everything.totalCount).toBeGreaterThanOrEqual(2)
    expect((await list(all, { externalRef: 'GQL-1' })).edges.map((e: any) => e.node)).toEqual([{ externalRef: 'GQL-1', kind: 'INCIDENT', channel: 'PHONE', marketCode: 'MSK' }])
    expect((await list(all, { kind: 'COMPLAINT', channel: 'FAX' })).edges.map((e: any) => e.node.marketCode)).toEqual(['SPB'])
    // SPB sees the SPB complaint only: not the MSK incident
    expect((await list(spb)).edges.map((e: any) => e.node.marketCode)).toEqual(['SPB'])
    expect((await client.request(INCIDENT, { ref: 'GQL-1' }, spb)).data.incident).toBeNull()
  })

  it('links and unlinks by hand, with the actor on the link and in the finding\'s history', async () => {
    const key = await client.key('NSI_SPECIALIST')
    const link = `mutation($f: String!, $i: String!) { linkIncident(fingerprint: $f, incident: $i, reason: "звонок про этот роутер") { __typename ... on NotFound { message } ... on Conflict { message } } }`
    const unlink = `mutation($f: String!, $i: String!) { unlinkIncident(fingerprint: $f, incident: $i) { __typename ... on NotFound { message } } }`
    expect((await client.request(link, { f: inactive, i: 'GQL-1' }, key)).data.linkIncident.__typename).toBe('MutationLinkIncidentSuccess')
    expect((await client.request(link, { f: inactive, i: 'GQL-1' }, key)).data.linkIncident.__typename).toBe('Conflict')
    const stored = await db.prisma.findingIncident.findFirstOrThrow({ where: { finding: { fingerprint: inactive }, incident: { externalRef: 'GQL-1' } } })
    expect(stored).toMatchObject({ origin: 'MANUAL', reason: 'звонок про этот роутер' })
    expect(stored.actor).toMatch(/^key:\d+:test NSI_SPECIALIST:$/)
    expect((await client.request(unlink, { f: inactive, i: 'GQL-1' }, key)).data.unlinkIncident.__typename).toBe('MutationUnlinkIncidentSuccess')
    expect((await client.request(unlink, { f: inactive, i: 'GQL-1' }, key)).data.unlinkIncident.__typename).toBe('NotFound')
    const events = await db.prisma.findingEvent.findMany({ where: { finding: { fingerprint: inactive }, action: { startsWith: 'incident-' } }, orderBy: { id: 'asc' } })
    const manual = events.filter((e) => (e.data as any).externalRef === 'GQL-1')
    expect(manual.map((e) => [e.action, (e.data as any).origin, e.actor])).toEqual([['incident-linked', 'MANUAL', stored.actor], ['incident-unlinked', 'MANUAL', stored.actor]])
    // an SPB key cannot reach the MSK finding; a SERVICE_DESK key may not link at all
    const spb = await client.key('NSI_SPECIALIST', ['SPB'])
    expect((await client.request(link, { f: overlap, i: 'GQL-1' }, spb)).data.linkIncident.__typename).toBe('NotFound')
    const desk = await client.request(link, { f: overlap, i: 'GQL-1' }, await client.key('SERVICE_DESK'))
    expect(desk.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })
})
