import { ruleTester } from './rule-tester.ts'

const A2 = { code: 'A-2', text: 'г. Москва, ул. Ленина, д. 5, кв. 13' }

ruleTester('equipment-address-mismatch', {
  valid: [
    { name: 'same address record', data: { contracts: [{ number: 'D1' }], equipment: [{ inventory_no: 'I1', contract: 'D1', address: 'A-1' }] } },
    { name: 'not INSTALLED, or no contract', data: { addresses: [A2], contracts: [{ number: 'D1' }], equipment: [
      { inventory_no: 'I1', contract: 'D1', address: 'A-2', status: 'IN_STOCK' }, { inventory_no: 'I2', address: 'A-2' }] } },
  ],
  invalid: [
    { name: 'another address record (even of the same building) and no address at all', data: {
      addresses: [A2], contracts: [{ number: 'D1' }],
      equipment: [{ inventory_no: 'I1', contract: 'D1', address: 'A-2' }, { inventory_no: 'I2', contract: 'D1' }] },
      findings: [
        { entities: ['I1'], data: { equipment: 'I1', contract: 'D1', reason: 'other-address', 'equipment.status': 'INSTALLED', 'equipment.address': 'A-2', 'contract.address': 'A-1' }, marketCode: 'MSK' },
        { entities: ['I2'], data: { equipment: 'I2', contract: 'D1', reason: 'other-address', 'equipment.status': 'INSTALLED', 'equipment.address': null, 'contract.address': 'A-1' } },
      ] },
  ],
})
