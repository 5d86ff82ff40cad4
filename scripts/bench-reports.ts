// Response times of the reports album's GraphQL reports (not run in tests):
//   npx tsx scripts/bench-reports.ts [--database-url postgresql://…] [--requests 40] [--prepare]
// Runs against a database that holds a `sverka seed` import and at least one full audit (default: the PostgreSQL database
// sverka_bench_1m — 1M addresses). `--prepare` first gives that database a lived-in state, once: the open findings' first
// sightings spread over the last 90 days with SLA dues to match, half of them acknowledged (events and all), one incident
// or complaint for about every third finding (linked to one or two of them, spread over the same 90 days), and a year of
// nightly trend points — copies of the newest full audit's stored scores under past runs (reading the trend costs the same
// whatever the numbers; running 365 audits at 1M would take hours). Then starts `sverka serve` in its own process and
// asks each report `--requests` times in a row (after a warm-up) with an unscoped key and with a key limited to one
// market, printing p50 / p95 / max in milliseconds — the target is p95 ≤ 300 ms.
import { createApiKey } from '../src/access/api-keys.ts'
import { openDatabase } from '../src/db/database.ts'
import { startServer } from './bench-server.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const url = option('--database-url', 'postgresql://postgres@127.0.0.1:5432/sverka_bench_1m')
const requests = Number(option('--requests', '40'))

const db = await openDatabase({ url })
const sql = db.sql
const one = async <T>(text: string) => (await sql.query<T>(text)).rows[0]

if (args.includes('--prepare')) {
  const started = performance.now()
  await sql.query(`
    WITH aged AS (SELECT id, now() - random() * interval '90 days' AS seen FROM finding WHERE status IN ('NEW', 'OPEN', 'REOPENED'))
    UPDATE finding f SET "firstSeenAt" = a.seen, "ackDueAt" = a.seen + interval '4 hours', "dueAt" = a.seen + interval '5 days'
    FROM aged a WHERE f.id = a.id`)
  await sql.query(`
    WITH picked AS (SELECT id, "firstSeenAt" + random() * interval '8 hours' AS at FROM finding WHERE status IN ('NEW', 'OPEN', 'REOPENED') AND random() < 0.5),
    events AS (INSERT INTO finding_event ("findingId", at, actor, action, "fromStatus", "toStatus") SELECT id, at, 'bench', 'acknowledged', 'NEW', 'ACKNOWLEDGED' FROM picked RETURNING "findingId", at)
    UPDATE finding f SET status = 'ACKNOWLEDGED', "acknowledgedAt" = e.at FROM events e WHERE f.id = e."findingId"`)
  await sql.query(`
    WITH chosen AS (SELECT id, "marketCode", row_number() OVER (ORDER BY md5(id::text)) AS n FROM finding WHERE status IN ('NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED')),
    made AS (
      INSERT INTO incident (kind, channel, "externalRef", description, "createdBy", "createdAt", "marketCode")
      SELECT CASE WHEN n % 4 = 0 THEN 'COMPLAINT' ELSE 'INCIDENT' END::"IncidentKind", 'PHONE', 'BENCH-' || n, 'bench', 'bench',
        now() - random() * interval '90 days', "marketCode"
      FROM chosen WHERE n % 3 = 0 RETURNING id, "externalRef")
    INSERT INTO finding_incident ("findingId", "incidentId", origin, actor)
    SELECT c.id, m.id, 'MANUAL', 'bench' FROM made m JOIN chosen c ON c.n = substr(m."externalRef", 7)::bigint OR c.n = substr(m."externalRef", 7)::bigint + 1`)
  const latest = await one<{ id: string } | undefined>(`SELECT r.id FROM audit_run r WHERE EXISTS (SELECT 1 FROM quality_score q WHERE q."runId" = r.id) ORDER BY r."finishedAt" DESC LIMIT 1`)
  if (!latest) throw new Error('no full audit with stored scores in this database: run `sverka audit` on it first')
  await sql.query(`
    WITH days AS (SELECT d FROM generate_series(1, 364) AS d),
    runs AS (
      INSERT INTO audit_run (trigger, actor, rules, "asOf", status, "startedAt", "finishedAt")
      SELECT 'SCHEDULE', 'bench', r.rules, r."asOf" - d, 'SUCCEEDED', r."startedAt" - d * interval '1 day', r."finishedAt" - d * interval '1 day'
      FROM audit_run r, days WHERE r.id = $1 RETURNING id)
    INSERT INTO quality_score ("runId", "marketCode", "entityType", records, clean)
    SELECT runs.id, q."marketCode", q."entityType", q.records, q.clean FROM runs, quality_score q WHERE q."runId" = $1`, [latest.id])
  await sql.query('ANALYZE')
  console.log(`prepared in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

const size = await one<{ addresses: number; open: number; incidents: number; runs: number }>(`SELECT
  (SELECT count(*) FROM address)::int AS addresses,
  (SELECT count(*) FROM finding WHERE status IN ('NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED', 'IN_PROGRESS'))::int AS open,
  (SELECT count(*) FROM incident)::int AS incidents,
  (SELECT count(DISTINCT "runId") FROM quality_score)::int AS runs`)
const market = (await one<{ code: string }>('SELECT code FROM market ORDER BY code LIMIT 1')).code
const admin = (await createApiKey(db.prisma, { role: 'ADMIN', name: 'bench-reports' })).key
const scoped = (await createApiKey(db.prisma, { role: 'NSI_SPECIALIST', markets: [market], name: `bench-reports ${market}` })).key
await db.close()

const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', DATABASE_URL: url }
const { endpoint, server } = await startServer(env)

const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString()
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString()
const REPORTS: [string, string][] = [
  ['qualityScores, a year of runs', `{ reports { qualityScores(from: "${yearAgo}") { runId score markets { market score entityTypes { entityType records clean score } } } } }`],
  ['findingsMatrix', '{ reports { findingsMatrix { ruleId market critical high medium low total } } }'],
  ['aging by rule', '{ reports { aging(by: RULE) { key under1Day days1to7 days7to30 over30Days total } } }'],
  ['aging by group', '{ reports { aging(by: GROUP) { key name under1Day days1to7 days7to30 over30Days total } } }'],
  ['bottlenecks, 30 days', `{ reports { bottlenecks(since: "${monthAgo}") { group line received acknowledgedInTime resolvedInTime overdue worst acknowledge { medianSeconds p90Seconds } resolve { medianSeconds p90Seconds } } } }`],
  ['incidentHotspots, 30 days', `{ reports { incidentHotspots(since: "${monthAgo}") { byRule { key incidents complaints } byMarket { key incidents complaints } } } }`],
  ['responseTimes, 30 days', `{ reports { responseTimes(since: "${monthAgo}") { group line open unacknowledged acknowledge { medianSeconds } resolve { medianSeconds } } } }`],
  ['slaBreaches, first 100', '{ reports { slaBreaches { total breaches { fingerprint lateSeconds } } } }'],
]

async function ask(key: string, query: string): Promise<number> {
  const started = performance.now()
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) })
  const answer = await response.json() as { errors?: unknown[] }
  if (!response.ok || answer.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(answer.errors ?? response.status)}`)
  return performance.now() - started
}

try {
  console.log(`Reports over GraphQL, PostgreSQL: ${size.addresses.toLocaleString('en')} addresses, ${size.open.toLocaleString('en')} open findings, `
    + `${size.incidents.toLocaleString('en')} incidents and complaints, ${size.runs} runs with scores; ${requests} requests in a row per report and key`)
  console.log('| report | key | p50 ms | p95 ms | max ms |')
  console.log('| --- | --- | ---: | ---: | ---: |')
  for (const [title, query] of REPORTS) {
    for (const [who, key] of [['unscoped', admin], [`limited to ${market}`, scoped]] as const) {
      for (let i = 0; i < 3; i++) await ask(key, query)
      const times: number[] = []
      for (let i = 0; i < requests; i++) times.push(await ask(key, query))
      times.sort((a, b) => a - b)
      const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)])
      console.log(`| ${title} | ${who} | ${p(0.5)} | ${p(0.95)} | ${p(1)} |`)
    }
  }
} finally {
  server.kill('SIGTERM')
}
