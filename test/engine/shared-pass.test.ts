// Rules that read the same rows are detected in one pass (issue 18, item 3): the equipment⋈contract checks in one
// join, the two contract⋈product checks in another, serial and MAC duplicates in one GROUPING SETS scan. A pass must
// report, rule by rule, exactly what each rule reports alone — on the whole data, for one market, and for rules whose
// filters differ (each rule's rows are a subset of the pass's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSeed } from '../../src/seed/generate.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection, type DetectionResult } from '../../src/engine/detect.ts'
import { passesOf } from '../../src/engine/detectors/registry.ts'
import type { AuditContext, RuleMeta } from '../../src/engine/types.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

let seedDir: string
let asOf: string

beforeAll(async () => {
  seedDir = tempDir('shared-pass-')
  asOf = (await generateSeed({ scale: 800, seed: 7, out: seedDir, collisions: 0.05 })).asOf
})

/** Each rule detected alone: the same runner with the passes turned off. */
async function alone(db: TestDatabase, rules: RuleMeta[], ctx: AuditContext): Promise<DetectionResult> {
  const before = process.env.SVERKA_SHARED_PASS
  process.env.SVERKA_SHARED_PASS = '0'
  try {
    return await runDetection(db, rules, ctx)
  } finally {
    if (before === undefined) delete process.env.SVERKA_SHARED_PASS
    else process.env.SVERKA_SHARED_PASS = before
  }
}

const byRule = (r: DetectionResult) => {
  const out: Record<string, number> = {}
  for (const f of r.findings) out[f.ruleId] = (out[f.ruleId] ?? 0) + 1
  return out
}

/** A copy of a catalogue rule under another id with other params. */
function variant(rule: RuleMeta, id: string, params: Record<string, unknown>): RuleMeta {
  return { ...rule, id, params: { ...(rule.params as Record<string, unknown>), ...params } }
}

describe('the shipped catalogue’s passes', () => {
  it('group the rules that read the same rows, and only those', async () => {
    const { rules } = await loadCatalog()
    const passes = passesOf(rules.filter((r) => r.enabled)).map((p) => p.map((r) => r.id).sort())
    expect(passes.sort()).toEqual([
      ['contract-product-discontinued', 'contract-product-not-in-market'],
      ['equipment-address-mismatch', 'equipment-on-inactive-contract', 'equipment-type-mismatch'],
      ['equipment-duplicate-mac', 'equipment-duplicate-serial'],
    ])
  })
})

describe.each(backends)('a pass on %s', (backend) => {
  let db: TestDatabase
  let rules: RuleMeta[]

  beforeAll(async () => {
    db = await testDatabase(backend)
    await importDirectory(db, seedDir)
    rules = (await loadCatalog()).rules
  })
  afterAll(async () => { await db?.close() })

  it('reports what each rule reports alone, over the whole data', async () => {
    const together = await runDetection(db, rules, { asOf })
    const separate = await alone(db, rules, { asOf })
    expect(together.passes.map((p) => p.length).sort()).toEqual([2, 2, 3])
    expect(separate.passes).toEqual([])
    // every rule of a pass has found something in this seed, so an empty pass would not pass unnoticed
    for (const id of together.passes.flat()) expect(byRule(together)[id], id).toBeGreaterThan(0)
    expect(together.findings).toEqual(separate.findings)
  })

  it('and for one market', async () => {
    const together = await runDetection(db, rules, { asOf, market: 'MSK' })
    const separate = await alone(db, rules, { asOf, market: 'MSK' })
    expect(together.passes.length).toBe(3)
    expect(together.findings.length).toBeGreaterThan(0)
    expect(together.findings).toEqual(separate.findings)
  })

  it('keeps each rule to its own rows where their filters differ', async () => {
    const byId = new Map(rules.map((r) => [r.id, r]))
    const own = [
      byId.get('equipment-without-contract')!,
      // devices in stock with no contract (most of them): a filter the installed-device rule's rows do not meet
      variant(byId.get('equipment-without-contract')!, 'stock-without-contract', {
        where: [{ field: 'status', op: 'in', values: ['IN_STOCK'] }],
      }),
      // a rule with no SQL filter at all (a pattern is checked in JS): the pass reads every device
      variant(byId.get('equipment-without-contract')!, 'serial-not-digits', {
        where: [], any: [{ field: 'serial', op: 'notMatches', pattern: '^[0-9]+$', label: 'letters' }],
      }),
      byId.get('equipment-on-inactive-contract')!,
      // the same join, any device status: devices on a contract signed this year
      variant(byId.get('equipment-on-inactive-contract')!, 'on-recent-contract', {
        where: [], any: [{ field: 'contract.validFrom', op: 'ge', value: '2025-01-01', label: 'recent' }],
      }),
      // duplicates counted over every status: another pass key than the shipped rules' (decommissioned dropped)
      variant(byId.get('equipment-duplicate-serial')!, 'serial-any-status', { excludeStatuses: [] }),
      byId.get('equipment-duplicate-serial')!,
      variant(byId.get('equipment-duplicate-mac')!, 'mac-again', {}),
    ]
    const together = await runDetection(db, own, { asOf })
    expect(together.passes.map((p) => [...p].sort()).sort()).toEqual([
      ['equipment-duplicate-serial', 'mac-again'],
      ['equipment-on-inactive-contract', 'on-recent-contract'],
      ['equipment-without-contract', 'serial-not-digits', 'stock-without-contract'],
    ])
    const separate = await alone(db, own, { asOf })
    const counts = byRule(together)
    for (const rule of own) expect(counts[rule.id], rule.id).toBeGreaterThan(0)
    expect(together.findings).toEqual(separate.findings)
  })
})
