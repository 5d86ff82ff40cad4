// The detection runner: runs the enabled rules it is given against the database, one after another, and
// returns every finding (ordered by rule, then subjects) with the time each rule took. Persists nothing.
import { MASTER_TABLES } from '../records/model.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { customRule, interpolate } from './catalog.ts'
import { compareKeys, type RawFinding, type Subset } from './detector.ts'
import { builtinDetector, CUSTOM_KIND } from './detectors/registry.ts'
import type { AuditContext, DetectedFinding, RuleMeta } from './types.ts'
import { moduleLogger } from '../logger.ts'
import { messageParams } from '../i18n/message-params.ts'

const log = moduleLogger('detect')

export interface DetectionResult {
  findings: DetectedFinding[]
  /** milliseconds per rule id */
  timings: Record<string, number>
}

export async function runDetection(
  db: Database, rules: RuleMeta[], ctx: AuditContext,
  onProgress?: (ruleId: string, index: number, total: number) => void,
): Promise<DetectionResult> {
  const enabled = rules.filter((r) => r.enabled)
  const analyzed = performance.now()
  await ensureStatistics(db)
  const statisticsMs = Math.round(performance.now() - analyzed)
  const findings: DetectedFinding[] = []
  const timings: Record<string, number> = {}
  for (const [index, rule] of enabled.entries()) {
    onProgress?.(rule.id, index, enabled.length)
    const started = performance.now()
    let raw: RawFinding[]
    try {
      raw = await detectRule(db, rule, ctx)
    } catch (e) {
      // the audit runner marks the run FAILED with this reason and keeps the previous findings
      throw new Error(`rule ${rule.id} failed: ${(e as Error).message}`, { cause: e })
    }
    timings[rule.id] = Math.round(performance.now() - started)
    for (const f of raw) findings.push(complete(rule, f))
  }
  onProgress?.('', enabled.length, enabled.length)
  if (statisticsMs > 0) log.debug({ statisticsMs }, 'refreshed planner statistics')
  return { findings: sortFindings(findings), timings }
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
