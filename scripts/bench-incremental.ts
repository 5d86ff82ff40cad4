// Micro-benchmark of the incremental re-check (not run in tests):
//   npx tsx scripts/bench-incremental.ts [--scale N] [--collisions 5%] [--runs N] [--database-url postgresql://…]
// A seed of N addresses imported into an embedded database under .bench/ (or the PostgreSQL database given,
// which must be empty or hold that seed), one full audit, then re-checks of single random records
// (equipment, contracts, addresses, customers), timed end to end; prints p50/p95/p99 and where the time went.
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openDatabase } from '../src/db/database.ts'
import { recheck, runAudit } from '../src/audits/run.ts'
import type { EntityRef } from '../src/records/model.ts'
import { importDirectory } from '../src/import/importer.ts'
import { generateSeed } from '../src/seed/generate.ts'
import { benchSeed } from './bench-seed.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const scale = option('--scale', 100_000)
const runs = option('--runs', 200)
const asOf = '2026-01-31'
const root = resolve('.bench')
// --collisions 5%: the seed with that share of records planted in collisions (issue 18), shared with `npm run bench -- --only audit`
const seeding = benchSeed(root, scale, args.includes('--collisions') ? args[args.indexOf('--collisions') + 1] : undefined)
const seedDir = seeding.dir
const dataDir = join(root, `incremental-pglite-${scale}${seeding.tag}`)
const url = args.includes('--database-url') ? args[args.indexOf('--database-url') + 1] : undefined
mkdirSync(root, { recursive: true })

const db = url ? await openDatabase({ url }) : await openDatabase({ dataDir })
const fresh = (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM address')).rows[0].n === 0
try {
  if (fresh) {
    if (!existsSync(join(seedDir, 'seed-meta.json'))) {
      console.log(`seed ${scale} → ${seedDir}`)
      await generateSeed({ scale, seed: 42, out: seedDir, asOf, collisions: seeding.share })
    }
    let t = performance.now()
    await importDirectory(db, seedDir)
    console.log(`import: ${((performance.now() - t) / 1000).toFixed(1)} s`)
    t = performance.now()
    await runAudit(db, { trigger: 'CLI', actor: 'bench', asOf })
    console.log(`full audit: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  const keys = async (text: string) => (await db.sql.query<{ k: string }>(text)).rows.map((r) => r.k)
  const pools: Array<[EntityRef['type'], string[]]> = [
    ['equipment', await keys(`SELECT "inventoryNo" AS k FROM equipment`)],
    ['contract', await keys(`SELECT number AS k FROM contract`)],
    ['address', await keys(`SELECT code AS k FROM address`)],
    ['customer', await keys(`SELECT code AS k FROM customer`)],
  ]
  // deterministic choice of records, so two runs time the same work
  let state = 42
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) >>> 8 // low bits of this generator repeat quickly
  const times: Record<string, number[]> = { all: [] }
  for (let i = 0; i < 10; i++) await recheck(db, [{ type: 'equipment', key: pools[0][1][i] }], { actor: 'bench', asOf }) // warm-up
  for (let i = 0; i < runs; i++) {
    const [type, list] = pools[next() % pools.length]
    const key = list[next() % list.length]
    const t = performance.now()
    await recheck(db, [{ type, key }], { actor: 'bench', asOf })
    const ms = performance.now() - t
    times.all.push(ms)
    ;(times[type] ??= []).push(ms)
  }
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]
  console.log(`incremental re-check of one record, ${scale.toLocaleString('en')} addresses, ${url ? 'PostgreSQL' : 'embedded database'}, ${runs} runs`)
  console.log('| records | n | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: |')
  for (const [name, xs] of Object.entries(times)) {
    console.log(`| ${name} | ${xs.length} | ${q(xs, 50).toFixed(1)} | ${q(xs, 95).toFixed(1)} | ${q(xs, 99).toFixed(1)} |`)
  }
  // the steps each re-check recorded on its run
  const { rows: runsTimed } = await db.sql.query<{ timings: Record<string, number> }>(
    `SELECT timings FROM audit_run WHERE trigger = 'INCREMENTAL' AND actor = 'bench' ORDER BY "startedAt" DESC LIMIT $1`, [runs])
  const steps = [...new Set(runsTimed.flatMap((r) => Object.keys(r.timings ?? {})))]
  console.log(`\nsteps (ms): ${steps.map((s) => { const xs = runsTimed.map((r) => r.timings[s] ?? 0); return `${s} p50 ${q(xs, 50)} p95 ${q(xs, 95)}` }).join(' · ')}`)
} finally {
  await db.close()
}
