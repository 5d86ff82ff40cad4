// Customers: people and companies with their contracts.
import { CustomerKind } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import { scopeOf } from './common.ts'

export const CustomerKindEnum = builder.enumType(CustomerKind, { name: 'CustomerKind' })

export const CustomerRef = builder.prismaObject('Customer', {
  description: 'A customer (person or company)',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key' }),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: CustomerKindEnum, nullable: true }),
    inn: t.exposeString('inn', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true, description: 'as entered' }),
    phoneNormalized: t.exposeString('phoneNorm', { nullable: true, description: '11 digits starting with 7 for Russian numbers' }),
    email: t.exposeString('email', { nullable: true }),
    contracts: t.relation('contracts', {
      description: 'its contracts (those the key may see)',
      query: (_args, ctx) => ({ where: scopeOf(ctx).contract(), orderBy: { number: 'asc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})
