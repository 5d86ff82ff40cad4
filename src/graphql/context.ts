// The per-request context: the database and the caller. Every request carries `Authorization: Bearer <key>`;
// the key is looked up by its hash. Without one, only a development server answers, and only introspection.
import { GraphQLError, Kind, parse, type DocumentNode } from 'graphql'
import { hashApiKey } from '../access/api-keys.ts'
import type { Principal } from '../access/scope.ts'
import type { Database } from '../db/database.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { moduleLogger } from '../logger.ts'
import { ACCESS_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('auth')

export interface Context {
  db: Database
  /** null only for an introspection query to a development server */
  principal: Principal | null
  /** what events and runs are attributed to: `key:<id>:<name>` */
  actor: string
  /** the job layer, where the server has one: schedule changes are armed at once (else when processors next start) */
  jobs?: JobQueue
}

/** A principal known to be there: resolvers behind an auth scope read it through this. */
export function principalOf(ctx: Context): Principal {
  if (!ctx.principal) throw unauthenticated(ACCESS_RU.fieldNeedsKey)
  return ctx.principal
}

export function unauthenticated(message: string) {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } } })
}

// a valid key is looked up once every few seconds, not on every request (an agent's screen asks a lot);
// a key revoked in another process stops working within that time, in this process at once
const KEY_CACHE_MS = 5_000
const knownKeys = new Map<string, { db: Database; principal: Principal; until: number }>()

// a key's last use is written at most once a minute: not a write per request
const LAST_USED_EVERY_MS = 60_000
const lastUsedWritten = new Map<number, number>()

/** The one message for a key that does not exist and a key that has been revoked. */
export const UNKNOWN_OR_REVOKED = ACCESS_RU.unknownOrRevoked

/** The principal behind an Authorization header; a clear 401 for a missing, malformed, unknown or revoked key. */
export async function authenticate(db: Database, authorization: string | null): Promise<Principal> {
  if (!authorization) throw unauthenticated(ACCESS_RU.authRequired('Authorization: Bearer <API key>', '`sverka apikey create`'))
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  if (!match) throw unauthenticated(ACCESS_RU.malformedHeader('Authorization', 'Bearer <API key>'))
  const hash = hashApiKey(match[1])
  const cached = knownKeys.get(hash)
  if (cached && cached.db === db && cached.until > Date.now()) return cached.principal
  const { rows: [key] } = await db.sql.query<{ id: number; name: string; role: Principal['role']; markets: string[]; revoked: boolean }>(
    `SELECT id, name, role::text AS role, markets, "revokedAt" IS NOT NULL AS revoked FROM api_key WHERE hash = $1`, [hash], { prepared: true })
  if (!key || key.revoked) {
    // one answer for both: telling them apart would tell a holder of a stolen key that it once was valid;
    // the log (and `sverka apikey list`) keeps the difference for the operators
    log.info(key ? { keyId: key.id, reason: 'revoked' } : { reason: 'unknown' }, 'API key refused')
    throw unauthenticated(UNKNOWN_OR_REVOKED)
  }
  const now = Date.now()
  if ((lastUsedWritten.get(key.id) ?? 0) < now - LAST_USED_EVERY_MS) {
    lastUsedWritten.set(key.id, now)
    await db.sql.query(`UPDATE api_key SET "lastUsedAt" = now() WHERE id = $1`, [key.id])
  }
  const principal: Principal = { keyId: key.id, name: key.name, role: key.role, markets: key.markets.length > 0 ? key.markets : null }
  knownKeys.set(hash, { db, principal, until: Date.now() + KEY_CACHE_MS })
  return principal
}

/** Forgets what is known of keys (after a revocation in this process, so it takes effect at once). */
export function forgetKeys() {
  knownKeys.clear()
}

/** Whether a request's document asks for nothing but the schema (__schema, __type, __typename). */
export function isIntrospectionOnly(query: string | undefined, operationName?: string | null): boolean {
  if (!query) return false
  let doc: DocumentNode
  try {
    doc = parse(query)
  } catch {
    return false
  }
  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
  const op = operations.find((o) => !operationName || o.name?.value === operationName)
  if (!op || op.operation !== 'query') return false
  const fragments = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]))
  const rootFields = (set: typeof op.selectionSet, seen: Set<string>): string[] => set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value]
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, seen)
    const f = fragments.get(s.name.value)
    if (!f || seen.has(f.name.value)) return []
    seen.add(f.name.value)
    return rootFields(f.selectionSet, seen)
  })
  const fields = rootFields(op.selectionSet, new Set())
  return fields.length > 0 && fields.every((f) => f.startsWith('__'))
}
