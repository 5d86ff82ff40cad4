// A stored record read back as the values of its import columns (references as business keys, dates as
// YYYY-MM-DD, lists as lists): what a patch is merged over, so that an update is checked as a whole row.
import type { SqlClient } from '../db/database.ts'
import { columnsOf, recordSpec, tableOf, type ColumnSpec, type EntityType, type ParsedRow, type RecordSpec } from './model.ts'

/** Import-column values of one record: a CSV cell's text, a list for a list of references, null for empty. */
export type RecordValues = Record<string, string | readonly string[] | null>

function readBack(column: ColumnSpec): string {
  const cell = column.cell
  const as = `AS "${column.csv}"`
  if (cell.kind === 'refList') {
    const { table, key } = tableOf(cell.entity)
    const { table: link, own, other } = cell.link
    return `ARRAY(SELECT r."${key}" FROM "${link}" l JOIN "${table}" r ON r.id = l."${other}" WHERE l."${own}" = x.id ORDER BY r."${key}") ${as}`
  }
  const db = column.db ?? column.readBack
  if (db === undefined) return `NULL::text ${as}`
  switch (cell.kind) {
    case 'ref': {
      const { table, key } = tableOf(cell.entity)
      return `(SELECT r."${key}" FROM "${table}" r WHERE r.id = x."${db}") ${as}`
    }
    case 'enum': return `x."${db}"::text ${as}`
    case 'date': return `to_char(x."${db}", 'YYYY-MM-DD') ${as}`
    default: return `x."${db}" ${as}`
  }
}

const READ_SQL = new Map<RecordSpec, string>()

function readSql(spec: RecordSpec): string {
  let sql = READ_SQL.get(spec)
  if (!sql) {
    sql = `SELECT ${columnsOf(spec).map(readBack).join(', ')} FROM "${spec.table}" x WHERE x."${spec.key.db}" = $1`
    READ_SQL.set(spec, sql)
  }
  return sql
}

/**
 * The stored record as import-column values, or null when there is none. Parts read back from derived columns (an
 * address's region, city, …) are kept only when they were given beside the text — those its text alone does not
 * yield: the others are derived, so a patch of the text re-derives them instead of carrying the old ones over.
 */
export async function storedValues(sql: SqlClient, type: EntityType, key: string): Promise<RecordValues | null> {
  const spec = recordSpec(type)
  const { rows: [row] } = await sql.query<Record<string, string | string[] | null>>(readSql(spec), [key])
  if (!row) return null
  const parts = spec.columns.filter((c) => c.readBack !== undefined)
  if (parts.length > 0 && spec.derived) {
    const given: ParsedRow = { ...row }
    for (const c of parts) given[c.csv] = null
    const fromRest = spec.derived.compute(given)
    for (const c of parts) if (row[c.csv] === fromRest[c.readBack!]) row[c.csv] = null
  }
  return row
}
