// The job processors, the same for BullMQ and in-process. Each is idempotent on its job id: a job delivered
// twice (retried after a crash, added twice) does not run its audit twice.
import type { Database } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'
import type { JobQueue, Processors } from './queue.ts'

const log = moduleLogger('jobs')

export interface ProcessorDeps {
  /** where follow-up jobs go (the digests of a scheduled audit) */
  queue?: JobQueue
  /**
   * MAIL HOOK: the digests of one audit run. The lead wires `sendDigests(db, { runId, mailer })` of
   * src/notify/digest.ts here; until then the mail job only logs.
   */
  sendDigests?: (db: Database, job: { runId: string }) => Promise<unknown>
}

/**
 * The actor recorded on the run a job makes: who asked, and the job id as the idempotency key
 * (`<actor> job:<id>`). A job whose run SUCCEEDED is not run again.
 */
export function jobActor(actor: string, jobId: string) {
  return `${actor} job:${jobId}`
}

/** The run a job already completed, if any; a run the job left RUNNING (its worker died) is marked FAILED. */
async function priorRun(db: Database, actor: string): Promise<string | null> {
  const { rows: [done] } = await db.sql.query<{ id: string }>(
    `SELECT id FROM audit_run WHERE actor = $1 AND status = 'SUCCEEDED' ORDER BY "startedAt" LIMIT 1`, [actor])
  if (done) return done.id
  await db.sql.query(
    `UPDATE audit_run SET status = 'FAILED', error = 'its worker stopped before the end; the job was retried', "finishedAt" = now()
     WHERE actor = $1 AND status = 'RUNNING'`, [actor])
  return null
}

export function createProcessors(db: Database, deps: ProcessorDeps = {}): Processors {
  return {
    async audit(data, job) {
      const actor = jobActor(data.actor, job.id)
      const done = await priorRun(db, actor)
      if (done) {
        log.info({ jobId: job.id, runId: done }, 'audit job already done: not run again')
        return { runId: done, repeated: true }
      }
      const { runAudit } = await import('../engine/audit.ts')
      const { run } = await runAudit(db, {
        trigger: data.trigger, actor,
        ...(data.rules?.length ? { ruleIds: data.rules } : {}),
        ...(data.market ? { market: data.market } : {}),
        ...(data.asOf ? { asOf: data.asOf } : {}),
      })
      // each scheduled audit is followed by its digests; the job id keeps that to one per run
      if (data.trigger === 'SCHEDULE' && deps.queue) await deps.queue.add('mail', { runId: run.id }, { jobId: `mail-${run.id}` })
      return { runId: run.id, counts: run.counts }
    },

    async recheck(data, job) {
      const actor = jobActor(data.actor, job.id)
      const done = await priorRun(db, actor)
      if (done) return { runId: done, repeated: true }
      const { recheck } = await import('../engine/incremental.ts')
      const result = await recheck(db, data.changes, { actor, ...(data.asOf ? { asOf: data.asOf } : {}) })
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
      return { escalated: escalated.length }
    },

    async webhooks() {
      const { dispatchWebhooks } = await import('../incidents/outbound.ts')
      return dispatchWebhooks(db)
    },
  }
}
