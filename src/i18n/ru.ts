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

// ─── counts ───

/** The form of a noun for a count: one (1, 21, 101), few (2–4, 22–24), many (0, 5–20, 11–14, 25…). */
export function pluralRu(n: number, one: string, few: string, many: string): string {
  const d10 = Math.abs(n) % 10
  const d100 = Math.abs(n) % 100
  if (!Number.isInteger(n)) return few // «1,5 строки»
  if (d10 === 1 && d100 !== 11) return one
  if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return few
  return many
}

/** «1 строка», «3 строки», «12 строк»: a count with its noun. */
export const countRu = (n: number, one: string, few: string, many: string) => `${n.toLocaleString('ru-RU')} ${pluralRu(n, one, few, many)}`

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

// ─── incidents: how a reference named its record, links, unresolved references ───

/** Entity types in the dative, as in «по договору D-1». */
export const ENTITY_TYPE_DATIVE_RU: Record<string, string> = {
  market: 'рынку', equipmentType: 'типу оборудования', product: 'продукту', customer: 'клиенту',
  address: 'адресу', contract: 'договору', equipment: 'оборудованию',
}

/** How a reference was recognised (the `how` code of the API), said as «совпадение …». */
export const MATCH_RU: Record<string, string> = {
  'exact key': 'по ключу',
  'alias': 'по ключу записи, объединённой с этой',
  'address normalised': 'по адресу после нормализации',
  'house normalised': 'по дому (единственная квартира дома в справочнике)',
  'INN': 'по ИНН',
  'phone normalised': 'по телефону',
  'name normalised': 'по имени',
  'serial normalised': 'по серийному номеру',
  'MAC normalised': 'по MAC-адресу',
}

const matchRu = (how: string) => MATCH_RU[how] ?? how

/**
 * «адрес A-1 (введено «ленина 5 кв 12», совпадение по адресу после нормализации)»; a key given as it is:
 * «договор D-7». src/access/personal-data.ts cuts «введено «…», » out of a customer's for those who do not
 * read personal data: keep the two in step.
 */
export function referenceRu(type: string, key: string, typed: string | null, how: string, duplicates?: number): string {
  const record = `${ENTITY_TYPE_RU[type] ?? type} ${key}`
  if (typed === null) return record
  const group = duplicates ? `, одна из ${duplicates} записей-дублей` : ''
  return `${record} (введено «${typed}», совпадение ${matchRu(how)}${group})`
}

/** A link's reason: the finding names the record itself. */
export const linkDirectRu = (reference: string, ruleId: string) => `${reference}: находка правила ${ruleId} по этой записи`

/** How a neighbour stands to the record the incident named ({key}: the neighbour's key). */
export const RELATION_RU: Record<string, Record<string, string>> = {
  address: { contract: 'договор {key} по этому адресу', equipment: 'устройство {key} по этому адресу', customer: 'клиент {key} с договором по этому адресу' },
  contract: { address: 'адрес договора {key}', customer: 'клиент договора {key}', equipment: 'устройство {key} по этому договору' },
  equipment: { contract: 'договор устройства {key}', address: 'адрес устройства {key}' },
  customer: { contract: 'договор клиента {key}', address: 'адрес {key}, где у клиента договор', equipment: 'устройство {key} по договору клиента' },
}

/** A link's reason: the finding names a record around the one the incident named. */
export function linkViaRu(reference: string, ruleId: string, from: string, via: { type: string; key: string }): string {
  const relation = RELATION_RU[from]?.[via.type]?.replace('{key}', via.key) ?? `${ENTITY_TYPE_RU[via.type] ?? via.type} ${via.key} рядом`
  return `${reference}: находка правила ${ruleId}, связанная запись — ${relation}`
}

/** An unresolved reference: nothing matched. */
export const noMatchRu = (type: string, tried: readonly string[]) =>
  `ни одна запись типа «${ENTITY_TYPE_RU[type] ?? type}» не совпала (проверено: ${tried.map(matchRu).join(', ')})`

/** An unresolved reference: several records match and they are not one thing written twice. */
export function ambiguousRu(type: string, how: string, count: number, keys: readonly string[], more: boolean): string {
  const n = more ? `больше ${keys.length}` : String(count)
  return `неоднозначно, совпадений ${matchRu(how)}: ${n} — записи типа «${ENTITY_TYPE_RU[type] ?? type}» (${keys.join(', ')}${more ? ', …' : ''})`
}

// ─── validation problems given to API callers (the `code` beside each stays English) ───

export const PROBLEM_RU = {
  empty: 'не может быть пустым',
  tooLong: (max: number) => `не длиннее ${max} символов`,
  nameLength: (max: number) => `название от 1 до ${max} символов`,
  supportLine: 'линия поддержки — 1, 2 или 3',
  groupCode: 'буквы, цифры, «-», «_» или «.», не длиннее 64 символов',
  notEmail: (value: string) => `не адрес электронной почты: ${value}`,
  tooManyRecipients: (max: number) => `не больше ${max} получателей`,
  noRecipients: 'укажите получателей или ответственную группу с адресом электронной почты',
  noMarket: (code: string) => `нет рынка ${code}`,
  unknownMarkets: (codes: string) => `неизвестный рынок: ${codes}`,
  unknownEquipmentTypes: (codes: string) => `неизвестный тип оборудования: ${codes}`,
  noGroup: (code: string) => `нет ответственной группы ${code}`,
  noRules: (ids: string) => `нет такого правила: ${ids}`,
  scheduleMarketRequired: (markets: string) => `ключ ограничен рынками (${markets}): расписание — только для одного из них`,
  subscriptionMarketRequired: (markets: string) => `ключ ограничен рынками (${markets}): подписка — только на один из них`,
  albumNeedsSubscription: 'расписанию альбома отчётов нужна подписка: кому и по какому рынку или группе его отправлять',
  albumNeedsPeriod: 'расписанию альбома отчётов нужен период: неделя или месяц',
  auditHasNoAlbumPeriod: 'период бывает только у расписания альбома отчётов',
  auditHasNoSubscription: 'подписка бывает только у расписания альбома отчётов',
  albumHasNoRules: 'альбом отчётов не запускает проверку: правил у его расписания нет',
  albumMarketOfSubscription: (market: string) => `рынок альбома задаёт его подписка (${market})`,
  noSubscription: (id: number) => `нет подписки ${id}`,
  timeZone: (zone: string) => `неизвестный часовой пояс «${zone}» (имя из базы часовых поясов, например Europe/Moscow)`,
} as const

/** A cron expression's problems: its fields and what the parser found. */
export const CRON_RU = {
  fieldCount: (got: number) => `в выражении cron 5 полей (минута, час, день месяца, месяц, день недели) или 6 с секундами первыми; получено ${got}`,
  tooFrequent: 'аудит можно запускать не чаще раза в минуту',
  outOfRange: (value: string, range: string) => `значение ${value} вне диапазона ${range}`,
  badCharacters: (value: string) => `недопустимые символы: ${value}`,
  unknownAlias: (alias: string) => `неизвестное обозначение «${alias}»`,
  zeroStep: 'шаг повторения не может быть 0',
  badRange: (range: string) => `неверный диапазон ${range}: начало больше конца`,
  other: 'выражение не разобрано, проверьте поля',
  prefix: (detail: string) => `не выражение cron: ${detail}`,
} as const
