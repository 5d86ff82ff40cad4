// The GraphQL application: graphql-yoga over the Pothos schema, with authentication in the context,
// masked unexpected errors, a request size limit and (in production) no introspection without a key.
// Tests call `yoga.fetch()`; src/server.ts only listens.
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql'
import { createYoga, type Plugin } from 'graphql-yoga'
import type { Principal } from '../access/scope.ts'
import { QUERY_LIMITS } from './builder.ts'
import type { Database } from '../db/database.ts'
import { InputError, ValidationFailed } from '../errors.ts'
import { moduleLogger } from '../logger.ts'
import { authenticate, isIntrospectionOnly, unauthenticated, type Context } from './context.ts'
import { schema } from './schema/index.ts'

const log = moduleLogger('graphql')

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 256 * 1024

export interface GraphQLOptions {
  /** production: no introspection and no GraphiQL without a key (default: NODE_ENV === 'production') */
  production?: boolean
  /** headers GraphiQL starts with, e.g. the key created at first start of a local server */
  graphiqlHeaders?: Record<string, string>
}

export type SverkaYoga = ReturnType<typeof createGraphQL>

export function createGraphQL(db: Database, options: GraphQLOptions = {}) {
  const principals = new WeakMap<Request, Principal>()
  const production = options.production ?? process.env.NODE_ENV === 'production'
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: production ? false : {
      title: 'Sverka',
      headers: options.graphiqlHeaders ? JSON.stringify(options.graphiqlHeaders) : undefined,
      defaultQuery: '# Authorization: Bearer <API key> goes into the Headers tab below.\n{\n  markets { code name }\n}\n',
    },
    maskedErrors: {
      maskError(error, message) {
        const original = (error as { originalError?: unknown }).originalError
        // refused input (argument validation, domain input errors) is the caller's to correct: say why
        if (original instanceof InputError && error instanceof GraphQLError) {
          return new GraphQLError(original.message, {
            nodes: error.nodes, path: error.path,
            extensions: { code: 'BAD_USER_INPUT', ...(original instanceof ValidationFailed ? { problems: original.problems } : {}) },
          })
        }
        // GraphQL errors raised on purpose (validation, authentication, limits) pass; anything else is logged and masked
        if (original === undefined || (original as { extensions?: unknown })?.extensions) return error as Error
        log.error({ err: original }, 'unexpected error in a GraphQL request')
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
      },
    },
    logging: { debug: () => {}, info: () => {}, warn: (...a) => log.warn(a.map(String).join(' ')), error: (...a) => log.error(a.map(String).join(' ')) },
    context: ({ request }): Context => {
      const principal = principals.get(request) ?? null
      return { db, principal, actor: principal ? `key:${principal.keyId}:${principal.name}` : 'anonymous' }
    },
    plugins: [
      bodyLimit(MAX_BODY_BYTES),
      {
        // authentication comes first, before the document is parsed or validated: without a valid key
        // the only answer is an authentication error
        async onParams({ request, params }) {
          const authorization = request.headers.get('authorization')
          if (!authorization && !production && isIntrospectionOnly(params.query, params.operationName)) return
          principals.set(request, await authenticate(db, authorization))
        },
      } satisfies Plugin,
      maxDepth(QUERY_LIMITS.depth),
      useDisableIntrospection({ isDisabled: (request) => production && !request.headers.get('authorization') }),
    ],
  })
}

/**
 * Refuses documents nested deeper than `limit` selection sets (fragments followed), introspection included:
 * the schema's own cost limits do not see `__type { ofType { ofType … } } }`.
 */
function maxDepth(limit: number): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(context.getDocument().definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]))
    const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
      let deepest = 0
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) deepest = Math.max(deepest, s.selectionSet ? 1 + depthOf(s.selectionSet, seen) : 1)
        else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, seen))
        else {
          const f = fragments.get(s.name.value)
          if (f && !seen.has(f.name.value)) deepest = Math.max(deepest, depthOf(f.selectionSet, new Set([...seen, f.name.value])))
        }
      }
      return deepest
    }
    return {
      OperationDefinition(op) {
        const depth = depthOf(op.selectionSet, new Set())
        if (depth > limit) context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${limit}`, { extensions: { code: 'QUERY_TOO_DEEP' } }))
      },
    }
  }
  return { onValidate({ addValidationRule }) { addValidationRule(rule) } }
}

/** Refuses bodies over `max` bytes (by Content-Length, before they are read) with 413. */
function bodyLimit(max: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get('content-length') ?? 0)
      if (length > max) {
        endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: `request body too large: ${length} bytes (limit ${max})`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
          { status: 413, headers: { 'content-type': 'application/json' } }))
      }
    },
  }
}

export { unauthenticated }
