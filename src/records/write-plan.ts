// The write plan of a record type: one upsert statement for the columns a header (a file's, or a whole record's) gives,
// the staging of parsed rows into it, and the link rows of a list of references. Written rows come out as the keys
// inserted or changed; unchanged rows are not written at all. Used by the import (batches of a file), the API's
// writes and the pre-write check (one record), inside their transactions.
import { hash } from 'node:crypto'
import { copyValue, type SqlClient } from '../db/database.ts'
import { columnsOf, linkTablesOf, type ColumnSpec, type RecordSpec } from './model.ts'
import type { PendingRow } from './parse.ts'

/** The ids of the records each reference column names, by business key (see references.ts). */
export type ReferenceIds = Map<ColumnSpec, Map<string, number>>

interface PlanColumn {
  db: string
  select: string
  value: (r: PendingRow, ids: ReferenceIds, derived: Record<string, string | null> | undefined) => string | number | null | undefined
  /** a reference: the column of the row that holds the business key */
  ref?: ColumnSpec
}

/**
 * A bulk load's COPY straight into the table: every column but the references, typed as the table has them and
 * in the text the file's parser builds (rowCopy), then the references' ids, which the importer appends.
 */
export interface CopyPlan {
  /** `"table" ("col", …)` for COPY */
  target: string
  /** the reference columns, in the order their ids end each line */
  refs: ColumnSpec[]
}

export interface UpsertPlan {
  spec: RecordSpec
  columns: PlanColumn[]
  refColumns: ColumnSpec[]
  /** the list of references in the header (a product's markets): written as link rows, see syncLinks */
  listColumn?: ColumnSpec
  stage: string
  sql: string
  insertSql: string
  /** the keys of the staged rows that `sql` would insert or change */
  diffSql: string
  /** rows carry an import hash (rowHash), written to "importHash": an import's plan, for a type without link rows */
  hashed: boolean
  copy: CopyPlan
  /** the rows of `unnest($1 keys, $2 hashes)` whose stored hash is the same: unchanged, to be skipped */
  sameHashSql: string
}

/** A cell of a single value as parsed (a list is never staged: its links are written by syncLinks). */
function cellText(r: PendingRow, csv: string): string | null {
  const value = r.row[csv]
  return Array.isArray(value) ? value.join(';') : value ?? null
}

/**
 * The upsert statement for the columns this file's header has. `hashed`: the import's rows carry rowHash, stored in
 * "importHash" with every row written (the API's writes leave it out: the table's trigger then clears it).
 */
export function buildPlan(spec: RecordSpec, header: Map<string, number>, options: { hashed?: boolean } = {}): UpsertPlan {
  const columns: PlanColumn[] = []
  const refColumns: ColumnSpec[] = []
  let listColumn: ColumnSpec | undefined
  for (const column of columnsOf(spec)) {
    if (!header.has(column.csv)) continue
    const cell = column.cell
    if (cell.kind === 'ref' || cell.kind === 'refList') refColumns.push(column)
    if (cell.kind === 'refList') { listColumn = column; continue }
    if (!column.db) continue
    const i = columns.length
    switch (cell.kind) {
      case 'ref':
        columns.push({ db: column.db, select: `v${i}::int`, ref: column, value: (r, ids) => { const key = cellText(r, column.csv); return key ? ids.get(column)!.get(key) : null } })
        break
      case 'date':
        columns.push({ db: column.db, select: `v${i}::date`, value: (r) => cellText(r, column.csv) })
        break
      case 'enum':
        columns.push({ db: column.db, select: `v${i}::"${cell.name}"`, value: (r) => cellText(r, column.csv) })
        break
      default:
        columns.push({ db: column.db, select: `v${i}`, value: (r) => cellText(r, column.csv) })
    }
  }
  for (const d of spec.derived?.columns ?? []) {
    if (!d.from.every((c) => header.has(c))) continue
    const i = columns.length
    columns.push({ db: d.db, select: `v${i}`, value: (_r, _ids, derived) => derived![d.db] ?? null })
  }
  // a product's markets are link rows: a hash on the product row would not see them change through the API
  const hashed = (options.hashed ?? false) && linkTablesOf(spec).length === 0
  if (hashed) columns.push({ db: 'importHash', select: `v${columns.length}`, value: (r) => r.hash ?? null })
  const q = (c: string) => `"${c}"`
  const keyDb = spec.key.db
  const rest = columns.filter((c) => c.db !== keyDb)
  // the hash is written with the values, never compared: a row whose values are unchanged is not written at all
  const compared = rest.filter((c) => c.db !== 'importHash')
  const onConflict = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${[...rest.map((c) => `${q(c.db)} = EXCLUDED.${q(c.db)}`), '"updatedAt" = now()'].join(', ')}
WHERE (${compared.map((c) => `${q(spec.table)}.${q(c.db)}`).join(', ')}, true) IS DISTINCT FROM (${compared.map((c) => `EXCLUDED.${q(c.db)}`).join(', ')}, true)`
  // rows arrive by COPY into a temporary all-text table, then one INSERT … SELECT casts them
  const stage = `CREATE TEMP TABLE IF NOT EXISTS sverka_stage (${columns.map((_, i) => `v${i} text`).join(', ')}) ON COMMIT DROP; TRUNCATE sverka_stage`
  const insert = `INSERT INTO ${q(spec.table)} (${columns.map((c) => q(c.db)).join(', ')})
SELECT ${columns.map((c) => c.select).join(', ')}
FROM sverka_stage`
  const sql = `${insert}
ON CONFLICT (${q(keyDb)}) ${onConflict}
RETURNING ${q(keyDb)} AS key, (xmax = 0) AS inserted`
  // bulk load into an empty table without its unique index: keys are unique within the file
  const insertSql = `${insert}
RETURNING ${q(keyDb)} AS key, true AS inserted`
  const keyAt = columns.findIndex((c) => c.db === keyDb)
  const diffSql = `SELECT s.c${keyAt} AS key
FROM (SELECT ${columns.map((c, i) => `${c.select} AS c${i}`).join(', ')} FROM sverka_stage) s
LEFT JOIN ${q(spec.table)} t ON t.${q(keyDb)} = s.c${keyAt}
WHERE t.${q(keyDb)} IS NULL${rest.length === 0 ? '' : `
   OR (${compared.map((c) => `t.${q(c.db)}`).join(', ')}, true) IS DISTINCT FROM (${compared.map((c) => `s.c${columns.indexOf(c)}`).join(', ')}, true)`}`
  const copyColumns = [...columns.filter((c) => !c.ref), ...columns.filter((c) => c.ref)]
  const copy = { target: `${q(spec.table)} (${copyColumns.map((c) => q(c.db)).join(', ')})`, refs: columns.flatMap((c) => (c.ref ? [c.ref] : [])) }
  const sameHashSql = `SELECT t.${q(keyDb)} AS key FROM ${q(spec.table)} t
JOIN unnest($1::text[], $2::text[]) AS u(k, h) ON t.${q(keyDb)} = u.k AND t."importHash" = u.h`
  return { spec, columns, refColumns, listColumn, stage, sql, insertSql, diffSql, hashed, copy, sameHashSql }
}

/**
 * The import hash of a parsed row: every value the plan writes (a reference as its business key, derived values
 * as derived) under the plan's column names, so that a file with other columns, or a normaliser that now derives
 * something else, gives another hash. md5 as a fingerprint, not for security.
 */
export function rowHash(plan: UpsertPlan, r: PendingRow, derived: Record<string, string | null> | undefined): string {
  return hashOf(plan, cellsOf(plan, r, derived))
}

/** The plan's values of a row as COPY text, a reference as its business key; the hash column left out. */
function cellsOf(plan: UpsertPlan, r: PendingRow, derived: Record<string, string | null> | undefined): string[] {
  const cells: string[] = []
  for (const c of plan.columns) {
    if (c.db === 'importHash') continue
    cells.push(c.ref ? copyValue(cellText(r, c.ref.csv)) : copyValue(c.value(r, NO_IDS, derived)))
  }
  return cells
}

const hashOf = (plan: UpsertPlan, cells: string[]) => hash('md5', `${plan.copy.target}\t${cells.join('\t')}`, 'base64url')

const NO_IDS: ReferenceIds = new Map()

/**
 * A parsed row as the start of its COPY line (every column but the references, the hash last) and the keys its
 * references name, in the order of plan.copy.refs. Built where the row is parsed.
 */
export function rowCopy(plan: UpsertPlan, r: PendingRow, derived: Record<string, string | null> | undefined): { text: string; refs: Array<string | null> } {
  const all = cellsOf(plan, r, derived)
  const cells: string[] = []
  const refs: Array<string | null> = []
  let i = 0
  for (const c of plan.columns) {
    if (c.db === 'importHash') continue
    if (c.ref) refs.push(cellText(r, c.ref.csv))
    else cells.push(all[i])
    i++
  }
  if (plan.hashed) cells.push(hashOf(plan, all))
  return { text: cells.join('\t'), refs }
}

/** Upserts rows; returns the keys written (true: inserted, false: updated). Unchanged rows are not returned. */
export async function upsert(tx: SqlClient, plan: UpsertPlan, rows: PendingRow[], ids: ReferenceIds, bulk: boolean) {
  await stageRows(tx, plan, rows, ids)
  const { rows: written } = await tx.query<{ key: string; inserted: boolean }>(bulk ? plan.insertSql : plan.sql)
  return new Map(written.map((w) => [w.key, w.inserted]))
}

/** The keys of `rows` that upsert would insert or change, found without writing (the rows are staged and compared). */
export async function keysToWrite(tx: SqlClient, plan: UpsertPlan, rows: PendingRow[], ids: ReferenceIds): Promise<string[]> {
  await stageRows(tx, plan, rows, ids)
  const { rows: keys } = await tx.query<{ key: string }>(plan.diffSql)
  return keys.map((k) => k.key)
}

/** Copies rows into the temporary all-text table sverka_stage (dropped when the transaction ends). */
async function stageRows(tx: SqlClient, plan: UpsertPlan, rows: PendingRow[], ids: ReferenceIds) {
  const derive = plan.spec.derived
  const lines = Array.from<string>({ length: rows.length })
  const cells = Array.from<string>({ length: plan.columns.length })
  for (let r = 0; r < rows.length; r++) {
    const derived = derive ? rows[r].derived ?? derive.compute(rows[r].row) : undefined
    for (let c = 0; c < plan.columns.length; c++) cells[c] = copyValue(plan.columns[c].value(rows[r], ids, derived))
    lines[r] = cells.join('\t')
  }
  await tx.exec(plan.stage)
  await tx.copyFrom('sverka_stage', `${lines.join('\n')}\n`)
}

/**
 * Makes each record's link rows equal its list of references (a product's `markets`); returns the keys whose links
 * changed. The records are written already (their ids are looked up by key).
 */
export async function syncLinks(tx: SqlClient, plan: UpsertPlan, rows: PendingRow[], ids: ReferenceIds): Promise<string[]> {
  const column = plan.listColumn
  if (!column || column.cell.kind !== 'refList') return []
  const { table, own, other } = column.cell.link
  const spec = plan.spec
  const targetIds = ids.get(column)!
  const keys = rows.map((r) => r.key)
  const { rows: records } = await tx.query<{ k: string; id: number; linked: number[] | null }>(
    `SELECT x."${spec.key.db}" AS k, x.id, array_remove(array_agg(l."${other}" ORDER BY l."${other}"), NULL) AS linked
     FROM "${spec.table}" x LEFT JOIN "${table}" l ON l."${own}" = x.id
     WHERE x."${spec.key.db}" = ANY($1::text[]) GROUP BY x."${spec.key.db}", x.id`, [keys])
  const byKey = new Map(records.map((p) => [p.k, p]))
  const changed: string[] = []
  const recordIds: number[] = []
  const linkOwn: number[] = []
  const linkOther: number[] = []
  for (const r of rows) {
    const record = byKey.get(r.key)!
    const wanted = (r.row[column.csv] as string[]).map((c) => targetIds.get(c)!).sort((a, b) => a - b)
    const have = record.linked ?? []
    if (wanted.length === have.length && wanted.every((m, i) => m === have[i])) continue
    changed.push(r.key)
    recordIds.push(record.id)
    for (const m of wanted) { linkOwn.push(record.id); linkOther.push(m) }
  }
  if (recordIds.length) {
    await tx.query(`DELETE FROM "${table}" WHERE "${own}" = ANY($1::int[])`, [recordIds])
    if (linkOwn.length) {
      await tx.query(`INSERT INTO "${table}" ("${own}", "${other}") SELECT * FROM unnest($1::int[], $2::int[])`, [linkOwn, linkOther])
    }
  }
  return changed
}
