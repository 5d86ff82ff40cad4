// A record's cells, from text to typed values: what each cell kind must hold, checked the same way for a CSV row,
// a record written through the API and a candidate checked before it is written. No database.
import { isIsoDate } from '../dates.ts'
import { CELL_RU } from '../i18n/ru-records.ts'
import { columnsOf, type ColumnSpec, type ParsedRow, type RecordSpec } from './model.ts'

/** A row parsed and ready to be written: its line (1 outside a file), key, the cells as given, the typed values. */
export interface PendingRow {
  line: number
  key: string
  raw: string[]
  row: ParsedRow
  /** values derived from the row (RecordSpec.derived), computed where the row was read */
  derived?: Record<string, string | null>
  /** the import's hash of the row (write-plan.ts rowHash), when its plan stores one */
  hash?: string
}

/** A cell that is not what its column must hold: the column and why. */
export class RowRejected extends Error {
  constructor(readonly column: string, readonly reason: string) {
    super(`${column}: ${reason}`)
    this.name = 'RowRejected'
  }
}

// dates repeat a lot across a file: remember the valid ones (a small, bounded domain)
const knownDates = new Set<string>()

function validDate(value: string) {
  if (knownDates.has(value)) return true
  const ok = isIsoDate(value)
  if (ok && knownDates.size < 200_000) knownDates.add(value)
  return ok
}

/** One cell's text → its typed value (null for empty, a list for a list of references); throws RowRejected. */
export function parseCell(column: ColumnSpec, text: string): string | null | string[] {
  const trimmed = text.trim()
  if (trimmed.includes('\uFFFD')) {
    throw new RowRejected(column.csv, CELL_RU.notEncoding('UTF-8', 'Windows-1251', '--encoding cp1251'))
  }
  if (trimmed === '') {
    if (column.required) throw new RowRejected(column.csv, CELL_RU.required)
    return column.cell.kind === 'refList' ? [] : null
  }
  switch (column.cell.kind) {
    case 'date':
      if (!validDate(trimmed)) throw new RowRejected(column.csv, CELL_RU.badDate(trimmed, 'YYYY-MM-DD'))
      return trimmed
    case 'enum': {
      const upper = trimmed.toUpperCase()
      if (!column.cell.values.includes(upper)) throw new RowRejected(column.csv, CELL_RU.unknownValue(trimmed, column.cell.values))
      return upper
    }
    case 'refList':
      return [...new Set(trimmed.split(';').map((v) => v.trim()).filter(Boolean))]
    default:
      return trimmed
  }
}

/** The cells a header names → typed values; throws RowRejected naming the first bad column. */
export function parseRow(spec: RecordSpec, header: Map<string, number>, fields: string[]): ParsedRow {
  const row: ParsedRow = {}
  for (const column of columnsOf(spec)) {
    const index = header.get(column.csv)
    if (index === undefined) continue
    row[column.csv] = parseCell(column, fields[index] ?? '')
  }
  return row
}

/** A whole record as a row of every column (the key first): the header a full row has. */
export function fullHeader(spec: RecordSpec): Map<string, number> {
  return new Map(columnsOf(spec).map((c, i) => [c.csv, i]))
}
