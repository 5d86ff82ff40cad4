// The job processors, the same for BullMQ and in-process. Each is idempotent on its job id: a job delivered
// twice (retried after a crash, added twice) does not run its audit twice.
import type { Database } from '../db/database.ts'
import type { PlanOptions } from '../engine/audit.ts'
import type { FindingCounts } from '../engine/findings.ts'
import { completedRunOf } from '../engine/runs.ts'
import { moduleLogger } from '../logger.ts'
import type { JobData, JobQueue, Processors } from './queue.ts'

const log = moduleLogger('jobs')

export interface ProcessorDeps {
  /** where follow-up jobs go (the digests of a scheduled audit) */
  queue?: JobQueue
  /**
   * MAIL HOOK: the digests of one audit run. The lead wires `sendDigests(db, { runId, mailer })` of
   * src/notify/digest.ts here; until then the mail job only logs.
   */
  sendDigests?: (db: Database, job: { runId: string }) => Promise<unknown>
  /** mails the album of an album schedule's tick (open.ts wires sendScheduledAlbum of src/notify/album.ts) */
  sendAlbum?: (db: Database, job: { scheduleId: number; tick: Date }) => Promise<unknown>
  /** mails the recorded notifications not yet sent (queue.ts wires sendNotifications of src/notify/notifications.ts) */
  sendNotifications?: (db: Database) => Promise<Array<{ status: string }>>
}

/**
 * The actor recorded on the run a job makes: who asked, and the job id as the idempotency key
 * (`<actor> job:<id>`). A job whose run SUCCEEDED is not run again; one whose run still runs in a live process
 * waits for a retry; one whose process died (its run is marked FAILED) runs again.
 */
export function jobActor(actor: string, jobId: string) {
  return `${actor} job:${jobId}`
}

/**
 * An audit the API recorded QUEUED (the server hands audits to the workers when it has them): taken over and
 * run under its own id; its id is the idempotency key — one that SUCCEEDED is not run again, one an earlier
 * attempt left FAILED (or RUNNING in a process that died since) is run again.
 */
async function auditQueuedRun(db: Database, runId: string, data: JobData['audit'], deps: ProcessorDeps) {
  // a scheduled audit run now is followed by its digests, as a tick is (again on a redelivery: the job id dedupes)
  const mail = async () => {
    if (data.trigger === 'SCHEDULE' && deps.queue) await deps.queue.add('mail', { runId }, { jobId: `mail-${runId}` })
  }
  const { rows: [stored] } = await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM audit_run WHERE id = $1::uuid`, [runId])
  if (!stored) {
    log.warn({ runId }, 'queued audit: its run is gone; nothing to do')
    return { runId, skipped: true }
  }
  if (stored.status === 'SUCCEEDED') {
    await mail()
    return { runId, repeated: true }
  }
  const run = await auditOrSpread(db, {
    trigger: data.trigger, actor: data.actor, runId,
    ...(data.rules?.length ? { ruleIds: data.rules } : {}),
    ...(data.market ? { market: data.market } : {}),
    ...(data.asOf ? { asOf: data.asOf } : {}),
  }, deps)
  // a run spread over workers is mailed by its reconcile, once it has ended
  if (!run.spread) await mail()
  return run
}

/**
 * The audit run here, whole — or, when jobs run on BullMQ with a PostgreSQL server, spread over the workers as a
 * flow (src/jobs/audit-flow.ts): resolves once its parts are queued, the run still RUNNING.
 */
async function auditOrSpread(db: Database, options: PlanOptions, deps: ProcessorDeps): Promise<{ runId: string; counts?: FindingCounts; spread?: boolean; parts?: number }> {
  const { spreadsAudits, startAuditFlow } = await import('./audit-flow.ts')
  if (spreadsAudits(db, deps.queue)) {
    const { runId, parts } = await startAuditFlow(db, options, deps.queue, options.trigger === 'SCHEDULE' ? 'SCHEDULE' : 'API')
    return { runId, spread: true, parts }
  }
  const { runAudit } = await import('../audits/run.ts')
  const { run } = await runAudit(db, options)
  return { runId: run.id, counts: run.counts }
}

export function createProcessors(db: Database, deps: ProcessorDeps = {}): Processors {
  return {
    async audit(data, job) {
      if (data.runId) return auditQueuedRun(db, data.runId, data, deps)
      const actor = jobActor(data.actor, job.id)
      const done = await completedRunOf(db, actor)
      if (done) {
        log.info({ jobId: job.id, runId: done }, 'audit job already done: not run again')
        return { runId: done, repeated: true }
      }
      let scope: Pick<typeof data, 'rules' | 'market'> = data
      if (data.scheduleId !== undefined) {
        // a tick is run once: claimed in the table first (a late scheduler job, a catch-up, a second worker give way)
        const { claimTick } = await import('./schedules.ts')
        const schedule = await claimTick(db, data.scheduleId, job.id)
        if (!schedule) {
          log.info({ jobId: job.id, scheduleId: data.scheduleId }, 'scheduled audit: this tick has run already (or the schedule is gone or off)')
          return { skipped: true }
        }
        // an album schedule's tick mails the album instead of auditing (src/notify/album.ts: once per period)
        if (schedule.kind === 'ALBUM') {
          if (deps.sendAlbum) return deps.sendAlbum(db, { scheduleId: schedule.id, tick: schedule.lastTickAt! })
          log.info({ jobId: job.id, scheduleId: schedule.id }, 'album tick: no mailer wired (ProcessorDeps.sendAlbum)')
          return { skipped: true }
        }
        scope = { rules: schedule.rules, ...(schedule.marketCode ? { market: schedule.marketCode } : {}) }
      }
      const run = await auditOrSpread(db, {
        trigger: data.trigger, actor,
        ...(scope.rules?.length ? { ruleIds: scope.rules } : {}),
        ...(scope.market ? { market: scope.market } : {}),
        ...(data.asOf ? { asOf: data.asOf } : {}),
      }, deps)
      if (data.scheduleId !== undefined) {
        const { recordScheduledRun } = await import('./schedules.ts')
        await recordScheduledRun(db, data.scheduleId, run.runId)
      }
      // each scheduled audit is followed by its digests (a spread one's by its reconcile); the job id keeps that to one per run
      if (!run.spread && data.trigger === 'SCHEDULE' && deps.queue) await deps.queue.add('mail', { runId: run.runId }, { jobId: `mail-${run.runId}` })
      return run
    },

    async 'audit-part'(data, job) {
      const { processAuditPart } = await import('./audit-flow.ts')
      return processAuditPart(db, data, job)
    },

    async 'audit-reconcile'(data) {
      const { processAuditReconcile } = await import('./audit-flow.ts')
      const outcome = await processAuditReconcile(db, data)
      if (outcome.counts && data.trigger === 'SCHEDULE' && deps.queue) {
        await deps.queue.add('mail', { runId: outcome.runId }, { jobId: `mail-${outcome.runId}` })
      }
      return outcome
    },

    async recheck(data, job) {
      const actor = jobActor(data.actor, job.id)
      const done = await completedRunOf(db, actor)
      if (done) return { runId: done, repeated: true }
      const [{ deserializePlan }, { recheck }] = await Promise.all([import('../engine/incremental.ts'), import('../audits/run.ts')])
      const result = await recheck(db, data.changes, {
        actor, ...(data.asOf ? { asOf: data.asOf } : {}), ...(data.before ? { before: deserializePlan(data.before) } : {}),
      })
      return { runId: result.runId, counts: result.counts }
    },

    async mail(data, job) {
      if (deps.sendDigests) return deps.sendDigests(db, data)
      log.info({ jobId: job.id, runId: data.runId }, 'mail job: no mailer wired yet (ProcessorDeps.sendDigests)')
      return { sent: 0 }
    },

    async escalation() {
      const { runEscalation } = await import('../incidents/escalation.ts')
      const escalated = await runEscalation(db, new Date())
      // every tick, not only when something escalated: notices an earlier tick could not send are retried here
      const mailed = deps.sendNotifications ? await deps.sendNotifications(db) : []
      return { escalated: escalated.length, mailed: mailed.filter((o) => o.status === 'sent').length, unsent: mailed.filter((o) => o.status !== 'sent').length }
    },

    async webhooks() {
      const { dispatchWebhooks } = await import('../incidents/outbound.ts')
      return dispatchWebhooks(db)
    },
  }
}
