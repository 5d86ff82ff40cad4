// Pieces every master-data list shares: page-size bounds, sort orders, text matching, lookup-argument
// validation, and "belongs to market X" predicates (the scope's own definition, for one market).
import { z } from '../../i18n/zod.ts'
import { visibleWhere } from '../../access/scope.ts'
import { GRAPHQL_RU } from '../../i18n/ru-errors.ts'
import { CELL_RU, LOOKUP_RU } from '../../i18n/ru-records.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'
import { builder, MAX_PAGE } from '../builder.ts'

/** Whole-field validation of a connection's paging arguments: sizes outside 0..MAX_PAGE are refused, not clamped. */
export const pageBounds = z.object({
  first: z.number().int().min(0, GRAPHQL_RU.pageMin).max(MAX_PAGE, GRAPHQL_RU.pageMax(MAX_PAGE)).nullish(),
  last: z.number().int().min(0, GRAPHQL_RU.pageMin).max(MAX_PAGE, GRAPHQL_RU.pageMax(MAX_PAGE)).nullish(),
}).loose()

// PostgreSQL text cannot hold NUL: refused here rather than failing in the database
const plain = (max: number) => z.string()
  .max(max, PROBLEM_RU.tooLong(max))
  .refine((s) => !s.includes('\u0000'), CELL_RU.nul)

/** A free-text filter: at most 200 characters; blank means no filter. */
export const textFilter = plain(200)

/** A business key or identifier argument: non-blank, of sane length. */
export const keyArg = plain(200).refine((s) => s.trim() !== '', PROBLEM_RU.empty)

/**
 * A lookup argument normalised by `normalize`; refused with `what` (LOOKUP_RU) when nothing comparable is left
 * (e.g. a serial of only dashes, a MAC that is not 12 hex digits).
 */
export function normalizedArg(normalize: (s: string) => string | null, what: string) {
  return plain(200).transform((raw, ctx) => {
    const value = normalize(raw)
    if (value === null) {
      ctx.addIssue({ code: 'custom', message: LOOKUP_RU.notA(JSON.stringify(raw.slice(0, 50)), what) })
      return z.NEVER
    }
    return value
  })
}

// Prisma turns `mode: 'insensitive'` into ILIKE and passes the value in as a pattern, unescaped (`contains`
// as '%value%', `equals` as the value itself): the LIKE wildcards (%, _) and its escape character (a
// backslash) are escaped here, so that they match themselves and a trailing backslash is no SQL error
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Case-insensitive substring match of the text as typed. */
export function containing(text: string) {
  return { contains: likeEscaped(text), mode: 'insensitive' as const }
}

/** Case-insensitive equality with the text as typed. */
export function equalIgnoringCase(text: string) {
  return { equals: likeEscaped(text), mode: 'insensitive' as const }
}

/** The trimmed filter text, or null when there is none to match. */
export function textOf(text: string | null | undefined): string | null {
  const t = text?.trim()
  return t ? t : null
}

/** Records belonging to one market, by the same definition the market scope uses (src/access/scope.ts). */
export function inMarket(code: string) {
  return visibleWhere({ keyId: 0, name: 'filter', role: 'ADMIN', markets: [code] })
}

export type SortDirection = 'asc' | 'desc'

/**
 * A sort order enum (FIELD_ASC, FIELD_DESC for each field) and its Prisma orderBy, with the id as
 * tie-breaker: cursor pagination needs a total order. The first field, ascending, is the default.
 */
export function orderEnum<const F extends Record<string, string>>(name: string, what: string, fields: F) {
  const orders = new Map<string, Array<Record<string, SortDirection>>>()
  const values: Record<string, { description: string }> = {}
  for (const [label, column] of Object.entries(fields)) {
    for (const dir of ['asc', 'desc'] as const) {
      orders.set(`${label}_${dir.toUpperCase()}`, [{ [column]: dir }, { id: dir }])
      values[`${label}_${dir.toUpperCase()}`] = { description: `by ${column}, ${dir === 'asc' ? 'ascending' : 'descending'}` }
    }
  }
  const ref = builder.enumType(name, { description: `Sort order of ${what}`, values: values as Record<`${Extract<keyof F, string>}_${'ASC' | 'DESC'}`, { description: string }> })
  const first = orders.keys().next().value!
  return {
    ref,
    /** the Prisma orderBy of a value (the default when none is given) */
    // oxlint-disable-next-line typescript/no-explicit-any -- a per-model orderBy input; the columns come from that model
    orderBy: (value: string | null | undefined): any => orders.get(value ?? first)!,
  }
}

/** Records valid on a day (YYYY-MM-DD): validFrom ≤ day and (no validTo or validTo ≥ day); periods are closed. */
export function validAt(day: string) {
  const d = new Date(`${day}T00:00:00.000Z`)
  return { validFrom: { lte: d }, OR: [{ validTo: null }, { validTo: { gte: d } }] }
}
