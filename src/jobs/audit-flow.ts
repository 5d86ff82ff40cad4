// An audit spread over workers with a BullMQ flow (issue 18): the audit job plans the run and queues one job a part
// (a rule, or a rule in one market) under one parent; any number of `sverka worker`s take the parts, each storing its
// findings in the database (src/engine/parts.ts); the parent, run once all parts are done, reconciles the run once —
// the same reconcile, routing, report and quality a single-process run does — or fails it with a part's reason.
// The run is owned by the flow meanwhile: whichever worker runs a part or the parent renews its heartbeat.
import { randomUUID } from 'node:crypto'
import type { Database } from '../db/database.ts'
import { abandonAudit, planAudit, type AuditPlan, type PlanOptions } from '../engine/audit.ts'
import type { FindingCounts } from '../engine/findings.ts'
import type { Catalog } from '../engine/overrides.ts'
import { dropParts, lastFullRunTimings, longestFirst, marketCodes, planParts, type LastTimings, type SplitPolicy, recordPartFailure, storedFindings, storedParts, detectPart } from '../engine/parts.ts'
import { ALL_FLOWS, failRun, flowOwner, handOverRun, holdLease, isRunOwnedBy, LEASE } from '../engine/runs.ts'
import { moduleLogger } from '../logger.ts'
import type { AuditPartJob, AuditReconcileJob, JobContext, JobQueue } from './queue.ts'

const log = moduleLogger('audit-flow')

/** Whether audits go to the workers as flows: on BullMQ with a PostgreSQL server, unless SVERKA_AUDIT_FLOWS=0. */
export function spreadsAudits(db: Database, queue: JobQueue | undefined): queue is JobQueue & Required<Pick<JobQueue, 'addFlow'>> {
  return !!queue?.addFlow && db.kind === 'postgres' && process.env.SVERKA_AUDIT_FLOWS !== '0'
}

/**
 * Records (or takes over) the run, picks its rules and queues its parts and their parent; resolves once they are
 * queued, with the run RUNNING under the flow. A failure before that marks the run FAILED and is thrown.
 */
export async function startAuditFlow(db: Database, options: PlanOptions, queue: Required<Pick<JobQueue, 'addFlow'>> & Pick<JobQueue, 'partWorkers'>,
  trigger: AuditReconcileJob['trigger']) {
  const { rules, ...plan } = await planAudit(db, options)
  const owner = flowOwner(randomUUID())
  let handedOver = false
  try {
    const t = performance.now()
    // the planner statistics are refreshed once, before the parts start, as runDetection does before its rules
    const { ensureStatistics } = await import('../engine/detect.ts')
    await ensureStatistics(db)
    plan.timings.statistics = Math.round(performance.now() - t)
    const last = await lastFullRunTimings(db.sql)
    const parts = longestFirst(planParts(rules, await marketCodes(db.sql), plan.market, await splitPolicy(queue, last)), last)
    // what an earlier attempt at this run stored (its process died) is not this flow's
    await dropParts(db.sql, plan.runId)
    handedOver = await handOverRun(db.sql, plan.runId, owner)
    if (!handedOver) throw new Error(`audit run ${plan.runId} was failed or taken over while it was planned`)
    const queuedAt = Date.now()
    // job ids carry the flow's id: a later attempt at the same run is a new flow, not a duplicate BullMQ drops
    const flowId = owner.slice(owner.indexOf('/') + 1)
    await queue.addFlow({
      reconcile: { jobId: `reconcile-${plan.runId}-${flowId}`, data: { plan, owner, parts: parts.map((p) => p.id), queuedAt, trigger } },
      parts: parts.map((part) => ({ jobId: `part-${plan.runId}-${flowId}-${part.id}`, data: { runId: plan.runId, owner, part, asOf: plan.asOf } })),
    })
    log.info({ runId: plan.runId, parts: parts.length, rules: plan.ruleIds.length }, 'audit spread over workers')
    return { runId: plan.runId, parts: parts.length }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await failRun(db.sql, plan.runId, { reason, rules: plan.ruleIds, timings: plan.timings }, handedOver ? owner : undefined)
      .catch((e: unknown) => log.error({ err: e, runId: plan.runId }, 'could not mark the audit run FAILED'))
    throw error
  }
}

/** SVERKA_AUDIT_SPLIT: `auto` (default: by the workers there are now and the last run), `market` or `none`. */
async function splitPolicy(queue: Pick<JobQueue, 'partWorkers'>, last: LastTimings | null): Promise<SplitPolicy> {
  const mode = process.env.SVERKA_AUDIT_SPLIT || 'auto'
  if (mode === 'market' || mode === 'none') return { mode }
  const workers = await queue.partWorkers?.().catch((e: unknown) => {
    log.warn({ err: (e as Error).message }, 'audit part workers not counted (CLIENT LIST refused?): no rule is cut by market')
    return 1
  }) ?? 1
  return { mode: 'auto', workers, last }
}

// the catalogue a flow's parts detect with, loaded once per flow in each worker (a flow's parts share it)
const catalogs = new Map<string, Promise<Catalog>>()

function catalogOf(db: Database, owner: string): Promise<Catalog> {
  let catalog = catalogs.get(owner)
  if (!catalog) {
    catalog = (async () => {
      const [{ loadCatalog }, { listOverrides }] = await Promise.all([import('../engine/catalog.ts'), import('../engine/overrides.ts')])
      return loadCatalog(undefined, await listOverrides(db))
    })()
    catalog.catch(() => catalogs.delete(owner))
    catalogs.set(owner, catalog)
    // a few flows' catalogues at most: the oldest goes
    if (catalogs.size > 4) catalogs.delete(catalogs.keys().next().value!)
  }
  return catalog
}

/** One part: detected and stored (a retry replaces what an earlier attempt stored); its failure is recorded, then thrown for a retry. */
export async function processAuditPart(db: Database, data: AuditPartJob, job: JobContext) {
  const { runId, owner, part } = data
  if (!(await isRunOwnedBy(db.sql, runId, owner))) {
    log.info({ runId, part: part.id }, 'audit part skipped: its run was failed or taken over')
    return { skipped: true }
  }
  // every flow's run is renewed while this worker works through the parts, not only this one's (runs.ts ALL_FLOWS)
  const lease = holdLease(db, runId, LEASE.heartbeatMs, ALL_FLOWS)
  try {
    const rule = (await catalogOf(db, owner)).get(part.ruleId)
    if (!rule) throw new Error(`rule ${part.ruleId} failed: it is not in the catalogue`)
    const outcome = await detectPart(db, runId, owner, rule, part, data.asOf)
    return outcome ? { part: part.id, ...outcome } : { skipped: true }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await recordPartFailure(db.sql, runId, part.id, reason)
      .catch((e: unknown) => log.warn({ err: (e as Error).message, runId, part: part.id }, 'audit part failure not recorded'))
    log.warn({ runId, part: part.id, attempt: job.attempt, reason }, 'audit part failed')
    throw error
  } finally {
    await lease.release()
  }
}

/**
 * The parent: every part done, the run is reconciled once (as runAudit does it) and its parts' rows dropped; a part
 * that failed for good fails the run with its reason, findings as they were. Resolves with the run's outcome.
 */
export async function processAuditReconcile(db: Database, data: AuditReconcileJob): Promise<{ runId: string; counts?: FindingCounts; failed?: string; skipped?: boolean }> {
  const { plan, owner } = data
  const runId = plan.runId
  if (!(await isRunOwnedBy(db.sql, runId, owner))) {
    // failed meanwhile (every worker gone past the lease), or already ended by an earlier delivery of this job
    await dropIfNotTaken(db, plan)
    return { runId, skipped: true }
  }
  const lease = holdLease(db, runId, LEASE.heartbeatMs, owner)
  try {
    const detection = Date.now() - data.queuedAt
    const stored = new Map((await storedParts(db.sql, runId)).map((p) => [p.part, p]))
    const parts: Record<string, { ms: number | null; rows: number | null; worker: string | null }> = {}
    const rules: Record<string, number> = {}
    for (const id of data.parts) {
      const p = stored.get(id)
      if (p?.rows != null) {
        parts[id] = { ms: p.ms, rows: p.rows, worker: p.worker }
        const ruleId = id.split('@')[0]
        rules[ruleId] = (rules[ruleId] ?? 0) + (p.ms ?? 0)
      }
    }
    const timings: Record<string, unknown> = { detection, rules, parts }
    const missing = data.parts.filter((id) => stored.get(id)?.rows == null)
    if (missing.length > 0) {
      const first = stored.get(missing[0])
      const reason = first?.error ?? `audit part ${missing[0]} was not detected`
      await abandonAudit(db, plan, reason, owner, timings)
      return { runId, failed: reason }
    }
    const t = performance.now()
    const findings = await storedFindings(db.sql, runId)
    timings.collect = Math.round(performance.now() - t)
    const { completeAudit } = await import('../audits/run.ts')
    const { run } = await completeAudit(db, plan, findings, { owner, timings })
    return { runId, counts: run.counts }
  } finally {
    await lease.release()
    // the run ended (SUCCEEDED or FAILED): its parts' rows go; still RUNNING after an error of this job, they stay for its retry
    await dropIfNotTaken(db, plan).catch((e: unknown) => log.warn({ err: (e as Error).message, runId }, 'audit parts not dropped'))
  }
}

/** Drops a run's parts unless another flow now runs it (its parts are its own). */
async function dropIfNotTaken(db: Database, plan: AuditPlan) {
  const { rows } = await db.sql.query(`SELECT 1 FROM audit_run WHERE id = $1::uuid AND status = 'RUNNING'`, [plan.runId])
  if (rows.length === 0) await dropParts(db.sql, plan.runId)
}
