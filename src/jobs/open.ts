// Opens the job layer: BullMQ on Redis when REDIS_URL is set, in-process (the embedded default) when not, with
// the processors wired to it (and the mail they send), the audit runs of dead processes watched and the stored
// schedules armed and kept in step when the runner starts. The interface itself is src/jobs/queue.ts.
import type { Database } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'
import type { JobQueue, Jobs, JobsOptions } from './queue.ts'

const log = moduleLogger('jobs')

/** Opens the back end the configuration asks for; the runner is not started. */
export async function openJobs(db: Database, options: JobsOptions = {}): Promise<Jobs> {
  const { createProcessors } = await import('./processors.ts')
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL
  const make = (queue: JobQueue) => ({ ...createProcessors(db, { queue, sendDigests: mailDigests, sendAlbum: mailAlbum, sendNotifications: mailNotifications }), ...options.processors })
  let jobs: Jobs
  if (redisUrl) {
    const { openBullJobs } = await import('./bullmq.ts')
    jobs = await openBullJobs(db, { ...options, redisUrl }, make)
  } else {
    const { openInProcessJobs } = await import('./in-process.ts')
    jobs = openInProcessJobs(options, make)
  }
  const runner = jobs.runner
  const start = runner.start.bind(runner)
  const close = runner.close.bind(runner)
  let timer: NodeJS.Timeout | undefined
  let stopWatch: (() => Promise<void>) | undefined
  jobs.runner.start = async () => {
    // audit runs left RUNNING by a process that died are marked FAILED now and looked for every few seconds
    // after, before a job could wait for one of them (src/engine/runs.ts)
    if (options.watchRuns !== false && !stopWatch) stopWatch = await (await import('../engine/runs.ts')).watchRuns(db)
    await start()
    if (options.schedules === false) return
    // whoever runs processors arms the schedules from the table, and catches up what was missed while none ran
    const { syncSchedules, SYNC_EVERY_MS, MISSED_GRACE_MS } = await import('./schedules.ts')
    await syncSchedules(db, jobs.queue, { rearm: true })
    // and every minute after: a schedule the server could not arm (Redis away), or changed by another process
    timer = setInterval(() => {
      syncSchedules(db, jobs.queue, { graceMs: MISSED_GRACE_MS }).catch((e: Error) => log.warn({ err: e.message }, 'schedules not synced; next try in a minute'))
    }, options.scheduleSyncMs ?? SYNC_EVERY_MS)
    timer.unref()
  }
  jobs.runner.close = async () => {
    clearInterval(timer)
    await stopWatch?.()
    await close()
  }
  return jobs
}

/** The mail job: each subscription's digest of one audit run, over SMTP_URL or into the outbox. */
async function mailDigests(db: Database, job: { runId: string }) {
  const { sendDigests } = await import('../notify/digest.ts')
  return withMailer((mailer) => sendDigests(db, { runId: job.runId, mailer }))
}

/** An album schedule's tick: the album of the last full period, over SMTP_URL or into the outbox. */
async function mailAlbum(db: Database, job: { scheduleId: number; tick: Date }) {
  const { sendScheduledAlbum } = await import('../notify/album.ts')
  return withMailer((mailer) => sendScheduledAlbum(db, { ...job, mailer }))
}

/** The escalation notices recorded and not yet sent (or due for a retry), over SMTP_URL or into the outbox. */
async function mailNotifications(db: Database) {
  const { sendNotifications } = await import('../notify/notifications.ts')
  return withMailer((mailer) => sendNotifications(db, { mailer }))
}

/** A mailer for one job's sending (SMTP_URL or the outbox, as configured now), closed after it. */
async function withMailer<T>(work: (mailer: import('../notify/mailer.ts').Mailer) => Promise<T>): Promise<T> {
  const { createMailer } = await import('../notify/mailer.ts')
  const mailer = createMailer()
  try {
    return await work(mailer)
  } finally {
    mailer.close()
  }
}
