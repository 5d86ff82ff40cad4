// `sverka serve [--port N] [--host H] [--no-demo]`: the GraphQL API at /graphql with GraphiQL. On the first
// start of an empty embedded database it loads a demo dataset and creates an ADMIN key, printed once.
import type { Command } from 'commander'
import { InputError } from '../errors.ts'

interface ServeOptions { port: string; host: string; demo: boolean }

export function registerServe(program: Command) {
  program.command('serve')
    .description('GraphQL API at /graphql (GraphiQL in a browser); demo data on the first start of an empty embedded database')
    .option('--port <n>', 'port to listen on', process.env.PORT ?? '4000')
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--no-demo', 'start an empty embedded database empty')
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be a port number, got ${opts.port}`)
      const [{ openForCommand }, { startServer }, { createApiKey }, demo, { corsOrigins }] = await Promise.all([
        import('./database.ts'), import('../server.ts'), import('../access/api-keys.ts'), import('../seed/demo.ts'), import('../http/cors.ts'),
      ])
      // a mistyped SVERKA_CORS_ORIGINS stops the start at once, before the database is opened
      const origins = corsOrigins()
      const db = await openForCommand()
      let server: Awaited<ReturnType<typeof startServer>> | undefined
      // what must stop before the database closes: the job runner and queue
      const periodic: Array<() => Promise<void>> = []
      const stop = async (signal: string) => {
        process.stderr.write(`\n${signal}: stopping\n`)
        await server?.close()
        await Promise.all(periodic.map((halt) => halt()))
        await db.close()
        process.exit(0)
      }
      try {
        const firstStart = db.kind === 'pglite' && await demo.isEmpty(db)
        if (firstStart && opts.demo) {
          process.stderr.write('Empty embedded database: loading the demo dataset (seed, import, audit)…\n')
          const loaded = await demo.loadDemo(db)
          process.stderr.write(`Demo loaded: ${loaded.rows} records, ${loaded.findings} open findings (as of ${loaded.asOf}).\n`)
        }
        const noKeys = (await db.prisma.apiKey.count()) === 0
        const created = firstStart && noKeys ? await createApiKey(db.prisma, { role: 'ADMIN', name: 'first start' }) : null
        const loopback = opts.host === '127.0.0.1' || opts.host === 'localhost' || opts.host === '::1'
        // embedded mode: the job processors (escalation, service-desk calls, mail, re-checks) run here;
        // with REDIS_URL they run in `sverka worker` processes. Opened before the server, which reports
        // their queues (/health, /metrics, the dashboard at /admin/queues)
        const { openJobs } = await import('../jobs/queue.ts')
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
        })
        process.on('SIGINT', () => void stop('SIGINT'))
        process.on('SIGTERM', () => void stop('SIGTERM'))
        // one write: whoever reads the output sees the URL and the key together
        process.stdout.write(`Sverka GraphQL API: ${server.url} (GraphiQL in a browser)\n${created ? [
          `ADMIN API key (shown once, only its hash is stored): ${created.key}`,
          `Send it as the header  Authorization: Bearer ${created.key}${loopback ? ' (GraphiQL on this machine has it already)' : ''}`,
          '',
        ].join('\n') : ''}`)
      } catch (e) {
        await server?.close()
        await Promise.all(periodic.map((halt) => halt()))
        await db.close()
        throw e
      }
    })
}
