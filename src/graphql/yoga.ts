// The GraphQL application: graphql-yoga over the Pothos schema, with authentication in the context,
// masked unexpected errors, a request size limit and (in production) no introspection without a key.
// Tests call `yoga.fetch()`; src/server.ts only listens.
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import { PothosValidationError } from '@pothos/core'
import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type SelectionSetNode, type ValidationContext } from 'graphql'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createYoga, renderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga'
import type { Principal } from '../access/scope.ts'
import { INTROSPECTION_DEPTH, QUERY_LIMITS } from './builder.ts'
import type { Database } from '../db/database.ts'
import { InputError, ValidationFailed } from '../errors.ts'
import { CorsPolicy, corsOrigins } from '../http/cors.ts'
import { moduleLogger } from '../logger.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { authenticate, isIntrospectionOnly, type Context } from './context.ts'
import { schema } from './schema/index.ts'
import { refuseInvalidText } from './text-input.ts'
import { GRAPHQL_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('graphql')

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 256 * 1024

export interface GraphQLOptions {
  /** production: no introspection and no GraphiQL without a key (default: NODE_ENV === 'production') */
  production?: boolean
  /** headers GraphiQL starts with, e.g. the key created at first start of a local server */
  graphiqlHeaders?: Record<string, string>
  /** the job layer (schedules follow their changes through it) */
  jobs?: JobQueue
  /** origins whose pages may read the answers (default: SVERKA_CORS_ORIGINS; none: no cross-origin access) */
  corsOrigins?: readonly string[]
}

export type SverkaYoga = ReturnType<typeof createGraphQL>

export function createGraphQL(db: Database, options: GraphQLOptions = {}) {
  const principals = new WeakMap<Request, Principal>()
  // errors maskError has logged already, at their level
  const logged = new WeakSet<object>()
  const production = options.production ?? process.env.NODE_ENV === 'production'
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // yoga's default answers every origin, with credentials
    cors: new CorsPolicy(options.corsOrigins ?? corsOrigins()).yogaOption(),
    graphiql: production ? false : graphiqlOptions(options.graphiqlHeaders),
    // GraphiQL's page and assets come from this server, not from a CDN: it works offline and behind proxies.
    // yoga fills in only the first __TITLE__ (the page said «Loading __TITLE__...» until its scripts ran)
    renderGraphiQL: (opts) => renderGraphiQL(opts)
      .replace(/https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist/g, GRAPHIQL_ASSETS)
      .replace(/<link rel=icon [^>]*>/, '')
      .replace('<html lang=en>', '<html lang=ru>')
      // the editor (Monaco) boxes every Cyrillic letter that looks like a Latin one («с», «о», «г») as
      // «ambiguous»: in Russian text that is every other word. The boxes are drawn, not the letters changed.
      .replace('</head>', `<style>${NO_AMBIGUOUS_BOXES}</style></head>`)
      .replaceAll('__TITLE__', escapeHtml(opts?.title ?? GRAPHIQL_TITLE)),
    maskedErrors: {
      maskError(error, message) {
        // yoga logs every error its masking changes, at error level: each is logged here instead, at its level
        if (typeof error === 'object' && error !== null) logged.add(error)
        const located = error instanceof GraphQLError ? error : null
        const original = located ? located.originalError : error
        // refused input (argument validation, domain input errors) is the caller's to correct: say why
        if (original instanceof InputError) {
          log.debug({ path: located?.path, problem: original.message }, 'input refused')
          return new GraphQLError(original.message, {
            nodes: located?.nodes, path: located?.path,
            extensions: { code: 'BAD_USER_INPUT', ...(original instanceof ValidationFailed ? { problems: original.problems } : {}) },
          })
        }
        // Pothos refusing an argument (a cursor that is no cursor): the caller's input, said briefly (it may quote 10 KB)
        if (original instanceof PothosValidationError) {
          log.debug({ path: located?.path, problem: original.message.slice(0, 200) }, 'input refused')
          const brief = original.message.length > 120 ? `${original.message.slice(0, 120)}…` : original.message
          return new GraphQLError(brief, { nodes: located?.nodes, path: located?.path, extensions: { code: 'BAD_USER_INPUT' } })
        }
        // GraphQL errors raised on purpose (validation, authentication, limits) pass; anything else is logged and masked
        if (located && (original == null || (original as { extensions?: unknown }).extensions)) {
          log.debug({ code: located.extensions?.code, path: located.path, problem: located.message }, 'request refused')
          return located
        }
        log.error({ err: original }, 'unexpected error in a GraphQL request')
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
      },
    },
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...a) => log.warn(a.map(String).join(' ')),
      error: (...a) => {
        if (a.length === 1 && typeof a[0] === 'object' && a[0] !== null && logged.has(a[0])) return
        log.error(a.map(String).join(' '))
      },
    },
    context: ({ request }): Context => {
      const principal = principals.get(request) ?? null
      return { db, principal, actor: principal ? `key:${principal.keyId}:${principal.name}` : 'anonymous', ...(options.jobs ? { jobs: options.jobs } : {}) }
    },
    plugins: [
      graphiqlAssets(production),
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
      refuseInvalidText(),
      maxDepth(QUERY_LIMITS.depth, INTROSPECTION_DEPTH),
      useDisableIntrospection({ isDisabled: (request) => production && !request.headers.get('authorization') }),
    ],
  })
}

export const GRAPHIQL_TITLE = 'Sverka — GraphQL'

/**
 * The tab GraphiQL opens on: README's first two questions, in one operation so that one click runs both.
 * (No `$` in it: yoga puts the options into the page with String.replace.)
 */
export const GRAPHIQL_EXAMPLE = `# Sverka — сверка справочников контакт-центра.
# Ключ API — во вкладке Headers внизу: если сервер
# впервые запущен на этой машине, он уже там; иначе
# {"Authorization": "Bearer <ключ>"}
# (ключ выдаёт sverka apikey create).
# Запуск: ▶ или Ctrl-Enter. Схема: кнопка Docs слева.
query FirstCall {
  # Что сказал звонящий: адрес, договор, клиент
  # или устройство — как угодно записанные
  search(text: "Ленина 5 кв 12") {
    type
    key
    label
  }
  # Что не так вокруг адреса A-DEMO-1: открытые
  # находки с важностью, статусом и возрастом
  conflicts(for: { type: address, key: "A-DEMO-1" }) {
    count
    findings {
      ruleId
      severity
      status
      message
      ageText
    }
  }
}
`

/**
 * GraphiQL's options. `query` (not in yoga's type, read by its GraphiQL) is the tab it opens on: without it a
 * fresh browser opens on GraphiQL's stock welcome text, whatever `defaultQuery` says.
 */
function graphiqlOptions(headers: Record<string, string> | undefined): GraphiQLOptions & { query: string } {
  return {
    title: GRAPHIQL_TITLE,
    query: GRAPHIQL_EXAMPLE,
    defaultQuery: GRAPHIQL_EXAMPLE,
    ...(headers ? { headers: JSON.stringify(headers) } : {}),
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Refuses documents nested deeper than `limit` selection sets (fragments followed). The schema's meta-fields
 * (`__schema`, `__type` and what is under them) are not data: they are held to their own, larger limit, deep
 * enough for the introspection query of graphql-js and GraphiQL (depth 15: `ofType` nine levels down) and still
 * short of `__type { ofType { ofType … } } }` without end — the schema's cost limits do not see them at all.
 */
function maxDepth(limit: number, schemaLimit: number): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(context.getDocument().definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]))
    const depthOf = (set: SelectionSetNode, seen: Set<string>, counted: (field: FieldNode) => boolean): number => {
      let deepest = 0
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (counted(s)) deepest = Math.max(deepest, s.selectionSet ? 1 + depthOf(s.selectionSet, seen, counted) : 1)
        } else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, seen, counted))
        else {
          const f = fragments.get(s.name.value)
          if (f && !seen.has(f.name.value)) deepest = Math.max(deepest, depthOf(f.selectionSet, new Set([...seen, f.name.value]), counted))
        }
      }
      return deepest
    }
    const isData = (field: FieldNode) => !SCHEMA_FIELDS.has(field.name.value)
    return {
      OperationDefinition(op) {
        const data = depthOf(op.selectionSet, new Set(), isData)
        const whole = depthOf(op.selectionSet, new Set(), () => true)
        if (data > limit) context.reportError(new GraphQLError(GRAPHQL_RU.queryTooDeep(data, limit), { extensions: { code: 'QUERY_TOO_DEEP' } }))
        else if (whole > schemaLimit) context.reportError(new GraphQLError(GRAPHQL_RU.introspectionTooDeep(whole, schemaLimit), { extensions: { code: 'QUERY_TOO_DEEP' } }))
      },
    }
  }
  return { onValidate({ addValidationRule }) { addValidationRule(rule) } }
}

/** The meta-fields that read the schema, not data (`__typename` is a leaf: it counts as one level like any field). */
const SCHEMA_FIELDS = new Set(['__schema', '__type'])

const GRAPHIQL_ASSETS = '/graphiql-assets'

/** Monaco's highlight of «ambiguous» characters, switched off by style (GraphiQL passes no editor options through). */
const NO_AMBIGUOUS_BOXES = '.monaco-editor .unicode-highlight{border:0!important;background:none!important}'
const GRAPHIQL_FILES = new Map([
  ['graphiql.css', 'text/css'], ['yoga-graphiql.umd.js', 'text/javascript'],
  ['monacoeditorwork/editor.worker.bundle.js', 'text/javascript'], ['monacoeditorwork/json.worker.bundle.js', 'text/javascript'],
  ['monacoeditorwork/graphql.worker..bundle.js', 'text/javascript'],
])

/** Serves GraphiQL's prebuilt files (@graphql-yoga/graphiql's dist) under /graphiql-assets/, development servers only. */
function graphiqlAssets(production: boolean): Plugin {
  const dist = dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json'))
  const cache = new Map<string, Promise<Buffer>>()
  return {
    onRequest(request) {
      const { url, fetchAPI } = request
      if (production || !url.pathname.startsWith(`${GRAPHIQL_ASSETS}/`)) return
      const name = url.pathname.slice(GRAPHIQL_ASSETS.length + 1)
      const type = GRAPHIQL_FILES.get(name)
      if (!type) {
        request.endResponse(new fetchAPI.Response(GRAPHQL_RU.notFound, { status: 404 }))
        return
      }
      if (!cache.has(name)) cache.set(name, readFile(join(dist, 'dist', name)))
      return cache.get(name)!.then((body) => request.endResponse(new fetchAPI.Response(new Uint8Array(body), {
        status: 200, headers: { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' },
      })))
    },
  }
}

/** Refuses bodies over `max` bytes (by Content-Length, before they are read) with 413. */
function bodyLimit(max: number): Plugin {
  return {
    onRequest(payload) {
      const { request, fetchAPI } = payload
      const length = Number(request.headers.get('content-length') ?? 0)
      if (length > max) {
        payload.endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: GRAPHQL_RU.tooLarge(length, max), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
          { status: 413, headers: { 'content-type': 'application/json' } }))
      }
    },
  }
}

