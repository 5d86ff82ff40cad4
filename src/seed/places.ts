// Places and the way people write them. Every generated address is a distinct
// place by construction: a per-city counter maps bijectively onto
// (street, house, flat), so two addresses can only denote the same place when a
// plant makes them do so on purpose.
import { Faker, base, ru } from '@faker-js/faker'
import { hash32, type Rng } from './random.ts'

export type StreetType = 'ul' | 'prt' | 'per' | 'blvd' | 'sh'

interface StreetTypeDef {
  gender: 'f' | 'm' | 'n'
  /** Abbreviations with punctuation, as in «ул.», «пр-т», «просп.». */
  short: string[]
  /** Abbreviations that need no dot, usable in the bare «г Казань пр-т Победы д 7» style. */
  bare: string[]
  long: string
}

const STREET_TYPES: Record<StreetType, StreetTypeDef> = {
  ul: { gender: 'f', short: ['ул.'], bare: ['ул'], long: 'улица' },
  prt: { gender: 'm', short: ['пр-т', 'просп.'], bare: ['пр-т'], long: 'проспект' },
  per: { gender: 'm', short: ['пер.'], bare: [], long: 'переулок' },
  blvd: { gender: 'm', short: ['б-р', 'бул.'], bare: ['б-р'], long: 'бульвар' },
  sh: { gender: 'n', short: ['ш.'], bare: [], long: 'шоссе' },
}

export interface City {
  id: number
  market: string
  name: string
  /** Spellings of the region; empty for federal cities (Москва, Санкт-Петербург). */
  regionForms: string[]
  innRegion: string
  postalBase: number
  postalSpan: number
  /** Share of the market's addresses. */
  share: number
  capital: boolean
  landlineCodes: string[]
  mobileCodes: string[]
}

export const MARKET_WEIGHTS: Record<string, number> = { MSK: 0.4, SPB: 0.25, KZN: 0.12, NSK: 0.12, EKB: 0.11 }

const MSK_MOBILE = ['903', '905', '909', '915', '916', '917', '925', '926', '929', '977', '985', '999']

export const CITIES: readonly City[] = [
  { id: 0, market: 'MSK', name: 'Москва', regionForms: [], innRegion: '77', postalBase: 101000, postalSpan: 28000, share: 0.85, capital: true, landlineCodes: ['495', '499'], mobileCodes: MSK_MOBILE },
  { id: 1, market: 'MSK', name: 'Химки', regionForms: ['Московская обл.', 'Московская область'], innRegion: '50', postalBase: 141400, postalSpan: 100, share: 0.08, capital: false, landlineCodes: ['498'], mobileCodes: MSK_MOBILE },
  { id: 2, market: 'MSK', name: 'Подольск', regionForms: ['Московская обл.', 'Московская область'], innRegion: '50', postalBase: 142100, postalSpan: 100, share: 0.07, capital: false, landlineCodes: ['496'], mobileCodes: MSK_MOBILE },
  { id: 3, market: 'SPB', name: 'Санкт-Петербург', regionForms: [], innRegion: '78', postalBase: 190000, postalSpan: 9000, share: 0.9, capital: true, landlineCodes: ['812'], mobileCodes: ['911', '921', '931', '952', '981', '904'] },
  { id: 4, market: 'SPB', name: 'Всеволожск', regionForms: ['Ленинградская обл.', 'Ленинградская область'], innRegion: '47', postalBase: 188640, postalSpan: 50, share: 0.1, capital: false, landlineCodes: ['813'], mobileCodes: ['911', '921', '931', '952'] },
  { id: 5, market: 'KZN', name: 'Казань', regionForms: ['Республика Татарстан', 'Респ. Татарстан'], innRegion: '16', postalBase: 420000, postalSpan: 140, share: 0.85, capital: true, landlineCodes: ['843'], mobileCodes: ['917', '927', '937', '960', '987', '986'] },
  { id: 6, market: 'KZN', name: 'Зеленодольск', regionForms: ['Республика Татарстан', 'Респ. Татарстан'], innRegion: '16', postalBase: 422540, postalSpan: 20, share: 0.15, capital: false, landlineCodes: ['843'], mobileCodes: ['917', '927', '937'] },
  { id: 7, market: 'NSK', name: 'Новосибирск', regionForms: ['Новосибирская обл.', 'Новосибирская область'], innRegion: '54', postalBase: 630000, postalSpan: 130, share: 0.88, capital: true, landlineCodes: ['383'], mobileCodes: ['913', '923', '953', '961', '983'] },
  { id: 8, market: 'NSK', name: 'Бердск', regionForms: ['Новосибирская обл.', 'Новосибирская область'], innRegion: '54', postalBase: 633000, postalSpan: 12, share: 0.12, capital: false, landlineCodes: ['383'], mobileCodes: ['913', '923', '953'] },
  { id: 9, market: 'EKB', name: 'Екатеринбург', regionForms: ['Свердловская обл.', 'Свердловская область'], innRegion: '66', postalBase: 620000, postalSpan: 150, share: 0.88, capital: true, landlineCodes: ['343'], mobileCodes: ['912', '922', '902', '950', '982', '919'] },
  { id: 10, market: 'EKB', name: 'Берёзовский', regionForms: ['Свердловская обл.', 'Свердловская область'], innRegion: '66', postalBase: 623700, postalSpan: 5, share: 0.12, capital: false, landlineCodes: ['343'], mobileCodes: ['912', '922', '902'] },
]

export function citiesOf(market: string): City[] {
  return CITIES.filter((c) => c.market === market)
}

const GENITIVE_NAMES = [
  'Ленина', 'Гагарина', 'Мира', 'Пушкина', 'Лермонтова', 'Чехова', 'Горького', 'Кирова', 'Победы', 'Мичурина',
  'Чапаева', 'Куйбышева', 'Свердлова', 'Калинина', 'Фрунзе', 'Маршала Жукова', 'Карла Маркса', 'Энгельса',
  'Дзержинского', 'Маяковского', 'Гоголя', 'Льва Толстого', 'Некрасова', 'Тургенева', 'Островского', 'Суворова',
  'Кутузова', 'Ломоносова', 'Менделеева', 'Павлова', 'Циолковского', 'Королёва', 'Титова', 'Терешковой',
  'Космонавтов', 'Строителей', 'Энтузиастов', 'Металлургов', 'Шахтёров', 'Дружбы', 'Свободы', 'Героев', 'Чкалова',
  'Фурманова', 'Щорса', 'Орджоникидзе', 'Крупской', 'Луначарского', 'Ватутина', 'Матросова', 'Гастелло',
  'Декабристов', 'Партизан', 'Труда', 'Челюскинцев', 'Есенина', 'Блока', 'Цветаевой', 'Шолохова', 'Достоевского',
  'Вернадского', 'Баумана', 'Академика Павлова', 'Маршала Рокоссовского', 'Юности', 'Мусы Джалиля', 'Володарского',
  'Урицкого', 'Белинского', 'Гончарова', 'Добролюбова', 'Чернышевского', 'Радищева', 'Жуковского', 'Крылова',
  'Тимирязева', 'Попова', 'Бородина', 'Глинки', 'Рахманинова', 'Лётчиков', 'Полководцев',
]

const YO_STREETS: Record<string, string> = {
  Молодежная: 'Молодёжная', Зеленая: 'Зелёная', Озерная: 'Озёрная', Березовая: 'Берёзовая', Таежная: 'Таёжная',
  Звездная: 'Звёздная', Веселая: 'Весёлая', Приозерная: 'Приозёрная', Заозерная: 'Заозёрная',
  Шахтерская: 'Шахтёрская', Черемуховая: 'Черёмуховая',
}

// Words that are street types or region names themselves would make honest
// addresses ambiguous («Набережная наб.», «Московская ул.» beside «Московская обл.»).
const EXCLUDED_ADJECTIVES = new Set([
  'Набережная', 'Бульварная', 'Шоссейная', 'Проезжая', 'Большая', 'Малая',
  'Московская', 'Ленинградская', 'Новосибирская', 'Свердловская',
])

interface Adjective { f: string; m: string; n: string }

function adjectiveForms(fem: string): Adjective | null {
  if (fem.endsWith('няя')) { const stem = fem.slice(0, -3); return { f: fem, m: stem + 'ний', n: stem + 'нее' } }
  if (/[кгх]ая$/.test(fem)) { const stem = fem.slice(0, -2); return { f: fem, m: stem + 'ий', n: stem + 'ое' } }
  if (/[жшчщць]ая$/.test(fem)) return null
  if (fem.endsWith('ая')) { const stem = fem.slice(0, -2); return { f: fem, m: stem + 'ый', n: stem + 'ое' } }
  return null
}

export interface Street {
  index: number
  type: StreetType
  /** Canonical spelling, «ё» included where it belongs. */
  name: string
  /** Genitive names («Ленина») read naturally after the type; adjectives («Садовая») before it. */
  genitive: boolean
  /** A street of private houses: addresses there have no flat. */
  private: boolean
}

/** Comparable form of a name: lower case, «ё» as «е». */
export function foldName(s: string): string {
  return s.toLowerCase().replaceAll('ё', 'е')
}

export interface Place {
  city: City
  street: Street
  house: string
  building: string | null
  flat: number | null
  postal: string
}

/** The streets of one city and the counter that hands out its places. */
export class CityPlaces {
  readonly streets: Street[]
  /** Pairs of streets with one name and two types («ул. Ленина» / «пр-т Ленина»). */
  readonly sisters: [number, number][] = []
  private readonly apartmentStreets: number[]
  /** The order in which the counter walks the streets, so the first places are not all on the first street. */
  private readonly walk: number[]
  private counter = 0
  private reservedCounter = 0
  private houselessCursor = 0

  constructor(readonly city: City, streets: Street[], readonly houses: number, rng: Rng) {
    this.streets = streets
    this.walk = rng.shuffle(streets.map((s) => s.index))
    this.apartmentStreets = streets.filter((s) => !s.private).map((s) => s.index)
    const byName = new Map<string, number>()
    for (const s of streets) {
      if (s.private) continue
      const key = foldName(s.name)
      const other = byName.get(key)
      if (other !== undefined && streets[other].type !== s.type) this.sisters.push([other, s.index])
      else byName.set(key, s.index)
    }
  }

  /** The next unused place of the city. */
  next(): Place {
    const S = this.streets.length
    for (;;) {
      const c = this.counter++
      const street = this.streets[this.walk[c % S]]
      const q = Math.floor(c / S)
      const house = q % this.houses
      const flat = Math.floor(q / this.houses)
      if (street.private && flat > 0) continue
      return this.place(street, house, street.private ? null : flat)
    }
  }

  /** A house no counter place will ever use, for plants that need several flats of one house. */
  reserveHouse(street?: Street): { street: Street; house: number } {
    const s = street ?? this.streets[this.apartmentStreets[hash32(this.city.id, this.reservedCounter) % this.apartmentStreets.length]]
    return { street: s, house: this.houses + this.reservedCounter++ }
  }

  /** A street that no other houseless address uses yet, or null when all are taken. */
  nextHouselessStreet(): Street | null {
    if (this.houselessCursor >= this.streets.length) return null
    return this.streets[this.houselessCursor++]
  }

  /** A fresh place on a street whose name has «ё». */
  nextYoPlace(): Place {
    const candidates = this.apartmentStreets.filter((i) => this.streets[i].name.includes('ё'))
    const { street, house } = this.reserveHouse(this.streets[candidates[this.reservedCounter % candidates.length]])
    return this.place(street, house, 0)
  }

  place(street: Street, house: number, flatIndex: number | null): Place {
    const h = hash32(this.city.id, street.index, house)
    const reserved = house >= this.houses
    const number = reserved ? 2 * house + 1 : 2 * house + 1 + ((street.index + house) & 1)
    const building = !reserved && !street.private && h % 9 === 0 ? String(1 + ((h >>> 8) % 3)) : null
    let flat: number | null = null
    if (flatIndex !== null) {
      const step = 1 + ((h >>> 12) % 3)
      flat = flatIndex * step + 1 + ((h >>> 16) % step)
    }
    const postal = this.city.postalBase + (hash32(this.city.id, street.index, Math.floor(house / 4)) % this.city.postalSpan)
    return { city: this.city, street, house: String(number), building, flat, postal: String(postal).padStart(6, '0') }
  }
}

/** All cities with their streets, sized so that houses hold several flats at the given scale. */
export function buildPlaces(seed: number, rng: Rng, scale: number): CityPlaces[] {
  const faker = new Faker({ locale: [ru, base] })
  faker.seed(seed + 1)
  const raw = (faker.rawDefinitions.location?.street_name_part ?? [])
  const adjectives = raw
    .filter((n) => !EXCLUDED_ADJECTIVES.has(n))
    .map((n) => adjectiveForms(YO_STREETS[n] ?? n))
    .filter((a): a is Adjective => a !== null)
  if (adjectives.length < 50) throw new Error('faker ru locale lacks street names')
  return CITIES.map((city) => {
    const count = city.capital ? 200 : 60
    const streets = buildStreets(rng, city, count, adjectives)
    const expected = scale * MARKET_WEIGHTS[city.market] * city.share
    const houses = Math.max(2, Math.min(300, Math.ceil(expected / (streets.length * 8))))
    return new CityPlaces(city, streets, houses, rng)
  })
}

function buildStreets(rng: Rng, city: City, count: number, adjectives: Adjective[]): Street[] {
  const streets: Street[] = []
  const seen = new Set<string>()
  const add = (type: StreetType, name: string, genitive: boolean, isPrivate: boolean) => {
    const key = `${type}|${foldName(name)}`
    if (seen.has(key) || streets.length >= count) return false
    seen.add(key)
    streets.push({ index: streets.length, type, name, genitive, private: isPrivate })
    return true
  }
  const otherType = (t: StreetType): StreetType => t === 'ul' ? rng.pick<StreetType>(['prt', 'per', 'blvd']) : 'ul'
  // Each city gets «ё» streets and same-name sisters, so plants and hard negatives always find them.
  add('ul', 'Королёва', true, false)
  add('prt', 'Королёва', true, false)
  add('ul', 'Зелёная', false, false)
  add('ul', 'Ленина', true, false)
  add('prt', 'Ленина', true, false)
  const genitives = rng.shuffle([...GENITIVE_NAMES])
  const genCount = Math.round(count * 0.35)
  for (const name of genitives) {
    if (streets.length >= genCount) break
    const type = rng.weighted<StreetType>([['ul', 70], ['prt', 12], ['per', 8], ['blvd', 5], ['sh', 5]])
    if (add(type, name, true, false) && rng.chance(0.25)) add(otherType(type), name, true, false)
  }
  const pool = rng.shuffle([...adjectives])
  for (const adj of pool) {
    if (streets.length >= count) break
    const type = rng.weighted<StreetType>([['ul', 60], ['per', 15], ['prt', 10], ['blvd', 7], ['sh', 8]])
    const gender = STREET_TYPES[type].gender
    const name = gender === 'f' ? adj.f : gender === 'm' ? adj.m : adj.n
    add(type, name, false, !city.capital && (type === 'ul' || type === 'per') && rng.chance(0.3))
  }
  return streets
}

// --- writing addresses -----------------------------------------------------

/** The knobs of one way of writing an address; duplicates flip some of them. */
export interface AddressStyle {
  bare: boolean
  postal: boolean
  region: boolean
  cityPrefix: boolean
  typeAfter: boolean
  typeForm: 'short' | 'long' | 'alt'
  houseForm: 'd' | 'dom' | 'bare'
  buildingForm: 'korp' | 'k' | 'korpus' | 'glued'
  flatForm: 'kv' | 'kvartira' | 'dash'
  letterCase: 'normal' | 'lower' | 'upper'
  keepYo: boolean
  components: boolean
  regionForm: number
}

export function randomStyle(rng: Rng, street: Street): AddressStyle {
  const bare = rng.chance(0.15)
  return {
    bare,
    postal: rng.chance(0.25),
    region: rng.chance(0.3),
    cityPrefix: rng.chance(0.65),
    typeAfter: rng.chance(street.genitive ? 0.12 : 0.45),
    typeForm: rng.weighted([['short', 70], ['long', 22], ['alt', 8]] as const),
    houseForm: rng.weighted([['d', 55], ['dom', 10], ['bare', 35]] as const),
    buildingForm: rng.weighted([['korp', 35], ['k', 25], ['korpus', 10], ['glued', 30]] as const),
    flatForm: rng.weighted([['kv', 75], ['kvartira', 8], ['dash', 17]] as const),
    letterCase: rng.weighted([['normal', 90], ['lower', 7], ['upper', 3]] as const),
    keepYo: rng.chance(0.65),
    components: rng.chance(0.4),
    regionForm: rng.int(2),
  }
}

/** One row of addresses.csv minus its key. */
export interface AddressRecord {
  text: string
  region: string | null
  city: string | null
  street: string | null
  house: string | null
  building: string | null
  apartment: string | null
  postal: string | null
}

function typeToken(type: StreetType, style: AddressStyle): string {
  const def = STREET_TYPES[type]
  if (style.typeForm === 'long') return def.long
  if (style.bare) return def.bare[0] ?? def.long
  return style.typeForm === 'alt' ? def.short[def.short.length - 1] : def.short[0]
}

export function streetText(street: Street, style: AddressStyle): string {
  const tok = typeToken(street.type, style)
  // Without commas, «г Москва Маршала Рокоссовского ул» cannot say where the city ends; people
  // who skip punctuation put the type first there («г Москва ул Маршала Рокоссовского»).
  const after = style.typeAfter && !(style.bare && street.name.includes(' '))
  return after ? `${street.name} ${tok}` : `${tok} ${street.name}`
}

export interface RenderOptions {
  /** Leave the house (and flat) out: an incomplete address. */
  noHouse?: boolean
  /** Postal code to write instead of the place's own (e.g. a malformed one). */
  postal?: string
}

/** Writes a place as a person would type it, with the registry's components when the style keeps them. */
export function renderAddress(place: Place, style: AddressStyle, opts: RenderOptions = {}): AddressRecord {
  const { city, street } = place
  const postal = opts.postal ?? place.postal
  const region = city.regionForms.length > 0 ? city.regionForms[style.regionForm % city.regionForms.length] : null
  const parts: string[] = []
  if (style.postal) parts.push(postal)
  if (style.region && region) parts.push(region)
  // Without commas only the «г» marker tells «Москва Тенистый пр-т» from a street named «Москва Тенистый».
  parts.push(style.bare ? `г ${city.name}` : style.cityPrefix ? `г. ${city.name}` : city.name)
  parts.push(streetText(street, style))
  if (!opts.noHouse) {
    const glued = place.building !== null && style.buildingForm === 'glued'
    const dash = place.flat !== null && style.flatForm === 'dash'
    const houseForm = dash ? 'bare' : style.houseForm
    let house = glued ? `${place.house}к${place.building}` : place.house
    if (dash) house += `-${place.flat}`
    const houseWord = houseForm === 'bare' ? '' : houseForm === 'dom' ? 'дом ' : style.bare ? 'д ' : 'д. '
    parts.push(houseWord + house)
    if (place.building !== null && !glued) {
      const word = style.buildingForm === 'korpus' ? 'корпус' : style.buildingForm === 'k' ? (style.bare ? 'к' : 'к.') : (style.bare ? 'корп' : 'корп.')
      parts.push(`${word} ${place.building}`)
    }
    if (place.flat !== null && !dash) {
      const word = style.flatForm === 'kvartira' ? 'квартира' : style.bare ? 'кв' : 'кв.'
      parts.push(`${word} ${place.flat}`)
    }
  }
  let text = parts.join(style.bare ? ' ' : ', ')
  if (!style.keepYo) text = text.replaceAll('ё', 'е').replaceAll('Ё', 'Е')
  if (style.letterCase === 'lower') text = text.toLowerCase()
  else if (style.letterCase === 'upper') text = text.toUpperCase()
  if (!style.components) {
    return { text, region: null, city: null, street: null, house: null, building: null, apartment: null, postal: null }
  }
  const yo = (s: string) => (style.keepYo ? s : s.replaceAll('ё', 'е'))
  const registryStyle: AddressStyle = { ...style, bare: false }
  return {
    text,
    region,
    city: yo(city.name),
    street: yo(streetText(street, registryStyle)),
    house: opts.noHouse ? null : place.house,
    building: opts.noHouse ? null : place.building,
    apartment: opts.noHouse || place.flat === null ? null : String(place.flat),
    postal,
  }
}

type Axis = 'typeAfter' | 'typeForm' | 'houseForm' | 'flatForm' | 'prefix' | 'case' | 'yo' | 'punct' | 'components'

/**
 * Two or more different spellings of one place, as distinct registry records
 * would have them: type after the name, «улица» for «ул.», «д.» or a bare
 * number, «кв.» or «-12», a leading postal code and region, case, «ё».
 */
export function duplicateStyles(rng: Rng, place: Place, count: number, mustFlip?: Axis): AddressStyle[] {
  const baseStyle = randomStyle(rng, place.street)
  const styles = [baseStyle]
  const texts = new Set([renderAddress(place, baseStyle).text])
  const axes: Axis[] = ['typeAfter', 'typeForm', 'houseForm', 'flatForm', 'prefix', 'case', 'punct', 'components']
  if (/ё/.test(place.street.name + place.city.name)) axes.push('yo')
  for (let attempt = 0; styles.length < count && attempt < 100; attempt++) {
    const s: AddressStyle = { ...baseStyle }
    const flips = new Set<Axis>([attempt === 0 && mustFlip ? mustFlip : rng.pick(axes)])
    if (rng.chance(0.5)) flips.add(rng.pick(axes))
    for (const axis of flips) flip(s, axis, place)
    const text = renderAddress(place, s).text
    if (texts.has(text)) continue
    texts.add(text)
    styles.push(s)
  }
  return styles
}

function flip(s: AddressStyle, axis: Axis, place: Place): void {
  switch (axis) {
    case 'typeAfter': s.typeAfter = !s.typeAfter; break
    case 'typeForm': s.typeForm = s.typeForm === 'long' ? 'short' : 'long'; break
    case 'houseForm': s.houseForm = s.houseForm === 'bare' ? 'd' : 'bare'; if (s.flatForm === 'dash') s.flatForm = 'kv'; break
    case 'flatForm':
      if (place.flat === null) { s.houseForm = s.houseForm === 'bare' ? 'dom' : 'bare'; break }
      if (s.flatForm === 'dash') s.flatForm = 'kv'
      else { s.flatForm = 'dash'; s.houseForm = 'bare' }
      break
    case 'prefix':
      if (s.postal || s.region) { s.postal = false; s.region = false } else { s.postal = true; s.region = place.city.regionForms.length > 0 }
      break
    case 'case': s.letterCase = s.letterCase === 'normal' ? (place.flat !== null && place.flat % 2 === 0 ? 'upper' : 'lower') : 'normal'; break
    case 'yo': s.keepYo = !s.keepYo; break
    case 'punct': s.bare = !s.bare; break
    case 'components': s.components = !s.components; break
  }
}
