// Contracts: a customer's product at an address in a market, for a period; the list (filtered, sorted,
// paged) and the lookup by number.
import type { Prisma } from '../../generated/prisma/client.ts'
import { ContractStatus } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { scopeOf } from './common.ts'
import { containing, inMarket, keyArg, orderEnum, pageBounds, textFilter, textOf, validAt } from './connections.ts'

export const ContractStatusEnum = builder.enumType(ContractStatus, { name: 'ContractStatus' })

export const ContractRef = builder.prismaObject('Contract', {
  description: 'A contract; its customer, address and product are visible wherever the contract is',
  // master data is for the roles that browse it, on every path (a finding's records, an incident's references, …)
  authScopes: { readMasterData: true },
  fields: (t) => ({
    number: t.exposeString('number', { description: 'business key' }),
    status: t.expose('status', { type: ContractStatusEnum }),
    validFrom: t.expose('validFrom', { type: 'Date' }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true, description: 'null: open-ended' }),
    customer: t.relation('customer'),
    address: t.relation('address'),
    product: t.relation('product'),
    market: t.relation('market'),
    equipment: t.relation('equipment', {
      description: 'devices on this contract',
      query: (_args, ctx) => ({ where: scopeOf(ctx).equipment(), orderBy: { inventoryNo: 'asc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

export const ContractFilter = builder.inputType('ContractFilter', {
  description: 'Conditions a contract must meet (all of those given)',
  fields: (t) => ({
    market: t.string({ description: 'market code', validate: keyArg }),
    status: t.field({ type: [ContractStatusEnum], description: 'any of these statuses' }),
    equipmentType: t.string({ description: 'equipment type code of its product (the device the service needs, or the device sold)', validate: keyArg }),
    validAt: t.field({ type: 'Date', description: 'valid on this day: validFrom ≤ day and (no validTo or validTo ≥ day)' }),
    customer: t.string({ description: 'customer code', validate: keyArg }),
    address: t.string({ description: 'address code', validate: keyArg }),
    product: t.string({ description: 'product SKU', validate: keyArg }),
    text: t.string({ description: 'contained in the contract number (case-insensitive)', validate: textFilter }),
  }),
})

const contractOrder = orderEnum('ContractOrder', 'a contract list', { NUMBER: 'number', VALID_FROM: 'validFrom', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' })

/** The Prisma where of a contract list: the caller's scope AND the filter. */
export function contractWhere(ctx: Context, filter: typeof ContractFilter.$inferInput | null | undefined): Prisma.ContractWhereInput {
  const and: Prisma.ContractWhereInput[] = [scopeOf(ctx).contract()]
  if (filter?.market != null) and.push(inMarket(filter.market).contract())
  if (filter?.status != null) and.push({ status: { in: filter.status } })
  if (filter?.equipmentType != null) and.push({ product: { equipmentType: { code: filter.equipmentType } } })
  if (filter?.validAt != null) and.push(validAt(filter.validAt))
  if (filter?.customer != null) and.push({ customer: { code: filter.customer } })
  if (filter?.address != null) and.push({ address: { code: filter.address } })
  if (filter?.product != null) and.push({ product: { sku: filter.product } })
  const text = textOf(filter?.text)
  if (text) and.push({ number: containing(text) })
  return { AND: and }
}

builder.queryFields((t) => ({
  contracts: t.prismaConnection({
    type: 'Contract',
    cursor: 'id',
    description: 'Contracts the key may see, filtered and sorted (default: by number)',
    authScopes: { readMasterData: true },
    args: {
      filter: t.arg({ type: ContractFilter }),
      orderBy: t.arg({ type: contractOrder.ref }),
    },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.contract.count({ where: contractWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.contract.findMany({
      ...query,
      where: contractWhere(ctx, args.filter),
      orderBy: contractOrder.orderBy(args.orderBy),
    }),
  }, { name: 'ContractConnection' }, { name: 'ContractEdge' }),
  contract: t.prismaField({
    type: 'Contract',
    nullable: true,
    description: 'A contract by number; null when there is none the key may see',
    authScopes: { readMasterData: true },
    args: { number: t.arg.string({ required: true, validate: keyArg }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.contract.findFirst({ ...query, where: { AND: [{ number: args.number }, scopeOf(ctx).contract()] } }),
  }),
}))
