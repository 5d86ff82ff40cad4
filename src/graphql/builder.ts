// The Pothos schema builder and its plugins, nothing else: types live in schema/<type>.ts.
// Plugin order matters: scope-auth first (it guards everything), errors before validation (so a refused
// input becomes a result union instead of an exception), complexity last.
import SchemaBuilder from '@pothos/core'
import ComplexityPlugin from '@pothos/plugin-complexity'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import ValidationPlugin from '@pothos/plugin-validation'
import { GraphQLError } from 'graphql'
import { can, PERMISSIONS, type Permission } from '../access/permissions.ts'
import { ValidationFailed } from '../errors.ts'
import type PrismaTypes from '../generated/pothos-types.ts'
import { getDatamodel } from '../generated/pothos-types.ts'
import type { Context } from './context.ts'
import { selectKeyWhenEmpty } from './prisma-select.ts'
import { ACCESS_RU } from '../i18n/ru-errors.ts'

/** Limits a query must stay within (depth, breadth, cost): checked before anything runs. */
export const QUERY_LIMITS = { depth: 12, breadth: 150, complexity: 5000 } as const
/**
 * How deep the schema's meta-fields (`__schema`, `__type`) may be nested instead: the full introspection query of
 * graphql-js and GraphiQL is 15 deep; a little more leaves room for clients that follow `ofType` further.
 */
export const INTROSPECTION_DEPTH = 20
/** The largest page a connection returns, and the default. */
export const MAX_PAGE = 500
export const DEFAULT_PAGE = 50

/**
 * The permissions, plus: any key at all; catalogue writes (writeMasterData by a key without a market limit);
 * a key without a market limit (for what every market shares: rule overrides, groups); and `visible`, a type's
 * own verdict on one record (its market against the key's: see src/access/scope.ts), for types whose every
 * path must hold it.
 */
type AuthScopes = { [P in Permission]: boolean } & { authenticated: boolean; writeCatalogue: boolean; unscoped: boolean; visible: boolean }

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  AuthScopes: AuthScopes
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    Date: { Input: string; Output: string | Date }
    JSON: { Input: unknown; Output: unknown }
    ID: { Input: string; Output: string | number }
  }
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ErrorsPlugin, ValidationPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => {
      const role = ctx.principal?.role
      const scopes = Object.fromEntries(Object.keys(PERMISSIONS).map((p) => [p, role ? can(role, p as Permission) : false])) as { [P in Permission]: boolean }
      const unscoped = role !== undefined && ctx.principal?.markets === null
      const writeCatalogue = unscoped && can(role, 'writeMasterData')
      return { ...scopes, authenticated: role !== undefined, writeCatalogue, unscoped, visible: (verdict: boolean) => verdict }
    },
    unauthorizedError: (_parent, ctx, info, result) => {
      if (!ctx.principal) return new GraphQLError(ACCESS_RU.authRequiredShort, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } })
      const p = ctx.principal
      const failed = JSON.stringify(result.failure)
      const scoped = p.markets !== null && can(p.role, 'writeMasterData')
      const message = scoped && failed.includes('"writeCatalogue"')
        ? ACCESS_RU.forbiddenCatalogue(p.markets!)
        : scoped && failed.includes('"unscoped"')
          ? ACCESS_RU.forbiddenShared(p.markets!, `${info.parentType.name}.${info.fieldName}`)
          : ACCESS_RU.forbiddenRole(p.role, `${info.parentType.name}.${info.fieldName}`)
      return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } })
    },
  },
  prisma: {
    client: (ctx) => ctx.db.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
    maxConnectionSize: MAX_PAGE,
    defaultConnectionSize: DEFAULT_PAGE,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  errors: { defaultTypes: [] },
  validation: {
    validationError: (result) => new ValidationFailed(result.issues.map((issue) => ({
      field: issue.path?.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.') || null,
      code: 'INVALID',
      message: issue.message,
    }))),
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: { ...QUERY_LIMITS },
  },
})

// before any type is defined: a prismaField whose selection asks for no column still gets a query Prisma accepts
selectKeyWhenEmpty()
