// The job layer's one interface: queues by name, each with its data; BullMQ on Redis when REDIS_URL is set,
// in-process (the embedded default) when not (src/jobs/open.ts opens one). Processors are the same for both
// back ends. Nothing of src/jobs is imported here: back ends, processors and schedules all build on this.
import type { Database } from '../db/database.ts'
import type { AuditPlan } from '../engine/audit.ts'
import type { SerializedPlan } from '../engine/incremental.ts'
import type { DetectionPart } from '../engine/parts.ts'
import type { EntityRef } from '../records/model.ts'

// audit-part and audit-reconcile carry an audit spread over workers (src/jobs/audit-flow.ts): BullMQ only
export const QUEUE_NAMES = ['audit', 'recheck', 'mail', 'escalation', 'webhooks', 'audit-part', 'audit-reconcile'] as const
export type QueueName = typeof QUEUE_NAMES[number]

/** A full audit, or one scoped to rules and/or a market. */
export interface AuditJob {
  rules?: string[]
  market?: string
  asOf?: string
  trigger: 'SCHEDULE' | 'API'
  actor: string
  /** a tick of this schedule: it is claimed before it runs (one run per tick) and rules/market are read from it */
  scheduleId?: number
  /** the run the API recorded QUEUED for this job: the worker takes it over (its id is the idempotency key) */
  runId?: string
}
/** An incremental re-check around changed records (after writes and imports). */
export interface RecheckJob {
  changes: EntityRef[]
  actor: string
  asOf?: string
  /** the plan prepareRecheck took before the records changed (serializePlan): what they were part of, e.g. the contract a device left */
  before?: SerializedPlan
}
/** One part of an audit spread over workers: a rule, or a rule in one market, detected and stored for the reconcile. */
export interface AuditPartJob {
  runId: string
  /** the flow's owner id of the run (src/engine/runs.ts flowOwner): a part of an earlier, abandoned flow stores nothing */
  owner: string
  part: DetectionPart
  asOf: string
}
/** The parent of an audit's parts: once they are all done (or failed for good), reconciles the run once, or fails it. */
export interface AuditReconcileJob {
  plan: AuditPlan
  owner: string
  /** the part ids it waits for */
  parts: string[]
  /** Date.now() when the parts were queued: the run's `detection` time is measured from it */
  queuedAt: number
  trigger: AuditJob['trigger']
}
/** The digests of one finished audit run. */
export interface MailJob { runId: string }
export type PeriodicJob = Record<string, never>

export interface JobData {
  audit: AuditJob
  recheck: RecheckJob
  mail: MailJob
  escalation: PeriodicJob
  webhooks: PeriodicJob
  'audit-part': AuditPartJob
  'audit-reconcile': AuditReconcileJob
}

/** An audit as a BullMQ flow: the reconcile job, parent of one job a part. */
export interface AuditFlow {
  reconcile: { jobId: string; data: AuditReconcileJob }
  /** taken in this order */
  parts: Array<{ jobId: string; data: AuditPartJob }>
}

export interface AddOptions {
  /** a second add with the same id is dropped while the first is known; processors also key their work on it */
  jobId?: string
  delay?: number
  attempts?: number
}

export interface JobQueue {
  /** where the jobs run: on workers (BullMQ) or in this process */
  readonly kind: 'bullmq' | 'in-process'
  add<N extends QueueName>(name: N, data: JobData[N], opts?: AddOptions): Promise<void>
  /** adds an audit's parts and their parent in one go (BullMQ's FlowProducer); absent in-process, where audits stay whole */
  addFlow?(flow: AuditFlow): Promise<void>
  /** how many workers take audit parts now (BullMQ's client list); absent in-process */
  partWorkers?(): Promise<number>
  /** follows a stored schedule: its ticks become audit jobs (re-armed when it changed; a disabled one is disarmed) */
  schedule(s: ScheduleSpec): Promise<void>
  unschedule(scheduleId: number): Promise<void>
  /** the schedules armed in this back end, with the timing they are armed with */
  scheduled(): Promise<ArmedSchedule[]>
  close(): Promise<void>
  /** jobs per queue and state: BullMQ's job counts; in-process, failed and completed are counted since start */
  counts(): Promise<Record<QueueName, QueueCounts>>
}

export interface QueueCounts { waiting: number; active: number; delayed: number; failed: number; completed: number }

/** What the job layer needs of a stored schedule (src/jobs/schedules.ts) to follow it. */
export interface ScheduleSpec {
  id: number
  name: string
  cron: string
  timezone: string
  enabled: boolean
  rules: string[]
  marketCode: string | null
}
export type ArmedSchedule = Pick<ScheduleSpec, 'id' | 'cron' | 'timezone'>

export interface JobRunner {
  start(): Promise<void>
  /** waits for the jobs being processed, then stops */
  close(): Promise<void>
}

/** What a processor knows of its job: the id is the idempotency key of the work it does. */
export interface JobContext { id: string; name: QueueName; attempt: number }

export type Processor<N extends QueueName> = (data: JobData[N], job: JobContext) => Promise<unknown>
export type Processors = { [N in QueueName]: Processor<N> }

export interface JobsOptions {
  /** BullMQ on this Redis; without it the in-process back end */
  redisUrl?: string
  /** Redis key prefix (BullMQ's `prefix`), default SVERKA_QUEUE_PREFIX or 'sverka' */
  prefix?: string
  /** parallel jobs per queue; default 1 for audits and their parts, 4 for the rest (SVERKA_WORKER_CONCURRENCY sets all) */
  concurrency?: Partial<Record<QueueName, number>>
  /** tries per job, default 5 */
  attempts?: number
  /** first retry delay; each next one doubles; default 5 s */
  backoffMs?: number
  /** periodic jobs: escalation every minute, webhooks every 10 s; false for none */
  periodic?: { escalationMs?: number; webhooksMs?: number } | false
  /** arm the stored audit schedules (and start one catch-up run for each that missed ticks) when the runner starts; default true */
  schedules?: boolean
  /** how often the schedules are compared with the table once the runner runs (default SYNC_EVERY_MS, a minute) */
  scheduleSyncMs?: number
  /** mark FAILED the audit runs of dead processes when the runner starts and every LEASE.watchMs after; default true */
  watchRuns?: boolean
  /** replaces processors (tests) */
  processors?: Partial<Processors>
}

export interface Jobs {
  kind: 'bullmq' | 'in-process'
  queue: JobQueue
  runner: JobRunner
  /** the BullMQ queues, one per name, for the queue dashboard; the in-process back end has none */
  bullQueues?: () => import('bullmq').Queue[]
}

export const DEFAULTS = { attempts: 5, backoffMs: 5_000, escalationMs: 60_000, webhooksMs: 10_000 }

export function concurrencyOf(name: QueueName, options: Pick<JobsOptions, 'concurrency'>): number {
  const given = options.concurrency?.[name]
  if (given) return given
  const env = Number(process.env.SVERKA_WORKER_CONCURRENCY)
  if (Number.isInteger(env) && env > 0) return env
  // an audit's part keeps a core busy (in PostgreSQL and in this process): one a worker; more workers, more parts at once
  return name === 'audit' || name === 'audit-part' || name === 'audit-reconcile' ? 1 : 4
}

/** How long a request waits for the job layer (BullMQ waits for ever on an absent Redis) before it goes on without it. */
export const QUEUE_WAIT_MS = 3_000

/** `work`, or an error saying the job layer did not answer within `ms`. */
export async function within<T>(work: Promise<T>, ms = QUEUE_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`the job queue did not answer in ${ms / 1000} s`)), ms) })])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Records an audit run QUEUED and adds its job (id `<idPrefix>-<runId>`); whoever processes jobs takes the run over
 * under the same id. When the queue does not take the job within QUEUE_WAIT_MS the run is deleted again and the
 * error thrown: nothing is left QUEUED that no job will run.
 */
export async function queueAuditRun(db: Database, jobs: JobQueue, job: AuditJob & { asOf: string }, idPrefix: string) {
  const { queueRun, dropQueuedRun } = await import('../engine/runs.ts')
  const run = await queueRun(db, { trigger: job.trigger, actor: job.actor, rules: job.rules, market: job.market, asOf: job.asOf })
  try {
    await within(jobs.add('audit', { ...job, runId: run.id }, { jobId: `${idPrefix}-${run.id}` }))
  } catch (e) {
    await dropQueuedRun(db, run.id).catch(() => undefined)
    throw e
  }
  return run
}
