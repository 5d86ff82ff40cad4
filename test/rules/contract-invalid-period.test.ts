import { ruleTester } from './rule-tester.ts'

ruleTester('contract-invalid-period', {
  valid: [
    { name: 'open-ended, one-day and ordinary periods', data: { contracts: [
      { number: 'D1' }, { number: 'D2', valid_from: '2024-01-01', valid_to: '2024-01-01', product: 'TV' }, { number: 'D3', valid_to: '2025-01-01', product: 'PHONE' }] } },
  ],
  invalid: [
    { name: 'ends before it starts, whatever its status', data: { contracts: [
      { number: 'D1', valid_from: '2024-05-02', valid_to: '2024-05-01', status: 'TERMINATED' }] },
      findings: [{ entities: ['D1'], data: { contract: 'D1', reason: 'ends-before-start', validTo: '2024-05-01', validFrom: '2024-05-02' }, marketCode: 'MSK' }] },
  ],
})
