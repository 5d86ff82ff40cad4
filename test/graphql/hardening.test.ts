// Issue 11, items 1–5, one named test each: what an attacker with keys of every role, some limited to one
// market, tried against the API and got — now refused, hidden or answered as if absent. On the cross-market
// fixture (test/fixtures/cross-market.ts): SPB is the attacker's market, FRNX the other one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { SYSTEM, type Principal } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { registerIncident } from '../../src/incidents/intake.ts'
import { createApp, type App } from '../../src/server.ts'
import { CROSS_MARKET_FILES, FOREIGN_MARK } from '../fixtures/cross-market.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const frnxDesk: Principal = { keyId: 0, name: 'frnx desk', role: 'SERVICE_DESK', markets: ['FRNX'] }
const foreignIn = (value: unknown) => FOREIGN_MARK.filter((m) => JSON.stringify(value).includes(m))

describe.each(backends)('hardening on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let app: App
  let theirs: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    await importDirectory(db, writeFiles(tempDir('hardening'), CROSS_MARKET_FILES))
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    theirs = (await registerIncident(db, frnxDesk, {
      kind: 'INCIDENT', channel: 'PHONE', externalRef: 'REM-000777', equipment: 'FRNX-SN-3', customer: '+7 999 999-99-91', description: 'Фарлан: нет сигнала',
    }, 'key:9:frnx desk')).id
    client = graphqlClient(db, { production: true })
    app = createApp(db, { production: true })
  }, 120_000)
  afterAll(async () => { await db?.close() })

  const post = async (path: string, body: unknown, key: string) => {
    const response = await app(new Request(`http://sverka.test${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body),
    }))
    return { status: response.status, body: await response.json() }
  }

  it('1. replaying another market\'s externalRef registers an incident of the caller\'s own and discloses nothing of the other one', async () => {
    const desk = await client.key('SERVICE_DESK', ['SPB'])
    const body = { channel: 'EXTERNAL_SYSTEM', externalRef: 'REM-000777', contract: 'K-SPB-1', description: 'нет интернета' }
    const rest = await post('/api/v1/incidents', body, desk)
    expect(rest.status).toBe(201)
    expect(rest.body.id).not.toBe(theirs)
    expect(foreignIn(rest.body)).toEqual([])
    expect((await post('/api/v1/incidents', body, desk)).status).toBe(200)
    expect((await post('/api/v1/incidents', body, desk)).body.id).toBe(rest.body.id)

    const gql = await client.request(`mutation { registerIncident(input: { channel: PHONE, externalRef: "REM-000777", contract: "K-SPB-1" }) {
      ... on MutationRegisterIncidentSuccess { data { id created incident { description createdBy marketCode references { equipment customer } } unresolved { value reason } } } } }`, {}, desk)
    expect(gql.data.registerIncident.data).toMatchObject({ id: rest.body.id, created: false, incident: { description: 'нет интернета', marketCode: 'SPB', references: { equipment: null } } })
    expect(foreignIn(gql)).toEqual([])
    // the other market's incident is as it was, and its own desk still replays onto it
    const stored = await db.prisma.incident.findUniqueOrThrow({ where: { id: theirs } })
    expect([stored.description, stored.contractRef]).toEqual(['Фарлан: нет сигнала', null])
    expect((await registerIncident(db, frnxDesk, { kind: 'INCIDENT', channel: 'PHONE', externalRef: 'REM-000777', description: 'ещё раз' }, 'key:9:frnx desk')).id).toBe(theirs)
    // an unscoped key sees both under the reference, its lookup answering one of them
    const admin = await client.key('ADMIN')
    const both = await client.request('{ incidents(filter: { externalRef: "REM-000777" }) { totalCount } }', {}, admin)
    expect(both.data.incidents.totalCount).toBe(2)
  })

  it('2. incidents reached through findings hold the market scope as incident(id) does', async () => {
    await registerIncident(db, SYSTEM, { kind: 'INCIDENT', channel: 'PHONE', externalRef: 'BOTH-1', contract: 'K-SPB-1', equipment: 'FRNX-E-3' }, 'key:0:all')
    const nsi = await client.key('NSI_SPECIALIST', ['SPB'])
    const r = await client.request(`{ findings(filter: { market: "SPB" }) { edges { node { incidentCount incidents { externalRef } } } }
      conflicts(for: { type: contract, key: "K-SPB-1" }) { findings { incidents { externalRef } } } incident(externalRef: "BOTH-1") { id } }`, {}, nsi)
    expect(r.errors).toBeUndefined()
    expect(r.data.incident).toBeNull()
    expect(JSON.stringify(r.data)).not.toContain('BOTH-1')
    const admin = await client.key('ADMIN')
    const all = await client.request('{ conflicts(for: { type: contract, key: "K-SPB-1" }) { findings { incidents { externalRef } } } }', {}, admin)
    expect(JSON.stringify(all.data)).toContain('BOTH-1')
  })

  it('3. a service desk reaches no master data and no personal data through findings, incidents or conflicts', async () => {
    const desk = await client.key('SERVICE_DESK', ['SPB'])
    const r = await client.request(`{ findings(first: 5) { edges { node { entities { type key node { __typename ... on Contract { customer { name phone } } } } } } }
      conflicts(for: { type: address, key: "A-SPB-1" }) { neighbours { key node { __typename } } }
      incidents { edges { node { references { customer } resolved { value record { node { __typename } } } } } } }`, {}, desk)
    expect(r.errors).toBeUndefined()
    const nodes = JSON.stringify(r.data).match(/"__typename":"(\w+)"/g) ?? []
    expect(nodes.filter((n) => /Customer|Address|Contract|Equipment/.test(n))).toEqual([])
    expect(r.data.conflicts.neighbours.length).toBeGreaterThan(0)
    // an auditor browses master data, but a person only by initials
    const auditor = await client.key('AUDITOR', ['SPB'])
    const a = await client.request(`{ customer(code: "C-SPB-1") { name phone inn email } company: customer(code: "C-CO-1") { name phone inn }
      customersByPhone(phone: "+7 812 111-11-11") { code } search(text: "Петров Пётр") { key label } }`, {}, auditor)
    expect(a.data).toEqual({
      customer: { name: 'П. П. П.', phone: null, inn: null, email: null },
      company: { name: 'ООО «Ромашка»', phone: '+7 812 333-33-33', inn: '7800000003' },
      customersByPhone: [],
      search: [],
    })
    const agent = await client.key('SUPPORT_AGENT', ['SPB'])
    const s = await client.request('{ customer(code: "C-SPB-1") { name phone } customersByPhone(phone: "8 812 1111111") { code } }', {}, agent)
    expect(s.data).toEqual({ customer: { name: 'Петров Пётр Петрович', phone: '+7 812 111-11-11' }, customersByPhone: [{ code: 'C-SPB-1' }] })
  })

  it('4. a key limited to a market changes nothing every market shares and reaches no other market\'s group', async () => {
    const nsi = await client.key('NSI_SPECIALIST', ['SPB'])
    const override = await client.request('mutation { setRuleOverride(ruleId: "contract-overlap", enabled: false) { __typename } }', {}, nsi)
    expect(override.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    expect(await db.prisma.ruleOverride.count()).toBe(0)

    await db.prisma.responsibleGroup.create({
      data: { code: 'FRNX-GRP-4', name: 'Фарлан', email: 'grp@frnx.example', supportLine: 1, markets: { create: [{ market: { connect: { code: 'FRNX' } } }] } },
    })
    const subscribe = (group: string) => client.request(`mutation($g: String!) { createMailSubscription(input: { name: "x", groupCode: $g, marketCode: "SPB" }) {
      __typename ... on ValidationFailed { problems { field code message } } } }`, { g: group }, nsi)
    const hidden = await subscribe('FRNX-GRP-4'), absent = await subscribe('NO-SUCH-GRP')
    expect(hidden.data.createMailSubscription.problems).toEqual([{ field: 'groupCode', code: 'UNKNOWN', message: 'нет ответственной группы FRNX-GRP-4' }])
    expect(absent.data.createMailSubscription.problems).toEqual([{ field: 'groupCode', code: 'UNKNOWN', message: 'нет ответственной группы NO-SUCH-GRP' }])
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { marketCode: 'SPB' } })
    const assign = await client.request(`mutation($f: String!) { assignFinding(fingerprint: $f, group: "FRNX-GRP-4") { __typename ... on ValidationFailed { problems { message } } } }`, { f: finding.fingerprint }, nsi)
    expect(assign.data.assignFinding.__typename).toBe('ValidationFailed')
    const [said, known] = assign.data.assignFinding.problems[0].message.split('(есть: ')
    expect([said, foreignIn(known)]).toEqual(['нет ответственной группы «FRNX-GRP-4» ', []])

    // a scoped admin makes keys within its markets only, and lists and revokes only those
    const admin = await client.key('ADMIN', ['SPB'])
    const wider = await client.request('mutation { createApiKey(role: ADMIN) { __typename ... on ValidationFailed { problems { message } } } }', {}, admin)
    const other = await client.request('mutation { createApiKey(role: AUDITOR, markets: ["FRNX"]) { __typename ... on ValidationFailed { problems { message } } } }', {}, admin)
    const own = await client.request('mutation { createApiKey(role: AUDITOR, markets: ["SPB"]) { __typename } }', {}, admin)
    expect([wider.data.createApiKey.__typename, other.data.createApiKey.__typename, own.data.createApiKey.__typename])
      .toEqual(['ValidationFailed', 'ValidationFailed', 'MutationCreateApiKeySuccess'])
    expect(other.data.createApiKey.problems[0].message).toBe('неизвестный рынок: FRNX; сначала загрузите markets.csv')
    const unscoped = await createApiKey(db.prisma, { role: 'AUDITOR', name: 'everywhere' })
    const list = await client.request('{ apiKeys { id markets } }', {}, admin)
    expect(list.data.apiKeys.every((k: { markets: string[] }) => k.markets.length > 0 && k.markets.every((m) => m === 'SPB'))).toBe(true)
    const revoke = await client.request(`mutation { revokeApiKey(id: ${unscoped.id}) { __typename } }`, {}, admin)
    expect(revoke.data.revokeApiKey.__typename).toBe('NotFound')
  })

  it('5. messages and refusals name no other market\'s record', async () => {
    const nsi = await client.key('NSI_SPECIALIST', ['SPB'])
    const mismatch = await client.request('{ findings(filter: { ruleIds: ["equipment-address-mismatch"] }) { edges { node { message details } } } }', {}, nsi)
    expect(mismatch.data.findings.edges.map((e: any) => e.node.message))
      .toEqual(['Устройство E-SPB-1 числится по адресу [скрыто], а его договор K-SPB-1 — по адресу A-SPB-1'])
    const notSold = await client.request('{ findings(filter: { ruleIds: ["contract-product-not-in-market"] }) { edges { node { message } } } }', {}, nsi)
    expect(notSold.data.findings.edges[0].node.message).toContain('только на рынках: [скрыто]')

    // a device of an SPB contract registered at a foreign address: changing its serial is not refused over that address
    const update = await client.request('mutation { updateEquipment(key: "E-SPB-1", input: { serial: "SN-SPB-1-NEW" }) { __typename ... on ValidationFailed { problems { message } } } }', {}, nsi)
    expect(update.data.updateEquipment.__typename).toBe('MutationUpdateEquipmentSuccess')
    expect(foreignIn(update)).toEqual([])

    // a foreign key taken is answered as an own one taken; a delete names and counts no hidden referrer
    const create = (code: string) => client.request(`mutation($c: String!) { createAddress(input: { code: $c, text: "г. Санкт-Петербург, ул. Новая, д. 1" }) { __typename ... on Conflict { message } } }`, { c: code }, nsi)
    expect((await create('FRNX-A-1')).data.createAddress.message).toBe('адрес FRNX-A-1 уже есть (бизнес-ключи уникальны по всем рынкам)')
    expect((await create('A-SPB-2')).data.createAddress.message).toBe('адрес A-SPB-2 уже есть (бизнес-ключи уникальны по всем рынкам)')
    const del = await client.request('mutation { deleteCustomer(key: "C-SHARED") { __typename ... on Conflict { message } } }', {}, nsi)
    expect(del.data.deleteCustomer.message).toBe('клиент C-SHARED: удалить нельзя, на запись ссылаются: договоры K-SPB-3 — сначала удалите или перенесите их')

    // the intake's replay answers the stored reasons, written for whoever registered the incident (here an
    // unscoped key, whose «ambiguous» reason listed a record of each market), as the replaying key may read them
    const stored = await registerIncident(db, SYSTEM, { kind: 'COMPLAINT', channel: 'PHONE', externalRef: 'AMB-1', contract: 'K-SPB-1', address: 'д. 1' }, 'key:0:all')
    await db.sql.query(`UPDATE incident SET unresolved = $2::jsonb WHERE id = $1`, [stored.id,
      JSON.stringify([{ field: 'address', value: 'д. 1', reason: 'ambiguous: 2 address records match by house normalised (A-SPB-2, FRNX-A-1)' }])])
    const replay = await registerIncident(db, { keyId: 1, name: 'spb', role: 'SUPPORT_AGENT', markets: ['SPB'] }, { kind: 'COMPLAINT', channel: 'PHONE', externalRef: 'AMB-1', description: 'снова' }, 'key:1:spb')
    expect(replay.id).toBe(stored.id)
    expect(replay.unresolved).toEqual([{ field: 'address', value: 'д. 1', reason: 'ambiguous: 2 address records match by house normalised (A-SPB-2, [скрыто])' }])
  })
})
