// Merging duplicates and «Не дубликат» on a finding's page: the pure part (web/src/screens/findings/merge.ts).
import { describe, expect, it } from 'vitest'
import {
  choiceKey, distinctProblem, fieldWord, mergeableTypeOf, mergedEvent, mergedText, mergeInput, pairCount, shownSource, valueText,
  type MergeChoice, type PanelField,
} from '../../web/src/screens/findings/merge.ts'

const addresses = [{ type: 'address' }, { type: 'address' }]

describe('mergeableTypeOf', () => {
  it('offers a merge for a duplicate group of two or more addresses or customers', () => {
    expect(mergeableTypeOf('fuzzy-duplicate', addresses)).toBe('ADDRESS')
    expect(mergeableTypeOf('fuzzy-duplicate', [{ type: 'customer' }, { type: 'customer' }, { type: 'customer' }])).toBe('CUSTOMER')
  })

  it('offers none for other kinds, one record, mixed or other types, or a rule it does not know', () => {
    expect(mergeableTypeOf('unique', addresses)).toBeNull()
    expect(mergeableTypeOf(undefined, addresses)).toBeNull()
    expect(mergeableTypeOf('fuzzy-duplicate', [{ type: 'address' }])).toBeNull()
    expect(mergeableTypeOf('fuzzy-duplicate', [{ type: 'address' }, { type: 'customer' }])).toBeNull()
    expect(mergeableTypeOf('fuzzy-duplicate', [{ type: 'equipment' }, { type: 'equipment' }])).toBeNull()
  })
})

const phone: PanelField = { field: 'phone', from: 'C-1', differs: true, options: [{ key: 'C-1', value: '+7 916' }, { key: 'C-2', value: '8 916' }, { key: 'C-3', value: null }] }
const email: PanelField = { field: 'email', from: 'C-2', differs: true, options: [{ key: 'C-1', value: null }, { key: 'C-2', value: 'a@b.ru' }, { key: 'C-3', value: 'c@d.ru' }] }
const name: PanelField = { field: 'name', from: 'C-1', differs: false, options: [{ key: 'C-1', value: 'Иванов' }, { key: 'C-2', value: 'Иванов' }, { key: 'C-3', value: 'Иванов' }] }

describe('shownSource', () => {
  it("is the preview's pick while nothing was chosen and the survivor is the preview's", () => {
    expect(shownSource(phone, 'C-1', 'C-1', {})).toBe('C-1')
    expect(shownSource(email, 'C-1', 'C-1', {})).toBe('C-2')
  })

  it("is the person's choice when it names a member", () => {
    expect(shownSource(phone, 'C-1', 'C-1', { phone: 'C-2' })).toBe('C-2')
    expect(shownSource(phone, 'C-1', 'C-1', { phone: 'C-9' })).toBe('C-1')
  })

  it("follows a newly chosen survivor to its own value, and keeps the preview's pick where it has none", () => {
    expect(shownSource(phone, 'C-2', 'C-1', {})).toBe('C-2')
    expect(shownSource(phone, 'C-3', 'C-1', {})).toBe('C-1')
    expect(shownSource(email, 'C-3', 'C-1', {})).toBe('C-3')
  })
})

describe('mergeInput', () => {
  const base: MergeChoice = { type: 'CUSTOMER', keys: ['C-1', 'C-2', 'C-3'], survivor: null, fields: [phone, email, name], previewSurvivor: 'C-1', chosen: {}, findingId: '17' }

  it('sends every differing field as shown, never the agreeing ones, and no survivor while the proposal stands', () => {
    expect(mergeInput(base)).toEqual({ type: 'CUSTOMER', keys: ['C-1', 'C-2', 'C-3'], fields: [{ field: 'phone', from: 'C-1' }, { field: 'email', from: 'C-2' }], findingId: '17' })
  })

  it('sends the chosen survivor, the chosen fields and the version', () => {
    const input = mergeInput({ ...base, survivor: 'C-3', chosen: { phone: 'C-2' }, version: 'v1' })
    expect(input).toEqual({
      type: 'CUSTOMER', keys: ['C-1', 'C-2', 'C-3'], survivor: 'C-3', fields: [{ field: 'phone', from: 'C-2' }, { field: 'email', from: 'C-3' }], version: 'v1', findingId: '17',
    })
  })

  it('leaves fields out when none differs', () => {
    expect(mergeInput({ ...base, fields: [name] })).not.toHaveProperty('fields')
  })

  it('choiceKey changes with any choice and never with the version', () => {
    expect(choiceKey({ ...base, version: 'a' })).toBe(choiceKey({ ...base, version: 'b' }))
    expect(choiceKey({ ...base, chosen: { phone: 'C-2' } })).not.toBe(choiceKey(base))
    expect(choiceKey({ ...base, survivor: 'C-2' })).not.toBe(choiceKey(base))
  })
})

describe('words', () => {
  it('names import columns in Russian by their CSV or field name, others as they are', () => {
    expect(fieldWord('postal_code')).toBe('Индекс')
    expect(fieldWord('postalCode')).toBe('Индекс')
    expect(fieldWord('phone')).toBe('Телефон')
    expect(fieldWord('x_custom')).toBe('x_custom')
  })

  it("says a customer's kind as the record's page does; empty is empty", () => {
    expect(valueText('kind', 'COMPANY')).toBe('организация')
    expect(valueText('kind', 'PERSON')).toBe('физическое лицо')
    expect(valueText('phone', null)).toBe('')
    expect(valueText('phone', '+7')).toBe('+7')
  })
})

describe('a merged event', () => {
  it('reads the merge id (string or number), survivor and members', () => {
    expect(mergedEvent({ mergeId: '5', survivor: 'A-1', members: ['A-1', 'A-2'] })).toEqual({ mergeId: '5', survivor: 'A-1', members: ['A-1', 'A-2'] })
    expect(mergedEvent({ mergeId: 7 }).mergeId).toBe('7')
    expect(mergedEvent(null)).toEqual({ mergeId: null, survivor: null, members: [] })
    expect(mergedEvent({ members: ['A', 3] }).members).toEqual(['A'])
  })

  it('says which records went into which', () => {
    expect(mergedText('A-1', ['A-1', 'A-2', 'A-3'])).toBe('A-2, A-3 → A-1')
    expect(mergedText('A-1', ['A-2'])).toBe('A-2 → A-1')
    expect(mergedText(null, ['A-2'])).toBe('A-2')
  })
})

describe('«Не дубликат»', () => {
  it('needs two records and a reason', () => {
    expect(distinctProblem(['A-1'], 'разные квартиры')).toMatch(/две записи/)
    expect(distinctProblem(['A-1', 'A-2'], '  ')).toMatch(/причину/)
    expect(distinctProblem(['A-1', 'A-2'], 'разные квартиры')).toBeNull()
  })

  it('counts the pairs marked', () => {
    expect([0, 1, 2, 3, 4].map(pairCount)).toEqual([0, 0, 1, 3, 6])
  })
})
