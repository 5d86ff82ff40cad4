// A report's table as data: what the screen shows, what the CSV and the XLSX hold, and where each number leads.
// One model for all three so a download is the table on the screen. Pure functions (no DOM): test/web/reports.test.ts
// runs them in Node.
import { neutralise } from '../../../../src/csv-neutralise.ts'

export type CellValue = string | number | null
/** text; a count; a per cent (the API's float, shown to one decimal); hours (shown to one decimal); a day (YYYY-MM-DD) */
export type ColumnType = 'text' | 'count' | 'percent' | 'hours' | 'date'

export interface Column {
  header: string
  type: ColumnType
  /** the cell names the row (th scope=row) */
  rowHeader?: boolean
}

export interface Row {
  cells: CellValue[]
  /** per cell: where the number leads (a /findings link), if anywhere */
  links?: ReadonlyArray<string | null | undefined>
  /** marked (e.g. the three worst bottlenecks); said in words in a cell too, never by colour alone */
  marked?: boolean
  /** a total over the rows after it (a market's own score above its record types) */
  subtotal?: boolean
}

export interface ReportTable {
  /** the file name's stem and the DOM id: `album-quality` */
  id: string
  /** the caption */
  title: string
  columns: Column[]
  rows: Row[]
}

const decimal = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const integer = new Intl.NumberFormat('ru-RU')
const plainDecimal = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false })

/** A cell as the screen shows it: «1 234», «97,5», «05.12.2026»; '—' for no number. */
export function cellText(value: CellValue, type: ColumnType): string {
  if (value === null) return '—'
  if (typeof value === 'string') return type === 'date' ? value.split('-').reverse().join('.') : value
  return type === 'percent' || type === 'hours' ? decimal.format(value) : integer.format(value)
}

/** A cell in the CSV: as on the screen, but numbers without thousands separators (a spreadsheet reads them as numbers). */
export function csvCell(value: CellValue, type: ColumnType): string {
  if (value === null || value === '') return ''
  if (typeof value === 'number') return type === 'percent' || type === 'hours' ? plainDecimal.format(value) : String(value)
  return cellText(value, type)
}

// as the one CSV writer (src/csv.ts) writes a cell: formula starts neutralised, and a cell holding either separator,
// a quote, CR or LF (or a neutralised one) quoted — a reader splitting on `,` keeps it whole too
function quote(text: string): string {
  const safe = neutralise(text)
  return safe !== text || /[,;"\r\n]/.test(safe) || /^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** The table as CSV for a Russian spreadsheet: UTF-8 with a BOM, `;` between cells, CRLF, the headers in Russian. */
export function csvText(table: ReportTable): string {
  const lines = [table.columns.map((c) => quote(c.header)), ...table.rows.map((r) => r.cells.map((v, i) => quote(csvCell(v, table.columns[i].type))))]
  return `\uFEFF${lines.map((l) => l.join(';')).join('\r\n')}\r\n`
}

/** The constructors write-excel-file types cells by (its String, Number and Date, passed in so this stays pure). */
export interface CellTypes { String: StringConstructor; Number: NumberConstructor; Date: DateConstructor }

export type XlsxCell = { value: string | number | Date; type: StringConstructor | NumberConstructor | DateConstructor; format?: string; fontWeight?: 'bold' } | null

/**
 * The table as write-excel-file's sheet data: typed cells — counts and per cents numbers (the API's, unrounded,
 * shown with one decimal), days dates — under a bold header row. Text is typed String, never a formula.
 */
export function xlsxRows(table: ReportTable, types: CellTypes = { String, Number, Date }): XlsxCell[][] {
  const header = table.columns.map((c) => ({ value: c.header, type: types.String, fontWeight: 'bold' as const }))
  const rows = table.rows.map((r) => r.cells.map((value, i): XlsxCell => {
    if (value === null || value === '') return null
    const type = table.columns[i].type
    if (typeof value === 'number') {
      return type === 'percent' || type === 'hours' ? { value, type: types.Number, format: '0.0' } : { value, type: types.Number, format: '0' }
    }
    // a day is that day in the file, whatever the reader's time zone (write-excel-file takes dates as UTC)
    if (type === 'date') return { value: new Date(`${value}T00:00:00Z`), type: types.Date, format: 'dd.mm.yyyy' }
    return { value, type: types.String }
  }))
  return [header, ...rows]
}

/** Column widths for the XLSX, from the longest text of each column. */
export function xlsxWidths(table: ReportTable): Array<{ width: number }> {
  return table.columns.map((c, i) => ({
    width: Math.min(60, Math.max(8, c.header.length + 2, ...table.rows.map((r) => cellText(r.cells[i], c.type).length + 2))),
  }))
}

/** The sheet's name: the title as far as Excel allows (31 characters, none of []:*?/\\). */
export function sheetName(table: ReportTable): string {
  return table.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim()
}

/** «album-quality-2026-12-05.csv». */
export function fileName(table: ReportTable, extension: 'csv' | 'xlsx' | 'png', today: string): string {
  return `${table.id}-${today}.${extension}`
}

// ─────────────────────────────── numbers in words ───────────────────────────────

/** Seconds as hours, one decimal (a number for the table, the chart and the files alike). */
export function hours(seconds: number | null | undefined): number | null {
  return seconds === null || seconds === undefined ? null : Math.round(seconds / 360) / 10
}

/** A per cent to one decimal, the same number on the chart as in the table. */
export function percent(score: number | null | undefined): number | null {
  return score === null || score === undefined ? null : Math.round(score * 10) / 10
}
