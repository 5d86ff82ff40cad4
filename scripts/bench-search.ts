// Benchmark of search() for support agents (not run in tests):
//   npx tsx scripts/bench-search.ts [--scale N] [--collisions 5%] [--per-kind N] [--database-url postgresql://…]
// The 100k seed of .bench/seed-<N> (generated if missing), in an embedded database of its own —
// .bench/search-pglite-<N>, copied from bench-incremental's .bench/incremental-pglite-<N> when that exists
// (which is only read), else imported — or in the PostgreSQL database given (holding that seed; the search
// migration is applied on opening). Queries are drawn from the data and written as a caller would say them:
// an address in another notation (some with a one-letter typo in the street), a phone in another notation,
// half a serial, the end of a MAC, a name in another word order, a contract number in lower case. Prints
// p50/p95/p99 per kind and hit rate @1/@5: whether the intended record (or an equal one: the same flat
// written in another city when no city was said, a shared phone) is first / among the first five.
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { SYSTEM, type Principal } from '../src/access/scope.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { importDirectory } from '../src/import/importer.ts'
import { search } from '../src/search/search.ts'
import { generateSeed } from '../src/seed/generate.ts'
import { benchSeed } from './bench-seed.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const scale = option('--scale', 100_000)
const perKind = option('--per-kind', 300)
const url = args.includes('--database-url') ? args[args.indexOf('--database-url') + 1] : undefined
const root = resolve('.bench')
// --collisions 5%: the seed with that share of records planted in collisions (issue 18), shared with `npm run bench -- --only audit`
const seeding = benchSeed(root, scale, args.includes('--collisions') ? args[args.indexOf('--collisions') + 1] : undefined)
const seedDir = seeding.dir
const dataDir = join(root, `search-pglite-${scale}${seeding.tag}`)
const sourceDir = join(root, `incremental-pglite-${scale}${seeding.tag}`)
mkdirSync(root, { recursive: true })

// deterministic choices, so two runs time the same queries
let state = 7
const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) >>> 8
const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length]

interface Probe { kind: string; text: string; accept: Set<string>; principal: Principal }

/** One letter of a word replaced by a neighbouring vowel/consonant, away from its ends. */
function typo(word: string): string {
  if (word.length < 5) return word
  const at = 1 + (next() % (word.length - 2))
  const c = word[at]
  const swap = 'аеиоуыэюя'.includes(c) ? (c === 'е' ? 'и' : 'е') : (c === 'н' ? 'м' : 'н')
  return word.slice(0, at) + swap + word.slice(at + 1)
}

async function probes(db: Database): Promise<Probe[]> {
  const q = async <T>(text: string, params: unknown[] = []) => (await db.sql.query<T>(text, params)).rows
  const out: Probe[] = []

  // addresses with a flat, written differently; any address of the same flat (same name, numbers; same city when said) counts
  const addresses = await q<{ code: string; city: string; street: string; house: string; building: string | null; flat: string; n: string; market: string | null }>(`
    SELECT a.code, coalesce(a.city, '') AS city, a."streetName" AS street, a.house, a.building, a.apartment AS flat, a.normalized AS n,
           (SELECT m.code FROM contract k JOIN market m ON m.id = k."marketId" WHERE k."addressId" = a.id ORDER BY k.id LIMIT 1) AS market
    FROM address a WHERE a.apartment IS NOT NULL AND a."streetName" IS NOT NULL AND a.house IS NOT NULL
    ORDER BY md5(a.code) LIMIT $1`, [perKind * 2])
  const sameFlat = async (n: string, withCity: boolean) => {
    const f = n.split('|')
    const rows = await q<{ code: string }>(
      `SELECT code FROM address WHERE split_part("houseKey", '|', 4) = $1 AND split_part(normalized, '|', 7) = $2 AND split_part("streetKey", '|', 3) = $3
         AND split_part(normalized, '|', 5) = $4 AND split_part(normalized, '|', 6) = $5 ${withCity ? `AND split_part(normalized, '|', 1) = $6` : 'AND $6::text IS NOT NULL'}`,
      [f[3], f[6], f[2], f[4], f[5], f[0]])
    return new Set(rows.map((r) => r.code))
  }
  for (const [i, a] of addresses.entries()) {
    const withCity = i % 2 === 0
    const misspelt = i % 4 === 3
    let street = a.street.toLowerCase().replace(/ё/g, 'е')
    if (misspelt) street = street.split(' ').map((w, k, ws) => (k === ws.length - 1 ? typo(w) : w)).join(' ')
    const house = a.building ? `${a.house} к${a.building}` : a.house
    const forms = [
      `${street} ${house} кв ${a.flat}`,
      `${street} д.${house}, кв.${a.flat}`,
      `ул ${street} ${a.building ? `${a.house}к${a.building}` : a.house}-${a.flat}`,
      `${street}, дом ${house}, квартира ${a.flat}`,
    ]
    const text = `${withCity ? `${a.city} ` : ''}${pick(forms)}`
    const kind = i < perKind ? (misspelt ? 'address, typo in street' : 'address') : 'address, key limited to its market'
    if (i >= perKind && a.market === null) continue
    const principal = i < perKind ? SYSTEM : { ...SYSTEM, role: 'SUPPORT_AGENT' as const, markets: [a.market!] }
    out.push({ kind, text, accept: await sameFlat(a.n, withCity), principal })
  }

  const phones = await q<{ code: string; p: string }>(`
    SELECT code, "phoneNorm" AS p FROM customer WHERE "phoneNorm" ~ '^79[0-9]{9}$' ORDER BY md5(code) LIMIT $1`, [perKind])
  for (const c of phones) {
    const d = c.p.slice(1)
    const text = pick([
      `8 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
      `+7(${d.slice(0, 3)})${d.slice(3)}`,
      d,
      `+7 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`,
    ])
    const same = await q<{ code: string }>(`SELECT code FROM customer WHERE "phoneNorm" = $1`, [c.p])
    out.push({ kind: 'phone', text, accept: new Set(same.map((r) => r.code)), principal: SYSTEM })
  }

  const serials = await q<{ key: string; s: string; serial: string }>(`
    SELECT "inventoryNo" AS key, "serialNorm" AS s, serial FROM equipment WHERE length("serialNorm") >= 8 ORDER BY md5("inventoryNo") LIMIT $1`, [perKind])
  for (const [i, e] of serials.entries()) {
    const half = Math.ceil(e.s.length / 2)
    const part = i % 2 === 0 ? e.s.slice(-half) : e.s.slice(0, half + 2)
    const text = i % 3 === 0 ? part.toLowerCase() : part
    const same = await q<{ key: string }>(`SELECT "inventoryNo" AS key FROM equipment WHERE "serialNorm" = $1`, [e.s])
    out.push({ kind: 'half a serial', text, accept: new Set(same.map((r) => r.key)), principal: SYSTEM })
  }

  const macs = await q<{ key: string; m: string }>(`
    SELECT "inventoryNo" AS key, "macNorm" AS m FROM equipment WHERE "macNorm" IS NOT NULL ORDER BY md5("inventoryNo") LIMIT $1`, [perKind])
  for (const e of macs) {
    const tail = e.m.slice(-8)
    const text = pick([tail.match(/../g)!.join(':').toUpperCase(), `${tail.slice(0, 4)}.${tail.slice(4)}`])
    const same = await q<{ key: string }>(`SELECT "inventoryNo" AS key FROM equipment WHERE "macNorm" = $1`, [e.m])
    out.push({ kind: 'end of a MAC', text, accept: new Set(same.map((r) => r.key)), principal: SYSTEM })
  }

  const names = await q<{ code: string; name: string; n: string }>(`
    SELECT code, name, "nameNorm" AS n FROM customer WHERE "nameNorm" IS NOT NULL ORDER BY md5(code || 'n') LIMIT $1`, [perKind])
  for (const c of names) {
    const words = c.name.replace(/[«»"]/g, '').split(/\s+/)
    const text = (words.length === 3 ? [words[1], words[2], words[0]] : words.reverse()).join(' ').toLowerCase().replace(/ё/g, 'е')
    const same = await q<{ code: string }>(`SELECT code FROM customer WHERE "nameNorm" = $1`, [c.n])
    out.push({ kind: 'name, other word order', text, accept: new Set(same.map((r) => r.code)), principal: SYSTEM })
  }

  const contracts = await q<{ number: string }>(`SELECT number FROM contract ORDER BY md5(number) LIMIT $1`, [perKind])
  for (const k of contracts) out.push({ kind: 'contract number', text: k.number.toLowerCase(), accept: new Set([k.number]), principal: SYSTEM })
  return out
}

async function open(): Promise<Database> {
  if (url) return openDatabase({ url })
  if (!existsSync(join(dataDir, 'PG_VERSION')) && existsSync(join(sourceDir, 'PG_VERSION'))) {
    console.log(`copy ${sourceDir} → ${dataDir}`)
    cpSync(sourceDir, dataDir, { recursive: true, filter: (src) => !src.endsWith('db.lock') })
  }
  return openDatabase({ dataDir })
}

let t = performance.now()
const db = await open()
console.log(`open (and migrate): ${((performance.now() - t) / 1000).toFixed(1)} s`)
try {
  if ((await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM address')).rows[0].n === 0) {
    if (!existsSync(join(seedDir, 'seed-meta.json'))) {
      console.log(`seed ${scale} → ${seedDir}`)
      await generateSeed({ scale, seed: 42, out: seedDir, asOf: '2026-01-31', collisions: seeding.share })
    }
    t = performance.now()
    await importDirectory(db, seedDir)
    console.log(`import: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  await db.sql.exec('ANALYZE')
  const all = await probes(db)
  for (const p of all.slice(0, 30)) await search(db, p.principal, { text: p.text }) // warm-up

  const stats = new Map<string, { ms: number[]; at1: number; at5: number; misses: string[] }>()
  for (const p of all) {
    const start = performance.now()
    const hits = await search(db, p.principal, { text: p.text })
    const ms = performance.now() - start
    const s = stats.get(p.kind) ?? { ms: [], at1: 0, at5: 0, misses: [] }
    stats.set(p.kind, s)
    s.ms.push(ms)
    if (hits.length > 0 && p.accept.has(hits[0].key)) s.at1++
    if (hits.slice(0, 5).some((h) => p.accept.has(h.key))) s.at5++
    else if (s.misses.length < 3) s.misses.push(`«${p.text}» → ${hits.slice(0, 3).map((h) => h.key).join(', ') || 'nothing'}`)
  }
  const quantile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`
  console.log(`\nsearch(), ${scale.toLocaleString('en')} addresses, ${url ? 'PostgreSQL' : 'embedded database'}, first 10 hits, end to end in the service`)
  console.log('| query | n | p50 ms | p95 ms | p99 ms | hit@1 | hit@5 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  const everything: number[] = []
  for (const [kind, s] of stats) {
    everything.push(...s.ms)
    console.log(`| ${kind} | ${s.ms.length} | ${quantile(s.ms, 50).toFixed(1)} | ${quantile(s.ms, 95).toFixed(1)} | ${quantile(s.ms, 99).toFixed(1)} | ${pct(s.at1, s.ms.length)} | ${pct(s.at5, s.ms.length)} |`)
  }
  console.log(`| all | ${everything.length} | ${quantile(everything, 50).toFixed(1)} | ${quantile(everything, 95).toFixed(1)} | ${quantile(everything, 99).toFixed(1)} | | |`)
  console.log('\nmisses (not in the first five), a few per kind:')
  for (const [kind, s] of stats) for (const m of s.misses) console.log(`  ${kind}: ${m}`)
} finally {
  await db.close()
}
