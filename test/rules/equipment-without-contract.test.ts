import { ruleTester } from './rule-tester.ts'

ruleTester('equipment-without-contract', {
  valid: [
    { name: 'on a contract, or not installed', data: { contracts: [{ number: 'D1' }], equipment: [
      { inventory_no: 'I1', contract: 'D1', address: 'A-1' }, { inventory_no: 'I2', status: 'IN_STOCK' }, { inventory_no: 'I3', status: 'DECOMMISSIONED' }] } },
  ],
  invalid: [
    { name: 'INSTALLED with no contract', data: { equipment: [{ inventory_no: 'I1', address: 'A-1' }, { inventory_no: 'I2', product: 'BOX' }] },
      findings: [
        { entities: ['I1'], data: { equipment: 'I1', reason: 'no-contract', status: 'INSTALLED', contract: null, address: 'A-1', product: 'RT' }, equipmentTypeCode: 'ROUTER', marketCode: null },
        { entities: ['I2'], data: { equipment: 'I2', reason: 'no-contract', status: 'INSTALLED', contract: null, address: null, product: 'BOX' }, equipmentTypeCode: 'STB' },
      ] },
    { name: 'a market-scoped audit sees it through its address’s contracts', market: 'MSK', data: {
      contracts: [{ number: 'D1' }], equipment: [{ inventory_no: 'I0', contract: 'D1', address: 'A-1' }, { inventory_no: 'I1', address: 'A-1' }, { inventory_no: 'I2' }] },
      findings: [{ entities: ['I1'] }] },
  ],
})
