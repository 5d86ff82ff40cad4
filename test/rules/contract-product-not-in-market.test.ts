import { ruleTester } from './rule-tester.ts'

ruleTester('contract-product-not-in-market', {
  valid: [
    { name: 'offered in the contract’s market, whatever the dates', data: { contracts: [
      { number: 'D1', product: 'TV', market: 'MSK' }, { number: 'D2', market: 'SPB', valid_from: '2019-01-01', status: 'TERMINATED', valid_to: '2019-02-01' }] } },
  ],
  invalid: [
    { name: 'TV is not sold in SPB', data: { contracts: [{ number: 'D1', product: 'TV', market: 'SPB' }] },
      findings: [{ entities: ['D1'], data: { contract: 'D1', product: 'TV', reason: 'not-in-market', 'contract.market': 'SPB', 'product.markets': 'MSK' }, marketCode: 'SPB', equipmentTypeCode: 'STB' }] },
  ],
})
