// The independent labelled set behind `npm run bench -- --only quality` and test/quality/quality.test.ts: the seven
// import CSVs and a labels file saying which address codes denote one place and which customer codes one customer.
// Written apart from `sverka seed` on purpose (its own code, random stream and vocabulary, test/quality/names-ru.txt),
// so that the detection is not graded by the same hands that taught it. Deterministic from the seed number.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface QualityOptions {
  seed: number
  /** address records to write (variants included) */
  addresses: number
  /** customer records to write (variants included) */
  customers: number
}

/** One pair the generator made different on purpose: the detection must not join them. */
export interface HardNegative { a: string; b: string; why: string }

/** How a record was written from its place or customer: a slip names the word before and after. */
export interface VariantNote { of: string; slip?: { from: string; to: string } }

export interface QualityLabels {
  seed: number
  /** address code → place id: codes with the same place id denote one place */
  addresses: Record<string, string>
  /** place id → its identity (settlement, street type and name, house, корпус, flat), as the generator knows it */
  places: Record<string, string>
  /** customer code → customer id */
  customers: Record<string, string>
  /** address codes with no house or a postal code that is not 6 digits */
  incomplete: string[]
  hardNegatives: { addresses: HardNegative[]; customers: HardNegative[] }
  variants: { addresses: Record<string, VariantNote>; customers: Record<string, VariantNote> }
}

export interface QualitySet { files: Record<string, string[][]>; labels: QualityLabels }

// ---------- vocabulary ----------

interface Vocabulary {
  streets: { type: string; name: string }[]
  settlements: { type: string; name: string; region: string }[]
  microdistricts: string[]
  surnames: string[]
  maleNames: string[]
  femaleNames: string[]
  patronymics: [string, string][]
  companyWords: string[]
  legalForms: [string, string][]
}

function readVocabulary(): Vocabulary {
  const text = readFileSync(new URL('names-ru.txt', import.meta.url), 'utf8')
  const sections = new Map<string, string[][]>()
  let current: string[][] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const header = /^\[(.+)\]$/.exec(line)
    if (header) { current = []; sections.set(header[1], current); continue }
    current.push(line.split('|'))
  }
  const section = (name: string) => {
    const rows = sections.get(name)
    if (!rows?.length) throw new Error(`names-ru.txt: no section [${name}]`)
    const seen = new Set<string>()
    return rows.filter((r) => !seen.has(r.join('|')) && seen.add(r.join('|')))
  }
  return {
    streets: section('streets').map(([type, name]) => ({ type, name })),
    settlements: section('settlements').map(([type, name, region]) => ({ type, name, region })),
    microdistricts: section('microdistricts').map(([n]) => n),
    surnames: section('surnames').map(([n]) => n),
    maleNames: section('male-names').map(([n]) => n),
    femaleNames: section('female-names').map(([n]) => n),
    patronymics: section('patronymics').map(([m, f]) => [m, f]),
    companyWords: section('company-words').map(([n]) => n),
    legalForms: section('legal-forms').map(([s, l]) => [s, l]),
  }
}

export function femaleSurname(male: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return `${male}а`
  if (male.endsWith('ский')) return `${male.slice(0, -4)}ская`
  if (male.endsWith('ой')) return `${male.slice(0, -2)}ая`
  return male
}

// ---------- random stream (xorshift128+ on two 32-bit halves; not the seed generator's) ----------

class Stream {
  private a: number
  private b: number
  constructor(seed: number) {
    this.a = (seed ^ 0x9e3779b9) >>> 0 || 1
    this.b = (Math.imul(seed, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0 || 2
    for (let i = 0; i < 16; i++) this.next()
  }
  next(): number {
    let s1 = this.a
    const s0 = this.b
    this.a = s0
    s1 ^= s1 << 11
    s1 ^= s1 >>> 8
    this.b = (s1 ^ s0 ^ (s0 >>> 19)) >>> 0
    return this.b / 4294967296
  }
  int(lo: number, hi: number) { return lo + Math.floor(this.next() * (hi - lo + 1)) }
  chance(p: number) { return this.next() < p }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)] }
  digits(n: number) { let s = ''; for (let i = 0; i < n; i++) s += String(this.int(0, 9)); return s }
}

// ---------- slips ----------

const KEYBOARD = ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю']
const VOWELS = 'аеиоуыэюя'

function keyboardNeighbours(ch: string): string[] {
  const out: string[] = []
  KEYBOARD.forEach((row, r) => {
    const i = row.indexOf(ch)
    if (i < 0) return
    if (i > 0) out.push(row[i - 1])
    if (i < row.length - 1) out.push(row[i + 1])
    for (const other of [KEYBOARD[r - 1], KEYBOARD[r + 1]]) if (other?.[i]) out.push(other[i])
  })
  if (VOWELS.includes(ch)) out.push(...VOWELS.replace(ch, '').split(''))
  return out
}

export const fold = (s: string) => s.toLowerCase().replaceAll('ё', 'е')

/** One slip in a word (from its second letter on): a letter replaced, inserted or deleted, or two neighbours swapped. */
function slipWord(word: string, rng: Stream): string {
  const lower = word.toLowerCase()
  for (let attempt = 0; attempt < 20; attempt++) {
    const op = rng.int(0, 3)
    const i = rng.int(1, word.length - 1)
    const ch = lower[i]
    const keepCase = (c: string) => (word[i] === word[i].toUpperCase() ? c.toUpperCase() : c)
    let out = word
    if (op === 0) {
      const n = keyboardNeighbours(ch)
      if (!n.length) continue
      out = word.slice(0, i) + keepCase(rng.pick(n)) + word.slice(i + 1)
    } else if (op === 1) {
      const n = keyboardNeighbours(ch)
      out = word.slice(0, i) + keepCase(n.length && rng.chance(0.5) ? rng.pick(n) : ch) + word.slice(i)
    } else if (op === 2) {
      if (word.length < 5) continue
      out = word.slice(0, i) + word.slice(i + 1)
    } else {
      if (i >= word.length - 1) continue
      out = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
    }
    if (fold(out) !== fold(word)) return out
  }
  return word
}

/** A slip in one word of at least `minLength` letters of `name`, or null when it has none or only ones that give a known name. */
function slipName(name: string, rng: Stream, known: ReadonlySet<string>, minLength = 5): { text: string; from: string; to: string } | null {
  const words = [...name.matchAll(/[А-ЯЁа-яё]+/g)].filter((m) => m[0].length >= minLength)
  if (!words.length) return null
  for (let attempt = 0; attempt < 5; attempt++) {
    const m = rng.pick(words)
    const to = slipWord(m[0], rng)
    const text = name.slice(0, m.index) + to + name.slice(m.index + m[0].length)
    if (to !== m[0] && !known.has(fold(text)) && !known.has(fold(to))) return { text, from: m[0], to }
  }
  return null
}

/** Optimal string alignment distance (Damerau with adjacent swaps), on folded text: the unit checks use it. */
export function slipDistance(a: string, b: string): number {
  const x = fold(a)
  const y = fold(b)
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[x.length][y.length]
}

// ---------- places ----------

interface Settlement { type: string; name: string; region: string; postal: string }
interface Street { type: string; name: string }
interface Place {
  id: string
  settlement: Settlement
  street: Street
  house: string | null
  building: string | null
  flat: string | null
  /** the distinguishing name must stay as written: its neighbour is a real, different place */
  noSlip: boolean
}

const SETTLEMENT_SPELLINGS: Record<string, string[]> = { 'г.': ['г.', 'г'], пгт: ['пгт'], 'пос.': ['пос.', 'пос'], 'с.': ['с.'], 'дер.': ['дер.'] }
const STREET_SPELLINGS: Record<string, string[]> = {
  'ул.': ['ул.', 'ул', 'улица'], 'пр-т': ['пр-т', 'просп.', 'проспект'], 'пер.': ['пер.'], 'б-р': ['б-р', 'бул.', 'бульвар'],
  'ш.': ['ш.'], 'мкр.': ['мкр.', 'мкр'],
}

const identity = (p: Omit<Place, 'id' | 'noSlip'>) =>
  [fold(p.settlement.name), p.street.type, fold(p.street.name), p.house ?? '', p.building ?? '', p.flat ?? ''].join('|')

const ADDRESS_HEADER = ['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code']
const CUSTOMER_HEADER = ['code', 'name', 'kind', 'inn', 'phone', 'email']

function renderAddress(place: Place, rng: Stream, canonical: boolean, slip: { settlement?: string; street?: string }) {
  const settlementName = slip.settlement ?? place.settlement.name
  const streetName = slip.street ?? place.street.name
  const sType = canonical ? place.settlement.type : rng.pick(SETTLEMENT_SPELLINGS[place.settlement.type])
  const tType = canonical ? place.street.type : rng.pick(STREET_SPELLINGS[place.street.type])
  const city = `${sType} ${settlementName}`
  const street = !canonical && rng.chance(0.2) ? `${streetName} ${tType}` : `${tType} ${streetName}`
  let houseText = ''
  if (place.house) {
    if (place.building && place.flat && !canonical && rng.chance(0.1)) houseText = `${place.house}к${place.building}-${place.flat}`
    else {
      houseText = canonical ? `д. ${place.house}` : rng.pick([`д. ${place.house}`, `дом ${place.house}`, place.house])
      if (place.building) houseText += canonical ? `, корп. ${place.building}` : rng.pick([`, корп. ${place.building}`, `, к. ${place.building}`, ` к${place.building}`, `, корпус ${place.building}`])
      if (place.flat) houseText += canonical ? `, кв. ${place.flat}` : rng.pick([`, кв. ${place.flat}`, `, квартира ${place.flat}`])
    }
  }
  const tail = [street, houseText].filter(Boolean).join(', ')
  let text = !canonical && rng.chance(0.15) ? `${tail}, ${city}` : `${city}, ${tail}`
  if (!canonical && rng.chance(0.25)) text = `${place.settlement.postal}, ${place.settlement.region}, ${text}`
  if (!canonical) {
    if (rng.chance(0.5)) text = text.replaceAll('ё', 'е').replaceAll('Ё', 'Е')
    const c = rng.next()
    if (c < 0.1) text = text.toUpperCase()
    else if (c < 0.2) text = text.toLowerCase()
  }
  // one record in six gives the components too, as a register export would
  const filled = !canonical && rng.chance(0.16)
  return {
    text,
    region: filled ? place.settlement.region : '',
    city: filled ? city : '',
    street: filled ? `${tType} ${streetName}` : '',
    house: filled ? place.house ?? '' : '',
    building: filled ? place.building ?? '' : '',
    apartment: filled ? place.flat ?? '' : '',
    postal: filled || rng.chance(0.3) ? place.settlement.postal : '',
  }
}

// ---------- the set ----------

export function buildQualitySet(options: QualityOptions): QualitySet {
  const vocab = readVocabulary()
  const rng = new Stream(options.seed)
  const labels: QualityLabels = {
    seed: options.seed, addresses: {}, places: {}, customers: {}, incomplete: [],
    hardNegatives: { addresses: [], customers: [] }, variants: { addresses: {}, customers: {} },
  }
  const postals = new Set<string>()
  const settlements: Settlement[] = vocab.settlements.map((s) => {
    let postal = ''
    do postal = `${rng.int(1, 6)}${rng.digits(2)}${rng.digits(3)}`; while (postals.has(postal))
    postals.add(postal)
    return { ...s, postal }
  })
  const streets: Street[] = [...vocab.streets, ...vocab.microdistricts.map((name) => ({ type: 'мкр.', name }))]
  const knownNames = new Set([...streets.map((s) => fold(s.name)), ...settlements.map((s) => fold(s.name))])
  const pairStreets = new Set(['трудовая', 'прудовая', 'мостовая', 'постовая', 'дачная', 'удачная'])
  const cities = settlements.filter((s) => s.type === 'г.')
  const byName = (name: string) => settlements.find((s) => s.name === name)!
  const street = (type: string, name: string) => streets.find((s) => s.type === type && s.name === name) ?? { type, name }

  const places: Place[] = []
  const taken = new Set<string>()
  const addPlace = (p: Omit<Place, 'id'>): Place | null => {
    const key = identity(p)
    if (taken.has(key)) return null
    taken.add(key)
    const place = { ...p, id: `P${places.length + 1}` }
    places.push(place)
    labels.places[place.id] = key
    return place
  }
  const houseNo = () => {
    const n = String(rng.int(1, 160))
    const r = rng.next()
    return r < 0.08 ? `${n}${rng.pick(['А', 'Б', 'В'])}` : r < 0.12 ? `${n}/${rng.int(1, 4)}` : n
  }
  const randomPlace = (noSlip = false, over: Partial<Place> = {}): Omit<Place, 'id'> => ({
    settlement: rng.pick(settlements), street: rng.pick(streets), house: houseNo(),
    building: rng.chance(0.12) ? String(rng.int(1, 5)) : null, flat: rng.chance(0.6) ? String(rng.int(1, 320)) : null, noSlip, ...over,
  })

  // hard negatives first: places that differ in one letter, number or type, each a real place (fewer on a small set)
  const times = (n: number) => Math.max(1, Math.round(n * Math.min(1, options.addresses / 10_000)))
  const negativePlaces: [Place, Place, string][] = []
  const twin = (a: Omit<Place, 'id'>, b: Omit<Place, 'id'>, why: string) => {
    const pa = addPlace(a)
    const pb = addPlace(b)
    if (pa && pb) negativePlaces.push([pa, pb, why])
  }
  const fixed = (settlement: Settlement, s: Street, house: string, flat: string | null = null) =>
    ({ settlement, street: s, house, building: null, flat, noSlip: true })
  for (const [x, y] of [['Трудовая', 'Прудовая'], ['Мостовая', 'Постовая'], ['Дачная', 'Удачная']]) {
    for (let c = 0; c < times(3); c++) {
      const city = rng.pick(cities)
      for (let h = 0; h < 4; h++) {
        const house = String(rng.int(1, 60))
        twin(fixed(city, street('ул.', x), house), fixed(city, street('ул.', y), house), `${x} ≠ ${y}: two real streets one letter apart`)
      }
    }
  }
  for (const [ta, tb, name] of [['ул.', 'пр-т', 'Ленина'], ['ул.', 'пр-т', 'Мира'], ['ул.', 'б-р', 'Гагарина'], ['пр-т', 'б-р', 'Победы']]) {
    for (let c = 0; c < times(5); c++) {
      const city = rng.pick(cities)
      const house = String(rng.int(1, 90))
      twin(fixed(city, street(ta, name), house, String(rng.int(1, 80))), fixed(city, street(tb, name), house, null), `${ta} ${name} ≠ ${tb} ${name}`)
    }
  }
  const moscow = byName('Москва')
  for (const [x, y] of [['2-я Парковая', '3-я Парковая'], ['1-я Парковая', '9-я Парковая'], ['1-я Тверская-Ямская', '2-я Тверская-Ямская'], ['1-я Красноармейская', '2-я Красноармейская']]) {
    for (let h = 0; h < times(4); h++) {
      const house = String(rng.int(1, 40))
      const flat = String(rng.int(1, 120))
      twin(fixed(moscow, street('ул.', x), house, flat), fixed(moscow, street('ул.', y), house, flat), `${x} ≠ ${y}`)
    }
  }
  for (const [x, y] of [['Горки-2', 'Горки-10'], ['Горки', 'Горки-2'], ['Каменка', 'Каменка-5'], ['Каменка-5', 'Каменка-2'], ['Берёзовка', 'Берёзовка-1'], ['Красноярск-26', 'Красноярск-45']]) {
    for (let h = 0; h < times(4); h++) {
      const s = rng.pick(streets.filter((t) => t.type === 'ул.' && !pairStreets.has(fold(t.name))))
      const house = String(rng.int(1, 30))
      twin(fixed(byName(x), s, house), fixed(byName(y), s, house), `${x} ≠ ${y}`)
    }
  }

  // ordinary places, some with a neighbouring house or flat as a hard negative
  const recordsPerPlace = () => (rng.chance(0.5) ? 1 : rng.int(2, 4))
  const planned = new Map<Place, number>()
  for (const p of places) planned.set(p, recordsPerPlace())
  let plannedTotal = [...planned.values()].reduce((a, b) => a + b, 0)
  const noHouseTarget = Math.max(2, Math.round(options.addresses * 0.03))
  while (plannedTotal < options.addresses - noHouseTarget) {
    const base = randomPlace()
    if (pairStreets.has(fold(base.street.name))) continue
    const p = addPlace(base)
    if (!p) continue
    planned.set(p, recordsPerPlace())
    plannedTotal += planned.get(p)!
    if (rng.chance(0.04)) {
      const n = Number.parseInt(p.house!, 10)
      const next = p.flat && rng.chance(0.5) ? { ...base, flat: String(Number(p.flat) + 1) } : { ...base, house: String(n + 1), building: null, flat: null }
      const q = addPlace(next)
      if (q) {
        negativePlaces.push([p, q, p.flat && next.flat !== p.flat ? 'neighbouring flats' : 'neighbouring houses'])
        planned.set(q, recordsPerPlace())
        plannedTotal += planned.get(q)!
      }
    }
  }

  // records
  const addressRows: string[][] = [ADDRESS_HEADER]
  const canonicalCode = new Map<Place, string>()
  let addressNo = 0
  const nextAddressCode = () => `QA-${String(++addressNo).padStart(6, '0')}`
  for (const [place, count] of planned) {
    for (let v = 0; v < count; v++) {
      const code = nextAddressCode()
      const canonical = v === 0
      const note: VariantNote = { of: place.id }
      const slip: { settlement?: string; street?: string } = {}
      if (!canonical && !place.noSlip && rng.chance(0.3)) {
        const inStreet = rng.chance(0.7)
        const name = inStreet ? place.street.name : place.settlement.name
        const s = slipName(name, rng, knownNames)
        if (s) {
          if (inStreet) slip.street = s.text
          else slip.settlement = s.text
          note.slip = { from: s.from, to: s.to }
        }
      }
      const r = renderAddress(place, rng, canonical, slip)
      let postal = r.postal
      if (rng.chance(0.03)) postal = rng.pick([rng.digits(5), rng.digits(7), `${rng.digits(3)}О${rng.digits(2)}`, `${rng.digits(3)} ${rng.digits(3)}`])
      addressRows.push([code, r.text, r.region, r.city, r.street, r.house, r.building, r.apartment, postal])
      labels.addresses[code] = place.id
      labels.variants.addresses[code] = note
      if (postal && !/^\d{6}$/.test(postal)) labels.incomplete.push(code)
      if (canonical) canonicalCode.set(place, code)
    }
  }
  for (const [a, b, why] of negativePlaces) labels.hardNegatives.addresses.push({ a: canonicalCode.get(a)!, b: canonicalCode.get(b)!, why })

  // addresses with no house: one record each, on a street of a settlement no other record without a house uses
  const noHouseStreets = new Set<string>()
  while (addressRows.length - 1 < options.addresses) {
    const settlement = rng.chance(0.3) ? rng.pick(settlements.filter((s) => /-\d+$/.test(s.name))) : rng.pick(settlements)
    const s = rng.pick(streets)
    const key = `${fold(settlement.name)}|${s.type}|${fold(s.name)}`
    if (noHouseStreets.has(key)) continue
    noHouseStreets.add(key)
    const place = addPlace({ settlement, street: s, house: null, building: null, flat: null, noSlip: true })
    if (!place) continue
    const code = nextAddressCode()
    const filled = rng.chance(0.4)
    const text = `${settlement.type} ${settlement.name}, ${s.type} ${s.name}`
    addressRows.push([code, text, filled ? settlement.region : '', filled ? `${settlement.type} ${settlement.name}` : '',
      filled ? `${s.type} ${s.name}` : '', '', '', '', rng.chance(0.5) ? settlement.postal : ''])
    labels.addresses[code] = place.id
    labels.variants.addresses[code] = { of: place.id }
    labels.incomplete.push(code)
  }

  // customers
  const customerRows: string[][] = [CUSTOMER_HEADER]
  const phones = new Set<string>()
  const newPhone = () => { let p = ''; do p = `9${rng.digits(9)}`; while (phones.has(p)); phones.add(p); return p }
  const inns = new Set<string>()
  const newInn = () => { let p = ''; do p = `${rng.int(1, 9)}${rng.digits(9)}`; while (inns.has(p)); inns.add(p); return p }
  const phoneText = (p: string) => {
    const [a, b, c, d] = [p.slice(0, 3), p.slice(3, 6), p.slice(6, 8), p.slice(8)]
    return rng.pick([`+7 (${a}) ${b}-${c}-${d}`, `8 ${a} ${b}-${c}-${d}`, `8${p}`, `+7${p}`, `8(${a})${b}${c}${d}`, `7 ${a} ${b} ${c} ${d}`])
  }
  const knownPeople = new Set([...vocab.surnames, ...vocab.surnames.map(femaleSurname), ...vocab.maleNames, ...vocab.femaleNames,
    ...vocab.patronymics.flat()].map(fold))
  interface Person { kind: 'PERSON'; surname: string; first: string; patronymic: string; phone: string }
  interface Company { kind: 'COMPANY'; form: [string, string]; name: string; inn: string; phone: string }
  type Customer = (Person | Company) & { id: string }
  const customers: Customer[] = []
  const customerNegatives: [Customer, Customer, string][] = []
  const newPerson = (over: Partial<Person> = {}): Person => {
    const female = rng.chance(0.5)
    const surname = rng.pick(vocab.surnames)
    const [pm, pf] = rng.pick(vocab.patronymics)
    return {
      kind: 'PERSON', surname: female ? femaleSurname(surname) : surname, first: rng.pick(female ? vocab.femaleNames : vocab.maleNames),
      patronymic: female ? pf : pm, phone: newPhone(), ...over,
    }
  }
  const companyNames = new Set<string>()
  const newCompany = (): Company => {
    let name = ''
    do name = `${rng.pick(vocab.companyWords)}${rng.pick(['', '', ' Плюс', '-Сервис', '-Строй', '-Трейд', ` ${rng.pick(cities).name}`])}`; while (companyNames.has(name))
    companyNames.add(name)
    return { kind: 'COMPANY', form: rng.pick(vocab.legalForms), name, inn: newInn(), phone: newPhone() }
  }
  const addCustomer = (c: Person | Company) => { const x = { ...c, id: `C${customers.length + 1}` }; customers.push(x); return x }
  const customerPlan = new Map<Customer, number>()
  let customerTotal = 0
  while (customerTotal < options.customers) {
    const c = addCustomer(rng.chance(0.2) ? newCompany() : newPerson())
    customerPlan.set(c, recordsPerPlace())
    customerTotal += customerPlan.get(c)!
    const r = rng.next()
    if (c.kind === 'PERSON' && r < 0.05) {
      const namesake = addCustomer({ ...c, phone: newPhone() })
      customerPlan.set(namesake, 1)
      customerTotal += 1
      customerNegatives.push([c, namesake, 'namesakes with other phones'])
    } else if (c.kind === 'PERSON' && r < 0.08) {
      const female = rng.chance(0.5)
      const base = c.surname.replace(/(а|ая)$/, (m) => (m === 'ая' ? 'ой' : ''))
      const [pm, pf] = rng.pick(vocab.patronymics)
      const first = rng.pick(female ? vocab.femaleNames : vocab.maleNames)
      if (fold(first) === fold(c.first)) continue
      const relative = addCustomer({ ...c, surname: female ? femaleSurname(base) : base, first, patronymic: female ? pf : pm })
      customerPlan.set(relative, 1)
      customerTotal += 1
      customerNegatives.push([c, relative, 'one family, one phone'])
    } else if (c.kind === 'COMPANY' && r < 0.05) {
      const namesake = addCustomer({ ...c, inn: newInn(), phone: newPhone() })
      customerPlan.set(namesake, 1)
      customerTotal += 1
      customerNegatives.push([c, namesake, 'companies of one name in other towns: other INN and phone'])
    }
  }
  let customerNo = 0
  const firstCustomerCode = new Map<Customer, string>()
  for (const [c, count] of customerPlan) {
    for (let v = 0; v < count; v++) {
      const code = `QC-${String(++customerNo).padStart(6, '0')}`
      const canonical = v === 0
      const note: VariantNote = { of: c.id }
      let name: string
      let inn = ''
      if (c.kind === 'PERSON') {
        name = canonical || rng.chance(0.75) ? `${c.surname} ${c.first} ${c.patronymic}` : `${c.first} ${c.patronymic} ${c.surname}`
      } else {
        const quoted = canonical ? `«${c.name}»` : rng.pick([`«${c.name}»`, `"${c.name}"`, c.name])
        const form = canonical || rng.chance(0.7) ? c.form[0] : c.form[1]
        name = !canonical && rng.chance(0.15) ? `${quoted} ${form}` : `${form} ${quoted}`
        inn = canonical || rng.chance(0.6) ? c.inn : ''
      }
      if (!canonical && rng.chance(0.3)) {
        const s = slipName(name, rng, knownPeople, 4)
        if (s) { name = s.text; note.slip = { from: s.from, to: s.to } }
      }
      if (!canonical) {
        if (rng.chance(0.5)) name = name.replaceAll('ё', 'е').replaceAll('Ё', 'Е')
        const r = rng.next()
        if (r < 0.12) name = name.toUpperCase()
        else if (r < 0.2) name = name.toLowerCase()
      }
      customerRows.push([code, name, c.kind, inn, canonical ? `+7 (${c.phone.slice(0, 3)}) ${c.phone.slice(3, 6)}-${c.phone.slice(6, 8)}-${c.phone.slice(8)}` : phoneText(c.phone), ''])
      labels.customers[code] = c.id
      labels.variants.customers[code] = note
      if (canonical) firstCustomerCode.set(c, code)
    }
  }
  for (const [a, b, why] of customerNegatives) labels.hardNegatives.customers.push({ a: firstCustomerCode.get(a)!, b: firstCustomerCode.get(b)!, why })

  // the other five files: enough for every reference to resolve, nothing the three measured rules read
  const customerCodes = customerRows.slice(1).map((r) => r[0])
  const addressCodes = addressRows.slice(1).map((r) => r[0])
  const contracts: string[][] = [['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to']]
  customerCodes.forEach((customer, i) => {
    contracts.push([`QD-${String(i + 1).padStart(6, '0')}`, customer, addressCodes[i % addressCodes.length], 'Q-NET', 'QLT', 'ACTIVE', '2025-01-01', ''])
  })
  const equipment: string[][] = [['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at']]
  for (let i = 1; i <= 20; i++) equipment.push([`QE-${String(i).padStart(4, '0')}`, `QSN${String(i).padStart(8, '0')}`, '', 'Q-ONT', '', '', 'IN_STOCK', '', ''])
  return {
    files: {
      'markets.csv': [['code', 'name'], ['QLT', 'Проверочный рынок']],
      'equipment_types.csv': [['code', 'name'], ['ONT', 'Оптический терминал']],
      'products.csv': [['sku', 'name', 'kind', 'equipment_type', 'markets', 'status', 'valid_from', 'valid_to'],
        ['Q-NET', 'Интернет', 'SERVICE', '', 'QLT', 'ACTIVE', '2020-01-01', ''],
        ['Q-ONT', 'Терминал ONT', 'EQUIPMENT', 'ONT', 'QLT', 'ACTIVE', '2020-01-01', '']],
      'customers.csv': customerRows,
      'addresses.csv': addressRows,
      'contracts.csv': contracts,
      'equipment.csv': equipment,
    },
    labels,
  }
}

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)

/** Writes the seven CSVs and labels.json into `out`; returns the labels. */
export function writeQualitySet(options: QualityOptions, out: string): QualityLabels {
  const set = buildQualitySet(options)
  mkdirSync(out, { recursive: true })
  for (const [file, rows] of Object.entries(set.files)) writeFileSync(join(out, file), rows.map((r) => r.map(cell).join(',')).join('\n') + '\n')
  writeFileSync(join(out, 'labels.json'), JSON.stringify(set.labels))
  return set.labels
}
