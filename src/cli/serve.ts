// `sverka serve [--port N] [--host H] [--no-demo]`: the GraphQL API at /graphql with GraphiQL. On the first
// start of an empty database (embedded or PostgreSQL: no API keys, no master data) it loads a demo dataset
// (unless --no-demo) and creates an ADMIN key, printed once; on the embedded database it opens the local
// control channel through which `sverka apikey` makes keys while the server holds the database.
import { join } from 'node:path'
import type { Command } from 'commander'
import type { CreatedKey } from '../access/api-keys.ts'
import type { Database } from '../db/database.ts'
import { InputError } from '../errors.ts'
import { COMMAND_RU, OPTION_ERROR_RU, SERVE_RU } from '../i18n/ru-cli.ts'

/** Any number, the same in every Sverka: the first-start work of several servers on one database is done once. */
const FIRST_START_LOCK = 5_373_821_201

/**
 * The first start: on a database without any API key (revoked ones count), an ADMIN key; when it also holds
 * no master data and `demo` is on, the demo dataset first. On PostgreSQL several servers may start together
 * on one new database: a transaction-scoped advisory lock lets one of them do it, the others then see keys.
 */
async function firstStart(db: Database, demo: boolean): Promise<CreatedKey | null> {
  const [{ createApiKey }, demoData, { defaultDataDir }] = await Promise.all([
    import('../access/api-keys.ts'), import('../seed/demo.ts'), import('../db/database.ts'),
  ])
  const prepare = async () => {
    if ((await db.prisma.apiKey.count()) > 0) return null
    const empty = SERVE_RU.emptyDatabase(db.kind === 'pglite')
    if (await demoData.isEmpty(db)) {
      if (demo) {
        process.stderr.write(`${SERVE_RU.loadingDemo(empty, '--no-demo')}\n`)
        const loaded = await demoData.loadDemo(db, {
          history: process.env.SVERKA_DEMO_HISTORY !== '0', keepCsvIn: join(defaultDataDir(), 'demo-csv'),
        })
        process.stderr.write(`${SERVE_RU.demoLoaded(loaded.rows, loaded.findings, loaded.asOf)}\n`)
        if (loaded.csvDir) process.stderr.write(`${SERVE_RU.demoCsv(loaded.csvDir, 'sverka import')}\n`)
      } else {
        process.stderr.write(`${SERVE_RU.noDemo(empty, '--no-demo', 'sverka import DIR')}\n`)
      }
    }
    return createApiKey(db.prisma, { role: 'ADMIN', name: SERVE_RU.firstKeyName })
  }
  // PGlite is this process's alone (and has one connection: a transaction held open would block the work)
  if (db.kind === 'pglite') return prepare()
  return db.sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_START_LOCK])
    return prepare()
  })
}

interface ServeOptions { port: string; host: string; demo: boolean }

export function registerServe(program: Command) {
  program.command('serve')
    .description(COMMAND_RU.serve('/graphql'))
    .option('--port <n>', COMMAND_RU.servePort, process.env.PORT ?? '4000')
    .option('--host <host>', COMMAND_RU.serveHost, process.env.HOST ?? '127.0.0.1')
    .option('--no-demo', COMMAND_RU.serveNoDemo)
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(OPTION_ERROR_RU.port('--port', opts.port))
      const [{ openForCommand }, { startServer }, { corsOrigins }, { openControlChannel }, { defaultDataDir }] = await Promise.all([
        import('./database.ts'), import('../server.ts'), import('../http/cors.ts'), import('../http/control.ts'), import('../db/database.ts'),
      ])
      // a mistyped SVERKA_CORS_ORIGINS stops the start at once, before the database is opened
      const origins = corsOrigins()
      const db = await openForCommand()
      let server: Awaited<ReturnType<typeof startServer>> | undefined
      // what must stop before the database closes: the job runner and queue
      const periodic: Array<() => Promise<void>> = []
      const stop = async (signal: string) => {
        process.stderr.write(`\n${SERVE_RU.stopping(signal)}\n`)
        await server?.close()
        await Promise.all(periodic.map((halt) => halt()))
        await db.close()
        process.exit(0)
      }
      try {
        // embedded: `sverka apikey` run beside this server asks it (the database is this process's alone);
        // open before the first-start work, so a key can be asked for while the demo loads
        if (db.kind === 'pglite') {
          const control = await openControlChannel(db, defaultDataDir())
          periodic.push(() => control.close())
        }
        const created = await firstStart(db, opts.demo)
        const loopback = opts.host === '127.0.0.1' || opts.host === 'localhost' || opts.host === '::1'
        // embedded mode: the job processors (escalation, service-desk calls, mail, re-checks) run here;
        // with REDIS_URL they run in `sverka worker` processes. Opened before the server, which reports
        // their queues (/health, /metrics, the dashboard at /admin/queues)
        const { openJobs } = await import('../jobs/open.ts')
        const jobs = await openJobs(db, {
          periodic: { escalationMs: Number(process.env.SVERKA_ESCALATION_EVERY_MS ?? 60_000), webhooksMs: Number(process.env.SVERKA_WEBHOOK_EVERY_MS ?? 10_000) },
        })
        periodic.push(async () => { await jobs.runner.close(); await jobs.queue.close() })
        if (jobs.kind === 'in-process') {
          await jobs.runner.start()
        } else {
          // the workers run the processors; this server still keeps the runs it shows honest (a run whose process died is FAILED)
          const { watchRuns } = await import('../engine/runs.ts')
          periodic.push(await watchRuns(db))
        }
        server = await startServer(db, {
          port, host: opts.host, jobs, corsOrigins: origins,
          // the key made a moment ago goes into GraphiQL's headers, for a newcomer on this machine only
          graphiqlHeaders: created && loopback ? { Authorization: `Bearer ${created.key}` } : undefined,
          // and into the console's page, which then opens signed in
          consoleBootKey: created && loopback ? created.key : undefined,
        })
        // mail sent from this process (the in-process jobs) links to this console unless SVERKA_PUBLIC_URL says otherwise
        const { setServedUrl } = await import('../notify/links.ts')
        setServedUrl(server.consoleUrl)
        process.on('SIGINT', () => void stop('SIGINT'))
        process.on('SIGTERM', () => void stop('SIGTERM'))
        // one write: whoever reads the output sees the URL and the key together
        process.stdout.write(`${SERVE_RU.console(server.consoleUrl, created !== null && loopback)}\n${SERVE_RU.url(server.url)}\n${(created ? [
          SERVE_RU.key(created.role, created.key),
          `${SERVE_RU.header(`Authorization: Bearer ${created.key}`)}${loopback ? ` ${SERVE_RU.headerInGraphiql}` : ''}`,
          '',
        ] : [
          // a restart: the keys were shown when they were made; say how to get another one
          SERVE_RU.keysShownOnce,
          `  npx sverka apikey create --role ADMIN --name me${db.kind === 'pglite' ? '' : `   ${SERVE_RU.sameDatabase('DATABASE_URL')}`}`,
          SERVE_RU.thenHeaders('Headers', '{"Authorization": "Bearer <key>"}'),
          '',
        ]).join('\n')}`)
      } catch (e) {
        await server?.close()
        await Promise.all(periodic.map((halt) => halt()))
        await db.close()
        throw e
      }
    })
}
