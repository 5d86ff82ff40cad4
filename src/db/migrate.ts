// Run-time migration runner: applies prisma/migrations/*/migration.sql in order, keeping Prisma's
// own `_prisma_migrations` bookkeeping and advisory lock, so no schema engine is needed at run time.
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface MigrationRunner {
  /** multi-statement text, simple protocol */
  exec(sql: string): Promise<unknown>
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>
}

export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prisma', 'migrations')

const LOCK_ID = 72707369 // the advisory lock key Prisma Migrate uses

export async function migrate(db: MigrationRunner, dir = migrationsDir): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`)
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_ID])
  try {
    const done = new Map((await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`)).rows
      .map((r) => [r.migration_name, r]))
    const names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    const applied: string[] = []
    for (const name of names) {
      const file = join(dir, name, 'migration.sql')
      if (!existsSync(file)) continue
      const sql = readFileSync(file, 'utf8')
      const checksum = createHash('sha256').update(sql).digest('hex')
      const previous = done.get(name)
      if (previous) {
        if (!previous.finished_at) throw new Error(`migration ${name} failed earlier and must be resolved by hand (see _prisma_migrations.logs)`)
        continue
      }
      const id = randomUUID()
      await db.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1,$2,$3)`, [id, checksum, name])
      try {
        await db.exec(`BEGIN;\n${sql}\n;COMMIT;`)
      } catch (e) {
        await db.exec('ROLLBACK').catch(() => {})
        const message = e instanceof Error ? e.message : String(e)
        await db.query(`UPDATE "_prisma_migrations" SET logs=$2 WHERE id=$1`, [id, message])
        throw new Error(`migration ${name} failed: ${message}`)
      }
      await db.query(`UPDATE "_prisma_migrations" SET finished_at=now(), applied_steps_count=1 WHERE id=$1`, [id])
      applied.push(name)
    }
    return applied
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_ID])
  }
}
