// Real databases for integration tests: a fresh in-memory PGlite, or a throw-away database on the
// local PostgreSQL (created per test file, dropped afterwards), chosen by SVERKA_TEST_BACKENDS.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database } from '../../src/db/database.ts'

export type Backend = 'pglite' | 'postgres'

export const ADMIN_URL = process.env.SVERKA_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/** Backends the integration tests run on: both by default. */
export const backends: Backend[] = (process.env.SVERKA_TEST_BACKENDS ?? 'pglite,postgres')
  .split(',').map((b) => b.trim()).filter((b): b is Backend => b === 'pglite' || b === 'postgres')

export interface TestDatabase extends Database { url?: string }

export async function testDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') return openDatabase({ memory: true })
  const name = `sverka_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  try {
    await admin.connect()
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} (${(e as Error).message}); start it (docker compose up -d postgres) or set SVERKA_TEST_BACKENDS=pglite`)
  }
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  const db = await openDatabase({ url })
  return {
    ...db,
    url,
    async close() {
      await db.close()
      const drop = new pg.Client({ connectionString: ADMIN_URL })
      await drop.connect()
      await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await drop.end()
    },
  }
}
