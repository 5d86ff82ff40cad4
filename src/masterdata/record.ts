// One master-data record as the API writes it: the stored record merged with a patch, checked as the importer checks a
// CSV row — every problem of the record at once — with references resolved within what the caller may refer to.
// Parsing, reading back and the write itself are the record model's (src/records/); the market scope is this module's.
import { SYSTEM, visibleSql, type Principal } from '../access/scope.ts'
import type { SqlClient } from '../db/database.ts'
import { ValidationFailed, type FieldProblem } from '../errors.ts'
import { CELL_RU, RECORD_RU } from '../i18n/ru-records.ts'
import { checkedRecord, parseRecord, type CheckedRecord } from '../records/check.ts'
import { columnsOf, recordSpec, referenceOf, tableOf, type ColumnSpec, type EntityType } from '../records/model.ts'
import { idsByKey, keysIn } from '../records/references.ts'
import type { RecordValues } from '../records/stored.ts'
import type { ReferenceIds } from '../records/write-plan.ts'

export type { RecordValues }

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

/** The record a key names, if it exists, and whether the principal may see it. */
export async function findRecord(sql: SqlClient, principal: Principal, type: EntityType, key: string): Promise<{ id: number; visible: boolean } | null> {
  const { table, key: keyColumn } = tableOf(type)
  const scoped = principal.markets !== null
  const { rows: [row] } = await sql.query<{ id: number; visible: boolean }>(
    `SELECT x.id, ${scoped ? visibleSql(type, 'x', '$2') : 'true'} AS visible FROM "${table}" x WHERE x."${keyColumn}" = $1`,
    scoped ? [key, principal.markets] : [key])
  return row ?? null
}

/**
 * Checks a whole record (every column; absent = empty) as the importer checks a row, collecting every problem:
 * unknown fields, missing required values, bad dates and enum values, references the principal may not use.
 * Throws ValidationFailed with all of them. `stored`: the record's stored values, on an update — a reference it
 * keeps as it was stays, even to a record the principal may not see (a device of its contract registered at an
 * address of another market): refusing it would name that record to the caller, who never gave it.
 */
export async function checkRecord(sql: SqlClient, principal: Principal, type: EntityType, values: RecordValues, stored?: RecordValues): Promise<CheckedRecord> {
  const spec = recordSpec(type)
  const columns = columnsOf(spec)
  const problems: FieldProblem[] = []
  for (const name of Object.keys(values)) {
    if (!columns.some((c) => c.csv === name)) {
      problems.push({ field: name, code: PROBLEM.unknownField, message: CELL_RU.unknownField(type, columns.map((c) => c.csv)) })
    }
  }
  const { row, fields, problems: cells } = parseRecord(spec, values, (text) => (text.includes('\u0000') ? CELL_RU.nul : null))
  for (const p of cells) problems.push({ field: p.column.csv, code: p.refused ? PROBLEM.badText : problemCode(p.column, p.text), message: p.reason })
  const ids: ReferenceIds = new Map()
  for (const column of columns) {
    const entity = referenceOf(column)
    if (entity === null) continue
    const codes = keysIn(row[column.csv])
    const found = await referable(sql, principal, entity, codes)
    const kept = codes.filter((c) => !found.has(c) && keptReference(stored?.[column.csv], c))
    for (const [k, id] of await referable(sql, SYSTEM, entity, kept)) found.set(k, id)
    const unknown = codes.filter((c) => !found.has(c))
    if (unknown.length) {
      problems.push({ field: column.csv, code: PROBLEM.unknownReference, message: CELL_RU.unknownReference(entity, unknown) })
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
  return checkedRecord(spec, row, fields, ids)
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
  if (principal.markets === null) return idsByKey(sql, entity, codes)
  let condition = visibleSql(entity, 'x', '$2')
  if (entity === 'customer' || entity === 'address') {
    // «nobody's yet»: no contract refers to it
    const column = recordSpec('contract').columns.find((c) => referenceOf(c) === entity)!
    condition = `(${condition} OR NOT EXISTS (SELECT 1 FROM contract c WHERE c."${column.db}" = x.id))`
  }
  return idsByKey(sql, entity, codes, { sql: condition, params: [principal.markets] })
}

async function addressVisible(sql: SqlClient, principal: Principal, code: string) {
  const found = await findRecord(sql, principal, 'address', code)
  return found?.visible === true
}
