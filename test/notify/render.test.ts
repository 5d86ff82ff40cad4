// The discrepancy e-mail rendered from data: subject with the counts, escaped HTML, a plain-text part,
// and a CSV that Excel in a Russian locale opens with Cyrillic intact and that parses back.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it, vi } from 'vitest'
import { readSheet } from 'read-excel-file/node'
import { neutralise } from '../../src/csv.ts'
import { notificationHtml } from '../../src/notify/notifications.ts'
import { consoleBaseUrl, parsePublicUrl, setServedUrl } from '../../src/notify/links.ts'
import {
  CSV_COLUMNS, csvRows, digestSubject, renderDigest, renderXlsx, runTime, SEVERITY_COLOURS, XLSX_TYPE, type DigestData, type DigestItem,
} from '../../src/notify/render.ts'
import { expectNoFormulaCells, FORMULA_START, PAYLOADS, readAsSpreadsheet, readCsv, unzipText } from '../helpers/exports.ts'

let n = 0
function item(over: Partial<DigestItem> = {}): DigestItem {
  return {
    fingerprint: (++n).toString(16).padStart(32, 'a'),
    section: 'NEW', ruleId: 'equipment-duplicate-serial', ruleTitle: 'Дубль серийного номера', severity: 'HIGH', status: 'NEW',
    entities: [{ type: 'equipment', key: 'INV-1' }, { type: 'equipment', key: 'INV-2' }],
    message: 'Серийный номер SN-1 у двух устройств', firstSeenAt: new Date('2026-01-10T03:00:00Z'), ageDays: 3, ...over,
  }
}

const data: DigestData = {
  scope: 'группа NSI-MSK',
  runId: '00000000-0000-0000-0000-000000000001',
  run: { trigger: 'SCHEDULE', scheduleName: 'Ночная', startedAt: new Date('2026-01-13T03:00:00Z') },
  timeZone: 'Europe/Moscow',
  consoleUrl: 'https://sverka.example.ru/console',
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
    expect(renderDigest(data).html).toContain('<p>Сверка, группа NSI-MSK: итоги проверки от 13 января 2026 г. в 06:00 МСК (по расписанию «Ночная»).</p><p>Новых: <b>2</b>. Открытых всего: <b>3</b>. Устранено: <b>1</b>.</p>')
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
    expect(body.split('\r\n')[0]).toBe('Раздел;Правило;Важность;Статус;Объекты;Сообщение;Впервые;"Возраст, дней";Ссылка')
    expect(body.endsWith('\r\n')).toBe(true)
    const parsed = parse(csv.content, { bom: true, delimiter: ';', record_delimiter: '\r\n' })
    // the age is written as the number it is; text cells as they are (none of these needs neutralising)
    expect(parsed).toEqual(csvRows(data).map((r) => r.map(String)))
    expect(parsed.slice(1).map((r) => [r[0], r[1], r[4], r[6], r[7]])).toEqual([
      ['новое', 'equipment-duplicate-serial', 'оборудование INV-1, оборудование INV-2', '2026-01-10', '3'],
      ['новое', 'address-duplicate', 'адрес A-7', '2026-01-10', '3'],
      ['открыто', 'equipment-duplicate-serial', 'оборудование INV-1, оборудование INV-2', '2026-01-10', '12'],
      ['устранено', 'equipment-duplicate-serial', 'оборудование INV-1, оборудование INV-2', '2026-01-10', '3'],
    ])
    expect(parsed[2][5]).toBe('Адрес <script>alert("x")</script> & «Тверская; 1»')
    expect(parsed[3][5]).toBe('строка с "кавычками"\nи переводом строки')
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
      const row = read[1 + ordered.findIndex((i) => i.message === p.text)]
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
    const textCells = cells.filter(([, column, row]) => row === '1' || 'ABCDEF'.includes(column))
    expect(textCells.length).toBeGreaterThan(6 * texts.length)
    for (const [cell, , , attributes] of textCells) expect(attributes, cell).toMatch(/ t="(s|inlineStr)"/)
    expect(files.get('xl/sharedStrings.xml')).toContain('<si><t>=HYPERLINK("http://example.com/?q=1","нажми")</t></si>')

    const rows = await readSheet(xlsx.content, { trim: false })
    for (const text of texts.filter(Boolean)) {
      const row = rows[1 + ordered.findIndex((i) => i.message === text)]
      // an XML reader may turn a CR into a LF; the text is otherwise exactly the data's
      expect([row[4], row[5]].map((v) => String(v).replace(/\r\n?/g, '\n')), JSON.stringify(text))
        .toEqual([`оборудование ${text}`, text].map((v) => v.replace(/\r\n?/g, '\n')))
    }
  })
})

describe('the digest leads to the console: links, the run named by its time and trigger, severity badges', () => {
  const BASE = 'https://sverka.example.ru/console'
  const pageOf = (i: DigestItem) => `${BASE}/findings/${i.fingerprint}`
  /** every href of an HTML part */
  const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'))
  /** every http(s) URL of a text */
  const urls = (text: string) => text.match(/https?:\/\/[^\s;"<>]+/g) ?? []

  it('links every finding to its console page in the HTML, the text and the CSV, and nothing else', () => {
    const { html, text, csv } = renderDigest(data)
    expect(hrefs(html)).toEqual(data.items.map(pageOf))
    expect(urls(text)).toEqual(data.items.map(pageOf))
    for (const i of data.items) expect(text).toContain(`  ${i.message}\n  Открыть в консоли: ${pageOf(i)}\n`)
    const rows = parse(csv.content, { bom: true, delimiter: ';', record_delimiter: '\r\n' })
    expect(rows[0].at(-1)).toBe('Ссылка')
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(data.items.map(pageOf))
    expect(html).toContain('<th style="border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top">В консоли</th>')
  })

  it('the workbook has the link column too', async () => {
    const rows = await readSheet((await renderXlsx(data)).content)
    expect(rows[0].at(-1)).toBe('Ссылка')
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(data.items.map(pageOf))
  })

  it('a link is exactly base + /findings/ + fingerprint: no key, token or query in any link', () => {
    const { html, text, csv } = renderDigest(data)
    const all = [...hrefs(html), ...urls(text), ...urls(csv.content.toString('utf8'))]
    expect(all).toHaveLength(3 * data.items.length)
    for (const link of all) {
      expect(link).toMatch(/^https:\/\/sverka\.example\.ru\/console\/findings\/[0-9a-f]{32}$/)
      const u = new URL(link)
      expect([u.username, u.password, u.search, u.hash]).toEqual(['', '', '', ''])
    }
    // the setting refuses a base that would carry a secret or a query into every e-mail
    expect(parsePublicUrl('https://admin:sk-secret@sverka.example.ru')).toMatchObject({ ok: false })
    expect(parsePublicUrl('https://sverka.example.ru/?key=sk-secret')).toMatchObject({ ok: false })
    expect(parsePublicUrl('https://sverka.example.ru/#key')).toMatchObject({ ok: false })
    expect(parsePublicUrl('ftp://sverka.example.ru')).toMatchObject({ ok: false })
    expect(parsePublicUrl('sverka.example.ru')).toMatchObject({ ok: false })
    expect(parsePublicUrl(' https://sverka.example.ru/console/ ')).toEqual({ ok: true, base: 'https://sverka.example.ru/console' })
    expect(parsePublicUrl('http://10.0.0.5:4000')).toEqual({ ok: true, base: 'http://10.0.0.5:4000' })
  })

  it('the base: SVERKA_PUBLIC_URL, else the URL serve listens at, else no links at all', () => {
    try {
      setServedUrl('http://127.0.0.1:4000/')
      expect(consoleBaseUrl({ SVERKA_PUBLIC_URL: 'https://sverka.example.ru/' })).toBe('https://sverka.example.ru')
      expect(consoleBaseUrl({})).toBe('http://127.0.0.1:4000')
      // an unusable setting is not used (and warned about); the served URL still is
      expect(consoleBaseUrl({ SVERKA_PUBLIC_URL: 'https://u:p@sverka.example.ru' })).toBe('http://127.0.0.1:4000')
      setServedUrl(null)
      expect(consoleBaseUrl({})).toBeNull()
      expect(consoleBaseUrl({ SVERKA_PUBLIC_URL: 'https://u:p@sverka.example.ru' })).toBeNull()
    } finally {
      setServedUrl(null)
    }
    const { html, text, csv } = renderDigest({ ...data, consoleUrl: null })
    expect(hrefs(html)).toEqual([])
    expect(html).not.toContain('В консоли')
    expect(urls(text)).toEqual([])
    expect(text).not.toContain('Открыть в консоли')
    const rows = parse(csv.content, { bom: true, delimiter: ';', record_delimiter: '\r\n' })
    // the column stays (a stable layout for whoever reads the file), empty
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(data.items.map(() => ''))
  })

  it('without any base the mail goes without links, with one warning a process (not one per e-mail)', async () => {
    vi.resetModules()
    const fresh = await import('../../src/notify/links.ts')
    const warn = vi.spyOn(fresh.log, 'warn').mockImplementation(() => undefined)
    try {
      expect([fresh.consoleBaseUrl({}), fresh.consoleBaseUrl({}), fresh.consoleBaseUrl({ SVERKA_PUBLIC_URL: ' ' })]).toEqual([null, null, null])
      expect(warn).toHaveBeenCalledTimes(1)
      expect(warn.mock.calls[0][1]).toMatch(/SVERKA_PUBLIC_URL is not set/)
      // a usable setting needs no warning
      expect(fresh.consoleBaseUrl({ SVERKA_PUBLIC_URL: 'https://sverka.example.ru' })).toBe('https://sverka.example.ru')
      expect(warn).toHaveBeenCalledTimes(1)
    } finally {
      warn.mockRestore()
    }
  })

  it('the header names the run by its time in the zone and by what started it; the id is only in the small footer', () => {
    const header = (over: Partial<DigestData>) => renderDigest({ ...data, ...over }).text.split('\n')[0]
    expect(header({})).toBe('Сверка, группа NSI-MSK: итоги проверки от 13 января 2026 г. в 06:00 МСК (по расписанию «Ночная»).')
    const at = new Date('2026-03-01T21:30:00Z')
    expect(header({ run: { trigger: 'CLI', startedAt: at } })).toBe('Сверка, группа NSI-MSK: итоги проверки от 2 марта 2026 г. в 00:30 МСК (вручную, из командной строки).')
    expect(header({ run: { trigger: 'API', startedAt: at } })).toMatch(/от 2 марта 2026 г\. в 00:30 МСК \(вручную, из консоли или API\)\.$/)
    expect(header({ run: { trigger: 'INCREMENTAL', startedAt: at } })).toMatch(/\(после импорта\)\.$/)
    expect(header({ run: { trigger: 'SCHEDULE', scheduleName: null, startedAt: at } })).toMatch(/\(по расписанию\)\.$/)
    // a schedule in another zone: its local time and offset
    expect(header({ run: { trigger: 'SCHEDULE', scheduleName: 'Урал', startedAt: at }, timeZone: 'Asia/Yekaterinburg' }))
      .toBe('Сверка, группа NSI-MSK: итоги проверки от 2 марта 2026 г. в 02:30 GMT+5 (по расписанию «Урал»).')
    // ICU names UTC «GMT» or «GMT+0» depending on its version
    expect(runTime(at, 'UTC')).toMatch(/^1 марта 2026 г\. в 21:30 GMT(\+0)?$/)

    const { html, text } = renderDigest(data)
    const runIdAt = (s: string) => s.indexOf(data.runId)
    expect(text.split('\n').filter((l) => l.includes(data.runId))).toEqual([`Проверка ${data.runId}`])
    expect(runIdAt(text)).toBeGreaterThan(text.indexOf('Полный список — во вложении'))
    expect(html).toContain(`<p style="color:#555555;font-size:11px">Проверка ${data.runId}</p></body></html>`)
    expect(html.split(data.runId)).toHaveLength(2)
  })

  /** WCAG 2 contrast ratio of two #rrggbb colours. */
  function contrast(a: string, b: string) {
    const lum = (hex: string) => {
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl
    }
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
    return (hi + 0.05) / (lo + 0.05)
  }

  it('shows severity as a coloured badge with the Russian word (inline styles, white on a colour of contrast ≥ 4.5:1), the word in text and CSV', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5)
    expect(contrast('#ffffff', '#777777')).toBeLessThan(4.5)
    expect(Object.keys(SEVERITY_COLOURS).sort()).toEqual(['CRITICAL', 'HIGH', 'LOW', 'MEDIUM'])
    for (const [severity, colour] of Object.entries(SEVERITY_COLOURS)) expect(contrast('#ffffff', colour), severity).toBeGreaterThanOrEqual(4.5)
    expect(new Set(Object.values(SEVERITY_COLOURS)).size).toBe(4)

    const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']
    const words = ['критическая', 'высокая', 'средняя', 'низкая']
    const mixed: DigestData = { ...data, items: severities.map((severity) => item({ severity })) }
    const { html, text, csv } = renderDigest(mixed)
    expect(html).not.toMatch(/<style|class=/)
    const badges = [...html.matchAll(/<span style="([^"]*)">([^<]*)<\/span>/g)].map((m) => [m[1].match(/background-color:(#[0-9a-f]{6})/)?.[1], m[1].match(/;color:(#[0-9a-f]{6})/)?.[1], m[2]])
    expect(badges).toEqual(severities.map((s, i) => [SEVERITY_COLOURS[s], '#ffffff', words[i]]))
    for (const w of words) expect(text).toContain(`* [${w}] `)
    const rows = parse(csv.content, { bom: true, delimiter: ';', record_delimiter: '\r\n' })
    expect(rows.slice(1).map((r) => r[2])).toEqual(words)
  })

  it('an escalation notice\'s HTML carries the link after the text, escaped; without one, no link', () => {
    const html = notificationHtml('Эскалация', 'Текст <b>', `${BASE}/findings/abc`)
    expect(hrefs(html)).toEqual([`${BASE}/findings/abc`])
    expect(html).toContain('Текст &lt;b&gt;</pre><p><a href="https://sverka.example.ru/console/findings/abc" style="color:#1d4ed8">Открыть в консоли</a></p>')
    expect(hrefs(notificationHtml('Эскалация', 'Текст'))).toEqual([])
  })
})
