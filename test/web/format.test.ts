// The console's Russian: plural forms, ru-RU numbers and dates, enums as words (web/src/format.ts).
import { describe, expect, it } from 'vitest'
import { actorText, count, FINDINGS, formatDate, formatDateTime, formatNumber, INCIDENTS, marketsText, plural, registeredText, RULE_KIND_WORD, SEVERITY_WORD, supportLine } from '../../web/src/format.ts'
import { KNOWN_KINDS } from '../../src/engine/rule-schema.ts'

describe('plural forms', () => {
  it.each([
    [1, '1 находка'], [2, '2 находки'], [4, '4 находки'], [5, '5 находок'], [11, '11 находок'], [12, '12 находок'],
    [14, '14 находок'], [21, '21 находка'], [22, '22 находки'], [25, '25 находок'], [101, '101 находка'], [111, '111 находок'], [0, '0 находок'],
  ])('%i → %s', (n, text) => {
    expect(count(n, FINDINGS)).toBe(text)
  })

  it('takes the few form for fractions and writes thousands the Russian way', () => {
    expect(plural(1.5, FINDINGS)).toBe('находки')
    expect(count(1_000_001, INCIDENTS)).toBe('1\u00a0000\u00a0001 обращение')
    expect(formatNumber(12345.5)).toBe('12\u00a0345,5')
  })
})

describe('dates', () => {
  it('shows a moment in Moscow time, day first', () => {
    expect(formatDateTime('2026-12-05T11:30:00Z')).toBe('05.12.2026, 14:30')
  })
  it('shows a calendar date as that day', () => {
    expect(formatDate('2026-01-31')).toBe('31.01.2026')
  })
})

describe('words', () => {
  it('names every severity in Russian', () => {
    expect(Object.values(SEVERITY_WORD)).toEqual(['критично', 'высокая', 'средняя', 'низкая'])
  })
  it('says the line and the markets', () => {
    expect(supportLine(2)).toBe('2-я линия')
    expect(supportLine(null)).toBe('линия не задана')
    expect(marketsText([])).toBe('все рынки')
    expect(marketsText(['SPB'])).toBe('рынок SPB')
    expect(marketsText(['SPB', 'MSK'])).toBe('рынки SPB, MSK')
  })
  it('has a Russian word for every rule kind the engine knows', () => {
    expect(Object.keys(RULE_KIND_WORD).sort()).toEqual([...KNOWN_KINDS].sort())
    for (const word of Object.values(RULE_KIND_WORD)) expect(word).toMatch(/^[а-яё ]+$/)
  })
})

describe('after registering', () => {
  it('agrees the verb with the kind and puts the count after «с» in the instrumental', () => {
    expect(registeredText('COMPLAINT', '№ CRM-1', true, 1)).toBe('Жалоба № CRM-1 зарегистрирована, связана с 1 находкой.')
    expect(registeredText('INCIDENT', '#7', true, 3)).toBe('Инцидент #7 зарегистрирован, связан с 3 находками.')
    expect(registeredText('INCIDENT', '#7', false, 5)).toBe('Инцидент #7 уже был зарегистрирован, связан с 5 находками.')
  })
})

describe('actorText', () => {
  it("names a key's holder with its id, the audit in Russian, anyone else as written", () => {
    expect(actorText('key:12:НСИ Иванова')).toBe('НСИ Иванова (ключ 12)')
    expect(actorText('key:3:')).toBe('ключ (ключ 3)')
    expect(actorText('audit')).toBe('аудит')
    expect(actorText('cli')).toBe('cli')
  })
})
