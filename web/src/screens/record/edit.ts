// A record's editable fields per type, the update input of what changed, and the candidate checkConflicts
// evaluates (the record as it would be after the change). Pure: test/web/record-edit.test.ts.
import type { RecordFieldsFragment } from '../../gql/graphql.ts'
import { CONTRACT_STATUS_WORD, EQUIPMENT_STATUS_WORD } from '../../format.ts'

export interface FieldDef { name: string; label: string; kind: 'text' | 'date' | 'select'; options?: Record<string, string>; required?: boolean }

export const EDITABLE: Record<string, FieldDef[]> = {
  equipment: [
    { name: 'serial', label: 'Серийный номер', kind: 'text' },
    { name: 'mac', label: 'MAC', kind: 'text' },
    { name: 'status', label: 'Статус', kind: 'select', options: EQUIPMENT_STATUS_WORD, required: true },
    { name: 'product', label: 'Продукт (SKU)', kind: 'text', required: true },
    { name: 'contract', label: 'Договор', kind: 'text' },
    { name: 'address', label: 'Адрес (код)', kind: 'text' },
    { name: 'installedAt', label: 'Установлено', kind: 'date' },
    { name: 'removedAt', label: 'Снято', kind: 'date' },
  ],
  address: [
    { name: 'text', label: 'Адрес одной строкой', kind: 'text', required: true },
    { name: 'region', label: 'Регион', kind: 'text' },
    { name: 'city', label: 'Город', kind: 'text' },
    { name: 'street', label: 'Улица', kind: 'text' },
    { name: 'house', label: 'Дом', kind: 'text' },
    { name: 'building', label: 'Корпус', kind: 'text' },
    { name: 'apartment', label: 'Квартира', kind: 'text' },
    { name: 'postalCode', label: 'Индекс', kind: 'text' },
  ],
  customer: [
    { name: 'name', label: 'Имя или название', kind: 'text', required: true },
    { name: 'kind', label: 'Вид', kind: 'select', options: { PERSON: 'физическое лицо', COMPANY: 'организация' } },
    { name: 'phone', label: 'Телефон', kind: 'text' },
    { name: 'email', label: 'Эл. почта', kind: 'text' },
    { name: 'inn', label: 'ИНН', kind: 'text' },
  ],
  contract: [
    { name: 'status', label: 'Статус', kind: 'select', options: CONTRACT_STATUS_WORD, required: true },
    { name: 'validFrom', label: 'Действует с', kind: 'date', required: true },
    { name: 'validTo', label: 'Действует по', kind: 'date' },
    { name: 'product', label: 'Продукт (SKU)', kind: 'text', required: true },
    { name: 'market', label: 'Рынок', kind: 'text', required: true },
    { name: 'address', label: 'Адрес (код)', kind: 'text', required: true },
    { name: 'customer', label: 'Клиент (код)', kind: 'text', required: true },
  ],
}

export type Values = Record<string, string>

/** The stored record as form values (every editable field, '' for none) plus its key field. */
export function valuesOf(node: RecordFieldsFragment | null | undefined): Values {
  const v = (x: string | null | undefined) => x ?? ''
  switch (node?.__typename) {
    case 'Equipment': return { inventoryNo: node.inventoryNo, serial: v(node.serial), mac: v(node.mac), status: node.equipmentStatus, product: v(node.product?.sku),
      contract: v(node.contract?.number), address: v(node.equipmentAddress?.code), installedAt: v(node.installedAt), removedAt: v(node.removedAt) }
    case 'Address': return { code: node.code, text: node.text, region: v(node.region), city: v(node.city), street: v(node.street), house: v(node.house),
      building: v(node.building), apartment: v(node.apartment), postalCode: v(node.postalCode) }
    case 'Customer': return { code: node.code, name: node.name, kind: v(node.kind), phone: v(node.phone), email: v(node.email), inn: v(node.inn) }
    case 'Contract': return { number: node.number, status: node.contractStatus, validFrom: node.validFrom, validTo: v(node.validTo), product: node.contractProduct.sku,
      market: node.market.code, address: v(node.contractAddress?.code), customer: v(node.customer?.code) }
    default: return {}
  }
}

/** The update input: only the fields changed (trimmed); '' clears an optional field (null). */
export function changedInput(type: string, stored: Values, edited: Values): Record<string, string | null> {
  const input: Record<string, string | null> = {}
  for (const f of EDITABLE[type] ?? []) {
    const before = (stored[f.name] ?? '').trim(), after = (edited[f.name] ?? '').trim()
    if (before !== after) input[f.name] = after === '' && !f.required ? null : after
  }
  return input
}

const KEY_FIELD: Record<string, string> = { equipment: 'inventoryNo', address: 'code', customer: 'code', contract: 'number' }

/** checkConflicts' CandidateInput: the whole record as it would be after the change (empty fields left out). */
export function candidateInput(type: string, key: string, edited: Values): Record<string, Record<string, string>> {
  const record: Record<string, string> = { [KEY_FIELD[type] ?? 'code']: key }
  for (const f of EDITABLE[type] ?? []) {
    const value = (edited[f.name] ?? '').trim()
    if (value) record[f.name] = value
  }
  return { [type]: record }
}

/** A field problem's path («input.serial», «input.equipment.serial», «serial») → the field name. */
export function problemField(path: string | null | undefined): string | null {
  return path ? path.split('.').pop() ?? null : null
}
