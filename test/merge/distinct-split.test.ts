// The pure split of a duplicate group by «not a duplicate» marks: maximal cliques of the unmarked pairs, and the
// detection over rows that uses it (no database).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  detectAddressDuplicates, detectCustomerDuplicates, fuzzyDuplicateParams, pairKey, splitByMarks,
  type AddressDuplicateParams, type CustomerDuplicateParams,
} from '../../src/engine/detectors/fuzzy-duplicate.ts'
import { recordSpec } from '../../src/records/model.ts'
import { normalizeName } from '../../src/customers/identifiers.ts'

const marks = (...pairs: Array<[string, string]>) => new Set(pairs.map(([a, b]) => pairKey(a, b)))

describe('splitByMarks', () => {
  it('a group without a marked pair is itself, sorted', () => {
    expect(splitByMarks(['B', 'A', 'C'], marks(['A', 'D']))).toEqual([['A', 'B', 'C']])
  })

  it('one marked pair of three: the two pairs with the third', () => {
    expect(splitByMarks(['A', 'B', 'C'], marks(['B', 'A']))).toEqual([['A', 'C'], ['B', 'C']])
  })

  it('a pair marked alone is no group; a record marked against every other is in none', () => {
    expect(splitByMarks(['A', 'B'], marks(['A', 'B']))).toEqual([])
    expect(splitByMarks(['A', 'B', 'C', 'D'], marks(['A', 'B'], ['A', 'C'], ['A', 'D']))).toEqual([['B', 'C', 'D']])
  })

  it('two disjoint marks of four: four cliques of two', () => {
    expect(splitByMarks(['A', 'B', 'C', 'D'], marks(['A', 'B'], ['C', 'D']))).toEqual([['A', 'C'], ['A', 'D'], ['B', 'C'], ['B', 'D']])
  })

  it('property: no part holds a marked pair, every unmarked pair is in a part, and parts are maximal', () => {
    const keys = ['K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7', 'K8', 'K9', 'K10']
    const allPairs = keys.flatMap((a, i) => keys.slice(i + 1).map((b) => [a, b] as [string, string]))
    fc.assert(fc.property(fc.integer({ min: 2, max: 10 }), fc.subarray(allPairs, { maxLength: 20 }), (n, marked) => {
      const group = keys.slice(0, n)
      const set = marks(...marked)
      const parts = splitByMarks(group, set)
      for (const part of parts) {
        expect(part.length).toBeGreaterThanOrEqual(2)
        for (const [i, a] of part.entries()) for (const b of part.slice(i + 1)) expect(set.has(pairKey(a, b))).toBe(false)
        // maximal: no record outside the part is unmarked with all of it
        for (const k of group.filter((g) => !part.includes(g))) expect(part.every((p) => !set.has(pairKey(p, k)))).toBe(false)
      }
      for (const [i, a] of group.entries()) {
        for (const b of group.slice(i + 1)) {
          if (!set.has(pairKey(a, b))) expect(parts.some((p) => p.includes(a) && p.includes(b))).toBe(true)
        }
      }
      expect(new Set(parts.map((p) => p.join(','))).size).toBe(parts.length)
    }), { numRuns: 200 })
  })
})

describe('detection with marks', () => {
  const addressParams = fuzzyDuplicateParams.parse({ entity: 'address' }) as AddressDuplicateParams
  const address = (key: string, text: string) => ({ key, normalized: String(recordSpec('address').derived!.compute({ text }).normalized) })

  it('an address group with a marked pair: each part a finding of its own records, saying what split it', () => {
    const rows = [
      address('A-1', 'Москва, ул. Ленина, д. 5, кв. 12'), address('A-2', 'г Москва, Ленина улица, дом 5, квартира 12'),
      address('A-3', 'Москва, ул. Ленена, д. 5, кв. 12'),
    ]
    expect(detectAddressDuplicates(addressParams, rows).map((f) => f.data.keys)).toEqual(['A-1, A-2, A-3'])
    const split = detectAddressDuplicates(addressParams, rows, undefined, marks(['A-1', 'A-2']))
    expect(split.map((f) => f.data.keys)).toEqual(['A-1, A-3', 'A-2, A-3'])
    for (const f of split) {
      expect(f.data.count).toBe(2)
      expect(Object.keys(f.details.normalized as object)).toEqual(f.entities.map((e) => e.key))
      expect((f.details.differ as Array<{ keys: string[] }>).flatMap((d) => d.keys)).toEqual(['A-3'])
      expect(f.details.distinct).toEqual([['A-1', 'A-2']])
      expect(f.data.explanation).toContain('A-1 и A-2 отмечены как не дубликаты')
    }
  })

  it('a customer group joined by INN and by name and phone: parts describe only their own links', () => {
    const params = fuzzyDuplicateParams.parse({ entity: 'customer' }) as CustomerDuplicateParams
    const row = (key: string, inn: string | null, name: string, phone: string | null) => ({ key, inn, nameNorm: normalizeName(name), phoneNorm: phone })
    const rows = [
      row('C-1', '7701234567', 'ООО Ромашка', '74951112233'), row('C-2', '7701234567', 'ООО Лютик', null),
      row('C-3', null, 'ООО Ромашка', '74951112233'),
    ]
    expect(detectCustomerDuplicates(params, rows).map((f) => f.data.keys)).toEqual(['C-1, C-2, C-3'])
    const split = detectCustomerDuplicates(params, rows, marks(['C-1', 'C-3']))
    expect(split.map((f) => f.data.keys)).toEqual(['C-1, C-2', 'C-2, C-3'])
    expect(split[0].details.agree).toEqual(['inn'])
    expect(split[0].details.matchKey).toEqual(['ИНН 7701234567'])
    expect(split[0].data.matchedBy).toBe('inn')
    expect(split[1].data.matchedBy).toBe('inn, name+phone')
    // {C-2, C-3}: no link of their own, joined only through C-1 (marked against C-3): described by the links that reach them
    expect(split[1].details.agree).toEqual(['inn', 'phone', 'name'])
  })
})
