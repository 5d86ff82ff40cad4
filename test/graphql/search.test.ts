// search through the GraphQL endpoint: a support agent finds records with their nodes; the service desk
// may not search; a key limited to SPB never gets a Moscow hit; bad input gets a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { loadSearchDataset } from '../search/dataset.ts'

const SEARCH = `query ($text: String!, $types: [EntityType!], $first: Int) {
  search(text: $text, types: $types, first: $first) {
    type key label score matchedBy
    node { __typename ... on Address { code normalized } ... on Customer { code name } ... on Contract { number } ... on Equipment { inventoryNo serial } }
  }
}`

describe('GraphQL search', () => {
  let db: Database
  let client: ReturnType<typeof graphqlClient>
  beforeAll(async () => {
    db = await openDatabase({ memory: true })
    await loadSearchDataset(db)
    client = graphqlClient(db, { production: false })
  })
  afterAll(async () => { await db?.close() })

  it('finds a flat, a customer by phone, a device by half its serial — with the record itself', async () => {
    const key = await client.key('SUPPORT_AGENT')
    const flat = await client.request(SEARCH, { text: 'москва ленина 5 кв 12' }, key)
    expect(flat.errors).toBeUndefined()
    expect(flat.data.search[0]).toMatchObject({
      type: 'address', key: 'A-M1', matchedBy: 'address', label: 'г. Москва, ул. Ленина, д. 5, кв. 12',
      node: { __typename: 'Address', code: 'A-M1', normalized: 'москва|ул|ленина|5|||кв12' },
    })
    expect(flat.data.search[0].score).toBeGreaterThan(0.9)

    const phone = await client.request(SEARCH, { text: '+7(916)1234567' }, key)
    expect(phone.data.search[0]).toMatchObject({ type: 'customer', key: 'C-1', matchedBy: 'phone', label: 'Иванов Иван Иванович, +7 916 123-45-67', node: { __typename: 'Customer', name: 'Иванов Иван Иванович' } })

    const serial = await client.request(SEARCH, { text: 'f3bc1461' }, key)
    expect(serial.data.search[0]).toMatchObject({ type: 'equipment', key: 'INV-1', matchedBy: 'serial', node: { __typename: 'Equipment', serial: 'HWTC-F3BC1461' } })

    const contracts = await client.request(SEARCH, { text: 'Москва, Ленина д.5, кв.12', types: ['contract'], first: 3 }, key)
    expect(contracts.data.search[0]).toMatchObject({ type: 'contract', key: 'D-1', matchedBy: 'address', node: { number: 'D-1' } })
    expect(contracts.data.search[0].label).toBe('D-1 · Домашний интернет 500 · г. Москва, ул. Ленина, д. 5, кв. 12')
  })

  it('refuses the SERVICE_DESK role and requests without a key', async () => {
    const denied = await client.request(SEARCH, { text: 'ленина 5' }, await client.key('SERVICE_DESK'))
    expect(denied.data?.search ?? null).toBeNull()
    expect(denied.errors![0].extensions?.code).toBe('FORBIDDEN')
    expect((await client.request(SEARCH, { text: 'ленина 5' })).status).toBe(401)
  })

  it('never shows a key limited to SPB a Moscow record', async () => {
    const spb = await client.key('SUPPORT_AGENT', ['SPB'])
    const flat = await client.request(SEARCH, { text: 'ленина 5 кв 12', first: 50 }, spb)
    expect(flat.data.search.map((h: { key: string }) => h.key)).toEqual(['A-S1'])
    for (const text of ['8 916 123-45-67', 'F3BC1461', 'D-1', 'иванов иван', '771234567890', 'ромашка']) {
      const r = await client.request(SEARCH, { text, first: 50 }, spb)
      expect(r.errors, text).toBeUndefined()
      expect(r.data.search, text).toEqual([])
    }
    const contracts = await client.request(SEARCH, { text: 'ленина 5 кв 12', types: ['contract', 'equipment'] }, spb)
    expect(contracts.data.search.map((h: { key: string }) => h.key).sort()).toEqual(['D-3', 'INV-2'])
  })

  it('answers bad input with clear errors', async () => {
    const key = await client.key('SUPPORT_AGENT')
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ text: '   ' }, /текст поиска не может быть пустым/],
      [{ text: 'я'.repeat(201) }, /текст поиска не длиннее 200 символов/],
      [{ text: 'ленина', first: 0 }, /first — не меньше 1/],
      [{ text: 'ленина', first: 51 }, /first — не больше 50/],
      [{ text: 'ленина', types: ['market'] }, /поиск охватывает только address, customer, contract, equipment/],
      [{ text: 'ленина', types: ['nonsense'] }, /EntityType/],
      [{ text: 42 }, /String/],
    ]
    for (const [variables, message] of cases) {
      const r = await client.request(SEARCH, variables, key)
      expect(r.data?.search ?? null, JSON.stringify(variables)).toBeNull()
      expect(r.errors?.map((e) => e.message).join(' '), JSON.stringify(variables)).toMatch(message)
    }
    // injection strings are only text to match
    const injection = await client.request(SEARCH, { text: "'; DROP TABLE address; -- %_\\" }, key)
    expect(injection.errors).toBeUndefined()
    expect(injection.data.search).toEqual([])
    expect((await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM address')).rows[0].n).toBe(9)
  })
})
