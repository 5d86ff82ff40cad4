// «Альбом отчётов» as data: the period in the address bar, each report's table and chart built from the same API
// answer (the chart draws the table's numbers, nothing recomputed), and where each number leads in «Находки».
// Pure functions (no DOM): test/web/reports.test.ts runs them in Node.
import { ENTITY_WORD, formatDate, formatDateTime, SEVERITY_WORD, supportLine } from '../../format.ts'
import type {
  AgingReportQuery, BottlenecksReportQuery, HotspotsReportQuery, MatrixReportQuery, QualityReportQuery, SlaReportQuery,
} from '../../gql/graphql.ts'
import { emptyView, viewSearch, type Age, type FindingsView, type SeverityValue, type SubjectType } from '../findings/url.ts'
import { hours, type ReportTable, type Row } from './tables.ts'

// ─────────────────────────────── the period ───────────────────────────────

/** Days in Moscow time, both ends included; null ends: open. */
export interface AlbumPeriod { since: string | null; until: string | null }

export const DEFAULT_DAYS = 30
const DAY = 86_400_000
const moscowDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Today in Moscow, YYYY-MM-DD. */
export function moscowToday(now: number): string {
  return moscowDay.format(new Date(now))
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

const isDay = (s: string | null): s is string => s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s))

/** The last `days` days up to today. */
export function lastDays(days: number, today: string): AlbumPeriod {
  return { since: addDays(today, -(days - 1)), until: today }
}

/** `?since=2026-11-06&until=2026-12-05` (or `?period=all`) → the period; the last 30 days by default. */
export function parsePeriod(search: string, today: string): AlbumPeriod {
  const q = new URLSearchParams(search)
  if (q.get('period') === 'all') return { since: null, until: null }
  const since = q.get('since'), until = q.get('until')
  if (!isDay(since) && !isDay(until)) return lastDays(DEFAULT_DAYS, today)
  const period = { since: isDay(since) ? since : null, until: isDay(until) ? until : null }
  return period.since && period.until && period.since > period.until ? { since: period.until, until: period.since } : period
}

/** The period as the query string of /reports ('' for the default). */
export function periodSearch(period: AlbumPeriod, today: string): string {
  const standard = lastDays(DEFAULT_DAYS, today)
  if (period.since === standard.since && period.until === standard.until) return ''
  if (!period.since && !period.until) return '?period=all'
  const q = new URLSearchParams()
  if (period.since) q.set('since', period.since)
  if (period.until) q.set('until', period.until)
  return `?${q.toString()}`
}

/** Midnight starting a Moscow day, as an instant (Moscow keeps UTC+3 all year). */
export function moscowMidnight(day: string): string {
  return new Date(`${day}T00:00:00+03:00`).toISOString()
}

/** The API's since (inclusive) and until (exclusive: the midnight after the last day). */
export function periodArgs(period: AlbumPeriod): { since: string | null; until: string | null } {
  return { since: period.since ? moscowMidnight(period.since) : null, until: period.until ? moscowMidnight(addDays(period.until, 1)) : null }
}

/** «с 06.11.2026 по 05.12.2026», «за всё время». */
export function periodText(period: AlbumPeriod): string {
  if (!period.since && !period.until) return 'за всё время'
  return [period.since && `с ${formatDate(period.since)}`, period.until && `по ${formatDate(period.until)}`].filter(Boolean).join(' ')
}

// ─────────────────────────────── drill-down into «Находки» ───────────────────────────────

/** What a number counts, as the findings list's filters (web/src/screens/findings/url.ts). */
export interface Drill {
  rule?: string
  /** a market code; null: findings of no single market */
  market?: string | null
  severity?: SeverityValue
  group?: string | null
  line?: number
  age?: Age
  overdue?: boolean
  subject?: SubjectType
  /** first seen in these Moscow days (the API's instants, as the report asked); with it every status */
  seen?: AlbumPeriod
  /** every status, not only the open ones */
  all?: boolean
}

/** The findings list of a report's number, as «Находки» writes its own address (viewSearch). */
export function findingsHref(drill: Drill): string {
  const seen = drill.seen ? periodArgs(drill.seen) : null
  const view: FindingsView = {
    ...emptyView(),
    rules: drill.rule ? [drill.rule] : [],
    market: drill.market ?? null,
    noMarket: drill.market === null,
    severities: drill.severity ? [drill.severity] : [],
    all: Boolean(drill.all || drill.seen),
    group: drill.group ?? null,
    noGroup: drill.group === null,
    line: drill.line ?? null,
    age: drill.age ?? null,
    overdue: drill.overdue ?? false,
    subject: drill.subject ?? null,
    since: seen?.since ?? null,
    until: seen?.until ?? null,
  }
  return `/findings${viewSearch(view)}`
}

// ─────────────────────────────── names ───────────────────────────────

export interface Names {
  rules: ReadonlyMap<string, string>
  groups: ReadonlyMap<string, string>
}

export const NO_NAMES: Names = { rules: new Map(), groups: new Map() }

export const NO_MARKET = 'без рынка'
export const NO_GROUP = 'не назначена'

export const ruleName = (names: Names, id: string) => names.rules.get(id) ?? id
/** markets by code, as «Находки» shows them */
export const marketName = (code: string | null) => code === null ? NO_MARKET : code
export const groupName = (names: Names, code: string | null, name?: string | null) => code === null ? NO_GROUP : name ?? names.groups.get(code) ?? code

// ─────────────────────────────── charts as data ───────────────────────────────

export interface ChartSeries {
  name: string
  data: Array<number | null>
  /** bars of one stack are drawn on top of each other */
  stack?: string
  color?: string
  /** per point: a colour of its own (the worst in red) */
  colors?: ReadonlyArray<string | undefined>
  /** per point: where a click leads */
  links?: ReadonlyArray<string | null | undefined>
}

export interface ChartSpec {
  kind: 'line' | 'bar'
  /** bars along the vertical axis (long category names) */
  horizontal?: boolean
  categories: string[]
  series: ChartSeries[]
  /** the value axis' name */
  unit: string
  /** what it shows, in words, for those who cannot see it */
  label: string
}

export interface Report { table: ReportTable; chart: ChartSpec }

export const SEVERITY_COLOR = { CRITICAL: '#b3261e', HIGH: '#e8710a', MEDIUM: '#d8b000', LOW: '#5b8cc0' } as const
const SEVERITY_KEYS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const
const SEVERITY_FIELD = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' } as const
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const MARKET_COLORS = ['#0b5cad', '#1e7a34', '#8e24aa', '#c25400', '#00838f', '#6d4c41', '#3949ab', '#7cb342']

// ─────────────────────────────── 1. data quality ───────────────────────────────

export type QualityRun = QualityReportQuery['reports']['qualityScores'][number]

export const ALL_TYPES = 'все типы'
export const ALL_MARKETS = 'Все рынки'

/**
 * The latest run's score by market × entity type (with each market's own score, as the API gives it) and the
 * trend of every market's score over the runs in the period. A flagged count leads to the market's open findings
 * naming a record of that type.
 */
export function qualityReport(runs: readonly QualityRun[]): Report {
  const latest = runs.at(-1)
  const rows: Row[] = []
  for (const m of latest?.markets ?? []) {
    const market = marketName(m.market)
    rows.push({ cells: [market, ALL_TYPES, m.score, m.records, m.flagged], links: [null, null, null, null, findingsHref({ market: m.market })], subtotal: true })
    for (const t of m.entityTypes) {
      rows.push({
        cells: [market, ENTITY_WORD[t.entityType] ?? t.entityType, t.score, t.records, t.flagged],
        links: [null, null, null, null, t.flagged > 0 ? findingsHref({ market: m.market, subject: t.entityType }) : null],
      })
    }
  }
  const table: ReportTable = {
    id: 'album-quality',
    title: latest ? `Оценка качества данных по аудиту ${formatDate(latest.asOf)}` : 'Оценка качества данных',
    columns: [
      { header: 'Рынок', type: 'text', rowHeader: true }, { header: 'Тип записей', type: 'text', rowHeader: true },
      { header: 'Оценка, %', type: 'percent' }, { header: 'Записей', type: 'count' }, { header: 'С находками', type: 'count' },
    ],
    rows,
  }
  // every market seen in a run of the period, in the order of the latest run, then the rest
  const keys: Array<string | null> = []
  for (const run of [...runs].reverse()) for (const m of run.markets) if (!keys.includes(m.market)) keys.push(m.market)
  const sameDay = new Set(runs.map((r) => r.asOf)).size < runs.length
  const chart: ChartSpec = {
    kind: 'line',
    categories: runs.map((r) => sameDay ? formatDateTime(r.finishedAt) : formatDate(r.asOf)),
    series: [
      { name: ALL_MARKETS, data: runs.map((r) => r.score), color: '#1b1f24' },
      ...keys.map((key, i) => ({
        name: marketName(key),
        data: runs.map((r) => r.markets.find((m) => m.market === key)?.score ?? null),
        color: MARKET_COLORS[i % MARKET_COLORS.length],
      })),
    ],
    unit: '%',
    label: `Оценка качества данных по рынкам, по аудитам ${runs.length ? `с ${formatDate(runs[0].asOf)} по ${formatDate(runs.at(-1)!.asOf)}` : '— аудитов в периоде нет'}`,
  }
  return { table, chart }
}

// ─────────────────────────────── 2. open findings by rule and market ───────────────────────────────

export type MatrixCell = MatrixReportQuery['reports']['findingsMatrix'][number]

export function matrixReport(cells: readonly MatrixCell[], names: Names): Report {
  const rows: Row[] = cells.map((c) => ({
    cells: [ruleName(names, c.ruleId), marketName(c.market), c.critical, c.high, c.medium, c.low, c.total],
    links: [null, null,
      ...SEVERITY_KEYS.map((s) => c[SEVERITY_FIELD[s]] > 0 ? findingsHref({ rule: c.ruleId, market: c.market, severity: s }) : null),
      c.total > 0 ? findingsHref({ rule: c.ruleId, market: c.market }) : null],
  }))
  const table: ReportTable = {
    id: 'album-matrix',
    title: 'Открытые находки по правилам и рынкам',
    columns: [
      { header: 'Правило', type: 'text', rowHeader: true }, { header: 'Рынок', type: 'text', rowHeader: true },
      ...SEVERITY_KEYS.map((s) => ({ header: capital(SEVERITY_WORD[s]), type: 'count' as const })), { header: 'Всего', type: 'count' },
    ],
    rows,
  }
  const chart: ChartSpec = {
    kind: 'bar', horizontal: true,
    // the market first: a long rule title is cut at the axis, the market never
    categories: cells.map((c) => `${marketName(c.market)} · ${ruleName(names, c.ruleId)}`),
    series: SEVERITY_KEYS.map((s) => ({
      name: capital(SEVERITY_WORD[s]), stack: 'severity', color: SEVERITY_COLOR[s],
      data: cells.map((c) => c[SEVERITY_FIELD[s]]),
      links: cells.map((c) => c[SEVERITY_FIELD[s]] > 0 ? findingsHref({ rule: c.ruleId, market: c.market, severity: s }) : null),
    })),
    unit: 'находок',
    label: 'Открытые находки по правилам и рынкам, по важности',
  }
  return { table, chart }
}

// ─────────────────────────────── 3. age of open findings ───────────────────────────────

export type AgingBy = 'RULE' | 'GROUP'
export type AgingRow = AgingReportQuery['reports']['aging'][number]

const BUCKETS = [
  { field: 'under1Day', age: 'day', header: 'Меньше 1 дня', color: '#7cb342' },
  { field: 'days1to7', age: 'week', header: '1–7 дней', color: '#d8b000' },
  { field: 'days7to30', age: 'month', header: '7–30 дней', color: '#e8710a' },
  { field: 'over30Days', age: 'older', header: 'Больше 30 дней', color: '#b3261e' },
] as const

export function agingReport(rows: readonly AgingRow[], by: AgingBy, names: Names): Report {
  const label = (r: AgingRow) => by === 'RULE' ? ruleName(names, r.key ?? '') : groupName(names, r.key, r.name)
  const drill = (r: AgingRow): Drill => by === 'RULE' ? { rule: r.key ?? undefined } : { group: r.key }
  const table: ReportTable = {
    id: by === 'RULE' ? 'album-aging-rules' : 'album-aging-groups',
    title: `Возраст открытых находок по ${by === 'RULE' ? 'правилам' : 'группам'}`,
    columns: [
      { header: by === 'RULE' ? 'Правило' : 'Группа', type: 'text', rowHeader: true },
      ...BUCKETS.map((b) => ({ header: b.header, type: 'count' as const })), { header: 'Всего', type: 'count' },
    ],
    rows: rows.map((r) => ({
      cells: [label(r), ...BUCKETS.map((b) => r[b.field]), r.total],
      links: [null, ...BUCKETS.map((b) => r[b.field] > 0 ? findingsHref({ ...drill(r), age: b.age }) : null), r.total > 0 ? findingsHref(drill(r)) : null],
    })),
  }
  const chart: ChartSpec = {
    kind: 'bar', horizontal: true,
    categories: rows.map(label),
    series: BUCKETS.map((b) => ({
      name: b.header, stack: 'age', color: b.color, data: rows.map((r) => r[b.field]),
      links: rows.map((r) => r[b.field] > 0 ? findingsHref({ ...drill(r), age: b.age }) : null),
    })),
    unit: 'находок',
    label: `Возраст открытых находок по ${by === 'RULE' ? 'правилам' : 'группам'}`,
  }
  return { table, chart }
}

// ─────────────────────────────── 4. what causes incidents and complaints ───────────────────────────────

export type HotspotRow = HotspotsReportQuery['reports']['incidentHotspots']['byRule'][number]

/** Rules (or markets) with the incidents and complaints linked to their findings; the name leads to those findings. */
export function hotspotsReport(rows: readonly HotspotRow[], by: 'rule' | 'market', names: Names, period: AlbumPeriod): Report {
  const label = (r: HotspotRow) => by === 'rule' ? ruleName(names, r.key ?? '') : marketName(r.key)
  const drill = (r: HotspotRow) => findingsHref(by === 'rule' ? { rule: r.key ?? undefined, all: true } : { market: r.key, all: true })
  const table: ReportTable = {
    id: by === 'rule' ? 'album-incidents-rules' : 'album-incidents-markets',
    title: `Обращения ${periodText(period)} по ${by === 'rule' ? 'правилам' : 'рынкам'}`,
    columns: [
      { header: by === 'rule' ? 'Правило' : 'Рынок', type: 'text', rowHeader: true },
      { header: 'Инцидентов', type: 'count' }, { header: 'Жалоб', type: 'count' }, { header: 'Всего обращений', type: 'count' },
      { header: 'Находок с обращениями', type: 'count' },
    ],
    rows: rows.map((r) => ({ cells: [label(r), r.incidents, r.complaints, r.total, r.findings], links: [drill(r)] })),
  }
  const chart: ChartSpec = {
    kind: 'bar', horizontal: true,
    categories: rows.map(label),
    series: [
      { name: 'Инциденты', stack: 'kind', color: '#0b5cad', data: rows.map((r) => r.incidents), links: rows.map(drill) },
      { name: 'Жалобы', stack: 'kind', color: '#c25400', data: rows.map((r) => r.complaints), links: rows.map(drill) },
    ],
    unit: 'обращений',
    label: `Инциденты и жалобы ${periodText(period)} по ${by === 'rule' ? 'правилам' : 'рынкам'}`,
  }
  return { table, chart }
}

// ─────────────────────────────── 5. bottlenecks ───────────────────────────────

export type BottleneckRow = BottlenecksReportQuery['reports']['bottlenecks'][number]

export const WORST = 'в тройке худших'

/** Per group and line, in the API's order (the three worst first, marked). */
export function bottlenecksReport(rows: readonly BottleneckRow[], names: Names, period: AlbumPeriod): Report {
  const where = (r: BottleneckRow): Drill => ({ group: r.group, ...(r.line === null ? {} : { line: r.line }) })
  // without a line the list cannot be narrowed to «no line»: such a row leads nowhere rather than to a wrong count
  const drillable = (r: BottleneckRow) => r.line !== null
  // a group's name says its line; the line is added only where the group is there on several lines
  const lines = new Map<string | null, number>()
  for (const r of rows) lines.set(r.group, (lines.get(r.group) ?? 0) + 1)
  const label = (r: BottleneckRow) => `${groupName(names, r.group, r.groupName)}${lines.get(r.group)! > 1 ? ` · ${supportLine(r.line)}` : ''}`
  const table: ReportTable = {
    id: 'album-bottlenecks',
    title: `Узкие места: поступившие ${periodText(period)} и просроченные сейчас, по группам и линиям`,
    columns: [
      { header: 'Группа', type: 'text', rowHeader: true }, { header: 'Линия', type: 'count', rowHeader: true },
      { header: 'Поступило', type: 'count' }, { header: 'Приняты в срок', type: 'count' }, { header: 'Решены в срок', type: 'count' },
      { header: 'Принятие: медиана, ч', type: 'hours' }, { header: 'Принятие: 90 %, ч', type: 'hours' },
      { header: 'Решение: медиана, ч', type: 'hours' }, { header: 'Решение: 90 %, ч', type: 'hours' },
      { header: 'Просрочено сейчас', type: 'count' }, { header: 'Внимание', type: 'text' },
    ],
    rows: rows.map((r) => ({
      cells: [groupName(names, r.group, r.groupName), r.line, r.received, r.acknowledgedInTime, r.resolvedInTime,
        hours(r.acknowledge.medianSeconds), hours(r.acknowledge.p90Seconds), hours(r.resolve.medianSeconds), hours(r.resolve.p90Seconds),
        r.overdue, r.worst ? WORST : ''],
      links: [null, null,
        r.received > 0 && drillable(r) ? findingsHref({ ...where(r), seen: period }) : null, null, null, null, null, null, null,
        r.overdue > 0 && drillable(r) ? findingsHref({ ...where(r), overdue: true }) : null],
      marked: r.worst,
    })),
  }
  const chart: ChartSpec = {
    kind: 'bar', horizontal: true,
    categories: rows.map(label),
    series: [
      { name: 'Поступило', color: '#5b8cc0', data: rows.map((r) => r.received), links: rows.map((r) => r.received > 0 && drillable(r) ? findingsHref({ ...where(r), seen: period }) : null) },
      {
        name: 'Просрочено сейчас', color: '#e8710a', data: rows.map((r) => r.overdue),
        colors: rows.map((r) => r.worst ? '#b3261e' : undefined),
        links: rows.map((r) => r.overdue > 0 && drillable(r) ? findingsHref({ ...where(r), overdue: true }) : null),
      },
    ],
    unit: 'находок',
    label: `Поступившие ${periodText(period)} и просроченные сейчас находки по группам и линиям; три худших — красным`,
  }
  return { table, chart }
}

// ─────────────────────────────── 6. SLA breaches ───────────────────────────────

export type SlaBreach = SlaReportQuery['reports']['slaBreaches']['breaches'][number]

export function findingPageHref(fingerprint: string): string {
  return `/findings/${encodeURIComponent(fingerprint)}`
}

/** The breaches the API lists (most late first), each leading to its finding. */
export function slaReport(breaches: readonly SlaBreach[], names: Names): Report {
  const table: ReportTable = {
    id: 'album-sla',
    title: 'Нарушения SLA сейчас: открытые находки после срока принятия или решения',
    columns: [
      { header: 'Находка', type: 'text', rowHeader: true }, { header: 'Правило', type: 'text' }, { header: 'Важность', type: 'text' },
      { header: 'Рынок', type: 'text' }, { header: 'Группа', type: 'text' }, { header: 'Линия', type: 'count' },
      { header: 'Просрочка принятия, ч', type: 'hours' }, { header: 'Просрочка решения, ч', type: 'hours' }, { header: 'Просрочка, ч', type: 'hours' },
    ],
    rows: breaches.map((b) => ({
      cells: [b.message, ruleName(names, b.ruleId), SEVERITY_WORD[b.severity], marketName(b.marketCode),
        groupName(names, b.group), b.line, hours(b.acknowledgeLateSeconds), hours(b.resolveLateSeconds), hours(b.lateSeconds)],
      links: [findingPageHref(b.fingerprint)],
    })),
  }
  const shown = breaches.slice(0, 20)
  const chart: ChartSpec = {
    kind: 'bar', horizontal: true,
    categories: shown.map((b) => b.message),
    series: [{
      name: 'Просрочка, ч', color: '#b3261e', data: shown.map((b) => hours(b.lateSeconds)),
      colors: shown.map((b) => SEVERITY_COLOR[b.severity]),
      links: shown.map((b) => findingPageHref(b.fingerprint)),
    }],
    unit: 'ч',
    label: `Самые просроченные находки (${shown.length}), часы после срока`,
  }
  return { table, chart }
}
