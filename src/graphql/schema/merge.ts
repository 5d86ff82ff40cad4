// Merging duplicates over GraphQL: previewMerge, mergeRecords, unmergeRecords, the merges made (merge, merges,
// Address.merges, Customer.merges). Thin: src/merge/ checks rights, scope and input, writes and re-checks; refusals
// the caller can correct come back as ValidationFailed / NotFound / Conflict results (the queries: as errors with
// extensions.code).
import { GraphQLError } from 'graphql'
import { ConflictError, ForbiddenError, InputError, NotFoundError, SverkaError, ValidationFailed } from '../../errors.ts'
import { cursorOf, getMerge, listMerges, mergeRecords } from '../../merge/merge.ts'
import { previewMerge } from '../../merge/preview.ts'
import type { AppearingFinding, MergeField, MergeInput, MergeMember, MergeMove, MergePreview, MergeRecord, MergeResult } from '../../merge/types.ts'
import { isUndoable, unmergeRecords } from '../../merge/unmerge.ts'
import { MERGE_RU } from '../../i18n/ru-merge.ts'
import { readableJson, readableText } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { asResult, scopeOf } from './common.ts'
import { pageBounds } from './connections.ts'
import { AddressRef } from './address.ts'
import { CustomerRef } from './customer.ts'
import { EntityRefType } from './entity.ts'
import { findingsByFingerprint, SeverityEnum } from './finding.ts'
// one MergeableType enum for merges and «not a duplicate» marks
import { MERGEABLE_NAME, mergeableType, MergeableTypeEnum } from './distinct.ts'



const MoveTypeEnum = builder.enumType('MoveType', {
  description: 'What a merge moves to the survivor',
  values: { CONTRACT: { value: 'contract' }, EQUIPMENT: { value: 'equipment' }, INCIDENT: { value: 'incident' } } as const,
})

const SurvivorReasonEnum = builder.enumType('SurvivorReason', {
  description: 'Why the survivor is the one it is: chosen by a person, or the first criterion of the proposal that set it apart',
  values: {
    CHOSEN: { value: 'chosen', description: 'given in the input, not the proposed one' },
    COMPLETE: { value: 'complete', description: 'the most import columns filled' },
    LINKS: { value: 'links', description: 'the most contracts, devices and incidents' },
    OLDEST: { value: 'oldest', description: 'created first' },
    KEY: { value: 'key', description: 'the smallest key (all else equal)' },
  } as const,
})

const MergeFieldChoice = builder.inputType('MergeFieldChoice', {
  description: 'Which member an import column of the survivor takes its value from',
  fields: (t) => ({
    field: t.string({ required: true, description: 'import column, e.g. phone, text' }),
    from: t.string({ required: true, description: 'the key of the member whose value is taken' }),
  }),
})

const MergeInputRef = builder.inputType('MergeInput', {
  description: 'A group of duplicates to merge into one survivor',
  fields: (t) => ({
    type: t.field({ type: MergeableTypeEnum, required: true }),
    keys: t.stringList({ required: true, description: 'two or more business keys (an alias stands for its record)' }),
    survivor: t.string({ description: 'the record that stays; absent: proposed (most complete, then most links, then oldest)' }),
    fields: t.field({ type: [MergeFieldChoice], description: 'per import column, the member whose value the survivor takes (default: the survivor\'s, else the first member that has one)' }),
    version: t.string({ description: 'the version previewMerge returned: the merge is a Conflict when a member changed since' }),
    findingId: t.id({ description: 'the duplicate finding the merge is made from: its history gets a `merged` event' }),
  }),
})

const MAX_TEXT = 200

/** The GraphQL input as the merge takes it; over-long texts refused before anything is read. */
function toMergeInput(input: typeof MergeInputRef.$inferInput): MergeInput {
  const texts = [...input.keys, input.survivor ?? '', ...(input.fields ?? []).flatMap((f) => [f.field, f.from]), String(input.findingId ?? '')]
  if (texts.some((s) => s.length > MAX_TEXT || s.includes('\u0000'))) {
    throw new ValidationFailed([{ field: 'input', code: 'TOO_LONG', message: MERGE_RU.inputText(MAX_TEXT) }])
  }
  if (input.version != null && input.version.length > 20_000) throw new ValidationFailed([{ field: 'input.version', code: 'TOO_LONG', message: MERGE_RU.badVersion }])
  return {
    type: mergeableType(input.type),
    keys: input.keys,
    ...(input.survivor != null ? { survivor: input.survivor } : {}),
    ...(input.fields != null ? { fields: Object.fromEntries(input.fields.map((f) => [f.field, f.from])) } : {}),
    ...(input.version != null ? { version: input.version } : {}),
    ...(input.findingId != null ? { findingId: String(input.findingId) } : {}),
  }
}

const MergeMemberRef = builder.objectRef<MergeMember>('MergeMember').implement({
  description: 'One record of a group as a merge sees it',
  fields: (t) => ({
    key: t.exposeString('key'),
    values: t.field({ type: 'JSON', description: 'import columns as stored', resolve: (m, _a, ctx) => readableJson(ctx, m.values) }),
    filled: t.exposeInt('filled', { description: 'how many import columns are filled' }),
    contracts: t.exposeInt('contracts'),
    devices: t.exposeInt('devices'),
    incidents: t.exposeInt('incidents'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

const MergeFieldOptionRef = builder.objectRef<MergeField['options'][number]>('MergeFieldOption').implement({
  description: 'One member\'s value of a field',
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.string({ nullable: true, resolve: (o, _a, ctx) => readableText(ctx, o.value) }),
  }),
})

const MergeFieldRef = builder.objectRef<MergeField>('MergeField').implement({
  description: 'One import column of the merged record: the value taken, and every member\'s',
  fields: (t) => ({
    field: t.exposeString('field'),
    from: t.exposeString('from', { description: 'the member whose value is taken' }),
    value: t.string({ nullable: true, resolve: (f, _a, ctx) => readableText(ctx, f.value) }),
    options: t.field({ type: [MergeFieldOptionRef], resolve: (f) => f.options }),
    differs: t.exposeBoolean('differs', { description: 'the members do not all agree' }),
  }),
})

const MergeMoveRef = builder.objectRef<MergeMove>('MergeMove').implement({
  description: 'A record a merge moves to the survivor',
  fields: (t) => ({
    type: t.field({ type: MoveTypeEnum, resolve: (m) => m.type }),
    key: t.exposeString('key', { description: 'business key (an incident: its id)' }),
    field: t.exposeString('field', { description: 'the reference that changes: customer or address' }),
    from: t.exposeString('from', { description: 'the member it referred to' }),
  }),
})

const AppearingFindingRef = builder.objectRef<AppearingFinding>('AppearingFinding').implement({
  description: 'A finding a merge would raise (or bring back)',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint'),
    ruleId: t.exposeString('ruleId'),
    severity: t.field({ type: SeverityEnum, resolve: (f) => f.severity }),
    message: t.string({ resolve: (f, _a, ctx) => readableText(ctx, f.message) }),
    entities: t.field({ type: [EntityRefType], resolve: (f) => f.entities }),
  }),
})

const MergePreviewRef = builder.objectRef<MergePreview>('MergePreview').implement({
  description: 'What a merge would do: nothing is stored',
  fields: (t) => ({
    type: t.field({ type: MergeableTypeEnum, resolve: (p) => MERGEABLE_NAME[p.type] }),
    survivor: t.exposeString('survivor'),
    proposed: t.exposeString('proposed', { description: 'the survivor the SPEC\'s order proposes' }),
    reason: t.field({ type: SurvivorReasonEnum, resolve: (p) => p.reason }),
    members: t.field({ type: [MergeMemberRef], description: 'survivor first', resolve: (p) => p.members }),
    fields: t.field({ type: [MergeFieldRef], resolve: (p) => p.fields }),
    moves: t.field({ type: [MergeMoveRef], resolve: (p) => p.moves }),
    resolving: t.prismaField({ type: ['Finding'], description: 'open findings the merge would resolve', resolve: (query, p, _a, ctx) => findingsByFingerprint(ctx, p.resolving, query) }),
    appearing: t.field({ type: [AppearingFindingRef], description: 'findings the merge would raise', resolve: (p) => p.appearing }),
    version: t.exposeString('version', { description: 'pass it to mergeRecords: the merge is refused when a member changed since' }),
  }),
})

export const RecordMergeRef = builder.objectRef<MergeRecord>('RecordMerge').implement({
  description: 'A merge made: who, when, what moved; undoable while nothing it left has changed',
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: MergeableTypeEnum, resolve: (m) => MERGEABLE_NAME[m.type] }),
    survivor: t.exposeString('survivor'),
    members: t.exposeStringList('members', { description: 'the keys merged in (now aliases of the survivor)' }),
    actor: t.exposeString('actor'),
    at: t.expose('at', { type: 'DateTime' }),
    finding: t.prismaField({
      type: 'Finding', nullable: true, description: 'the duplicate finding it was made from (when the key sees it)',
      resolve: (query, m, _a, ctx) => (m.findingId === null ? null
        : ctx.db.prisma.finding.findFirst({ ...query, where: { AND: [{ id: m.findingId }, scopeOf(ctx).finding()] } })),
    }),
    fields: t.field({ type: 'JSON', description: 'per import column, the member whose value the survivor took', resolve: (m) => m.fields }),
    moves: t.field({ type: [MergeMoveRef], resolve: (m) => m.moves }),
    undoneAt: t.expose('undoneAt', { type: 'DateTime', nullable: true }),
    undoneBy: t.exposeString('undoneBy', { nullable: true }),
    undoable: t.boolean({
      description: 'not undone, and nothing it moved or left has changed since',
      resolve: (m, _a, ctx) => (m.undoneAt !== null ? false : isUndoable(ctx.db.sql, m.id)),
    }),
  }),
})

const MergeDoneRef = builder.objectRef<MergeResult>('MergeDone').implement({
  description: 'A merge made or undone, and the findings its re-check changed',
  fields: (t) => ({
    merge: t.field({ type: RecordMergeRef, resolve: (r) => r.merge }),
    resolved: t.prismaField({ type: ['Finding'], description: 'findings it resolved (those the key sees)', resolve: (query, r, _a, ctx) => findingsByFingerprint(ctx, r.resolved, query) }),
    caused: t.prismaField({ type: ['Finding'], description: 'findings it raised or reopened (those the key sees)', resolve: (query, r, _a, ctx) => findingsByFingerprint(ctx, r.caused, query) }),
    recheckQueued: t.boolean({ description: 'the re-check could not run in the request and was queued', resolve: (r) => r.recheckQueued === true }),
  }),
})

// ─── running ───

/** A query's domain refusals as GraphQL errors with their code (input problems stay BAD_USER_INPUT). */
async function asQueryError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (e) {
    if (e instanceof InputError || !(e instanceof SverkaError)) throw e
    throw new GraphQLError(e.message, { extensions: { code: e.code } })
  }
}

/** A mutation's: input problems, NotFound and Conflict as results, Forbidden as an error. */
async function asMutationResult<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await asResult(work)
  } catch (e) {
    if (e instanceof ForbiddenError) throw new GraphQLError(e.message, { extensions: { code: 'FORBIDDEN' } })
    throw e
  }
}

const options = (ctx: Context) => ({ actor: ctx.actor, ...(ctx.jobs ? { jobs: ctx.jobs } : {}) })

builder.queryFields((t) => ({
  previewMerge: t.field({
    type: MergePreviewRef,
    nullable: true,
    description: 'What merging a group would do — survivor, fields, moves, the findings it resolves and raises — without storing anything',
    authScopes: { mergeRecords: true },
    args: { input: t.arg({ type: MergeInputRef, required: true }) },
    resolve: (_root, args, ctx) => asQueryError(() => previewMerge(ctx.db, principalOf(ctx), toMergeInput(args.input))),
  }),
  merge: t.field({
    type: RecordMergeRef,
    nullable: true,
    description: 'A merge by id; null when there is none the key sees',
    authScopes: { mergeRecords: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getMerge(ctx.db.sql, principalOf(ctx), String(args.id)),
  }),
  merges: t.connection({
    type: RecordMergeRef,
    description: 'Merges made, newest first; of a type and/or naming a key (as survivor or member)',
    authScopes: { mergeRecords: true },
    args: { type: t.arg({ type: MergeableTypeEnum }), key: t.arg.string() },
    validate: pageBounds,
    resolve: async (_root, args, ctx) => {
      const page = await listMerges(ctx.db.sql, principalOf(ctx), {
        ...(args.type ? { type: mergeableType(args.type) } : {}), ...(args.key ? { key: args.key } : {}),
        first: args.first ?? 50, ...(args.after ? { after: args.after } : {}),
      })
      return {
        edges: page.merges.map((m) => ({ cursor: cursorOf(m), node: m })),
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: args.after != null, startCursor: page.merges[0] ? cursorOf(page.merges[0]) : null, endCursor: page.endCursor },
      }
    },
  }),
}))

builder.mutationFields((t) => ({
  mergeRecords: t.field({
    type: MergeDoneRef,
    description: 'Merges a group of duplicates into one survivor (one transaction) and re-checks the rules around it',
    authScopes: { mergeRecords: true },
    errors: { types: [ValidationFailed, NotFoundError, ConflictError], directResult: true, union: { name: 'MergeRecordsResult' } },
    args: { input: t.arg({ type: MergeInputRef, required: true }) },
    resolve: (_root, args, ctx) => asMutationResult(() => mergeRecords(ctx.db, principalOf(ctx), toMergeInput(args.input), options(ctx))),
  }),
  unmergeRecords: t.field({
    type: MergeDoneRef,
    description: 'Undoes a merge while nothing it moved or left has changed since, and re-checks the rules around it',
    authScopes: { mergeRecords: true },
    errors: { types: [NotFoundError, ConflictError], directResult: true, union: { name: 'UnmergeRecordsResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => asMutationResult(() => unmergeRecords(ctx.db, principalOf(ctx), String(args.id), options(ctx))),
  }),
}))

// ─── the merges of a record ───

for (const [ref, type] of [[AddressRef, 'address'], [CustomerRef, 'customer']] as const) {
  builder.objectField(ref, 'merges', (t) => t.field({
    type: [RecordMergeRef],
    // whoever reads the record reads its history (the type holds readMasterData); merging is the NSI's
    description: 'merges this record survived or was merged in by (through its key), newest first',
    resolve: async (record: { code: string }, _a, ctx) => (await listMerges(ctx.db.sql, principalOf(ctx), { type, key: record.code, first: 100 })).merges,
  }))
}
