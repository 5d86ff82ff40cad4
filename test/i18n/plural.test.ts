import { describe, expect, it } from 'vitest'
import { countRu, pluralRu } from '../../src/i18n/ru.ts'

describe('Russian plural forms', () => {
  it('picks one / few / many by the last two digits', () => {
    const forms = (n: number) => pluralRu(n, 'строка', 'строки', 'строк')
    expect([0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 122].map(forms)).toEqual([
      'строк', 'строка', 'строки', 'строки', 'строк', 'строк', 'строк', 'строк', 'строка', 'строки', 'строк', 'строка', 'строк', 'строк', 'строки',
    ])
  })

  it('says a count with its noun in ru-RU digits', () => {
    expect(countRu(3, 'строка', 'строки', 'строк')).toBe('3 строки')
    expect(countRu(12345, 'строка', 'строки', 'строк').replace(/\s/g, ' ')).toBe('12 345 строк')
  })
})
