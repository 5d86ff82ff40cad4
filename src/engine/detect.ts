// The detection runner: runs the enabled rules it is given against the database (two at a time on PostgreSQL, a rule
// whose inputs did not change taken from the last run's findings), and returns every finding (ordered by rule, then
// subjects) with the time each rule took. Persists nothing.
import { availableParallelism } from 'node:os'
import { MASTER_TABLES } from '../records/model.ts'
import { dataVersion, foldDataChanges, inputKey, reusable, storedDetection } from './reuse.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { customRule, interpolate } from './catalog.ts'
import { compareKeys, type RawFinding, type Subset } from './detector.ts'
import { builtinDetector, CUSTOM_KIND, detectInOnePass, passesOf } from './detectors/registry.ts'
import type { AuditContext, DetectedFinding, RuleMeta } from './types.ts'
import { eachConcurrently } from '../concurrency.ts'
import { moduleLogger } from '../logger.ts'
import { messageParams } from '../i18n/message-params.ts'

const log = moduleLogger('detect')

export interface DetectionResult {
  findings: DetectedFinding[]
  /** milliseconds per rule id */
  timings: Record<string, number>
  /** per rule, what its detection read (src/engine/reuse.ts): the reconcile keeps it on the rule's rule_seen row */
  inputKeys?: Record<string, string>
  /** the rules whose detection was taken from the last run's findings, nothing having changed since */
  reused?: string[]
  /** the rules detected together, one pass over the rows they share each (their timings are the pass's) */
  passes: string[][]
}

export async function runDetection(
  db: Database, rules: RuleMeta[], ctx: AuditContext,
  onProgress?: (ruleId: string, index: number, total: number) => void,
): Promise<DetectionResult> {
  const enabled = rules.filter((r) => r.enabled)
  const analyzed = performance.now()
  await ensureStatistics(db)
  const statisticsMs = Math.round(performance.now() - analyzed)
  const perRule = new Map<string, DetectedFinding[]>()
  const timings: Record<string, number> = {}
  // a run over every market keys each rule's detection by what it reads; a rule whose key has not changed since its
  // last whole run takes that run's detection from the stored findings (SVERKA_DETECTION_REUSE=0: always detect)
  const keys = new Map<string, string>()
  let previous = new Map<string, Date>()
  if (!ctx.market) {
    await foldDataChanges(db.sql)
    const version = await dataVersion(db.sql)
    for (const rule of enabled) {
      const key = inputKey(rule, ctx.asOf, version)
      if (key) keys.set(rule.id, key)
    }
    if (process.env.SVERKA_DETECTION_REUSE !== '0') previous = await reusable(db.sql, keys)
  }
  // the rules still to detect that read the same rows go in one pass each (SVERKA_SHARED_PASS=0: every rule alone);
  // passes and single rules run side by side, each rule reported as it starts, numbered in the order they start
  const fresh = enabled.filter((r) => !previous.has(r.id))
  const passes = process.env.SVERKA_SHARED_PASS === '0' ? [] : passesOf(fresh)
  const inPass = new Set(passes.flat())
  const tasks = [...passes, ...enabled.filter((r) => !inPass.has(r)).map((r) => [r])]
  let started = 0
  const detectOne = async (rules: RuleMeta[]) => {
    for (const rule of rules) onProgress?.(rule.id, started++, enabled.length)
    const since = performance.now()
    try {
      if (rules.length > 1) {
        const found = await detectInOnePass(db.sql, ctx, rules)
        rules.forEach((rule, i) => perRule.set(rule.id, found[i].map((f) => complete(rule, f))))
      } else {
        const rule = rules[0]
        const seenAt = previous.get(rule.id)
        perRule.set(rule.id, seenAt ? await storedDetection(db.sql, rule.id, seenAt) : (await detectRule(db, rule, ctx)).map((f) => complete(rule, f)))
      }
    } catch (e) {
      // the audit runner marks the run FAILED with this reason and keeps the previous findings
      throw new Error(`rule ${rules.map((r) => r.id).join(', ')} failed: ${(e as Error).message}`, { cause: e })
    }
    const ms = Math.round(performance.now() - since)
    for (const rule of rules) timings[rule.id] = ms
  }
  await eachConcurrently(byExpectedCost(tasks), concurrencyOf(db), detectOne)
  const findings = enabled.flatMap((r) => perRule.get(r.id) ?? [])
  onProgress?.('', enabled.length, enabled.length)
  if (statisticsMs > 0) log.debug({ statisticsMs }, 'refreshed planner statistics')
  return {
    findings: sortFindings(findings), timings, passes: passes.map((p) => p.map((r) => r.id)),
    ...(keys.size > 0 ? { inputKeys: Object.fromEntries(keys), reused: [...previous.keys()].sort() } : {}),
  }
}

/**
 * How many rules run at once. On PostgreSQL each rule's statements take a pooled connection of their own, and the
 * rules split their work between the database (scans, joins, sorts) and this process (fuzzy matching, message
 * building): with one rule at a time one of the two sits idle. Two at a time keep both busy on a small machine; more
 * than the cores only queue up (SVERKA_DETECT_CONCURRENCY overrides). PGlite has one connection: one at a time.
 */
function concurrencyOf(db: Database): number {
  if (db.kind === 'pglite') return 1
  const configured = Number(process.env.SVERKA_DETECT_CONCURRENCY)
  return Number.isInteger(configured) && configured > 0 ? configured : Math.max(2, Math.min(availableParallelism(), 4))
}

// the kinds whose detection does the most work per record come first, so the long ones do not start last
const COST: Record<string, number> = { 'fuzzy-duplicate': 0, predicate: 1, 'required-relation': 2, consistency: 3, overlap: 4, unique: 5 }
function byExpectedCost(tasks: RuleMeta[][]): RuleMeta[][] {
  const cost = (rules: RuleMeta[]) => Math.min(...rules.map((r) => COST[r.kind] ?? 0))
  return [...tasks].sort((a, b) => cost(a) - cost(b))
}

/**
 * Planner statistics for the tables the rules read, refreshed where a bulk import left them missing or stale:
 * the embedded database has no autovacuum, and without statistics PostgreSQL picks nested loops that turn
 * an anti-join over a million rows into minutes. Same threshold as autovacuum's (10 % changed).
 */
export async function ensureStatistics(db: Database) {
  const { rows } = await db.sql.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables
      WHERE relname = ANY($1::text[])
        AND ((last_analyze IS NULL AND last_autoanalyze IS NULL) OR n_mod_since_analyze > 0.1 * greatest(n_live_tup, 1000))`,
    [MASTER_TABLES])
  if (rows.length > 0) await db.sql.exec(`ANALYZE ${rows.map((r) => r.relname).join(', ')}`)
}

async function detectRule(db: Database, rule: RuleMeta, ctx: AuditContext): Promise<RawFinding[]> {
  return detectRuleWith(db.sql, rule, ctx)
}

/**
 * One rule on any SQL client (an open transaction too), limited to `subset` when given: what an incremental
 * re-check and a pre-write check run. A custom rule knows no subsets and is always run whole.
 */
export async function detectRuleSubset(sql: SqlClient, rule: RuleMeta, ctx: AuditContext, subset?: Subset): Promise<DetectedFinding[]> {
  return sortFindings((await detectRuleWith(sql, rule, ctx, subset)).map((f) => complete(rule, f)))
}

async function detectRuleWith(sql: SqlClient, rule: RuleMeta, ctx: AuditContext, subset?: Subset): Promise<RawFinding[]> {
  // params were validated when the catalogue was loaded; bound, they are parsed again to get defaults for hand-made RuleMeta
  const detector = builtinDetector(rule)
  if (detector) return detector.detect({ sql, ctx, rule, ...(subset ? { subset } : {}) })
  if (rule.kind === CUSTOM_KIND) {
    const custom = await customRule(rule)
    const params = custom.paramsSchema ? custom.paramsSchema.parse(rule.params ?? {}) : rule.params
    return custom.detect({ sql, ctx, params, rule })
  }
  throw new Error(`unknown kind ${rule.kind}`)
}

function complete(rule: RuleMeta, f: RawFinding): DetectedFinding {
  return {
    ruleId: rule.id,
    entities: [...f.entities].sort((a, b) => compareKeys(a.key, b.key) || compareKeys(a.type, b.type)),
    message: interpolate(rule.message.ru, messageParams(f.data)),
    data: f.data,
    details: f.details,
    marketCode: f.marketCode,
    equipmentTypeCode: f.equipmentTypeCode,
  }
}

const entityKey = (f: DetectedFinding) => f.entities.map((e) => `${e.type}:${e.key}`).join(' ')

export function sortFindings(findings: DetectedFinding[]): DetectedFinding[] {
  return findings.sort((a, b) => compareKeys(a.ruleId, b.ruleId) || compareKeys(entityKey(a), entityKey(b)))
}
