import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { normalizeAddress, parseAddress, type AddressInput, type AddressParts } from '../../src/addresses/parse.ts'

const key = (text: string): string => normalizeAddress({ text }).normalized

describe('parseAddress: components as people write them', () => {
  it.each<[string, Partial<AddressParts>]>([
    // Moscow, the textbook form and its variations
    ['г. Москва, ул. Ленина, д. 5, кв. 12', { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5', building: null, apartment: '12', postalCode: null }],
    ['город Москва, улица Ленина, дом 5, квартира 12', { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5', apartment: '12' }],
    ['г Москва ул Ленина д 5 кв 12', { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5', apartment: '12' }],
    ['МОСКВА УЛ ЛЕНИНА Д5 КВ12', { city: 'Москва', streetType: 'ул', streetName: 'ЛЕНИНА', house: '5', apartment: '12' }],
    ['Москва, Ленина ул., 5к2-12', { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5', building: '2', apartment: '12' }],
    ['Ленина ул., д. 5, кв. 12, г. Москва', { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5', apartment: '12' }],
    ['г Москва Ленина ул 5', { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5' }],
    ['Москва, ул. Ленина, 5к2 стр 1', { house: '5', building: '2', structure: '1', apartment: null }],
    ['Москва, ул. Ленина, д5 корп. 2, стр. 1, кв. 3', { house: '5', building: '2', structure: '1', apartment: '3' }],
    ['Москва, ул. Ленина, 5 с 1', { house: '5', structure: '1' }],
    ['Москва, ул. Ленина, д. 12-а', { house: '12А' }],
    ['Москва, ул. Ленина, д. 12 А', { house: '12А' }],
    ['Москва, ул. Ленина, 12а', { house: '12А' }],
    ['Москва, ул. Ленина, д. 5a', { house: '5А' }], // Latin 'a' typed for the letter
    ['г. Москва, ул. Солянка, д. 1/2, стр. 1', { streetName: 'Солянка', house: '1/2', structure: '1' }],
    ['Москва, Варшавское ш., 1 стр 2', { streetType: 'ш', streetName: 'Варшавское', house: '1', structure: '2' }],
    ['Москва, ш. Энтузиастов, д. 31', { streetType: 'ш', streetName: 'Энтузиастов', house: '31' }],
    ['Москва, пр-т Мира, вл. 3', { streetType: 'пр-т', streetName: 'Мира', house: '3' }],
    ['Москва, Ленинский проспект, 32', { streetType: 'пр-т', streetName: 'Ленинский', house: '32' }],
    ['Москва, Кривоколенный пер., 10 стр. 5', { streetType: 'пер', streetName: 'Кривоколенный', house: '10', structure: '5' }],
    ['Москва, Гоголевский б-р, 8', { streetType: 'б-р', streetName: 'Гоголевский', house: '8' }],
    ['Москва, бул. Дмитрия Донского, 9', { streetType: 'б-р', streetName: 'Дмитрия Донского', house: '9' }],
    ['Москва, пл. Революции, 2', { streetType: 'пл', streetName: 'Революции', house: '2' }],
    ['Москва, Софийская наб., 14', { streetType: 'наб', streetName: 'Софийская', house: '14' }],
    ['Москва, проезд Шокальского, 31', { streetType: 'проезд', streetName: 'Шокальского', house: '31' }],
    ['Москва, 1-я Тверская-Ямская ул., 5', { streetType: 'ул', streetName: '1-я Тверская-Ямская', house: '5' }],
    ['Москва, 3-я ул. Строителей, 25, кв. 12', { city: 'Москва', streetType: 'ул', streetName: '3-я Строителей', house: '25', apartment: '12' }],
    ['Москва, ул. Маршала Жукова, д. 7', { streetName: 'Маршала Жукова', house: '7' }],
    ['Россия, г. Москва, ул. им. Ленина, д. 05', { city: 'Москва', streetName: 'Ленина', house: '5' }],
    ['Москва, ул. Ленина 5 подъезд 2 кв 7', { house: '5', apartment: '7' }],
    ['Москва, ул. Ленина, д. 5, оф. 305', { house: '5', apartment: '305' }],
    // numbers that belong to the street name
    ['ул. 8 Марта, д. 4', { streetType: 'ул', streetName: '8 Марта', house: '4' }],
    ['8 Марта ул., 4', { streetType: 'ул', streetName: '8 Марта', house: '4' }],
    ['ул 8 Марта 4 кв 9', { streetName: '8 Марта', house: '4', apartment: '9' }],
    ['ул. 50 лет Октября 3', { streetName: '50 лет Октября', house: '3' }],
    ['1-я Парковая ул., 5', { streetType: 'ул', streetName: '1-я Парковая', house: '5' }],
    ['Москва, пр-т 60-летия Октября, 10', { streetType: 'пр-т', streetName: '60-летия Октября', house: '10' }],
    ['мкр. 5, д. 12', { streetType: 'мкр', streetName: '5', house: '12' }],
    // postal code and region in front
    ['125009, г. Москва, ул. Тверская, д. 7', { postalCode: '125009', city: 'Москва', streetName: 'Тверская', house: '7' }],
    ['Москва, ул. Тверская, 7, 125009', { postalCode: '125009', city: 'Москва', house: '7' }],
    ['12500, Москва, ул. Тверская, 7', { postalCode: '12500', house: '7' }], // malformed, kept raw
    ['142100, Московская обл., г. Подольск, ул. Кирова, д. 3 стр 1', { postalCode: '142100', region: 'Московская обл.', city: 'Подольск', streetName: 'Кирова', house: '3', structure: '1' }],
    ['Московская область, Подольск, Кирова ул., 3-7', { region: 'Московская обл.', city: 'Подольск', streetType: 'ул', streetName: 'Кирова', house: '3', apartment: '7' }],
    ['Московская обл Подольск ул Кирова 3-7', { region: 'Московская обл.', city: 'Подольск', streetName: 'Кирова', house: '3', apartment: '7' }],
    ['г.о. Подольск, г Подольск, ул Кирова, д3 кв7', { city: 'Подольск', streetName: 'Кирова', house: '3', apartment: '7' }],
    ['Респ. Татарстан, г. Казань, ул. Баумана, д. 51', { region: 'Республика Татарстан', city: 'Казань', streetName: 'Баумана', house: '51' }],
    ['420111, Республика Татарстан, Казань, Баумана ул, 51', { postalCode: '420111', region: 'Республика Татарстан', city: 'Казань', house: '51' }],
    ['Татарстан Респ, Казань г, Баумана ул, д 51', { region: 'Республика Татарстан', city: 'Казань', streetName: 'Баумана', house: '51' }],
    ['Чувашская Республика, г. Чебоксары, пр-кт Ленина, 10', { region: 'Чувашская Республика', city: 'Чебоксары', streetType: 'пр-т' }],
    ['Краснодарский край, г. Сочи, Курортный пр-т, 50', { region: 'Краснодарский край', city: 'Сочи', streetType: 'пр-т', streetName: 'Курортный', house: '50' }],
    ['г Казань, ул Пушкина, д 12 корп Б', { city: 'Казань', house: '12', building: 'Б' }],
    // Saint Petersburg
    ['СПб, Невский пр., д. 28, лит. А', { city: 'Санкт-Петербург', streetType: 'пр-т', streetName: 'Невский', house: '28А' }],
    ['Санкт-Петербург, 5-я линия В.О., д. 10', { city: 'Санкт-Петербург', streetType: 'линия', streetName: '5-я', house: '10' }],
    ['Санкт-Петербург, наб. реки Фонтанки, 90к3', { streetType: 'наб', streetName: 'реки Фонтанки', house: '90', building: '3' }],
    // villages and initials
    ['д. Ивановка, ул. Центральная, д. 5', { city: 'Ивановка', streetName: 'Центральная', house: '5' }],
    ['с. Покровское, ул. Мира, 5 с 1', { city: 'Покровское', streetName: 'Мира', house: '5', structure: '1' }],
    ['ул.К.Маркса,д.5', { streetType: 'ул', streetName: 'К. Маркса', house: '5' }],
    ['ул. Д. Бедного, 3', { streetName: 'Д. Бедного', house: '3' }],
    // the street type after the name: the letter is still an initial, not a village («д.»)
    ['г. Москва, Д. Бедного ул., д. 3', { city: 'Москва', streetType: 'ул', streetName: 'Д. Бедного', house: '3' }],
    ['Москва, Д. Бедного ул 3', { city: 'Москва', streetType: 'ул', streetName: 'Д. Бедного', house: '3' }],
    // …but a village stays a village before a street of its own
    ['д. Грибки Центральная ул 5', { city: 'Грибки', streetType: 'ул', streetName: 'Центральная', house: '5' }],
    ['д. Грибки ул Центральная 5', { city: 'Грибки', streetType: 'ул', streetName: 'Центральная', house: '5' }],
    ['Московская обл., д. Грибки, Центральная ул., 5', { city: 'Грибки', streetName: 'Центральная', house: '5' }],
    // no street type
    ['г. Москва, Ленина 5', { city: 'Москва', streetType: null, streetName: 'Ленина', house: '5' }],
    ['Москва, Ленина, 5', { city: 'Москва', streetType: null, streetName: 'Ленина', house: '5' }],
    ['г. Нижний Новгород Ленина 5', { city: 'Нижний Новгород', streetName: 'Ленина', house: '5' }],
    // no commas, the city marker in front: a known city ends where its name ends (FIAS-style «… ул»)
    ['г Москва Маршала Рокоссовского ул, д 5', { city: 'Москва', streetType: 'ул', streetName: 'Маршала Рокоссовского', house: '5' }],
    ['г Казань Баумана ул, 51', { city: 'Казань', streetName: 'Баумана', house: '51' }],
    ['г Нижний Новгород Большая Покровская ул 5', { city: 'Нижний Новгород', streetName: 'Большая Покровская', house: '5' }],
    // an unknown city: its first words, and the last one is the street
    ['г Зеленоград Панфиловский пр-кт 10', { city: 'Зеленоград', streetType: 'пр-т', streetName: 'Панфиловский', house: '10' }],
    // nothing to find
    ['', { postalCode: null, region: null, city: null, streetType: null, streetName: null, house: null, apartment: null }],
    ['г. Москва, ул. Ленина', { city: 'Москва', streetName: 'Ленина', house: null }],
  ])('%s', (text, expected) => {
    expect(parseAddress(text)).toMatchObject(expected)
  })
})

describe('normalizeAddress: the same place however written', () => {
  const sameGroups: Array<[string, string[]]> = [
    ['street type after the name, no commas (FIAS style)', [
      'г. Москва, ул. Маршала Рокоссовского, д. 5',
      'г Москва Маршала Рокоссовского ул, д 5',
      'Москва, Маршала Рокоссовского ул., 5',
    ]],
    ['an initial before a postfix street type', [
      'г. Москва, ул. Д. Бедного, д. 3',
      'г. Москва, Д. Бедного ул., д. 3',
      'Москва, Д.Бедного ул 3',
    ]],
    ['Moscow flat', [
      'г. Москва, ул. Ленина, д. 5, кв. 12',
      'г Москва ул Ленина д 5 кв 12',
      'Москва, Ленина ул., 5-12',
      'МОСКВА, УЛИЦА ЛЕНИНА, ДОМ 5, КВАРТИРА 12',
      'город Москва ,  улица  Ленина ,дом 5,кв.12',
      '125009, г. Москва, ул. Ленина, д. 5, кв. 12',
      'Россия, Москва г, Ленина ул, д 5, кв 12',
      'Ленина ул., д. 5, кв. 12, г. Москва',
      'г.Москва,ул.Ленина,д.5,кв.12',
      'мск, ул Ленина, д5 кв12',
      'Москва, ул. им. Ленина, д. 5, кв. 012',
      'г Москва Ленина ул 5 кв 12',
    ]],
    ['корпус and flat', [
      'Москва, ул. Ленина, д. 5, корп. 2, кв. 12',
      'Москва, ул. Ленина, 5к2-12',
      'Москва, ул Ленина, д5 к2 кв12',
      'Москва, ул. Ленина, дом 5 корпус 2 квартира 12',
      'Москва, ул. Ленина, д. 5, к. 2, кв. 12',
    ]],
    ['корпус and строение', [
      'Москва, Варшавское ш., д. 5, корп. 2, стр. 1',
      'Москва, Варшавское шоссе, 5к2 стр 1',
      'Москва, ш. Варшавское, 5 к 2 с 1',
      'Москва, Варшавское ш., 5к2с1',
      'Москва, Варшавское ш., д. 5, корпус 2, строение 1',
    ]],
    ['house letter', [
      'Москва, пр-т Мира, д. 12А',
      'Москва, проспект Мира, 12 А',
      'Москва, просп. Мира, д. 12-а',
      'Москва, пр. Мира, 12а',
      'Москва, Мира пр-кт, д.12 "А"',
    ]],
    ['house with a fraction', [
      'г. Москва, ул. Солянка, д. 1/2, стр. 1',
      'Москва, Солянка ул., 1/2 стр 1',
      'москва, улица солянка, дом 1/2, строение 1',
    ]],
    ['ё is е', [
      'Москва, ул. Пётра Алексеева, д. 3',
      'Москва, ул. Петра Алексеева, д. 3',
      'Москва, Петра Алексеева ул., 3',
    ]],
    ['Podolsk with postal code and region', [
      '142100, Московская обл., г. Подольск, ул. Кирова, д. 3, кв. 7',
      'Московская область, Подольск, Кирова ул., 3-7',
      'г.о. Подольск, г Подольск, ул Кирова, д3 кв7',
      'Подольск г, Кирова ул, д 3, кв 7',
      'Московская обл Подольск ул Кирова 3-7',
    ]],
    ['Kazan with republic', [
      'Респ. Татарстан, г. Казань, ул. Баумана, д. 51',
      '420111, Республика Татарстан, Казань, Баумана ул, 51',
      'Татарстан Респ, Казань г, Баумана ул, д 51',
      'г. Казань, улица Баумана, дом 51',
    ]],
    ['Saint Petersburg', [
      'Санкт-Петербург, Невский пр., д. 28, лит. А',
      'СПб, Невский проспект, 28А',
      '191186, г. Санкт-Петербург, пр-т Невский, д. 28 литера А',
      'г. С-Пб, Невский пр-кт, дом 28а',
    ]],
    ['numbers in street names', [
      'Москва, ул. 8 Марта, д. 4',
      'Москва, 8 Марта ул., 4',
      'г Москва ул 8 Марта д 4',
    ]],
    ['ordinals', [
      'Москва, 1-я Парковая ул., д. 5',
      'Москва, ул. 1-я Парковая, 5',
      'Москва, 1я Парковая улица, дом 5',
      'Москва, ул. 1-ая Парковая, д 5',
    ]],
    ['бульвар', [
      'Москва, Гоголевский б-р, д. 8',
      'Москва, Гоголевский бульвар, 8',
      'Москва, бул. Гоголевский, 8',
    ]],
    ['переулок', [
      'Москва, Кривоколенный пер., д. 10',
      'Москва, переулок Кривоколенный, 10',
    ]],
    ['набережная', [
      'Санкт-Петербург, наб. реки Фонтанки, 90',
      'Санкт-Петербург, набережная реки Фонтанки, д. 90',
    ]],
    ['площадь', [
      'Москва, пл. Революции, 2',
      'Москва, площадь Революции, дом 2',
    ]],
    ['микрорайон', [
      'Подольск, мкр. Южный, д. 4',
      'Подольск, микрорайон Южный, 4',
    ]],
    ['Б. / Большая, М. / Малая: abbreviated adjectives of a name', [
      'г. Москва, ул. Большая Садовая, д. 10, кв. 5',
      'Москва, Б. Садовая ул., 10, кв 5',
      'г. Москва, ул. Б.Садовая, д.10, кв.5',
    ]],
    ['Малая Бронная', [
      'Москва, ул. Малая Бронная, 24',
      'Москва, М. Бронная ул., д. 24',
    ]],
    ['Нижний Новгород as Ниж. Новгород', [
      'г. Нижний Новгород, ул. Большая Покровская, 5',
      'г. Ниж. Новгород, Б. Покровская ул., д. 5',
    ]],
  ]

  it.each(sameGroups)('%s', (_label, variants) => {
    const expected = key(variants[0])
    for (const v of variants) expect({ text: v, key: key(v) }).toEqual({ text: v, key: expected })
  })
})

describe('normalizeAddress: different places stay different', () => {
  it.each<[string, string, string]>([
    ['other street type', 'Москва, ул. Ленина, д. 5', 'Москва, пр-т Ленина, д. 5'],
    ['other street type (пер)', 'Москва, Ленина пер., 5', 'Москва, Ленина ул., 5'],
    ['street type vs none', 'Москва, ул. Ленина, 5', 'Москва, Ленина, 5'],
    ['other flat', 'Москва, ул. Ленина, д. 5, кв. 12', 'Москва, ул. Ленина, д. 5, кв. 13'],
    ['flat vs no flat', 'Москва, ул. Ленина, д. 5, кв. 12', 'Москва, ул. Ленина, д. 5'],
    ['house letter', 'Москва, ул. Ленина, д. 5', 'Москва, ул. Ленина, д. 5А'],
    ['other house letter', 'Москва, ул. Ленина, д. 5А', 'Москва, ул. Ленина, д. 5Б'],
    ['other корпус', 'Москва, ул. Ленина, 5 к1', 'Москва, ул. Ленина, 5 к2'],
    ['корпус vs строение', 'Москва, ул. Ленина, 5 к1', 'Москва, ул. Ленина, 5 стр 1'],
    ['корпус vs house letter', 'Москва, ул. Ленина, 5 к2', 'Москва, ул. Ленина, 52'],
    ['fraction vs house', 'Москва, ул. Солянка, 1/2', 'Москва, ул. Солянка, 1'],
    ['other city', 'г. Москва, ул. Ленина, 5', 'г. Подольск, ул. Ленина, 5'],
    ['other city, same postal code', '142100, г. Подольск, ул. Ленина, 5', '142100, г. Климовск, ул. Ленина, 5'],
    ['other house', 'Москва, ул. Ленина, 5', 'Москва, ул. Ленина, 7'],
    ['8 Марта is not house 8', 'Москва, ул. 8 Марта, д. 4', 'Москва, ул. Марта, д. 8'],
    ['8 Марта house 4 vs 8 Марта house 8', 'Москва, ул. 8 Марта, 4', 'Москва, ул. 8 Марта, 8'],
    ['1-я vs 2-я Парковая', 'Москва, 1-я Парковая ул., 5', 'Москва, 2-я Парковая ул., 5'],
    ['1-я Парковая vs Парковая', 'Москва, 1-я Парковая ул., 5', 'Москва, Парковая ул., 5'],
    ['50 лет Октября, house 3 vs 5', 'ул. 50 лет Октября, 3', 'ул. 50 лет Октября, 5'],
    ['other name', 'Москва, ул. Ленина, 5', 'Москва, ул. Ленская, 5'],
    ['Большая Садовая vs Садовая', 'Москва, ул. Большая Садовая, 10', 'Москва, ул. Садовая, 10'],
    ['Большая vs Малая Бронная', 'Москва, ул. Большая Бронная, 24', 'Москва, ул. Малая Бронная, 24'],
    ['flat 1 vs flat 12', 'Москва, ул. Ленина 5-1', 'Москва, ул. Ленина 5-12'],
    ['5к2-12 vs 5-12', 'Москва, ул. Ленина, 5к2-12', 'Москва, ул. Ленина, 5-12'],
    ['Невский 28 vs 28А', 'СПб, Невский пр., 28', 'СПб, Невский пр., 28, лит. А'],
    ['шоссе vs улица', 'Москва, Варшавское ш., 1', 'Москва, Варшавская ул., 1'],
  ])('%s', (_why, a, b) => {
    expect(key(a)).not.toEqual(key(b))
  })
})

describe('normalizeAddress: key shape', () => {
  it('is city|type|name|house|к…|с…|кв…, lower case, without postal code and region', () => {
    const r = normalizeAddress({ text: '125009, Московская обл., г. Подольск, ул. Ленина, д. 5А, корп. 2, стр. 1, кв. 12' })
    expect(r.normalized).toBe('подольск|ул|ленина|5а|к2|с1|кв12')
    expect(r.houseKey).toBe('подольск|ул|ленина|5а|к2|с1')
    expect(r.streetKey).toBe('подольск|ул|ленина')
    expect(r.parts.postalCode).toBe('125009')
    expect(r.parts.region).toBe('Московская обл.')
  })

  it('leaves unknown fields empty', () => {
    expect(normalizeAddress({ text: 'Казань, ул. Баумана, 51' }).normalized).toBe('казань|ул|баумана|51|||')
  })

  it('gives flats of one house the same houseKey and streetKey', () => {
    const a = normalizeAddress({ text: 'Москва, ул. Ленина, д. 5, кв. 12' })
    const b = normalizeAddress({ text: 'г Москва ул Ленина 5-13' })
    expect(a.normalized).not.toBe(b.normalized)
    expect(a.houseKey).toBe(b.houseKey)
    expect(a.streetKey).toBe(b.streetKey)
  })

  it('gives houses of one street the same streetKey only', () => {
    const a = normalizeAddress({ text: 'Москва, ул. Ленина, д. 5' })
    const b = normalizeAddress({ text: 'Москва, ул. Ленина, д. 7' })
    expect(a.houseKey).not.toBe(b.houseKey)
    expect(a.streetKey).toBe(b.streetKey)
  })

  it('is stable under case, spacing and comma noise', () => {
    const bases = [
      'г. Москва, ул. Ленина, д. 5, корп. 2, кв. 12',
      '142100, Московская обл., г. Подольск, ул. 8 Марта, д. 3',
      'Респ. Татарстан, г. Казань, ул. Баумана, д. 51А',
    ]
    const noisy = fc.tuple(
      fc.constantFrom(...bases),
      fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
      fc.constantFrom(', ', ',', ' , ', ',   ', ' ,'),
    ).map(([text, upper, comma]) => ({
      text,
      variant: Array.from(text, (ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase())).join('').replaceAll(', ', comma),
    }))
    fc.assert(fc.property(noisy, ({ text, variant }) => {
      expect(key(variant)).toBe(key(text))
    }), { numRuns: 200 })
  })
})

describe('normalizeAddress: given components', () => {
  const reference = key('г. Москва, ул. Ленина, д. 5, кв. 12')

  it.each<[string, AddressInput]>([
    ['street with type after the name', { text: 'г. Москва, что-то не то', street: 'Ленина ул.', house: '5', apartment: '12' }],
    ['street with type before the name', { text: 'Москва', street: 'ул. Ленина', house: 'д. 5', apartment: 'кв. 12' }],
    ['street name only, type from the text', { text: 'Москва, ул. Ленина, 5', street: 'Ленина', apartment: '012' }],
    ['city from a federal region', { text: 'ул. Ленина, д. 5, кв. 12', region: 'Москва' }],
    ['city from a federal region with marker', { text: 'ул. Ленина, д. 5, кв. 12', region: 'г. Москва' }],
    ['city component with marker', { text: 'ул. Ленина, д. 5, кв. 12', city: 'г Москва' }],
    ['components win over the text', { text: 'г. Подольск, пр-т Мира, 7', city: 'Москва', street: 'ул Ленина', house: '5', apartment: '12' }],
    ['empty components are not given', { text: 'г. Москва, ул. Ленина, д. 5, кв. 12', city: '', street: '  ', house: null, apartment: undefined }],
  ])('%s', (_label, input) => {
    expect(normalizeAddress(input).normalized).toBe(reference)
  })

  it('reads a compact house cell and keeps the other given parts', () => {
    const r = normalizeAddress({ text: 'Москва, ул. Ленина', house: '5к2', apartment: '12' })
    expect(r.parts).toMatchObject({ house: '5', building: '2', apartment: '12' })
    expect(r.normalized).toBe(key('Москва, ул. Ленина, 5к2-12'))
  })

  it('reads building and house letter cells', () => {
    const r = normalizeAddress({ text: 'Казань, ул. Пушкина', house: '12 а', building: 'корп. 3' })
    expect(r.parts).toMatchObject({ city: 'Казань', house: '12А', building: '3' })
  })

  it('keeps a malformed postal code raw and out of the key', () => {
    const r = normalizeAddress({ text: 'Москва, ул. Ленина, 5', postalCode: ' 12345 ' })
    expect(r.parts.postalCode).toBe('12345')
    expect(r.normalized).toBe(key('Москва, ул. Ленина, 5'))
  })

  it('shows the region as a display value', () => {
    expect(normalizeAddress({ text: 'Подольск, ул. Кирова, 3', region: 'Московская область' }).parts.region).toBe('Московская обл.')
    expect(normalizeAddress({ text: 'Казань, ул. Баумана, 51', region: 'Респ Татарстан' }).parts.region).toBe('Республика Татарстан')
  })

  it('does not make a non-federal region the city', () => {
    expect(normalizeAddress({ text: 'ул. Кирова, 3', region: 'Московская обл.' }).parts.city).toBeNull()
  })

  it('treats Saint Petersburg aliases in the city cell as one city', () => {
    const a = normalizeAddress({ text: 'x', city: 'СПб', street: 'Невский пр-т', house: '28 А' })
    const b = normalizeAddress({ text: 'Санкт-Петербург, Невский проспект, д. 28а' })
    expect(a.parts.city).toBe('Санкт-Петербург')
    expect(a.normalized).toBe(b.normalized)
  })
})
