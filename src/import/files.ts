// The seven import files of the SPEC: their columns, what each cell must hold, and where it is stored.
import { normalizeAddress } from '../addresses/parse.ts'
import { normalizeName, normalizePhone } from '../customers/identifiers.ts'
import { normalizeMac, normalizeSerial } from '../equipment/identifiers.ts'

export type EntityType = 'market' | 'equipmentType' | 'product' | 'customer' | 'address' | 'contract' | 'equipment'

/** A cell's kind: how it is checked and which PostgreSQL array type carries it. */
export type CellKind =
  | { kind: 'text' }
  | { kind: 'date' }
  | { kind: 'enum'; values: readonly string[]; pgType: string }
  | { kind: 'ref'; entity: EntityType }
  | { kind: 'refList'; entity: EntityType }

export interface ColumnSpec {
  /** header name in the CSV */
  csv: string
  /** column in the table; absent for columns stored elsewhere (a product's markets) */
  db?: string
  cell: CellKind
  required?: boolean
}

/**
 * Values computed from a row (normalised forms, parsed address parts). A derived column is
 * written only when every column it comes `from` is in the file's header, so a file without
 * `phone` leaves a stored phone and its normalised form alone.
 */
export interface DerivedSpec {
  columns: ReadonlyArray<{ db: string; from: readonly string[] }>
  compute(row: ParsedRow): Record<string, string | null>
}

export type ParsedRow = Record<string, string | null | string[]>

export interface FileSpec {
  file: string
  entity: EntityType
  table: string
  /** the business key: first column, unique */
  key: ColumnSpec
  columns: readonly ColumnSpec[]
  derived?: DerivedSpec
}

const text = { kind: 'text' } as const
const date = { kind: 'date' } as const
const enumOf = (pgType: string, ...values: string[]) => ({ kind: 'enum', values, pgType }) as const
const ref = (entity: EntityType) => ({ kind: 'ref', entity }) as const

const s = (row: ParsedRow, column: string) => (row[column] ?? null) as string | null

export const FILES: readonly FileSpec[] = [
  {
    file: 'markets.csv', entity: 'market', table: 'market',
    key: { csv: 'code', db: 'code', cell: text, required: true },
    columns: [{ csv: 'name', db: 'name', cell: text, required: true }],
  },
  {
    file: 'equipment_types.csv', entity: 'equipmentType', table: 'equipment_type',
    key: { csv: 'code', db: 'code', cell: text, required: true },
    columns: [{ csv: 'name', db: 'name', cell: text, required: true }],
  },
  {
    file: 'products.csv', entity: 'product', table: 'product',
    key: { csv: 'sku', db: 'sku', cell: text, required: true },
    columns: [
      { csv: 'name', db: 'name', cell: text, required: true },
      { csv: 'kind', db: 'kind', cell: enumOf('"ProductKind"', 'SERVICE', 'EQUIPMENT'), required: true },
      { csv: 'equipment_type', db: 'equipmentTypeId', cell: ref('equipmentType') },
      { csv: 'markets', cell: { kind: 'refList', entity: 'market' } },
      { csv: 'status', db: 'status', cell: enumOf('"ProductStatus"', 'ACTIVE', 'DISCONTINUED'), required: true },
      { csv: 'valid_from', db: 'validFrom', cell: date },
      { csv: 'valid_to', db: 'validTo', cell: date },
    ],
  },
  {
    file: 'customers.csv', entity: 'customer', table: 'customer',
    key: { csv: 'code', db: 'code', cell: text, required: true },
    columns: [
      { csv: 'name', db: 'name', cell: text, required: true },
      { csv: 'kind', db: 'kind', cell: enumOf('"CustomerKind"', 'PERSON', 'COMPANY') },
      { csv: 'inn', db: 'inn', cell: text },
      { csv: 'phone', db: 'phone', cell: text },
      { csv: 'email', db: 'email', cell: text },
    ],
    derived: {
      columns: [{ db: 'phoneNorm', from: ['phone'] }, { db: 'nameNorm', from: ['name'] }],
      compute: (row) => ({ phoneNorm: normalizePhone(s(row, 'phone')), nameNorm: normalizeName(s(row, 'name')) }),
    },
  },
  {
    file: 'addresses.csv', entity: 'address', table: 'address',
    key: { csv: 'code', db: 'code', cell: text, required: true },
    // the components only feed the parser: what is stored is the parsed, completed address
    columns: [
      { csv: 'text', db: 'text', cell: text, required: true },
      { csv: 'region', cell: text },
      { csv: 'city', cell: text },
      { csv: 'street', cell: text },
      { csv: 'house', cell: text },
      { csv: 'building', cell: text },
      { csv: 'apartment', cell: text },
      { csv: 'postal_code', cell: text },
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
    file: 'contracts.csv', entity: 'contract', table: 'contract',
    key: { csv: 'number', db: 'number', cell: text, required: true },
    columns: [
      { csv: 'customer', db: 'customerId', cell: ref('customer'), required: true },
      { csv: 'address', db: 'addressId', cell: ref('address'), required: true },
      { csv: 'product', db: 'productId', cell: ref('product'), required: true },
      { csv: 'market', db: 'marketId', cell: ref('market'), required: true },
      { csv: 'status', db: 'status', cell: enumOf('"ContractStatus"', 'DRAFT', 'ACTIVE', 'SUSPENDED', 'TERMINATED'), required: true },
      { csv: 'valid_from', db: 'validFrom', cell: date, required: true },
      { csv: 'valid_to', db: 'validTo', cell: date },
    ],
  },
  {
    file: 'equipment.csv', entity: 'equipment', table: 'equipment',
    key: { csv: 'inventory_no', db: 'inventoryNo', cell: text, required: true },
    columns: [
      { csv: 'serial', db: 'serial', cell: text },
      { csv: 'mac', db: 'mac', cell: text },
      { csv: 'product', db: 'productId', cell: ref('product'), required: true },
      { csv: 'address', db: 'addressId', cell: ref('address') },
      { csv: 'contract', db: 'contractId', cell: ref('contract') },
      { csv: 'status', db: 'status', cell: enumOf('"EquipmentStatus"', 'IN_STOCK', 'INSTALLED', 'DECOMMISSIONED'), required: true },
      { csv: 'installed_at', db: 'installedAt', cell: date },
      { csv: 'removed_at', db: 'removedAt', cell: date },
    ],
    derived: {
      columns: [{ db: 'serialNorm', from: ['serial'] }, { db: 'macNorm', from: ['mac'] }],
      compute: (row) => ({ serialNorm: normalizeSerial(s(row, 'serial')), macNorm: normalizeMac(s(row, 'mac')) }),
    },
  },
]

/** Table and key column of each entity, for reference lookups. */
export const ENTITY_TABLES: Record<EntityType, { table: string; key: string }> = Object.fromEntries(
  FILES.map((f) => [f.entity, { table: f.table, key: f.key.db! }]),
) as Record<EntityType, { table: string; key: string }>
