// `sverka worker [--concurrency N]`: job processors only, on the Redis of REDIS_URL and the database of
// DATABASE_URL; several can run, on several machines. SIGTERM/SIGINT let the active jobs finish, then exit 0.
import type { Command } from 'commander'
import { InputError } from '../errors.ts'
import { COMMAND_RU, OPTION_ERROR_RU, WORKER_RU } from '../i18n/ru-cli.ts'

interface WorkerCliOptions { concurrency?: string }

export function registerWorker(program: Command) {
  program.command('worker')
    .description(COMMAND_RU.worker('REDIS_URL', 'DATABASE_URL'))
    .option('--concurrency <n>', COMMAND_RU.workerConcurrency('SVERKA_WORKER_CONCURRENCY'))
    .action(async (opts: WorkerCliOptions) => {
      const redisUrl = process.env.REDIS_URL
      if (!redisUrl) {
        throw new InputError(OPTION_ERROR_RU.workerNeedsRedis('sverka worker', 'REDIS_URL', 'sverka serve'))
      }
      if (!process.env.DATABASE_URL) {
        throw new InputError(OPTION_ERROR_RU.workerNeedsDatabase('sverka worker', 'DATABASE_URL', 'sverka serve'))
      }
      let concurrency: number | undefined
      if (opts.concurrency !== undefined) {
        concurrency = Number(opts.concurrency)
        if (!Number.isInteger(concurrency) || concurrency < 1) throw new InputError(OPTION_ERROR_RU.wholeAtLeastOne('--concurrency', opts.concurrency))
      }
      const [{ openForCommand }, { startWorker }, { QUEUE_NAMES, concurrencyOf }, { redactRedis }] = await Promise.all([
        import('./database.ts'), import('../jobs/worker.ts'), import('../jobs/queue.ts'), import('../jobs/bullmq.ts'),
      ])
      const perQueue = concurrency ? Object.fromEntries(QUEUE_NAMES.map((n) => [n, concurrency])) : {}
      const db = await openForCommand()
      let jobs: Awaited<ReturnType<typeof startWorker>> | undefined
      let stopping = false
      const stop = async (signal: string) => {
        if (stopping) return
        stopping = true
        process.stderr.write(`${WORKER_RU.stopping(signal)}\n`)
        await jobs?.runner.close()
        await db.close()
        process.exit(0)
      }
      process.on('SIGINT', () => void stop('SIGINT'))
      process.on('SIGTERM', () => void stop('SIGTERM'))
      try {
        jobs = await startWorker(db, {
          redisUrl, concurrency: perQueue,
          // Redis not there yet: one line per try, retried with a doubling pause; exit 2 after SVERKA_REDIS_ATTEMPTS (10)
          onRetry: (line, attempt, waitMs) => process.stderr.write(`sverka: ${WORKER_RU.retrying(line, Math.round(waitMs / 1000), attempt)}\n`),
        })
      } catch (e) {
        await db.close()
        throw e
      }
      if (stopping) return
      const summary = QUEUE_NAMES.map((n) => `${n} ×${concurrencyOf(n, { concurrency: perQueue })}`).join(', ')
      process.stdout.write(`${WORKER_RU.ready(redactRedis(redisUrl), summary)}\n`)
    })
}
