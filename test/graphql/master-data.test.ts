// The read side of master data through yoga.fetch: lists (filters, sorting, cursors, totals checked
// against SQL), lookups by business key and in any notation, the market scope in every list, lookup and
// nested field, and hostile input. A seeded dataset (scale 300) plus a few hand-made records whose
// answers are known: one customer with contracts in two markets, one serial and one MAC in three notations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDirectory } from '../../src/import/importer.ts'
import { MAX_PAGE } from '../../src/graphql/builder.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient, type GraphQLResponse } from '../helpers/graphql.ts'

const AS_OF = '2026-01-31'

/** Hand-made records on top of the seed (codes T-…): what each lookup and scope check must answer is known. */
function handMade(dir: string) {
  return writeFiles(dir, {
    'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
      ['T-C1', 'Тестов Тест Тестович', 'PERSON', '770123456789', '8 916 123-45-67', null],
      ['T-C2', 'ООО «Тест»', 'COMPANY', '7701234567', '+7 (916) 1234567', null],
    ]),
    'addresses.csv': csv(['code', 'text'], [
      ['T-A1', 'г. Москва, ул. Тестовая, д. 1, кв. 1'],
      ['T-A2', 'г. Санкт-Петербург, пр-т Процентный 100%_тест, д. 2'],
      ['T-A3', 'г. Казань, ул. Обратная\\Косая, д. 3'],
    ]),
    'contracts.csv': csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
      ['T-D1', 'T-C1', 'T-A1', 'INET-100', 'MSK', 'ACTIVE', '2025-01-01', null],
      ['T-D2', 'T-C1', 'T-A2', 'INET-100', 'SPB', 'ACTIVE', '2024-01-01', '2025-12-31'],
      ['T-D3', 'T-C2', 'T-A3', 'INET-100', 'KZN', 'TERMINATED', '2020-01-01', '2021-01-01'],
    ]),
    'equipment.csv': csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
      ['T-E1', 'tst-12/34.56_78', '00:1A:2B:3C:4D:5E', 'EQ-RT-ZTE-H298', 'T-A1', 'T-D1', 'INSTALLED', '2025-01-05', null],
      ['T-E2', 'TST 1234 5678', '00-1a-2b-3c-4d-5e', 'EQ-RT-ZTE-H298', 'T-A2', 'T-D2', 'INSTALLED', '2024-01-05', null],
      ['T-E3', 'tst12345678', '001a.2b3c.4d5e', 'EQ-RT-ZTE-H298', 'T-A1', null, 'IN_STOCK', null, null],
    ]),
  })
}

const PAGE = '{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { KEY } } }'

function keysOf(r: GraphQLResponse, field: string, key: string): string[] {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined()
  return r.data[field].edges.map((e: { node: Record<string, string> }) => e.node[key])
}

/** A refusal a person can act on: an error naming the problem, no data for the field, no stack trace. */
function expectRefused(r: GraphQLResponse, message: RegExp) {
  expect(r.errors?.length, JSON.stringify(r)).toBeGreaterThan(0)
  expect(r.errors![0].message).toMatch(message)
  expect(JSON.stringify(r)).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules/)
}

describe.each(backends)('master data queries on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let nsi: string
  let spb: string
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await db.sql.query<T>(text, params)).rows
  const count = async (text: string, params: unknown[] = []) => Number((await sql<{ n: string }>(text, params))[0].n)
  const codes = async (text: string, params: unknown[] = []) => (await sql<{ k: string }>(text, params)).map((r) => r.k)
  const ask = async (query: string, variables: Record<string, unknown> = {}, key = nsi) => client.request(query, variables, key)

  /** every key of a list, page by page, following endCursor */
  async function walk(field: string, key: string, args: string, size: number, apiKey = nsi): Promise<string[]> {
    const all: string[] = []
    let after: string | null = null
    for (let i = 0; i < 1000; i++) {
      const r: GraphQLResponse = await ask(`query($after: String) { ${field}(first: ${size}, after: $after${args ? `, ${args}` : ''}) ${PAGE.replace('KEY', key)} }`, { after }, apiKey)
      all.push(...keysOf(r, field, key))
      const page = r.data[field].pageInfo
      if (!page.hasNextPage) return all
      after = page.endCursor
    }
    throw new Error('pagination did not end')
  }

  beforeAll(async () => {
    db = await testDatabase(backend)
    const seedDir = tempDir('sverka-md-seed-')
    await generateSeed({ scale: 300, seed: 11, out: seedDir, asOf: AS_OF })
    await importDirectory(db, seedDir)
    const extra = await importDirectory(db, handMade(tempDir('sverka-md-extra-')))
    expect(extra.files.every((f) => f.rejected === 0), JSON.stringify(extra)).toBe(true)
    client = graphqlClient(db, { production: false })
    nsi = await client.key('NSI_SPECIALIST')
    spb = await client.key('SUPPORT_AGENT', ['SPB'])
  }, 120_000)
  afterAll(async () => { await db?.close() })

  describe('lists', () => {
    it('list every record with a total equal to the table, in business-key order by default', async () => {
      for (const [field, key, table, column] of [
        ['addresses', 'code', 'address', 'code'], ['customers', 'code', 'customer', 'code'], ['contracts', 'number', 'contract', 'number'],
        ['equipment', 'inventoryNo', 'equipment', '"inventoryNo"'], ['products', 'sku', 'product', 'sku'],
      ] as const) {
        const r = await ask(`{ ${field}(first: ${MAX_PAGE}) ${PAGE.replace('KEY', key)} }`)
        expect(r.data[field].totalCount, field).toBe(await count(`SELECT count(*) AS n FROM ${table}`))
        const expected = await codes(`SELECT ${column} AS k FROM ${table} ORDER BY ${column} COLLATE "C" LIMIT ${MAX_PAGE}`)
        expect(keysOf(r, field, key), field).toEqual(expected)
      }
      const types = await ask('{ equipmentTypes { code name } markets { code } }')
      expect(types.data.equipmentTypes.map((t: { code: string }) => t.code)).toEqual(await codes('SELECT code AS k FROM equipment_type ORDER BY code COLLATE "C"'))
    })

    it('filter contracts by market, status, equipment type, validity date, customer, address, product and text', async () => {
      const total = async (filter: Record<string, unknown>) => (await ask('query($f: ContractFilter) { contracts(filter: $f) { totalCount } }', { f: filter })).data.contracts.totalCount
      expect(await total({ market: 'MSK' })).toBe(await count(`SELECT count(*) AS n FROM contract c JOIN market m ON m.id = c."marketId" WHERE m.code = 'MSK'`))
      expect(await total({ status: ['ACTIVE', 'SUSPENDED'] })).toBe(await count(`SELECT count(*) AS n FROM contract WHERE status IN ('ACTIVE', 'SUSPENDED')`))
      expect(await total({ status: 'TERMINATED' })).toBe(await count(`SELECT count(*) AS n FROM contract WHERE status = 'TERMINATED'`))
      expect(await total({ equipmentType: 'ROUTER' })).toBe(await count(`SELECT count(*) AS n FROM contract c JOIN product p ON p.id = c."productId"
        JOIN equipment_type t ON t.id = p."equipmentTypeId" WHERE t.code = 'ROUTER'`))
      const validAt = await count(`SELECT count(*) AS n FROM contract WHERE "validFrom" <= $1::date AND ("validTo" IS NULL OR "validTo" >= $1::date)`, [AS_OF])
      expect(validAt).toBeGreaterThan(0)
      expect(await total({ validAt: AS_OF })).toBe(validAt)
      // closed periods: valid on its last day, not the day after
      expect(keysOf(await ask('{ contracts(filter: { validAt: "2025-12-31", customer: "T-C1" }) { edges { node { number } } } }'), 'contracts', 'number')).toEqual(['T-D1', 'T-D2'])
      expect(keysOf(await ask('{ contracts(filter: { validAt: "2026-01-01", customer: "T-C1" }) { edges { node { number } } } }'), 'contracts', 'number')).toEqual(['T-D1'])
      const combined = await count(`SELECT count(*) AS n FROM contract c JOIN market m ON m.id = c."marketId" JOIN product p ON p.id = c."productId"
        JOIN equipment_type t ON t.id = p."equipmentTypeId" WHERE m.code = 'SPB' AND c.status = 'ACTIVE' AND t.code = 'ROUTER'
        AND c."validFrom" <= $1::date AND (c."validTo" IS NULL OR c."validTo" >= $1::date)`, [AS_OF])
      expect(await total({ market: 'SPB', status: ['ACTIVE'], equipmentType: 'ROUTER', validAt: AS_OF })).toBe(combined)
      expect(keysOf(await ask('{ contracts(filter: { address: "T-A3" }) { edges { node { number } } } }'), 'contracts', 'number')).toEqual(['T-D3'])
      expect(await total({ product: 'INET-100' })).toBe(await count(`SELECT count(*) AS n FROM contract c JOIN product p ON p.id = c."productId" WHERE p.sku = 'INET-100'`))
      expect(keysOf(await ask('{ contracts(filter: { text: "t-d" }) { edges { node { number } } } }'), 'contracts', 'number')).toEqual(['T-D1', 'T-D2', 'T-D3'])
      expect(await total({ market: 'NOWHERE' })).toBe(0)
    })

    it('filter products by market, kind, status, equipment type, validity date and text', async () => {
      const total = async (filter: Record<string, unknown>) => (await ask('query($f: ProductFilter) { products(filter: $f) { totalCount } }', { f: filter })).data.products.totalCount
      expect(await total({ market: 'KZN' })).toBe(await count(`SELECT count(*) AS n FROM product_market pm JOIN market m ON m.id = pm."marketId" WHERE m.code = 'KZN'`))
      expect(await total({ kind: 'EQUIPMENT' })).toBe(await count(`SELECT count(*) AS n FROM product WHERE kind = 'EQUIPMENT'`))
      expect(await total({ status: ['DISCONTINUED'] })).toBe(await count(`SELECT count(*) AS n FROM product WHERE status = 'DISCONTINUED'`))
      expect(await total({ equipmentType: 'ROUTER' })).toBe(await count(`SELECT count(*) AS n FROM product p JOIN equipment_type t ON t.id = p."equipmentTypeId" WHERE t.code = 'ROUTER'`))
      for (const day of ['2016-06-01', AS_OF]) {
        expect(await total({ validAt: day }), day).toBe(await count(`SELECT count(*) AS n FROM product
          WHERE ("validFrom" IS NULL OR "validFrom" <= $1::date) AND ("validTo" IS NULL OR "validTo" >= $1::date)`, [day]))
      }
      const text = keysOf(await ask('{ products(filter: { text: "интернет" }) { edges { node { sku name } } } }'), 'products', 'sku')
      expect(text).toEqual(await codes(`SELECT sku AS k FROM product WHERE name ILIKE '%интернет%' OR sku ILIKE '%интернет%' ORDER BY sku COLLATE "C"`))
      expect(text.length).toBeGreaterThan(0)
    })

    it('filter equipment by market, status, equipment type, contract, address, product and text in any notation', async () => {
      const total = async (filter: Record<string, unknown>) => (await ask('query($f: EquipmentFilter) { equipment(filter: $f) { totalCount } }', { f: filter })).data.equipment.totalCount
      expect(await total({ status: ['INSTALLED'] })).toBe(await count(`SELECT count(*) AS n FROM equipment WHERE status = 'INSTALLED'`))
      expect(await total({ equipmentType: 'ROUTER' })).toBe(await count(`SELECT count(*) AS n FROM equipment e JOIN product p ON p.id = e."productId"
        JOIN equipment_type t ON t.id = p."equipmentTypeId" WHERE t.code = 'ROUTER'`))
      expect(await total({ market: 'MSK' })).toBe(await count(`SELECT count(*) AS n FROM equipment e WHERE e."contractId" IN (SELECT c.id FROM contract c JOIN market m ON m.id = c."marketId" WHERE m.code = 'MSK')
        OR (e."contractId" IS NULL AND e."addressId" IN (SELECT c."addressId" FROM contract c JOIN market m ON m.id = c."marketId" WHERE m.code = 'MSK'))`))
      const list = async (filter: Record<string, unknown>) => keysOf(await ask('query($f: EquipmentFilter) { equipment(filter: $f) { edges { node { inventoryNo } } } }', { f: filter }), 'equipment', 'inventoryNo')
      expect(await list({ contract: 'T-D1' })).toEqual(['T-E1'])
      expect(await list({ address: 'T-A1' })).toEqual(['T-E1', 'T-E3'])
      expect(await list({ address: 'T-A1', status: ['IN_STOCK'] })).toEqual(['T-E3'])
      // a serial or a MAC typed in another notation still matches part of it
      expect(await list({ text: 'TST-1234' })).toEqual(['T-E1', 'T-E2', 'T-E3'])
      expect(await list({ text: '1a:2b:3c' })).toEqual(['T-E1', 'T-E2', 'T-E3'])
      expect(await total({ product: 'EQ-RT-ZTE-H298' })).toBe(await count(`SELECT count(*) AS n FROM equipment e JOIN product p ON p.id = e."productId" WHERE p.sku = 'EQ-RT-ZTE-H298'`))
    })

    it('filter customers and addresses by market, kind, related keys and text', async () => {
      const customers = async (filter: Record<string, unknown>) => (await ask('query($f: CustomerFilter) { customers(filter: $f, first: 500) { totalCount edges { node { code } } } }', { f: filter })).data.customers
      expect((await customers({ market: 'SPB' })).totalCount).toBe(await count(`SELECT count(DISTINCT c."customerId") AS n FROM contract c JOIN market m ON m.id = c."marketId" WHERE m.code = 'SPB'`))
      expect((await customers({ kind: 'COMPANY' })).totalCount).toBe(await count(`SELECT count(*) AS n FROM customer WHERE kind = 'COMPANY'`))
      expect((await customers({ address: 'T-A2' })).edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['T-C1'])
      expect((await customers({ text: 'тестов' })).edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['T-C1'])
      expect((await customers({ text: '7701234567' })).edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['T-C1', 'T-C2'])
      const addresses = async (filter: Record<string, unknown>) => (await ask('query($f: AddressFilter) { addresses(filter: $f, first: 500) { totalCount edges { node { code } } } }', { f: filter })).data.addresses
      expect((await addresses({ market: 'EKB' })).totalCount).toBe(await count(`SELECT count(DISTINCT c."addressId") AS n FROM contract c JOIN market m ON m.id = c."marketId" WHERE m.code = 'EKB'`))
      expect((await addresses({ customer: 'T-C1' })).edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['T-A1', 'T-A2'])
      expect((await addresses({ text: 'тестовая' })).edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['T-A1'])
      expect((await addresses({ city: 'казань' })).totalCount).toBe(await count(`SELECT count(*) AS n FROM address WHERE lower(city) = 'казань'`))
    })

    it('sort by each order, both directions, with a stable tie-break', async () => {
      const contracts = keysOf(await ask(`{ contracts(first: ${MAX_PAGE}, orderBy: VALID_FROM_DESC) { edges { node { number } } } }`), 'contracts', 'number')
      expect(contracts).toEqual(await codes(`SELECT number AS k FROM contract ORDER BY "validFrom" DESC, id DESC LIMIT ${MAX_PAGE}`))
      const addresses = keysOf(await ask('{ addresses(first: 20, orderBy: CODE_DESC) { edges { node { code } } } }'), 'addresses', 'code')
      expect(addresses).toEqual(await codes('SELECT code AS k FROM address ORDER BY code COLLATE "C" DESC LIMIT 20'))
      const customers = keysOf(await ask('{ customers(first: 30, orderBy: NAME_ASC) { edges { node { code } } } }'), 'customers', 'code')
      expect(customers).toEqual(await codes('SELECT code AS k FROM customer ORDER BY name, id LIMIT 30'))
      const updated = keysOf(await ask('{ equipment(first: 30, orderBy: UPDATED_AT_DESC) { edges { node { inventoryNo } } } }'), 'equipment', 'inventoryNo')
      expect(updated).toEqual(await codes('SELECT "inventoryNo" AS k FROM equipment ORDER BY "updatedAt" DESC, id DESC LIMIT 30'))
    })

    it('page with cursors forwards and backwards, every record exactly once, also when the sort column has nulls', async () => {
      const forward = await walk('addresses', 'code', '', 37)
      expect(forward).toEqual(await codes('SELECT code AS k FROM address ORDER BY code COLLATE "C"'))
      const byDate = await walk('contracts', 'number', 'orderBy: VALID_FROM_ASC', 50)
      expect(byDate).toEqual(await codes('SELECT number AS k FROM contract ORDER BY "validFrom", id'))
      // products without validFrom and devices without installedAt sort last, and are still reached page by page
      expect(await walk('products', 'sku', 'orderBy: VALID_FROM_ASC', 7)).toEqual(await codes('SELECT sku AS k FROM product ORDER BY "validFrom" NULLS LAST, id'))
      expect(await walk('equipment', 'inventoryNo', 'orderBy: INSTALLED_AT_DESC', 45)).toEqual(await codes('SELECT "inventoryNo" AS k FROM equipment ORDER BY "installedAt" DESC NULLS FIRST, id DESC'))
      // backwards from the end of the first page
      const first = await ask(`{ customers(first: 10) ${PAGE.replace('KEY', 'code')} }`)
      expect(first.data.customers.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
      const back = await ask(`query($before: String) { customers(last: 3, before: $before) ${PAGE.replace('KEY', 'code')} }`, { before: first.data.customers.pageInfo.endCursor })
      expect(keysOf(back, 'customers', 'code')).toEqual(keysOf(first, 'customers', 'code').slice(6, 9))
      expect(back.data.customers.pageInfo.hasPreviousPage).toBe(true)
    })
  })

  describe('lookups', () => {
    it('find each record by its business key, and null for one that does not exist', async () => {
      const r = await ask(`{
        address(code: "T-A1") { code city street house apartment contracts { number } equipment { inventoryNo } }
        customer(code: "T-C1") { code name phoneNormalized contracts { number market { code } } }
        contract(number: "T-D2") { number status validFrom validTo customer { code } address { code } product { sku equipmentType { code } } market { code } equipment { inventoryNo } }
        equipmentByInventoryNo(inventoryNo: "T-E1") { inventoryNo serialNormalized macNormalized macDisplay status contract { number } address { code } product { sku } }
      }`)
      expect(r.errors).toBeUndefined()
      expect(r.data.address).toEqual({ code: 'T-A1', city: 'Москва', street: expect.stringMatching(/Тестовая/), house: '1', apartment: '1', contracts: [{ number: 'T-D1' }], equipment: [{ inventoryNo: 'T-E1' }, { inventoryNo: 'T-E3' }] })
      expect(r.data.customer).toEqual({ code: 'T-C1', name: 'Тестов Тест Тестович', phoneNormalized: '79161234567', contracts: [{ number: 'T-D1', market: { code: 'MSK' } }, { number: 'T-D2', market: { code: 'SPB' } }] })
      expect(r.data.contract).toEqual({ number: 'T-D2', status: 'ACTIVE', validFrom: '2024-01-01', validTo: '2025-12-31', customer: { code: 'T-C1' }, address: { code: 'T-A2' }, product: { sku: 'INET-100', equipmentType: { code: 'ROUTER' } }, market: { code: 'SPB' }, equipment: [{ inventoryNo: 'T-E2' }] })
      expect(r.data.equipmentByInventoryNo).toEqual({ inventoryNo: 'T-E1', serialNormalized: 'TST12345678', macNormalized: '001a2b3c4d5e', macDisplay: '00:1A:2B:3C:4D:5E', status: 'INSTALLED', contract: { number: 'T-D1' }, address: { code: 'T-A1' }, product: { sku: 'EQ-RT-ZTE-H298' } })
      const catalogue = await ask(`{
        product(sku: "INET-100") { sku kind markets { code } }
        equipmentType(code: "ROUTER") { code }
        market(code: "MSK") { code }
        noAddress: address(code: "T-A9") { code }
        noCustomer: customer(code: "T-C9") { code }
        noContract: contract(number: "nope") { number }
        noDevice: equipmentByInventoryNo(inventoryNo: "nope") { inventoryNo }
        noProduct: product(sku: "nope") { sku }
        noType: equipmentType(code: "nope") { code }
      }`)
      expect(catalogue.errors).toBeUndefined()
      expect(catalogue.data.product.markets.map((m: { code: string }) => m.code)).toEqual(['EKB', 'KZN', 'MSK', 'NSK', 'SPB'])
      expect(catalogue.data.equipmentType).toEqual({ code: 'ROUTER' })
      for (const absent of ['noAddress', 'noCustomer', 'noContract', 'noDevice', 'noProduct', 'noType']) expect(catalogue.data[absent], absent).toBeNull()
    })

    it('find devices by serial and MAC, and customers by phone and INN, in any notation', async () => {
      const bySerial = async (serial: string) => (await ask('query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', { s: serial })).data.equipmentBySerial.map((e: { inventoryNo: string }) => e.inventoryNo)
      for (const serial of ['TST12345678', 'tst-1234-5678', ' tst 12/34.56_78 ']) expect(await bySerial(serial), serial).toEqual(['T-E1', 'T-E2', 'T-E3'])
      expect(await bySerial('TST1234567')).toEqual([])
      const byMac = async (mac: string) => (await ask('query($m: String!) { equipmentByMac(mac: $m) { inventoryNo } }', { m: mac })).data.equipmentByMac.map((e: { inventoryNo: string }) => e.inventoryNo)
      for (const mac of ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E', '001A.2B3C.4D5E', '001a2b3c4d5e']) expect(await byMac(mac), mac).toEqual(['T-E1', 'T-E2', 'T-E3'])
      const byPhone = async (phone: string) => (await ask('query($p: String!) { customersByPhone(phone: $p) { code } }', { p: phone })).data.customersByPhone.map((c: { code: string }) => c.code)
      for (const phone of ['8 916 123-45-67', '+7 (916) 1234567', '89161234567', '9161234567']) expect(await byPhone(phone), phone).toEqual(['T-C1', 'T-C2'])
      const byInn = async (inn: string) => (await ask('query($i: String!) { customersByInn(inn: $i) { code } }', { i: inn })).data.customersByInn.map((c: { code: string }) => c.code)
      expect(await byInn('7701234567')).toEqual(['T-C2'])
      expect(await byInn(' 7701 234 567 ')).toEqual(['T-C2'])
      expect(await byInn('7701234568')).toEqual([])
      // a seeded serial collision is found whole
      const [dup] = await sql<{ serial: string; n: string }>(`SELECT min(serial) AS serial, count(*) AS n FROM equipment WHERE "serialNorm" IS NOT NULL AND "inventoryNo" NOT LIKE 'T-%'
        GROUP BY "serialNorm" HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT 1`)
      expect((await bySerial(dup.serial.toLowerCase())).length).toBe(Number(dup.n))
    })
  })

  describe('market scope', () => {
    it('a key limited to SPB sees in every list exactly the records of SPB', async () => {
      const spbContracts = `SELECT c.* FROM contract c JOIN market m ON m.id = c."marketId" WHERE m.code = 'SPB'`
      expect(await walk('contracts', 'number', '', MAX_PAGE, spb)).toEqual(await codes(`SELECT number AS k FROM (${spbContracts}) c ORDER BY number COLLATE "C"`))
      expect(await walk('addresses', 'code', '', MAX_PAGE, spb)).toEqual(await codes(`SELECT code AS k FROM address WHERE id IN (SELECT "addressId" FROM (${spbContracts}) c) ORDER BY code COLLATE "C"`))
      expect(await walk('customers', 'code', '', MAX_PAGE, spb)).toEqual(await codes(`SELECT code AS k FROM customer WHERE id IN (SELECT "customerId" FROM (${spbContracts}) c) ORDER BY code COLLATE "C"`))
      expect(await walk('equipment', 'inventoryNo', '', MAX_PAGE, spb)).toEqual(await codes(`SELECT "inventoryNo" AS k FROM equipment e
        WHERE e."contractId" IN (SELECT id FROM (${spbContracts}) c) OR (e."contractId" IS NULL AND e."addressId" IN (SELECT "addressId" FROM (${spbContracts}) c))
        ORDER BY "inventoryNo" COLLATE "C"`))
      expect(await walk('products', 'sku', '', MAX_PAGE, spb)).toEqual(await codes(`SELECT sku AS k FROM product WHERE id IN (SELECT "productId" FROM product_market pm JOIN market m ON m.id = pm."marketId" WHERE m.code = 'SPB')
        OR id IN (SELECT "productId" FROM (${spbContracts}) c) ORDER BY sku COLLATE "C"`))
      // a filter for another market finds nothing, and the totals agree with the pages
      const other = await ask('{ contracts(filter: { market: "MSK" }) { totalCount edges { node { number } } } addresses(filter: { market: "MSK" }) { totalCount edges { node { code } } } }', {}, spb)
      const sharedAddresses = await count(`SELECT count(DISTINCT a."addressId") AS n FROM contract a JOIN market ma ON ma.id = a."marketId" JOIN contract b ON b."addressId" = a."addressId"
        JOIN market mb ON mb.id = b."marketId" WHERE ma.code = 'MSK' AND mb.code = 'SPB'`)
      expect(other.data.contracts).toEqual({ totalCount: 0, edges: [] })
      expect(other.data.addresses.totalCount).toBe(sharedAddresses)
    })

    it('a key limited to SPB gets null for a Moscow record and sees only SPB records in nested fields and lookups', async () => {
      const r = await ask(`{
        mskContract: contract(number: "T-D1") { number }
        spbContract: contract(number: "T-D2") { number customer { code contracts { number } } address { code contracts { number } equipment { inventoryNo } } }
        mskAddress: address(code: "T-A1") { code }
        customer(code: "T-C1") { contracts { number market { code } } }
        kznCustomer: customer(code: "T-C2") { code }
        mskDevice: equipmentByInventoryNo(inventoryNo: "T-E1") { inventoryNo }
        equipmentBySerial(serial: "TST-1234-5678") { inventoryNo contract { number } }
        equipmentByMac(mac: "00:1a:2b:3c:4d:5e") { inventoryNo }
        customersByPhone(phone: "89161234567") { code contracts { number } }
        customersByInn(inn: "7701234567") { code }
        markets { code }
        product(sku: "INET-100") { markets { code } }
      }`, {}, spb)
      expect(r.errors).toBeUndefined()
      expect(r.data).toEqual({
        mskContract: null,
        spbContract: { number: 'T-D2', customer: { code: 'T-C1', contracts: [{ number: 'T-D2' }] }, address: { code: 'T-A2', contracts: [{ number: 'T-D2' }], equipment: [{ inventoryNo: 'T-E2' }] } },
        mskAddress: null,
        customer: { contracts: [{ number: 'T-D2', market: { code: 'SPB' } }] },
        kznCustomer: null,
        mskDevice: null,
        equipmentBySerial: [{ inventoryNo: 'T-E2', contract: { number: 'T-D2' } }],
        equipmentByMac: [{ inventoryNo: 'T-E2' }],
        customersByPhone: [{ code: 'T-C1', contracts: [{ number: 'T-D2' }] }],
        customersByInn: [],
        markets: [{ code: 'SPB' }],
        product: { markets: [{ code: 'SPB' }] },
      })
    })

    it('a device without a contract is seen through its address, and a device on a Moscow contract at an SPB address is not', async () => {
      const kzn = await client.key('AUDITOR', ['KZN'])
      const msk = await client.key('AUDITOR', ['MSK'])
      expect(keysOf(await ask('{ equipment(filter: { address: "T-A1" }) { edges { node { inventoryNo } } } }', {}, msk), 'equipment', 'inventoryNo')).toEqual(['T-E1', 'T-E3'])
      expect(keysOf(await ask('{ equipment(filter: { text: "tst" }) { edges { node { inventoryNo } } } }', {}, kzn), 'equipment', 'inventoryNo')).toEqual([])
      expect((await ask('{ address(code: "T-A3") { code contracts { number status } equipment { inventoryNo } } }', {}, kzn)).data.address).toEqual({ code: 'T-A3', contracts: [{ number: 'T-D3', status: 'TERMINATED' }], equipment: [] })
    })
  })

  describe('access and hostile input', () => {
    it('needs a key, and a role that reads master data', async () => {
      expect((await client.request('{ addresses { totalCount } }')).status).toBe(401)
      const desk = await client.key('SERVICE_DESK')
      for (const q of ['{ addresses { totalCount } }', '{ contract(number: "T-D1") { number } }', '{ equipmentBySerial(serial: "x1") { inventoryNo } }', '{ customersByPhone(phone: "89161234567") { code } }']) {
        const r = await ask(q, {}, desk)
        expect(r.errors?.[0]?.extensions?.code, q).toBe('FORBIDDEN')
      }
      // the catalogue is readable with findings (a finding names products and equipment types)
      expect((await ask('{ products(first: 1) { totalCount } equipmentTypes { code } }', {}, desk)).errors).toBeUndefined()
    })

    it('refuses page sizes outside 0..MAX_PAGE, bad cursors and unsupported argument pairs with a clear error', async () => {
      expectRefused(await ask('{ addresses(first: 100000) { totalCount } }'), new RegExp(`first: не больше ${MAX_PAGE}`))
      expectRefused(await ask('{ contracts(last: 501) { totalCount } }'), new RegExp(`last: не больше ${MAX_PAGE}`))
      expectRefused(await ask('{ equipment(first: -1) { totalCount } }'), /first: не меньше 0/)
      expectRefused(await ask('{ customers(first: 99999999999) { totalCount } }'), /Int|first/)
      expectRefused(await ask('{ products(after: "not a cursor") { totalCount } }'), /cursor/i)
      expectRefused(await ask('{ addresses(first: 1, before: "R1BDOk46MQ==") { totalCount } }'), /before.*first|not supported/)
      const zero = await ask('{ addresses(first: 0) { totalCount edges { cursor } } }')
      expect(zero.data.addresses.edges).toEqual([])
    })

    it('refuses wrong types and values that normalise to nothing', async () => {
      expectRefused(await ask('{ addresses(first: "ten") { totalCount } }'), /Int/)
      expectRefused(await ask('{ contracts(filter: { status: [OPEN] }) { totalCount } }'), /ContractStatus|OPEN/)
      expectRefused(await ask('{ contracts(filter: { validAt: "yesterday" }) { totalCount } }'), /YYYY-MM-DD/)
      expectRefused(await ask('query($f: ContractFilter) { contracts(filter: $f) { totalCount } }', { f: { validAt: '2026-02-30' } }), /YYYY-MM-DD/)
      expectRefused(await ask('{ equipmentBySerial(serial: " -./_ ") { inventoryNo } }'), /" -\.\/_ " — не серийный номер/)
      expectRefused(await ask('{ equipmentByMac(mac: "00:1a:2b:3c:4d") { inventoryNo } }'), /"00:1a:2b:3c:4d" — не MAC-адрес \(нужно 12 шестнадцатеричных цифр\)/)
      expectRefused(await ask('{ customersByPhone(phone: "позвоните мне") { code } }'), /"позвоните мне" — не номер телефона/)
      expectRefused(await ask('{ customersByInn(inn: "77-01") { code } }'), /ИНН: только цифры/)
      expectRefused(await ask('{ contract(number: "   ") { number } }'), /не может быть пустым/)
      expectRefused(await ask('query($t: String) { addresses(filter: { text: $t }) { totalCount } }', { t: 'x'.repeat(10_000) }), /не длиннее 200 символов/)
      expectRefused(await ask('{ equipmentBySerial { inventoryNo } }'), /serial/)
      expectRefused(await ask('query($t: String) { customers(filter: { text: $t }) { totalCount } }', { t: 'a\u0000b' }), /: не должно содержать нулевой символ \(U\+0000\)$/)
      expectRefused(await ask('query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', { s: 'A\u0000B' }), /: не должно содержать нулевой символ \(U\+0000\)$/)
    })

    it('treats injection strings and LIKE wildcards in text filters as plain text', async () => {
      const total = async (field: string, text: string) => {
        const r = await ask(`query($t: String) { ${field}(filter: { text: $t }) { totalCount } }`, { t: text })
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined()
        return r.data[field].totalCount as number
      }
      for (const hostile of [`'; DROP TABLE address; --`, `" OR 1=1 --`, `') OR ('1'='1`, '%%', '__', '%\\%']) {
        for (const field of ['addresses', 'customers', 'contracts', 'equipment', 'products']) expect(await total(field, hostile), `${field} ${hostile}`).toBe(0)
      }
      // wildcards match themselves: only the address that has them
      expect(await total('addresses', '%')).toBe(1)
      expect(await total('addresses', '100%_т')).toBe(1)
      expect(await total('addresses', '%_')).toBe(1)
      expect(await total('addresses', 'Обратная\\Косая')).toBe(1)
      expect(await total('addresses', '\\')).toBe(1)
      expect(await count('SELECT count(*) AS n FROM address')).toBeGreaterThan(300)
    })

    it('matches the city filter exactly and case-insensitively: a wildcard or a backslash matches itself (issue 11: «%» matched every address, «\\» was an internal error)', async () => {
      const cities = async (city: string) => {
        const r = await ask('query($c: String) { addresses(filter: { city: $c }) { totalCount } }', { c: city })
        expect(r.errors, `${city}: ${JSON.stringify(r.errors)}`).toBeUndefined()
        return r.data.addresses.totalCount as number
      }
      const moscow = await count(`SELECT count(*) AS n FROM address WHERE lower(city) = 'москва'`)
      expect(moscow).toBeGreaterThan(0)
      expect(await cities('мОсКвА')).toBe(moscow)
      expect(await cities('Казань')).toBe(await count(`SELECT count(*) AS n FROM address WHERE lower(city) = 'казань'`))
      for (const hostile of ['%', '_', '%%', '\\', 'Моск%', 'Моск_а', 'Москва\\', '\\%', '%\\']) expect(await cities(hostile), hostile).toBe(0)
    })
  })
})
