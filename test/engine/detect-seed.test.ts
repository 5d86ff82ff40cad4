// End to end on a generated seed: every planted collision found and nothing else (precision and recall 1.0
// on the deterministic rules, ≥ 0.95 on the fuzzy ones), on the embedded database and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSeed } from '../../src/seed/generate.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import type { DetectedFinding } from '../../src/engine/types.ts'
import { fingerprint, readTruth, type Finding } from '../seed/oracle.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const SCALE = 2000
const SEED = 20260131
const FUZZY = new Set(['address-duplicate', 'customer-duplicate'])

let seedDir: string
let truth: Finding[]
let seedAsOf: string

beforeAll(async () => {
  seedDir = tempDir('detect-seed-')
  seedAsOf = (await generateSeed({ scale: SCALE, seed: SEED, out: seedDir })).asOf
  truth = readTruth(seedDir)
})

describe.each(backends)('runDetection on a seed of %s addresses', (backend) => {
  let db: TestDatabase
  let findings: DetectedFinding[]
  let timings: Record<string, number>
  const progress: string[] = []

  beforeAll(async () => {
    db = await testDatabase(backend)
    await importDirectory(db, seedDir)
    const catalog = await loadCatalog()
    ;({ findings, timings } = await runDetection(db, catalog.rules, { asOf: seedAsOf }, (id) => { progress.push(id) }))
  })
  afterAll(async () => { await db?.close() })

  it(`finds every planted collision and nothing else (${backend})`, async () => {
    const catalog = await loadCatalog()
    const expected = new Set(truth.map(fingerprint))
    const found = new Set(findings.map(fingerprint))
    const scores: Record<string, { precision: number; recall: number; expected: number; found: number }> = {}
    for (const rule of catalog.rules) {
      const e = [...expected].filter((f) => f.startsWith(`${rule.id} `))
      const g = [...found].filter((f) => f.startsWith(`${rule.id} `))
      const tp = g.filter((f) => expected.has(f)).length
      scores[rule.id] = { precision: g.length ? tp / g.length : 1, recall: e.length ? tp / e.length : 1, expected: e.length, found: g.length }
      expect(e.length, `${rule.id} is planted`).toBeGreaterThan(0)
    }
    for (const id of FUZZY) console.log(`${backend} ${id}: precision ${scores[id].precision.toFixed(3)}, recall ${scores[id].recall.toFixed(3)} (${scores[id].found} found, ${scores[id].expected} planted)`)
    for (const [id, s] of Object.entries(scores)) {
      if (FUZZY.has(id)) {
        expect(s.precision, id).toBeGreaterThanOrEqual(0.95)
        expect(s.recall, id).toBeGreaterThanOrEqual(0.95)
      } else {
        const missing = [...expected].filter((f) => f.startsWith(`${id} `) && !found.has(f))
        const extra = [...found].filter((f) => f.startsWith(`${id} `) && !expected.has(f))
        expect({ id, missing, extra }).toEqual({ id, missing: [], extra: [] })
      }
    }
  })

  it('reports timings per rule, progress, and findings in a stable order with business keys', () => {
    expect(Object.keys(timings).sort()).toEqual([...new Set(truth.map((t) => t.ruleId))].sort())
    expect(progress.length).toBe(15)
    const order = findings.map((f) => `${f.ruleId} ${f.entities.map((e) => e.key).join(' ')}`)
    expect(order).toEqual([...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    for (const f of findings) {
      expect(f.entities.map((e) => e.key)).toEqual(f.entities.map((e) => e.key).sort())
      expect(f.message).not.toMatch(/\{[a-zA-Z.]+\}/)
    }
  })

  it('a market-scoped run sees only that market’s records', async () => {
    const catalog = await loadCatalog()
    const scoped = await runDetection(db, catalog.rules, { asOf: seedAsOf, market: 'KZN' })
    const all = new Set(findings.map(fingerprint))
    expect(scoped.findings.length).toBeGreaterThan(0)
    expect(scoped.findings.length).toBeLessThan(findings.length)
    // a scoped audit can only see (a subset of) what the full audit sees, plus nothing new — except duplicate
    // groups cut down to their in-market members
    for (const f of scoped.findings) {
      if (f.marketCode !== null && f.ruleId.startsWith('contract')) expect(f.marketCode).toBe('KZN')
      if (!['equipment-duplicate-serial', 'equipment-duplicate-mac', 'address-duplicate', 'customer-duplicate'].includes(f.ruleId)) {
        expect(all.has(fingerprint(f)), fingerprint(f)).toBe(true)
      }
    }
  })
})
