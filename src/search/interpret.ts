// What a support agent typed, read as the things it could be: an address, a phone, a serial or MAC, a
// business key, an INN, a name. Pure: the search service queries only the kinds a text can be.
import { cityKey, normalizeAddress } from '../addresses/parse.ts'
import { foldWord } from '../addresses/tokenize.ts'
import { CITY_ALIASES, MARKERS } from '../addresses/vocabulary.ts'
import { normalizeName, normalizePhone } from '../customers/identifiers.ts'
import { normalizeSerial } from '../equipment/identifiers.ts'

/**
 * One reading of the text as an address, in the fields of the stored match keys (src/addresses/parse.ts
 * keyOf). A text may have several: «Казань Пригородная 2» is the street «Казань Пригородная» or the street
 * «Пригородная» in Kazan — only the data can tell, so the search tries both (see {@link addressReadings}).
 */
export interface AddressQuery {
  /** folded street name, e.g. 'ленина', 'маршала жукова' */
  street: string
  streetType: string
  house: string
  /** 'к2', 'с1', 'кв12' as in the normalized key; '' when not given */
  building: string
  structure: string
  flat: string
  /** folded words of the place said — city, settlement, region — without their markers: ['казань'], ['санкт', 'петербург'] */
  place: string[]
  /** a postal code said, '' when none */
  postalCode: string
  /**
   * The place words were taken off the start or the end of the text, not read as a place by the parser:
   * where they name no place of the stored address, the reading is wrong, not the address.
   */
  placeGuessed: boolean
  /** 1 for a literal reading; a little less for a looser one («2/1» read as house 2, flat 1) */
  weight: number
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
  /** readings of the text as an address, the parser's own first; [] when it names no street */
  addresses: AddressQuery[]
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
const MAC_SEPARATOR = /[:.-]/
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
  const addresses = hasCyrillic ? addressReadings(text) : []
  return { keys: [...keys], phone, phoneFragment, inn, serials: [...serials], macs: [...macs], name, addresses }
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
  const hex = low.replace(/[\s:.-]/g, '')
  if (hex.length < MIN_IDENTIFIER_FRAGMENT || hex.length > 12 || !HEX.test(hex)) return null
  if (MAC_SEPARATOR.test(low) || (HEX_LETTER.test(hex) && DIGIT.test(hex))) return hex
  return null
}

/** Words taken off the start of a text as a place it may name («Республика Татарстан Казань …»), at most. */
const LEADING_PLACE_WORDS = 3
/** … and off its end («… 2 Новосибирская обл.»). */
const TRAILING_PLACE_WORDS = 2
const WORD_SPAN = /[^\s,;]+/g
const PLACE_WORD = /^\p{L}[\p{L}.-]*$/u
const POSTAL_CODE = /^\d{6}$/
const PLACE_ROLES = new Set(['region', 'city', 'settlement', 'district'])
/** Words that say what kind of place follows or precedes («г.», «обл.», «Республика»), not which place. */
const PLACE_MARKERS = new Set([...MARKERS].filter(([, m]) => PLACE_ROLES.has(m.role)).map(([w]) => w))

/**
 * The text read as an address: as the parser reads it, and with up to three words at its start and two at
 * its end taken as the place the caller named — a city, a region, a postal code, in whatever notation,
 * whether or not any list knows it as a city. The data decides: a place taken off the text must be the
 * stored address's city or region (AddressQuery.placeGuessed), so «Маршала Жукова 12» read as the street
 * «Жукова» in a place «Маршала» finds nothing. Readings that give the same fields are kept once. A place
 * is taken off only when a house is said: a street alone («Казань Пригородная», or a name that is no
 * address at all) would be looked for in every city under every guess.
 */
export function addressReadings(text: string): AddressQuery[] {
  const spans = [...text.matchAll(WORD_SPAN)].map((m) => ({ at: m.index, word: m[0] }))
  const readings = new Map<string, AddressQuery>()
  const peel = DIGIT.test(text) // no number, no house: nothing is taken off (see below)
  for (let lead = 0; lead <= (peel ? LEADING_PLACE_WORDS : 0) && lead < spans.length; lead++) {
    if (lead > 0 && !isPlaceWord(spans[lead - 1].word)) break
    for (let trail = 0; trail <= (peel ? TRAILING_PLACE_WORDS : 0) && lead + trail < spans.length; trail++) {
      if (trail > 0 && !isPlaceWord(spans[spans.length - trail].word)) break
      const from = lead === 0 ? 0 : spans[lead].at
      const to = trail === 0 ? text.length : spans[spans.length - trail].at
      const peeled = [...spans.slice(0, lead), ...spans.slice(spans.length - trail)].map((s) => s.word)
      for (const r of readingsOf(text.slice(from, to), peeled)) {
        // without a house a street is looked for alone, in every city: too many rows to try each guess on
        if (peeled.length > 0 && r.house === '') continue
        // the same fields with the place said and with it guessed: the first (said) stands
        const key = JSON.stringify({ ...r, placeGuessed: undefined })
        if (!readings.has(key)) readings.set(key, r)
      }
    }
  }
  return [...readings.values()]
}

/** A word that can be (part of) a place's name or its marker: not a number, not a street or house word. */
function isPlaceWord(word: string): boolean {
  const w = word.replace(/\.+$/, '')
  if (POSTAL_CODE.test(w)) return true
  if (!PLACE_WORD.test(w)) return false
  const marker = MARKERS.get(foldWord(w))
  if (marker !== undefined) return PLACE_ROLES.has(marker.role) && (w.length > 1 || marker.role === 'city')
  return w.length > 1
}

/** The folded words naming a place, without its kind («Республика Татарстан» → ['татарстан'], «спб» → ['санкт', 'петербург']). */
export function placeWords(name: string | null): string[] {
  if (name === null || name === '') return []
  return cityKey(name).split(' ').filter((w) => w.length > 1 && !PLACE_MARKERS.has(w))
}

/** The parser's reading of a text, with the words taken off it as the place; and «2/1» as house and flat. */
function readingsOf(text: string, peeled: string[]): AddressQuery[] {
  const { parts, normalized } = normalizeAddress({ text })
  const [city = '', streetType = '', streetName = '', house = '', building = '', structure = '', flat = ''] = normalized.split('|')
  let street = streetName
  let cityKeyed = city
  // «5-12 ленина», «Ленина»: with no street found, an unmarked locality is as likely the street
  if (street === '' && city !== '' && !isKnownCity(city)) {
    // with words taken off as the place that is a guess on a guess («Ленина 5-12 Химки» → «Химки» the street in «Ленина»)
    if (peeled.length > 0) return []
    street = city
    cityKeyed = ''
  }
  if (street.replace(/\s/g, '').length < 2) return []
  // a word taken off must name something checkable: «Большая Садовая 5» is not «Садовая 5» in a place «б»
  if (peeled.some((w) => !POSTAL_CODE.test(w) && !PLACE_MARKERS.has(foldWord(w.replace(/\.+$/, ''))) && placeWords(w).length === 0)) return []
  const said = new Set([...cityKeyed.split(' ').filter(Boolean), ...placeWords(parts.region)])
  const guessed = peeled.filter((w) => !POSTAL_CODE.test(w)).flatMap(placeWords).filter((w) => !said.has(w))
  const place = [...new Set([...said, ...guessed])]
  const postalCode = parts.postalCode !== null && POSTAL_CODE.test(parts.postalCode) ? parts.postalCode : (peeled.find((w) => POSTAL_CODE.test(w)) ?? '')
  if (peeled.length > 0 && place.length === 0 && postalCode === '') return [] // only markers taken off: the text read less well
  const reading: AddressQuery = { street, streetType, house, building, structure, flat, place, postalCode, placeGuessed: guessed.length > 0, weight: 1 }
  // «Пригородная 2/1» is a corner house 2/1, or — as callers say it — house 2, flat 1
  const fraction = HOUSE_FRACTION.exec(house)
  if (fraction === null || flat !== '' || building !== '' || structure !== '') return [reading]
  return [reading, { ...reading, house: fraction[1], flat: `кв${fraction[2]}`, weight: 0.95 }]
}

const HOUSE_FRACTION = /^(\d+[^\d/]*)\/(\d+)$/

const KNOWN_CITIES = new Set([...CITY_ALIASES.values()].map((c) => c.toLowerCase().replace(/-/g, ' ')))

function isKnownCity(cityKey: string): boolean {
  return KNOWN_CITIES.has(cityKey)
}
