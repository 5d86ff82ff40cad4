// Property: a merge followed by its undo leaves every master-data table, the incidents, the aliases and the «not a
// duplicate» marks exactly as they were (row_to_json of every row) — for random groups of 2–4 addresses or customers
// with contracts, devices and incidents attached, earlier aliases and marks naming members, and random choices of
// survivor and fields.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { byteOrder, mergeRecords } from '../../src/merge/merge.ts'
import { unmergeRecords } from '../../src/merge/unmerge.ts'
import type { MergeableType } from '../../src/merge/types.ts'
import { recordSpec } from '../../src/records/model.ts'
import { csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { dumpTables, duplicateFiles } from './fixtures.ts'

const ALL: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }
const options = { actor: 'property', asOf: '2026-01-31', recheck: false }

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null })

const memberArb = fc.record({
  name: fc.constantFrom('Иванов Иван', 'Иванова Анна', 'ООО «Ромашка»'),
  kind: maybe(fc.constantFrom('PERSON', 'COMPANY')),
  inn: maybe(fc.constantFrom('771234567890', '7701234567')),
  phone: maybe(fc.constantFrom('+7 916 123-45-67', '8 (495) 111-22-33')),
  email: maybe(fc.constantFrom('a@example.ru', 'b@example.ru')),
  text: fc.constantFrom('г. Москва, ул. Ленина, д. 5, кв. 12', 'Москва, Ленина 5-12', 'г. Москва, ул. Ленина, д. 7'),
  region: maybe(fc.constantFrom('Московская обл.')),
  postal: maybe(fc.constantFrom('125009', '101000')),
  contracts: fc.integer({ min: 0, max: 2 }),
  devices: fc.integer({ min: 0, max: 1 }),
  incidents: fc.integer({ min: 0, max: 1 }),
  alias: fc.boolean(),
  mark: fc.boolean(),
})

const caseArb = fc.record({
  type: fc.constantFrom<MergeableType>('customer', 'address'),
  members: fc.array(memberArb, { minLength: 2, maxLength: 4 }),
  survivor: maybe(fc.nat()),
  fields: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
})

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never

describe.each(backends)('merge then undo restores every row, on %s', (backend) => {
  let db: TestDatabase
  let round = 0
  beforeAll(async () => {
    db = await testDatabase(backend)
    await importDirectory(db, writeFiles(tempDir('merge-prop-'), duplicateFiles()))
  }, 60_000)
  afterAll(async () => { await db?.close() })

  /** The group's records, their contracts, devices, incidents, an earlier alias and a mark naming a member. */
  async function build(c: Case): Promise<string[]> {
    const prefix = `P${++round}`
    const keys: string[] = []
    for (const [i, m] of c.members.entries()) {
      const key = `${prefix}-${i}`
      keys.push(key)
      const { rows: [{ id }] } = c.type === 'customer'
        ? await db.sql.query<{ id: number }>(`INSERT INTO customer (code, name, kind, inn, phone, email, "createdAt") VALUES ($1, $2, $3::"CustomerKind", $4, $5, $6, now() - ($7 || ' days')::interval) RETURNING id`,
          [key, m.name, m.kind, m.inn, m.phone, m.email, String(i % 2)])
        : await db.sql.query<{ id: number }>(`INSERT INTO address (code, text, region, "postalCode", normalized, "houseKey", "streetKey", "blockKey") VALUES ($1, $2, $3, $4, $1, $1, $1, $1) RETURNING id`,
          [key, m.text, m.region, m.postal])
      const other = c.type === 'customer' ? `(SELECT id FROM address WHERE code = 'A-1')` : `(SELECT id FROM customer WHERE code = 'C-1')`
      const [customer, address] = c.type === 'customer' ? ['$2', other] : [other, '$2']
      for (let k = 0; k < m.contracts; k++) {
        await db.sql.query(`INSERT INTO contract (number, "customerId", "addressId", "productId", "marketId", status, "validFrom")
          VALUES ($1, ${customer}, ${address}, (SELECT id FROM product WHERE sku = 'NET-500'), (SELECT id FROM market WHERE code = 'MSK'), 'ACTIVE', '2024-01-01')`, [`${key}-D${k}`, id])
      }
      if (c.type === 'address' && m.devices > 0) {
        await db.sql.query(`INSERT INTO equipment ("inventoryNo", "productId", "addressId", status) VALUES ($1, (SELECT id FROM product WHERE sku = 'RT-AX'), $2, 'IN_STOCK')`, [`${key}-E`, id])
      }
      if (m.incidents > 0) {
        await db.sql.query(`INSERT INTO incident (kind, channel, "${c.type === 'customer' ? 'customerId' : 'addressId'}", "createdBy") VALUES ('INCIDENT', 'PHONE', $1, 'property')`, [id])
      }
      if (m.alias) {
        const mergeId = (await db.sql.query<{ id: string }>(`INSERT INTO record_merge ("entityType", "survivorKey", "memberKeys", actor) VALUES ($1, $2, $3, 'property') RETURNING id::text`,
          [c.type, key, [`${key}-OLD`]])).rows[0].id
        await db.sql.query(`INSERT INTO record_alias ("entityType", alias, "targetKey", "mergeId", "values") VALUES ($1, $2, $3, $4, '{"name":"old"}')`, [c.type, `${key}-OLD`, key, mergeId])
      }
      if (m.mark) {
        // a mark with a record outside the group; for a member after the first, also with the first one's partner (a repeat once merged)
        const outside = c.type === 'customer' ? 'C-2' : 'A-2'
        const [a, b] = byteOrder(key, outside) < 0 ? [key, outside] : [outside, key]
        await db.sql.query(`INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor) VALUES ($1, $2, $3, 'разные', 'property')`, [c.type, a, b])
      }
    }
    return keys
  }

  it('for random groups, survivors and field choices', async () => {
    await fc.assert(fc.asyncProperty(caseArb, async (c) => {
      const keys = await build(c)
      const before = await dumpTables(db)
      const columns = recordSpec(c.type).columns.map((col) => col.csv)
      const fields = Object.fromEntries(c.fields.map(([f, m]) => [columns[f % columns.length], keys[m % keys.length]]))
      const survivor = c.survivor === null ? undefined : keys[c.survivor % keys.length]
      const merged = await mergeRecords(db, ALL, { type: c.type, keys, ...(survivor ? { survivor } : {}), fields }, options)
      expect(merged.merge.members).toHaveLength(keys.length - 1)
      const { rows: [{ n }] } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${c.type}" WHERE code = ANY($1::text[])`, [keys])
      expect(n).toBe(1)
      await unmergeRecords(db, ALL, merged.merge.id, options)
      expect(await dumpTables(db)).toEqual(before)
    }), { numRuns: backend === 'pglite' ? 12 : 25, seed: 17 })
  }, 40_000)
  /** The group as import files: its records and a contract on each (they refer to the base data's C-1 / A-1). */
  function groupFiles(c: Case, prefix: string): { keys: string[]; files: Record<string, string> } {
    const keys = c.members.map((_m, i) => `${prefix}-${i}`)
    const files: Record<string, string> = c.type === 'customer'
      ? { 'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], c.members.map((m, i) => [keys[i], m.name, m.kind, m.inn, m.phone, m.email])) }
      : { 'addresses.csv': csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'],
        c.members.map((m, i) => [keys[i], m.text, m.region, '', '', '', '', '', m.postal])) }
    files['contracts.csv'] = csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'],
      keys.map((k) => [`${k}-D`, c.type === 'customer' ? k : 'C-1', c.type === 'address' ? k : 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', '']))
    return { keys, files }
  }

  it('for random groups, survivors and field choices: the original files imported again after the merge create and change nothing', async () => {
    await fc.assert(fc.asyncProperty(caseArb, async (c) => {
      const { keys, files } = groupFiles(c, `R${++round}`)
      const dir = writeFiles(tempDir('merge-reimport-'), files)
      const first = await importDirectory(db, dir)
      expect(first.rejected).toBe(0)
      const columns = recordSpec(c.type).columns.map((col) => col.csv)
      const fields = Object.fromEntries(c.fields.map(([f, m]) => [columns[f % columns.length], keys[m % keys.length]]))
      const survivor = c.survivor === null ? undefined : keys[c.survivor % keys.length]
      const merged = await mergeRecords(db, ALL, { type: c.type, keys, ...(survivor ? { survivor } : {}), fields }, options)
      const after = await dumpTables(db)
      const again = await importDirectory(db, dir)
      expect(again.rejected).toBe(0)
      expect(again.files.map((f) => [f.file, f.inserted, f.updated])).toEqual(again.files.map((f) => [f.file, 0, 0]))
      expect(await dumpTables(db)).toEqual(after)
      const { rows } = await db.sql.query<{ code: string }>(`SELECT code FROM "${c.type}" WHERE code = ANY($1::text[])`, [keys])
      expect(rows.map((r) => r.code)).toEqual([merged.merge.survivor])
    }), { numRuns: backend === 'pglite' ? 10 : 15, seed: 23 })
  }, 60_000)
})
