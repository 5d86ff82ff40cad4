// Russian for people: numbers and dates in ru-RU, plural forms by Intl.PluralRules('ru'), and the API's enums
// as words. Pure functions (no DOM): test/web/format.test.ts runs them in Node.

const plurals = new Intl.PluralRules('ru-RU')
const numbers = new Intl.NumberFormat('ru-RU')
const dateTimes = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Moscow' })
const dates = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Moscow' })

/** Word forms for 1, 2–4 and 5+ (e.g. ['находка', 'находки', 'находок']). */
export type Forms = readonly [one: string, few: string, many: string]

/** The form a count takes: 1 находка, 2 находки, 5 находок, 21 находка, 1,5 находки. */
export function plural(count: number, forms: Forms): string {
  switch (plurals.select(count)) {
    case 'one': return forms[0]
    case 'few': return forms[1]
    case 'many': return forms[2]
    default: return forms[1] // 'other': fractions («1,5 находки»)
  }
}

/** «5 находок», the number written in ru-RU (a no-break space between thousands). */
export function count(n: number, forms: Forms): string {
  return `${numbers.format(n)} ${plural(n, forms)}`
}

export const FINDINGS: Forms = ['находка', 'находки', 'находок']
/** after «с»: с 1 находкой, с 2 находками, с 5 находками */
export const FINDINGS_WITH: Forms = ['находкой', 'находками', 'находками']
export const INCIDENTS: Forms = ['обращение', 'обращения', 'обращений']
export const RECORDS: Forms = ['запись', 'записи', 'записей']
export const RESULTS: Forms = ['результат', 'результата', 'результатов']

export function formatNumber(n: number): string {
  return numbers.format(n)
}

/** A moment as people in the contact centre read it: «05.12.2026, 14:30» (Moscow time). */
export function formatDateTime(iso: string | Date): string {
  return dateTimes.format(typeof iso === 'string' ? new Date(iso) : iso)
}

/** A calendar date: «05.12.2026». A date-only string is taken as that day, whatever the time zone. */
export function formatDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('.') : dates.format(new Date(iso))
}

export type SeverityName = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW'

/** Severity as a word; the colour is in CSS (.sev-critical …), so it is never told by colour alone. */
export const SEVERITY_WORD: Record<SeverityName, string> = { CRITICAL: 'критично', HIGH: 'высокая', MEDIUM: 'средняя', LOW: 'низкая' }

export const FINDING_STATUS_WORD: Record<string, string> = {
  NEW: 'новая', OPEN: 'открыта', REOPENED: 'открыта снова', ACKNOWLEDGED: 'принята', IN_PROGRESS: 'в работе', RESOLVED: 'решена', WAIVED: 'исключение',
}

export const ENTITY_WORD: Record<string, string> = {
  address: 'Адрес', customer: 'Клиент', contract: 'Договор', equipment: 'Устройство', equipmentType: 'Тип устройства', market: 'Рынок', product: 'Продукт',
}

export const MATCH_WORD: Record<string, string> = {
  address: 'по адресу', inn: 'по ИНН', key: 'по номеру', mac: 'по MAC', name: 'по имени', phone: 'по телефону', serial: 'по серийному номеру',
}

export const ROLE_WORD: Record<string, string> = {
  ADMIN: 'администратор', AUDITOR: 'аудитор', NSI_SPECIALIST: 'специалист НСИ', SERVICE_DESK: 'сервис-деск', SUPPORT_AGENT: 'оператор поддержки',
}

export const CHANNEL_WORD: Record<string, string> = { PHONE: 'телефон', EMAIL: 'эл. почта', FAX: 'факс', EXTERNAL_SYSTEM: 'внешняя система' }

export const KIND_WORD: Record<string, string> = { INCIDENT: 'Инцидент', COMPLAINT: 'Жалоба' }

/** A rule's kind (the detector it runs) in words; the code stays beside it for those who write rule files. */
export const RULE_KIND_WORD: Record<string, string> = {
  'unique': 'уникальность', 'overlap': 'пересечение сроков', 'fuzzy-duplicate': 'похожие записи',
  'consistency': 'согласованность записей', 'required-relation': 'обязательная связь', 'predicate': 'условие',
  'custom': 'своё правило',
}

export const CONTRACT_STATUS_WORD: Record<string, string> = { ACTIVE: 'действует', DRAFT: 'черновик', SUSPENDED: 'приостановлен', TERMINATED: 'расторгнут' }

export const EQUIPMENT_STATUS_WORD: Record<string, string> = { INSTALLED: 'установлено', IN_STOCK: 'на складе', DECOMMISSIONED: 'списано' }

/** A finding event's or a merge's actor: «key:12:Иванова» → «Иванова (ключ 12)»; a person or an audit as written. */
export function actorText(actor: string): string {
  const key = /^key:(\d+):(.*)$/.exec(actor)
  return key ? `${key[2] || 'ключ'} (ключ ${key[1]})` : actor === 'audit' ? 'аудит' : actor
}

/** «2-я линия». */
export function supportLine(line: number | null | undefined): string {
  return line ? `${line}-я линия` : 'линия не задана'
}

/** The markets a key is limited to, for the header: «все рынки» when none. */
export function marketsText(markets: readonly string[]): string {
  return markets.length === 0 ? 'все рынки' : `${markets.length === 1 ? 'рынок' : 'рынки'} ${markets.join(', ')}`
}

/** «Жалоба № 77 зарегистрирована, связана с 2 находками». */
export function registeredText(kind: string, ref: string, created: boolean, links: number): string {
  const incident = kind === 'INCIDENT'
  const verb = created ? (incident ? 'зарегистрирован' : 'зарегистрирована') : (incident ? 'уже был зарегистрирован' : 'уже была зарегистрирована')
  return `${KIND_WORD[kind] ?? kind} ${ref} ${verb}, ${incident ? 'связан' : 'связана'} с ${count(links, FINDINGS_WITH)}.`
}
