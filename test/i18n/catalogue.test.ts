// A grep-level check that the Russian catalogue stays Russian: every text in src/i18n/ru*.ts (a string or
// template literal that is not a quoted object key — those are codes) has no Latin word but the codes and
// units of the list below. A new English word must be added here on purpose, with a reason.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/** The catalogue: one file per kind of text (src/i18n/ru.ts, ru-errors.ts, ru-cli.ts, …). */
const CATALOGUE = readdirSync('src/i18n').filter((f) => /^ru(-[a-z]+)?\.ts$/.test(f)).map((f) => `src/i18n/${f}`)

/** Latin words a Russian text may contain, and why. */
const ALLOWED = new Map([
  ['MAC', 'the name of the identifier, written so in Russian too (MAC-адрес)'],
  ['S', 'S/N, the serial number as printed on a device label'],
  ['N', 'S/N, the serial number as printed on a device label'],
  ['CSV', 'a file format'],
  ['cron', 'the schedule format and the name of its field'],
  ['Europe', 'Europe/Moscow: an example of the IANA time-zone name the field takes'],
  ['Moscow', 'Europe/Moscow: an example of the IANA time-zone name the field takes'],
  ['JSON', 'a file format'],
  ['API', 'the programming interface, written so in Russian too (ключ API, API GraphQL)'],
  ['GraphQL', 'the name of the query language the API speaks'],
  ['GraphiQL', 'the name of the in-browser GraphQL tool the server opens'],
  ['Excel', 'the name of the spreadsheet program the e-mail attachment opens in'],
  ['PostgreSQL', 'the name of the database server the operator runs'],
  ['Redis', 'the name of the server the job queue runs on'],
  ['YYYY', 'a date pattern the user types'],
  ['MM', 'a date pattern the user types'],
  ['DD', 'a date pattern the user types'],
])

/** The texts of a TypeScript source: string and template literals without `${…}` and `{name}`, quoted object keys left out. */
export function textsOf(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/^import .*$/gm, '')
  const texts: string[] = []
  const literal = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g
  for (let m = literal.exec(code); m; m = literal.exec(code)) {
    const isKey = /^\s*:/.test(code.slice(m.index + m[0].length)) && m[3] === undefined
    if (isKey) continue
    // `${…}` and «{key}» placeholders are filled in by code
    texts.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/\$\{[^}]*\}|\{\w+\}/g, ' '))
  }
  return texts
}

export function latinWords(text: string): string[] {
  return text.match(/[A-Za-z]+/g) ?? []
}

describe('the Russian catalogue', () => {
  it('has no Latin word in its texts but the allowed codes and units', () => {
    expect(CATALOGUE).toContain('src/i18n/ru.ts')
    for (const file of CATALOGUE) {
      const texts = textsOf(readFileSync(file, 'utf8'))
      expect(texts.length, file).toBeGreaterThan(5)
      const offending = texts.filter((t) => latinWords(t).some((w) => !ALLOWED.has(w)))
      expect(offending, file).toEqual([])
    }
  })

  it('the check finds an English text, and leaves codes in key position alone', () => {
    const texts = textsOf(`export const X = { 'no-house': 'нет дома', B: 'house missing', C: \`\${n} дн.\` } // English comment`)
    expect(texts).toEqual(['нет дома', 'house missing', '  дн.'])
    expect(texts.filter((t) => latinWords(t).some((w) => !ALLOWED.has(w)))).toEqual(['house missing'])
  })
})
