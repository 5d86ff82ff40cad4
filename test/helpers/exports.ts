// Text that tries to become a spreadsheet formula or to split a cell, what Sverka's CSV writer must make
// of it (written here by hand, apart from src/csv.ts), and the readers that check a CSV file the way a
// spreadsheet could open it: with the file's separator, with the other one, and the worst reader of all.
import { inflateRawSync } from 'node:zlib'
import { parse } from 'csv-parse/sync'
import { expect } from 'vitest'

export interface Payload { name: string; text: string; neutralised: string }

export const PAYLOADS: Payload[] = [
  { name: 'formula', text: '=1+1', neutralised: "'=1+1" },
  { name: 'phone with a plus', text: '+7 916', neutralised: "'+7 916" },
  { name: 'minus', text: '-2', neutralised: "'-2" },
  { name: 'at', text: '@SUM(A1)', neutralised: "'@SUM(A1)" },
  { name: 'tab, then a formula', text: '\t=1', neutralised: "'\t=1" },
  // the CR starts a cell for a reader that ends the record there: the formula after it is neutralised too
  { name: 'CR, then a formula', text: '\r=1', neutralised: "'\r'=1" },
  { name: 'a cell smuggled in after ;', text: "Z;=cmd|'/C calc'!A0;", neutralised: "Z;'=cmd|'/C calc'!A0;" },
  { name: 'a cell smuggled in after ,', text: 'x,-1', neutralised: "x,'-1" },
  { name: 'comma', text: 'a,b', neutralised: 'a,b' },
  { name: 'semicolon', text: 'a;b', neutralised: 'a;b' },
  { name: 'quotes', text: 'say "hi"', neutralised: 'say "hi"' },
  { name: 'multi-line', text: 'строка 1\nстрока 2', neutralised: 'строка 1\nстрока 2' },
  { name: 'multi-line with formulas', text: 'строка 1\n=2+2\r\n@3', neutralised: "строка 1\n'=2+2\r\n'@3" },
  { name: 'quote mark, then a formula', text: 'a;"=1+1"', neutralised: `a;"'=1+1"` },
  { name: 'full-width equals sign (Apple Numbers)', text: '＝1+1', neutralised: "'＝1+1" },
  { name: 'Cyrillic with quotes', text: 'ООО "Ромашка"', neutralised: 'ООО "Ромашка"' },
  { name: 'empty', text: '', neutralised: '' },
]

/**
 * A cell a spreadsheet could take for a formula: it starts with =, +, - or @ (or their full-width
 * forms), after any tabs and line breaks a spreadsheet may drop first (that is why OWASP lists tab and
 * CR). A cell of line breaks alone — a reader on the wrong separator takes a cell's closing quote for an
 * opening one when the text ends with `;` — starts nothing. Cells Sverka writes itself are checked
 * stricter: with the right separator each must be exactly the neutralised text.
 */
export const FORMULA_START = /^[\t\r\n]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/

export type Delimiter = ',' | ';'

export const otherDelimiter = (d: Delimiter): Delimiter => (d === ',' ? ';' : ',')

/** The file read as written: its own delimiter, RFC 4180 quoting. */
export function readCsv(content: string | Buffer, delimiter: Delimiter): string[][] {
  return parse(content, { bom: true, delimiter, relax_column_count: true })
}

/**
 * The file as a spreadsheet splitting on `delimiter` reads it, as Excel does: quotes in the middle of a
 * cell are text, and a quote that the reader takes for an opening one and that never closes takes the
 * rest of the file into its cell (csv-parse would refuse; it is given the closing quote at the end).
 */
export function readAsSpreadsheet(content: string | Buffer, delimiter: Delimiter): string[][] {
  const text = Buffer.isBuffer(content) ? content.toString('utf8') : content
  const read = (t: string) => parse(t, { bom: true, delimiter, relax_quotes: true, relax_column_count: true })
  try {
    return read(text)
  } catch (e) {
    if ((e as { code?: string }).code !== 'CSV_QUOTE_NOT_CLOSED') throw e
    return read(`${text}"`)
  }
}

/**
 * Every cell a spreadsheet could see, opening the file with its separator or the other one (Excel splits
 * on the locale's list separator: `;` in ru-RU, `,` in en-US), quotes in the middle of a cell taken as
 * text as Excel takes them — and, to be sure whatever a reader does with quotes, the cells of a reader
 * that starts one after every `,`, `;`, CR and LF and drops the quote marks before it.
 */
export function cellsAnyReaderSees(content: string | Buffer): string[] {
  const text = Buffer.isBuffer(content) ? content.toString('utf8') : content
  const cells = (delimiter: Delimiter) => readAsSpreadsheet(text, delimiter).flat()
  const worst = text.replace(/^\uFEFF/, '').split(/[,;\r\n]/).map((c) => c.replace(/^"+/, ''))
  return [...cells(','), ...cells(';'), ...worst]
}

/** No cell, for any reader, starts a formula; `allowed`: the cells that may (numbers Sverka typed itself). */
export function expectNoFormulaCells(content: string | Buffer, allowed?: RegExp) {
  const formulas = cellsAnyReaderSees(content).filter((c) => FORMULA_START.test(c) && !allowed?.test(c))
  expect(formulas).toEqual([])
}

/** The files inside a zip (an .xlsx), as text: read from its central directory. */
export function unzipText(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error('not a zip: no end of central directory')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const files = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`zip: bad central directory entry at ${at}`)
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const raw = zip.subarray(data, data + size)
    files.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString('utf8'))
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return files
}
