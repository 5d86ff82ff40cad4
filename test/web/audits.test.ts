// The pure logic of «Аудиты и правила» (web/src/screens/audits/logic.ts): paths ↔ tabs, counts in Russian with
// their plural forms, durations, the server's problems by form field, rule parameter drafts back to values.
import { describe, expect, it } from 'vitest'
import {
  actorText, countsText, durationText, paramDraft, parseParams, pathOfView, problemsByField, progressText, shortId, splitRecipients, viewOfPath,
} from '../../web/src/screens/audits/logic.ts'

describe('paths of «Аудиты и правила»', () => {
  it('reads each tab and a run from its path, and writes the same path back', () => {
    expect(viewOfPath('/audits')).toEqual({ tab: 'runs' })
    expect(viewOfPath('/audits/')).toEqual({ tab: 'runs' })
    expect(viewOfPath('/audits/runs')).toEqual({ tab: 'runs' })
    expect(viewOfPath('/audits/schedules')).toEqual({ tab: 'schedules' })
    expect(viewOfPath('/audits/rules')).toEqual({ tab: 'rules' })
    expect(viewOfPath('/audits/runs/3f2a9c1e-0000-4000-8000-000000000001')).toEqual({ tab: 'run', id: '3f2a9c1e-0000-4000-8000-000000000001' })
    expect(viewOfPath('/audits/nothing')).toBeNull()
    expect(viewOfPath('/audits/runs/a/b')).toBeNull()
    for (const path of ['/audits', '/audits/schedules', '/audits/rules', '/audits/runs/r%2F1']) expect(pathOfView(viewOfPath(path)!)).toBe(path)
    expect(viewOfPath('/audits/runs/r%2F1')).toEqual({ tab: 'run', id: 'r/1' })
  })

  it('shows a run\'s UUID by its first 8 characters, other ids whole', () => {
    expect(shortId('3f2a9c1e-0000-4000-8000-000000000001')).toBe('3f2a9c1e')
    expect(shortId('42')).toBe('42')
  })
})

describe('run words', () => {
  it('says the counts with the plural form of each number', () => {
    expect(countsText({ new: 1, open: 2, resolved: 5, reopened: 21 })).toBe('1 новая, 2 открытые, 5 решённых, 21 открытая снова')
    expect(countsText({ new: 0, open: 1234, resolved: 3, reopened: 11 })).toBe('0 новых, 1\u00a0234 открытые, 3 решённые, 11 открытых снова')
  })

  it('says how long a run took', () => {
    const at = '2026-12-05T10:00:00.000Z'
    expect(durationText(at, '2026-12-05T10:00:00.400Z')).toBe('0,4 с')
    expect(durationText(at, '2026-12-05T10:00:12.000Z')).toBe('12 с')
    expect(durationText(at, '2026-12-05T10:03:05.000Z')).toBe('3 мин 5 с')
    expect(durationText(at, '2026-12-05T10:03:00.000Z')).toBe('3 мин')
    expect(durationText(at, '2026-12-05T11:02:00.000Z')).toBe('1 ч 2 мин')
    // a run still going: until now
    expect(durationText(at, null, new Date('2026-12-05T10:00:30.000Z'))).toBe('30 с')
  })

  it('says the progress, or that the rules are not counted yet', () => {
    expect(progressText(3, 14)).toBe('проверено 3 из 14 правил')
    expect(progressText(0, 1)).toBe('проверено 0 из 1 правила')
    expect(progressText(0, 0)).toBe('готовится')
  })
})

describe('who did it', () => {
  it('names an API key by its name, anything else as recorded', () => {
    expect(actorText('key:1:первый запуск')).toBe('ключ «первый запуск»')
    expect(actorText('cli')).toBe('cli')
  })
})

describe('problems by field', () => {
  it('puts each problem at its field (input. and list indexes dropped), the rest above the buttons', () => {
    const byField = problemsByField([
      { field: 'cron', message: 'не выражение cron: значение 25 вне диапазона 0-23' },
      { field: 'input.name', message: 'пусто' },
      { field: 'recipients.1', message: '"x" не адрес e-mail' },
      { field: null, message: 'нет доступа к рынку SPB' },
      { field: 'somethingElse', message: 'прочее' },
    ], ['name', 'cron', 'recipients'])
    expect(byField).toEqual({
      cron: ['не выражение cron: значение 25 вне диапазона 0-23'],
      name: ['пусто'],
      recipients: ['"x" не адрес e-mail'],
      '': ['нет доступа к рынку SPB', 'прочее'],
    })
  })

  it('takes a parameter named in a refusal\'s text when the refusal has no field', () => {
    expect(problemsByField([{ field: null, message: 'изменение правила address-duplicate: params.streetEdits: Invalid input' }], ['params.streetEdits', 'params']))
      .toEqual({ 'params.streetEdits': ['изменение правила address-duplicate: params.streetEdits: Invalid input'] })
  })
})

describe('rule parameters', () => {
  const original = { entity: 'address', streetEdits: 1, byInn: true, statuses: ['ACTIVE', 'SUSPENDED'], any: { field: 'house' } }

  it('shows each value in its box and reads it back as its own type', () => {
    const drafts = Object.fromEntries(Object.entries(original).map(([k, v]) => [k, paramDraft(v)]))
    expect(drafts).toEqual({ entity: 'address', streetEdits: '1', byInn: 'true', statuses: '["ACTIVE","SUSPENDED"]', any: '{"field":"house"}' })
    expect(parseParams(original, drafts)).toEqual({ params: original })
    expect(parseParams(original, { ...drafts, streetEdits: ' 2,5 ', byInn: 'false', statuses: '["ACTIVE"]' }))
      .toEqual({ params: { ...original, streetEdits: 2.5, byInn: false, statuses: ['ACTIVE'] } })
  })

  it('refuses a value of another type, in Russian, by parameter', () => {
    expect(parseParams(original, { streetEdits: 'два', byInn: 'да', statuses: '{"a":1}', any: '{oops' })).toEqual({
      errors: { streetEdits: 'Нужно число.', byInn: 'Нужно true или false.', statuses: 'Нужен список в JSON: [ … ].', any: 'Это не JSON: объект { … }.' },
    })
    expect(parseParams({ n: 1 }, { n: '' })).toEqual({ errors: { n: 'Нужно число.' } })
  })
})

describe('recipients', () => {
  it('splits what was typed on commas, semicolons, spaces and lines', () => {
    expect(splitRecipients(' a@x.ru, b@x.ru;c@x.ru\nd@x.ru  ')).toEqual(['a@x.ru', 'b@x.ru', 'c@x.ru', 'd@x.ru'])
    expect(splitRecipients('  ')).toEqual([])
  })
})
