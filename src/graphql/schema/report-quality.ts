// The data-quality score and its trend under `reports`: the scores stored by successful full audits, per run,
// market and entity type, limited to the key's markets (src/reports/quality.ts).
import { z } from '../../i18n/zod.ts'
import { qualityScores, type EntityTypeScore, type MarketScore, type QualityRun } from '../../reports/quality.ts'
import { HIDDEN } from '../../access/redact.ts'
import { builder } from '../builder.ts'
import { principalOf } from '../context.ts'
import { EntityTypeEnum } from './entity.ts'
import { marketArg, ReportsRef, scope } from './report.ts'
import { GRAPHQL_RU } from '../../i18n/ru-errors.ts'

// the markets and entity types of a run are read with it in one statement: listing them costs no further query
const IN_MEMORY = { field: 1, multiplier: 1 }

const SCORE = 'per cent of the records no open finding names: 100 · clean / records; null when there are no records'

const EntityTypeScoreRef = builder.objectRef<EntityTypeScore>('EntityTypeScore').implement({
  description: 'The score of one entity type in a market',
  fields: (t) => ({
    entityType: t.field({ type: EntityTypeEnum, resolve: (s) => s.entityType }),
    records: t.exposeInt('records'),
    clean: t.exposeInt('clean', { description: 'records no open finding names' }),
    flagged: t.int({ description: 'records an open finding names', resolve: (s) => s.records - s.clean }),
    score: t.exposeFloat('score', { nullable: true, description: SCORE }),
  }),
})

const MarketScoreRef = builder.objectRef<MarketScore>('MarketScore').implement({
  description: 'The score of a market: its entity types\' scores weighted by their record counts',
  fields: (t) => ({
    market: t.exposeString('market', { nullable: true, description: 'market code; null: records that belong to no market (unscoped keys only)' }),
    marketName: t.exposeString('marketName', { nullable: true }),
    records: t.exposeInt('records', { description: 'a record in two markets counts in each' }),
    clean: t.exposeInt('clean'),
    flagged: t.int({ resolve: (s) => s.records - s.clean }),
    score: t.exposeFloat('score', { nullable: true, description: SCORE }),
    entityTypes: t.field({
      type: [EntityTypeScoreRef], description: 'every entity type, in the record model\'s order', complexity: IN_MEMORY, resolve: (s) => s.entityTypes,
    }),
  }),
})

const QualityRunRef = builder.objectRef<QualityRun>('QualityRun').implement({
  description: 'The scores one successful full audit stored, within the key\'s markets',
  fields: (t) => ({
    runId: t.id({
      description: 'the audit run; [скрыто] for a key limited to markets: a full audit is no one market\'s run, and such keys see only their markets\' runs',
      resolve: (r, _args, ctx) => (principalOf(ctx).markets === null ? r.runId : HIDDEN),
    }),
    asOf: t.expose('asOf', { type: 'Date', description: 'the run\'s reference date' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime' }),
    records: t.exposeInt('records', { description: 'over the markets listed' }),
    clean: t.exposeInt('clean'),
    flagged: t.int({ resolve: (r) => r.records - r.clean }),
    score: t.exposeFloat('score', { nullable: true, description: SCORE }),
    markets: t.field({ type: [MarketScoreRef], description: 'by market code, the no-market row last', complexity: IN_MEMORY, resolve: (r) => r.markets }),
  }),
})

const periodValid = z.object({ from: z.date().nullish(), to: z.date().nullish() }).loose()
  .refine((a) => !a.from || !a.to || a.from.getTime() < a.to.getTime(), { message: GRAPHQL_RU.sinceBeforeUntil('from', 'to'), path: ['to'] })

builder.objectFields(ReportsRef, (t) => ({
  qualityScores: t.field({
    type: [QualityRunRef],
    description: 'The data-quality score by market and entity type over the successful full audits that finished in the period '
      + '(from inclusive, to exclusive), oldest first, the newest 1000 at most; runs before the score existed, and runs limited '
      + 'to a market or to some rules, have none',
    args: {
      market: t.arg.string({ description: 'only this market (within the key\'s)', validate: marketArg }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
    },
    validate: periodValid,
    resolve: (_root, args, ctx) => qualityScores(ctx.db.sql, scope(ctx, args.market), { since: args.from, until: args.to }),
  }),
}))
