// Prisma 7 CLI config: used for `prisma generate` only (migrations run through scripts/db-tool.ts).
import { defineConfig } from 'prisma/config'

// Offline: without this the CLI tries to download the native schema engine before every
// command, even `generate`, which never runs it. Any existing file will do.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= 'package.json'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
})
