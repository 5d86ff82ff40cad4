// `sverka apikey create --role ROLE [--markets CODE,CODE] [--name TEXT]`, `apikey list`, `apikey revoke ID|PREFIX`
import type { Command } from 'commander'
import { createApiKey, listApiKeys, revokeApiKey, ROLES } from '../access/api-keys.ts'
import { withDatabase } from './database.ts'

export function registerApiKey(program: Command) {
  const apikey = program.command('apikey').description('manage API keys (only their hashes are stored)')
  apikey.command('create')
    .description('print a new API key once')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--markets <codes>', 'comma-separated market codes the key is limited to')
    .option('--name <text>', 'who or what the key is for')
    .action(async (opts: { role: string; markets?: string; name?: string }) => {
      await withDatabase(async (db) => {
        const key = await createApiKey(db.prisma, { role: opts.role, markets: opts.markets?.split(','), name: opts.name })
        console.log(key.key)
        process.stderr.write(`created key #${key.id} (${key.role}${key.markets.length ? `, markets ${key.markets.join(',')}` : ', all markets'}); it is shown only once\n`)
      })
    })
  apikey.command('list').description('list keys (never the keys themselves)').action(async () => {
    await withDatabase(async (db) => {
      const keys = await listApiKeys(db.prisma)
      if (keys.length === 0) { console.log('no API keys'); return }
      for (const k of keys) {
        console.log([`#${k.id}`, `${k.prefix}…`, k.role, k.markets.length ? k.markets.join(',') : 'all markets', k.name,
          k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'].join('\t'))
      }
    })
  })
  apikey.command('revoke').description('revoke a key by id or prefix').argument('<id-or-prefix>').action(async (idOrPrefix: string) => {
    await withDatabase(async (db) => {
      const k = await revokeApiKey(db.prisma, idOrPrefix)
      console.log(`revoked #${k.id} (${k.prefix}…)`)
    })
  })
}
