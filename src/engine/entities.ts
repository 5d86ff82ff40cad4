// What the declarative detector kinds may read of each entity: its fields as SQL over the schema's tables,
// the joins a field needs, how a market-scoped audit limits the entity, and which relations lead where.
import type { EntityType } from './types.ts'

export type FieldValue = string | string[] | null

export interface FieldDef {
  /** SQL expression over the entity alias `§` and its join aliases `§_<join>` */
  sql: string
  joins?: string[]
}

interface JoinDef { sql: string; after?: string[] }

export interface EntityDef {
  table: string
  fields: Record<string, FieldDef>
  joins: Record<string, JoinDef>
  /** condition limiting the entity to the market given as a SQL parameter placeholder */
  scope(market: string): string
  /** fields giving the routing hints of a finding about this entity */
  routing: { market?: string; equipmentType?: string }
}

// A market's id from its code: the parameter placeholder is filled in by the caller.
const marketId = (p: string) => `(SELECT id FROM market WHERE code = ${p})`

const productMarkets: JoinDef = {
  sql: `LEFT JOIN (SELECT pm."productId", array_agg(m.code ORDER BY m.code) AS codes FROM product_market pm
    JOIN market m ON m.id = pm."marketId" GROUP BY pm."productId") §_pm ON §_pm."productId" = §.id`,
}

export const ENTITIES: Partial<Record<EntityType, EntityDef>> = {
  equipment: {
    table: 'equipment',
    joins: {
      c: { sql: 'LEFT JOIN contract §_c ON §_c.id = §."contractId"' },
      ad: { sql: 'LEFT JOIN address §_ad ON §_ad.id = §."addressId"' },
      p: { sql: 'LEFT JOIN product §_p ON §_p.id = §."productId"' },
      t: { sql: 'LEFT JOIN equipment_type §_t ON §_t.id = §_p."equipmentTypeId"', after: ['p'] },
      m: { sql: 'LEFT JOIN market §_m ON §_m.id = §_c."marketId"', after: ['c'] },
    },
    fields: {
      key: { sql: '§."inventoryNo"' },
      status: { sql: '§.status::text' },
      serial: { sql: '§.serial' },
      mac: { sql: '§.mac' },
      serialNorm: { sql: '§."serialNorm"' },
      macNorm: { sql: '§."macNorm"' },
      installedAt: { sql: '§."installedAt"::text' },
      removedAt: { sql: '§."removedAt"::text' },
      contract: { sql: '§_c.number', joins: ['c'] },
      address: { sql: '§_ad.code', joins: ['ad'] },
      product: { sql: '§_p.sku', joins: ['p'] },
      type: { sql: '§_t.code', joins: ['t'] },
      market: { sql: '§_m.code', joins: ['m'] },
    },
    // a device belongs to its contract's market; one without a contract to the market of its address's contracts
    scope: (p) => `(§."contractId" IN (SELECT id FROM contract WHERE "marketId" = ${marketId(p)})
      OR (§."contractId" IS NULL AND §."addressId" IN (SELECT "addressId" FROM contract WHERE "marketId" = ${marketId(p)})))`,
    routing: { market: 'market', equipmentType: 'type' },
  },
  contract: {
    table: 'contract',
    joins: {
      cu: { sql: 'JOIN customer §_cu ON §_cu.id = §."customerId"' },
      ad: { sql: 'JOIN address §_ad ON §_ad.id = §."addressId"' },
      p: { sql: 'JOIN product §_p ON §_p.id = §."productId"' },
      t: { sql: 'LEFT JOIN equipment_type §_t ON §_t.id = §_p."equipmentTypeId"', after: ['p'] },
      m: { sql: 'JOIN market §_m ON §_m.id = §."marketId"' },
    },
    fields: {
      key: { sql: '§.number' },
      status: { sql: '§.status::text' },
      validFrom: { sql: '§."validFrom"::text' },
      validTo: { sql: '§."validTo"::text' },
      customer: { sql: '§_cu.code', joins: ['cu'] },
      address: { sql: '§_ad.code', joins: ['ad'] },
      product: { sql: '§_p.sku', joins: ['p'] },
      market: { sql: '§_m.code', joins: ['m'] },
      /** the device type the contract's product needs */
      neededType: { sql: '§_t.code', joins: ['t'] },
    },
    scope: (p) => `§."marketId" = ${marketId(p)}`,
    routing: { market: 'market', equipmentType: 'neededType' },
  },
  product: {
    table: 'product',
    joins: {
      t: { sql: 'LEFT JOIN equipment_type §_t ON §_t.id = §."equipmentTypeId"' },
      pm: productMarkets,
    },
    fields: {
      key: { sql: '§.sku' },
      name: { sql: '§.name' },
      kind: { sql: '§.kind::text' },
      status: { sql: '§.status::text' },
      validFrom: { sql: '§."validFrom"::text' },
      validTo: { sql: '§."validTo"::text' },
      type: { sql: '§_t.code', joins: ['t'] },
      markets: { sql: `coalesce(§_pm.codes, '{}')`, joins: ['pm'] },
    },
    scope: (p) => `§.id IN (SELECT "productId" FROM product_market WHERE "marketId" = ${marketId(p)})`,
    routing: { equipmentType: 'type' },
  },
  address: {
    table: 'address',
    joins: {},
    fields: {
      key: { sql: '§.code' },
      text: { sql: '§.text' },
      region: { sql: '§.region' },
      city: { sql: '§.city' },
      street: { sql: '§.street' },
      streetType: { sql: '§."streetType"' },
      streetName: { sql: '§."streetName"' },
      house: { sql: '§.house' },
      building: { sql: '§.building' },
      structure: { sql: '§.structure' },
      apartment: { sql: '§.apartment' },
      postalCode: { sql: '§."postalCode"' },
      normalized: { sql: '§.normalized' },
    },
    scope: (p) => `§.id IN (SELECT "addressId" FROM contract WHERE "marketId" = ${marketId(p)})`,
    routing: {},
  },
  customer: {
    table: 'customer',
    joins: {},
    fields: {
      key: { sql: '§.code' },
      name: { sql: '§.name' },
      kind: { sql: '§.kind::text' },
      inn: { sql: '§.inn' },
      phone: { sql: '§.phone' },
      email: { sql: '§.email' },
      phoneNorm: { sql: '§."phoneNorm"' },
      nameNorm: { sql: '§."nameNorm"' },
    },
    scope: (p) => `§.id IN (SELECT "customerId" FROM contract WHERE "marketId" = ${marketId(p)})`,
    routing: {},
  },
}

/** Relations a consistency rule may follow: subject entity → related entity → the subject's foreign key. */
export const RELATIONS: Partial<Record<EntityType, Partial<Record<EntityType, string>>>> = {
  equipment: { contract: 'contractId', address: 'addressId', product: 'productId' },
  contract: { product: 'productId', address: 'addressId', customer: 'customerId' },
}

export function entityDef(type: EntityType): EntityDef {
  const def = ENTITIES[type]
  if (!def) throw new Error(`entity ${type} has no field catalogue`)
  return def
}

/** A SELECT list and FROM clause for `fields` of an entity, under the alias prefix `alias`. */
export function selectParts(type: EntityType, fields: string[], alias: string): { columns: string[]; joins: string[] } {
  const def = entityDef(type)
  const needed = new Set<string>()
  const add = (name: string) => {
    if (needed.has(name)) return
    for (const dep of def.joins[name].after ?? []) add(dep)
    needed.add(name)
  }
  const columns: string[] = []
  for (const f of fields) {
    const field = def.fields[f]
    if (!field) throw new Error(`unknown field ${type}.${f}`)
    for (const j of field.joins ?? []) add(j)
    columns.push(`${rename(field.sql, alias)} AS "${alias}.${f}"`)
  }
  // joins in declaration order, which respects their dependencies
  const joins = Object.keys(def.joins).filter((j) => needed.has(j)).map((j) => rename(def.joins[j].sql, alias))
  return { columns, joins }
}

/** The alias `a` and its join aliases `§_x` of a definition, renamed to `alias` / `alias_x`. */
export function rename(sql: string, alias: string): string {
  return sql.replaceAll("§", alias)
}
