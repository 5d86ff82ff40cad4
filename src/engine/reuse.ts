// Detection reused when nothing it reads has changed: an audit of unchanged data gives, rule by rule, exactly the
// findings the last full run detected, so it takes them from the stored findings instead of running the rule again.
//
// A rule's input key is the hash of what its detection depends on: the data's version (the sum of data_change, which
// statement triggers on the master tables and the «not a duplicate» marks add to — transactional, so an audit's
// snapshot counts exactly the changes its detection can see), the rule as the catalogue gives it (kind, params,
// severity, message), the as-of date, and the code that detects (a hash of the sources). The reconcile keeps the key
// on the rule's rule_seen row; a later whole run with the same key rebuilds the detection from the findings that run
// saw — those whose effective last-seen time is that row's or later (effectiveLastSeen): the ones it wrote, the ones
// it only confirmed, the ones a person closed since (their time is written as they close), and the ones a re-check
// of the unchanged data saw again since (it writes them; with the data unchanged it can see no others). Custom rules (code in the
// rules folder) and market-scoped runs always detect.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SqlClient } from '../db/database.ts'
import type { EntityRef } from '../records/model.ts'
import { effectiveLastSeen } from './findings.ts'
import type { DetectedFinding, RuleMeta } from './types.ts'

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..')
// the data_change rows are folded into one once there are this many (the sum, the version, stays)
const FOLD_FROM = 1000

let codeHash: string | null = null

/** A hash of the sources under src/ (not the generated client): any change to the code may change what is detected. */
export function codeVersion(): string {
  if (codeHash) return codeHash
  const hash = createHash('sha256')
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'generated') walk(path)
      } else if (/\.(ts|mjs|json)$/.test(entry.name)) {
        hash.update(relative(SRC, path)).update('\0').update(readFileSync(path)).update('\0')
      }
    }
  }
  walk(SRC)
  return (codeHash = hash.digest('hex'))
}

/** The data's version as this transaction's snapshot sees it. */
export async function dataVersion(sql: SqlClient): Promise<string> {
  const { rows } = await sql.query<{ v: string }>(`SELECT COALESCE(sum(weight), 0)::text AS v FROM data_change`)
  return rows[0].v
}

/** Folds the data_change rows into one (same sum) once they are many; concurrent folds add nothing twice. */
export async function foldDataChanges(sql: SqlClient): Promise<void> {
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM data_change`)
  if (rows[0].n < FOLD_FROM) return
  await sql.query(`WITH gone AS (DELETE FROM data_change RETURNING weight)
    INSERT INTO data_change (weight) SELECT sum(weight) FROM gone HAVING count(*) > 0`)
}

/** The input key of a rule's detection; null for a rule that is never reused (custom code). */
export function inputKey(rule: RuleMeta, asOf: string, version: string): string | null {
  if (rule.kind === 'custom') return null
  const { id, kind, params, severity, message } = rule
  return createHash('sha256').update(JSON.stringify({ id, kind, params, severity, message, asOf, version, code: codeVersion() })).digest('hex')
}

/**
 * The rules whose last whole run (over every market) had the same input key, with that run's time — unless a
 * market's run of the rule came after it (its findings then carry other times).
 */
export async function reusable(sql: SqlClient, keys: ReadonlyMap<string, string>): Promise<Map<string, Date>> {
  if (keys.size === 0) return new Map()
  const { rows } = await sql.query<{ ruleId: string; seenAt: Date }>(`
    SELECT s."ruleId", s."seenAt" FROM rule_seen s JOIN unnest($1::text[], $2::text[]) AS k(rule, key) ON k.rule = s."ruleId" AND k.key = s."inputKey"
    WHERE s.market = '' AND NOT EXISTS (SELECT 1 FROM rule_seen o WHERE o."ruleId" = s."ruleId" AND o.market <> '' AND o."seenAt" > s."seenAt")`,
  [[...keys.keys()], [...keys.values()]])
  return new Map(rows.map((r) => [r.ruleId, new Date(r.seenAt)]))
}

/** The detection of `ruleId` by the run of `seenAt`, rebuilt from the stored findings it saw. */
export async function storedDetection(sql: SqlClient, ruleId: string, seenAt: Date): Promise<DetectedFinding[]> {
  const { rows } = await sql.query<{ fingerprint: string; entities: EntityRef[]; message: string; details: Record<string, unknown>; marketCode: string | null; equipmentTypeCode: string | null }>(
    `SELECT f.fingerprint, f.entities, f.message, f.details, f."marketCode", f."equipmentTypeCode" FROM finding f
      WHERE f."ruleId" = $1 AND ${effectiveLastSeen('f')} >= $2::timestamptz`, [ruleId, seenAt])
  // message data is not stored: it only builds the message, which is
  return rows.map((r) => ({
    ruleId, entities: r.entities, message: r.message, data: {}, details: r.details, marketCode: r.marketCode, equipmentTypeCode: r.equipmentTypeCode,
    stored: { fingerprint: r.fingerprint },
  }))
}
