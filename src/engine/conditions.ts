// The small condition language of the declarative kinds (predicate, consistency): its zod schema,
// evaluation in JS over a row of field values, and the pushdown of simple filters to SQL.
import { z } from '../i18n/zod.ts'
import type { FieldValue } from './entities.ts'
import { RULE_FILE_RU } from '../i18n/ru-errors.ts'

const field = z.string().min(1)
const label = z.string().min(1).optional()

/** `value: $asOf` compares with the audit's reference date. */
export const AS_OF = '$asOf'

export const conditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ field, op: z.enum(['missing', 'present']), label }),
  z.strictObject({
    field, op: z.enum(['in', 'notIn']), values: z.array(z.string()).min(1).optional(), other: field.optional(), label,
  }).refine((c) => (c.values === undefined) !== (c.other === undefined), { message: RULE_FILE_RU.valuesOrOther('values', 'other') }),
  z.strictObject({
    field, op: z.enum(['matches', 'notMatches']), label,
    pattern: z.string().refine((p) => { try { new RegExp(p, 'u'); return true } catch { return false } }, { message: RULE_FILE_RU.badPattern }),
  }),
  z.strictObject({
    field, op: z.enum(['eq', 'ne', 'lt', 'le', 'gt', 'ge']), other: field.optional(), value: z.string().optional(), label,
  }).refine((c) => (c.value === undefined) !== (c.other === undefined), { message: RULE_FILE_RU.valuesOrOther('value', 'other') }),
])

export type Condition = z.infer<typeof conditionSchema>

export type Row = Record<string, FieldValue>

/** Field names a condition reads. */
/** Calls `check` with each field a rule's conditions and message data name, and its path in params (for zod issues). */
export function eachParamField(p: { where: Condition[]; any: Condition[]; data: string[] }, check: (name: string, path: (string | number)[]) => void) {
  for (const list of ['where', 'any'] as const) {
    p[list].forEach((c, i) => {
      check(c.field, [list, i, 'field'])
      if ('other' in c && c.other !== undefined) check(c.other, [list, i, 'other'])
    })
  }
  p.data.forEach((f, i) => check(f, ['data', i]))
}

export function conditionFields(c: Condition): string[] {
  return 'other' in c && c.other !== undefined ? [c.field, c.other] : [c.field]
}

const patternCache = new Map<string, RegExp>()
function regex(pattern: string): RegExp {
  let r = patternCache.get(pattern)
  if (!r) patternCache.set(pattern, (r = new RegExp(pattern, 'u')))
  return r
}

const isMissing = (v: FieldValue | undefined) => v === null || v === undefined || v === ''

/**
 * Whether `row` satisfies `c`. A missing value matches nothing (SPEC): it is never equal to, less or greater
 * than anything, never in a list and matches no pattern — so `ne` and `notIn` hold for it, and
 * `notMatches` does not (a missing postal code is not a malformed one).
 */
export function holds(c: Condition, row: Row, asOf: string): boolean {
  const v = row[c.field]
  switch (c.op) {
    case 'missing': return isMissing(v)
    case 'present': return !isMissing(v)
    case 'in': case 'notIn': {
      const list = c.values ?? row[c.other!]
      const inList = !isMissing(v) && Array.isArray(list) && typeof v === 'string' && list.includes(v)
      return c.op === 'in' ? inList : !inList
    }
    case 'matches': case 'notMatches':
      if (typeof v !== 'string' || v === '') return false
      return regex(c.pattern).test(v) === (c.op === 'matches')
    default: {
      const other = c.value === AS_OF ? asOf : c.value !== undefined ? c.value : row[c.other!]
      const equal = !isMissing(v) && !isMissing(other) && v === other
      if (c.op === 'eq') return equal
      if (c.op === 'ne') return !equal
      if (isMissing(v) || isMissing(other) || typeof v !== 'string' || typeof other !== 'string') return false
      // dates (YYYY-MM-DD) and codes compare as strings
      return c.op === 'lt' ? v < other : c.op === 'le' ? v <= other : c.op === 'gt' ? v > other : v >= other
    }
  }
}

/** The first condition of `any` that holds (its label or index), or null when none does. */
export function firstHolding(any: Condition[], row: Row, asOf: string): Condition | null {
  for (const c of any) if (holds(c, row, asOf)) return c
  return null
}

/**
 * A condition as SQL, with the same meaning as {@link holds} (an empty string counts as missing, text
 * compares in code-point order); null when it does not translate one to one (patterns: JS and PostgreSQL
 * regular expressions differ), and the condition is then left to JS alone.
 */
export function conditionSql(c: Condition, column: (field: string) => string, param: (value: unknown) => string, asOf: string): string | null {
  const v = `NULLIF(${column(c.field)}::text, '')`
  switch (c.op) {
    case 'missing': return `${v} IS NULL`
    case 'present': return `${v} IS NOT NULL`
    case 'in': case 'notIn': {
      const list = c.values ? `${param(c.values)}::text[]` : column(c.other!)
      const inList = `coalesce(${v} = ANY(${list}), false)`
      return c.op === 'in' ? inList : `NOT ${inList}`
    }
    case 'matches': case 'notMatches': {
      const pattern = postgresPattern(c.pattern)
      if (pattern === null) return null
      // a missing value matches no pattern, and notMatches does not hold for it either (see holds)
      return `(${v} IS NOT NULL AND ${c.op === 'matches' ? '' : 'NOT '}${v} ~ ${param(pattern)}::text)`
    }
    default: {
      const other = c.value === AS_OF ? `${param(asOf)}::text` : c.value !== undefined ? `${param(c.value)}::text` : `NULLIF(${column(c.other!)}::text, '')`
      const op = { eq: '=', ne: '=', lt: '<', le: '<=', gt: '>', ge: '>=' }[c.op]
      const compared = `coalesce(${v} COLLATE "C" ${op} ${other} COLLATE "C", false)`
      return c.op === 'ne' ? `NOT ${compared}` : compared
    }
  }
}

/**
 * A JavaScript pattern (flag `u`) written again for PostgreSQL's regular expressions, when it keeps the same meaning
 * there; null otherwise. Only a small, unambiguous part of the syntax is taken: anchors at the ends, literal characters,
 * `\d` (written `[0-9]`: PostgreSQL's `\d` may take other scripts' digits), escaped punctuation, classes of literals
 * and ASCII ranges, groups with `|`, and the greedy quantifiers `? * + {n} {n,} {n,m}`. Everything else — `.` (JS stops
 * at line breaks), `\w`, `\s`, `\b`, back-references, lookarounds, lazy quantifiers, ranges outside ASCII letters and
 * digits (their order differs) — is left to JS. The rules' common shapes, like `^\d{6}$` for a postal code, translate.
 */
export function postgresPattern(pattern: string): string | null {
  let out = ''
  let depth = 0
  let i = 0
  const asciiRange = (a: string, b: string) => [/[0-9]/, /[a-z]/, /[A-Z]/].some((r) => r.test(a) && r.test(b)) && a <= b
  const PUNCT = '\\^$.|?*+()[]{}/-'
  while (i < pattern.length) {
    const ch = pattern[i]
    if (ch === '^' && i === 0) { out += '^'; i++; continue }
    if (ch === '$' && i === pattern.length - 1) { out += '$'; i++; continue }
    if (ch === '\\') {
      const next = pattern[i + 1]
      if (next === 'd') out += '[0-9]'
      else if (next !== undefined && PUNCT.includes(next)) out += `\\${next}`
      else return null
      i += 2
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1)
      if (end < 0) return null
      const body = pattern.slice(i + 1, end)
      let cls = ''
      let j = 0
      if (body.startsWith('^')) { cls += '^'; j = 1 }
      if (j >= body.length) return null
      while (j < body.length) {
        const c = body[j]
        if (c === '\\') {
          if (body[j + 1] === 'd') cls += '0-9'
          else return null
          j += 2
        } else if (body[j + 1] === '-' && j + 2 < body.length) {
          if (!asciiRange(c, body[j + 2])) return null
          cls += `${c}-${body[j + 2]}`
          j += 3
        } else if ('[]^-'.includes(c) && !(c === '-' && (j === body.length - 1))) {
          return null
        } else {
          cls += c
          j++
        }
      }
      out += `[${cls}]`
      i = end + 1
    } else if (ch === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] !== ':') return null
        out += '(?:'
        i += 3
      } else {
        out += '('
        i++
      }
      depth++
    } else if (ch === ')') {
      if (depth === 0) return null
      depth--
      out += ')'
      i++
    } else if (ch === '|') {
      out += '|'
      i++
    } else if ('?*+'.includes(ch)) {
      if (i === 0 || '?*+'.includes(pattern[i + 1] ?? '')) return null
      out += ch
      i++
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))
      if (!m || i === 0 || pattern[i + m[0].length] === '?') return null
      out += m[0]
      i += m[0].length
    } else if ('.^$]}'.includes(ch)) {
      return null
    } else {
      // a literal: letters of any script and other characters that mean themselves in both dialects
      out += ch
      i++
    }
  }
  return depth === 0 ? out : null
}

/**
 * The filter a detector can push down: every `where` condition that translates, and the `any` conditions
 * OR-ed when all of them translate. JS still evaluates everything on the rows that come back.
 */
export function pushdown(where: Condition[], any: Condition[], column: (field: string) => string, param: (value: unknown) => string, asOf: string): string[] {
  const out: string[] = []
  for (const c of where) {
    const sql = conditionSql(c, column, param, asOf)
    if (sql) out.push(sql)
  }
  const anySql = any.map((c) => conditionSql(c, column, param, asOf))
  if (anySql.length > 0 && anySql.every((x) => x !== null)) out.push(`(${anySql.join(' OR ')})`)
  return out
}
