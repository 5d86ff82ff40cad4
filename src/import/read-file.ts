// Reads one import file into validated rows: header check, cell parsing (the record model's), duplicate keys, derived
// values (parsed addresses, normalised identifiers). No database: it runs in a worker thread for
// large files, beside the database work, and inline for small ones.
import { detectEncoding, readCsv, type Encoding } from './csv-source.ts'
import { IMPORT_RU } from '../i18n/ru-records.ts'
import { columnsOf, RECORDS } from '../records/model.ts'
import { parseRow, RowRejected, type PendingRow } from '../records/parse.ts'
import { buildPlan, rowCopy, rowHash, type UpsertPlan } from '../records/write-plan.ts'

export interface RowReject { line: number; column: string; key: string; reason: string; row: string }

export type ReadEvent =
  | { kind: 'header'; header: Array<[string, number]>; error?: string }
  /** `row`: it stands for a data row; `counted`: it counts as a rejected row (not a header note) */
  | { kind: 'reject'; reject: RowReject; row: boolean; counted: boolean }
  | { kind: 'rows'; rows: PendingRow[] }
  | { kind: 'copy'; batch: CopyBatch }
  | { kind: 'progress'; bytes: number }
  | { kind: 'end'; noHeader: boolean }

/**
 * A batch of valid rows as COPY text (a bulk load): no row objects cross to the importer. A type without references
 * comes as whole lines (`text`); one with references as the start of each line (`starts`) and, per reference column
 * of plan.copy.refs, the keys the rows name — the importer resolves them to ids and ends the lines.
 */
export interface CopyBatch {
  /** the rows' lines and keys, for a row rejected for an unknown reference and for the list of changed records */
  lines: number[]
  keys: string[]
  text?: string
  starts?: string[]
  refs?: Array<Array<string | null>>
  /** each row as read, for a rejection (only with references) */
  raws?: string[]
}

/** `copy`: valid rows come as CopyBatch (a bulk load into an empty table) instead of row objects. */
export interface ReadRequest { file: string; path: string; encoding?: Encoding; batchSize: number; copy?: boolean }

export function csvLine(fields: string[]) {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')
}

/** Events of one file, in order: its header, rejected rows, batches of valid rows, progress, the end. */
export async function* readFileEvents(request: ReadRequest): AsyncGenerator<ReadEvent> {
  const spec = RECORDS.find((f) => f.file === request.file)
  if (!spec) throw new Error(`unknown import file ${request.file}`)
  const encoding = request.encoding ?? detectEncoding(request.path)
  let header: Map<string, number> | undefined
  let missing: string[] = []
  let fileError: string | undefined
  const seen = new Map<string, number>()
  let batch: PendingRow[] = []
  let plan: UpsertPlan | undefined
  let copy: Required<Omit<CopyBatch, 'text'>> | undefined
  const freshCopy = () => ({ lines: [], keys: [], starts: [], refs: plan!.copy.refs.map(() => []), raws: [] })
  const copyBatch = (): CopyBatch => {
    const { lines, keys, starts, refs, raws } = copy!
    copy = freshCopy()
    // without references the lines are whole: one string crosses to the importer instead of one a row
    if (refs.length === 0) return { lines, keys, text: `${starts.join('\n')}\n` }
    return { lines, keys, starts, refs, raws }
  }
  let lastProgress = 0
  let bytes = 0
  for await (const item of readCsv(request.path, { encoding, onBytes: (b) => { bytes = b } })) {
    if (bytes - lastProgress > 1 << 20) {
      lastProgress = bytes
      yield { kind: 'progress', bytes }
    }
    if (item.kind === 'problem') {
      yield { kind: 'reject', row: header !== undefined, counted: true, reject: { line: item.problem.line, column: '', key: '', reason: item.problem.reason, row: '' } }
      continue
    }
    const { line, fields } = item.record
    if (!header) {
      header = new Map()
      fields.forEach((name, i) => {
        const clean = name.replace(/^\uFEFF/, '').trim().toLowerCase()
        if (!header!.has(clean)) header!.set(clean, i)
      })
      missing = columnsOf(spec).filter((c) => c.required && !header!.has(c.csv)).map((c) => c.csv)
      if (missing.length) fileError = IMPORT_RU.headerLacks(missing)
      yield { kind: 'header', header: [...header], error: fileError }
      if (!fileError) {
        plan = buildPlan(spec, header, { hashed: true })
        if (request.copy) copy = freshCopy()
      }
      if (fileError) {
        yield { kind: 'reject', row: false, counted: false, reject: { line, column: missing.join(';'), key: '', reason: IMPORT_RU.wholeFileRejected(fileError), row: csvLine(fields) } }
      }
      continue
    }
    const keyIndex = header.get(spec.key.csv)
    const key = keyIndex === undefined ? '' : (fields[keyIndex] ?? '').trim()
    if (fileError) {
      yield { kind: 'reject', row: true, counted: true, reject: { line, column: missing.join(';'), key, reason: IMPORT_RU.fileRejected(fileError), row: csvLine(fields) } }
      continue
    }
    try {
      const row = parseRow(spec, header, fields)
      const first = seen.get(key)
      if (first !== undefined) throw new RowRejected(spec.key.csv, IMPORT_RU.duplicateKey(spec.key.csv, key, first))
      seen.set(key, line)
      const pending: PendingRow = { line, key, raw: fields, row, derived: spec.derived?.compute(row) }
      if (copy) {
        const { text, refs } = rowCopy(plan!, pending, pending.derived)
        copy.lines.push(line)
        copy.keys.push(key)
        copy.starts.push(text)
        for (let i = 0; i < refs.length; i++) copy.refs[i].push(refs[i])
        if (refs.length) copy.raws.push(csvLine(fields))
      } else {
        if (plan!.hashed) pending.hash = rowHash(plan!, pending, pending.derived)
        batch.push(pending)
      }
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e
      yield { kind: 'reject', row: true, counted: true, reject: { line, column: e.column, key, reason: e.reason, row: csvLine(fields) } }
    }
    if (batch.length >= request.batchSize) {
      yield { kind: 'rows', rows: batch }
      batch = []
    }
    if (copy && copy.lines.length >= request.batchSize) yield { kind: 'copy', batch: copyBatch() }
  }
  if (batch.length) yield { kind: 'rows', rows: batch }
  if (copy?.lines.length) yield { kind: 'copy', batch: copyBatch() }
  yield { kind: 'progress', bytes }
  yield { kind: 'end', noHeader: header === undefined }
}
