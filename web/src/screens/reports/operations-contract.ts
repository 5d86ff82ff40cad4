// The report helper A adds to the API (issue 16's contract: qualityScores), written against that contract before it
// is in schema.graphql: a plain string graphql-codegen does not read, its answer typed by hand. Once the field is in
// the schema this moves into operations.ts and takes codegen's types.

/** A query's text with its answer's and variables' types (urql takes the text as it is). */
export interface Typed<Data, Variables> { text: string; data?: Data; variables?: Variables }
const typed = <Data, Variables>(text: string): Typed<Data, Variables> => ({ text })

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
