// Records named by type and business key, as findings and the SPEC's report name them: the EntityType
// enum, EntityRefInput (to ask about one), EntityRef (to answer with one, with the record when visible).
import { can } from '../../access/permissions.ts'
import { ENTITY_TYPES, recordSpec, type EntityRef, type EntityType } from '../../records/model.ts'
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

/** Master data proper: records only the roles that browse master data read (the catalogue is everyone's). */
const browsedOnly = (type: EntityType) => !recordSpec(type).catalogue

/**
 * The record a ref names, if it exists and the caller may see it; tagged with its GraphQL type name. A role that
 * does not browse master data (a service desk) gets null for a customer, address, contract or device, exactly as
 * for an absent one: the ref's type and key are all it reads.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one of the seven models, told apart by __typename
export async function loadEntity(ctx: Context, ref: EntityRef): Promise<any> {
  if (browsedOnly(ref.type) && !can(principalOf(ctx).role, 'readMasterData')) return null
  // the Prisma delegate is named as the entity type, the GraphQL type as the Prisma model
  const { typeName, key } = recordSpec(ref.type)
  const scope = scopeOf(ctx)[ref.type]()
  const row = await loadScoped(ctx, ref.type, key.db, ref.key, scope)
  return row ? { ...row, __typename: typeName } : null
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
