// The Russian texts people read — support agents and NSI specialists — in one place, so that nothing
// drifts back to English: labels of enum values, message parameters, ages, reasons, errors, headers.
// Texts only: the logic that picks them lives beside its domain (e.g. message-params.ts). Codes, enum
// values and JSON keys stay English (machines read them); test/i18n/catalogue.test.ts keeps Latin words
// out of this file's texts except the ones its allow-list names (quoted object keys are codes).
import type { Severity } from '../engine/types.ts'

// ─── enum values ───

/** Severity as people say it («высокая»), for the upper-case enum value. */
export const SEVERITY_RU: Record<Severity, string> = { CRITICAL: 'критическая', HIGH: 'высокая', MEDIUM: 'средняя', LOW: 'низкая' }

/** A severity label; an unknown value is shown as it is. */
export const severityRu = (severity: string): string => SEVERITY_RU[severity.toUpperCase() as Severity] ?? severity

/** Finding statuses as people say them. */
export const FINDING_STATUS_RU: Record<string, string> = {
  NEW: 'новое', OPEN: 'открыто', ACKNOWLEDGED: 'принято', IN_PROGRESS: 'в работе',
  RESOLVED: 'устранено', REOPENED: 'переоткрыто', WAIVED: 'исключение',
}

/** Entity types of the report (`type`) as people say them. */
export const ENTITY_TYPE_RU: Record<string, string> = {
  market: 'рынок', equipmentType: 'тип оборудования', product: 'продукт', customer: 'клиент',
  address: 'адрес', contract: 'договор', equipment: 'оборудование',
}

/** Statuses of master data (contracts, devices, products) in a message: the values do not collide across enums. */
export const RECORD_STATUS_RU: Record<string, string> = {
  DRAFT: 'черновик', ACTIVE: 'действует', SUSPENDED: 'приостановлен', TERMINATED: 'расторгнут',
  IN_STOCK: 'на складе', INSTALLED: 'установлено', DECOMMISSIONED: 'списано',
  DISCONTINUED: 'снят с продажи',
}

// ─── finding messages ───

/**
 * Why a record failed a rule: the `label` of the condition that held (rules/*.yaml), as people say it.
 * A label a rule file adds and this list lacks is shown as written.
 */
export const REASON_RU: Record<string, string> = {
  'no-house': 'нет номера дома',
  'bad-postal-code': 'индекс не из 6 цифр',
  'ends-before-start': 'окончание раньше начала',
  'after-product-end': 'начало после окончания продаж',
  'not-in-market': 'рынок не из списка услуги',
  'other-address': 'другой адрес',
  'status': 'договор не действует',
  'ended': 'срок договора истёк',
  'other-type': 'другой тип устройства',
  'no-contract': 'нет договора',
}

/** How duplicate customers were matched (`matchedBy` of customer-duplicate). */
export const MATCHED_BY_RU: Record<string, string> = { 'inn': 'ИНН', 'name+phone': 'имя и телефон' }

/** The end of an open-ended period in words (a dash would read as «по —»). */
export const OPEN_END_RU = 'без срока окончания'

/** A period for people: «с 2025-06-01 по 2025-12-31», «с 2025-06-01, без срока окончания». */
export function periodRu(from: string | null | undefined, to: string | null | undefined): string {
  if (from == null) return to == null ? OPEN_END_RU : `по ${to}`
  return to == null ? `с ${from}, ${OPEN_END_RU}` : `с ${from} по ${to}`
}

// ─── ages ───

/** «16 с», «5 мин», «3 ч 20 мин», «3 дн. 4 ч»: an age for people, in the short units of Russian business text. */
export function ageRu(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return h > 0 ? `${d} дн. ${h} ч` : `${d} дн.`
  if (h > 0) return m > 0 ? `${h} ч ${m} мин` : `${h} ч`
  if (m > 0) return `${m} мин`
  return `${s} с`
}
