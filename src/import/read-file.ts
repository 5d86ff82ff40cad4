// Reads one import file into validated rows: header check, cell parsing, duplicate keys, derived
// values (parsed addresses, normalised identifiers). No database: it runs in a worker thread for
// large files, beside the database work, and inline for small ones.
import { isIsoDate } from '../dates.ts'
import { detectEncoding, readCsv, type Encoding } from './csv-source.ts'
import { CELL_RU, IMPORT_RU } from '../i18n/ru-records.ts'
import { FILES, type FileSpec, type ParsedRow } from './files.ts'

export interface PendingRow {
  line: number
  key: string
  raw: string[]
  row: ParsedRow
  /** values derived from the row (FileSpec.derived), computed where the row was read */
  derived?: Record<string, string | null>
}

export interface RowReject { line: number; column: string; key: string; reason: string; row: string }

export type ReadEvent =
  | { kind: 'header'; header: Array<[string, number]>; error?: string }
  /** `row`: it stands for a data row; `counted`: it counts as a rejected row (not a header note) */
  | { kind: 'reject'; reject: RowReject; row: boolean; counted: boolean }
  | { kind: 'rows'; rows: PendingRow[] }
  | { kind: 'progress'; bytes: number }
  | { kind: 'end'; noHeader: boolean }

export interface ReadRequest { file: string; path: string; encoding?: Encoding; batchSize: number }

// dates repeat a lot across a file: remember the valid ones (a small, bounded domain)
const knownDates = new Set<string>()

function validDate(value: string) {
  if (knownDates.has(value)) return true
  const ok = isIsoDate(value)
  if (ok && knownDates.size < 200_000) knownDates.add(value)
  return ok
}

export function csvLine(fields: string[]) {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')
}

export class RowRejected {
  constructor(readonly column: string, readonly reason: string) {}
}

/** Cell text → typed value; throws RowRejected naming the column. */
export function parseRow(spec: FileSpec, header: Map<string, number>, fields: string[]): ParsedRow {
  const row: ParsedRow = {}
  for (const column of [spec.key, ...spec.columns]) {
    const index = header.get(column.csv)
    if (index === undefined) continue
    const rawValue = (fields[index] ?? '').trim()
    if (rawValue.includes('\uFFFD')) {
      throw new RowRejected(column.csv, CELL_RU.notEncoding('UTF-8', 'Windows-1251', '--encoding cp1251'))
    }
    const value = rawValue === '' ? null : rawValue
    if (value === null) {
      if (column.required) throw new RowRejected(column.csv, CELL_RU.required)
      row[column.csv] = column.cell.kind === 'refList' ? [] : null
      continue
    }
    switch (column.cell.kind) {
      case 'date':
        if (!validDate(value)) throw new RowRejected(column.csv, CELL_RU.badDate(value, 'YYYY-MM-DD'))
        row[column.csv] = value
        break
      case 'enum': {
        const upper = value.toUpperCase()
        if (!column.cell.values.includes(upper)) {
          throw new RowRejected(column.csv, CELL_RU.unknownValue(value, column.cell.values))
        }
        row[column.csv] = upper
        break
      }
      case 'refList':
        row[column.csv] = [...new Set(value.split(';').map((v) => v.trim()).filter(Boolean))]
        break
      default:
        row[column.csv] = value
    }
  }
  return row
}


/** Events of one file, in order: its header, rejected rows, batches of valid rows, progress, the end. */
export async function* readFileEvents(request: ReadRequest): AsyncGenerator<ReadEvent> {
  const spec = FILES.find((f) => f.file === request.file)
  if (!spec) throw new Error(`unknown import file ${request.file}`)
  const encoding = request.encoding ?? detectEncoding(request.path)
  let header: Map<string, number> | undefined
  let missing: string[] = []
  let fileError: string | undefined
  const seen = new Map<string, number>()
  let batch: PendingRow[] = []
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
      missing = [spec.key, ...spec.columns].filter((c) => c.required && !header!.has(c.csv)).map((c) => c.csv)
      if (missing.length) fileError = IMPORT_RU.headerLacks(missing)
      yield { kind: 'header', header: [...header], error: fileError }
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
      batch.push({ line, key, raw: fields, row, derived: spec.derived?.compute(row) })
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e
      yield { kind: 'reject', row: true, counted: true, reject: { line, column: e.column, key, reason: e.reason, row: csvLine(fields) } }
    }
    if (batch.length >= request.batchSize) {
      yield { kind: 'rows', rows: batch }
      batch = []
    }
  }
  if (batch.length) yield { kind: 'rows', rows: batch }
  yield { kind: 'progress', bytes }
  yield { kind: 'end', noHeader: header === undefined }
}
