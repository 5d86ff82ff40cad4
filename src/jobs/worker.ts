// A worker process's life: wait for Redis (reporting each failed try), open the BullMQ back end, run the
// processors until told to stop, then let the active jobs finish.
import type { Database } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'
import { waitForRedis } from './bullmq.ts'
import { openJobs } from './open.ts'
import type { Jobs, JobsOptions } from './queue.ts'

const log = moduleLogger('worker')

export interface WorkerOptions extends JobsOptions {
  redisUrl: string
  /** tries to reach Redis at start before giving up; default SVERKA_REDIS_ATTEMPTS or 10 (about 8.5 minutes) */
  redisAttempts?: number
  redisRetryMs?: number
  onRetry?: (line: string, attempt: number, waitMs: number) => void
}

/** Starts the processors on Redis; resolves with the running jobs once the workers are ready. */
export async function startWorker(db: Database, options: WorkerOptions): Promise<Jobs> {
  await waitForRedis(options.redisUrl, {
    attempts: options.redisAttempts ?? (Number(process.env.SVERKA_REDIS_ATTEMPTS) || 10),
    baseMs: options.redisRetryMs ?? 1_000,
    onRetry: options.onRetry ?? ((line, attempt, waitMs) => log.warn({ attempt, retryInMs: waitMs }, line)),
  })
  const jobs = await openJobs(db, options)
  await jobs.runner.start()
  return jobs
}
