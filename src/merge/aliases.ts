// Aliases: the business keys of merged members, each standing for its survivor (record_alias). Lookups, search,
// incident references, references in written records and import rows turn an alias into the survivor's key here.
// Reads only; the merge (merge.ts) and its undo write the table, and the import updates an alias's `values`.
// Deliberately imports nothing of the record model or the engine: the model's reference lookup and the engine's
// conflicts use it, so it has to sit below both.
import type { SqlClient } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'
import type { MergeableType } from './types.ts'

const log = moduleLogger('aliases')

/**
 * How many hops an alias is followed. A merge re-points the aliases of what it merges, so an alias names a record
 * directly and one hop is all there is; the bound only keeps a loop written by hand (or a bug) from spinning.
 */
const MAX_HOPS = 8

// one indexed look-up per hop (the primary key is (entityType, alias)); the deepest hop wins, and a chain still
// going at the bound is a loop: left out
const RESOLVE_SQL = `
  WITH RECURSIVE chain(alias, target, hops) AS (
    SELECT alias, "targetKey", 1 FROM record_alias WHERE "entityType" = $1 AND alias = ANY($2::text[])
    UNION ALL
    SELECT c.alias, a."targetKey", c.hops + 1
    FROM chain c JOIN record_alias a ON a."entityType" = $1 AND a.alias = c.target
    WHERE c.hops < ${MAX_HOPS}
  )
  SELECT DISTINCT ON (alias) alias, target, hops FROM chain ORDER BY alias, hops DESC`

/** The survivors of these keys that are aliases (alias → target key); keys that are no alias are absent. */
export async function resolveAliases(sql: SqlClient, type: MergeableType, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (keys.length === 0) return out
  const { rows } = await sql.query<{ alias: string; target: string; hops: number }>(RESOLVE_SQL, [type, [...new Set(keys)]], { prepared: true })
  for (const r of rows) {
    if (r.hops >= MAX_HOPS || r.target === r.alias) {
      log.warn({ type, alias: r.alias }, 'alias chain does not end: left unresolved')
      continue
    }
    out.set(r.alias, r.target)
  }
  return out
}

/** The key an alias stands for; null when `key` is no alias. */
export async function resolveAlias(sql: SqlClient, type: MergeableType, key: string): Promise<string | null> {
  return (await resolveAliases(sql, type, [key])).get(key) ?? null
}

/** The aliases of a record (the keys merged into it), sorted. */
export async function aliasesOf(sql: SqlClient, type: MergeableType, key: string): Promise<string[]> {
  const { rows } = await sql.query<{ alias: string }>(
    `SELECT alias FROM record_alias WHERE "entityType" = $1 AND "targetKey" = $2 ORDER BY alias COLLATE "C"`, [type, key], { prepared: true })
  return rows.map((r) => r.alias)
}

/** An alias as the import reads it: whom it stands for and the import values last seen under it. */
export interface AliasEntry { target: string; values: Record<string, string | null> }

/**
 * Every alias of a type, for a file of that type being imported: one read per file (nothing to read while
 * nothing was merged), then a row's key is looked up in memory.
 */
export async function aliasesOfType(sql: SqlClient, type: MergeableType): Promise<Map<string, AliasEntry>> {
  const { rows } = await sql.query<{ alias: string; target: string; values: Record<string, string | null> | null }>(
    `SELECT alias, "targetKey" AS target, "values" FROM record_alias WHERE "entityType" = $1`, [type])
  const all = new Map(rows.map((r) => [r.alias, { target: r.target, values: r.values ?? {} }]))
  // the same bounded walk as resolveAliases, in memory: a target that is itself an alias is followed
  for (const [alias, entry] of all) {
    let target = entry.target
    for (let hops = 1; all.has(target) && hops < MAX_HOPS; hops++) target = all.get(target)!.target
    if (all.has(target)) {
      log.warn({ type, alias }, 'alias chain does not end: left unresolved')
      all.delete(alias)
    } else {
      entry.target = target
    }
  }
  return all
}

/** Stores the import values last seen under aliases (alias → values), so the next import compares against them. */
export async function setAliasValues(sql: SqlClient, type: MergeableType, values: ReadonlyMap<string, Record<string, string | null>>): Promise<void> {
  if (values.size === 0) return
  await sql.query(
    `UPDATE record_alias a SET "values" = v.values
     FROM unnest($2::text[], $3::jsonb[]) AS v(alias, values)
     WHERE a."entityType" = $1 AND a.alias = v.alias`,
    [type, [...values.keys()], [...values.values()].map((v) => JSON.stringify(v))])
}
