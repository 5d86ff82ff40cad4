// A record's fields as label → text, for a finding's records side by side (and their differences).
import type { EntityFieldsFragment } from '../../gql/graphql.ts'
import { CONTRACT_STATUS_WORD, EQUIPMENT_STATUS_WORD, formatDate } from '../../format.ts'

export function recordFields(node: EntityFieldsFragment | null | undefined): Record<string, string> {
  const rows: Record<string, string | null | undefined> = {}
  switch (node?.__typename) {
    case 'Address':
      Object.assign(rows, { 'Код': node.code, 'Адрес': node.text, 'Регион': node.region, 'Город': node.city, 'Улица': node.street, 'Дом': node.house,
        'Корпус': node.building, 'Строение': node.structure, 'Квартира': node.apartment, 'Индекс': node.postalCode })
      break
    case 'Customer':
      Object.assign(rows, { 'Код': node.code, 'Имя': node.name, 'Вид': node.kind === 'COMPANY' ? 'организация' : node.kind === 'PERSON' ? 'физическое лицо' : null,
        'Телефон': node.phone, 'Эл. почта': node.email, 'ИНН': node.inn })
      break
    case 'Contract':
      Object.assign(rows, { 'Номер': node.number, 'Статус': CONTRACT_STATUS_WORD[node.contractStatus], 'Продукт': node.contractProduct.name,
        'Рынок': node.market.code, 'Действует с': formatDate(node.validFrom), 'Действует по': node.validTo ? formatDate(node.validTo) : null })
      break
    case 'Equipment':
      Object.assign(rows, { 'Инв. номер': node.inventoryNo, 'Продукт': node.product?.name, 'Серийный номер': node.serial, 'MAC': node.macDisplay,
        'Статус': EQUIPMENT_STATUS_WORD[node.equipmentStatus], 'Установлено': node.installedAt && formatDate(node.installedAt), 'Снято': node.removedAt && formatDate(node.removedAt) })
      break
  }
  return Object.fromEntries(Object.entries(rows).filter((e): e is [string, string] => !!e[1]))
}

export function recordHref(type: string, key: string): string {
  return `/records/${encodeURIComponent(type)}/${encodeURIComponent(key)}`
}

/** The record types with a page (the others are catalogue records edited elsewhere). */
export const RECORD_TYPES = ['address', 'customer', 'contract', 'equipment'] as const
