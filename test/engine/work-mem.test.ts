// The audit's big statements get 64 MB of work_mem on PostgreSQL for their transaction only, never less than the
// server's own, and none on the embedded database (its WASM heap keeps whatever it grows to).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { roomyWorkMem } from '../../src/engine/sql-stream.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

describe.each(backends)('roomyWorkMem on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  const setting = async (sql: TestDatabase['sql']) => (await sql.query<{ v: string }>(`SELECT current_setting('work_mem') AS v`)).rows[0].v

  it(backend === 'postgres' ? 'raises work_mem for the transaction, and only raises it' : 'leaves the embedded database as it is', async () => {
    const before = await setting(db.sql)
    const inside = await db.sql.transaction(async (tx) => { await roomyWorkMem(tx); return setting(tx) })
    expect(await setting(db.sql)).toBe(before)
    expect(inside).toBe(backend === 'postgres' ? '64MB' : before)
    const higher = await db.sql.transaction(async (tx) => {
      await tx.query(`SELECT set_config('work_mem', '512MB', true)`)
      await roomyWorkMem(tx)
      return setting(tx)
    })
    expect(higher).toBe('512MB')
  })
})
