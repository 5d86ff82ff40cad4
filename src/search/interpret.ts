// What a support agent typed, read as the things it could be: an address, a phone, a serial or MAC, a
// business key, an INN, a name. Pure: the search service queries only the kinds a text can be.
import { normalizeAddress } from '../addresses/parse.ts'
import { CITY_ALIASES } from '../addresses/vocabulary.ts'
import { normalizeName, normalizePhone } from '../customers/identifiers.ts'
import { normalizeSerial } from '../equipment/identifiers.ts'

/** An address as typed, in the fields of the stored match keys (src/addresses/parse.ts keyOf). */
export interface AddressQuery {
  /** folded street name, e.g. 'ленина', 'маршала жукова' */
  street: string
  /** '' when not given */
  city: string
  streetType: string
  house: string
  /** 'к2', 'с1', 'кв12' as in the normalized key; '' when not given */
  building: string
  structure: string
  flat: string
}

export interface SearchQuery {
  /** business keys as typed and upper-cased: contract number, inventory number, customer or address code */
  keys: string[]
  /** a whole phone number, normalised (normalizePhone) */
  phone: string | null
  /** 5–9 digits of a phone, somewhere in the number */
  phoneFragment: string | null
  /** 10 or 12 digits */
  inn: string | null
  /** normalised serial numbers or parts of them (normalizeSerial), at least 4 characters */
  serials: string[]
  /** hex digits of a MAC or a part of one (4–12, lower case) */
  macs: string[]
  /** normalizeName of the text: a person's or company's name, words in any order */
  name: string | null
  address: AddressQuery | null
}

/** Fewer digits than this are not looked for in phones: «45-67» is the end of some ten customers' numbers. */
export const MIN_PHONE_FRAGMENT = 5
/** Shorter fragments of a serial or MAC match too many devices (and trigrams need 3 characters anyway). */
export const MIN_IDENTIFIER_FRAGMENT = 4

const CYRILLIC_WORD = /[а-яё]{2,}/i
const LETTER = /\p{L}/u
const DIGIT = /\d/
const PHONE_TEXT = /^[\d\s+().\-–]+$/
const PHONE_RUN = /\+?\d[\d\s().\-–]*\d/g
const LATIN_AND_DIGITS = /^[A-Z0-9]+$/
const HAS_LATIN = /[A-Z]/
const MAC_SEPARATOR = /[:.\-]/
const HEX = /^[0-9a-f]+$/
const HEX_LETTER = /[a-f]/
const TOKEN_SPLIT = /[\s,;]+/

/** Read a trimmed, non-empty text. */
export function interpret(text: string): SearchQuery {
  const hasCyrillic = CYRILLIC_WORD.test(text)
  const numericOnly = PHONE_TEXT.test(text)
  const digits = text.replace(/\D/g, '')
  const tokens = text.split(TOKEN_SPLIT).filter(Boolean)

  const keys = new Set<string>([text, text.toUpperCase()])
  if (tokens.length <= 4) for (const t of tokens) if (DIGIT.test(t)) keys.add(t.toUpperCase())

  let phone: string | null = null
  let phoneFragment: string | null = null
  for (const run of text.matchAll(PHONE_RUN)) {
    const runDigits = run[0].replace(/\D/g, '')
    if (runDigits.length >= 10 && runDigits.length <= 15) phone ??= normalizePhone(runDigits)
  }
  if (phone === null && numericOnly && digits.length >= MIN_PHONE_FRAGMENT && digits.length < 10) phoneFragment = digits
  const inn = numericOnly && (digits.length === 10 || digits.length === 12) ? digits : null

  const serials = new Set<string>()
  const macs = new Set<string>()
  if (!hasCyrillic) {
    for (const candidate of [text, ...tokens]) {
      const s = normalizeSerial(candidate)
      if (s !== null && isSerialLike(s, numericOnly)) serials.add(s)
      const hex = macHex(candidate)
      if (hex !== null) macs.add(hex)
    }
  }

  const name = LETTER.test(text) && !DIGIT.test(text) ? normalizeName(text) : null
  const address = hasCyrillic ? addressOf(text) : null
  return { keys: [...keys], phone, phoneFragment, inn, serials: [...serials], macs: [...macs], name, address }
}

/** A serial or part of one: Latin letters with digits, or a long run of digits in a text of nothing else. */
function isSerialLike(s: string, numericOnly: boolean): boolean {
  if (s.length < MIN_IDENTIFIER_FRAGMENT || !LATIN_AND_DIGITS.test(s)) return false
  if (HAS_LATIN.test(s)) return DIGIT.test(s) || s.length >= 6 // «HWTCACFD»: half a serial may have no digit
  return numericOnly && s.length >= 6
}

/** Hex digits of a MAC or its part: written with separators («5C:98», «48-57-02») or with hex letters and digits. */
function macHex(candidate: string): string | null {
  const low = candidate.trim().toLowerCase()
  const hex = low.replace(/[\s:.\-]/g, '')
  if (hex.length < MIN_IDENTIFIER_FRAGMENT || hex.length > 12 || !HEX.test(hex)) return null
  if (MAC_SEPARATOR.test(low) || (HEX_LETTER.test(hex) && DIGIT.test(hex))) return hex
  return null
}

/** The address fields of the text, when it names a street (or something that can be one). */
function addressOf(text: string): AddressQuery | null {
  const [city = '', streetType = '', streetName = '', house = '', building = '', structure = '', flat = ''] =
    normalizeAddress({ text }).normalized.split('|')
  let street = streetName
  let cityKey = city
  // «5-12 ленина», «Ленина»: with no street found, an unmarked locality is as likely the street
  if (street === '' && city !== '' && !isKnownCity(city)) {
    street = city
    cityKey = ''
  }
  if (street.replace(/\s/g, '').length < 2) return null
  return { street, city: cityKey, streetType, house, building, structure, flat }
}

const KNOWN_CITIES = new Set([...CITY_ALIASES.values()].map((c) => c.toLowerCase().replace(/-/g, ' ')))

function isKnownCity(cityKey: string): boolean {
  return KNOWN_CITIES.has(cityKey)
}
