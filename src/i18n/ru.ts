// The Russian texts people read — support agents and NSI specialists — in one place, so that nothing
// drifts back to English: labels of enum values, ages, reasons. Codes, enum values and JSON keys stay
// English (machines read them); test/i18n/catalogue.test.ts keeps Latin words out of this file except
// the ones its allow-list names.
import type { Severity } from '../engine/types.ts'

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
