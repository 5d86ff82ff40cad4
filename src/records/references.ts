// References by business key: the ids of the records a row names, and the references of a parsed row resolved
// whole. Who may refer to what (a scoped API key) is the caller's condition; the lookup is the model's. A key that
// is the alias of a merged record (src/merge/aliases.ts) names its survivor.
import type { SqlClient } from '../db/database.ts'
import { CELL_RU } from '../i18n/ru-records.ts'
import { resolveAliases } from '../merge/aliases.ts'
import { isMergeableType } from '../merge/types.ts'
import { referenceOf, tableOf, type ColumnSpec, type EntityType, type ParsedRow } from './model.ts'
import { RowRejected } from './parse.ts'
import type { ReferenceIds } from './write-plan.ts'

/** A condition on the referred records (alias `x`) with its parameters, numbered from $2. */
export interface ReferenceCondition { sql: string; params: unknown[] }

/**
 * The ids of the records of `entity` with these business keys (those that exist and meet `where`). A key that is
 * an alias maps to its survivor's id (when the survivor meets `where`); aliases are looked up only for the keys
 * not found as records, so a batch whose keys all exist costs no more than before.
 */
export async function idsByKey(sql: SqlClient, entity: EntityType, codes: readonly string[], where?: ReferenceCondition): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map()
  const found = await recordIds(sql, entity, codes, where)
  if (!isMergeableType(entity)) return found
  const missing = codes.filter((c) => !found.has(c))
  if (missing.length === 0) return found
  const aliases = await resolveAliases(sql, entity, missing)
  if (aliases.size === 0) return found
  const targets = await recordIds(sql, entity, [...new Set(aliases.values())], where)
  for (const [alias, target] of aliases) {
    const id = targets.get(target)
    if (id !== undefined) found.set(alias, id)
  }
  return found
}

async function recordIds(sql: SqlClient, entity: EntityType, codes: readonly string[], where?: ReferenceCondition): Promise<Map<string, number>> {
  const { table, key } = tableOf(entity)
  const { rows } = await sql.query<{ k: string; id: number }>(
    `SELECT x."${key}" AS k, x.id FROM "${table}" x WHERE x."${key}" = ANY($1::text[])${where ? ` AND ${where.sql}` : ''}`,
    [codes, ...(where?.params ?? [])])
  return new Map(rows.map((r) => [r.k, r.id]))
}

/** The business keys a parsed cell names: one, a list, or none. */
export function keysIn(value: ParsedRow[string] | undefined): string[] {
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
}

/**
 * Every reference of a parsed row resolved; throws RowRejected naming the first column with an unknown one, in the
 * words of `unknown` (default: the import's «нет продукта «X»»).
 */
export async function resolveReferences(sql: SqlClient, columns: readonly ColumnSpec[], row: ParsedRow,
  unknownReason: (entity: EntityType, keys: string[]) => string = CELL_RU.unknownReference): Promise<ReferenceIds> {
  const ids: ReferenceIds = new Map()
  for (const column of columns) {
    const entity = referenceOf(column)
    if (entity === null) continue
    const codes = keysIn(row[column.csv])
    const found = await idsByKey(sql, entity, codes)
    const unknown = codes.filter((c) => !found.has(c))
    if (unknown.length) throw new RowRejected(column.csv, unknownReason(entity, unknown))
    ids.set(column, found)
  }
  return ids
}
