// Load benchmark of the GraphQL API (not run in tests):
//   npx tsx scripts/bench-api.ts [--database-url postgresql://…] [--data-dir DIR] [--connections 50] [--duration 15]
// Starts `sverka serve` as its own process on a database holding the 100k seed (default: the PostgreSQL
// database sverka_bench_inc that `npm run bench:incremental -- --database-url …` fills; or an embedded data
// directory), then drives it with autocannon over HTTP: `conflicts(for:)` — what an agent's screen asks
// during a call — for records drawn from the data (half of them with open findings around), by an
// unscoped key and by a key limited to one market; then `search` with what callers say. Prints latency
// percentiles, throughput and errors for each.
import autocannon from 'autocannon'
import { createApiKey } from '../src/access/api-keys.ts'
import { openDatabase } from '../src/db/database.ts'
import { startServer } from './bench-server.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const dataDir = args.includes('--data-dir') ? option('--data-dir', '') : undefined
const url = dataDir ? undefined : option('--database-url', 'postgresql://postgres@127.0.0.1:5432/sverka_bench_inc')
const connections = Number(option('--connections', '50'))
const duration = Number(option('--duration', '15'))
// requests per second across all clients for the paced runs (agents on calls do not fire back to back)
const rate = Number(option('--rate', '100'))
const searchRate = Number(option('--search-rate', '30'))

// deterministic choices: two runs ask for the same records
let state = 3
const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) >>> 8

// ─── targets and keys, prepared on the database before the server takes it ───
const db = url ? await openDatabase({ url }) : await openDatabase({ dataDir })
const q = async (text: string) => (await db.sql.query<{ type: string; key: string }>(text)).rows
const around = await q(`SELECT DISTINCT "entityType" AS type, "entityKey" AS key FROM finding_entity fe JOIN finding f ON f.id = fe."findingId"
  WHERE f.status IN ('NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED') AND "entityType" IN ('address', 'contract', 'equipment', 'customer') ORDER BY 2 LIMIT 1000`)
const random = [
  ...await q(`SELECT 'address' AS type, code AS key FROM address ORDER BY md5(code) LIMIT 250`),
  ...await q(`SELECT 'contract' AS type, number AS key FROM contract ORDER BY md5(number) LIMIT 250`),
  ...await q(`SELECT 'equipment' AS type, "inventoryNo" AS key FROM equipment ORDER BY md5("inventoryNo") LIMIT 250`),
  ...await q(`SELECT 'customer' AS type, code AS key FROM customer ORDER BY md5(code) LIMIT 250`),
]
const targets = [...around.slice(0, 1000), ...random]
const words = (await db.sql.query<{ t: string }>(`
  (SELECT lower(a."streetName") || ' ' || a.house || ' кв ' || a.apartment AS t FROM address a WHERE a.apartment IS NOT NULL AND a."streetName" IS NOT NULL ORDER BY md5(a.code) LIMIT 300)
  UNION ALL (SELECT '8 ' || substr("phoneNorm", 2, 3) || ' ' || substr("phoneNorm", 5, 3) || '-' || substr("phoneNorm", 8, 2) || '-' || substr("phoneNorm", 10, 2) FROM customer WHERE "phoneNorm" ~ '^7\\d{10}$' ORDER BY md5(code) LIMIT 300)
  UNION ALL (SELECT substr("serialNorm", 1, 7) FROM equipment WHERE length("serialNorm") >= 10 ORDER BY md5("inventoryNo") LIMIT 300)`)).rows.map((r) => r.t)
const admin = (await createApiKey(db.prisma, { role: 'ADMIN', name: 'bench-api' })).key
const scoped = (await createApiKey(db.prisma, { role: 'SUPPORT_AGENT', markets: ['MSK'], name: 'bench-api MSK' })).key
await db.close()

// ─── the server, in its own process ───
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production' }
if (url) env.DATABASE_URL = url
else { delete env.DATABASE_URL; env.SVERKA_DATA_DIR = dataDir!.replace(/\/db\/?$/, '') }
const { endpoint, server } = await startServer(env)

const CONFLICTS = `query($t: EntityType!, $k: String!) { conflicts(for: { type: $t, key: $k }) {
  count highestSeverity findings { ruleId severity status message age incidentCount complaintCount } } }`
const SEARCH = `query($q: String!) { search(text: $q, first: 10) { type key label score } }`

async function load(title: string, key: string, body: () => string, pace = rate, flatOut = true) {
  const base = { url: endpoint, method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, requests: [{ setupRequest: (r: object) => ({ ...r, body: body() }) }] }
  // warm-up: JIT, plans, the pool's connections and their prepared statements
  await autocannon({ ...base, connections, amount: 20 * connections })
  // paced: each client waits a random (exponential) time between its requests, together `rate` a second — agents
  // on calls, not a burst every tick (autocannon's own pacing fires all connections on the same timer)
  const paced = await pacedLoad(key, body, pace)
  console.log(`| ${title} | ${connections} | ${pace}/s | ${paced.total} | ${Math.round(paced.total / duration)} | ${paced.p(50)} | ${paced.p(90)} | ${paced.p(95)} | ${paced.p(99)} | ${paced.p(100)} | ${paced.errors} |`)
  if (!flatOut) return
  // flat out: each client sends its next request as soon as it has an answer (throughput; latency is queueing)
  const result = await autocannon({ ...base, connections, duration })
  const l = result.latency
  console.log(`| ${title} | ${connections} | flat out | ${result.requests.total} | ${Math.round(result.requests.average)} | ${l.p50} | ${l.p90} | — | ${l.p99} | ${l.max} | ${result.errors + result.non2xx} |`)
}

async function pacedLoad(key: string, body: () => string, rate: number) {
  const times: number[] = []
  let errors = 0
  const until = performance.now() + duration * 1000
  const meanGapMs = (connections / rate) * 1000
  const client = async () => {
    await sleep(Math.random() * meanGapMs)
    while (performance.now() < until) {
      const started = performance.now()
      try {
        const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: body() })
        const answer = await response.json() as { errors?: unknown[] }
        if (!response.ok || answer.errors) errors++
      } catch {
        errors++
      }
      times.push(performance.now() - started)
      await sleep(-Math.log(1 - Math.random()) * meanGapMs)
    }
  }
  await Promise.all(Array.from({ length: connections }, client))
  times.sort((a, b) => a - b)
  const p = (q: number) => times.length === 0 ? 0 : Math.round(times[Math.min(times.length - 1, Math.ceil((q / 100) * times.length) - 1)] * 10) / 10
  return { total: times.length, errors, p }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

try {
  console.log(`GraphQL API load, ${url ? 'PostgreSQL' : 'embedded database'}, ${connections} connections × ${duration} s each, server in its own process (NODE_ENV=production)`)
  console.log('| request | clients | pace | requests | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | errors |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  const conflictsBody = () => {
    const t = targets[next() % targets.length]
    return JSON.stringify({ query: CONFLICTS, variables: { t: t.type, k: t.key } })
  }
  await load('conflicts, key limited to MSK', scoped, conflictsBody)
  await load('conflicts, unscoped key', admin, conflictsBody)
  const searchBody = () => JSON.stringify({ query: SEARCH, variables: { q: words[next() % words.length] } })
  // also at the pace the issue 18 measurement used for search (30 a second)
  await load('search', scoped, searchBody, searchRate, false)
  await load('search', scoped, searchBody)
} finally {
  server.kill('SIGTERM')
}
