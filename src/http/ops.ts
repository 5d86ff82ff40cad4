// Operations endpoints beside the API: GET /health (no key: database and Redis answer, queue counts; 503 when
// one does not), GET /metrics (Prometheus text: queue depth per state, components up, open findings by
// severity, audit runs by status, the last audit run) and the BullMQ queue dashboard (Bull Board) at
// /admin/queues for ADMIN keys.
// Fetch-style like the REST intake: src/server.ts routes these paths here.
import { GraphQLError } from 'graphql'
import { can, type Permission } from '../access/permissions.ts'
import type { Database } from '../db/database.ts'
import { OPEN_STATUSES } from '../engine/findings.ts'
import { SEVERITIES } from '../engine/types.ts'
import type { AuditRunStatus, AuditTrigger } from '../generated/prisma/enums.ts'
import { authenticate } from '../graphql/context.ts'
import type { Jobs, QueueCounts, QueueName } from '../jobs/queue.ts'
import { moduleLogger } from '../logger.ts'
import type { FetchHandler } from './rest.ts'
import { ACCESS_RU, HTTP_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('ops')

export const HEALTH_PATH = '/health'
export const METRICS_PATH = '/metrics'
export const DASHBOARD_PATH = '/admin/queues'

/** Whether a path is one of the operations endpoints (src/server.ts asks before GraphQL gets the request). */
export function isOpsPath(pathname: string): boolean {
  return pathname === HEALTH_PATH || pathname === METRICS_PATH || pathname === DASHBOARD_PATH || pathname.startsWith(`${DASHBOARD_PATH}/`)
}

export interface OpsOptions {
  /** the job layer whose queues are reported (and, on BullMQ, shown in the dashboard); none: no jobs section */
  jobs?: Jobs
  /** how long one probe (database, Redis) may take before it counts as down; default 3 s */
  probeTimeoutMs?: number
}

type Probe<T> = { ok: true; value: T; ms: number } | { ok: false; ms: number; error: string }

export interface Health {
  status: 'ok' | 'degraded'
  database: { ok: boolean; kind: Database['kind']; ms: number; error?: string }
  jobs?: { backend: Jobs['kind']; redis?: { ok: boolean; ms: number; error?: string }; queues?: Record<QueueName, QueueCounts> }
}

const PROBE_TIMEOUT_MS = 3_000
// Basic, not Bearer: a browser opening the dashboard cannot send a Bearer header, but it prompts for Basic
const DASHBOARD_CHALLENGE = 'Basic realm="Sverka queues", charset="UTF-8"'
const NO_STORE = { 'cache-control': 'no-store' }

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers } })
const failure = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message } }, headers)

export function createOps(db: Database, options: OpsOptions = {}): FetchHandler {
  const { jobs } = options
  const timeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS
  // a probe still waiting (a Redis that is down queues commands until it is back) is joined, not asked again:
  // a health check every few seconds must not pile up requests on a component that does not answer
  const databaseProbe = singleFlight(async () => { await db.sql.query('SELECT 1') })
  const countsProbe = jobs ? singleFlight(() => jobs.queue.counts()) : null
  let board: Promise<FetchHandler> | null = null

  const health = async (): Promise<Health> => {
    const [database, counts] = await Promise.all([
      probe('database', databaseProbe, timeoutMs),
      countsProbe ? probe(jobs!.kind === 'bullmq' ? 'redis' : 'queues', countsProbe, timeoutMs) : null,
    ])
    // on BullMQ the counts are read from Redis: counts in time mean Redis answers
    const redisDown = jobs?.kind === 'bullmq' && !counts?.ok
    return {
      status: database.ok && !redisDown ? 'ok' : 'degraded',
      database: { ok: database.ok, kind: db.kind, ms: database.ms, ...(database.ok ? {} : { error: database.error }) },
      ...(jobs && counts ? {
        jobs: {
          backend: jobs.kind,
          ...(jobs.kind === 'bullmq' ? { redis: { ok: counts.ok, ms: counts.ms, ...(counts.ok ? {} : { error: counts.error }) } } : {}),
          ...(counts.ok ? { queues: counts.value } : {}),
        },
      } : {}),
    }
  }

  const metrics = async (): Promise<string> => {
    const state = await health()
    const out: string[] = []
    out.push(...gauge('sverka_up', 'Whether a component answers its probe (1) or not (0).', [
      [{ component: 'database' }, state.database.ok ? 1 : 0],
      ...(state.jobs?.redis ? [[{ component: 'redis' }, state.jobs.redis.ok ? 1 : 0] as const] : []),
    ]))
    if (state.jobs?.queues) {
      const samples = Object.entries(state.jobs.queues).flatMap(([queue, counts]) =>
        Object.entries(counts).map(([jobState, n]) => [{ queue, state: jobState }, n] as const))
      out.push(...gauge('sverka_queue_jobs', `Jobs per queue and state (${state.jobs.backend}${state.jobs.backend === 'in-process' ? ': failed and completed since the server started' : ''}).`, samples))
    }
    const text = () => `${out.join('\n')}\n`
    if (!state.database.ok) return text()
    const [findings, lastRun, lastSuccess, runs] = await Promise.all([
      probe('open findings', () => openFindingsBySeverity(db), timeoutMs),
      probe('last audit run', () => lastAuditRun(db), timeoutMs),
      probe('last successful audit run', () => lastSuccessfulAuditRun(db), timeoutMs),
      probe('audit runs by status', () => auditRunsByStatus(db), timeoutMs),
    ])
    if (findings.ok) {
      out.push(...gauge('sverka_findings_open', 'Open findings (NEW, OPEN, ACKNOWLEDGED, IN_PROGRESS, REOPENED) by severity.',
        SEVERITIES.map((severity) => [{ severity }, findings.value.get(severity) ?? 0])))
    }
    if (lastRun.ok && lastRun.value) {
      out.push(...gauge('sverka_audit_last_run_age_seconds', 'Seconds since the last audit run (not an incremental re-check) started.', [[{}, lastRun.value.ageSeconds]]))
      out.push(...gauge('sverka_audit_last_run_status', 'The last audit run\'s status: 1 for its status, 0 for the others.',
        RUN_STATUSES.map((status) => [{ status }, lastRun.value!.status === status ? 1 : 0])))
    }
    if (runs.ok) {
      out.push(...gauge('sverka_audit_runs', 'Audit runs kept (not incremental re-checks) by status; a run whose process died is FAILED, not RUNNING.',
        RUN_STATUSES.map((status) => [{ status }, runs.value.get(status) ?? 0])))
    }
    if (lastSuccess.ok && lastSuccess.value !== null) {
      out.push(...gauge('sverka_audit_last_success_age_seconds', 'Seconds since the last successful audit run (not an incremental re-check) finished.', [[{}, lastSuccess.value]]))
    }
    return text()
  }

  const dashboard = async (request: Request): Promise<Response> => {
    const bullQueues = jobs?.bullQueues
    if (!bullQueues) {
      return new Response(`${ACCESS_RU.noDashboard('REDIS_URL', `GET ${HEALTH_PATH}`, METRICS_PATH).join('\n')}\n`,
        { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    }
    const refused = await admit(db, request, 'admin', ACCESS_RU.forbiddenDashboard, { 'www-authenticate': DASHBOARD_CHALLENGE })
    if (refused) return refused
    // the browser adds Basic credentials by itself, also to a request another site makes it send: a change
    // (retry, clean, pause …) is accepted from the dashboard's own page only
    if (fromOtherSite(request)) return failure(403, 'FORBIDDEN', ACCESS_RU.dashboardOtherSite)
    board ??= openBoard(bullQueues()).catch((e) => { board = null; throw e })
    return (await board)(request)
  }

  return async (request) => {
    const path = new URL(request.url).pathname
    try {
      if (path === HEALTH_PATH || path === METRICS_PATH) {
        if (request.method !== 'GET' && request.method !== 'HEAD') return failure(405, 'METHOD_NOT_ALLOWED', HTTP_RU.pathTakes(path, 'GET'), { allow: 'GET, HEAD' })
        if (path === HEALTH_PATH) {
          const state = await health()
          return json(state.status === 'ok' ? 200 : 503, state)
        }
        // metrics need a key (Bearer, or Basic with the key as password: Prometheus sends either): they count
        // open findings, which only a role that may read findings sees, across all markets; an ADMIN key is not
        // needed, so a scraper holds a read-only key (AUDITOR) that can change nothing
        const refused = await admit(db, request, 'readFindings', (role) => ACCESS_RU.forbiddenMetrics(role, 'readFindings', 'AUDITOR'), { 'www-authenticate': 'Bearer' }, true)
        if (refused) return refused
        return new Response(await metrics(), { status: 200, headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', ...NO_STORE } })
      }
      return await dashboard(request)
    } catch (e) {
      log.error({ err: e, path }, 'unexpected error in an operations endpoint')
      return failure(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.')
    }
  }
}

/**
 * A refusal (401 with the challenge, 403) for a request without a key of a role with the permission (and, when
 * `allMarkets`, a key not limited to some markets), else null.
 */
async function admit(db: Database, request: Request, permission: Permission, forbidden: (role: string) => string, challenge: Record<string, string>, allMarkets = false): Promise<Response | null> {
  try {
    const principal = await authenticate(db, bearerOf(request.headers.get('authorization')))
    if (!can(principal.role, permission)) return failure(403, 'FORBIDDEN', forbidden(principal.role))
    if (allMarkets && principal.markets) return failure(403, 'FORBIDDEN', ACCESS_RU.metricsAllMarkets(principal.markets))
    return null
  } catch (e) {
    if (e instanceof GraphQLError && e.extensions.code === 'UNAUTHENTICATED') return failure(401, 'UNAUTHENTICATED', e.message, challenge)
    throw e
  }
}

/**
 * The Authorization header as authenticate() reads it: `Bearer <key>` as sent, HTTP Basic turned into Bearer with
 * the password as the key (the user name is not looked at); Basic without a password is no key at all.
 */
export function bearerOf(authorization: string | null): string | null {
  const basic = authorization ? /^Basic\s+(\S+)\s*$/i.exec(authorization) : null
  if (!basic) return authorization
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
  const key = decoded.slice(decoded.indexOf(':') + 1)
  return decoded.includes(':') && key ? `Bearer ${key}` : null
}

function fromOtherSite(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false
  const site = request.headers.get('sec-fetch-site')
  if (site) return site !== 'same-origin' && site !== 'none'
  const origin = request.headers.get('origin')
  if (origin === null) return false // not a browser's cross-site request: browsers send Origin with every such one
  try {
    return new URL(origin).host !== (request.headers.get('host') ?? new URL(request.url).host)
  } catch {
    return true // `Origin: null` (a sandboxed page, a redirect) is no origin of ours
  }
}

/** Bull Board on the BullMQ queues, served under DASHBOARD_PATH (its page's <base> points its assets there). */
async function openBoard(queues: import('bullmq').Queue[]): Promise<FetchHandler> {
  // loaded on first use: an embedded server never needs them
  const [{ createBullBoard }, { BullMQAdapter }, { HonoAdapter }, { serveStatic }, { Hono }] = await Promise.all([
    import('@bull-board/api'), import('@bull-board/api/bullMQAdapter'), import('@bull-board/hono'),
    import('@hono/node-server/serve-static'), import('hono'),
  ])
  const adapter = new HonoAdapter(serveStatic).setBasePath(DASHBOARD_PATH)
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Sverka queues' } } })
  // not strict: /admin/queues/ (the page's own <base>) is the same page as /admin/queues
  const app = new Hono({ strict: false }).route(DASHBOARD_PATH, adapter.registerPlugin())
  return async (request) => app.fetch(request)
}

async function openFindingsBySeverity(db: Database): Promise<Map<string, number>> {
  // one grouped count over the status index (the statuses are the typed constant's, not input)
  const { rows } = await db.sql.query<{ severity: string; n: number }>(
    `SELECT severity::text AS severity, count(*)::int AS n FROM finding WHERE status IN (${OPEN_STATUSES.map((st) => `'${st}'`).join(', ')}) GROUP BY severity`)
  return new Map(rows.map((r) => [r.severity, Number(r.n)]))
}

// incremental re-checks are audit runs too, one per write: they are left out, the newest audit is found by the startedAt index
async function lastAuditRun(db: Database): Promise<{ status: string; ageSeconds: number } | null> {
  const { rows: [run] } = await db.sql.query<{ status: string; age: number }>(
    `SELECT status::text AS status, extract(epoch FROM now() - "startedAt")::float8 AS age
       FROM audit_run WHERE trigger <> 'INCREMENTAL' ORDER BY "startedAt" DESC LIMIT 1`)
  return run ? { status: run.status, ageSeconds: Math.max(0, Math.round(Number(run.age))) } : null
}

const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const satisfies readonly AuditRunStatus[]
const AUDIT_TRIGGERS = ['CLI', 'API', 'SCHEDULE'] as const satisfies readonly AuditTrigger[]

// both lists as index conditions on audit_run (status, trigger): the re-checks, one per write, are never scanned
async function auditRunsByStatus(db: Database): Promise<Map<string, number>> {
  const { rows } = await db.sql.query<{ status: string; n: number }>(
    `SELECT status::text AS status, count(*)::int AS n FROM audit_run
      WHERE status = ANY($1::text[]::"AuditRunStatus"[]) AND trigger = ANY($2::text[]::"AuditTrigger"[]) GROUP BY status`, [RUN_STATUSES, AUDIT_TRIGGERS])
  return new Map(rows.map((r) => [r.status, Number(r.n)]))
}

async function lastSuccessfulAuditRun(db: Database): Promise<number | null> {
  const { rows: [run] } = await db.sql.query<{ age: number }>(
    `SELECT extract(epoch FROM now() - "finishedAt")::float8 AS age
       FROM audit_run WHERE trigger <> 'INCREMENTAL' AND status = 'SUCCEEDED' ORDER BY "startedAt" DESC LIMIT 1`)
  return run ? Math.max(0, Math.round(Number(run.age))) : null
}

/** Runs `fn` within `timeoutMs`; a failure or timeout is logged and reported, never thrown. */
async function probe<T>(what: string, fn: () => Promise<T>, timeoutMs: number): Promise<Probe<T>> {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs) })
  try {
    const value = await Promise.race([fn().then((v) => ({ v })), timeout])
    if (value === 'timeout') {
      log.warn({ probe: what, timeoutMs }, 'no answer in time')
      return { ok: false, ms: ms(), error: HTTP_RU.noAnswerWithin(timeoutMs) }
    }
    return { ok: true, value: value.v, ms: ms() }
  } catch (e) {
    log.warn({ probe: what, err: (e as Error).message }, 'probe failed')
    // the cause goes to the log only: /health answers without a key
    return { ok: false, ms: ms(), error: HTTP_RU.checkFailed }
  } finally {
    clearTimeout(timer)
  }
}

function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null
  return () => (pending ??= fn().finally(() => { pending = null }))
}

/** One gauge in the Prometheus text exposition format 0.0.4: HELP and TYPE, then its samples. */
function gauge(name: string, help: string, samples: ReadonlyArray<readonly [Record<string, string>, number]>): string[] {
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(([labels, value]) => {
      const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`)
      return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${value}`
    }),
  ]
}
