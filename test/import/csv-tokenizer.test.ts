import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvTokenizer, type TokenizedRecord } from '../../src/import/csv-tokenizer.ts'

function tokenize(text: string, chunkSizes: number[] = [text.length || 1]) {
  const t = new CsvTokenizer()
  const out: TokenizedRecord[] = []
  let i = 0
  let k = 0
  while (i < text.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length])
    t.push(text.slice(i, i + size), out)
    i += size
  }
  t.end(out)
  return { records: out, open: t.open }
}

const cellChars = fc.constantFrom('a', 'Я', 'ё', ',', '"', '\n', '\r', ' ', '5', ';', '«', '»')
const cell = fc.array(cellChars, { maxLength: 8 }).map((cs) => cs.join(''))
const records = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 20 })

describe('CsvTokenizer', () => {
  it('reads back whatever csv-stringify writes, however the text is cut into chunks', () => {
    fc.assert(fc.property(records, fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean(),
      (rows, chunks, quoteAll, crlf) => {
        // csv-stringify quotes only the record delimiter in use; RFC 4180 wants any line break quoted
        const text = stringify(rows, { quoted: quoteAll, quoted_match: /[\r\n]/, record_delimiter: crlf ? 'windows' : 'unix' })
        const { records: out, open } = tokenize(text, chunks)
        expect(open).toBe(false)
        expect(out.map((r) => r.fields)).toEqual(rows)
        expect(out.every((r) => r.error === undefined)).toBe(true)
      }), { numRuns: 400 })
  })

  it('numbers the physical line each record starts on, counting line breaks inside quotes', () => {
    const { records: out } = tokenize('h1,h2\r\na,"x\ny"\n\nb,2\n"c\n\n",3')
    expect(out.map((r) => [r.line, r.endLine, r.fields])).toEqual([
      [1, 1, ['h1', 'h2']], [2, 3, ['a', 'x\ny']], [4, 4, ['']], [5, 5, ['b', '2']], [6, 8, ['c\n\n', '3']],
    ])
  })

  it('keeps a quote inside an unquoted cell as text and flags a character after a closing quote', () => {
    const { records: out } = tokenize('ООО "Ромашка",1\n"ok"x,2\n')
    expect(out[0]).toMatchObject({ fields: ['ООО "Ромашка"', '1'] })
    expect(out[0].error).toBeUndefined()
    expect(out[1].error).toBe('ошибка CSV: лишний символ «x» после закрывающей кавычки')
  })

  it('reports an unbalanced quote at the end of the input', () => {
    const { records: out, open } = tokenize('a,1\nb,"2\nc,3\n')
    expect(out.map((r) => r.fields)).toEqual([['a', '1']])
    expect(open).toBe(true)
  })

  it('keeps a CR that stood inside quotes', () => {
    expect(tokenize('"a\r"\r\n"b\r"').records.map((r) => r.fields)).toEqual([['a\r'], ['b\r']])
  })
})
