// Bulk merging of duplicate addresses at 1M addresses (not run in tests; issue 17: ≤ 2 minutes for 10,000 groups):
//   npm run bench:merge -- --prepare      once: seed, plant, import, full audit into the PostgreSQL database sverka_bench_merge
//   npm run bench:merge [-- --keep]       each time: a copy of it, then `sverka merge --from-findings address-duplicate` timed
// `--prepare` writes `sverka seed --scale 1000000` (1M addresses) under .bench/, then plants GROUPS more duplicate groups of
// its own: for that many addresses written as text only, a second spelling of the same place (ул. ↔ улица, «д.» dropped,
// «г.» added or dropped — checked to normalise to the original's form) under a new key, with a terminated contract of the
// original's customer and product on it, so that every merge has a contract to move. It imports that into the database
// sverka_bench_merge (dropped first) and runs a full audit, as of the seed's date. A run clones that database
// (CREATE DATABASE … TEMPLATE: the prepared one stays as it is, so a run can be repeated), runs the merge as a separate
// process under /usr/bin/time with `--report`, checks what the report says against the database and writes the figure
// into BENCHMARKS.md's «merge» section. Options: --groups N (planted groups, default 10000), --admin-url postgresql://….
import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync, copyFileSync, readdirSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { normalizeAddress } from '../src/addresses/parse.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const SCALE = 1_000_000
const GROUPS = Number(option('--groups', '10000'))
const RULE = 'address-duplicate'
const adminUrl = option('--admin-url', process.env.SVERKA_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres')
const PREPARED = 'sverka_bench_merge'
const RUN = 'sverka_bench_merge_run'
const urlOf = (name: string) => adminUrl.replace(/\/[^/]*$/, `/${name}`)
const root = resolve('.bench')
const seedDir = join(root, `merge-seed-${SCALE}`)
const plantedDir = join(root, `merge-planted-${SCALE}-${GROUPS}`)
mkdirSync(root, { recursive: true })

interface Timed { seconds: number; maxRssMb: number; stdout: string; stderr: string; status: number | null }

/** A `sverka` process under /usr/bin/time: wall seconds and peak RSS; exit codes 0 and 1 are answers, not failures. */
function sverka(env: Record<string, string>, ...command: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', process.execPath, 'src/cli/sverka.mjs', ...command], {
    encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, maxBuffer: 256 << 20,
  })
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr)
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`sverka ${command.join(' ')} failed (${r.status}):\n${r.stderr.slice(-3000)}`)
  return { seconds: Number(m[1]), maxRssMb: Math.round(Number(m[2]) / 1024), stdout: r.stdout, stderr: r.stderr, status: r.status }
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try { return await fn(client) } finally { await client.end() }
}

/** One CSV line split into cells (the seed quotes cells with a comma; no line breaks inside cells). */
function cells(line: string): string[] {
  const out: string[] = []
  let i = 0
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = ''
      i++
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2 } else if (line[i] === '"') { i++; break } else value += line[i++]
      }
      out.push(value)
      i++ // the comma
    } else {
      const end = line.indexOf(',', i)
      out.push(line.slice(i, end < 0 ? line.length : end))
      i = end < 0 ? line.length + 1 : end + 1
    }
  }
  return out
}
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

async function* lines(file: string) {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  for await (const line of rl) yield line
}

/** Another way people write the same address; null when none of the rewrites applies. */
function respell(text: string, n: number): string | null {
  const rewrites: Array<(t: string) => string> = [
    (t) => (/(^|[\s,])ул\.\s/.test(t) ? t.replace(/(^|[\s,])ул\.\s/, '$1улица ') : t.replace(/(^|[\s,])улица\s/, '$1ул. ')),
    (t) => t.replace(/(^|[\s,])д\.\s/, '$1'),
    (t) => (/(^|[\s,])г\.\s/.test(t) ? t.replace(/(^|[\s,])г\.\s/, '$1') : t),
  ]
  for (let k = 0; k < rewrites.length; k++) {
    const variant = rewrites[(n + k) % rewrites.length](text)
    if (variant !== text) return variant
  }
  return null
}

async function plant() {
  if (!existsSync(join(seedDir, 'seed-meta.json'))) {
    console.log(`sverka seed --scale ${SCALE} → ${seedDir}`)
    sverka({}, 'seed', '--scale', String(SCALE), '--seed', '42', '--out', seedDir)
  }
  // the seed's own duplicates and other planted collisions stay as they are: their addresses are not picked
  const taken = new Set<string>()
  for (const line of readFileSync(join(seedDir, 'ground-truth.jsonl'), 'utf8').split('\n')) {
    if (!line) continue
    for (const e of (JSON.parse(line) as { entities: Array<{ type: string; key: string }> }).entities) if (e.type === 'address') taken.add(e.key)
  }
  // text-only addresses, every few hundredth, with a respelling that normalises to the same place
  const candidates = new Map<string, { text: string; variant: string }>()
  let n = 0
  const stride = Math.max(1, Math.floor(SCALE / (GROUPS * 3)))
  for await (const line of lines(join(seedDir, 'addresses.csv'))) {
    if (n++ === 0 || n % stride !== 0) continue
    const [code, text, ...rest] = cells(line)
    if (taken.has(code) || rest.some((v) => v !== '')) continue
    const variant = respell(text, candidates.size)
    if (!variant || normalizeAddress({ text: variant }).normalized !== normalizeAddress({ text }).normalized) continue
    candidates.set(code, { text, variant })
  }
  // each picked address's first contract lends its customer, product and market to the planted one
  const contractOf = new Map<string, string[]>()
  let header = true
  for await (const line of lines(join(seedDir, 'contracts.csv'))) {
    if (header) { header = false; continue }
    const row = cells(line)
    if (candidates.has(row[2]) && !contractOf.has(row[2])) contractOf.set(row[2], row)
  }
  const picked = [...candidates.keys()].filter((code) => contractOf.has(code)).slice(0, GROUPS)
  if (picked.length < GROUPS) throw new Error(`only ${picked.length} addresses fit for planting; ask for fewer --groups`)
  rmSync(plantedDir, { recursive: true, force: true })
  mkdirSync(plantedDir)
  for (const file of readdirSync(seedDir)) {
    if (file === 'addresses.csv' || file === 'contracts.csv') copyFileSync(join(seedDir, file), join(plantedDir, file))
    else if (file.endsWith('.csv')) symlinkSync(join(seedDir, file), join(plantedDir, file))
  }
  const addresses: string[] = []
  const contracts: string[] = []
  picked.forEach((code, i) => {
    const key = `A-M${String(i + 1).padStart(6, '0')}`
    addresses.push([key, csvCell(candidates.get(code)!.variant), '', '', '', '', '', '', ''].join(','))
    const [, customer, , product, market] = contractOf.get(code)!
    // terminated long ago: moved onto the survivor it overlaps nothing and needs no device
    contracts.push([`D-M${String(i + 1).padStart(6, '0')}`, customer, key, product, market, 'TERMINATED', '2015-01-01', '2015-12-31'].join(','))
  })
  appendFileSync(join(plantedDir, 'addresses.csv'), `${addresses.join('\n')}\n`)
  appendFileSync(join(plantedDir, 'contracts.csv'), `${contracts.join('\n')}\n`)
  writeFileSync(join(plantedDir, 'planted.json'), JSON.stringify(picked.map((code, i) => [code, `A-M${String(i + 1).padStart(6, '0')}`])))
  console.log(`planted ${picked.length} duplicate groups (each with a contract) → ${plantedDir}`)
}

const asOf = (JSON.parse(readFileSync(join(seedDir, 'seed-meta.json'), 'utf8')) as { asOf: string }).asOf

if (args.includes('--prepare')) {
  const started = performance.now()
  await plant()
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${RUN}" WITH (FORCE)`)
    await c.query(`DROP DATABASE IF EXISTS "${PREPARED}" WITH (FORCE)`)
    await c.query(`CREATE DATABASE "${PREPARED}"`)
  })
  const env = { DATABASE_URL: urlOf(PREPARED) }
  const imported = sverka(env, 'import', plantedDir)
  console.log(`import: ${imported.seconds.toFixed(1)} s`)
  const full = sverka(env, 'audit', '--as-of', asOf, '--format', 'json', '--out', join(root, 'merge-audit.json'))
  console.log(`full audit: ${full.seconds.toFixed(1)} s`)
  const client = new pg.Client({ connectionString: urlOf(PREPARED) })
  await client.connect()
  await client.query('VACUUM ANALYZE')
  await client.end()
  console.log(`prepared ${PREPARED} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  if (!args.includes('--run')) process.exit(0)
}

if (!existsSync(join(plantedDir, 'planted.json'))) throw new Error(`no prepared data: run \`npm run bench:merge -- --prepare\` first`)
const concurrency = option('--concurrency', '')
await admin(async (c) => {
  const prepared = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [PREPARED])
  if (prepared.rowCount === 0) throw new Error(`no database ${PREPARED}: run \`npm run bench:merge -- --prepare\` first`)
  await c.query(`DROP DATABASE IF EXISTS "${RUN}" WITH (FORCE)`)
  const t = performance.now()
  await c.query(`CREATE DATABASE "${RUN}" TEMPLATE "${PREPARED}"`)
  console.log(`copied ${PREPARED} → ${RUN} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
})
const run = new pg.Client({ connectionString: urlOf(RUN) })
await run.connect()
const one = async <T>(text: string, params: unknown[] = []) => (await run.query(text, params)).rows[0] as T
const OPEN = `status IN ('NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED')`
const before = await one<{ addresses: number; open: number }>(`SELECT (SELECT count(*) FROM address)::int AS addresses,
  (SELECT count(*) FROM finding WHERE "ruleId" = $1 AND ${OPEN})::int AS open`, [RULE])

const reportFile = join(root, 'merge-report.csv')
// other work on the machine shows in the figure: its load average is written beside it
const loadBefore = loadavg()[0]
const merged = sverka({ DATABASE_URL: urlOf(RUN) }, 'merge', '--from-findings', RULE, '--as-of', asOf, '--report', reportFile, '--json',
  ...(concurrency ? ['--concurrency', concurrency] : []))
const report = JSON.parse(merged.stdout) as {
  counts: { groups: number; merged: number; skipped: Record<string, number>; failed: number }
  recheck: { rules: string[]; changes: number; resolved: number; created: number; reopened: number; ms: number } | null
  resolvedGroups: number
  timings: { select: number; merge: number; recheck: number; total: number }
  groups: Array<{ outcome: string; keys: string[]; error?: string }>
}
const loadAfter = loadavg()[0]
const after = await one<{ addresses: number; open: number; stranded: number; aliases: number }>(`SELECT (SELECT count(*) FROM address)::int AS addresses,
  (SELECT count(*) FROM finding WHERE "ruleId" = $1 AND ${OPEN})::int AS open,
  (SELECT count(*) FROM contract c JOIN address a ON a.id = c."addressId" WHERE c.number LIKE 'D-M%' AND a.code LIKE 'A-M%')::int AS stranded,
  (SELECT count(*) FROM record_alias WHERE "entityType" = 'address')::int AS aliases`, [RULE])
await run.end()
if (!args.includes('--keep')) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${RUN}" WITH (FORCE)`))

const c = report.counts
const skipped = Object.entries(c.skipped).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`).join(', ') || 'none'
const removed = report.groups.filter((g) => g.outcome === 'merged').reduce((n, g) => n + g.keys.length - 1, 0)
console.log(`merge: ${merged.seconds.toFixed(1)} s wall (${(report.timings.total / 1000).toFixed(1)} s in the command), peak RSS ${merged.maxRssMb} MB`)
console.log(`groups ${c.groups}: merged ${c.merged}, skipped ${skipped}, failed ${c.failed}; addresses ${before.addresses} → ${after.addresses}; open ${RULE} ${before.open} → ${after.open}; merged groups' findings resolved ${report.resolvedGroups}`)
for (const g of report.groups.filter((x) => x.outcome === 'failed').slice(0, 5)) console.log(`  failed: ${g.keys.join(', ')}: ${g.error}`)
const checks = [
  [c.merged >= GROUPS, `merged ${c.merged} < ${GROUPS} groups`],
  [before.addresses - after.addresses === removed, `addresses fell by ${before.addresses - after.addresses}, the merges removed ${removed}`],
  [after.aliases === removed, `${after.aliases} address aliases for ${removed} removed members`],
  [after.stranded === 0, `${after.stranded} planted contracts still on a planted address`],
  [report.resolvedGroups === c.merged, `${report.resolvedGroups} of ${c.merged} merged groups' findings resolved`],
] as const
const failed = checks.filter(([ok]) => !ok).map(([, why]) => why)
if (failed.length) console.log(`CHECKS FAILED: ${failed.join('; ')}`)

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const t = report.timings
const r = report.recheck
const body = `Command: \`npm run bench:merge\` (\`-- --prepare\` once: \`sverka seed --scale 1000000\` plus ${GROUPS.toLocaleString('en')} planted duplicate groups — a second spelling of an existing address, ул. ↔ улица, «д.» dropped, «г.» added or dropped, each with a contract of its own to move — imported into PostgreSQL 15 (local) and audited in full; each run works on a copy of that database). Timed: \`sverka merge --from-findings ${RULE} --as-of ${asOf}\` as a separate process under /usr/bin/time (wall time includes start-up, choosing the groups, the merges ${concurrency || 8} at a time with no re-check each, and one re-check over all they touched). ${machine}; ${new Date().toISOString().slice(0, 10)}.

| addresses | open ${RULE} findings | groups merged | skipped | failed | wall s | choose s | merges s | re-check s | merges/s | peak RSS MB | load avg before / after |
| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${before.addresses.toLocaleString('en')} | ${before.open.toLocaleString('en')} | ${c.merged.toLocaleString('en')} | ${skipped} | ${c.failed} | ${merged.seconds.toFixed(1)} | ${(t.select / 1000).toFixed(1)} | ${(t.merge / 1000).toFixed(1)} | ${(t.recheck / 1000).toFixed(1)} | ${Math.round(c.merged / (t.merge / 1000))} | ${merged.maxRssMb} | ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} |

After the run: ${after.addresses.toLocaleString('en')} addresses (${removed.toLocaleString('en')} members removed, ${after.aliases.toLocaleString('en')} aliases), ${report.resolvedGroups.toLocaleString('en')} of the merged groups' findings resolved, ${after.open.toLocaleString('en')} ${RULE} findings open${r ? `; the re-check ran ${r.rules.length} rules over ${r.changes.toLocaleString('en')} changed records (past RECHECK_CAP a rule runs whole): resolved ${r.resolved.toLocaleString('en')}, new ${r.created}, reopened ${r.reopened}` : ''}.${failed.length ? ` **Checks failed: ${failed.join('; ')}.**` : ''}`
console.log(body)
if (!args.includes('--no-write')) {
  const file = 'BENCHMARKS.md'
  let text = readFileSync(file, 'utf8')
  const block = `<!-- bench:merge -->\n${body}\n<!-- /bench:merge -->`
  const re = /<!-- bench:merge -->[\s\S]*?<!-- \/bench:merge -->/
  text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n## merge\n${block}\n`
  writeFileSync(file, text)
  console.log(`updated ${file}`)
}
if (failed.length) process.exitCode = 1
