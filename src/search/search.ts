// Search for a support agent on a live call: what the caller says («ленина 5 кв 12», «8 916 123-45-67»,
// half a serial, a name) → the addresses, customers, contracts and devices it most likely means.
// Candidates come from the database by indexes (exact normalised keys, pg_trgm similarity and substrings,
// see prisma/migrations/*_search_indexes), always within the caller's markets; then the few dozen
// candidates are ranked in score.ts. Knows no GraphQL.
import { z } from '../i18n/zod.ts'
import { personalDataFor, readsPersonalData, type CustomerPersonalData } from '../access/personal-data.ts'
import { visibleSql, type Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'
import { interpret, type AddressQuery, type SearchQuery } from './interpret.ts'
import { addressScore, fragmentScore, nameScore, streetScore } from './score.ts'
import { SEARCH_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('search')

export const SEARCH_TYPES = ['address', 'customer', 'contract', 'equipment'] as const
export type SearchType = (typeof SEARCH_TYPES)[number]

export const MATCH_KINDS = ['key', 'address', 'phone', 'inn', 'name', 'serial', 'mac'] as const
/** What in the record matched the text. */
export type MatchKind = (typeof MATCH_KINDS)[number]

export const MAX_HITS = 50
export const DEFAULT_HITS = 10
export const MAX_TEXT = 200

export const searchInput = z.object({
  text: z.string().trim()
    .min(1, SEARCH_RU.emptyText)
    .max(MAX_TEXT, SEARCH_RU.textTooLong(MAX_TEXT)),
  types: z.array(z.enum(SEARCH_TYPES, { error: SEARCH_RU.types(SEARCH_TYPES) }))
    .nullish(),
  first: z.number().int(SEARCH_RU.whole('first'))
    .min(1, SEARCH_RU.atLeastOne('first'))
    .max(MAX_HITS, SEARCH_RU.atMost('first', MAX_HITS))
    .nullish(),
})

export type SearchInput = z.input<typeof searchInput>

export interface SearchHit {
  type: SearchType
  /** database id, for loading the record */
  id: number
  /** business key */
  key: string
  /** one human line: the address; name and phone; number, product and address; product and serial */
  label: string
  /** 0..1, higher is a better match */
  score: number
  matchedBy: MatchKind
}

interface Candidate { type: SearchType; id: number; key: string; score: number; matchedBy: MatchKind }

/** Hits scoring below this are dropped: what is left would be noise to an agent. */
const MIN_SCORE = 0.45
/** An address candidate whose street scores below this is not the street typed. */
const MIN_STREET = 0.5
/** Rows fetched per candidate query: a few dozen are ranked, never a table. */
const CANDIDATES = 60
/** Addresses whose contracts and devices stand in for them when only those are asked for. */
const EXPANDED_SOURCES = 5
const TYPE_ORDER: Record<SearchType, number> = { address: 0, customer: 1, contract: 2, equipment: 3 }

/** Positional parameters of one statement, with the caller's markets first when they are limited. */
class Statement {
  readonly params: unknown[] = []
  private readonly markets: string | null
  private readonly personalData: boolean

  constructor(principal: Principal) {
    this.markets = principal.markets === null ? null : this.add([...principal.markets])
    this.personalData = readsPersonalData(principal)
  }

  /** Matching by a customer's phone, INN or name: people only for roles that read personal data (companies for all). */
  byPersonalData(alias: string): string {
    return this.personalData ? '' : `AND ${alias}.kind = 'COMPANY'`
  }

  add(value: unknown): string {
    this.params.push(value)
    return `$${this.params.length}`
  }

  /** The market scope of a row (src/access/scope.ts), or nothing for an unscoped key. */
  visible(type: SearchType, alias: string): string {
    return this.markets === null ? '' : `AND ${visibleSql(type, alias, this.markets)}`
  }

  /**
   * The same scope tested row by row: a scalar sub-select is not turned into a join, so each of a few hundred rows
   * is one index probe — as a semi-join PostgreSQL hashed every contract of the market first (it cannot tell which
   * market a code is): 20–34 ms at 100k addresses for a house and flat's ~400 addresses, 10 ms this way.
   * Only where the rows tested are few (a house, a house and flat); a scan of many rows is cheaper with the join.
   */
  visibleEach(type: SearchType, alias: string): string {
    return this.markets === null ? '' : `AND (SELECT true WHERE ${visibleSql(type, alias, this.markets)})`
  }
}

/** The records the text most likely means, best first, only those the principal may see. */
export async function search(db: Database, principal: Principal, input: SearchInput): Promise<SearchHit[]> {
  const { text, types, first } = searchInput.parse(input)
  const wanted = new Set<SearchType>(types && types.length > 0 ? types : SEARCH_TYPES)
  const q = interpret(text)
  const started = performance.now()
  const sql = db.sql
  const run = async <T>(s: Statement, text: string): Promise<T[]> => (await sql.query<T>(text, s.params)).rows

  // records that stand for others: contracts and devices at an address, contracts of a customer
  const expandAddresses = !wanted.has('address') && (wanted.has('contract') || wanted.has('equipment'))
  const expandCustomers = !wanted.has('customer') && wanted.has('contract')
  const needs = (type: SearchType) => wanted.has(type) || (type === 'address' && expandAddresses) || (type === 'customer' && expandCustomers)

  const tasks: Array<Promise<Candidate[]>> = [byKey(principal, q, wanted, run)]
  if (q.addresses.length > 0 && needs('address')) tasks.push(byAddress(principal, q.addresses, run))
  if (needs('customer')) {
    if (q.phone || q.inn || q.phoneFragment) tasks.push(byPhoneOrInn(principal, q, run))
    if (q.name) tasks.push(byName(principal, q.name, sql))
  }
  if (wanted.has('equipment') && (q.serials.length > 0 || q.macs.length > 0)) tasks.push(byIdentifier(principal, q, run))

  let candidates = (await Promise.all(tasks)).flat().filter((c) => c.score >= MIN_SCORE)
  if (expandAddresses || expandCustomers) candidates = candidates.concat(await expand(principal, candidates, wanted, run))

  const best = new Map<string, Candidate>()
  for (const c of candidates) {
    if (!wanted.has(c.type)) continue
    const id = `${c.type}:${c.id}`
    const seen = best.get(id)
    if (!seen || c.score > seen.score) best.set(id, c)
  }
  const top = [...best.values()]
    .sort((a, b) => b.score - a.score || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, first ?? DEFAULT_HITS)
  const labels = await labelsOf(db, principal, top)
  log.debug({ text, hits: top.length, ms: Math.round(performance.now() - started) }, 'search')
  return top.map((c) => ({ ...c, score: Math.round(c.score * 1000) / 1000, label: labels.get(`${c.type}:${c.id}`) ?? c.key }))
}

type Run = <T>(s: Statement, text: string) => Promise<T[]>

/** Business keys typed as they are: contract and inventory numbers, customer and address codes. */
async function byKey(principal: Principal, q: SearchQuery, wanted: Set<SearchType>, run: Run): Promise<Candidate[]> {
  const s = new Statement(principal)
  const keys = s.add(q.keys)
  const parts: string[] = []
  if (wanted.has('address')) parts.push(`SELECT 'address' AS type, a.id, a.code AS key FROM address a WHERE a.code = ANY(${keys}::text[]) ${s.visible('address', 'a')}`)
  if (wanted.has('customer')) parts.push(`SELECT 'customer', c.id, c.code FROM customer c WHERE c.code = ANY(${keys}::text[]) ${s.visible('customer', 'c')}`)
  // the key of a merged member (an alias) finds its survivor, as the key itself would; a merge re-points the
  // aliases of what it merges, so one hop reaches the record
  for (const [type, alias] of [['address', 'a'], ['customer', 'c']] as const) {
    if (!wanted.has(type)) continue
    parts.push(`SELECT '${type}', ${alias}.id, ${alias}.code FROM record_alias r JOIN ${type} ${alias} ON ${alias}.code = r."targetKey"
      WHERE r."entityType" = '${type}' AND r.alias = ANY(${keys}::text[]) ${s.visible(type, alias)}`)
  }
  if (wanted.has('contract')) parts.push(`SELECT 'contract', k.id, k.number FROM contract k WHERE k.number = ANY(${keys}::text[]) ${s.visible('contract', 'k')}`)
  if (wanted.has('equipment')) parts.push(`SELECT 'equipment', e.id, e."inventoryNo" FROM equipment e WHERE e."inventoryNo" = ANY(${keys}::text[]) ${s.visible('equipment', 'e')}`)
  const rows = await run<{ type: SearchType; id: number; key: string }>(s, parts.join('\nUNION ALL\n'))
  return rows.map((r) => ({ ...r, score: 1, matchedBy: 'key' }))
}

interface AddressRow { id: number; key: string; normalized: string; region: string | null; postalCode: string | null; [similarity: `s${number}`]: number }

const STREET = `split_part(a."streetKey", '|', 3)`
const HOUSE = `split_part(a."houseKey", '|', 4)`
const FLAT = `split_part(a."normalized", '|', 7)`
const CITY = `split_part(a."normalized", '|', 1)`

/**
 * Addresses by the street's trigrams with the house (and the flat or the house's own record) typed; and,
 * when house and flat are typed, by those two with the street ranked by similarity — a street name too
 * garbled for the trigram threshold («мора 5 кв 12») still finds «Мира 5, кв. 12». Every reading of the
 * text (interpret.ts addressReadings) is looked for in one statement: readings with the same house and
 * flat share a branch that matches any of their streets; each row is then scored under every reading
 * and keeps its best.
 */
async function byAddress(principal: Principal, readings: AddressQuery[], run: Run): Promise<Candidate[]> {
  const streets = [...new Set(readings.map((r) => r.street))]
  const places = [...new Set(readings.filter((r) => r.place.length > 0).map((r) => r.place.join(' ')))]
  const numbers = (r: AddressQuery) => `${r.house}|${r.flat}`
  const groups = new Map<string, AddressQuery[]>()
  for (const r of readings) groups.set(numbers(r), [...(groups.get(numbers(r)) ?? []), r])

  type Branches = (s: Statement, street: (x: string) => string, placeFirst: string) => string[]
  const find = (branches: Branches): Promise<AddressRow[]> => {
    const s = new Statement(principal)
    const params = new Map(streets.map((x) => [x, s.add(x)]))
    const street = (x: string) => params.get(x)!
    // among streets as close, the place said first: «Казань Ленина» must not lose Kazan's to the limit
    const placeFirst = places.length > 0 ? `(${CITY} = ANY(${s.add(places)}::text[])) DESC, ` : ''
    const parts = branches(s, street, placeFirst).map((b) => `(${b})`)
    return run<AddressRow>(s, `
      SELECT a.id, a.code AS key, a.normalized, a.region, a."postalCode", ${streets.map((x, i) => `similarity(${STREET}, ${street(x)}) AS s${i}`).join(', ')}
      FROM address a WHERE a.id IN (${parts.join('\nUNION\n')})`)
  }
  const closest = (list: AddressQuery[], street: (x: string) => string) => {
    const mine = [...new Set(list.map((r) => r.street))]
    return mine.length === 1 ? `similarity(${STREET}, ${street(mine[0])})` : `greatest(${mine.map((x) => `similarity(${STREET}, ${street(x)})`).join(', ')})`
  }
  const byStreet: Branches = (s, street, placeFirst) => [...groups.values()].map((list) => {
    const { house, flat } = list[0]
    const streetMatch = `(${[...new Set(list.map((r) => `${STREET} % ${street(r.street)}`))].join(' OR ')})`
    const order = `ORDER BY ${closest(list, street)} DESC, ${placeFirst}a.normalized LIMIT ${CANDIDATES}`
    if (house !== '' && flat !== '') {
      // a house and a flat are a few hundred addresses at most (at 1M: ≤ 400 in the seed): the street's trigrams are
      // tested on those rows. Left to itself the planner ANDs the trigram index in, and for a common street name
      // the index scan alone took 40–85 ms at 1M addresses (5 ms this way). OFFSET 0 keeps the street test above; the
      // market test goes after it, row by row on the few rows left.
      return `SELECT a.id FROM (SELECT a.* FROM address a WHERE ${HOUSE} = ${s.add(house)} AND ${FLAT} IN (${s.add(flat)}, '') OFFSET 0) a
        WHERE ${streetMatch} ${s.visibleEach('address', 'a')} ${order}`
    }
    const conditions = [streetMatch]
    if (house !== '') conditions.push(`${HOUSE} = ${s.add(house)}`)
    if (flat !== '') conditions.push(`${FLAT} IN (${s.add(flat)}, '')`)
    return `SELECT a.id FROM address a WHERE ${conditions.join(' AND ')} ${s.visible('address', 'a')}
      ${order}`
  })
  const byNumbers = (withFlat: boolean): Branches => (s, street, placeFirst) => [...groups.values()]
    .filter((list) => list[0].house !== '' && (list[0].flat !== '') === withFlat)
    .map((list) => {
      const { house, flat } = list[0]
      const conditions = [`${HOUSE} = ${s.add(house)}`]
      if (withFlat) conditions.push(`${FLAT} = ${s.add(flat)}`)
      return `SELECT a.id FROM address a WHERE ${conditions.join(' AND ')} ${s.visibleEach('address', 'a')}
        ORDER BY ${closest(list, street)} DESC, ${placeFirst}a.normalized LIMIT 20`
    })
  const score = (rows: AddressRow[]): Candidate[] => rows.flatMap((r) => {
    const stored = r.normalized.split('|')[2] ?? ''
    let best = 0
    for (const q of readings) {
      const sim = Number(r[`s${streets.indexOf(q.street)}`])
      if (streetScore(q.street, stored, sim) < MIN_STREET) continue
      best = Math.max(best, addressScore(q, r, sim))
    }
    return best === 0 ? [] : [{ type: 'address' as const, id: r.id, key: r.key, score: best, matchedBy: 'address' as const }]
  })

  let found = score(await find((s, street, placeFirst) => [...byStreet(s, street, placeFirst), ...byNumbers(true)(s, street, placeFirst)]))
  if (found.length === 0 && readings.some((r) => r.house !== '' && r.flat === '')) found = score(await find(byNumbers(false)))
  return found
}

/** Customers by the whole phone, a part of its digits, or the INN. */
async function byPhoneOrInn(principal: Principal, q: SearchQuery, run: Run): Promise<Candidate[]> {
  const s = new Statement(principal)
  const or: string[] = []
  if (q.phone) or.push(`c."phoneNorm" = ${s.add(q.phone)}`)
  if (q.phoneFragment) or.push(`c."phoneNorm" LIKE ${s.add(`%${q.phoneFragment}%`)}`)
  if (q.inn) or.push(`c.inn = ${s.add(q.inn)}`)
  const rows = await run<{ id: number; key: string; phoneNorm: string | null; inn: string | null }>(s, `
    SELECT c.id, c.code AS key, c."phoneNorm", c.inn FROM customer c
    WHERE (${or.join(' OR ')}) ${s.visible('customer', 'c')} ${s.byPersonalData('c')} ORDER BY c.code LIMIT ${CANDIDATES}`)
  return rows.map((r) => {
    if (q.inn && r.inn === q.inn) return { type: 'customer', id: r.id, key: r.key, score: 1, matchedBy: 'inn' }
    const phone = r.phoneNorm ?? ''
    const value = q.phone && phone === q.phone ? 1 : fragmentScore(q.phoneFragment ?? q.phone ?? '', phone)
    return { type: 'customer', id: r.id, key: r.key, score: value, matchedBy: 'phone' }
  })
}

/**
 * Customers by name. First the folded name equal (any word order, case, «ё», quotes, legal form) by its
 * btree; only when none is, close by trigrams. Names share their parts («иван», «-ович») across thousands
 * of customers, so the trigram step runs with a raised threshold: at the default 0.3 a three-word name
 * rechecks some ten thousand rows of 100k. One word typed (a surname, a company without its legal form)
 * is matched against the best word of each name (word similarity).
 */
async function byName(principal: Principal, name: string, sql: SqlClient): Promise<Candidate[]> {
  const candidate = (r: { id: number; key: string; nameNorm: string; sim: number }): Candidate =>
    ({ type: 'customer', id: r.id, key: r.key, score: nameScore(name, r.nameNorm, Number(r.sim)), matchedBy: 'name' })
  const exact = new Statement(principal)
  const equal = await sql.query<{ id: number; key: string; nameNorm: string; sim: number }>(`
    SELECT c.id, c.code AS key, c."nameNorm", 1 AS sim FROM customer c
    WHERE c."nameNorm" = ${exact.add(name)} ${exact.visible('customer', 'c')} ${exact.byPersonalData('c')} ORDER BY c.code LIMIT ${CANDIDATES}`, exact.params)
  if (equal.rows.length > 0) return equal.rows.map(candidate)

  const s = new Statement(principal)
  const n = s.add(name)
  const oneWord = !name.includes(' ')
  const close = oneWord ? `${n} <% c."nameNorm"` : `c."nameNorm" % ${n}`
  const sim = oneWord ? `word_similarity(${n}, c."nameNorm")` : `similarity(c."nameNorm", ${n})`
  const rows = await sql.transaction(async (tx) => {
    await tx.exec(`SET LOCAL pg_trgm.similarity_threshold = ${NAME_SIMILARITY}; SET LOCAL pg_trgm.word_similarity_threshold = ${NAME_WORD_SIMILARITY}`)
    return (await tx.query<{ id: number; key: string; nameNorm: string; sim: number }>(`
      SELECT c.id, c.code AS key, c."nameNorm", ${sim} AS sim FROM customer c WHERE ${close} ${s.visible('customer', 'c')} ${s.byPersonalData('c')}
      ORDER BY sim DESC, c.code LIMIT ${CANDIDATES}`, s.params)).rows
  })
  return rows.map(candidate)
}

/** Trigram thresholds of the name step (pg_trgm's defaults are 0.3 and 0.6). */
const NAME_SIMILARITY = 0.45
const NAME_WORD_SIMILARITY = 0.7

/** Devices containing a serial or MAC fragment read at most: past it the fragment is too common to name one. */
const FRAGMENT_ROWS = 1000

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Devices by their serial or MAC, whole or a part of it, in any notation (compared normalised). */
async function byIdentifier(principal: Principal, q: SearchQuery, run: Run): Promise<Candidate[]> {
  const s = new Statement(principal)
  const or = [
    ...q.serials.map((x) => `e."serialNorm" LIKE ${s.add(`%${likeEscape(x)}%`)}`),
    ...q.macs.map((x) => `e."macNorm" LIKE ${s.add(`%${x}%`)}`),
  ]
  const exact = [
    ...q.serials.map((x) => `e."serialNorm" = ${s.add(x)}`),
    ...q.macs.map((x) => `e."macNorm" = ${s.add(x)}`),
  ]
  // the whole identifier by its index, and of the devices containing the fragment the first FRAGMENT_ROWS found: a
  // fragment in tens of thousands of serials (a vendor's prefix: 73,786 at 1M addresses) names no device, and
  // reading and market-testing every one of them to sort took 0.6 s (3 s under load)
  const rows = await run<{ id: number; key: string; serialNorm: string | null; macNorm: string | null }>(s, `
    SELECT e.id, e."inventoryNo" AS key, e."serialNorm", e."macNorm" FROM equipment e
    WHERE e.id IN ((SELECT e.id FROM equipment e WHERE (${exact.join(' OR ')}) ${s.visible('equipment', 'e')})
      UNION (SELECT e.id FROM equipment e WHERE (${or.join(' OR ')}) ${s.visible('equipment', 'e')} LIMIT ${FRAGMENT_ROWS}))
    ORDER BY length(coalesce(e."serialNorm", e."macNorm")), e."inventoryNo" LIMIT ${CANDIDATES}`)
  return rows.map((r) => {
    const bySerial = Math.max(0, ...q.serials.map((x) => fragmentScore(x, r.serialNorm ?? '')))
    const byMac = Math.max(0, ...q.macs.map((x) => fragmentScore(x, r.macNorm ?? '')))
    return bySerial >= byMac
      ? { type: 'equipment', id: r.id, key: r.key, score: bySerial, matchedBy: 'serial' }
      : { type: 'equipment', id: r.id, key: r.key, score: byMac, matchedBy: 'mac' }
  })
}

/**
 * When addresses or customers are not asked for but contracts or devices are: the contracts and devices
 * at the best addresses, the contracts of the best customers, scored a little below what they stand for.
 */
async function expand(principal: Principal, found: Candidate[], wanted: Set<SearchType>, run: Run): Promise<Candidate[]> {
  const sources = (type: SearchType) => found.filter((c) => c.type === type).sort((a, b) => b.score - a.score).slice(0, EXPANDED_SOURCES)
  const out: Candidate[] = []
  const addresses = wanted.has('address') ? [] : sources('address')
  const customers = wanted.has('customer') ? [] : sources('customer')
  const via = (list: Candidate[]) => new Map(list.map((c) => [c.id, c]))
  const fromAddress = via(addresses)
  const fromCustomer = via(customers)
  const tasks: Array<Promise<void>> = []
  if (wanted.has('contract') && (addresses.length > 0 || customers.length > 0)) {
    const s = new Statement(principal)
    const addressIds = s.add(addresses.map((c) => c.id))
    const customerIds = s.add(customers.map((c) => c.id))
    tasks.push(run<{ id: number; key: string; addressId: number; customerId: number }>(s, `
      SELECT k.id, k.number AS key, k."addressId", k."customerId" FROM contract k
      WHERE (k."addressId" = ANY(${addressIds}::int[]) OR k."customerId" = ANY(${customerIds}::int[])) ${s.visible('contract', 'k')}
      ORDER BY k.number LIMIT ${CANDIDATES}`).then((rows) => {
      for (const r of rows) {
        const source = fromAddress.get(r.addressId) ?? fromCustomer.get(r.customerId)!
        out.push({ type: 'contract', id: r.id, key: r.key, score: source.score * 0.95, matchedBy: source.matchedBy })
      }
    }))
  }
  if (wanted.has('equipment') && addresses.length > 0) {
    const s = new Statement(principal)
    const addressIds = s.add(addresses.map((c) => c.id))
    tasks.push(run<{ id: number; key: string; addressId: number }>(s, `
      SELECT e.id, e."inventoryNo" AS key, e."addressId" FROM equipment e
      WHERE e."addressId" = ANY(${addressIds}::int[]) ${s.visible('equipment', 'e')}
      ORDER BY e."inventoryNo" LIMIT ${CANDIDATES}`).then((rows) => {
      for (const r of rows) {
        const source = fromAddress.get(r.addressId)!
        out.push({ type: 'equipment', id: r.id, key: r.key, score: source.score * 0.93, matchedBy: source.matchedBy })
      }
    }))
  }
  await Promise.all(tasks)
  return out
}

/** The human line of each hit, read by id (the hits are already within the caller's scope; a person's as the caller may read it). */
async function labelsOf(db: Database, principal: Principal, hits: Candidate[]): Promise<Map<string, string>> {
  const ids = (type: SearchType) => hits.filter((h) => h.type === type).map((h) => h.id)
  const labels = new Map<string, string>()
  const read = async (type: SearchType, text: string) => {
    const list = ids(type)
    if (list.length === 0) return
    const { rows } = await db.sql.query<{ id: number; label: string }>(text, [list])
    for (const r of rows) labels.set(`${type}:${r.id}`, r.label)
  }
  await Promise.all([
    read('address', `SELECT id, text AS label FROM address WHERE id = ANY($1::int[])`),
    (async () => {
      const list = ids('customer')
      if (list.length === 0) return
      const { rows } = await db.sql.query<CustomerPersonalData & { id: number; kind: string | null }>(
        `SELECT id, kind::text AS kind, name, inn, phone, "phoneNorm", email FROM customer WHERE id = ANY($1::int[])`, [list])
      for (const r of rows) {
        const shown = personalDataFor(principal, r)
        labels.set(`customer:${r.id}`, [shown.name, shown.phone].filter(Boolean).join(', '))
      }
    })(),
    read('contract', `
      SELECT k.id, concat_ws(' · ', k.number, p.name, a.text) AS label
      FROM contract k JOIN product p ON p.id = k."productId" JOIN address a ON a.id = k."addressId"
      WHERE k.id = ANY($1::int[])`),
    read('equipment', `
      SELECT e.id, concat_ws(' · ', p.name, 'S/N ' || e.serial, CASE WHEN e.serial IS NULL THEN 'MAC ' || CASE WHEN e."macNorm" IS NULL THEN e.mac
        ELSE upper(concat_ws(':', ${[1, 3, 5, 7, 9, 11].map((i) => `substr(e."macNorm", ${i}, 2)`).join(', ')})) END END, e."inventoryNo") AS label
      FROM equipment e JOIN product p ON p.id = e."productId" WHERE e.id = ANY($1::int[])`),
  ])
  return labels
}
