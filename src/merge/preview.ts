// A merge's preview: the merge itself made inside a transaction that is rolled back — so the preview shows exactly
// what the merge would do (survivor, fields, what moves) — with the restricted detection run around the changes in
// it and compared with the stored findings: those it would resolve and those it would make appear. Its version token
// makes the merge fail cleanly (Conflict) when a member changes in between.
import type { Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { today } from '../engine/audit.ts'
import { fingerprint } from '../engine/fingerprint.ts'
import { OPEN_STATUSES, type ReportFinding } from '../engine/findings.ts'
import { detectAround, planAround, rulesInForce, type ScopedRule } from '../engine/incremental.ts'
import type { EntityRef } from '../records/model.ts'
import { applyMerge, checkInput, mapMergeError } from './merge.ts'
import type { AppearingFinding, MergeInput, MergePreview } from './types.ts'

/** Previews a merge: nothing is stored. Refuses what the merge would refuse, with the same errors. */
export async function previewMerge(db: Database, principal: Principal, input: MergeInput, options: { asOf?: string; rulesDir?: string } = {}): Promise<MergePreview> {
  const group = await checkInput(db.sql, principal, input)
  const asOf = options.asOf ?? today()
  const rules = await rulesInForce(db, options.rulesDir)
  const severity = new Map(rules.map((r) => [r.id, r.severity]))
  const sees = (market: string | null) => principal.markets === null || (market !== null && principal.markets.includes(market))
  const rollback = new Error('a preview is never stored')
  let preview: MergePreview | undefined
  try {
    await db.sql.transaction(async (tx) => {
      const before = await planAround(tx, rules, group.keys.map((key): EntityRef => ({ type: group.type, key })))
      const applied = await applyMerge(tx, principal, group, 'preview')
      const plan = await planAround(tx, rules, applied.changes, before)
      const { detected, scope } = await detectAround(tx, rules, plan, asOf)
      const stored = await storedInScope(tx, scope)
      const detectedPrints = new Set(detected.map((f) => fingerprint(f.ruleId, f.entities)))
      const storedPrints = new Set(stored.map((f) => f.fingerprint))
      const resolving = stored
        .filter((f) => (OPEN_STATUSES as readonly string[]).includes(f.status) && !detectedPrints.has(f.fingerprint) && sees(f.marketCode))
        .map(({ marketCode: _m, ...f }) => f)
      const appearing: AppearingFinding[] = detected
        .filter((f) => sees(f.marketCode))
        .map((f) => ({ fingerprint: fingerprint(f.ruleId, f.entities), ruleId: f.ruleId, severity: severity.get(f.ruleId) ?? 'LOW', message: f.message, entities: f.entities }))
        .filter((f) => !storedPrints.has(f.fingerprint))
      const { merge } = applied
      preview = {
        type: group.type, survivor: merge.survivor, proposed: applied.proposed, reason: applied.reason, members: applied.members,
        fields: applied.fieldChoices, moves: merge.moves, resolving: sorted(resolving), appearing: sorted(appearing), version: applied.version,
      }
      throw rollback
    })
  } catch (e) {
    if (e !== rollback) mapMergeError(group)(e)
  }
  return preview!
}

/**
 * The stored findings a re-check of `scope` would reconcile: open and waived ones (a waived one detected again is
 * not new) of the rules run whole, and of the others those naming one of their subjects.
 */
async function storedInScope(tx: SqlClient, scope: ScopedRule[]): Promise<Array<ReportFinding & { marketCode: string | null }>> {
  const whole = scope.filter((r) => !r.subjects).map((r) => r.id)
  const subjects = scope.flatMap((r) => (r.subjects ?? []).map((e) => [r.id, e.type, e.key] as const))
  if (whole.length === 0 && subjects.length === 0) return []
  const statuses = [...OPEN_STATUSES, 'WAIVED']
  const { rows } = await tx.query<ReportFinding & { marketCode: string | null }>(
    `SELECT f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f.entities, f.details, f."marketCode"
       FROM finding f
      WHERE f.status::text = ANY($1::text[])
        AND (f."ruleId" = ANY($2::text[])
          OR f.id IN (SELECT fe."findingId" FROM unnest($3::text[], $4::text[], $5::text[]) AS s(r, t, k)
                        JOIN finding_entity fe ON fe."entityType" = s.t AND fe."entityKey" = s.k
                        JOIN finding g ON g.id = fe."findingId" AND g."ruleId" = s.r))`,
    [statuses, whole, subjects.map((s) => s[0]), subjects.map((s) => s[1]), subjects.map((s) => s[2])])
  return rows
}

const sorted = <T extends { ruleId: string; fingerprint: string }>(findings: T[]) =>
  findings.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.fingerprint < b.fingerprint ? -1 : 1))
