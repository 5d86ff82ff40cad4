import { ruleTester } from './rule-tester.ts'

const A2 = { code: 'A-2', text: 'г. Москва, ул. Ленина, д. 5, кв. 13' }

ruleTester('contract-overlap', {
  valid: [
    { name: 'touching periods do not overlap', data: { contracts: [
      { number: 'D1', valid_from: '2024-01-01', valid_to: '2024-06-30' }, { number: 'D2', valid_from: '2024-07-01' }] } },
    { name: 'other address or other product', data: { addresses: [A2], contracts: [
      { number: 'D1' }, { number: 'D2', address: 'A-2' }, { number: 'D3', product: 'TV' }] } },
    { name: 'only active contracts count (TERMINATED, DRAFT do not)', data: { contracts: [
      { number: 'D1' }, { number: 'D2', status: 'TERMINATED' }, { number: 'D3', status: 'DRAFT' }] } },
    { name: 'an invalid period is empty and overlaps nothing', data: { contracts: [
      { number: 'D1', valid_from: '2024-01-01' }, { number: 'D2', valid_from: '2024-06-01', valid_to: '2024-03-01' }] } },
  ],
  invalid: [
    { name: 'sharing one day overlaps', data: { contracts: [
      { number: 'D1', valid_from: '2024-01-01', valid_to: '2024-06-30' }, { number: 'D2', valid_from: '2024-06-30', status: 'SUSPENDED' }] },
      findings: [{ entities: ['D1', 'D2'], data: { first: 'D1', second: 'D2', address: 'A-1', product: 'NET', from: '2024-06-30', to: '2024-06-30' }, marketCode: 'MSK', equipmentTypeCode: 'ROUTER' }] },
    { name: 'two open-ended contracts overlap for ever; a third one inside both makes three pairs', data: { contracts: [
      { number: 'D1', valid_from: '2023-01-01' }, { number: 'D2', valid_from: '2024-01-01' }, { number: 'D3', valid_from: '2024-02-01', valid_to: '2024-02-10' }] },
      findings: [
        { entities: ['D1', 'D2'], data: { first: 'D1', second: 'D2', address: 'A-1', product: 'NET', from: '2024-01-01', to: null } },
        { entities: ['D1', 'D3'] }, { entities: ['D2', 'D3'] },
      ] },
  ],
})
