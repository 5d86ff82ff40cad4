// One master-data record in the import format: the stored record read back into import-column values,
// and a record of import-column values checked as the importer checks a CSV row — every problem of the
// record at once, and references resolved within what the caller may refer to.
import { SYSTEM, visibleSql, type Principal } from '../access/scope.ts'
import { normalizeAddress } from '../addresses/parse.ts'
import type { SqlClient } from '../db/database.ts'
import type { EntityType } from '../engine/types.ts'
import { ValidationFailed, type FieldProblem } from '../errors.ts'
import { CELL_RU, RECORD_RU } from '../i18n/ru-records.ts'
import { ENTITY_TABLES, FILES, type ColumnSpec, type FileSpec, type ParsedRow } from '../import/files.ts'
import { parseRow, RowRejected, type PendingRow } from '../import/read-file.ts'

/** Import-column values of one record: a CSV cell's text, a list for a product's `markets`, null for empty. */
export type RecordValues = Record<string, string | readonly string[] | null>

/** Stable codes of the problems a record can have. */
export const PROBLEM = {
  required: 'REQUIRED',
  badDate: 'BAD_DATE',
  unknownValue: 'UNKNOWN_VALUE',
  unknownReference: 'UNKNOWN_REFERENCE',
  unknownField: 'UNKNOWN_FIELD',
  badText: 'BAD_TEXT',
  keyChange: 'KEY_CHANGE',
  outOfScope: 'OUT_OF_SCOPE',
} as const

export function specOf(type: EntityType): FileSpec {
  const spec = FILES.find((f) => f.entity === type)
  if (!spec) throw new Error(`no import spec for ${type}`)
  return spec
}

export function columnsOf(spec: FileSpec): ColumnSpec[] {
  return [spec.key, ...spec.columns]
}

/** The record a key names, if it exists, and whether the principal may see it. */
export async function findRecord(sql: SqlClient, principal: Principal, type: EntityType, key: string): Promise<{ id: number; visible: boolean } | null> {
  const { table, key: keyColumn } = ENTITY_TABLES[type]
  const scoped = principal.markets !== null
  const { rows: [row] } = await sql.query<{ id: number; visible: boolean }>(
    `SELECT x.id, ${scoped ? visibleSql(type, 'x', '$2') : 'true'} AS visible FROM "${table}" x WHERE x."${keyColumn}" = $1`,
    scoped ? [key, principal.markets] : [key])
  return row ?? null
}

const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`

/** What each entity's stored record reads back as, in import columns (references as business keys). */
const STORED_SQL: Record<EntityType, string> = {
  market: `SELECT code, name FROM market WHERE code = $1`,
  equipmentType: `SELECT code, name FROM equipment_type WHERE code = $1`,
  product: `SELECT p.sku, p.name, p.kind::text AS kind, t.code AS equipment_type, p.status::text AS status,
      ${day('p."validFrom"')} AS valid_from, ${day('p."validTo"')} AS valid_to,
      ARRAY(SELECT m.code FROM product_market pm JOIN market m ON m.id = pm."marketId" WHERE pm."productId" = p.id ORDER BY m.code) AS markets
    FROM product p LEFT JOIN equipment_type t ON t.id = p."equipmentTypeId" WHERE p.sku = $1`,
  customer: `SELECT code, name, kind::text AS kind, inn, phone, email FROM customer WHERE code = $1`,
  address: `SELECT code, text, region, city, street, house, building, apartment, "postalCode" AS postal_code FROM address WHERE code = $1`,
  contract: `SELECT c.number, cu.code AS customer, a.code AS address, p.sku AS product, m.code AS market, c.status::text AS status,
      ${day('c."validFrom"')} AS valid_from, ${day('c."validTo"')} AS valid_to
    FROM contract c JOIN customer cu ON cu.id = c."customerId" JOIN address a ON a.id = c."addressId"
      JOIN product p ON p.id = c."productId" JOIN market m ON m.id = c."marketId" WHERE c.number = $1`,
  equipment: `SELECT e."inventoryNo" AS inventory_no, e.serial, e.mac, p.sku AS product, a.code AS address, c.number AS contract,
      e.status::text AS status, ${day('e."installedAt"')} AS installed_at, ${day('e."removedAt"')} AS removed_at
    FROM equipment e JOIN product p ON p.id = e."productId" LEFT JOIN address a ON a.id = e."addressId"
      LEFT JOIN contract c ON c.id = e."contractId" WHERE e."inventoryNo" = $1`,
}

const ADDRESS_COMPONENTS = ['region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'] as const

/**
 * The stored record as import-column values, or null when there is none. An address keeps only the components
 * that were given beside its text (those its text alone does not yield): the others are derived from the text,
 * so a patch of the text re-derives them instead of carrying the old ones over.
 */
export async function storedValues(sql: SqlClient, type: EntityType, key: string): Promise<RecordValues | null> {
  const { rows: [row] } = await sql.query<Record<string, string | string[] | null>>(STORED_SQL[type], [key])
  if (!row) return null
  if (type === 'address') {
    const p = normalizeAddress({ text: row.text as string }).parts
    const fromText: Record<string, string | null> = {
      region: p.region, city: p.city, street: [p.streetType, p.streetName].filter(Boolean).join(' ') || null,
      house: p.house, building: p.building, apartment: p.apartment, postal_code: p.postalCode,
    }
    for (const c of ADDRESS_COMPONENTS) if (row[c] === fromText[c]) row[c] = null
  }
  return row
}

/** A record checked and ready for the importer's upsert: the parsed row, the references' ids. */
export interface CheckedRecord {
  spec: FileSpec
  key: string
  /** every column of the file, as a CSV row with a full header */
  header: Map<string, number>
  pending: PendingRow
  ids: Map<ColumnSpec, Map<string, number>>
}

const cellText = (value: string | readonly string[] | null | undefined) =>
  value == null ? '' : typeof value === 'string' ? value : value.join(';')

/**
 * Checks a whole record (every column; absent = empty) as the importer checks a row, collecting every problem:
 * unknown fields, missing required values, bad dates and enum values, references the principal may not use.
 * Throws ValidationFailed with all of them. `stored`: the record's stored values, on an update — a reference it
 * keeps as it was stays, even to a record the principal may not see (a device of its contract registered at an
 * address of another market): refusing it would name that record to the caller, who never gave it.
 */
export async function checkRecord(sql: SqlClient, principal: Principal, type: EntityType, values: RecordValues, stored?: RecordValues): Promise<CheckedRecord> {
  const spec = specOf(type)
  const columns = columnsOf(spec)
  const problems: FieldProblem[] = []
  for (const name of Object.keys(values)) {
    if (!columns.some((c) => c.csv === name)) {
      problems.push({ field: name, code: PROBLEM.unknownField, message: CELL_RU.unknownField(type, columns.map((c) => c.csv)) })
    }
  }
  const fields = columns.map((c) => cellText(values[c.csv]))
  // each cell on its own, so that one bad cell does not hide the next
  const row: ParsedRow = {}
  for (const [i, column] of columns.entries()) {
    if (fields[i]!.includes('\u0000')) {
      problems.push({ field: column.csv, code: PROBLEM.badText, message: CELL_RU.nul })
      continue
    }
    try {
      Object.assign(row, parseRow({ ...spec, key: column, columns: [] }, new Map([[column.csv, 0]]), [fields[i]!]))
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e
      problems.push({ field: column.csv, code: problemCode(column, fields[i]!), message: e.reason })
    }
  }
  const ids = new Map<ColumnSpec, Map<string, number>>()
  for (const column of columns) {
    if (column.cell.kind !== 'ref' && column.cell.kind !== 'refList') continue
    const value = row[column.csv]
    const codes = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
    const found = await referable(sql, principal, column.cell.entity, codes)
    const kept = codes.filter((c) => !found.has(c) && keptReference(stored?.[column.csv], c))
    for (const [k, id] of await referable(sql, SYSTEM, column.cell.entity, kept)) found.set(k, id)
    const unknown = codes.filter((c) => !found.has(c))
    if (unknown.length) {
      problems.push({ field: column.csv, code: PROBLEM.unknownReference, message: CELL_RU.unknownReference(column.cell.entity, unknown) })
    }
    ids.set(column, found)
  }
  if (type === 'equipment' && principal.markets !== null && !problems.some((p) => p.field === 'contract' || p.field === 'address')) {
    // a scoped key's device must stay in its view: on one of its contracts, or at an address it sees
    if (!row.contract && !(row.address && await addressVisible(sql, principal, row.address as string))) {
      problems.push({ field: 'contract', code: PROBLEM.outOfScope, message: RECORD_RU.deviceOutOfScope(principal.markets) })
    }
  }
  if (problems.length) throw new ValidationFailed(problems)
  const key = row[spec.key.csv] as string
  const header = new Map(columns.map((c, i) => [c.csv, i]))
  return { spec, key, header, ids, pending: { line: 1, key, raw: fields, row, derived: spec.derived?.compute(row) } }
}

/** Whether a stored cell (a key, or a list of keys) holds `code`. */
function keptReference(stored: string | readonly string[] | null | undefined, code: string): boolean {
  if (stored == null) return false
  return typeof stored === 'string' ? stored.trim() === code : stored.includes(code)
}

function problemCode(column: ColumnSpec, text: string): string {
  if (text.trim() === '') return PROBLEM.required
  if (column.cell.kind === 'date') return PROBLEM.badDate
  if (column.cell.kind === 'enum') return PROBLEM.unknownValue
  return PROBLEM.badText
}

/**
 * Ids of the records a principal may refer to, by business key. A scoped key refers to its markets, the
 * contracts and products it sees, and the customers and addresses it sees or that are nobody's yet (no
 * contract at all: the ones it has just created); equipment types are everyone's catalogue.
 */
async function referable(sql: SqlClient, principal: Principal, entity: EntityType, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map()
  const { table, key } = ENTITY_TABLES[entity]
  const params: unknown[] = [codes]
  let condition = 'true'
  if (principal.markets !== null) {
    params.push(principal.markets)
    condition = visibleSql(entity, 'x', '$2')
    if (entity === 'customer' || entity === 'address') {
      condition = `(${condition} OR NOT EXISTS (SELECT 1 FROM contract c WHERE c."${entity}Id" = x.id))`
    }
  }
  const { rows } = await sql.query<{ k: string; id: number }>(
    `SELECT x."${key}" AS k, x.id FROM "${table}" x WHERE x."${key}" = ANY($1::text[]) AND ${condition}`, params)
  return new Map(rows.map((r) => [r.k, r.id]))
}

async function addressVisible(sql: SqlClient, principal: Principal, code: string) {
  const found = await findRecord(sql, principal, 'address', code)
  return found?.visible === true
}
