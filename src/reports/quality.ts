// The data-quality score and its trend (SPEC «Data-quality score and reports»): the scores every successful full
// audit stored (src/engine/quality.ts), per run, market and entity type. A key limited to markets reads its markets'
// rows only, never the row of records that belong to no market; a score of several rows is 100 · Σclean / Σrecords,
// the mean of their scores weighted by their record counts.
import type { SqlClient } from '../db/database.ts'
import type { Period, ReportScope } from '../incidents/reports.ts'
import { ENTITY_TYPES, type EntityType } from '../records/model.ts'

export interface EntityTypeScore { entityType: EntityType; records: number; clean: number; score: number | null }

export interface MarketScore {
  /** null: records that belong to no market (shown to unscoped keys only) */
  market: string | null
  marketName: string | null
  records: number
  clean: number
  /** 100 · clean / records; null when records = 0 */
  score: number | null
  /** every entity type, in the record model's order (records 0 where the run counted none) */
  entityTypes: EntityTypeScore[]
}

export interface QualityRun {
  runId: string
  /** YYYY-MM-DD */
  asOf: string
  finishedAt: Date
  records: number
  clean: number
  score: number | null
  /** by market code, the no-market row last */
  markets: MarketScore[]
}

/** The newest this many runs are read at most. */
export const QUALITY_RUNS_MAX = 1000

export const scoreOf = (records: number, clean: number): number | null => (records > 0 ? (100 * clean) / records : null)

/** Successful full audits with stored scores whose finishedAt is in the period, oldest first; markets limited to the scope. */
export async function qualityScores(sql: SqlClient, scope: ReportScope, period: Period): Promise<QualityRun[]> {
  const params: unknown[] = [QUALITY_RUNS_MAX]
  const runWhere = [`r.status = 'SUCCEEDED'`, 'EXISTS (SELECT 1 FROM quality_score q WHERE q."runId" = r.id)']
  if (period.since) {
    params.push(period.since.toISOString())
    runWhere.push(`r."finishedAt" >= $${params.length}::timestamptz`)
  }
  if (period.until) {
    params.push(period.until.toISOString())
    runWhere.push(`r."finishedAt" < $${params.length}::timestamptz`)
  }
  const rowWhere: string[] = []
  if (scope.markets !== null) {
    params.push([...scope.markets])
    rowWhere.push(`q."marketCode" = ANY($${params.length}::text[])`)
  }
  if (scope.market != null) {
    params.push(scope.market)
    rowWhere.push(`q."marketCode" = $${params.length}::text`)
  }
  const { rows } = await sql.query<{
    runId: string; asOf: string; finishedAt: Date; marketCode: string | null; marketName: string | null
    entityType: string | null; records: number | null; clean: number | null
  }>(`
    WITH runs AS (
      SELECT r.id, r."asOf", r."finishedAt" FROM audit_run r
      WHERE ${runWhere.join(' AND ')}
      ORDER BY r."finishedAt" DESC, r.id DESC LIMIT $1
    )
    SELECT r.id AS "runId", to_char(r."asOf", 'YYYY-MM-DD') AS "asOf", r."finishedAt",
      q."marketCode", m.name AS "marketName", q."entityType", q.records, q.clean
    FROM runs r
    LEFT JOIN quality_score q ON q."runId" = r.id${rowWhere.length ? ` AND ${rowWhere.join(' AND ')}` : ''}
    LEFT JOIN market m ON m.code = q."marketCode"
    ORDER BY r."finishedAt", r.id, q."marketCode" NULLS LAST`, params)

  const runs: QualityRun[] = []
  const markets = new Map<string, MarketScore>()
  for (const row of rows) {
    let run = runs.at(-1)
    if (run?.runId !== row.runId) {
      run = { runId: row.runId, asOf: row.asOf, finishedAt: new Date(row.finishedAt), records: 0, clean: 0, score: null, markets: [] }
      runs.push(run)
      markets.clear()
    }
    // a run none of whose rows is in the scope is still a point of the trend, with nothing in it
    if (row.entityType === null) continue
    const code = row.marketCode ?? ''
    let market = markets.get(code)
    if (!market) {
      market = {
        market: row.marketCode, marketName: row.marketName, records: 0, clean: 0, score: null,
        entityTypes: ENTITY_TYPES.map((entityType) => ({ entityType, records: 0, clean: 0, score: null })),
      }
      markets.set(code, market)
      run.markets.push(market)
    }
    const type = market.entityTypes.find((t) => t.entityType === row.entityType)
    if (!type) continue
    type.records += row.records!
    type.clean += row.clean!
    market.records += row.records!
    market.clean += row.clean!
    run.records += row.records!
    run.clean += row.clean!
  }
  for (const run of runs) {
    run.score = scoreOf(run.records, run.clean)
    for (const market of run.markets) {
      market.score = scoreOf(market.records, market.clean)
      for (const type of market.entityTypes) type.score = scoreOf(type.records, type.clean)
    }
  }
  return runs
}
