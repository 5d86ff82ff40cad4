// /reports, «Альбом отчётов»: each report a chart with its table beneath, both from one API answer; the period in
// the address bar; every number a link to the findings it counts; each table as CSV and XLSX, each chart as PNG;
// printed one report a page. Loaded on its own (React.lazy in App.tsx), so ECharts is fetched only here.
import './album.css'
import { useMemo, useState, type ReactNode } from 'react'
import { useQuery, type AnyVariables, type UseQueryResponse } from 'urql'
import { navigate, useSearch } from '../../router.ts'
import {
  agingReport, bottlenecksReport, DEFAULT_DAYS, findingsHref, hotspotsReport, lastDays, matrixReport, moscowToday, NO_NAMES, parsePeriod,
  periodArgs, periodSearch, periodText, qualityReport, slaReport, type AgingBy, type AlbumPeriod, type Names, type Report,
} from './album.ts'
import { Chart } from './Chart.tsx'
import {
  AgingReportQuery, AlbumNamesQuery, BottlenecksReportQuery, HotspotsReportQuery, MatrixReportQuery, QualityReportQuery, SlaReportQuery,
} from './operations.ts'
import { cellText, csvText, fileName, sheetName, xlsxRows, xlsxWidths, type ReportTable } from './tables.ts'
import { count, FINDINGS } from '../../format.ts'

const PRESETS = [7, 30, 90, 365] as const

export default function Album() {
  const search = useSearch()
  const [today] = useState(() => moscowToday(Date.now()))
  const period = useMemo(() => parsePeriod(search, today), [search, today])
  const args = useMemo(() => periodArgs(period), [period])
  const [namesResult] = useQuery({ query: AlbumNamesQuery })
  const names = useMemo<Names>(() => {
    const d = namesResult.data
    if (!d) return NO_NAMES
    return {
      rules: new Map(d.rules.map((r) => [r.id, r.title.ru])),
      groups: new Map(d.groups.map((g) => [g.code, g.name])),
    }
  }, [namesResult.data])

  return (
    <main className="album" aria-labelledby="album-title">
      <h1 id="album-title">Альбом отчётов</h1>
      <PeriodPicker period={period} today={today} />
      <nav className="album-contents" aria-label="Отчёты альбома">
        <ol>
          {SECTIONS.map((s, i) => <li key={s.id}><a href={`#${s.id}`}>{i + 1}. {s.title}</a></li>)}
        </ol>
      </nav>
      <QualitySection period={period} args={args} />
      <MatrixSection names={names} />
      <AgingSection names={names} />
      <HotspotsSection names={names} period={period} args={args} />
      <BottlenecksSection names={names} period={period} args={args} />
      <SlaSection names={names} />
    </main>
  )
}

const SECTIONS = [
  { id: 'report-quality', title: 'Оценка качества данных' },
  { id: 'report-matrix', title: 'Открытые находки по правилам и рынкам' },
  { id: 'report-aging', title: 'Возраст открытых находок' },
  { id: 'report-incidents', title: 'Что вызывает обращения' },
  { id: 'report-bottlenecks', title: 'Узкие места' },
  { id: 'report-sla', title: 'Нарушения SLA' },
] as const

type SectionId = (typeof SECTIONS)[number]['id']
type Args = ReturnType<typeof periodArgs>

function PeriodPicker({ period, today }: { period: AlbumPeriod; today: string }) {
  const go = (p: AlbumPeriod) => navigate(`/reports${periodSearch(p, today)}`)
  const preset = !period.since && !period.until ? 'all'
    : PRESETS.find((d) => { const p = lastDays(d, today); return p.since === period.since && p.until === period.until })?.toString() ?? 'own'
  return (
    <form className="filters album-period" aria-label="Период" onSubmit={(e) => e.preventDefault()}>
      <label>Период
        <select value={preset} onChange={(e) => {
          const v = e.target.value
          if (v === 'all') go({ since: null, until: null })
          else if (v !== 'own') go(lastDays(Number(v), today))
        }}>
          {PRESETS.map((d) => <option key={d} value={d}>последние {d} дней</option>)}
          <option value="all">всё время</option>
          {preset === 'own' && <option value="own">свой</option>}
        </select>
      </label>
      <label>С
        <input type="date" value={period.since ?? ''} max={period.until ?? today} onChange={(e) => go({ ...period, since: e.target.value || null })} />
      </label>
      <label>По
        <input type="date" value={period.until ?? ''} min={period.since ?? undefined} onChange={(e) => go({ ...period, until: e.target.value || null })} />
      </label>
      <p className="help">Период относится к динамике оценки, обращениям и узким местам; открытые находки, их возраст и нарушения SLA — на сейчас.
        По умолчанию — последние {DEFAULT_DAYS} дней.</p>
    </form>
  )
}

// ─────────────────────────────── a section and its pieces ───────────────────────────────

function Section({ id, note, children }: { id: SectionId; note: ReactNode; children: ReactNode }) {
  const n = SECTIONS.findIndex((s) => s.id === id) + 1
  return (
    <section id={id} className="report" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{n}. {SECTIONS[n - 1].title}</h2>
      <p className="help">{note}</p>
      {children}
    </section>
  )
}

/** A loading line, the API's refusal, or the report. */
function Loaded<D>({ result, children }: { result: Pick<UseQueryResponse<D, AnyVariables>[0], 'data' | 'error' | 'fetching'>; children: (data: D) => ReactNode }) {
  if (result.data) return children(result.data)
  if (result.error) {
    const reason = result.error.graphQLErrors[0]?.message.replace(/\.$/, '') ?? 'сервер не ответил'
    return <p className="problem" role="alert">Отчёт не загрузился: {reason}.</p>
  }
  return <p className="loading-line" aria-busy="true">Загружаем…</p>
}

/** A chart, its downloads, its table. */
function ChartAndTable({ report }: { report: Report }) {
  const [png, setPng] = useState<string | null>(null)
  return (
    <div className="chart-and-table">
      {/* nothing to draw: no empty axes, the table says there is no data */}
      {report.chart.categories.length > 0 && <Chart spec={report.chart} id={`${report.table.id}-chart`} onImage={setPng} />}
      <Downloads table={report.table} png={report.chart.categories.length > 0 ? png : null} />
      <DataTable table={report.table} />
    </div>
  )
}

function DataTable({ table }: { table: ReportTable }) {
  return (
    <div className="side-scroll">
      <table className="dense grid report-table" id={table.id}>
        <caption>{table.title}</caption>
        <thead>
          <tr>{table.columns.map((c, i) => <th key={i} scope="col" className={c.type === 'text' ? undefined : 'num'}>{c.header}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r} className={row.marked ? 'worst' : row.subtotal ? 'subtotal' : undefined}>
              {row.cells.map((value, i) => {
                const column = table.columns[i]
                const text = cellText(value, column.type)
                const link = row.links?.[i]
                const content = link
                  ? <a href={link} onClick={(e) => { e.preventDefault(); navigate(link) }}>{text}</a>
                  : text
                const className = column.type === 'text' ? undefined : 'num'
                return column.rowHeader
                  ? <th key={i} scope="row" className={className}>{content}</th>
                  : <td key={i} className={className}>{content}</td>
              })}
            </tr>
          ))}
          {table.rows.length === 0 && <tr><td colSpan={table.columns.length} className="empty">Нет данных.</td></tr>}
        </tbody>
      </table>
    </div>
  )
}

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function Downloads({ table, png }: { table: ReportTable; png: string | null }) {
  const [problem, setProblem] = useState<string | null>(null)
  const [today] = useState(() => moscowToday(Date.now()))
  const xlsx = async () => {
    setProblem(null)
    try {
      const { default: writeExcelFile } = await import('write-excel-file/browser')
      const blob = await writeExcelFile(xlsxRows(table) as never, { sheet: sheetName(table), stickyRowsCount: 1, columns: xlsxWidths(table) }).toBlob()
      save(blob, fileName(table, 'xlsx', today))
    } catch (e) {
      setProblem(`XLSX не получился: ${(e as Error).message}`)
    }
  }
  return (
    <div className="downloads" role="group" aria-label={`Скачать «${table.title}»`}>
      <span className="muted">Скачать:</span>
      <button type="button" className="secondary" aria-label={`Таблица «${table.title}» в CSV`}
        onClick={() => save(new Blob([csvText(table)], { type: 'text/csv;charset=utf-8' }), fileName(table, 'csv', today))}>CSV</button>
      <button type="button" className="secondary" aria-label={`Таблица «${table.title}» в XLSX`} onClick={() => void xlsx()}>XLSX</button>
      {png && <a className="button secondary" href={png} download={fileName(table, 'png', today)} aria-label={`График «${table.title}» в PNG`}>PNG</a>}
      {problem && <span className="problem" role="alert">{problem}</span>}
    </div>
  )
}

// ─────────────────────────────── the six reports ───────────────────────────────

function QualitySection({ period, args }: { period: AlbumPeriod; args: Args }) {
  const variables = useMemo(() => ({ from: args.since, to: args.until }), [args])
  const [result] = useQuery({ query: QualityReportQuery, variables })
  return (
    <Section id="report-quality" note={<>Доля записей без открытых находок по рынкам и типам записей — по последнему полному аудиту {periodText(period)};
      линии — оценка по аудитам за период. Число записей с находками ведёт к находкам рынка по этому типу записей.</>}>
      <Loaded result={result}>{(data) => <ChartAndTable report={qualityReport(data.reports.qualityScores)} />}</Loaded>
    </Section>
  )
}

function MatrixSection({ names }: { names: Names }) {
  const [result] = useQuery({ query: MatrixReportQuery })
  return (
    <Section id="report-matrix" note="Открытые сейчас находки по правилу и рынку, по важности. Каждое число ведёт к этим находкам.">
      <Loaded result={result}>{(data) => <ChartAndTable report={matrixReport(data.reports.findingsMatrix, names)} />}</Loaded>
    </Section>
  )
}

function AgingSection({ names }: { names: Names }) {
  const [by, setBy] = useState<AgingBy>('RULE')
  const variables = useMemo(() => ({ by }), [by])
  const [result] = useQuery({ query: AgingReportQuery, variables })
  return (
    <Section id="report-aging" note="Сколько открытые сейчас находки ждут с первого обнаружения. Каждое число ведёт к этим находкам.">
      <fieldset className="switch">
        <legend>Разрез</legend>
        <label><input type="radio" name="aging-by" checked={by === 'RULE'} onChange={() => setBy('RULE')} /> по правилам</label>
        <label><input type="radio" name="aging-by" checked={by === 'GROUP'} onChange={() => setBy('GROUP')} /> по группам</label>
      </fieldset>
      <Loaded result={result}>{(data) => <ChartAndTable report={agingReport(data.reports.aging, by, names)} />}</Loaded>
    </Section>
  )
}

function HotspotsSection({ names, period, args }: { names: Names; period: AlbumPeriod; args: Args }) {
  const [result] = useQuery({ query: HotspotsReportQuery, variables: args })
  return (
    <Section id="report-incidents" note={<>Инциденты и жалобы, зарегистрированные {periodText(period)}, по правилам и рынкам находок, с которыми они связаны
      (обращение, связанное с находками двух правил, считается у обоих). Название ведёт к находкам правила или рынка.</>}>
      <Loaded result={result}>{(data) => (
        <div className="two-reports">
          <ChartAndTable report={hotspotsReport(data.reports.incidentHotspots.byRule, 'rule', names, period)} />
          <ChartAndTable report={hotspotsReport(data.reports.incidentHotspots.byMarket, 'market', names, period)} />
        </div>
      )}</Loaded>
    </Section>
  )
}

function BottlenecksSection({ names, period, args }: { names: Names; period: AlbumPeriod; args: Args }) {
  const [result] = useQuery({ query: BottlenecksReportQuery, variables: args })
  return (
    <Section id="report-bottlenecks" note={<>По группам и линиям: сколько находок поступило {periodText(period)}, сколько из них принято и решено в срок,
      время принятия и решения (медиана и 90 %), сколько просрочено сейчас. Три худших — первыми и красным.</>}>
      <Loaded result={result}>{(data) => <ChartAndTable report={bottlenecksReport(data.reports.bottlenecks, names, period)} />}</Loaded>
    </Section>
  )
}

function SlaSection({ names }: { names: Names }) {
  const [result] = useQuery({ query: SlaReportQuery })
  return (
    <Section id="report-sla" note="Открытые сейчас находки после срока принятия (не приняты) или срока решения, самые просроченные первыми; цвет столбца — важность находки.">
      <Loaded result={result}>{(data) => {
        const { total, breaches } = data.reports.slaBreaches
        return (
          <>
            <p className="sla-total">Нарушают SLA сейчас: {total > 0
              ? <a href={findingsHref({ overdue: true })} onClick={(e) => { e.preventDefault(); navigate(findingsHref({ overdue: true })) }}>{count(total, FINDINGS)}</a>
              : count(0, FINDINGS)}
              {total > breaches.length && <span className="muted"> (в таблице — первые {breaches.length})</span>}
            </p>
            <ChartAndTable report={slaReport(breaches, names)} />
          </>
        )
      }}</Loaded>
    </Section>
  )
}
