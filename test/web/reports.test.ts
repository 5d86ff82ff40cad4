// «Альбом отчётов»'s pure parts (web/src/screens/reports/): the period in the address bar and as the API's instants,
// each number's way into «Находки», and a table as CSV and XLSX read back as the table shows it.
import { parse } from 'csv-parse/sync'
import { readSheet } from 'read-excel-file/node'
import writeExcelFile from 'write-excel-file/node'
import { describe, expect, it } from 'vitest'
import {
  agingReport, bottlenecksReport, findingsHref, matrixReport, moscowToday, NO_NAMES, parsePeriod, periodArgs, periodSearch, qualityReport,
  slaReport, WORST, type BottleneckRow, type QualityRun,
} from '../../web/src/screens/reports/album.ts'
import { findingFilter, parseView } from '../../web/src/screens/findings/url.ts'
import { cellText, csvText, sheetName, xlsxRows, type ReportTable } from '../../web/src/screens/reports/tables.ts'

const TODAY = '2026-12-05'
const names = { ...NO_NAMES, rules: new Map([['address-duplicate', 'Дубли адреса']]) }

describe('the album period', () => {
  it('is the last 30 Moscow days by default, left out of the address', () => {
    expect(moscowToday(Date.parse('2026-12-04T21:30:00Z'))).toBe('2026-12-05') // 00:30 in Moscow
    const period = parsePeriod('', TODAY)
    expect(period).toEqual({ since: '2026-11-06', until: TODAY })
    expect(periodSearch(period, TODAY)).toBe('')
  })

  it('round-trips a chosen period and «всё время»; a reversed one is put right, junk is the default', () => {
    expect(parsePeriod('?since=2026-10-01&until=2026-10-31', TODAY)).toEqual({ since: '2026-10-01', until: '2026-10-31' })
    expect(periodSearch({ since: '2026-10-01', until: '2026-10-31' }, TODAY)).toBe('?since=2026-10-01&until=2026-10-31')
    expect(parsePeriod('?period=all', TODAY)).toEqual({ since: null, until: null })
    expect(periodSearch({ since: null, until: null }, TODAY)).toBe('?period=all')
    expect(parsePeriod('?since=2026-10-31&until=2026-10-01', TODAY)).toEqual({ since: '2026-10-01', until: '2026-10-31' })
    expect(parsePeriod('?since=вчера', TODAY)).toEqual(parsePeriod('', TODAY))
  })

  it('asks the API from Moscow midnight of the first day to Moscow midnight after the last (until exclusive)', () => {
    expect(periodArgs({ since: '2026-11-01', until: '2026-11-30' })).toEqual({ since: '2026-10-31T21:00:00.000Z', until: '2026-11-30T21:00:00.000Z' })
    expect(periodArgs({ since: null, until: null })).toEqual({ since: null, until: null })
  })
})

describe('drill-down links', () => {
  it('are «Находки»\'s own addresses: «no market» and «no group» as their own params, a period as the API\'s instants', () => {
    expect(findingsHref({ rule: 'address-duplicate', market: 'MSK', severity: 'HIGH' })).toBe('/findings?rule=address-duplicate&market=MSK&severity=HIGH')
    expect(findingsHref({ rule: 'r', market: null })).toBe('/findings?rule=r&nomarket=1')
    expect(findingsHref({ group: null, age: 'older' })).toBe('/findings?age=older&nogroup=1')
    expect(findingsHref({ group: 'NSI-L3', line: 3, overdue: true })).toBe('/findings?group=NSI-L3&line=3&overdue=1')
    expect(findingsHref({ market: 'SPB', subject: 'address' })).toBe('/findings?market=SPB&subject=address')
  })

  it('a bottleneck\'s «received» asks «Находки» for every status first seen in the very instants the report was asked for', () => {
    const period = { since: '2026-11-06', until: TODAY }
    const href = findingsHref({ group: 'G', line: 1, seen: period })
    expect(findingFilter(parseView(href.slice('/findings'.length)), Date.now())).toEqual({
      group: 'G', line: 1, firstSeenFrom: periodArgs(period).since, firstSeenBefore: periodArgs(period).until,
    })
    expect(periodArgs(period)).toEqual({ since: '2026-11-05T21:00:00.000Z', until: '2026-12-05T21:00:00.000Z' })
  })

  it('every non-zero count of the matrix and the aging leads to its cell; zero leads nowhere', () => {
    const matrix = matrixReport([{ ruleId: 'address-duplicate', market: null, critical: 0, high: 2, medium: 1, low: 0, total: 3 }], names)
    expect(matrix.table.rows[0].cells).toEqual(['Дубли адреса', 'без рынка', 0, 2, 1, 0, 3])
    expect(matrix.table.rows[0].links).toEqual([null, null, null, '/findings?rule=address-duplicate&severity=HIGH&nomarket=1',
      '/findings?rule=address-duplicate&severity=MEDIUM&nomarket=1', null, '/findings?rule=address-duplicate&nomarket=1'])
    // the chart draws the table's numbers, severity by severity
    expect(matrix.chart.series.map((s) => s.data[0])).toEqual([0, 2, 1, 0])

    const aging = agingReport([{ key: null, name: null, under1Day: 1, days1to7: 0, days7to30: 4, over30Days: 2, total: 7 }], 'GROUP', names)
    expect(aging.table.rows[0].cells).toEqual(['не назначена', 1, 0, 4, 2, 7])
    expect(aging.table.rows[0].links).toEqual([null, '/findings?age=day&nogroup=1', null, '/findings?age=month&nogroup=1', '/findings?age=older&nogroup=1', '/findings?nogroup=1'])
  })

  it('bottlenecks: the worst marked in words; a row without a line leads nowhere rather than to a wrong count', () => {
    const d = { count: 0, medianSeconds: null, p90Seconds: null }
    const rows: BottleneckRow[] = [
      { group: 'NSI-L3', groupName: 'Центр компетенций', line: 3, received: 5, acknowledgedInTime: 2, resolvedInTime: 1, acknowledge: { count: 2, medianSeconds: 5400, p90Seconds: 7200 }, resolve: d, overdue: 3, worst: true },
      { group: null, groupName: null, line: null, received: 2, acknowledgedInTime: 0, resolvedInTime: 0, acknowledge: d, resolve: d, overdue: 1, worst: false },
    ]
    const period = { since: '2026-11-06', until: TODAY }
    const report = bottlenecksReport(rows, names, period)
    expect(report.table.rows[0].cells).toEqual(['Центр компетенций', 3, 5, 2, 1, 1.5, 2, null, null, 3, WORST])
    expect(report.table.rows[0].marked).toBe(true)
    expect(report.table.rows[0].links?.[2]).toBe('/findings?status=all&group=NSI-L3&line=3&since=2026-11-05T21%3A00%3A00.000Z&until=2026-12-05T21%3A00%3A00.000Z')
    expect(report.table.rows[0].links?.[9]).toBe('/findings?group=NSI-L3&line=3&overdue=1')
    expect(report.table.rows[1].links?.filter(Boolean)).toEqual([])
    expect(report.chart.series[1].colors).toEqual(['#b3261e', undefined])
  })

  it('an SLA breach leads to its finding\'s page; lateness in hours on the chart and in the table alike', () => {
    const report = slaReport([{ fingerprint: 'a/b', ruleId: 'address-duplicate', severity: 'HIGH', status: 'NEW', message: 'Два адреса', marketCode: 'MSK', group: 'G', line: 1,
      acknowledgeLateSeconds: 9000, resolveLateSeconds: null, lateSeconds: 9000 }], names)
    expect(report.table.rows[0].cells).toEqual(['Два адреса', 'Дубли адреса', 'высокая', 'MSK', 'G', 1, 2.5, null, 2.5])
    expect(report.table.rows[0].links?.[0]).toBe('/findings/a%2Fb')
    expect(report.chart.series[0].data).toEqual([2.5])
  })

  it('quality: the latest run in the table, every run on the trend; a market absent from a run is a gap', () => {
    const run = (asOf: string, msk: number | null, spb: number): QualityRun => {
      const markets: QualityRun['markets'] = [{ market: null, marketName: null, records: 6, clean: 6, flagged: 0, score: spb, entityTypes: [] }]
      if (msk !== null) {
        markets.unshift({ market: 'MSK', marketName: 'Москва', records: 4, clean: 3, flagged: 1, score: msk, entityTypes: [{ entityType: 'address', records: 4, clean: 3, flagged: 1, score: msk }] })
      }
      return { runId: asOf, asOf, finishedAt: `${asOf}T10:00:00Z`, records: 10, clean: 9, flagged: 1, score: 90, markets }
    }
    const report = qualityReport([run('2026-11-01', null, 100), run('2026-12-01', 75, 100)])
    expect(report.table.rows.map((r) => r.cells)).toEqual([['MSK', 'все типы', 75, 4, 1], ['MSK', 'Адрес', 75, 4, 1], ['без рынка', 'все типы', 100, 6, 0]])
    expect(report.table.rows[1].links?.[4]).toBe('/findings?market=MSK&subject=address')
    expect(report.chart.categories).toEqual(['01.11.2026', '01.12.2026'])
    expect(report.chart.series.map((s) => [s.name, s.data])).toEqual([['Все рынки', [90, 90]], ['MSK', [null, 75]], ['без рынка', [100, 100]]])
  })
})

describe('a table as files', () => {
  const table: ReportTable = {
    id: 'album-test', title: 'Проверка',
    columns: [{ header: 'Правило', type: 'text', rowHeader: true }, { header: 'Оценка, %', type: 'percent' }, { header: 'Записей', type: 'count' }, { header: 'День', type: 'date' }],
    rows: [
      { cells: ['Дубли; "адреса"', 97.5238, 12345, '2026-12-05'] },
      { cells: ['=HYPERLINK("x")', null, 0, null] },
    ],
  }

  it('CSV: a BOM, `;`, Russian headers, the screen\'s text with plain numbers; parsed back it is the table', () => {
    const text = csvText(table)
    expect(text.startsWith('\uFEFFПравило;"Оценка, %";Записей;День\r\n')).toBe(true)
    const rows = parse(text, { delimiter: ';', bom: true })
    expect(rows).toEqual([
      ['Правило', 'Оценка, %', 'Записей', 'День'],
      ['Дубли; "адреса"', '97,5', '12345', '05.12.2026'],
      // text from the data never becomes a formula (src/csv-neutralise.ts, as the server's CSV writer does)
      ["'=HYPERLINK(\"x\")", '', '0', ''],
    ])
    // the screen shows the same, with thousands separated
    expect(table.rows[0].cells.map((v, i) => cellText(v, table.columns[i].type))).toEqual(['Дубли; "адреса"', '97,5', '12\u00a0345', '05.12.2026'])
  })

  it('XLSX: the sheet is named by the title, as far as Excel allows', () => {
    expect(sheetName({ ...table, title: 'Обращения с 06.11.2026 по 05.12.2026 по правилам' })).toBe('Обращения с 06.11.2026 по 05.12')
    expect(sheetName({ ...table, title: 'A/B: [x]?' })).toBe('A B   x')
  })

  it('XLSX: typed cells — numbers as numbers (the API\'s, unrounded), the day a date, text never a formula', async () => {
    const buffer = await writeExcelFile(xlsxRows(table) as never).toBuffer()
    const rows = await readSheet(buffer)
    expect(rows).toEqual([
      ['Правило', 'Оценка, %', 'Записей', 'День'],
      ['Дубли; "адреса"', 97.5238, 12345, new Date('2026-12-05T00:00:00Z')],
      ['=HYPERLINK("x")', null, 0, null],
    ])
  })
})
