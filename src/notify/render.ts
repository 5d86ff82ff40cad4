// Renders a subscription's discrepancy list (the e-mail after an audit) from plain data: subject,
// HTML body, plain-text part and a CSV attachment. No database and no transport here.
import { csvText, type CsvCell } from '../csv.ts'
import { ENTITY_TYPE_RU, FINDING_STATUS_RU, pluralRu, severityRu } from '../i18n/ru.ts'
import { DIGEST_CSV_COLUMNS_RU, DIGEST_RU, DIGEST_SECTION_RU, RUN_TRIGGER_RU, TIME_ZONE_RU, type PluralForms } from '../i18n/ru-mail.ts'
import { findingUrl } from './links.ts'

export type DigestSection = 'NEW' | 'OPEN' | 'RESOLVED'

export interface DigestItem {
  section: DigestSection
  /** the finding's identity: its page in the console is `<consoleUrl>/findings/<fingerprint>` */
  fingerprint: string
  ruleId: string
  ruleTitle: string
  severity: string
  status: string
  entities: Array<{ type: string; key: string }>
  message: string
  firstSeenAt: Date
  resolvedAt?: Date | null
  /** whole days from first seen to the digest's time (to resolution for resolved ones) */
  ageDays: number
}

export interface DigestData {
  /** «группа NSI-MSK», «рынок MSK», «все рынки» */
  scope: string
  runId: string
  /** the run the list follows, named in the header by its start time and what started it */
  run: { trigger: string; scheduleName?: string | null; startedAt: Date }
  /** the zone of the header's time (the schedule's; Europe/Moscow otherwise) */
  timeZone: string
  /** base of the links to the console (SVERKA_PUBLIC_URL, see links.ts); null or absent: no links */
  consoleUrl?: string | null
  generatedAt: Date
  /** new and resolved since the last e-mail; open = every open finding of the scope, new ones included */
  counts: { new: number; open: number; resolved: number }
  items: DigestItem[]
}

export interface RenderedDigest {
  subject: string
  text: string
  html: string
  csv: { filename: string; content: Buffer; contentType: string }
}

/** The sections in the order shown (texts: src/i18n/ru-mail.ts). */
const SECTIONS: Array<{ id: DigestSection; title: string; empty: string }> = (['NEW', 'OPEN', 'RESOLVED'] as const)
  .map((id) => ({ id, title: DIGEST_SECTION_RU[id].title, empty: DIGEST_SECTION_RU[id].empty }))

const sectionLabel = (section: DigestSection) => DIGEST_SECTION_RU[section].label

export const CSV_COLUMNS = DIGEST_CSV_COLUMNS_RU

/** A count with its noun in Russian agreement («1 новое», «3 открытых»). */
const counted = (n: number, forms: PluralForms) => `${n} ${pluralRu(n, ...forms)}`

export function digestSubject(data: Pick<DigestData, 'counts' | 'scope'>): string {
  const { counts: c } = data
  return DIGEST_RU.subject({ new: counted(c.new, DIGEST_RU.newForms), open: counted(c.open, DIGEST_RU.openForms), resolved: c.resolved }, data.scope)
}

export function entitiesText(entities: DigestItem['entities']): string {
  return entities.map((e) => `${ENTITY_TYPE_RU[e.type] ?? e.type} ${e.key}`).join(', ')
}

const day = (d: Date) => d.toISOString().slice(0, 10)

/** «13 января 2026 г. в 06:00 МСК»: the time in the zone, with the zone's Russian name or its offset (GMT+5). */
export function runTime(at: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(at)
  const zone = TIME_ZONE_RU[timeZone]
    ?? new Intl.DateTimeFormat('ru-RU', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value
    ?? timeZone
  return `${time} ${zone}`
}

/** What started the run, in the header's words. */
export function runTrigger(run: DigestData['run']): string {
  switch (run.trigger) {
    case 'SCHEDULE': return RUN_TRIGGER_RU.SCHEDULE(run.scheduleName ?? null)
    case 'CLI': return RUN_TRIGGER_RU.CLI
    case 'API': return RUN_TRIGGER_RU.API
    case 'INCREMENTAL': return RUN_TRIGGER_RU.INCREMENTAL
    default: return run.trigger
  }
}

const linkOf = (data: DigestData, item: DigestItem) => (data.consoleUrl ? findingUrl(data.consoleUrl, item.fingerprint) : null)

/**
 * Each severity's badge colour: white text on it has a contrast of at least 4.5:1 (WCAG AA for normal
 * text; test/notify/render.test.ts computes it), and the Russian word stays beside the colour for
 * readers who do not tell colours apart.
 */
export const SEVERITY_COLOURS: Record<string, string> = {
  CRITICAL: '#b91c1c',
  HIGH: '#c2410c',
  MEDIUM: '#8a5a00',
  LOW: '#4b5563',
}

/** The severity as a coloured badge with its word; inline styles only (mail clients drop <style>). */
export function severityBadge(severity: string): string {
  const colour = SEVERITY_COLOURS[severity] ?? '#4b5563'
  return `<span style="display:inline-block;padding:1px 6px;border-radius:3px;background-color:${colour};color:#ffffff;font-weight:bold;white-space:nowrap">${escapeHtml(severityRu(severity))}</span>`
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function bySection(items: DigestItem[], section: DigestSection) {
  return items.filter((i) => i.section === section)
}

function renderText(data: DigestData): string {
  const lines = [
    DIGEST_RU.intro(data.scope, runTime(data.run.startedAt, data.timeZone), runTrigger(data.run)),
    DIGEST_RU.counts(String(data.counts.new), String(data.counts.open), String(data.counts.resolved)),
  ]
  for (const s of SECTIONS) {
    const items = bySection(data.items, s.id)
    lines.push('', `${s.title} (${items.length})`, '-'.repeat(s.title.length))
    if (items.length === 0) lines.push(s.empty)
    for (const i of items) {
      const age = s.id === 'RESOLVED' ? '' : `, ${DIGEST_RU.age(i.ageDays)}`
      lines.push(`* [${severityRu(i.severity)}] ${i.ruleId} — ${i.ruleTitle}: ${entitiesText(i.entities)}${age}`, `  ${i.message}`)
      const link = linkOf(data, i)
      if (link) lines.push(`  ${DIGEST_RU.link(link)}`)
    }
  }
  lines.push('', DIGEST_RU.footer, DIGEST_RU.runId(data.runId))
  return lines.join('\n') + '\n'
}

function renderHtml(data: DigestData): string {
  const e = escapeHtml
  const cell = 'style="border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top"'
  const parts = [
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>', e(digestSubject(data)), '</title></head>',
    '<body style="font-family:Arial,sans-serif;font-size:14px">',
    `<p>${e(DIGEST_RU.intro(data.scope, runTime(data.run.startedAt, data.timeZone), runTrigger(data.run)))}</p>`,
    `<p>${DIGEST_RU.counts(`<b>${data.counts.new}</b>`, `<b>${data.counts.open}</b>`, `<b>${data.counts.resolved}</b>`)}</p>`,
  ]
  for (const s of SECTIONS) {
    const items = bySection(data.items, s.id)
    parts.push(`<h2 style="font-size:16px">${e(s.title)} (${items.length})</h2>`)
    if (items.length === 0) {
      parts.push(`<p>${e(s.empty)}</p>`)
      continue
    }
    const ageHead = s.id === 'RESOLVED' ? DIGEST_RU.htmlResolvedColumn : DIGEST_RU.htmlAgeColumn
    const heads = [...DIGEST_RU.htmlColumns, ageHead, ...(data.consoleUrl ? [DIGEST_RU.htmlLinkColumn] : [])]
    parts.push(`<table style="border-collapse:collapse"><thead><tr>${heads.map((h) => `<th ${cell}>${e(h)}</th>`).join('')}</tr></thead><tbody>`)
    for (const i of items) {
      const last = s.id === 'RESOLVED' ? (i.resolvedAt ? day(i.resolvedAt) : '') : String(i.ageDays)
      const link = linkOf(data, i)
      parts.push('<tr>', `<td ${cell}>${severityBadge(i.severity)}</td>`, ...[
        `${i.ruleId} — ${i.ruleTitle}`,
        entitiesText(i.entities),
        i.message,
        day(i.firstSeenAt),
        last,
      ].map((v) => `<td ${cell}>${e(v)}</td>`),
      ...(link ? [`<td ${cell}><a href="${e(link)}" style="color:#1d4ed8">${e(DIGEST_RU.htmlLinkText)}</a></td>`] : []), '</tr>')
    }
    parts.push('</tbody></table>')
  }
  parts.push(`<p style="color:#555555">${e(DIGEST_RU.footer)}</p>`,
    `<p style="color:#555555;font-size:11px">${e(DIGEST_RU.runId(data.runId))}</p></body></html>`)
  return parts.join('')
}

/** Rows of the CSV attachment (header first), in the order the sections are shown; the age is a number. */
export function csvRows(data: DigestData): CsvCell[][] {
  const rows: CsvCell[][] = [[...CSV_COLUMNS]]
  for (const s of SECTIONS) {
    for (const i of bySection(data.items, s.id)) {
      rows.push([
        sectionLabel(i.section), i.ruleId, severityRu(i.severity), FINDING_STATUS_RU[i.status] ?? i.status,
        entitiesText(i.entities), i.message, day(i.firstSeenAt), i.ageDays, linkOf(data, i) ?? '',
      ])
    }
  }
  return rows
}

/**
 * The attachment as Excel in a Russian locale opens it by double-click: UTF-8 with a BOM (without it
 * Excel reads cp1251 and the Cyrillic turns to mojibake), `;` between fields (the list separator of
 * the ru-RU locale), CRLF line ends. Keys and messages are data: the writer keeps them from becoming
 * formulas.
 */
export function renderCsv(data: DigestData): Buffer {
  return Buffer.from(csvText(csvRows(data), { delimiter: ';', recordDelimiter: '\r\n', bom: true }), 'utf8')
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * The same rows as an Excel workbook (write-excel-file): typed cells — the first-seen day a date, the age a
 * number — so the list sorts and filters as it should; a bold, frozen header row and readable widths.
 * Every text cell is typed String (a shared string, never a formula), so text from the data such as
 * `=HYPERLINK(…)` stays the text it is, with no `'` added.
 */
export async function renderXlsx(data: DigestData): Promise<{ filename: string; content: Buffer; contentType: string }> {
  const { default: writeExcelFile } = await import('write-excel-file/node')
  const text = (value: string) => ({ value, type: String })
  const header = CSV_COLUMNS.map((value) => ({ ...text(value), fontWeight: 'bold' as const }))
  const rows = SECTIONS.flatMap((s) => bySection(data.items, s.id)).map((i) => [
    text(sectionLabel(i.section)), text(i.ruleId), text(severityRu(i.severity)),
    text(FINDING_STATUS_RU[i.status] ?? i.status), text(entitiesText(i.entities)), text(i.message),
    { value: i.firstSeenAt, type: Date, format: 'dd.mm.yyyy' }, { value: i.ageDays, type: Number }, text(linkOf(data, i) ?? ''),
  ])
  const content = await writeExcelFile([header, ...rows], {
    sheet: DIGEST_RU.sheet, stickyRowsCount: 1,
    columns: [{ width: 11 }, { width: 30 }, { width: 12 }, { width: 12 }, { width: 40 }, { width: 70 }, { width: 11 }, { width: 8 }, { width: 60 }],
  }).toBuffer()
  return { filename: `sverka-${day(data.generatedAt)}.xlsx`, content, contentType: XLSX_TYPE }
}

export function renderDigest(data: DigestData): RenderedDigest {
  return {
    subject: digestSubject(data),
    text: renderText(data),
    html: renderHtml(data),
    csv: { filename: `sverka-${day(data.generatedAt)}.csv`, content: renderCsv(data), contentType: 'text/csv; charset=utf-8' },
  }
}
