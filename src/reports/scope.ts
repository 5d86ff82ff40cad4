// What every report over findings shares: who asks (their markets, and an optional narrowing to one market),
// the period, and the SQL conditions both become on the finding alias `f`. Parameters are appended to the
// statement's parameter list, so a report composes them into one statement.
import { OPEN_STATUSES } from '../engine/findings.ts'

/** The open statuses as an SQL list, for `status IN (…)`. */
export const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

/** Who asks (their markets, null: every market) and an optional narrowing to one market. */
export interface ReportScope {
  markets: readonly string[] | null
  /** only findings of this market (within the caller's) */
  market?: string | null
}

export interface Period {
  /** from this instant (inclusive); open-ended when left out */
  since?: Date | null
  /** up to this instant (exclusive); open-ended when left out */
  until?: Date | null
}

/** Conditions on the finding alias `f` for a scope (a finding is seen when its market is one of the caller's). */
export function scopeSql(scope: ReportScope, params: unknown[]): string {
  const conditions: string[] = []
  if (scope.markets !== null) {
    params.push([...scope.markets])
    conditions.push(`f."marketCode" = ANY($${params.length}::text[])`)
  }
  if (scope.market != null) {
    params.push(scope.market)
    conditions.push(`f."marketCode" = $${params.length}::text`)
  }
  return conditions.length ? conditions.join(' AND ') : 'true'
}

/** `column` within the period. */
export function periodSql(column: string, period: Period, params: unknown[]): string {
  const conditions: string[] = []
  if (period.since) {
    params.push(period.since.toISOString())
    conditions.push(`${column} >= $${params.length}::timestamptz`)
  }
  if (period.until) {
    params.push(period.until.toISOString())
    conditions.push(`${column} < $${params.length}::timestamptz`)
  }
  return conditions.length ? conditions.join(' AND ') : 'true'
}
