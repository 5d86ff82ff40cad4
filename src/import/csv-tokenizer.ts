// An RFC 4180 tokenizer that knows on which physical line each record starts, fed with text
// chunks. Written for the import's hot path (csv-parse with line info cost ~18 µs a row here);
// tested against csv-stringify with generated records (test/import/csv-tokenizer.test.ts).
import { IMPORT_RU } from '../i18n/ru-records.ts'

export interface TokenizedRecord {
  /** physical line the record starts on (1-based) */
  line: number
  /** physical line the record ends on */
  endLine: number
  fields: string[]
  /** set when the record is malformed (a character right after a closing quote) */
  error?: string
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/**
 * Quoted fields may hold commas, quotes ("") and line breaks; a quote inside an unquoted field is
 * kept as text (ООО "Ромашка"). Line ends are LF or CRLF.
 */
export class CsvTokenizer {
  private fields: string[] = []
  private field = ''
  private inQuotes = false
  /** the current field started with a quote */
  private quoted = false
  /** just saw a quote inside a quoted field: either an escaped quote or the closing one */
  private quotePending = false
  private error: string | undefined
  private line: number
  private recordLine: number
  private fieldStarted = false
  /** length of the part of the field that stood inside quotes (a CR there is data, not a line end) */
  private quotedLength = 0

  constructor(firstLine = 1) {
    this.line = firstLine
    this.recordLine = firstLine
  }

  /** true while a quoted field is open (at the end of input: an unbalanced quote) */
  get open() { return this.inQuotes && !this.quotePending }

  /** where the record being read started */
  get currentRecordLine() { return this.recordLine }

  push(chunk: string, out: TokenizedRecord[]): void {
    let start = 0 // start of the pending slice of `chunk` that belongs to the current field
    const n = chunk.length
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i)
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false
          if (c === QUOTE) { // "" → "
            this.field += '"'
            start = i + 1
            continue
          }
          this.inQuotes = false // the quote closed the field; fall through to the unquoted handling
          this.quotedLength = this.field.length
          if (c !== COMMA && c !== LF && c !== CR) {
            this.error ??= IMPORT_RU.afterClosingQuote(chunk[i])
          }
          start = i
        } else {
          if (c === QUOTE) {
            this.field += chunk.slice(start, i)
            this.quotePending = true
            start = i + 1
          } else if (c === LF) {
            this.line++
          }
          continue
        }
      }
      if (c === COMMA) {
        this.field += chunk.slice(start, i)
        this.endField()
        start = i + 1
      } else if (c === LF) {
        this.field += chunk.slice(start, i)
        this.dropLineEndCR()
        this.endRecord(out)
        this.line++
        this.recordLine = this.line
        start = i + 1
      } else if (c === QUOTE && !this.fieldStarted && i === start && this.field === '') {
        this.inQuotes = true
        this.quoted = true
        this.fieldStarted = true
        start = i + 1
      } else {
        this.fieldStarted = true
      }
    }
    if (this.inQuotes) {
      if (!this.quotePending) this.field += chunk.slice(start)
    } else {
      this.field += chunk.slice(start)
    }
  }

  /** End of input: the last record (one without a final line break). */
  end(out: TokenizedRecord[]): void {
    if (this.quotePending) { this.quotePending = false; this.inQuotes = false; this.quotedLength = this.field.length }
    if (this.inQuotes) return // unbalanced: the caller sees `open`
    this.dropLineEndCR()
    if (this.fields.length > 0 || this.field !== '' || this.quoted) this.endRecord(out)
  }

  /** CRLF line ends: a CR typed outside quotes right before the line break is not data */
  private dropLineEndCR() {
    if (this.field.length > this.quotedLength && this.field.charCodeAt(this.field.length - 1) === CR) this.field = this.field.slice(0, -1)
  }

  private endField() {
    this.fields.push(this.field)
    this.field = ''
    this.quoted = false
    this.fieldStarted = false
    this.quotedLength = 0
  }

  private endRecord(out: TokenizedRecord[]) {
    this.endField()
    const record: TokenizedRecord = { line: this.recordLine, endLine: this.line, fields: this.fields }
    if (this.error) record.error = this.error
    out.push(record)
    this.fields = []
    this.error = undefined
  }
}
