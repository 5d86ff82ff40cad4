import { ruleTester } from './rule-tester.ts'

ruleTester('contract-missing-equipment', {
  valid: [
    { name: 'the needed device installed; a service needing none', data: {
      contracts: [{ number: 'D1' }, { number: 'D2', product: 'PHONE' }], equipment: [{ inventory_no: 'I1', contract: 'D1', address: 'A-1' }] } },
    { name: 'not active, or not valid at as-of', asOf: '2026-01-31', data: { contracts: [
      { number: 'D1', status: 'TERMINATED' }, { number: 'D2', status: 'DRAFT', product: 'TV' },
      { number: 'D3', valid_to: '2026-01-30', product: 'NET' }, { number: 'D4', valid_from: '2026-02-01' }] } },
  ],
  invalid: [
    { name: 'none, one of another type, one not INSTALLED; valid_to = as-of still counts', asOf: '2026-01-31', data: {
      contracts: [{ number: 'D1' }, { number: 'D2', product: 'TV', status: 'SUSPENDED' }, { number: 'D3', valid_to: '2026-01-31' }],
      equipment: [{ inventory_no: 'I1', contract: 'D2', address: 'A-1' }, { inventory_no: 'I2', contract: 'D3', address: 'A-1', status: 'IN_STOCK' }] },
      findings: [
        { entities: ['D1'], data: { contract: 'D1', product: 'NET', type: 'ROUTER' }, marketCode: 'MSK', equipmentTypeCode: 'ROUTER' },
        { entities: ['D2'], data: { contract: 'D2', product: 'TV', type: 'STB' } },
        { entities: ['D3'], data: { contract: 'D3', product: 'NET', type: 'ROUTER' } },
      ] },
  ],
})
