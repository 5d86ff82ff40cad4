// The reports helpers A and B add to the API (issue 16's contract), written against that contract before they are
// in schema.graphql: plain strings that graphql-codegen does not read, with their answers typed by hand. Once the
// fields are in the schema these move into operations.ts and take codegen's types.

/** A query's text with its answer's and variables' types (urql takes the text as it is). */
export interface Typed<Data, Variables> { text: string; data?: Data; variables?: Variables }
const typed = <Data, Variables>(text: string): Typed<Data, Variables> => ({ text })

interface Durations { count: number; medianSeconds: number | null; p90Seconds: number | null }
export interface QualityReport {
  reports: {
    qualityScores: Array<{
      runId: string; asOf: string; finishedAt: string; records: number; clean: number; flagged: number; score: number | null
      markets: Array<{
        market: string | null; marketName: string | null; records: number; clean: number; flagged: number; score: number | null
        entityTypes: Array<{ entityType: string; records: number; clean: number; flagged: number; score: number | null }>
      }>
    }>
  }
}
export interface MatrixReport {
  reports: { findingsMatrix: Array<{ ruleId: string; market: string | null; critical: number; high: number; medium: number; low: number; total: number }> }
}
export interface AgingReport {
  reports: { aging: Array<{ key: string | null; name: string | null; under1Day: number; days1to7: number; days7to30: number; over30Days: number; total: number }> }
}
export interface BottlenecksReport {
  reports: {
    bottlenecks: Array<{
      group: string | null; groupName: string | null; line: number | null; received: number; acknowledgedInTime: number; resolvedInTime: number
      acknowledge: Durations; resolve: Durations; overdue: number; worst: boolean
    }>
  }
}

type Period = { since?: string | null; until?: string | null }

export const QualityReportQuery = typed<QualityReport, { from?: string | null; to?: string | null }>(`
  query QualityReport($from: DateTime, $to: DateTime) {
    reports {
      qualityScores(from: $from, to: $to) {
        runId asOf finishedAt records clean flagged score
        markets { market marketName records clean flagged score entityTypes { entityType records clean flagged score } }
      }
    }
  }
`)

export const MatrixReportQuery = typed<MatrixReport, Record<string, never>>(`
  query MatrixReport {
    reports { findingsMatrix { ruleId market critical high medium low total } }
  }
`)

export const AgingReportQuery = typed<AgingReport, { by: 'RULE' | 'GROUP' }>(`
  query AgingReport($by: AgingBy) {
    reports { aging(by: $by) { key name under1Day days1to7 days7to30 over30Days total } }
  }
`)

export const BottlenecksReportQuery = typed<BottlenecksReport, Period>(`
  query BottlenecksReport($since: DateTime, $until: DateTime) {
    reports {
      bottlenecks(since: $since, until: $until) {
        group groupName line received acknowledgedInTime resolvedInTime
        acknowledge { count medianSeconds p90Seconds } resolve { count medianSeconds p90Seconds } overdue worst
      }
    }
  }
`)
