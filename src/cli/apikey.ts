// `sverka apikey create --role ROLE [--markets CODE,CODE] [--name TEXT]`, `apikey list`, `apikey revoke ID|PREFIX`.
// While a `sverka serve` holds the embedded database, the commands ask that server over its local control
// channel (src/http/control.ts); otherwise they open the database themselves.
import type { Command } from 'commander'
import { createApiKey, listApiKeys, revokeApiKey, ROLES } from '../access/api-keys.ts'
import { defaultDataDir } from '../db/database.ts'
import type { KeyChannel, KeySummary } from '../http/control.ts'
import { withDatabase } from './database.ts'
import { APIKEY_RU, COMMAND_RU } from '../i18n/ru-cli.ts'
import { printTable } from './output.ts'

/** The keys of this command's database: the running server's, or the database opened here. */
async function withKeys<T>(fn: (keys: KeyChannel) => Promise<T>): Promise<T> {
  // the control channel's module (and the GraphQL it pulls in) only for this command, not at every command's start
  const server = process.env.DATABASE_URL ? null : (await import('../http/control.ts')).runningServer(defaultDataDir())
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
  const apikey = program.command('apikey').description(COMMAND_RU.apikey('sverka serve'))
  apikey.command('create')
    .description(COMMAND_RU.apikeyCreate)
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--markets <codes>', COMMAND_RU.apikeyMarkets)
    .option('--name <text>', COMMAND_RU.apikeyName)
    .action(async (opts: { role: string; markets?: string; name?: string }) => {
      await withKeys(async (keys) => {
        const key = await keys.create({ role: opts.role, markets: opts.markets?.split(','), name: opts.name })
        console.log(key.key)
        const created = APIKEY_RU.created(key.id, key.role, key.markets.length ? APIKEY_RU.markets(key.markets.join(',')) : APIKEY_RU.allMarkets)
        process.stderr.write(`${created}${keys.server ? ` ${APIKEY_RU.byServer('sverka serve', keys.server)}` : ''}\n`)
      })
    })
  apikey.command('list').description(COMMAND_RU.apikeyList).action(async () => {
    await withKeys(async (keys) => {
      const all = await keys.list()
      if (all.length === 0) { console.log(APIKEY_RU.none); return }
      printTable(APIKEY_RU.head, all.map((k) => [String(k.id), `${k.prefix}…`, k.role,
        k.markets.length ? k.markets.join(',') : APIKEY_RU.allMarkets, k.name,
        k.revokedAt ? APIKEY_RU.revokedAt(k.revokedAt) : APIKEY_RU.active]))
    })
  })
  apikey.command('revoke').description(COMMAND_RU.apikeyRevoke).argument('<id-or-prefix>').action(async (idOrPrefix: string) => {
    await withKeys(async (keys) => {
      const k = await keys.revoke(idOrPrefix)
      console.log(APIKEY_RU.revoked(k.id, k.prefix))
    })
  })
}
