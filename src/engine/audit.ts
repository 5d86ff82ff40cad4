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
import { countRecords, storeQualityScores, type RecordCount } from './quality.ts'
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
    Promise<{ findings: DetectedFinding[]; timings: Record<string, number> }>
}

// the detectors are loaded on the first audit, not by everything that imports the runner's types
const defaultEngine: AuditEngine = {
  loadCatalog: async (dir, overrides) => (await import('./catalog.ts')).loadCatalog(dir, overrides),
  runDetection: async (db, rules, ctx, onProgress) => (await import('./detect.ts')).runDetection(db, rules, ctx, onProgress),
}

export async function runAudit(db: Database, options: AuditOptions, engine: AuditEngine = defaultEngine): Promise<AuditResult> {
  const asOf = options.asOf ?? today()
  checkDate(asOf)
  const started = performance.now()
  // runs left RUNNING by a process that died are marked FAILED before another one starts (and a job's own run may be retried)
  await failDeadRuns(db)
  const run = options.runId
    ? await takeOverRun(db.sql, options.runId)
    : await startRun(db.sql, { trigger: options.trigger, actor: options.actor, rules: options.ruleIds, market: options.market, asOf })
  const lease = holdLease(db, run.id)
  options.onStart?.(run.id)
  const timings: Record<string, unknown> = {}
  const lap = (name: string, since: number) => { timings[name] = Math.round(performance.now() - since) }
  let ruleIds = options.ruleIds ?? []
  try {
    let t = performance.now()
    const catalog = await engine.loadCatalog(options.rulesDir, await listOverrides(db))
    const rules = selectRules(catalog, options.ruleIds)
    ruleIds = rules.map((r) => r.id)
    // only a full run sees every finding: a market's or some rules' run would put a skewed point in the score's trend
    const full = !options.market && catalog.rules.every((r) => !r.enabled || ruleIds.includes(r.id))
    if (options.market) await checkMarket(db, options.market)
    const routeFindings = await options.afterReconcile.prepare(db.sql)
    lap('catalog', t)

    // the score's record counts need no findings: on PostgreSQL they are counted on a connection of their own while
    // detection runs (mostly in this process), so the score adds little to the run's time; awaited before the commit
    let counting: Promise<RecordCount[]> | null = null
    if (full) {
      const since = performance.now()
      counting = countRecords(db.sql).then((counts) => { lap('qualityCounts', since); return counts })
      counting.catch(() => {}) // a run that fails first still awaits nothing; its failure is the run's
    }

    t = performance.now()
    const detection = await engine.runDetection(db, rules, { asOf, ...(options.market ? { market: options.market } : {}) }, options.onProgress)
    lap('detection', t)
    timings.rules = detection.timings

    // the findings, their routing and the run's SUCCEEDED in one transaction: a run that fails or whose process
    // dies before the commit leaves every finding as it was, and a run marked SUCCEEDED has all of its work stored
    const recordCounts = counting ? await counting : null
    const { counts, findings, finishedAt } = await db.sql.transaction(async (tx) => {
      t = performance.now()
      // the report's read sorts every open finding (18,746 rows of JSON at 100k addresses spilled 9 MB to disk with
      // the default 4 MB); memory for this transaction only
      await tx.query(`SELECT set_config('work_mem', '64MB', true)`)
      const steps: Record<string, number> = {}
      const counts = await reconcileFindings(tx, { id: run.id, actor: options.actor }, { rules, market: options.market }, detection.findings,
        { steps, ...(routeFindings.placement ? { placement: routeFindings.placement } : {}) })
      lap('reconcile', t)
      // where the reconcile's time went: staging the detection, findings seen again, new ones (with their entities and
      // events), resolved ones, the open count
      timings.reconcileSteps = steps
      // every finding of the run gets its responsible group, support line and SLA dues (issue 5)
      t = performance.now()
      const { unrouted } = await routeFindings(tx, run.id)
      lap('routing', t)
      t = performance.now()
      const findings = await openFindingsOfRun(tx, run, { ruleIds, market: options.market })
      lap('report', t)
      if (recordCounts) {
        t = performance.now()
        await storeQualityScores(tx, run.id, recordCounts)
        lap('quality', t)
      }
      lap('total', started)
      const { finishedAt } = await finishRun(tx, run.id, { rules: ruleIds, counts: { ...counts, unrouted }, timings })
      return { counts, findings, finishedAt }
    })
    log.info({ runId: run.id, rules: ruleIds.length, market: options.market, counts, ms: timings.total }, 'audit finished')
    return {
      run: { id: run.id, asOf, startedAt: run.startedAt.toISOString(), finishedAt: finishedAt.toISOString(), rules: ruleIds, counts },
      findings,
    }
  } catch (error) {
    lap('total', started)
    const reason = error instanceof Error ? error.message : String(error)
    await failRun(db.sql, run.id, { reason, rules: ruleIds, timings })
      .catch((e: unknown) => log.error({ err: e, runId: run.id }, 'could not mark the audit run FAILED'))
    // bad input is the caller's to report; anything else is worth a warning in the logs
    if (error instanceof InputError) log.info({ runId: run.id, reason }, 'audit refused')
    else log.warn({ runId: run.id, reason }, 'audit failed')
    throw error
  } finally {
    await lease.release()
  }
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
