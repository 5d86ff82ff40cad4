// Renders the reports album mailed by an album schedule from plain data (src/notify/album.ts gathers it):
// the subject, a short HTML summary (scores with their change, the three worst bottlenecks, counts) with the
// score trend as an inline PNG, a plain-text part, and the workbook — one sheet a report, typed cells.
// No database and no transport here.
import { wallClockIn, type CalendarPeriod } from '../dates.ts'
import type { Hotspots, SlaBreach } from '../incidents/reports.ts'
import { ENTITY_TYPE_RU, FINDING_STATUS_RU, severityRu } from '../i18n/ru.ts'
import { ALBUM_RU } from '../i18n/ru-mail.ts'
import type { AgingRow, BottleneckRow, MatrixCell } from '../reports/findings.ts'
import { scoreOf, type MarketScore, type QualityRun } from '../reports/quality.ts'
import type { CellObject, default as writeExcelFile } from 'write-excel-file/node'
import { trendPng } from './chart.ts'
import { escapeHtml, runTime, XLSX_TYPE } from './render.ts'

export interface AlbumPeriodRange {
  kind: CalendarPeriod
  /** first day (YYYY-MM-DD) and the first day after, in the album's time zone */
  first: string
  next: string
  since: Date
  until: Date
}

export interface AlbumData {
  /** «рынок MSK», «группа NSI-MSK, рынок MSK», «все рынки» */
  scope: string
  /** true when the album covers some markets only: a run's total is then summed over its market rows */
  scoped: boolean
  period: AlbumPeriodRange
  timeZone: string
  generatedAt: Date
  /** the runs with stored scores finished in the period, oldest first (qualityScores) */
  runs: QualityRun[]
  /** the album's period and the ones before it, oldest first; each with its last run (null: none) */
  trend: Array<{ period: AlbumPeriodRange; run: QualityRun | null }>
  matrix: MatrixCell[]
  aging: AgingRow[]
  hotspots: Hotspots
  bottlenecks: BottleneckRow[]
  breaches: { total: number; breaches: SlaBreach[] }
  ruleTitles: Record<string, string>
}

export interface RenderedAlbum {
  subject: string
  text: string
  html: string
  attachments: Array<{ filename: string; content: Buffer; contentType: string; cid?: string }>
}

/** The content id of the trend image, referenced from the HTML as `cid:…`. */
export const TREND_CID = 'score-trend@sverka'

const day = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`
const lastDay = (p: Pick<AlbumPeriodRange, 'next'>) => {
  const d = new Date(`${p.next}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/** «за ноябрь 2026 г.», «за неделю с 23.11.2026 по 29.11.2026». */
export function periodText(p: Pick<AlbumPeriodRange, 'kind' | 'first' | 'next'>): string {
  if (p.kind === 'WEEK') return ALBUM_RU.week(day(p.first), day(lastDay(p)))
  const monthYear = new Intl.DateTimeFormat('ru-RU', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${p.first}T00:00:00Z`))
  return ALBUM_RU.month(monthYear)
}

/** The trend axis: «ноя 26» for a month, the Monday «23.11» for a week. */
function periodLabel(p: Pick<AlbumPeriodRange, 'kind' | 'first'>): string {
  if (p.kind === 'WEEK') return `${p.first.slice(8, 10)}.${p.first.slice(5, 7)}`
  return `${ALBUM_RU.monthsShort[Number(p.first.slice(5, 7)) - 1]} ${p.first.slice(2, 4)}`
}

export function albumSubject(data: Pick<AlbumData, 'period' | 'scope'>): string {
  return ALBUM_RU.subject(periodText(data.period), data.scope)
}

/** A run's total as the album shows it: the run's own, or (scoped) its market rows summed. */
export function runTotal(run: QualityRun, scoped: boolean): { records: number; clean: number; score: number | null } {
  if (!scoped) return { records: run.records, clean: run.clean, score: run.score }
  const records = run.markets.reduce((n, m) => n + m.records, 0)
  const clean = run.markets.reduce((n, m) => n + m.clean, 0)
  return { records, clean, score: scoreOf(records, clean) }
}

const marketName = (m: Pick<MarketScore, 'market' | 'marketName'>) => (m.market === null ? ALBUM_RU.noMarketRow : m.marketName ? `${m.market} — ${m.marketName}` : m.market)
const marketKey = (m: Pick<MarketScore, 'market'>) => m.market ?? ''

/** The markets of a trend, in the order of the latest run that has them. */
function trendMarkets(data: AlbumData): Array<Pick<MarketScore, 'market' | 'marketName'>> {
  const seen = new Map<string, Pick<MarketScore, 'market' | 'marketName'>>()
  for (const { run } of [...data.trend].reverse()) for (const m of run?.markets ?? []) if (!seen.has(marketKey(m))) seen.set(marketKey(m), m)
  return [...seen.values()]
}

const percent = (n: number | null) => (n === null ? '—' : n.toFixed(1).replace('.', ','))
const change = (now: number | null, before: number | null) => {
  if (now === null || before === null) return ALBUM_RU.noChange
  const d = now - before
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(1).replace('.', ',')}`
}
const share = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : null)

/** The score rows of the summary: the total, then each market, with the change against the previous period's last run. */
export function scoreRows(data: AlbumData): Array<{ name: string; score: number | null; change: string; records: number; clean: number }> | null {
  const current = data.trend.at(-1)?.run ?? null
  if (!current) return null
  const previous = data.trend.at(-2)?.run ?? null
  const total = runTotal(current, data.scoped)
  const rows: Array<{ name: string; score: number | null; change: string; records: number; clean: number }> = [{ name: ALBUM_RU.total, score: total.score, change: change(total.score, previous ? runTotal(previous, data.scoped).score : null), records: total.records, clean: total.clean }]
  for (const m of current.markets) {
    const before = previous?.markets.find((p) => p.market === m.market) ?? null
    rows.push({ name: marketName(m), score: m.score, change: change(m.score, before?.score ?? null), records: m.records, clean: m.clean })
  }
  return rows
}

/** Open findings now (the matrix summed), critical ones, those older than 30 days (aging), SLA breaches. */
export function albumCounts(data: AlbumData) {
  return {
    open: data.matrix.reduce((n, c) => n + c.total, 0),
    critical: data.matrix.reduce((n, c) => n + c.critical, 0),
    over30Days: data.aging.reduce((n, r) => n + r.over30Days, 0),
    breaches: data.breaches.total,
  }
}

const worst = (data: AlbumData) => data.bottlenecks.filter((b) => b.worst).slice(0, 3)

function renderHtml(data: AlbumData, hasChart: boolean): string {
  const e = escapeHtml
  const cell = 'style="border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top"'
  const num = 'style="border:1px solid #ccc;padding:4px 6px;text-align:right;vertical-align:top"'
  const table = (heads: readonly string[], rows: Array<Array<{ v: string; n?: boolean }>>) => [
    `<table style="border-collapse:collapse"><thead><tr>${heads.map((h) => `<th ${cell}>${e(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => `<td ${c.n ? num : cell}>${e(c.v)}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('')
  const period = periodText(data.period)
  const parts = [
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>', e(albumSubject(data)), '</title></head>',
    '<body style="font-family:Arial,sans-serif;font-size:14px">',
    `<h1 style="font-size:18px">${e(ALBUM_RU.title(period))}</h1>`,
    `<p>${e(ALBUM_RU.scope(data.scope))}</p>`,
    `<h2 style="font-size:16px">${e(ALBUM_RU.scoreHeading)}</h2>`,
  ]
  const scores = scoreRows(data)
  const current = data.trend.at(-1)?.run ?? null
  if (!scores || !current) parts.push(`<p>${e(ALBUM_RU.noScore)}</p>`)
  else {
    parts.push(`<p>${e(ALBUM_RU.scoreAsOf(day(current.asOf), runTime(current.finishedAt, data.timeZone)))}</p>`)
    parts.push(table(ALBUM_RU.scoreColumns, scores.map((r) => [
      { v: r.name }, { v: percent(r.score), n: true }, { v: r.change, n: true }, { v: String(r.records), n: true }, { v: String(r.clean), n: true },
    ])).replace('<tr><td', '<tr style="font-weight:bold"><td'))
  }
  if (hasChart) {
    parts.push(`<p><img src="cid:${TREND_CID}" width="720" height="320" alt="${e(ALBUM_RU.trendAlt(data.trend.length))}" style="display:block;max-width:100%;height:auto"></p>`)
  }
  parts.push(`<h2 style="font-size:16px">${e(ALBUM_RU.worstHeading)}</h2>`)
  const three = worst(data)
  if (three.length === 0) parts.push(`<p>${e(ALBUM_RU.noWorst)}</p>`)
  else {
    parts.push(table(ALBUM_RU.worstColumns, three.map((b) => [
      { v: b.groupCode ? `${b.groupCode}${b.groupName ? ` — ${b.groupName}` : ''}` : ALBUM_RU.noGroup },
      { v: b.line === null ? '—' : String(b.line), n: true },
      { v: String(b.received), n: true }, { v: String(b.overdue), n: true },
      { v: percent(share(b.acknowledgedInTime, b.received)), n: true }, { v: percent(share(b.resolvedInTime, b.received)), n: true },
    ])))
  }
  const c = albumCounts(data)
  parts.push(`<h2 style="font-size:16px">${e(ALBUM_RU.countsHeading)}</h2>`,
    `<p>${ALBUM_RU.counts(`<b>${c.open}</b>`, `<b>${c.critical}</b>`, `<b>${c.over30Days}</b>`, `<b>${c.breaches}</b>`)}</p>`,
    `<p style="color:#555555">${e(ALBUM_RU.footer)}</p>`,
    `<p style="color:#555555;font-size:11px">${e(ALBUM_RU.generated(runTime(data.generatedAt, data.timeZone)))}</p></body></html>`)
  return parts.join('')
}

function renderText(data: AlbumData): string {
  const lines = [ALBUM_RU.title(periodText(data.period)), ALBUM_RU.scope(data.scope), '', ALBUM_RU.scoreHeading]
  const scores = scoreRows(data)
  if (!scores) lines.push(ALBUM_RU.noScore)
  else for (const r of scores) lines.push(`* ${r.name}: ${percent(r.score)} % (${r.change})`)
  lines.push('', ALBUM_RU.worstHeading)
  const three = worst(data)
  if (three.length === 0) lines.push(ALBUM_RU.noWorst)
  for (const b of three) lines.push(`* ${b.groupCode ?? ALBUM_RU.noGroup}${b.line === null ? '' : `, ${b.line}`}: ${b.received} / ${b.overdue}`)
  const c = albumCounts(data)
  lines.push('', ALBUM_RU.countsHeading, ALBUM_RU.counts(String(c.open), String(c.critical), String(c.over30Days), String(c.breaches)), '', ALBUM_RU.footer)
  return lines.join('\n') + '\n'
}

// ─── the workbook ───

type Cell = CellObject | null
type Sheet = Parameters<typeof writeExcelFile>[0][number]

const text = (value: string | null): Cell => (value === null || value === '' ? null : { value, type: String })
const int = (value: number | null): Cell => (value === null ? null : { value, type: Number, format: '0' })
const hours = (seconds: number | null): Cell => (seconds === null ? null : { value: seconds / 3600, type: Number, format: '0.0' })
/** a share in per cent (0–100) as Excel keeps percentages: a fraction shown with %. */
const pct = (value: number | null): Cell => (value === null ? null : { value: value / 100, type: Number, format: '0.0%' })
const date = (value: Date | string | null): Cell => (value === null ? null
  : { value: typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : value, type: Date, format: 'dd.mm.yyyy' })
/** a time as the album's zone reads it (a cell has no zone) */
const dateTime = (value: Date | null, timeZone: string): Cell => (value === null ? null : { value: wallClockIn(value, timeZone), type: Date, format: 'dd.mm.yyyy hh:mm' })
const bool = (value: boolean): Cell => ({ value, type: Boolean })

function sheet(name: string, heads: readonly string[], rows: Cell[][], widths: number[]): Sheet {
  return {
    sheet: name, stickyRowsCount: 1,
    data: [heads.map((h) => ({ value: h, type: String, fontWeight: 'bold' as const })), ...rows],
    columns: widths.map((width) => ({ width })),
  }
}

/** The sheets of the workbook, in order: one a report. */
export function albumSheets(data: AlbumData): Sheet[] {
  const S = ALBUM_RU.sheets
  const C = ALBUM_RU.columns
  const title = (ruleId: string) => data.ruleTitles[ruleId] ?? null

  const quality: Cell[][] = []
  for (const run of data.runs) {
    // a full audit is no one market's run: an album over some markets names it by its date only, as the API does
    const head = [text(data.scoped ? null : run.runId), date(run.asOf), dateTime(run.finishedAt, data.timeZone)]
    const total = runTotal(run, data.scoped)
    quality.push([...head, text(ALBUM_RU.total), null, text(ALBUM_RU.allTypes), int(total.records), int(total.clean), int(total.records - total.clean), pct(total.score)])
    for (const m of run.markets) {
      const market = [text(m.market ?? ALBUM_RU.noMarketRow), text(m.marketName)]
      quality.push([...head, ...market, text(ALBUM_RU.allTypes), int(m.records), int(m.clean), int(m.records - m.clean), pct(m.score)])
      for (const t of m.entityTypes) {
        quality.push([...head, ...market, text(ENTITY_TYPE_RU[t.entityType] ?? t.entityType), int(t.records), int(t.clean), int(t.records - t.clean), pct(t.score)])
      }
    }
  }

  const markets = trendMarkets(data)
  const trend = data.trend.map(({ period, run }) => [
    date(period.first), date(lastDay(period)), run ? date(run.asOf) : null, pct(run ? runTotal(run, data.scoped).score : null),
    ...markets.map((m) => pct(run?.markets.find((x) => x.market === m.market)?.score ?? null)),
  ])

  const matrix = data.matrix.map((c) => [
    text(c.ruleId), text(title(c.ruleId)), text(c.market ?? ALBUM_RU.noMarketRow), int(c.critical), int(c.high), int(c.medium), int(c.low), int(c.total),
  ])
  const aging = data.aging.map((r) => [
    text(r.key ?? ALBUM_RU.noGroup), text(r.key ? title(r.key) : r.name), int(r.under1Day), int(r.days1to7), int(r.days7to30), int(r.over30Days), int(r.total),
  ])
  const hotspots = [
    ...data.hotspots.byRule.map((r) => [text(ALBUM_RU.hotspotByRule), text(r.key), int(r.incidents), int(r.complaints), int(r.findings)]),
    ...data.hotspots.byMarket.map((r) => [text(ALBUM_RU.hotspotByMarket), text(r.key ?? ALBUM_RU.noMarketRow), int(r.incidents), int(r.complaints), int(r.findings)]),
  ]
  const bottlenecks = data.bottlenecks.map((b) => [
    text(b.groupCode ?? ALBUM_RU.noGroup), text(b.groupName), int(b.line), int(b.received),
    int(b.acknowledgedInTime), pct(share(b.acknowledgedInTime, b.received)), int(b.resolvedInTime), pct(share(b.resolvedInTime, b.received)),
    hours(b.acknowledge.medianSeconds), hours(b.acknowledge.p90Seconds), hours(b.resolve.medianSeconds), hours(b.resolve.p90Seconds),
    int(b.overdue), bool(b.worst),
  ])
  const breaches = data.breaches.breaches.map((b) => [
    text(b.ruleId), text(severityRu(b.severity)), text(FINDING_STATUS_RU[b.status] ?? b.status), text(b.marketCode ?? ALBUM_RU.noMarketRow),
    text(b.groupCode ?? ALBUM_RU.noGroup), int(b.line), int(b.escalationLevel), dateTime(b.ackDueAt, data.timeZone), dateTime(b.dueAt, data.timeZone),
    hours(b.acknowledgeLateSeconds), hours(b.resolveLateSeconds), text(b.message), text(b.fingerprint),
  ])

  return [
    sheet(S.quality, C.quality, quality, [38, 11, 16, 10, 24, 18, 10, 16, 16, 9]),
    sheet(S.trend, [...C.trend, ...markets.map((m) => m.market ?? ALBUM_RU.noMarketRow)], trend, [11, 11, 11, 9, ...markets.map(() => 10)]),
    sheet(S.matrix, C.matrix, matrix, [28, 48, 10, 10, 10, 10, 10, 10]),
    sheet(S.aging, C.aging, aging, [28, 48, 10, 10, 10, 14, 10]),
    sheet(S.hotspots, C.hotspots, hotspots, [10, 28, 12, 10, 10]),
    sheet(S.bottlenecks, C.bottlenecks, bottlenecks, [16, 28, 7, 10, 12, 12, 12, 12, 14, 14, 14, 14, 12, 10]),
    sheet(S.breaches, C.breaches, breaches, [28, 11, 14, 10, 16, 7, 10, 16, 16, 14, 14, 60, 20]),
  ]
}

export async function renderAlbumXlsx(data: AlbumData): Promise<Buffer> {
  const { default: write } = await import('write-excel-file/node')
  return write(albumSheets(data)).toBuffer()
}

/** The trend chart: the total and each market, one point a period (its last run's score). */
export function trendChartOf(data: AlbumData) {
  const markets = trendMarkets(data)
  return {
    title: ALBUM_RU.trendTitle,
    labels: data.trend.map(({ period }) => periodLabel(period)),
    series: [
      { name: ALBUM_RU.trendTotal, values: data.trend.map(({ run }) => (run ? runTotal(run, data.scoped).score : null)) },
      // with a single market the total is that market: one line is enough
      ...(markets.length > 1 ? markets.map((m) => ({ name: m.market ?? ALBUM_RU.noMarketRow, values: data.trend.map(({ run }) => run?.markets.find((x) => x.market === m.market)?.score ?? null) })) : []),
    ],
  }
}

export async function renderAlbum(data: AlbumData): Promise<RenderedAlbum> {
  const hasChart = data.trend.some(({ run }) => run !== null)
  const attachments: RenderedAlbum['attachments'] = [
    { filename: `sverka-album-${data.period.first}.xlsx`, content: await renderAlbumXlsx(data), contentType: XLSX_TYPE },
  ]
  if (hasChart) attachments.push({ filename: 'trend.png', content: await trendPng(trendChartOf(data)), contentType: 'image/png', cid: TREND_CID })
  return { subject: albumSubject(data), text: renderText(data), html: renderHtml(data, hasChart), attachments }
}
