// PLACEHOLDER (helper D's branch only): the contract's signatures of helper A's module, so that the album compiles
// before it is merged. Replaced by helper A's src/reports/quality.ts on `git merge main` (take theirs).
import type { SqlClient } from '../db/database.ts'
import type { Period, ReportScope } from '../incidents/reports.ts'
import type { EntityType } from '../records/model.ts'

export interface EntityTypeScore { entityType: EntityType; records: number; clean: number; score: number | null }
export interface MarketScore {
  market: string | null
  marketName: string | null
  records: number; clean: number; score: number | null
  entityTypes: EntityTypeScore[]
}
export interface QualityRun { runId: string; asOf: string; finishedAt: Date; records: number; clean: number; score: number | null; markets: MarketScore[] }

export async function qualityScores(_sql: SqlClient, _scope: ReportScope, _period: Period): Promise<QualityRun[]> {
  return []
}
