// `sverka worker [--concurrency N]`: job processors only, on the Redis of REDIS_URL and the database of
// DATABASE_URL; several can run, on several machines. SIGTERM/SIGINT let the active jobs finish, then exit 0.
import type { Command } from 'commander'
import { InputError } from '../errors.ts'

interface WorkerCliOptions { concurrency?: string }

export function registerWorker(program: Command) {
  program.command('worker')
    .description('job processors only (production mode: needs REDIS_URL and DATABASE_URL)')
    .option('--concurrency <n>', 'jobs at a time per queue (default 1 for audits, 4 for the rest; SVERKA_WORKER_CONCURRENCY)')
    .action(async (opts: WorkerCliOptions) => {
      const redisUrl = process.env.REDIS_URL
      if (!redisUrl) {
        throw new InputError('sverka worker needs REDIS_URL (the Redis the jobs are queued on); without Redis, jobs run inside sverka serve (embedded mode)')
      }
      if (!process.env.DATABASE_URL) {
        throw new InputError('sverka worker needs DATABASE_URL: the embedded database cannot be shared with sverka serve')
      }
      let concurrency: number | undefined
      if (opts.concurrency !== undefined) {
        concurrency = Number(opts.concurrency)
        if (!Number.isInteger(concurrency) || concurrency < 1) throw new InputError(`--concurrency must be a whole number ≥ 1, got ${opts.concurrency}`)
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
        process.stderr.write(`${signal}: finishing the active jobs, then stopping\n`)
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
          onRetry: (line, attempt, waitMs) => process.stderr.write(`sverka: ${line}; retrying in ${Math.round(waitMs / 1000)} s (try ${attempt})\n`),
        })
      } catch (e) {
        await db.close()
        throw e
      }
      if (stopping) return
      const summary = QUEUE_NAMES.map((n) => `${n} ×${concurrencyOf(n, { concurrency: perQueue })}`).join(', ')
      process.stdout.write(`Sverka worker ready on ${redactRedis(redisUrl)}: ${summary}\n`)
    })
}
