// The record model against the database it describes: every column, enum and link table it names exists with the
// type it says, every reference is a foreign key, and what refers to a record is exactly what the schema's keys say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { columnsOf, recordSpec, referrersOf, RECORDS, tableOf, type EntityType } from '../../src/records/model.ts'
import { parseRow, RowRejected } from '../../src/records/parse.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'

describe('the record model', () => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase('pglite') })
  afterAll(async () => { await db?.close() })

  const columnsOfTable = async (table: string) => {
    const { rows } = await db.sql.query<{ column_name: string; udt_name: string; is_nullable: string }>(
      `SELECT column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_name = $1`, [table])
    return new Map(rows.map((r) => [r.column_name, r]))
  }

  it('names only columns, types and enums the schema has, required where the schema says NOT NULL', async () => {
    for (const spec of RECORDS) {
      const table = await columnsOfTable(spec.table)
      expect(table.size, spec.table).toBeGreaterThan(0)
      for (const column of columnsOf(spec)) {
        const db = column.db ?? column.readBack
        if (column.cell.kind === 'refList') {
          const { table: link, own, other } = column.cell.link
          const linkColumns = await columnsOfTable(link)
          expect([...linkColumns.keys()], `${link} of ${spec.entity}.${column.csv}`).toEqual(expect.arrayContaining([own, other]))
          continue
        }
        expect(db, `${spec.entity}.${column.csv} is stored somewhere`).toBeDefined()
        const stored = table.get(db!)
        expect(stored, `${spec.table}.${db}`).toBeDefined()
        if (column.cell.kind === 'enum') expect(stored!.udt_name, `${spec.table}.${db}`).toBe(column.cell.name)
        if (column.cell.kind === 'date') expect(stored!.udt_name, `${spec.table}.${db}`).toBe('date')
        if (column.cell.kind === 'ref') expect(stored!.udt_name, `${spec.table}.${db}`).toBe('int4')
        if (column.db !== undefined) expect(stored!.is_nullable === 'NO', `${spec.table}.${db} NOT NULL`).toBe(column.required === true)
      }
      for (const d of spec.derived?.columns ?? []) expect(table.has(d.db), `${spec.table}.${d.db}`).toBe(true)
    }
  })

  it('lists as referrers exactly the foreign keys that point at each table', async () => {
    const { rows } = await db.sql.query<{ source: string; target: string }>(
      `SELECT c.conrelid::regclass::text AS source, c.confrelid::regclass::text AS target FROM pg_constraint c WHERE c.contype = 'f'`)
    const tables = new Set(RECORDS.map((r) => r.table))
    for (const spec of RECORDS) {
      const fromSchema = rows.filter((r) => r.target === spec.table && tables.has(r.source)).map((r) => r.source).sort()
      // a link table's key counts as its owner's reference
      const links = rows.filter((r) => r.target === spec.table && !tables.has(r.source))
        .flatMap((r) => RECORDS.filter((o) => o.columns.some((c) => c.cell.kind === 'refList' && c.cell.link.table === r.source && c.cell.entity === spec.entity)).map((o) => o.table))
      const fromModel = referrersOf(spec.entity).map((r) => tableOf(r.type).table).sort()
      expect(fromModel, spec.table).toEqual([...fromSchema, ...links].sort())
    }
  })

  it('parses the cells a header names, and names the column of the first bad one', () => {
    const spec = recordSpec('contract')
    const header = new Map(columnsOf(spec).map((c, i) => [c.csv, i]))
    const row = parseRow(spec, header, ['D-1', 'C-1', 'A-1', 'NET', 'MSK', 'active', '2024-01-01', ''])
    expect(row).toEqual({ number: 'D-1', customer: 'C-1', address: 'A-1', product: 'NET', market: 'MSK', status: 'ACTIVE', valid_from: '2024-01-01', valid_to: null })
    let rejected: unknown
    try { parseRow(spec, header, ['D-1', 'C-1', 'A-1', 'NET', 'MSK', 'ACTIVE', '2024-02-30', '']) } catch (e) { rejected = e }
    expect(rejected).toBeInstanceOf(RowRejected)
    expect((rejected as RowRejected).column).toBe('valid_from')
  })

  it('has one record type per import file, the key first and unique column names', () => {
    const types: EntityType[] = RECORDS.map((r) => r.entity)
    expect(new Set(RECORDS.map((r) => r.file)).size).toBe(RECORDS.length)
    for (const type of types) {
      const names = columnsOf(recordSpec(type)).map((c) => c.csv)
      expect(new Set(names).size, type).toBe(names.length)
      expect(names[0]).toBe(recordSpec(type).key.csv)
    }
  })
})
