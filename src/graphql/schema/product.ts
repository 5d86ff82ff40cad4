// Products of the catalogue: services and devices, offered per market.
import { ProductKind, ProductStatus } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import { scopeOf } from './common.ts'
import { MarketRef } from './market.ts'

export const ProductKindEnum = builder.enumType(ProductKind, { name: 'ProductKind' })
export const ProductStatusEnum = builder.enumType(ProductStatus, { name: 'ProductStatus' })

export const ProductRef = builder.prismaObject('Product', {
  description: 'A product: a service (which may need a device type) or a device (of an equipment type)',
  fields: (t) => ({
    sku: t.exposeString('sku', { description: 'business key' }),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ProductKindEnum }),
    status: t.expose('status', { type: ProductStatusEnum }),
    validFrom: t.expose('validFrom', { type: 'Date', nullable: true }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true }),
    equipmentType: t.relation('equipmentType', { nullable: true, description: 'EQUIPMENT: its type; SERVICE: the device type it needs' }),
    markets: t.field({
      type: [MarketRef],
      description: 'the markets it is offered in (those the key may see)',
      select: (_args, ctx) => ({ markets: { where: { market: scopeOf(ctx).market() }, select: { market: true } } }),
      resolve: (p) => p.markets.map((m) => m.market).sort((a, b) => (a.code < b.code ? -1 : 1)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})
