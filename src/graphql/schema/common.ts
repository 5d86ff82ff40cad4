// Scalars, the error types mutations answer with, and the helpers every module uses: the caller's
// scope and turning domain errors into those results.
import { GraphQLError, Kind } from 'graphql'
import { visibleWhere, type Principal } from '../../access/scope.ts'
import { isIsoDate } from '../../dates.ts'
import { ConflictError, FieldError, InputError, NotFoundError, ValidationFailed, type FieldProblem } from '../../errors.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { GRAPHQL_RU } from '../../i18n/ru-errors.ts'

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601 with time zone (2026-01-31T09:30:00.000Z)',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => {
    const d = typeof v === 'string' ? new Date(v) : null
    if (!d || Number.isNaN(d.getTime())) throw new GraphQLError(GRAPHQL_RU.dateTime('DateTime', 'ISO 8601'))
    return d
  },
})

builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: (v) => {
    if (typeof v !== 'string' || !isIsoDate(v)) throw new GraphQLError(GRAPHQL_RU.date('Date', JSON.stringify(v)))
    return v
  },
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING || !isIsoDate(node.value)) throw new GraphQLError(GRAPHQL_RU.dateString('Date'))
    return node.value
  },
})

builder.scalarType('JSON', {
  description: 'Any JSON value (finding details, rule parameters)',
  serialize: (v) => v,
  parseValue: (v) => v,
})

builder.queryType({})
builder.mutationType({})

// ─── errors as results ───

export const ErrorInterface = builder.interfaceRef<Error & { code?: string }>('Error').implement({
  description: 'What went wrong with a request the caller can correct',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.string({ resolve: (e) => e.code ?? 'ERROR' }),
  }),
})

const FieldProblemRef = builder.objectRef<FieldProblem>('FieldProblem').implement({
  description: 'One refused input field: which (a dotted path; null for the input as a whole), a stable code, why',
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
})

builder.objectType(ValidationFailed, {
  name: 'ValidationFailed',
  description: 'The input was refused; every problem found is listed',
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [FieldProblemRef], resolve: (e) => e.problems }) }),
})

builder.objectType(NotFoundError, {
  name: 'NotFound',
  description: 'No such record (or none the caller may see)',
  interfaces: [ErrorInterface],
})

builder.objectType(ConflictError, {
  name: 'Conflict',
  description: 'The request contradicts the stored state (a duplicate key, a transition not allowed from the current status)',
  interfaces: [ErrorInterface],
})

/** The error types every mutation answers with as results. */
export const RESULT_ERRORS = [ValidationFailed, NotFoundError, ConflictError]

/** Runs a mutation's work and turns the domain's input errors into ValidationFailed (field by field). */
export async function asResult<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (e) {
    if (e instanceof ValidationFailed || !(e instanceof InputError)) throw e
    const problem: FieldProblem = e instanceof FieldError
      ? { field: e.field, code: 'INVALID', message: e.reason }
      : { field: null, code: 'INVALID', message: e.message }
    throw new ValidationFailed([problem])
  }
}

/** The caller's Prisma filters (see src/access/scope.ts). */
export function scopeOf(ctx: Context) {
  return visibleWhere(principalOf(ctx))
}

export type { Principal }
