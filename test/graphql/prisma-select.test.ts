// keyWhenEmpty: Pothos' prisma plugin plans `select: {}` for a selection that asks no column (issue 12); Prisma refuses it.
import { describe, expect, it } from 'vitest'
import { keyWhenEmpty } from '../../src/graphql/prisma-select.ts'

describe('keyWhenEmpty', () => {
  it('selects the key where a select is empty, at the top and under relations; leaves the rest as it is', () => {
    expect(keyWhenEmpty('AuditRun', { select: {}, where: { id: 'r1' } })).toEqual({ select: { id: true }, where: { id: 'r1' } })
    expect(keyWhenEmpty('Finding', { select: { group: { select: {} }, events: { select: { run: { select: {} } } } } }))
      .toEqual({ select: { group: { select: { id: true } }, events: { select: { run: { select: { id: true } } } } } })
    expect(keyWhenEmpty('Address', { include: { contracts: { select: {} } } })).toEqual({ include: { contracts: { select: { id: true } } } })
    // a model without an id column: the first column of its primary key
    expect(keyWhenEmpty('ProductMarket', { select: {} })).toEqual({ select: { productId: true } })
    const whole = { include: { contracts: true }, where: { code: 'A-1' } }
    expect(keyWhenEmpty('Address', whole)).toEqual(whole)
    expect(keyWhenEmpty('Address', {})).toEqual({})
  })
})
