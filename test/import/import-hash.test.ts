// The import's row hash (records/write-plan.ts rowHash, column "importHash") and the bulk load's COPY path, on both
// databases: a re-import skips a row on its hash alone, any other write clears the hash so the row is compared and
// restored as before, and a bulk load still accounts for every rejected row with its line and column.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { importDirectory, type ImportSummary } from '../../src/import/importer.ts'
import { updateRecord } from '../../src/masterdata/write.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const ALL: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }

function counts(summary: ImportSummary, file: string) {
  const f = summary.files.find((x) => x.file === file)!
  return { inserted: f.inserted, updated: f.updated, unchanged: f.unchanged, rejected: f.rejected }
}

function rejects(summary: ImportSummary) {
  return parse<{ file: string; line: string; column: string; key: string; reason: string; row: string }>(readFileSync(summary.rejectsFile), { columns: true })
}

describe.each(backends)('import hash on %s', (backend) => {
  let db: TestDatabase
  let dir: string
  beforeAll(async () => {
    db = await testDatabase(backend)
    dir = writeFiles(tempDir(), baseFiles())
    await importDirectory(db, dir)
  })
  afterAll(async () => { await db?.close() })

  const customer = async (code: string) => (await db.sql.query<{ name: string; hash: string | null; updatedAt: Date }>(
    `SELECT name, "importHash" AS hash, "updatedAt" FROM customer WHERE code = $1`, [code])).rows[0]

  it('stores a hash with every row it writes (not on products: their markets are link rows)', async () => {
    for (const table of ['market', 'equipment_type', 'customer', 'address', 'contract', 'equipment']) {
      const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "importHash" IS NULL`)
      expect({ table, n: rows[0].n }).toEqual({ table, n: 0 })
    }
    const { rows } = await db.sql.query<{ n: number }>(`SELECT count(DISTINCT "importHash")::int AS n FROM customer`)
    expect(rows[0].n).toBe(2)
  })

  it('skips a row on its hash alone: a stored hash equal to the row\'s means unchanged, whatever the columns hold', async () => {
    const { hash } = await customer('C-1')
    // a value changed behind the trigger's back, the hash kept: the re-import trusts the hash and does not compare
    await db.sql.transaction(async (tx) => {
      await tx.exec('ALTER TABLE customer DISABLE TRIGGER sverka_import_hash_cleared')
      await tx.query(`UPDATE customer SET name = 'не из файла' WHERE code = 'C-1'`)
      await tx.exec('ALTER TABLE customer ENABLE TRIGGER sverka_import_hash_cleared')
    })
    expect((await customer('C-1')).hash).toBe(hash)
    const summary = await importDirectory(db, dir)
    expect(counts(summary, 'customers.csv')).toEqual({ inserted: 0, updated: 0, unchanged: 2, rejected: 0 })
    expect((await customer('C-1')).name).toBe('не из файла')
    // an UPDATE that changes nothing keeps the hash; one that changes the row without setting it clears it (the
    // trigger): the next import compares the row and restores it
    await db.sql.query(`UPDATE customer SET email = email WHERE code = 'C-1'`)
    expect((await customer('C-1')).hash).toBe(hash)
    await db.sql.query(`UPDATE customer SET email = 'other@example.ru' WHERE code = 'C-1'`)
    expect((await customer('C-1')).hash).toBeNull()
    const restored = await importDirectory(db, dir)
    expect(counts(restored, 'customers.csv')).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 })
    expect(await customer('C-1')).toMatchObject({ name: 'Иванов Иван Иванович', hash })
    expect((await db.sql.query<{ email: string }>(`SELECT email FROM customer WHERE code = 'C-1'`)).rows[0].email).toBe('ivanov@example.ru')
  })

  it('a row changed through the API and unchanged in the file is restored by the next import, then skipped again', async () => {
    const before = await customer('C-2')
    await updateRecord(db, ALL, 'customer', 'C-2', { name: 'ООО «Лютик»' }, { actor: 'tester', asOf: '2025-06-01' })
    expect(await customer('C-2')).toMatchObject({ name: 'ООО «Лютик»', hash: null })
    const restored = await importDirectory(db, dir)
    expect(counts(restored, 'customers.csv')).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 })
    expect(await customer('C-2')).toMatchObject({ name: 'ООО «Ромашка»', hash: before.hash })
    const after = await customer('C-2')
    const again = await importDirectory(db, dir)
    for (const f of again.files) expect({ file: f.file, inserted: f.inserted, updated: f.updated }).toEqual({ file: f.file, inserted: 0, updated: 0 })
    expect((await customer('C-2')).updatedAt).toEqual(after.updatedAt)
  })

  it('a file with other columns, or another value, gives another hash: the row is compared, not skipped', async () => {
    const { hash } = await customer('C-1')
    const partial = writeFiles(tempDir(), { 'customers.csv': csv(['code', 'name'], [['C-1', 'Иванов Иван Иванович'], ['C-2', 'ООО «Ромашка»']]) })
    const same = await importDirectory(db, partial)
    expect(counts(same, 'customers.csv')).toEqual({ inserted: 0, updated: 0, unchanged: 2, rejected: 0 })
    expect((await customer('C-1')).hash).toBe(hash) // compared equal: nothing written, the full file's hash stays
    const renamed = writeFiles(tempDir(), { 'customers.csv': csv(['code', 'name'], [['C-1', 'Иванов И. И.'], ['C-2', 'ООО «Ромашка»']]) })
    const changed = await importDirectory(db, renamed)
    expect(counts(changed, 'customers.csv')).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 })
    expect((await customer('C-1')).hash).not.toBe(hash)
    const full = await importDirectory(db, dir)
    expect(counts(full, 'customers.csv')).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 })
    expect(await customer('C-1')).toMatchObject({ name: 'Иванов Иван Иванович', hash })
  })
})

describe.each(backends)('bulk COPY on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it.each([['in a worker thread', 0], ['inline', Number.MAX_SAFE_INTEGER]])('reports rejected rows with line and column and loads the rest, %s', async (_how, workerMinBytes) => {
    await db.sql.exec('TRUNCATE equipment, contract, customer, address, product_market, product, equipment_type, market CASCADE')
    const files = baseFiles()
    files['contracts.csv'] += [
      'D-3,C-404,A-1,NET-500,MSK,ACTIVE,2024-01-01,', // line 4: unknown customer
      'D-4,C-1,A-2,NET-500,MSK,ACTIVE,2024-02-01,', // line 5: fine
      'D-5,C-2,A-404,NET-500,MSK,ACTIVE,2024-02-01,', // line 6: unknown address
      'D-6,C-2,A-2,NET-500,MSK,ACTIVE,2024-13-01,', // line 7: a bad date, rejected where it is parsed
      'D-4,C-2,A-2,NET-500,MSK,ACTIVE,2024-03-01,', // line 8: key seen on line 5
    ].join('\n') + '\n'
    files['equipment.csv'] += 'INV-3,"tab\there",,RT-AX,,D-4,IN_STOCK,,\n' // a value COPY text must escape
    const summary = await importDirectory(db, writeFiles(tempDir(), files), { bulkMinBytes: 1, workerMinBytes })
    expect(counts(summary, 'contracts.csv')).toEqual({ inserted: 3, updated: 0, unchanged: 0, rejected: 4 })
    expect(counts(summary, 'equipment.csv')).toEqual({ inserted: 3, updated: 0, unchanged: 0, rejected: 0 })
    const byLine = rejects(summary).filter((r) => r.file === 'contracts.csv').map((r) => ({ line: r.line, column: r.column, key: r.key }))
    expect(byLine.sort((a, b) => Number(a.line) - Number(b.line))).toEqual([
      { line: '4', column: 'customer', key: 'D-3' },
      { line: '6', column: 'address', key: 'D-5' },
      { line: '7', column: 'valid_from', key: 'D-6' },
      { line: '8', column: 'number', key: 'D-4' },
    ])
    expect(rejects(summary).find((r) => r.line === '4')!.row).toBe('D-3,C-404,A-1,NET-500,MSK,ACTIVE,2024-01-01,')
    const { rows } = await db.sql.query<{ number: string; customer: string; address: string; hash: string | null }>(
      `SELECT c.number, cu.code AS customer, a.code AS address, c."importHash" AS hash FROM contract c
       JOIN customer cu ON cu.id = c."customerId" JOIN address a ON a.id = c."addressId" ORDER BY c.number`)
    expect(rows.map(({ hash: _h, ...r }) => r)).toEqual([
      { number: 'D-1', customer: 'C-1', address: 'A-1' },
      { number: 'D-2', customer: 'C-2', address: 'A-2' },
      { number: 'D-4', customer: 'C-1', address: 'A-2' },
    ])
    expect(rows.every((r) => r.hash !== null)).toBe(true)
    const device = await db.prisma.equipment.findUniqueOrThrow({ where: { inventoryNo: 'INV-3' }, include: { contract: true } })
    expect(device).toMatchObject({ serial: 'tab\there', addressId: null })
    expect(device.contract?.number).toBe('D-4')
    // the hashes a bulk load stores are the ones an ordinary import computes: the same files change nothing
    const again = await importDirectory(db, writeFiles(tempDir(), files), { bulkMinBytes: 1, workerMinBytes })
    for (const f of again.files) expect({ file: f.file, inserted: f.inserted, updated: f.updated }).toEqual({ file: f.file, inserted: 0, updated: 0 })
  })
})
