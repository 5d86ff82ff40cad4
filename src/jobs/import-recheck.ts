// The incremental re-check after an import: its plan taken batch by batch before the rows change, then one
// recheck job — added to the queue for the workers (REDIS_URL), or run in this process (embedded).
import type { Database } from '../db/database.ts'
import type { RecheckPlan } from '../engine/incremental.ts'
import type { EntityRef } from '../records/model.ts'
import type { ImportSummary } from '../import/importer.ts'
import type { RecheckJob } from './queue.ts'

/** Whether findings are being kept: some audit run has SUCCEEDED. Until then an import re-checks nothing. */
export async function findingsKept(db: Pick<Database, 'sql'>): Promise<boolean> {
  const { rows: [row] } = await db.sql.query<{ kept: boolean }>(`SELECT EXISTS (SELECT 1 FROM audit_run WHERE status = 'SUCCEEDED') AS kept`)
  return row.kept
}

export interface ImportRecheck {
  /** importDirectory's beforeWrite: the plan of each batch's records, taken before they change */
  beforeWrite(records: EntityRef[]): Promise<void>
  /**
   * The re-check job of an import (idempotency key: the import run), or why there is none: nothing changed,
   * too much changed (the next audit does it), or the plan before the writes could not be taken.
   */
  job(summary: ImportSummary, options?: { actor?: string; asOf?: string }): Promise<{ job: RecheckJob; jobId: string } | { skipped: string; problem?: boolean }>
}

/**
 * The re-check of an import. Its plan is taken batch by batch BEFORE the rows change (importDirectory's
 * beforeWrite), so it remembers what the records were part of — the contract a device left, the serial
 * group it had — which the data after the import no longer shows. A failure there never stops the import.
 */
export function importRecheck(db: Database): ImportRecheck {
  let plan: RecheckPlan | undefined
  let problem: string | undefined
  return {
    async beforeWrite(records) {
      if (problem) return
      try {
        const { prepareRecheck } = await import('../engine/incremental.ts')
        const batch = await prepareRecheck(db, records)
        if (plan) mergePlan(plan, batch)
        else plan = batch
      } catch (e) {
        problem = (e as Error).message
      }
    },
    async job(summary, options = {}) {
      if (problem) return { skipped: `the records could not be planned before the import wrote them: ${problem}`, problem: true }
      if (summary.changedOverflow) return { skipped: 'more records changed than a re-check covers; the next audit picks them up' }
      if (summary.changed.length === 0) return { skipped: 'nothing changed' }
      const { serializePlan } = await import('../engine/incremental.ts')
      return {
        jobId: `import-${summary.importRunId}`,
        job: {
          changes: summary.changed, actor: options.actor ?? 'import',
          ...(options.asOf ? { asOf: options.asOf } : {}), ...(plan ? { before: serializePlan(plan) } : {}),
        },
      }
    },
  }
}

/** Adds one batch's plan to the import's: the union of subjects and groups per rule. */
function mergePlan(into: RecheckPlan, plan: RecheckPlan) {
  for (const [id, p] of plan.rules) {
    const q = into.rules.get(id)
    if (!q) {
      into.rules.set(id, p)
      continue
    }
    q.whole ||= p.whole
    for (const k of p.keys) q.keys.add(k)
    for (const g of p.groups) q.groups.add(g)
  }
}

export type RecheckOutcome = { queued: true } | { queued: false; runId: string; counts: { new: number; resolved: number; reopened: number } }

/**
 * Runs an import's re-check job: with REDIS_URL it is added to the recheck queue for the workers; without
 * (embedded: this process holds the database) its processor runs here and is waited for.
 * Throws when it could not be queued or failed.
 */
export async function runRecheckJob(db: Database, { job, jobId }: { job: RecheckJob; jobId: string }, options: { redisUrl?: string } = {}): Promise<RecheckOutcome> {
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL
  if (redisUrl) {
    const { openJobs } = await import('./open.ts')
    // a Redis that is not there would keep BullMQ reconnecting for ever: a few tries, then the error
    const { waitForRedis } = await import('./bullmq.ts')
    await waitForRedis(redisUrl, { attempts: 3, baseMs: 500 })
    const jobs = await openJobs(db, { redisUrl, periodic: false, schedules: false })
    try {
      await jobs.queue.add('recheck', job, { jobId })
    } finally {
      await jobs.runner.close()
    }
    return { queued: true }
  }
  // embedded: this process holds the database, so the re-check runs here — the same processor the queue runs
  const { createProcessors } = await import('./processors.ts')
  const result = await createProcessors(db).recheck(job, { id: jobId, name: 'recheck', attempt: 1 }) as { runId: string; counts: { new: number; resolved: number; reopened: number } }
  return { queued: false, runId: result.runId, counts: result.counts }
}
