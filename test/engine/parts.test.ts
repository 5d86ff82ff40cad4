// Cutting an audit into parts (src/engine/parts.ts): which rules are cut by market, and the order workers take them in.
import { describe, expect, it } from 'vitest'
import { longestFirst, planParts } from '../../src/engine/parts.ts'
import type { RuleMeta } from '../../src/engine/types.ts'

const rule = (id: string, kind: string, params: unknown, enabled = true): RuleMeta => ({
  id, kind, params, enabled, title: { ru: id, en: id }, severity: 'LOW', reads: [], message: { ru: id }, source: `${id}.yaml`,
})

const RULES = [
  rule('serials', 'unique', { key: 'serial' }),
  rule('overlap', 'overlap', { groupBy: ['address', 'product'] }),
  rule('overlap-market', 'overlap', { groupBy: ['market', 'product'] }),
  rule('missing', 'required-relation', {}),
  rule('device-contract', 'consistency', { subject: 'equipment', related: 'contract', any: [{ field: 'equipment.status', op: 'missing' }] }),
  rule('device-address', 'consistency', { subject: 'equipment', related: 'address', any: [{ field: 'equipment.status', op: 'missing' }] }),
  rule('contract-period', 'predicate', { entity: 'contract', any: [{ field: 'validTo', op: 'missing' }] }),
  rule('device-alone', 'predicate', { entity: 'equipment', any: [{ field: 'contract', op: 'missing' }] }),
  rule('addresses', 'fuzzy-duplicate', { entity: 'address' }),
  rule('off', 'required-relation', {}, false),
]

describe('planParts', () => {
  it('cuts by market exactly the rules whose every finding is in one market; others whole; switched-off ones left out', () => {
    expect(planParts(RULES, ['A', 'B']).map((p) => p.id)).toEqual([
      'serials', 'overlap', 'overlap-market@A', 'overlap-market@B', 'missing@A', 'missing@B', 'device-contract@A', 'device-contract@B',
      'device-address', 'contract-period@A', 'contract-period@B', 'device-alone', 'addresses',
    ])
    expect(planParts(RULES, ['A', 'B'])[2]).toEqual({ id: 'overlap-market@A', ruleId: 'overlap-market', market: 'A' })
  })

  it("one market, or a market's audit: every rule is one part (the audit's market on each)", () => {
    expect(planParts(RULES, ['A']).map((p) => p.id)).toEqual(RULES.filter((r) => r.enabled).map((r) => r.id))
    expect(planParts(RULES, ['A', 'B'], 'B').every((p) => p.market === 'B' && p.id === p.ruleId)).toBe(true)
  })
})

describe('planParts, auto: a rule is cut only when it alone would outlast the share of one worker', () => {
  const rules = RULES.slice(0, 5)
  const last = { rules: { serials: 100, overlap: 100, 'overlap-market': 900, missing: 300, 'device-contract': 600 } }
  it('two workers: share 1000 ms, nothing longer; four: share 500 ms, the two longer rules that may be cut are', () => {
    expect(planParts(rules, ['A', 'B'], undefined, { mode: 'auto', workers: 2, last }).map((p) => p.id))
      .toEqual(['serials', 'overlap', 'overlap-market', 'missing', 'device-contract'])
    expect(planParts(rules, ['A', 'B'], undefined, { mode: 'auto', workers: 4, last }).map((p) => p.id))
      .toEqual(['serials', 'overlap', 'overlap-market@A', 'overlap-market@B', 'missing', 'device-contract@A', 'device-contract@B'])
  })
  it('one worker, or no run to go by: whole rules; none: whole rules', () => {
    const whole = rules.map((r) => r.id)
    expect(planParts(rules, ['A', 'B'], undefined, { mode: 'auto', workers: 1, last }).map((p) => p.id)).toEqual(whole)
    expect(planParts(rules, ['A', 'B'], undefined, { mode: 'auto', workers: 8, last: null }).map((p) => p.id)).toEqual(whole)
    expect(planParts(rules, ['A', 'B'], undefined, { mode: 'none' }).map((p) => p.id)).toEqual(whole)
  })
})

describe('longestFirst', () => {
  const parts = planParts(RULES.slice(0, 4), ['A', 'B'])
  it('orders by the last run: a part by its own time, else its rule shared among its markets; unknown ones first', () => {
    const ordered = longestFirst(parts, { rules: { serials: 300, 'overlap-market': 1000 }, parts: { 'overlap-market@B': { ms: 100 } } })
    expect(ordered.map((p) => p.id)).toEqual(['overlap', 'missing@A', 'missing@B', 'overlap-market@A', 'serials', 'overlap-market@B'])
  })
  it('no run before: the planned order', () => {
    expect(longestFirst(parts, null)).toEqual(parts)
  })
})
