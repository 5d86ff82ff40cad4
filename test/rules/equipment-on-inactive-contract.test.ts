import { ruleTester } from './rule-tester.ts'

const device = (n: string, contract: string, status = 'INSTALLED') => ({ inventory_no: n, contract, address: 'A-1', status })

ruleTester('equipment-on-inactive-contract', {
  valid: [
    { name: 'active, suspended and open-ended contracts', data: {
      contracts: [{ number: 'D1' }, { number: 'D2', status: 'SUSPENDED', product: 'TV' }],
      equipment: [device('I1', 'D1'), device('I2', 'D2')] } },
    { name: 'valid_to = as-of is still in force', asOf: '2026-01-31', data: {
      contracts: [{ number: 'D1', valid_to: '2026-01-31' }], equipment: [device('I1', 'D1')] } },
    { name: 'only INSTALLED equipment counts', data: {
      contracts: [{ number: 'D1', status: 'TERMINATED', valid_to: '2024-06-30' }],
      equipment: [device('I1', 'D1', 'IN_STOCK'), device('I2', 'D1', 'DECOMMISSIONED')] } },
  ],
  invalid: [
    { name: 'TERMINATED, DRAFT, and ended before as-of', asOf: '2026-01-31', data: {
      contracts: [
        { number: 'D1', status: 'TERMINATED', valid_to: '2024-06-30' }, { number: 'D2', status: 'DRAFT', product: 'TV' },
        { number: 'D3', valid_to: '2026-01-30', product: 'PHONE' }],
      equipment: [device('I1', 'D1'), device('I2', 'D2'), device('I3', 'D3')] },
      findings: [
        { entities: ['I1'], data: { equipment: 'I1', contract: 'D1', reason: 'status', 'equipment.status': 'INSTALLED', 'contract.status': 'TERMINATED', 'contract.validTo': '2024-06-30' }, marketCode: 'MSK', equipmentTypeCode: 'ROUTER' },
        { entities: ['I2'], data: { equipment: 'I2', contract: 'D2', reason: 'status', 'equipment.status': 'INSTALLED', 'contract.status': 'DRAFT', 'contract.validTo': null } },
        { entities: ['I3'], data: { equipment: 'I3', contract: 'D3', reason: 'ended', 'equipment.status': 'INSTALLED', 'contract.status': 'ACTIVE', 'contract.validTo': '2026-01-30' } },
      ] },
    { name: 'as-of decides: the same contract is fine a day earlier', asOf: '2026-01-31', data: {
      contracts: [{ number: 'D1', valid_to: '2026-01-30' }], equipment: [device('I1', 'D1')] },
      findings: [{ entities: ['I1'] }] },
  ],
})
