// Kind `fuzzy-duplicate`: groups of records that denote the same place or the same customer however written.
// Blocking first (the database keeps only blocks with ≥2 records and streams them in block order), then
// similarity within a block only. Near spellings are gathered round a centre spelling (no chaining: every member
// is one slip from its centre); exact links (one normalized form, one INN, one name and phone) are joined into
// groups. Never pairwise over a whole table. Each finding explains itself (what agrees, what slipped, the key).
// Two records a person marked «not a duplicate» (distinct_mark) are never reported together: a group holding such
// a pair is reported as the maximal cliques of its unmarked pairs.
import { LEGAL_FORMS_SPELLED } from '../../customers/identifiers.ts'
import { z } from '../../i18n/zod.ts'
import { addressBlockKey } from '../../addresses/parse.ts'
import { NAME_WORD_FOLDS } from '../../addresses/vocabulary.ts'
import { entityDef, rename } from '../entities.ts'
import { compareKeys, defineDetector, refs, type PlanExpansion, type RawFinding, type Subset } from '../detector.ts'
import { ALL_AT_ONCE, streamGroups } from '../sql-stream.ts'
import { routeByContracts } from './predicate.ts'
import { ADDRESS_FIELD_RU, CUSTOMER_FIELD_RU, explanationRu, oversizedRu, slipRu } from '../../i18n/ru-duplicates.ts'
import { distinctSplitRu } from '../../i18n/ru-distinct.ts'
import type { SqlClient } from '../../db/database.ts'

const addressParams = z.strictObject({
  entity: z.literal('address'),
  /**
   * Street names in one block (same city, street type, house, корпус, строение and flat) that differ by at most
   * this many letters (a substitution, insertion, deletion or swap of neighbours) denote one street.
   */
  streetEdits: z.union([z.literal(0), z.literal(1)]).default(1),
  /** two names both shorter must match exactly: «Мира»/«Мина» are more likely two streets than a typo */
  minStreetLength: z.number().int().min(1).default(5),
  /**
   * A typo lives on the one record it was typed into: when both spellings are streets with houses of their own
   * («Прудовая» and «Трудовая», «Луговая» and «Логовая»), they are two streets. A pair is a typo only when one
   * spelling occurs at no more than this many houses of its city.
   */
  typoMaxHouses: z.number().int().min(1).default(1),
  /**
   * Settlement names (the city field) of addresses equal in all else (street type and name, house, корпус, строение,
   * flat) that differ by at most this many letters denote one settlement: the same slips as in a street name.
   */
  cityEdits: z.union([z.literal(0), z.literal(1)]).default(1),
  /** two settlement names both shorter must match exactly («Омск»/«Орск»); «Пенза»/«Пеза» is a slip */
  minCityLength: z.number().int().min(1).default(5),
  /**
   * As typoMaxHouses for streets: two settlements one letter apart that each have houses of their own («Горки» and
   * «Горка», two villages) are two. A pair is a slip only when one spelling is on no more than this many houses.
   */
  cityTypoMaxHouses: z.number().int().min(1).default(2),
  /** a group of more addresses is split into parts of at most this many, each flagged for review */
  maxGroup: z.number().int().min(3).default(10),
})

const customerParams = z.strictObject({
  entity: z.literal('customer'),
  /** the same INN is the same customer */
  byInn: z.boolean().default(true),
  /** the same folded name (nameNorm) with the same phone (phoneNorm) is the same customer */
  byNameAndPhone: z.boolean().default(true),
  /**
   * slips the folded names of one phone may differ by: 1 allows one slip in one word (docs/spec-readings.md says
   * what is one); 0 asks for equal names
   */
  nameEdits: z.union([z.literal(0), z.literal(1)]).default(1),
  minNameLength: z.number().int().min(1).default(8),
  /** a group joined by name and phone of more customers is split into parts of at most this many, flagged for review */
  maxGroup: z.number().int().min(3).default(10),
})

export const fuzzyDuplicateParams = z.discriminatedUnion('entity', [addressParams, customerParams])
export type FuzzyDuplicateParams = z.output<typeof fuzzyDuplicateParams>
export type AddressDuplicateParams = z.output<typeof addressParams>
export type CustomerDuplicateParams = z.output<typeof customerParams>

// ─── similarity ───

/** What one slip did to the centre's spelling; `letters` are the letters involved (replaced: member's, centre's). */
export type SlipKind = 'replaced' | 'missing' | 'added' | 'swapped'
export interface Slip { kind: SlipKind; letters: string }

/**
 * The one slip that turns the centre's spelling `to` into the member's `from` (optimal string alignment distance
 * 1: a letter replaced, missing or added, or two neighbours swapped), or null when equal or further apart.
 */
export function slipBetween(from: string, to: string): Slip | null {
  if (from === to) return null
  const lf = from.length, lt = to.length
  if (Math.abs(lf - lt) > 1) return null
  let i = 0
  while (i < lf && i < lt && from[i] === to[i]) i++
  if (lf === lt) {
    if (from.slice(i + 1) === to.slice(i + 1)) return { kind: 'replaced', letters: from[i] + to[i] }
    const swapped = i + 1 < lf && from[i] === to[i + 1] && from[i + 1] === to[i] && from.slice(i + 2) === to.slice(i + 2)
    return swapped ? { kind: 'swapped', letters: from[i] + from[i + 1] } : null
  }
  if (lf < lt) return from.slice(i) === to.slice(i + 1) ? { kind: 'missing', letters: to[i] } : null
  return from.slice(i + 1) === to.slice(i) ? { kind: 'added', letters: from[i] } : null
}

/** Optimal string alignment distance ≤ 1: equal, or one substitution, insertion, deletion or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  return a === b || slipBetween(a, b) !== null
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

// a vowel for a vowel (unstressed vowels are written by ear: «Калинуна», «Петрува»), a voiced consonant for its
// voiceless pair (heard alike at the end of a syllable)
const VOWELS = new Set(Array.from('аеиоуыэюя'))
const VOICING_PAIRS = new Set(['бп', 'пб', 'вф', 'фв', 'гк', 'кг', 'дт', 'тд', 'жш', 'шж', 'зс', 'сз'])

/**
 * Whether two spellings one slip apart look like a slip of the hand or the ear rather than two names: the first
 * letter is right (people rarely mistype it; «Прудовая»/«Трудовая» are two streets), and a replaced letter is a
 * keyboard neighbour, a vowel for a vowel or a consonant for its voicing pair; a missing, added or swapped
 * letter always counts.
 */
export function plausibleTypo(a: string, b: string): boolean {
  if (a === b) return true
  if (a[0] !== b[0]) return false
  const slip = slipBetween(a, b)
  if (!slip) return false
  if (slip.kind !== 'replaced') return true
  const [x, y] = slip.letters
  return keyboardNeighbours(x, y) || (VOWELS.has(x) && VOWELS.has(y)) || VOICING_PAIRS.has(x + y)
}

/** Every string one letter shorter, and the string itself: two strings one slip apart share one of these. */
function deletionVariants(s: string): Set<string> {
  const variants = new Set([s])
  for (let i = 0; i < s.length; i++) variants.add(s.slice(0, i) + s.slice(i + 1))
  return variants
}

/** Distinct candidates sharing a key, each pair once in code-point order, kept when `accept` holds. */
function pairsSharingKeys(byKey: Map<string, string[]>, accept: (a: string, b: string) => boolean): Array<[string, string]> {
  const seen = new Set<string>()
  const pairs: Array<[string, string]> = []
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = compareKeys(list[i], list[j]) < 0 ? [list[i], list[j]] : [list[j], list[i]]
        const id = `${a}\u0000${b}`
        if (a === b || seen.has(id)) continue
        seen.add(id)
        if (accept(a, b)) pairs.push([a, b])
      }
    }
  }
  return pairs
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

// a folded word of a name and the words written out that it stands for («нов» → новая, новый, …), so that a slip in
// a word written out («Наовая», «Нжняя», «Больша») is compared with what its fold stands for
const UNFOLDED = new Map<string, string[]>()
for (const [word, fold] of NAME_WORD_FOLDS) if (word.length >= 5) addTo(UNFOLDED, fold, word)

/** A name's key, and the same with one folded word written out, in each of its forms. */
function spellingsOf(name: string): string[] {
  const words = name.split(' ')
  const out = [name]
  words.forEach((w, i) => { for (const full of UNFOLDED.get(w) ?? []) out.push([...words.slice(0, i), full, ...words.slice(i + 1)].join(' ')) })
  return out
}

/** One plausible slip between two names and the spellings it is between (a folded word written out where it helps). */
export interface NameTypo { from: string; to: string; slip: Slip }

/**
 * The plausible slip that turns name `to` into name `from`, the folded words of either written out if needed; the
 * numbers equal («1-я Линия», «2-я Линия» are two streets) and the longer spelling of at least `minLength` letters
 * («Мира»/«Мина» are more likely two streets; «Пенза»/«Пеза» is a slip). Null when none.
 */
export function nameTypo(from: string, to: string, minLength: number): NameTypo | null {
  for (const f of spellingsOf(from)) {
    for (const t of spellingsOf(to)) {
      if (Math.max(f.length, t.length) < minLength || digitsOf(f) !== digitsOf(t) || !plausibleTypo(f, t)) continue
      const slip = slipBetween(f, t)
      if (slip) return { from: f, to: t, slip }
    }
  }
  return null
}

/**
 * Pairs of distinct names one plausible slip apart (see nameTypo). Candidates come from the deletion neighbourhood
 * (a name and the name with one letter dropped share a key with any name one edit away), so the work is linear in
 * the block, not quadratic.
 */
export function similarPairs(names: string[], minLength: number): Array<[string, string]> {
  const byVariant = new Map<string, string[]>()
  for (const name of names) {
    const spellings = spellingsOf(name)
    if (Math.max(...spellings.map((sp) => sp.length)) < minLength - 1) continue
    for (const sp of spellings) for (const v of deletionVariants(sp)) addTo(byVariant, v, name)
  }
  return pairsSharingKeys(byVariant, (a, b) => nameTypo(a, b, minLength) !== null)
}

/** A fuzzy group before it is reported: a centre spelling and the spellings one slip from it. */
export interface Cluster { centre: string; members: string[] }

/**
 * Groups that cannot chain. Spellings are ranked by weight (how many records carry them), then by how many
 * spellings are one slip from them, then by `order`; each spelling not yet taken becomes a centre and takes the
 * spellings one slip from it that are not yet taken. So every member is one slip from its centre (A~B and B~C
 * never put A and C together through B), and the result does not depend on the order of the input.
 */
export function centreClusters(names: string[], pairs: Array<[string, string]>, weight: (name: string) => number,
  order: (a: string, b: string) => number): Cluster[] {
  const near = new Map<string, string[]>()
  for (const [a, b] of pairs) { addTo(near, a, b); addTo(near, b, a) }
  const degree = (n: string) => near.get(n)?.length ?? 0
  const ranked = [...names].sort((a, b) => weight(b) - weight(a) || degree(b) - degree(a) || order(a, b))
  const taken = new Set<string>()
  const clusters: Cluster[] = []
  for (const centre of ranked) {
    if (taken.has(centre)) continue
    taken.add(centre)
    const members = (near.get(centre) ?? []).filter((n) => !taken.has(n)).sort(compareKeys)
    for (const m of members) taken.add(m)
    clusters.push({ centre, members })
  }
  return clusters
}

/**
 * A group over the limit in near-equal parts of at most `limit` keys, in key order (the keys come sorted); a
 * real place or person is rarely written more than a few ways, so such a group is flagged for a person to judge.
 */
export function splitOversized<T>(sorted: T[], limit: number): T[][] {
  if (sorted.length <= limit) return [sorted]
  const parts = Math.ceil(sorted.length / limit)
  const out: T[][] = []
  for (let p = 0, start = 0; p < parts; p++) {
    const size = Math.floor(sorted.length / parts) + (p < sorted.length % parts ? 1 : 0)
    out.push(sorted.slice(start, start + size))
    start += size
  }
  return out
}

/** What a part of a split group says about the whole, in `details.review`. */
interface Review { size: number; limit: number; part: number; parts: number }

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
    for (const x of this.parent.keys()) addTo(byRoot, this.find(x), x)
    return [...byRoot.values()].filter((g) => g.length > 1).map((g) => g.sort(compareKeys))
  }
}

// ─── «not a duplicate» marks ───

/** One pair of keys as one string, the smaller first (UTF-16 order: the same pair whichever way it is stored or given). */
export function pairKey(a: string, b: string): string {
  return compareKeys(a, b) <= 0 ? `${a}\u0000${b}` : `${b}\u0000${a}`
}

/**
 * The live «not a duplicate» marks of one record type as pairKeys; with `keys`, only the pairs naming one of them.
 * The table is small (people make the marks one by one): a detection reads it once, whole.
 */
export async function markedPairs(sql: SqlClient, type: 'address' | 'customer', keys?: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql.query<{ a: string; b: string }>(
    `SELECT "keyA" AS a, "keyB" AS b FROM distinct_mark WHERE "entityType" = $1 AND "removedAt" IS NULL
       ${keys ? 'AND ("keyA" = ANY($2::text[]) OR "keyB" = ANY($2::text[]))' : ''}`,
    keys ? [type, [...keys]] : [type])
  return new Set(rows.map((r) => pairKey(r.a, r.b)))
}

/**
 * Pure: the parts a group is reported as when some of its pairs are marked «not a duplicate» — the maximal cliques
 * (of two or more) of its unmarked pairs, found by Bron–Kerbosch with a pivot (groups are small: at most maxGroup,
 * or the records of one INN). So every unmarked pair is still reported together, and no marked pair ever is,
 * whatever else joins the group. Keys and parts come in code-point order; a group without a marked pair is itself.
 */
export function splitByMarks(keys: readonly string[], marked: ReadonlySet<string>): string[][] {
  const sorted = [...keys].sort(compareKeys)
  if (!holdsMarkedPair(sorted, marked)) return [sorted]
  const near = sorted.map((a, i) => new Set(sorted.flatMap((b, j) => (i !== j && !marked.has(pairKey(a, b)) ? [j] : []))))
  const cliques: number[][] = []
  const extend = (clique: number[], candidates: Set<number>, excluded: Set<number>) => {
    if (candidates.size === 0 && excluded.size === 0) {
      if (clique.length >= 2) cliques.push(clique)
      return
    }
    // the pivot with the most candidates among its neighbours: only the candidates it is not near need a branch
    let pivot = -1, best = -1
    for (const u of [...candidates, ...excluded]) {
      let n = 0
      for (const v of candidates) if (near[u].has(v)) n++
      if (n > best) { best = n; pivot = u }
    }
    // deleting the element being visited leaves a Set's iteration intact
    for (const v of candidates) {
      if (near[pivot].has(v)) continue
      extend([...clique, v], new Set([...candidates].filter((w) => near[v].has(w))), new Set([...excluded].filter((w) => near[v].has(w))))
      candidates.delete(v)
      excluded.add(v)
    }
  }
  extend([], new Set(sorted.keys()), new Set())
  return cliques.map((c) => c.sort((x, y) => x - y).map((i) => sorted[i]))
    .sort((x, y) => compareKeys(x.join('\u0000'), y.join('\u0000')))
}

/** Whether two of the keys are marked: by the marks when they are fewer than the group's pairs (the usual case), else pair by pair. */
function holdsMarkedPair(sorted: readonly string[], marked: ReadonlySet<string>): boolean {
  if (marked.size === 0 || sorted.length < 2) return false
  if (marked.size < (sorted.length * (sorted.length - 1)) / 2) {
    const inGroup = new Set(sorted)
    for (const pair of marked) {
      const cut = pair.indexOf('\u0000')
      if (inGroup.has(pair.slice(0, cut)) && inGroup.has(pair.slice(cut + 1))) return true
    }
    return false
  }
  return sorted.some((a, i) => sorted.slice(i + 1).some((b) => marked.has(pairKey(a, b))))
}

/** The marked pairs of a group that name one of a part's keys: what the part's explanation says split it. */
function marksSplitting(group: readonly string[], part: readonly string[], marked: ReadonlySet<string>): Array<[string, string]> {
  const inPart = new Set(part)
  const pairs: Array<[string, string]> = []
  const sorted = [...group].sort(compareKeys)
  for (const [i, a] of sorted.entries()) {
    for (const b of sorted.slice(i + 1)) if ((inPart.has(a) || inPart.has(b)) && marked.has(pairKey(a, b))) pairs.push([a, b])
  }
  return pairs
}

// ─── addresses ───

export interface AddressRow { key: string; normalized: string }

/** The first block of an address: its normalized form without the street name (field 3 of 7), the column blockKey. */
export const addressBlock = addressBlockKey

/**
 * The second block of an address: its normalized form without the settlement name (field 1 of 7), where a slip in
 * the settlement's name is looked for (in SQL the expression of the index address_city_block_idx).
 */
export const cityBlockOf = (normalized: string) => normalized.slice(normalized.indexOf('|') + 1)
const cityBlockSql = (alias: string) => `substr(${alias}.normalized, strpos(${alias}.normalized, '|') + 1)`
const citySql = (alias: string) => `split_part(${alias}.normalized, '|', 1)`

/** A re-check's group that names a second block; a first block starts with a settlement name, which holds no «:». */
const CITY_BLOCK = 'city:'

/** city|type|name: the street an address's normalized form is on (the column streetKey). */
export const streetKeyOf = (normalized: string) => normalized.split('|').slice(0, 3).join('|')
const cityOf = (normalized: string) => normalized.split('|')[0]

/**
 * How established a spelling is: the houses of its street (streetKey, city|type|name) and of its settlement (its
 * name, the first field). A near spelling is a slip only while one of the two is on few houses.
 */
export interface Houses { street(streetKey: string): number; city(city: string): number }

/** Settlements are counted up to this many houses: enough to rank them, cheap for a city of a million addresses. */
const CITY_HOUSES_COUNTED = 100

/** The fields of a normalized form, in its order (see addresses/parse.ts keyOf). */
const ADDRESS_FIELDS = ['city', 'streetType', 'street', 'house', 'building', 'structure', 'flat'] as const

/** The name a block's spellings differ in: the street's (first blocking) or the settlement's (second). */
export type NameField = 'street' | 'city'
const FIELD_AT: Record<NameField, number> = { city: 0, street: 2 }
const nameIn = (normalized: string, field: NameField) => normalized.split('|')[FIELD_AT[field]] ?? ''

/** A block's spellings worth keeping: the records of each name, and the near spellings to confirm. */
export interface BlockMatches { field: NameField; block: string; byName: Map<string, AddressRow[]>; typos: Array<[string, string]> }

const firstBlockOf = (params: AddressDuplicateParams) => (normalized: string) => params.streetEdits > 0 ? addressBlock(normalized) : normalized

/**
 * Pure: within one block, the records of each name (keys in order), and the near spellings worth confirming. In a
 * first block (same city, street type, house, корпус, строение and flat) the names are the street's; in a second
 * one (all that but the settlement) they are the settlement's.
 */
export function matchBlock(params: AddressDuplicateParams, rows: AddressRow[], block?: string, field: NameField = 'street'): BlockMatches {
  const byName = new Map<string, AddressRow[]>()
  for (const r of [...rows].sort((a, b) => compareKeys(a.key, b.key))) addTo(byName, nameIn(r.normalized, field), r)
  const [edits, minLength] = field === 'street' ? [params.streetEdits, params.minStreetLength] : [params.cityEdits, params.minCityLength]
  // one spelling has no near spelling: the deletion neighbourhood is not worth building
  const typos = edits > 0 && byName.size > 1 ? similarPairs([...byName.keys()], minLength) : []
  return { field, block: block ?? (field === 'street' ? firstBlockOf(params)(rows[0].normalized) : cityBlockOf(rows[0].normalized)), byName, typos }
}

/** Whether a block contributes anything: two records of one spelling (a first block), or a near spelling. */
export function blockMatters(m: BlockMatches): boolean {
  return m.typos.length > 0 || (m.field === 'street' && [...m.byName.values()].some((rows) => rows.length > 1))
}

/** One spelling of a place (a normalized form) and its records. */
export interface Spelling { normalized: string; rows: AddressRow[] }

/** A group of addresses: a centre spelling, and the spellings one slip from it in the street's or the settlement's name. */
export interface AddressGroup { centre: Spelling; members: Array<Spelling & { field: NameField; typo: NameTypo }> }

/**
 * Pure: the groups of the blocks of both blockings. Near spellings are confirmed by how established each is (one
 * of the two on at most typoMaxHouses houses of its street, cityTypoMaxHouses of its settlement); then all
 * spellings, whichever blocking linked them, are gathered round centres — so a place is in one group, and every
 * member is one slip (in one name) from its centre.
 */
export function addressGroups(params: AddressDuplicateParams, matches: BlockMatches[], houses: Houses): AddressGroup[] {
  const rowsOf = new Map<string, AddressRow[]>()
  const pairs: Array<[string, string]> = []
  const streetHouses = (n: string) => houses.street(streetKeyOf(n)), cityHouses = (n: string) => houses.city(cityOf(n))
  for (const m of matches) {
    for (const rows of m.byName.values()) rowsOf.set(rows[0].normalized, rows)
    const [housesOf, max] = m.field === 'street' ? [streetHouses, params.typoMaxHouses] : [cityHouses, params.cityTypoMaxHouses]
    for (const [a, b] of m.typos) {
      const na = m.byName.get(a)![0].normalized, nb = m.byName.get(b)![0].normalized
      if (Math.min(housesOf(na), housesOf(nb)) <= max) pairs.push([na, nb])
    }
  }
  // the spelling on more houses of its settlement, then of its street, is the established one; then the one of the first key
  const order = (a: string, b: string) => cityHouses(b) - cityHouses(a) || streetHouses(b) - streetHouses(a) ||
    compareKeys(rowsOf.get(a)![0].key, rowsOf.get(b)![0].key)
  const groups: AddressGroup[] = []
  for (const c of centreClusters([...rowsOf.keys()], [...new Map(pairs.map((p) => [p.join('\u0000'), p])).values()], (n) => rowsOf.get(n)!.length, order)) {
    const centre = { normalized: c.centre, rows: rowsOf.get(c.centre)! }
    const members = c.members.map((normalized) => {
      const field: NameField = cityOf(normalized) === cityOf(c.centre) ? 'street' : 'city'
      const typo = nameTypo(nameIn(normalized, field), nameIn(c.centre, field), field === 'street' ? params.minStreetLength : params.minCityLength)!
      return { normalized, rows: rowsOf.get(normalized)!, field, typo }
    })
    if (members.length > 0 || centre.rows.length > 1) groups.push({ centre, members })
  }
  return groups
}

/** Pure detection over any address rows (only those with a house: a houseless address denotes no one place). */
export function detectAddressDuplicates(params: AddressDuplicateParams, rows: AddressRow[], houses?: Houses, marked?: ReadonlySet<string>): RawFinding[] {
  const matches: BlockMatches[] = []
  const blocking = (field: NameField, blockOf: (normalized: string) => string) => {
    const blocks = new Map<string, AddressRow[]>()
    for (const r of rows) addTo(blocks, blockOf(r.normalized), r)
    // as the database does: a block of one record has no group
    for (const [block, b] of blocks) if (b.length > 1) matches.push(matchBlock(params, b, block, field))
  }
  blocking('street', firstBlockOf(params))
  if (params.cityEdits > 0) blocking('city', cityBlockOf)
  return addressFindings(params, addressGroups(params, matches.filter(blockMatters), houses ?? housesFromRows(rows)), marked)
}

function housesFromRows(rows: AddressRow[]): Houses {
  const count = (keyOf: (normalized: string) => string) => {
    const houses = new Map<string, Set<string>>()
    for (const r of rows) {
      const key = keyOf(r.normalized)
      ;(houses.get(key) ?? houses.set(key, new Set()).get(key)!).add(r.normalized.split('|').slice(0, 6).join('|'))
    }
    return (key: string) => houses.get(key)?.size ?? 0
  }
  const street = count(streetKeyOf), city = count(cityOf)
  return { street, city: (c) => Math.min(city(c), CITY_HOUSES_COUNTED) }
}

/**
 * The findings of the groups, each explaining itself: the fields that agree, the spellings one slip from the
 * centre and how, the match key (the normalized form when all agree, the first block when a street name
 * slipped, the second when a settlement's did). A group over the limit is split into parts; a part holding a
 * pair marked «not a duplicate» is reported as the cliques of its unmarked pairs, each saying only what its own
 * records show.
 */
function addressFindings(params: AddressDuplicateParams, groups: AddressGroup[], marked: ReadonlySet<string> = new Set()): RawFinding[] {
  return groups.flatMap((g) => {
    const all = [g.centre, ...g.members].flatMap((n) => n.rows).sort((a, b) => compareKeys(a.key, b.key))
    const parts = splitOversized(all, params.maxGroup)
    return parts.flatMap((rows, i) => {
      const review: Review | undefined = parts.length > 1 ? { size: all.length, limit: params.maxGroup, part: i + 1, parts: parts.length } : undefined
      const partKeys = rows.map((r) => r.key)
      return splitByMarks(partKeys, marked).map((keys) =>
        addressFinding(params, g, rows.filter((r) => keys.includes(r.key)), review, marksSplitting(partKeys, keys, marked)))
    })
  })
}

/** One reported group (a part of one) of addresses; `distinct`: the marked pairs that split it off its group. */
function addressFinding(params: AddressDuplicateParams, g: AddressGroup, rows: AddressRow[], review: Review | undefined,
  distinct: Array<[string, string]>): RawFinding {
  const centre = g.centre.normalized
  const keys = rows.map((r) => r.key)
  const differ = g.members.filter((n) => n.rows.some((r) => keys.includes(r.key))).map((n) => ({
    field: n.field, from: n.typo.from, to: n.typo.to, slip: n.typo.slip.kind, letters: n.typo.slip.letters,
    keys: n.rows.map((r) => r.key).filter((k) => keys.includes(k)) }))
  const differs = new Set(differ.map((d) => d.field))
  const agree = ADDRESS_FIELDS.filter((f) => !differs.has(f as NameField))
  const matchKey = [...(differs.has('street') ? [firstBlockOf(params)(centre)] : []), ...(differs.has('city') ? [cityBlockOf(centre)] : [])].join(', ') || centre
  let explanation = explanationRu(agree.map((f) => ADDRESS_FIELD_RU[f]),
    differ.map((d) => `${ADDRESS_FIELD_RU[d.field]} ${slipRu(d)}`), matchKey)
  if (review) explanation += `; ${oversizedRu(review.size, review.limit, review.part, review.parts)}`
  if (distinct.length > 0) explanation += `; ${distinctSplitRu(distinct)}`
  return {
    entities: refs('address', keys),
    data: { count: keys.length, keys: keys.join(', '), normalized: centre, explanation },
    details: {
      normalized: Object.fromEntries(rows.map((r) => [r.key, r.normalized])), matchKey, centre: nameIn(centre, 'street'), agree, differ,
      ...(review ? { review } : {}), ...(distinct.length > 0 ? { distinct } : {}),
    },
    marketCode: null,
    equipmentTypeCode: null,
  }
}

// ─── customers ───

export interface CustomerRow { key: string; inn: string | null; nameNorm: string | null; phoneNorm: string | null }

/** The slip in one word of a name: the member's word, the centre's word, and the slip between them. */
export interface NameSlip { from: string; to: string; slip: Slip }

// a word and the same word with «а»/«я» at the end, or «й» for «я» there, are the two genders of one name
// (Павлов/Павлова, Александр/Александра, Евгений/Евгения): two people, not a slip
function genderPair(a: string, b: string): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a]
  // «Васильевн»: a female patronymic that lost its last letter (the male one ends in «-вич», «-ич»), not a gender
  if (long.length === short.length + 1) return long.startsWith(short) && /[ая]$/.test(long) && !/[вч]н$/.test(short)
  return a.length === b.length && a.slice(0, -1) === b.slice(0, -1) && new Set([a.at(-1), b.at(-1)]).has('я') && new Set([a.at(-1), b.at(-1)]).has('й')
}

const MIN_SLIPPED_WORD = 4

/**
 * The one slip between two folded names (words sorted, see customers/identifiers.ts normalizeName): all words
 * equal but one, and that one a plausible slip of the other — its first letter right, not the other gender, of
 * at least four letters. Null otherwise.
 */
export function nameSlip(from: string, to: string): NameSlip | null {
  const a = from.split(' '), rest = to.split(' ')
  if (a.length !== rest.length) return null
  const extra: string[] = []
  for (const w of a) {
    const i = rest.indexOf(w)
    if (i >= 0) rest.splice(i, 1)
    else extra.push(w)
  }
  if (extra.length !== 1 || rest.length !== 1) return null
  const [w, c] = [extra[0], rest[0]]
  // the two genders of one name are two people — unless the words both names share (surname, patronymic) already
  // say which gender the person is: «Тихомирова Светлан Павловна» is Светлана with a letter missing
  const otherGender = genderPair(w, c) && genderOf(a.filter((x) => x !== w)) === null
  if (Math.max(w.length, c.length) < MIN_SLIPPED_WORD || w[0] !== c[0] || digitsOf(w) !== digitsOf(c) || otherGender) return null
  const slip = slipBetween(w, c)
  return slip ? { from: w, to: c, slip } : null
}

/**
 * The spelled-out legal forms, and those whose tail normalizeName has already abbreviated: «пуубличное акционерное
 * общество» is folded to «пуубличное ао» (the tail was right), so «публичное ао» is a form too.
 */
const LEGAL_PHRASES: ReadonlyArray<readonly [readonly string[], string]> = [
  ...LEGAL_FORMS_SPELLED,
  ...LEGAL_FORMS_SPELLED.flatMap(([words, short]) => LEGAL_FORMS_SPELLED
    .filter(([tail]) => tail.length < words.length && tail.every((w, i) => words[words.length - tail.length + i] === w))
    .map(([tail, tailShort]) => [[...words.slice(0, words.length - tail.length), tailShort], short] as const)),
]

// the gendered endings of Russian surnames and patronymics: a name whose other words carry a gender has one
const FEMALE = /(?:овна|евна|ична|ова|ева|ина|ына|ская|цкая)$/
const MALE = /(?:ович|евич|ич|ов|ев|ин|ын|ский|цкий)$/
function genderOf(words: readonly string[]): 'f' | 'm' | null {
  const female = words.some((w) => FEMALE.test(w)), male = words.some((w) => MALE.test(w))
  return female === male ? null : female ? 'f' : 'm'
}

/**
 * A folded name whose spelled-out legal form carries one slip («акционерное ощество») with the form abbreviated as
 * normalizeName abbreviates a correct one, and that slip; the name as it was (slip null) when there is none. A slip
 * in a legal form is the name's one slip: the name is then not compared with a slip elsewhere (see customerMatches).
 */
export function foldLegalFormSlip(name: string): { name: string; slip: NameSlip | null } {
  const words = name.split(' ')
  for (const [phrase, short] of LEGAL_PHRASES) {
    const used = new Set<number>()
    let slip: NameSlip | null = null
    const found = phrase.every((p) => {
      const exact = words.findIndex((w, i) => !used.has(i) && w === p)
      if (exact >= 0) {
        used.add(exact)
        return true
      }
      if (slip !== null || p.length < MIN_SLIPPED_WORD) return false
      for (const [i, w] of words.entries()) {
        if (used.has(i) || w[0] !== p[0]) continue
        const s = slipBetween(w, p)
        if (s) {
          slip = { from: w, to: p, slip: s }
          used.add(i)
          return true
        }
      }
      return false
    })
    if (found && slip !== null) {
      const rest = words.filter((_, i) => !used.has(i))
      return { name: [...rest, short].sort().join(' '), slip }
    }
  }
  return { name, slip: null }
}

/** Pairs of distinct folded names one word-slip apart; candidates share a key (other words + a deletion variant). */
export function similarNames(names: string[], minLength: number): Array<[string, string]> {
  const byKey = new Map<string, string[]>()
  for (const name of names) {
    if (name.length < minLength) continue
    const words = name.split(' ')
    words.forEach((word, i) => {
      const others = [...words.slice(0, i), ...words.slice(i + 1)].join(' ')
      for (const v of deletionVariants(word)) addTo(byKey, `${others}\u0001${v}`, name)
    })
  }
  return pairsSharingKeys(byKey, (a, b) => nameSlip(a, b) !== null)
}

/** One reason two customers are one: the same INN, or the same phone with one name (exact or one slip apart). */
export interface CustomerLink { a: string; b: string; by: 'inn' | 'name+phone'; value: string; slip?: NameSlip }

/** Pure: the links within one block — same INN, or same phone and names gathered round centres within `nameEdits`. */
export function customerMatches(params: CustomerDuplicateParams, by: 'inn' | 'phone', block: CustomerRow[]): CustomerLink[] {
  const links: CustomerLink[] = []
  const rows = [...block].sort((a, b) => compareKeys(a.key, b.key))
  if (by === 'inn') {
    const members = rows.filter((r) => r.inn)
    for (const r of members.slice(1)) if (r.inn === members[0].inn) links.push({ a: members[0].key, b: r.key, by: 'inn', value: r.inn! })
    return links
  }
  const phone = rows[0]?.phoneNorm
  const byName = new Map<string, string[]>()
  // a slip in a spelled-out legal form is read with the form (the record joins the others of its name, the slip noted)
  const legalSlips = new Map<string, NameSlip>()
  for (const r of rows) {
    if (!r.nameNorm || !r.phoneNorm || r.phoneNorm !== phone) continue
    const folded = params.nameEdits > 0 ? foldLegalFormSlip(r.nameNorm) : { name: r.nameNorm, slip: null }
    if (folded.slip) legalSlips.set(r.key, folded.slip)
    addTo(byName, folded.name, r.key)
  }
  for (const keys of byName.values()) {
    for (const k of keys.slice(1)) {
      const slip = legalSlips.get(k) ?? legalSlips.get(keys[0])
      links.push({ a: keys[0], b: k, by: 'name+phone', value: phone!, ...(slip ? { slip } : {}) })
    }
  }
  if (params.nameEdits > 0 && byName.size > 1) {
    const keysOf = (n: string) => byName.get(n)!
    // a name reached only through a slipped legal form has used its one slip: it is no centre's member nor centre
    const slipped = (n: string) => keysOf(n).every((k) => legalSlips.has(k))
    const pairs = similarNames([...byName.keys()].filter((n) => !slipped(n)), params.minNameLength)
    const clusters = centreClusters([...byName.keys()], pairs, (n) => keysOf(n).length, (a, b) => compareKeys(keysOf(a)[0], keysOf(b)[0]))
    for (const c of clusters) {
      for (const m of c.members) links.push({ a: keysOf(c.centre)[0], b: keysOf(m)[0], by: 'name+phone', value: phone!, slip: nameSlip(m, c.centre)! })
    }
  }
  return links
}

/** Pure detection over any customer rows: INN blocks and phone blocks, links joined into groups. */
export function detectCustomerDuplicates(params: CustomerDuplicateParams, rows: CustomerRow[], marked?: ReadonlySet<string>): RawFinding[] {
  const links: CustomerLink[] = []
  const block = (by: 'inn' | 'phone', keyOf: (r: CustomerRow) => string | null) => {
    const blocks = new Map<string, CustomerRow[]>()
    for (const r of rows) {
      const k = keyOf(r)
      if (k) addTo(blocks, k, r)
    }
    for (const b of blocks.values()) if (b.length > 1) links.push(...customerMatches(params, by, b))
  }
  if (params.byInn) block('inn', (r) => r.inn)
  if (params.byNameAndPhone) block('phone', (r) => r.phoneNorm)
  return customerFindings(params, links, marked)
}

/**
 * Groups of the links (INN and phone groups are joined), each explaining itself: what agrees (INN, phone, name),
 * the slips, the match keys. A group joined by a name over the limit is split; a group of one INN is not. A group
 * (or part) holding a pair marked «not a duplicate» is reported as the cliques of its unmarked pairs.
 */
function customerFindings(params: CustomerDuplicateParams, links: CustomerLink[], marked: ReadonlySet<string> = new Set()): RawFinding[] {
  const components = new Components()
  for (const l of links) components.union(l.a, l.b)
  const linksOf = new Map<string, CustomerLink[]>()
  for (const l of links) addTo(linksOf, components.find(l.a), l)
  return components.groups().flatMap((all) => {
    const own = linksOf.get(components.find(all[0])) ?? []
    const byName = own.some((l) => l.by === 'name+phone')
    const parts = byName ? splitOversized(all, params.maxGroup) : [all]
    return parts.flatMap((part, i) => {
      const review: Review | undefined = parts.length > 1 ? { size: all.length, limit: params.maxGroup, part: i + 1, parts: parts.length } : undefined
      const split = splitByMarks(part, marked)
      if (split.length === 1 && split[0].length === part.length) return [customerFinding(own, part, review, [], own.filter((l) => part.includes(l.a) || part.includes(l.b)))]
      return split.map((keys) => {
        // a clique says what its own records share: the links between them, else (joined only through a record
        // left out) the links that reach them
        const within = own.filter((l) => keys.includes(l.a) && keys.includes(l.b))
        const links = within.length > 0 ? within : own.filter((l) => keys.includes(l.a) || keys.includes(l.b))
        return customerFinding(links, keys, review, marksSplitting(part, keys, marked), links)
      })
    })
  })
}

/**
 * One reported group (a part of one) of customers, described by `inPart`, the links that hold it together; `matched`:
 * the links whose kinds it says it was matched by (a part of a group over the limit: the whole group's).
 */
function customerFinding(matched: CustomerLink[], keys: string[], review: Review | undefined, distinct: Array<[string, string]>, inPart: CustomerLink[]): RawFinding {
  const by = [...new Set(matched.map((l) => l.by))].sort()
  const slips = inPart.filter((l) => l.slip).map((l) => ({ field: 'name', from: l.slip!.from, to: l.slip!.to, slip: l.slip!.slip.kind, letters: l.slip!.slip.letters, keys: [l.b] }))
  const byPhone = inPart.some((l) => l.by === 'name+phone')
  const agree = [
    ...(inPart.some((l) => l.by === 'inn') ? ['inn'] : []),
    ...(byPhone ? ['phone'] : []),
    ...(byPhone && slips.length === 0 ? ['name'] : []),
  ]
  const matchKeys = [...new Set(inPart.map((l) => `${l.by === 'inn' ? CUSTOMER_FIELD_RU.inn : CUSTOMER_FIELD_RU.phone} ${l.value}`))].sort()
  let explanation = explanationRu(agree.map((f) => CUSTOMER_FIELD_RU[f]), slips.map((s) => `${CUSTOMER_FIELD_RU.name} ${slipRu(s)}`), matchKeys.join(', '))
  if (review) explanation += `; ${oversizedRu(review.size, review.limit, review.part, review.parts)}`
  if (distinct.length > 0) explanation += `; ${distinctSplitRu(distinct)}`
  return {
    entities: refs('customer', keys),
    data: { count: keys.length, keys: keys.join(', '), matchedBy: by.join(', '), explanation },
    details: { matchKey: matchKeys, agree, differ: slips, ...(review ? { review } : {}), ...(distinct.length > 0 ? { distinct } : {}) },
    marketCode: null,
    equipmentTypeCode: null,
  }
}

// ─── the database side ───

/**
 * address duplicates: the blocks (first and second) of the subjects; and, because a near spelling counts as a
 * slip only while one spelling is on few houses of its street or settlement, the addresses of the subjects'
 * streets and settlements when those are that small — a house more or less there can make or break a slip in
 * another block. Detection then closes the blocks over the near spellings it finds (see detectAddresses).
 */
async function blocksOfAddresses({ sql, keys, groups, ruleHints, cap }: PlanExpansion<FuzzyDuplicateParams>, params: AddressDuplicateParams) {
  const blockOf = firstBlockOf(params)
  const streets = new Set<string>(), cities = new Set<string>()
  const addBlocks = (normalized: string) => {
    groups.add(blockOf(normalized))
    if (params.cityEdits > 0) groups.add(CITY_BLOCK + cityBlockOf(normalized))
  }
  const addPlaces = (normalized: string) => {
    streets.add(streetKeyOf(normalized))
    if (cityOf(normalized).length >= params.minCityLength) cities.add(cityOf(normalized))
  }
  // what the stored findings say the addresses were (their old normalized form)
  for (const h of ruleHints) {
    const normalized = h.details?.normalized
    if (normalized && typeof normalized === 'object') {
      for (const n of Object.values(normalized as Record<string, unknown>)) {
        if (typeof n === 'string') { addBlocks(n); addPlaces(n) }
      }
    }
  }
  if (keys.size === 0 && streets.size === 0) return
  const { rows } = await sql.query<{ code: string; normalized: string; house: string | null }>(
    `SELECT code, normalized, house FROM address WHERE code = ANY($1::text[])`, [[...keys]])
  for (const r of rows) {
    if (r.house !== null) addBlocks(r.normalized)
    addPlaces(r.normalized)
  }
  const small = async (text: string, places: Set<string>, max: number) => {
    const { rows: found } = await sql.query<{ code: string; normalized: string; house: string | null }>(`${text} LIMIT ${cap + 1}`, [[...places], max + 1])
    for (const r of found) {
      keys.add(r.code)
      if (r.house !== null) addBlocks(r.normalized)
    }
  }
  // a street's or a settlement's house count moves by one per edit: past the limit + 1 now, it was past the limit before
  if (params.streetEdits > 0 && streets.size > 0) {
    await small(`SELECT a.code, a.normalized, a.house FROM address a WHERE a."streetKey" IN (
       SELECT "streetKey" FROM address WHERE "streetKey" = ANY($1::text[]) GROUP BY 1 HAVING count(DISTINCT "houseKey") <= $2)`, streets, params.typoMaxHouses)
  }
  if (params.cityEdits > 0 && cities.size > 0) {
    await small(`SELECT a.code, a.normalized, a.house FROM address a WHERE ${citySql('a')} IN (
       SELECT c FROM unnest($1::text[]) AS c WHERE (${cityHousesSql('c', '$2 + 1')}) <= $2)`, cities, params.cityTypoMaxHouses)
  }
}

/** The houses of settlement `city` counted up to `limit`: an index walk (address_city_house_idx), not a count of a whole city. */
/** (counted to one past the bound it is compared with: a count stopped at the bound itself is never above it) */
const cityHousesSql = (city: string, limit: string) =>
  `SELECT count(*)::int FROM (SELECT DISTINCT h."houseKey" FROM address h WHERE ${citySql('h')} = ${city} ORDER BY 1 LIMIT ${limit}) x`

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

interface FuzzyRun {
  sql: Parameters<typeof streamGroups>[0]
  market?: string
  subset?: Subset
  /** the live «not a duplicate» marks of the rule's record type (pairKeys) */
  marked: ReadonlySet<string>
}

async function detectAddresses(run: FuzzyRun, params: AddressDuplicateParams) {
  const args: unknown[] = []
  const scope = run.market ? (args.push(run.market), `AND ${rename(entityDef('address').scope('$1'), 'a')}`) : ''
  const matches: BlockMatches[] = []
  const read: Record<NameField, Set<string>> = { street: new Set(), city: new Set() }
  // both blockings are streamed in block order, one block at a time; a re-check's blocks are index lookups (blockKey,
  // normalized and address_city_block_idx are indexed), found exactly as in a full run
  const readBlocks = async (field: NameField, only?: string[], into: BlockMatches[] = matches) => {
    if (only) {
      only = only.filter((b) => !read[field].has(b))
      if (only.length === 0) return
      for (const b of only) read[field].add(b)
    }
    const a = [...args]
    const block = field === 'city' ? cityBlockSql('a') : params.streetEdits > 0 ? 'a."blockKey"' : 'a.normalized'
    const subset = only ? `AND ${block} = ANY($${a.push(only)}::text[])` : ''
    // first blocks of ≥2 records; second blocks where two settlements of one first letter (a slip keeps it) meet
    const text = field === 'street'
      ? `SELECT key, normalized, blk FROM (
          SELECT a.code AS key, a.normalized, ${block} AS blk, count(*) OVER (PARTITION BY ${block}) AS n
            FROM address a WHERE a.house IS NOT NULL ${scope} ${subset}) x
         WHERE n > 1 ORDER BY blk`
      // one aggregate, then index lookups (address_city_block_idx): an IN (subquery) is hashed once per parallel worker
      : `SELECT a.code AS key, a.normalized, ${block} AS blk FROM address a
          WHERE a.house IS NOT NULL ${scope} AND ${block} = ANY(ARRAY(
            SELECT ${block} FROM address a WHERE a.house IS NOT NULL ${scope} ${subset}
             GROUP BY 1, left(${citySql('a')}, 1) HAVING min(${citySql('a')}) <> max(${citySql('a')})))
          ORDER BY blk`
    await streamGroups<AddressRow & { blk: string }>(run.sql, text, a, (r) => r.blk, (rows) => {
      const m = matchBlock(params, rows.map((r) => ({ key: r.key, normalized: r.normalized })), rows[0].blk, field)
      if (!blockMatters(m)) return
      // only the spellings that take part in a match are kept: memory grows with the findings, not with the table
      const involved = new Set(m.typos.flat())
      for (const [name, list] of m.byName) if (!involved.has(name) && (list.length < 2 || field === 'city')) m.byName.delete(name)
      into.push(m)
    }, only ? ALL_AT_ONCE : undefined)
  }
  const nearSpellings = () => [...new Set(matches.flatMap((m) => m.typos.flat().map((name) => m.byName.get(name)![0].normalized)))]
  if (!run.subset) {
    // the two blockings side by side (on PostgreSQL two pooled connections; the embedded database runs them in turn),
    // their matches kept in a fixed order
    const byStreet: BlockMatches[] = [], byCity: BlockMatches[] = []
    // both are let finish before a failure is passed on: none is left reading on a connection the audit gives up
    const outcomes = await Promise.allSettled([readBlocks('street', undefined, byStreet), params.cityEdits > 0 ? readBlocks('city', undefined, byCity) : undefined])
    for (const o of outcomes) if (o.status === 'rejected') throw o.reason
    matches.push(...byStreet, ...byCity)
  } else {
    // a spelling with a near one is grouped by all its near spellings, in both of its blocks: those are read too,
    // until no new block comes up, so the groups are those of a full run
    const groups = run.subset.groups ?? []
    let street = groups.filter((g) => !g.startsWith(CITY_BLOCK))
    let city = params.cityEdits > 0 ? groups.filter((g) => g.startsWith(CITY_BLOCK)).map((g) => g.slice(CITY_BLOCK.length)) : []
    while (street.length > 0 || city.length > 0) {
      await readBlocks('street', street)
      await readBlocks('city', city)
      const near = nearSpellings()
      street = [...new Set(near.map(firstBlockOf(params)))].filter((b) => !read.street.has(b))
      city = params.cityEdits > 0 ? [...new Set(near.map(cityBlockOf))].filter((b) => !read.city.has(b)) : []
    }
  }
  const near = nearSpellings()
  const streetHouses = new Map<string, number>(), cityHouses = new Map<string, number>()
  if (near.length > 0) {
    const { rows } = await run.sql.query<{ sk: string; n: number }>(
      `SELECT "streetKey" AS sk, count(DISTINCT "houseKey")::int AS n FROM address WHERE "streetKey" = ANY($1::text[]) GROUP BY 1`,
      [[...new Set(near.map(streetKeyOf))]])
    for (const r of rows) streetHouses.set(r.sk, r.n)
    const { rows: cities } = await run.sql.query<{ c: string; n: number }>(
      `SELECT c, (${cityHousesSql('c', String(CITY_HOUSES_COUNTED))}) AS n FROM unnest($1::text[]) AS c`, [[...new Set(near.map(cityOf))]])
    for (const r of cities) cityHouses.set(r.c, r.n)
  }
  const houses: Houses = { street: (sk) => streetHouses.get(sk) ?? 0, city: (c) => cityHouses.get(c) ?? 0 }
  return addressFindings(params, addressGroups(params, matches, houses), run.marked)
}

async function detectCustomers(run: FuzzyRun, params: CustomerDuplicateParams) {
  const links: CustomerLink[] = []
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
      links.push(...customerMatches(params, by, rows))
    }, run.subset ? ALL_AT_ONCE : undefined)
  }
  return customerFindings(params, links, run.marked)
}

export default defineDetector({
  params: fuzzyDuplicateParams,
  // address: a Subset's groups are blocks (addressBlock, or normalized without street edits);
  // customer: its keys are customers, and their INN and phone blocks are detected (expand closes the keys over them)
  subject: (params) => params.entity,
  wholeGroups: true,
  // duplicates are found whatever the market (addresses and customers have none of their own)
  byMarket: () => false,
  expand: (plan) => plan.params.entity === 'address' ? blocksOfAddresses(plan, plan.params) : closeCustomers(plan, plan.params),
  async detect({ sql, ctx, params, subset }) {
    // a full run and a re-check read the same marks, whole, so they split a group alike
    const run: FuzzyRun = { sql, market: ctx.market, subset, marked: await markedPairs(sql, params.entity) }
    const out = params.entity === 'address' ? await detectAddresses(run, params) : await detectCustomers(run, params)
    await routeByContracts(sql, params.entity, out)
    return out
  },
})
