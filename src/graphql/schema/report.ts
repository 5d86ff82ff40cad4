// Reports: which rules and markets cause the most incidents and complaints, time to acknowledge and to
// resolve per responsible group and support line, and findings breaching their SLA now. One root field,
// `reports`, groups them; each report is limited to the findings of the key's markets.
import { z } from '../../i18n/zod.ts'
import { incidentHotspots, responseTimes, slaBreaches, type Durations, type HotspotRow, type ResponseTimeRow, type SlaBreach } from '../../incidents/reports.ts'
import { HIDDEN } from '../../access/redact.ts'
import { readableText } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { FindingRef, FindingStatusEnum, SeverityEnum } from './finding.ts'
import { GRAPHQL_RU } from '../../i18n/ru-errors.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'

const HotspotRef = builder.objectRef<HotspotRow>('IncidentHotspot').implement({
  description: 'A rule or market and the incidents and complaints linked to its findings',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true, description: 'the rule id, or the market code (null: findings without a single market)' }),
    incidents: t.exposeInt('incidents', { description: 'distinct incidents (kind INCIDENT)' }),
    complaints: t.exposeInt('complaints', { description: 'distinct complaints (kind COMPLAINT)' }),
    total: t.int({ description: 'incidents and complaints', resolve: (r) => r.incidents + r.complaints }),
    findings: t.exposeInt('findings', { description: 'distinct findings they are linked to' }),
  }),
})

const HotspotsRef = builder.objectRef<{ byRule: HotspotRow[]; byMarket: HotspotRow[] }>('IncidentHotspots').implement({
  description: 'Rules and markets causing the most incidents and complaints, most first',
  fields: (t) => ({
    byRule: t.field({ type: [HotspotRef], resolve: (h) => h.byRule }),
    byMarket: t.field({ type: [HotspotRef], resolve: (h) => h.byMarket }),
  }),
})

export const DurationsRef = builder.objectRef<Durations>('Durations').implement({
  description: 'How long something took, in seconds from a finding\'s first sighting',
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'findings measured' }),
    medianSeconds: t.exposeFloat('medianSeconds', { nullable: true }),
    p90Seconds: t.exposeFloat('p90Seconds', { nullable: true, description: '90th percentile' }),
  }),
})

const ResponseTimesRef = builder.objectRef<ResponseTimeRow>('ResponseTimes').implement({
  description: 'Time to acknowledge and to resolve for one responsible group and support line, and what is open there now',
  fields: (t) => ({
    group: t.string({
      nullable: true, description: 'responsible group code; null: findings not routed to a group ([скрыто]: a group covering none of the key\'s markets)',
      resolve: (r, _args, ctx) => readableText(ctx, r.groupCode),
    }),
    groupName: t.string({
      nullable: true,
      resolve: async (r, _args, ctx) => (r.groupCode !== null && await readableText(ctx, r.groupCode) !== r.groupCode ? HIDDEN : r.groupName),
    }),
    line: t.exposeInt('line', { nullable: true, description: 'support line 1, 2 or 3; null: none set' }),
    acknowledge: t.field({ type: DurationsRef, description: 'first acknowledged (or started) within the period', resolve: (r) => r.acknowledge }),
    resolve: t.field({ type: DurationsRef, description: 'first resolved within the period, by a person or an audit', resolve: (r) => r.resolve }),
    open: t.exposeInt('open', { description: 'open now' }),
    unacknowledged: t.exposeInt('unacknowledged', { description: 'open now and never acknowledged' }),
  }),
})

const SlaBreachRef = builder.objectRef<SlaBreach>('SlaBreach').implement({
  description: 'An open finding past its acknowledge-by or resolve-by time',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint'),
    ruleId: t.exposeString('ruleId'),
    severity: t.field({ type: SeverityEnum, resolve: (b) => b.severity as never }),
    status: t.field({ type: FindingStatusEnum, resolve: (b) => b.status as never }),
    message: t.exposeString('message'),
    marketCode: t.exposeString('marketCode', { nullable: true }),
    group: t.string({ nullable: true, description: 'responsible group code', resolve: (r, _args, ctx) => readableText(ctx, r.groupCode) }),
    line: t.exposeInt('line', { nullable: true }),
    escalationLevel: t.exposeInt('escalationLevel'),
    ackDueAt: t.expose('ackDueAt', { type: 'DateTime', nullable: true }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    acknowledgeLateSeconds: t.exposeFloat('acknowledgeLateSeconds', { nullable: true, description: 'past acknowledge-by (and not acknowledged); null: not breached' }),
    resolveLateSeconds: t.exposeFloat('resolveLateSeconds', { nullable: true, description: 'past resolve-by; null: not breached' }),
    lateSeconds: t.exposeFloat('lateSeconds', { description: 'the larger of the two' }),
    finding: t.field({
      type: FindingRef,
      description: 'the finding itself',
      resolve: (b, _args, ctx) => ctx.db.prisma.finding.findUniqueOrThrow({ where: { id: b.id } }),
    }),
  }),
})

const SlaBreachesRef = builder.objectRef<{ total: number; breaches: SlaBreach[] }>('SlaBreaches').implement({
  description: 'Findings breaching their SLA now, most late first',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'all of them (breaches holds the first `limit`)' }),
    breaches: t.field({ type: [SlaBreachRef], resolve: (b) => b.breaches }),
  }),
})

export const marketArg = z.string().max(200, PROBLEM_RU.tooLong(200))
export const periodValid = z.object({ since: z.date().nullish(), until: z.date().nullish() }).loose()
  .refine((a) => !a.since || !a.until || a.since.getTime() < a.until.getTime(), { message: GRAPHQL_RU.sinceBeforeUntil('since', 'until'), path: ['until'] })

export const scope = (ctx: Context, market: string | null | undefined) => ({ markets: principalOf(ctx).markets, market: market ?? null })

export const ReportsRef = builder.objectRef<Record<string, never>>('Reports').implement({
  description: 'Reports over the findings of the key\'s markets',
  fields: (t) => ({
    incidentHotspots: t.field({
      type: HotspotsRef,
      description: 'Rules and markets causing the most incidents and complaints registered in the period (since inclusive, until exclusive)',
      args: {
        since: t.arg({ type: 'DateTime' }),
        until: t.arg({ type: 'DateTime' }),
        market: t.arg.string({ description: 'only findings of this market', validate: marketArg }),
        top: t.arg.int({ defaultValue: 10, description: 'rows per list, 1–100', validate: z.number().int().min(1).max(100) }),
      },
      validate: periodValid,
      resolve: (_root, args, ctx) => incidentHotspots(ctx.db.sql, scope(ctx, args.market), { since: args.since, until: args.until, top: args.top ?? 10 }),
    }),
    responseTimes: t.field({
      type: [ResponseTimesRef],
      description: 'Time to acknowledge and to resolve per responsible group and support line (for acknowledgements and resolves in the period), '
        + 'with what is open there now: where work gets stuck',
      args: {
        since: t.arg({ type: 'DateTime' }),
        until: t.arg({ type: 'DateTime' }),
        market: t.arg.string({ description: 'only findings of this market', validate: marketArg }),
      },
      validate: periodValid,
      resolve: (_root, args, ctx) => responseTimes(ctx.db.sql, scope(ctx, args.market), { since: args.since, until: args.until }),
    }),
    slaBreaches: t.field({
      type: SlaBreachesRef,
      description: 'Open findings past their acknowledge-by (not acknowledged) or resolve-by time now, most late first',
      args: {
        market: t.arg.string({ description: 'only findings of this market', validate: marketArg }),
        limit: t.arg.int({ defaultValue: 100, description: '1–500', validate: z.number().int().min(1).max(500) }),
      },
      resolve: (_root, args, ctx) => slaBreaches(ctx.db.sql, scope(ctx, args.market), { limit: args.limit ?? 100 }),
    }),
  }),
})

builder.queryFields((t) => ({
  reports: t.field({
    type: ReportsRef,
    description: 'Reports on findings, incidents and SLAs, limited to the key\'s markets',
    authScopes: { readFindings: true },
    resolve: () => ({}),
  }),
}))
