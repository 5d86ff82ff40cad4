// What text from outside may hold (src/input-text.ts): no NUL, no lone surrogate; every offence in a JSON value
// named by its path, keys included, and a value nested thousands deep walked without a stack overflow.
import { describe, expect, it } from 'vitest'
import { printable, textProblem, textProblems } from '../src/input-text.ts'

describe('input text', () => {
  it('takes any well-formed text, Cyrillic, emoji (a surrogate pair) and LIKE wildcards included', () => {
    for (const ok of ['', 'Ленина 5 кв 12', 'ёЁ', '😀', '%_\\', 'x'.repeat(10_000), '\u0001\t\n']) expect(textProblem(ok), JSON.stringify(ok)).toBeNull()
  })

  it('refuses NUL and lone surrogates, saying which', () => {
    expect(textProblem('a\u0000b')).toBe('не должно содержать нулевой символ (U+0000)')
    expect(textProblem('ab\ud800')).toBe('не может содержать одиночный суррогат (U+D800) — это не Юникод; позиция 3')
    expect(textProblem('\udc00😀')).toMatch(/U\+DC00/)
    expect(textProblem('😀'.slice(0, 1))).toMatch(/одиночный суррогат/)
  })

  it('names every refused string of a JSON value by its path, object keys included', () => {
    expect(textProblems({ a: 'ok', b: ['x', 'y\u0000'], c: { d: '\ud800' }, 'e\u0000': 1, n: 5, z: null })).toEqual([
      { field: 'b.1', code: 'INVALID_TEXT', message: 'не должно содержать нулевой символ (U+0000)' },
      { field: 'c.d', code: 'INVALID_TEXT', message: 'не может содержать одиночный суррогат (U+D800) — это не Юникод; позиция 1' },
      { field: 'e\\u0000', code: 'INVALID_TEXT', message: 'имя поля не должно содержать нулевой символ (U+0000)' },
    ])
    expect(textProblems('\u0000', '$s')).toEqual([{ field: '$s', code: 'INVALID_TEXT', message: 'не должно содержать нулевой символ (U+0000)' }])
    expect(textProblems(Array.from({ length: 50 }, () => '\u0000'))).toHaveLength(10)
    expect(printable('a\u0000\ud800')).toBe('a\\u0000\\ud800')
  })

  it('walks a value nested 100 000 deep without recursion', () => {
    let deep: unknown = '\u0000'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const [problem, ...more] = textProblems({ deep })
    expect(more).toEqual([])
    expect(problem.field!.length).toBeLessThan(200)
    expect(problem.field).toMatch(/^deep\.0\.0.*….*\.0$/)
  })
})
