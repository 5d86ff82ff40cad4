// Customers as a Russian contact centre sees them: full names «Фамилия Имя
// Отчество», companies «ООО «Ромашка»», INNs with valid check digits, phones
// and e-mails in the notations people actually type.
import { Faker, base, ru } from '@faker-js/faker'
import type { Rng } from './random.ts'

export type Gender = 'male' | 'female'

export interface PersonName { last: string; first: string; middle: string; gender: Gender }

/** Name, brand and mail pools drawn once from faker's `ru` locale; rows then pick from them with the fast PRNG. */
export interface NamePools {
  male: { last: string[]; first: string[]; middle: string[] }
  female: { last: string[]; first: string[]; middle: string[] }
  /** The first names and patronymics most people actually have; faker's lists lean to the archaic. */
  common: { male: { first: string[]; middle: string[] }; female: { first: string[]; middle: string[] } }
  brands: string[]
}

const COMMON_MALE = [
  'Александр', 'Сергей', 'Андрей', 'Дмитрий', 'Алексей', 'Иван', 'Михаил', 'Владимир', 'Николай', 'Евгений',
  'Максим', 'Артём', 'Павел', 'Игорь', 'Олег', 'Денис', 'Роман', 'Виктор', 'Юрий', 'Константин', 'Антон', 'Никита',
]
const COMMON_FEMALE = [
  'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Анна', 'Мария', 'Екатерина', 'Светлана', 'Юлия',
  'Анастасия', 'Марина', 'Галина', 'Людмила', 'Дарья', 'Ксения', 'Виктория', 'Алёна', 'Надежда', 'Валентина',
]
const COMMON_PATRONYMIC_STEMS = [
  'Александров', 'Сергеев', 'Андреев', 'Владимиров', 'Николаев', 'Иванов', 'Михайлов', 'Викторов', 'Петров',
  'Алексеев', 'Дмитриев', 'Юрьев', 'Анатольев', 'Васильев', 'Геннадьев', 'Олегов', 'Игорев', 'Евгеньев', 'Павлов',
  'Фёдоров', 'Борисов', 'Валерьев', 'Григорьев',
]

// faker's lists drop «ё»; these are the spellings a registry clerk would keep.
const YO_WORDS: Record<string, string> = {
  Аксенов: 'Аксёнов', Воробьев: 'Воробьёв', Горбачев: 'Горбачёв', Журавлев: 'Журавлёв', Киселев: 'Киселёв',
  Ковалев: 'Ковалёв', Королев: 'Королёв', Кошелев: 'Кошелёв', Лихачев: 'Лихачёв', Муравьев: 'Муравьёв',
  Пономарев: 'Пономарёв', Селезнев: 'Селезнёв', Семенов: 'Семёнов', Соловьев: 'Соловьёв', Федоров: 'Фёдоров',
  Фомичев: 'Фомичёв', Артем: 'Артём', Федор: 'Фёдор', Семен: 'Семён', Петр: 'Пётр', Алена: 'Алёна',
  Федорович: 'Фёдорович', Семенович: 'Семёнович', Федоровна: 'Фёдоровна', Семеновна: 'Семёновна',
}

function withYo(word: string): string {
  if (YO_WORDS[word]) return YO_WORDS[word]
  // Feminine surnames follow their masculine stem: Ковалева → Ковалёва.
  if (word.endsWith('а') && YO_WORDS[word.slice(0, -1)]) return YO_WORDS[word.slice(0, -1)] + 'а'
  return word
}

const BRAND_ROOTS = [
  'Ромашка', 'Вектор', 'Альянс', 'Гарант', 'Меридиан', 'Прогресс', 'Сфера', 'Орбита', 'Горизонт', 'Феникс',
  'Атлант', 'Восход', 'Лотос', 'Капитал', 'Элемент', 'Квант', 'Спектр', 'Паритет', 'Престиж', 'Магистраль',
  'Энергия', 'Импульс', 'Берёзка', 'Ёлочка', 'Северное сияние', 'Белый медведь', 'Волга', 'Кама', 'Урал', 'Сибирь',
  'Нева', 'Аврора', 'Зенит', 'Старт', 'Фортуна', 'Олимп', 'Рассвет', 'Радуга', 'Пчёлка', 'Антей',
]
const BRAND_TAILS = ['', '', '', '-Сервис', ' Плюс', '-Строй', ' Групп', '-Трейд', ' Логистик', '-М', ' Инвест', ' Медиа', 'Торг', 'Снаб', '-Софт']

export function buildNamePools(seed: number): NamePools {
  const faker = new Faker({ locale: [ru, base] })
  faker.seed(seed)
  const def = faker.rawDefinitions.person
  if (!def?.last_name || !def.first_name || !def.middle_name) throw new Error('faker ru locale lacks person names')
  const last = def.last_name as { male: string[]; female: string[] }
  const first = def.first_name as { male: string[]; female: string[] }
  const middle = def.middle_name as { male: string[]; female: string[] }
  const prep = (xs: readonly string[]) => faker.helpers.shuffle([...new Set(xs.map(withYo))])
  const brands = faker.helpers.shuffle(BRAND_ROOTS.flatMap((root) => BRAND_TAILS.map((tail) => {
    // "ВолгаТорг", not "Волга Торг": glued tails follow the way such names are registered.
    return tail && !tail.startsWith(' ') && !tail.startsWith('-') ? root.replace(/\s/g, '') + tail : root + tail
  })))
  return {
    male: { last: prep(last.male), first: prep(first.male), middle: prep(middle.male) },
    female: { last: prep(last.female), first: prep(first.female), middle: prep(middle.female) },
    common: {
      male: { first: COMMON_MALE, middle: COMMON_PATRONYMIC_STEMS.map((s) => s + 'ич') },
      female: { first: COMMON_FEMALE, middle: COMMON_PATRONYMIC_STEMS.map((s) => s + 'на') },
    },
    brands,
  }
}

export function randomPerson(rng: Rng, pools: NamePools, gender: Gender = rng.chance(0.5) ? 'male' : 'female'): PersonName {
  const p = pools[gender]
  const common = pools.common[gender]
  const usual = rng.chance(0.8)
  return {
    last: rng.pick(p.last),
    first: rng.pick(usual ? common.first : p.first),
    middle: rng.pick(usual ? common.middle : p.middle),
    gender,
  }
}

export function hasYo(name: PersonName): boolean {
  return /ё/i.test(name.last + name.first + name.middle)
}

/** A person whose name contains «ё», for the «ё»/«е» duplicate variants. */
export function randomYoPerson(rng: Rng, pools: NamePools): PersonName {
  for (let i = 0; i < 200; i++) {
    const p = randomPerson(rng, pools)
    if (hasYo(p)) return p
  }
  const p = randomPerson(rng, pools, 'male')
  return { ...p, last: 'Королёв' }
}

export function fullName(p: PersonName): string {
  return `${p.last} ${p.first} ${p.middle}`
}

export type LegalForm = 'ООО' | 'АО' | 'ПАО' | 'ЗАО'
export const LEGAL_FORM_LONG: Record<LegalForm, string> = {
  'ООО': 'Общество с ограниченной ответственностью',
  'АО': 'Акционерное общество',
  'ПАО': 'Публичное акционерное общество',
  'ЗАО': 'Закрытое акционерное общество',
}

export interface CompanyName { form: LegalForm; brand: string }

export function randomCompany(rng: Rng, pools: NamePools): CompanyName {
  const form = rng.weighted<LegalForm>([['ООО', 80], ['АО', 12], ['ПАО', 3], ['ЗАО', 5]])
  return { form, brand: rng.pick(pools.brands) }
}

/** «ООО «Ромашка»» — the form a registry shows. */
export function companyName(c: CompanyName): string {
  return `${c.form} «${c.brand}»`
}

// --- INN -------------------------------------------------------------------

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]

function checkDigit(digits: string, weights: readonly number[]): string {
  let sum = 0
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i]
  return String((sum % 11) % 10)
}

/** 10-digit company INN: 2-digit region, then a unique 7-digit body, then the check digit. */
export function companyInn(region: string, uniqueBody: number): string {
  const nine = region + String(uniqueBody).padStart(7, '0')
  return nine + checkDigit(nine, W10)
}

/** 12-digit personal INN: 2-digit region, a unique 8-digit body, two check digits. */
export function personInn(region: string, uniqueBody: number): string {
  const ten = region + String(uniqueBody).padStart(8, '0')
  const eleven = ten + checkDigit(ten, W11)
  return eleven + checkDigit(eleven, W12)
}

// --- phones ----------------------------------------------------------------

/** Writes a 10-digit national number the way people type it; `style` picks the notation. */
export function phoneNotation(national: string, style: number): string {
  const a = national.slice(0, 3), b = national.slice(3, 6), c = national.slice(6, 8), d = national.slice(8, 10)
  switch (style % 7) {
    case 0: return `+7 ${a} ${b}-${c}-${d}`
    case 1: return `8(${a})${b}${c}${d}`
    case 2: return `7${national}`
    case 3: return `+7(${a})${b}-${c}-${d}`
    case 4: return `8 ${a} ${b} ${c} ${d}`
    case 5: return `+7${national}`
    default: return `8-${a}-${b}-${c}-${d}`
  }
}

export const PHONE_STYLES = 7

// --- e-mail ----------------------------------------------------------------

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
}

export function translit(text: string): string {
  let out = ''
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? (/[a-z0-9.-]/.test(ch) ? ch : '')
  return out
}

const MAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'list.ru', 'inbox.ru', 'rambler.ru', 'ya.ru']

export function personEmail(rng: Rng, p: PersonName): string {
  const last = translit(p.last), first = translit(p.first)
  const local = rng.weighted<string>([
    [`${last}.${first}`, 3], [`${first}.${last}`, 2], [`${last}${first[0] ?? ''}${rng.between(1, 99)}`, 2], [`${first}${rng.between(1960, 2005)}`, 1],
  ])
  return `${local}@${rng.pick(MAIL_DOMAINS)}`
}

export function companyEmail(rng: Rng, c: CompanyName): string {
  const slug = translit(c.brand.replace(/[\s-]+/g, '-')).replace(/-+/g, '-') || 'office'
  return `${rng.pick(['info', 'office', 'buh', 'it', 'zakaz'])}@${slug}.ru`
}
