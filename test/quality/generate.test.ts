// The labelled set is only as honest as its labels: every variant of a place or customer carries its label, hard
// negatives never share one, a slip is exactly one edit, and the same seed writes the same files.
import { describe, expect, it } from 'vitest'
import { buildQualitySet, fold, slipDistance, type QualitySet } from './generate.ts'
import { labelledPairs } from './evaluate.ts'

const set: QualitySet = buildQualitySet({ seed: 11, addresses: 3000, customers: 1500 })
const { labels, files } = set
const rows = (file: string) => files[file].slice(1)
const column = (file: string, name: string) => files[file][0].indexOf(name)

describe('the quality set generator', () => {
  it('writes the seven import files at the asked scale, deterministically from the seed', () => {
    expect(Object.keys(files).sort()).toEqual(['addresses.csv', 'contracts.csv', 'customers.csv', 'equipment.csv', 'equipment_types.csv', 'markets.csv', 'products.csv'])
    expect(rows('addresses.csv')).toHaveLength(3000)
    expect(rows('customers.csv').length).toBeGreaterThanOrEqual(1500)
    expect(buildQualitySet({ seed: 11, addresses: 3000, customers: 1500 })).toEqual(set)
    expect(buildQualitySet({ seed: 12, addresses: 3000, customers: 1500 }).files['addresses.csv']).not.toEqual(files['addresses.csv'])
  })

  it('labels every record, and every variant with the place or customer it was written from', () => {
    const addressCodes = rows('addresses.csv').map((r) => r[0])
    const customerCodes = rows('customers.csv').map((r) => r[0])
    expect(new Set(addressCodes).size).toBe(addressCodes.length)
    expect(Object.keys(labels.addresses).sort()).toEqual([...addressCodes].sort())
    expect(Object.keys(labels.customers).sort()).toEqual([...customerCodes].sort())
    for (const code of addressCodes) {
      expect(labels.variants.addresses[code].of).toBe(labels.addresses[code])
      expect(labels.places[labels.addresses[code]]).toBeDefined()
    }
    for (const code of customerCodes) expect(labels.variants.customers[code].of).toBe(labels.customers[code])
    // distinct places are distinct identities: no two labels for one place
    const identities = Object.values(labels.places)
    expect(new Set(identities).size).toBe(identities.length)
    expect(labelledPairs(labels.addresses).size).toBeGreaterThan(500)
    expect(labelledPairs(labels.customers).size).toBeGreaterThan(300)
  })

  it('writes the variants the SPEC names: notation, order, case, «ё», slips, components, legal forms, phone notations', () => {
    const texts = rows('addresses.csv').map((r) => r[1])
    for (const pattern of [/^г\. /, /^г /, /улица /, /дом \d/, /квартира \d/, /\d{6}, /, / ул\.?,/, /^[^а-яё]+$/, /^[^А-ЯЁ]+$/, /Арзамас-16|Горки-\d+|Каменка-\d+|Красноярск-\d+/, /мкр\.? /, /\d-я /])
      expect(texts.some((t) => pattern.test(t)), String(pattern)).toBe(true)
    expect(rows('addresses.csv').some((r) => r[column('addresses.csv', 'city')] !== '')).toBe(true)
    const names = rows('customers.csv').map((r) => r[1])
    for (const pattern of [/^ООО «/, /^Общество с ограниченной ответственностью /i, /"/, /^[А-ЯЁ ]+$/])
      expect(names.some((t) => pattern.test(t)), String(pattern)).toBe(true)
    const phones = new Set(rows('customers.csv').map((r) => r[4].replace(/\d/g, '9')))
    expect(phones.size).toBeGreaterThanOrEqual(5)
  })

  it('makes every slip one edit (replace, insert, delete or adjacent swap) of a word of the canonical name, and writes it', () => {
    const text = new Map(rows('addresses.csv').map((r) => [r[0], fold(`${r[1]} ${r[3]} ${r[4]}`)]))
    const slips = Object.entries(labels.variants.addresses).filter(([, v]) => v.slip)
    expect(slips.length).toBeGreaterThan(100)
    for (const [code, v] of slips) {
      expect(slipDistance(v.slip!.from, v.slip!.to), `${code}: ${v.slip!.from} → ${v.slip!.to}`).toBe(1)
      expect(text.get(code)).toContain(fold(v.slip!.to))
    }
    const names = new Map(rows('customers.csv').map((r) => [r[0], fold(r[1])]))
    const customerSlips = Object.entries(labels.variants.customers).filter(([, v]) => v.slip)
    expect(customerSlips.length).toBeGreaterThan(50)
    for (const [code, v] of customerSlips) {
      expect(slipDistance(v.slip!.from, v.slip!.to)).toBe(1)
      expect(names.get(code)).toContain(fold(v.slip!.to))
    }
  })

  it('never labels hard negatives as one, and has each kind of them', () => {
    const { addresses, customers } = labels.hardNegatives
    for (const n of addresses) {
      expect(labels.addresses[n.a], n.why).toBeDefined()
      expect(labels.addresses[n.a], `${n.a} ${n.b}: ${n.why}`).not.toBe(labels.addresses[n.b])
    }
    for (const n of customers) expect(labels.customers[n.a], `${n.a} ${n.b}: ${n.why}`).not.toBe(labels.customers[n.b])
    const why = new Set(addresses.map((n) => n.why))
    for (const kind of ['Трудовая ≠ Прудовая: two real streets one letter apart', 'ул. Ленина ≠ пр-т Ленина', '2-я Парковая ≠ 3-я Парковая', 'Горки-2 ≠ Горки-10', 'neighbouring houses', 'neighbouring flats'])
      expect(why, kind).toContain(kind)
    expect(new Set(customers.map((n) => n.why))).toEqual(new Set(['namesakes with other phones', 'one family, one phone', 'companies of one name in other towns: other INN and phone']))
    // two real streets one letter apart each stand on several houses of one town
    const trud = Object.values(labels.places).filter((p) => /\|ул\.\|трудовая\|/.test(p))
    expect(trud.length).toBeGreaterThanOrEqual(4)
  })

  it('labels as incomplete exactly the records with no house or a postal code that is not 6 digits', () => {
    const incomplete = new Set(labels.incomplete)
    const postal = column('addresses.csv', 'postal_code')
    for (const r of rows('addresses.csv')) {
      const noHouse = labels.places[labels.addresses[r[0]]].split('|')[3] === ''
      const badPostal = r[postal] !== '' && !/^\d{6}$/.test(r[postal])
      expect(incomplete.has(r[0]), r.join(',')).toBe(noHouse || badPostal)
    }
    expect(incomplete.size).toBeGreaterThan(60)
  })
})
