// The one CSV writer for what Sverka hands to people — the audit report, the digest attachment, the
// import's rejects: csv-stringify, set so that no text from the data can become a spreadsheet formula,
// whichever separator the spreadsheet splits on. A leaf module: engine/, notify/ and import/ use it.
import { stringify as stringifyStream, type Options, type Stringifier } from 'csv-stringify'
import { stringify as stringifyRows } from 'csv-stringify/sync'

/**
 * A cell. Text is data and is neutralised; a number is one Sverka computed itself (a count, an age, a
 * line number) and stays a number a spreadsheet can sort, `-1` included (but not first in a row, nor
 * NaN or ±Infinity: those are written as text); null and undefined are empty.
 */
export type CsvCell = string | number | null | undefined

export interface CsvFormat {
  delimiter: ',' | ';'
  recordDelimiter: '\n' | '\r\n'
  /** a UTF-8 byte order mark first: without it Excel reads the file in the system's code page */
  bom?: boolean
  /** column names, written as the first row */
  header?: readonly string[]
}

// OWASP's formula starts (=, +, -, @, tab, CR) and their full-width forms, which Apple Numbers folds to them
const FORMULA_START = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20'

// Where a spreadsheet may start a cell inside a text: at its start, and after each `,`, `;`, CR or LF
// in it — a reader that splits on the separator the file does not use (Excel splits on the locale's
// list separator, `;` in ru-RU, whatever the file's) or that loses track of the quotes starts a new
// cell there; quote marks right after such a place may be read as quoting and dropped.
const CELL_START = new RegExp(`(?<=^|[,;\\r\\n])"*(?=[${FORMULA_START}])`, 'g')

/**
 * The text with a `'` before every formula start a spreadsheet could see at the start of a cell
 * (OWASP, «CSV Injection»): `=1+1` → `'=1+1`, `Z;=cmd` → `Z;'=cmd`. Anything else is left as it is.
 */
export function neutralise(text: string): string {
  return text.replace(CELL_START, "$&'")
}

// a neutralised cell is also quoted, as OWASP writes one
function safeText(text: string) {
  const safe = neutralise(text)
  return safe === text ? text : { value: safe, quoted: true }
}

function options(format: CsvFormat): Options {
  return {
    delimiter: format.delimiter,
    record_delimiter: format.recordDelimiter,
    bom: format.bom ?? false,
    ...(format.header ? { header: true, columns: [...format.header] } : {}),
    // both separators are quoted whatever the delimiter (quotes, CR and LF are quoted by csv-stringify),
    // so a reader splitting on either keeps a cell that starts the line whole
    quoted_match: /[,;]/,
    cast: {
      string: safeText,
      // a number is written as a number, but as text where it begins a row: a reader splitting on the
      // other separator would read `-2` together with the rest of the line as one cell
      number: (n, context) => (Number.isFinite(n) && (context.index > 0 || n >= 0) ? String(n) : safeText(String(n))),
    },
  }
}

/** Rows (and the header, if the format has one) as CSV text. */
export function csvText(rows: Iterable<readonly CsvCell[]>, format: CsvFormat): string {
  return stringifyRows([...rows], options(format))
}

/** A stream of rows to CSV text, for files written as they are found; write arrays of CsvCell. */
export function csvStream(format: CsvFormat): Stringifier {
  return stringifyStream(options(format))
}
