// Outbound calls to the service desk: when a finding linked to an incident or complaint is resolved
// (by an audit run or by a person), Sverka POSTs it to the configured URL, HMAC-signed, so the ticket
// can be closed. An outbox: the engine knows nothing of it — the dispatcher reads resolve events from
// finding_event, records one webhook_delivery per (resolve event, incident) and sends what is due,
// retrying with exponential backoff and recording every attempt.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Database } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'

const log = moduleLogger('outbound')

export const WEBHOOK_EVENT = 'finding.resolved'

export interface DispatchOptions {
  /** where to POST; default SERVICE_DESK_WEBHOOK_URL. Without one nothing is created and nothing is sent. */
  url?: string | null
  /** HMAC key; default SERVICE_DESK_WEBHOOK_SECRET. Required whenever a URL is set. */
  secret?: string | null
  /** the dispatcher's clock: what is due, when the next attempt is; default the current time */
  now?: Date
  fetch?: typeof fetch
  /** a call that has not answered by then counts as failed; default 10 s */
  timeoutMs?: number
  /** attempts before a delivery is given up (FAILED); default 10 */
  maxAttempts?: number
  /** the first retry waits about this long, each next one twice as long; default 30 s */
  backoffBaseMs?: number
  /** no retry waits longer; default 1 h */
  backoffCapMs?: number
  /** deliveries claimed (and sent side by side) per pass; default 20 */
  batchSize?: number
  /** resolves older than this are not reported (a URL configured late does not replay history); default 7 days */
  lookbackMs?: number
  /** jitter source, 0 ≤ x < 1 */
  random?: () => number
}

export interface DispatchResult {
  /** deliveries recorded by this pass */
  created: number
  /** calls made */
  attempted: number
  delivered: number
  /** calls that failed and will be retried */
  retrying: number
  /** deliveries given up after the last attempt */
  failed: number
}

const DEFAULTS = {
  timeoutMs: 10_000,
  maxAttempts: 10,
  backoffBaseMs: 30_000,
  backoffCapMs: 3_600_000,
  batchSize: 20,
  lookbackMs: 7 * 86_400_000,
}

/** The configuration in force: the options given, else the environment. */
export function webhookConfig(options: Pick<DispatchOptions, 'url' | 'secret'> = {}): { url: string | null; secret: string | null } {
  const url = (options.url !== undefined ? options.url : process.env.SERVICE_DESK_WEBHOOK_URL)?.trim() || null
  const secret = (options.secret !== undefined ? options.secret : process.env.SERVICE_DESK_WEBHOOK_SECRET) || null
  return { url, secret }
}

/** The X-Sverka-Signature value: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/**
 * For receivers (and tests): whether `header` is the signature of `body` sent at `timestamp` (unix seconds,
 * the X-Sverka-Timestamp header) with `secret`, and the timestamp is no older than `maxAgeSeconds`
 * (default 300; Infinity to skip the check) — a replayed old call is refused.
 */
export function verifySignature(
  secret: string, timestamp: string, body: string, header: string | null | undefined,
  options: { maxAgeSeconds?: number; now?: Date } = {},
): boolean {
  if (!header || !/^\d+$/.test(timestamp)) return false
  const maxAge = options.maxAgeSeconds ?? 300
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000)
  if (Number.isFinite(maxAge) && Math.abs(nowSeconds - Number(timestamp)) > maxAge) return false
  const expected = Buffer.from(signPayload(secret, timestamp, body))
  const given = Buffer.from(header.trim())
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** How long to wait after the n-th failed attempt (n ≥ 1): base · 2^(n-1), ±20 % jitter, capped. */
export function backoffMs(attempt: number, options: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = options.baseMs ?? DEFAULTS.backoffBaseMs
  const cap = options.capMs ?? DEFAULTS.backoffCapMs
  const raw = base * 2 ** Math.max(0, attempt - 1)
  const jitter = 0.8 + 0.4 * (options.random ?? Math.random)()
  return Math.round(Math.min(cap, raw * jitter))
}

/**
 * Records a delivery for every resolve of a finding linked to an incident that has none yet. Safe to run
 * from several dispatchers at once: the unique (findingEventId, incidentId) lets only one insert win.
 */
export async function createDeliveries(db: Pick<Database, 'sql'>, options: { url: string; now: Date; lookbackMs?: number }): Promise<number> {
  const since = new Date(options.now.getTime() - (options.lookbackMs ?? DEFAULTS.lookbackMs))
  const { rows } = await db.sql.query(`
    INSERT INTO webhook_delivery (event, "findingEventId", "findingId", "incidentId", url, payload, "nextAttemptAt")
    SELECT $1, e.id, e."findingId", i.id, $2,
      jsonb_build_object(
        'event', $1::text,
        'finding', jsonb_build_object('id', f.id, 'fingerprint', f.fingerprint, 'ruleId', f."ruleId", 'severity', f.severity,
          'message', f.message, 'entities', f.entities, 'marketCode', f."marketCode"),
        'resolvedAt', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'resolvedBy', jsonb_build_object('actor', e.actor, 'runId', e."runId", 'comment', e.reason,
          'by', CASE WHEN e."runId" IS NULL THEN 'person' ELSE 'audit' END),
        'incident', jsonb_build_object('id', i.id, 'kind', i.kind, 'channel', i.channel, 'externalRef', i."externalRef")),
      $3::timestamptz
    FROM finding_event e
    JOIN finding_incident fi ON fi."findingId" = e."findingId"
    JOIN incident i ON i.id = fi."incidentId"
    JOIN finding f ON f.id = e."findingId"
    WHERE e."toStatus" = 'RESOLVED' AND e.at >= $4::timestamptz
      -- resolved while linked: linking an incident to a finding closed long ago reports nothing
      AND fi."createdAt" <= e.at
      AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d."findingEventId" = e.id AND d."incidentId" = i.id)
    ON CONFLICT ("findingEventId", "incidentId") DO NOTHING
    RETURNING id`, [WEBHOOK_EVENT, options.url, options.now.toISOString(), since.toISOString()])
  return rows.length
}

interface Claimed { id: string; event: string; payload: unknown; attemptCount: number }

/**
 * Takes up to `limit` due deliveries for this dispatcher: one statement that skips rows another dispatcher is
 * claiming (FOR UPDATE SKIP LOCKED) and leases them by moving nextAttemptAt past the call's timeout, so no
 * other dispatcher takes them meanwhile — and a dispatcher that dies mid-call leaves them to be retried.
 */
async function claimDue(db: Pick<Database, 'sql'>, now: Date, leaseMs: number, limit: number): Promise<Claimed[]> {
  const { rows } = await db.sql.query<Claimed>(`
    UPDATE webhook_delivery d SET "nextAttemptAt" = $2::timestamptz, "updatedAt" = now()
    WHERE d.id IN (
      SELECT id FROM webhook_delivery
      WHERE status = 'PENDING' AND "nextAttemptAt" <= $1::timestamptz
      ORDER BY "nextAttemptAt", id
      LIMIT $3
      FOR UPDATE SKIP LOCKED)
      AND d.status = 'PENDING' AND d."nextAttemptAt" <= $1::timestamptz
    RETURNING d.id, d.event, d.payload, d."attemptCount"`,
  [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), limit])
  return rows
}

interface CallOutcome { ok: boolean; statusCode: number | null; error: string | null; durationMs: number; at: Date }

async function call(delivery: Claimed, url: string, secret: string, doFetch: typeof fetch, timeoutMs: number): Promise<CallOutcome> {
  const at = new Date()
  const body = JSON.stringify(delivery.payload)
  const timestamp = String(Math.floor(at.getTime() / 1000))
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const started = performance.now()
  const took = () => Math.round(performance.now() - started)
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'sverka-webhook',
        'x-sverka-event': delivery.event,
        'x-sverka-delivery': delivery.id,
        'x-sverka-timestamp': timestamp,
        'x-sverka-signature': signPayload(secret, timestamp, body),
      },
      body,
      signal: controller.signal,
      redirect: 'manual',
    })
    // read the answer (bounded by the same timeout) so the connection is freed; keep its start for the record
    const text = await response.text().catch(() => '')
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null, durationMs: took(), at }
    const excerpt = text.trim().slice(0, 200)
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, durationMs: took(), at }
  } catch (e) {
    const error = controller.signal.aborted
      ? `timeout: no answer within ${timeoutMs} ms`
      : `network error: ${describeError(e)}`
    return { ok: false, statusCode: null, error, durationMs: took(), at }
  } finally {
    clearTimeout(timer)
  }
}

function describeError(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } }
  const cause = err.cause?.code ?? err.cause?.message
  return cause ? `${err.message} (${cause})` : err.message ?? String(e)
}

/** Writes one attempt and moves the delivery on: DELIVERED, PENDING with the next time, or FAILED. */
async function record(
  db: Pick<Database, 'sql'>, delivery: Claimed, url: string, outcome: CallOutcome,
  next: { maxAttempts: number; nextAttemptAt: Date },
): Promise<'delivered' | 'retrying' | 'failed'> {
  const attempts = delivery.attemptCount + 1
  const status = outcome.ok ? 'DELIVERED' : attempts >= next.maxAttempts ? 'FAILED' : 'PENDING'
  await db.sql.transaction(async (tx) => {
    await tx.query(`INSERT INTO webhook_attempt ("deliveryId", at, "statusCode", error, "durationMs") VALUES ($1::uuid, $2::timestamptz, $3, $4, $5)`,
      [delivery.id, outcome.at.toISOString(), outcome.statusCode, outcome.error, outcome.durationMs])
    await tx.query(`
      UPDATE webhook_delivery SET status = $2::"DeliveryStatus", "attemptCount" = $3, url = $4, "lastError" = $5,
        "nextAttemptAt" = $6::timestamptz, "deliveredAt" = $7::timestamptz, "updatedAt" = now()
      WHERE id = $1::uuid AND status = 'PENDING'`,
    [delivery.id, status, attempts, url, outcome.error, next.nextAttemptAt.toISOString(), outcome.ok ? new Date().toISOString() : null])
  })
  return status === 'DELIVERED' ? 'delivered' : status === 'FAILED' ? 'failed' : 'retrying'
}

/**
 * One pass of the outbound dispatcher: records deliveries for new resolves of linked findings, then sends
 * every delivery that is due. Without a configured URL it does nothing at all.
 */
export async function dispatchWebhooks(db: Pick<Database, 'sql'>, options: DispatchOptions = {}): Promise<DispatchResult> {
  const result: DispatchResult = { created: 0, attempted: 0, delivered: 0, retrying: 0, failed: 0 }
  const { url, secret } = webhookConfig(options)
  if (!url) {
    log.debug('no SERVICE_DESK_WEBHOOK_URL: no outbound calls are recorded or sent')
    return result
  }
  if (!secret) {
    log.warn('SERVICE_DESK_WEBHOOK_URL is set without SERVICE_DESK_WEBHOOK_SECRET: refusing to send unsigned calls')
    return result
  }
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & DispatchOptions
  const now = options.now ?? new Date()
  const doFetch = options.fetch ?? fetch
  result.created = await createDeliveries(db, { url, now, lookbackMs: o.lookbackMs })
  if (result.created) log.info({ created: result.created }, 'recorded outbound deliveries')

  // the lease outlasts a call's timeout with room to record it
  const leaseMs = o.timeoutMs + 60_000
  for (;;) {
    const due = await claimDue(db, now, leaseMs, o.batchSize)
    if (due.length === 0) break
    const outcomes = await Promise.all(due.map(async (delivery) => {
      const outcome = await call(delivery, url, secret, doFetch, o.timeoutMs)
      const nextAttemptAt = new Date(now.getTime() + backoffMs(delivery.attemptCount + 1, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs, random: o.random }))
      const state = await record(db, delivery, url, outcome, { maxAttempts: o.maxAttempts, nextAttemptAt })
      const fields = { delivery: delivery.id, attempt: delivery.attemptCount + 1, statusCode: outcome.statusCode, durationMs: outcome.durationMs }
      if (state === 'delivered') log.info(fields, 'delivered')
      else if (state === 'failed') log.error({ ...fields, error: outcome.error }, 'gave up on a delivery after its last attempt')
      else log.warn({ ...fields, error: outcome.error, nextAttemptAt }, 'call failed; will retry')
      return state
    }))
    result.attempted += due.length
    for (const s of outcomes) result[s]++
    if (due.length < o.batchSize) break
  }
  return result
}

/**
 * Runs the dispatcher every `intervalMs` in this process (passes never overlap) until the returned stop
 * function is called; stop waits for a pass in flight. The jobs issue moves this onto a queue.
 */
export function startWebhookDispatcher(
  db: Pick<Database, 'sql'>, options: { intervalMs?: number } & Omit<DispatchOptions, 'now'> = {},
): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 10_000
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  const tick = () => {
    timer = null
    running = dispatchWebhooks(db, options)
      .then(() => undefined, (e: unknown) => { log.error({ err: e }, 'outbound dispatch failed') })
      .finally(() => {
        running = null
        if (!stopped) timer = setTimeout(tick, intervalMs).unref()
      })
  }
  timer = setTimeout(tick, 0).unref()
  return async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    await running
  }
}
