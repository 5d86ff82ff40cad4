// The album's rendering from plain data: subject and summary in Russian with the scores and their change, the
// three worst bottlenecks, the trend as an inline PNG the HTML points at, and a workbook of one sheet a report
// whose cells keep their types. Expectations are computed here from the fixture, not taken from the renderer.
import readExcelFile from 'read-excel-file/node'
import { describe, expect, it } from 'vitest'
import { periodRange } from '../../src/notify/album.ts'
import { albumSubject, renderAlbum, TREND_CID, type AlbumData } from '../../src/notify/album-render.ts'
import { trendPng, trendSvg } from '../../src/notify/chart.ts'
import type { QualityRun } from '../../src/reports/quality.ts'

const ZONE = 'Europe/Moscow'
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** numbers to 12 places: a share written as score / 100 may differ from clean / records in the last bit */
const round = (row: unknown[]) => row.map((v) => (typeof v === 'number' ? Number(v.toFixed(12)) : v))

function run(id: string, finishedAt: string, msk: [number, number], spb: [number, number]): QualityRun {
  const market = (market: string, name: string, [records, clean]: [number, number]) => ({
    market, marketName: name, records, clean, score: (100 * clean) / records,
    entityTypes: [
      { entityType: 'contract' as const, records: records - 10, clean: clean - 10, score: (100 * (clean - 10)) / (records - 10) },
      { entityType: 'address' as const, records: 10, clean: 10, score: 100 },
    ],
  })
  const records = msk[0] + spb[0]
  const clean = msk[1] + spb[1]
  return {
    runId: id, asOf: finishedAt.slice(0, 10), finishedAt: new Date(finishedAt), records, clean, score: (100 * clean) / records,
    markets: [market('MSK', 'Москва', msk), market('SPB', 'Санкт-Петербург', spb)],
  }
}

const october = run('00000000-0000-4000-8000-000000000010', '2026-10-20T02:00:00Z', [200, 150], [100, 90])
const early = run('00000000-0000-4000-8000-000000000011', '2026-11-10T02:00:00Z', [200, 160], [100, 90])
const late = run('00000000-0000-4000-8000-000000000012', '2026-11-25T02:00:00Z', [200, 170], [100, 80])

function fixture(): AlbumData {
  const november = periodRange('MONTH', '2026-11-01', ZONE)
  const months = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']
  return {
    scope: 'все рынки', scoped: false, period: november, timeZone: ZONE, generatedAt: new Date('2026-12-01T03:00:00Z'),
    runs: [early, late],
    trend: months.map((m) => ({ period: periodRange('MONTH', `${m}-01`, ZONE), run: m === '2026-10' ? october : m === '2026-11' ? late : null })),
    matrix: [
      { ruleId: 'contract-overlap', market: 'MSK', critical: 2, high: 3, medium: 0, low: 1, total: 6 },
      { ruleId: 'address-duplicate', market: null, critical: 0, high: 0, medium: 4, low: 0, total: 4 },
    ],
    aging: [{ key: 'contract-overlap', name: null, under1Day: 1, days1to7: 2, days7to30: 0, over30Days: 3, total: 6 }],
    hotspots: { byRule: [{ key: 'contract-overlap', incidents: 3, complaints: 1, findings: 2 }], byMarket: [{ key: 'MSK', incidents: 3, complaints: 1, findings: 2 }] },
    bottlenecks: [
      { groupCode: 'NSI-MSK', groupName: 'НСИ Москва', line: 2, received: 8, acknowledgedInTime: 4, resolvedInTime: 2, acknowledge: { count: 6, medianSeconds: 7200, p90Seconds: 36000 }, resolve: { count: 3, medianSeconds: 86400, p90Seconds: 172800 }, overdue: 5, worst: true },
      { groupCode: 'NSI-SPB', groupName: 'НСИ Петербург', line: 1, received: 4, acknowledgedInTime: 4, resolvedInTime: 4, acknowledge: { count: 4, medianSeconds: 600, p90Seconds: 900 }, resolve: { count: 4, medianSeconds: 3600, p90Seconds: 7200 }, overdue: 1, worst: true },
      { groupCode: 'OPS-ZZZ-UNIQUE', groupName: 'Прочие', line: 3, received: 1, acknowledgedInTime: 1, resolvedInTime: 1, acknowledge: { count: 1, medianSeconds: 60, p90Seconds: 60 }, resolve: { count: 1, medianSeconds: 60, p90Seconds: 60 }, overdue: 0, worst: false },
    ],
    breaches: {
      total: 1,
      breaches: [{
        id: 'b1', fingerprint: 'fp-1', ruleId: 'contract-overlap', severity: 'CRITICAL', status: 'OPEN', message: 'два договора', marketCode: 'MSK', groupCode: 'NSI-MSK', line: 2,
        escalationLevel: 1, ackDueAt: new Date('2026-11-30T10:00:00Z'), dueAt: new Date('2026-12-02T10:00:00Z'), acknowledgeLateSeconds: 61200, resolveLateSeconds: null, lateSeconds: 61200,
      }],
    },
    ruleTitles: { 'contract-overlap': 'Пересечение договоров', 'address-duplicate': 'Дубликаты адресов' },
  }
}

describe('the album rendered', () => {
  it('a subject naming the period and the scope', () => {
    expect(albumSubject(fixture())).toBe('Сверка: альбом отчётов за ноябрь 2026 г. — все рынки')
    const week = { ...fixture(), period: periodRange('WEEK', '2026-11-23', ZONE), scope: 'рынок MSK' }
    expect(albumSubject(week)).toBe('Сверка: альбом отчётов за неделю с 23.11.2026 по 29.11.2026 — рынок MSK')
  })

  it('the summary: the last run\'s scores with the change against the previous period, the three worst, counts, the trend by cid', async () => {
    const album = await renderAlbum(fixture())
    const html = album.html
    // November's score is its last run's (250/300), October's 240/300: +3,3 points
    expect(html).toContain('>83,3<')
    expect(html).toContain('>+3,3<')
    // MSK 170/200 = 85,0 against 150/200 = 75,0; SPB 80/100 against 90/100
    expect(html).toContain('>85,0<')
    expect(html).toContain('>+10,0<')
    expect(html).toContain('>−10,0<')
    expect(html).toContain('MSK — Москва')
    // the worst two listed, the third (not flagged) not
    expect(html).toContain('NSI-MSK — НСИ Москва')
    expect(html).not.toContain('OPS-ZZZ-UNIQUE')
    // open 10 (6 + 4), critical 2, older than 30 days 3, breaches 1
    expect(html).toContain('Открытых: <b>10</b>, из них критичных: <b>2</b>; старше 30 дней: <b>3</b>; нарушают сроки: <b>1</b>.')
    const png = album.attachments.find((a) => a.contentType === 'image/png')!
    expect(png.cid).toBe(TREND_CID)
    expect(html).toContain(`src="cid:${TREND_CID}"`)
    expect(png.content.subarray(0, 8)).toEqual(PNG_MAGIC)
    expect(album.text).toContain('Итого: 83,3 % (+3,3)')
  })

  it('no run in the period: says so, and no image when no period has one', async () => {
    const none = { ...fixture(), runs: [], trend: fixture().trend.map((p) => ({ ...p, run: null })) }
    const album = await renderAlbum(none)
    expect(album.html).toContain('В этом периоде не было успешной полной проверки: оценки нет.')
    expect(album.html).not.toContain('cid:')
    expect(album.attachments.map((a) => a.contentType)).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'])
  })

  it('the workbook: one sheet a report with Russian names, typed cells and the data\'s numbers', async () => {
    const data = fixture()
    const album = await renderAlbum(data)
    const xlsx = album.attachments.find((a) => a.filename.endsWith('.xlsx'))!
    expect(xlsx.filename).toBe('sverka-album-2026-11-01.xlsx')
    const sheets = await readExcelFile(xlsx.content)
    expect(sheets.map((s) => s.sheet)).toEqual(['Оценка качества', 'Динамика оценки', 'Находки по правилам и рынкам', 'Возраст находок', 'Причины инцидентов', 'Узкие места', 'Нарушения сроков'])
    const sheet = (name: string) => sheets.find((s) => s.sheet === name)!.data

    // scores: per run a total row, per market a row and a row per entity type; the score a fraction (shown as %)
    const quality = sheet('Оценка качества')
    expect(quality[0]).toEqual(['Проверка', 'Данные на', 'Завершена', 'Рынок', 'Название рынка', 'Тип записей', 'Записей', 'Без расхождений', 'С расхождениями', 'Оценка'])
    expect(quality).toHaveLength(1 + 2 * (1 + 2 * 3))
    const lateTotal = quality.find((r) => r[0] === late.runId && r[3] === 'Итого')!
    expect(lateTotal[1]).toEqual(new Date('2026-11-25T00:00:00Z'))
    // times as Moscow reads them (UTC+3), to the second (Excel keeps fractions of a day)
    const near = (cell: unknown, iso: string) => expect(Math.abs((cell as Date).getTime() - Date.parse(iso))).toBeLessThan(1000)
    near(lateTotal[2], '2026-11-25T05:00:00Z')
    expect(round(lateTotal.slice(6))).toEqual(round([300, 250, 50, 250 / 300]))
    const mskContracts = quality.find((r) => r[0] === late.runId && r[3] === 'MSK' && r[5] === 'договор')!
    expect(round(mskContracts.slice(6))).toEqual(round([190, 160, 30, 160 / 190]))

    // the trend: twelve months, the last two with scores, per market a column
    const trend = sheet('Динамика оценки')
    expect(trend[0]).toEqual(['Период с', 'Период по', 'Данные на', 'Итого', 'MSK', 'SPB'])
    expect(trend).toHaveLength(13)
    expect(round(trend[12])).toEqual(round([new Date('2026-11-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'), new Date('2026-11-25T00:00:00Z'), 250 / 300, 170 / 200, 80 / 100]))
    expect(trend[1].slice(2)).toEqual([null, null, null, null])

    expect(sheet('Находки по правилам и рынкам').slice(1)).toEqual([
      ['contract-overlap', 'Пересечение договоров', 'MSK', 2, 3, 0, 1, 6],
      ['address-duplicate', 'Дубликаты адресов', 'без рынка', 0, 0, 4, 0, 4],
    ])
    expect(sheet('Возраст находок').slice(1)).toEqual([['contract-overlap', 'Пересечение договоров', 1, 2, 0, 3, 6]])
    expect(sheet('Причины инцидентов').slice(1)).toEqual([['правило', 'contract-overlap', 3, 1, 2], ['рынок', 'MSK', 3, 1, 2]])
    const stuck = sheet('Узкие места')
    expect(stuck[1]).toEqual(['NSI-MSK', 'НСИ Москва', 2, 8, 4, 0.5, 2, 0.25, 2, 10, 24, 48, 5, true])
    expect(stuck[3].at(-1)).toBe(false)
    const breach = sheet('Нарушения сроков')[1]
    expect(breach.slice(0, 7)).toEqual(['contract-overlap', 'критическая', 'открыто', 'MSK', 'NSI-MSK', 2, 1])
    near(breach[7], '2026-11-30T13:00:00Z')
    near(breach[8], '2026-12-02T13:00:00Z')
    expect(breach[9]).toBeCloseTo(17, 10)
    expect(breach[10]).toBeNull()
  })
})

describe('the trend image', () => {
  const chart = { title: 'Оценка качества данных, %', labels: ['окт 26', 'ноя 26'], series: [{ name: 'Итого', values: [80, 83.3] }] }

  it('is an SVG from ECharts with the Russian text, rasterised to the same PNG every time', async () => {
    const svg = await trendSvg(chart)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('Оценка качества данных, %')
    expect(svg).toContain('83,3')
    const [a, b] = [await trendPng(chart), await trendPng(chart)]
    expect(a.subarray(0, 8)).toEqual(PNG_MAGIC)
    // IHDR: width and height at twice the CSS size
    expect([a.readUInt32BE(16), a.readUInt32BE(20)]).toEqual([1440, 640])
    expect(a.equals(b)).toBe(true)
  })
})
