import { ruleTester } from './rule-tester.ts'

ruleTester('equipment-duplicate-mac', {
  valid: [
    { name: 'different MACs', data: { equipment: [{ inventory_no: 'I1', mac: '00:1A:2B:3C:4D:5E' }, { inventory_no: 'I2', mac: '00:1A:2B:3C:4D:5F' }] } },
    { name: 'invalid MACs match nothing', data: { equipment: [
      { inventory_no: 'I1', mac: '00:1A:2B:3C:4D' }, { inventory_no: 'I2', mac: '00-1A-2B-3C-4D' }, { inventory_no: 'I3', mac: 'zz:zz:zz:zz:zz:zz' }, { inventory_no: 'I4', mac: 'zzzzzzzzzzzz' }] } },
    { name: 'a DECOMMISSIONED twin is dropped', data: { equipment: [
      { inventory_no: 'I1', mac: '001a.2b3c.4d5e' }, { inventory_no: 'I2', mac: '00:1a:2b:3c:4d:5e', status: 'DECOMMISSIONED' }] } },
  ],
  invalid: [
    { name: 'colon, dash, Cisco dots and bare hex are one MAC', data: { equipment: [
      { inventory_no: 'I1', mac: '00:1A:2B:3C:4D:5E' }, { inventory_no: 'I2', mac: '00-1a-2b-3c-4d-5e' },
      { inventory_no: 'I3', mac: '001a.2b3c.4d5e', status: 'IN_STOCK' }, { inventory_no: 'I4', mac: ' 001A2B3C4D5E ' }] },
      findings: [{ entities: ['I1', 'I2', 'I3', 'I4'], data: { mac: '001a2b3c4d5e', count: 4, keys: 'I1, I2, I3, I4' }, equipmentTypeCode: 'ROUTER' }] },
  ],
})
