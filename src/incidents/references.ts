// What an incident is about, as the caller gave it: a business key or free text («ленина 5 кв 12»,
// «hwtc-8dce-f9f6», «8 916 123-45-67») → the one record it means, within the caller's markets, and how it
// was recognised. Exact keys first, then the normalisations the import stores (address match keys, serial,
// MAC, phone, INN, folded name). Several matches or none: the text is kept and the reason is given.
import { visibleSql, type Principal } from '../access/scope.ts'
import { normalizeAddress } from '../addresses/parse.ts'
import { normalizeName, normalizePhone } from '../customers/identifiers.ts'
import type { SqlClient } from '../db/database.ts'
import { tableOf, type EntityType } from '../records/model.ts'
import { normalizeMac, normalizeSerial } from '../equipment/identifiers.ts'
import { ambiguousRu, noMatchRu } from '../i18n/ru.ts'
import { isMergeableType, type MergeableType } from '../merge/types.ts'

export const REFERENCE_FIELDS = ['customer', 'address', 'contract', 'equipment'] as const
export type ReferenceField = (typeof REFERENCE_FIELDS)[number]

/** A reference that named one record. */
export interface ResolvedReference {
  field: ReferenceField
  /** as given */
  value: string
  type: EntityType
  /** the record's business key */
  key: string
  id: number
  /** how it was recognised: 'exact key', 'address normalised', 'serial normalised', 'phone normalised', … (a code) */
  how: string
  /** the size of the duplicate group it is one of, when several records are one thing written twice */
  duplicates?: number
  /** the markets of the record's contracts the caller may see */
  markets: string[]
}

/** A reference kept as text: why it named no single record. */
export interface UnresolvedReference {
  field: ReferenceField
  value: string
  reason: string
}

/** One record, or several that are one and the same thing written twice (a duplicate: what findings are about). */
export type Resolution = { ok: true; resolved: ResolvedReference[] } | { ok: false; unresolved: UnresolvedReference }

/** The columns a record is recognised by (see {@link howMatched}). */
export interface MatchRow {
  id: number
  key: string
  markets: string[]
  normalized?: string | null
  houseKey?: string | null
  serialNorm?: string | null
  macNorm?: string | null
  phoneNorm?: string | null
  inn?: string | null
  nameNorm?: string | null
  /** the reference as given is an alias of this record (the key of a member merged into it) */
  viaAlias?: boolean
}

/** What recognition reads of each record beside its key (the table and key are the record model's), and its markets. */
const RECOGNISED: Record<ReferenceField, { columns: string; markets: string }> = {
  customer: {
    columns: 'x."phoneNorm", x.inn, x."nameNorm"',
    markets: `ARRAY(SELECT DISTINCT m.code FROM contract k JOIN market m ON m.id = k."marketId" WHERE k."customerId" = x.id ORDER BY 1)`,
  },
  address: {
    columns: 'x.normalized, x."houseKey"',
    markets: `ARRAY(SELECT DISTINCT m.code FROM contract k JOIN market m ON m.id = k."marketId" WHERE k."addressId" = x.id ORDER BY 1)`,
  },
  contract: {
    columns: 'NULL AS none',
    markets: `ARRAY(SELECT m.code FROM market m WHERE m.id = x."marketId")`,
  },
  equipment: {
    columns: 'x."serialNorm", x."macNorm"',
    markets: `ARRAY(SELECT DISTINCT m.code FROM contract k JOIN market m ON m.id = k."marketId"
      WHERE k.id = x."contractId" OR (x."contractId" IS NULL AND k."addressId" = x."addressId") ORDER BY 1)`,
  },
}

/** The table of a reference field's records, its key column (quoted) and what recognition reads; rows under alias `x`. */
function tableOfField(field: ReferenceField) {
  const { table, key } = tableOf(FIELD_TYPE[field])
  return { table: `"${table}"`, alias: 'x', key: `"${key}"`, ...RECOGNISED[field] }
}

/** A step of recognition: a condition on the record (with its parameters) and what it is called. */
interface Step { how: string; where: (p: (v: unknown) => string) => string }

const LABEL = /^\s*(?:s\/?n|sn|serial(?: number)?|серийный номер|сер\.? ?№|с\/н|mac(?: address)?|мак)\s*[:#№]?\s*/i
const PHONE_TEXT = /^[\d\s+().\-–]+$/
const LETTER = /\p{L}/u

/** The address fields of free text, as the stored match keys split them. */
function addressFields(text: string) {
  const n = normalizeAddress({ text })
  const [city = '', type = '', street = '', house = '', building = '', structure = '', flat = ''] = n.normalized.split('|')
  return { n, city, type, street, house, building, structure, flat }
}

/** The address step for free text that leaves parts out: the parts given must equal the stored ones. */
function partialAddress(a: ReturnType<typeof addressFields>): Step {
  return {
    how: 'address normalised',
    where: (p) => [
      `split_part(x."houseKey", '|', 4) = ${p(a.house)}`,
      `split_part(x.normalized, '|', 7) = ${p(a.flat)}`,
      `split_part(x."streetKey", '|', 3) = ${p(a.street)}`,
      `split_part(x.normalized, '|', 5) = ${p(a.building)}`,
      `split_part(x.normalized, '|', 6) = ${p(a.structure)}`,
      ...(a.city !== '' ? [`split_part(x.normalized, '|', 1) = ${p(a.city)}`] : []),
      ...(a.type !== '' ? [`split_part(x.normalized, '|', 2) = ${p(a.type)}`] : []),
    ].join(' AND '),
  }
}

function stepsFor(field: ReferenceField, value: string): Step[] {
  const keys = [...new Set([value, value.toUpperCase()])]
  const keyColumn = `x.${tableOfField(field).key}`
  // the key of a merged member (an alias) names its survivor, in the same statement: told apart by the key found
  // (a merge re-points older aliases, so one hop reaches the record)
  const type = FIELD_TYPE[field]
  const steps: Step[] = [{
    how: 'exact key',
    where: isMergeableType(type)
      ? (p) => { const k = p(keys); return `(${keyColumn} = ANY(${k}::text[]) OR ${keyColumn} IN (${aliasTargets(type, k)}))` }
      : (p) => `${keyColumn} = ANY(${p(keys)}::text[])`,
  }]
  switch (field) {
    case 'customer': {
      const digits = value.replace(/\D/g, '')
      const numeric = PHONE_TEXT.test(value)
      if (numeric && (digits.length === 10 || digits.length === 12)) steps.push({ how: 'INN', where: (p) => `x.inn = ${p(digits)}` })
      const phone = numeric && digits.length >= 10 ? normalizePhone(value) : null
      if (phone) steps.push({ how: 'phone normalised', where: (p) => `x."phoneNorm" = ${p(phone)}` })
      const name = LETTER.test(value) ? normalizeName(value) : null
      if (name) steps.push({ how: 'name normalised', where: (p) => `x."nameNorm" = ${p(name)}` })
      break
    }
    case 'address': {
      const a = addressFields(value)
      if (a.street === '' || a.house === '') break
      steps.push({ how: 'address normalised', where: (p) => `x.normalized = ${p(a.n.normalized)}` })
      // the same place with the city or the street type left out, as people say it: every part given must agree
      if (a.city === '' || a.type === '') steps.push(partialAddress(a))
      // «екатеринбург главная 2 кв 1»: without a comma the city reads as part of the street
      if (a.city === '' && a.street.includes(' ')) {
        const split = addressFields(value.trim().replace(/^(\S+)\s+/, '$1, '))
        if (split.city !== '' && split.street !== '' && split.house === a.house) steps.push(partialAddress(split))
      }
      // a house without a flat: the only flat on record in that house
      if (a.flat === '') steps.push({ how: 'house normalised', where: (p) => `x."houseKey" = ${p(a.n.houseKey)}` })
      break
    }
    case 'contract':
      break
    case 'equipment': {
      const bare = value.replace(LABEL, '')
      const serial = normalizeSerial(bare)
      if (serial) steps.push({ how: 'serial normalised', where: (p) => `x."serialNorm" = ${p(serial)}` })
      const mac = normalizeMac(bare)
      if (mac) steps.push({ how: 'MAC normalised', where: (p) => `x."macNorm" = ${p(mac)}` })
      break
    }
  }
  return steps
}

const FIELD_TYPE: Record<ReferenceField, EntityType> = { customer: 'customer', address: 'address', contract: 'contract', equipment: 'equipment' }

/** The keys of the records that these keys (a text[] parameter) are aliases of. */
const aliasTargets = (type: MergeableType, keys: string) =>
  `SELECT r."targetKey" FROM record_alias r WHERE r."entityType" = '${type}' AND r.alias = ANY(${keys}::text[])`

/** What makes two records of a kind the same thing; none for customers by phone or name (people share phones and names). */
const IDENTITY: Record<string, (r: MatchRow) => string | null> = {
  'address normalised': (r) => r.normalized ?? null,
  'serial normalised': (r) => r.serialNorm ?? null,
  'MAC normalised': (r) => r.macNorm ?? null,
}

/** At most this many records are read for one step: more is ambiguous anyway. */
const CANDIDATES = 6

/**
 * The one record `value` names among those the principal may see, and how; or why none: several match
 * (ambiguous) or nothing does. A record of a market the caller may not see is never a match.
 */
export async function resolveReference(sql: SqlClient, principal: Principal, field: ReferenceField, value: string): Promise<Resolution> {
  const t = tableOfField(field)
  const type = FIELD_TYPE[field]
  const tried: string[] = []
  for (const step of stepsFor(field, value)) {
    const params: unknown[] = []
    const p = (v: unknown) => { params.push(v); return `$${params.length}` }
    const where = step.where(p)
    const scope = principal.markets === null ? '' : ` AND ${visibleSql(type, t.alias, p([...principal.markets]))}`
    const { rows } = await sql.query<MatchRow>(`
      SELECT x.id, x.${t.key} AS key, ${t.markets} AS markets, ${t.columns}
      FROM ${t.table} x WHERE ${where}${scope}
      ORDER BY x.${t.key} LIMIT ${CANDIDATES}`, params)
    tried.push(step.how)
    const resolvedAs = (row: MatchRow, how: string, duplicates?: number): ResolvedReference => {
      const markets = principal.markets === null ? row.markets : row.markets.filter((m) => principal.markets!.includes(m))
      const byAlias = how === 'exact key' && row.key !== value && row.key !== value.toUpperCase()
      return { field, value, type, key: row.key, id: row.id, how: byAlias ? 'alias' : how, markets, ...(duplicates ? { duplicates } : {}) }
    }
    if (rows.length === 1) return { ok: true, resolved: [resolvedAs(rows[0], step.how)] }
    // several records equal in what identifies them (the same normalised place, serial, MAC or INN) are one
    // thing entered twice — exactly the duplicate the incident is likely about: it concerns all of them
    const identity = IDENTITY[step.how]
    if (rows.length > 1 && rows.length < CANDIDATES && identity && rows.every((r) => identity(r) !== null && identity(r) === identity(rows[0]))) {
      return { ok: true, resolved: rows.map((r) => resolvedAs(r, `${step.how} (one of ${rows.length} duplicate records)`, rows.length)) }
    }
    if (rows.length > 1) {
      const list = rows.slice(0, CANDIDATES - 1).map((r) => r.key)
      return {
        ok: false,
        unresolved: { field, value, reason: ambiguousRu(type, step.how, rows.length, list, rows.length >= CANDIDATES) },
      }
    }
  }
  return { ok: false, unresolved: { field, value, reason: noMatchRu(type, [...new Set(tried)]) } }
}

/**
 * How a stored reference named its record, for an incident read later: the same vocabulary as
 * {@link resolveReference}, told from the record's match columns.
 */
export function howMatched(field: ReferenceField, value: string, row: MatchRow): string {
  if (row.key === value || row.key === value.toUpperCase()) return 'exact key'
  if (row.viaAlias) return 'alias'
  switch (field) {
    case 'customer': {
      const digits = value.replace(/\D/g, '')
      if (row.inn && row.inn === digits) return 'INN'
      if (row.phoneNorm && row.phoneNorm === normalizePhone(value)) return 'phone normalised'
      return 'name normalised'
    }
    case 'address': {
      const a = addressFields(value)
      return a.flat === '' && row.normalized !== null && row.normalized?.split('|')[6] !== '' ? 'house normalised' : 'address normalised'
    }
    case 'equipment': {
      const bare = value.replace(LABEL, '')
      if (row.serialNorm && row.serialNorm === normalizeSerial(bare)) return 'serial normalised'
      return 'MAC normalised'
    }
    case 'contract':
      return 'exact key'
  }
}

/** The records an incident's stored ids name, those the principal may see, with their match columns. */
export async function storedReferences(
  sql: SqlClient, principal: Principal, ids: Partial<Record<ReferenceField, number | null>>, refs: Partial<Record<ReferenceField, string | null>>,
): Promise<ResolvedReference[]> {
  const out: ResolvedReference[] = []
  for (const field of REFERENCE_FIELDS) {
    const id = ids[field]
    const value = refs[field]
    if (id == null || value == null) continue
    const t = tableOfField(field)
    const type = FIELD_TYPE[field]
    const params: unknown[] = [id]
    const scope = principal.markets === null ? '' : ` AND ${visibleSql(type, t.alias, '$2')}`
    if (principal.markets !== null) params.push([...principal.markets])
    let viaAlias = ''
    if (isMergeableType(type)) {
      params.push([value, value.toUpperCase()])
      viaAlias = `, x.${t.key} IN (${aliasTargets(type, `$${params.length}`)}) AS "viaAlias"`
    }
    const { rows: [row] } = await sql.query<MatchRow>(`SELECT x.id, x.${t.key} AS key, ${t.markets} AS markets, ${t.columns}${viaAlias} FROM ${t.table} x WHERE x.id = $1${scope}`, params)
    if (!row) continue
    out.push({ field, value, type: FIELD_TYPE[field], key: row.key, id: row.id, how: howMatched(field, value, row), markets: row.markets })
  }
  return out
}
