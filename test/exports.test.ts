// Every file Sverka hands to a spreadsheet, made through the real code paths on both databases, from
// data that tries to become a formula: the import's rejects, the audit report as CSV, and the discrepancy
// e-mail's CSV and XLSX attachments. Read with the file's own separator every cell is the neutralised
// text; read any other way no cell starts a formula; the workbook has text cells only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { readSheet } from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { neutralise } from '../src/csv.ts'
import { runAudit } from '../src/audits/run.ts'
import type { AuditResult } from '../src/engine/audit.ts'
import { renderReport } from '../src/engine/report.ts'
import { importDirectory, type ImportSummary } from '../src/import/importer.ts'
import { csvLine } from '../src/import/read-file.ts'
import { sendDigests } from '../src/notify/digest.ts'
import { createMailer, type Mailer } from '../src/notify/mailer.ts'
import { entitiesText } from '../src/notify/render.ts'
import { baseFiles, csv, tempDir, writeFiles } from './helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from './helpers/db.ts'
import { expectNoFormulaCells, PAYLOADS, readCsv, unzipText } from './helpers/exports.ts'

const asOf = '2026-01-31'
const PRODUCT_COLUMNS = ['sku', 'name', 'kind', 'equipment_type', 'markets', 'status', 'valid_from', 'valid_to']
const EQUIPMENT_COLUMNS = ['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at']

// keys are trimmed on import: the payloads that stay distinct, non-empty keys become devices
const KEYED = PAYLOADS.filter((p, i) => p.text.trim() !== '' && PAYLOADS.findIndex((q) => q.text.trim() === p.text.trim()) === i)

const cr = (s: string) => s.replace(/\r\n?/g, '\n')

describe.each(backends)('spreadsheet exports on %s', (backend) => {
  let db: TestDatabase
  let imported: ImportSummary
  let audit: AuditResult
  let mailer: Mailer
  let outbox: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    const files = baseFiles()
    // a product per payload, each with a kind that does not exist: every one is rejected, its key with it
    files['products.csv'] += csv(PRODUCT_COLUMNS, PAYLOADS.map((p) => [p.text, 'Тариф', 'NONSENSE', '', '', 'ACTIVE', '', ''])).replace(/^.*\n/, '')
    // two devices with one serial per payload key: an equipment-duplicate-serial finding naming it
    files['equipment.csv'] += csv(EQUIPMENT_COLUMNS, KEYED.flatMap((p, i) => [
      [p.text, `SER-${i}`, '', 'RT-AX', '', '', 'IN_STOCK', '', ''],
      [`PAIR-${i}`, `SER-${i}`, '', 'RT-AX', '', '', 'IN_STOCK', '', ''],
    ])).replace(/^.*\n/, '')
    imported = await importDirectory(db, writeFiles(tempDir('sverka-exports-'), files))
    audit = await runAudit(db, { trigger: 'SCHEDULE', actor: 'scheduler', asOf, ruleIds: ['equipment-duplicate-serial'] })
    await db.prisma.subscription.create({ data: { name: 'all', recipients: ['nsi@example.ru'] } })
    outbox = join(tempDir('sverka-exports-mail-'), 'outbox')
    mailer = createMailer({ outboxDir: outbox })
  }, 300_000)
  afterAll(async () => {
    mailer?.close()
    await db?.close()
  })

  it('the rejects file: read with `,` each key and row is the neutralised text; no reader sees a formula', () => {
    const content = readFileSync(imported.rejectsFile)
    const read = readCsv(content, ',')
    expect(read[0]).toEqual(['file', 'line', 'column', 'key', 'reason', 'row'])
    const products = read.slice(1).filter((r) => r[0] === 'products.csv')
    // header on line 1, the three valid products on 2–4: the payloads' rows follow in order (a line a
    // number: the rejects' `line` is written as the number it is)
    expect(products).toHaveLength(PAYLOADS.length)
    const lines = products.map((r) => r[1])
    expect(lines[0]).toBe('5')
    expect(lines.every((l, i) => /^\d+$/.test(l) && (i === 0 || Number(l) > Number(lines[i - 1])))).toBe(true)
    PAYLOADS.forEach((p, i) => {
      const [, , , key, , row] = products[i]
      expect(key, p.name).toBe(neutralise(p.text.trim()))
      if (p.text.trim() === p.text) expect(key, p.name).toBe(p.neutralised)
      expect(row, p.name).toBe(neutralise(csvLine([p.text, 'Тариф', 'NONSENSE', '', '', 'ACTIVE', '', ''])))
    })
    expectNoFormulaCells(content)
  })

  it('the audit report as CSV (what `sverka audit --format csv` writes): read with `,` every cell is the neutralised text; no reader sees a formula', () => {
    expect(audit.findings).toHaveLength(KEYED.length)
    const content = renderReport(audit, 'csv')
    const read = readCsv(content, ',')
    // the report keeps the SPEC's lower-case severity (docs/spec-readings.md, «Language and spelling»)
    expect(read.slice(1)).toEqual(audit.findings.map((f) =>
      [f.fingerprint, f.ruleId, f.severity.toLowerCase(), f.status, f.entities.map((e) => `${e.type}:${e.key}`).join(';'), f.message].map(neutralise)))
    expect(read.some((r) => r[4].includes("equipment:Z;'=cmd|'/C calc'!A0;"))).toBe(true)
    expectNoFormulaCells(content)
  })

  it('the e-mail\'s attachments: the CSV neutralised and safe for any reader, the XLSX with the same text as text cells', async () => {
    const [outcome] = await sendDigests(db, { runId: audit.run.id, mailer, now: new Date(`${asOf}T03:00:00Z`) })
    expect(outcome?.sent).toBe(true)
    const mail = await simpleParser(readFileSync(outcome.path!))
    const attachment = (ext: string) => mail.attachments.find((a) => a.filename?.endsWith(ext))!.content
    const expected = audit.findings.map((f) => [entitiesText(f.entities), f.message]).sort()

    const csvContent = attachment('.csv')
    const read = readCsv(csvContent, ';')
    expect(read.slice(1).map((r) => [r[4], r[5]]).sort()).toEqual(expected.map((r) => r.map(neutralise)).sort())
    expectNoFormulaCells(csvContent)

    const xlsx = attachment('.xlsx')
    expect(unzipText(xlsx).get('xl/worksheets/sheet1.xml')).not.toMatch(/<f[\s>]/)
    const rows = await readSheet(xlsx, { trim: false })
    expect(rows.slice(1).map((r) => [cr(String(r[4])), cr(String(r[5]))]).sort()).toEqual(expected.map((r) => r.map(cr)).sort())
  })
})
