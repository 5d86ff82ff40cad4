// A whole record checked: every cell parsed (each problem collected, not only the first), its references resolved,
// its derived values computed. The result is what a write and the pre-write check take — passed on, never re-parsed.
import { columnsOf, type ColumnSpec, type ParsedRow, type RecordSpec } from './model.ts'
import { fullHeader, parseCell, RowRejected, type PendingRow } from './parse.ts'
import type { RecordValues } from './stored.ts'
import type { ReferenceIds } from './write-plan.ts'

/** A record checked and ready for the write plan's upsert: the parsed row, the references' ids. */
export interface CheckedRecord {
  spec: RecordSpec
  key: string
  /** every column of the record type, as a CSV row with a full header */
  header: Map<string, number>
  pending: PendingRow
  ids: ReferenceIds
}

/** A cell that is not what its column must hold. */
/** A cell that is not what its column must hold; `refused`: turned away by the caller's own check, not parsed. */
export interface CellProblem { column: ColumnSpec; text: string; reason: string; refused: boolean }

const cellText = (value: string | readonly string[] | null | undefined) =>
  value == null ? '' : typeof value === 'string' ? value : value.join(';')

/**
 * The values of every column (absent = empty) parsed one by one, so that one bad cell does not hide the next:
 * the typed row, the cells as text, and each cell's problem. A cell `refuse` names (e.g. a NUL character the API
 * does not take) is reported with that reason instead of being parsed.
 */
export function parseRecord(spec: RecordSpec, values: RecordValues, refuse?: (text: string) => string | null): { row: ParsedRow; fields: string[]; problems: CellProblem[] } {
  const columns = columnsOf(spec)
  const fields = columns.map((c) => cellText(values[c.csv]))
  const row: ParsedRow = {}
  const problems: CellProblem[] = []
  for (const [i, column] of columns.entries()) {
    const text = fields[i]
    const refused = refuse?.(text)
    if (refused) {
      problems.push({ column, text, reason: refused, refused: true })
      continue
    }
    try {
      row[column.csv] = parseCell(column, text)
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e
      problems.push({ column, text, reason: e.reason, refused: false })
    }
  }
  return { row, fields, problems }
}

/** The checked record of a parsed row of every column and its resolved references. */
export function checkedRecord(spec: RecordSpec, row: ParsedRow, fields: string[], ids: ReferenceIds): CheckedRecord {
  const key = row[spec.key.csv] as string
  return { spec, key, header: fullHeader(spec), ids, pending: { line: 1, key, raw: fields, row, derived: spec.derived?.compute(row) } }
}
