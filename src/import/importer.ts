// Loads a directory of import CSVs: validates every row, resolves references across files and
// against stored rows, upserts in batches (one transaction a batch), and accounts for every
// rejected row with its file, line, column and reason.
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { csvStream, type CsvCell } from '../csv.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { InputError } from '../errors.ts'
import { moduleLogger } from '../logger.ts'
import { detectEncoding, type Encoding } from './csv-source.ts'
import { csvLine, readFileEvents, type CopyBatch, type ReadRequest } from './read-file.ts'
import { ReadWorker } from './read-worker-client.ts'
import { CELL_RU, IMPORT_RU } from '../i18n/ru-records.ts'
import { linkTablesOf, RECORDS, recordSpec, referenceOf, tableOf, type EntityRef, type EntityType, type RecordSpec } from '../records/model.ts'
import type { PendingRow } from '../records/parse.ts'
import { idsByKey, keysIn } from '../records/references.ts'
import { buildPlan, keysToWrite, syncLinks, upsert, type ReferenceIds, type UpsertPlan } from '../records/write-plan.ts'
import { AliasRows } from './alias-rows.ts'

const log = moduleLogger('import')

export interface FileCounts {
  file: string
  encoding?: Encoding
  rows: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  /** why the whole file was rejected, if it was */
  error?: string
}

export interface ImportSummary {
  dir: string
  files: FileCounts[]
  rejectsFile: string
  rejected: number
  /** no file could be read at all */
  nothingRead: boolean
  importRunId: string
  /** every record inserted or updated (type and business key), for the re-check after the import; empty when changedOverflow */
  changed: EntityRef[]
  /** more than `changedCap` records changed: `changed` is not kept (a re-check that large runs its rules whole — an audit's work) */
  changedOverflow: boolean
}

export interface ImportProgress { file: string; bytes: number; totalBytes: number; rows: number }

export interface ImportOptions {
  rejectsFile?: string
  /** force the encoding of every file; detected per file when absent */
  encoding?: Encoding
  batchSize?: number
  onProgress?: (progress: ImportProgress) => void
  onFileDone?: (counts: FileCounts) => void
  /** files at least this large, into an empty table, are bulk loaded (default 4 MiB) */
  bulkMinBytes?: number
  /** files at least this large are parsed in a worker thread (default 1 MiB) */
  workerMinBytes?: number
  /**
   * Called before each batch is written, with the records of the batch that the write will insert or change
   * (one extra query a batch finds them), so that prepareRecheck can see what they were part of before.
   * Not called once more than `changedCap` records changed, nor for a bulk load (the table was empty:
   * its records were part of nothing), nor for a product whose only change is its market links.
   */
  beforeWrite?: (records: EntityRef[]) => Promise<void>
  /** most changed records listed in the summary (default DEFAULT_CHANGED_CAP) */
  changedCap?: number
}

const BULK_MIN_BYTES = 4 << 20
/**
 * RECHECK_CAP of src/engine/incremental.ts (not imported: the engine imports this module): past it a re-check
 * runs its rules whole, so a longer list of changed records would buy nothing.
 */
export const DEFAULT_CHANGED_CAP = 5000
/** files at least this large are parsed in a worker thread, beside the database work */
const WORKER_MIN_BYTES = 1 << 20

/** Secondary indexes and foreign keys of a table, dropped for a bulk load and rebuilt after it. */
class BulkLoad {
  private constructor(
    private readonly tx: SqlClient,
    private readonly table: string,
    private readonly indexes: Array<{ name: string; definition: string }>,
    private readonly foreignKeys: Array<{ name: string; definition: string }>,
  ) {}

  static async prepare(tx: SqlClient, table: string) {
    const { rows: indexes } = await tx.query<{ name: string; definition: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = $1::regclass AND NOT x.indisprimary
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`, [`"${table}"`])
    const { rows: foreignKeys } = await tx.query<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = $1::regclass AND contype = 'f'`, [`"${table}"`])
    for (const fk of foreignKeys) await tx.exec(`ALTER TABLE "${table}" DROP CONSTRAINT "${fk.name}"`)
    for (const index of indexes) await tx.exec(`DROP INDEX "${index.name}"`)
    log.info({ table, indexes: indexes.length, foreignKeys: foreignKeys.length }, 'bulk load: indexes and keys dropped until the file is loaded')
    return new BulkLoad(tx, table, indexes, foreignKeys)
  }

  async finish() {
    const started = performance.now()
    for (const index of this.indexes) await this.tx.exec(index.definition)
    for (const fk of this.foreignKeys) await this.tx.exec(`ALTER TABLE "${this.table}" ADD CONSTRAINT "${fk.name}" ${fk.definition}`)
    log.info({ table: this.table, ms: Math.round(performance.now() - started) }, 'bulk load: indexes and keys rebuilt')
  }
}

export interface Reject { file: string; line: number; column: string; key: string; reason: string; row: string }

export async function importDirectory(db: Database, dir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(IMPORT_RU.notDirectory(dir))
  const present = RECORDS.filter((f) => existsSync(join(dir, f.file)))
  if (present.length === 0) {
    throw new InputError(IMPORT_RU.noFiles(dir, RECORDS.map((f) => f.file)))
  }
  const rejectsFile = options.rejectsFile ?? join(dir, 'rejects.csv')
  // a file people open in a spreadsheet: the writer keeps the rows' text from becoming formulas
  const rejects = csvStream({ delimiter: ',', recordDelimiter: '\n', header: ['file', 'line', 'column', 'key', 'reason', 'row'] })
  const out = createWriteStream(rejectsFile)
  rejects.pipe(out)
  const writeReject = async (r: Reject) => {
    const row: CsvCell[] = [r.file, r.line, r.column, r.key, r.reason, r.row]
    if (!rejects.write(row)) await once(rejects, 'drain')
  }

  const run = await db.prisma.importRun.create({ data: { source: dir } })
  const changes = new ChangeLog(options.changedCap ?? DEFAULT_CHANGED_CAP, options.beforeWrite)
  const reader = new ReadWorker()
  // the thread loads its modules while the small files (the catalogue) are written
  if (present.some((spec) => statSync(join(dir, spec.file)).size >= (options.workerMinBytes ?? WORKER_MIN_BYTES))) reader.start()
  const importer = new FileImporter(db.sql, options.batchSize ?? 5000, writeReject, changes, reader)
  const files: FileCounts[] = []
  try {
    // whether each file is a bulk load, decided before any is written (another file's load does not change it;
    // a table filled meanwhile is caught again in the load's transaction), so that the reader can start the next
    // file while this one's indexes are rebuilt
    const bulk = new Map<RecordSpec, boolean>()
    for (const spec of present) bulk.set(spec, await importer.wantsBulk(spec, join(dir, spec.file), options))
    for (const [i, spec] of present.entries()) {
      const next = present[i + 1]
      const readNext = next && (() => importer.prefetch(next, join(dir, next.file), options, bulk.get(next)!))
      const counts = await importer.importFile(spec, join(dir, spec.file), options, bulk.get(spec)!, readNext)
      files.push(counts)
      options.onFileDone?.(counts)
      log.info(counts, 'file imported')
    }
  } finally {
    await reader.close()
    rejects.end()
    await once(out, 'close')
  }
  // fresh statistics for the tables that changed: the embedded database has no autovacuum, and
  // the audit's joins need them to pick sane plans
  for (const f of files) {
    if (f.inserted + f.updated === 0) continue
    const spec = RECORDS.find((x) => x.file === f.file)!
    await db.sql.exec(`ANALYZE ${[spec.table, ...linkTablesOf(spec)].map((t) => `"${t}"`).join(', ')}`)
  }
  const rejected = files.reduce((n, f) => n + f.rejected, 0)
  const nothingRead = files.every((f) => f.error !== undefined)
  await db.prisma.importRun.update({
    where: { id: run.id },
    data: { finishedAt: new Date(), counts: Object.fromEntries(files.map(({ file, ...c }) => [file, c])), changed: changes.stored() },
  })
  return { dir, files, rejectsFile, rejected, nothingRead, importRunId: run.id, changed: changes.list(), changedOverflow: changes.overflow }
}

/** The records an import changed, up to a cap, and the beforeWrite hook that sees them first. */
class ChangeLog {
  private readonly seen = new Map<string, EntityRef>()
  overflow = false

  constructor(private readonly cap: number, readonly beforeWrite?: (records: EntityRef[]) => Promise<void>) {}

  /** whether the hook still wants the records about to change */
  get watching() {
    return this.beforeWrite !== undefined && !this.overflow
  }

  /** the records of `keys` not listed yet; marks the overflow instead when they would pass the cap */
  fresh(type: EntityType, keys: Iterable<string>): EntityRef[] | null {
    if (this.overflow) return null
    const refs: EntityRef[] = []
    for (const key of keys) if (!this.seen.has(`${type}\u0000${key}`)) refs.push({ type, key })
    if (this.seen.size + refs.length > this.cap) {
      this.overflow = true
      this.seen.clear()
      return null
    }
    return refs
  }

  add(type: EntityType, keys: Iterable<string>) {
    for (const ref of this.fresh(type, keys) ?? []) this.seen.set(`${type}\u0000${ref.key}`, ref)
  }

  list() {
    return [...this.seen.values()]
  }

  /** import_run.changed: the keys per entity type, or that there were too many to keep */
  stored(): Record<string, string[] | boolean> {
    if (this.overflow) return { overflow: true }
    const byType: Record<string, string[]> = {}
    for (const ref of this.seen.values()) (byType[ref.type] ??= []).push(ref.key)
    return byType
  }
}

/** Imports one file at a time; keeps the reference caches between files. */
class FileImporter {
  private readonly cache = new Map<EntityType, Map<string, number>>()

  constructor(
    private readonly sql: SqlClient,
    private readonly batchSize: number,
    private readonly reject: (r: Reject) => Promise<void>,
    private readonly changes: ChangeLog,
    private readonly reader: ReadWorker,
  ) {}

  /** the connection of the file-wide transaction of a bulk load, when one is under way */
  private fileTx: SqlClient | undefined
  private bulk: BulkLoad | undefined

  /**
   * A large file into an empty table is a bulk load: one transaction for the file, secondary
   * indexes and foreign keys dropped and rebuilt at the end (a sorted index build and one join
   * instead of a million incremental index inserts and key checks). References are checked by
   * the importer itself before rows are written, so the rebuilt keys validate.
   */
  async wantsBulk(spec: RecordSpec, path: string, options: ImportOptions): Promise<boolean> {
    const size = statSync(path).size
    const bulkMin = options.bulkMinBytes ?? BULK_MIN_BYTES
    // a record type with link rows (a product's markets) is never bulk loaded: its links are synced batch by batch
    // nor a type with aliases: an alias row writes its survivor by upsert, which needs the key's unique index
    return size >= bulkMin && linkTablesOf(spec).length === 0 && await this.isEmpty(this.sql, spec.table) && !(await AliasRows.any(this.sql, spec))
  }

  /** The reader's request for a file: a bulk load's rows come as COPY text, in larger batches. */
  private request(spec: RecordSpec, path: string, options: ImportOptions, bulk: boolean): ReadRequest {
    // a bulk load has the table to itself: fewer, larger batches cost less per row
    const batchSize = bulk ? this.batchSize * 4 : this.batchSize
    return { file: spec.file, path, encoding: options.encoding ?? detectEncoding(path), batchSize, copy: bulk }
  }

  /** Lets the reader thread start on a large file before the file before it is done with. */
  prefetch(spec: RecordSpec, path: string, options: ImportOptions, bulk: boolean) {
    const size = statSync(path).size
    if (size > 0 && size >= (options.workerMinBytes ?? WORKER_MIN_BYTES)) this.reader.prefetch(this.request(spec, path, options, bulk))
  }

  async importFile(spec: RecordSpec, path: string, options: ImportOptions, bulk: boolean, readNext?: () => void): Promise<FileCounts> {
    if (!bulk) return this.readFile(spec, path, options, readNext)
    return this.sql.transaction(async (tx) => {
      await tx.exec(`LOCK TABLE "${spec.table}" IN ACCESS EXCLUSIVE MODE`)
      if (!(await this.isEmpty(tx, spec.table))) { // filled meanwhile: an ordinary upsert, in this transaction
        this.fileTx = tx
        try { return await this.readFile(spec, path, options, readNext) } finally { this.fileTx = undefined }
      }
      const load = await BulkLoad.prepare(tx, spec.table)
      this.fileTx = tx
      this.bulk = load
      try {
        const counts = await this.readFile(spec, path, options, readNext)
        await load.finish()
        return counts
      } finally {
        this.fileTx = undefined
        this.bulk = undefined
      }
    })
  }

  private async isEmpty(sql: SqlClient, table: string) {
    const { rows } = await sql.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM "${table}") AS empty`)
    return rows[0].empty
  }

  private async readFile(spec: RecordSpec, path: string, options: ImportOptions, readNext?: () => void): Promise<FileCounts> {
    const counts: FileCounts = { file: spec.file, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 }
    const totalBytes = statSync(path).size
    const rejectRow = async (line: number, column: string, key: string, reason: string, raw: string[]) => {
      counts.rejected++
      await this.reject({ file: spec.file, line, column, key, reason, row: csvLine(raw) })
    }
    if (totalBytes === 0) {
      readNext?.()
      counts.error = IMPORT_RU.emptyFile
      await this.reject({ file: spec.file, line: 1, column: '', key: '', reason: IMPORT_RU.nothingRead(IMPORT_RU.emptyFile), row: '' })
      this.cache.delete(spec.entity)
      return counts
    }
    const encoding = options.encoding ?? detectEncoding(path)
    counts.encoding = encoding
    let fileError: string | undefined
    let plan: UpsertPlan | undefined
    let header: Map<string, number> | undefined
    // a merged member's key is an alias: its rows change the survivor, never re-create the member (one read a file)
    const aliases = await AliasRows.load(this.fileTx ?? this.sql, spec)
    // one batch is written while the next is parsed (on PostgreSQL the database works in parallel)
    let writing: Promise<void> = Promise.resolve()
    const write = async (rows: PendingRow[]) => {
      await writing
      writing = this.flush(spec, plan!, rows, counts, rejectRow, header!, aliases)
      writing.catch(() => {}) // surfaced by the next await
    }
    let bytesRead = 0
    const progress = () => options.onProgress?.({ file: spec.file, bytes: bytesRead, totalBytes, rows: counts.rows })
    // a bulk load is COPY text built where the rows are parsed: no row objects cross to this thread
    const request = this.request(spec, path, options, this.bulk !== undefined)
    const events = totalBytes >= (options.workerMinBytes ?? WORKER_MIN_BYTES) ? this.reader.read(request) : readFileEvents(request)
    const writeCopy = async (batch: CopyBatch) => {
      await writing
      writing = this.copyRows(spec, plan!, batch, counts)
      writing.catch(() => {}) // surfaced by the next await
    }
    for await (const event of events) {
      switch (event.kind) {
        case 'header':
          fileError = event.error
          header = new Map(event.header)
          if (!fileError) plan = buildPlan(spec, header, { hashed: true })
          break
        case 'reject':
          counts.rows += event.row ? 1 : 0
          counts.rejected += event.counted ? 1 : 0
          await this.reject({ file: spec.file, ...event.reject })
          break
        case 'rows':
          counts.rows += event.rows.length
          await write(event.rows)
          break
        case 'copy':
          counts.rows += event.batch.lines.length
          await writeCopy(event.batch)
          break
        case 'progress':
          bytesRead = event.bytes
          progress()
          break
        case 'end':
          if (event.noHeader) {
            fileError = IMPORT_RU.noHeader
            await this.reject({ file: spec.file, line: 1, column: '', key: '', reason: IMPORT_RU.nothingRead(IMPORT_RU.noHeader), row: '' })
          }
          break
      }
    }
    readNext?.() // every row is read: the reader may go on with the next file while these are written
    await writing
    if (fileError) counts.error = fileError
    bytesRead = totalBytes
    progress()
    this.cache.delete(spec.entity) // rows of this entity changed: reload on next use
    return counts
  }

  private async flush(spec: RecordSpec, plan: UpsertPlan, rows: PendingRow[], counts: FileCounts,
    rejectRow: (line: number, column: string, key: string, reason: string, raw: string[]) => Promise<void>,
    header: Map<string, number>, aliases: AliasRows | null) {
    let batch = rows
    if (aliases) {
      batch = rows.filter((r) => !aliases.isAlias(r.key))
      await aliases.keepMembersValues(this.fileTx ?? this.sql, batch, header)
    }
    await this.flushRecords(spec, plan, batch, counts, rejectRow)
    if (aliases && batch.length < rows.length) {
      await this.flushAliasRows(spec, aliases, rows.filter((r) => aliases.isAlias(r.key)), counts, rejectRow, header)
    }
  }

  /** Rows keyed by an alias, one by one (a merge leaves few): each changes its survivor where it differs from the alias's last row. */
  private async flushAliasRows(spec: RecordSpec, aliases: AliasRows, rows: PendingRow[], counts: FileCounts,
    rejectRow: (line: number, column: string, key: string, reason: string, raw: string[]) => Promise<void>, header: Map<string, number>) {
    for (const r of rows) {
      const outcome = await aliases.outcome(this.fileTx ?? this.sql, r, header)
      if (outcome.kind === 'reject') {
        await rejectRow(r.line, outcome.column, r.key, outcome.reason, r.raw)
        continue
      }
      if (outcome.kind === 'unchanged') {
        counts.unchanged++
        continue
      }
      if (this.changes.watching && !this.fileTx) {
        const toWrite = this.changes.fresh(spec.entity, await this.sql.transaction((tx) => keysToWrite(tx, outcome.plan, [outcome.pending], outcome.ids)))
        if (toWrite?.length) await this.changes.beforeWrite!(toWrite)
      }
      const inTransaction = <T>(fn: (tx: SqlClient) => Promise<T>) => (this.fileTx ? fn(this.fileTx) : this.sql.transaction(fn))
      const written = await inTransaction(async (tx) => {
        // the whole record's staging table has other columns than the file's: in a file-wide transaction it is
        // still there between batches, so it is dropped around this write
        if (this.fileTx) await tx.exec('DROP TABLE IF EXISTS sverka_stage')
        const upserted = await upsert(tx, outcome.plan, [outcome.pending], outcome.ids, false)
        if (this.fileTx) await tx.exec('DROP TABLE IF EXISTS sverka_stage')
        await aliases.remember(tx, r.key, outcome.values)
        return upserted
      })
      this.changes.add(spec.entity, written.keys())
      if (written.size > 0) counts.updated++
      else counts.unchanged++
    }
  }

  private async flushRecords(spec: RecordSpec, plan: UpsertPlan, batch: PendingRow[], counts: FileCounts,
    rejectRow: (line: number, column: string, key: string, reason: string, raw: string[]) => Promise<void>) {
    if (batch.length === 0) return
    if (plan.hashed) batch = await this.withoutSameHash(plan, batch, counts)
    if (batch.length === 0) return
    // resolve references; a row with an unknown one is rejected, the rest go on
    const ids: ReferenceIds = new Map()
    for (const column of plan.refColumns) {
      const codes = new Set<string>()
      for (const r of batch) for (const c of keysIn(r.row[column.csv])) codes.add(c)
      ids.set(column, await this.lookup(referenceOf(column)!, [...codes]))
    }
    const good: PendingRow[] = []
    for (const r of batch) {
      let failed = false
      for (const column of plan.refColumns) {
        const found = ids.get(column)!
        const unknown = keysIn(r.row[column.csv]).filter((c) => !found.has(c))
        if (unknown.length) {
          await rejectRow(r.line, column.csv, r.key, CELL_RU.unknownReference(referenceOf(column)!, unknown), r.raw)
          failed = true
          break
        }
      }
      if (!failed) good.push(r)
    }
    if (good.length === 0) return
    // a bulk load's table was empty, and its transaction holds the embedded database's one connection: no look before
    if (this.changes.watching && !this.fileTx) {
      const toWrite = this.changes.fresh(spec.entity, await this.sql.transaction((tx) => keysToWrite(tx, plan, good, ids)))
      if (toWrite?.length) await this.changes.beforeWrite!(toWrite)
    }
    const inTransaction = <T>(fn: (tx: SqlClient) => Promise<T>) => (this.fileTx ? fn(this.fileTx) : this.sql.transaction(fn))
    const result = await inTransaction(async (tx) => {
      const upserted = await upsert(tx, plan, good, ids, this.bulk !== undefined)
      if (plan.listColumn) {
        const changed = await syncLinks(tx, plan, good, ids)
        for (const key of changed) if (!upserted.has(key)) upserted.set(key, false)
      }
      return upserted
    })
    this.changes.add(spec.entity, result.keys())
    let inserted = 0
    for (const isNew of result.values()) if (isNew) inserted++
    counts.inserted += inserted
    counts.updated += result.size - inserted
    counts.unchanged += good.length - result.size
  }

  /**
   * The rows whose record still holds what an import row of the same hash wrote (the trigger clears a stored hash
   * on every other write): counted unchanged and dropped, without staging or comparing their values.
   */
  private async withoutSameHash(plan: UpsertPlan, batch: PendingRow[], counts: FileCounts): Promise<PendingRow[]> {
    const hashed = batch.filter((r) => r.hash !== undefined)
    if (hashed.length === 0) return batch
    const { rows } = await (this.fileTx ?? this.sql).query<{ key: string }>(plan.sameHashSql, [hashed.map((r) => r.key), hashed.map((r) => r.hash)])
    if (rows.length === 0) return batch
    const same = new Set(rows.map((r) => r.key))
    counts.unchanged += same.size
    return batch.filter((r) => !same.has(r.key))
  }

  /**
   * A bulk load's batch: its references resolved to ids (a row naming an unknown one is rejected, with its line and
   * column), then COPY straight into the table, whose indexes and keys are rebuilt after the file.
   */
  private async copyRows(spec: RecordSpec, plan: UpsertPlan, batch: CopyBatch, counts: FileCounts) {
    const tx = this.fileTx!
    let text = batch.text
    let keys = batch.keys
    if (text === undefined) {
      const refs = plan.copy.refs
      const ids: Array<Map<string, number>> = []
      for (let i = 0; i < refs.length; i++) { // one after another: the embedded database has one connection
        const codes = new Set<string>()
        for (const key of batch.refs![i]) if (key !== null) codes.add(key)
        ids.push(await this.lookup(referenceOf(refs[i])!, [...codes]))
      }
      const lines: string[] = []
      keys = []
      for (let r = 0; r < batch.lines.length; r++) {
        let line = batch.starts![r]
        let rejected = false
        for (let i = 0; i < refs.length; i++) {
          const key = batch.refs![i][r]
          if (key === null) { line += '\t\\N'; continue }
          const id = ids[i].get(key)
          if (id === undefined) {
            counts.rejected++
            await this.reject({ file: spec.file, line: batch.lines[r], column: refs[i].csv, key: batch.keys[r], reason: CELL_RU.unknownReference(referenceOf(refs[i])!, [key]), row: batch.raws![r] })
            rejected = true
            break
          }
          line += `\t${id}`
        }
        if (rejected) continue
        lines.push(line)
        keys.push(batch.keys[r])
      }
      if (lines.length === 0) return
      text = `${lines.join('\n')}\n`
    }
    await tx.copyFrom(plan.copy.target, text)
    counts.inserted += keys.length
    this.changes.add(spec.entity, keys)
  }

  private async lookup(entity: EntityType, codes: string[]): Promise<Map<string, number>> {
    const { table, key } = tableOf(entity)
    // the catalogue's tables are small: read whole once; the others are looked up per batch
    if (recordSpec(entity).catalogue) {
      let all = this.cache.get(entity)
      if (!all) {
        const { rows } = await (this.fileTx ?? this.sql).query<{ k: string; id: number }>(`SELECT "${key}" AS k, id FROM "${table}"`)
        all = new Map(rows.map((r) => [r.k, r.id]))
        this.cache.set(entity, all)
      }
      return all
    }
    // inside a bulk load every query goes through its transaction (PGlite has one connection)
    return idsByKey(this.fileTx ?? this.sql, entity, codes)
  }
}

