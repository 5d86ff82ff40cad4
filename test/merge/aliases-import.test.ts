// The import after a merge (made by hand, as merge.ts leaves it), on real databases: the original CSV directory
// again inserts nothing, brings no member back and leaves every record as it was (references to a member land on
// the survivor); a member's row that changed a column changes the survivor once, and the same files again change
// nothing — though the survivor's own row, in the same files, still holds the old value.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDirectory, type ImportSummary } from '../../src/import/importer.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { duplicateFiles, mergeByHand } from './alias-fixture.ts'

const TABLES = ['customer', 'address', 'contract', 'equipment']

/** Every row of the master-data tables, every column: what a re-import must leave alone. */
async function snapshot(db: TestDatabase) {
  const out: Record<string, unknown[]> = {}
  for (const table of TABLES) out[table] = (await db.sql.query(`SELECT * FROM "${table}" ORDER BY id`)).rows
  return out
}

const countsOf = (summary: ImportSummary) =>
  Object.fromEntries(summary.files.map((f) => [f.file, { rows: f.rows, inserted: f.inserted, updated: f.updated, unchanged: f.unchanged, rejected: f.rejected }]))

describe.each(backends)('import after a merge on %s', (backend) => {
  let db: TestDatabase
  const original = duplicateFiles()
  const customer = async (code: string) => (await db.sql.query<Record<string, unknown>>(
    `SELECT code, phone, "phoneNorm", "updatedAt" FROM customer WHERE code = $1`, [code])).rows[0]
  const aliasValues = async (type: string, alias: string) => (await db.sql.query<{ values: Record<string, string | null> }>(
    `SELECT "values" FROM record_alias WHERE "entityType" = $1 AND alias = $2`, [type, alias])).rows[0].values

  beforeAll(async () => {
    db = await testDatabase(backend)
    const summary = await importDirectory(db, writeFiles(tempDir('alias-import-'), original))
    expect(summary.rejected).toBe(0)
    await mergeByHand(db, 'customer', 'C-1', 'C-3')
    await mergeByHand(db, 'address', 'A-1', 'A-3')
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it('the original CSV directory again inserts nothing, re-creates no member and changes no record', async () => {
    const before = await snapshot(db)
    const seen: unknown[] = []
    const summary = await importDirectory(db, writeFiles(tempDir('alias-import-'), original), { beforeWrite: async (refs) => { seen.push(...refs) } })
    expect(summary.rejected).toBe(0)
    for (const f of summary.files) expect({ file: f.file, inserted: f.inserted, updated: f.updated }).toEqual({ file: f.file, inserted: 0, updated: 0 })
    expect(countsOf(summary)['customers.csv']).toEqual({ rows: 4, inserted: 0, updated: 0, unchanged: 4, rejected: 0 })
    expect(countsOf(summary)['addresses.csv']).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 })
    expect(summary.changed).toEqual([])
    expect(seen).toEqual([])
    expect(await snapshot(db)).toEqual(before)
    expect((await db.sql.query(`SELECT code FROM customer WHERE code = 'C-3' UNION ALL SELECT code FROM address WHERE code = 'A-3'`)).rows).toEqual([])
    // the member's contract and device stay on the survivor, though the files name the member
    const { rows } = await db.sql.query(`
      SELECT k.number, cu.code AS customer, a.code AS address FROM contract k JOIN customer cu ON cu.id = k."customerId" JOIN address a ON a.id = k."addressId"
      WHERE k.number IN ('D-1', 'D-3') ORDER BY 1`)
    expect(rows).toEqual([{ number: 'D-1', customer: 'C-1', address: 'A-1' }, { number: 'D-3', customer: 'C-1', address: 'A-1' }])
    expect((await db.sql.query(`SELECT a.code FROM equipment e JOIN address a ON a.id = e."addressId" WHERE e."inventoryNo" = 'INV-3'`)).rows).toEqual([{ code: 'A-1' }])
  })

  it('a member\'s row that changed a column changes the survivor once; the same files again change nothing', async () => {
    const changed = {
      ...original,
      'customers.csv': original['customers.csv'].replace('C-3,Иванов Иван Иванович,PERSON,,8 916 123 45 67,', 'C-3,Иванов Иван Иванович,PERSON,,8 916 765-43-21,'),
      'addresses.csv': original['addresses.csv'].replace('A-3,"Москва, Ленина 5-12",Москва,,,,,,', 'A-3,"Москва, Ленина 5-12",Москва,,,,,,125010'),
    }
    expect(changed['customers.csv']).not.toBe(original['customers.csv'])
    expect(changed['addresses.csv']).not.toBe(original['addresses.csv'])
    const dir = writeFiles(tempDir('alias-import-'), changed)
    const c1 = await customer('C-1')
    const seen: unknown[] = []
    const first = await importDirectory(db, dir, { beforeWrite: async (refs) => { seen.push(...refs) } })
    expect(first.rejected).toBe(0)
    expect(countsOf(first)['customers.csv']).toEqual({ rows: 4, inserted: 0, updated: 1, unchanged: 3, rejected: 0 })
    expect(countsOf(first)['addresses.csv']).toEqual({ rows: 3, inserted: 0, updated: 1, unchanged: 2, rejected: 0 })
    expect(first.changed).toEqual([{ type: 'customer', key: 'C-1' }, { type: 'address', key: 'A-1' }])
    expect(seen).toEqual(first.changed)
    const after = await customer('C-1')
    expect(after).toMatchObject({ phone: '8 916 765-43-21', phoneNorm: '79167654321' })
    expect(after.updatedAt).not.toEqual(c1.updatedAt)
    // the address's derived columns follow, as for any written record
    expect((await db.sql.query(`SELECT "postalCode", text FROM address WHERE code = 'A-1'`)).rows).toEqual([{ postalCode: '125010', text: 'г. Москва, ул. Ленина, д. 5, кв. 12' }])
    expect(await aliasValues('customer', 'C-3')).toMatchObject({ phone: '8 916 765-43-21', name: 'Иванов Иван Иванович' })
    expect((await db.sql.query(`SELECT code FROM customer WHERE code = 'C-3'`)).rows).toEqual([])

    const before = await snapshot(db)
    const second = await importDirectory(db, dir)
    expect(second.rejected).toBe(0)
    for (const f of second.files) expect({ file: f.file, inserted: f.inserted, updated: f.updated }).toEqual({ file: f.file, inserted: 0, updated: 0 })
    expect(second.changed).toEqual([])
    expect(await snapshot(db)).toEqual(before)
  })

  it('a survivor\'s own row still changes what no member brought', async () => {
    const files = {
      ...baseFiles(),
      'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
        ['C-1', 'Иванов Иван Иванович', 'PERSON', '771234567890', '+7 916 123-45-67', 'ivanov@mail.example'],
      ]),
    }
    const summary = await importDirectory(db, writeFiles(tempDir('alias-import-'), { 'customers.csv': files['customers.csv'] }))
    expect(countsOf(summary)['customers.csv']).toEqual({ rows: 1, inserted: 0, updated: 1, unchanged: 0, rejected: 0 })
    // the e-mail is the row's; the phone a member's row brought stays
    expect((await db.sql.query(`SELECT email, phone FROM customer WHERE code = 'C-1'`)).rows).toEqual([{ email: 'ivanov@mail.example', phone: '8 916 765-43-21' }])
  })

  it('rejects a row under an alias whose record is gone, and creates nothing', async () => {
    const { rows: [merge] } = await db.sql.query<{ id: string }>(
      `INSERT INTO record_merge ("entityType", "survivorKey", "memberKeys", actor) VALUES ('customer', 'C-404', '{C-5}', 'test') RETURNING id`)
    await db.sql.query(`INSERT INTO record_alias ("entityType", alias, "targetKey", "mergeId") VALUES ('customer', 'C-5', 'C-404', $1)`, [merge.id])
    const dir = writeFiles(tempDir('alias-import-'), { 'customers.csv': csv(['code', 'name'], [['C-5', 'Сидоров']]) })
    const summary = await importDirectory(db, dir)
    expect(countsOf(summary)['customers.csv']).toEqual({ rows: 1, inserted: 0, updated: 0, unchanged: 0, rejected: 1 })
    expect(readFileSync(summary.rejectsFile, 'utf8')).toContain('customers.csv,2,code,C-5,"ключ — псевдоним записи «C-404» (объединена), а её больше нет: строка не загружена","C-5,Сидоров"')
    expect((await db.sql.query(`SELECT code FROM customer WHERE code IN ('C-5', 'C-404')`)).rows).toEqual([])
  })
})
