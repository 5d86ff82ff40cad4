// «Not a duplicate» marks: a specialist says two or more records of a duplicate finding are distinct. Each pair
// becomes a live mark (distinct_mark, one live mark a pair; a removed mark stays as history), the finding's
// history gets an event, and the incremental re-check runs at once, so the finding splits into the groups of the
// pairs nobody marked (the fuzzy-duplicate detector never reports a marked pair together). Only this module writes
// distinct_mark, except the merge, which re-points the marks of merged members (src/merge/merge.ts).
import { can } from '../access/permissions.ts'
import { visibleSql, type Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { recheckForCaller } from '../audits/after-write.ts'
import { fuzzyDuplicateParams, markedPairs } from '../engine/detectors/fuzzy-duplicate.ts'
import type { ReportFinding } from '../engine/findings.ts'
import { prepareRecheck } from '../engine/incremental.ts'
import { loadEffectiveCatalog } from '../engine/overrides.ts'
import { compareKeys } from '../engine/detector.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed, type FieldProblem } from '../errors.ts'
import { DISTINCT_RU } from '../i18n/ru-distinct.ts'
import { ACCESS_RU } from '../i18n/ru-errors.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { moduleLogger } from '../logger.ts'
import { tableOf, type EntityRef } from '../records/model.ts'
import { byteOrder } from './merge.ts'
import { isMergeableType, MERGEABLE_TYPES, type DistinctMarkRecord, type MergeableType } from './types.ts'

const log = moduleLogger('distinct')

/** The detector kind whose findings are duplicate groups: the only findings a mark can be made on. */
export const DUPLICATE_KIND = 'fuzzy-duplicate'

/** The longest reason a mark (or its removal) keeps. */
export const REASON_MAX = 1000

export interface MarkDistinctInput {
  /** the duplicate finding (its id or fingerprint) the records were reported together in */
  findingId: string
  /** two or more of its records (business keys): every pair of them is marked */
  keys: string[]
  /** why they are distinct (required) */
  reason: string
}

export interface DistinctOptions {
  /** who the marks, the events and the re-check's run are attributed to */
  actor: string
  /** the re-check's reference date, YYYY-MM-DD; default today */
  asOf?: string
  rulesDir?: string
  /** where the re-check goes when it fails in the request (the marks are stored by then) */
  jobs?: JobQueue
}

export interface MarkDistinctResult {
  /** the marks of every pair asked for: new ones, and those already live (kept, not duplicated) */
  marks: DistinctMarkRecord[]
  /** findings the re-check resolved (the group that split), those the caller sees */
  resolved: ReportFinding[]
  /** findings the re-check raised or reopened (the parts), those the caller sees */
  caused: ReportFinding[]
  /** the re-check failed in the request and was queued (resolved and caused are then empty) */
  recheckQueued?: boolean
}

export interface RemoveDistinctMarkResult {
  mark: DistinctMarkRecord
  resolved: ReportFinding[]
  caused: ReportFinding[]
  recheckQueued?: boolean
}

export interface DistinctMarkFilter {
  type?: MergeableType
  /** marks naming this record */
  key?: string
  /** marks made on this finding (its id) */
  findingId?: string
  /** removed marks too (default: live ones only) */
  includeRemoved?: boolean
}

/** A page of marks, newest first: `first` of them after the cursor `after` (a mark's id), or before `before`. */
export interface DistinctMarkPage {
  first?: number
  after?: string
  before?: string
  /** read the page towards newer marks (the rows still come newest first) */
  inverted?: boolean
}

interface MarkRow {
  id: number
  entityType: string
  keyA: string
  keyB: string
  reason: string
  actor: string
  createdAt: Date
  findingId: string | null
  removedAt: Date | null
  removedBy: string | null
  removeReason: string | null
}

const MARK_COLUMNS = `m.id, m."entityType", m."keyA", m."keyB", m.reason, m.actor, m."createdAt", m."findingId"::text AS "findingId",
  m."removedAt", m."removedBy", m."removeReason"`

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// ─── public API ───

/**
 * Marks every pair of `input.keys` «not a duplicate» on a duplicate finding, records a `marked-distinct` event on it
 * and re-checks the finding's records, so the finding splits at once. ValidationFailed (in Russian, field by field)
 * for a reason left blank, fewer than two keys or keys not in the finding; NotFound for a finding (or record) the
 * caller does not see; Forbidden without the mergeRecords permission.
 */
export async function markDistinct(db: Database, principal: Principal, input: MarkDistinctInput, options: DistinctOptions): Promise<MarkDistinctResult> {
  mayMark(principal, 'markDistinct')
  const actor = actorOf(options)
  const problems: FieldProblem[] = []
  const reason = checkReason(input.reason, true, problems)
  const keys = (input.keys ?? []).map((k) => String(k).trim())
  const repeated = keys.find((k, i) => keys.indexOf(k) !== i)
  if (repeated !== undefined) problems.push({ field: 'keys', code: 'DUPLICATE', message: DISTINCT_RU.repeatedKey(repeated) })
  else if (keys.length < 2) problems.push({ field: 'keys', code: 'TOO_FEW', message: DISTINCT_RU.tooFewKeys })
  const ref = String(input.findingId ?? '').trim()
  if (!ref) problems.push({ field: 'findingId', code: 'REQUIRED', message: DISTINCT_RU.findingNotFound(ref) })
  if (problems.length > 0) throw new ValidationFailed(problems)

  const finding = await visibleFinding(db.sql, principal, ref)
  const type = await duplicateTypeOf(db, finding.ruleId, options.rulesDir)
  const subjects = finding.entities.filter((e) => e.type === type).map((e) => e.key)
  const outside = keys.filter((k) => !subjects.includes(k))
  if (outside.length > 0) throw new ValidationFailed([{ field: 'keys', code: 'NOT_IN_FINDING', message: DISTINCT_RU.notInFinding(outside, subjects) }])
  await requireVisibleRecords(db.sql, principal, type, keys)

  const sorted = [...keys].sort(compareKeys)
  // stored in PostgreSQL's "C" order (UTF-8 bytes), which the table's check holds keyA < keyB to
  const pairs = sorted.flatMap((a, i) => sorted.slice(i + 1).map((b) => (byteOrder(a, b) < 0 ? [a, b] as const : [b, a] as const)))
  // the finding's records, not only the marked ones: the plan taken now remembers the whole group
  const changes = subjects.map((key): EntityRef => ({ type, key }))
  const before = await prepareRecheck(db, changes, { rulesDir: options.rulesDir })
  const marks = await db.sql.transaction(async (tx) => {
    const { rows: created } = await tx.query<{ id: number }>(
      `INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor, "findingId")
       SELECT $1, a, b, $4, $5, $6::uuid FROM unnest($2::text[], $3::text[]) AS p(a, b)
       ON CONFLICT ("entityType", "keyA", "keyB") WHERE "removedAt" IS NULL DO NOTHING
       RETURNING id`,
      [type, pairs.map((p) => p[0]), pairs.map((p) => p[1]), reason, actor, finding.id])
    const { rows } = await tx.query<MarkRow>(
      `SELECT ${MARK_COLUMNS} FROM distinct_mark m JOIN unnest($2::text[], $3::text[]) AS p(a, b) ON m."keyA" = p.a AND m."keyB" = p.b
        WHERE m."entityType" = $1 AND m."removedAt" IS NULL ORDER BY m."keyA" COLLATE "C", m."keyB" COLLATE "C"`,
      [type, pairs.map((p) => p[0]), pairs.map((p) => p[1])])
    const createdIds = new Set(created.map((r) => r.id))
    await addEvent(tx, finding.id, actor, 'marked-distinct', reason, {
      markIds: rows.map((r) => r.id),
      // pairs marked before (on this finding or another) are kept as they are, and said so
      keptIds: rows.filter((r) => !createdIds.has(r.id)).map((r) => r.id),
      keys: sorted,
    })
    return rows.map(markOf)
  })
  log.info({ findingId: finding.id, type, keys: sorted, marks: marks.map((m) => m.id), actor }, 'records marked not a duplicate')
  const { recheck: _r, ...rechecked } = await recheckForCaller(db, principal, changes, before, { ...options, what: 'distinct' })
  return { marks, ...rechecked }
}

/**
 * Removes a live mark (it stays as history with who, when and why), records a `distinct-mark-removed` event on the
 * finding it was made on, and re-checks the pair: the group comes back as one (its old finding reopens). NotFound
 * for a mark naming a record the caller does not see; Conflict for one removed already.
 */
export async function removeDistinctMark(db: Database, principal: Principal, id: number, options: DistinctOptions & { reason?: string | null }): Promise<RemoveDistinctMarkResult> {
  mayMark(principal, 'removeDistinctMark')
  const actor = actorOf(options)
  const problems: FieldProblem[] = []
  const reason = checkReason(options.reason ?? null, false, problems)
  if (problems.length > 0) throw new ValidationFailed(problems)
  const found = Number.isSafeInteger(id) ? await markById(db.sql, id) : null
  if (!found || !isMergeableType(found.entityType)) throw new NotFoundError(DISTINCT_RU.markNotFound(id))
  const type = found.entityType
  if (!(await recordsVisible(db.sql, principal, type, [found.keyA, found.keyB]))) throw new NotFoundError(DISTINCT_RU.markNotFound(id))
  if (found.removedAt) throw new ConflictError(DISTINCT_RU.alreadyRemoved(id, found.removedAt.toISOString(), found.removedBy ?? ''))

  const changes: EntityRef[] = [{ type, key: found.keyA }, { type, key: found.keyB }]
  const before = await prepareRecheck(db, changes, { rulesDir: options.rulesDir })
  const mark = await db.sql.transaction(async (tx) => {
    const { rows: [row] } = await tx.query<MarkRow>(
      `UPDATE distinct_mark m SET "removedAt" = now(), "removedBy" = $2, "removeReason" = $3
        WHERE m.id = $1 AND m."removedAt" IS NULL RETURNING ${MARK_COLUMNS}`, [id, actor, reason])
    // removed meanwhile by someone else: theirs stands
    if (!row) throw new ConflictError(DISTINCT_RU.alreadyRemoved(id, new Date().toISOString(), ''))
    if (row.findingId) {
      await addEvent(tx, row.findingId, actor, 'distinct-mark-removed', reason, { markId: row.id, keys: [row.keyA, row.keyB] })
    }
    return markOf(row)
  })
  log.info({ id, type, keys: mark.keys, actor }, 'not-a-duplicate mark removed')
  const { recheck: _r, ...rechecked } = await recheckForCaller(db, principal, changes, before, { ...options, what: 'distinct' })
  return { mark, ...rechecked }
}

/**
 * Marks the caller may see (both records visible to a key limited to markets), newest first, filtered; `page`
 * pages them by id. Live ones only unless `includeRemoved`.
 */
export async function listDistinctMarks(sql: SqlClient, principal: Principal, filter: DistinctMarkFilter & DistinctMarkPage = {}): Promise<DistinctMarkRecord[]> {
  const params: unknown[] = []
  const where: string[] = []
  if (filter.type) {
    if (!isMergeableType(filter.type)) throw new ValidationFailed([{ field: 'type', code: 'INVALID', message: DISTINCT_RU.unknownType(String(filter.type), MERGEABLE_TYPES) }])
    where.push(`m."entityType" = $${params.push(filter.type)}`)
  }
  if (filter.key != null) where.push(`(m."keyA" = $${params.push(filter.key)} OR m."keyB" = $${params.length})`)
  if (filter.findingId != null) {
    // a finding's id is a uuid: anything else finds no mark rather than failing the cast
    if (!UUID.test(filter.findingId)) return []
    where.push(`m."findingId" = $${params.push(filter.findingId)}::uuid`)
  }
  if (!filter.includeRemoved) where.push('m."removedAt" IS NULL')
  const cursor = (c: string | undefined) => (c !== undefined && /^\d{1,15}$/.test(c) ? Number(c) : undefined)
  const after = cursor(filter.after), before = cursor(filter.before)
  if (after !== undefined) where.push(`m.id < $${params.push(after)}`)
  if (before !== undefined) where.push(`m.id > $${params.push(before)}`)
  if (principal.markets !== null) {
    const p = `$${params.push(principal.markets)}`
    where.push(MERGEABLE_TYPES.map((t) => `(m."entityType" = '${t}' AND ${[`"keyA"`, `"keyB"`].map((k) => {
      const { table, key } = tableOf(t)
      return `EXISTS (SELECT 1 FROM "${table}" x WHERE x."${key}" = m.${k} AND ${visibleSql(t, 'x', p)})`
    }).join(' AND ')})`).join(' OR '))
  }
  const limit = filter.first ?? 50
  const { rows } = await sql.query<MarkRow>(
    `SELECT ${MARK_COLUMNS} FROM distinct_mark m ${where.length ? `WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : ''}
      ORDER BY m.id ${filter.inverted ? 'ASC' : 'DESC'} LIMIT $${params.push(limit)}`, params)
  const marks = rows.map(markOf)
  return filter.inverted ? marks.reverse() : marks
}

/** The live marks among `keys` of a type (all of the type without `keys`), as pair ids `${keyA}\u0000${keyB}`. */
export async function livePairs(sql: SqlClient, type: MergeableType, keys?: string[]): Promise<Set<string>> {
  const pairs = await markedPairs(sql, type, keys)
  if (!keys) return pairs
  const among = new Set(keys)
  return new Set([...pairs].filter((p) => p.split('\u0000').every((k) => among.has(k))))
}

/** The live marks between subjects of a finding (both records among them). */
export async function marksAmong(sql: SqlClient, type: MergeableType, keys: readonly string[]): Promise<DistinctMarkRecord[]> {
  if (keys.length < 2) return []
  const { rows } = await sql.query<MarkRow>(
    `SELECT ${MARK_COLUMNS} FROM distinct_mark m
      WHERE m."entityType" = $1 AND m."removedAt" IS NULL AND m."keyA" = ANY($2::text[]) AND m."keyB" = ANY($2::text[])
      ORDER BY m."keyA" COLLATE "C", m."keyB" COLLATE "C"`, [type, [...keys]])
  return rows.map(markOf)
}

// ─── checks ───

function mayMark(principal: Principal, field: string) {
  if (!can(principal.role, 'mergeRecords')) throw new ForbiddenError(ACCESS_RU.forbiddenRole(principal.role, field))
}

function actorOf(options: DistinctOptions): string {
  const actor = options.actor?.trim()
  if (!actor) throw new ValidationFailed([{ field: 'actor', code: 'REQUIRED', message: DISTINCT_RU.actorRequired }])
  return actor
}

function checkReason(value: string | null | undefined, required: boolean, problems: FieldProblem[]): string | null {
  const reason = typeof value === 'string' ? value.trim() : ''
  if (!reason) {
    if (required) problems.push({ field: 'reason', code: 'REQUIRED', message: DISTINCT_RU.reasonRequired })
    return null
  }
  if (reason.length > REASON_MAX) problems.push({ field: 'reason', code: 'TOO_LONG', message: DISTINCT_RU.reasonTooLong(REASON_MAX) })
  return reason
}

interface FindingRow { id: string; ruleId: string; status: string; marketCode: string | null; entities: EntityRef[] }

/** The finding by id or fingerprint; NotFound, with the same text, when there is none or the caller may not see it. */
async function visibleFinding(sql: SqlClient, principal: Principal, ref: string): Promise<FindingRow> {
  const { rows: [row] } = await sql.query<FindingRow>(
    `SELECT f.id::text AS id, f."ruleId", f.status::text AS status, f."marketCode", f.entities FROM finding f
      WHERE f.fingerprint = $1 ${UUID.test(ref) ? 'OR f.id = $2::uuid' : ''}`, UUID.test(ref) ? [ref, ref] : [ref])
  if (!row || (principal.markets !== null && (row.marketCode === null || !principal.markets.includes(row.marketCode)))) {
    throw new NotFoundError(DISTINCT_RU.findingNotFound(ref))
  }
  return row
}

/** The record type a rule groups when it is a duplicate rule (kind fuzzy-duplicate); null for any other rule. */
export function duplicateEntityOf(rule: { kind: string; params: unknown } | undefined): MergeableType | null {
  const params = rule?.kind === DUPLICATE_KIND ? fuzzyDuplicateParams.safeParse(rule.params) : null
  return params?.success ? params.data.entity : null
}

/** The record type of a duplicate rule's findings; ValidationFailed for a finding of any other rule. */
async function duplicateTypeOf(db: Database, ruleId: string, rulesDir?: string): Promise<MergeableType> {
  const type = duplicateEntityOf((await loadEffectiveCatalog(db, rulesDir)).rules.find((r) => r.id === ruleId))
  if (type === null) throw new ValidationFailed([{ field: 'findingId', code: 'NOT_DUPLICATE', message: DISTINCT_RU.notDuplicateFinding(ruleId) }])
  return type
}

/** Every key is a stored record the caller sees; NotFound naming the first that is not. */
async function requireVisibleRecords(sql: SqlClient, principal: Principal, type: MergeableType, keys: string[]) {
  const seen = await visibleKeys(sql, principal, type, keys)
  const missing = keys.find((k) => !seen.has(k))
  if (missing !== undefined) throw new NotFoundError(DISTINCT_RU.keyNotFound(type, missing))
}

async function recordsVisible(sql: SqlClient, principal: Principal, type: MergeableType, keys: string[]): Promise<boolean> {
  if (principal.markets === null) return true
  const seen = await visibleKeys(sql, principal, type, keys)
  return keys.every((k) => seen.has(k))
}

async function visibleKeys(sql: SqlClient, principal: Principal, type: MergeableType, keys: string[]): Promise<Set<string>> {
  const { table, key } = tableOf(type)
  const scoped = principal.markets !== null
  const { rows } = await sql.query<{ k: string }>(
    `SELECT x."${key}" AS k FROM "${table}" x WHERE x."${key}" = ANY($1::text[]) ${scoped ? `AND ${visibleSql(type, 'x', '$2')}` : ''}`,
    scoped ? [keys, principal.markets] : [keys])
  return new Set(rows.map((r) => r.k))
}

// ─── storage ───

async function markById(sql: SqlClient, id: number): Promise<MarkRow | null> {
  const { rows: [row] } = await sql.query<MarkRow>(`SELECT ${MARK_COLUMNS} FROM distinct_mark m WHERE m.id = $1`, [id])
  return row ?? null
}

function markOf(r: MarkRow): DistinctMarkRecord {
  return {
    id: r.id, type: r.entityType as MergeableType, keys: [r.keyA, r.keyB], reason: r.reason, actor: r.actor, createdAt: new Date(r.createdAt),
    findingId: r.findingId, removedAt: r.removedAt ? new Date(r.removedAt) : null, removedBy: r.removedBy, removeReason: r.removeReason,
  }
}

/** An event in the finding's history; its status stays (the re-check moves it, with events of its own). */
async function addEvent(tx: SqlClient, findingId: string, actor: string, action: string, reason: string | null, data: Record<string, unknown>) {
  await tx.query(
    `INSERT INTO finding_event ("findingId", actor, action, "fromStatus", "toStatus", reason, data)
     SELECT f.id, $2, $3, f.status, f.status, $4, $5::jsonb FROM finding f WHERE f.id = $1::uuid`,
    [findingId, actor, action, reason, JSON.stringify(data)])
}

