// Offline schema tooling on Prisma 7.10's WASM schema engine (the CLI's native one cannot be downloaded here).
//   npm run db:new -- <name>   write prisma/migrations/<timestamp>_<name>/migration.sql from the diff
//   npm run db:check           exit 2 when schema.prisma and prisma/migrations differ
//   npm run db:status          migration history of the target database
// Target: a fresh in-memory PGlite for new/check; DATABASE_URL or $SVERKA_DATA_DIR/db for status.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { openSchemaEngine } from '../src/db/schema-engine.ts'
import { migrationsDir } from '../src/db/migrate.ts'
import { pgliteExtensions } from '../src/db/pglite.ts'

const [command = 'check', name] = process.argv.slice(2)
const factory = process.env.DATABASE_URL && command === 'status'
  ? (await import('../src/db/pg-migrate-adapter.ts')).migrationAdapter(process.env.DATABASE_URL) as unknown as SqlMigrationAwareDriverAdapterFactory
  : (await import('../src/db/pglite-migrate-adapter.ts')).pgliteMigrationAdapter(
    command === 'status' ? join(process.env.SVERKA_DATA_DIR || './.sverka', 'db') : 'memory://', { extensions: pgliteExtensions })
const engine = await openSchemaEngine('prisma/schema.prisma', factory)
try {
  switch (command) {
    case 'new': {
      if (!name) throw new Error('usage: npm run db:new -- <name>')
      const sql = await engine.diffMigrationsToSchema(migrationsDir)
      if (!sql) { console.log('No schema changes.'); break }
      const dir = join(migrationsDir, `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${name.replace(/\W/g, '_')}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'migration.sql'), sql)
      console.log(`Created ${dir}/migration.sql`)
      break
    }
    case 'check': {
      const sql = await engine.diffMigrationsToSchema(migrationsDir)
      if (sql) { console.error('schema.prisma and prisma/migrations differ; missing migration:\n' + sql); process.exitCode = 2 }
      else console.log('Migrations match schema.prisma.')
      break
    }
    case 'status': console.log(JSON.stringify(await engine.diagnose(migrationsDir), null, 1)); break
    default: throw new Error(`unknown command ${command}; use new <name>, check or status`)
  }
} finally {
  engine.free()
}
setTimeout(() => process.exit(), 0) // PGlite and engine handles would keep node alive
