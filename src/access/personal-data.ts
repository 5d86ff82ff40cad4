// Customers' personal data, for the roles that need it. A person's name, phone, INN and e-mail are personal
// data (152-ФЗ); a company's are not. Support agents talk to callers and NSI specialists correct the records:
// they read them whole (permission readPersonalData). Auditors and service desks read a person's initials
// and nothing else of it, and cannot find a person by phone, INN or name either — a lookup that answers is
// as telling as the value it matched.
import { can } from './permissions.ts'
import type { Principal } from './scope.ts'

/** Whether the principal reads persons' personal data whole. */
export function readsPersonalData(p: Principal): boolean {
  return can(p.role, 'readPersonalData')
}

/** A customer whose data is personal: a person, or one whose kind nobody has told (taken as a person). */
export function isPerson(kind: string | null | undefined): boolean {
  return kind !== 'COMPANY'
}

/** «Иванов Иван Иванович» → «И. И. И.»: enough to tell two records apart on a screen, not to name anyone. */
export function initials(name: string): string {
  const words = name.split(/[\s,]+/u).filter((w) => /\p{L}/u.test(w))
  return words.length === 0 ? '—' : words.map((w) => `${/\p{L}/u.exec(w)![0].toUpperCase()}.`).join(' ')
}

export interface CustomerPersonalData {
  name: string
  inn: string | null
  phone: string | null
  phoneNorm: string | null
  email: string | null
}

/** A customer's personal fields as the principal may read them: whole, or a person's initials and nothing else. */
export function personalDataFor<T extends CustomerPersonalData & { kind: string | null }>(p: Principal, c: T): CustomerPersonalData {
  if (readsPersonalData(p) || !isPerson(c.kind)) return { name: c.name, inn: c.inn, phone: c.phone, phoneNorm: c.phoneNorm, email: c.email }
  return { name: initials(c.name), inn: null, phone: null, phoneNorm: null, email: null }
}

/**
 * A link's or event's reason without what a person typed: «клиент C-1 (введено «+7 916 …», совпадение по
 * телефону)» → «клиент C-1 (совпадение по телефону)», for those who do not read personal data. The form is
 * referenceRu's (src/i18n/ru.ts); reasons stored before it was Russian («customer C-1 (resolved from «…», phone
 * normalised)») are cut the same way.
 */
export function reasonWithoutPersonalData(reason: string): string {
  return reason.replace(/((?:клиент|customer) \S+) \((?:введено|resolved from) «[^»]*», /gu, '$1 (')
}
