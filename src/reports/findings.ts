// PLACEHOLDER (helper D's branch only): the contract's signatures of helper B's module, so that the album compiles
// before it is merged. Replaced by helper B's src/reports/findings.ts on `git merge main` (take theirs).
import type { SqlClient } from '../db/database.ts'
import type { Durations, Period, ReportScope } from '../incidents/reports.ts'

export interface MatrixCell { ruleId: string; market: string | null; critical: number; high: number; medium: number; low: number; total: number }
export async function findingsMatrix(_sql: SqlClient, _scope: ReportScope): Promise<MatrixCell[]> {
  return []
}
export type AgingBy = 'rule' | 'group'
export interface AgingRow { key: string | null; name: string | null; under1Day: number; days1to7: number; days7to30: number; over30Days: number; total: number }
export async function aging(_sql: SqlClient, _scope: ReportScope, _by: AgingBy, _now?: Date): Promise<AgingRow[]> {
  return []
}
export interface BottleneckRow {
  groupCode: string | null; groupName: string | null; line: number | null
  received: number
  acknowledgedInTime: number
  resolvedInTime: number
  acknowledge: Durations; resolve: Durations
  overdue: number
  worst: boolean
}
export async function bottlenecks(_sql: SqlClient, _scope: ReportScope, _period: Period, _now?: Date): Promise<BottleneckRow[]> {
  return []
}
