// The findings lifecycle: reconciles what a run detected with what is stored (one transaction a run,
// set-based SQL so thousands of findings cost a handful of statements), and the transitions people
// make — acknowledge, assign, start, resolve, waive, reopen, comment — each validated and kept as an event.
import { copyValue, type Database, type SqlClient } from '../db/database.ts'
import { ConflictError, FieldError, InputError, NotFoundError } from '../errors.ts'
import type { Finding, Prisma } from '../generated/prisma/client.ts'
import type { FindingStatus } from '../generated/prisma/enums.ts'
import { canonicalEntities, fingerprintOfCanonical } from './fingerprint.ts'
import type { DetectedFinding, Severity } from './types.ts'
import type { EntityRef } from '../records/model.ts'
import { FINDING_RU } from '../i18n/ru-errors.ts'

/** Statuses of a finding someone still has to deal with; WAIVED and RESOLVED are not among them. */
export const OPEN_STATUSES = ['NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED'] as const satisfies readonly FindingStatus[]

export interface FindingCounts {
  /** first seen by this run */
  new: number
  /** open after the run, within its scope */
  open: number
  /** closed by this run */
  resolved: number
  /** brought back by this run (collision back after RESOLVED, or a waiver expired) */
  reopened: number
}

export interface ReconcileRun {
  /** an AuditRun row: events point at it */
  id: string
  /** who the run's events are attributed to */
  actor: string
}

export interface ReconcileScope {
  /**
   * the rules the run evaluated, with the severity in force (file plus stored override); a rule with
   * `subjects` was evaluated only around them (incremental re-check): of its stored findings only those
   * naming one of the subjects are the run's to resolve
   */
  rules: ReadonlyArray<{ id: string; severity: Severity; subjects?: readonly EntityRef[]; inputKey?: string }>
  /** a market-scoped run resolves only findings of that market */
  market?: string | null
}

export interface ReconcileOptions {
  /** filled with milliseconds per step (fingerprint, stage, seen, created, resolved, open), for the run's timings */
  steps?: Record<string, number>
  /**
   * Where new findings go: asked with the (rule, market, equipment type) of the run's detection, a new finding is
   * inserted with its group, line and dues — one write instead of an insert and the routing's update — and told how
   * many were placed so (and how many of those no route matched)
   */
  placement?: NewFindingPlacement
}

export interface NewFindingPlacement {
  place(keys: readonly PlacementKey[]): Placement
  placed(routed: number, unrouted: number): void
}

export interface PlacementKey { ruleId: string; marketCode: string | null; equipmentTypeCode: string | null }

/** The routing of new findings as reconcile applies it (src/incidents/routing.ts makes it). */
export interface Placement {
  /** per key: the responsible group's code, the line (null: the group's own) and whether no route matched */
  routes: ReadonlyArray<PlacementKey & { group: string; line: number | null; unrouted: boolean }>
  /** the SLA dues of each severity */
  dues: ReadonlyArray<{ severity: Severity; ackDueAt: Date; dueAt: Date }>
}

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')
// a waiver protects its finding while it is not revoked and not past its expiry
const VALID_WAIVER = `EXISTS (SELECT 1 FROM waiver w WHERE w."findingId" = f.id AND w."revokedAt" IS NULL
  AND (w."expiresAt" IS NULL OR w."expiresAt" > now()))`
// reconciles of concurrent runs (PostgreSQL) queue up instead of racing on the same fingerprints
const RECONCILE_LOCK = 0x5e_4b_a0_01
const STAGE_BATCH = 2000
// up to this many detected findings (and scope subjects) a run passes them to each statement instead of staging them
const INLINE_MAX = 500

interface StagedFinding {
  fingerprint: string
  ruleId: string
  severity: Severity
  message: string
  entities: string
  details: string
  marketCode: string | null
  equipmentTypeCode: string | null
}

/**
 * Brings the stored findings in line with one run's detection, atomically: a run that fails
 * anywhere in here leaves every finding as it was. Returns the run's counts.
 */
export async function reconcileFindings(
  sql: SqlClient, run: ReconcileRun, scope: ReconcileScope, detected: readonly DetectedFinding[], options: ReconcileOptions = {},
): Promise<FindingCounts> {
  const { steps, placement: placing } = options
  let since = performance.now()
  const lap = (name: string) => {
    if (steps) steps[name] = Math.round(performance.now() - since)
    since = performance.now()
  }
  const staged = stage(scope, detected)
  lap('fingerprint')
  const ruleIds = scope.rules.map((r) => r.id)
  // rules answered for whole, and rules answered for only around their subjects
  const wholeRules = scope.rules.filter((r) => !r.subjects)
  const wholeRuleIds = wholeRules.map((r) => r.id)
  const partial = scope.rules.filter((r) => r.subjects)
  const market = scope.market ?? null
  const subjects = partial.flatMap((r) => r.subjects!.map((e) => [r.id, e.type, e.key] as const))
  // a small run (a re-check) reads its detection from arrays in each statement: creating, filling and analysing
  // temporary tables costs more than the rest of its reconcile; a large one stages them in tables once
  const inline = staged.length <= INLINE_MAX && subjects.length <= INLINE_MAX
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RECONCILE_LOCK])
    // PostgreSQL's JIT compiles these statements for longer than they run: the resolve step's subplans (waivers, last
    // seen) lift its estimate past jit_above_cost, and compiling took 755 ms of its 927 ms at 18,746 findings; off for
    // the rest of the run's transaction (set_config(…, true)), which is all statements of this kind
    await tx.query(`SELECT set_config('jit', 'off', true)`)
    const source = inline ? inlineSource(staged, subjects) : await stageTables(tx, staged, subjects)
    lap('stage')
    // stored findings of the partially evaluated rules that name one of their subjects (by finding_entity's index)
    const partialIds = (params: unknown[]) => `SELECT fe."findingId" FROM ${source.scope(params)} s
        JOIN finding_entity fe ON fe."entityType" = s."entityType" AND fe."entityKey" = s."entityKey"
        JOIN finding g ON g.id = fe."findingId" AND g."ruleId" = s."ruleId"`

    // seen again: where the lifecycle moves it or the run says something new about it, the row is written; a finding
    // the run only confirms (still open, same message and details) is left alone — the run's rule_seen row says it
    // was seen (effectiveLastSeen). Also written: what the rule_seen rows cannot vouch for — findings not open (a
    // waived one seen again), the partially evaluated rules' findings, another market's findings seen by a market's
    // run (its report and routing find them by lastRunId), and findings no group took yet (routing tries them again).
    const seenParams: unknown[] = [run.id, run.actor, partial.map((r) => r.id), market]
    const seen = await tx.query<{ new_status: string }>(`
      WITH cur AS (
        SELECT f.id, f.status::text AS old_status, d.severity, d.message, d.details, d."marketCode", d."equipmentTypeCode",
          CASE WHEN f.status = 'NEW' THEN 'OPEN'
               WHEN f.status = 'RESOLVED' THEN 'REOPENED'
               WHEN f.status = 'WAIVED' AND NOT ${VALID_WAIVER} THEN 'REOPENED'
               ELSE f.status::text END AS new_status
        FROM finding f JOIN ${source.detected(seenParams)} d ON d.fingerprint = f.fingerprint
        WHERE f.status NOT IN (${OPEN_SQL}) OR f.status = 'NEW' OR f."ruleId" = ANY($3::text[])
          OR ($4::text IS NOT NULL AND f."marketCode" IS DISTINCT FROM $4::text) OR f."groupId" IS NULL
          OR f.severity IS DISTINCT FROM d.severity OR f.message IS DISTINCT FROM d.message OR f.details IS DISTINCT FROM d.details
          OR f."marketCode" IS DISTINCT FROM d."marketCode" OR f."equipmentTypeCode" IS DISTINCT FROM d."equipmentTypeCode"
      ), updated AS (
        UPDATE finding f SET status = cur.new_status::"FindingStatus", severity = cur.severity, message = cur.message,
          details = cur.details, "marketCode" = cur."marketCode", "equipmentTypeCode" = cur."equipmentTypeCode",
          "lastSeenAt" = now(), "lastRunId" = $1::uuid, "updatedAt" = now(),
          "openedAt" = CASE WHEN cur.new_status = 'REOPENED' AND cur.old_status <> 'REOPENED' THEN now() ELSE f."openedAt" END,
          "resolvedAt" = CASE WHEN cur.new_status = 'REOPENED' THEN NULL ELSE f."resolvedAt" END,
          "acknowledgedAt" = CASE WHEN cur.new_status = 'REOPENED' THEN NULL ELSE f."acknowledgedAt" END
        FROM cur WHERE f.id = cur.id
      )
      INSERT INTO finding_event ("findingId", actor, action, "fromStatus", "toStatus", reason, "runId")
      SELECT id, $2, CASE WHEN old_status = 'NEW' THEN 'confirmed' WHEN old_status = 'WAIVED' THEN 'waiver-expired' ELSE 'reopened' END,
        old_status::"FindingStatus", new_status::"FindingStatus",
        CASE WHEN old_status = 'NEW' THEN 'detected again'
             WHEN old_status = 'WAIVED' THEN 'the waiver expired and the collision is still there'
             ELSE 'the collision is back' END,
        $1::uuid
      FROM cur WHERE new_status <> old_status
      RETURNING "toStatus"::text AS new_status`, seenParams)
    lap('seen')

    const createdParams: unknown[] = [run.id, run.actor]
    const placement = placing ? placementJoin(placing.place(placementKeys(staged)), createdParams) : null
    const created = await tx.query<{ n: number; placed: number; unrouted: number }>(`
      WITH inserted AS (
        INSERT INTO finding (fingerprint, "ruleId", severity, status, message, entities, details, "marketCode", "equipmentTypeCode",
          "firstSeenAt", "lastSeenAt", "firstRunId", "lastRunId"${placement ? ', "groupId", "supportLine", unrouted, "ackDueAt", "dueAt"' : ''})
        SELECT d.fingerprint, d."ruleId", d.severity, 'NEW', d.message, d.entities, d.details, d."marketCode", d."equipmentTypeCode",
          now(), now(), $1::uuid, $1::uuid${placement ? `, ${placement.columns}` : ''}
        FROM ${source.detected(createdParams)} d ${placement ? placement.joins : ''}
        WHERE NOT EXISTS (SELECT 1 FROM finding f WHERE f.fingerprint = d.fingerprint)
        RETURNING id, entities, "groupId" IS NOT NULL AS placed, unrouted
      ), subjects AS (
        INSERT INTO finding_entity ("findingId", "entityType", "entityKey")
        SELECT i.id, e->>'type', e->>'key' FROM inserted i, jsonb_array_elements(i.entities) e
      ), events AS (
        INSERT INTO finding_event ("findingId", actor, action, "fromStatus", "toStatus", reason, "runId")
        SELECT id, $2, 'detected', NULL, 'NEW', 'first detected', $1::uuid FROM inserted
      )
      SELECT count(*)::int AS n, count(*) FILTER (WHERE placed)::int AS placed, count(*) FILTER (WHERE placed AND unrouted)::int AS unrouted
      FROM inserted`, createdParams)
    const createdCount = created.rows[0]?.n ?? 0
    placing?.placed(created.rows[0]?.placed ?? 0, created.rows[0]?.unrouted ?? 0)
    await freshStatistics(tx, createdCount)
    lap('created')

    // open findings of the scope the run no longer sees; also waived ones whose waiver ran out meanwhile
    const resolvedParams: unknown[] = [run.id, run.actor, wholeRuleIds, market]
    const resolved = await tx.query(`
      WITH gone AS (
        SELECT f.id, f.status AS old_status, ${effectiveLastSeen('f')} AS last_seen FROM finding f
        WHERE ${partial.length === 0
          ? `f."ruleId" = ANY($3::text[]) AND ($4::text IS NULL OR f."marketCode" = $4::text)`
          // one id list (a union, not an OR) keeps the lookups on the indexes instead of a pass over every finding
          : `f.id IN (SELECT id FROM finding WHERE "ruleId" = ANY($3::text[]) AND ($4::text IS NULL OR "marketCode" = $4::text) UNION ${partialIds(resolvedParams)})`}
          AND (f.status IN (${OPEN_SQL}) OR (f.status = 'WAIVED' AND NOT ${VALID_WAIVER}))
          AND NOT EXISTS (SELECT 1 FROM ${source.detected(resolvedParams)} d WHERE d.fingerprint = f.fingerprint)
      ), updated AS (
        UPDATE finding f SET status = 'RESOLVED', "resolvedAt" = now(), "updatedAt" = now(), "lastSeenAt" = gone.last_seen
        FROM gone WHERE f.id = gone.id
      )
      INSERT INTO finding_event ("findingId", actor, action, "fromStatus", "toStatus", reason, "runId")
      SELECT id, $2, 'resolved', old_status, 'RESOLVED',
        CASE WHEN old_status = 'WAIVED' THEN 'the waiver expired and the collision is gone' ELSE 'no longer detected' END, $1::uuid
      FROM gone
      RETURNING id`, resolvedParams)
    lap('resolved')

    // the rules this run evaluated whole saw every finding of theirs (of its market) that is open now
    await tx.query(`
      INSERT INTO rule_seen ("ruleId", market, "runId", "seenAt", "inputKey") SELECT rule, $2, $3::uuid, now(), key FROM unnest($1::text[], $4::text[]) AS r(rule, key)
      ON CONFLICT ("ruleId", market) DO UPDATE SET "runId" = excluded."runId", "seenAt" = excluded."seenAt", settled = false, "inputKey" = excluded."inputKey"`,
    [wholeRuleIds, market ?? '', run.id, wholeRules.map((r) => r.inputKey ?? null)])

    const openParams: unknown[] = [wholeRuleIds, market, run.id]
    const open = partial.length === 0
      ? await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM finding f WHERE ${IN_RUN_SCOPE}`, [ruleIds, market, run.id])
      : await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM finding f WHERE f.status IN (${OPEN_SQL}) AND f.id IN (
          SELECT id FROM finding WHERE "ruleId" = ANY($1::text[]) AND ($2::text IS NULL OR "marketCode" = $2::text OR "lastRunId" = $3::uuid)
          UNION SELECT id FROM ${source.detected(openParams)} d JOIN finding USING (fingerprint)
          UNION ${partialIds(openParams)})`, openParams)

    lap('open')
    return {
      new: createdCount,
      open: open.rows[0].n,
      resolved: resolved.rows.length,
      reopened: seen.rows.filter((r) => r.new_status === 'REOPENED').length,
    }
  })
}

/**
 * When a finding was last seen, as SQL over the finding row `f`: its own lastSeenAt, or — while it is open — the time of
 * a later run that evaluated its rule whole (over every market or over the finding's) after it became open: such a run
 * saw it, and wrote only its rule_seen row.
 */
export function effectiveLastSeen(f: string): string {
  return `CASE WHEN ${f}.status IN (${OPEN_SQL}) THEN GREATEST(${f}."lastSeenAt", (SELECT max(c."seenAt") FROM rule_seen c
    WHERE c."ruleId" = ${f}."ruleId" AND (c.market = '' OR c.market = ${f}."marketCode") AND c."seenAt" >= ${f}."openedAt"))
    ELSE ${f}."lastSeenAt" END`
}

/** The rule_seen rows, for computing last-seen times of many findings without a query each (see lastSeenOf). */
export type RuleSeenTimes = ReadonlyMap<string, Date>
export async function ruleSeenTimes(sql: SqlClient): Promise<RuleSeenTimes> {
  const { rows } = await sql.query<{ ruleId: string; market: string; seenAt: Date }>(`SELECT "ruleId", market, "seenAt" FROM rule_seen`)
  return new Map(rows.map((r) => [`${r.ruleId}\u0000${r.market}`, new Date(r.seenAt)]))
}

/** effectiveLastSeen for a finding row already read, with the rule_seen rows. */
export function lastSeenOf(
  f: Pick<Finding, 'status' | 'ruleId' | 'marketCode' | 'lastSeenAt' | 'openedAt'>, seen: RuleSeenTimes,
): Date {
  if (!(OPEN_STATUSES as readonly string[]).includes(f.status)) return f.lastSeenAt
  let last = f.lastSeenAt
  for (const market of ['', ...(f.marketCode === null ? [] : [f.marketCode])]) {
    const at = seen.get(`${f.ruleId}\u0000${market}`)
    if (at && at >= f.openedAt && at > last) last = at
  }
  return last
}

/**
 * Brings open findings' lastSeenAt up to what the rule_seen rows of runs since the last call say (effectiveLastSeen),
 * so that a list sorted by it (Prisma's orderBy) is in the right order: paid by the reads that sort by last seen, once
 * per run, not by every audit. Rows a running audit holds are skipped: it writes them itself.
 */
export async function settleLastSeen(sql: SqlClient): Promise<number> {
  const { rows: due } = await sql.query<{ ruleId: string; market: string; seenAt: Date }>(
    `SELECT "ruleId", market, "seenAt" FROM rule_seen WHERE NOT settled`)
  let settled = 0
  for (const c of due) {
    const { rows } = await sql.query<{ n: number }>(`
      WITH due AS (
        SELECT f.id FROM finding f
        WHERE f."ruleId" = $1 AND ($2 = '' OR f."marketCode" = $2) AND f.status IN (${OPEN_SQL})
          AND f."openedAt" <= $3::timestamptz AND f."lastSeenAt" < $3::timestamptz
        FOR UPDATE OF f SKIP LOCKED
      ), moved AS (UPDATE finding f SET "lastSeenAt" = $3::timestamptz FROM due WHERE f.id = due.id RETURNING 1)
      SELECT count(*)::int AS n FROM moved`, [c.ruleId, c.market, c.seenAt])
    settled += rows[0]?.n ?? 0
    // a run that has written the row again meanwhile leaves it to the next call
    await sql.query(`UPDATE rule_seen SET settled = true WHERE "ruleId" = $1 AND market = $2 AND "seenAt" = $3::timestamptz`, [c.ruleId, c.market, c.seenAt])
  }
  return settled
}

// open findings a run answers for: its rules, and its market's findings plus those it saw (a
// market-scoped run may see market-less ones, e.g. duplicate addresses, without owning all of them)
const IN_RUN_SCOPE = `f."ruleId" = ANY($1::text[]) AND f.status IN (${OPEN_SQL})
  AND ($2::text IS NULL OR f."marketCode" = $2::text OR f."lastRunId" = $3::uuid)`

function placementKeys(staged: readonly StagedFinding[]): PlacementKey[] {
  const keys = new Map<string, PlacementKey>()
  for (const f of staged) {
    const id = `${f.ruleId}\u0000${f.marketCode ?? ''}\u0000${f.equipmentTypeCode ?? ''}`
    if (!keys.has(id)) keys.set(id, { ruleId: f.ruleId, marketCode: f.marketCode, equipmentTypeCode: f.equipmentTypeCode })
  }
  return [...keys.values()]
}

/**
 * The placement as the INSERT's joins (appending its parameters): routes by (rule, market, type) — '' stands for
 * «none» so the join can hash — with their group's id; dues by severity. A key whose group is missing gets nothing
 * here, and the routing step after the reconcile tries it again, as it does every finding without a group.
 */
function placementJoin(p: Placement, params: unknown[]) {
  const at = (value: unknown) => `$${params.push(value)}`
  const joins = `LEFT JOIN (
      SELECT m.rule, m.market, m.eqtype, g.id AS "groupId", COALESCE(m.line, g."supportLine") AS line, m.unrouted
      FROM unnest(${at(p.routes.map((r) => r.ruleId))}::text[], ${at(p.routes.map((r) => r.marketCode ?? ''))}::text[],
        ${at(p.routes.map((r) => r.equipmentTypeCode ?? ''))}::text[], ${at(p.routes.map((r) => r.group))}::text[],
        ${at(p.routes.map((r) => r.line))}::int[], ${at(p.routes.map((r) => r.unrouted))}::boolean[]) AS m(rule, market, eqtype, grp, line, unrouted)
      JOIN responsible_group g ON g.code = m.grp
    ) r ON r.rule = d."ruleId" AND r.market = COALESCE(d."marketCode", '') AND r.eqtype = COALESCE(d."equipmentTypeCode", '')
    LEFT JOIN unnest(${at(p.dues.map((x) => x.severity))}::text[], ${at(p.dues.map((x) => x.ackDueAt.toISOString()))}::timestamptz[],
      ${at(p.dues.map((x) => x.dueAt.toISOString()))}::timestamptz[]) AS s(severity, ack, due)
      ON s.severity = d.severity::text AND r."groupId" IS NOT NULL`
  return { joins, columns: `r."groupId", r.line, COALESCE(r.unrouted, false), s.ack, s.due` }
}

/** A finding as the audit report shows it. */
export interface ReportFinding {
  fingerprint: string
  ruleId: string
  severity: Severity
  status: FindingStatus
  message: string
  entities: EntityRef[]
  details: Record<string, unknown>
}

/**
 * The findings open after a run, within its scope (waived ones are not open): most severe first,
 * then by rule and subjects, so two reports of the same state are identical.
 */
export async function openFindingsOfRun(
  sql: SqlClient, run: { id: string }, scope: { ruleIds: readonly string[]; market?: string | null },
): Promise<ReportFinding[]> {
  const { rows } = await sql.query<ReportFinding>(`
    SELECT f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f.entities, f.details
    FROM finding f WHERE ${IN_RUN_SCOPE}
    ORDER BY f.severity, f."ruleId", f.entities::text, f.fingerprint`, [scope.ruleIds, scope.market ?? null, run.id])
  return rows
}

/** Checks the detection against the run's scope and gives each finding its fingerprint (a repeat is dropped). */
function stage(scope: ReconcileScope, detected: readonly DetectedFinding[]): StagedFinding[] {
  const severity = new Map(scope.rules.map((r) => [r.id, r.severity]))
  const byFingerprint = new Map<string, StagedFinding>()
  for (const f of detected) {
    const ruleSeverity = severity.get(f.ruleId)
    // a finding of a rule the run did not evaluate would escape its scope's resolve step
    if (!ruleSeverity) throw new Error(`detection reported a finding of rule '${f.ruleId}', which this run does not evaluate`)
    if (f.entities.length === 0) throw new Error(`detection reported a finding of rule '${f.ruleId}' without entities`)
    // a finding rebuilt from its stored row brings its fingerprint, its entities stored canonical
    const entities = f.stored ? f.entities : canonicalEntities(f.entities)
    const fp = f.stored?.fingerprint ?? fingerprintOfCanonical(f.ruleId, entities)
    if (byFingerprint.has(fp)) continue
    byFingerprint.set(fp, {
      fingerprint: fp,
      ruleId: f.ruleId,
      severity: ruleSeverity,
      message: f.message,
      entities: JSON.stringify(entities),
      details: JSON.stringify(f.details ?? {}),
      marketCode: f.marketCode,
      equipmentTypeCode: f.equipmentTypeCode,
    })
  }
  return [...byFingerprint.values()]
}

/** Where a reconcile's statements read the run's detection and scope from: a relation to put after FROM. */
interface RunSource {
  detected(params: unknown[]): string
  scope(params: unknown[]): string
}

type ScopeRow = readonly [ruleId: string, entityType: string, entityKey: string]

const detectedColumns = (f: readonly StagedFinding[]) => [f.map((x) => x.fingerprint), f.map((x) => x.ruleId), f.map((x) => x.severity),
  f.map((x) => x.message), f.map((x) => x.entities), f.map((x) => x.details), f.map((x) => x.marketCode), f.map((x) => x.equipmentTypeCode)]
const detectedFrom = (p: (i: number) => string) => `SELECT fp AS fingerprint, rule AS "ruleId", sev::"Severity" AS severity, msg AS message,
    ent::jsonb AS entities, det::jsonb AS details, market AS "marketCode", eqtype AS "equipmentTypeCode"
  FROM unnest(${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `${p(i)}::text[]`).join(', ')}) AS t(fp, rule, sev, msg, ent, det, market, eqtype)`
const scopeColumns = (rows: readonly ScopeRow[]) => [rows.map((x) => x[0]), rows.map((x) => x[1]), rows.map((x) => x[2])]

/** The detection as parameters of each statement (they are appended to its list). */
function inlineSource(staged: readonly StagedFinding[], subjects: readonly ScopeRow[]): RunSource {
  const append = (params: unknown[], columns: unknown[][]) => {
    const first = params.length + 1
    params.push(...columns)
    return (i: number) => `$${first + i}`
  }
  return {
    detected: (params) => `(${detectedFrom(append(params, detectedColumns(staged)))})`,
    scope: (params) => {
      const p = append(params, scopeColumns(subjects))
      return `(SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[]) AS x("ruleId", "entityType", "entityKey"))`
    },
  }
}

/** The detection staged once in temporary tables (dropped at commit), so the joins read it once instead of per statement. */
async function stageTables(tx: SqlClient, staged: readonly StagedFinding[], subjects: readonly ScopeRow[]): Promise<RunSource> {
  await tx.exec(`CREATE TEMP TABLE sverka_run_detected (
    fingerprint text PRIMARY KEY, "ruleId" text NOT NULL, severity "Severity" NOT NULL, message text NOT NULL,
    entities jsonb NOT NULL, details jsonb NOT NULL, "marketCode" text, "equipmentTypeCode" text) ON COMMIT DROP`)
  // COPY, not INSERT … unnest: no parameter arrays to build and parse (the text format is what COPY reads fastest)
  if (staged.length > 0) {
    const lines = staged.map((f) => [f.fingerprint, f.ruleId, f.severity, f.message, f.entities, f.details, f.marketCode, f.equipmentTypeCode]
      .map(copyValue).join('\t'))
    await tx.copyFrom('sverka_run_detected', `${lines.join('\n')}\n`)
  }
  // not ANALYZEd: the planner sizes a never-analysed table from its pages, which is all the joins need to hash (their
  // plans stayed the same), and ANALYZE took 150–290 ms of a 100k audit's reconcile
  await tx.exec(`CREATE TEMP TABLE sverka_run_scope ("ruleId" text NOT NULL, "entityType" text NOT NULL, "entityKey" text NOT NULL) ON COMMIT DROP`)
  for (let i = 0; i < subjects.length; i += STAGE_BATCH) {
    await tx.query(`INSERT INTO sverka_run_scope SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, scopeColumns(subjects.slice(i, i + STAGE_BATCH)))
  }
  return { detected: () => 'sverka_run_detected', scope: () => 'sverka_run_scope' }
}

// ───────────────────────────── what people do with a finding ─────────────────────────────

export interface ActorInput {
  /** who does it: an API key's name, a user, 'cli' */
  actor: string
  /** why; kept on the event */
  reason?: string
}

type Transition = 'acknowledge' | 'start' | 'resolve' | 'waive' | 'reopen'

const TRANSITIONS: Record<Transition, { from: readonly FindingStatus[]; to: FindingStatus; action: string }> = {
  acknowledge: { from: ['NEW', 'OPEN', 'REOPENED'], to: 'ACKNOWLEDGED', action: 'acknowledged' },
  start: { from: ['NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED'], to: 'IN_PROGRESS', action: 'started' },
  resolve: { from: OPEN_STATUSES, to: 'RESOLVED', action: 'resolved' },
  // waiving a waived finding again replaces its waiver (a new reason or expiry)
  waive: { from: [...OPEN_STATUSES, 'WAIVED'], to: 'WAIVED', action: 'waived' },
  reopen: { from: ['RESOLVED', 'WAIVED'], to: 'REOPENED', action: 'reopened' },
}

type PrismaHolder = Pick<Database, 'prisma'>
type Tx = Parameters<Parameters<Database['prisma']['$transaction']>[0]>[0]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A finding by its id or its fingerprint. */
export async function getFinding(db: PrismaHolder, ref: string): Promise<Finding> {
  const found = await findByRef(db.prisma, ref)
  if (!found) throw new NotFoundError(FINDING_RU.notFound(ref))
  return found
}

function findByRef(prisma: Tx | Database['prisma'], ref: string) {
  return UUID.test(ref)
    ? prisma.finding.findFirst({ where: { OR: [{ id: ref }, { fingerprint: ref }] } })
    : prisma.finding.findUnique({ where: { fingerprint: ref } })
}

export async function acknowledgeFinding(db: PrismaHolder, ref: string, input: ActorInput): Promise<Finding> {
  return transition(db, ref, 'acknowledge', input)
}

export async function startFinding(db: PrismaHolder, ref: string, input: ActorInput): Promise<Finding> {
  return transition(db, ref, 'start', input)
}

/** A person closes the finding; the next run reopens it if the collision is still there. */
export async function resolveFinding(db: PrismaHolder, ref: string, input: { actor: string; comment: string }): Promise<Finding> {
  if (!input.comment?.trim()) throw new InputError(FINDING_RU.resolveNeedsComment)
  return transition(db, ref, 'resolve', { actor: input.actor, reason: input.comment })
}

/** Hides the finding from reports until `until` (or for good); an expired waiver brings it back on the next run. */
export async function waiveFinding(db: PrismaHolder, ref: string, input: { actor: string; reason: string; until?: Date | null }): Promise<Finding> {
  if (!input.reason?.trim()) throw new InputError(FINDING_RU.waiveNeedsReason)
  const until = input.until ?? null
  if (until && (Number.isNaN(until.getTime()) || until.getTime() <= Date.now())) {
    throw new InputError(FINDING_RU.waiverExpiryPast(Number.isNaN(until.getTime()) ? null : until.toISOString()))
  }
  return transition(db, ref, 'waive', { actor: input.actor, reason: input.reason }, async (tx, finding, at) => {
    await tx.waiver.updateMany({ where: { findingId: finding.id, revokedAt: null }, data: { revokedAt: at } })
    await tx.waiver.create({ data: { findingId: finding.id, reason: input.reason, actor: input.actor, expiresAt: until, createdAt: at } })
    return { until: until?.toISOString() ?? null }
  })
}

/** Brings a resolved or waived finding back; a waiver in force is revoked. */
export async function reopenFinding(db: PrismaHolder, ref: string, input: ActorInput): Promise<Finding> {
  return transition(db, ref, 'reopen', input, async (tx, finding, at) => {
    const revoked = await tx.waiver.updateMany({ where: { findingId: finding.id, revokedAt: null }, data: { revokedAt: at } })
    return revoked.count ? { revokedWaivers: revoked.count } : {}
  })
}

/** A remark on the finding's history; the status stays. */
export async function commentFinding(db: PrismaHolder, ref: string, input: { actor: string; text: string }): Promise<Finding> {
  if (!input.text?.trim()) throw new InputError(FINDING_RU.commentNeedsText)
  const finding = await getFinding(db, ref)
  await db.prisma.findingEvent.create({
    data: { findingId: finding.id, actor: input.actor, action: 'commented', fromStatus: finding.status, toStatus: finding.status, reason: input.text },
  })
  return finding
}

/** What an assignment sets: the responsible group (by code), the support line (default: the group's) and who works on it. */
export interface AssignInput {
  actor: string
  group: string
  line?: number | null
  /** a person within the group; null clears it, left out keeps it */
  assignee?: string | null
  reason?: string
  /** the groups the one asking may assign to (its market scope's); others are answered as unknown. Default: all */
  groupsVisible?: Prisma.ResponsibleGroupWhereInput
}

export const SUPPORT_LINES = [1, 2, 3] as const

/** Routes an open finding to a responsible group and support line; the status stays, the change is an event. */
export async function assignFinding(db: PrismaHolder, ref: string, input: AssignInput): Promise<Finding> {
  if (!input.actor?.trim()) throw new InputError(FINDING_RU.actorRequired('assign', 'actor'))
  if (input.line != null && !(SUPPORT_LINES as readonly number[]).includes(input.line)) {
    throw new FieldError('line', FINDING_RU.supportLine(input.line))
  }
  const assignee = input.assignee === undefined ? undefined : input.assignee?.trim() || null
  return db.prisma.$transaction(async (tx) => {
    const finding = await findByRef(tx, ref)
    if (!finding) throw new NotFoundError(FINDING_RU.notFound(ref))
    const visible = input.groupsVisible ?? {}
    const group = await tx.responsibleGroup.findFirst({ where: { AND: [{ code: input.group }, visible] } })
    if (!group) {
      const known = (await tx.responsibleGroup.findMany({ where: visible, select: { code: true }, orderBy: { code: 'asc' } })).map((g) => g.code)
      throw new FieldError('group', FINDING_RU.unknownGroup(input.group, known))
    }
    if (!(OPEN_STATUSES as readonly FindingStatus[]).includes(finding.status)) {
      throw new ConflictError(FINDING_RU.wrongStatus('assign', finding.fingerprint, finding.status, OPEN_STATUSES))
    }
    const at = new Date()
    const line = input.line ?? group.supportLine
    const previous = finding.groupId === null ? null : await tx.responsibleGroup.findUnique({ where: { id: finding.groupId }, select: { code: true } })
    const changed = await tx.finding.updateMany({
      where: { id: finding.id, status: finding.status },
      data: { groupId: group.id, supportLine: line, ...(assignee !== undefined ? { assignee } : {}), updatedAt: at },
    })
    if (changed.count !== 1) throw new ConflictError(FINDING_RU.changedMeanwhile(finding.fingerprint))
    await tx.findingEvent.create({
      data: {
        findingId: finding.id, at, actor: input.actor, action: 'assigned', fromStatus: finding.status, toStatus: finding.status,
        reason: input.reason ?? null,
        data: {
          group: group.code, line, assignee: assignee === undefined ? finding.assignee : assignee,
          previous: { group: previous?.code ?? null, line: finding.supportLine, assignee: finding.assignee },
        },
      },
    })
    return tx.finding.findUniqueOrThrow({ where: { id: finding.id } })
  })
}

async function transition(
  db: PrismaHolder, ref: string, name: Transition, input: ActorInput,
  extra?: (tx: Tx, finding: Finding, at: Date) => Promise<Prisma.InputJsonObject>,
): Promise<Finding> {
  if (!input.actor?.trim()) throw new InputError(FINDING_RU.actorRequired(name, 'actor'))
  const rule = TRANSITIONS[name]
  return db.prisma.$transaction(async (tx) => {
    const finding = await findByRef(tx, ref)
    if (!finding) throw new NotFoundError(FINDING_RU.notFound(ref))
    if (!rule.from.includes(finding.status)) {
      throw new ConflictError(FINDING_RU.wrongStatus(name, finding.fingerprint, finding.status, rule.from))
    }
    const at = new Date()
    const data = extra ? await extra(tx, finding, at) : {}
    const open = (status: FindingStatus) => (OPEN_STATUSES as readonly FindingStatus[]).includes(status)
    // leaving the open statuses, it keeps the last-seen time the rule_seen rows gave it; coming back, runs before now
    // did not see it open (effectiveLastSeen)
    const lastSeen = open(finding.status) && !open(rule.to)
      ? (await tx.$queryRawUnsafe<Array<{ v: Date }>>(`SELECT ${effectiveLastSeen('f')} AS v FROM finding f WHERE f.id = $1::uuid`, finding.id))[0].v
      : undefined
    // the status guard makes a concurrent change a conflict instead of a lost update
    const changed = await tx.finding.updateMany({
      where: { id: finding.id, status: finding.status },
      data: {
        status: rule.to,
        updatedAt: at,
        ...(lastSeen ? { lastSeenAt: lastSeen } : {}),
        ...(!open(finding.status) && open(rule.to) ? { openedAt: at } : {}),
        ...(name === 'acknowledge' || (name === 'start' && !finding.acknowledgedAt) ? { acknowledgedAt: at } : {}),
        ...(name === 'resolve' ? { resolvedAt: at } : {}),
        ...(name === 'reopen' ? { resolvedAt: null, acknowledgedAt: null } : {}),
      },
    })
    if (changed.count !== 1) throw new ConflictError(FINDING_RU.changedMeanwhile(finding.fingerprint))
    await tx.findingEvent.create({
      data: {
        findingId: finding.id, at, actor: input.actor, action: rule.action,
        fromStatus: finding.status, toStatus: rule.to, reason: input.reason ?? null, data,
      },
    })
    return tx.finding.findUniqueOrThrow({ where: { id: finding.id } })
  })
}

/** Past this many new findings in a run, the planner must be told how many there are (see freshStatistics). */
const ANALYZE_FROM = 1000

/**
 * A run has just written its new findings, in its transaction: when they outnumber what the table's statistics know
 * of (the first audit of a database, or a flood of new collisions), the statements after it — the routing of the
 * run's findings first — would take them for a row or two: the routing joined each to every route in turn (4.3
 * million comparisons, 2.0 s for 18,746 findings; with the statistics a hash join, and the 0.7 s left is writing the
 * rows). ANALYZE in the transaction counts its own rows (140 ms there); it samples at most 30,000, so it costs about
 * the same at any size.
 */
async function freshStatistics(tx: SqlClient, created: number) {
  if (created < ANALYZE_FROM) return
  const { rows: [known] } = await tx.query<{ rows: number }>(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'finding'::regclass`)
  if (known && known.rows >= created) return
  await tx.exec('ANALYZE finding')
}
