// Two merges of overlapping groups started at once on PostgreSQL (PGlite has one connection: nothing runs side by
// side there): exactly one succeeds, the other is a ConflictError — never a deadlock or half a merge — and the
// database is consistent afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { ConflictError } from '../../src/errors.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { mergeRecords } from '../../src/merge/merge.ts'
import { previewMerge } from '../../src/merge/preview.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { duplicateFiles } from './fixtures.ts'

const ALL: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }
const options = { actor: 'race', asOf: '2026-01-31' }

describe.each(backends.filter((b) => b === 'postgres'))('concurrent merges on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    await importDirectory(db, writeFiles(tempDir('merge-race-'), duplicateFiles()))
  }, 60_000)
  afterAll(async () => { await db?.close() })

  /** Three customers with a contract each. */
  async function three(prefix: string): Promise<string[]> {
    const keys = [0, 1, 2].map((i) => `${prefix}-${i}`)
    for (const key of keys) {
      await db.sql.query(`INSERT INTO customer (code, name, inn) VALUES ($1, 'Сидоров Семён', '500100732259')`, [key])
      await db.sql.query(`INSERT INTO contract (number, "customerId", "addressId", "productId", "marketId", status, "validFrom")
        SELECT $1 || '-D', c.id, (SELECT id FROM address WHERE code = 'A-1'), (SELECT id FROM product WHERE sku = 'NET-500'), (SELECT id FROM market WHERE code = 'MSK'), 'ACTIVE', '2024-01-01'
          FROM customer c WHERE c.code = $1`, [key])
    }
    return keys
  }

  async function consistent(keys: string[]) {
    // every contract of the three sits on a customer that exists; the merged-away keys are aliases of a living one
    const { rows: contracts } = await db.sql.query<{ owner: string | null }>(
      `SELECT k.code AS owner FROM contract c LEFT JOIN customer k ON k.id = c."customerId" WHERE c.number = ANY($1::text[])`, [keys.map((k) => `${k}-D`)])
    expect(contracts).toHaveLength(3)
    const { rows: living } = await db.sql.query<{ code: string }>(`SELECT code FROM customer WHERE code = ANY($1::text[]) ORDER BY code`, [keys])
    const { rows: aliases } = await db.sql.query<{ alias: string; target: string }>(
      `SELECT alias, "targetKey" AS target FROM record_alias WHERE "entityType" = 'customer' AND alias = ANY($1::text[])`, [keys])
    expect(living.length + aliases.length).toBe(3)
    for (const a of aliases) expect(living.map((l) => l.code)).toContain(a.target)
    for (const c of contracts) expect(living.map((l) => l.code)).toContain(c.owner)
    const { rows: [{ n }] } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM record_merge WHERE "survivorKey" = ANY($1::text[])`, [keys])
    expect(n).toBe(1)
  }

  it('groups sharing a member merged into different survivors: one wins, the other is a Conflict', async () => {
    for (let round = 0; round < 6; round++) {
      const [a, b, c] = await three(`R${round}`)
      // the shared member b goes away in both; alternate which merge is asked first. From previews, as the console
      // merges: a merge that starts after the other committed would otherwise take b as the alias it is by then
      const [pab, pcb] = await Promise.all([
        previewMerge(db, ALL, { type: 'customer', keys: [a, b], survivor: a }, options),
        previewMerge(db, ALL, { type: 'customer', keys: [c, b], survivor: c }, options),
      ])
      const first = mergeRecords(db, ALL, { type: 'customer', keys: [a, b], survivor: a, version: pab.version }, options)
      const second = mergeRecords(db, ALL, { type: 'customer', keys: [c, b], survivor: c, version: pcb.version }, options)
      const outcomes = await Promise.allSettled(round % 2 ? [second, first] : [first, second])
      const won = outcomes.filter((o) => o.status === 'fulfilled')
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost).toHaveLength(1)
      expect(lost[0].reason).toBeInstanceOf(ConflictError)
      expect((lost[0].reason as Error).message).toContain(b)
      await consistent([a, b, c])
    }
  }, 40_000)

  it('the same pair merged both ways at once, from previews: one wins, the other is a Conflict (no deadlock)', async () => {
    for (let round = 0; round < 6; round++) {
      const keys = await three(`S${round}`)
      const [a, b] = keys
      const [pa, pb] = await Promise.all([
        previewMerge(db, ALL, { type: 'customer', keys: [a, b], survivor: a }, options),
        previewMerge(db, ALL, { type: 'customer', keys: [a, b], survivor: b }, options),
      ])
      const outcomes = await Promise.allSettled([
        mergeRecords(db, ALL, { type: 'customer', keys: [a, b], survivor: a, version: pa.version }, options),
        mergeRecords(db, ALL, { type: 'customer', keys: [b, a], survivor: b, version: pb.version }, options),
      ])
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected'])
      const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!
      expect(lost.reason).toBeInstanceOf(ConflictError)
      // the third customer was never part of it
      await db.sql.query(`DELETE FROM contract WHERE number = $1`, [`${keys[2]}-D`])
      await db.sql.query(`DELETE FROM customer WHERE code = $1`, [keys[2]])
      const { rows } = await db.sql.query<{ code: string }>(`SELECT code FROM customer WHERE code = ANY($1::text[])`, [[a, b]])
      expect(rows).toHaveLength(1)
      const { rows: contracts } = await db.sql.query<{ owner: string }>(
        `SELECT k.code AS owner FROM contract c JOIN customer k ON k.id = c."customerId" WHERE c.number = ANY($1::text[])`, [[`${a}-D`, `${b}-D`]])
      expect(contracts.map((c) => c.owner)).toEqual([rows[0].code, rows[0].code])
    }
  }, 40_000)
})
