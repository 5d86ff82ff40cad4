// `sverka seed`: a realistic Russian-language demo dataset in the import format,
// with collisions planted for every catalogue rule and recorded in
// ground-truth.jsonl, streamed to disk so a million addresses fit in bounded memory.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { InputError } from '../errors.ts'
import { Background } from './background.ts'
import { EQUIPMENT_TYPES, MARKETS, PRODUCTS } from './catalog.ts'
import { buildNamePools } from './people.ts'
import { HARD_NEGATIVES, Planter, RULE_IDS, type HardNegative, type RuleId } from './plants.ts'
import { buildPlaces } from './places.ts'
import { Rng, toDay } from './random.ts'
import { SeedWriter } from './world.ts'

export interface SeedOptions {
  /** Number of addresses to write (N); customers, contracts and devices follow from it. */
  scale: number
  seed: number
  out: string
  /** YYYY-MM-DD the ground truth is valid for; default 2026-01-31. */
  asOf?: string
  /**
   * The share of records (of all types) to plant in collisions, e.g. 0.05; absent: the default density (about 0.4 %:
   * scale / 1000 findings a rule). Sets how many findings each rule gets; the share reached is in the summary.
   */
  collisions?: number
  onProgress?: (done: number, total: number) => void
}

export interface SeedSummary {
  out: string
  /** File name → data rows (lines, for ground-truth.jsonl). */
  files: Record<string, number>
  /** Rule id → planted findings. */
  planted: Record<string, number>
  asOf: string
  /** records the planted findings name (each once) over all records written: the collision share reached */
  collisionRate: number
}

export const DEFAULT_AS_OF = '2026-01-31'

/** The catalogue's tariff dates are fixed; plants need sold-out and current tariffs on both sides of as-of. */
export const AS_OF_RANGE = ['2023-01-01', '2035-12-31'] as const

/** Beyond this the identifier spaces (10⁷ phone numbers, 2²⁴ MACs per vendor prefix) would run out. */
export const MAX_SCALE = 5_000_000

/** The largest share of records in collisions asked for: past it plants would crowd out the ordinary households. */
export const MAX_COLLISIONS = 0.25

/**
 * Records a seed writes per address (customers, contracts, devices, the address: 5.4 at every scale measured) and
 * records a planted finding names (1.44 over the fourteen rules), which turn a share of records into plants a rule.
 */
const RECORDS_PER_ADDRESS = 5.4
const RECORDS_PER_FINDING = 1.44

/** How many times each rule is planted, and each hard negative written, at a scale (and a share of records in collisions). */
export function plantsPerRule(scale: number, collisions?: number): number {
  if (collisions === undefined) return Math.max(5, Math.round(scale / 1000))
  return Math.max(5, Math.round((collisions * scale * RECORDS_PER_ADDRESS) / (RULE_IDS.length * RECORDS_PER_FINDING)))
}

type Task = { rule: RuleId; j: number } | { negative: HardNegative; j: number }

export async function generateSeed(opts: SeedOptions): Promise<SeedSummary> {
  const { scale, seed, out } = opts
  const asOf = opts.asOf ?? DEFAULT_AS_OF
  if (!Number.isSafeInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new InputError(`--scale must be an integer from 1 to ${MAX_SCALE}, got ${scale}`)
  }
  if (!Number.isSafeInteger(seed)) throw new InputError(`--seed must be an integer, got ${seed}`)
  let asOfDay: number
  try {
    asOfDay = toDay(asOf)
  } catch {
    throw new InputError(`--as-of must be a date YYYY-MM-DD, got ${asOf}`)
  }
  if (asOf < AS_OF_RANGE[0] || asOf > AS_OF_RANGE[1]) {
    throw new InputError(`--as-of must lie between ${AS_OF_RANGE[0]} and ${AS_OF_RANGE[1]}, got ${asOf}`)
  }
  const { collisions } = opts
  if (collisions !== undefined && !(Number.isFinite(collisions) && collisions > 0 && collisions <= MAX_COLLISIONS)) {
    throw new InputError(`--collisions must be a share above 0 and at most ${MAX_COLLISIONS}, got ${collisions}`)
  }
  await mkdir(out, { recursive: true })

  const seed32 = seed >>> 0
  const rng = new Rng(seed32)
  const pools = buildNamePools(seed32)
  const cities = buildPlaces(seed32, rng.fork(), scale)
  const w = new SeedWriter(out, rng, pools, cities, asOfDay, scale, seed32)
  try {
    await writeRows(w, scale, plantsPerRule(scale, collisions), opts.onProgress)
  } finally {
    await w.close()
  }

  const files: Record<string, number> = {}
  for (const sink of Object.values(w.sinks)) files[sink.file] = sink.rows
  files['ground-truth.jsonl'] = w.truthSink.rows
  const planted: Record<string, number> = {}
  for (const rule of RULE_IDS) planted[rule] = w.planted[rule] ?? 0
  const hardNegatives: Record<string, number> = {}
  for (const kind of [...HARD_NEGATIVES, ...Object.keys(w.hardNegatives)]) hardNegatives[kind] = w.hardNegatives[kind] ?? 0
  const counts = { ...files }
  delete counts['ground-truth.jsonl']
  const records = Object.values(counts).reduce((a, b) => a + b, 0)
  const collisionRate = records === 0 ? 0 : w.collidingRecords / records
  const meta = { scale, seed, asOf, ...(collisions !== undefined ? { collisions } : {}), collisionRate, counts, planted, hardNegatives }
  await writeFile(join(out, 'seed-meta.json'), JSON.stringify(meta, null, 2) + '\n', 'utf8')
  opts.onProgress?.(scale, scale)
  return { out, files, planted, asOf, collisionRate }
}

/** Background households with the plants and hard negatives spread evenly among them, not bunched at the end. */
async function writeRows(w: SeedWriter, scale: number, k: number, onProgress: SeedOptions['onProgress']): Promise<void> {
  for (const m of MARKETS) w.sinks.market.record({ code: m.code, name: m.name })
  for (const t of EQUIPMENT_TYPES) w.sinks.equipmentType.record({ code: t.code, name: t.name })
  for (const p of PRODUCTS) {
    w.sinks.product.record({
      sku: p.sku, name: p.name, kind: p.kind, equipment_type: p.equipmentType, markets: p.markets.join(';'), status: p.status,
      valid_from: p.validFrom, valid_to: p.validTo,
    })
  }

  const tasks: Task[] = []
  for (let j = 0; j < k; j++) {
    for (const rule of RULE_IDS) tasks.push({ rule, j })
    for (const negative of HARD_NEGATIVES) tasks.push({ negative, j })
  }
  w.rng.fork().shuffle(tasks)

  const background = new Background(w)
  const planter = new Planter(w)
  const run = (task: Task) => ('rule' in task ? planter.plant(task.rule, task.j) : planter.hardNegative(task.negative, task.j))
  const progressEvery = Math.max(1, Math.floor(scale / 200))
  let nextProgress = progressEvery
  let t = 0
  while (w.addressCount < scale) {
    if (t < tasks.length && w.addressCount >= Math.floor(((t + 1) * scale) / (tasks.length + 1))) run(tasks[t++])
    else background.next()
    if (w.needsDrain) await w.drain()
    if (onProgress && w.addressCount >= nextProgress) {
      onProgress(Math.min(w.addressCount, scale), scale)
      nextProgress = w.addressCount + progressEvery
    }
  }
  while (t < tasks.length) {
    run(tasks[t++])
    if (w.needsDrain) await w.drain()
  }
}
