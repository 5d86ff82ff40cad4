// Incidents and complaints: registering one (what the REST webhook does, as mutations), the list and the
// lookup (a key limited to markets sees those of its markets; one without a market only unscoped keys),
// and linking to findings by hand. Resolvers are thin: the intake and linking services do the work.
import { readsPersonalData } from '../../access/personal-data.ts'
import { HIDDEN } from '../../access/redact.ts'
import { seesIncident } from '../../access/scope.ts'
import type { Prisma } from '../../generated/prisma/client.ts'
import type { Incident } from '../../generated/prisma/client.ts'
import { Channel, IncidentKind, IncidentStatus } from '../../generated/prisma/enums.ts'
import { registerIncident, type IntakeResult } from '../../incidents/intake.ts'
import { linkIncident, unlinkIncident } from '../../incidents/linking.ts'
import { findVisibleIncident, isIncidentId } from '../../incidents/lookup.ts'
import { storedReferences, type ResolvedReference, type UnresolvedReference } from '../../incidents/references.ts'
import { ValidationFailed, type FieldProblem } from '../../errors.ts'
import { readableReason, readableText } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'
import { keyArg, pageBounds, textFilter } from './connections.ts'
import { EntityRefType } from './entity.ts'
import { FindingRef, incidentsOf } from './finding.ts'
import { linkedIncidentRows, type IncidentShape } from './incident-loader.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'

export const IncidentKindEnum = builder.enumType(IncidentKind, { name: 'IncidentKind', description: 'An incident (something does not work) or a complaint' })
export const ChannelEnum = builder.enumType(Channel, { name: 'Channel', description: 'How it reached the contact centre' })
export const IncidentStatusEnum = builder.enumType(IncidentStatus, { name: 'IncidentStatus' })

// ─── types ───

const ReferencesRef = builder.objectRef<Incident>('IncidentReferences').implement({
  description: 'What the incident named, exactly as it arrived (a business key or free text)',
  fields: (t) => ({
    customer: t.string({
      nullable: true, description: 'personal data when a person typed a phone or name: [скрыто] for roles that do not read it',
      resolve: (i, _args, ctx) => (i.customerRef === null || readsPersonalData(principalOf(ctx)) ? i.customerRef : HIDDEN),
    }),
    address: t.exposeString('addressRef', { nullable: true }),
    contract: t.exposeString('contractRef', { nullable: true }),
    equipment: t.exposeString('equipmentRef', { nullable: true }),
  }),
})

const ResolvedReferenceRef = builder.objectRef<ResolvedReference>('ResolvedReference').implement({
  description: 'A reference that named one record: which, and how it was recognised',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'customer, address, contract or equipment' }),
    value: t.string({
      description: 'as it arrived (a customer\'s phone or name: [скрыто] for roles that do not read personal data)',
      resolve: (r, _args, ctx) => (r.field !== 'customer' || r.value.trim() === r.key || readsPersonalData(principalOf(ctx)) ? r.value : HIDDEN),
    }),
    how: t.exposeString('how', { description: 'exact key, alias (the key of a record merged into this one), address normalised, house normalised, serial normalised, MAC normalised, phone normalised, INN, name normalised' }),
    record: t.field({ type: EntityRefType, resolve: (r) => ({ type: r.type, key: r.key }) }),
  }),
})

const UnresolvedReferenceRef = builder.objectRef<UnresolvedReference>('UnresolvedReference').implement({
  description: 'A reference kept as text: it named no record, or several',
  fields: (t) => ({
    field: t.exposeString('field'),
    value: t.string({
      description: 'as it arrived (a customer\'s: [скрыто] for roles that do not read personal data)',
      resolve: (u, _args, ctx) => (u.field !== 'customer' || readsPersonalData(principalOf(ctx)) ? u.value : HIDDEN),
    }),
    reason: t.string({ resolve: (u, _args, ctx) => readableText(ctx, u.reason) }),
  }),
})

export const IncidentLinkRef = builder.prismaObject('FindingIncident', {
  name: 'IncidentLink',
  description: 'A link between an incident or complaint and a finding: how, why and by whom it was made',
  fields: (t) => ({
    finding: t.relation('finding'),
    incident: t.relation('incident'),
    origin: t.exposeString('origin', { description: 'AUTO (on arrival) or MANUAL' }),
    reason: t.string({ nullable: true, resolve: (l, _args, ctx) => readableReason(ctx, l.reason) }),
    actor: t.exposeString('actor'),
    linkedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

export const IncidentRef = builder.prismaObject('Incident', {
  description: 'An incident or complaint: what arrived, what it was recognised as, the findings it is linked to',
  // every path to an incident holds the market scope, not only the lookups: another market's is never shown
  authScopes: (i, ctx) => ({ $all: { $any: { readFindings: true, intake: true }, visible: seesIncident(principalOf(ctx), i) } }),
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: IncidentKindEnum }),
    channel: t.expose('channel', { type: ChannelEnum }),
    externalRef: t.exposeString('externalRef', { nullable: true, description: 'e.g. a Remedy incident number' }),
    description: t.exposeString('description', { nullable: true }),
    status: t.expose('status', { type: IncidentStatusEnum }),
    marketCode: t.exposeString('marketCode', { nullable: true, description: 'the market of the records it concerns, when they have one' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.exposeString('createdBy', { description: 'who registered it (key:<id>:<name>)' }),
    references: t.field({ type: ReferencesRef, description: 'the references as they arrived', resolve: (i) => i }),
    resolved: t.field({
      type: [ResolvedReferenceRef],
      description: 'the references that named one record, and how (records outside the key\'s markets are left out)',
      resolve: (i, _args, ctx) => storedReferences(ctx.db.sql, principalOf(ctx),
        { customer: i.customerId, address: i.addressId, contract: i.contractId, equipment: i.equipmentId },
        { customer: i.customerRef, address: i.addressRef, contract: i.contractRef, equipment: i.equipmentRef }),
    }),
    unresolved: t.field({
      type: [UnresolvedReferenceRef],
      description: 'the references kept as text, with the reason',
      resolve: (i) => i.unresolved as unknown as UnresolvedReference[],
    }),
    findings: t.relation('findings', {
      description: 'the findings it is linked to (those the key may see), oldest link first',
      query: (_args, ctx) => ({ where: { finding: scopeOf(ctx).finding() }, orderBy: [{ createdAt: 'asc' }, { findingId: 'asc' }] }),
    }),
    findingCount: t.int({
      description: 'how many findings the key may see it is linked to',
      resolve: (i, _args, ctx) => ctx.db.prisma.findingIncident.count({ where: { incidentId: i.id, finding: scopeOf(ctx).finding() } }),
    }),
    linkOrigin: t.string({
      nullable: true,
      description: 'read through a finding: how it was linked to that finding, AUTO (on arrival) or MANUAL; null elsewhere',
      resolve: (i) => (i as IncidentShape).origin ?? null,
    }),
    linkedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'read through a finding: when it was linked to it; null elsewhere',
      resolve: (i) => (i as IncidentShape).linkedAt ?? null,
    }),
  }),
})

// the Finding type's side of the link: declared here, with the Incident type it answers, so that finding.ts
// does not import this module (which imports it)
builder.prismaObjectFields(FindingRef, (t) => ({
  incidents: t.field({
    type: [IncidentRef],
    description: 'incidents and complaints linked to it, oldest first',
    resolve: async (f, _args, ctx) => linkedIncidentRows(ctx, await incidentsOf(ctx, f)),
  }),
}))

const IntakeLinkRef = builder.objectRef<IntakeResult['links'][number]>('IntakeLink').implement({
  description: 'A finding the incident was linked to on arrival, and why',
  fields: (t) => ({
    fingerprint: t.exposeString('finding'),
    ruleId: t.exposeString('ruleId'),
    reason: t.string({ resolve: async (l, _args, ctx) => (await readableReason(ctx, l.reason))! }),
    finding: t.prismaField({
      type: 'Finding',
      nullable: true,
      resolve: (query, l, _args, ctx) => ctx.db.prisma.finding.findFirst({ ...query, where: { AND: [{ id: l.findingId }, scopeOf(ctx).finding()] } }),
    }),
  }),
})

const IntakeResultRef = builder.objectRef<IntakeResult>('IntakeResult').implement({
  description: 'What registering answers: the incident, the links made, and how each reference resolved or why it did not',
  fields: (t) => ({
    id: t.exposeID('id'),
    created: t.exposeBoolean('created', { description: 'false: this external reference had arrived before; nothing was changed' }),
    incident: t.prismaField({
      type: 'Incident',
      resolve: (query, r, _args, ctx) => ctx.db.prisma.incident.findUniqueOrThrow({ ...query, where: { id: r.id } }),
    }),
    links: t.field({ type: [IntakeLinkRef], resolve: (r) => r.links }),
    unresolved: t.field({ type: [UnresolvedReferenceRef], resolve: (r) => r.unresolved }),
    resolved: t.field({ type: [ResolvedReferenceRef], resolve: (r) => r.resolved }),
  }),
})

// ─── lists and lookups ───

const IncidentFilter = builder.inputType('IncidentFilter', {
  description: 'Conditions an incident must meet (all of those given)',
  fields: (t) => ({
    kind: t.field({ type: IncidentKindEnum }),
    channel: t.field({ type: ChannelEnum }),
    status: t.field({ type: IncidentStatusEnum }),
    market: t.string({ description: 'market code', validate: textFilter }),
    externalRef: t.string({ validate: textFilter }),
  }),
})

function incidentWhere(ctx: Context, filter: typeof IncidentFilter.$inferInput | null | undefined): Prisma.IncidentWhereInput {
  const and: Prisma.IncidentWhereInput[] = [scopeOf(ctx).incident()]
  if (filter?.kind) and.push({ kind: filter.kind })
  if (filter?.channel) and.push({ channel: filter.channel })
  if (filter?.status) and.push({ status: filter.status })
  if (filter?.market != null) and.push({ marketCode: filter.market })
  if (filter?.externalRef != null) and.push({ externalRef: filter.externalRef })
  return { AND: and }
}

builder.queryFields((t) => ({
  incidents: t.prismaConnection({
    type: 'Incident',
    cursor: 'id',
    description: 'Incidents and complaints the key may see, newest first',
    authScopes: { readFindings: true, intake: true },
    args: { filter: t.arg({ type: IncidentFilter }) },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.incident.count({ where: incidentWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.incident.findMany({
      ...query, where: incidentWhere(ctx, args.filter), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
  }),
  incident: t.prismaField({
    type: 'Incident',
    nullable: true,
    description: 'An incident or complaint by its id, or by its external reference (and kind, default INCIDENT); null when there is none the key may see',
    authScopes: { readFindings: true, intake: true },
    args: {
      id: t.arg.id({ description: 'Sverka\'s id' }),
      externalRef: t.arg.string({ description: 'the service desk\'s reference', validate: keyArg }),
      kind: t.arg({ type: IncidentKindEnum, description: 'with externalRef (default INCIDENT)' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const id = args.id == null ? null : String(args.id)
      if (id !== null && !isIncidentId(id)) return null
      const found = await findVisibleIncident(ctx.db.sql, principalOf(ctx), id !== null ? { id } : { externalRef: args.externalRef, kind: args.kind ?? 'INCIDENT' })
      return found === null ? null : ctx.db.prisma.incident.findUnique({ ...query, where: { id: found } })
    },
  }),
}))

// ─── intake and links by hand ───

const IncidentInput = builder.inputType('IncidentInput', {
  description: 'An incident or complaint as it arrives: each reference a business key or free text as a person typed it',
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, required: true }),
    externalRef: t.string({ description: 'e.g. a Remedy incident number: the same one again answers the same incident' }),
    customer: t.string({ description: 'customer code, phone in any notation, INN or name' }),
    address: t.string({ description: 'address code or the address as typed («ленина 5 кв 12»)' }),
    contract: t.string({ description: 'contract number' }),
    equipment: t.string({ description: 'inventory number, serial or MAC in any notation' }),
    description: t.string(),
  }),
})

const register = (kind: IncidentKind) => (_root: unknown, args: { input: typeof IncidentInput.$inferInput }, ctx: Context) =>
  asResult(() => registerIncident(ctx.db, principalOf(ctx), { ...args.input, kind }, ctx.actor))

const linkArgs = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  fingerprint: t.arg.string({ required: true, description: 'the finding: fingerprint or id' }),
  incident: t.arg.string({ required: true, description: 'the incident: Sverka\'s id or its external reference' }),
  kind: t.arg({ type: IncidentKindEnum, description: 'with an external reference (default INCIDENT)' }),
  reason: t.arg.string({ description: 'why (kept with the link and in the finding\'s history)' }),
})

function checkLinkArgs(args: { fingerprint: string; incident: string; reason?: string | null }): FieldProblem[] {
  return [
    ...(!args.fingerprint.trim() ? [{ field: 'fingerprint', code: 'REQUIRED', message: PROBLEM_RU.empty }] : []),
    ...(args.fingerprint.length > 200 ? [{ field: 'fingerprint', code: 'TOO_LONG', message: PROBLEM_RU.tooLong(200) }] : []),
    ...(!args.incident.trim() ? [{ field: 'incident', code: 'REQUIRED', message: PROBLEM_RU.empty }] : []),
    ...(args.incident.length > 200 ? [{ field: 'incident', code: 'TOO_LONG', message: PROBLEM_RU.tooLong(200) }] : []),
    ...((args.reason?.length ?? 0) > 2000 ? [{ field: 'reason', code: 'TOO_LONG', message: PROBLEM_RU.tooLong(2000) }] : []),
  ]
}

builder.mutationFields((t) => ({
  registerIncident: t.field({
    type: IntakeResultRef,
    description: 'Registers an incident (the same as POST /api/v1/incidents): references resolved within the key\'s markets, linked to the open findings behind it',
    authScopes: { intake: true },
    errors: { types: RESULT_ERRORS },
    args: { input: t.arg({ type: IncidentInput, required: true }) },
    resolve: register('INCIDENT'),
  }),
  registerComplaint: t.field({
    type: IntakeResultRef,
    description: 'Registers a complaint (the same as POST /api/v1/complaints)',
    authScopes: { intake: true },
    errors: { types: RESULT_ERRORS },
    args: { input: t.arg({ type: IncidentInput, required: true }) },
    resolve: register('COMPLAINT'),
  }),
  linkIncident: t.field({
    type: FindingRef,
    description: 'Links an incident or complaint to a finding by hand (origin MANUAL, an event on the finding); answers the finding',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: linkArgs(t),
    resolve: (_root, args, ctx) => asResult(async () => {
      const problems = checkLinkArgs(args)
      if (problems.length) throw new ValidationFailed(problems)
      const { findingId } = await linkIncident(ctx.db, principalOf(ctx), { finding: args.fingerprint, incident: args.incident, kind: args.kind ?? undefined }, { actor: ctx.actor, reason: args.reason })
      return ctx.db.prisma.finding.findUniqueOrThrow({ where: { id: findingId } })
    }),
  }),
  unlinkIncident: t.field({
    type: FindingRef,
    description: 'Removes the link between an incident or complaint and a finding (an event on the finding); answers the finding',
    authScopes: { workFindings: true },
    errors: { types: RESULT_ERRORS },
    args: linkArgs(t),
    resolve: (_root, args, ctx) => asResult(async () => {
      const problems = checkLinkArgs(args)
      if (problems.length) throw new ValidationFailed(problems)
      const { findingId } = await unlinkIncident(ctx.db, principalOf(ctx), { finding: args.fingerprint, incident: args.incident, kind: args.kind ?? undefined }, { actor: ctx.actor, reason: args.reason })
      return ctx.db.prisma.finding.findUniqueOrThrow({ where: { id: findingId } })
    }),
  }),
}))
