// Russian address parsing and the match keys that decide whether two addresses denote the same place.
// Pure functions, no database: import runs them on every address row.

import { tokenize, foldWord, type Atom } from './tokenize.ts'
import {
  CITY_ALIASES, FEDERAL_CITIES, KNOWN_CITIES, MULTIWORD_CITIES, NAME_WORD_FOLDS, NAMING_STREET_TYPE_WORDS, NOISE, NUMBER_ROLES,
  NUMERIC_NAME_STREET_TYPES, ORDINAL_SUFFIXES,
  type Marker, type MarkerRole,
} from './vocabulary.ts'

export interface AddressParts {
  /** As found (6 digits normally); kept raw when malformed so a completeness rule can flag it. */
  postalCode: string | null
  /** Display value: 'Московская обл.', 'Республика Татарстан', 'Краснодарский край'. */
  region: string | null
  /** The most specific locality (city, settlement), without its marker: 'Москва'. */
  city: string | null
  /** Canonical lower-case type: 'ул', 'пр-т', 'пер', 'б-р', 'ш', 'пл', 'наб', 'проезд', 'туп', 'мкр', 'аллея', 'линия' … */
  streetType: string | null
  /** Display, original case: 'Ленина', 'Маршала Жукова', '1-я Тверская-Ямская'. */
  streetName: string | null
  /** Number with canonical upper-case letter and fraction: '5', '12А', '7/2'. */
  house: string | null
  /** корпус */
  building: string | null
  /** строение */
  structure: string | null
  /** квартира / офис / помещение */
  apartment: string | null
}

/** Input as imported: text is required, given components win over what parsing the text gives. */
export interface AddressInput {
  text: string
  region?: string | null
  city?: string | null
  /** Type and name ('ул. Ленина', 'Ленина ул.') or the name alone ('Ленина'). */
  street?: string | null
  house?: string | null
  building?: string | null
  apartment?: string | null
  postalCode?: string | null
}

export interface NormalizedAddress {
  parts: AddressParts
  /** Identity of the place, see {@link keyOf}. */
  normalized: string
  /** The building: `normalized` without the apartment. */
  houseKey: string
  /** city|type|name, for blocking in fuzzy comparison. */
  streetKey: string
  /** `normalized` without the street name: the places a one-letter typo in the street name could be. */
  blockKey: string
}

interface Phrase { atoms: Atom[]; start: number }
interface StreetCandidate { type: string; atoms: Atom[]; marker: number }
interface Locality { atoms: Atom[]; end: number; prefix: boolean }

const ADJECTIVE_ENDING = /(?:ая|яя|ий|ый|ой|ое|ее|ская|ский|кая|кий)$/

/** Derive components from free text as people write Russian addresses. */
export function parseAddress(text: string): AddressParts {
  return completeHouse(interpret(tokenize(text)))
}

/** Parse + fill components + compute the match keys. */
export function normalizeAddress(input: AddressInput): NormalizedAddress {
  const fromText = parseAddress(input.text ?? '')
  const parts: AddressParts = { ...fromText }

  const postalCode = given(input.postalCode)
  if (postalCode !== null) parts.postalCode = postalCode

  const region = given(input.region)
  if (region !== null) parts.region = regionComponent(region)

  const city = given(input.city)
  if (city !== null) parts.city = cityComponent(city)

  const street = given(input.street)
  const givenStreet = street === null ? null : streetComponent(street)
  // A house is never taken from the city or street column: where the text read «Каменка 5» as a name and a
  // house, and the given city or street is «Каменка 5», the number is part of that name.
  if (fromText.house !== null) {
    const givenNames = [city !== null ? cityKey(parts.city) : null, givenStreet?.name ? nameKey(givenStreet.name) : null]
    const misread = [fromText.city, fromText.streetName].find((n) => n !== null && givenNames.includes(nameKey(`${n} ${fromText.house}`)))
    if (misread !== undefined) {
      parts.house = null
      if (misread === fromText.streetName && givenStreet === null) { parts.streetName = null; parts.streetType = null }
    }
  }
  if (givenStreet !== null) {
    const s = givenStreet
    // «Ленина» given, «ул. Ленина» in the text: the text knows the type of the same street.
    if (s.type === null && fromText.streetName !== null && nameKey(s.name) === nameKey(fromText.streetName)) s.type = fromText.streetType
    parts.streetType = s.type
    parts.streetName = s.name
  }

  const house = given(input.house)
  if (house !== null) {
    // «5», «5А», «д. 5», and also «5к2-12»: what the house cell says beyond the house counts as given.
    const h = parseAddress(startsBare(house) ? 'д ' + house : house)
    parts.house = h.house ?? rawUnit(house)
    if (h.building !== null) parts.building = h.building
    if (h.structure !== null) parts.structure = h.structure
    if (h.apartment !== null) parts.apartment = h.apartment
  }

  const building = given(input.building)
  if (building !== null) {
    parts.building = isDigits(building) ? stripZeros(building)
      : parseAddress(startsBare(building) ? 'корп ' + building : building).building ?? rawUnit(building)
  }

  const apartment = given(input.apartment)
  if (apartment !== null) {
    parts.apartment = isDigits(apartment) ? stripZeros(apartment)
      : parseAddress(startsBare(apartment) ? 'кв ' + apartment : apartment).apartment ?? rawUnit(apartment)
  }

  if (parts.city === null && parts.region !== null && FEDERAL_CITIES.has(parts.region)) parts.city = parts.region
  completeHouse(parts)

  const keys = keyOf(parts)
  return { parts, ...keys }
}

/**
 * The match keys. `normalized` is seven '|'-separated fields, empty when unknown:
 *
 *   city | street type | street name | house | к<корпус> | с<строение> | кв<квартира>
 *   e.g. 'москва|ул|ленина|5|к2|с1|кв12', 'казань|ул|баумана|51|||'
 *
 * All lower case with 'ё' → 'е'; names keep letters and digits only, words separated by one space,
 * ordinal endings dropped («1-я» = «1я» = «1-ая» → '1'), «им.» dropped. Postal code and region are
 * left out so that a leading «125009, Московская обл.» does not change identity. A missing street
 * type is its own value: «Ленина 5» does not equal «ул. Ленина 5» (a fuzzy step may join them).
 */
function keyOf(parts: AddressParts): { normalized: string; houseKey: string; streetKey: string; blockKey: string } {
  const streetKey = `${cityKey(parts.city)}|${parts.streetType ?? ''}|${nameKey(parts.streetName)}`
  const houseKey = `${streetKey}|${unitKey('', parts.house)}|${unitKey('к', parts.building)}|${unitKey('с', parts.structure)}`
  const normalized = `${houseKey}|${unitKey('кв', parts.apartment)}`
  return { normalized, houseKey, streetKey, blockKey: addressBlockKey(normalized) }
}

/** A normalized form without its third field, the street name: see {@link NormalizedAddress.blockKey}. */
export function addressBlockKey(normalized: string): string {
  const f = normalized.split('|')
  return [f[0], f[1], ...f.slice(3)].join('|')
}

const KEY_SPLIT = /[^0-9a-zA-Zа-яА-ЯёЁ]+/
const GLUED_ORDINAL = /^(\d+)(я|й|ая|яя|ья|ой|ий|ый|ое|ее|ые|ого|его|го|х|ых|ти|ми)$/
const DIGITS = /^\d+$/
const UNIT_NOISE = /[^0-9a-zа-я/]+/g
const HAS_DIGIT = /\d/
const WHITESPACE = /\s+/g

const NAME_KEY_CACHE_LIMIT = 1 << 16
const nameKeyCache = new Map<string, string>()

/** Folded name: words of letters and digits, ordinal endings and «им.» dropped. */
export function nameKey(name: string | null): string {
  if (name === null) return ''
  let key = nameKeyCache.get(name)
  if (key === undefined) {
    if (nameKeyCache.size >= NAME_KEY_CACHE_LIMIT) nameKeyCache.clear()
    key = computeNameKey(name)
    nameKeyCache.set(name, key)
  }
  return key
}

/**
 * An ordinal written after the name goes in front, where it is usually written: «Парковая 9-я» = «9-я Парковая»
 * ('9 парковая'). Only an ordinal (a number with an ending) moves; a bare number stays where it is: «Горки-2»
 * ('горки 2') is another name than «2-я Горки».
 */
function computeNameKey(name: string): string {
  const words: string[] = []
  let lastIsOrdinal = false
  for (const piece of name.split(KEY_SPLIT)) {
    if (piece === '') continue
    const w = foldWord(piece)
    if (NOISE.has(w)) continue
    const ordinal = GLUED_ORDINAL.exec(w)
    if (ordinal) { words.push(ordinal[1]); lastIsOrdinal = true; continue }
    if (ORDINAL_SUFFIXES.has(w) && words.length > 0 && DIGITS.test(words[words.length - 1])) { lastIsOrdinal = true; continue }
    words.push(NAME_WORD_FOLDS.get(w) ?? w)
    lastIsOrdinal = false
  }
  if (lastIsOrdinal && words.length > 1) words.unshift(words.pop()!)
  return words.join(' ')
}

/** A city as it stands in the match keys: aliases resolved («спб» → «санкт петербург»), folded as a name. */
export function cityKey(city: string | null): string {
  if (city === null) return ''
  return nameKey(CITY_ALIASES.get(foldWord(city)) ?? city)
}

function unitKey(prefix: string, value: string | null): string {
  if (value === null) return ''
  const v = foldWord(value).replace(UNIT_NOISE, '')
  return v === '' ? '' : prefix + v
}

/** A component cell without its marker word: «5», «12А», «Б». */
function startsBare(value: string): boolean {
  const c = value.charCodeAt(0)
  return (c >= 0x30 && c <= 0x39) || value.length === 1
}

function isDigits(value: string): boolean {
  return DIGITS.test(value)
}

function given(value: string | null | undefined): string | null {
  if (value == null) return null
  const v = value.trim()
  return v === '' ? null : v
}

/** A component we could not read: kept when it has a number at all, upper-cased without spaces. */
function rawUnit(value: string): string | null {
  return HAS_DIGIT.test(value) ? value.toUpperCase().replace(WHITESPACE, '') : null
}

function regionComponent(region: string): string {
  const p = parseAddress(region)
  return p.region ?? p.city ?? region
}

/**
 * A given city cell is taken as written: a settlement or city type word in front of it or after it is
 * recognised («дер. Каменка-5», «Каменка дер.», «г Москва»), the rest is the name, whole — its numbers too.
 * A cell of several parts («Московская обл., г. Подольск») is read as an address.
 */
function cityComponent(city: string): string {
  const atoms = tokenize(city)
  if (atoms.some((x, k) => k > 0 && x.segStart)) return parseAddress(city).city ?? city
  const name = withoutTypeWord(atoms, (m) => m.role === 'city' || m.role === 'settlement')
  if (name.atoms.length === 0) return city
  return name.atoms.length === 1 ? (CITY_ALIASES.get(name.atoms[0].low) ?? display(name.atoms)) : display(name.atoms)
}

/**
 * A given street cell is taken as written: its type word in front («ул. Новая 3») or after the name
 * («Новая 3 ул.») is the type, the rest is the name, whole; never a house. An ordinal written before the type
 * («3-я ул. Строителей») stays with the name.
 */
function streetComponent(street: string): { type: string | null; name: string | null } {
  const atoms = tokenize(street)
  if (atoms.some((x, k) => k > 0 && x.segStart)) {
    const p = parseAddress(street)
    if (p.streetType !== null) return { type: p.streetType, name: p.streetName }
  }
  const name = withoutTypeWord(atoms, (m) => m.role === 'street')
  const words = name.atoms.filter((a) => (a.kind === 'word' || a.kind === 'num') && !a.noise)
  return { type: name.type, name: words.length > 0 ? display(words) : name.type === null ? street : null }
}

/**
 * The atoms of a cell without its type word: the first or the last one, or one after leading ordinals. A type word
 * that streets are named by is the name next to another type word («Набережная ул.») and alone («Набережная»).
 */
function withoutTypeWord(atoms: Atom[], isType: (m: Marker) => boolean): { type: string | null; atoms: Atom[] } {
  const words = atoms.filter((x) => !x.noise && x.kind !== 'dash' && x.kind !== 'slash')
  const isTypeAt = (x: Atom, k: number): boolean => x.kind === 'word' && x.marker !== undefined && isType(x.marker) &&
    (k === 0 || k === words.length - 1 || words.slice(0, k).every(isOrdinal))
  let at = words.findIndex((x, k) => isTypeAt(x, k) && !NAMING_STREET_TYPE_WORDS.has(x.low))
  if (at < 0 && words.length > 1) at = words.findIndex(isTypeAt)
  if (at < 0) return { type: null, atoms: words }
  return { type: words[at].marker!.canonical ?? null, atoms: words.filter((_, k) => k !== at) }
}

const FIRST_NUMBER = /\d+/
const ZEROS = /^0+$/

/**
 * The house as the SPEC reads it: «0» or a value with no digit is no house number. In Zelenograd buildings
 * are numbered as корпуса with no house («Зеленоград, к. 1106»): there the корпус is the house.
 */
function completeHouse(parts: AddressParts): AddressParts {
  if (parts.house !== null && ZEROS.test(FIRST_NUMBER.exec(parts.house)?.[0] ?? '0')) parts.house = null
  if (parts.house === null && parts.building !== null && cityKey(parts.city) === 'зеленоград') {
    parts.house = parts.building
    parts.building = null
  }
  return parts
}

// ---------------------------------------------------------------------------------------------
// The interpreter walks the atoms once. Markers («ул.», «г», «д.», «кв» …) claim the name words
// next to them: after them when a name follows («ул. Ленина»), before them when nothing follows
// («Ленина ул., 5»). Words no marker claims are loose phrases, assigned at the end by position:
// the one just before the house is the street, the one before the street is the city.

function interpret(a: Atom[]): AddressParts {
  return new Reader(a).read()
}

/** One pass over the atoms of one address; its state lives only for that pass. */
class Reader {
  private readonly a: Atom[]
  private postalCode: string | null = null
  private region: string | null = null
  private locality: Locality | null = null
  private readonly streets: StreetCandidate[] = []
  private readonly loose: Phrase[] = []
  private house: string | null = null
  private houseAt = -1
  private building: string | null = null
  private structure: string | null = null
  private apartment: string | null = null
  private litera: string | null = null
  private pending: Atom[] = []
  private pendingStart = -1

  constructor(atoms: Atom[]) {
    this.a = atoms
  }

  read(): AddressParts {
    const a = this.a
    const n = a.length
    let i = 0
    while (i < n) {
      const t = a[i]
      if (t.segStart) this.flush()

      if (t.kind === 'num') {
        if (this.postalCode === null && isPostalCode(a, i)) { this.postalCode = t.raw; i++; continue }
        if (isNameNumber(a, i)) { this.addPending(i); i++; continue }
        this.flush()
        i = this.takeNumber(i, i, false)
        continue
      }
      if (t.kind !== 'word' || t.noise) { i++; continue }

      const marker = t.marker
      const role = marker === undefined ? null : roleAt(a, i, marker)
      if (marker === undefined || role === null || (role === 'street' && this.isNamingTypeWord(i))) { this.addPending(i); i++; continue }
      i = NUMBER_ROLES.has(role) ? this.readNumberMarker(i, role) : this.readNamedMarker(i, role, marker)
    }
    this.flush()
    return this.assemble()
  }

  /**
   * «Набережная ул.», and «Набережная, д. 5» with no name: a type word that streets are named by is the name
   * when another type word follows it, and a name without a type when nothing names it; «Набережная реки
   * Фонтанки» and «Университетская набережная» stay embankments. («ул. Набережная»: see collectFollowing.)
   */
  private isNamingTypeWord(i: number): boolean {
    const a = this.a
    if (!NAMING_STREET_TYPE_WORDS.has(a[i].low)) return false
    const next = a[i + 1]
    if (next !== undefined && !next.segStart && next.kind === 'word' && next.marker?.role === 'street') return true
    return this.pending.length === 0 && collectFollowing(a, i, 'street').atoms.length === 0
  }

  private flush(): void {
    if (this.pending.length > 0) this.loose.push({ atoms: this.pending, start: this.pendingStart })
    this.pending = []
  }

  private addPending(idx: number): void {
    if (this.pending.length === 0) this.pendingStart = idx
    this.pending.push(this.a[idx])
  }

  /** «д. 5», «корп. 2», «стр. 1», «кв. 12», «лит. А», «подъезд 3»; returns the next index. */
  private readNumberMarker(i: number, role: MarkerRole): number {
    switch (role) {
      case 'house':
        this.flush()
        return this.takeNumber(i + 1, i, true)
      case 'building': {
        const [value, next] = readPartValue(this.a, i + 1)
        this.building = value
        return this.readTrailingFlat(next)
      }
      case 'structure': {
        const [value, next] = readPartValue(this.a, i + 1)
        this.structure = value
        return this.readTrailingFlat(next)
      }
      case 'flat': {
        const [value, next] = readUnit(this.a, i + 1, false)
        this.apartment = value
        return next
      }
      case 'litera':
        this.litera = this.a[i + 1].low.toUpperCase()
        return i + 2
      default: // skipNumber
        return i + 2
    }
  }

  /** A bare number: the house, or after the house the flat («Ленина 5, 12»). */
  private takeNumber(j: number, start: number, forced: boolean): number {
    const [value, next] = readUnit(this.a, j, true)
    if (this.house === null) {
      this.house = value
      this.houseAt = start
    } else if (!forced && this.apartment === null) {
      this.apartment = value
    }
    return this.readTrailingFlat(next)
  }

  /** «5к2-12»: a '-' and a number after a house part is the flat. */
  private readTrailingFlat(k: number): number {
    const a = this.a
    if (isSameSegment(a, k, 'dash') && isSameSegment(a, k + 1, 'num')) {
      const [value, next] = readUnit(a, k + 1, false)
      if (this.apartment === null) this.apartment = value
      return next
    }
    return k
  }

  /** Region, city, settlement, district or street marker with its name; returns the next index. */
  private readNamedMarker(i: number, role: MarkerRole, marker: Marker): number {
    const a = this.a
    const following = collectFollowing(a, i, role)
    let name: Atom[]
    let postfix: boolean
    if (this.pending.length > 0 && (following.atoms.length === 0 || prefersPostfix(role, this.pending))) {
      name = this.pending
      postfix = true
      this.pending = []
    } else if (role === 'street' && this.pending.length > 0 && this.pending.every(isOrdinal)) {
      // «3-я ул. Строителей»: the ordinal is written before the type, the name after it.
      name = this.pending.concat(following.atoms)
      postfix = false
      this.pending = []
    } else {
      this.flush()
      name = following.atoms
      postfix = false
    }
    let next = postfix ? i + 1 : following.end

    switch (role) {
      case 'region':
        if (this.region === null && name.length > 0) this.region = regionDisplay(marker.canonical!, name, postfix)
        break
      case 'city':
      case 'settlement':
        if (name.length > 0) this.locality = { atoms: name, end: next, prefix: !postfix }
        break
      case 'street': {
        const type = marker.canonical!
        if (name.length === 0 && NUMERIC_NAME_STREET_TYPES.has(type) && isSameSegment(a, i + 1, 'num')) {
          name = [a[i + 1]] // «мкр. 5, д. 12», «мкр. 3»
          next = i + 2
        }
        this.streets.push({ type, atoms: name, marker: i })
        break
      }
      default: // district: names no identity we keep
        break
    }
    return next
  }

  private assemble(): AddressParts {
    const n = this.a.length
    const { streets, loose, houseAt } = this
    let locality = this.locality

    // Choose the street: the last one written before the house («мкр. Северный, ул. Ленина, д. 5»).
    let street: StreetCandidate | null = null
    for (const s of streets) if (houseAt < 0 || s.marker < houseAt) street = s
    if (street === null && streets.length > 0) street = streets[0]!

    let streetType: string | null = null
    let streetAtoms: Atom[] = []
    let streetAt = houseAt < 0 ? n : houseAt
    if (street !== null) {
      streetType = street.type
      streetAtoms = street.atoms
      streetAt = street.marker
      // «г Москва Ленина ул 5» without commas: the city marker took the street name too.
      if (streetAtoms.length === 0 && locality !== null && locality.prefix && locality.end === street.marker && locality.atoms.length >= 2) {
        const cut = cityLength(locality.atoms)
        streetAtoms = locality.atoms.slice(cut)
        locality = { ...locality, atoms: locality.atoms.slice(0, cut) }
      }
    } else if (this.house !== null) {
      // No street type: the loose phrase just before the house is the street («г. Москва, Ленина 5»).
      let idx = -1
      for (let k = 0; k < loose.length; k++) if (loose[k].start < houseAt) idx = k
      // «Зеленоград, д. 1106», «Казань, 5»: a known city alone before the house is the city, not a street.
      if (idx >= 0 && locality === null && loose[idx].atoms.length === 1 && isKnownCity(loose[idx].atoms[0].low)) idx = -1
      if (idx >= 0) {
        const phrase = loose.splice(idx, 1)[0]
        streetAtoms = phrase.atoms
        streetAt = phrase.start
        // «Москва Ленина 5»: a known city in front of it.
        if (locality === null && streetAtoms.length >= 2 && CITY_ALIASES.has(streetAtoms[0].low)) {
          locality = { atoms: [streetAtoms[0]], end: phrase.start + 1, prefix: false }
          streetAtoms = streetAtoms.slice(1)
        }
      } else if (locality !== null && locality.prefix && locality.end === houseAt && locality.atoms.length >= 2) {
        // «г. Нижний Новгород Ленина 5»
        const cut = cityLength(locality.atoms)
        streetAtoms = locality.atoms.slice(cut)
        locality = { ...locality, atoms: locality.atoms.slice(0, cut) }
      }
    }

    let cityAtoms: Atom[] | null = null
    if (locality !== null) {
      cityAtoms = locality.atoms
    } else if (loose.length > 0) {
      // An unmarked locality: the last phrase before the street, else the first after it («…, д. 5, Москва»).
      let chosen: Phrase = loose[0]
      for (const p of loose) if (p.start < streetAt) chosen = p
      cityAtoms = chosen.atoms
    }
    let city: string | null = null
    if (cityAtoms !== null) {
      city = cityAtoms.length === 1 ? (CITY_ALIASES.get(cityAtoms[0].low) ?? null) : null
      city ??= display(cityAtoms)
    }

    let house = this.house
    if (this.litera !== null && house !== null && !endsWithLetter(house)) house += this.litera

    return {
      postalCode: this.postalCode,
      region: this.region,
      city,
      streetType,
      streetName: streetAtoms.length > 0 ? display(streetAtoms) : null,
      house,
      building: this.building,
      structure: this.structure,
      apartment: this.apartment,
    }
  }
}

function isKnownCity(word: string): boolean {
  return CITY_ALIASES.has(word) || KNOWN_CITIES.has(word)
}

/**
 * «ул. Ленинская Слобода», «ул. Покровское Село»: a settlement word written out in full at the end of a street's
 * name is part of it, not a settlement of its own.
 */
function isSettlementInName(a: Atom[], j: number, m: Marker): boolean {
  if (m.role !== 'settlement' || a[j].dot || a[j].low.length < 4) return false
  const after = a[j + 1]
  return after === undefined || after.segStart || after.kind === 'num'
}

/** «1-я», «3-й», «60-летия»: a word that starts with a number. */
function isOrdinal(x: Atom): boolean {
  const c = x.low.charCodeAt(0)
  return x.kind === 'word' && c >= 0x30 && c <= 0x39
}

function endsWithLetter(house: string): boolean {
  const c = house.charCodeAt(house.length - 1)
  return !(c >= 0x30 && c <= 0x39)
}

/** Number, letter («12А», «12 а», «12-а»), fraction («7/2»). Returns [value, next index]. */
function readUnit(a: Atom[], j: number, fraction: boolean): [string, number] {
  let value = stripZeros(a[j].raw)
  let k = j + 1
  let letter = readLetter(a, k)
  if (letter) { value += letter.value; k = letter.next }
  if (fraction && isSameSegment(a, k, 'slash') && isSameSegment(a, k + 1, 'num')) {
    value += '/' + stripZeros(a[k + 1].raw)
    k += 2
    letter = readLetter(a, k)
    if (letter) { value += letter.value; k = letter.next }
  }
  return [value, k]
}

/**
 * The role a marker word plays here, or null when it is just a word: «к» before «Маркса» is an
 * initial, «д» before a number is a house and before a name a village.
 */
function roleAt(a: Atom[], i: number, marker: Marker): MarkerRole | null {
  const next = a[i + 1]
  const nextInSegment = next !== undefined && !next.segStart ? next : undefined
  if (nextInSegment?.kind === 'num' && marker.numberRole !== undefined) return marker.numberRole
  // «Д. Бедного ул.»: a dotted letter before a name that a street type follows is an initial, not a village
  if (marker.role === 'settlement' && isInitialOfStreet(a, i)) return null
  if (!NUMBER_ROLES.has(marker.role)) return marker.role
  if (nextInSegment === undefined) return null
  switch (marker.role) {
    case 'litera': return isLetterAtom(nextInSegment) ? 'litera' : null
    case 'building':
    case 'structure':
      // «корп. Б» has a letter for a number; a lone «к»/«с» before a letter is an initial.
      if (nextInSegment.kind === 'num') return marker.role
      return a[i].low.length > 1 && isLetterAtom(nextInSegment) ? marker.role : null
    default:
      return nextInSegment.kind === 'num' ? marker.role : null
  }
}

/**
 * A single dotted letter, one name word and a street type written after it, then the end of the segment or
 * the house number: «Д. Бедного ул., 3». Not «д. Грибки, ул. Центральная» nor «д. Грибки Центральная ул».
 */
function isInitialOfStreet(a: Atom[], i: number): boolean {
  if (a[i].low.length !== 1 || !a[i].dot) return false
  const word = a[i + 1]
  const type = a[i + 2]
  if (!word || word.segStart || word.kind !== 'word' || word.marker !== undefined || word.noise) return false
  if (!type || type.segStart || type.kind !== 'word' || type.marker?.role !== 'street') return false
  const after = a[i + 3]
  return after === undefined || after.segStart || after.kind === 'num'
}

/**
 * How many of the words a city marker took without a comma are the city: a known city's own words
 * («г Москва Маршала Рокоссовского ул» → Москва; «г Нижний Новгород Ленина 5» → Нижний Новгород), else all
 * but the last (an unknown city of two words and a one-word street).
 */
function cityLength(atoms: Atom[]): number {
  const words = atoms.map((x) => x.low)
  for (const city of MULTIWORD_CITIES) {
    if (city.length < words.length && city.every((w, k) => words[k] === w)) return city.length
  }
  if (CITY_ALIASES.has(words[0]) || KNOWN_CITIES.has(words[0])) return 1
  return atoms.length - 1
}

/** The name words after a named marker, up to a comma, another marker or a house number. */
function collectFollowing(a: Atom[], i: number, role: MarkerRole): { atoms: Atom[]; end: number } {
  const atoms: Atom[] = []
  let j = i + 1
  while (j < a.length) {
    const x = a[j]
    if (x.segStart) break
    if (x.kind === 'word') {
      if (x.noise) { j++; continue }
      const m = x.marker
      // «ул. Д. Бедного»: right after a street type a dotted letter is an initial, not a village.
      const initial = role === 'street' && atoms.length === 0 && x.low.length === 1 && x.dot
      const inName = role === 'street' && atoms.length > 0 && m !== undefined && isSettlementInName(a, j, m)
      // «ул. Набережная»: right after a street type a type word that streets are named by is the name.
      const named = role === 'street' && atoms.length === 0 && m?.role === 'street' && NAMING_STREET_TYPE_WORDS.has(x.low)
      if (m !== undefined && !initial && !inName && !named && roleAt(a, j, m) !== null) break
      atoms.push(x)
      j++
      continue
    }
    if (x.kind === 'num' && isNameNumber(a, j)) { atoms.push(x); j++; continue }
    break
  }
  return { atoms, end: j }
}

/** Both sides have words: «Московская обл. Подольск» is postfix, «Респ. Татарстан» and «г Москва ул Ленина» prefix. */
function prefersPostfix(role: MarkerRole, pending: Atom[]): boolean {
  if (role !== 'region' && role !== 'district') return false
  return ADJECTIVE_ENDING.test(pending[pending.length - 1].low)
}

function regionDisplay(kind: string, name: Atom[], postfix: boolean): string {
  const n = display(name)
  switch (kind) {
    case 'обл': return `${n} обл.`
    case 'край': return `${n} край`
    case 'ао': return `${n} АО`
    default: // республика: «Чувашская Республика», «Республика Татарстан»
      return postfix && ADJECTIVE_ENDING.test(name[name.length - 1].low) ? `${n} Республика` : `Республика ${n}`
  }
}

/** A number that starts a name: «8 Марта», «50 лет Октября», not «5 кв 12» nor «12 А». */
function isNameNumber(a: Atom[], i: number): boolean {
  const next = a[i + 1]
  return next !== undefined && !next.segStart && next.kind === 'word' && next.low.length >= 2 &&
    next.marker === undefined && !next.noise
}

/** 6 digits anywhere; 5 or 7 digits at the very start are a mistyped postal code, kept raw. */
function isPostalCode(a: Atom[], i: number): boolean {
  const len = a[i].raw.length
  return len === 6 || (i === 0 && (len === 5 || len === 7))
}

function isSameSegment(a: Atom[], k: number, kind: Atom['kind']): boolean {
  const x = a[k]
  return x !== undefined && x.kind === kind && !x.segStart
}

function isLetterAtom(x: Atom): boolean {
  return x.kind === 'word' && x.low.length === 1 && x.low >= 'а' && x.low <= 'я'
}

/** A house letter after the number: «12А», «12 а», «12-а»; not «5 к 2» nor «5 г. Москва». */
function readLetter(a: Atom[], k: number): { value: string; next: number } | null {
  const x = a[k]
  if (x === undefined || x.segStart) return null
  if (x.kind === 'dash' && x.glued) {
    const y = a[k + 1]
    if (y !== undefined && y.glued && isLetterAtom(y) && !isMarkerInUse(a, k + 1)) return { value: y.low.toUpperCase(), next: k + 2 }
    return null
  }
  if (isLetterAtom(x) && !isMarkerInUse(a, k)) return { value: x.low.toUpperCase(), next: k + 1 }
  return null
}

function isMarkerInUse(a: Atom[], k: number): boolean {
  const m = a[k].marker
  if (m === undefined) return false
  const next = a[k + 1]
  if (next === undefined || next.segStart) return false
  return next.kind === 'num' || (next.kind === 'word' && next.low.length >= 2 && roleAt(a, k, m) !== null)
}

/** корпус / строение value: «2», «2А», or a letter alone («корп. Б»). */
function readPartValue(a: Atom[], j: number): [string, number] {
  const x = a[j]
  if (x.kind !== 'num') return [x.low.toUpperCase(), j + 1]
  let value = stripZeros(x.raw)
  let k = j + 1
  const letter = readLetter(a, k)
  if (letter) { value += letter.value; k = letter.next }
  return [value, k]
}

function stripZeros(digits: string): string {
  let k = 0
  while (k < digits.length - 1 && digits.charCodeAt(k) === 0x30) k++
  return k === 0 ? digits : digits.slice(k)
}

/** Words as written, an initial keeps its dot: «М. Горького», «1-я Тверская-Ямская». */
function display(atoms: Atom[]): string {
  let s = ''
  for (const x of atoms) {
    if (s !== '') s += ' '
    s += x.raw
    if (x.dot && x.kind === 'word' && x.low.length === 1) s += '.'
  }
  return s
}
