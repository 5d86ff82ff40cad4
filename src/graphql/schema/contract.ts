// Contracts: a customer's product at an address in a market, for a period.
import { ContractStatus } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import { scopeOf } from './common.ts'

export const ContractStatusEnum = builder.enumType(ContractStatus, { name: 'ContractStatus' })

export const ContractRef = builder.prismaObject('Contract', {
  description: 'A contract; its customer, address and product are visible wherever the contract is',
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
