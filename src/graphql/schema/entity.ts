// Records named by type and business key, as findings and the SPEC's report name them: the EntityType
// enum, EntityRefInput (to ask about one), EntityRef (to answer with one, with the record when visible).
import { can } from '../../access/permissions.ts'
import type { EntityRef, EntityType } from '../../engine/types.ts'
import { ENTITY_TABLES } from '../../import/files.ts'
import { loadScoped } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { AddressRef } from './address.ts'
import { scopeOf } from './common.ts'
import { ContractRef } from './contract.ts'
import { CustomerRef } from './customer.ts'
import { EquipmentRef } from './equipment.ts'
import { EquipmentTypeRef } from './equipment-type.ts'
import { MarketRef } from './market.ts'
import { ProductRef } from './product.ts'

export const ENTITY_TYPES = ['market', 'equipmentType', 'product', 'customer', 'address', 'contract', 'equipment'] as const satisfies readonly EntityType[]

export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'The kinds of record a finding can name (the SPEC report\'s entity types)',
  values: Object.fromEntries(ENTITY_TYPES.map((t) => [t, { value: t }])) as { [K in EntityType]: { value: K } },
})

export const EntityRefInput = builder.inputType('EntityRefInput', {
  description: 'A record by type and business key (contract number, address code, inventory number, …)',
  fields: (t) => ({
    type: t.field({ type: EntityTypeEnum, required: true }),
    key: t.string({ required: true }),
  }),
})

export const EntityUnion = builder.unionType('Entity', {
  description: 'Any master-data record',
  types: [MarketRef, EquipmentTypeRef, ProductRef, CustomerRef, AddressRef, ContractRef, EquipmentRef],
  resolveType: (record) => (record as unknown as { __typename: string }).__typename,
})

/** Each entity type's Prisma delegate and GraphQL type name (a loaded row carries the name as __typename for EntityUnion). */
export const ENTITY_MODELS: Record<EntityType, { delegate: EntityType; typename: string }> = {
  market: { delegate: 'market', typename: 'Market' },
  equipmentType: { delegate: 'equipmentType', typename: 'EquipmentType' },
  product: { delegate: 'product', typename: 'Product' },
  customer: { delegate: 'customer', typename: 'Customer' },
  address: { delegate: 'address', typename: 'Address' },
  contract: { delegate: 'contract', typename: 'Contract' },
  equipment: { delegate: 'equipment', typename: 'Equipment' },
}

/** Master data proper: records only the roles that browse master data read (the catalogue is everyone's). */
const MASTER_DATA: ReadonlySet<EntityType> = new Set(['customer', 'address', 'contract', 'equipment'])

/**
 * The record a ref names, if it exists and the caller may see it; tagged with its GraphQL type name. A role that
 * does not browse master data (a service desk) gets null for a customer, address, contract or device, exactly as
 * for an absent one: the ref's type and key are all it reads.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one of the seven models, told apart by __typename
export async function loadEntity(ctx: Context, ref: EntityRef): Promise<any> {
  if (MASTER_DATA.has(ref.type) && !can(principalOf(ctx).role, 'readMasterData')) return null
  const { delegate, typename } = ENTITY_MODELS[ref.type]
  const keyColumn = ENTITY_TABLES[ref.type].key
  const scope = scopeOf(ctx)[ref.type]()
  const row = await loadScoped(ctx, delegate, keyColumn, ref.key, scope)
  return row ? { ...row, __typename: typename } : null
}

export const EntityRefType = builder.objectRef<EntityRef>('EntityRef').implement({
  description: 'A record named by type and business key',
  fields: (t) => ({
    type: t.field({ type: EntityTypeEnum, resolve: (r) => r.type }),
    key: t.exposeString('key'),
    node: t.field({
      type: EntityUnion,
      nullable: true,
      description: 'the record itself; null when it is gone, outside the key\'s markets, or master data the key\'s role does not read',
      resolve: (r, _args, ctx) => loadEntity(ctx, r),
    }),
  }),
})
