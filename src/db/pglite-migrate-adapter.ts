// Driver-adapter factory for Prisma's WASM schema engine on embedded PGlite (scripts/db.ts or prisma6 CLI).
// Works around:
//  0. the CLI calls config.adapter() more than once per command -> memoize, or two PGlite
//     instances open the same data dir and corrupt it ("RuntimeError: Aborted()" afterwards).
//  1. pglite-prisma-adapter executeScript() does not await client.exec().
//  2. the engine replays migrations on the shadow DB via parameterless executeRaw; PGlite's
//     query() uses the extended protocol -> "cannot insert multiple commands into a prepared
//     statement". Fall back to exec() (simple protocol) in that case.
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { freshMemoryPGlite } from './pglite.ts'
import { PrismaPGlite } from 'pglite-prisma-adapter'

let patched = false
function patch(adapter: any) {
  if (patched) return adapter
  let proto = Object.getPrototypeOf(adapter)
  while (proto && !Object.hasOwn(proto, 'performIO')) proto = Object.getPrototypeOf(proto)
  const orig = proto.performIO
  proto.performIO = async function (query: { sql: string; args: unknown[] }) {
    try {
      return await orig.call(this, query)
    } catch (e: any) {
      const msg = String(e?.cause?.message ?? e?.message ?? '')
      if (process.env.DEBUG_PGLITE_MIGRATE) console.error('[pglite-migrate] query failed:', msg, '\nSQL:', query.sql.slice(0, 300))
      if (!/multiple commands into a prepared statement/.test(msg) || query.args.length) throw e
      const results = await this.client.exec(query.sql)
      const last = results[results.length - 1] ?? { fields: [], rows: [] }
      return { ...last, rows: last.rows.map((r: any) => Object.values(r)) }
    }
  }
  Object.getPrototypeOf(adapter).executeScript = async function (script: string) {
    try { await this.client.exec(script) } catch (e) { this.onError(e) }
  }
  patched = true
  return adapter
}

const cache = new Map<string, ReturnType<typeof make>>()
function make(dataDir: string, options: PGliteOptions) {
  let inner: PrismaPGlite | undefined // lazy: `diff --from-migrations` only needs the shadow DB
  return {
    provider: 'postgres' as const,
    adapterName: 'pglite-prisma-adapter',
    async connect() {
      inner ??= new PrismaPGlite(dataDir === 'memory://' ? await freshMemoryPGlite(options) : new PGlite(dataDir, options))
      return patch(await inner.connect())
    },
    async connectToShadowDb() { return patch(await new PrismaPGlite(await freshMemoryPGlite(options)).connect()) },
  }
}
export function pgliteMigrationAdapter(dataDir: string, options: PGliteOptions = {}) {
  if (!cache.has(dataDir)) cache.set(dataDir, make(dataDir, options))
  return cache.get(dataDir)!
}
