// The drift check (schema.prisma vs prisma/migrations) and the adapter patches the offline
// schema engine relies on: these poke at library internals, so they are pinned by tests.
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { migrationsDir } from '../../src/db/migrate.ts'
import { openSchemaEngine } from '../../src/db/schema-engine.ts'
import { pgliteMigrationAdapter } from '../../src/db/pglite-migrate-adapter.ts'
import { migrationAdapter } from '../../src/db/pg-migrate-adapter.ts'
import { pgliteExtensions } from '../../src/db/pglite.ts'
import { backends, testDatabase } from '../helpers/db.ts'

const schema = 'prisma/schema.prisma'

describe('migrations', () => {
  const engines: Array<{ free(): void }> = []
  afterAll(() => engines.forEach((e) => e.free()))

  it('prisma/migrations produce exactly schema.prisma (no drift)', async () => {
    const engine = await openSchemaEngine(schema, pgliteMigrationAdapter('memory://', { extensions: pgliteExtensions }))
    engines.push(engine)
    const missing = await engine.diffMigrationsToSchema(migrationsDir)
    expect(missing, `run npm run db:new -- <name>; missing migration:\n${missing}`).toBe('')
  })

  it('the drift check notices a missing migration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sverka-migrations-'))
    try {
      cpSync(join(migrationsDir, '00000000000000_extensions'), join(dir, '00000000000000_extensions'), { recursive: true })
      cpSync(join(migrationsDir, 'migration_lock.toml'), join(dir, 'migration_lock.toml'))
      const engine = await openSchemaEngine(schema, pgliteMigrationAdapter('memory://', { extensions: pgliteExtensions }))
      engines.push(engine)
      const missing = await engine.diffMigrationsToSchema(dir)
      expect(missing).toMatch(/CREATE TABLE "contract"/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.runIf(backends.includes('postgres'))('the patched adapter-pg reads PostgreSQL catalogs and agrees the runner applied every migration', async () => {
    const db = await testDatabase('postgres')
    try {
      const engine = await openSchemaEngine(schema, migrationAdapter(db.url!) as unknown as SqlMigrationAwareDriverAdapterFactory)
      engines.push(engine)
      const status = await engine.diagnose(migrationsDir) as { history: unknown; failedMigrationNames: string[]; editedMigrationNames: string[] }
      expect(status.history).toBeNull()
      expect(status.failedMigrationNames).toEqual([])
      expect(status.editedMigrationNames).toEqual([])
    } finally {
      await db.close()
    }
  })
})
