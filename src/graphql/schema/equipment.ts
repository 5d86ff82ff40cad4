// Equipment: installed or stocked devices with serial and MAC (normalised for lookups in any notation).
import { EquipmentStatus } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import { scopeOf } from './common.ts'

export const EquipmentStatusEnum = builder.enumType(EquipmentStatus, { name: 'EquipmentStatus' })

export const EquipmentRef = builder.prismaObject('Equipment', {
  description: 'A device',
  fields: (t) => ({
    inventoryNo: t.exposeString('inventoryNo', { description: 'business key' }),
    serial: t.exposeString('serial', { nullable: true, description: 'as entered' }),
    serialNormalized: t.exposeString('serialNorm', { nullable: true }),
    mac: t.exposeString('mac', { nullable: true, description: 'as entered' }),
    macNormalized: t.exposeString('macNorm', { nullable: true, description: '12 lower-case hex digits' }),
    status: t.expose('status', { type: EquipmentStatusEnum }),
    installedAt: t.expose('installedAt', { type: 'Date', nullable: true }),
    removedAt: t.expose('removedAt', { type: 'Date', nullable: true }),
    // a device's contract is in the key's markets whenever the device is visible; its address and product
    // may not be (that is a collision of its own), so they are looked up within the key's scope
    contract: t.relation('contract', { nullable: true }),
    address: t.prismaField({
      type: 'Address',
      nullable: true,
      description: 'where it is registered (null also when that address is outside the key\'s markets)',
      select: { addressId: true },
      resolve: async (query, e, _args, ctx) => (e.addressId === null ? null
        : ctx.db.prisma.address.findFirst({ ...query, where: { AND: [{ id: e.addressId }, scopeOf(ctx).address()] } })),
    }),
    product: t.prismaField({
      type: 'Product',
      nullable: true,
      description: 'its product (null when that product is outside the key\'s markets)',
      select: { productId: true },
      resolve: async (query, e, _args, ctx) => ctx.db.prisma.product.findFirst({ ...query, where: { AND: [{ id: e.productId }, scopeOf(ctx).product()] } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})
