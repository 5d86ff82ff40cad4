// Issue 15's bar for the fuzzy rules, on a small slice of the independent labelled set (test/quality/generate.ts):
// pairwise precision ≥ 0.995 and recall ≥ 0.99 for address-duplicate and customer-duplicate, 1.0/1.0 for
// address-incomplete, after a real import and audit on the embedded database. `npm run bench -- --only quality`
// prints the same figures at 10k addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { tempDir } from '../helpers/csv.ts'
import { writeQualitySet, type QualityLabels } from './generate.ts'
import { evaluateQualitySet, scoreTable, type QualityRun } from './evaluate.ts'

describe('detection quality on the independent labelled set (600 addresses, 300 customers)', () => {
  let db: Database
  let run: QualityRun

  beforeAll(async () => {
    const dir = tempDir('quality-')
    const labels: QualityLabels = writeQualitySet({ seed: 20261205, addresses: 600, customers: 300 }, dir)
    db = await openDatabase({ memory: true })
    run = await evaluateQualitySet(db, dir, labels)
    console.log(scoreTable(run.scores).join('\n'))
  })
  afterAll(async () => { await db?.close() })

  it('finds the labelled duplicates and incomplete addresses, and nothing else', () => {
    const { scores } = run
    for (const rule of ['address-duplicate', 'customer-duplicate'] as const) {
      expect(scores[rule].precision, `${rule} precision; wrong: ${scores[rule].falsePositives.join(', ')}`).toBeGreaterThanOrEqual(0.995)
      expect(scores[rule].recall, `${rule} recall; missed: ${scores[rule].missed.join(', ')}`).toBeGreaterThanOrEqual(0.99)
    }
    const incomplete = scores['address-incomplete']
    expect({ precision: incomplete.precision, recall: incomplete.recall, wrong: incomplete.falsePositives, missed: incomplete.missed })
      .toEqual({ precision: 1, recall: 1, wrong: [], missed: [] })
  })
})
