// Reads a large query result in batches with bounded memory: a server-side cursor inside one transaction,
// which works the same on PGlite (one connection) and PostgreSQL.
import type { SqlClient } from '../db/database.ts'

export const DEFAULT_BATCH = 10_000
/** batch size meaning «the result is known to be small: no cursor» */
export const ALL_AT_ONCE = Number.POSITIVE_INFINITY

let cursorSeq = 0

/**
 * Memory a statement of an audit may give each sort or hash before spilling to disk, for the rest of the transaction
 * `tx` (raised only: a server configured with more keeps it). PostgreSQL's default 4 MB made the detection's joins
 * over a million devices, contracts and addresses write and read 0.5 GB of temporary files (a 3.8 s join → 2.8 s at
 * 64 MB). `SVERKA_WORK_MEM` (a PostgreSQL size, e.g. 256MB) changes it. Not on the embedded database: its WASM heap
 * never gives memory back, and at 1M addresses it only grew (peak RSS 1.6 → 2.4 GB) without a faster audit.
 */
export async function roomyWorkMem(tx: SqlClient): Promise<void> {
  await tx.query(`SELECT set_config('work_mem', $1, true)
    WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes($1) AND strpos(version(), 'emscripten') = 0`,
  [process.env.SVERKA_WORK_MEM ?? '64MB'])
}

/** Calls `onBatch` with up to `batchSize` rows at a time, in the query's order. */
export async function streamRows<T>(
  sql: SqlClient, text: string, params: unknown[], onBatch: (rows: T[]) => void | Promise<void>, batchSize = DEFAULT_BATCH,
): Promise<void> {
  if (batchSize === ALL_AT_ONCE) {
    // a keyed, small result (an incremental re-check): one statement instead of a cursor's five
    const { rows } = await sql.query<T>(text, params)
    if (rows.length > 0) await onBatch(rows)
    return
  }
  const cursor = `sverka_c${++cursorSeq}`
  await sql.transaction(async (tx) => {
    await roomyWorkMem(tx)
    await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${text}`, params)
    for (;;) {
      const { rows } = await tx.query<T>(`FETCH ${batchSize} FROM ${cursor}`)
      if (rows.length > 0) await onBatch(rows)
      if (rows.length < batchSize) break
    }
    await tx.query(`CLOSE ${cursor}`)
  })
}

/**
 * Streams rows ordered by a group key and hands over whole groups: a group is cut only where the key
 * changes, never at a batch boundary, so memory holds one batch plus one group.
 */
export async function streamGroups<T>(
  sql: SqlClient, text: string, params: unknown[], keyOf: (row: T) => string,
  onGroup: (rows: T[], key: string) => void, batchSize = DEFAULT_BATCH,
): Promise<void> {
  let current: T[] = []
  let currentKey: string | null = null
  await streamRows<T>(sql, text, params, (rows) => {
    for (const row of rows) {
      const key = keyOf(row)
      if (key !== currentKey) {
        if (currentKey !== null) onGroup(current, currentKey)
        current = []
        currentKey = key
      }
      current.push(row)
    }
  }, batchSize)
  if (currentKey !== null) onGroup(current, currentKey)
}
