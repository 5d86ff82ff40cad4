// The in-process back end (the embedded default): the same processors run in this process, one job at a time
// per queue name, with retries and exponential backoff, and timers for the periodic jobs.
import { randomUUID } from 'node:crypto'
import { moduleLogger } from '../logger.ts'
import { auditJobOf, nextTick, tickJobId } from './schedules.ts'
import { DEFAULTS, QUEUE_NAMES, type AddOptions, type JobData, type JobQueue, type Jobs, type JobsOptions, type Processors, type QueueName, type ScheduleSpec } from './queue.ts'

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
  // for counts(): delayed are jobs on a timer (a delay or a retry's backoff); failed (for good) and completed since start
  const tally = new Map(QUEUE_NAMES.map((n) => [n, { delayed: 0, failed: 0, completed: 0 }]))
  let started = false
  let closing = false
  let processors: Processors
  // stored schedules followed here, and the timer of each one's next tick
  const schedules = new Map<number, ScheduleSpec>()
  const tickTimers = new Map<number, NodeJS.Timeout>()

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); fn() }, ms)
    timers.add(t)
  }
  const delayed = (name: QueueName, ms: number, fn: () => void) => {
    tally.get(name)!.delayed++
    later(ms, () => { tally.get(name)!.delayed--; fn() })
  }

  const pump = (name: QueueName) => {
    if (!started || closing || running.has(name)) return
    const job = waiting.get(name)!.shift()
    if (!job) return
    const run = (async () => {
      const processor = processors[name] as (data: unknown, ctx: { id: string; name: QueueName; attempt: number }) => Promise<unknown>
      try {
        await processor(job.data, { id: job.id, name, attempt: job.attempt })
        tally.get(name)!.completed++
      } catch (e) {
        if (job.attempt < job.attempts && !closing) {
          const wait = backoffMs * 2 ** (job.attempt - 1)
          log.warn({ queue: name, jobId: job.id, attempt: job.attempt, retryInMs: wait, err: (e as Error).message }, 'job failed; retried')
          delayed(name, wait, () => { waiting.get(name)!.push({ ...job, attempt: job.attempt + 1 }); pump(name) })
        } else {
          tally.get(name)!.failed++
          log.error({ queue: name, jobId: job.id, attempt: job.attempt, err: (e as Error).message }, 'job failed for good')
        }
      }
    })()
    running.set(name, run)
    void run.finally(() => { running.delete(name); setImmediate(() => pump(name)) })
  }

  const queue: JobQueue = {
    kind: 'in-process',
    async add<N extends QueueName>(name: N, data: JobData[N], opts: AddOptions = {}) {
      const id = opts.jobId ?? randomUUID()
      if (opts.jobId) {
        if (known.has(id)) return
        known.add(id)
      }
      const job: Pending = { id, name, data, attempt: 1, attempts: opts.attempts ?? attemptsDefault }
      const enqueue = () => { waiting.get(name)!.push(job); pump(name) }
      if (opts.delay) delayed(name, opts.delay, enqueue)
      else enqueue()
    },
    async schedule(spec) {
      schedules.set(spec.id, spec)
      arm(spec.id)
    },
    async unschedule(id) {
      schedules.delete(id)
      disarm(id)
    },
    async scheduled() {
      return [...schedules.values()].filter((s) => s.enabled).map(({ id, cron, timezone }) => ({ id, cron, timezone }))
    },
    async close() {},
    async counts() {
      const of = (name: QueueName) => ({ waiting: waiting.get(name)!.length, active: running.has(name) ? 1 : 0, ...tally.get(name)! })
      return Object.fromEntries(QUEUE_NAMES.map((name) => [name, of(name)])) as Awaited<ReturnType<JobQueue['counts']>>
    },
  }
  processors = makeProcessors(queue)

  const disarm = (id: number) => {
    const t = tickTimers.get(id)
    if (t) { clearTimeout(t); tickTimers.delete(id) }
  }
  // one timer per schedule, to its next tick; a tick adds the audit job (its id is the tick) and arms the next
  const arm = (id: number) => {
    disarm(id)
    const spec = schedules.get(id)
    if (!started || closing || !spec?.enabled) return
    let tick: Date
    try {
      tick = nextTick(spec)
    } catch (e) {
      log.warn({ schedule: spec.name, err: (e as Error).message }, 'schedule has no next tick')
      return
    }
    // timers hold at most ~24.8 days: a later tick is reached by re-arming on the way
    const wait = Math.min(Math.max(tick.getTime() - Date.now(), 0), 2 ** 31 - 1)
    const t = setTimeout(() => {
      tickTimers.delete(id)
      if (Date.now() >= tick.getTime()) void queue.add('audit', auditJobOf(spec), { jobId: tickJobId(spec.id, tick) })
      arm(id)
    }, wait)
    tickTimers.set(id, t)
  }

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
      for (const id of schedules.keys()) arm(id)
    },
    async close() {
      closing = true
      for (const t of timers) { clearTimeout(t); clearInterval(t) }
      timers.clear()
      for (const id of Array.from(tickTimers.keys())) disarm(id)
      const dropped = [...waiting.values()].reduce((n, q) => n + q.length, 0)
      if (dropped) log.warn({ dropped }, 'jobs still waiting are dropped at close (in-process queue)')
      await Promise.allSettled(running.values())
    },
  }
  return { kind: 'in-process', queue, runner }
}
