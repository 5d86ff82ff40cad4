// `sverka apikey create --role ROLE [--markets CODE,CODE] [--name TEXT]`, `apikey list`, `apikey revoke ID|PREFIX`.
// While a `sverka serve` holds the embedded database, the commands ask that server over its local control
// channel (src/http/control.ts); otherwise they open the database themselves.
import type { Command } from 'commander'
import { createApiKey, listApiKeys, revokeApiKey, ROLES } from '../access/api-keys.ts'
import { defaultDataDir } from '../db/database.ts'
import { runningServer, type KeyChannel, type KeySummary } from '../http/control.ts'
import { withDatabase } from './database.ts'

/** The keys of this command's database: the running server's, or the database opened here. */
async function withKeys<T>(fn: (keys: KeyChannel) => Promise<T>): Promise<T> {
  const server = process.env.DATABASE_URL ? null : runningServer(defaultDataDir())
  if (server) return fn(server)
  return withDatabase((db) => fn({
    create: (input) => createApiKey(db.prisma, input),
    list: async () => (await listApiKeys(db.prisma)).map((k): KeySummary => ({
      id: k.id, name: k.name, prefix: k.prefix, role: k.role, markets: k.markets,
      createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
    revoke: (idOrPrefix) => revokeApiKey(db.prisma, idOrPrefix),
  }))
}

export function registerApiKey(program: Command) {
  const apikey = program.command('apikey').description('manage API keys (only their hashes are stored); works beside a running sverka serve')
  apikey.command('create')
    .description('print a new API key once')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--markets <codes>', 'comma-separated market codes the key is limited to')
    .option('--name <text>', 'who or what the key is for')
    .action(async (opts: { role: string; markets?: string; name?: string }) => {
      await withKeys(async (keys) => {
        const key = await keys.create({ role: opts.role, markets: opts.markets?.split(','), name: opts.name })
        console.log(key.key)
        process.stderr.write(`created key #${key.id} (${key.role}${key.markets.length ? `, markets ${key.markets.join(',')}` : ', all markets'}); it is shown only once${keys.server ? ` (made by sverka serve, process ${keys.server}, which holds the data directory)` : ''}\n`)
      })
    })
  apikey.command('list').description('list keys (never the keys themselves)').action(async () => {
    await withKeys(async (keys) => {
      const all = await keys.list()
      if (all.length === 0) { console.log('no API keys'); return }
      for (const k of all) {
        console.log([`#${k.id}`, `${k.prefix}…`, k.role, k.markets.length ? k.markets.join(',') : 'all markets', k.name,
          k.revokedAt ? `revoked ${k.revokedAt}` : 'active'].join('\t'))
      }
    })
  })
  apikey.command('revoke').description('revoke a key by id or prefix').argument('<id-or-prefix>').action(async (idOrPrefix: string) => {
    await withKeys(async (keys) => {
      const k = await keys.revoke(idOrPrefix)
      console.log(`revoked #${k.id} (${k.prefix}…)`)
    })
  })
}
