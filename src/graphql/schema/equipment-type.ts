// Equipment types (router, set-top box, …): catalogue, seen by every key; the list and the lookup by code.
import { builder } from '../builder.ts'
import { scopeOf } from './common.ts'
import { keyArg } from './connections.ts'

export const EquipmentTypeRef = builder.prismaObject('EquipmentType', {
  description: 'A kind of device; products of kind EQUIPMENT are one, services may need one',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key, e.g. ROUTER' }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

builder.queryFields((t) => ({
  equipmentTypes: t.prismaField({
    type: ['EquipmentType'],
    description: 'Every equipment type, by code (a small catalogue: not paged)',
    authScopes: { readMasterData: true, readFindings: true },
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.equipmentType.findMany({ ...query, where: scopeOf(ctx).equipmentType(), orderBy: { code: 'asc' } }),
  }),
  equipmentType: t.prismaField({
    type: 'EquipmentType',
    nullable: true,
    description: 'An equipment type by code',
    authScopes: { readMasterData: true, readFindings: true },
    args: { code: t.arg.string({ required: true, validate: keyArg }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.equipmentType.findFirst({ ...query, where: { AND: [{ code: args.code }, scopeOf(ctx).equipmentType()] } }),
  }),
}))
