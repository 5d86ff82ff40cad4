// Products of the catalogue: services and devices, offered per market; the list (filtered, sorted, paged)
// and the lookup by SKU.
import type { Prisma } from '../../generated/prisma/client.ts'
import { ProductKind, ProductStatus } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { scopeOf } from './common.ts'
import { containing, keyArg, orderEnum, pageBounds, textFilter, textOf, validAt } from './connections.ts'
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

export const ProductFilter = builder.inputType('ProductFilter', {
  description: 'Conditions a product must meet (all of those given)',
  fields: (t) => ({
    market: t.string({ description: 'market code: products offered in it (its markets list)', validate: keyArg }),
    kind: t.field({ type: ProductKindEnum }),
    status: t.field({ type: [ProductStatusEnum], description: 'any of these statuses' }),
    equipmentType: t.string({ description: 'equipment type code (EQUIPMENT: its type; SERVICE: the type it needs)', validate: keyArg }),
    validAt: t.field({ type: 'Date', description: 'valid on this day: validFrom ≤ day (or none) and (no validTo or validTo ≥ day)' }),
    text: t.string({ description: 'contained in the SKU or name (case-insensitive)', validate: textFilter }),
  }),
})

const productOrder = orderEnum('ProductOrder', 'a product list', { SKU: 'sku', NAME: 'name', VALID_FROM: 'validFrom', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' })

/** The Prisma where of a product list: the caller's scope AND the filter. */
export function productWhere(ctx: Context, filter: typeof ProductFilter.$inferInput | null | undefined): Prisma.ProductWhereInput {
  const and: Prisma.ProductWhereInput[] = [scopeOf(ctx).product()]
  if (filter?.market != null) and.push({ markets: { some: { market: { code: filter.market } } } })
  if (filter?.kind != null) and.push({ kind: filter.kind })
  if (filter?.status != null) and.push({ status: { in: filter.status } })
  if (filter?.equipmentType != null) and.push({ equipmentType: { code: filter.equipmentType } })
  if (filter?.validAt != null) {
    // a product's validFrom may be empty (unlike a contract's): then it is valid from the start
    const { validFrom, OR } = validAt(filter.validAt)
    and.push({ OR: [{ validFrom: null }, { validFrom }] }, { OR })
  }
  const text = textOf(filter?.text)
  if (text) and.push({ OR: [{ sku: containing(text) }, { name: containing(text) }] })
  return { AND: and }
}

builder.queryFields((t) => ({
  products: t.prismaConnection({
    type: 'Product',
    cursor: 'id',
    description: 'Products the key may see, filtered and sorted (default: by SKU)',
    authScopes: { readMasterData: true, readFindings: true },
    args: {
      filter: t.arg({ type: ProductFilter }),
      orderBy: t.arg({ type: productOrder.ref }),
    },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.product.count({ where: productWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.product.findMany({
      ...query,
      where: productWhere(ctx, args.filter),
      orderBy: productOrder.orderBy(args.orderBy),
    }),
  }, { name: 'ProductConnection' }, { name: 'ProductEdge' }),
  product: t.prismaField({
    type: 'Product',
    nullable: true,
    description: 'A product by SKU; null when there is none the key may see',
    authScopes: { readMasterData: true, readFindings: true },
    args: { sku: t.arg.string({ required: true, validate: keyArg }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.product.findFirst({ ...query, where: { AND: [{ sku: args.sku }, scopeOf(ctx).product()] } }),
  }),
}))
