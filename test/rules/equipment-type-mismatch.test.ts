import { ruleTester } from './rule-tester.ts'

ruleTester('equipment-type-mismatch', {
  valid: [
    { name: 'the type the service needs; a service needing none; not installed', data: {
      contracts: [{ number: 'D1' }, { number: 'D2', product: 'PHONE' }],
      equipment: [{ inventory_no: 'I1', contract: 'D1', address: 'A-1' }, { inventory_no: 'I2', contract: 'D2', address: 'A-1', product: 'BOX' },
        { inventory_no: 'I3', contract: 'D1', address: 'A-1', product: 'BOX', status: 'IN_STOCK' }] } },
  ],
  invalid: [
    { name: 'a set-top box on an internet contract', data: {
      contracts: [{ number: 'D1' }], equipment: [{ inventory_no: 'I1', contract: 'D1', address: 'A-1', product: 'BOX' }] },
      findings: [{ entities: ['I1'], data: { equipment: 'I1', contract: 'D1', reason: 'other-type', 'equipment.status': 'INSTALLED', 'contract.neededType': 'ROUTER', 'equipment.type': 'STB' }, equipmentTypeCode: 'STB', marketCode: 'MSK' }] },
  ],
})
