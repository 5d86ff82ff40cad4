// Findings: what the rules found, their history, waivers and linked incidents; the list (filtered, sorted,
// paged), the lookup, «every open conflict around this record» for an agent on a call, and the workflow
// people move a finding through (acknowledge, assign, start, resolve, waive, reopen, comment) — each an
// event with its actor. A key limited to markets sees only findings of its markets, and cannot touch others.
import { z } from '../../i18n/zod.ts'
import { seesMarket } from '../../access/scope.ts'
import type { Prisma, ResponsibleGroup } from '../../generated/prisma/client.ts'
import { FindingStatus, Severity } from '../../generated/prisma/enums.ts'
import { conflictsAround, incidentsOfFindings, type Conflicts, type LinkedIncident } from '../../engine/conflicts.ts'
import {
  acknowledgeFinding, assignFinding, commentFinding, lastSeenOf, OPEN_STATUSES, reopenFinding, resolveFinding, ruleSeenTimes, settleLastSeen, startFinding,
  waiveFinding, type RuleSeenTimes,
} from '../../engine/findings.ts'
import { loadEffectiveCatalog, type Catalog } from '../../engine/overrides.ts'
import type { EntityRef } from '../../records/model.ts'
import { NotFoundError, ValidationFailed, type FieldProblem } from '../../errors.ts'
import { loadScoped, readableJson, readableReason, readableText } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'
import { pageBounds } from './connections.ts'
import { EntityRefInput, EntityRefType, EntityTypeEnum } from './entity.ts'
import './group.ts'
import { seesIncidentId } from './incident-loader.ts'
import { ageRu, PROBLEM_RU } from '../../i18n/ru.ts'
import { FINDING_RU, GRAPHQL_RU } from '../../i18n/ru-errors.ts'

export const SeverityEnum = builder.enumType(Severity, { name: 'Severity', description: 'How bad a collision is, most severe first' })
export const FindingStatusEnum = builder.enumType(FindingStatus, {
  name: 'FindingStatus',
  description: 'Where a finding is in its lifecycle; NEW, OPEN, ACKNOWLEDGED, IN_PROGRESS and REOPENED are open',
})

// ─── per-request caches: the catalogue for rule titles, and incidents loaded for a whole page at once ───

const catalogs = new WeakMap<Context, Promise<Catalog>>()

/** The catalogue in force, read once per request. */
export function catalogOf(ctx: Context): Promise<Catalog> {
  let catalog = catalogs.get(ctx)
  if (!catalog) catalogs.set(ctx, (catalog = loadEffectiveCatalog(ctx.db)))
  return catalog
}

const ruleSeen = new WeakMap<Context, Promise<RuleSeenTimes>>()

/** The rule_seen rows (a few dozen), read once per request: the last-seen times of a whole page come from them. */
function ruleSeenOf(ctx: Context): Promise<RuleSeenTimes> {
  let times = ruleSeen.get(ctx)
  if (!times) ruleSeen.set(ctx, (times = ruleSeenTimes(ctx.db.sql)))
  return times
}

type IncidentLoader = (findingId: string) => Promise<LinkedIncident[]>
const incidentLoaders = new WeakMap<Context, IncidentLoader>()

/** The incidents of a finding: those a query already brought along, else one statement for every finding asked for in the same tick. */
export function incidentsOf(ctx: Context, finding: { id: string; linkedIncidents?: LinkedIncident[] }): Promise<LinkedIncident[]> {
  if (finding.linkedIncidents) return Promise.resolve(finding.linkedIncidents)
  let load = incidentLoaders.get(ctx)
  if (!load) {
    type Waiter = { resolve: (v: LinkedIncident[]) => void; reject: (e: unknown) => void }
    let batch: Map<string, Waiter[]> | null = null
    load = (id) => new Promise((resolve, reject) => {
      if (!batch) {
        const current = (batch = new Map<string, Waiter[]>())
        // every finding of a page asks within the same tick; one statement answers them all
        setImmediate(() => {
          batch = null
          incidentsOfFindings(ctx.db.sql, [...current.keys()], principalOf(ctx).markets).then(
            (byFinding) => { for (const [key, waiters] of current) for (const w of waiters) w.resolve(byFinding.get(key) ?? []) },
            (e: unknown) => { for (const waiters of current.values()) for (const w of waiters) w.reject(e) },
          )
        })
      }
      const waiters = batch.get(id) ?? []
      waiters.push({ resolve, reject })
      batch.set(id, waiters)
    })
    incidentLoaders.set(ctx, load)
  }
  return load(finding.id)
}

const ageSeconds = (firstSeenAt: Date) => Math.max(0, Math.floor((Date.now() - firstSeenAt.getTime()) / 1000))

/** Whether an event's data names an incident the caller may not see (a link made to another market's incident). */
async function hidesIncident(ctx: Context, data: unknown): Promise<boolean> {
  const id = (data as { incidentId?: unknown } | null)?.incidentId
  return typeof id === 'string' && !(await seesIncidentId(ctx, id))
}

// ─── types ───

// the Incident type (and its enums) live in incident.ts

export const FindingEventRef = builder.prismaObject('FindingEvent', {
  description: 'One change in a finding\'s history: who, when, what, why',
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.exposeString('actor', { description: 'an API key (key:<id>:<name>), a person or the audit that made the change' }),
    action: t.exposeString('action', { description: 'detected, confirmed, acknowledged, assigned, started, resolved, waived, reopened, commented, …' }),
    fromStatus: t.expose('fromStatus', { type: FindingStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: FindingStatusEnum, nullable: true }),
    reason: t.string({
      nullable: true, description: 'why: the comment of a resolve, the reason of a waiver, the text of a comment',
      resolve: async (e, _args, ctx) => (await hidesIncident(ctx, e.data) ? null : readableReason(ctx, e.reason)),
    }),
    comment: t.string({
      nullable: true, description: 'the text of a comment (action commented)',
      resolve: (e, _args, ctx) => readableText(ctx, e.action === 'commented' ? e.reason : null),
    }),
    data: t.field({
      type: 'JSON', description: 'what else the change recorded (a waiver\'s expiry, an assignment\'s group and line, …)',
      resolve: async (e, _args, ctx) => readableJson(ctx, await hidesIncident(ctx, e.data) ? { kind: (e.data as { kind?: unknown }).kind ?? null } : e.data),
    }),
    runId: t.id({
      nullable: true, description: 'the audit run that made the change, if one did (and the key may see it: a run over every market is an unscoped key\'s)',
      resolve: async (e, _args, ctx) => (e.runId === null ? null
        : (await loadScoped(ctx, 'auditRun', 'id', e.runId, scopeOf(ctx).auditRun(), { select: { id: true } }))?.id as string ?? null),
    }),
  }),
})

export const WaiverRef = builder.prismaObject('Waiver', {
  description: 'A decision to accept a finding for now: why, who, until when',
  fields: (t) => ({
    reason: t.exposeString('reason'),
    actor: t.exposeString('actor'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'null: for good' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    active: t.boolean({
      description: 'not revoked and not past its expiry',
      resolve: (w) => w.revokedAt === null && (w.expiresAt === null || w.expiresAt.getTime() > Date.now()),
    }),
  }),
})

/**
 * Stored findings by fingerprint, those the key sees, in the order given: the findings a change resolved or caused
 * (a merge, a «not a duplicate» mark) as Finding objects. `query`: a prismaField's selection, when there is one.
 */
export async function findingsByFingerprint(ctx: Context, found: ReadonlyArray<{ fingerprint: string }>, query: object = {}) {
  if (found.length === 0) return []
  const prints = found.map((f) => f.fingerprint)
  const rows = await ctx.db.prisma.finding.findMany({ ...query, where: { AND: [{ fingerprint: { in: prints } }, scopeOf(ctx).finding()] } })
  const at = new Map(prints.map((p, i) => [p, i]))
  return rows.sort((a, b) => at.get(a.fingerprint)! - at.get(b.fingerprint)!)
}

export const FindingRef = builder.prismaObject('Finding', {
  description: 'A collision a rule found, with its lifecycle',
  // every path to a finding (lists, an incident's links, …) holds the market scope, not only the lookups
  authScopes: (f, ctx) => ({ $all: { readFindings: true, visible: seesMarket(principalOf(ctx), f.marketCode) } }),
  fields: (t) => ({
    id: t.exposeID('id'),
    fingerprint: t.exposeString('fingerprint', { description: 'stable across runs: the rule and the records involved' }),
    ruleId: t.exposeString('ruleId'),
    ruleTitle: t.string({
      nullable: true,
      description: 'the rule\'s title (Russian; null when the rule has left the catalogue)',
      args: { lang: t.arg.string({ description: 'ru (default) or en', defaultValue: 'ru' }) },
      resolve: async (f, args, ctx) => {
        const rule = (await catalogOf(ctx)).get(f.ruleId)
        return rule ? (args.lang === 'en' ? rule.title.en : rule.title.ru) : null
      },
    }),
    severity: t.expose('severity', { type: SeverityEnum }),
    status: t.expose('status', { type: FindingStatusEnum }),
    open: t.boolean({ description: 'someone still has to deal with it', resolve: (f) => (OPEN_STATUSES as readonly string[]).includes(f.status) }),
    message: t.string({
      description: 'what is wrong, in Russian (another market\'s records it mentions are shown as [скрыто] to keys limited to markets)',
      resolve: (f, _args, ctx) => readableText(ctx, f.message),
    }),
    entities: t.field({
      type: [EntityRefType],
      description: 'exactly the records the finding is about (related ones are in details)',
      resolve: (f) => f.entities as unknown as EntityRef[],
    }),
    details: t.field({ type: 'JSON', description: 'related records and facts', resolve: (f, _args, ctx) => readableJson(ctx, f.details) }),
    marketCode: t.exposeString('marketCode', { nullable: true }),
    equipmentTypeCode: t.exposeString('equipmentTypeCode', { nullable: true }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    lastSeenAt: t.field({
      type: 'DateTime',
      description: 'when a run last saw it (an open one: the last run that evaluated its rule, unless it became open after that run)',
      select: { status: true, ruleId: true, marketCode: true, lastSeenAt: true, openedAt: true },
      resolve: async (f, _args, ctx) => lastSeenOf(f, await ruleSeenOf(ctx)),
    }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    ackDueAt: t.expose('ackDueAt', { type: 'DateTime', nullable: true, description: 'acknowledge by (from the severity\'s SLA)' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true, description: 'resolve by (from the severity\'s SLA)' }),
    escalationLevel: t.exposeInt('escalationLevel'),
    group: t.prismaField({
      type: 'ResponsibleGroup',
      nullable: true,
      description: 'the responsible group it is routed to (null also when that group covers none of the key\'s markets)',
      select: { groupId: true },
      resolve: (query, f, _args, ctx) => (f.groupId === null ? null
        : loadScoped(ctx, 'responsibleGroup', 'id', f.groupId, scopeOf(ctx).group(), query) as Promise<ResponsibleGroup | null>),
    }),
    supportLine: t.exposeInt('supportLine', { nullable: true }),
    unrouted: t.exposeBoolean('unrouted', { description: 'no routing rule matched: it went to the default group' }),
    assignee: t.exposeString('assignee', { nullable: true }),
    age: t.int({ description: 'seconds since it was first seen', resolve: (f) => ageSeconds(f.firstSeenAt) }),
    ageText: t.string({ description: 'the age for people, in Russian: «3 дн. 4 ч», «5 ч 12 мин», «40 с»', resolve: (f) => ageRu(ageSeconds(f.firstSeenAt)) }),
    events: t.relation('events', {
      description: 'its history, oldest first',
      query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
    }),
    waivers: t.relation('waivers', { description: 'waivers, newest first', query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] } }),
    // incidents: [Incident] is added by incident.ts, beside the Incident type
    incidentCount: t.int({
      description: 'linked incidents (kind INCIDENT)',
      resolve: async (f, _args, ctx) => (await incidentsOf(ctx, f)).filter((i) => i.kind === 'INCIDENT').length,
    }),
    complaintCount: t.int({
      description: 'linked complaints (kind COMPLAINT)',
      resolve: async (f, _args, ctx) => (await incidentsOf(ctx, f)).filter((i) => i.kind === 'COMPLAINT').length,
    }),
  }),
})

export const ConflictsRef = builder.objectRef<Conflicts>('Conflicts').implement({
  description: 'The open findings on a record and the records around it',
  fields: (t) => ({
    subject: t.field({ type: EntityRefType, resolve: (c) => c.subject }),
    neighbours: t.field({
      type: [EntityRefType],
      description: 'the records around it the key may see (an address: its contracts, devices, customers; …)',
      resolve: (c) => c.neighbours,
    }),
    findings: t.field({ type: [FindingRef], description: 'most severe first, then oldest', resolve: (c) => c.findings }),
    count: t.int({ resolve: (c) => c.findings.length }),
    highestSeverity: t.field({ type: SeverityEnum, nullable: true, description: 'null: no open finding', resolve: (c) => c.findings[0]?.severity ?? null }),
  }),
})

// ─── the list and lookups ───

const codes = z.array(z.string().max(200, PROBLEM_RU.tooLong(200))).max(100, GRAPHQL_RU.tooManyValues(100))

export const FindingFilter = builder.inputType('FindingFilter', {
  description: 'Conditions a finding must meet (all of those given)',
  fields: (t) => ({
    ruleIds: t.stringList({ validate: codes }),
    severities: t.field({ type: [SeverityEnum] }),
    statuses: t.field({ type: [FindingStatusEnum] }),
    open: t.boolean({ description: 'true: only open ones (NEW, OPEN, ACKNOWLEDGED, IN_PROGRESS, REOPENED); false: only closed or waived' }),
    market: t.string({ description: 'market code', validate: z.string().max(200) }),
    equipmentType: t.string({ description: 'equipment type code', validate: z.string().max(200) }),
    entity: t.field({ type: EntityRefInput, description: 'findings naming this record' }),
    group: t.string({ description: 'responsible group code', validate: z.string().max(200) }),
    firstSeenFrom: t.field({ type: 'DateTime', description: 'first seen at or after this moment (the console\'s age «younger than»)' }),
    firstSeenBefore: t.field({ type: 'DateTime', description: 'first seen before this moment (the console\'s age «older than»)' }),
    noMarket: t.boolean({ description: 'true: only findings of no single market; false: only those of one' }),
    subjectType: t.field({ type: EntityTypeEnum, description: 'findings naming a record of this type' }),
    line: t.int({ description: 'support line 1, 2 or 3', validate: z.number().int().min(1).max(3) }),
    overdue: t.boolean({
      description: 'true: only open ones past their acknowledge-by time unacknowledged, or past their resolve-by time, now; false: all others',
    }),
    noGroup: t.boolean({ description: 'true: only findings not routed to a group; false: only routed ones' }),
  }),
})

const FINDING_ORDERS = {
  SEVERITY: { description: 'most severe first, then oldest (the default)', orderBy: [{ severity: 'asc' }, { firstSeenAt: 'asc' }, { id: 'asc' }] },
  LAST_SEEN_DESC: { description: 'most recently seen first', orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }] },
  LAST_SEEN_ASC: { description: 'least recently seen first', orderBy: [{ lastSeenAt: 'asc' }, { id: 'asc' }] },
  FIRST_SEEN_ASC: { description: 'oldest first', orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }] },
  FIRST_SEEN_DESC: { description: 'newest first', orderBy: [{ firstSeenAt: 'desc' }, { id: 'desc' }] },
} satisfies Record<string, { description: string; orderBy: Prisma.FindingOrderByWithRelationInput[] }>

const FindingOrder = builder.enumType('FindingOrder', {
  description: 'Sort order of a finding list',
  values: Object.fromEntries(Object.entries(FINDING_ORDERS).map(([k, v]) => [k, { description: v.description }])) as Record<keyof typeof FINDING_ORDERS, { description: string }>,
})

type FindingFilterInput = typeof FindingFilter.$inferInput

/** The Prisma where of a finding list: the caller's scope AND the filter. */
export function findingWhere(ctx: Context, filter: FindingFilterInput | null | undefined): Prisma.FindingWhereInput {
  const and: Prisma.FindingWhereInput[] = [scopeOf(ctx).finding()]
  if (filter?.ruleIds) and.push({ ruleId: { in: filter.ruleIds } })
  if (filter?.severities) and.push({ severity: { in: filter.severities } })
  if (filter?.statuses) and.push({ status: { in: filter.statuses } })
  if (filter?.open != null) and.push({ status: filter.open ? { in: [...OPEN_STATUSES] } : { notIn: [...OPEN_STATUSES] } })
  if (filter?.market != null) and.push({ marketCode: filter.market })
  if (filter?.equipmentType != null) and.push({ equipmentTypeCode: filter.equipmentType })
  if (filter?.entity) and.push({ subjects: { some: { entityType: filter.entity.type, entityKey: filter.entity.key } } })
  if (filter?.group != null) and.push({ group: { code: filter.group } })
  if (filter?.firstSeenFrom != null) and.push({ firstSeenAt: { gte: filter.firstSeenFrom } })
  if (filter?.firstSeenBefore != null) and.push({ firstSeenAt: { lt: filter.firstSeenBefore } })
  if (filter?.noMarket != null) and.push({ marketCode: filter.noMarket ? null : { not: null } })
  if (filter?.subjectType != null) and.push({ subjects: { some: { entityType: filter.subjectType } } })
  if (filter?.line != null) and.push({ supportLine: filter.line })
  if (filter?.overdue != null) and.push(overdueWhere(filter.overdue, new Date()))
  if (filter?.noGroup != null) and.push({ groupId: filter.noGroup ? null : { not: null } })
  return { AND: and }
}

/** Open and past the acknowledge-by time unacknowledged, or past the resolve-by time (as the reports count overdue); or not. */
function overdueWhere(overdue: boolean, now: Date): Prisma.FindingWhereInput {
  if (overdue) return { status: { in: [...OPEN_STATUSES] }, OR: [{ acknowledgedAt: null, ackDueAt: { lt: now } }, { dueAt: { lt: now } }] }
  // spelled out rather than NOT(…): a NULL due time would make the negation NULL and drop the finding
  return {
    OR: [
      { status: { notIn: [...OPEN_STATUSES] } },
      {
        AND: [
          { OR: [{ acknowledgedAt: { not: null } }, { ackDueAt: null }, { ackDueAt: { gte: now } }] },
          { OR: [{ dueAt: null }, { dueAt: { gte: now } }] },
        ],
      },
    ],
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A finding by fingerprint or id, within the caller's scope. */
function findingRefWhere(ctx: Context, ref: string): Prisma.FindingWhereInput {
  return { AND: [UUID.test(ref) ? { OR: [{ id: ref }, { fingerprint: ref }] } : { fingerprint: ref }, scopeOf(ctx).finding()] }
}

const refArg = z.string().trim().min(1, PROBLEM_RU.empty).max(200, PROBLEM_RU.tooLong(200))

builder.queryFields((t) => ({
  findings: t.prismaConnection({
    type: 'Finding',
    cursor: 'id',
    description: 'Findings the key may see, filtered and sorted (default: most severe first, then oldest)',
    authScopes: { readFindings: true },
    args: {
      filter: t.arg({ type: FindingFilter }),
      orderBy: t.arg({ type: FindingOrder }),
    },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.finding.count({ where: findingWhere(ctx, args.filter) }),
    resolve: async (query, _root, args, ctx) => {
      const order = args.orderBy ?? 'SEVERITY'
      // the stored last-seen times catch up with the runs that only wrote their rule_seen rows, so the order is right
      if (order === 'LAST_SEEN_ASC' || order === 'LAST_SEEN_DESC') await settleLastSeen(ctx.db.sql)
      return ctx.db.prisma.finding.findMany({ ...query, where: findingWhere(ctx, args.filter), orderBy: FINDING_ORDERS[order].orderBy })
    },
  }),
  finding: t.prismaField({
    type: 'Finding',
    nullable: true,
    description: 'A finding by its fingerprint (or id); null when there is none the key may see',
    authScopes: { readFindings: true },
    args: { fingerprint: t.arg.string({ required: true, description: 'fingerprint or id', validate: refArg }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.finding.findFirst({ ...query, where: findingRefWhere(ctx, args.fingerprint) }),
  }),
  conflicts: t.field({
    type: ConflictsRef,
    nullable: true,
    description: 'Every open finding on a record and the records around it, in one request: an address → its contracts, devices and customers; '
      + 'a contract → its address, devices and customer; a device → its contract and address; a customer → its contracts, their addresses '
      + 'and devices. Null when the record does not exist or is outside the key\'s markets.',
    authScopes: { readFindings: true },
    args: { for: t.arg({ type: EntityRefInput, required: true }) },
    validate: z.object({ for: z.object({ key: z.string().max(200, GRAPHQL_RU.keyTooLong('key', 200)) }).loose() }).loose(),
    resolve: (_root, args, ctx) => conflictsAround(ctx.db.sql, { type: args.for.type, key: args.for.key }, principalOf(ctx).markets),
  }),
}))

// ─── the workflow ───

/**
 * Does `work` to a finding the caller may see (by fingerprint or id); NotFound for one outside its markets,
 * the same as for none at all. Answers with the finding as it is afterwards.
 */
async function workOn(ctx: Context, args: Record<string, unknown> & { fingerprint: string }, work: (id: string) => Promise<unknown>) {
  return asResult(async () => {
    checkWorkArgs(args)
    const ref = args.fingerprint.trim()
    const visible = await ctx.db.prisma.finding.findFirst({ where: findingRefWhere(ctx, ref), select: { id: true } })
    if (!visible) throw new NotFoundError(FINDING_RU.notFound(ref))
    await work(visible.id)
    return ctx.db.prisma.finding.findUniqueOrThrow({ where: { id: visible.id } })
  })
}

const LIMITS: Record<string, number> = { fingerprint: 200, group: 200, assignee: 200, reason: 2000, comment: 4000, text: 4000 }

/**
 * Checks a workflow mutation's arguments here rather than with `validate:` on the arguments, so a refusal is
 * a ValidationFailed result of the mutation like every other (the engine checks the rest: blank comments, …).
 */
function checkWorkArgs(args: Record<string, unknown>) {
  const problems: FieldProblem[] = []
  for (const [field, value] of Object.entries(args)) {
    const max = LIMITS[field]
    if (typeof value === 'string' && max !== undefined && value.length > max) problems.push({ field, code: 'TOO_LONG', message: PROBLEM_RU.tooLong(max) })
  }
  if (typeof args.fingerprint === 'string' && !args.fingerprint.trim()) problems.push({ field: 'fingerprint', code: 'REQUIRED', message: PROBLEM_RU.empty })
  if (args.line != null && ![1, 2, 3].includes(args.line as number)) problems.push({ field: 'line', code: 'INVALID', message: PROBLEM_RU.supportLine })
  if (problems.length) throw new ValidationFailed(problems)
}

builder.mutationFields((t) => ({
  acknowledgeFinding: t.field({
    type: FindingRef,
    description: 'Someone has seen it: NEW, OPEN or REOPENED → ACKNOWLEDGED',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: { fingerprint: t.arg.string({ required: true }), reason: t.arg.string() },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => acknowledgeFinding(ctx.db, id, { actor: ctx.actor, reason: args.reason ?? undefined })),
  }),
  assignFinding: t.field({
    type: FindingRef,
    description: 'Routes an open finding to a responsible group and support line (default: the group\'s); the status stays',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: {
      fingerprint: t.arg.string({ required: true }),
      group: t.arg.string({ required: true, description: 'responsible group code' }),
      line: t.arg.int({ description: 'support line 1, 2 or 3' }),
      assignee: t.arg.string({ description: 'who in the group works on it (null clears it)' }),
      reason: t.arg.string(),
    },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => assignFinding(ctx.db, id, {
      actor: ctx.actor, group: args.group, line: args.line ?? null, reason: args.reason ?? undefined, groupsVisible: scopeOf(ctx).group(),
      ...(args.assignee !== undefined ? { assignee: args.assignee } : {}),
    })),
  }),
  startFinding: t.field({
    type: FindingRef,
    description: 'Work has begun: → IN_PROGRESS',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: { fingerprint: t.arg.string({ required: true }), reason: t.arg.string() },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => startFinding(ctx.db, id, { actor: ctx.actor, reason: args.reason ?? undefined })),
  }),
  resolveFinding: t.field({
    type: FindingRef,
    description: 'Closes an open finding, saying what was done; the next audit reopens it if the collision is still there',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: { fingerprint: t.arg.string({ required: true }), comment: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => resolveFinding(ctx.db, id, { actor: ctx.actor, comment: args.comment })),
  }),
  waiveFinding: t.field({
    type: FindingRef,
    description: 'Accepts the finding for now, with a reason, until a time (or for good); an expired waiver brings it back on the next audit',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: {
      fingerprint: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
      until: t.arg({ type: 'DateTime', description: 'when the waiver expires (in the future); null: for good' }),
    },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => waiveFinding(ctx.db, id, { actor: ctx.actor, reason: args.reason, until: args.until ?? null })),
  }),
  reopenFinding: t.field({
    type: FindingRef,
    description: 'Brings a resolved or waived finding back (a waiver in force is revoked)',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: { fingerprint: t.arg.string({ required: true }), reason: t.arg.string() },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => reopenFinding(ctx.db, id, { actor: ctx.actor, reason: args.reason ?? undefined })),
  }),
  commentFinding: t.field({
    type: FindingRef,
    description: 'Adds a remark to the finding\'s history; the status stays',
    authScopes: { commentFindings: true },
    errors: { types: RESULT_ERRORS },
    args: { fingerprint: t.arg.string({ required: true }), text: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => workOn(ctx, args, (id) => commentFinding(ctx.db, id, { actor: ctx.actor, text: args.text })),
  }),
}))
