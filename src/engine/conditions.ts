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
    case 'matches': case 'notMatches': return null
    default: {
      const other = c.value === AS_OF ? `${param(asOf)}::text` : c.value !== undefined ? `${param(c.value)}::text` : `NULLIF(${column(c.other!)}::text, '')`
      const op = { eq: '=', ne: '=', lt: '<', le: '<=', gt: '>', ge: '>=' }[c.op]
      const compared = `coalesce(${v} COLLATE "C" ${op} ${other} COLLATE "C", false)`
      return c.op === 'ne' ? `NOT ${compared}` : compared
    }
  }
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
