// Reads one import CSV as a stream of records with their line numbers: encoding detected
// (UTF-8 with or without BOM, Windows-1251) or forced, and a broken record (an unbalanced quote)
// costs that record only — parsing resumes on the line after it.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import iconv from 'iconv-lite'
import { IMPORT_RU } from '../i18n/ru-records.ts'
import { CsvTokenizer, type TokenizedRecord } from './csv-tokenizer.ts'

export type Encoding = 'utf-8' | 'cp1251'

export interface CsvRecord {
  /** physical line where the record starts (the header is line 1) */
  line: number
  fields: string[]
}

export interface CsvProblem {
  line: number
  reason: string
}

export type CsvItem = { kind: 'record'; record: CsvRecord } | { kind: 'problem'; problem: CsvProblem }

const SAMPLE_BYTES = 256 * 1024

/** Guesses a file's encoding from its first bytes: a BOM or valid UTF-8 → utf-8, otherwise cp1251. */
export function detectEncoding(path: string): Encoding {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES)
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0)
    const sample = buf.subarray(0, n)
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8'
    // a sample may end inside a multi-byte character: drop an incomplete tail before checking
    let end = sample.length
    if (n === SAMPLE_BYTES) {
      let i = end - 1
      while (i > end - 4 && i >= 0 && (sample[i] & 0xc0) === 0x80) i--
      if (i >= 0 && sample[i] >= 0xc0) end = i
    }
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end))
      return 'utf-8'
    } catch {
      return 'cp1251' // the other encoding Russian ERP exports come in
    }
  } finally {
    closeSync(fd)
  }
}

function decodedText(path: string, encoding: Encoding, onBytes?: (bytes: number) => void): Readable {
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 })
  if (onBytes) {
    let bytes = 0
    raw.on('data', (chunk) => { bytes += chunk.length; onBytes(bytes) })
  }
  const decoder = encoding === 'cp1251' ? iconv.decodeStream('win1251') : iconv.decodeStream('utf-8', { stripBOM: true })
  return raw.pipe(decoder) as unknown as Readable
}

/** Text of the file from physical line `fromLine` (1-based) on. */
function textFrom(path: string, encoding: Encoding, fromLine: number, onBytes?: (bytes: number) => void): Readable {
  const text = decodedText(path, encoding, onBytes)
  if (fromLine <= 1) return text
  let line = 1
  return text.pipe(new Transform({
    decodeStrings: false,
    transform(chunk: string, _enc, done) {
      if (line >= fromLine) return done(null, chunk)
      let i = 0
      while (line < fromLine) {
        const nl = chunk.indexOf('\n', i)
        if (nl < 0) return done()
        i = nl + 1
        line++
      }
      done(null, chunk.slice(i))
    },
  }))
}

export interface ReadOptions {
  encoding: Encoding
  /** bytes read so far, for progress */
  onBytes?: (bytes: number) => void
}

/**
 * Records of a CSV file, header included (line 1). Fully empty lines are skipped. A record that
 * cannot be parsed yields a problem and parsing resumes after it, so one bad quote loses one row.
 */
/** A multi-line value with a line inside that holds a whole row's worth of delimiters. */
function swallowsRows(fields: string[], expectedFields: number) {
  for (const f of fields) {
    if (!f.includes('\n')) continue
    for (const inner of f.split('\n').slice(1)) if (inner.split(',').length >= expectedFields) return true
  }
  return false
}

/**
 * Records of a CSV file, header included. Fully empty lines are skipped. A record that cannot be
 * parsed yields a problem; when a stray quote swallowed the lines after it, reading resumes on
 * the line after the quote, so one bad quote costs one row.
 */
export async function* readCsv(path: string, options: ReadOptions): AsyncGenerator<CsvItem> {
  let startLine = 1
  let expectedFields = -1
  while (true) {
    const source = textFrom(path, options.encoding, startLine, options.onBytes)
    source.setEncoding('utf8')
    const tokenizer = new CsvTokenizer(startLine)
    const records: TokenizedRecord[] = []
    let broken: { line: number; reason: string } | undefined
    try {
      const drain = function* (): Generator<CsvItem, boolean> {
        for (const r of records) {
          if (r.fields.length === 1 && r.fields[0] === '') continue
          if (expectedFields < 0) expectedFields = r.fields.length
          else if (r.endLine > r.line && (r.fields.length !== expectedFields || swallowsRows(r.fields, expectedFields))) {
            // a quote opened and closed lines later, swallowing rows: a stray quote, not a multi-line value
            broken = { line: r.line, reason: IMPORT_RU.quoteRunsOn(r.endLine) }
            return false
          }
          if (r.error) yield { kind: 'problem', problem: { line: r.line, reason: r.error } }
          else yield { kind: 'record', record: { line: r.line, fields: r.fields } }
        }
        records.length = 0
        return true
      }
      let going = true
      for await (const chunk of source as AsyncIterable<string>) {
        tokenizer.push(chunk, records)
        going = yield* drain()
        if (!going) break
      }
      if (going) {
        tokenizer.end(records)
        going = yield* drain()
        if (going && tokenizer.open) {
          broken = { line: tokenizer.currentRecordLine, reason: IMPORT_RU.quoteNeverClosed }
        }
      }
    } finally {
      source.destroy()
    }
    if (!broken) return
    yield { kind: 'problem', problem: { line: broken.line, reason: broken.reason } }
    // resume on the next line, so the rows a stray quote swallowed are read on their own;
    // strictly increasing, and past the end nothing is read
    startLine = broken.line + 1
  }
}
