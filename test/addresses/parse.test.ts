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
    // a number joined to a name by a hyphen is part of the name (SPEC «Readings that keep distinct places distinct»)
    ['дер. Горки-2', { city: 'Горки-2', streetName: null, house: null }],
    ['Московская обл., д. Горки-10, д. 5', { region: 'Московская обл.', city: 'Горки-10', house: '5' }],
    ['Арзамас-16', { city: 'Арзамас-16', streetName: null, house: null }],
    ['г. Арзамас-16, ул. Мира, д. 5', { city: 'Арзамас-16', streetName: 'Мира', house: '5', apartment: null }],
    ['Нижегородская обл., г. Саров (Арзамас-16), ул. Мира, 5', { city: 'Саров', streetName: 'Мира', house: '5' }],
    ['ул. Новая-3', { streetType: 'ул', streetName: 'Новая-3', house: null }],
    ['г. Тула, ул. Новая-3, д. 7, кв. 2', { city: 'Тула', streetName: 'Новая-3', house: '7', apartment: '2' }],
    ['ул. Новая-633, д. 1', { streetType: 'ул', streetName: 'Новая-633', house: '1', apartment: null }],
    ['Новая-633 ул., 1', { streetType: 'ул', streetName: 'Новая-633', house: '1' }],
    ['мкр. Северный-2', { streetType: 'мкр', streetName: 'Северный-2', house: null }],
    ['г. Белгород, мкр. Северный-2, д. 14', { city: 'Белгород', streetType: 'мкр', streetName: 'Северный-2', house: '14' }],
    ['дер. Каменка-5', { city: 'Каменка-5', house: null, apartment: null }],
    ['дер. Каменка-5, ул. Лесная, 3', { city: 'Каменка-5', streetName: 'Лесная', house: '3', apartment: null }],
    ['пос. Солнечный-2, д. 8', { city: 'Солнечный-2', house: '8' }],
    ['Краснодар, ул. Ленина, 5-7', { streetName: 'Ленина', house: '5', apartment: '7' }], // after a number: the flat
    ['Краснодар, ул. Ленина, д. 5-7', { streetName: 'Ленина', house: '5', apartment: '7' }],
    ['Краснодар, ул. Ленина, 12а-5', { house: '12А', apartment: '5' }],
    ['Краснодар, ул. Ленина, д-5', { streetName: 'Ленина', house: '5' }], // after a marker: its number
    ['Краснодар, ул. Ленина - 5', { streetName: 'Ленина', house: '5' }], // a spaced dash joins nothing
    // ordinals, before or after the name
    ['Москва, 2-я Парковая ул., 5', { streetName: '2-я Парковая', house: '5' }],
    ['Москва, ул. Парковая 9-я, д. 4', { streetType: 'ул', streetName: 'Парковая 9-я', house: '4' }],
    ['Москва, Парковая 9-я ул., 4', { streetType: 'ул', streetName: 'Парковая 9-я', house: '4' }],
    ['Москва, 2-й Сельский пер., 3', { streetType: 'пер', streetName: '2-й Сельский', house: '3' }],
    ['Москва, Сельский 2-й пер., 3', { streetType: 'пер', streetName: 'Сельский 2-й', house: '3' }],
    ['Москва, 3-я ул. Ямского Поля, д. 2, корп. 13', { streetName: '3-я Ямского Поля', house: '2', building: '13' }],
    ['Москва, 1-й Щипковский пер., д. 20', { streetType: 'пер', streetName: '1-й Щипковский', house: '20' }],
    ['Москва, 2-я Тверская-Ямская ул., д. 10', { streetName: '2-я Тверская-Ямская', house: '10' }],
    // «0» or a value with no digit is no house number
    ['Москва, ул. Ленина, 0', { streetName: 'Ленина', house: null }],
    ['Москва, ул. Ленина, д. 0', { house: null }],
    ['Москва, ул. Ленина, д. б/н', { streetName: 'Ленина', house: null }],
    // forms of public Russian address conventions (Почта России, ФИАС)
    ['г. Москва, ул. 1-я Тверская-Ямская, д. 12, стр. 1', { city: 'Москва', streetType: 'ул', streetName: '1-я Тверская-Ямская', house: '12', structure: '1' }],
    ['119019, г. Москва, ул. Новый Арбат, д. 21', { postalCode: '119019', city: 'Москва', streetName: 'Новый Арбат', house: '21' }],
    ['г. Москва, пр-кт Мира, д. 119, стр. 536', { streetType: 'пр-т', streetName: 'Мира', house: '119', structure: '536' }],
    ['Московская обл., Одинцовский р-н, пос. Рублёво, ул. Советская, д. 3', { region: 'Московская обл.', city: 'Рублёво', streetName: 'Советская', house: '3' }],
    ['пос. Рублёво', { city: 'Рублёво', house: null }],
    ['с. Ивановское', { city: 'Ивановское', house: null }],
    ['Ярославская обл., с. Ивановское, ул. Центральная, д. 1', { region: 'Ярославская обл.', city: 'Ивановское', streetName: 'Центральная', house: '1' }],
    ['г. Тольятти, мкр. 3', { city: 'Тольятти', streetType: 'мкр', streetName: '3', house: null }],
    ['г. Тольятти, мкр. 3, д. 15', { city: 'Тольятти', streetType: 'мкр', streetName: '3', house: '15' }],
    ['Московская обл., тер. СНТ Дружба, уч. 12', { region: 'Московская обл.', city: 'Дружба' }],
    ['Санкт-Петербург, ул. Садовая, д. 5 лит. А', { streetName: 'Садовая', house: '5А' }],
    ['Санкт-Петербург, ул. Садовая, д. 5, литера Б', { house: '5Б' }],
    ['Москва, ул. Ленинская Слобода, влд. 3', { streetName: 'Ленинская Слобода', house: '3' }],
    ['Москва, Калужское ш., владение 7', { streetType: 'ш', streetName: 'Калужское', house: '7' }],
    ['Санкт-Петербург, наб. реки Фонтанки, д. 44', { streetType: 'наб', streetName: 'реки Фонтанки', house: '44' }],
    ['г. Москва, проезд Шокальского, д. 31, корп. 1', { streetType: 'проезд', streetName: 'Шокальского', house: '31', building: '1' }],
    ['Москва, Шокальского пр-д, 31к1', { streetType: 'проезд', streetName: 'Шокальского', house: '31', building: '1' }],
    ['Московская обл., г.о. Подольск, д. Коледино', { region: 'Московская обл.', city: 'Коледино', house: null }],
    ['142181, Московская обл., г.о. Подольск, д. Коледино, ул. Троицкая, д. 20', { postalCode: '142181', city: 'Коледино', streetName: 'Троицкая', house: '20' }],
    // numbers that ARE part of the name
    ['г. Уфа, ул. 8 Марта, д. 12', { city: 'Уфа', streetName: '8 Марта', house: '12' }],
    ['г. Лобня, ул. 40 лет Победы, д. 5', { streetName: '40 лет Победы', house: '5' }],
    ['Москва, ул. 26 Бакинских Комиссаров, д. 3, корп. 4', { streetName: '26 Бакинских Комиссаров', house: '3', building: '4' }],
    ['Самара, ул. 22 Партсъезда, 10а', { streetName: '22 Партсъезда', house: '10А' }],
    ['Москва, ул. 9 Мая, 6', { streetName: '9 Мая', house: '6' }],
    ['Тула, ул. 50-летия Октября, д. 8', { streetName: '50-летия Октября', house: '8' }],
    ['Казань, ул. 25 Октября, 2', { streetName: '25 Октября', house: '2' }],
    // Zelenograd: buildings are numbered as корпуса, without a house
    ['Зеленоград, к. 1106', { city: 'Зеленоград', house: '1106', building: null }],
    ['г. Москва, г. Зеленоград, корп. 1106, кв. 45', { city: 'Зеленоград', house: '1106', building: null, apartment: '45' }],
    ['124482, Москва, Зеленоград, к1106', { city: 'Зеленоград', house: '1106' }],
    ['Москва, ул. Ленина, к. 2', { house: null, building: '2' }], // elsewhere a корпус alone is no house
    // more everyday forms
    ['Екатеринбург, ул. Малышева, 51, оф. 1205', { city: 'Екатеринбург', streetName: 'Малышева', house: '51', apartment: '1205' }],
    ['г. Новосибирск, Красный пр-кт, д. 25/1', { streetType: 'пр-т', streetName: 'Красный', house: '25/1' }],
    ['Ростов-на-Дону, пер. Газетный, 47, кв. 3', { city: 'Ростов-на-Дону', streetType: 'пер', streetName: 'Газетный', house: '47', apartment: '3' }],
    ['Воронеж, Московский пр-т, д. 19Б', { streetType: 'пр-т', streetName: 'Московский', house: '19Б' }],
    ['Пермь, ул. Ленина, дом 10, помещение 4', { house: '10', apartment: '4' }],
    ['Самара, Московское шоссе, 4, стр. 2', { streetType: 'ш', streetName: 'Московское', house: '4', structure: '2' }],
    ['Ставропольский край, ст-ца Ессентукская, ул. Гагарина, 9', { region: 'Ставропольский край', city: 'Ессентукская', streetName: 'Гагарина', house: '9' }],
    ['Ленинградская обл., пгт. Кузьмоловский, ул. Рядового Леонида Иванова, д. 3', { city: 'Кузьмоловский', streetName: 'Рядового Леонида Иванова', house: '3' }],
    ['Владивосток, Светланская ул., 1', { city: 'Владивосток', streetType: 'ул', streetName: 'Светланская', house: '1' }],
    ['Калуга, ул. Кирова, д. 1, эт. 3, оф. 7', { house: '1', apartment: '7' }],
    // a street named by a street type word: next to another type word it is the name
    ['г. Омск, ул. Набережная, д. 77', { city: 'Омск', streetType: 'ул', streetName: 'Набережная', house: '77' }],
    ['г. Омск, Набережная ул, д. 77', { city: 'Омск', streetType: 'ул', streetName: 'Набережная', house: '77' }],
    ['г. Волжский, улица Набережная, дом 103, квартира 37', { streetType: 'ул', streetName: 'Набережная', house: '103', apartment: '37' }],
    ['Г. СЕВЕРОДВИНСК, НАБЕРЕЖНАЯ УЛИЦА, ДОМ 132', { streetType: 'ул', streetName: 'НАБЕРЕЖНАЯ', house: '132' }],
    ['Омская обл., Набетрежная ул, д. 77, г. Омск', { city: 'Омск', streetType: 'ул', streetName: 'Набетрежная', house: '77' }], // a slip
    ['г Омск Набережная ул 5', { city: 'Омск', streetType: 'ул', streetName: 'Набережная', house: '5' }],
    ['пос. Октябрьский, ул. Набережная, дом 102 к5', { city: 'Октябрьский', streetType: 'ул', streetName: 'Набережная', house: '102', building: '5' }],
    ['Тверь, 1-я Набережная ул., 3', { streetType: 'ул', streetName: '1-я Набережная', house: '3' }],
    // alone it names the street without a type, as «Ленина, 5»
    ['дер. Марьино, Набережная, д. 5', { city: 'Марьино', streetType: null, streetName: 'Набережная', house: '5' }],
    ['г. Омск, Набережная 5', { city: 'Омск', streetType: null, streetName: 'Набережная', house: '5' }],
    // …and with a name of its own it is the embankment
    ['Санкт-Петербург, Университетская наб., 7', { streetType: 'наб', streetName: 'Университетская', house: '7' }],
    ['Санкт-Петербург, Университетская набережная, 7', { streetType: 'наб', streetName: 'Университетская', house: '7' }],
    ['Санкт-Петербург, набережная реки Фонтанки, 90', { streetType: 'наб', streetName: 'реки Фонтанки', house: '90' }],
    ['Москва, Набережная Тараса Шевченко, 1', { streetType: 'наб', streetName: 'Тараса Шевченко', house: '1' }],
    ['Тверь, наб. Набережная, 2', { streetType: 'наб', streetName: 'Набережная', house: '2' }],
    // adjectives of other type words are no type words: plain names
    ['Курск, ул. Бульварная, 3', { streetType: 'ул', streetName: 'Бульварная', house: '3' }],
    ['Курск, Шоссейная ул., 4', { streetType: 'ул', streetName: 'Шоссейная', house: '4' }],
    ['Курск, Проспектная ул., 5', { streetType: 'ул', streetName: 'Проспектная', house: '5' }],
    ['Курск, ул. Проездная, 6', { streetType: 'ул', streetName: 'Проездная', house: '6' }],
    ['Курск, Переулочная ул., 7', { streetType: 'ул', streetName: 'Переулочная', house: '7' }],
    // a house letter glued to the корпус, строение or flat marker
    ['г. Серпухов, просп. Ленина, 131Ак3-234', { city: 'Серпухов', streetType: 'пр-т', streetName: 'Ленина', house: '131А', building: '3', apartment: '234' }],
    ['Москва, ул. Ленина, 131АК3', { house: '131А', building: '3', apartment: null }],
    ['Москва, ул. Ленина, 12Бстр1', { house: '12Б', structure: '1' }],
    ['Москва, ул. Ленина, 12Бс1', { house: '12Б', structure: '1' }],
    ['Москва, ул. Ленина, 7Вкв5', { house: '7В', apartment: '5' }],
    ['Москва, ул. Ленина, 5кв12', { house: '5', building: null, apartment: '12' }], // «кв» is the flat, not letter К and «в»
    ['Москва, ул. Ленина, 5стр1', { house: '5', building: null, structure: '1' }],
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
    ['an ordinal after the name', [
      'Москва, 9-я Парковая ул., д. 4',
      'Москва, ул. Парковая 9-я, д. 4',
      'Москва, Парковая 9-я ул., 4',
      'Москва, ул. Парковая 9я, 4',
    ]],
    ['an ordinal after the name (переулок)', [
      'Москва, 2-й Сельский пер., 3',
      'Москва, Сельский 2-й пер., д. 3',
      'Москва, пер. 2-й Сельский, 3',
    ]],
    ['a number hyphen-joined to a name', [
      'ул. Новая-633, д. 1',
      'Новая-633 ул., д. 1',
      'улица Новая-633, дом 1',
    ]],
    ['a village with a number in its name', [
      'дер. Горки-2, д. 5',
      'д. Горки-2, дом 5',
      'деревня Горки-2, 5',
    ]],
    ['Zelenograd корпус as the house', [
      'Зеленоград, к. 1106',
      'г. Зеленоград, корп. 1106',
      'Москва, Зеленоград, корпус 1106',
      'Зеленоград, д. 1106',
    ]],
    ['Почта России and ФИАС writing', [
      'г. Москва, ул. 1-я Тверская-Ямская, д. 12, стр. 1',
      'Москва, 1-я Тверская-Ямская ул., 12 стр 1',
      'г Москва ул 1-я Тверская-Ямская д 12 стр 1',
    ]],
    ['владение', [
      'Москва, Калужское ш., влд. 7',
      'Москва, Калужское шоссе, владение 7',
      'Москва, Калужское ш., д. 7',
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
    ['a street named Набережная, its type before or after', [
      'г. Омск, ул. Набережная, д. 77',
      'Омская обл., ул. Набережная, 77, г Омск',
      'г. Омск, Набережная ул, д. 77',
      'г. Омск, улица Набережная, дом 77',
      'Г. ОМСК, НАБЕРЕЖНАЯ УЛИЦА, Д. 77',
      'г Омск Набережная ул 77',
    ]],
    ['an embankment with a name, the type word short or full', [
      'Санкт-Петербург, Университетская наб., 7',
      'Санкт-Петербург, Университетская набережная, д. 7',
      'СПб, наб. Университетская, 7',
    ]],
    ['a house letter glued to the корпус', [
      'г. Серпухов, просп. Ленина, 131Ак3-23',
      'г. Серпухов, пр-т Ленина, д. 131А, корп. 3, кв. 23',
      'г. Серпухов, пр-т Ленина, 131 А к 3 кв 23',
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
    ['Горки-2 vs Горки-10', 'дер. Горки-2, д. 5', 'дер. Горки-10, д. 5'],
    ['Горки-2 vs Горки, house 2', 'дер. Горки-2', 'дер. Горки, д. 2'],
    ['Новая-633, house 1 vs Новая, house 633', 'ул. Новая-633, д. 1', 'ул. Новая, д. 633'],
    ['Новая-3 vs Новая-4', 'Тула, ул. Новая-3, д. 1', 'Тула, ул. Новая-4, д. 1'],
    ['Северный-2 vs Северный', 'Белгород, мкр. Северный-2, д. 14', 'Белгород, мкр. Северный, д. 14'],
    ['Каменка-5 vs Каменка-6', 'дер. Каменка-5', 'дер. Каменка-6'],
    ['Арзамас-16 vs Арзамас', 'г. Арзамас-16, ул. Мира, 5', 'г. Арзамас, ул. Мира, 5'],
    ['2-я vs 3-я Парковая', 'Москва, 2-я Парковая ул., 5', 'Москва, 3-я Парковая ул., 5'],
    ['Парковая 9-я vs Парковая 8-я', 'Москва, ул. Парковая 9-я, 5', 'Москва, ул. Парковая 8-я, 5'],
    ['2-й vs 3-й Сельский пер.', 'Москва, 2-й Сельский пер., 3', 'Москва, 3-й Сельский пер., 3'],
    ['1-я vs 2-я Тверская-Ямская', 'Москва, ул. 1-я Тверская-Ямская, 12', 'Москва, ул. 2-я Тверская-Ямская, 12'],
    ['мкр. 3 vs мкр. 4', 'Тольятти, мкр. 3, д. 15', 'Тольятти, мкр. 4, д. 15'],
    ['8 Марта vs 9 Мая', 'Уфа, ул. 8 Марта, 12', 'Уфа, ул. 9 Мая, 12'],
    ['Zelenograd к. 1106 vs к. 1107', 'Зеленоград, к. 1106', 'Зеленоград, к. 1107'],
    ['ул. Набережная vs an embankment', 'Омск, ул. Набережная, 5', 'Омск, наб. Иртыша, 5'],
    ['ул. Набережная vs a lone Набережная (no type)', 'Омск, ул. Набережная, 5', 'Омск, Набережная, 5'],
    ['ул. Набережная vs пер. Набережный', 'Омск, ул. Набережная, 5', 'Омск, пер. Набережный, 5'],
    ['Университетская наб. vs Университетская ул.', 'СПб, Университетская наб., 7', 'СПб, Университетская ул., 7'],
    ['131Ак3 vs 131к3', 'Серпухов, пр-т Ленина, 131Ак3', 'Серпухов, пр-т Ленина, 131к3'],
    ['131Ак3 vs 131А, flat 3', 'Серпухов, пр-т Ленина, 131Ак3', 'Серпухов, пр-т Ленина, 131А, кв. 3'],
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

  // SPEC: where the component columns are filled they are taken as written; a house is never taken from the city
  // or street column; an empty house means no house; «0» or a value with no digit is no house number.
  it.each<[string, AddressInput, Partial<AddressParts>]>([
    ['a village cell with a hyphen number, house empty', { text: 'дер. Каменка-5', city: 'дер. Каменка-5', house: '' }, { city: 'Каменка-5', house: null }],
    ['a village cell with a spaced number', { text: 'Каменка 5', city: 'дер. Каменка 5' }, { city: 'Каменка 5', streetName: null, house: null }],
    ['the type word after the village name', { text: 'дер. Каменка 5', city: 'Каменка 5 дер.' }, { city: 'Каменка 5', house: null }],
    ['a city cell with its marker', { text: 'x', city: 'г. Арзамас-16', street: 'ул. Мира', house: '5' }, { city: 'Арзамас-16', streetName: 'Мира', house: '5' }],
    ['a settlement cell with «пос.» and ё', { text: 'x', city: 'пос. Рублёво', street: 'ул. Советская', house: 'д. 3' }, { city: 'Рублёво', streetType: 'ул', streetName: 'Советская', house: '3' }],
    ['a city cell with the marker after it', { text: 'x', city: 'Москва г', street: 'Ленина ул', house: '5' }, { city: 'Москва', streetType: 'ул', streetName: 'Ленина', house: '5' }],
    ['a street cell with a hyphen number', { text: 'x', city: 'Москва', street: 'ул. Новая-633', house: '1' }, { streetType: 'ул', streetName: 'Новая-633', house: '1' }],
    ['a street cell with a spaced number is all name', { text: 'x', city: 'Москва', street: 'Новая 3 ул.', house: '' }, { streetType: 'ул', streetName: 'Новая 3', house: null }],
    ['a street cell with the ordinal before the type', { text: 'x', city: 'Москва', street: '3-я ул. Строителей', house: '25' }, { streetType: 'ул', streetName: '3-я Строителей', house: '25' }],
    ['a street cell with a number in its name, the house from the text', { text: 'г. Уфа, ул. 8 Марта, д. 8', street: 'ул. 8 Марта' }, { streetName: '8 Марта', house: '8' }],
    ['a house cell «0»', { text: 'x', city: 'Москва', street: 'ул. Ленина', house: '0' }, { house: null }],
    ['a house cell without a digit', { text: 'x', city: 'Москва', street: 'ул. Ленина', house: 'б/н' }, { house: null }],
    ['a house cell «д. 00»', { text: 'x', city: 'Москва', street: 'ул. Ленина', house: 'д. 00' }, { house: null }],
    ['Zelenograd: the building cell is the house', { text: 'x', city: 'Зеленоград', building: '1106' }, { city: 'Зеленоград', house: '1106', building: null }],
    ['a street cell «Набережная ул»', { text: 'x', city: 'Омск', street: 'Набережная ул', house: '77' }, { streetType: 'ул', streetName: 'Набережная', house: '77' }],
    ['a street cell «ул Набережная»', { text: 'x', city: 'Омск', street: 'ул Набережная', house: '77' }, { streetType: 'ул', streetName: 'Набережная', house: '77' }],
    ['a street cell «Набережная» alone, the type from the text', { text: 'Омск, ул. Набережная, 77', street: 'Набережная' }, { streetType: 'ул', streetName: 'Набережная', house: '77' }],
    ['a street cell «Набережная» alone, no type', { text: 'x', city: 'Омск', street: 'Набережная', house: '77' }, { streetType: null, streetName: 'Набережная', house: '77' }],
    ['a street cell «Университетская наб.»', { text: 'x', city: 'СПб', street: 'Университетская наб.', house: '7' }, { streetType: 'наб', streetName: 'Университетская', house: '7' }],
  ])('%s', (_label, input, expected) => {
    expect(normalizeAddress(input).parts).toMatchObject(expected)
  })

  it('keys a given village «Каменка-5» as the text «дер. Каменка-5», with no house', () => {
    const given = normalizeAddress({ text: 'дер. Каменка-5', city: 'дер. Каменка-5', house: null })
    expect(given.normalized).toBe(key('дер. Каменка-5'))
    expect(given.normalized).toBe('каменка 5||||||')
  })

  it('treats Saint Petersburg aliases in the city cell as one city', () => {
    const a = normalizeAddress({ text: 'x', city: 'СПб', street: 'Невский пр-т', house: '28 А' })
    const b = normalizeAddress({ text: 'Санкт-Петербург, Невский проспект, д. 28а' })
    expect(a.parts.city).toBe('Санкт-Петербург')
    expect(a.normalized).toBe(b.normalized)
  })
})
