// Responsible groups: who a finding is routed to (by market and equipment type), and on which support line;
// the list, the lookup by code, and their management (createGroup, updateGroup: the manageRules permission,
// keys without a market limit only — a group's coverage spans markets). A key limited to markets sees the
// groups covering one of its markets or every market, and only its own markets among their coverage.
import { createGroup, updateGroup } from '../../incidents/groups.ts'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'
import { EquipmentTypeRef } from './equipment-type.ts'
import { MarketRef } from './market.ts'

/** Groups a key may see: those covering every market, or one of its markets (src/access/scope.ts). */
const visibleGroups = (ctx: Context) => scopeOf(ctx).group()

export const ResponsibleGroupRef = builder.prismaObject('ResponsibleGroup', {
  description: 'A group responsible for findings, on a support line (1, 2 or 3), covering markets and equipment types',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key' }),
    name: t.exposeString('name'),
    email: t.exposeString('email', { nullable: true, description: 'where its notifications go (several addresses separated by commas)' }),
    supportLine: t.exposeInt('supportLine', { description: 'the line it works on by default: 1, 2 or 3' }),
    markets: t.field({
      type: [MarketRef],
      description: 'the markets it covers (of those the key may see); empty: every market',
      resolve: (g, _args, ctx) => ctx.db.prisma.market.findMany({
        where: { AND: [{ groups: { some: { groupId: g.id } } }, scopeOf(ctx).market()] }, orderBy: { code: 'asc' },
      }),
    }),
    coversAllMarkets: t.boolean({
      description: 'it lists no market: it covers every one',
      resolve: async (g, _args, ctx) => (await ctx.db.prisma.responsibleGroupMarket.count({ where: { groupId: g.id } })) === 0,
    }),
    equipmentTypes: t.field({
      type: [EquipmentTypeRef],
      description: 'the equipment types it covers; empty: every type',
      resolve: (g, _args, ctx) => ctx.db.prisma.equipmentType.findMany({ where: { groups: { some: { groupId: g.id } } }, orderBy: { code: 'asc' } }),
    }),
  }),
})

builder.queryFields((t) => ({
  groups: t.prismaField({
    type: ['ResponsibleGroup'],
    description: 'Every responsible group the key may see, by code (a small list: not paged)',
    authScopes: { readMasterData: true, readFindings: true },
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.responsibleGroup.findMany({ ...query, where: visibleGroups(ctx), orderBy: { code: 'asc' } }),
  }),
  group: t.prismaField({
    type: 'ResponsibleGroup',
    nullable: true,
    description: 'A responsible group by its code',
    authScopes: { readMasterData: true, readFindings: true },
    args: { code: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.responsibleGroup.findFirst({ ...query, where: { AND: [{ code: args.code }, visibleGroups(ctx)] } }),
  }),
}))

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'business key: letters, digits, «-», «_», «.»' }),
    name: t.string({ required: true }),
    email: t.string({ description: 'one or more addresses separated by commas' }),
    supportLine: t.int({ required: true, description: '1, 2 or 3' }),
    markets: t.stringList({ description: 'market codes it covers; none: every market' }),
    equipmentTypes: t.stringList({ description: 'equipment type codes it covers; none: every type' }),
  }),
})

const UpdateGroupInput = builder.inputType('UpdateGroupInput', {
  description: 'Fields left out stay as they are; markets and equipmentTypes given replace the lists',
  fields: (t) => ({
    name: t.string(),
    email: t.string({ description: 'null clears it' }),
    supportLine: t.int(),
    markets: t.stringList(),
    equipmentTypes: t.stringList(),
  }),
})

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: ResponsibleGroupRef,
    description: 'Creates a responsible group (keys without a market limit only: a group\'s coverage spans markets)',
    authScopes: { $all: { manageRules: true, unscoped: true } },
    errors: { types: RESULT_ERRORS },
    args: { input: t.arg({ type: CreateGroupInput, required: true }) },
    resolve: (_root, { input }, ctx) => asResult(async () => {
      const g = await createGroup(ctx.db, {
        code: input.code, name: input.name, email: input.email ?? null, line: input.supportLine,
        markets: input.markets ?? [], equipmentTypes: input.equipmentTypes ?? [],
      })
      return ctx.db.prisma.responsibleGroup.findUniqueOrThrow({ where: { id: g.id } })
    }),
  }),
  updateGroup: t.field({
    type: ResponsibleGroupRef,
    description: 'Changes a responsible group: its name, e-mail, support line, markets or equipment types (keys without a market limit only)',
    authScopes: { $all: { manageRules: true, unscoped: true } },
    errors: { types: RESULT_ERRORS },
    args: { code: t.arg.string({ required: true }), input: t.arg({ type: UpdateGroupInput, required: true }) },
    resolve: (_root, { code, input }, ctx) => asResult(async () => {
      const g = await updateGroup(ctx.db, code, {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.supportLine != null ? { line: input.supportLine } : {}),
        ...(input.markets != null ? { markets: input.markets } : {}),
        ...(input.equipmentTypes != null ? { equipmentTypes: input.equipmentTypes } : {}),
      })
      return ctx.db.prisma.responsibleGroup.findUniqueOrThrow({ where: { id: g.id } })
    }),
  }),
}))
