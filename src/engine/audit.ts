// The audit runner: records the run, picks the rules in force, detects, reconciles the findings and
// answers with the report's data. A run that fails is kept as FAILED with its reason; findings stay as they were —
// also when its process dies (the run is then found by its stopped heartbeat, src/engine/runs.ts).
import type { Database, SqlClient } from '../db/database.ts'
import { isIsoDate } from '../dates.ts'
import { InputError } from '../errors.ts'
import type { AuditTrigger } from '../generated/prisma/enums.ts'
import { moduleLogger } from '../logger.ts'
import { openFindingsOfRun, reconcileFindings, type FindingCounts, type ReconcileOptions, type ReportFinding } from './findings.ts'
import { listOverrides, type Catalog } from './overrides.ts'
import { countedRecords, storeQualityScores, type Counted, type QualityInputs } from './quality.ts'
import { failDeadRuns, failRun, finishRun, holdLease, startRun, takeOverRun } from './runs.ts'
import type { AuditContext, DetectedFinding, RuleMeta } from './types.ts'
import { COMMON_RU, RULE_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('audit')

export interface AuditOptions {
  /** rules to run; default every enabled rule of the catalogue */
  ruleIds?: string[]
  /** limit to one market's data */
  market?: string
  /** reference date YYYY-MM-DD; default today */
  asOf?: string
  trigger: AuditTrigger
  actor: string
  rulesDir?: string
  onProgress?: (ruleId: string, index: number, total: number) => void
  /** called once the run is recorded (status RUNNING), before anything is detected: for callers that do not wait */
  onStart?: (runId: string) => void
  /**
   * a run already recorded (QUEUED by the API for the workers, or FAILED by an attempt that did not finish):
   * taken over instead of recorded anew; one that SUCCEEDED is refused, and so is one still running in a live process
   */
  runId?: string
  /** what follows the reconciliation inside the run's transaction: the finding routing (src/audits/run.ts gives it) */
  afterReconcile: AfterReconcile
}

/**
 * What a run hands its findings to once they are reconciled — routing them to groups (src/incidents/routing.ts) —
 * given by whoever runs audits and re-checks: the engine imports none of it. `prepare` is called before the run's
 * transaction (on PGlite nothing else may be asked while it is open), its step inside it, with its tx and run id;
 * `unrouted` is kept in the run's counts.
 */
export interface AfterReconcile {
  prepare(sql: SqlClient): Promise<AfterReconcileStep>
}
export interface AfterReconcileStep {
  (tx: SqlClient, runId: string): Promise<{ unrouted: number }>
  /** where the run's new findings go as they are inserted (ReconcileOptions.placement); the step counts them too */
  placement?: ReconcileOptions['placement']
}

/** The run as the report shows it (SPEC «Audit report»). */
export interface AuditRunSummary {
  id: string
  asOf: string
  startedAt: string
  finishedAt: string
  rules: string[]
  counts: FindingCounts
}

export interface AuditResult {
  run: AuditRunSummary
  /** open after the run, within its scope; waived ones left out */
  findings: ReportFinding[]
}

/** What the runner needs of the catalogue and the detectors; tests substitute a failing detection. */
export interface AuditEngine {
  loadCatalog(dir: string | undefined, overrides: Awaited<ReturnType<typeof listOverrides>>): Promise<Catalog>
  runDetection(db: Database, rules: RuleMeta[], ctx: AuditContext, onProgress?: (ruleId: string, index: number, total: number) => void):
    Promise<{ findings: DetectedFinding[]; timings: Record<string, number>; inputKeys?: Record<string, string>; reused?: string[]; passes?: string[][] }>
}

// the detectors are loaded on the first audit, not by everything that imports the runner's types
const defaultEngine: AuditEngine = {
  loadCatalog: async (dir, overrides) => (await import('./catalog.ts')).loadCatalog(dir, overrides),
  runDetection: async (db, rules, ctx, onProgress) => (await import('./detect.ts')).runDetection(db, rules, ctx, onProgress),
}

export async function runAudit(db: Database, options: AuditOptions, engine: AuditEngine = defaultEngine): Promise<AuditResult> {
  const asOf = options.asOf ?? today()
  checkDate(asOf)
  const clock = startClock()
  const run = await openRun(db, options, asOf)
  const lease = holdLease(db, run.id)
  options.onStart?.(run.id)
  const attempt = { ruleIds: options.ruleIds ?? [] }
  try {
    const plan = await planRules(db, run, options, asOf, engine, clock, attempt)
    let t = performance.now()
    const routeFindings = await options.afterReconcile.prepare(db.sql)
    clock.timings.catalog = (clock.timings.catalog as number) + Math.round(performance.now() - t)
    // the score's record counts need no findings: on PostgreSQL they are counted on a connection of their own while
    // detection runs (mostly in this process), so the score adds little to the run's time; awaited before the commit
    const counting = plan.full ? countInBackground(db, clock) : null

    t = performance.now()
    const detection = await engine.runDetection(db, plan.rules, { asOf, ...(options.market ? { market: options.market } : {}) }, options.onProgress)
    clock.lap('detection', t)
    clock.timings.rules = detection.timings
    if (detection.reused?.length) clock.timings.reused = detection.reused
    if (detection.passes?.length) clock.timings.passes = detection.passes
    return await reconcileRun(db, plan, detection.findings, { routeFindings, counting, clock, ...(detection.inputKeys ? { inputKeys: detection.inputKeys } : {}) })
  } catch (error) {
    await failAudit(db, run.id, error, attempt.ruleIds, clock)
    throw error
  } finally {
    await lease.release()
  }
}

// ───────────────────────────── an audit whose detection is done elsewhere ─────────────────────────────
// src/jobs/audit-flow.ts spreads an audit's detection over workers (BullMQ flows): the run is recorded and its rules
// picked here (planAudit), its parts detected and stored by src/engine/parts.ts, and the reconcile, routing, report,
// quality and SUCCEEDED done here once (completeAudit) — the same code runAudit runs after its own detection.

/** A run recorded RUNNING and its rules picked; plain data, carried in a job. */
export interface AuditPlan {
  runId: string
  /** ISO time the run started */
  startedAt: string
  asOf: string
  actor: string
  market?: string
  ruleIds: string[]
  /** every enabled rule of the catalogue: the quality score is stored */
  full: boolean
  /** Date.now() when the plan began: the run's total is measured from it, whatever process ends the run */
  clockStart: number
  /** timings so far (catalog) */
  timings: Record<string, unknown>
}

export type PlanOptions = Omit<AuditOptions, 'afterReconcile' | 'onProgress' | 'onStart'>

/**
 * Records (or takes over) the run and picks its rules, as runAudit does before detecting: the run is left RUNNING,
 * owned by this process, for the caller to hand over (handOverRun). A failure marks it FAILED and is thrown.
 */
export async function planAudit(db: Database, options: PlanOptions, engine: AuditEngine = defaultEngine): Promise<AuditPlan & { rules: RuleMeta[] }> {
  const asOf = options.asOf ?? today()
  checkDate(asOf)
  const clock = startClock()
  const run = await openRun(db, options, asOf)
  const lease = holdLease(db, run.id)
  const attempt = { ruleIds: options.ruleIds ?? [] }
  try {
    const plan = await planRules(db, run, options, asOf, engine, clock, attempt)
    return {
      runId: run.id, startedAt: run.startedAt.toISOString(), asOf, actor: options.actor, ...(options.market ? { market: options.market } : {}),
      ruleIds: plan.ruleIds, rules: plan.rules, full: plan.full, clockStart: clock.start, timings: clock.timings,
    }
  } catch (error) {
    await failAudit(db, run.id, error, attempt.ruleIds, clock)
    throw error
  } finally {
    await lease.release()
  }
}

export interface CompleteOptions {
  afterReconcile: AfterReconcile
  /** the owner id the run is RUNNING under (a flow's, src/engine/runs.ts flowOwner) */
  owner: string
  /** timings of the detection done elsewhere, merged into the run's: `detection`, `rules`, `parts`, … */
  timings: Record<string, unknown>
  rulesDir?: string
}

/**
 * Ends a planned run with the findings detected elsewhere, exactly as runAudit ends its own: reconcile, routing, report,
 * quality and SUCCEEDED in one transaction. A failure marks the run FAILED (findings as they were) and is thrown.
 */
export async function completeAudit(db: Database, plan: AuditPlan, findings: DetectedFinding[], options: CompleteOptions,
  engine: AuditEngine = defaultEngine): Promise<AuditResult> {
  const clock = startClock(plan.clockStart, { ...plan.timings, ...options.timings })
  const run = { id: plan.runId, startedAt: new Date(plan.startedAt) }
  try {
    const t = performance.now()
    const catalog = await engine.loadCatalog(options.rulesDir, await listOverrides(db))
    // the rules as planned: one switched off or gone since is not reconciled under a changed meaning
    const rules = plan.ruleIds.map((id) => {
      const rule = catalog.get(id)
      if (!rule?.enabled) throw new Error(`rule ${id} was switched off or removed while the audit ran`)
      return rule
    })
    const routeFindings = await options.afterReconcile.prepare(db.sql)
    clock.lap('prepare', t)
    const counting = plan.full ? countInBackground(db, clock) : null
    return await reconcileRun(db, { run, asOf: plan.asOf, actor: plan.actor, market: plan.market, rules, ruleIds: plan.ruleIds, full: plan.full },
      findings, { routeFindings, counting, clock, owner: options.owner })
  } catch (error) {
    await failAudit(db, run.id, error, plan.ruleIds, clock, options.owner)
    throw error
  }
}

/** Marks a run FAILED (its findings as they were) with the reason given; for a part of it that failed elsewhere. */
export async function abandonAudit(db: Database, plan: AuditPlan, reason: string, owner: string, timings: Record<string, unknown>) {
  await failAudit(db, plan.runId, new Error(reason), plan.ruleIds, startClock(plan.clockStart, { ...plan.timings, ...timings }), owner)
}

// ───────────────────────────── the parts both share ─────────────────────────────

interface Clock {
  /** Date.now() when the run began */
  start: number
  timings: Record<string, unknown>
  lap(name: string, since: number): void
}

function startClock(start = Date.now(), timings: Record<string, unknown> = {}): Clock {
  return { start, timings, lap(name, since) { timings[name] = Math.round(performance.now() - since) } }
}

interface PlannedRun {
  run: { id: string; startedAt: Date }
  asOf: string
  actor: string
  market?: string
  rules: RuleMeta[]
  ruleIds: string[]
  full: boolean
}

async function openRun(db: Database, options: Pick<AuditOptions, 'runId' | 'trigger' | 'actor' | 'ruleIds' | 'market'>, asOf: string) {
  // runs left RUNNING by a process that died are marked FAILED before another one starts (and a job's own run may be retried)
  await failDeadRuns(db)
  return options.runId
    ? await takeOverRun(db.sql, options.runId)
    : await startRun(db.sql, { trigger: options.trigger, actor: options.actor, rules: options.ruleIds, market: options.market, asOf })
}

async function planRules(db: Database, run: PlannedRun['run'], options: PlanOptions, asOf: string, engine: AuditEngine, clock: Clock,
  attempt: { ruleIds: string[] }): Promise<PlannedRun> {
  const t = performance.now()
  const catalog = await engine.loadCatalog(options.rulesDir, await listOverrides(db))
  const rules = selectRules(catalog, options.ruleIds)
  const ruleIds = rules.map((r) => r.id)
  attempt.ruleIds = ruleIds
  // only a full run sees every finding: a market's or some rules' run would put a skewed point in the score's trend
  const full = !options.market && catalog.rules.every((r) => !r.enabled || ruleIds.includes(r.id))
  if (options.market) await checkMarket(db, options.market)
  clock.lap('catalog', t)
  return { run, asOf, actor: options.actor, ...(options.market ? { market: options.market } : {}), rules, ruleIds, full }
}

function countInBackground(db: Database, clock: Clock): Promise<Counted> {
  const since = performance.now()
  const counting = countedRecords(db.sql).then((counted) => { clock.lap('qualityCounts', since); return counted })
  counting.catch(() => {}) // a run that fails first still awaits nothing; its failure is the run's
  return counting
}

/**
 * The findings, their routing and the run's SUCCEEDED in one transaction: a run that fails or whose process dies
 * before the commit leaves every finding as it was, and a run marked SUCCEEDED has all of its work stored.
 */
async function reconcileRun(db: Database, plan: PlannedRun, detected: DetectedFinding[],
  step: { routeFindings: AfterReconcileStep; counting: Promise<Counted> | null; clock: Clock; owner?: string; inputKeys?: Record<string, string> }): Promise<AuditResult> {
  const { run, ruleIds, market } = plan
  const { clock } = step
  const recordCounts = step.counting ? await step.counting : null
  const { counts, findings, finishedAt } = await db.sql.transaction(async (tx) => {
    let t = performance.now()
    // the report's read sorts every open finding (18,746 rows of JSON at 100k addresses spilled 9 MB to disk with
    // the default 4 MB); memory for this transaction only
    await tx.query(`SELECT set_config('work_mem', '64MB', true)`)
    const steps: Record<string, number> = {}
    const rules = plan.rules.map((r) => ({ id: r.id, severity: r.severity, ...(step.inputKeys?.[r.id] ? { inputKey: step.inputKeys[r.id] } : {}) }))
    const counts = await reconcileFindings(tx, { id: run.id, actor: plan.actor }, { rules, market }, detected,
      { steps, ...(step.routeFindings.placement ? { placement: step.routeFindings.placement } : {}) })
    clock.lap('reconcile', t)
    // where the reconcile's time went: fingerprinting and staging the detection, findings seen again, new ones (with
    // their entities, events and routing), resolved ones, the open count
    clock.timings.reconcileSteps = steps
    // every finding of the run gets its responsible group, support line and SLA dues (issue 5)
    t = performance.now()
    const { unrouted } = await step.routeFindings(tx, run.id)
    clock.lap('routing', t)
    t = performance.now()
    const findings = await openFindingsOfRun(tx, run, { ruleIds, market })
    clock.lap('report', t)
    let qualityInputs: QualityInputs | undefined
    if (recordCounts) {
      t = performance.now()
      const stored = await storeQualityScores(tx, run.id, recordCounts)
      clock.lap('quality', t)
      if (stored.copiedFrom) clock.timings.qualityFrom = stored.copiedFrom
      qualityInputs = stored.inputs
    }
    clock.timings.total = Date.now() - clock.start
    const { finishedAt } = await finishRun(tx, run.id,
      { rules: ruleIds, counts: { ...counts, unrouted }, timings: clock.timings, ...(qualityInputs ? { qualityInputs } : {}) }, step.owner)
    return { counts, findings, finishedAt }
  })
  log.info({ runId: run.id, rules: ruleIds.length, market, counts, ms: clock.timings.total }, 'audit finished')
  return {
    run: { id: run.id, asOf: plan.asOf, startedAt: run.startedAt.toISOString(), finishedAt: finishedAt.toISOString(), rules: ruleIds, counts },
    findings,
  }
}

async function failAudit(db: Database, runId: string, error: unknown, ruleIds: string[], clock: Clock, owner?: string) {
  clock.timings.total = Date.now() - clock.start
  const reason = error instanceof Error ? error.message : String(error)
  await failRun(db.sql, runId, { reason, rules: ruleIds, timings: clock.timings }, owner)
    .catch((e: unknown) => log.error({ err: e, runId }, 'could not mark the audit run FAILED'))
  // bad input is the caller's to report; anything else is worth a warning in the logs
  if (error instanceof InputError) log.info({ runId, reason }, 'audit refused')
  else log.warn({ runId, reason }, 'audit failed')
}

/** The rules asked for (all enabled ones when none are named); naming an unknown or disabled rule is an error. */
function selectRules(catalog: Catalog, ruleIds: string[] | undefined): RuleMeta[] {
  if (!ruleIds || ruleIds.length === 0) return catalog.rules.filter((r) => r.enabled)
  const known = catalog.rules.map((r) => r.id)
  const unknown = ruleIds.filter((id) => !catalog.get(id))
  if (unknown.length) {
    throw new InputError(COMMON_RU.unknownRule(unknown, known))
  }
  const rules = [...new Set(ruleIds)].map((id) => catalog.get(id)!)
  const disabled = rules.filter((r) => !r.enabled)
  if (disabled.length) {
    throw new InputError(RULE_RU.switchedOff(disabled.map((r) => r.id), `sverka rules enable ${disabled[0].id}`))
  }
  return rules
}

async function checkMarket(db: Database, market: string) {
  const { rows } = await db.sql.query<{ code: string }>('SELECT code FROM market ORDER BY code')
  if (!rows.some((r) => r.code === market)) {
    throw new InputError(COMMON_RU.unknownMarket(market, rows.map((r) => r.code), 'markets.csv'))
  }
}

/** A real calendar day written YYYY-MM-DD, or InputError. */
export function checkDate(value: string, name = 'as-of') {
  if (!isIsoDate(value)) throw new InputError(COMMON_RU.badDate(`--${name}`, value))
}

/** Today on this machine's calendar, YYYY-MM-DD. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
