// The re-check after a stored change made for a caller (a master-data write, a merge or its undo, a «not a duplicate»
// mark): run in the request so the answer shows what the change caused and resolved, as the caller may see it. Should
// it fail (the change is committed by then), it goes to the recheck queue with the plan taken before the change, and
// the answer says it was queued; without a queue the error stands.
import { randomUUID } from 'node:crypto'
import type { Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import type { ReportFinding } from '../engine/findings.ts'
import { serializePlan, type RecheckPlan, type RecheckResult } from '../engine/incremental.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { moduleLogger } from '../logger.ts'
import type { EntityRef } from '../records/model.ts'
import { recheck } from './run.ts'

const log = moduleLogger('recheck')

export interface AfterWriteOptions {
  actor: string
  asOf?: string
  rulesDir?: string
  jobs?: JobQueue
}

export interface CallerRecheck {
  /** findings the change raised or brought back (created and reopened), those the caller may see */
  caused: ReportFinding[]
  /** findings the change made go away, those the caller may see */
  resolved: ReportFinding[]
  /** the re-check; null when it was queued */
  recheck: RecheckResult | null
  recheckQueued?: boolean
}

/** Re-checks `changes` (with the plan taken before the change) for `principal`; queued when it fails and there is a queue. */
export async function recheckForCaller(db: Database, principal: Principal, changes: readonly EntityRef[], before: RecheckPlan,
  options: AfterWriteOptions & { what: string }): Promise<CallerRecheck> {
  let result: RecheckResult
  try {
    result = await recheck(db, changes, { actor: options.actor, asOf: options.asOf, before, rulesDir: options.rulesDir })
  } catch (e) {
    if (!options.jobs) throw e
    log.error({ err: e, what: options.what, changes: changes.length }, 're-check after a change failed in the request: queued')
    await options.jobs.add('recheck', {
      changes: [...changes], actor: options.actor, before: serializePlan(before), ...(options.asOf ? { asOf: options.asOf } : {}),
    }, { jobId: `${options.what}-${randomUUID()}` })
    return { caused: [], resolved: [], recheck: null, recheckQueued: true }
  }
  return { ...await visibleFindings(db.sql, principal, [...result.created, ...result.reopened], result.resolved), recheck: result }
}

/** Findings as the caller may see them: a key limited to markets sees those of its markets only. */
export async function visibleFindings(sql: SqlClient, principal: Principal, caused: ReportFinding[], resolved: ReportFinding[]) {
  if (principal.markets === null || caused.length + resolved.length === 0) return { caused, resolved }
  const { rows } = await sql.query<{ fingerprint: string }>(
    `SELECT fingerprint FROM finding WHERE fingerprint = ANY($1::text[]) AND "marketCode" = ANY($2::text[])`,
    [[...caused, ...resolved].map((f) => f.fingerprint), principal.markets])
  const visible = new Set(rows.map((r) => r.fingerprint))
  return { caused: caused.filter((f) => visible.has(f.fingerprint)), resolved: resolved.filter((f) => visible.has(f.fingerprint)) }
}
