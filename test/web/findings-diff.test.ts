// A finding's records side by side: which fields differ and which letters (web/src/screens/findings/diff.ts).
import { describe, expect, it } from 'vitest'
import { charDiff, differingFields } from '../../web/src/screens/findings/diff.ts'

const marked = (a: string, b: string) => charDiff(a, b).map((p) => p.same ? p.text : `[${p.text}]`).join('')

describe('charDiff', () => {
  it('marks the letters of a value that the other does not have', () => {
    expect(marked('SN-0O123', 'SN-00123')).toBe('SN-0[O]123')
    expect(marked('128327 г Москва', '128327, Москва')).toBe('128327 [г ]Москва')
    expect(marked('Садовый переулок', 'Садовый пер.')).toBe('Садовый пер[еулок]')
  })

  it('keeps the whole text, in order, split into runs', () => {
    for (const [a, b] of [['ZTEGC36DD989', 'ZTEGC36DD98'], ['abc', 'xyz'], ['', 'abc'], ['кв. 12', 'кв 12']]) {
      const parts = charDiff(a, b)
      expect(parts.map((p) => p.text).join('')).toBe(a)
      for (let i = 1; i < parts.length; i++) expect(parts[i].same).not.toBe(parts[i - 1].same)
    }
  })

  it('equal values have nothing marked; entirely different ones are all marked', () => {
    expect(charDiff('Москва', 'Москва')).toEqual([{ text: 'Москва', same: true }])
    expect(charDiff('abc', 'xyz')).toEqual([{ text: 'abc', same: false }])
    expect(charDiff('', '')).toEqual([])
  })

  it('does not compare very long values letter by letter', () => {
    expect(charDiff('a'.repeat(600), 'b'.repeat(600))).toEqual([{ text: 'a'.repeat(600), same: false }])
  })
})

describe('differingFields', () => {
  it('names the fields whose values are not the same in every record (spaces around ignored, absent = empty)', () => {
    expect(differingFields([
      { 'Адрес': 'Садовый пер., 2', 'Город': 'Москва', 'Индекс': '128327' },
      { 'Адрес': 'Садовый переулок 2', 'Город': 'Москва ', 'Индекс': '128327' },
      { 'Адрес': 'Садовый пер., 2', 'Город': 'Москва' },
    ])).toEqual(new Set(['Адрес', 'Индекс']))
    expect(differingFields([{ a: 'x' }])).toEqual(new Set())
  })
})
