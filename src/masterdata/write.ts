// Master-data writes outside the importer: create, update (a patch) and delete of one record, and the same
// check without storing. A record goes through the record model's validation, normalisation and upsert (the
// importer's too), so it ends up exactly as the same CSV row would; the market scope of the caller is enforced here; every write is
// followed by the incremental re-check of the rules it can affect.
import type { Principal } from '../access/scope.ts'
import { visibleSql } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { loadEffectiveCatalog } from '../engine/overrides.ts'
import { fingerprint } from '../engine/fingerprint.ts'
import type { ReportFinding } from '../engine/findings.ts'
import { recheckForCaller } from '../audits/after-write.ts'
import { checkCandidate, prepareRecheck, type CandidateType, type RecheckResult } from '../engine/incremental.ts'
import type { Severity } from '../engine/types.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed } from '../errors.ts'
import { ALIAS_RU, RECORD_RU } from '../i18n/ru-records.ts'
import { resolveAlias } from '../merge/aliases.ts'
import { isMergeableType } from '../merge/types.ts'
import type { CheckedRecord } from '../records/check.ts'
import { recordSpec, referrersOf, tableOf, type EntityRef, type EntityType } from '../records/model.ts'
import { storedValues } from '../records/stored.ts'
import { buildPlan, syncLinks, upsert } from '../records/write-plan.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { moduleLogger } from '../logger.ts'
import { checkRecord, findRecord, PROBLEM, type RecordValues } from './record.ts'

const log = moduleLogger('masterdata')

export type { RecordValues }

export interface WriteOptions {
  /** who the re-check's run and the findings' events are attributed to */
  actor: string
  /** the re-check's reference date, YYYY-MM-DD; default today */
  asOf?: string
  rulesDir?: string
  /** where the re-check goes when it cannot run in the request (the write is stored by then): nothing is lost */
  jobs?: JobQueue
}

export interface WriteResult {
  type: EntityType
  key: string
  /** findings the write raised or brought back (created and reopened), those the caller may see */
  caused: ReportFinding[]
  /** findings the write made go away, those the caller may see */
  resolved: ReportFinding[]
  /** the re-check; null when the write changed nothing, so there was nothing to re-check, or when it was queued */
  recheck: RecheckResult | null
  /** the re-check failed in the request and was queued as a job (options.jobs) */
  recheckQueued?: boolean
}

/** A finding a record would cause: `status` is that of the stored finding when it is already on record, else null. */
export interface CandidateFinding {
  fingerprint: string
  ruleId: string
  severity: Severity
  status: string | null
  message: string
  entities: EntityRef[]
  details: Record<string, unknown>
}

/** How many referring keys a refusal names before it says «and N more». */
const NAMED_REFERRERS = 10

// ─── public API ───

/** Creates a record; Conflict when its key is taken. `values` are import columns (absent = empty). */
export async function createRecord(db: Database, principal: Principal, type: EntityType, values: RecordValues, options: WriteOptions): Promise<WriteResult> {
  mayWriteType(principal, type)
  const spec = recordSpec(type)
  const key = keyOf(values[spec.key.csv])
  if (key !== null && await findRecord(db.sql, principal, type, key)) throw exists(type, key)
  // a merged member's key stands for its survivor: creating it again would bring the duplicate back
  const survivor = key === null ? null : await visibleSurvivor(db.sql, principal, type, key)
  if (survivor !== null) throw survivor === '' ? exists(type, key!) : new ConflictError(ALIAS_RU.exists(type, key!, survivor))
  const record = await checkRecord(db.sql, principal, type, values)
  return write(db, principal, record, 'create', options)
}

/**
 * Updates a record by key with the given import columns (a patch: absent columns keep their stored values,
 * null clears one). NotFound when there is none the principal may see.
 */
export async function updateRecord(db: Database, principal: Principal, type: EntityType, key: string, patch: RecordValues, options: WriteOptions): Promise<WriteResult> {
  mayWriteType(principal, type)
  const merged = await mergedValues(db.sql, principal, type, key, patch)
  if (!merged) throw await notFoundOrAlias(db.sql, principal, type, key)
  const record = await checkRecord(db.sql, principal, type, merged.values, merged.stored)
  return write(db, principal, record, 'update', options)
}

/** Deletes a record by key; Conflict naming what still refers to it, NotFound when there is none the principal may see. */
export async function deleteRecord(db: Database, principal: Principal, type: EntityType, key: string, options: WriteOptions): Promise<WriteResult> {
  mayWriteType(principal, type)
  const found = await findRecord(db.sql, principal, type, key)
  if (!found?.visible) throw await notFoundOrAlias(db.sql, principal, type, key)
  await refuseIfReferred(db.sql, principal, type, key, found.id)
  const ref: EntityRef = { type, key }
  const before = await prepareRecheck(db, [ref], { rulesDir: options.rulesDir })
  const { table, key: keyColumn } = tableOf(type)
  const deleted = await db.sql.transaction(async (tx) => {
    // referrers may have come since the check: the one that would be refused is checked again in the transaction
    await refuseIfReferred(tx, principal, type, key, found.id)
    const { rows } = await tx.query(`DELETE FROM "${table}" WHERE "${keyColumn}" = $1 RETURNING id`, [key])
    return rows.length
  }).catch(mapWriteError(type, key))
  if (deleted === 0) throw notFound(type, key)
  log.info({ type, key, actor: options.actor }, 'record deleted')
  return { type, key, ...await recheckForCaller(db, principal, [ref], before, { ...options, what: 'write' }) }
}

/**
 * The findings a record would cause if written, without storing it: a record whose key exists (and the caller
 * sees) is merged over the stored one as an update would be; else it is checked as a new record.
 */
export async function checkRecordConflicts(db: Database, principal: Principal, type: CandidateType, values: RecordValues, options: Omit<WriteOptions, 'actor'> = {}): Promise<CandidateFinding[]> {
  mayWriteType(principal, type)
  const spec = recordSpec(type)
  const key = keyOf(values[spec.key.csv])
  let merged: { values: RecordValues; stored?: RecordValues } = { values }
  if (key !== null) {
    // a key taken by a record the caller may not see is answered as createRecord answers it: taken, and
    // nothing of that record (checking the candidate over it would show its neighbours)
    const found = await findRecord(db.sql, principal, type, key)
    if (found && !found.visible) throw exists(type, key)
    if (found) merged = (await mergedValues(db.sql, principal, type, key, values)) ?? merged
    else {
      // a merged member's key: refused as createRecord refuses it (a record under it would be the duplicate again)
      const survivor = await visibleSurvivor(db.sql, principal, type, key)
      if (survivor !== null) throw survivor === '' ? exists(type, key) : new ConflictError(ALIAS_RU.exists(type, key, survivor))
    }
  }
  const record = await checkRecord(db.sql, principal, type, merged.values, merged.stored)
  const detected = await checkCandidate(db, { type, checked: record }, { asOf: options.asOf, rulesDir: options.rulesDir })
  const visible = detected.filter((f) => principal.markets === null || (f.marketCode !== null && principal.markets.includes(f.marketCode)))
  if (visible.length === 0) return []
  const catalog = await loadEffectiveCatalog(db, options.rulesDir)
  const severity = new Map(catalog.rules.map((r) => [r.id, r.severity]))
  const prints = visible.map((f) => fingerprint(f.ruleId, f.entities))
  const { rows } = await db.sql.query<{ fingerprint: string; status: string }>(
    `SELECT fingerprint, status::text AS status FROM finding WHERE fingerprint = ANY($1::text[]) AND status::text <> 'RESOLVED'`, [prints])
  const stored = new Map(rows.map((r) => [r.fingerprint, r.status]))
  return visible.map((f, i) => ({
    fingerprint: prints[i], ruleId: f.ruleId, severity: severity.get(f.ruleId) ?? 'LOW', status: stored.get(prints[i]) ?? null,
    message: f.message, entities: f.entities, details: f.details,
  }))
}

// ─── the write ───

async function write(db: Database, principal: Principal, record: CheckedRecord, mode: 'create' | 'update', options: WriteOptions): Promise<WriteResult> {
  const type = record.spec.entity
  const ref: EntityRef = { type, key: record.key }
  const before = await prepareRecheck(db, [ref], { rulesDir: options.rulesDir })
  const plan = buildPlan(record.spec, record.header)
  const changed = await db.sql.transaction(async (tx) => {
    const written = await upsert(tx, plan, [record.pending], record.ids, false)
    // the key was free when checked; taken meanwhile, the upsert updated someone else's record: undone
    if (mode === 'create' && written.get(record.key) !== true) throw exists(type, record.key)
    if (mode === 'update' && written.get(record.key) === true) throw notFound(type, record.key)
    let linksChanged = false
    if (plan.listColumn) linksChanged = (await syncLinks(tx, plan, [record.pending], record.ids)).length > 0
    return written.size > 0 || linksChanged
  }).catch(mapWriteError(type, record.key))
  log.info({ type, key: record.key, mode, changed, actor: options.actor }, 'record written')
  if (!changed) return { type, key: record.key, caused: [], resolved: [], recheck: null }
  return { type, key: record.key, ...await recheckForCaller(db, principal, [ref], before, { ...options, what: 'write' }) }
}

/** The stored record (as import values) with the patch over it; null when there is none the principal sees. */
async function mergedValues(sql: SqlClient, principal: Principal, type: EntityType, key: string, patch: RecordValues): Promise<{ values: RecordValues; stored: RecordValues } | null> {
  const found = await findRecord(sql, principal, type, key)
  if (!found?.visible) return null
  const stored = await storedValues(sql, type, key)
  if (!stored) return null
  const keyColumn = recordSpec(type).key.csv
  const given = patch[keyColumn]
  if (given !== undefined && keyOf(given) !== key) {
    throw new ValidationFailed([{ field: keyColumn, code: PROBLEM.keyChange, message: RECORD_RU.keyChange(keyColumn, type) }])
  }
  const merged: RecordValues = { ...stored }
  for (const [column, value] of Object.entries(patch)) if (value !== undefined) merged[column] = value
  merged[keyColumn] = key
  return { values: merged, stored }
}

/** Refuses a delete while other records refer to this one, naming those the caller may see (the others neither named nor counted). */
async function refuseIfReferred(sql: SqlClient, principal: Principal, type: EntityType, key: string, id: number) {
  const parts: string[] = []
  let hiddenOnly = false
  for (const r of referrersOf(type)) {
    const scoped = principal.markets !== null
    const { rows } = await sql.query<{ k: string; visible: boolean }>(
      `SELECT q.k, q.visible FROM (${r.sql.replace('SELECT ', `SELECT ${scoped ? visibleSql(r.type, 'x', '$2') : 'true'} AS visible, `)}) q ORDER BY q.k LIMIT 1000`,
      scoped ? [id, principal.markets] : [id])
    if (rows.length === 0) continue
    const named = rows.filter((row) => row.visible).map((row) => row.k)
    if (named.length === 0) {
      // only records the caller may not see refer to it: say so without naming or counting them
      hiddenOnly = true
      continue
    }
    const shown = named.slice(0, NAMED_REFERRERS)
    const more = named.length - shown.length
    parts.push(RECORD_RU.referrers(RECORD_RU.referrer[r.label] ?? r.label, shown, more))
  }
  if (parts.length) throw new ConflictError(RECORD_RU.referred(type, key, parts))
  if (hiddenOnly) throw new ConflictError(RECORD_RU.referredHidden(type, key))
}

// ─── checks and errors ───

function mayWriteType(principal: Principal, type: EntityType) {
  if (recordSpec(type).catalogue && principal.markets !== null) {
    throw new ForbiddenError(RECORD_RU.catalogueForbidden(principal.markets, type))
  }
}

function keyOf(value: string | readonly string[] | null | undefined): string | null {
  if (typeof value !== 'string') return null
  const key = value.trim()
  return key === '' ? null : key
}

// business keys are unique across every market: a taken one is refused alike whoever's record holds it
const exists = (type: EntityType, key: string) => new ConflictError(RECORD_RU.exists(type, key))
const notFound = (type: EntityType, key: string) => new NotFoundError(RECORD_RU.notFound(type, key))

/**
 * The survivor an alias key stands for: its key when the principal sees it, '' when it does not (the refusal then
 * says only what it says of any taken or missing key: naming it would show another market's record), null when
 * `key` is no alias.
 */
async function visibleSurvivor(sql: SqlClient, principal: Principal, type: EntityType, key: string): Promise<string | null> {
  if (!isMergeableType(type)) return null
  const target = await resolveAlias(sql, type, key)
  if (target === null) return null
  const found = await findRecord(sql, principal, type, target)
  return found?.visible ? target : ''
}

/** NotFound for a key with no record: naming the survivor when the key is a merged member's alias the caller may follow. */
async function notFoundOrAlias(sql: SqlClient, principal: Principal, type: EntityType, key: string): Promise<NotFoundError> {
  const survivor = await visibleSurvivor(sql, principal, type, key)
  return survivor ? new NotFoundError(ALIAS_RU.notFound(type, key, survivor)) : notFound(type, key)
}

/** PostgreSQL's integrity errors (a race with another writer) as the domain's: the rest passes unchanged. */
function mapWriteError(type: EntityType, key: string) {
  return (error: unknown): never => {
    const code = (error as { code?: unknown })?.code
    if (code === '23503') throw new ConflictError(RECORD_RU.changedMeanwhile(type, key))
    if (code === '23505') throw exists(type, key)
    throw error
  }
}
