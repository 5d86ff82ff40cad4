import { ruleTester } from './rule-tester.ts'

ruleTester('address-incomplete', {
  valid: [
    { name: 'a house and a 6-digit postal code, or no postal code at all', data: { addresses: [
      { code: 'A-2', text: 'Казань, ул. Баумана, 51' }, { code: 'A-3', text: '420111, Казань, ул. Баумана, 52' }] } },
  ],
  invalid: [
    { name: 'no house; postal code of 5 or 7 digits or with a letter', data: { addresses: [
      { code: 'A-2', text: 'Казань, ул. Баумана' }, { code: 'A-3', text: 'Казань, ул. Баумана, 52', postal_code: '42011' },
      { code: 'A-4', text: 'Казань, ул. Баумана, 53', postal_code: '4201111' }, { code: 'A-5', text: 'Казань, ул. Баумана, 54', postal_code: '42O111' }] },
      findings: [
        { entities: ['A-2'], data: { address: 'A-2', reason: 'no-house', house: null, postalCode: null, text: 'Казань, ул. Баумана' } },
        { entities: ['A-3'], data: { address: 'A-3', reason: 'bad-postal-code', house: '52', postalCode: '42011', text: 'Казань, ул. Баумана, 52' } },
        { entities: ['A-4'] }, { entities: ['A-5'] },
      ] },
    { name: 'a number hyphen-joined to a village name is no house, in the text or in the city column with the house empty', data: { addresses: [
      { code: 'A-2', text: 'дер. Каменка-5' }, { code: 'A-3', text: 'дер. Каменка-5', city: 'дер. Каменка-5', house: '' },
      { code: 'A-4', text: 'Каменка 5', city: 'дер. Каменка 5' }, { code: 'A-5', text: 'Казань, ул. Баумана, 0' }] },
      findings: [
        { entities: ['A-2'], data: { address: 'A-2', reason: 'no-house', house: null, postalCode: null, text: 'дер. Каменка-5' } },
        { entities: ['A-3'], data: { address: 'A-3', reason: 'no-house', house: null, postalCode: null, text: 'дер. Каменка-5' } },
        { entities: ['A-4'], data: { address: 'A-4', reason: 'no-house', house: null, postalCode: null, text: 'Каменка 5' } },
        { entities: ['A-5'], data: { address: 'A-5', reason: 'no-house', house: null, postalCode: null, text: 'Казань, ул. Баумана, 0' } },
      ] },
    { name: 'routed to the market of its contracts', data: { addresses: [{ code: 'A-2', text: 'Казань, ул. Баумана' }], contracts: [{ number: 'D1', address: 'A-2' }] },
      findings: [{ entities: ['A-2'], marketCode: 'MSK' }] },
  ],
})
