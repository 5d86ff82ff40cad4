// Reports on findings and the incidents they cause: which rules and markets cause the most incidents and
// complaints, how long acknowledging and resolving takes per responsible group and support line, and
// which findings breach their SLA now. One SQL statement each; every one limited to the caller's
// markets (a finding is seen when its market is one of them; unscoped callers see all).
import type { SqlClient } from '../db/database.ts'
import { OPEN_SQL, periodSql, scopeSql, type Period, type ReportScope } from '../reports/scope.ts'

export type { Period, ReportScope }

// ───────────────────────────── what causes incidents and complaints ─────────────────────────────

export interface HotspotRow {
  /** the rule id (byRule) or market code (byMarket; null: findings without a single market) */
  key: string | null
  incidents: number
  complaints: number
  /** distinct findings of the rule or market the incidents and complaints are linked to */
  findings: number
}

export interface Hotspots {
  byRule: HotspotRow[]
  byMarket: HotspotRow[]
}

/**
 * Rules and markets causing the most incidents and complaints registered in the period: distinct incidents
 * (and complaints) linked to the findings of each rule and of each market, the top `top` of each, most first.
 * An incident linked to findings of two rules counts for both.
 */
export async function incidentHotspots(sql: SqlClient, scope: ReportScope, options: Period & { top?: number } = {}): Promise<Hotspots> {
  const params: unknown[] = [options.top ?? 10]
  const where = `${scopeSql(scope, params)} AND ${periodSql('i."createdAt"', options, params)}`
  const { rows } = await sql.query<HotspotRow & { dimension: 'rule' | 'market' }>(`
    WITH linked AS (
      SELECT f."ruleId", f."marketCode", f.id AS finding, i.id AS incident, i.kind
      FROM finding_incident fi
      JOIN incident i ON i.id = fi."incidentId"
      JOIN finding f ON f.id = fi."findingId"
      WHERE ${where}
    ), counted AS (
      SELECT CASE WHEN GROUPING("ruleId") = 0 THEN 'rule' ELSE 'market' END AS dimension,
        CASE WHEN GROUPING("ruleId") = 0 THEN "ruleId" ELSE "marketCode" END AS key,
        count(DISTINCT incident) FILTER (WHERE kind = 'INCIDENT')::int AS incidents,
        count(DISTINCT incident) FILTER (WHERE kind = 'COMPLAINT')::int AS complaints,
        count(DISTINCT finding)::int AS findings
      FROM linked
      GROUP BY GROUPING SETS (("ruleId"), ("marketCode"))
    ), ranked AS (
      SELECT *, row_number() OVER (PARTITION BY dimension ORDER BY incidents + complaints DESC, incidents DESC, key NULLS LAST) AS rank
      FROM counted
    )
    SELECT dimension, key, incidents, complaints, findings FROM ranked WHERE rank <= $1 ORDER BY dimension, rank`, params)
  const pick = (dimension: string) => rows.filter((r) => r.dimension === dimension).map(({ dimension: _, ...row }) => row)
  return { byRule: pick('rule'), byMarket: pick('market') }
}

// ───────────────────────────── time to acknowledge and to resolve ─────────────────────────────

export interface Durations {
  /** findings measured */
  count: number
  /** seconds from first seen; null when none was measured */
  medianSeconds: number | null
  p90Seconds: number | null
}

export interface ResponseTimeRow {
  /** responsible group code; null: not routed to a group */
  groupCode: string | null
  groupName: string | null
  /** support line; null: none set */
  line: number | null
  /** first acknowledged (or started) within the period, measured from first seen */
  acknowledge: Durations
  /** first resolved within the period (by a person or an audit), measured from first seen */
  resolve: Durations
  /** open now */
  open: number
  /** open now and never acknowledged */
  unacknowledged: number
}

/**
 * Time to acknowledge and to resolve per responsible group and support line (the finding's current ones):
 * count, median and 90th percentile of the time from first seen to the first acknowledgement (an
 * 'acknowledged' or 'started' event) and to the first resolve, for those that happened in the period;
 * beside them what is open now and never acknowledged — where work gets stuck.
 */
export async function responseTimes(sql: SqlClient, scope: ReportScope, period: Period = {}): Promise<ResponseTimeRow[]> {
  const params: unknown[] = []
  const scoped = scopeSql(scope, params)
  const ackIn = periodSql('t.acked', period, params)
  const resolveIn = periodSql('t.resolved', period, params)
  const { rows } = await sql.query<{
    groupCode: string | null; groupName: string | null; line: number | null
    acks: number; ackMedian: number | null; ackP90: number | null
    resolves: number; resolveMedian: number | null; resolveP90: number | null
    open: number; unacknowledged: number
  }>(`
    WITH t AS (
      SELECT f.id, f."groupId", f."supportLine", f.status, f."acknowledgedAt", f."firstSeenAt",
        min(e.at) FILTER (WHERE e.action IN ('acknowledged', 'started')) AS acked,
        min(e.at) FILTER (WHERE e."toStatus" = 'RESOLVED' AND e."fromStatus" IS DISTINCT FROM 'RESOLVED') AS resolved
      FROM finding f LEFT JOIN finding_event e ON e."findingId" = f.id
      WHERE ${scoped}
      GROUP BY f.id
    ), m AS (
      SELECT t.*, (t.acked IS NOT NULL AND ${ackIn}) AS ack_in, (t.resolved IS NOT NULL AND ${resolveIn}) AS resolve_in,
        extract(epoch FROM t.acked - t."firstSeenAt")::float8 AS ack_s, extract(epoch FROM t.resolved - t."firstSeenAt")::float8 AS resolve_s,
        t.status IN (${OPEN_SQL}) AS is_open
      FROM t
    )
    SELECT g.code AS "groupCode", g.name AS "groupName", m."supportLine" AS line,
      count(*) FILTER (WHERE ack_in)::int AS acks,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_s) FILTER (WHERE ack_in) AS "ackMedian",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ack_s) FILTER (WHERE ack_in) AS "ackP90",
      count(*) FILTER (WHERE resolve_in)::int AS resolves,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY resolve_s) FILTER (WHERE resolve_in) AS "resolveMedian",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY resolve_s) FILTER (WHERE resolve_in) AS "resolveP90",
      count(*) FILTER (WHERE is_open)::int AS open,
      count(*) FILTER (WHERE is_open AND m."acknowledgedAt" IS NULL)::int AS unacknowledged
    FROM m LEFT JOIN responsible_group g ON g.id = m."groupId"
    GROUP BY g.code, g.name, m."supportLine"
    HAVING count(*) FILTER (WHERE ack_in OR resolve_in OR is_open) > 0
    ORDER BY g.code NULLS LAST, m."supportLine" NULLS LAST`, params)
  return rows.map((r) => ({
    groupCode: r.groupCode, groupName: r.groupName, line: r.line,
    acknowledge: { count: r.acks, medianSeconds: r.ackMedian, p90Seconds: r.ackP90 },
    resolve: { count: r.resolves, medianSeconds: r.resolveMedian, p90Seconds: r.resolveP90 },
    open: r.open, unacknowledged: r.unacknowledged,
  }))
}

// ───────────────────────────── findings breaching their SLA now ─────────────────────────────

export interface SlaBreach {
  id: string
  fingerprint: string
  ruleId: string
  severity: string
  status: string
  message: string
  marketCode: string | null
  groupCode: string | null
  line: number | null
  escalationLevel: number
  ackDueAt: Date | null
  dueAt: Date | null
  /** seconds past the acknowledge-by time; null: not breached (acknowledged, or not yet due) */
  acknowledgeLateSeconds: number | null
  /** seconds past the resolve-by time; null: not yet due */
  resolveLateSeconds: number | null
  /** the larger of the two */
  lateSeconds: number
}

/**
 * Open findings past their acknowledge-by time (and not acknowledged) or their resolve-by time at `now`,
 * most late first, with how late; `total` counts them all, `breaches` holds the first `limit`.
 */
export async function slaBreaches(
  sql: SqlClient, scope: ReportScope, options: { now?: Date; limit?: number } = {},
): Promise<{ total: number; breaches: SlaBreach[] }> {
  const params: unknown[] = [(options.now ?? new Date()).toISOString(), options.limit ?? 100]
  const scoped = scopeSql(scope, params)
  const ackLate = `CASE WHEN f."acknowledgedAt" IS NULL AND f."ackDueAt" < $1::timestamptz THEN extract(epoch FROM $1::timestamptz - f."ackDueAt")::float8 END`
  const resolveLate = `CASE WHEN f."dueAt" < $1::timestamptz THEN extract(epoch FROM $1::timestamptz - f."dueAt")::float8 END`
  const { rows } = await sql.query<SlaBreach & { total: number }>(`
    SELECT f.id, f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f."marketCode",
      g.code AS "groupCode", f."supportLine" AS line, f."escalationLevel", f."ackDueAt", f."dueAt",
      ${ackLate} AS "acknowledgeLateSeconds", ${resolveLate} AS "resolveLateSeconds",
      GREATEST(${ackLate}, ${resolveLate}) AS "lateSeconds",
      count(*) OVER ()::int AS total
    FROM finding f LEFT JOIN responsible_group g ON g.id = f."groupId"
    WHERE f.status IN (${OPEN_SQL}) AND ${scoped}
      AND ((f."acknowledgedAt" IS NULL AND f."ackDueAt" < $1::timestamptz) OR f."dueAt" < $1::timestamptz)
    ORDER BY "lateSeconds" DESC, f.fingerprint
    LIMIT $2`, params)
  return { total: rows[0]?.total ?? 0, breaches: rows.map(({ total: _, ...row }) => row) }
}
