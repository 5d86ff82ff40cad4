// Addresses: the places contracts and devices are at, with their parsed and normalised forms.
import { builder } from '../builder.ts'
import { scopeOf } from './common.ts'

export const AddressRef = builder.prismaObject('Address', {
  description: 'An address (a flat, or a house without one)',
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
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})
