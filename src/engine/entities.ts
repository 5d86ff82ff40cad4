// What the declarative detector kinds may read of each entity: its fields as SQL over the schema's tables,
// the joins a field needs, how a market-scoped audit limits the entity, and which relations lead where.
// The fields are the record model's (src/records/model.ts): every stored column, derived value and reference
// (as the referred record's key) under its API name, `key` for the business key; the engine adds only what it
// computes through the references (a device's type and market) and how it scopes and routes.
import { recordSpec, tableOf, type ColumnSpec, type EntityType, type RecordSpec } from '../records/model.ts'

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

function refColumn(spec: RecordSpec, field: string): ColumnSpec & { cell: { kind: 'ref'; entity: EntityType } } {
  const column = spec.columns.find((c) => c.field === field)
  if (column?.cell.kind !== 'ref') throw new Error(`${spec.entity}.${field} is no reference`)
  return column as ColumnSpec & { cell: { kind: 'ref'; entity: EntityType } }
}

/** The record model's fields of an entity, and the join each reference needs (named as the reference's field). */
function modelFields(spec: RecordSpec): Pick<EntityDef, 'fields' | 'joins'> {
  const fields: Record<string, FieldDef> = { key: { sql: `§."${spec.key.db}"` } }
  const joins: Record<string, JoinDef> = {}
  for (const c of spec.columns) {
    const cell = c.cell
    const alias = `§_${c.field}`
    if (cell.kind === 'ref') {
      const { table, key } = tableOf(cell.entity)
      joins[c.field] = { sql: `${c.required ? 'JOIN' : 'LEFT JOIN'} "${table}" ${alias} ON ${alias}.id = §."${c.db}"` }
      fields[c.field] = { sql: `${alias}."${key}"`, joins: [c.field] }
    } else if (cell.kind === 'refList') {
      const { table, key } = tableOf(cell.entity)
      const { table: link, own, other } = cell.link
      joins[c.field] = {
        sql: `LEFT JOIN (SELECT l."${own}" AS owner, array_agg(r."${key}" ORDER BY r."${key}") AS codes FROM "${link}" l
    JOIN "${table}" r ON r.id = l."${other}" GROUP BY l."${own}") ${alias} ON ${alias}.owner = §.id`,
      }
      fields[c.field] = { sql: `coalesce(${alias}.codes, '{}')`, joins: [c.field] }
    } else if (c.db) {
      fields[c.field] = { sql: `§."${c.db}"${cell.kind === 'text' ? '' : '::text'}` }
    }
  }
  for (const d of spec.derived?.columns ?? []) fields[d.db] ??= { sql: `§."${d.db}"` }
  return { fields, joins }
}

/**
 * A field two references away, as the referred record's key: `through(equipment, 'product', 'equipmentType')` is the
 * device's type (its product's). Adds the join; its name is `<ref>_<ref>`.
 */
function through(def: Pick<EntityDef, 'fields' | 'joins'>, spec: RecordSpec, first: string, second: string): FieldDef {
  const next = refColumn(recordSpec(refColumn(spec, first).cell.entity), second)
  const { table, key } = tableOf(next.cell.entity)
  const name = `${first}_${second}`
  def.joins[name] = { sql: `LEFT JOIN "${table}" §_${name} ON §_${name}.id = §_${first}."${next.db}"`, after: [first] }
  return { sql: `§_${name}."${key}"`, joins: [name] }
}

// A market's id from its code: the parameter placeholder is filled in by the caller.
const marketId = (p: string) => `(SELECT id FROM market WHERE code = ${p})`

/** The engine's part of an entity: fields computed through references, the market scope, the routing hints. */
interface EngineExtras {
  extra?(def: Pick<EntityDef, 'fields' | 'joins'>, spec: RecordSpec): Record<string, FieldDef>
  scope(market: string): string
  routing: EntityDef['routing']
}

const EXTRAS: Partial<Record<EntityType, EngineExtras>> = {
  equipment: {
    extra: (def, spec) => ({ type: through(def, spec, 'product', 'equipmentType'), market: through(def, spec, 'contract', 'market') }),
    // a device belongs to its contract's market; one without a contract to the market of its address's contracts
    scope: (p) => `(§."contractId" IN (SELECT id FROM contract WHERE "marketId" = ${marketId(p)})
      OR (§."contractId" IS NULL AND §."addressId" IN (SELECT "addressId" FROM contract WHERE "marketId" = ${marketId(p)})))`,
    routing: { market: 'market', equipmentType: 'type' },
  },
  contract: {
    /** neededType: the device type the contract's product needs */
    extra: (def, spec) => ({ neededType: through(def, spec, 'product', 'equipmentType') }),
    scope: (p) => `§."marketId" = ${marketId(p)}`,
    routing: { market: 'market', equipmentType: 'neededType' },
  },
  product: {
    /** type: the product's equipment type, by its short name */
    extra: (def) => ({ type: def.fields.equipmentType }),
    scope: (p) => `§.id IN (SELECT "productId" FROM product_market WHERE "marketId" = ${marketId(p)})`,
    routing: { equipmentType: 'type' },
  },
  address: {
    scope: (p) => `§.id IN (SELECT "addressId" FROM contract WHERE "marketId" = ${marketId(p)})`,
    routing: {},
  },
  customer: {
    scope: (p) => `§.id IN (SELECT "customerId" FROM contract WHERE "marketId" = ${marketId(p)})`,
    routing: {},
  },
}

function entityOf(type: EntityType, extras: EngineExtras): EntityDef {
  const spec = recordSpec(type)
  const def = modelFields(spec)
  Object.assign(def.fields, extras.extra?.(def, spec))
  return { table: spec.table, fields: def.fields, joins: def.joins, scope: (market) => extras.scope(market), routing: extras.routing }
}

export const ENTITIES: Partial<Record<EntityType, EntityDef>> = Object.fromEntries(
  Object.entries(EXTRAS).map(([type, extras]) => [type, entityOf(type as EntityType, extras)]))

/**
 * Relations a consistency rule may follow: subject entity → related entity → the subject's foreign key. The record
 * model's references between entities the engine reads.
 */
export const RELATIONS: Partial<Record<EntityType, Partial<Record<EntityType, string>>>> = Object.fromEntries(
  Object.keys(EXTRAS).map((type) => [type, Object.fromEntries(recordSpec(type as EntityType).columns
    .flatMap((c) => (c.cell.kind === 'ref' && c.cell.entity in EXTRAS ? [[c.cell.entity, c.db!]] : [])))]))

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
