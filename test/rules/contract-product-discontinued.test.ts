import { ruleTester } from './rule-tester.ts'

const OLD = { sku: 'OLD', name: 'Архивный тариф', valid_from: '2020-01-01', valid_to: '2024-12-31', status: 'ACTIVE' }

ruleTester('contract-product-discontinued', {
  valid: [
    { name: 'sold on the last day; a product with no end; the product status is not consulted', data: {
      products: [OLD, { sku: 'GONE', name: 'Снят', status: 'DISCONTINUED' }],
      contracts: [{ number: 'D1', product: 'OLD', valid_from: '2024-12-31' }, { number: 'D2', product: 'GONE', valid_from: '2025-06-01' }] } },
  ],
  invalid: [
    { name: 'starts after the product’s valid_to, whatever its status', data: {
      products: [OLD], contracts: [{ number: 'D1', product: 'OLD', valid_from: '2025-01-01', status: 'DRAFT' }] },
      findings: [{ entities: ['D1'], data: { contract: 'D1', product: 'OLD', reason: 'after-product-end', 'contract.validFrom': '2025-01-01', 'product.validTo': '2024-12-31' }, marketCode: 'MSK' }] },
  ],
})
