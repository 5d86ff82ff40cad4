// The in-process back end (the embedded default): the same processors run in this process, one job at a time
// per queue name, with retries and exponential backoff, and timers for the periodic jobs.
import { randomUUID } from 'node:crypto'
import { moduleLogger } from '../logger.ts'
import { DEFAULTS, QUEUE_NAMES, type AddOptions, type JobData, type JobQueue, type Jobs, type JobsOptions, type Processors, type QueueName } from './queue.ts'

const log = moduleLogger('jobs')

interface Pending { id: string; name: QueueName; data: unknown; attempt: number; attempts: number }

export function openInProcessJobs(options: JobsOptions, makeProcessors: (queue: JobQueue) => Processors): Jobs {
  const attemptsDefault = options.attempts ?? DEFAULTS.attempts
  const backoffMs = options.backoffMs ?? DEFAULTS.backoffMs
  // ids known (waiting, running, done): a second add of the same id is dropped, as BullMQ does
  const known = new Set<string>()
  const waiting = new Map<QueueName, Pending[]>(QUEUE_NAMES.map((n) => [n, []]))
  const running = new Map<QueueName, Promise<void>>()
  const timers = new Set<NodeJS.Timeout>()
  let started = false
  let closing = false
  let processors: Processors

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); fn() }, ms)
    timers.add(t)
  }

  const pump = (name: QueueName) => {
    if (!started || closing || running.has(name)) return
    const job = waiting.get(name)!.shift()
    if (!job) return
    const run = (async () => {
      const processor = processors[name] as (data: unknown, ctx: { id: string; name: QueueName; attempt: number }) => Promise<unknown>
      try {
        await processor(job.data, { id: job.id, name, attempt: job.attempt })
      } catch (e) {
        if (job.attempt < job.attempts && !closing) {
          const wait = backoffMs * 2 ** (job.attempt - 1)
          log.warn({ queue: name, jobId: job.id, attempt: job.attempt, retryInMs: wait, err: (e as Error).message }, 'job failed; retried')
          later(wait, () => { waiting.get(name)!.push({ ...job, attempt: job.attempt + 1 }); pump(name) })
        } else {
          log.error({ queue: name, jobId: job.id, attempt: job.attempt, err: (e as Error).message }, 'job failed for good')
        }
      }
    })()
    running.set(name, run)
    void run.finally(() => { running.delete(name); setImmediate(() => pump(name)) })
  }

  const queue: JobQueue = {
    async add<N extends QueueName>(name: N, data: JobData[N], opts: AddOptions = {}) {
      const id = opts.jobId ?? randomUUID()
      if (opts.jobId) {
        if (known.has(id)) return
        known.add(id)
      }
      const job: Pending = { id, name, data, attempt: 1, attempts: opts.attempts ?? attemptsDefault }
      const enqueue = () => { waiting.get(name)!.push(job); pump(name) }
      if (opts.delay) later(opts.delay, enqueue)
      else enqueue()
    },
    async close() {},
  }
  processors = makeProcessors(queue)

  const runner = {
    async start() {
      if (started) return
      started = true
      if (options.periodic !== false) {
        const every = (name: 'escalation' | 'webhooks', ms: number) => {
          const t = setInterval(() => {
            // a tick while the previous one still runs is skipped, not stacked
            if (!running.has(name) && waiting.get(name)!.length === 0) void queue.add(name, {}, { attempts: 1 })
          }, ms)
          timers.add(t)
        }
        every('escalation', options.periodic?.escalationMs ?? DEFAULTS.escalationMs)
        every('webhooks', options.periodic?.webhooksMs ?? DEFAULTS.webhooksMs)
      }
      for (const name of QUEUE_NAMES) pump(name)
    },
    async close() {
      closing = true
      for (const t of timers) { clearTimeout(t); clearInterval(t) }
      timers.clear()
      const dropped = [...waiting.values()].reduce((n, q) => n + q.length, 0)
      if (dropped) log.warn({ dropped }, 'jobs still waiting are dropped at close (in-process queue)')
      await Promise.allSettled([...running.values()])
    },
  }
  return { kind: 'in-process', queue, runner }
}
