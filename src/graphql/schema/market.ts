// Markets: the regions the catalogue and contracts are split by. A key limited to markets sees only those.
import { seesMarket } from '../../access/scope.ts'
import { builder } from '../builder.ts'
import { principalOf } from '../context.ts'
import { scopeOf } from './common.ts'

export const MarketRef = builder.prismaObject('Market', {
  description: 'A market (region) products are sold in and contracts belong to',
  // a key limited to markets meets only its own, on every path
  authScopes: (m, ctx) => ({ visible: seesMarket(principalOf(ctx), m.code) }),
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key, e.g. MSK' }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

builder.queryFields((t) => ({
  markets: t.prismaField({
    type: ['Market'],
    description: 'Every market the key may see, by code',
    authScopes: { readMasterData: true, readFindings: true },
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.market.findMany({ ...query, where: scopeOf(ctx).market(), orderBy: { code: 'asc' } }),
  }),
  market: t.prismaField({
    type: 'Market',
    nullable: true,
    description: 'A market by its code',
    authScopes: { readMasterData: true, readFindings: true },
    args: { code: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.market.findFirst({ ...query, where: { AND: [{ code: args.code }, scopeOf(ctx).market()] } }),
  }),
}))
