// Buffered RFC 4180 writer: rows are appended to a string buffer and flushed to a
// write stream in large chunks, so a million-row file never sits in memory.
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { columnsOf, type RecordSpec } from '../records/model.ts'

export type Cell = string | number | null | undefined

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/
const FLUSH_AT = 1 << 16

/** Quotes a cell when RFC 4180 requires it (and when it has edge spaces, so they survive). Null is an empty cell. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  const s = typeof value === 'number' ? String(value) : value
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** One output file of text lines (CSV rows or JSON lines), written through a buffered stream with backpressure; `rows` counts lines. */
export class LineSink {
  private buffer = ''
  private readonly stream: WriteStream
  private blocked = false
  rows = 0

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' })
    this.stream.on('drain', () => { this.blocked = false })
  }

  line(text: string): void {
    this.rows++
    this.raw(text)
  }

  protected raw(text: string): void {
    this.buffer += text + '\n'
    if (this.buffer.length >= FLUSH_AT) this.flush()
  }

  /** True when the stream asked us to wait; callers await `drain()` at their next safe point. */
  get needsDrain(): boolean {
    return this.blocked
  }

  async drain(): Promise<void> {
    if (this.blocked) await once(this.stream, 'drain')
  }

  async close(): Promise<void> {
    this.flush()
    this.stream.end()
    await once(this.stream, 'finish')
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    if (!this.stream.write(this.buffer)) this.blocked = true
    this.buffer = ''
  }
}

/** A CSV file with a header row; `rows` counts data rows only. */
export class CsvSink extends LineSink {
  constructor(path: string, readonly headers: readonly string[]) {
    super(path)
    this.raw(headers.join(','))
  }

  row(values: readonly Cell[]): void {
    if (values.length !== this.headers.length) throw new Error(`row of ${values.length} cells for ${this.headers.length} columns`)
    this.line(values.map(csvCell).join(','))
  }
}

/** One import file of a record type: its header is the record model's columns; a record names the cells it has. */
export class RecordSink extends CsvSink {
  readonly file: string

  constructor(dir: string, spec: RecordSpec) {
    super(join(dir, spec.file), columnsOf(spec).map((c) => c.csv))
    this.file = spec.file
  }

  record(values: Readonly<Record<string, Cell>>): void {
    for (const name of Object.keys(values)) if (!this.headers.includes(name)) throw new Error(`${this.file} has no column ${name}`)
    this.row(this.headers.map((h) => values[h]))
  }
}
