import { ruleTester } from './rule-tester.ts'

const a = (code: string, text: string) => ({ code, text })

ruleTester('address-duplicate', {
  valid: [
    { name: 'other flats of one house', data: { addresses: [a('A-2', 'Москва, ул. Ленина, 5, кв. 13'), a('A-3', 'Москва, ул. Ленина, 5')] } },
    { name: 'ул. Ленина and пр-т Ленина are two streets', data: { addresses: [a('A-2', 'Москва, пр-т Ленина, д. 5, кв. 12')] } },
    { name: 'other house, корпус or city', data: { addresses: [
      a('A-2', 'Москва, ул. Ленина, д. 6, кв. 12'), a('A-3', 'Москва, ул. Ленина, д. 5 корп. 2, кв. 12'), a('A-4', 'Казань, ул. Ленина, д. 5, кв. 12')] } },
    { name: 'houseless addresses denote no one place', data: { addresses: [a('A-2', 'Москва, ул. Тверская'), a('A-3', 'г. Москва, Тверская ул.')] } },
    { name: 'numbered streets: 1-я and 2-я are not typos', data: { addresses: [
      a('A-2', 'Москва, 1-я Тверская-Ямская ул., 5'), a('A-3', 'Москва, 2-я Тверская-Ямская ул., 5')] } },
    { name: 'two streets with houses of their own a letter apart are two streets (Прудовая, Трудовая)', data: { addresses: [
      a('A-2', 'Москва, ул. Прудовая, д. 5, кв. 1'), a('A-3', 'Москва, ул. Прудовая, д. 7'),
      a('A-4', 'Москва, ул. Трудовая, д. 5, кв. 1'), a('A-5', 'Москва, ул. Трудовая, д. 9')] } },
    { name: 'a first letter or a far-off key makes another street, even at one house each (Портовая, Почтовая, Трудовая)', data: { addresses: [
      a('A-2', 'Москва, ул. Портовая, д. 5, кв. 12'), a('A-3', 'Москва, ул. Почтовая, д. 5, кв. 12'), a('A-4', 'Москва, ул. Трудовая, д. 5, кв. 12'), a('A-5', 'Москва, ул. Прудовая, д. 5, кв. 12')] } },
    { name: 'two letters apart is not a typo', data: { addresses: [a('A-2', 'Москва, ул. Лунино, д. 5, кв. 12'), a('A-3', 'Москва, ул. Ленинская, д. 5, кв. 12')] } },
  ],
  invalid: [
    { name: 'written differently: type after the name, д./дом, кв./квартира, case, ё', data: { addresses: [
      a('A-2', 'г Москва, Ленина улица, дом 5, квартира 12'), a('A-3', 'МОСКВА, УЛ ЛЕНИНА 5-12')] },
      findings: [{ entities: ['A-1', 'A-2', 'A-3'], data: { count: 3, keys: 'A-1, A-2, A-3', normalized: 'москва|ул|ленина|5|||кв12' } }] },
    { name: 'a one-letter typo in the street name', data: { addresses: [a('A-2', 'Москва, ул. Ленена, д. 5, кв. 12')] },
      findings: [{ entities: ['A-1', 'A-2'], data: { count: 2, keys: 'A-1, A-2', normalized: 'москва|ул|ленина|5|||кв12' } }] },
    { name: 'a neighbouring key, a dropped letter, two swapped letters', data: { addresses: [
      a('A-2', 'Москва, ул. Гагарина, д. 7'), a('A-3', 'Москва, ул. Гагприна, д. 7'),
      a('A-4', 'Москва, ул. Пушкина, д. 9'), a('A-5', 'Москва, ул. Пушина, д. 9'),
      a('A-6', 'Москва, ул. Толстого, д. 3'), a('A-7', 'Москва, ул. Толтсого, д. 3')] },
      findings: [{ entities: ['A-2', 'A-3'] }, { entities: ['A-4', 'A-5'] }, { entities: ['A-6', 'A-7'] }] },
    { name: 'ё and е, корпус written «5к2-12»', data: { addresses: [
      a('A-2', 'Москва, Солнечная ул., 5к2-12'), a('A-3', 'г. Москва, ул. Солнёчная, д. 5, корп. 2, кв. 12')] },
      findings: [{ entities: ['A-2', 'A-3'], data: { count: 2, keys: 'A-2, A-3', normalized: 'москва|ул|солнечная|5|к2||кв12' } }] },
    { name: 'routed to the market when all records with contracts are in one', data: {
      addresses: [a('A-2', 'Москва, ул. Ленина, 5, кв 12')], contracts: [{ number: 'D1', address: 'A-2' }] },
      findings: [{ entities: ['A-1', 'A-2'], marketCode: 'MSK' }] },
  ],
})
