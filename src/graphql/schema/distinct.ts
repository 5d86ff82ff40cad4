// «Not a duplicate» marks: markDistinct on a duplicate finding (every pair of the records given), removeDistinctMark,
// the list distinctMarks and Finding.distinctMarks. Thin: src/merge/distinct.ts checks, scopes, stores and re-checks;
// the answer carries the findings the re-check resolved (the group) and caused (its parts).
import { z } from '../../i18n/zod.ts'
import { resolveCursorConnection } from '@pothos/plugin-relay'
import {
  listDistinctMarks, markDistinct, marksAmong, removeDistinctMark, type MarkDistinctResult, type RemoveDistinctMarkResult,
} from '../../merge/distinct.ts'
import { MERGEABLE_TYPES, type DistinctMarkRecord, type MergeableType } from '../../merge/types.ts'
import type { EntityRef } from '../../records/model.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'
import { builder, DEFAULT_PAGE, MAX_PAGE } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'
import { pageBounds } from './connections.ts'
import { findingsByFingerprint, FindingRef } from './finding.ts'
import { readableText } from '../batch.ts'

/** The record types that can be merged or marked distinct (the types a duplicate rule groups). */
export const MergeableTypeEnum = builder.enumType('MergeableType', {
  description: 'The record types a duplicate rule groups: those that can be merged or marked «not a duplicate»',
  // names as values (an input enum's internal value is what tools that build variables from the schema send)
  values: ['ADDRESS', 'CUSTOMER'] as const,
})

/** The enum's value as the domain's type, and back. */
export const mergeableType = (value: 'ADDRESS' | 'CUSTOMER'): MergeableType => (value === 'ADDRESS' ? 'address' : 'customer')
export const MERGEABLE_NAME = { address: 'ADDRESS', customer: 'CUSTOMER' } as const

export const DistinctMarkRef = builder.objectRef<DistinctMarkRecord>('DistinctMark').implement({
  description: 'Two records a person said are not duplicates: a duplicate rule never reports them together while the mark is live',
  fields: (t) => ({
    id: t.id({ resolve: (m) => String(m.id) }),
    type: t.field({ type: MergeableTypeEnum, resolve: (m) => MERGEABLE_NAME[m.type] }),
    keys: t.stringList({ description: 'the pair, as stored (the database\'s C order: UTF-8 bytes)', resolve: (m) => m.keys }),
    reason: t.string({ description: 'why they are distinct', resolve: (m, _args, ctx) => readableText(ctx, m.reason) }),
    actor: t.exposeString('actor', { description: 'who marked them' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finding: t.field({
      type: FindingRef,
      nullable: true,
      description: 'the duplicate finding the mark was made on (null when gone or outside the key\'s markets)',
      resolve: (m, _args, ctx) => (m.findingId === null ? null
        : ctx.db.prisma.finding.findFirst({ where: { AND: [{ id: m.findingId }, scopeOf(ctx).finding()] } })),
    }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true, description: 'null: the mark is live' }),
    removedBy: t.exposeString('removedBy', { nullable: true }),
    removeReason: t.string({ nullable: true, resolve: (m, _args, ctx) => readableText(ctx, m.removeReason) }),
  }),
})

const MarkDistinctInput = builder.inputType('MarkDistinctInput', {
  description: 'Records of one duplicate finding that are distinct: every pair of them is marked',
  fields: (t) => ({
    findingId: t.id({ required: true, description: 'the duplicate finding (its id or fingerprint)' }),
    keys: t.stringList({ required: true, description: 'two or more of its records\' business keys' }),
    reason: t.string({ required: true, description: 'why they are distinct (at most 1000 characters)' }),
  }),
})

const MarkDistinctDone = builder.objectRef<MarkDistinctResult>('MarkDistinctDone').implement({
  description: 'Records marked «not a duplicate»: the marks of every pair, and what the re-check changed',
  fields: (t) => ({
    marks: t.field({ type: [DistinctMarkRef], description: 'one a pair; a pair marked before is kept as it was', resolve: (r) => r.marks }),
    resolved: t.field({
      type: [FindingRef], description: 'findings the re-check resolved (the group that split or came back), those the key may see',
      resolve: (r, _args, ctx) => findingsByFingerprint(ctx, r.resolved),
    }),
    caused: t.field({
      type: [FindingRef], description: 'findings the re-check raised or reopened (the parts, or the group back), those the key may see',
      resolve: (r, _args, ctx) => findingsByFingerprint(ctx, r.caused),
    }),
    recheckQueued: t.boolean({
      description: 'stored, but the re-check could not run in the request: it was queued (resolved and caused are then empty)',
      resolve: (r) => r.recheckQueued === true,
    }),
  }),
})

const RemoveDistinctMarkDone = builder.objectRef<RemoveDistinctMarkResult>('RemoveDistinctMarkDone').implement({
  description: 'A «not a duplicate» mark removed (kept as history), and what the re-check changed',
  fields: (t) => ({
    mark: t.field({ type: DistinctMarkRef, resolve: (r) => r.mark }),
    resolved: t.field({
      type: [FindingRef], description: 'findings the re-check resolved (the group that split or came back), those the key may see',
      resolve: (r, _args, ctx) => findingsByFingerprint(ctx, r.resolved),
    }),
    caused: t.field({
      type: [FindingRef], description: 'findings the re-check raised or reopened (the parts, or the group back), those the key may see',
      resolve: (r, _args, ctx) => findingsByFingerprint(ctx, r.caused),
    }),
    recheckQueued: t.boolean({
      description: 'stored, but the re-check could not run in the request: it was queued (resolved and caused are then empty)',
      resolve: (r) => r.recheckQueued === true,
    }),
  }),
})

const reasonArg = z.string().max(1000, PROBLEM_RU.tooLong(1000))

builder.mutationFields((t) => ({
  markDistinct: t.field({
    type: MarkDistinctDone,
    description: 'Marks records of a duplicate finding «not a duplicate» (every pair of them) and re-checks at once: the finding '
      + 'splits into the groups of the pairs left unmarked',
    authScopes: { mergeRecords: true },
    errors: { types: RESULT_ERRORS, directResult: true, union: { name: 'MarkDistinctResult' } },
    args: { input: t.arg({ type: MarkDistinctInput, required: true }) },
    resolve: (_root, args, ctx) => asResult(() => markDistinct(ctx.db, principalOf(ctx), {
      findingId: String(args.input.findingId), keys: args.input.keys, reason: args.input.reason,
    }, options(ctx))),
  }),
  removeDistinctMark: t.field({
    type: RemoveDistinctMarkDone,
    description: 'Removes a «not a duplicate» mark (it stays as history) and re-checks: the group comes back as one',
    authScopes: { mergeRecords: true },
    errors: { types: RESULT_ERRORS, directResult: true, union: { name: 'RemoveDistinctMarkResult' } },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ description: 'why it is removed', validate: reasonArg }) },
    resolve: (_root, args, ctx) => asResult(() => removeDistinctMark(ctx.db, principalOf(ctx), markId(String(args.id)), {
...options(ctx), reason: args.reason ?? null })),
  }),
}))

const options = (ctx: Context) => ({ actor: ctx.actor, ...(ctx.jobs ? { jobs: ctx.jobs } : {}) })

/** A mark's id as given; anything not a number finds no mark (id 0 is never stored). */
const markId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : 0)

builder.queryFields((t) => ({
  distinctMarks: t.connection({
    type: DistinctMarkRef,
    description: '«Not a duplicate» marks the key may see (both records in its markets), newest first; live ones unless includeRemoved',
    authScopes: { readFindings: true },
    args: {
      type: t.arg({ type: MergeableTypeEnum }),
      key: t.arg.string({ description: 'marks naming this record', validate: z.string().max(200, PROBLEM_RU.tooLong(200)) }),
      findingId: t.arg.id({ description: 'marks made on this finding' }),
      includeRemoved: t.arg.boolean({ description: 'removed marks too' }),
    },
    validate: pageBounds,
    resolve: (_root, args, ctx) => resolveCursorConnection<Promise<readonly DistinctMarkRecord[]>>(
      { args, defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE, toCursor: (m: DistinctMarkRecord) => String(m.id) },
      (page) => listDistinctMarks(ctx.db.sql, principalOf(ctx), {
        ...(args.type ? { type: mergeableType(args.type) } : {}),
        ...(args.key != null ? { key: args.key } : {}),
        ...(args.findingId != null ? { findingId: String(args.findingId) } : {}),
        includeRemoved: args.includeRemoved === true,
        first: page.limit, after: page.after, before: page.before, inverted: page.inverted,
      }),
    ),
  }),
}))

builder.prismaObjectFields(FindingRef, (t) => ({
  distinctMarks: t.field({
    type: [DistinctMarkRef],
    description: 'live «not a duplicate» marks between the records the finding names',
    select: { entities: true },
    resolve: async (f, _args, ctx) => {
      const entities = f.entities as unknown as EntityRef[]
      const out: DistinctMarkRecord[] = []
      for (const type of MERGEABLE_TYPES) {
        const keys = entities.filter((e) => e.type === type).map((e) => e.key)
        if (keys.length >= 2) out.push(...await marksAmong(ctx.db.sql, type, keys))
      }
      return out
    },
  }),
}))
