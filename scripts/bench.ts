// Big-data benchmarks (not part of the tests): `npm run bench [-- --only seed,import,audit,quality] [--quick]`.
// Each measured step runs as a real `sverka` process under /usr/bin/time (wall time, peak RSS),
// and the results replace the matching section of BENCHMARKS.md, with the machine and the date.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/db/database.ts'
import { benchSeed } from './bench-seed.ts'
import { evaluateQualitySet, evaluateSeedSet, scoreTable, type QualityRun } from '../test/quality/evaluate.ts'
import { writeQualitySet } from '../test/quality/generate.ts'

const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['seed', 'import', 'audit']
const quick = args.includes('--quick')
const root = resolve('.bench')
const adminUrl = process.env.SVERKA_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
mkdirSync(root, { recursive: true })

interface Timed { seconds: number; maxRssMb: number; stdout: string }

function timed(command: string[], env: Record<string, string | undefined> = {}): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', ...command], {
    encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, maxBuffer: 64 << 20,
  })
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr)
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`${command.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`)
  return { seconds: Number(m[1]), maxRssMb: Math.round(Number(m[2]) / 1024), stdout: r.stdout }
}

const sverka = (...a: string[]) => [process.execPath, 'src/cli/sverka.mjs', ...a]

function seedDir(scale: number) {
  const dir = join(root, `seed-${scale}`)
  if (!existsSync(join(dir, 'seed-meta.json'))) {
    const t = timed(sverka('seed', '--scale', String(scale), '--seed', '42', '--out', dir))
    writeFileSync(join(dir, 'bench-seed-time.json'), JSON.stringify(t))
  }
  return dir
}

function rowsIn(dir: string) {
  const meta = JSON.parse(readFileSync(join(dir, 'seed-meta.json'), 'utf8')) as { counts: Record<string, number> }
  return Object.values(meta.counts).reduce((a, b) => a + b, 0)
}

const sections: Record<string, string> = {}
const peerDetails: string[] = []
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const today = new Date().toISOString().slice(0, 10)

if (only.includes('seed')) {
  const scales = quick ? [10_000] : [100_000, 1_000_000]
  const lines = ['| addresses | rows written | seconds | peak RSS MB |', '| ---: | ---: | ---: | ---: |']
  for (const scale of scales) {
    const dir = join(root, `seed-only-${scale}`)
    rmSync(dir, { recursive: true, force: true })
    const t = timed(sverka('seed', '--scale', String(scale), '--seed', '7', '--out', dir))
    lines.push(`| ${scale.toLocaleString('en')} | ${rowsIn(dir).toLocaleString('en')} | ${t.seconds.toFixed(1)} | ${t.maxRssMb} |`)
    console.log(lines.at(-1))
    rmSync(dir, { recursive: true, force: true })
  }
  sections.seed = `Command: \`npm run bench -- --only seed\` (\`sverka seed --scale N\`). ${machine}; ${today}.\n\n${lines.join('\n')}`
}

if (only.includes('import')) {
  // scale → about 5.4 rows per address over the seven files: ~100k and ~1M rows
  const scales = quick ? [2_000] : [18_500, 185_000]
  const lines = ['| rows | database | first import s | rows/s | peak RSS MB | second import s (unchanged) |', '| ---: | --- | ---: | ---: | ---: | ---: |']
  for (const scale of scales) {
    const dir = seedDir(scale)
    const rows = rowsIn(dir)
    // embedded: a new data directory each time
    const dataDir = join(root, `data-${scale}`)
    rmSync(dataDir, { recursive: true, force: true })
    const env = { SVERKA_DATA_DIR: dataDir, DATABASE_URL: undefined }
    timed(sverka('apikey', 'list'), env) // create the cluster outside the measurement
    const first = timed(sverka('import', dir), env)
    const second = timed(sverka('import', dir), env)
    if (!/No changes/.test(second.stdout)) throw new Error(`second import changed something:\n${second.stdout}`)
    lines.push(`| ${rows.toLocaleString('en')} | PGlite (embedded) | ${first.seconds.toFixed(1)} | ${Math.round(rows / first.seconds).toLocaleString('en')} | ${first.maxRssMb} | ${second.seconds.toFixed(1)} |`)
    console.log(lines.at(-1))
    rmSync(dataDir, { recursive: true, force: true })
    // PostgreSQL: a new database each time
    const name = `sverka_bench_${scale}_${process.pid}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    try {
      const url = adminUrl.replace(/\/[^/]*$/, `/${name}`)
      timed(sverka('apikey', 'list'), { DATABASE_URL: url })
      const pfirst = timed(sverka('import', dir), { DATABASE_URL: url })
      const psecond = timed(sverka('import', dir), { DATABASE_URL: url })
      if (!/No changes/.test(psecond.stdout)) throw new Error(`second import changed something:\n${psecond.stdout}`)
      lines.push(`| ${rows.toLocaleString('en')} | PostgreSQL 15 (local) | ${pfirst.seconds.toFixed(1)} | ${Math.round(rows / pfirst.seconds).toLocaleString('en')} | ${pfirst.maxRssMb} | ${psecond.seconds.toFixed(1)} |`)
      console.log(lines.at(-1))
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    }
  }
  sections.import = `Command: \`npm run bench -- --only import\` (\`sverka import\` of a \`sverka seed\` directory, all seven files, as a separate process; wall time includes start-up and migrations check). ${machine}; ${today}.\n\n${lines.join('\n')}`
}

if (only.includes('audit')) {
  const scales = quick ? [2_000] : args.includes('--scales') ? args[args.indexOf('--scales') + 1].split(',').map(Number) : [100_000, 1_000_000]
  // issue 18: audits are measured where collisions are as common as in real master data (≥ 5 % of records)
  const collisions = args.includes('--collisions') ? args[args.indexOf('--collisions') + 1] : '5%'
  const backendsAsked = args.includes('--backends') ? args[args.indexOf('--backends') + 1].split(',') : ['postgres', 'pglite']
  const lines = [
    '| addresses | rows | collisions | database | import s | audit | findings | wall s | run s | detection | reconcile (fingerprints / staging / seen / new / resolved) | routing | report | quality | peak RSS MB | SQL peer s |',
    '| ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  const ruleLines: string[] = []
  for (const scale of scales) {
    const dir = benchSeed(root, scale, collisions).dir
    if (!existsSync(join(dir, 'seed-meta.json'))) timed(sverka('seed', '--scale', String(scale), '--seed', '42', '--collisions', collisions, '--out', dir))
    const meta = JSON.parse(readFileSync(join(dir, 'seed-meta.json'), 'utf8')) as { asOf: string; counts: Record<string, number>; collisionRate?: number }
    const rows = Object.values(meta.counts).reduce((a, b) => a + b, 0)
    const share = meta.collisionRate === undefined ? '—' : `${(meta.collisionRate * 100).toFixed(2)} %`
    const audit = (env: Record<string, string | undefined>) =>
      timed(sverka('audit', '--as-of', meta.asOf, '--format', 'json', '--out', join(root, 'report.json')), env)
    const findings = () => (JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as { findings: unknown[] }).findings.length
    // three audits: the first finds everything new; the second confirms it (NEW → OPEN, one event each); the third has
    // nothing to change at all — the «second audit with no change» of issue 18
    const labels = ['1st (all new)', '2nd (NEW → OPEN)', '3rd (no change)']
    const measure = async (database: string, env: Record<string, string | undefined>, read: () => Promise<Timings>, importSeconds: number, peer: string) => {
      for (const [i, label] of labels.entries()) {
        const t = audit(env)
        const count = findings()
        const run = await read()
        const steps = run.reconcileSteps ?? {}
        lines.push(`| ${scale.toLocaleString('en')} | ${rows.toLocaleString('en')} | ${share} | ${database} | ${i === 0 ? importSeconds.toFixed(1) : ''} | ${label} | ${count.toLocaleString('en')} | ${t.seconds.toFixed(1)} | ${sec(run.total)} | ${sec(run.detection)} | ${sec(run.reconcile)} (${[steps.fingerprint, steps.stage, steps.seen, steps.created, steps.resolved].map(sec).join(' / ')}) | ${sec(run.routing)} | ${sec(run.report)} | ${sec(run.quality)} | ${t.maxRssMb} | ${i === 0 ? peer : ''} |`)
        console.log(lines.at(-1))
        if (i === 0) ruleLines.push(`- ${scale.toLocaleString('en')} addresses, ${database}, first audit: ${Object.entries(run.rules ?? {}).sort((a, b) => b[1] - a[1]).map(([r, ms]) => `${r} ${sec(ms)}`).join(' · ')}`)
      }
    }
    if (backendsAsked.includes('postgres')) {
      // PostgreSQL, with the plain-SQL peer on the same data
      const name = `sverka_bench_audit_${scale}_${process.pid}`
      const admin = new pg.Client({ connectionString: adminUrl })
      await admin.connect()
      await admin.query(`CREATE DATABASE "${name}"`)
      try {
        const url = adminUrl.replace(/\/[^/]*$/, `/${name}`)
        const imported = timed(sverka('import', dir), { DATABASE_URL: url })
        const peer = await sqlPeer(url, meta.asOf)
        console.log(`  SQL peer per check: ${peer.detail}`)
        peerDetails.push(`- ${scale.toLocaleString('en')} addresses: ${peer.detail}`)
        await measure('PostgreSQL 15 (local)', { DATABASE_URL: url }, () => lastRunTimings(url), imported.seconds, peer.total)
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
        await admin.end()
      }
    }
    if (backendsAsked.includes('pglite')) {
      const dataDir = join(root, `data-audit-${scale}`)
      rmSync(dataDir, { recursive: true, force: true })
      const env = { SVERKA_DATA_DIR: dataDir, DATABASE_URL: undefined }
      const imported = timed(sverka('import', dir), env)
      await measure('PGlite (embedded)', env, async () => {
        // the CLI keeps its embedded database in <SVERKA_DATA_DIR>/db
        const db = await openDatabase({ dataDir: join(dataDir, 'db') })
        try {
          return (await db.sql.query<{ timings: Timings }>(`SELECT timings FROM audit_run ORDER BY "startedAt" DESC LIMIT 1`)).rows[0].timings
        } finally {
          await db.close()
        }
      }, imported.seconds, '—')
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  sections.audit = `Command: \`npm run bench -- --only audit [--scales N,M] [--collisions 5%] [--backends postgres,pglite]\`: \`sverka seed --scale N --collisions 5%\` (that share of all records planted in collisions), \`sverka import\`, then \`sverka audit --as-of <seed as-of> --format json\` three times, each a separate process timed with /usr/bin/time. «wall» is the process (start-up, catalogue, detection, the run's transaction, the report written); the other columns are the run's own \`audit_run.timings\` in seconds: the whole run, detection (the rules, two at a time on PostgreSQL), the reconcile with its steps (fingerprinting the detection in Node / staging it in the database / findings seen again / new findings with their entities, events and routing / resolved ones), the routing of the run's findings to groups with their SLA, the report's read and the quality score. The SQL peer runs the same 14 checks as plain SQL (GROUP BY, \`daterange\` overlap, \`pg_trgm\` similarity for the street-name typos) on the same PostgreSQL data, one statement per check, and only counts rows: it persists nothing. ${machine}; ${today}.\n\n${lines.join('\n')}\n\nDetection per rule, seconds (rules overlap, so they add up to more than the detection column):\n${ruleLines.join('\n')}\n\nSQL peer, seconds per check:\n${peerDetails.join('\n')}`
}

type Timings = Record<string, number> & { rules?: Record<string, number>; reconcileSteps?: Record<string, number> }
function sec(ms: number | undefined) {
  return ms === undefined ? '—' : (ms / 1000).toFixed(2)
}

async function lastRunTimings(url: string): Promise<Timings> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ timings: Timings }>(`SELECT timings FROM audit_run ORDER BY "startedAt" DESC LIMIT 1`)).rows[0].timings
  } finally {
    await client.end()
  }
}

if (only.includes('quality')) {
  // the independent labelled set (test/quality/generate.ts), imported into a fresh embedded database and audited in this process
  const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
  const options = { seed: option('--seed', 20261205), addresses: option('--addresses', quick ? 1_000 : 10_000), customers: option('--customers', quick ? 500 : 5_000) }
  const dir = join(root, `quality-${options.seed}-${options.addresses}-${options.customers}`)
  rmSync(dir, { recursive: true, force: true })
  const labels = writeQualitySet(options, dir)
  const db = await openDatabase({ memory: true })
  try {
    const run = await evaluateQualitySet(db, dir, labels)
    const table = scoreTable(run.scores)
    console.log(table.join('\n'))
    for (const [rule, s] of Object.entries(run.scores)) {
      if (s.falsePositives.length) console.log(`  ${rule} wrong, for example: ${s.falsePositives.join(', ')}`)
      if (s.missed.length) console.log(`  ${rule} missed, for example: ${s.missed.join(', ')}`)
    }
    const records = `${Object.keys(labels.addresses).length.toLocaleString('en')} addresses (${new Set(Object.values(labels.addresses)).size.toLocaleString('en')} places, ${labels.hardNegatives.addresses.length} hard-negative pairs) and ${Object.keys(labels.customers).length.toLocaleString('en')} customers (${new Set(Object.values(labels.customers)).size.toLocaleString('en')} customers, ${labels.hardNegatives.customers.length} hard-negative pairs), seed ${options.seed}`
    sections.quality = `Command: \`npm run bench -- --only quality [--addresses N --customers M --seed S]\`: the independent labelled set of \`test/quality/generate.ts\` (its own code and vocabulary, not \`sverka seed\`: real Russian street and settlement names, notation/order/case/«ё»/one-slip variants, hard negatives), imported into a fresh embedded database and audited with the three rules it is labelled for; pairwise precision and recall against the labels (address-incomplete: per record). ${records}. Import ${run.importSeconds.toFixed(1)} s, audit ${run.auditSeconds.toFixed(1)} s. ${machine}; ${today}.\n\n${table.join('\n')}`
  } finally {
    await db.close()
  }
  // and the seed's own data against its planted ground truth, at each scale (an embedded database on disk)
  const seedScales = args.includes('--seed-scales') ? args[args.indexOf('--seed-scales') + 1].split(',').map(Number) : quick ? [2_000] : [100_000]
  const seedLines: string[] = []
  for (const scale of seedScales) {
    const seedDir = join(root, `seed-quality-${scale}`)
    if (!existsSync(join(seedDir, 'seed-meta.json'))) timed(sverka('seed', '--scale', String(scale), '--seed', '42', '--out', seedDir))
    const dataDir = join(root, `data-quality-${scale}`)
    rmSync(dataDir, { recursive: true, force: true })
    const seedDb = await openDatabase({ dataDir })
    let run: QualityRun
    try {
      run = await evaluateSeedSet(seedDb, seedDir)
    } finally {
      await seedDb.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
    console.log(`sverka seed --scale ${scale}: import ${run.importSeconds.toFixed(1)} s, audit of the three rules ${run.auditSeconds.toFixed(1)} s`)
    const table = scoreTable(run.scores)
    console.log(table.join('\n'))
    seedLines.push(`\`sverka seed --scale ${scale.toLocaleString('en')}\` (import ${run.importSeconds.toFixed(1)} s, audit ${run.auditSeconds.toFixed(1)} s):`, '', ...table, '')
  }
  if (seedLines.length) sections.quality = `${sections.quality ?? ''}\n\nThe same grading on \`sverka seed\` data against its planted ground truth (\`ground-truth.jsonl\`; the seed plants no other collision), \`--seed-scales N,M\`, embedded database:\n\n${seedLines.join('\n').trim()}`
}

/** The same checks as one SQL statement each, the way a SQL-minded auditor would write them. */
async function sqlPeer(url: string, asOf: string) {
  const active = `('ACTIVE','SUSPENDED')`
  const checks: Record<string, string> = {
    'duplicate-serial': `SELECT "serialNorm", array_agg("inventoryNo") FROM equipment WHERE status <> 'DECOMMISSIONED' AND "serialNorm" IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
    'duplicate-mac': `SELECT "macNorm", array_agg("inventoryNo") FROM equipment WHERE status <> 'DECOMMISSIONED' AND "macNorm" IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
    'contract-overlap': `SELECT a.number, b.number FROM contract a JOIN contract b ON a."addressId" = b."addressId" AND a."productId" = b."productId" AND a.id < b.id
      WHERE a.status IN ${active} AND b.status IN ${active} AND (a."validTo" IS NULL OR a."validTo" >= a."validFrom") AND (b."validTo" IS NULL OR b."validTo" >= b."validFrom")
        AND daterange(a."validFrom", a."validTo", '[]') && daterange(b."validFrom", b."validTo", '[]')`,
    'invalid-period': `SELECT number FROM contract WHERE "validTo" < "validFrom"`,
    'on-inactive-contract': `SELECT e."inventoryNo" FROM equipment e JOIN contract c ON c.id = e."contractId" WHERE e.status = 'INSTALLED' AND (c.status IN ('TERMINATED','DRAFT') OR c."validTo" < $1::date)`,
    'address-mismatch': `SELECT e."inventoryNo" FROM equipment e JOIN contract c ON c.id = e."contractId" WHERE e.status = 'INSTALLED' AND e."addressId" IS DISTINCT FROM c."addressId"`,
    'without-contract': `SELECT "inventoryNo" FROM equipment WHERE status = 'INSTALLED' AND "contractId" IS NULL`,
    'type-mismatch': `SELECT e."inventoryNo" FROM equipment e JOIN contract c ON c.id = e."contractId" JOIN product cp ON cp.id = c."productId" JOIN product ep ON ep.id = e."productId"
      WHERE e.status = 'INSTALLED' AND cp."equipmentTypeId" IS NOT NULL AND ep."equipmentTypeId" IS DISTINCT FROM cp."equipmentTypeId"`,
    'missing-equipment': `SELECT c.number FROM contract c JOIN product p ON p.id = c."productId"
      WHERE c.status IN ${active} AND p."equipmentTypeId" IS NOT NULL AND c."validFrom" <= $1::date AND (c."validTo" IS NULL OR c."validTo" >= $1::date)
        AND NOT EXISTS (SELECT 1 FROM equipment e JOIN product ep ON ep.id = e."productId" WHERE e."contractId" = c.id AND e.status = 'INSTALLED' AND ep."equipmentTypeId" = p."equipmentTypeId")`,
    'not-in-market': `SELECT c.number FROM contract c WHERE NOT EXISTS (SELECT 1 FROM product_market pm WHERE pm."productId" = c."productId" AND pm."marketId" = c."marketId")`,
    'discontinued': `SELECT c.number FROM contract c JOIN product p ON p.id = c."productId" WHERE c."validFrom" > p."validTo"`,
    'address-duplicate (exact)': `SELECT normalized, array_agg(code) FROM address GROUP BY 1 HAVING count(*) > 1`,
    'address-duplicate (pg_trgm typo)': `SELECT a.code, b.code FROM address a JOIN address b
      ON a.city IS NOT DISTINCT FROM b.city AND a."streetType" IS NOT DISTINCT FROM b."streetType" AND a.house = b.house
     AND a.building IS NOT DISTINCT FROM b.building AND a.structure IS NOT DISTINCT FROM b.structure AND a.apartment IS NOT DISTINCT FROM b.apartment
     AND a.id < b.id AND a."streetName" <> b."streetName" WHERE similarity(lower(a."streetName"), lower(b."streetName")) > 0.6`,
    'customer-duplicate': `SELECT inn, array_agg(code) FROM customer WHERE inn IS NOT NULL GROUP BY 1 HAVING count(*) > 1
      UNION ALL SELECT "phoneNorm" || ' ' || "nameNorm", array_agg(code) FROM customer WHERE "phoneNorm" IS NOT NULL GROUP BY "phoneNorm", "nameNorm" HAVING count(*) > 1`,
    'address-incomplete': `SELECT code FROM address WHERE house IS NULL OR ("postalCode" IS NOT NULL AND "postalCode" !~ '^[0-9]{6}$')`,
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm')
  await client.query(`SET statement_timeout = '${process.env.SVERKA_BENCH_PEER_TIMEOUT ?? '300s'}'`)
  let total = 0
  let timedOut = false
  const parts: string[] = []
  try {
    for (const [name, text] of Object.entries(checks)) {
      const started = performance.now()
      try {
        const r = await client.query(text, text.includes('$1') ? [asOf] : [])
        const s = (performance.now() - started) / 1000
        total += s
        parts.push(`${name} ${s.toFixed(2)} (${r.rowCount} rows)`)
      } catch (e) {
        // a check the server cannot finish in time counts with the time it was given
        if (!/statement timeout/.test((e as Error).message)) throw e
        const s = (performance.now() - started) / 1000
        total += s
        timedOut = true
        parts.push(`${name} > ${s.toFixed(0)} (stopped by statement_timeout)`)
      }
    }
  } finally {
    await client.end()
  }
  return { total: `${timedOut ? '> ' : ''}${total.toFixed(1)}`, detail: parts.join(' · ') }
}

// replace <!-- bench:NAME --> … <!-- /bench:NAME --> sections, keep the rest of BENCHMARKS.md
if (!quick) {
  const file = 'BENCHMARKS.md'
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  for (const [name, body] of Object.entries(sections)) {
    const block = `<!-- bench:${name} -->\n${body}\n<!-- /bench:${name} -->`
    const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`)
    text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n## ${name}\n${block}\n`
  }
  writeFileSync(file, text)
  console.log(`updated ${file}`)
}
