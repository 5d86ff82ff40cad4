import { ruleTester } from './rule-tester.ts'

ruleTester('equipment-duplicate-serial', {
  valid: [
    { name: 'different serials', data: { equipment: [{ inventory_no: 'I1', serial: 'SN-1' }, { inventory_no: 'I2', serial: 'SN-2' }] } },
    { name: 'a DECOMMISSIONED twin is dropped before grouping', data: { equipment: [
      { inventory_no: 'I1', serial: 'SN-1' }, { inventory_no: 'I2', serial: 'sn 1', status: 'DECOMMISSIONED' }] } },
    { name: 'serials that normalise to nothing match nothing', data: { equipment: [
      { inventory_no: 'I1', serial: ' - ' }, { inventory_no: 'I2', serial: '._/' }, { inventory_no: 'I3', serial: '' }, { inventory_no: 'I4', serial: '' }] } },
    { name: 'a market-scoped audit does not see another market’s device', market: 'MSK', data: {
      addresses: [{ code: 'A-2', text: 'Санкт-Петербург, Невский пр-т, 10' }],
      contracts: [{ number: 'D1' }, { number: 'D2', address: 'A-2', market: 'SPB' }],
      equipment: [{ inventory_no: 'I1', serial: 'SN1', contract: 'D1', address: 'A-1' }, { inventory_no: 'I2', serial: 'SN1', contract: 'D2', address: 'A-2' }] } },
  ],
  invalid: [
    { name: 'trimmed, upper-cased, without spaces - . / _', data: { equipment: [
      { inventory_no: 'I1', serial: ' sn-4f2a 9931 ' }, { inventory_no: 'I2', serial: 'SN.4F2A/99_31' }, { inventory_no: 'I3', serial: 'SN4F2A9931', status: 'IN_STOCK' }] },
      findings: [{ entities: ['I1', 'I2', 'I3'], data: { serial: 'SN4F2A9931', count: 3, keys: 'I1, I2, I3' }, equipmentTypeCode: 'ROUTER' }] },
    { name: 'two groups, the decommissioned member left out', data: { equipment: [
      { inventory_no: 'I1', serial: 'A1' }, { inventory_no: 'I2', serial: 'a-1' }, { inventory_no: 'I3', serial: 'A1', status: 'DECOMMISSIONED' },
      { inventory_no: 'I4', serial: 'B2' }, { inventory_no: 'I5', serial: 'b 2', product: 'BOX' }] },
      findings: [
        { entities: ['I1', 'I2'], data: { serial: 'A1', count: 2, keys: 'I1, I2' } },
        { entities: ['I4', 'I5'], data: { serial: 'B2', count: 2, keys: 'I4, I5' }, equipmentTypeCode: null },
      ] },
    { name: 'routed to the common market of the devices’ contracts', market: 'MSK', data: {
      contracts: [{ number: 'D1' }, { number: 'D2', status: 'TERMINATED' }],
      equipment: [{ inventory_no: 'I1', serial: 'X9', contract: 'D1', address: 'A-1' }, { inventory_no: 'I2', serial: 'x9', contract: 'D2', address: 'A-1' }] },
      findings: [{ entities: ['I1', 'I2'], marketCode: 'MSK' }] },
  ],
})
