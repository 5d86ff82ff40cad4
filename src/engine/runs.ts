// Audit runs, the one module that writes audit_run: a run is recorded (RUNNING, or QUEUED for the workers),
// taken over, finished and failed here. While it runs, the process running it renews a heartbeat on its row;
// a RUNNING run whose process died is found by failDeadRuns and marked FAILED with what happened.
// Every write is raw SQL (db.sql), as src/db/database.ts asks: a run is finished inside the transaction of its findings.
import { randomUUID } from 'node:crypto'
import { readlinkSync } from 'node:fs'
import { hostname } from 'node:os'
import type { Database, SqlClient } from '../db/database.ts'
import { isProcessAlive } from '../db/lock.ts'
import { ConflictError } from '../errors.ts'
import type { AuditRun } from '../generated/prisma/client.ts'
import type { AuditTrigger } from '../generated/prisma/enums.ts'
import { moduleLogger } from '../logger.ts'
import type { QualityInputs } from './quality.ts'
import { AUDIT_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('runs')

/** How a running run shows that its process is alive, and how soon a dead one is found. */
export const LEASE = {
  /** the heartbeat is renewed this often while the run runs */
  heartbeatMs: 5_000,
  /**
   * a RUNNING run whose heartbeat is older than this belongs to a process that stopped: twelve beats missed,
   * far more than a busy event loop or a garbage collection delays one
   */
  staleMs: 60_000,
  /** how often `sverka serve` and `sverka worker` look for such runs, besides when they start */
  watchMs: 15_000,
}

/** The process that runs a run, as its row records it. */
export interface RunOwner {
  host: string
  pid: number
  /** `<pid namespace>/<uuid>`: one per process; the namespace says whether the pid means the same process from here */
  id: string
}

/** The pid namespace of this process (Linux), '-' where there is none to read. */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '-'
  } catch {
    return '-'
  }
}

export const thisProcess: RunOwner = { host: hostname(), pid: process.pid, id: `${pidNamespace()}/${randomUUID()}` }

const pidSpace = (ownerId: string) => ownerId.slice(0, ownerId.indexOf('/'))

// runs this process is running now (on any database it has open): their heartbeats go on
const inFlight = new Set<string>()

// ───────────────────────────── recording, taking over, finishing ─────────────────────────────

export interface RunInput {
  trigger: AuditTrigger
  actor: string
  /** the rules it is to evaluate; empty until it has picked them */
  rules?: readonly string[]
  market?: string | null
  /** YYYY-MM-DD */
  asOf: string
}

const OWNER_COLUMNS = `"ownerHost", "ownerPid", "ownerId", "heartbeatAt"`

/** Records a run RUNNING, owned by this process (its heartbeat starts now). */
export async function startRun(sql: SqlClient, input: RunInput): Promise<{ id: string; startedAt: Date }> {
  const { rows: [run] } = await sql.query<{ id: string; startedAt: Date }>(
    `INSERT INTO audit_run (trigger, actor, rules, "marketCode", "asOf", status, ${OWNER_COLUMNS})
     VALUES ($1::"AuditTrigger", $2, $3::text[], $4, $5::date, 'RUNNING', $6, $7, $8, now()) RETURNING id, "startedAt"`,
    [input.trigger, input.actor, input.rules ?? [], input.market ?? null, input.asOf, thisProcess.host, thisProcess.pid, thisProcess.id])
  if (!run) throw new Error('the audit run was not recorded')
  return run
}

/** Records a run QUEUED for whoever processes audit jobs; it has no owner until one takes it over. */
export async function queueRun(db: Pick<Database, 'sql'>, input: RunInput): Promise<AuditRun> {
  // the whole row, as Prisma reads it (the API answers with it): enums as text, the date as its UTC midnight
  const { rows: [run] } = await db.sql.query<Omit<AuditRun, 'asOf'> & { asOf: string }>(
    `INSERT INTO audit_run (trigger, actor, rules, "marketCode", "asOf", status)
     VALUES ($1::"AuditTrigger", $2, $3::text[], $4, $5::date, 'QUEUED')
     RETURNING id, trigger::text AS trigger, actor, rules, "marketCode", "asOf"::text AS "asOf", status::text AS status, error,
       "startedAt", "finishedAt", counts, timings, ${OWNER_COLUMNS}`,
    [input.trigger, input.actor, input.rules ?? [], input.market ?? null, input.asOf])
  if (!run) throw new Error('the audit run was not recorded')
  return { ...run, asOf: new Date(`${run.asOf}T00:00:00Z`) }
}

/** Removes a QUEUED run no job will take (the queue refused it); one already taken over stays. */
export async function dropQueuedRun(db: Pick<Database, 'sql'>, runId: string): Promise<void> {
  await db.sql.query(`DELETE FROM audit_run WHERE id = $1::uuid AND status = 'QUEUED'`, [runId])
}

/**
 * A recorded run taken over to be run now by this process: one QUEUED, or FAILED by an earlier attempt. One that
 * SUCCEEDED is refused, and so is one still RUNNING in a live process (ConflictError: a job retried later finds it
 * finished, or its process dead and the run FAILED — call failDeadRuns first).
 */
export async function takeOverRun(sql: SqlClient, runId: string): Promise<{ id: string; startedAt: Date }> {
  const { rows: [run] } = await sql.query<{ id: string; startedAt: Date }>(
    `UPDATE audit_run SET status = 'RUNNING', "startedAt" = now(), "finishedAt" = NULL, error = NULL,
       "ownerHost" = $2, "ownerPid" = $3, "ownerId" = $4, "heartbeatAt" = now()
     WHERE id = $1::uuid AND status IN ('QUEUED', 'FAILED') RETURNING id, "startedAt"`,
    [runId, thisProcess.host, thisProcess.pid, thisProcess.id])
  if (run) return run
  const { rows: [now] } = await sql.query<{ status: string; owner: string | null; age: number | null }>(
    `SELECT status::text AS status, "ownerHost" || ':' || "ownerPid" AS owner, extract(epoch FROM now() - "heartbeatAt")::float8 AS age
       FROM audit_run WHERE id = $1::uuid`, [runId])
  if (!now) throw new Error(`audit run ${runId} cannot be run: there is none`)
  if (now.status === 'RUNNING') {
    throw new ConflictError(AUDIT_RU.running(runId, now.owner, now.age === null ? null : Math.round(Number(now.age))))
  }
  throw new Error(`audit run ${runId} cannot be run: it has ${now.status} already`)
}

export interface RunOutcome {
  rules: readonly string[]
  counts: Record<string, number>
  timings: Record<string, unknown>
  /** what its quality score was computed from (src/engine/quality.ts); absent: the run stored no score */
  qualityInputs?: QualityInputs
}

/**
 * Marks this process's run SUCCEEDED, inside the transaction that wrote its findings: a run declared dead
 * meanwhile (a pause past the lease) is not revived — ConflictError, and the transaction rolls its findings back.
 */
export async function finishRun(tx: SqlClient, runId: string, outcome: RunOutcome, owner = thisProcess.id): Promise<{ finishedAt: Date }> {
  // clock_timestamp, not now(): now() is when the transaction began
  const { rows: [done] } = await tx.query<{ finishedAt: Date }>(
    `UPDATE audit_run SET status = 'SUCCEEDED', rules = $2::text[], counts = $3::jsonb, timings = $4::jsonb,
       "qualityInputs" = $6::jsonb, "finishedAt" = clock_timestamp(), "heartbeatAt" = clock_timestamp()
     WHERE id = $1::uuid AND status = 'RUNNING' AND "ownerId" = $5 RETURNING "finishedAt"`,
    [runId, outcome.rules, JSON.stringify(outcome.counts), JSON.stringify(outcome.timings), owner,
      outcome.qualityInputs ? JSON.stringify(outcome.qualityInputs) : null])
  if (done) return done
  const { rows: [now] } = await tx.query<{ status: string; error: string | null }>(
    `SELECT status::text AS status, error FROM audit_run WHERE id = $1::uuid`, [runId])
  throw new ConflictError(AUDIT_RU.markedMeanwhile(runId, now?.status ?? null, now?.error ?? null))
}

/** Marks this process's run FAILED with its reason; a run another process has failed or taken over meanwhile is left as it is. */
export async function failRun(sql: SqlClient, runId: string, failure: { reason: string; rules?: readonly string[]; timings?: Record<string, unknown> }, owner = thisProcess.id) {
  await sql.query(
    `UPDATE audit_run SET status = 'FAILED', error = $2, rules = COALESCE($3::text[], rules), timings = COALESCE($4::jsonb, timings),
       "finishedAt" = now()
     WHERE id = $1::uuid AND status = 'RUNNING' AND "ownerId" = $5`,
    [runId, failure.reason, failure.rules ?? null, failure.timings ? JSON.stringify(failure.timings) : null, owner])
}

// ───────────────────────────── runs spread over workers ─────────────────────────────

/**
 * The owner id of a run whose work is spread over workers (src/jobs/audit-flow.ts): not a process but the flow, one
 * per attempt. Whichever worker runs a part of it renews its heartbeat under this id; no pid is recorded, so such a
 * run is judged dead only by its heartbeat (every worker gone for LEASE.staleMs).
 */
export function flowOwner(flowId: string): string {
  return `flow/${flowId}`
}

/**
 * The lease owner a worker running any flow's part holds: it renews the heartbeat of every run owned by a flow, not
 * only its own — a flow's parts may wait in the queue behind another audit's while the workers are busy, and such a
 * run is not dead while a worker still works through the queue. Once no worker works on any flow, they all go stale.
 */
export const ALL_FLOWS = 'flow/*'

/** Hands this process's RUNNING run over to a flow's owner id (its heartbeat renewed now); false when it is no longer ours. */
export async function handOverRun(sql: SqlClient, runId: string, owner: string): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE audit_run SET "ownerId" = $2, "ownerHost" = 'workers', "ownerPid" = NULL, "heartbeatAt" = now()
      WHERE id = $1::uuid AND status = 'RUNNING' AND "ownerId" = $3 RETURNING id`, [runId, owner, thisProcess.id])
  return rows.length > 0
}

/** Whether the run is RUNNING under this owner id (a part of a flow that was failed or taken over meanwhile is not run). */
export async function isRunOwnedBy(sql: SqlClient, runId: string, owner: string): Promise<boolean> {
  const { rows } = await sql.query(`SELECT 1 FROM audit_run WHERE id = $1::uuid AND status = 'RUNNING' AND "ownerId" = $2`, [runId, owner])
  return rows.length > 0
}

// ───────────────────────────── the heartbeat ─────────────────────────────

// runs: one entry per lease held (two parts of one flow may run in one process), with the owner id it is renewed under
interface Heartbeat { runs: Map<symbol, { runId: string; owner: string }>; timer?: NodeJS.Timeout; beat?: Promise<void> }
// one timer per database client for every run this process runs on it
const heartbeats = new WeakMap<SqlClient, Heartbeat>()

export interface Lease {
  /** stops renewing the run's heartbeat; resolves once a renewal under way is done */
  release(): Promise<void>
}

/**
 * Keeps renewing the heartbeat of a run this process runs until released; `owner` is a flow's id when this process
 * runs a part of a run spread over workers (several may beat for it at once). `everyMs` is for tests.
 */
export function holdLease(db: Pick<Database, 'sql'>, runId: string, everyMs = LEASE.heartbeatMs, owner = thisProcess.id): Lease {
  let heartbeat = heartbeats.get(db.sql)
  if (!heartbeat) heartbeats.set(db.sql, (heartbeat = { runs: new Map() }))
  const hb = heartbeat
  const lease = Symbol(runId)
  hb.runs.set(lease, { runId, owner })
  if (owner === thisProcess.id) inFlight.add(runId)
  // a flow's parts are often shorter than a beat: each renews once as it starts, or a flow of many short parts
  // would never beat at all (the timer stops between them)
  else if (!hb.beat) hb.beat = renewAll(db.sql, hb.runs).finally(() => { hb.beat = undefined })
  if (!hb.timer) {
    hb.timer = setInterval(() => {
      // one renewal at a time: on PGlite it waits for a long transaction to end, and must not pile up behind it
      if (!hb.beat) hb.beat = renewAll(db.sql, hb.runs).finally(() => { hb.beat = undefined })
    }, everyMs)
    hb.timer.unref()
  }
  let released = false
  return {
    async release() {
      if (!released) {
        released = true
        hb.runs.delete(lease)
        inFlight.delete(runId)
        if (hb.runs.size === 0) {
          clearInterval(hb.timer)
          hb.timer = undefined
        }
      }
      await hb.beat
    },
  }
}

async function renewAll(sql: SqlClient, runs: Heartbeat['runs']) {
  const byOwner = new Map<string, Set<string>>()
  for (const { runId, owner } of runs.values()) byOwner.set(owner, (byOwner.get(owner) ?? new Set()).add(runId))
  for (const [owner, runIds] of byOwner) await renew(sql, [...runIds], owner)
}

async function renew(sql: SqlClient, runIds: string[], owner: string) {
  if (owner === ALL_FLOWS) {
    await sql.query(`UPDATE audit_run SET "heartbeatAt" = now() WHERE status = 'RUNNING' AND "ownerId" LIKE 'flow/%'`)
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'flow runs heartbeat not renewed; next try in a few seconds'))
    return
  }
  try {
    const { rows } = await sql.query<{ id: string }>(
      `UPDATE audit_run SET "heartbeatAt" = now() WHERE id = ANY($1::uuid[]) AND status = 'RUNNING' AND "ownerId" = $2 RETURNING id`,
      [runIds, owner])
    if (rows.length < runIds.length) {
      const renewed = new Set(rows.map((r) => r.id))
      log.warn({ runIds: runIds.filter((id) => !renewed.has(id)) }, 'audit run no longer ours (marked FAILED by another process?): its results will be dropped')
    }
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'audit run heartbeat not renewed; next try in a few seconds')
  }
}

// ───────────────────────────── finding the runs of dead processes ─────────────────────────────

/** A RUNNING run as the dead-run check reads it. */
export interface RunningRun {
  id: string
  ownerHost: string | null
  ownerPid: number | null
  ownerId: string | null
  heartbeatAt: Date | null
  startedAt: Date
}

export interface JudgeContext {
  self: RunOwner
  /** the database's clock (heartbeats are written with it: no clock skew between hosts) */
  now: Date
  /** the embedded database: one process at a time holds it, so a run of any other process ended with it */
  embedded: boolean
  /** whether this process is running the run now */
  running: (runId: string) => boolean
  staleMs?: number
  alive?: (pid: number) => boolean
}

/**
 * Why a RUNNING run belongs to a process that stopped — or null while that process may still be running it.
 * Dead: on the embedded database, any other process's run; a heartbeat older than the lease; on this host (and
 * pid namespace), a pid that no longer runs. This process's own runs in progress are alive whatever their heartbeat.
 */
export function deadRunReason(run: RunningRun, ctx: JudgeContext): string | null {
  const own = run.ownerId === ctx.self.id
  if (own && ctx.running(run.id)) return null
  const who = run.ownerHost !== null && run.ownerPid !== null ? `${run.ownerHost}:${run.ownerPid}` : null
  const since = run.heartbeatAt ? AUDIT_RU.dead.since(run.heartbeatAt.toISOString()) : AUDIT_RU.dead.sinceStart(run.startedAt.toISOString())
  const stopped = AUDIT_RU.dead.stopped(who, since)
  if (ctx.embedded && !own) return AUDIT_RU.dead.reopened(stopped, `${ctx.self.host}:${ctx.self.pid}`)
  const staleMs = ctx.staleMs ?? LEASE.staleMs
  if (ctx.now.getTime() - (run.heartbeatAt ?? run.startedAt).getTime() > staleMs) return AUDIT_RU.dead.givenUp(stopped, staleMs / 1000)
  const sameHost = run.ownerId !== null && run.ownerHost === ctx.self.host && pidSpace(run.ownerId) === pidSpace(ctx.self.id)
  if (!own && sameHost && run.ownerPid !== null && !(ctx.alive ?? isProcessAlive)(run.ownerPid)) {
    return AUDIT_RU.dead.gone(stopped, run.ownerPid, run.ownerHost!)
  }
  return null
}

export interface FailedRun { id: string; reason: string }

/** Marks FAILED every RUNNING run whose process stopped (deadRunReason says why); answers with those runs. */
export async function failDeadRuns(db: Pick<Database, 'sql' | 'kind'>): Promise<FailedRun[]> {
  const { rows } = await db.sql.query<RunningRun & { now: Date }>(
    `SELECT id, "ownerHost", "ownerPid", "ownerId", "heartbeatAt", "startedAt", now() AS now FROM audit_run WHERE status = 'RUNNING'`)
  if (rows.length === 0) return []
  const ctx: JudgeContext = { self: thisProcess, now: rows[0].now, embedded: db.kind === 'pglite', running: (id) => inFlight.has(id) }
  const dead = rows.flatMap((run) => {
    const reason = deadRunReason(run, ctx)
    return reason ? [{ run, reason }] : []
  })
  if (dead.length === 0) return []
  // a run whose heartbeat moved since it was read is alive after all (a long pause, not a death): left alone
  const { rows: failed } = await db.sql.query<FailedRun>(
    `UPDATE audit_run r SET status = 'FAILED', error = d.reason, "finishedAt" = now()
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS d(id, reason, beat)
      WHERE r.id = d.id AND r.status = 'RUNNING' AND r."heartbeatAt" IS NOT DISTINCT FROM d.beat
      RETURNING r.id, d.reason`,
    [dead.map((d) => d.run.id), dead.map((d) => d.reason), dead.map((d) => d.run.heartbeatAt?.toISOString() ?? null)])
  for (const f of failed) log.warn({ runId: f.id, reason: f.reason }, 'audit run marked FAILED: the process running it stopped')
  return failed
}

/** Looks for the runs of dead processes now and every `everyMs`; answers with the function that stops it (before the database closes). */
export async function watchRuns(db: Pick<Database, 'sql' | 'kind'>, everyMs = LEASE.watchMs): Promise<() => Promise<void>> {
  const check = () => failDeadRuns(db).catch((e: Error) => log.warn({ err: e.message }, 'dead audit runs not looked for; next try in a few seconds'))
  await check()
  let pending: Promise<unknown> | null = null
  const timer = setInterval(() => { pending ??= check().finally(() => { pending = null }) }, everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await pending
  }
}

// ───────────────────────────── jobs ─────────────────────────────

/**
 * The run a job (its actor carries the job id) completed, if any. A run of that job still RUNNING in a live process
 * is a ConflictError (the job is retried later); one whose process died is marked FAILED first, so a retried job
 * runs again.
 */
export async function completedRunOf(db: Pick<Database, 'sql' | 'kind'>, actor: string): Promise<string | null> {
  const { rows: [done] } = await db.sql.query<{ id: string }>(
    `SELECT id FROM audit_run WHERE actor = $1 AND status = 'SUCCEEDED' ORDER BY "startedAt" LIMIT 1`, [actor])
  if (done) return done.id
  await failDeadRuns(db)
  const { rows: [running] } = await db.sql.query<{ id: string; owner: string | null }>(
    `SELECT id, "ownerHost" || ':' || "ownerPid" AS owner FROM audit_run WHERE actor = $1 AND status = 'RUNNING' LIMIT 1`, [actor])
  if (running) throw new ConflictError(AUDIT_RU.jobRunning(running.id, running.owner))
  return null
}
