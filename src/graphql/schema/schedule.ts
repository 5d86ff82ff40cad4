// Audit schedules (cron, listed with their next run) and the mail subscriptions that receive each scheduled
// audit's discrepancy list. Keys limited to markets see and manage those of their markets.
import { z } from '../../i18n/zod.ts'
import { createSchedule, deleteSchedule, listSchedules, nextTick, runScheduleNow, updateSchedule, type Schedule } from '../../jobs/schedules.ts'
import { createSubscription, deleteSubscription, listSubscriptions, updateSubscription, type MailSubscription } from '../../notify/subscriptions.ts'
import { sendAlbumNow, type AlbumOutcome } from '../../notify/album.ts'
import { createMailer } from '../../notify/mailer.ts'
import { addDays, DEFAULT_TIMEZONE } from '../../dates.ts'
import type { ResponsibleGroup } from '../../generated/prisma/client.ts'
import { loadScoped } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf } from '../context.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'

const ScheduleKindEnum = builder.enumType('ScheduleKind', {
  description: 'What a schedule\'s tick does',
  values: {
    AUDIT: { description: 'runs an audit, followed by the discrepancy e-mails' },
    ALBUM: { description: 'mails the reports album of the last full week or month to a subscription' },
  } as const,
})

const AlbumPeriodEnum = builder.enumType('AlbumPeriod', {
  description: 'The period a reports album covers, in the schedule\'s time zone',
  values: {
    WEEK: { description: 'Monday to Sunday' },
    MONTH: { description: 'a calendar month' },
  } as const,
})

const ScheduleRef = builder.objectRef<Schedule>('Schedule').implement({
  description: 'A recurring audit (kind AUDIT: cron ticks in a time zone, over every rule or some, every market or one; each tick runs once and is followed by the discrepancy e-mails) or reports album (kind ALBUM: each tick mails the last full week\'s or month\'s album to a subscription, once per period)',
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    kind: t.field({ type: ScheduleKindEnum, resolve: (s) => s.kind }),
    albumPeriod: t.field({ type: AlbumPeriodEnum, nullable: true, description: 'ALBUM: the period each e-mail covers', resolve: (s) => s.albumPeriod }),
    subscription: t.field({
      type: MailSubscriptionRef, nullable: true,
      description: 'ALBUM: who gets the album, and its market and group',
      resolve: async (s, _args, ctx) => {
        if (s.subscriptionId === null) return null
        return (await listSubscriptions(ctx.db, principalOf(ctx))).find((x) => x.id === s.subscriptionId) ?? null
      },
    }),
    lastSentPeriod: t.field({ type: 'Date', nullable: true, description: 'ALBUM: the first day of the last period mailed', resolve: (s) => s.lastSentPeriod }),
    lastSentAt: t.field({ type: 'DateTime', nullable: true, description: 'ALBUM: when the last album was mailed', resolve: (s) => s.lastSentAt }),
    cron: t.exposeString('cron', { description: 'minute hour day month weekday (or six fields, seconds first)' }),
    timezone: t.exposeString('timezone', { description: 'IANA time zone the cron fields (and an album\'s weeks and months) are read in' }),
    rules: t.exposeStringList('rules', { description: 'rule ids; empty: every enabled rule (ALBUM: always empty)' }),
    marketCode: t.exposeString('marketCode', { nullable: true, description: 'the market audited; null: every market (ALBUM: the subscription\'s market)' }),
    enabled: t.exposeBoolean('enabled'),
    nextRunAt: t.field({
      type: 'DateTime', nullable: true,
      description: 'the next tick (null when off)',
      resolve: (s) => (s.enabled ? nextTick(s) : null),
    }),
    lastTickAt: t.field({ type: 'DateTime', nullable: true, description: 'the last tick an audit was started for', resolve: (s) => s.lastTickAt }),
    lastRun: t.prismaField({
      type: 'AuditRun', nullable: true,
      description: 'the audit run of the last tick',
      resolve: (query, s, _args, ctx) => (s.lastRunId ? ctx.db.prisma.auditRun.findFirst({ ...query, where: { AND: [{ id: s.lastRunId }, scopeOf(ctx).auditRun()] } }) : null),
    }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (s) => s.updatedAt }),
  }),
})

const cron = z.string().trim().min(1).max(120)
const rules = z.array(z.string().min(1).max(100)).max(50)
const market = z.string().min(1).max(32)

const ScheduleInput = builder.inputType('ScheduleInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().trim().min(1).max(200) }),
    cron: t.string({ required: true, validate: cron, description: 'e.g. "0 2 * * *" (every night at 02:00)' }),
    timezone: t.string({ required: false, description: `default ${DEFAULT_TIMEZONE}` }),
    rules: t.stringList({ required: false, validate: rules, description: 'default: every enabled rule' }),
    marketCode: t.string({ required: false, validate: market, description: 'default: every market (ALBUM: leave out; the subscription\'s)' }),
    enabled: t.boolean({ required: false, description: 'default true' }),
    kind: t.field({ type: ScheduleKindEnum, required: false, description: 'default AUDIT' }),
    albumPeriod: t.field({ type: AlbumPeriodEnum, required: false, description: 'ALBUM: required' }),
    subscriptionId: t.int({ required: false, description: 'ALBUM: required, the mail subscription the album goes to' }),
  }),
})

const SchedulePatch = builder.inputType('SchedulePatch', {
  description: 'The fields to change; marketCode null: every market',
  fields: (t) => ({
    name: t.string({ required: false, validate: z.string().trim().min(1).max(200) }),
    cron: t.string({ required: false, validate: cron }),
    timezone: t.string({ required: false }),
    rules: t.stringList({ required: false, validate: rules }),
    marketCode: t.string({ required: false, validate: market }),
    enabled: t.boolean({ required: false }),
    kind: t.field({ type: ScheduleKindEnum, required: false, description: 'a schedule turned into AUDIT drops its album period and subscription' }),
    albumPeriod: t.field({ type: AlbumPeriodEnum, required: false }),
    subscriptionId: t.int({ required: false }),
  }),
})

builder.queryField('schedules', (t) => t.field({
  type: [ScheduleRef],
  description: 'Audit schedules with their next run',
  authScopes: { readMasterData: true },
  resolve: (_root, _args, ctx) => listSchedules(ctx.db, principalOf(ctx)),
}))

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }

builder.mutationFields((t) => ({
  createSchedule: t.field({
    type: ScheduleRef,
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { input: t.arg({ type: ScheduleInput, required: true }) },
    resolve: (_root, { input }, ctx) => asResult(() => createSchedule(ctx.db, principalOf(ctx), {
      name: input.name, cron: input.cron, ...defined({
        timezone: input.timezone ?? undefined, rules: input.rules ?? undefined, marketCode: input.marketCode ?? undefined, enabled: input.enabled ?? undefined,
        kind: input.kind ?? undefined, albumPeriod: input.albumPeriod ?? undefined, subscriptionId: input.subscriptionId ?? undefined,
      }),
    }, ctx.actor, ctx.jobs)),
  }),
  updateSchedule: t.field({
    type: ScheduleRef,
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: SchedulePatch, required: true }) },
    resolve: (_root, { id, input }, ctx) => asResult(() => updateSchedule(ctx.db, principalOf(ctx), id, {
      ...defined({ name: input.name ?? undefined, cron: input.cron ?? undefined, timezone: input.timezone ?? undefined, rules: input.rules ?? undefined, enabled: input.enabled ?? undefined }),
      ...defined({ kind: input.kind ?? undefined }),
      ...(input.marketCode !== undefined ? { marketCode: input.marketCode } : {}),
      ...(input.albumPeriod !== undefined ? { albumPeriod: input.albumPeriod } : {}),
      ...(input.subscriptionId !== undefined ? { subscriptionId: input.subscriptionId } : {}),
    }, ctx.actor, ctx.jobs)),
  }),
  runSchedule: t.prismaField({
    type: 'AuditRun',
    description: 'Runs a schedule\'s audit now, outside its ticks; its e-mails follow as after a tick. Answers with the run, QUEUED',
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { id: t.arg.int({ required: true }) },
    resolve: (query, _root, { id }, ctx) => asResult(async () => {
      const run = await runScheduleNow(ctx.db, principalOf(ctx), id, ctx.actor, ctx.jobs)
      return ctx.db.prisma.auditRun.findUniqueOrThrow({ ...query, where: { id: run.id } })
    }),
  }),
  deleteSchedule: t.field({
    type: ScheduleRef,
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => asResult(() => deleteSchedule(ctx.db, principalOf(ctx), id, ctx.actor, ctx.jobs)),
  }),
}))

// ─── mail subscriptions ───

const MailSubscriptionRef = builder.objectRef<MailSubscription>('MailSubscription').implement({
  description: 'Who receives the discrepancy list after each scheduled audit: its recipients (or its group\'s e-mail), over a group\'s findings, a market\'s, or all',
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    recipients: t.exposeStringList('recipients', { description: 'empty: the group\'s e-mail' }),
    group: t.prismaField({
      type: 'ResponsibleGroup', nullable: true,
      description: 'only the findings routed to this group',
      resolve: (query, s, _args, ctx) => (s.groupId === null ? null
        : loadScoped(ctx, 'responsibleGroup', 'id', s.groupId, scopeOf(ctx).group(), query) as Promise<ResponsibleGroup | null>),
    }),
    marketCode: t.exposeString('marketCode', { nullable: true, description: 'only this market\'s findings; null: every market' }),
    sendWhenUnchanged: t.exposeBoolean('sendWhenUnchanged', { description: 'an e-mail after every scheduled audit, even when nothing changed' }),
    active: t.exposeBoolean('active'),
    lastSentAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.lastSentAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
  }),
})

const recipients = z.array(z.string().max(254)).max(100)

const MailSubscriptionInput = builder.inputType('MailSubscriptionInput', {
  description: 'On create, name and recipients or groupCode are needed; on update, only the fields to change (null clears groupCode or marketCode)',
  fields: (t) => ({
    name: t.string({ required: false, validate: z.string().trim().min(1).max(200) }),
    recipients: t.stringList({ required: false, validate: recipients }),
    groupCode: t.string({ required: false, validate: z.string().min(1).max(64) }),
    marketCode: t.string({ required: false, validate: market }),
    sendWhenUnchanged: t.boolean({ required: false }),
    active: t.boolean({ required: false }),
  }),
})

builder.queryField('mailSubscriptions', (t) => t.field({
  type: [MailSubscriptionRef],
  description: 'Who receives the discrepancy lists',
  authScopes: { manageSchedules: true },
  resolve: (_root, _args, ctx) => listSubscriptions(ctx.db, principalOf(ctx)),
}))

type SubscriptionArgs = { name?: string | null; recipients?: string[] | null; groupCode?: string | null; marketCode?: string | null; sendWhenUnchanged?: boolean | null; active?: boolean | null }
const subscriptionInput = (input: SubscriptionArgs) => ({
  ...defined({ name: input.name ?? undefined, recipients: input.recipients ?? undefined, sendWhenUnchanged: input.sendWhenUnchanged ?? undefined, active: input.active ?? undefined }),
  ...(input.groupCode !== undefined ? { groupCode: input.groupCode } : {}),
  ...(input.marketCode !== undefined ? { marketCode: input.marketCode } : {}),
})

builder.mutationFields((t) => ({
  createMailSubscription: t.field({
    type: MailSubscriptionRef,
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { input: t.arg({ type: MailSubscriptionInput, required: true }) },
    resolve: (_root, { input }, ctx) => asResult(() => createSubscription(ctx.db, principalOf(ctx), subscriptionInput(input), ctx.actor)),
  }),
  updateMailSubscription: t.field({
    type: MailSubscriptionRef,
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: MailSubscriptionInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => asResult(() => updateSubscription(ctx.db, principalOf(ctx), id, subscriptionInput(input), ctx.actor)),
  }),
  deleteMailSubscription: t.field({
    type: MailSubscriptionRef,
    authScopes: { manageSchedules: true },
    errors: { types: RESULT_ERRORS },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => asResult(() => deleteSubscription(ctx.db, principalOf(ctx), id, ctx.actor)),
  }),
}))

// ─── the reports album, now ───

const AlbumSentRef = builder.objectRef<AlbumOutcome>('AlbumSent').implement({
  description: 'A reports album mailed',
  fields: (t) => ({
    subscriptionId: t.exposeInt('subscriptionId'),
    period: t.field({ type: AlbumPeriodEnum, resolve: (o) => o.period.kind }),
    from: t.field({ type: 'Date', description: 'the period\'s first day', resolve: (o) => o.period.first }),
    to: t.field({ type: 'Date', description: 'the period\'s last day', resolve: (o) => addDays(o.period.next, -1) }),
    recipients: t.exposeStringList('recipients'),
    subject: t.string({ resolve: (o) => o.subject ?? '' }),
    messageId: t.string({ nullable: true, resolve: (o) => o.messageId ?? null }),
  }),
})

builder.mutationField('sendAlbum', (t) => t.field({
  type: AlbumSentRef,
  description: 'Mails a subscription\'s reports album now (over SMTP_URL, or into the outbox): the week or month containing `day`, or the last full one before today. Outside any schedule: an album schedule still sends its own',
  authScopes: { manageSchedules: true },
  errors: { types: RESULT_ERRORS },
  args: {
    subscriptionId: t.arg.int({ required: true }),
    period: t.arg({ type: AlbumPeriodEnum, required: true }),
    day: t.arg({ type: 'Date', required: false, description: 'a day of the period; default: the last full period before today' }),
    timezone: t.arg.string({ required: false, description: `the zone of the weeks and months; default ${DEFAULT_TIMEZONE}` }),
  },
  resolve: (_root, args, ctx) => asResult(async () => {
    const mailer = createMailer()
    try {
      return await sendAlbumNow(ctx.db, principalOf(ctx), {
        subscriptionId: args.subscriptionId, period: args.period, mailer,
        ...(args.day ? { day: args.day } : {}), ...(args.timezone ? { timeZone: args.timezone } : {}),
      })
    } finally {
      mailer.close()
    }
  }),
}))
