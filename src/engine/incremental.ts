// Incremental re-check and pre-write check: from changed records to the rule subjects they can affect, detection
// restricted to those (Subset), and findings reconciled only within that scope — the same state a full run gives.
import type { Database, SqlClient } from '../db/database.ts'
import { FieldError, InputError } from '../errors.ts'
import { checkedRecord, type CheckedRecord } from '../records/check.ts'
import { columnsOf, ENTITY_TYPES, isEntityType, RECORDS, recordSpec, tableOf, type EntityRef, type EntityType } from '../records/model.ts'
import { fullHeader, parseRow, RowRejected } from '../records/parse.ts'
import { resolveReferences } from '../records/references.ts'
import { buildPlan, syncLinks, upsert } from '../records/write-plan.ts'
import { moduleLogger } from '../logger.ts'
import { checkDate, today, type AfterReconcile } from './audit.ts'
import { loadCatalog, type Catalog } from './catalog.ts'
import { detectRuleSubset } from './detect.ts'
import type { StoredHint, Subset } from './detector.ts'
import { builtinDetector } from './detectors/registry.ts'
import { ENTITIES } from './entities.ts'
import { fingerprint } from './fingerprint.ts'
import { OPEN_STATUSES, reconcileFindings, type FindingCounts, type ReportFinding } from './findings.ts'
import { listOverrides } from './overrides.ts'
import { failRun, finishRun, holdLease, startRun } from './runs.ts'
import type { DetectedFinding, RuleMeta } from './types.ts'
import { RECHECK_RU } from '../i18n/ru-errors.ts'
import { ENTITY_TYPE_RU } from '../i18n/ru.ts'

const log = moduleLogger('incremental')

/**
 * Past this many subjects of one rule (a product or market edit touching thousands of contracts) the rule
 * is run whole: one full pass is then cheaper than thousands of keyed lookups, and just as correct.
 */
export const RECHECK_CAP = 5000

/** The entity types rules can be about: those the engine has fields of (src/engine/entities.ts). */
const SUBJECTS = Object.keys(ENTITIES) as EntityType[]

/** What one rule is re-run on: its subjects and, for the grouping kinds, the groups (values, blocks); or all of it. */
interface RulePlan {
  subject: EntityType
  keys: Set<string>
  groups: Set<string>
  whole: boolean
}

/**
 * The subjects a set of changes can affect, worked out on the data as it is when asked. Taken before an edit
 * (prepareRecheck) it remembers what the records were part of — the old serial group, the contract a device
 * left, the street an address was on — which the data after the edit no longer shows.
 */
export interface RecheckPlan { rules: Map<string, RulePlan> }

export interface RecheckOptions {
  /** reference date YYYY-MM-DD; default today */
  asOf?: string
  actor: string
  trigger?: 'INCREMENTAL'
  /** the plan prepareRecheck took before the edit; without it the open findings naming the records stand in */
  before?: RecheckPlan
  rulesDir?: string
  /** the finding routing, as for a full audit (AuditOptions.afterReconcile) */
  afterReconcile: AfterReconcile
}

export interface RecheckResult {
  runId: string
  /** rules re-run (around the changes, or whole when past RECHECK_CAP) */
  rules: string[]
  counts: FindingCounts
  created: ReportFinding[]
  resolved: ReportFinding[]
  reopened: ReportFinding[]
  ms: number
}

// ─── the catalogue in force, kept between calls while the stored overrides stay the same ───

let catalogCache: { key: string; catalog: Promise<Catalog> } | undefined

async function catalogInForce(sql: SqlClient, rulesDir?: string): Promise<Catalog> {
  const overrides = await listOverrides({ sql })
  const key = JSON.stringify([rulesDir ?? '', overrides])
  if (catalogCache?.key !== key) {
    catalogCache = { key, catalog: loadCatalog(rulesDir, overrides) }
    catalogCache.catalog.catch(() => { catalogCache = undefined })
  }
  return catalogCache.catalog
}

// ─── public API ───

/** Takes the plan of `changes` on the data as it is now: call it before the edit, pass it to recheck after. */
export async function prepareRecheck(db: Pick<Database, 'sql'>, changes: readonly EntityRef[], options: { rulesDir?: string } = {}): Promise<RecheckPlan> {
  const rules = (await catalogInForce(db.sql, options.rulesDir)).rules.filter((r) => r.enabled)
  return planChanges(db.sql, rules, changes)
}

/** A RecheckPlan in JSON form, as a job carries it: per rule id its subject type, keys and groups, or that it runs whole. */
export interface SerializedPlan {
  rules: Record<string, { subject: EntityType; keys: string[]; groups: string[]; whole: boolean }>
}

/** The plan as plain JSON (a rule run whole needs no keys, so they are left out). */
export function serializePlan(plan: RecheckPlan): SerializedPlan {
  const rules: SerializedPlan['rules'] = {}
  for (const [id, p] of plan.rules) {
    rules[id] = p.whole ? { subject: p.subject, keys: [], groups: [], whole: true } : { subject: p.subject, keys: [...p.keys], groups: [...p.groups], whole: false }
  }
  return { rules }
}

/** Reads a serialized plan back (a job's data: checked, since it crossed a queue); InputError naming what is wrong. */
export function deserializePlan(json: unknown): RecheckPlan {
  const rules = (json as { rules?: unknown } | null)?.rules
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) throw new InputError(RECHECK_RU.planShape('{ rules: { <rule id>: { subject, keys, groups, whole } } }'))
  const types: readonly string[] = ENTITY_TYPES
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string')
  const plan: RecheckPlan = { rules: new Map() }
  for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
    const p = value as Partial<SerializedPlan['rules'][string]> | null
    if (!p || typeof p !== 'object') throw new InputError(RECHECK_RU.planNotObject(id))
    if (typeof p.subject !== 'string' || !types.includes(p.subject)) throw new InputError(RECHECK_RU.planSubject(id, String(p.subject)))
    if (!strings(p.keys) || !strings(p.groups)) throw new InputError(RECHECK_RU.planLists(id, 'keys', 'groups'))
    if (typeof p.whole !== 'boolean') throw new InputError(RECHECK_RU.planWhole(id, 'whole', 'true / false'))
    plan.rules.set(id, { subject: p.subject, keys: new Set(p.keys), groups: new Set(p.groups), whole: p.whole })
  }
  return plan
}

/**
 * Re-checks the rules around changed records (business keys; deleted ones too) and updates their findings:
 * detected ones become NEW/OPEN/REOPENED as in a full run, stored ones in scope that are gone become RESOLVED.
 * Persists an AuditRun with trigger INCREMENTAL.
 */
export async function recheck(db: Database, changes: readonly EntityRef[], options: RecheckOptions): Promise<RecheckResult> {
  const started = performance.now()
  const asOf = options.asOf ?? today()
  checkDate(asOf)
  checkChanges(changes)
  const catalog = await catalogInForce(db.sql, options.rulesDir)
  const rules = catalog.rules.filter((r) => r.enabled)
  const run = await startRun(db.sql, { trigger: options.trigger ?? 'INCREMENTAL', actor: options.actor, asOf })
  const lease = holdLease(db, run.id)
  const timings: Record<string, number> = {}
  const lap = (name: string, since: number) => { timings[name] = Math.round(performance.now() - since) }
  try {
    let t = performance.now()
    const plan = await planChanges(db.sql, rules, changes, options.before)
    lap('plan', t)
    t = performance.now()
    const { detected, scope } = await detectPlan(db.sql, rules, plan, asOf)
    lap('detection', t)
    const ruleIds = scope.map((r) => r.id)
    // read before the transaction (on PGlite nothing else may be asked while it is open); a broken routing file
    // fails only a re-check with findings to route
    const routing = await options.afterReconcile.prepare(db.sql).then((step) => ({ step }), (error: unknown) => ({ error }))
    // as in a full audit: findings, their routing and the run's SUCCEEDED in one transaction
    const { counts, ms } = await db.sql.transaction(async (tx) => {
      t = performance.now()
      const counts = await reconcileFindings(tx, { id: run.id, actor: options.actor }, { rules: scope }, detected)
      lap('reconcile', t)
      t = performance.now()
      // only findings this run raised or brought back need a group and due times; most re-checks raise none
      // (older unrouted findings are routed by the next full audit)
      let unrouted = 0
      if (counts.new + counts.reopened > 0) {
        if ('error' in routing) throw routing.error
        unrouted = (await routing.step(tx, run.id)).unrouted
      }
      lap('routing', t)
      const ms = Math.round(performance.now() - started)
      await finishRun(tx, run.id, { rules: ruleIds, counts: { ...counts, unrouted, changes: changes.length }, timings: { ...timings, total: ms } })
      return { counts, ms }
    })
    const changed = await changedByRun(db.sql, run.id, scope, detected)
    log.debug({ runId: run.id, changes: changes.length, rules: ruleIds.length, counts, ms }, 'incremental re-check finished')
    return { runId: run.id, rules: ruleIds, counts, ...changed, ms }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await failRun(db.sql, run.id, { reason, timings })
      .catch((e: unknown) => log.error({ err: e, runId: run.id }, 'could not mark the incremental run FAILED'))
    throw error
  } finally {
    await lease.release()
  }
}

/** The record types a candidate may be: those rules are about (the catalogue's markets and equipment types are not). */
export type CandidateType = Exclude<EntityType, 'market' | 'equipmentType'>
export const CANDIDATE_TYPES = ENTITY_TYPES.filter((t): t is CandidateType => t in ENTITIES)

/** A record to check before it is written: import-column text, or a record checked already (the API's writes). */
export type Candidate =
  | { type: CandidateType; /** import-CSV column names; references are business keys */ record: Record<string, string | null> }
  | { type: CandidateType; checked: CheckedRecord }

/**
 * The findings a record would cause if it were stored (or replaced the stored one with its key), without
 * storing it: the import's validation and normalisation for that one row (unless it comes checked), then inside a
 * transaction that is rolled back, the upsert and the restricted detection around it. Returns the findings naming
 * the candidate and any other finding the write would bring (e.g. the contract a device would leave without its device).
 */
export async function checkCandidate(db: Database, candidate: Candidate, options: { asOf?: string; rulesDir?: string } = {}): Promise<DetectedFinding[]> {
  const asOf = options.asOf ?? today()
  checkDate(asOf)
  const record = 'checked' in candidate ? candidate.checked : await checkRawCandidate(db.sql, candidate.type, candidate.record)
  const { key, pending, ids } = record
  const plan = buildPlan(record.spec, record.header)
  const catalog = await catalogInForce(db.sql, options.rulesDir)
  const rules = catalog.rules.filter((r) => r.enabled)
  const subject: EntityRef = { type: record.spec.entity, key }

  const rollback = new Error('the candidate is never stored')
  let result: DetectedFinding[] = []
  try {
    await db.sql.transaction(async (tx) => {
      const write = async () => {
        await upsert(tx, plan, [pending], ids, false)
        if (plan.listColumn) await syncLinks(tx, plan, [pending], ids)
      }
      // the subjects around the record before and after the write; the write is undone once to see both
      const before = await planChanges(tx, rules, [subject], undefined, true)
      await tx.exec('SAVEPOINT sverka_candidate')
      await write()
      const around = await planChanges(tx, rules, [subject], before, true)
      await tx.exec('ROLLBACK TO SAVEPOINT sverka_candidate')
      // what is already there around it is not the candidate's doing, unless it names the candidate
      const wasDetected = await detectPlan(tx, rules, around, asOf, true)
      await write()
      const { detected } = await detectPlan(tx, rules, around, asOf, true)
      const already = new Set(wasDetected.detected.map(fingerprintOf))
      const names = (f: DetectedFinding) => f.entities.some((e) => e.type === subject.type && e.key === subject.key)
      result = detected.filter((f) => names(f) || !already.has(fingerprintOf(f)))
      throw rollback
    })
  } catch (e) {
    if (e !== rollback) throw e
  }
  return result
}

// ─── detection inside a caller's transaction, nothing reconciled (a merge's preview, rolled back) ───

/** The enabled rules in force (files and stored overrides): read before a transaction that plans and detects with them. */
export async function rulesInForce(db: Pick<Database, 'sql'>, rulesDir?: string): Promise<RuleMeta[]> {
  return (await catalogInForce(db.sql, rulesDir)).rules.filter((r) => r.enabled)
}

/** prepareRecheck on the transaction `tx` (one statement at a time): before changes made in it, and after them with `before`. */
export function planAround(tx: SqlClient, rules: RuleMeta[], changes: readonly EntityRef[], before?: RecheckPlan): Promise<RecheckPlan> {
  checkChanges(changes)
  return planChanges(tx, rules, changes, before, true)
}

/**
 * The restricted detection of a plan on the transaction `tx`: what a re-check would detect, and per rule the scope its
 * stored findings are reconciled in (all of them, or those naming `subjects`) — without reconciling anything.
 */
export function detectAround(tx: SqlClient, rules: RuleMeta[], plan: RecheckPlan, asOf: string): Promise<{ detected: DetectedFinding[]; scope: ScopedRule[] }> {
  checkDate(asOf)
  return detectPlan(tx, rules, plan, asOf, true)
}

// ─── which subjects a change can affect ───

function checkChanges(changes: readonly EntityRef[]) {
  const types: readonly string[] = ENTITY_TYPES
  for (const c of changes) {
    if (!c || !types.includes(c.type)) throw new InputError(RECHECK_RU.unknownEntityType(String(c?.type), types))
    if (typeof c.key !== 'string' || c.key.trim() === '') throw new InputError(RECHECK_RU.noKey(c.type))
  }
}

type Touched = Record<EntityType, Set<string>> & { overflow: Set<EntityType> }

/**
 * The records whose own fields (through their joins) a change can alter: the changed records, and the records that
 * read them through the record model's references — a contract's devices, an address's or customer's contracts and
 * devices, a product's contracts and devices (and the devices on those contracts), a market's contracts, an
 * equipment type's products. (A list of references — a product's markets — reads only the markets' keys, which a
 * change does not alter.)
 */
async function touchedBy(sql: SqlClient, changes: readonly EntityRef[]): Promise<Touched> {
  const t = Object.assign(Object.fromEntries(ENTITY_TYPES.map((type) => [type, new Set<string>()])), { overflow: new Set<EntityType>() }) as Touched
  for (const c of changes) t[c.type].add(c.key)
  // the model lists what a record refers to before the record: one pass in its order reaches every reader
  for (const spec of RECORDS) {
    const refs = spec.columns.flatMap((c) => (c.cell.kind === 'ref' && t[c.cell.entity].size > 0 ? [{ column: c.db!, entity: c.cell.entity }] : []))
    if (refs.length === 0) continue
    // a UNION, not an OR: each part is an index lookup, where an OR of subqueries reads the whole table
    const text = refs.map(({ column, entity }, i) => {
      const { table, key } = tableOf(entity)
      return `SELECT "${spec.key.db}" AS k FROM "${spec.table}" WHERE "${column}" IN (SELECT id FROM "${table}" WHERE "${key}" = ANY($${i + 1}::text[]))`
    }).join(' UNION ')
    const { rows } = await sql.query<{ k: string }>(`${text} LIMIT ${RECHECK_CAP + 1}`, refs.map((r) => [...t[r.entity]]))
    if (rows.length > RECHECK_CAP || refs.some((r) => t.overflow.has(r.entity))) t.overflow.add(spec.entity)
    for (const r of rows) t[spec.entity].add(r.k)
  }
  return t
}

/** Open (and waived) findings naming any of `refs`: what the records were part of when last checked. */
async function storedFindingsNaming(sql: SqlClient, refs: EntityRef[]): Promise<StoredHint[]> {
  if (refs.length === 0) return []
  const { rows } = await sql.query<StoredHint>(
    `SELECT f."ruleId", f.entities, f.details FROM finding f
      WHERE f.status IN (${[...OPEN_STATUSES, 'WAIVED'].map((s) => `'${s}'`).join(', ')})
        AND f.id IN (SELECT fe."findingId" FROM finding_entity fe
                       JOIN unnest($1::text[], $2::text[]) AS s(t, k) ON fe."entityType" = s.t AND fe."entityKey" = s.k)`,
    [refs.map((r) => r.type), refs.map((r) => r.key)])
  return rows
}

/** Per rule: the subjects and groups that changes can affect, on the data as it is now, merged with `before`. */
/** `serial`: one connection (a transaction) takes one statement at a time, so lookups are not run side by side. */
async function planChanges(sql: SqlClient, rules: RuleMeta[], changes: readonly EntityRef[], before?: RecheckPlan, serial = false): Promise<RecheckPlan> {
  const touched = await touchedBy(sql, changes)
  const touchedRefs = SUBJECTS.flatMap((s) => [...touched[s]].map((key): EntityRef => ({ type: s, key })))
  const hints = await storedFindingsNaming(sql, touchedRefs)
  // contracts a device sits on now: whether they still have the device they need
  const contractsOfDevices = touched.equipment.size === 0 ? [] : (await sql.query<{ k: string }>(
    `SELECT DISTINCT c.number AS k FROM equipment e JOIN contract c ON c.id = e."contractId" WHERE e."inventoryNo" = ANY($1::text[])`,
    [[...touched.equipment]])).rows.map((r) => r.k)

  const plan: RecheckPlan = { rules: new Map() }
  const lookups: Array<Promise<void>> = []
  for (const rule of rules) {
    const detector = builtinDetector(rule)
    const prior = before?.rules.get(rule.id)
    const p: RulePlan = { subject: detector?.subject ?? 'equipment', keys: new Set(prior?.keys), groups: new Set(prior?.groups), whole: prior?.whole ?? false }
    plan.rules.set(rule.id, p)
    if (detector === null) {
      // a custom rule reads what it likes and knows no subsets: any change re-runs it whole
      p.whole = changes.length > 0
      continue
    }
    const subject = detector.subject
    if (touched.overflow.has(subject)) p.whole = true
    for (const k of touched[subject]) p.keys.add(k)
    // the other members of the groups the touched records were in: their groups may split or shrink
    for (const h of hints) if (h.ruleId === rule.id) for (const e of h.entities) if (e.type === subject) p.keys.add(e.key)
    if (p.whole) continue
    // what the kind adds around them (the groups, the subjects a change reaches); rules' lookups go side by side (independent queries)
    const expanded = detector.expand?.({
      sql, keys: p.keys, groups: p.groups, ruleHints: hints.filter((h) => h.ruleId === rule.id), hints, contractsOfDevices, cap: RECHECK_CAP,
    })
    if (expanded) lookups.push(expanded)
    if (expanded && serial) await expanded
  }
  const outcomes = await Promise.allSettled(lookups)
  for (const o of outcomes) if (o.status === 'rejected') throw o.reason
  for (const p of plan.rules.values()) if (p.keys.size > RECHECK_CAP || p.groups.size > RECHECK_CAP) p.whole = true
  return plan
}

// ─── restricted detection and its scope ───

export type ScopedRule = { id: string; severity: RuleMeta['severity']; subjects?: EntityRef[] }

/** Rules detected at once: a re-check's queries are small, so round trips and planning, not the server, set its pace. */
const DETECT_CONCURRENCY = 4

async function detectPlan(sql: SqlClient, rules: RuleMeta[], plan: RecheckPlan, asOf: string, serial = false) {
  const active = rules.filter((rule) => {
    const p = plan.rules.get(rule.id)
    return p && (p.whole || p.keys.size > 0 || p.groups.size > 0)
  })
  // on PostgreSQL the rules' queries go out on several pooled connections; the embedded database runs them in turn
  const results = Array.from<DetectedFinding[]>({ length: active.length })
  let next = 0
  const worker = async () => {
    while (next < active.length) {
      const i = next++
      const rule = active[i], p = plan.rules.get(rule.id)!
      try {
        results[i] = await detectRuleSubset(sql, rule, { asOf }, p.whole ? undefined : subsetOf(p))
      } catch (e) {
        throw new Error(`rule ${rule.id} failed: ${(e as Error).message}`, { cause: e })
      }
    }
  }
  // every worker is let finish before a failure is passed on: none is left querying inside a transaction being rolled back
  const outcomes = await Promise.allSettled(Array.from({ length: serial ? 1 : Math.min(DETECT_CONCURRENCY, active.length) }, worker))
  for (const o of outcomes) if (o.status === 'rejected') throw o.reason
  const detected: DetectedFinding[] = []
  const scope: ScopedRule[] = []
  for (const [i, rule] of active.entries()) {
    const p = plan.rules.get(rule.id)!
    const found = results[i]
    detected.push(...found)
    if (p.whole) {
      scope.push({ id: rule.id, severity: rule.severity })
      continue
    }
    const subjects = new Map<string, EntityRef>()
    for (const k of p.keys) subjects.set(`${p.subject}\u0000${k}`, { type: p.subject, key: k })
    // a stored finding naming a member of a detected group is in scope: re-detected if it still holds
    if (builtinDetector(rule)?.wholeGroups) for (const f of found) for (const e of f.entities) subjects.set(`${e.type}\u0000${e.key}`, e)
    scope.push({ id: rule.id, severity: rule.severity, subjects: [...subjects.values()] })
  }
  return { detected, scope }
}

function subsetOf(p: RulePlan): Subset {
  return { keys: [...p.keys], groups: [...p.groups] }
}

const fingerprintOf = (f: DetectedFinding) => fingerprint(f.ruleId, f.entities)

/** The findings this run created, resolved and reopened, as the report shows them. */
async function changedByRun(sql: SqlClient, runId: string, scope: ScopedRule[], detected: DetectedFinding[]) {
  const refs = new Map<string, EntityRef>()
  for (const r of scope) for (const e of r.subjects ?? []) refs.set(`${e.type}\u0000${e.key}`, e)
  for (const f of detected) for (const e of f.entities) refs.set(`${e.type}\u0000${e.key}`, e)
  const whole = scope.filter((r) => !r.subjects).map((r) => r.id)
  const { rows } = await sql.query<ReportFinding & { action: string }>(
    `SELECT DISTINCT ON (f.id) ev.action, f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status,
            f.message, f.entities, f.details
       FROM finding f JOIN finding_event ev ON ev."findingId" = f.id AND ev."runId" = $1::uuid
      WHERE f.id IN (SELECT fe."findingId" FROM finding_entity fe
                       JOIN unnest($2::text[], $3::text[]) AS s(t, k) ON fe."entityType" = s.t AND fe."entityKey" = s.k)
         OR f."ruleId" = ANY($4::text[])
      ORDER BY f.id, ev.id DESC`,
    [runId, [...refs.values()].map((e) => e.type), [...refs.values()].map((e) => e.key), whole])
  const pick = (actions: string[]) => rows.filter((r) => actions.includes(r.action)).map(({ action: _a, ...f }) => f)
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.fingerprint < b.fingerprint ? -1 : 1))
  return { created: pick(['detected']), resolved: pick(['resolved']), reopened: pick(['reopened', 'waiver-expired']) }
}

// ─── a candidate given as text ───

/** A candidate's text checked as the importer checks a row of every column; FieldError naming the first problem. */
async function checkRawCandidate(sql: SqlClient, type: string, values: Record<string, string | null> | undefined): Promise<CheckedRecord> {
  if (!isEntityType(type) || type === 'market') throw new FieldError('type', RECHECK_RU.unknownRecordType(type, CANDIDATE_TYPES))
  const spec = recordSpec(type)
  const columns = columnsOf(spec)
  const known = new Set(columns.map((c) => c.csv))
  const entries = Object.entries(values ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v] as const)
  for (const [name, value] of entries) {
    if (!known.has(name)) throw new FieldError(name, RECHECK_RU.unknownField(type, [...known]))
    if (value !== null && typeof value !== 'string') throw new FieldError(name, RECHECK_RU.textOrNull('null'))
  }
  // every column is given: a candidate replaces the whole stored record, it does not patch it
  const given = new Map(entries)
  const fields = columns.map((c) => given.get(c.csv) ?? '')
  try {
    const row = parseRow(spec, fullHeader(spec), fields)
    const ids = await resolveReferences(sql, columns, row, (entity, keys) => RECHECK_RU.unknownReferenced(ENTITY_TYPE_RU[entity] ?? entity, keys))
    return checkedRecord(spec, row, fields, ids)
  } catch (e) {
    if (e instanceof RowRejected) throw new FieldError(e.column, e.reason)
    throw e
  }
}
