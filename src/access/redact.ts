// Text built for its reader. A finding's message and details, a link's reason, an unresolved reference's
// reason were written once, by whoever made them, and may name records around the subject: the address a
// device is registered at, the markets a product is sold in, the contracts a reference matched. A key limited
// to markets must not meet another market's business key that way. Each text is cut into the tokens a key
// can be, the tokens that are keys only of records the reader may not see are looked up in one statement,
// and every such occurrence is replaced by HIDDEN. A token that is also the key of a record the reader does
// see stays (it tells nothing new). Unscoped readers get the text as stored.
import type { SqlClient } from '../db/database.ts'
import { ENTITY_TYPES, tableOf } from '../records/model.ts'
import { groupVisibleSql, visibleSql, type Principal } from './scope.ts'

/** What stands where another market's key stood. */
export const HIDDEN = '[скрыто]'

// what separates keys in prose: white space, list and quote punctuation; a key keeps its inner - . / _ :
const SEPARATORS = /[\s,;()«»"'<>[\]{}|=]+/u
const EDGE = /^[.:!?…]+|[.:!?…]+$/gu
const MAX_TOKEN = 200

/** The tokens of a text that could be business keys. */
export function keyCandidates(text: string): string[] {
  const out = new Set<string>()
  for (const raw of text.split(SEPARATORS)) {
    if (!raw || raw.length > MAX_TOKEN) continue
    out.add(raw)
    const trimmed = raw.replace(EDGE, '')
    if (trimmed) out.add(trimmed)
  }
  return [...out]
}

/** A string's candidates: its tokens, and the whole string when it could be a key itself (a key may hold spaces). */
export function candidatesOf(text: string): string[] {
  const whole = text.trim()
  return whole && whole.length <= MAX_TOKEN ? [whole, ...keyCandidates(text)] : keyCandidates(text)
}

/** Every string of a JSON value (leaves and object keys), for keyCandidates. */
export function jsonStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value)
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, into)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.push(k)
      jsonStrings(v, into)
    }
  }
  return into
}

// each keyed table: its key column and whether the reader sees a row (the scope's own definition), with the
// reader's markets as $2; equipment types are catalogue every key sees, so they never hide anything
const KEYED: Array<{ table: string; key: string; visible: (alias: string) => string }> = [
  ...ENTITY_TYPES.filter((type) => type !== 'equipmentType').map((type) => {
    const { table, key } = tableOf(type)
    return { table: `"${table}"`, key: `"${key}"`, visible: (a: string) => visibleSql(type, a, '$2') }
  }),
  { table: 'responsible_group', key: 'code', visible: (a) => groupVisibleSql(a, '$2') },
]

const HIDDEN_KEYS_SQL = `
  SELECT k FROM (${KEYED.map((t) => `SELECT x.${t.key} AS k, ${t.visible('x')} AS v FROM ${t.table} x WHERE x.${t.key} = ANY($1::text[])`).join('\n    UNION ALL ')}) q
  GROUP BY k HAVING NOT bool_or(v)`

/** Of `candidates`, those that are keys only of records the principal may not see (none for an unscoped one). */
export async function hiddenKeys(sql: SqlClient, principal: Principal, candidates: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(candidates)]
  if (principal.markets === null || list.length === 0) return new Set()
  const { rows } = await sql.query<{ k: string }>(HIDDEN_KEYS_SQL, [list, [...principal.markets]], { prepared: true })
  return new Set(rows.map((r) => r.k))
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `text` with every standalone occurrence of a hidden key replaced by HIDDEN. */
export function redactText(text: string, hidden: ReadonlySet<string>): string {
  if (hidden.size === 0) return text
  const present = keyCandidates(text).filter((t) => hidden.has(t))
  if (present.length === 0) return text
  // longest first, so that a key inside a longer one is not cut out of it
  const alternatives = [...new Set(present)].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}_\\-/.])(?:${alternatives})(?![\\p{L}\\p{N}_\\-/])`, 'gu'), HIDDEN)
}

/** A JSON value with hidden keys replaced in every string and object key. */
export function redactJson(value: unknown, hidden: ReadonlySet<string>): unknown {
  if (hidden.size === 0) return value
  if (typeof value === 'string') return hidden.has(value) ? HIDDEN : redactText(value, hidden)
  if (Array.isArray(value)) return value.map((v) => redactJson(v, hidden))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    let n = 0
    for (const [k, v] of Object.entries(value)) {
      let name = hidden.has(k) ? HIDDEN : redactText(k, hidden)
      while (name !== k && Object.hasOwn(out, name)) name = `${HIDDEN} ${++n + 1}`
      out[name] = redactJson(v, hidden)
    }
    return out
  }
  return value
}

/** Texts and JSON values as the principal may read them: one lookup for all of them. */
export async function redactAll<T extends { texts?: string[]; json?: unknown[] }>(sql: SqlClient, principal: Principal, parts: T): Promise<T> {
  if (principal.markets === null) return parts
  const strings = [...(parts.texts ?? []), ...jsonStrings(parts.json ?? [])]
  const hidden = await hiddenKeys(sql, principal, strings.flatMap(candidatesOf))
  return {
    ...parts,
    ...(parts.texts ? { texts: parts.texts.map((t) => redactText(t, hidden)) } : {}),
    ...(parts.json ? { json: parts.json.map((j) => redactJson(j, hidden)) } : {}),
  }
}
