// An audit's detection cut into parts that any number of workers take (issue 18): one part a rule, or one a rule and
// market when the rule's kind says its markets partition it (Detector.byMarket). A part's findings are stored here in
// bulk (COPY) by the worker that detected them and read back once by the run's reconcile, then deleted — the findings
// of a large audit are far too many to hand back through the queue. The one module that writes audit_detection and
// audit_part. What carries the parts from worker to worker is the caller's (src/jobs/audit-flow.ts).
import type { Database, SqlClient } from '../db/database.ts'
import { copyValue } from '../db/database.ts'
import { detectRuleSubset, sortFindings } from './detect.ts'
import { builtinDetector } from './detectors/registry.ts'
import { streamRows } from './sql-stream.ts'
import { thisProcess } from './runs.ts'
import type { DetectedFinding, RuleMeta } from './types.ts'

/** One part of an audit's detection. */
export interface DetectionPart {
  /** `<rule>` or `<rule>@<market>`: the key of its rows */
  id: string
  ruleId: string
  /** the market the part is limited to: its own, or the audit's (a market's audit runs every rule whole in it) */
  market?: string
}

/** What the last full run took: its rules' times and, when it was cut, its parts'. */
export interface LastTimings { rules?: Record<string, number>; parts?: Record<string, { ms: number | null }> }

/**
 * When a rule whose kind allows it is cut by market. A market's part scans about what the whole rule scans (the tables
 * are joined before the market filters them), so cutting costs work and pays only where a rule alone would outlast the
 * other workers: `auto` cuts a rule whose last time exceeds the whole detection's share of one worker; `market` cuts
 * every such rule (tests, and measuring the cut), `none` none.
 */
export type SplitPolicy = { mode: 'market' | 'none' } | { mode: 'auto'; workers: number; last: LastTimings | null }

/**
 * The parts of an audit's rules: one a rule, or one a rule and market for a rule whose kind partitions by market and
 * that the policy cuts (when there are several markets and the audit is not one market's already).
 */
export function planParts(rules: readonly RuleMeta[], markets: readonly string[], auditMarket?: string, policy: SplitPolicy = { mode: 'market' }): DetectionPart[] {
  const enabled = rules.filter((r) => r.enabled)
  const cut = (rule: RuleMeta) => {
    if (policy.mode !== 'auto') return policy.mode === 'market'
    const ms = (id: string) => policy.last?.rules?.[id] ?? 0
    const share = enabled.reduce((sum, r) => sum + ms(r.id), 0) / Math.max(policy.workers, 1)
    return policy.workers > 1 && ms(rule.id) > share
  }
  return enabled.flatMap((rule): DetectionPart[] => {
    if (!auditMarket && markets.length > 1 && builtinDetector(rule)?.byMarket && cut(rule)) {
      return markets.map((market) => ({ id: `${rule.id}@${market}`, ruleId: rule.id, market }))
    }
    return [{ id: rule.id, ruleId: rule.id, ...(auditMarket ? { market: auditMarket } : {}) }]
  })
}

/**
 * The parts, longest first by what the last full run took (a part's own time, or its rule's shared among its markets;
 * unknown ones first): workers take them in this order, so that a long part does not start last and leave the other
 * workers idle while it runs (longest processing time first).
 */
export function longestFirst(parts: readonly DetectionPart[], last: LastTimings | null): DetectionPart[] {
  const perRule = new Map<string, number>()
  for (const p of parts) perRule.set(p.ruleId, (perRule.get(p.ruleId) ?? 0) + 1)
  const expected = (p: DetectionPart) => last?.parts?.[p.id]?.ms ?? (last?.rules?.[p.ruleId] !== undefined ? last.rules[p.ruleId] / perRule.get(p.ruleId)! : Infinity)
  return parts.map((p) => ({ p, ms: expected(p) })).sort((a, b) => b.ms - a.ms).map(({ p }) => p)
}

/** The timings of the last run that SUCCEEDED with every rule (the one longestFirst orders by); null when none. */
export async function lastFullRunTimings(sql: SqlClient): Promise<LastTimings | null> {
  const { rows: [run] } = await sql.query<{ timings: LastTimings }>(
    `SELECT timings FROM audit_run WHERE status = 'SUCCEEDED' AND trigger <> 'INCREMENTAL' AND "marketCode" IS NULL AND timings ? 'rules'
      ORDER BY "finishedAt" DESC LIMIT 1`)
  return run?.timings ?? null
}

/** The market codes, in code order: what planParts cuts by. */
export async function marketCodes(sql: SqlClient): Promise<string[]> {
  const { rows } = await sql.query<{ code: string }>('SELECT code FROM market ORDER BY code')
  return rows.map((r) => r.code)
}

export interface PartOutcome { rows: number; ms: number }

/**
 * Detects one part and stores its findings for the run (replacing what an earlier attempt stored); null when the run
 * is no longer RUNNING under `owner` (failed or taken over meanwhile): nothing is stored then.
 */
export async function detectPart(db: Database, runId: string, owner: string, rule: RuleMeta, part: DetectionPart, asOf: string): Promise<PartOutcome | null> {
  const started = performance.now()
  let findings: DetectedFinding[]
  try {
    findings = await detectRuleSubset(db.sql, rule, { asOf, ...(part.market ? { market: part.market } : {}) })
  } catch (e) {
    // the same reason a single-process run fails with (src/engine/detect.ts)
    throw new Error(`rule ${rule.id} failed: ${(e as Error).message}`, { cause: e })
  }
  const ms = Math.round(performance.now() - started)
  return (await storePart(db.sql, runId, owner, part.id, findings, ms)) ? { rows: findings.length, ms } : null
}

const COPY_BATCH = 5_000

/** Stores a part's findings in one transaction, replacing the part's earlier rows; false when the run is not `owner`'s. */
export async function storePart(sql: SqlClient, runId: string, owner: string, partId: string, findings: readonly DetectedFinding[], ms: number): Promise<boolean> {
  return sql.transaction(async (tx) => {
    // the run's row is held while the part is written: a takeover (which clears the parts first) waits for it
    const { rows } = await tx.query(`SELECT 1 FROM audit_run WHERE id = $1::uuid AND status = 'RUNNING' AND "ownerId" = $2 FOR SHARE`, [runId, owner])
    if (rows.length === 0) return false
    await tx.query(`DELETE FROM audit_detection WHERE "runId" = $1::uuid AND part = $2`, [runId, partId])
    for (let from = 0; from < findings.length; from += COPY_BATCH) {
      const lines = findings.slice(from, from + COPY_BATCH)
        .map((f, i) => `${runId}\t${copyValue(partId)}\t${from + i}\t${copyValue(JSON.stringify(f))}\n`)
      await tx.copyFrom('audit_detection ("runId", part, seq, finding)', lines.join(''))
    }
    await tx.query(
      `INSERT INTO audit_part ("runId", part, rows, ms, worker, error, at) VALUES ($1::uuid, $2, $3, $4, $5, NULL, now())
       ON CONFLICT ("runId", part) DO UPDATE SET rows = EXCLUDED.rows, ms = EXCLUDED.ms, worker = EXCLUDED.worker, error = NULL, at = now()`,
      [runId, partId, findings.length, ms, workerName()])
    return true
  })
}

/** Records why an attempt at a part failed (its last reason is the run's, should no retry succeed); a stored result stays. */
export async function recordPartFailure(sql: SqlClient, runId: string, partId: string, reason: string): Promise<void> {
  await sql.query(
    `INSERT INTO audit_part ("runId", part, worker, error, at) VALUES ($1::uuid, $2, $3, $4, now())
     ON CONFLICT ("runId", part) DO UPDATE SET worker = EXCLUDED.worker, error = EXCLUDED.error, at = now() WHERE audit_part.rows IS NULL`,
    [runId, partId, workerName(), reason])
}

export interface StoredPart { part: string; rows: number | null; ms: number | null; worker: string | null; error: string | null }

/** The parts stored for a run, done or failed. */
export async function storedParts(sql: SqlClient, runId: string): Promise<StoredPart[]> {
  const { rows } = await sql.query<StoredPart>(`SELECT part, rows, ms, worker, error FROM audit_part WHERE "runId" = $1::uuid ORDER BY part`, [runId])
  return rows
}

/** Every finding the run's parts stored, in the order runDetection gives its own. */
export async function storedFindings(sql: SqlClient, runId: string): Promise<DetectedFinding[]> {
  // through a cursor: the raw rows of a large audit (~600 bytes of JSON a finding, ~160 MB at 1M addresses) are never held all at once
  const findings: DetectedFinding[] = []
  await streamRows<{ finding: DetectedFinding }>(sql, `SELECT finding FROM audit_detection WHERE "runId" = $1::uuid ORDER BY part, seq`, [runId],
    (rows) => { for (const r of rows) findings.push(r.finding) })
  return sortFindings(findings)
}

/** Deletes what the run's parts stored: after its reconcile, its failure, or before a new attempt at it. */
export async function dropParts(sql: SqlClient, runId: string): Promise<void> {
  await sql.query(`DELETE FROM audit_detection WHERE "runId" = $1::uuid`, [runId])
  await sql.query(`DELETE FROM audit_part WHERE "runId" = $1::uuid`, [runId])
}

function workerName() {
  return `${thisProcess.host}:${thisProcess.pid}`
}
