// Kind `fuzzy-duplicate`: groups of records that denote the same place or the same customer however written.
// Blocking first (the database keeps only blocks with ≥2 records and streams them in block order), then
// similarity within a block only; matches are joined into groups (connected components). Never pairwise
// over a whole table.
import { z } from '../../i18n/zod.ts'
import { addressBlockKey } from '../../addresses/parse.ts'
import { entityDef, rename } from '../entities.ts'
import { compareKeys, defineDetector, refs, type PlanExpansion, type RawFinding, type Subset } from '../detector.ts'
import { ALL_AT_ONCE, streamGroups } from '../sql-stream.ts'
import { routeByContracts } from './predicate.ts'

const addressParams = z.strictObject({
  entity: z.literal('address'),
  /**
   * Street names in one block (same city, street type, house, корпус, строение and flat) that differ by at most
   * this many letters (a substitution, insertion, deletion or swap of neighbours) denote one street.
   */
  streetEdits: z.union([z.literal(0), z.literal(1)]).default(1),
  /** shorter names must match exactly: «Мира»/«Мина» are more likely two streets than a typo */
  minStreetLength: z.number().int().min(1).default(5),
  /**
   * A typo lives on the one record it was typed into: when both spellings are streets with houses of their own
   * («Прудовая» and «Трудовая», «Луговая» and «Логовая»), they are two streets. A pair is a typo only when one
   * spelling occurs at no more than this many houses of its city.
   */
  typoMaxHouses: z.number().int().min(1).default(1),
})

const customerParams = z.strictObject({
  entity: z.literal('customer'),
  /** the same INN is the same customer */
  byInn: z.boolean().default(true),
  /** the same folded name (nameNorm) with the same phone (phoneNorm) is the same customer */
  byNameAndPhone: z.boolean().default(true),
  /** letters the folded names of one phone may differ by; 0 keeps family members sharing a phone apart */
  nameEdits: z.union([z.literal(0), z.literal(1)]).default(0),
  minNameLength: z.number().int().min(1).default(8),
})

export const fuzzyDuplicateParams = z.discriminatedUnion('entity', [addressParams, customerParams])
export type FuzzyDuplicateParams = z.output<typeof fuzzyDuplicateParams>
export type AddressDuplicateParams = z.output<typeof addressParams>
export type CustomerDuplicateParams = z.output<typeof customerParams>

// ─── similarity ───

/** Optimal string alignment distance ≤ 1: equal, or one substitution, insertion, deletion or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true
  const la = a.length, lb = b.length
  if (Math.abs(la - lb) > 1) return false
  let i = 0
  while (i < la && i < lb && a[i] === b[i]) i++
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

const digitsOf = (s: string) => s.replace(/\D+/g, ' ').trim()

// ЙЦУКЕН rows; a key of one row touches keys j and j+1 of the row above (the rows are staggered)
const KEYBOARD = ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю']
const KEY_AT = new Map<string, [number, number]>()
KEYBOARD.forEach((row, r) => Array.from(row).forEach((ch, i) => KEY_AT.set(ch, [r, i])))

function keyboardNeighbours(a: string, b: string): boolean {
  const pa = KEY_AT.get(a), pb = KEY_AT.get(b)
  if (!pa || !pb) return false
  const [upper, lower] = pa[0] <= pb[0] ? [pa, pb] : [pb, pa]
  if (upper[0] === lower[0]) return Math.abs(upper[1] - lower[1]) === 1
  return lower[0] - upper[0] === 1 && (upper[1] === lower[1] || upper[1] === lower[1] + 1)
}

// unstressed vowels people confuse when writing Russian
const VOWEL_CONFUSIONS = new Set(['ао', 'оа', 'еи', 'ие', 'ея', 'яе', 'ия', 'яи'])

/**
 * Whether two spellings one edit apart look like a slip of the hand rather than two names: the first letter
 * is right (people rarely mistype it; «Прудовая»/«Трудовая» are two streets), and a wrong letter is a
 * keyboard neighbour or an unstressed vowel mixed up; a dropped, doubled or swapped letter always counts.
 */
export function plausibleTypo(a: string, b: string): boolean {
  if (a === b) return true
  if (a[0] !== b[0]) return false
  if (a.length !== b.length) return true
  let i = 0
  while (a[i] === b[i]) i++
  if (a.slice(i + 1) === b.slice(i + 1)) return keyboardNeighbours(a[i], b[i]) || VOWEL_CONFUSIONS.has(a[i] + b[i])
  return true // a swap of neighbours (withinOneEdit has checked it is one)
}

/**
 * Pairs of distinct names within one edit of each other. Candidates come from the deletion neighbourhood
 * (a name and the name with one letter dropped share a key with any name one edit away), so the work is
 * linear in the block, not quadratic. Numbers must be equal: «1-я Линия» and «2-я Линия» are two streets.
 */
export function similarPairs(names: string[], minLength: number): Array<[string, string]> {
  const byVariant = new Map<string, string[]>()
  for (const name of names) {
    if (name.length < minLength) continue
    const variants = new Set([name])
    for (let i = 0; i < name.length; i++) variants.add(name.slice(0, i) + name.slice(i + 1))
    for (const v of variants) {
      const list = byVariant.get(v)
      if (list) list.push(name)
      else byVariant.set(v, [name])
    }
  }
  const seen = new Set<string>()
  const pairs: Array<[string, string]> = []
  for (const list of byVariant.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = compareKeys(list[i], list[j]) < 0 ? [list[i], list[j]] : [list[j], list[i]]
        const id = `${a}\u0000${b}`
        if (a === b || seen.has(id)) continue
        seen.add(id)
        if (digitsOf(a) === digitsOf(b) && withinOneEdit(a, b) && plausibleTypo(a, b)) pairs.push([a, b])
      }
    }
  }
  return pairs
}

/** Connected components over string ids. */
export class Components {
  private parent = new Map<string, string>()
  find(x: string): string {
    let root = this.parent.get(x) ?? x
    if (root === x) { this.parent.set(x, x); return x }
    root = this.find(root)
    this.parent.set(x, root)
    return root
  }
  union(a: string, b: string) {
    const ra = this.find(a), rb = this.find(b)
    if (ra !== rb) this.parent.set(ra, rb)
  }
  groups(): string[][] {
    const byRoot = new Map<string, string[]>()
    for (const x of this.parent.keys()) {
      const r = this.find(x)
      const g = byRoot.get(r)
      if (g) g.push(x)
      else byRoot.set(r, [x])
    }
    return [...byRoot.values()].filter((g) => g.length > 1).map((g) => g.sort(compareKeys))
  }
}

// ─── addresses ───

export interface AddressRow { key: string; normalized: string }

/** The block of an address: its normalized form without the street name (field 3 of 7), the column blockKey. */
export const addressBlock = addressBlockKey

/** How many houses a street (its streetKey, city|type|name) has; decides whether a near spelling is a typo. */
export type HousesOfStreet = (streetKey: string) => number

/** city|type|name: the street an address's normalized form is on (the column streetKey). */
export const streetKeyOf = (normalized: string) => normalized.split('|').slice(0, 3).join('|')

/** Exact groups and typo candidates of one block: what the block contributes before typos are confirmed. */
export interface BlockMatches { exact: string[][]; typos: Array<[AddressRow, AddressRow]> }

/** Pure: within one block, the records with one street name, and the near spellings worth confirming. */
export function matchBlock(params: AddressDuplicateParams, rows: AddressRow[]): BlockMatches {
  const byName = new Map<string, AddressRow[]>()
  for (const r of rows) {
    const name = r.normalized.split('|')[2] ?? ''
    const list = byName.get(name)
    if (list) list.push(r)
    else byName.set(name, [r])
  }
  const exact = [...byName.values()].filter((g) => g.length > 1).map((g) => g.map((r) => r.key))
  const typos: Array<[AddressRow, AddressRow]> = params.streetEdits > 0
    ? similarPairs([...byName.keys()], params.minStreetLength).map(([a, b]) => [byName.get(a)![0], byName.get(b)![0]])
    : []
  return { exact, typos }
}

/** Pure: the groups from the blocks' matches, typos confirmed by how established each spelling is. */
export function addressGroups(params: AddressDuplicateParams, matches: BlockMatches[], housesOf: HousesOfStreet): string[][] {
  const components = new Components()
  for (const m of matches) {
    for (const g of m.exact) for (const k of g.slice(1)) components.union(g[0], k)
    for (const [a, b] of m.typos) {
      const houses = Math.min(housesOf(streetKeyOf(a.normalized)), housesOf(streetKeyOf(b.normalized)))
      if (houses <= params.typoMaxHouses) components.union(a.key, b.key)
    }
  }
  return components.groups()
}

/** Pure detection over any address rows (only those with a house: a houseless address denotes no one place). */
export function detectAddressDuplicates(params: AddressDuplicateParams, rows: AddressRow[], housesOf?: HousesOfStreet): RawFinding[] {
  const blocks = new Map<string, AddressRow[]>()
  for (const r of rows) {
    const b = params.streetEdits > 0 ? addressBlock(r.normalized) : r.normalized
    const list = blocks.get(b)
    if (list) list.push(r)
    else blocks.set(b, [r])
  }
  const count = housesOf ?? housesFromRows(rows)
  const normalizedOf = new Map(rows.map((r) => [r.key, r.normalized]))
  return addressFindings(addressGroups(params, [...blocks.values()].map((b) => matchBlock(params, b)), count), normalizedOf)
}

function housesFromRows(rows: AddressRow[]): HousesOfStreet {
  const houses = new Map<string, Set<string>>()
  for (const r of rows) {
    const sk = streetKeyOf(r.normalized)
    const house = r.normalized.split('|').slice(3, 6).join('|')
    ;(houses.get(sk) ?? houses.set(sk, new Set()).get(sk)!).add(house)
  }
  return (sk) => houses.get(sk)?.size ?? 0
}

function addressFindings(groups: string[][], normalizedOf: Map<string, string>): RawFinding[] {
  return groups.map((keys) => ({
    entities: refs('address', keys),
    data: { count: keys.length, keys: keys.join(', '), normalized: normalizedOf.get(keys[0])! },
    details: { normalized: Object.fromEntries(keys.map((k) => [k, normalizedOf.get(k)!])) },
    marketCode: null,
    equipmentTypeCode: null,
  }))
}

// ─── customers ───

export interface CustomerRow { key: string; inn: string | null; nameNorm: string | null; phoneNorm: string | null }

/** Pure: the matches within one block — same INN, or same phone and a name within `nameEdits`. */
export function customerMatches(params: CustomerDuplicateParams, by: 'inn' | 'phone', block: CustomerRow[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  if (by === 'inn') {
    const members = block.filter((r) => r.inn)
    for (const r of members.slice(1)) if (r.inn === members[0].inn) pairs.push([members[0].key, r.key])
    return pairs
  }
  const byName = new Map<string, string[]>()
  for (const r of block) {
    if (!r.nameNorm || !r.phoneNorm || r.phoneNorm !== block[0].phoneNorm) continue
    const list = byName.get(r.nameNorm)
    if (list) list.push(r.key)
    else byName.set(r.nameNorm, [r.key])
  }
  for (const keys of byName.values()) for (const k of keys.slice(1)) pairs.push([keys[0], k])
  if (params.nameEdits > 0) {
    for (const [a, b] of similarPairs([...byName.keys()], params.minNameLength)) pairs.push([byName.get(a)![0], byName.get(b)![0]])
  }
  return pairs
}

/** Pure detection over any customer rows: INN blocks and phone blocks, matches joined into groups. */
export function detectCustomerDuplicates(params: CustomerDuplicateParams, rows: CustomerRow[]): RawFinding[] {
  const components = new Components()
  const reasons = new Map<string, Set<string>>()
  const block = (by: 'inn' | 'phone', keyOf: (r: CustomerRow) => string | null) => {
    const blocks = new Map<string, CustomerRow[]>()
    for (const r of rows) {
      const k = keyOf(r)
      if (!k) continue
      const list = blocks.get(k)
      if (list) list.push(r)
      else blocks.set(k, [r])
    }
    for (const b of blocks.values()) if (b.length > 1) addMatches(components, reasons, by, customerMatches(params, by, b))
  }
  if (params.byInn) block('inn', (r) => r.inn)
  if (params.byNameAndPhone) block('phone', (r) => r.phoneNorm)
  return customerFindings(components, reasons)
}

function addMatches(components: Components, reasons: Map<string, Set<string>>, by: string, pairs: Array<[string, string]>) {
  for (const [a, b] of pairs) {
    components.union(a, b)
    for (const k of [a, b]) (reasons.get(k) ?? reasons.set(k, new Set()).get(k)!).add(by === 'inn' ? 'inn' : 'name+phone')
  }
}

function customerFindings(components: Components, reasons: Map<string, Set<string>>): RawFinding[] {
  return components.groups().map((keys) => {
    const by = [...new Set(keys.flatMap((k) => [...(reasons.get(k) ?? [])]))].sort()
    return {
      entities: refs('customer', keys),
      data: { count: keys.length, keys: keys.join(', '), matchedBy: by.join(', ') },
      details: {},
      marketCode: null,
      equipmentTypeCode: null,
    }
  })
}

// ─── the database side ───

/**
 * address duplicates: the blocks of the subjects; and, because a near spelling counts as a typo only while one
 * spelling is on few houses, the addresses of the subjects' streets when those streets are that small —
 * a house more or less there can make or break a typo pair in another block.
 */
async function blocksOfAddresses({ sql, keys, groups, ruleHints, cap }: PlanExpansion<FuzzyDuplicateParams>, params: AddressDuplicateParams) {
  const blockOf = (normalized: string) => (params.streetEdits > 0 ? addressBlock(normalized) : normalized)
  const streets = new Set<string>()
  // what the stored findings say the addresses were (their old normalized form)
  for (const h of ruleHints) {
    const normalized = h.details?.normalized
    if (normalized && typeof normalized === 'object') {
      for (const n of Object.values(normalized as Record<string, unknown>)) {
        if (typeof n === 'string') { groups.add(blockOf(n)); streets.add(streetKeyOf(n)) }
      }
    }
  }
  if (keys.size === 0 && streets.size === 0) return
  const { rows } = await sql.query<{ code: string; normalized: string; house: string | null }>(
    `SELECT code, normalized, house FROM address WHERE code = ANY($1::text[])`, [[...keys]])
  for (const r of rows) {
    if (r.house !== null) groups.add(blockOf(r.normalized))
    streets.add(streetKeyOf(r.normalized))
  }
  if (params.streetEdits === 0 || streets.size === 0) return
  // a street's house count moves by one per edit: past typoMaxHouses + 1 now, it was past typoMaxHouses before
  const { rows: small } = await sql.query<{ code: string; normalized: string; house: string | null }>(
    `SELECT a.code, a.normalized, a.house FROM address a WHERE a."streetKey" IN (
       SELECT "streetKey" FROM address WHERE "streetKey" = ANY($1::text[]) GROUP BY 1 HAVING count(DISTINCT "houseKey") <= $2)
     LIMIT ${cap + 1}`, [[...streets], params.typoMaxHouses + 1])
  for (const r of small) {
    keys.add(r.code)
    if (r.house !== null) groups.add(blockOf(r.normalized))
  }
}

/**
 * customer duplicates: groups are joined across INN and phone blocks, so the subjects are closed over those
 * blocks (every customer sharing an INN or a phone with one already in), and detection sees whole groups.
 */
async function closeCustomers({ sql, keys, cap }: PlanExpansion<FuzzyDuplicateParams>, params: CustomerDuplicateParams) {
  let frontier = [...keys]
  const conditions: string[] = []
  if (params.byInn) conditions.push(`(c.inn <> '' AND c.inn IN (SELECT inn FROM customer WHERE code = ANY($1::text[])))`)
  if (params.byNameAndPhone) conditions.push(`(c."phoneNorm" <> '' AND c."phoneNorm" IN (SELECT "phoneNorm" FROM customer WHERE code = ANY($1::text[])))`)
  if (conditions.length === 0) return
  // a UNION of index lookups: an OR of the two subqueries reads the whole customer table
  while (frontier.length > 0 && keys.size <= cap) {
    const { rows } = await sql.query<{ code: string }>(
      `${conditions.map((c) => `SELECT c.code FROM customer c WHERE ${c}`).join(' UNION ')} LIMIT ${cap + 1}`, [frontier])
    frontier = []
    for (const r of rows) if (!keys.has(r.code)) { keys.add(r.code); frontier.push(r.code) }
  }
}

interface FuzzyRun { sql: Parameters<typeof streamGroups>[0]; market?: string; subset?: Subset }

async function detectAddresses(run: FuzzyRun, params: AddressDuplicateParams) {
  const args: unknown[] = []
  let scope = run.market ? (args.push(run.market), `AND ${rename(entityDef('address').scope('$1'), 'a')}`) : ''
  // both columns are indexed: the blocks of a re-check are index lookups
  const block = params.streetEdits > 0 ? 'a."blockKey"' : 'a.normalized'
  // blocks are independent (an address is in one), so the blocks asked for are found exactly as in a full run
  if (run.subset) scope += ` AND ${block} = ANY($${args.push(run.subset.groups ?? [])}::text[])`
  const text = `SELECT key, normalized, blk FROM (
      SELECT a.code AS key, a.normalized, ${block} AS blk, count(*) OVER (PARTITION BY ${block}) AS n
        FROM address a WHERE a.house IS NOT NULL ${scope}) x
    WHERE n > 1 ORDER BY blk`
  const matches: BlockMatches[] = []
  const normalizedOf = new Map<string, string>()
  await streamGroups<AddressRow & { blk: string }>(run.sql, text, args, (r) => r.blk, (rows) => {
    const m = matchBlock(params, rows)
    if (m.exact.length === 0 && m.typos.length === 0) return
    // only what takes part in a match is kept: memory grows with the findings, not with the table
    const involved = new Set([...m.exact.flat(), ...m.typos.flat().map((r) => r.key)])
    for (const r of rows) if (involved.has(r.key)) normalizedOf.set(r.key, r.normalized)
    matches.push(m)
  }, run.subset ? ALL_AT_ONCE : undefined)
  const streetKeys = [...new Set(matches.flatMap((m) => m.typos.flat().map((r) => streetKeyOf(r.normalized))))]
  const houses = new Map<string, number>()
  if (streetKeys.length > 0) {
    const { rows } = await run.sql.query<{ sk: string; n: number }>(
      `SELECT "streetKey" AS sk, count(DISTINCT "houseKey")::int AS n FROM address WHERE "streetKey" = ANY($1::text[]) GROUP BY 1`, [streetKeys])
    for (const r of rows) houses.set(r.sk, r.n)
  }
  return addressFindings(addressGroups(params, matches, (sk) => houses.get(sk) ?? 0), normalizedOf)
}

async function detectCustomers(run: FuzzyRun, params: CustomerDuplicateParams) {
  const components = new Components()
  const reasons = new Map<string, Set<string>>()
  const args: unknown[] = []
  if (run.market) args.push(run.market)
  const keysParam = run.subset ? `$${args.push(run.subset.keys)}` : ''
  const scope = (alias: string) => run.market ? `AND ${rename(entityDef('customer').scope('$1'), alias)}` : ''
  // the blocks of the customers asked for (the caller has closed that set over INN and phone blocks)
  const blocksOf = (column: string) => run.subset ? `AND x.${column} IN (SELECT k.${column} FROM customer k WHERE k.code = ANY(${keysParam}::text[]))` : ''
  const blocks = (by: 'inn' | 'phone', column: string) => `SELECT a.code AS key, a.inn, a."nameNorm", a."phoneNorm", a.${column} AS blk
      FROM customer a
     WHERE a.${column} IN (SELECT x.${column} FROM customer x WHERE x.${column} IS NOT NULL AND x.${column} <> '' ${scope('x')} ${blocksOf(column)}
                           ${by === 'phone' ? 'AND x."nameNorm" IS NOT NULL' : ''}
                           GROUP BY x.${column} HAVING count(*) > 1) ${scope('a')}
     ORDER BY a.${column}, a.code`
  const steps: Array<['inn' | 'phone', string]> = []
  if (params.byInn) steps.push(['inn', 'inn'])
  if (params.byNameAndPhone) steps.push(['phone', '"phoneNorm"'])
  for (const [by, column] of steps) {
    await streamGroups<CustomerRow & { blk: string }>(run.sql, blocks(by, column), args, (r) => r.blk, (rows) => {
      addMatches(components, reasons, by, customerMatches(params, by, rows))
    }, run.subset ? ALL_AT_ONCE : undefined)
  }
  return customerFindings(components, reasons)
}

export default defineDetector({
  params: fuzzyDuplicateParams,
  // address: a Subset's groups are blocks (addressBlock, or normalized without street edits);
  // customer: its keys are customers, and their INN and phone blocks are detected (expand closes the keys over them)
  subject: (params) => params.entity,
  wholeGroups: true,
  expand: (plan) => plan.params.entity === 'address' ? blocksOfAddresses(plan, plan.params) : closeCustomers(plan, plan.params),
  async detect({ sql, ctx, params, subset }) {
    const run: FuzzyRun = { sql, market: ctx.market, subset }
    const out = params.entity === 'address' ? await detectAddresses(run, params) : await detectCustomers(run, params)
    await routeByContracts(sql, params.entity, out)
    return out
  },
})
