// What people read: ages, message parameters, MACs — in Russian and in the usual notations.
import { describe, expect, it } from 'vitest'
import { loadCatalog, interpolate } from '../../src/engine/catalog.ts'
import { displayMac } from '../../src/equipment/identifiers.ts'
import { messageParams } from '../../src/i18n/message-params.ts'
import { ageRu, linkViaRu, periodRu } from '../../src/i18n/ru.ts'
import { describeReference } from '../../src/incidents/linking.ts'
import { reasonWithoutPersonalData } from '../../src/access/personal-data.ts'

describe('ageRu', () => {
  it('says an age in short Russian units', () => {
    expect([0, 16, 59, 60, 300, 3600, 12_000, 86_399, 86_400, 3 * 86_400, 3 * 86_400 + 4 * 3600].map(ageRu))
      .toEqual(['0 с', '16 с', '59 с', '1 мин', '5 мин', '1 ч', '3 ч 20 мин', '23 ч 59 мин', '1 дн.', '3 дн.', '3 дн. 4 ч'])
    expect(ageRu(-5)).toBe('0 с')
  })
})

describe('displayMac', () => {
  it('shows a MAC in colon notation, upper case, whatever the notation it came in', () => {
    for (const mac of ['4419b6b52759', '44-19-B6-B5-27-59', '4419.b6b5.2759', ' 44:19:b6:b5:27:59 ']) expect(displayMac(mac)).toBe('44:19:B6:B5:27:59')
    expect(displayMac('44:19:b6')).toBeNull()
    expect(displayMac(null)).toBeNull()
  })
})

describe('finding messages', () => {
  const message = async (ruleId: string, data: Record<string, string | number | null>) =>
    interpolate((await loadCatalog()).get(ruleId)!.message.ru, messageParams(data))

  it('a MAC in colon notation; the data keeps the 12 hex digits', async () => {
    const data = { mac: '4419b6b52759', count: 2, keys: 'I1, I2' }
    expect(await message('equipment-duplicate-mac', data)).toBe('MAC-адрес 44:19:B6:B5:27:59 записан на 2 устройства: I1, I2')
    expect(data.mac).toBe('4419b6b52759')
  })

  it('an open-ended overlap is said in words, not «по —»', async () => {
    const base = { first: 'D-1', second: 'D-2', product: 'INET', address: 'A-1' }
    expect(await message('contract-overlap', { ...base, from: '2025-06-01', to: null }))
      .toBe('Договоры D-1 и D-2 на услугу INET по адресу A-1 действуют одновременно с 2025-06-01, без срока окончания')
    expect(await message('contract-overlap', { ...base, from: '2025-06-01', to: '2025-12-31' }))
      .toBe('Договоры D-1 и D-2 на услугу INET по адресу A-1 действуют одновременно с 2025-06-01 по 2025-12-31')
    expect(periodRu(null, null)).toBe('без срока окончания')
  })

  it('reasons, statuses and matching criteria in Russian', async () => {
    expect(await message('address-incomplete', { address: 'A-1', reason: 'bad-postal-code', text: 'Москва, Ленина 5', house: '5', postalCode: '1234' }))
      .toBe('Адрес A-1 неполон (индекс не из 6 цифр): «Москва, Ленина 5», дом 5, индекс 1234')
    expect(await message('address-incomplete', { address: 'A-2', reason: 'no-house', text: 'Москва, Ленина', house: null, postalCode: null }))
      .toBe('Адрес A-2 неполон (нет номера дома): «Москва, Ленина», дом —, индекс —')
    expect(await message('equipment-on-inactive-contract', { equipment: 'I1', contract: 'D-1', 'contract.status': 'TERMINATED', 'contract.validTo': '2025-01-31' }))
      .toBe('Устройство I1 установлено по договору D-1, который не действует (статус расторгнут, окончание 2025-01-31)')
    expect(await message('customer-duplicate', { count: 2, keys: 'C-1, C-2', matchedBy: 'inn, name+phone' }))
      .toBe('2 карточки клиента описывают одного клиента (ИНН, имя и телефон): C-1, C-2')
    // a label a rule file adds and the catalogue does not know is shown as written
    expect(messageParams({ reason: 'my-label' }).reason).toBe('my-label')
  })
})

describe('incident link reasons', () => {
  const customer = { field: 'customer' as const, value: '+7 916 123-45-67', type: 'customer' as const, key: 'C-1', id: 1, how: 'phone normalised', markets: [] }

  it('say in Russian how a reference was recognised, and a key given as it is plainly', () => {
    expect(describeReference(customer)).toBe('клиент C-1 (введено «+7 916 123-45-67», совпадение по телефону)')
    expect(describeReference({ ...customer, field: 'contract', type: 'contract', value: 'D-7', key: 'D-7', how: 'exact key' })).toBe('договор D-7')
    expect(describeReference({ ...customer, field: 'address', type: 'address', value: 'ленина 5', key: 'A-1', how: 'address normalised (one of 2 duplicate records)', duplicates: 2 }))
      .toBe('адрес A-1 (введено «ленина 5», совпадение по адресу после нормализации, одна из 2 записей-дублей)')
  })

  it('lose what a person typed for a customer for those who do not read personal data — the Russian form and the stored English one', () => {
    const reason = linkViaRu(describeReference(customer), 'contract-overlap', 'customer', { type: 'contract', key: 'D-1' })
    expect(reason).toBe('клиент C-1 (введено «+7 916 123-45-67», совпадение по телефону): находка правила contract-overlap, связанная запись — договор клиента D-1')
    expect(reasonWithoutPersonalData(reason)).toBe('клиент C-1 (совпадение по телефону): находка правила contract-overlap, связанная запись — договор клиента D-1')
    expect(reasonWithoutPersonalData('customer C-1 (resolved from «+7 916 123-45-67», phone normalised): contract-overlap names it'))
      .toBe('customer C-1 (phone normalised): contract-overlap names it')
    // an address typed is no personal data: it stays
    expect(reasonWithoutPersonalData('адрес A-1 (введено «ленина 5», совпадение по адресу после нормализации)')).toContain('«ленина 5»')
  })
})
