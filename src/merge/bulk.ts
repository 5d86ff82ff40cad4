// Merging every unambiguous group of a duplicate rule in one go (`sverka merge --from-findings`): picks the open
// findings whose group a person would merge without a second look, merges each with its proposed survivor and the
// default fields (no re-check per merge), then re-checks once over everything the merges touched.
import type { Principal } from '../access/scope.ts'
import type { Database } from '../db/database.ts'
import { eachConcurrently } from '../concurrency.ts'
import { ConflictError, InputError, SverkaError } from '../errors.ts'
import { recheck } from '../audits/run.ts'
import { OPEN_STATUSES } from '../engine/findings.ts'
import { loadEffectiveCatalog } from '../engine/overrides.ts'
import { tableOf, type EntityRef } from '../records/model.ts'
import { duplicateEntityOf, marksAmong } from './distinct.ts'
import { checkInput, describeMembers, lockMembers, mergeRecords, pickSurvivor, refuseMarked } from './merge.ts'
import type { MergeableType, MergeInput, SurvivorReason } from './types.ts'
import { BULK_RU } from '../i18n/ru-cli.ts'
import { MERGE_RU as MERGE_ERROR_RU } from '../i18n/ru-merge.ts'

/** Why a group was left alone, in the order the checks are made (the first that applies is given). */
export type SkipReason =
  /** the rule split an oversized group into parts (details.review): a person should look at the whole */
  | 'review'
  /** a member is in another open finding of the same rule: merging one would decide the other */
  | 'overlap'
  /** a member no longer exists (deleted or merged since the audit) */
  | 'missing'
  /** two members carry a live «not a duplicate» mark */
  | 'distinct'
  /** past --limit */
  | 'limit'

export const SKIP_REASONS: readonly SkipReason[] = ['review', 'overlap', 'missing', 'distinct', 'limit']

export interface BulkGroup {
  findingId: string
  fingerprint: string
  /** the members, as the finding names them */
  keys: string[]
  /** merged; planned (to be merged; a dry run ends there); skipped (see reason); failed (see error) */
  outcome: 'merged' | 'planned' | 'skipped' | 'failed'
  reason?: SkipReason
  /** the keys the reason is about: those gone, those in another finding, the marked pairs (`A/B`) */
  detail?: string[]
  survivor?: string
  /** why that survivor (dry run) */
  survivorReason?: SurvivorReason
  mergeId?: string
  /** the refusal, as the merge gave it (a member changed or was taken by a concurrent merge, a mark, a scope) */
  error?: string
  /** wall time of this group's merge (or preview), ms */
  ms?: number
}

export interface BulkMergeOptions {
  /** the duplicate rule (kind fuzzy-duplicate) whose open findings are merged */
  ruleId: string
  /** only findings of this market */
  market?: string
  dryRun?: boolean
  /** merge at most this many groups (the rest count as skipped, reason `limit`) */
  limit?: number
  actor: string
  asOf?: string
  rulesDir?: string
  /** merges at a time; default 8 on PostgreSQL (they mostly wait on round trips and commits), 1 on the embedded database (one connection) */
  concurrency?: number
  onProgress?: (done: number, total: number) => void
}

export interface BulkMergeReport {
  ruleId: string
  type: MergeableType
  market: string | null
  dryRun: boolean
  groups: BulkGroup[]
  counts: { groups: number; merged: number; planned: number; skipped: Record<SkipReason, number>; failed: number }
  /** the one re-check after the merges (null: dry run or nothing merged) */
  recheck: { runId: string; rules: string[]; changes: number; resolved: number; created: number; reopened: number; ms: number } | null
  /** of the merged groups' findings, how many are resolved after the re-check */
  resolvedGroups: number
  /** ms: choosing the groups, merging (or previewing) them, the re-check, all of it */
  timings: { select: number; merge: number; recheck: number; total: number }
}

interface OpenFinding { id: string; fingerprint: string; entities: EntityRef[]; review: boolean }

/** Merges the unambiguous groups of `ruleId`'s open findings; never throws for one group's refusal. */
export async function mergeFromFindings(db: Database, principal: Principal, options: BulkMergeOptions): Promise<BulkMergeReport> {
  const started = performance.now()
  const type = await duplicateRuleType(db, options.ruleId, options.rulesDir)
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) throw new InputError(BULK_RU.badLimit(String(options.limit)))
  const groups = await chooseGroups(db, type, options)
  const selectMs = performance.now() - started

  const todo = groups.filter((g) => g.outcome !== 'skipped')
  const concurrency = db.kind === 'pglite' ? 1 : Math.max(1, options.concurrency ?? 8)
  const changes = new Map<string, EntityRef>()
  const mergeStarted = performance.now()
  let done = 0
  // an unexpected error (not a domain refusal) stops new merges; what was merged is still re-checked, then it is thrown
  let fatal: { error: unknown } | undefined
  const retry: BulkGroup[] = []

  const one = async (group: BulkGroup, retried: boolean) => {
    const t = performance.now()
    const input = { type, keys: group.keys, findingId: group.findingId }
    try {
      if (options.dryRun) {
        const planned = await planMerge(db, principal, input)
        Object.assign(group, { outcome: 'planned', survivor: planned.survivor, survivorReason: planned.reason })
      } else {
        const result = await mergeRecords(db, principal, input, { actor: options.actor, asOf: options.asOf, rulesDir: options.rulesDir, recheck: false })
        Object.assign(group, { outcome: 'merged', survivor: result.merge.survivor, mergeId: result.merge.id })
        for (const c of result.changes) changes.set(`${c.type}\u0000${c.key}`, c)
      }
    } catch (error) {
      if (!retried && isTransient(error)) {
        // two merges side by side that met on a shared row (a deadlock, a serialization failure): again, alone, at the end
        retry.push(group)
        return
      }
      if (!(error instanceof SverkaError)) throw error
      Object.assign(group, { outcome: 'failed', error: error.message.split('\n')[0] })
    } finally {
      group.ms = Math.round(performance.now() - t)
    }
    options.onProgress?.(++done, todo.length)
  }

  try {
    await eachConcurrently(todo, concurrency, (group) => one(group, false))
  } catch (error) {
    fatal = { error }
  }
  for (const group of retry) {
    if (fatal) break
    try {
      await one(group, true)
    } catch (error) {
      fatal = { error }
    }
  }
  const mergeMs = performance.now() - mergeStarted

  // one re-check over all that moved: the merged findings resolve, what the merges made appear is raised
  let recheckReport: BulkMergeReport['recheck'] = null
  const recheckStarted = performance.now()
  if (changes.size > 0) {
    const result = await recheck(db, [...changes.values()], { actor: options.actor, asOf: options.asOf, rulesDir: options.rulesDir })
    recheckReport = {
      runId: result.runId, rules: result.rules, changes: changes.size,
      resolved: result.resolved.length, created: result.created.length, reopened: result.reopened.length, ms: result.ms,
    }
  }
  const recheckMs = performance.now() - recheckStarted
  if (fatal) throw fatal.error

  const merged = groups.filter((g) => g.outcome === 'merged')
  const resolvedGroups = merged.length === 0 ? 0 : (await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM finding WHERE id = ANY($1::uuid[]) AND status = 'RESOLVED'`, [merged.map((g) => g.findingId)])).rows[0].n
  const skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>
  for (const g of groups) if (g.outcome === 'skipped') skipped[g.reason!]++
  return {
    ruleId: options.ruleId, type, market: options.market ?? null, dryRun: options.dryRun ?? false, groups,
    counts: {
      groups: groups.length, merged: merged.length, planned: groups.filter((g) => g.outcome === 'planned').length,
      skipped, failed: groups.filter((g) => g.outcome === 'failed').length,
    },
    recheck: recheckReport,
    resolvedGroups,
    timings: { select: Math.round(selectMs), merge: Math.round(mergeMs), recheck: Math.round(recheckMs), total: Math.round(performance.now() - started) },
  }
}

const ROLLBACK = new Error('a planned merge is never stored')

/**
 * What a dry run says of a group: the survivor and why, after the checks the merge itself makes (members there and
 * seen, no «not a duplicate» mark between them) — A's steps inside a transaction that is rolled back. Not the full
 * preview (previewMerge): that re-runs detection around each group, seconds apiece at a million addresses.
 */
async function planMerge(db: Database, principal: Principal, input: MergeInput): Promise<{ survivor: string; reason: SurvivorReason }> {
  const group = await checkInput(db.sql, principal, input)
  let planned: { survivor: string; reason: SurvivorReason } | undefined
  try {
    await db.sql.transaction(async (tx) => {
      const locked = await lockMembers(tx, principal, group)
      await refuseMarked(tx, group)
      const { survivor, reason } = pickSurvivor(group, await describeMembers(tx, group, locked))
      planned = { survivor, reason }
      throw ROLLBACK
    })
  } catch (error) {
    if (error !== ROLLBACK) throw error
  }
  return planned!
}

/** The record type a duplicate rule groups; InputError when the rule is unknown or groups nothing mergeable. */
async function duplicateRuleType(db: Database, ruleId: string, rulesDir?: string): Promise<MergeableType> {
  const catalog = await loadEffectiveCatalog(db, rulesDir)
  const duplicateRules = () => catalog.rules.filter((r) => duplicateEntityOf(r) !== null).map((r) => r.id)
  const rule = catalog.get(ruleId)
  if (!rule) throw new InputError(BULK_RU.unknownRule(ruleId, duplicateRules()))
  const type = duplicateEntityOf(rule)
  if (type === null) throw new InputError(BULK_RU.notDuplicateRule(ruleId, duplicateRules()))
  return type
}

/** The rule's open findings (of the market), each with its outcome so far: to merge, or skipped and why. */
async function chooseGroups(db: Database, type: MergeableType, options: BulkMergeOptions): Promise<BulkGroup[]> {
  const open = [...OPEN_STATUSES]
  const { rows } = await db.sql.query<OpenFinding>(`
    SELECT f.id, f.fingerprint, f.entities, (f.details ? 'review') AS review
    FROM finding f
    WHERE f."ruleId" = $1 AND f.status::text = ANY($2::text[]) AND ($3::text IS NULL OR f."marketCode" = $3::text)
    ORDER BY f."firstSeenAt", f.fingerprint`, [options.ruleId, open, options.market ?? null])
  // a member of two open findings of the rule (in any market: the other finding is just as open)
  const shared = new Set((await db.sql.query<{ key: string }>(`
    SELECT fe."entityKey" AS key FROM finding_entity fe JOIN finding f ON f.id = fe."findingId"
    WHERE f."ruleId" = $1 AND f.status::text = ANY($2::text[]) AND fe."entityType" = $3
    GROUP BY fe."entityKey" HAVING count(*) > 1`, [options.ruleId, open, type])).rows.map((r) => r.key))
  const keysOf = (f: OpenFinding) => f.entities.filter((e) => e.type === type).map((e) => e.key)
  const all = [...new Set(rows.flatMap(keysOf))]
  const { table, key } = tableOf(type)
  const existing = new Set((await db.sql.query<{ key: string }>(
    `SELECT "${key}" AS key FROM "${table}" WHERE "${key}" = ANY($1::text[])`, [all])).rows.map((r) => r.key))
  const marks = (await marksAmong(db.sql, type, all)).map(({ keys: [a, b] }) => ({ a, b }))

  let mergeable = 0
  return rows.map((f): BulkGroup => {
    const keys = keysOf(f)
    // planned until merged (or refused): a dry run leaves it so
    const group: BulkGroup = { findingId: f.id, fingerprint: f.fingerprint, keys, outcome: 'planned' }
    const inGroup = new Set(keys)
    const skip = (reason: SkipReason, detail?: string[]) => Object.assign(group, { outcome: 'skipped', reason, ...(detail?.length ? { detail } : {}) })
    const overlapping = keys.filter((k) => shared.has(k))
    const missing = keys.filter((k) => !existing.has(k))
    const marked = marks.filter((m) => inGroup.has(m.a) && inGroup.has(m.b)).map((m) => `${m.a}/${m.b}`)
    if (f.review) return skip('review')
    if (overlapping.length) return skip('overlap', overlapping)
    if (missing.length) return skip('missing', missing)
    if (marked.length) return skip('distinct', marked)
    if (keys.length < 2) return skip('missing')
    if (options.limit !== undefined && mergeable >= options.limit) return skip('limit')
    mergeable++
    return group
  })
}

/**
 * A failure that says nothing about the group: the database gave up on the transaction because of another one (a
 * deadlock, a serialization failure — merge.ts gives them as Conflict «changed meanwhile», the merge's own answer).
 */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '40P01' || code === '40001' || (error instanceof ConflictError && error.message === MERGE_ERROR_RU.changedMeanwhile)
}
