// The data-quality score end to end on a generated seed: every successful full audit stores per market and entity
// type its records and the clean ones, checked against an independent count made here from the seed's CSV files and
// the open findings' subjects (membership as src/access/scope.ts describes it); the trend over three full audits
// follows the data (collisions fixed: up; new ones planted: down); runs of some rules, of one market and re-checks
// store nothing; a key limited to a market reads its rows only.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recheck, runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { readCsv, type Row } from '../seed/oracle.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const OPEN = ['NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED']
const actor = 'test'

type Counts = Map<string, { records: number; clean: number }>
const cell = (market: string | null, type: string) => `${market ?? '-'} ${type}`

/** Expected records and clean records per market × entity type, from the CSV files and the flagged `type key`s. */
function expectedScores(dir: string, flagged: Set<string>): Counts {
  const rows = (file: string) => readCsv(dir, file).rows
  const contracts = rows('contracts.csv')
  const marketsOf = (pick: (k: Row) => string) => {
    const byKey = new Map<string, Set<string>>()
    for (const k of contracts) {
      const key = pick(k)
      if (!byKey.has(key)) byKey.set(key, new Set())
      byKey.get(key)!.add(k.market)
    }
    return (key: string) => [...(byKey.get(key) ?? [])]
  }
  const contractMarket = new Map(contracts.map((k) => [k.number, k.market]))
  const addressMarkets = marketsOf((k) => k.address)
  const customerMarkets = marketsOf((k) => k.customer)
  const productContractMarkets = marketsOf((k) => k.product)
  const products = rows('products.csv')
  const productMarkets = new Map(products.map((p) => [p.sku, [...new Set([
    ...(p.markets ? p.markets.split(';').map((m) => m.trim()).filter(Boolean) : []), ...productContractMarkets(p.sku),
  ])]]))

  const counts: Counts = new Map()
  const add = (type: string, key: string, markets: string[]) => {
    for (const market of markets.length ? markets : [null]) {
      const c = counts.get(cell(market, type)) ?? { records: 0, clean: 0 }
      c.records++
      if (!flagged.has(`${type} ${key}`)) c.clean++
      counts.set(cell(market, type), c)
    }
  }
  for (const m of rows('markets.csv')) add('market', m.code, [m.code])
  for (const t of rows('equipment_types.csv')) {
    add('equipmentType', t.code, [...new Set(products.filter((p) => p.equipment_type === t.code).flatMap((p) => productMarkets.get(p.sku)!))])
  }
  for (const p of products) add('product', p.sku, productMarkets.get(p.sku)!)
  for (const c of rows('customers.csv')) add('customer', c.code, customerMarkets(c.code))
  for (const a of rows('addresses.csv')) add('address', a.code, addressMarkets(a.code))
  for (const k of contracts) add('contract', k.number, [k.market])
  for (const e of rows('equipment.csv')) {
    add('equipment', e.inventory_no, e.contract ? [contractMarket.get(e.contract)!] : e.address ? addressMarkets(e.address) : [])
  }
  return counts
}

/** The `type key` of every record an open finding names (a plain read of the findings). */
async function flaggedNow(db: TestDatabase): Promise<Set<string>> {
  const { rows } = await db.sql.query<{ type: string; key: string }>(`
    SELECT DISTINCT fe."entityType" AS type, fe."entityKey" AS key FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id
    WHERE f.status::text = ANY($1::text[])`, [OPEN])
  return new Set(rows.map((r) => `${r.type} ${r.key}`))
}

/** The cells of one run as the API gives them (entity types without records left out). */
function cellsOf(run: any): Counts {
  const counts: Counts = new Map()
  for (const m of run.markets) {
    for (const t of m.entityTypes) if (t.records > 0) counts.set(cell(m.market, t.entityType), { records: t.records, clean: t.clean })
  }
  return counts
}

const sorted = (c: Counts) => [...c.entries()].sort(([a], [b]) => a.localeCompare(b))
const total = (c: Counts, keep: (cell: string) => boolean = () => true) => {
  let records = 0, clean = 0
  for (const [k, v] of c) if (keep(k)) { records += v.records; clean += v.clean }
  return { records, clean, score: (100 * clean) / records }
}

const QUERY = `query($market: String, $from: DateTime, $to: DateTime) { reports { qualityScores(market: $market, from: $from, to: $to) {
  runId asOf finishedAt records clean flagged score
  markets { market marketName records clean flagged score entityTypes { entityType records clean flagged score } }
} } }`

/** Rewrites one CSV file of the seed directory (every cell quoted). */
function rewrite(dir: string, file: string, change: (rows: Row[]) => void) {
  const { header, rows } = readCsv(dir, file)
  change(rows)
  const quote = (v: string | undefined) => `"${(v ?? '').replaceAll('"', '""')}"`
  writeFileSync(join(dir, file), [header.map(quote).join(','), ...rows.map((r) => header.map((h) => quote(r[h])).join(','))].join('\n') + '\n')
}

describe.each(backends)('data-quality score on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let dir: string
  let asOf: string
  const expected: Counts[] = []
  const storedRows = async () => (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM quality_score')).rows[0].n
  const scoredRuns = async () => (await db.sql.query<{ n: number }>('SELECT count(DISTINCT "runId")::int AS n FROM quality_score')).rows[0].n
  const fullAudit = async () => {
    const { run } = await runAudit(db, { trigger: 'CLI', actor, asOf })
    expected.push(expectedScores(dir, await flaggedNow(db)))
    return run
  }

  beforeAll(async () => {
    dir = tempDir('quality-score-')
    asOf = (await generateSeed({ scale: 400, seed: 20261205, out: dir })).asOf
    // records in two markets: contracts in another market for a few customers and addresses, and at the
    // address of a device without a contract (so that device counts in both)
    const { rows: markets } = readCsv(dir, 'markets.csv')
    const loose = readCsv(dir, 'equipment.csv').rows.find((e) => !e.contract && e.address)
    expect(loose, 'the seed has a device without a contract at an address').toBeDefined()
    rewrite(dir, 'contracts.csv', (rows) => {
      const twin = (k: Row, i: number, address = k.address, market = markets.find((m) => m.code !== k.market)!.code) => ({
        ...k, number: `TWIN-${i}`, address, market, status: 'ACTIVE', valid_from: '2024-01-01', valid_to: '',
      })
      const picked = rows.slice(0, 3).map((k, i) => twin(k, i))
      rows.push(...picked, twin(rows[3], 3, loose!.address, markets[0].code), twin(rows[4], 4, loose!.address, markets[1].code))
    })
    db = await testDatabase(backend)
    expect((await importDirectory(db, dir)).rejected).toBe(0)
    client = graphqlClient(db)

    // 1: the seed as generated
    await fullAudit()

    // 2: the duplicate serials fixed, after a run of that rule alone (which stores nothing)
    const { rows: dups } = await db.sql.query<{ key: string }>(`
      SELECT fe."entityKey" AS key FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id
      WHERE f."ruleId" = 'equipment-duplicate-serial' AND f.status::text = ANY($1::text[])`, [OPEN])
    expect(dups.length).toBeGreaterThan(0)
    const fix = new Set(dups.map((d) => d.key))
    rewrite(dir, 'equipment.csv', (rows) => { for (const r of rows) if (fix.has(r.inventory_no)) r.serial = `FIXED${r.inventory_no.replace(/\W/g, '')}` })
    await importDirectory(db, dir)
    const before = await storedRows()
    await runAudit(db, { trigger: 'CLI', actor, asOf, ruleIds: ['equipment-duplicate-serial'] })
    expect(await storedRows()).toBe(before)
    await fullAudit()

    // 3: new duplicate serials planted on clean devices, then a market's run and a re-check (which store nothing)
    const flagged = await flaggedNow(db)
    const planted: string[] = []
    rewrite(dir, 'equipment.csv', (rows) => {
      const clean = rows.filter((r) => r.status !== 'DECOMMISSIONED' && !flagged.has(`equipment ${r.inventory_no}`)).slice(0, 12)
      clean.forEach((r, i) => { r.serial = `PLANTED${Math.floor(i / 2)}`; planted.push(r.inventory_no) })
    })
    await importDirectory(db, dir)
    const middle = await storedRows()
    const { rows: [market] } = await db.sql.query<{ code: string }>('SELECT code FROM market ORDER BY code LIMIT 1')
    await runAudit(db, { trigger: 'CLI', actor, asOf, market: market.code })
    await recheck(db, [{ type: 'equipment', key: planted[0] }], { actor, asOf })
    expect(await storedRows()).toBe(middle)
    await fullAudit()
  }, 240_000)
  afterAll(async () => { await db?.close() })

  it('the data has records in two markets and records in none', () => {
    const spread = (type: string) => [...expected[0]].filter(([k]) => k.endsWith(` ${type}`) && !k.startsWith('- ')).reduce((n, [, v]) => n + v.records, 0)
    const all = (file: string) => readCsv(dir, file).rows.length
    expect(spread('customer')).toBeGreaterThan(all('customers.csv') - (expected[0].get(cell(null, 'customer'))?.records ?? 0))
    expect(spread('address')).toBeGreaterThan(all('addresses.csv') - (expected[0].get(cell(null, 'address'))?.records ?? 0))
    expect(expected[0].get(cell(null, 'equipment'))?.records).toBeGreaterThan(0)
  })

  it('stores scores for the full audits only', async () => {
    expect(await scoredRuns()).toBe(3)
    const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_run WHERE status = 'SUCCEEDED'`)
    expect(rows[0].n).toBe(6)
    const { rows: timed } = await db.sql.query<{ quality: number | null; market: string | null; rules: number }>(`
      SELECT (timings->>'quality')::int AS quality, "marketCode" AS market, cardinality(rules) AS rules FROM audit_run ORDER BY "startedAt"`)
    expect(timed.filter((r) => r.quality !== null)).toHaveLength(3)
  })

  it('an unscoped key reads every market and the no-market row, equal to the independent count, oldest first', async () => {
    const r = await client.request(QUERY, {}, await client.key('AUDITOR'))
    expect(r.errors).toBeUndefined()
    const runs = r.data.reports.qualityScores
    expect(runs).toHaveLength(3)
    expect(runs.map((run: any) => run.asOf)).toEqual([asOf, asOf, asOf])
    expect([...runs].sort((a: any, b: any) => a.finishedAt.localeCompare(b.finishedAt))).toEqual(runs)
    runs.forEach((run: any, i: number) => {
      expect(sorted(cellsOf(run)), `run ${i + 1}`).toEqual(sorted(expected[i]))
      const sum = total(expected[i])
      expect(run.records).toBe(sum.records)
      expect(run.clean).toBe(sum.clean)
      expect(run.flagged).toBe(sum.records - sum.clean)
      expect(run.score).toBeCloseTo(sum.score, 9)
      for (const m of run.markets) {
        const own = total(expected[i], (k) => k.startsWith(`${m.market ?? '-'} `))
        expect([m.records, m.clean, m.flagged], String(m.market)).toEqual([own.records, own.clean, own.records - own.clean])
        expect(m.score).toBeCloseTo(own.score, 9)
        for (const t of m.entityTypes) expect(t.score).toBe(t.records ? (100 * t.clean) / t.records : null)
      }
    })
    // the seed has records of no market, and it is the last row
    expect(runs[0].markets.at(-1).market).toBeNull()
    expect(runs[0].markets.filter((m: any) => m.market !== null).map((m: any) => m.marketName).every(Boolean)).toBe(true)
  })

  it('follows the data: fixing collisions raises the score, planting new ones lowers it', async () => {
    const runs = (await client.request(QUERY, {}, await client.key('AUDITOR'))).data.reports.qualityScores
    const equipment = (run: any) => total(cellsOf(run), (k) => k.endsWith(' equipment'))
    expect(runs[1].score).toBeGreaterThan(runs[0].score)
    expect(equipment(runs[1]).score).toBeGreaterThan(equipment(runs[0]).score)
    expect(runs[2].score).toBeLessThan(runs[1].score)
    // twelve devices planted in pairs: each counts once at least (twice when its address is in two markets)
    expect(equipment(runs[2]).clean).toBeLessThanOrEqual(equipment(runs[1]).clean - 12)
  })

  it('a key limited to one market reads that market\'s rows only, never the no-market row', async () => {
    const markets = [...new Set([...expected[0].keys()].map((k) => k.split(' ')[0]).filter((m) => m !== '-'))].sort()
    const [mine, other] = markets
    const key = await client.key('SERVICE_DESK', [mine])
    const runs = (await client.request(QUERY, {}, key)).data.reports.qualityScores
    expect(runs).toHaveLength(3)
    runs.forEach((run: any, i: number) => {
      // a full audit's run is no one market's: its id is not shown to a key limited to markets
      expect(run.runId).toBe('[скрыто]')
      expect(run.markets.map((m: any) => m.market)).toEqual([mine])
      const own = new Map([...expected[i]].filter(([k]) => k.startsWith(`${mine} `)))
      expect(sorted(cellsOf(run))).toEqual(sorted(own))
      expect(run.records).toBe(total(own).records)
      expect(run.clean).toBe(total(own).clean)
    })
    // asking for another market gives the runs with nothing in them; the unscoped key narrowed to it gets its rows
    const foreign = (await client.request(QUERY, { market: other }, key)).data.reports.qualityScores
    expect(foreign.map((run: any) => [run.markets, run.records, run.score])).toEqual([[[], 0, null], [[], 0, null], [[], 0, null]])
    const narrowed = (await client.request(QUERY, { market: other }, await client.key('AUDITOR'))).data.reports.qualityScores
    expect(narrowed[0].markets.map((m: any) => m.market)).toEqual([other])
  })

  it('limits the runs to the period, and refuses a period that ends before it starts', async () => {
    const key = await client.key('AUDITOR')
    const runs = (await client.request(QUERY, {}, key)).data.reports.qualityScores
    const from = runs[1].finishedAt
    const later = (await client.request(QUERY, { from }, key)).data.reports.qualityScores
    expect(later.map((run: any) => run.runId)).toEqual([runs[1].runId, runs[2].runId])
    const earlier = (await client.request(QUERY, { to: from }, key)).data.reports.qualityScores
    expect(earlier.map((run: any) => run.runId)).toEqual([runs[0].runId])
    const bad = await client.request(QUERY, { from: runs[2].finishedAt, to: runs[0].finishedAt }, key)
    expect(bad.errors?.length).toBeGreaterThan(0)
  })

  it('a run removed takes its scores with it', async () => {
    const runs = (await client.request(QUERY, {}, await client.key('AUDITOR'))).data.reports.qualityScores
    await db.sql.query('DELETE FROM finding_event WHERE "runId" = $1::uuid', [runs[0].runId])
    await db.sql.query('DELETE FROM audit_run WHERE id = $1::uuid', [runs[0].runId])
    expect(await scoredRuns()).toBe(2)
    const after = (await client.request(QUERY, {}, await client.key('AUDITOR'))).data.reports.qualityScores
    expect(after.map((run: any) => run.runId)).toEqual([runs[1].runId, runs[2].runId])
  })
})
