// The record model: the seven kinds of master-data record, declared once. Per entity type its import file and
// table, its business key, its fields (as the import format, the API and the database name them, and what a cell
// must hold), the values derived from them, what it refers to and — read off those references — what refers to it.
// Import, the API's writes, the pre-write check, the incremental re-check, rule conditions, the seed and the rule
// tester all read this declaration; none declares the model again.
import { normalizeAddress } from '../addresses/parse.ts'
import { normalizeName, normalizePhone } from '../customers/identifiers.ts'
import { normalizeMac, normalizeSerial } from '../equipment/identifiers.ts'
import { ContractStatus, CustomerKind, EquipmentStatus, ProductKind, ProductStatus } from '../generated/prisma/enums.ts'

export type EntityType = 'market' | 'equipmentType' | 'product' | 'customer' | 'address' | 'contract' | 'equipment'

export interface EntityRef { type: EntityType; key: string }

/** A cell's kind: how it is checked and how it is stored. */
export type CellKind =
  | { kind: 'text' }
  | { kind: 'date' }
  /** `name`: the PostgreSQL (and Prisma, and GraphQL) enum type */
  | { kind: 'enum'; name: string; values: readonly string[] }
  | { kind: 'ref'; entity: EntityType }
  /** a `;`-separated list of references, stored as rows of a link table (a product's markets) */
  | { kind: 'refList'; entity: EntityType; link: { table: string; own: string; other: string } }

export interface ColumnSpec {
  /** header name in the import CSV, and the column name of a record's values in the API's writes */
  csv: string
  /** the field's name in the API and in rule conditions (camelCase) */
  field: string
  /** column in the table; absent for values stored elsewhere (a product's markets) or only parsed (an address's parts) */
  db?: string
  /** an address part given beside the text: the derived column its stored value is read back from */
  readBack?: string
  cell: CellKind
  required?: boolean
  /** longest text the API accepts (the import takes what the file holds) */
  max?: number
  /** what the field holds, for the API's documentation */
  description?: string
}

export type ParsedRow = Record<string, string | null | string[]>

/**
 * Values computed from a row (normalised forms, parsed address parts). A derived column is written only when every
 * column it comes `from` is in the file's header, so a file without `phone` leaves a stored phone and its normalised
 * form alone.
 */
export interface DerivedSpec {
  columns: ReadonlyArray<{ db: string; from: readonly string[] }>
  compute(row: ParsedRow): Record<string, string | null>
}

export interface RecordSpec {
  entity: EntityType
  /** the Prisma model, and the GraphQL type of the record */
  typeName: 'Market' | 'EquipmentType' | 'Product' | 'Customer' | 'Address' | 'Contract' | 'Equipment'
  /** the import file */
  file: string
  table: string
  /** the business key: first column of the file, unique */
  key: ColumnSpec & { db: string }
  columns: readonly ColumnSpec[]
  derived?: DerivedSpec
  /** the catalogue every market shares (a scoped key reads it, only keys of every market write it) */
  catalogue: boolean
}

const text = { kind: 'text' } as const
const date = { kind: 'date' } as const
const enumOf = (name: string, values: Record<string, string>): CellKind => ({ kind: 'enum', name, values: Object.values(values) })
const ref = (entity: EntityType) => ({ kind: 'ref', entity }) as const

const KEY_MAX = 100
const NAME_MAX = 500
const TEXT_MAX = 200

const key = (csv: string, field: string, description: string) =>
  ({ csv, field, db: field, cell: text, required: true, max: KEY_MAX, description }) as const
const name = { csv: 'name', field: 'name', db: 'name', cell: text, required: true, max: NAME_MAX } as const

const s = (row: ParsedRow, column: string) => (row[column] ?? null) as string | null

/** The seven record types, in the order the import loads them (what a record refers to comes first). */
export const RECORDS: readonly RecordSpec[] = [
  {
    entity: 'market', typeName: 'Market', file: 'markets.csv', table: 'market', catalogue: true,
    key: key('code', 'code', 'market code, e.g. MSK'),
    columns: [name],
  },
  {
    entity: 'equipmentType', typeName: 'EquipmentType', file: 'equipment_types.csv', table: 'equipment_type', catalogue: true,
    key: key('code', 'code', 'equipment type code, e.g. ROUTER'),
    columns: [name],
  },
  {
    entity: 'product', typeName: 'Product', file: 'products.csv', table: 'product', catalogue: true,
    key: key('sku', 'sku', 'product SKU'),
    columns: [
      name,
      { csv: 'kind', field: 'kind', db: 'kind', cell: enumOf('ProductKind', ProductKind), required: true },
      {
        csv: 'equipment_type', field: 'equipmentType', db: 'equipmentTypeId', cell: ref('equipmentType'), max: KEY_MAX,
        description: 'equipment type code: an EQUIPMENT product\'s type, or the device type a SERVICE needs',
      },
      {
        csv: 'markets', field: 'markets', cell: { kind: 'refList', entity: 'market', link: { table: 'product_market', own: 'productId', other: 'marketId' } },
        max: KEY_MAX, description: 'market codes the product is offered in (replaces the whole list)',
      },
      { csv: 'status', field: 'status', db: 'status', cell: enumOf('ProductStatus', ProductStatus), required: true },
      { csv: 'valid_from', field: 'validFrom', db: 'validFrom', cell: date },
      { csv: 'valid_to', field: 'validTo', db: 'validTo', cell: date },
    ],
  },
  {
    entity: 'customer', typeName: 'Customer', file: 'customers.csv', table: 'customer', catalogue: false,
    key: key('code', 'code', 'customer code'),
    columns: [
      name,
      { csv: 'kind', field: 'kind', db: 'kind', cell: enumOf('CustomerKind', CustomerKind) },
      { csv: 'inn', field: 'inn', db: 'inn', cell: text, max: 20, description: 'ИНН' },
      { csv: 'phone', field: 'phone', db: 'phone', cell: text, max: 50, description: 'in any notation: stored as given, compared normalised' },
      { csv: 'email', field: 'email', db: 'email', cell: text, max: 320 },
    ],
    derived: {
      columns: [{ db: 'phoneNorm', from: ['phone'] }, { db: 'nameNorm', from: ['name'] }],
      compute: (row) => ({ phoneNorm: normalizePhone(s(row, 'phone')), nameNorm: normalizeName(s(row, 'name')) }),
    },
  },
  {
    entity: 'address', typeName: 'Address', file: 'addresses.csv', table: 'address', catalogue: false,
    key: key('code', 'code', 'address code'),
    // the parts only feed the parser: what is stored is the parsed, completed address
    columns: [
      { csv: 'text', field: 'text', db: 'text', cell: text, required: true, max: 1000, description: 'the address as people write it; empty components are derived from it' },
      { csv: 'region', field: 'region', readBack: 'region', cell: text, max: TEXT_MAX },
      { csv: 'city', field: 'city', readBack: 'city', cell: text, max: TEXT_MAX },
      { csv: 'street', field: 'street', readBack: 'street', cell: text, max: TEXT_MAX },
      { csv: 'house', field: 'house', readBack: 'house', cell: text, max: 50 },
      { csv: 'building', field: 'building', readBack: 'building', cell: text, max: 50, description: 'корпус' },
      { csv: 'apartment', field: 'apartment', readBack: 'apartment', cell: text, max: 50 },
      { csv: 'postal_code', field: 'postalCode', readBack: 'postalCode', cell: text, max: 20 },
    ],
    derived: {
      columns: ['region', 'city', 'street', 'streetType', 'streetName', 'house', 'building', 'structure', 'apartment',
        'postalCode', 'normalized', 'houseKey', 'streetKey', 'blockKey'].map((db) => ({ db, from: ['text'] })),
      compute: (row) => {
        const n = normalizeAddress({
          text: s(row, 'text') ?? '', region: s(row, 'region'), city: s(row, 'city'), street: s(row, 'street'),
          house: s(row, 'house'), building: s(row, 'building'), apartment: s(row, 'apartment'), postalCode: s(row, 'postal_code'),
        })
        const p = n.parts
        const street = s(row, 'street') ?? ([p.streetType, p.streetName].filter(Boolean).join(' ') || null)
        return {
          region: p.region, city: p.city, street, streetType: p.streetType, streetName: p.streetName, house: p.house,
          building: p.building, structure: p.structure, apartment: p.apartment, postalCode: p.postalCode,
          normalized: n.normalized, houseKey: n.houseKey, streetKey: n.streetKey, blockKey: n.blockKey,
        }
      },
    },
  },
  {
    entity: 'contract', typeName: 'Contract', file: 'contracts.csv', table: 'contract', catalogue: false,
    key: key('number', 'number', 'contract number'),
    columns: [
      { csv: 'customer', field: 'customer', db: 'customerId', cell: ref('customer'), required: true, max: KEY_MAX, description: 'customer code' },
      { csv: 'address', field: 'address', db: 'addressId', cell: ref('address'), required: true, max: KEY_MAX, description: 'address code' },
      { csv: 'product', field: 'product', db: 'productId', cell: ref('product'), required: true, max: KEY_MAX, description: 'product SKU' },
      { csv: 'market', field: 'market', db: 'marketId', cell: ref('market'), required: true, max: KEY_MAX, description: 'market code' },
      { csv: 'status', field: 'status', db: 'status', cell: enumOf('ContractStatus', ContractStatus), required: true },
      { csv: 'valid_from', field: 'validFrom', db: 'validFrom', cell: date, required: true },
      { csv: 'valid_to', field: 'validTo', db: 'validTo', cell: date, description: 'empty: open-ended' },
    ],
  },
  {
    entity: 'equipment', typeName: 'Equipment', file: 'equipment.csv', table: 'equipment', catalogue: false,
    key: { csv: 'inventory_no', field: 'inventoryNo', db: 'inventoryNo', cell: text, required: true, max: KEY_MAX, description: 'inventory number' },
    columns: [
      { csv: 'serial', field: 'serial', db: 'serial', cell: text, max: TEXT_MAX, description: 'in any notation: stored as given, compared normalised' },
      { csv: 'mac', field: 'mac', db: 'mac', cell: text, max: 50, description: 'in any notation: stored as given, compared as 12 hex digits' },
      { csv: 'product', field: 'product', db: 'productId', cell: ref('product'), required: true, max: KEY_MAX, description: 'product SKU' },
      { csv: 'address', field: 'address', db: 'addressId', cell: ref('address'), max: KEY_MAX, description: 'address code where the device is' },
      { csv: 'contract', field: 'contract', db: 'contractId', cell: ref('contract'), max: KEY_MAX, description: 'contract number the device serves' },
      { csv: 'status', field: 'status', db: 'status', cell: enumOf('EquipmentStatus', EquipmentStatus), required: true },
      { csv: 'installed_at', field: 'installedAt', db: 'installedAt', cell: date },
      { csv: 'removed_at', field: 'removedAt', db: 'removedAt', cell: date },
    ],
    derived: {
      columns: [{ db: 'serialNorm', from: ['serial'] }, { db: 'macNorm', from: ['mac'] }],
      compute: (row) => ({ serialNorm: normalizeSerial(s(row, 'serial')), macNorm: normalizeMac(s(row, 'mac')) }),
    },
  },
]

export const ENTITY_TYPES: readonly EntityType[] = RECORDS.map((r) => r.entity)

const BY_TYPE = new Map(RECORDS.map((r) => [r.entity, r]))

export function recordSpec(type: EntityType): RecordSpec {
  const spec = BY_TYPE.get(type)
  if (!spec) throw new Error(`no record type ${type}`)
  return spec
}

export function isEntityType(value: unknown): value is EntityType {
  return typeof value === 'string' && BY_TYPE.has(value as EntityType)
}

/** Every column of a record type, the key first. */
export function columnsOf(spec: RecordSpec): ColumnSpec[] {
  return [spec.key, ...spec.columns]
}

/** The link tables of a record type: where its lists of references are stored (a product's markets). */
export function linkTablesOf(spec: RecordSpec): string[] {
  return spec.columns.flatMap((c) => (c.cell.kind === 'refList' ? [c.cell.link.table] : []))
}

/** Every master-data table, link tables included. */
export const MASTER_TABLES: readonly string[] = RECORDS.flatMap((spec) => [spec.table, ...linkTablesOf(spec)])

/** Table and key column of each entity, for reference lookups. */
export function tableOf(type: EntityType): { table: string; key: string } {
  const spec = recordSpec(type)
  return { table: spec.table, key: spec.key.db }
}

/** The entity a reference column points at; null for a column that is no reference. */
export function referenceOf(column: ColumnSpec): EntityType | null {
  return column.cell.kind === 'ref' || column.cell.kind === 'refList' ? column.cell.entity : null
}

/**
 * What refers to a record of `type`, read off the model: every reference column of another type that points at it.
 * `label` names the referring records in a refusal (RECORD_RU.referrer): the referring type, or `type.column` for a
 * list of references; `sql` lists the referring keys as `k`, given the record's id as $1. Single references come
 * first, then lists, each in the model's order.
 */
export interface Referrer { label: string; type: EntityType; column: ColumnSpec; sql: string }

export function referrersOf(type: EntityType): Referrer[] {
  const single: Referrer[] = []
  const lists: Referrer[] = []
  for (const spec of RECORDS) {
    for (const column of spec.columns) {
      const cell = column.cell
      if ((cell.kind !== 'ref' && cell.kind !== 'refList') || cell.entity !== type) continue
      const k = `SELECT x."${spec.key.db}" AS k FROM "${spec.table}" x`
      if (cell.kind === 'ref') {
        single.push({ label: spec.entity, type: spec.entity, column, sql: `${k} WHERE x."${column.db}" = $1` })
      } else {
        const { table, own, other } = cell.link
        lists.push({ label: `${spec.entity}.${column.csv}`, type: spec.entity, column, sql: `${k} JOIN "${table}" l ON l."${own}" = x.id WHERE l."${other}" = $1` })
      }
    }
  }
  return [...single, ...lists]
}
