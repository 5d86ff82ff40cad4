// The foundation's promise end to end: a generated demo dataset loads whole, twice without change,
// and the stored normalised forms keep the planted duplicate addresses together.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { tempDir } from '../helpers/csv.ts'

describe.each(backends)('seed → import on %s', (backend) => {
  let db: TestDatabase
  let dir: string
  beforeAll(async () => {
    db = await testDatabase(backend)
    dir = tempDir('sverka-seed-')
    await generateSeed({ scale: 1000, seed: 11, out: dir })
  })
  afterAll(async () => { await db?.close() })

  it('accepts every row, and a second import changes nothing', async () => {
    const meta = JSON.parse(readFileSync(join(dir, 'seed-meta.json'), 'utf8')) as { counts: Record<string, number> }
    const first = await importDirectory(db, dir)
    expect(first.rejected).toBe(0)
    for (const f of first.files) expect([f.file, f.inserted]).toEqual([f.file, meta.counts[f.file]])
    const second = await importDirectory(db, dir)
    for (const f of second.files) expect([f.file, f.inserted, f.updated, f.unchanged]).toEqual([f.file, 0, 0, meta.counts[f.file]])
  })

  it('stores equal normalised forms for each planted duplicate address group, and for no other addresses', async () => {
    const truth = readFileSync(join(dir, 'ground-truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { ruleId: string; entities: Array<{ key: string }> })
    const groups = truth.filter((t) => t.ruleId === 'address-duplicate').map((t) => t.entities.map((e) => e.key).sort())
    expect(groups.length).toBeGreaterThanOrEqual(5)
    const { rows } = await db.sql.query<{ keys: string[] }>(
      `SELECT array_agg(code ORDER BY code) AS keys FROM address GROUP BY normalized HAVING count(*) > 1`)
    expect(rows.map((r) => r.keys).sort()).toEqual(groups.sort())
  })
})
