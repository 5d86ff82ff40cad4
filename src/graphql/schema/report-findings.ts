// Reports on the findings open now, on `reports`: open findings by rule × market and severity, their aging
// by rule or group, and where work gets stuck per group and support line. Each number drills down to the
// findings list with the matching FindingFilter.
import { HIDDEN } from '../../access/redact.ts'
import { aging, bottlenecks, findingsMatrix, type AgingBy, type AgingRow, type BottleneckRow, type MatrixCell } from '../../reports/findings.ts'
import { readableText } from '../batch.ts'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { DurationsRef, marketArg, periodValid, ReportsRef, scope } from './report.ts'

/** A group's name, hidden when its code is (a group covering none of the key's markets), as responseTimes does. */
async function readableGroupName(ctx: Context, code: string | null, name: string | null): Promise<string | null> {
  return code !== null && await readableText(ctx, code) !== code ? HIDDEN : name
}

const MatrixCellRef = builder.objectRef<MatrixCell>('FindingsMatrixCell').implement({
  description: 'Open findings of one rule in one market, by severity',
  fields: (t) => ({
    ruleId: t.exposeString('ruleId'),
    market: t.exposeString('market', { nullable: true, description: 'market code; null: findings of no single market' }),
    critical: t.exposeInt('critical'),
    high: t.exposeInt('high'),
    medium: t.exposeInt('medium'),
    low: t.exposeInt('low'),
    total: t.exposeInt('total'),
  }),
})

const AgingByEnum = builder.enumType('AgingBy', {
  description: 'What the aging of open findings is counted per',
  values: { RULE: { value: 'rule' }, GROUP: { value: 'group', description: 'the responsible group' } } as const,
})

const AgingRowRef = builder.objectRef<AgingRow & { by: AgingBy }>('AgingRow').implement({
  description: 'Open findings of one rule or responsible group by age (since first seen): < 1 day, 1–7, 7–30, > 30 days',
  fields: (t) => ({
    key: t.string({
      nullable: true, description: 'the rule id, or the group code (null: not routed to a group; [скрыто]: a group covering none of the key\'s markets)',
      // a rule id is no record's key: only a group code is another market's to hide
      resolve: (r, _args, ctx) => (r.by === 'group' ? readableText(ctx, r.key) : r.key),
    }),
    name: t.string({ nullable: true, description: 'the group name (by group)', resolve: (r, _args, ctx) => (r.by === 'group' ? readableGroupName(ctx, r.key, r.name) : null) }),
    under1Day: t.exposeInt('under1Day', { description: 'first seen less than 24 hours ago' }),
    days1to7: t.exposeInt('days1to7', { description: '1 to 7 days ago' }),
    days7to30: t.exposeInt('days7to30', { description: '7 to 30 days ago' }),
    over30Days: t.exposeInt('over30Days', { description: 'more than 30 days ago' }),
    total: t.exposeInt('total'),
  }),
})

const BottleneckRef = builder.objectRef<BottleneckRow>('Bottleneck').implement({
  description: 'One responsible group and support line: findings received in the period, how many were handled in time, what is overdue now',
  fields: (t) => ({
    group: t.string({
      nullable: true, description: 'responsible group code; null: findings not routed to a group ([скрыто]: a group covering none of the key\'s markets)',
      resolve: (r, _args, ctx) => readableText(ctx, r.groupCode),
    }),
    groupName: t.string({ nullable: true, resolve: (r, _args, ctx) => readableGroupName(ctx, r.groupCode, r.groupName) }),
    line: t.exposeInt('line', { nullable: true, description: 'support line 1, 2 or 3; null: none set' }),
    received: t.exposeInt('received', { description: 'findings first seen in the period, now routed here' }),
    acknowledgedInTime: t.exposeInt('acknowledgedInTime', { description: 'of those, first acknowledged (or started) by their acknowledge-by time' }),
    resolvedInTime: t.exposeInt('resolvedInTime', { description: 'of those, first resolved by their resolve-by time' }),
    acknowledge: t.field({ type: DurationsRef, description: 'of those received, time to the first acknowledgement', resolve: (r) => r.acknowledge }),
    resolve: t.field({ type: DurationsRef, description: 'of those received, time to the first resolve', resolve: (r) => r.resolve }),
    overdue: t.exposeInt('overdue', { description: 'open now (whenever first seen) and past acknowledge-by unacknowledged, or past resolve-by' }),
    worst: t.exposeBoolean('worst', { description: 'one of the three worst: most overdue, then the lowest shares in time (listed first)' }),
  }),
})

builder.objectFields(ReportsRef, (t) => ({
  findingsMatrix: t.field({
    type: [MatrixCellRef],
    description: 'Open findings per rule and market, by severity',
    args: { market: t.arg.string({ description: 'only findings of this market', validate: marketArg }) },
    resolve: (_root, args, ctx) => findingsMatrix(ctx.db.sql, scope(ctx, args.market)),
  }),
  aging: t.field({
    type: [AgingRowRef],
    description: 'Open findings per rule or responsible group by age (< 1 day, 1–7, 7–30, > 30 days), most findings first',
    args: {
      by: t.arg({ type: AgingByEnum, defaultValue: 'rule' }),
      market: t.arg.string({ description: 'only findings of this market', validate: marketArg }),
    },
    resolve: async (_root, args, ctx) => {
      const by = args.by ?? 'rule'
      return (await aging(ctx.db.sql, scope(ctx, args.market), by)).map((row) => ({ ...row, by }))
    },
  }),
  bottlenecks: t.field({
    type: [BottleneckRef],
    description: 'Where work gets stuck, per responsible group and support line: findings first seen in the period (since inclusive, '
      + 'until exclusive), handled in time or not, and overdue now; the three worst first',
    args: {
      since: t.arg({ type: 'DateTime' }),
      until: t.arg({ type: 'DateTime' }),
      market: t.arg.string({ description: 'only findings of this market', validate: marketArg }),
    },
    validate: periodValid,
    resolve: (_root, args, ctx) => bottlenecks(ctx.db.sql, scope(ctx, args.market), { since: args.since, until: args.until }),
  }),
}))
