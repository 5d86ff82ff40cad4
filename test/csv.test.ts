// The one CSV writer: every payload reads back as its neutralised text with the file's delimiter, no
// reader sees a formula whatever it splits on, and Sverka's own numbers stay numbers.
import { describe, expect, it } from 'vitest'
import { csvStream, csvText, neutralise, type CsvCell, type CsvFormat } from '../src/csv.ts'
import { expectNoFormulaCells, FORMULA_START, otherDelimiter, PAYLOADS, readAsSpreadsheet, readCsv, type Delimiter } from './helpers/exports.ts'

async function streamed(rows: CsvCell[][], format: CsvFormat) {
  const stream = csvStream(format)
  const chunks: string[] = []
  stream.on('data', (c: Buffer | string) => chunks.push(c.toString()))
  const done = new Promise((resolve, reject) => { stream.on('end', resolve); stream.on('error', reject) })
  for (const row of rows) stream.write(row)
  stream.end()
  await done
  return chunks.join('')
}

describe('neutralise', () => {
  it.each(PAYLOADS)('$name', ({ text, neutralised }) => {
    expect(neutralise(text)).toBe(neutralised)
  })

  it('leaves text alone that no spreadsheet takes for a formula', () => {
    for (const text of ['Москва, ул. Ленина, д. 5', 'SN-4F2A 9931', '2026-01-31', " '=1", ' =1', 'a; -b', 'MSK;SPB', "'already"]) {
      expect(neutralise(text)).toBe(text)
    }
  })
})

describe.each<Delimiter>([',', ';'])('csvText and csvStream with %j', (delimiter) => {
  const format: CsvFormat = { delimiter, recordDelimiter: '\r\n', bom: true, header: ['first', 'middle', 'last'] }
  // each payload first, in the middle and last in its row: a cell that begins the line is read differently
  const rows: CsvCell[][] = PAYLOADS.map((p) => [p.text, p.text, p.text])

  it('reads back with the file\'s delimiter exactly as the neutralised text, cell by cell', async () => {
    for (const content of [csvText(rows, format), await streamed(rows, format)]) {
      expect(content.startsWith('\uFEFFfirst' + delimiter)).toBe(true)
      const read = readCsv(content, delimiter)
      expect(read[0]).toEqual(['first', 'middle', 'last'])
      PAYLOADS.forEach((p, i) => expect(read[i + 1], p.name).toEqual([p.neutralised, p.neutralised, p.neutralised]))
      expect(read).toHaveLength(PAYLOADS.length + 1)
    }
  })

  it('shows no formula to a reader splitting on the other delimiter, nor to any reader', () => {
    const content = csvText(rows, format)
    const other = readAsSpreadsheet(content, otherDelimiter(delimiter)).flat()
    expect(other.length).toBeGreaterThan(PAYLOADS.length)
    for (const cell of other) expect(cell).not.toMatch(FORMULA_START)
    expectNoFormulaCells(content)
  })

  it('quotes both separators, quote marks, CR and LF, and every neutralised cell; nothing else', () => {
    const text = csvText([['a,b', 'a;b', 'say "hi"', 'a\nb', '=1', 'plain', '', null, undefined]], { delimiter, recordDelimiter: '\n' })
    const d = delimiter
    expect(text).toBe(['"a,b"', '"a;b"', '"say ""hi"""', '"a\nb"', `"'=1"`, 'plain', '', '', ''].join(d) + '\n')
  })

  it('writes numbers Sverka computed as numbers, negative ones too — as text first in a row, or when not finite', () => {
    const text = csvText([['n', -2, 3.5, 0, Number.NEGATIVE_INFINITY, Number.NaN], [-2, 1]], { delimiter, recordDelimiter: '\n' })
    expect(text).toBe(['n', '-2', '3.5', '0', `"'-Infinity"`, 'NaN'].join(delimiter) + `\n"'-2"${delimiter}1\n`)
    expect(readCsv(text, delimiter)[0][1]).toBe('-2')
    expectNoFormulaCells(text, /^-2$/)
  })
})

it('the stream writes the header also when no row comes (an empty rejects file still says what it is)', async () => {
  expect(await streamed([], { delimiter: ',', recordDelimiter: '\n', header: ['file', 'line'] })).toBe('file,line\n')
})
