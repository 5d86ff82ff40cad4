// Equipment: installed or stocked devices with serial and MAC (normalised for lookups in any notation);
// the list (filtered, sorted, paged), the lookup by inventory number, and lookups by serial and MAC.
import { displayMac, normalizeMac, normalizeSerial } from '../../equipment/identifiers.ts'
import type { Address, Prisma, Product } from '../../generated/prisma/client.ts'
import { EquipmentStatus } from '../../generated/prisma/enums.ts'
import { loadScoped } from '../batch.ts'
import { builder, MAX_PAGE } from '../builder.ts'
import type { Context } from '../context.ts'
import { scopeOf } from './common.ts'
import { containing, inMarket, keyArg, normalizedArg, orderEnum, pageBounds, textFilter, textOf } from './connections.ts'
import { GRAPHQL_RU } from '../../i18n/ru-errors.ts'

export const EquipmentStatusEnum = builder.enumType(EquipmentStatus, { name: 'EquipmentStatus' })

export const EquipmentRef = builder.prismaObject('Equipment', {
  description: 'A device',
  // master data is for the roles that browse it, on every path (a finding's records, an incident's references, …)
  authScopes: { readMasterData: true },
  fields: (t) => ({
    inventoryNo: t.exposeString('inventoryNo', { description: 'business key' }),
    serial: t.exposeString('serial', { nullable: true, description: 'as entered' }),
    serialNormalized: t.exposeString('serialNorm', { nullable: true }),
    mac: t.exposeString('mac', { nullable: true, description: 'as entered' }),
    macNormalized: t.exposeString('macNorm', { nullable: true, description: '12 lower-case hex digits: what is stored and matched' }),
    macDisplay: t.string({ nullable: true, description: 'for people: the usual colon notation, upper case (44:19:B6:B5:27:59); null when the MAC is missing or not valid',
      resolve: (e) => displayMac(e.macNorm) }),
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
        : loadScoped(ctx, 'address', 'id', e.addressId, scopeOf(ctx).address(), query) as Promise<Address | null>),
    }),
    product: t.prismaField({
      type: 'Product',
      nullable: true,
      description: 'its product (null when that product is outside the key\'s markets)',
      select: { productId: true },
      resolve: async (query, e, _args, ctx) => loadScoped(ctx, 'product', 'id', e.productId, scopeOf(ctx).product(), query) as Promise<Product | null>,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

export const EquipmentFilter = builder.inputType('EquipmentFilter', {
  description: 'Conditions a device must meet (all of those given)',
  fields: (t) => ({
    market: t.string({ description: 'market code: devices on a contract in it (without a contract: at an address with a contract in it)', validate: keyArg }),
    status: t.field({ type: [EquipmentStatusEnum], description: 'any of these statuses' }),
    equipmentType: t.string({ description: 'equipment type code of its product', validate: keyArg }),
    contract: t.string({ description: 'contract number', validate: keyArg }),
    address: t.string({ description: 'address code', validate: keyArg }),
    product: t.string({ description: 'product SKU', validate: keyArg }),
    text: t.string({
      description: 'contained in the inventory number, the serial (as entered or normalised) or the MAC (as entered or as 12 hex digits); case-insensitive',
      validate: textFilter,
    }),
  }),
})

const equipmentOrder = orderEnum('EquipmentOrder', 'a device list', { INVENTORY_NO: 'inventoryNo', INSTALLED_AT: 'installedAt', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' })

/** The Prisma where of a device list: the caller's scope AND the filter. */
export function equipmentWhere(ctx: Context, filter: typeof EquipmentFilter.$inferInput | null | undefined): Prisma.EquipmentWhereInput {
  const and: Prisma.EquipmentWhereInput[] = [scopeOf(ctx).equipment()]
  if (filter?.market != null) and.push(inMarket(filter.market).equipment())
  if (filter?.status != null) and.push({ status: { in: filter.status } })
  if (filter?.equipmentType != null) and.push({ product: { equipmentType: { code: filter.equipmentType } } })
  if (filter?.contract != null) and.push({ contract: { number: filter.contract } })
  if (filter?.address != null) and.push({ address: { code: filter.address } })
  if (filter?.product != null) and.push({ product: { sku: filter.product } })
  const text = textOf(filter?.text)
  if (text) {
    const or: Prisma.EquipmentWhereInput[] = [{ inventoryNo: containing(text) }, { serial: containing(text) }, { mac: containing(text) }]
    const serial = normalizeSerial(text)
    if (serial) or.push({ serialNorm: containing(serial) })
    const macDigits = text.toLowerCase().replace(/[\s:\-.]/g, '')
    if (/^[0-9a-f]+$/.test(macDigits)) or.push({ macNorm: containing(macDigits) })
    and.push({ OR: or })
  }
  return { AND: and }
}

builder.queryFields((t) => ({
  equipment: t.prismaConnection({
    type: 'Equipment',
    cursor: 'id',
    description: 'Devices the key may see, filtered and sorted (default: by inventory number)',
    authScopes: { readMasterData: true },
    args: {
      filter: t.arg({ type: EquipmentFilter }),
      orderBy: t.arg({ type: equipmentOrder.ref }),
    },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.equipment.count({ where: equipmentWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.equipment.findMany({
      ...query,
      where: equipmentWhere(ctx, args.filter),
      orderBy: equipmentOrder.orderBy(args.orderBy),
    }),
  }, { name: 'EquipmentConnection' }, { name: 'EquipmentEdge' }),
  equipmentByInventoryNo: t.prismaField({
    type: 'Equipment',
    nullable: true,
    description: 'A device by inventory number; null when there is none the key may see',
    authScopes: { readMasterData: true },
    args: { inventoryNo: t.arg.string({ required: true, validate: keyArg }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.equipment.findFirst({ ...query, where: { AND: [{ inventoryNo: args.inventoryNo }, scopeOf(ctx).equipment()] } }),
  }),
  equipmentBySerial: t.prismaField({
    type: ['Equipment'],
    description: `Devices whose serial equals this one in any notation (case, spaces, - . / _ ignored), by inventory number (at most ${MAX_PAGE}). Serials collide: that is what Sverka finds.`,
    authScopes: { readMasterData: true },
    args: { serial: t.arg.string({ required: true, validate: normalizedArg(normalizeSerial, GRAPHQL_RU.serialArg) }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.equipment.findMany({
      ...query,
      where: { AND: [{ serialNorm: normalizeSerial(args.serial) }, scopeOf(ctx).equipment()] },
      orderBy: { inventoryNo: 'asc' },
      take: MAX_PAGE,
    }),
  }),
  equipmentByMac: t.prismaField({
    type: ['Equipment'],
    description: `Devices with this MAC address in any notation (00:1A:2B:3C:4D:5E, 00-1a-2b-3c-4d-5e, 001a.2b3c.4d5e), by inventory number (at most ${MAX_PAGE})`,
    authScopes: { readMasterData: true },
    args: { mac: t.arg.string({ required: true, validate: normalizedArg(normalizeMac, GRAPHQL_RU.macArg) }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.equipment.findMany({
      ...query,
      where: { AND: [{ macNorm: normalizeMac(args.mac) }, scopeOf(ctx).equipment()] },
      orderBy: { inventoryNo: 'asc' },
      take: MAX_PAGE,
    }),
  }),
}))
