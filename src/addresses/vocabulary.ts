// The words people use in Russian addresses: markers of each address level, their canonical forms, noise.
// Keys are folded (lower case, 'ё' → 'е', no trailing dot); compound abbreviations keep their inner '-'/'.'.

/** What a marker word introduces. */
export type MarkerRole =
  | 'region' | 'city' | 'settlement' | 'district' | 'street'
  | 'house' | 'building' | 'structure' | 'flat' | 'litera' | 'skipNumber'

export interface Marker {
  role: MarkerRole
  /** For a street: canonical type ('ул', 'пр-т' …); for a region: the kind ('обл', 'край', 'респ', 'ао'). */
  canonical?: string
  /** The role the word has when a number follows it: «д. 5» is a house, «д. Ивановка» a village. */
  numberRole?: MarkerRole
}

/** Roles that take a number (or a letter) and not a name. */
export const NUMBER_ROLES: ReadonlySet<MarkerRole> = new Set<MarkerRole>(['house', 'building', 'structure', 'flat', 'litera', 'skipNumber'])

/** Street types whose name is often only a number: «мкр. 5, д. 12», «линия 5». */
export const NUMERIC_NAME_STREET_TYPES: ReadonlySet<string> = new Set(['мкр', 'кв-л', 'линия'])

/**
 * Street type words that are also adjectives streets are named by: «ул. Набережная», «Набережная улица». Next to
 * another type word such a word is the name; alone and without a name it is a name with no type («Набережная,
 * д. 5»). The other type words are nouns; the adjectives made from them («Бульварная», «Шоссейная», «Проездная»)
 * are no type words and read as names anyway.
 */
export const NAMING_STREET_TYPE_WORDS: ReadonlySet<string> = new Set(['набережная'])

const STREET_TYPES: Record<string, readonly string[]> = {
  'ул': ['ул', 'улица', 'ул-ца'],
  'пр-т': ['пр-т', 'пр-кт', 'пркт', 'просп', 'проспект', 'пр', 'прос'],
  'пер': ['пер', 'переулок', 'пер-к'],
  'б-р': ['б-р', 'бул', 'бульв', 'бульвар'],
  'ш': ['ш', 'шоссе', 'ш-се'],
  'пл': ['пл', 'площадь', 'пл-дь'],
  'наб': ['наб', 'набережная', 'н-я'],
  'проезд': ['проезд', 'пр-д', 'пр-зд', 'прд'],
  'туп': ['туп', 'тупик'],
  'мкр': ['мкр', 'мкрн', 'мкр-н', 'микрорайон', 'мк-н', 'м-н'],
  'аллея': ['аллея', 'ал-я'],
  'линия': ['линия', 'лин'],
  'кв-л': ['кв-л', 'квартал', 'квл'],
  'тракт': ['тракт', 'тр-т'],
  'дор': ['дорога', 'дор'],
  'спуск': ['спуск'],
  'просек': ['просек', 'просека'],
  'въезд': ['въезд'],
}

const REGION_KINDS: Record<string, readonly string[]> = {
  'обл': ['обл', 'область'],
  'край': ['край'],
  'респ': ['респ', 'республика'],
  'ао': ['ао', 'аобл', 'а.о'],
}

const SIMPLE: Array<[MarkerRole, readonly string[]]> = [
  ['city', ['г', 'город', 'гор']],
  ['settlement', ['пос', 'поселок', 'п', 'пгт', 'рп', 'р.п', 'село', 'дер', 'деревня', 'ст-ца', 'станица', 'х', 'хутор', 'снт', 'аул', 'сл', 'слобода', 'тер', 'территория']],
  ['district', ['р-н', 'район', 'г.о', 'го', 'м.о', 'мо', 'с.п', 'г.п', 'поселение', 'округ']],
  ['house', ['дом', 'вл', 'влд', 'владение', 'домовладение']],
  ['building', ['корп', 'корпус', 'кор', 'к']],
  ['structure', ['стр', 'строение', 'соор', 'сооружение']],
  ['flat', ['кв', 'квартира', 'оф', 'офис', 'пом', 'помещение']],
  ['litera', ['лит', 'литер', 'литера']],
  ['skipNumber', ['подъезд', 'под', 'этаж', 'эт']],
]

function buildMarkers(): Map<string, Marker> {
  const markers = new Map<string, Marker>()
  for (const [canonical, words] of Object.entries(STREET_TYPES)) {
    for (const w of words) markers.set(w, { role: 'street', canonical })
  }
  for (const [canonical, words] of Object.entries(REGION_KINDS)) {
    for (const w of words) markers.set(w, { role: 'region', canonical })
  }
  for (const [role, words] of SIMPLE) {
    for (const w of words) markers.set(w, { role })
  }
  // One letter, two meanings: a number follows a house part, a name follows a settlement.
  markers.set('д', { role: 'settlement', numberRole: 'house' })
  markers.set('с', { role: 'settlement', numberRole: 'structure' })
  // «п. 3» is a подъезд or a помещение, never part of the place's identity we can rely on.
  markers.set('п', { role: 'settlement', numberRole: 'skipNumber' })
  return markers
}

export const MARKERS: ReadonlyMap<string, Marker> = buildMarkers()

/** Words that carry no identity: the country, «им.» in «ул. им. Ленина», SPb area suffixes «В.О.», «П.С.». */
export const NOISE: ReadonlySet<string> = new Set([
  'россия', 'рф', 'российская', 'федерация', 'им', 'имени', 'в.о', 'п.с',
])

/** Endings of ordinal numerals: «1-я», «2-й», «3-го», «1я». */
export const ORDINAL_SUFFIXES: ReadonlySet<string> = new Set([
  'я', 'й', 'ая', 'яя', 'ья', 'ой', 'ий', 'ый', 'ое', 'ее', 'ые', 'ого', 'его', 'го', 'х', 'ых', 'ти', 'ми',
])

/** Cities written in a short or colloquial way, by folded single word → canonical display. */
export const CITY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['москва', 'Москва'],
  ['мск', 'Москва'],
  ['санкт-петербург', 'Санкт-Петербург'],
  ['спб', 'Санкт-Петербург'],
  ['с-пб', 'Санкт-Петербург'],
  ['питер', 'Санкт-Петербург'],
  ['севастополь', 'Севастополь'],
])

/**
 * Large cities by their folded one-word name: where a city marker took more words than the city
 * («г Казань Баумана ул»), these end it. Not a gazetteer: unknown cities keep the general reading.
 */
export const KNOWN_CITIES: ReadonlySet<string> = new Set([
  'москва', 'санкт-петербург', 'севастополь', 'казань', 'новосибирск', 'екатеринбург', 'самара', 'омск',
  'челябинск', 'ростов-на-дону', 'уфа', 'красноярск', 'пермь', 'воронеж', 'волгоград', 'краснодар',
  'саратов', 'тюмень', 'тольятти', 'ижевск', 'барнаул', 'ульяновск', 'иркутск', 'хабаровск', 'ярославль',
  'владивосток', 'махачкала', 'томск', 'оренбург', 'кемерово', 'новокузнецк', 'рязань', 'астрахань',
  'пенза', 'липецк', 'калининград', 'тула', 'киров', 'чебоксары', 'курск', 'брянск', 'иваново',
  'магнитогорск', 'тверь', 'ставрополь', 'белгород', 'сочи', 'архангельск', 'владимир', 'калуга',
  'смоленск', 'мурманск', 'вологда', 'якутск', 'подольск', 'химки', 'балашиха', 'зеленоград',
])

/** Cities of more than one word, folded word by word. */
export const MULTIWORD_CITIES: ReadonlyArray<readonly string[]> = [
  ['нижний', 'новгород'], ['великий', 'новгород'], ['нижний', 'тагил'], ['набережные', 'челны'],
  ['старый', 'оскол'], ['сергиев', 'посад'], ['петропавловск-камчатский'],
]

/**
 * Words of a name folded to one form in the match keys: «Б. Садовая» = «Большая Садовая», «М. Бронная» =
 * «Малая Бронная», «Нижний Новгород» = «Ниж. Новгород» — abbreviations and every gender of the adjective.
 * The display keeps what was written. Migration 20261127171000_name_word_folds applied the same map to
 * the stored keys: a change here needs a migration like it.
 */
export const NAME_WORD_FOLDS: ReadonlyMap<string, string> = new Map([
  ...['б', 'больш', 'большая', 'большой', 'большое', 'большие'].map((w) => [w, 'б'] as const),
  ...['м', 'мал', 'малая', 'малый', 'малое', 'малые'].map((w) => [w, 'м'] as const),
  ...['ср', 'средн', 'средняя', 'средний', 'среднее', 'средние'].map((w) => [w, 'ср'] as const),
  ...['верх', 'верхн', 'верхняя', 'верхний', 'верхнее', 'верхние'].map((w) => [w, 'верх'] as const),
  ...['ниж', 'нижн', 'нижняя', 'нижний', 'нижнее', 'нижние'].map((w) => [w, 'ниж'] as const),
  ...['стар', 'старая', 'старый', 'старое', 'старые'].map((w) => [w, 'стар'] as const),
  ...['нов', 'новая', 'новый', 'новое', 'новые'].map((w) => [w, 'нов'] as const),
])

/** Cities of federal significance: a region that is a city is the city too. */
export const FEDERAL_CITIES: ReadonlySet<string> = new Set(['Москва', 'Санкт-Петербург', 'Севастополь'])
