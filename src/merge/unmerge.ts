// Undoing a merge: the rows it changed come back exactly as they were (same ids, every column, createdAt and
// updatedAt included), its aliases go, the aliases and «not a duplicate» marks it re-pointed point back — allowed
// only while nothing has touched what it left: every row it changed still has its after-merge md5, the survivor
// exists, its aliases still point at the survivor and no new record took a member's key. Then the re-check: the
// findings the merge resolved come back through the lifecycle (REOPENED).
import { SYSTEM, type Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { prepareRecheck } from '../engine/incremental.ts'
import { ConflictError, NotFoundError } from '../errors.ts'
import { MERGE_RU } from '../i18n/ru-merge.ts'
import { moduleLogger } from '../logger.ts'
import { tableOf, type EntityRef } from '../records/model.ts'
import { getMerge, hashes, idType, mapMergeError, mayMerge, movesOf, recheckAfter, type MergeOptions, type Snapshot } from './merge.ts'
import type { MergeableType, MergeRecord, MergeResult } from './types.ts'

const log = moduleLogger('merge')

interface StoredMerge { merge: MergeRecord; snapshot: Snapshot }

/**
 * A row's md5 as a merge stores it, and as a merge made before the master tables had "importHash" stored it: the
 * column (added last, so last in the row's JSON) left out while it is null — a row no write has touched since holds
 * null there. Either one matching the stored md5 means the row is as the merge left it.
 */
const ROW_HASHES = `md5(row_to_json(x)::text) AS h, md5(regexp_replace(row_to_json(x)::text, ',"importHash":null}$', '}')) AS legacy`

/** The md5s (current and legacy) of rows by id (as text keys). */
async function currentHashes(sql: SqlClient, table: string, ids: string[], forUpdate: string): Promise<Map<string, [string, string]>> {
  const { rows } = await sql.query<{ id: string; h: string; legacy: string }>(
    `SELECT id::text AS id, ${ROW_HASHES} FROM "${table}" x WHERE id = ANY($1::${idType(table)}[]) ORDER BY id${forUpdate}`, [ids])
  return new Map(rows.map((r) => [r.id, [r.h, r.legacy]]))
}

async function loadMerge(sql: SqlClient, id: string, lock: boolean): Promise<StoredMerge | null> {
  const { rows: [row] } = await sql.query<{ snapshot: Snapshot; undoneAt: Date | null; undoneBy: string | null }>(
    `SELECT snapshot, "undoneAt", "undoneBy" FROM record_merge WHERE id = $1::uuid${lock ? ' FOR UPDATE' : ''}`, [id])
  if (!row) return null
  const merge = await getMerge(sql, SYSTEM, id)
  return merge && { merge: { ...merge, undoneAt: row.undoneAt && new Date(row.undoneAt), undoneBy: row.undoneBy }, snapshot: row.snapshot }
}

/**
 * Why the merge can no longer be undone (a Russian sentence naming what changed), or null when it can. `lock`:
 * inside the undo's transaction, the rows are locked as they are checked.
 */
async function undoBlocker(sql: SqlClient, { merge, snapshot }: StoredMerge, lock: boolean): Promise<string | null> {
  if (merge.undoneAt) return MERGE_RU.alreadyUndone(merge.undoneBy ?? '')
  const type = merge.type
  const { table, key } = tableOf(type)
  const forUpdate = lock ? ' FOR UPDATE' : ''
  const survivor = (await currentHashes(sql, table, [String(snapshot.survivor.id)], forUpdate)).get(String(snapshot.survivor.id))
  if (!survivor) return MERGE_RU.survivorGone(type, merge.survivor)
  if (!survivor.includes(snapshot.after.survivor)) return MERGE_RU.changedAfter(type, merge.survivor)
  const moveSpecs = movesOf(type)
  for (const [movedTable, after] of Object.entries(snapshot.after.rows)) {
    // what the table's rows are called in a refusal, and the column that names one
    const { type: label, key: keyColumn } = moveSpecs.find((m) => m.table === movedTable)!
    const now = await currentHashes(sql, movedTable, Object.keys(after), forUpdate)
    for (const before of snapshot.moved[movedTable] ?? []) {
      const id = String(before.id)
      const h = now.get(id)
      if (h?.includes(after[id])) continue
      const name = String(before[keyColumn])
      return h === undefined ? MERGE_RU.goneAfter(label, name) : MERGE_RU.changedAfter(label, name)
    }
  }
  const { rows: aliases } = await sql.query<{ alias: string; target: string; mergeId: string }>(
    `SELECT alias, "targetKey" AS target, "mergeId"::text AS "mergeId" FROM record_alias
      WHERE "entityType" = $1 AND alias = ANY($2::text[])${forUpdate}`,
    [type, [...merge.members, ...snapshot.aliases.map((a) => a.alias)]])
  const target = new Map(aliases.map((a) => [a.alias, a]))
  for (const alias of [...merge.members, ...snapshot.aliases.map((a) => a.alias)]) {
    const now = target.get(alias)
    if (!now) return MERGE_RU.aliasMoved(alias, null)
    if (now.target !== merge.survivor) return MERGE_RU.aliasMoved(alias, now.target)
  }
  const { rows: [taken] } = await sql.query<{ k: string }>(`SELECT "${key}" AS k FROM "${table}" WHERE "${key}" = ANY($1::text[]) LIMIT 1`, [merge.members])
  if (taken) return MERGE_RU.keyTaken(type, taken.k)
  const markIds = Object.keys(snapshot.after.marks)
  if (markIds.length) {
    const now = new Map(Object.entries(await hashes(sql, 'distinct_mark', markIds, forUpdate)))
    const changed = markIds.find((id) => now.get(id) !== snapshot.after.marks[id])
    if (changed !== undefined) return MERGE_RU.markChanged(Number(changed))
  }
  return null
}

/** Whether a merge can be undone now (not undone, nothing it left touched since): RecordMerge.undoable. */
export async function isUndoable(sql: SqlClient, mergeId: string): Promise<boolean> {
  const stored = await loadMerge(sql, mergeId, false)
  return stored !== null && (await undoBlocker(sql, stored, false)) === null
}

/** Columns of a snapshot row to write back: all but its id (rows are matched on it). */
const setClause = (row: Record<string, unknown>) =>
  Object.keys(row).filter((c) => c !== 'id').map((c) => `"${c}" = r."${c}"`).join(', ')

/** Puts rows back exactly as the snapshot holds them, matched by id. */
async function restoreRows(tx: SqlClient, table: string, rows: Array<Record<string, unknown>>) {
  if (rows.length === 0) return
  await tx.query(`UPDATE "${table}" x SET ${setClause(rows[0])} FROM json_populate_recordset(NULL::"${table}", $1::json) r WHERE x.id = r.id`,
    [JSON.stringify(rows)])
}

/**
 * Undoes a merge (see the module's head) and re-checks around every record it touched. NotFound when there is none the
 * caller sees; Conflict naming what changed since, or when it is undone already.
 */
export async function unmergeRecords(db: Database, principal: Principal, mergeId: string, options: MergeOptions): Promise<MergeResult> {
  mayMerge(principal)
  const found = await getMerge(db.sql, principal, mergeId.trim())
  if (!found) throw new NotFoundError(MERGE_RU.mergeNotFound(mergeId))
  if (found.undoneAt) throw new ConflictError(MERGE_RU.alreadyUndone(found.undoneBy ?? ''))
  const changes: EntityRef[] = [
    ...[found.survivor, ...found.members].map((key): EntityRef => ({ type: found.type, key })),
    ...found.moves.filter((m) => m.type !== 'incident').map((m): EntityRef => ({ type: m.type as EntityRef['type'], key: m.key })),
  ]
  const before = options.recheck === false ? null : await prepareRecheck(db, changes, { rulesDir: options.rulesDir })
  const merge = await db.sql.transaction(async (tx) => {
    const stored = (await loadMerge(tx, found.id, true))!
    const blocker = await undoBlocker(tx, stored, true)
    if (blocker) throw new ConflictError(blocker)
    await restore(tx, found.type, found.id, stored.snapshot)
    const { rows: [done] } = await tx.query<{ undoneAt: Date }>(
      `UPDATE record_merge SET "undoneAt" = now(), "undoneBy" = $2 WHERE id = $1::uuid RETURNING "undoneAt"`, [found.id, options.actor])
    if (stored.merge.findingId) {
      await tx.query(`INSERT INTO finding_event ("findingId", actor, action, data) VALUES ($1::uuid, $2, 'unmerged', $3::jsonb)`,
        [stored.merge.findingId, options.actor, JSON.stringify({ mergeId: found.id, survivor: found.survivor, members: found.members })])
    }
    return { ...stored.merge, undoneAt: new Date(done.undoneAt), undoneBy: options.actor }
  }).catch(mapMergeError({ type: found.type, keys: [found.survivor, ...found.members] }))
  log.info({ mergeId: merge.id, type: merge.type, survivor: merge.survivor, members: merge.members, actor: options.actor }, 'merge undone')
  if (before === null) return { merge, changes, resolved: [], caused: [] }
  return { merge, changes, ...await recheckAfter(db, principal, changes, before, options) }
}

async function restore(tx: SqlClient, type: MergeableType, mergeId: string, snapshot: Snapshot) {
  const { table } = tableOf(type)
  await tx.query(`DELETE FROM record_alias WHERE "mergeId" = $1::uuid`, [mergeId])
  if (snapshot.aliases.length) {
    await tx.query(
      `UPDATE record_alias x SET "targetKey" = a."targetKey" FROM json_to_recordset($2::json) AS a(alias text, "targetKey" text)
        WHERE x."entityType" = $1 AND x.alias = a.alias`, [type, JSON.stringify(snapshot.aliases)])
  }
  // the members come back with their ids (the sequence is untouched: those ids were taken from it once)
  await tx.query(`INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`, [JSON.stringify(snapshot.members)])
  await restoreRows(tx, table, [snapshot.survivor])
  for (const [movedTable, rows] of Object.entries(snapshot.moved)) await restoreRows(tx, movedTable, rows)
  await restoreRows(tx, 'distinct_mark', snapshot.marks)
}
