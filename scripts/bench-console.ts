// Benchmark of the console's agent flow in real Chromium at 100k addresses (not run in tests):
//   npm run bench:console [-- --database-url postgresql://…] [--keep] [--scale N] [--loads 20] [--texts 120] [--cards 60]
// The seed of .bench/seed-<N> (`sverka seed --scale N --seed 42`, generated if missing) is imported into a
// PostgreSQL database of its own (created here and dropped at the end unless --keep; or the one given, which
// is imported into only when empty) and audited (`sverka audit`); a real `sverka serve` (NODE_ENV=production,
// its own process) runs on it and its first-start ADMIN key opens the console, as for a newcomer. Then, in
// headless Chromium (playwright-core, /usr/bin/chromium):
// - first load of `/` to the search box focused: cold (a new browser context each time: nothing cached) and
//   warm (the same context again: assets from the HTTP cache), `--loads` times each;
// - keystroke → results: caller-like texts drawn from the data (an address in another notation, a quarter
//   with a one-letter typo in the street; a phone as it is said; half a serial; a name in another word order)
//   typed key by key at a person's pace (60–160 ms between keys); from the last keydown to the list of hits
//   answering that very text committed to the DOM (the list's data-for, set from the urql operation behind
//   the hits), split into the debounce wait, the GraphQL request as the page saw it, and rendering;
// - card: Enter on the first hit for a record with open findings around it → the card's conflicts section
//   in the DOM; again split into request and rendering;
// - the main bundle's size, gzipped.
// Times are taken inside the page (performance.now(), a MutationObserver, a wrapper around fetch), so
// Playwright's own round trips are not in them.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { createApiKey } from '../src/access/api-keys.ts'
import { openDatabase } from '../src/db/database.ts'
import { importDirectory } from '../src/import/importer.ts'
import { generateSeed } from '../src/seed/generate.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const scale = Number(option('--scale', '100000'))
const loads = Number(option('--loads', '20'))
const textCount = Number(option('--texts', '120'))
const cardCount = Number(option('--cards', '60'))
const keep = args.includes('--keep')
const given = args.includes('--database-url') ? option('--database-url', '') : undefined
const adminUrl = process.env.SVERKA_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const CHROMIUM = '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// deterministic choices: two runs type the same texts at the same pace
let state = 11
const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) >>> 8
const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length]

const quantile = (xs: number[], p: number) => xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]
const ms = (x: number) => Number.isNaN(x) ? '—' : x.toFixed(0)
const row = (title: string, xs: number[]) => `| ${title} | ${xs.length} | ${ms(quantile(xs, 50))} | ${ms(quantile(xs, 95))} | ${ms(Math.max(...xs))} |`

// ─── data: seed, database, import, audit ───
const root = resolve('.bench')
const seedDir = join(root, `seed-${scale}`)
if (!existsSync(join(seedDir, 'seed-meta.json'))) {
  console.log(`seed ${scale} → ${seedDir}`)
  await generateSeed({ scale, seed: 42, out: seedDir, asOf: '2026-01-31' })
}
const asOf = (JSON.parse(readFileSync(join(seedDir, 'seed-meta.json'), 'utf8')) as { asOf: string }).asOf
const dbName = `sverka_bench_console_${process.pid}`
const url = given ?? adminUrl.replace(/\/[^/]*$/, `/${dbName}`)
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
if (!given) await admin.query(`CREATE DATABASE ${dbName}`)

let server: ReturnType<typeof spawn> | undefined
let closeBrowser: (() => Promise<void>) | undefined
try {
  let t = performance.now()
  const db = await openDatabase({ url })
  const q = async <T>(text: string, params: unknown[] = []) => (await db.sql.query<T>(text, params)).rows
  if ((await q<{ n: number }>('SELECT count(*)::int AS n FROM address'))[0].n === 0) {
    await importDirectory(db, seedDir)
    console.log(`import: ${((performance.now() - t) / 1000).toFixed(1)} s`)
    await db.close()
    t = performance.now()
    const audited = spawnSync(process.execPath, ['src/cli/sverka.mjs', 'audit', '--as-of', asOf, '--format', 'json', '--out', join(root, 'console-report.json')],
      { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, encoding: 'utf8' })
    if (audited.status !== 0 && audited.status !== 1) throw new Error(`sverka audit failed: ${audited.stderr}`)
    console.log(`audit: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  } else await db.close()

  // texts as callers say them, drawn from the data
  const db2 = await openDatabase({ url })
  const q2 = async <T>(text: string, params: unknown[] = []) => (await db2.sql.query<T>(text, params)).rows
  await db2.sql.exec('ANALYZE')
  const open = `f.status IN ('NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED')`
  const typo = (word: string) => {
    if (word.length < 5) return word
    const at = 1 + (next() % (word.length - 2))
    const c = word[at]
    const swap = 'аеиоуыэюя'.includes(c) ? (c === 'е' ? 'и' : 'е') : (c === 'н' ? 'м' : 'н')
    return word.slice(0, at) + swap + word.slice(at + 1)
  }
  type Addr = { street: string; house: string; building: string | null; flat: string }
  const addressText = (a: Addr, misspelt: boolean) => {
    let street = a.street.toLowerCase().replace(/ё/g, 'е')
    if (misspelt) street = street.split(' ').map((w, k, ws) => (k === ws.length - 1 ? typo(w) : w)).join(' ')
    const house = a.building ? `${a.house} к${a.building}` : a.house
    return pick([`${street} ${house} кв ${a.flat}`, `${street} д.${house}, кв.${a.flat}`, `${street}, дом ${house}, квартира ${a.flat}`])
  }
  const phoneText = (p: string) => {
    const d = p.slice(1)
    return pick([`8 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`, `+7 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`, `8${d}`])
  }
  const nameText = (name: string) => {
    const words = name.replace(/[«»"]/g, '').split(/\s+/)
    return (words.length === 3 ? [words[1], words[2], words[0]] : words.reverse()).join(' ').toLowerCase().replace(/ё/g, 'е')
  }
  const ADDR = `a."streetName" AS street, a.house, a.building, a.apartment AS flat`
  const texts: Array<{ kind: string; text: string }> = []
  const quarter = Math.ceil(textCount / 4)
  for (const [i, a] of (await q2<Addr>(`SELECT ${ADDR} FROM address a WHERE a.apartment IS NOT NULL AND a."streetName" IS NOT NULL AND a.house IS NOT NULL ORDER BY md5(a.code) LIMIT $1`, [quarter])).entries())
    texts.push({ kind: i % 2 === 1 ? 'address, typo in the street' : 'address', text: addressText(a, i % 2 === 1) })
  for (const c of await q2<{ p: string }>(`SELECT "phoneNorm" AS p FROM customer WHERE "phoneNorm" ~ '^79[0-9]{9}$' ORDER BY md5(code) LIMIT $1`, [quarter]))
    texts.push({ kind: 'phone', text: phoneText(c.p) })
  for (const [i, e] of (await q2<{ s: string }>(`SELECT "serialNorm" AS s FROM equipment WHERE length("serialNorm") >= 8 ORDER BY md5("inventoryNo") LIMIT $1`, [quarter])).entries()) {
    const half = Math.ceil(e.s.length / 2)
    texts.push({ kind: 'half a serial', text: i % 2 === 0 ? e.s.slice(-half) : e.s.slice(0, half + 2) })
  }
  for (const c of await q2<{ name: string }>(`SELECT name FROM customer WHERE "nameNorm" IS NOT NULL ORDER BY md5(code || 'n') LIMIT $1`, [quarter]))
    texts.push({ kind: 'name, other word order', text: nameText(c.name) })
  // records with open findings around them, asked for the way a caller would: their address, phone, serial
  const cards: Array<{ kind: string; text: string }> = []
  const third = Math.ceil(cardCount / 3)
  for (const [i, a] of (await q2<Addr>(`SELECT ${ADDR} FROM address a WHERE a.apartment IS NOT NULL AND a."streetName" IS NOT NULL AND a.house IS NOT NULL
      AND EXISTS (SELECT 1 FROM finding_entity fe JOIN finding f ON f.id = fe."findingId" WHERE fe."entityType" = 'address' AND fe."entityKey" = a.code AND ${open})
      ORDER BY md5(a.code) LIMIT $1`, [third])).entries())
    cards.push({ kind: 'address', text: addressText(a, i % 3 === 2) })
  for (const c of await q2<{ p: string }>(`SELECT "phoneNorm" AS p FROM customer c WHERE "phoneNorm" ~ '^79[0-9]{9}$'
      AND EXISTS (SELECT 1 FROM finding_entity fe JOIN finding f ON f.id = fe."findingId" WHERE fe."entityType" = 'customer' AND fe."entityKey" = c.code AND ${open})
      ORDER BY md5(code) LIMIT $1`, [third]))
    cards.push({ kind: 'phone', text: phoneText(c.p) })
  for (const e of await q2<{ serial: string }>(`SELECT serial FROM equipment e WHERE length("serialNorm") >= 8
      AND EXISTS (SELECT 1 FROM finding_entity fe JOIN finding f ON f.id = fe."findingId" WHERE fe."entityType" = 'equipment' AND fe."entityKey" = e."inventoryNo" AND ${open})
      ORDER BY md5("inventoryNo") LIMIT $1`, [third]))
    cards.push({ kind: 'serial', text: e.serial })
  const counts = (await q2<{ a: number; f: number }>(`SELECT (SELECT count(*)::int FROM address) AS a, (SELECT count(*)::int FROM finding f WHERE ${open}) AS f`))[0]
  await db2.close()
  console.log(`${counts.a.toLocaleString('en')} addresses, ${counts.f.toLocaleString('en')} open findings; ${texts.length} texts, ${cards.length} card texts`)

  // ─── the server, in its own process: its first-start key opens the console ───
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', NODE_ENV: 'production' }
  delete env.REDIS_URL // the job processors in the server's process, as on a first start
  server = spawn(process.execPath, ['src/cli/sverka.mjs', 'serve', '--port', '0', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const consoleUrl = await new Promise<string>((resolvePromise, reject) => {
    let out = ''
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Консоль Сверки: (\S+)/.exec(out)
      // the key lines come in the same write as the URLs
      if (m && out.includes('API GraphQL Сверки:')) resolvePromise(m[1])
    })
    server!.once('exit', (code) => reject(new Error(`sverka serve exited with ${code}: ${out}`)))
  })
  // a database used before (--database-url, --keep): no first-start key in the page; sign in with one made here
  let signIn: string | null = null
  if (!(await (await fetch(consoleUrl)).text()).includes('sverka-boot')) {
    const db3 = await openDatabase({ url })
    signIn = (await createApiKey(db3.prisma, { role: 'ADMIN', name: 'bench-console' })).key
    await db3.close()
  }

  // ─── the main bundle ───
  const html = await (await fetch(consoleUrl)).text()
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1])
  const bundle: string[] = []
  for (const src of scripts) {
    const body = Buffer.from(await (await fetch(new URL(src, consoleUrl))).arrayBuffer())
    bundle.push(`${src}: ${(body.length / 1024).toFixed(0)} KB, ${(gzipSync(body, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`)
  }
  const lazy = readdirSync('web/dist/assets').filter((f) => f.endsWith('.js') && !scripts.some((s) => s.endsWith(f)))

  // ─── Chromium ───
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true })
  closeBrowser = () => browser.close()
  const instrument = () => {
    const b = { lastKey: 0, focusAt: -1, lists: [] as Array<{ text: string; t: number }>, cardAt: -1, gql: [] as Array<{ op: string; vars: any; t0: number; t1: number }> }
    ;(window as any).__bench = b
    document.addEventListener('keydown', () => { b.lastKey = performance.now() }, true)
    // a letter not on the US layout comes by insertText: an input event without a keydown
    document.addEventListener('input', () => { if (performance.now() - b.lastKey > 30) b.lastKey = performance.now() }, true)
    document.addEventListener('focusin', (e) => { if ((e.target as Element).id === 'call-search' && b.focusAt < 0) b.focusAt = performance.now() }, true)
    let lastFor: string | undefined
    let card = false
    new MutationObserver(() => {
      const list = document.querySelector<HTMLElement>('[role=listbox]')
      const f = list?.dataset.for
      if (f !== undefined && f !== lastFor) b.lists.push({ text: f, t: performance.now() })
      lastFor = f
      const hasCard = document.querySelector('section.card.conflicts #conflicts-title') !== null
      if (hasCard && !card) b.cardAt = performance.now()
      card = hasCard
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-for'] })
    const original = window.fetch
    window.fetch = async function (input: RequestInfo | URL, init?: RequestInit) {
      const t0 = performance.now()
      let op = '', vars: unknown
      try { const body = JSON.parse(typeof init?.body === 'string' ? init.body : ''); op = body.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? ''; vars = body.variables } catch { /* not GraphQL */ }
      let response: Response
      try {
        response = await original(input, init)
      } catch (e) {
        b.gql.push({ op, vars, t0, t1: -1, error: String(e) } as never)
        throw e
      }
      // the answers are a few KB: they come with their headers (urql aborts the request once it has read it,
      // so a clone cannot be read after it)
      b.gql.push({ op, vars, t0, t1: performance.now() })
      return response
    }
  }

  // tsx (esbuild, keepNames) wraps functions in __name(), which the page does not have
  const instrumentation = `var __name = (f) => f; (${instrument.toString()})()`

  // first load: cold (new context, empty cache) and warm (the same context, assets cached)
  const cold: number[] = [], warm: number[] = []
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })
    await context.addInitScript({ content: instrumentation })
    if (signIn) await context.addInitScript((k) => sessionStorage.setItem('sverka.key', k), signIn)
    const page = await context.newPage()
    for (const into of [cold, warm]) {
      await page.goto(consoleUrl)
      await page.waitForFunction(() => (window as any).__bench.focusAt >= 0, undefined, { timeout: 30_000 })
      into.push(await page.evaluate(() => (window as any).__bench.focusAt as number))
    }
    await context.close()
  }

  // typing and cards, in one tab signed in by the boot key
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })
  await context.addInitScript({ content: instrumentation })
  if (signIn) await context.addInitScript((k) => sessionStorage.setItem('sverka.key', k), signIn)
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.goto(consoleUrl)
  const box = page.locator('#call-search')
  await box.waitFor()

  interface Sample { kind: string; total: number; wait: number; request: number; render: number; hits: boolean }
  // a text whose answer never came: what the page and the server said, and the run goes on
  const failures: string[] = []
  async function typeAndWait(text: string): Promise<Omit<Sample, 'kind'> | null> {
    await box.focus()
    await page.keyboard.press('Escape') // clears the box
    await page.keyboard.press('Escape') // on an empty box: closes the card
    await page.evaluate(() => { const b = (window as any).__bench; b.lists = []; b.gql = []; b.cardAt = -1 })
    for (const ch of text) {
      await page.keyboard.type(ch)
      await page.waitForTimeout(60 + (next() % 101))
    }
    const got = await page.waitForFunction((t) => {
      const b = (window as any).__bench
      const list = b.lists.find((l: { text: string; t: number }) => l.text === t && l.t > b.lastKey)
      const request = [...b.gql].reverse().find((g: { op: string; vars: any }) => g.vars?.text === t)
      if (!list || !request) return null
      return { lastKey: b.lastKey, shown: list.t, t0: request.t0, t1: request.t1, hits: document.querySelectorAll('[role=option]').length > 0 }
    }, text.trim(), { timeout: 10_000, polling: 50 }).catch(async () => {
      const seen = await page.evaluate((t) => ({
        requests: (window as any).__bench.gql.filter((g: { vars: any }) => g.vars?.text === t),
        offline: document.querySelector('.offline')?.textContent ?? null,
      }), text.trim())
      // is the server still answering, and what are its database connections doing?
      const alive = await fetch(new URL('/graphql', consoleUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(5000) })
        .then((r) => `HTTP ${r.status}`, (err) => String(err))
      const activity = await admin.query(`SELECT state, wait_event, left(query, 80) AS q, now() - query_start AS age FROM pg_stat_activity WHERE datname = $1`, [url.replace(/.*\//, '')])
      failures.push(`«${text}»: requests for it ${JSON.stringify(seen.requests)}; page says ${JSON.stringify(seen.offline)}; server then: ${alive}; its connections: ${JSON.stringify(activity.rows.map((r) => r.state))}`)
      const retry = page.locator('.offline button')
      if (await retry.count()) await retry.first().click()
      return null
    })
    if (!got) return null
    const r = await got.jsonValue() as { lastKey: number; shown: number; t0: number; t1: number; hits: boolean }
    return { total: r.shown - r.lastKey, wait: r.t0 - r.lastKey, request: r.t1 - r.t0, render: r.shown - r.t1, hits: r.hits }
  }

  // warm-up: the server's plans and the page's code paths
  for (const t of texts.slice(0, 5)) await typeAndWait(t.text)
  const typed: Sample[] = []
  for (const t of texts) {
    const s = await typeAndWait(t.text)
    if (s) typed.push({ kind: t.kind, ...s })
  }
  const opened: Sample[] = []
  for (const c of cards) {
    const s = await typeAndWait(c.text)
    if (!s) continue
    typed.push({ kind: `${c.kind} (card texts)`, ...s })
    if (!s.hits) continue
    await page.keyboard.press('Enter')
    const got = await page.waitForFunction(() => {
      const b = (window as any).__bench
      const request = b.gql.find((g: { vars: any }) => g.vars?.type && g.vars?.key)
      if (b.cardAt < 0 || !request) return null
      return { lastKey: b.lastKey, shown: b.cardAt, t0: request.t0, t1: request.t1, findings: document.querySelectorAll('li.finding').length }
    }, undefined, { timeout: 30_000, polling: 50 })
    const r = await got.jsonValue() as { lastKey: number; shown: number; t0: number; t1: number; findings: number }
    opened.push({ kind: c.kind, total: r.shown - r.lastKey, wait: r.t0 - r.lastKey, request: r.t1 - r.t0, render: r.shown - r.t1, hits: r.findings > 0 })
  }
  await browser.close()
  closeBrowser = undefined

  // ─── report ───
  const load = (await import('node:os')).loadavg()
  console.log(`\nconsole agent flow, ${counts.a.toLocaleString('en')} addresses, PostgreSQL, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z; load average at the end ${load.map((x) => x.toFixed(1)).join(' / ')}`)
  console.log(`main bundle: ${bundle.join('; ')}; chunks loaded later: ${lazy.join(', ') || 'none'}`)
  console.log('\n| measure | n | p50 ms | p95 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |')
  console.log(row('first load of `/` to the focused box, cold (empty cache)', cold))
  console.log(row('first load of `/` to the focused box, warm (cached assets)', warm))
  console.log(row('**keystroke → results**, all texts', typed.map((s) => s.total)))
  for (const kind of new Set(typed.map((s) => s.kind))) console.log(row(`  ${kind}`, typed.filter((s) => s.kind === kind).map((s) => s.total)))
  console.log(row('  of which: waiting for the debounce', typed.map((s) => s.wait)))
  console.log(row('  of which: the search request, as the page saw it', typed.map((s) => s.request)))
  console.log(row('  of which: answer → list in the DOM', typed.map((s) => s.render)))
  console.log(row('**Enter → card with its conflicts**', opened.map((s) => s.total)))
  console.log(row('  of which: Enter → request sent', opened.map((s) => s.wait)))
  console.log(row('  of which: the card request, as the page saw it', opened.map((s) => s.request)))
  console.log(row('  of which: answer → card in the DOM', opened.map((s) => s.render)))
  console.log(`\ntexts with no hits: ${typed.filter((s) => !s.hits).length} of ${typed.length}; cards opened ${opened.length} of ${cards.length}, with findings shown ${opened.filter((s) => s.hits).length}`)
  console.log(`texts whose answer did not come within 10 s: ${failures.length}`)
  for (const f of failures) console.log(`  ${f}`)
  if (pageErrors.length) console.log(`page errors: ${pageErrors.join('; ')}`)
} finally {
  await closeBrowser?.()
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r))
    server.kill('SIGTERM')
    await exited
  }
  if (!given && !keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName}`)
  else if (!given) console.log(`kept ${url}`)
  await admin.end()
}
