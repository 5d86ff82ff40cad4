// «Альбом отчётов» in real Chromium against a real first `sverka serve` on PostgreSQL (demo data, then shaped so that
// every report has something to show: findings made older and overdue in SQL, incidents and complaints linked, a
// few acknowledged, a second full audit for the trend). Each chart draws its table's numbers and the table holds the
// API's; a click on a number opens «Находки» with that many findings; CSV (BOM, `;`) and XLSX read back are the
// table, the PNG is a PNG; printed, the page shows no navigation or buttons and the charts as pictures. axe-core
// finds no serious or critical violation. SVERKA_SCREENSHOT_DIR=docs/img keeps the screenshots docs/console.md shows.
import { parse } from 'csv-parse/sync'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { readSheet } from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, chromiumMissing, launchChromium, RUSSIAN_CONTEXT, type Browser, type Page } from '../helpers/browser.ts'
import { tempDir } from '../helpers/csv.ts'
import { ADMIN_URL } from '../helpers/db.ts'
import { serveIn, type Served } from '../helpers/serve.ts'

const missing = chromiumMissing('test/e2e/console-reports.test.ts')

/** a condition the page reaches (a 2-core machine shared with other runs is slow) */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 })

/** A number as the page writes it («1 234», «97,5», «—»). */
const num = (text: string): number | null => text.trim() === '—' || text.trim() === '' ? null : Number(text.replace(/\s/g, '').replace(',', '.'))
const round1 = (n: number | null) => n === null ? null : Math.round(n * 10) / 10
const hours = (s: number | null) => s === null ? null : Math.round(s / 360) / 10

/** The last 30 days in Moscow, as the album asks by default: from midnight 29 days ago to the midnight after today. */
function defaultPeriod(): { since: string; until: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date())
  const at = (days: number) => new Date(Date.parse(`${today}T00:00:00+03:00`) + days * 86_400_000).toISOString()
  return { since: at(-29), until: at(1) }
}

describe.skipIf(missing !== null)(`the console's «Альбом отчётов» in Chromium, on a first \`sverka serve\`${missing ? ` — ${missing}` : ''}`, () => {
  let served: Served | undefined
  let browser: Browser | undefined
  let page: Page
  let consoleUrl = ''
  let api: (query: string, variables?: Record<string, unknown>) => Promise<any>
  const database = `sverka_e2e_album_${process.pid}`
  const shots = process.env.SVERKA_SCREENSHOT_DIR
  const shot = async (name: string) => { if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }) }
  const errors: string[] = []
  const scripts: string[] = []
  /** the scripts «Находки» fetched on opening, and those the album fetched after it */
  const fetched = { findings: [] as string[], album: [] as string[] }

  beforeAll(async () => {
    if (shots) mkdirSync(shots, { recursive: true })
    const admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${database}"`)
    await admin.end()
    const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`)
    // escalation (every minute by default) gives an unacknowledged finding a new acknowledge-by from now: a tick
    // between reading a number and clicking it would take findings out of «overdue» — not while this test runs
    served = serveIn(tempDir('e2e-album'), { databaseUrl, env: { SVERKA_ESCALATION_EVERY_MS: '3600000' } })
    const ready = await served.ready
    consoleUrl = ready.consoleUrl
    api = async (query, variables = {}) => {
      const response = await fetch(ready.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.key}` }, body: JSON.stringify({ query, variables }) })
      const body = await response.json() as { data: any; errors?: unknown[] }
      if (body.errors) throw new Error(JSON.stringify(body.errors))
      return body.data
    }

    // the demo's findings are all a minute old and in time: some made older, some overdue, some acknowledged
    const db = new pg.Client({ connectionString: databaseUrl })
    await db.connect()
    const open = (await db.query<{ id: string; fingerprint: string }>(
      `SELECT id, fingerprint FROM finding WHERE status IN ('NEW', 'OPEN') AND "groupId" IS NOT NULL AND "supportLine" IS NOT NULL ORDER BY fingerprint`)).rows
    expect(open.length).toBeGreaterThan(30)
    const ids = (from: number, to: number) => open.slice(from, to).map((f) => f.id)
    await db.query(`UPDATE finding SET "firstSeenAt" = now() - interval '3 days' WHERE id = ANY($1)`, [ids(0, 6)])
    await db.query(`UPDATE finding SET "firstSeenAt" = now() - interval '12 days' WHERE id = ANY($1)`, [ids(6, 10)])
    await db.query(`UPDATE finding SET "firstSeenAt" = now() - interval '45 days' WHERE id = ANY($1)`, [ids(10, 13)])
    await db.query(`UPDATE finding SET "ackDueAt" = now() - interval '5 hours' WHERE id = ANY($1)`, [ids(0, 8)])
    await db.query(`UPDATE finding SET "dueAt" = now() - interval '30 hours' WHERE id = ANY($1)`, [ids(10, 12)])
    await db.end()
    for (const f of open.slice(14, 17)) await api('mutation($f: String!) { acknowledgeFinding(fingerprint: $f) { __typename } }', { f: f.fingerprint })
    // incidents and complaints on a few findings (one incident on two findings counts for both rules)
    for (const [i, kind] of ['Incident', 'Incident', 'Complaint', 'Incident'].entries()) {
      const registered = await api(`mutation($r: String!) { register${kind}(input: { channel: PHONE, externalRef: $r, description: "e2e" }) { ... on MutationRegister${kind}Success { data { id } } } }`, { r: `E2E-ALBUM-${i}` })
      const id = registered[`register${kind}`].data.id as string
      for (const f of open.slice(20 + i, 22 + i)) {
        expect((await api('mutation($f: String!, $i: String!) { linkIncident(fingerprint: $f, incident: $i) { __typename } }', { f: f.fingerprint, i: id })).linkIncident.__typename).toBe('MutationLinkIncidentSuccess')
      }
    }
    // a second full audit: two points on the trend
    const run = (await api('mutation { runAudit { __typename ... on MutationRunAuditSuccess { data { id } } } }')).runAudit.data.id as string
    for (let status = ''; status !== 'SUCCEEDED'; await new Promise((r) => setTimeout(r, 300))) {
      status = (await api('query($id: ID!) { auditRun(id: $id) { status } }', { id: run })).auditRun.status
      expect(status).not.toBe('FAILED')
    }

    browser = await launchChromium()
    const context = await browser.newContext({ ...RUSSIAN_CONTEXT, acceptDownloads: true })
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname) })
    // another screen first, then the album by its link: which scripts each one fetched
    await page.goto(new URL('/findings', consoleUrl).href)
    await page.locator('#findings-title').waitFor({ timeout: 15_000 })
    fetched.findings = scripts.splice(0)
    await page.getByRole('link', { name: 'Альбом отчётов' }).click()
    await page.locator('#album-title').waitFor({ timeout: 15_000 })
    fetched.album = scripts.splice(0)
  }, 150_000)

  afterAll(async () => {
    await browser?.close()
    served?.child.kill('SIGKILL')
    await served?.exited
    const admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    await admin.end()
  })

  /** The table's body as text, row by row. */
  const tableText = (id: string) => page.locator(`#${id}`).evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())))
  /** The values each series of a chart draws. */
  const chartSeries = (id: string) => page.evaluate((chartId) => {
    // exposed by web/src/screens/reports/Chart.tsx: echarts.getInstanceByDom(element).getOption()
    const exposed = window as unknown as { sverkaChartOption(element: Element): { series: Array<{ name: string; data: Array<{ value: number | null }> }> } }
    const option = exposed.sverkaChartOption(document.getElementById(chartId)!)
    return option.series.map((s) => ({ name: s.name, data: s.data.map((d) => d.value) }))
  }, `${id}-chart`)
  const loaded = async (id: string) => { await page.locator(`#${id} tbody tr`).first().waitFor({ timeout: 15_000 }) }
  const column = (rows: string[][], i: number) => rows.map((r) => num(r[i]))

  it('the score: the latest audit\'s market × record type in the table, every audit of the period on the trend', async () => {
    const period = defaultPeriod()
    // 1. quality: the latest run's market × type, the trend's last point per market
    const runs = (await api('query($from: DateTime, $to: DateTime) { reports { qualityScores(from: $from, to: $to) { score markets { market score records flagged entityTypes { entityType score records flagged } } } } }',
      { from: period.since, to: period.until })).reports.qualityScores as any[]
    expect(runs.length).toBeGreaterThanOrEqual(2)
    await loaded('album-quality')
    const quality = await tableText('album-quality')
    const latest = runs.at(-1)
    expect(quality.map((r) => [r[0], num(r[2]), num(r[3]), num(r[4])])).toEqual(latest.markets.flatMap((m: any) => [
      [m.market ?? 'без рынка', round1(m.score), m.records, m.flagged],
      ...m.entityTypes.map((t: any) => [m.market ?? 'без рынка', round1(t.score), t.records, t.flagged]),
    ]))
    const trend = await chartSeries('album-quality')
    expect(trend[0]).toEqual({ name: 'Все рынки', data: runs.map((r) => r.score) })
    for (const m of latest.markets) expect(trend.find((s) => s.name === (m.market ?? 'без рынка'))?.data.at(-1)).toBe(m.score)

    // records with findings lead to the market's open findings on that record type (records, not findings: no equal count)
    const flagged = page.locator('#album-quality tbody tr:not(.subtotal) td a').first()
    const href = (await flagged.getAttribute('href'))!
    const drill = new URLSearchParams(href.replace('/findings?', ''))
    expect(drill.get('subject')).toMatch(/^\w+$/)
    expect(drill.get('market') ?? drill.get('nomarket')).toBeTruthy()
    await flagged.click()
    await poll(() => page.locator('.table-head .total').innerText()).toMatch(/^Открытых: [1-9]/)
    await page.goBack()
    await page.locator('#album-title').waitFor()
    expect(errors).toEqual([])
  }, 30_000)

  it('each chart draws its table\'s numbers, and the tables hold the API\'s', async () => {
    const period = defaultPeriod()
    const names = await api('{ rules { id title { ru } } }')
    const ruleTitle = new Map<string, string>(names.rules.map((r: any) => [r.id, r.title.ru]))

    // 2. open findings by rule × market, by severity
    const matrix = (await api('{ reports { findingsMatrix { ruleId market critical high medium low total } } }')).reports.findingsMatrix as any[]
    await loaded('album-matrix')
    const matrixRows = await tableText('album-matrix')
    expect(matrixRows).toEqual(matrix.map((c) => [ruleTitle.get(c.ruleId), c.market ?? 'без рынка', ...[c.critical, c.high, c.medium, c.low, c.total].map(String)]))
    expect((await chartSeries('album-matrix')).map((s) => s.data)).toEqual([2, 3, 4, 5].map((i) => column(matrixRows, i)))

    // 3. age of open findings, by rule and by group
    for (const [by, id] of [['RULE', 'album-aging-rules'], ['GROUP', 'album-aging-groups']] as const) {
      if (by === 'GROUP') await page.getByRole('radio', { name: 'по группам' }).check()
      const aging = (await api(`{ reports { aging(by: ${by}) { key under1Day days1to7 days7to30 over30Days total } } }`)).reports.aging as any[]
      await loaded(id)
      const rows = await tableText(id)
      expect(rows.map((r) => r.slice(1).map(num))).toEqual(aging.map((a) => [a.under1Day, a.days1to7, a.days7to30, a.over30Days, a.total]))
      expect((await chartSeries(id)).map((s) => s.data)).toEqual([1, 2, 3, 4].map((i) => column(rows, i)))
    }
    expect((await tableText('album-aging-groups')).some((r) => num(r[4])! > 0)).toBe(true)
    await page.getByRole('radio', { name: 'по правилам' }).check()

    // 4. what causes incidents and complaints
    const hot = (await api('query($s: DateTime, $u: DateTime) { reports { incidentHotspots(since: $s, until: $u, top: 20) { byRule { key incidents complaints total findings } byMarket { key incidents complaints total findings } } } }',
      { s: period.since, u: period.until })).reports.incidentHotspots
    for (const [rows, id] of [[hot.byRule, 'album-incidents-rules'], [hot.byMarket, 'album-incidents-markets']] as const) {
      expect(rows.length).toBeGreaterThan(0)
      await loaded(id)
      const table = await tableText(id)
      expect(table.map((r) => r.slice(1).map(num))).toEqual(rows.map((h: any) => [h.incidents, h.complaints, h.total, h.findings]))
      expect((await chartSeries(id)).map((s) => s.data)).toEqual([column(table, 1), column(table, 2)])
    }
    expect(hot.byRule.reduce((n: number, h: any) => n + h.complaints, 0)).toBeGreaterThan(0)

    // 5. bottlenecks: the worst first and marked
    const necks = (await api('query($s: DateTime, $u: DateTime) { reports { bottlenecks(since: $s, until: $u) { group line received acknowledgedInTime resolvedInTime acknowledge { medianSeconds p90Seconds } resolve { medianSeconds p90Seconds } overdue worst } } }',
      { s: period.since, u: period.until })).reports.bottlenecks as any[]
    await loaded('album-bottlenecks')
    const neckRows = await tableText('album-bottlenecks')
    expect(neckRows.map((r) => [...r.slice(1, 10).map(num), r[10]])).toEqual(necks.map((b) => [
      b.line, b.received, b.acknowledgedInTime, b.resolvedInTime, hours(b.acknowledge.medianSeconds), hours(b.acknowledge.p90Seconds),
      hours(b.resolve.medianSeconds), hours(b.resolve.p90Seconds), b.overdue, b.worst ? 'в тройке худших' : '',
    ]))
    expect(necks.some((b) => b.worst)).toBe(true)
    expect(await page.locator('#album-bottlenecks tbody tr.worst').count()).toBe(necks.filter((b) => b.worst).length)
    expect((await chartSeries('album-bottlenecks')).map((s) => s.data)).toEqual([column(neckRows, 2), column(neckRows, 9)])

    // 6. SLA breaches, each a link to its finding
    const sla = (await api('{ reports { slaBreaches(limit: 100) { total breaches { fingerprint lateSeconds } } } }')).reports.slaBreaches
    expect(sla.total).toBeGreaterThan(0)
    await loaded('album-sla')
    const slaRows = await tableText('album-sla')
    expect(column(slaRows, 8)).toEqual(sla.breaches.map((b: any) => hours(b.lateSeconds)))
    expect(await page.locator('#album-sla tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      .toEqual(sla.breaches.map((b: any) => `/findings/${encodeURIComponent(b.fingerprint)}`))
    expect((await chartSeries('album-sla'))[0].data).toEqual(column(slaRows, 8).slice(0, 20))
    expect(await page.locator('.sla-total a').innerText()).toMatch(new RegExp(`^${sla.total} наход`))

    await shot('album')
    expect(await accessibilityProblems(page)).toEqual([])
    await page.getByRole('radio', { name: 'по группам' }).check()
    await loaded('album-aging-groups')
    if (shots) await page.locator('#report-aging').screenshot({ path: join(shots, 'album-groups.png') })
    await page.getByRole('radio', { name: 'по правилам' }).check()
    expect(errors).toEqual([])
  }, 60_000)

  it('a number clicked opens «Находки» with exactly that many findings', async () => {
    const total = page.locator('.table-head .total')
    const drill = async (link: ReturnType<Page['locator']>) => {
      // «7» in a table, «10 находок» beside the SLA report
      const clicked = num(/^[\d\s\u00a0]+/.exec(await link.innerText())![0])
      const href = (await link.getAttribute('href'))!
      await link.click()
      await poll(() => page.evaluate(() => location.pathname + location.search)).toBe(href)
      await poll(() => total.innerText()).toMatch(/^(Открытых|Всего|Найдено): /)
      expect(num(/: ([\d\s\u00a0]+)/.exec(await total.innerText())![1]), href).toBe(clicked)
      await page.goBack()
      await page.locator('#album-title').waitFor()
      return href
    }
    // a severity of a matrix cell, a cell's total, an age bucket, a bottleneck's overdue, the SLA total
    expect(await drill(page.locator('#album-matrix tbody td a').first())).toMatch(/severity=/)
    expect(await drill(page.locator('#album-matrix tbody tr').first().locator('td:last-child a'))).not.toMatch(/severity=/)
    expect(await drill(page.locator('#album-aging-rules tbody td a').first())).toMatch(/age=/)
    expect(await drill(page.locator('#album-bottlenecks tbody tr.worst').first().locator('td:nth-last-child(2) a'))).toMatch(/overdue=1/)
    expect(await drill(page.locator('#album-bottlenecks tbody td:nth-child(3) a').first())).toMatch(/since=/)
    expect(await drill(page.locator('.sla-total a'))).toBe('/findings?overdue=1')
    expect(errors).toEqual([])
  }, 60_000)

  it('downloads a table as CSV and XLSX that read back as the table, and its chart as a PNG', async () => {
    await page.goto(new URL('/reports', consoleUrl).href)
    await page.locator('#album-matrix tbody tr').first().waitFor({ timeout: 15_000 })
    const table = page.locator('#album-matrix')
    const head = await table.locator('thead th').allInnerTexts()
    const rows = await tableText('album-matrix')
    const group = page.getByRole('group', { name: 'Скачать «Открытые находки по правилам и рынкам»' })
    const download = async (name: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), group.getByRole('button', { name }).or(group.getByRole('link', { name })).click()])
      return { name: file.suggestedFilename(), content: readFileSync(await file.path()) }
    }

    const csv = await download('CSV')
    expect(csv.name).toMatch(/^album-matrix-\d{4}-\d{2}-\d{2}\.csv$/)
    expect([...csv.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = csv.content.toString('utf8')
    expect(text.split('\r\n')[0]).toBe('\uFEFF' + head.join(';'))
    expect(parse(text, { delimiter: ';', bom: true })).toEqual([head, ...rows])

    const xlsx = await download('XLSX')
    expect(xlsx.name).toMatch(/^album-matrix-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const sheet = await readSheet(xlsx.content)
    expect(sheet[0]).toEqual(head)
    // typed cells: the counts are numbers, equal to the table's
    expect(sheet.slice(1)).toEqual(rows.map((r) => [r[0], r[1], ...r.slice(2).map(num)]))

    const png = await download('PNG')
    expect(png.name).toMatch(/^album-matrix-\d{4}-\d{2}-\d{2}\.png$/)
    expect([...png.content.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(png.content.length).toBeGreaterThan(2000)
    expect(errors).toEqual([])
  }, 30_000)

  it('fetches ECharts on the album only: the main bundle does not hold it', async () => {
    const html = await (await fetch(consoleUrl)).text()
    const main = /<script type="module"[^>]* src="([^"]+)"/.exec(html)![1]
    const code = await (await fetch(new URL(main, consoleUrl))).text()
    expect(code).toContain('Альбом отчётов')
    expect(code).not.toContain('_echarts_instance_')
    // «Находки» fetched the main bundle alone; the album its own chunk, with ECharts in it
    expect(fetched.findings).toEqual([main])
    expect(fetched.album).toHaveLength(1)
    expect(await (await fetch(new URL(fetched.album[0], consoleUrl))).text()).toContain('_echarts_instance_')
  })

  it('prints without navigation or buttons, one report a page, the charts as pictures', async () => {
    await page.goto(new URL('/reports', consoleUrl).href)
    await page.locator('#album-sla-chart').waitFor({ timeout: 15_000 })
    // every chart drawn and pictured
    await poll(async () => await page.locator('img.chart-print').count() === await page.locator('.chart-canvas').count()).toBe(true)
    await page.emulateMedia({ media: 'print' })
    try {
      expect(await page.locator('header.top').isVisible()).toBe(false)
      expect(await page.locator('nav[aria-label="Разделы"]').isVisible()).toBe(false)
      expect(await page.locator('.album button:visible, .album .downloads:visible, .album-period:visible').count()).toBe(0)
      expect(await page.locator('.chart-canvas:visible').count()).toBe(0)
      const pictures = page.locator('img.chart-print:visible')
      expect(await pictures.count()).toBe(await page.locator('.chart-canvas').count())
      expect(await pictures.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth >= 800))).toBe(true)
      expect(await page.locator('section.report').evaluateAll((s) => s.slice(0, -1).map((e) => getComputedStyle(e).breakAfter))).toEqual(Array(5).fill('page'))
      await shot('album-print')
    } finally {
      await page.emulateMedia({ media: 'screen' })
    }
  }, 30_000)
})
