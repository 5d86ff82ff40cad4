// The search's indexes: they survive the importer's bulk load (which drops and rebuilds secondary
// indexes), the planner can use them for the service's exact expressions, and the drift check
// (`npm run db:check`) knows the column ones and leaves the hand-written expression ones alone.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM } from '../../src/access/scope.ts'
import { migrationsDir } from '../../src/db/migrate.ts'
import { pgliteMigrationAdapter } from '../../src/db/pglite-migrate-adapter.ts'
import { pgliteExtensions } from '../../src/db/pglite.ts'
import { openSchemaEngine } from '../../src/db/schema-engine.ts'
import { search } from '../../src/search/search.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { loadSearchDataset } from './dataset.ts'

const INDEXES: Record<string, RegExp> = {
  address_street_name_trgm_idx: /USING gin \(split_part\("streetKey", '\|'::text, 3\) gin_trgm_ops\)/,
  address_house_flat_idx: /USING btree \(split_part\("houseKey", '\|'::text, 4\), split_part\(normalized, '\|'::text, 7\)\)/,
  customer_phoneNorm_trgm_idx: /USING gin \("phoneNorm" gin_trgm_ops\)/,
  customer_nameNorm_trgm_idx: /USING gin \("nameNorm" gin_trgm_ops\)/,
  equipment_serialNorm_trgm_idx: /USING gin \("serialNorm" gin_trgm_ops\)/,
  equipment_macNorm_trgm_idx: /USING gin \("macNorm" gin_trgm_ops\)/,
}

/** Each candidate query's shape, and the index it must be able to use. */
const PLANS: Array<[string, string]> = [
  [`SELECT id FROM address a WHERE split_part(a."streetKey", '|', 3) % 'ленина'`, 'address_street_name_trgm_idx'],
  [`SELECT id FROM address a WHERE split_part(a."houseKey", '|', 4) = '5' AND split_part(a."normalized", '|', 7) = 'кв12'`, 'address_house_flat_idx'],
  [`SELECT id FROM customer c WHERE c."phoneNorm" LIKE '%1234567%'`, 'customer_phoneNorm_trgm_idx'],
  [`SELECT id FROM customer c WHERE 'иванов' <% c."nameNorm"`, 'customer_nameNorm_trgm_idx'],
  [`SELECT id FROM equipment e WHERE e."serialNorm" LIKE '%F3BC14%'`, 'equipment_serialNorm_trgm_idx'],
  [`SELECT id FROM equipment e WHERE e."macNorm" LIKE '%5c98%'`, 'equipment_macNorm_trgm_idx'],
]

describe.each(backends)('search indexes on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    // bulkMinBytes 0: every file goes through the bulk load that drops and rebuilds secondary indexes
    await loadSearchDataset(db, { bulkMinBytes: 0 })
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it('are rebuilt as they were after a bulk import', async () => {
    const { rows } = await db.sql.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE indexname = ANY($1::text[])`, [Object.keys(INDEXES)])
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(INDEXES).sort())
    for (const r of rows) expect(r.definition, r.name).toMatch(INDEXES[r.name])
    expect((await search(db, SYSTEM, { text: 'ленена 5 кв 12', types: ['address'] })).map((h) => h.key).slice(0, 2).sort()).toEqual(['A-M1', 'A-S1'])
  })

  it('serve the candidate queries', async () => {
    await db.sql.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off') // a handful of rows: without this a scan is cheaper
      for (const [query, index] of PLANS) {
        const plan = (await tx.query<Record<string, string>>(`EXPLAIN ${query}`)).rows.map((r) => Object.values(r)[0]).join('\n')
        expect(plan, query).toContain(index)
      }
    })
  })
})

describe('search indexes and the drift check', () => {
  it('knows the column indexes from schema.prisma and leaves the expression ones to the migration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sverka-migrations-'))
    const engine = await openSchemaEngine('prisma/schema.prisma', pgliteMigrationAdapter('memory://', { extensions: pgliteExtensions }))
    try {
      for (const name of readdirSync(migrationsDir)) {
        if (!name.endsWith('_search_indexes')) cpSync(join(migrationsDir, name), join(dir, name), { recursive: true })
      }
      const missing = await engine.diffMigrationsToSchema(dir)
      for (const name of Object.keys(INDEXES).filter((n) => n.includes('Norm'))) expect(missing).toContain(`"${name}"`)
      expect(missing).not.toMatch(/address_street_name_trgm_idx|address_house_flat_idx/)
      // and with the migration in place nothing is missing, nothing would be dropped
      expect(await engine.diffMigrationsToSchema(migrationsDir)).toBe('')
    } finally {
      engine.free()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
