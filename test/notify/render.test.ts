// The discrepancy e-mail rendered from data: subject with the counts, escaped HTML, a plain-text part,
// and a CSV that Excel in a Russian locale opens with Cyrillic intact and that parses back.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { readSheet } from 'read-excel-file/node'
import { neutralise } from '../../src/csv.ts'
import { CSV_COLUMNS, csvRows, digestSubject, renderDigest, renderXlsx, XLSX_TYPE, type DigestData, type DigestItem } from '../../src/notify/render.ts'
import { expectNoFormulaCells, FORMULA_START, PAYLOADS, readAsSpreadsheet, readCsv, unzipText } from '../helpers/exports.ts'

function item(over: Partial<DigestItem> = {}): DigestItem {
  return {
    section: 'NEW', ruleId: 'equipment-duplicate-serial', ruleTitle: 'Дубль серийного номера', severity: 'HIGH', status: 'NEW',
    entities: [{ type: 'equipment', key: 'INV-1' }, { type: 'equipment', key: 'INV-2' }],
    message: 'Серийный номер SN-1 у двух устройств', firstSeenAt: new Date('2026-01-10T03:00:00Z'), ageDays: 3, ...over,
  }
}

const data: DigestData = {
  scope: 'группа NSI-MSK',
  runId: '00000000-0000-0000-0000-000000000001',
  generatedAt: new Date('2026-01-13T03:00:00Z'),
  counts: { new: 2, open: 3, resolved: 1 },
  items: [
    item(),
    item({ ruleId: 'address-duplicate', ruleTitle: 'Дубль адреса', severity: 'MEDIUM', entities: [{ type: 'address', key: 'A-7' }],
      message: 'Адрес <script>alert("x")</script> & «Тверская; 1»' }),
    item({ section: 'OPEN', status: 'OPEN', ageDays: 12, message: 'строка с "кавычками"\nи переводом строки' }),
    item({ section: 'RESOLVED', status: 'RESOLVED', resolvedAt: new Date('2026-01-12T03:00:00Z'), message: 'устранено' }),
  ],
}

describe('digest rendering', () => {
  it('puts the counts and the scope in the subject, in Russian with agreeing nouns', () => {
    expect(digestSubject({ scope: 'группа NSI-MSK', counts: { new: 3, open: 10, resolved: 2 } })).toBe('Сверка: 3 новых, 10 открытых, 2 устранено — группа NSI-MSK')
    expect(digestSubject({ scope: 'все рынки', counts: { new: 1, open: 21, resolved: 0 } })).toBe('Сверка: 1 новое, 21 открытое, 0 устранено — все рынки')
    expect(renderDigest(data).subject).toBe('Сверка: 2 новых, 3 открытых, 1 устранено — группа NSI-MSK')
    // few (2–4, 22–24) and the teens, which take «many» whatever their last digit
    expect(digestSubject({ scope: 'рынок MSK', counts: { new: 22, open: 4, resolved: 1 } })).toBe('Сверка: 22 новых, 4 открытых, 1 устранено — рынок MSK')
    expect(digestSubject({ scope: 'рынок MSK', counts: { new: 11, open: 111, resolved: 0 } })).toBe('Сверка: 11 новых, 111 открытых, 0 устранено — рынок MSK')
    expect(digestSubject({ scope: 'рынок MSK', counts: { new: 101, open: 1, resolved: 0 } })).toBe('Сверка: 101 новое, 1 открытое, 0 устранено — рынок MSK')
  })

  it('takes every text from the mail catalogue (src/i18n/ru-mail.ts): the renderers hold no Russian literal', () => {
    for (const file of ['src/notify/render.ts', 'src/notify/digest.ts']) {
      // comments may quote the texts; the code may not hold them
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
      expect(code.split('\n').filter((line) => /[а-яё]/i.test(line)), file).toEqual([])
    }
    expect(renderDigest(data).html).toContain(`<p>Сверка, группа NSI-MSK: итоги проверки <code>${data.runId}</code> на 2026-01-13.</p><p>Новых: <b>2</b>. Открытых всего: <b>3</b>. Устранено: <b>1</b>.</p>`)
  })

  it('escapes < > & in the HTML body, with a table per non-empty section', () => {
    const { html } = renderDigest(data)
    expect(html).not.toContain('<script>')
    expect(html).toContain('Адрес &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; «Тверская; 1»')
    expect(html.match(/<table/g)).toHaveLength(3)
    for (const title of ['Новые с прошлого письма (2)', 'По-прежнему открыты (1)', 'Устранены с прошлого письма (1)']) expect(html).toContain(title)
    expect(html).toContain('оборудование INV-1, оборудование INV-2')
    const empty = renderDigest({ ...data, items: data.items.filter((i) => i.section !== 'RESOLVED') }).html
    expect(empty.match(/<table/g)).toHaveLength(2)
    expect(empty).toContain('Устранённых нет.')
  })

  it('writes a plain-text part with every item, its keys, rule and message', () => {
    const { text } = renderDigest(data)
    expect(text).toContain('Новых: 2. Открытых всего: 3. Устранено: 1.')
    expect(text).toContain('* [высокая] equipment-duplicate-serial — Дубль серийного номера: оборудование INV-1, оборудование INV-2, 3 дн.')
    expect(text).toContain('Адрес <script>alert("x")</script> & «Тверская; 1»')
    expect(text.indexOf('Новые с прошлого письма')).toBeLessThan(text.indexOf('По-прежнему открыты'))
    expect(text.indexOf('По-прежнему открыты')).toBeLessThan(text.indexOf('Устранены с прошлого письма'))
  })

  it('makes a CSV for Excel: UTF-8 BOM, ; between fields, CRLF, and it parses back to the same rows', () => {
    const { csv } = renderDigest(data)
    expect(csv.filename).toBe('sverka-2026-01-13.csv')
    expect(csv.contentType).toBe('text/csv; charset=utf-8')
    expect([...csv.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const body = csv.content.subarray(3).toString('utf8')
    // a `,` is quoted too: a reader splitting on `,` (en-US Excel) keeps the cell whole
    expect(body.split('\r\n')[0]).toBe('Раздел;Правило;Важность;Статус;Объекты;Сообщение;Впервые;"Возраст, дней"')
    expect(body.endsWith('\r\n')).toBe(true)
    const parsed = parse(csv.content, { bom: true, delimiter: ';', record_delimiter: '\r\n' }) as string[][]
    // the age is written as the number it is; text cells as they are (none of these needs neutralising)
    expect(parsed).toEqual(csvRows(data).map((r) => r.map(String)))
    expect(parsed.slice(1).map((r) => [r[0], r[1], r[4], r[6], r[7]])).toEqual([
      ['новое', 'equipment-duplicate-serial', 'оборудование INV-1, оборудование INV-2', '2026-01-10', '3'],
      ['новое', 'address-duplicate', 'адрес A-7', '2026-01-10', '3'],
      ['открыто', 'equipment-duplicate-serial', 'оборудование INV-1, оборудование INV-2', '2026-01-10', '12'],
      ['устранено', 'equipment-duplicate-serial', 'оборудование INV-1, оборудование INV-2', '2026-01-10', '3'],
    ])
    expect(parsed[2]![5]).toBe('Адрес <script>alert("x")</script> & «Тверская; 1»')
    expect(parsed[3]![5]).toBe('строка с "кавычками"\nи переводом строки')
  })

  it('makes the same list as an Excel workbook with typed cells: it reads back to the CSV\'s rows, dates as dates, ages as numbers', async () => {
    const xlsx = await renderXlsx(data)
    expect(xlsx.filename).toBe('sverka-2026-01-13.xlsx')
    expect(xlsx.contentType).toBe(XLSX_TYPE)
    // a zip (PK…): what Excel opens
    expect(xlsx.content.subarray(0, 2).toString('latin1')).toBe('PK')
    const rows = await readSheet(xlsx.content)
    expect(rows[0]).toEqual([...CSV_COLUMNS])
    expect(rows.slice(1).map((r) => [r[6] instanceof Date ? (r[6] as Date).toISOString().slice(0, 10) : r[6], typeof r[7]])).toEqual(
      csvRows(data).slice(1).map((r) => [r[6], 'number']))
    // text cells as the CSV has them, markup and line breaks included
    expect(rows.map((r) => r.slice(0, 6).map(String))).toEqual(csvRows(data).map((r) => r.slice(0, 6)))
    expect(rows.slice(1).map((r) => r[7])).toEqual(csvRows(data).slice(1).map((r) => r[7]))
  })
})

describe('digest attachments with text from the data that tries to become a formula', () => {
  const XLSX_ONLY = ['=HYPERLINK("http://example.com/?q=1","нажми")', '@SUM(1)']
  const texts = [...PAYLOADS.map((p) => p.text), ...XLSX_ONLY]
  // each text as a record's key (inside «Объекты») and as the whole message
  const hostile: DigestData = {
    ...data,
    items: texts.map((text, i) => item({ section: i % 3 === 0 ? 'OPEN' : 'NEW', message: text, entities: [{ type: 'equipment', key: text }], ageDays: i })),
  }
  // the rows are in section order: NEW first, then OPEN
  const ordered = [...hostile.items.filter((i) => i.section === 'NEW'), ...hostile.items.filter((i) => i.section === 'OPEN')]

  it('CSV: read with ; every cell is its text neutralised (the message cell as the payload table says); read with , or any other way, no cell starts a formula', () => {
    const { csv } = renderDigest(hostile)
    const read = readCsv(csv.content, ';')
    expect(read).toEqual(csvRows(hostile).map((r) => r.map((c) => (typeof c === 'string' ? neutralise(c) : String(c)))))
    for (const p of PAYLOADS) {
      const row = read[1 + ordered.findIndex((i) => i.message === p.text)]!
      expect(row[5], p.name).toBe(p.neutralised)
    }
    for (const cell of readAsSpreadsheet(csv.content, ',').flat()) expect(cell).not.toMatch(FORMULA_START)
    expectNoFormulaCells(csv.content)
  })

  it('XLSX: every text cell a shared string, no formula anywhere; it reads back as the text itself, without a quote mark', async () => {
    const xlsx = await renderXlsx(hostile)
    const files = unzipText(xlsx.content)
    const sheet = files.get('xl/worksheets/sheet1.xml')!
    expect(sheet).not.toMatch(/<f[\s>]/)
    const cells = [...sheet.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(\/>|>(.*?)<\/c>)/g)]
    const textCells = cells.filter(([, column, row]) => row === '1' || 'ABCDEF'.includes(column!))
    expect(textCells.length).toBeGreaterThan(6 * texts.length)
    for (const [cell, , , attributes] of textCells) expect(attributes, cell).toMatch(/ t="(s|inlineStr)"/)
    expect(files.get('xl/sharedStrings.xml')).toContain('<si><t>=HYPERLINK("http://example.com/?q=1","нажми")</t></si>')

    const rows = await readSheet(xlsx.content, { trim: false })
    for (const text of texts.filter(Boolean)) {
      const row = rows[1 + ordered.findIndex((i) => i.message === text)]!
      // an XML reader may turn a CR into a LF; the text is otherwise exactly the data's
      expect([row[4], row[5]].map((v) => String(v).replace(/\r\n?/g, '\n')), JSON.stringify(text))
        .toEqual([`оборудование ${text}`, text].map((v) => v.replace(/\r\n?/g, '\n')))
    }
  })
})
