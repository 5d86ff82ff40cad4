// The REST intake webhook for service desks: POST /api/v1/incidents and /api/v1/complaints with the SPEC's
// JSON body, `Authorization: Bearer <key>` of a role with the `intake` permission. Answers 201 with the new
// incident, 200 when the same externalRef arrives again, and JSON errors (400 with field problems, 401, 403,
// 404, 405, 413, 415). Thin: validation and the work are the intake service's (src/incidents/intake.ts).
import { GraphQLError } from 'graphql'
import { can } from '../access/permissions.ts'
import type { Principal } from '../access/scope.ts'
import type { Database } from '../db/database.ts'
import { ValidationFailed, type FieldProblem } from '../errors.ts'
import { authenticate } from '../graphql/context.ts'
import { MAX_BODY_BYTES } from '../graphql/yoga.ts'
import { registerIncident, type IncidentKindName, type IntakeResult } from '../incidents/intake.ts'
import { textProblems } from '../input-text.ts'
import { moduleLogger } from '../logger.ts'
import { ACCESS_RU, GRAPHQL_RU, HTTP_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('rest')

/** Requests under this prefix are the REST API's; the rest go to GraphQL. */
export const REST_PREFIX = '/api/v1/'

const ROUTES: Record<string, IncidentKindName> = {
  '/api/v1/incidents': 'INCIDENT',
  '/api/v1/complaints': 'COMPLAINT',
}

/** The webhook's answer body (`resolved` is Sverka's addition to the SPEC's id, links, unresolved). */
export interface IntakeAnswer {
  id: string
  links: Array<{ finding: string; ruleId: string; reason: string }>
  unresolved: Array<{ field: string; value: string; reason: string }>
  resolved: Array<{ field: string; value: string; type: string; key: string; how: string }>
}

export function intakeAnswer(r: IntakeResult): IntakeAnswer {
  return {
    id: r.id,
    links: r.links.map((l) => ({ finding: l.finding, ruleId: l.ruleId, reason: l.reason })),
    unresolved: r.unresolved.map((u) => ({ field: u.field, value: u.value, reason: u.reason })),
    resolved: r.resolved.map((x) => ({ field: x.field, value: x.value, type: x.type, key: x.key, how: x.how })),
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })

const failure = (status: number, code: string, message: string, extra: { problems?: FieldProblem[]; headers?: Record<string, string> } = {}) =>
  json(status, { error: { code, message, ...(extra.problems ? { problems: extra.problems } : {}) } }, extra.headers)

export type FetchHandler = (request: Request) => Promise<Response>

/** The REST handler: a Request in, a Response out (no port; src/server.ts routes /api/v1/ to it). */
export function createRest(db: Database): FetchHandler {
  return async (request) => {
    try {
      const response = await handle(db, request)
      // refusals are the caller's to correct, not the server's trouble: debug, never error
      if (response.status >= 400) log.debug({ status: response.status, url: request.url }, 'request refused')
      return response
    } catch (e) {
      log.error({ err: e, url: request.url }, 'unexpected error in the REST API')
      return failure(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.')
    }
  }
}

async function handle(db: Database, request: Request): Promise<Response> {
  const path = new URL(request.url).pathname.replace(/\/+$/, '')
  const kind = ROUTES[path]
  if (!kind) return failure(404, 'NOT_FOUND', HTTP_RU.noEndpoint(path, 'POST /api/v1/incidents, /api/v1/complaints'))
  if (request.method !== 'POST') return failure(405, 'METHOD_NOT_ALLOWED', HTTP_RU.pathTakes(path, 'POST'), { headers: { allow: 'POST' } })

  let principal: Principal
  try {
    principal = await authenticate(db, request.headers.get('authorization'))
  } catch (e) {
    if (e instanceof GraphQLError && e.extensions.code === 'UNAUTHENTICATED') {
      return failure(401, 'UNAUTHENTICATED', e.message, { headers: { 'www-authenticate': 'Bearer' } })
    }
    throw e
  }
  if (!can(principal.role, 'intake')) {
    return failure(403, 'FORBIDDEN', ACCESS_RU.forbiddenIntake(principal.role, 'intake'))
  }

  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    return failure(415, 'UNSUPPORTED_MEDIA_TYPE', HTTP_RU.sendJson('Content-Type: application/json'))
  }
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) return failure(413, 'PAYLOAD_TOO_LARGE', GRAPHQL_RU.tooLarge(declared, MAX_BODY_BYTES))
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.byteLength > MAX_BODY_BYTES) return failure(413, 'PAYLOAD_TOO_LARGE', GRAPHQL_RU.tooLarge(bytes.byteLength, MAX_BODY_BYTES))

  let text: string
  try {
    // fatal: bytes that are not UTF-8 are refused, not read as U+FFFD and stored
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return failure(400, 'BAD_REQUEST', HTTP_RU.notUtf8('UTF-8'))
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return failure(400, 'BAD_REQUEST', HTTP_RU.notJson)
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return failure(400, 'BAD_REQUEST', HTTP_RU.notObject)
  // a NUL or a lone surrogate («\u0000», «\ud800») in any field: PostgreSQL text cannot hold it
  const refused = textProblems(body)
  if (refused.length > 0) return failure(400, 'VALIDATION_FAILED', new ValidationFailed(refused).message, { problems: refused })

  try {
    // the kind is the endpoint's, whatever the body says
    const result = await registerIncident(db, principal, { ...(body as Record<string, unknown>), kind } as never, `key:${principal.keyId}:${principal.name}`)
    return json(result.created ? 201 : 200, intakeAnswer(result))
  } catch (e) {
    if (e instanceof ValidationFailed) return failure(400, 'VALIDATION_FAILED', e.message, { problems: e.problems })
    throw e
  }
}
