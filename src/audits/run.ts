// Audits and re-checks as the service runs them: the engine's runners (src/engine/audit.ts, incremental.ts) given
// the routing of findings (src/incidents/routing.ts) as their after-reconcile hook. The engine imports no incidents;
// whoever runs an audit or a re-check — CLI, jobs, GraphQL, master-data writes, the demo — calls these.
import type { Database } from '../db/database.ts'
import {
  completeAudit as completeEngineAudit, runAudit as runEngineAudit,
  type AfterReconcile, type AuditEngine, type AuditOptions, type AuditPlan, type AuditResult, type CompleteOptions,
} from '../engine/audit.ts'
import type { DetectedFinding } from '../engine/types.ts'
import { recheck as recheckEngine, type RecheckOptions, type RecheckResult } from '../engine/incremental.ts'
import type { EntityRef } from '../records/model.ts'
import { prepareRouting, routingStep } from '../incidents/routing.ts'

/** Every finding a run raised or reopened gets its responsible group, support line and SLA dues (issue 5). */
export const routeFindings: AfterReconcile = {
  async prepare(sql) {
    return routingStep(await prepareRouting(sql))
  },
}

/** A full (or scoped) audit whose findings are routed in its transaction; `engine` replaces catalogue and detection (tests). */
export function runAudit(db: Database, options: Omit<AuditOptions, 'afterReconcile'>, engine?: AuditEngine): Promise<AuditResult> {
  return runEngineAudit(db, { ...options, afterReconcile: routeFindings }, engine)
}

/** Ends an audit whose findings were detected by workers (src/jobs/audit-flow.ts), routed as runAudit's are. */
export function completeAudit(db: Database, plan: AuditPlan, findings: DetectedFinding[], options: Omit<CompleteOptions, 'afterReconcile'>): Promise<AuditResult> {
  return completeEngineAudit(db, plan, findings, { ...options, afterReconcile: routeFindings })
}

/** The incremental re-check around changed records, with the findings it raises or reopens routed. */
export function recheck(db: Database, changes: readonly EntityRef[], options: Omit<RecheckOptions, 'afterReconcile'>): Promise<RecheckResult> {
  return recheckEngine(db, changes, { ...options, afterReconcile: routeFindings })
}
