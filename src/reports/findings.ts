// Reports on the findings open now: how many per rule × market and severity, how old they are (per rule or
// responsible group), and where work gets stuck (per group and support line: received, in time, overdue).
// One SQL statement each, limited to the caller's markets. Every number is what the findings list returns
// for the matching filter (FindingFilter: ruleIds, market/noMarket, severities, group/noGroup, line,
// firstSeenFrom/Before, overdue), so the console drills down from a number to exactly those findings.
import type { SqlClient } from '../db/database.ts'
import type { Durations } from '../incidents/reports.ts'
import { OPEN_SQL, periodSql, scopeSql, type Period, type ReportScope } from './scope.ts'

// ───────────────────────────── open findings by rule × market ─────────────────────────────

export interface MatrixCell {
  ruleId: string
  /** null: findings of no single market */
  market: string | null
  critical: number
  high: number
  medium: number
  low: number
  total: number
}

/** Open findings per rule and market, by severity; ordered by rule, then market (no market last). */
export async function findingsMatrix(sql: SqlClient, scope: ReportScope): Promise<MatrixCell[]> {
  const params: unknown[] = []
  const { rows } = await sql.query<MatrixCell>(`
    SELECT f."ruleId", f."marketCode" AS market,
      count(*) FILTER (WHERE f.severity = 'CRITICAL')::int AS critical,
      count(*) FILTER (WHERE f.severity = 'HIGH')::int AS high,
      count(*) FILTER (WHERE f.severity = 'MEDIUM')::int AS medium,
      count(*) FILTER (WHERE f.severity = 'LOW')::int AS low,
      count(*)::int AS total
    FROM finding f
    WHERE f.status IN (${OPEN_SQL}) AND ${scopeSql(scope, params)}
    GROUP BY f."ruleId", f."marketCode"
    ORDER BY f."ruleId", f."marketCode" NULLS LAST`, params)
  return rows
}

// ───────────────────────────── aging of open findings ─────────────────────────────

export type AgingBy = 'rule' | 'group'

export interface AgingRow {
  /** the rule id, or the responsible group's code (null: not routed to a group) */
  key: string | null
  /** the group's name (by group) */
  name: string | null
  under1Day: number
  days1to7: number
  days7to30: number
  over30Days: number
  total: number
}

/**
 * Open findings per rule or responsible group by age (first seen against `now`), in the console's age
 * buckets: < 1 day, 1–7, 7–30, > 30 days, each lower bound inclusive; most findings first.
 */
export async function aging(sql: SqlClient, scope: ReportScope, by: AgingBy, now: Date = new Date()): Promise<AgingRow[]> {
  const params: unknown[] = [now.toISOString()]
  const scoped = scopeSql(scope, params)
  // hours, not days: the console subtracts 24 h per day, whatever the session's time zone does with «1 day»
  const ago = (hours: number) => `($1::timestamptz - interval '${hours} hours')`
  const [key, name, join] = by === 'rule'
    ? ['f."ruleId"', 'NULL::text', '']
    : ['g.code', 'g.name', 'LEFT JOIN responsible_group g ON g.id = f."groupId"']
  const { rows } = await sql.query<AgingRow>(`
    SELECT ${key} AS key, ${name} AS name,
      count(*) FILTER (WHERE f."firstSeenAt" >= ${ago(24)})::int AS "under1Day",
      count(*) FILTER (WHERE f."firstSeenAt" >= ${ago(7 * 24)} AND f."firstSeenAt" < ${ago(24)})::int AS "days1to7",
      count(*) FILTER (WHERE f."firstSeenAt" >= ${ago(30 * 24)} AND f."firstSeenAt" < ${ago(7 * 24)})::int AS "days7to30",
      count(*) FILTER (WHERE f."firstSeenAt" < ${ago(30 * 24)})::int AS "over30Days",
      count(*)::int AS total
    FROM finding f ${join}
    WHERE f.status IN (${OPEN_SQL}) AND ${scoped}
    GROUP BY 1, 2
    ORDER BY total DESC, 1 NULLS LAST`, params)
  return rows
}

// ───────────────────────────── where work gets stuck ─────────────────────────────

export interface BottleneckRow {
  /** responsible group code; null: not routed to a group */
  groupCode: string | null
  groupName: string | null
  /** support line; null: none set */
  line: number | null
  /** findings first seen in the period, now routed to this group and line */
  received: number
  /** of those, first acknowledged (or started) at or before their acknowledge-by time (or without one) */
  acknowledgedInTime: number
  /** of those, first resolved at or before their resolve-by time (or without one) */
  resolvedInTime: number
  /** of those received, time from first seen to the first acknowledgement */
  acknowledge: Durations
  /** of those received, time from first seen to the first resolve */
  resolve: Durations
  /** open now (whenever first seen) and past the acknowledge-by time unacknowledged, or past the resolve-by time */
  overdue: number
  /** one of the three worst (most overdue, then the lowest shares in time); the worst are listed first */
  worst: boolean
}

/**
 * Where work gets stuck, per responsible group and support line (the finding's current ones): what was
 * received in the period, how much of it was acknowledged and resolved in time and how fast, and what is
 * overdue now. The three worst — most overdue, then lowest share acknowledged in time, then lowest share
 * resolved in time; only rows with something overdue or late — come first, the rest by group code and line.
 */
export async function bottlenecks(sql: SqlClient, scope: ReportScope, period: Period = {}, now: Date = new Date()): Promise<BottleneckRow[]> {
  const params: unknown[] = [now.toISOString()]
  const scoped = scopeSql(scope, params)
  const received = periodSql('f."firstSeenAt"', period, params)
  const isOpen = `f.status IN (${OPEN_SQL})`
  // the same condition as slaBreaches and the findings filter `overdue`
  const overdue = `(${isOpen} AND ((f."acknowledgedAt" IS NULL AND f."ackDueAt" < $1::timestamptz) OR f."dueAt" < $1::timestamptz))`
  const { rows } = await sql.query<{
    groupCode: string | null; groupName: string | null; line: number | null
    received: number; acknowledgedInTime: number; resolvedInTime: number
    acks: number; ackMedian: number | null; ackP90: number | null
    resolves: number; resolveMedian: number | null; resolveP90: number | null
    overdue: number; worst: boolean
  }>(`
    WITH t AS (
      SELECT f.id, f."groupId", f."supportLine", f."firstSeenAt", f."ackDueAt", f."dueAt", ${isOpen} AS is_open,
        (${received}) AS received, ${overdue} AS overdue, ev.acked, ev.resolved
      FROM finding f LEFT JOIN (
        -- the first acknowledgement and the first resolve as responseTimes takes them, of the findings received:
        -- one hash join over their events (a lookup per finding, or a CTE the planner cannot see into, costs
        -- seconds at 100k findings)
        SELECT e."findingId", min(e.at) FILTER (WHERE e.action IN ('acknowledged', 'started')) AS acked,
          min(e.at) FILTER (WHERE e."toStatus" = 'RESOLVED' AND e."fromStatus" IS DISTINCT FROM 'RESOLVED') AS resolved
        FROM finding_event e JOIN finding f ON f.id = e."findingId"
        WHERE ${scoped} AND ${received}
          AND (e.action IN ('acknowledged', 'started') OR (e."toStatus" = 'RESOLVED' AND e."fromStatus" IS DISTINCT FROM 'RESOLVED'))
        GROUP BY e."findingId"
      ) ev ON ev."findingId" = f.id
      WHERE ${scoped} AND ((${received}) OR ${overdue})
    ), m AS (
      SELECT t.*,
        t.acked IS NOT NULL AND (t."ackDueAt" IS NULL OR t.acked <= t."ackDueAt") AS ack_in_time,
        t.resolved IS NOT NULL AND (t."dueAt" IS NULL OR t.resolved <= t."dueAt") AS resolve_in_time,
        -- late: acknowledged or resolved after its time, or open and still not done past it
        (t."ackDueAt" < coalesce(t.acked, CASE WHEN t.is_open THEN $1::timestamptz END)
          OR t."dueAt" < coalesce(t.resolved, CASE WHEN t.is_open THEN $1::timestamptz END)) AS late,
        extract(epoch FROM t.acked - t."firstSeenAt")::float8 AS ack_s,
        extract(epoch FROM t.resolved - t."firstSeenAt")::float8 AS resolve_s
      FROM t
    ), agg AS (
      SELECT m."groupId", m."supportLine",
        count(*) FILTER (WHERE received)::int AS received,
        count(*) FILTER (WHERE received AND ack_in_time)::int AS "acknowledgedInTime",
        count(*) FILTER (WHERE received AND resolve_in_time)::int AS "resolvedInTime",
        count(ack_s) FILTER (WHERE received)::int AS acks,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_s) FILTER (WHERE received) AS "ackMedian",
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ack_s) FILTER (WHERE received) AS "ackP90",
        count(resolve_s) FILTER (WHERE received)::int AS resolves,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY resolve_s) FILTER (WHERE received) AS "resolveMedian",
        percentile_cont(0.9) WITHIN GROUP (ORDER BY resolve_s) FILTER (WHERE received) AS "resolveP90",
        count(*) FILTER (WHERE overdue)::int AS overdue,
        count(*) FILTER (WHERE received AND late) > 0 AS any_late
      FROM m
      GROUP BY m."groupId", m."supportLine"
    ), ranked AS (
      SELECT agg.*, g.code AS "groupCode", g.name AS "groupName",
        agg.overdue > 0 OR any_late AS eligible,
        row_number() OVER (ORDER BY (agg.overdue > 0 OR any_late) DESC, agg.overdue DESC,
          CASE WHEN received = 0 THEN 1 ELSE "acknowledgedInTime"::float8 / received END,
          CASE WHEN received = 0 THEN 1 ELSE "resolvedInTime"::float8 / received END,
          g.code NULLS LAST, agg."supportLine" NULLS LAST) AS rank
      FROM agg LEFT JOIN responsible_group g ON g.id = agg."groupId"
    )
    SELECT "groupCode", "groupName", "supportLine" AS line, received, "acknowledgedInTime", "resolvedInTime",
      acks, "ackMedian", "ackP90", resolves, "resolveMedian", "resolveP90", overdue,
      (eligible AND rank <= 3) AS worst
    FROM ranked
    ORDER BY (eligible AND rank <= 3) DESC, CASE WHEN eligible AND rank <= 3 THEN rank END, "groupCode" NULLS LAST, "supportLine" NULLS LAST`, params)
  return rows.map((r) => ({
    groupCode: r.groupCode, groupName: r.groupName, line: r.line,
    received: r.received, acknowledgedInTime: r.acknowledgedInTime, resolvedInTime: r.resolvedInTime,
    acknowledge: { count: r.acks, medianSeconds: r.ackMedian, p90Seconds: r.ackP90 },
    resolve: { count: r.resolves, medianSeconds: r.resolveMedian, p90Seconds: r.resolveP90 },
    overdue: r.overdue, worst: r.worst,
  }))
}
