// Addresses: the places contracts and devices are at, with their parsed and normalised forms; the list
// (filtered, sorted, paged) and the lookup by code.
import type { Prisma } from '../../generated/prisma/client.ts'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { scopeOf } from './common.ts'
import { aliasesOf, resolveAlias } from '../../merge/aliases.ts'
import { containing, equalIgnoringCase, inMarket, keyArg, orderEnum, pageBounds, textFilter, textOf } from './connections.ts'

export const AddressRef = builder.prismaObject('Address', {
  description: 'An address (a flat, or a house without one)',
  // master data is for the roles that browse it, on every path (a finding's records, an incident's references, …)
  authScopes: { readMasterData: true },
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key' }),
    text: t.exposeString('text', { description: 'as entered' }),
    region: t.exposeString('region', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    street: t.exposeString('street', { nullable: true }),
    house: t.exposeString('house', { nullable: true }),
    building: t.exposeString('building', { nullable: true, description: 'корпус' }),
    structure: t.exposeString('structure', { nullable: true, description: 'строение' }),
    apartment: t.exposeString('apartment', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    normalized: t.exposeString('normalized', { description: 'canonical form: equal for the same flat however written' }),
    contracts: t.relation('contracts', {
      description: 'contracts at this address (those the key may see)',
      query: (_args, ctx) => ({ where: scopeOf(ctx).contract(), orderBy: { number: 'asc' } }),
    }),
    equipment: t.relation('equipment', {
      description: 'devices registered at this address (those the key may see)',
      query: (_args, ctx) => ({ where: scopeOf(ctx).equipment(), orderBy: { inventoryNo: 'asc' } }),
    }),
    aliases: t.stringList({
      description: 'the codes of the records merged into this one (each now stands for it), sorted',
      resolve: (r, _args, ctx) => aliasesOf(ctx.db.sql, 'address', r.code),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

export const AddressFilter = builder.inputType('AddressFilter', {
  description: 'Conditions an address must meet (all of those given)',
  fields: (t) => ({
    market: t.string({ description: 'market code: addresses with a contract in it', validate: keyArg }),
    customer: t.string({ description: 'customer code: addresses with a contract of this customer', validate: keyArg }),
    city: t.string({ description: 'city, exactly as parsed (case-insensitive)', validate: textFilter }),
    text: t.string({ description: 'contained in the text as entered or in its normalised form (case-insensitive)', validate: textFilter }),
  }),
})

const addressOrder = orderEnum('AddressOrder', 'an address list', { CODE: 'code', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' })

type AddressFilterInput = typeof AddressFilter.$inferInput

/** The Prisma where of an address list: the caller's scope AND the filter. */
export function addressWhere(ctx: Context, filter: AddressFilterInput | null | undefined): Prisma.AddressWhereInput {
  const and: Prisma.AddressWhereInput[] = [scopeOf(ctx).address()]
  if (filter?.market != null) and.push(inMarket(filter.market).address())
  if (filter?.customer != null) and.push({ contracts: { some: { customer: { code: filter.customer } } } })
  const city = textOf(filter?.city)
  if (city) and.push({ city: equalIgnoringCase(city) })
  const text = textOf(filter?.text)
  if (text) and.push({ OR: [{ text: containing(text) }, { normalized: containing(text) }] })
  return { AND: and }
}

builder.queryFields((t) => ({
  addresses: t.prismaConnection({
    type: 'Address',
    cursor: 'id',
    description: 'Addresses the key may see, filtered and sorted (default: by code)',
    authScopes: { readMasterData: true },
    args: {
      filter: t.arg({ type: AddressFilter }),
      orderBy: t.arg({ type: addressOrder.ref }),
    },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.address.count({ where: addressWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.address.findMany({
      ...query,
      where: addressWhere(ctx, args.filter),
      orderBy: addressOrder.orderBy(args.orderBy),
    }),
  }, { name: 'AddressConnection' }, { name: 'AddressEdge' }),
  address: t.prismaField({
    type: 'Address',
    nullable: true,
    description: 'An address by its code, or by the code of an address merged into it (its survivor answers); null when there is none the key may see',
    authScopes: { readMasterData: true },
    args: { code: t.arg.string({ required: true, validate: keyArg }) },
    resolve: async (query, _root, args, ctx) => {
      const byCode = (code: string) => ctx.db.prisma.address.findFirst({ ...query, where: { AND: [{ code }, scopeOf(ctx).address()] } })
      // the code of a merged member (an alias) answers with its survivor, under the same scope
      const found = await byCode(args.code)
      if (found) return found
      const survivor = await resolveAlias(ctx.db.sql, 'address', args.code)
      return survivor === null ? null : byCode(survivor)
    },
  }),
}))
