// The one CSV writer for what Sverka hands to people — the audit report, the digest attachment, the
// import's rejects: csv-stringify, set so that no text from the data can become a spreadsheet formula,
// whichever separator the spreadsheet splits on. A leaf module: engine/, notify/ and import/ use it.
import { stringify as stringifyStream, type Options, type Stringifier } from 'csv-stringify'
import { stringify as stringifyRows } from 'csv-stringify/sync'
import { neutralise } from './csv-neutralise.ts'

export { neutralise }

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
