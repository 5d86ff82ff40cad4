// The BullMQ back end: a Queue and a Worker per queue name on Redis; retries with exponential backoff,
// periodic jobs as job schedulers (one job per tick however many workers run), graceful close.
import { FlowProducer, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import type { Database } from '../db/database.ts'
import { SverkaError } from '../errors.ts'
import { JOBS_RU } from '../i18n/ru-errors.ts'
import { moduleLogger } from '../logger.ts'
import { auditJobOf } from './schedules.ts'
import { concurrencyOf, DEFAULTS, QUEUE_NAMES, type JobQueue, type Jobs, type JobsOptions, type Processors, type QueueName } from './queue.ts'

const log = moduleLogger('jobs')

export class RedisUnavailableError extends SverkaError {
  constructor(message: string) { super('REDIS_UNAVAILABLE', message) }
}

/** The URL without its password, for messages. */
export function redactRedis(url: string) {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}

/** ioredis options of a redis:// URL; BullMQ needs maxRetriesPerRequest null for its blocking calls. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url)
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // reconnect after a drop with a growing pause, never give up: workers ride out a Redis restart
    retryStrategy: (times: number) => Math.min(250 * 2 ** Math.min(times, 5), 5_000),
  }
}

/**
 * Waits until Redis answers PING: each failed try is reported (one line: «Redis по адресу … не отвечает: …») and
 * retried after a doubling pause; after `attempts` tries it throws RedisUnavailableError with that line.
 */
export async function waitForRedis(url: string, options: { attempts?: number; baseMs?: number; capMs?: number; onRetry?: (line: string, attempt: number, waitMs: number) => void } = {}) {
  const attempts = options.attempts ?? 10
  const baseMs = options.baseMs ?? 1_000
  let line = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const client = new Redis({ ...(redisConnection(url) as object), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 5_000 })
    client.on('error', () => {}) // reported below, once
    try {
      await client.connect()
      await client.ping()
      return
    } catch (e) {
      line = JOBS_RU.redisUnreachable(redactRedis(url), (e as Error).message || String(e))
      if (attempt < attempts) {
        const waitMs = Math.min(baseMs * 2 ** (attempt - 1), options.capMs ?? 30_000)
        options.onRetry?.(line, attempt, waitMs)
        await new Promise((r) => setTimeout(r, waitMs))
      }
    } finally {
      client.disconnect()
    }
  }
  throw new RedisUnavailableError(line)
}

const SCHEDULER_ID = /^schedule-(\d+)$/
const schedulerId = (id: number) => `schedule-${id}`

export interface BullOptions extends JobsOptions { redisUrl: string; worker?: { lockDuration?: number; stalledInterval?: number } }

export async function openBullJobs(_db: Database, options: BullOptions, makeProcessors: (queue: JobQueue) => Processors): Promise<Jobs> {
  const connection = redisConnection(options.redisUrl)
  const prefix = options.prefix ?? (process.env.SVERKA_QUEUE_PREFIX || 'sverka')
  // how long a job stays locked to a worker that stopped answering before another takes it over (BullMQ default 30 s)
  const lockMs = options.worker?.lockDuration ?? (Number(process.env.SVERKA_WORKER_LOCK_MS) || undefined)
  const stalledMs = options.worker?.stalledInterval ?? lockMs
  const attempts = options.attempts ?? DEFAULTS.attempts
  const backoff = { type: 'exponential' as const, delay: options.backoffMs ?? DEFAULTS.backoffMs }
  const queues = new Map<QueueName, Queue>()
  const queueOf = (name: QueueName) => {
    let q = queues.get(name)
    if (!q) {
      q = new Queue(name, {
        connection, prefix,
        defaultJobOptions: { attempts, backoff, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
      })
      q.on('error', (e) => log.warn({ queue: name, err: e.message }, 'queue connection error'))
      queues.set(name, q)
    }
    return q
  }

  let flows: FlowProducer | undefined
  const queue: JobQueue = {
    kind: 'bullmq',
    // the parent waits for every part; a part that fails for good (after its retries) is moved to the parent's failed
    // dependencies instead of failing it, so the parent still runs once and fails the run with the part's reason
    async addFlow({ reconcile, parts }) {
      flows ??= new FlowProducer({ connection, prefix })
      const opts = { attempts, backoff, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } }
      await flows.add({
        name: 'audit-reconcile', queueName: 'audit-reconcile', data: reconcile.data, opts: { ...opts, jobId: reconcile.jobId },
        // the order given is kept by priority (1 first), whatever order Redis receives the children in
        children: parts.map((p, i) => ({
          name: 'audit-part', queueName: 'audit-part', data: p.data,
          opts: { ...opts, jobId: p.jobId, ignoreDependencyOnFailure: true, priority: Math.min(i + 1, 2_097_152) },
        })),
      })
    },
    async add(name, data, opts = {}) {
      await queueOf(name).add(name, data, {
        ...(opts.jobId ? { jobId: opts.jobId } : {}),
        ...(opts.delay ? { delay: opts.delay } : {}),
        ...(opts.attempts ? { attempts: opts.attempts } : {}),
      })
    },
    async partWorkers() {
      return queueOf('audit-part').getWorkersCount()
    },
    // a stored schedule as a BullMQ job scheduler on the audit queue: one job per tick however many workers run
    async schedule(spec) {
      if (!spec.enabled) {
        await queueOf('audit').removeJobScheduler(schedulerId(spec.id))
        return
      }
      await queueOf('audit').upsertJobScheduler(schedulerId(spec.id), { pattern: spec.cron, tz: spec.timezone },
        { name: 'audit', data: auditJobOf(spec), opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } })
    },
    async unschedule(id) {
      await queueOf('audit').removeJobScheduler(schedulerId(id))
    },
    async scheduled() {
      const all = await queueOf('audit').getJobSchedulers(0, -1)
      return all.flatMap((j) => {
        const m = SCHEDULER_ID.exec(j.key)
        return m && j.pattern ? [{ id: Number(m[1]), cron: j.pattern, timezone: j.tz ?? 'UTC' }] : []
      })
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()))
      queues.clear()
      await flows?.close()
      flows = undefined
    },
    async counts() {
      const each = await Promise.all(QUEUE_NAMES.map(async (name) => {
        const c = await queueOf(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed')
        // a job with a priority waits in its own list: it is waiting all the same
        return [name, { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 }] as const
      }))
      return Object.fromEntries(each) as Awaited<ReturnType<JobQueue['counts']>>
    },
  }

  const processors = makeProcessors(queue)
  const workers: Worker[] = []
  let started = false

  const runner = {
    async start() {
      if (started) return
      started = true
      if (options.periodic !== false) {
        // every worker upserts the same schedulers: the id makes it one schedule, and one job per tick
        await queueOf('escalation').upsertJobScheduler('escalation', { every: options.periodic?.escalationMs ?? DEFAULTS.escalationMs },
          { name: 'escalation', data: {}, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } })
        await queueOf('webhooks').upsertJobScheduler('webhooks', { every: options.periodic?.webhooksMs ?? DEFAULTS.webhooksMs },
          { name: 'webhooks', data: {}, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } })
      }
      for (const name of QUEUE_NAMES) {
        const processor = processors[name] as (data: unknown, job: { id: string; name: QueueName; attempt: number }) => Promise<unknown>
        const worker = new Worker(name, async (job: Job) => processor(job.data, { id: String(job.id), name, attempt: job.attemptsMade + 1 }), {
          connection, prefix, concurrency: concurrencyOf(name, options),
          ...(lockMs ? { lockDuration: lockMs } : {}),
          ...(stalledMs ? { stalledInterval: stalledMs } : {}),
        })
        worker.on('failed', (job, e) => log.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: e.message }, 'job failed'))
        worker.on('error', (e) => log.warn({ queue: name, err: e.message }, 'worker error'))
        workers.push(worker)
      }
      await Promise.all(workers.map((w) => w.waitUntilReady()))
    },
    async close() {
      // Worker.close() lets the active jobs finish
      await Promise.all(workers.splice(0).map((w) => w.close()))
    },
  }

  return {
    kind: 'bullmq',
    queue,
    runner: { start: () => runner.start(), async close() { await runner.close(); await queue.close() } },
    bullQueues: () => QUEUE_NAMES.map(queueOf),
  }
}

/** Removes every queue of a prefix (tests). */
export async function obliterateQueues(redisUrl: string, prefix: string) {
  for (const name of QUEUE_NAMES) {
    const q = new Queue(name, { connection: redisConnection(redisUrl), prefix })
    await q.obliterate({ force: true })
    await q.close()
  }
}
