// Scheduled audits. The schedule table is the source of truth (managed through GraphQL); the job layer follows
// it — BullMQ job schedulers on Redis, timers in-process — and every tick becomes an audit job. A tick is run
// once: the job claims it in the table first, so two workers, a late scheduler job and a catch-up never make
// two runs of one tick. After downtime one catch-up run is started for the latest missed tick, not one per tick.
import { CronExpressionParser } from 'cron-parser'
import type { Principal } from '../access/scope.ts'
import type { Database } from '../db/database.ts'
import { DEFAULT_TIMEZONE } from '../dates.ts'
import { ConflictError, NotFoundError, ValidationFailed, type FieldProblem } from '../errors.ts'
import { moduleLogger } from '../logger.ts'
import { queueAuditRun, within, type AuditJob, type JobQueue, type ScheduleSpec } from './queue.ts'
import { CRON_RU, PROBLEM_RU } from '../i18n/ru.ts'
import { SCOPE_RU } from '../i18n/ru-mail.ts'
import { JOBS_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('schedules')

/** audits at most once a minute: a seconds field that fires faster is refused */
export const MIN_INTERVAL_MS = 60_000

export type ScheduleKind = 'AUDIT' | 'ALBUM'
export type AlbumPeriod = 'WEEK' | 'MONTH'

/** A stored schedule: what the job layer follows (ScheduleSpec) and what its ticks and runs left. */
export interface Schedule extends ScheduleSpec {
  /** AUDIT: a tick runs an audit; ALBUM: a tick mails the reports album of the last full period (src/notify/album.ts) */
  kind: ScheduleKind
  albumPeriod: AlbumPeriod | null
  subscriptionId: number | null
  /** ALBUM: the first day of the last period claimed for mailing, and when it was mailed */
  lastSentPeriod: Date | null
  lastSentAt: Date | null
  lastTickAt: Date | null
  lastTickJob: string | null
  lastRunId: string | null
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

/** What the job layer needs to follow a schedule. */
export type ScheduleTiming = Pick<Schedule, 'id' | 'cron' | 'timezone' | 'enabled'>

// ─── cron ───

function expression(cron: string, timezone: string, currentDate: Date) {
  return CronExpressionParser.parse(cron, { currentDate, tz: timezone, strict: false })
}

/** The first tick after `after`. */
export function nextTick(s: Pick<Schedule, 'cron' | 'timezone'>, after = new Date()): Date {
  return expression(s.cron, s.timezone, after).next().toDate()
}

/** The latest tick at or before `at` (null when the expression has none, e.g. a date that never comes back). */
export function lastTick(s: Pick<Schedule, 'cron' | 'timezone'>, at = new Date()): Date | null {
  // prev() is strictly before its start: start a millisecond later so a tick at exactly `at` counts
  try {
    return expression(s.cron, s.timezone, new Date(at.getTime() + 1)).prev().toDate()
  } catch {
    return null
  }
}

/** Problems with a cron expression and time zone, as field problems (empty: fine). */
export function checkTiming(cron: string, timezone: string): FieldProblem[] {
  const problems: FieldProblem[] = []
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone })
  } catch {
    problems.push({ field: 'timezone', code: 'INVALID', message: PROBLEM_RU.timeZone(timezone) })
    return problems
  }
  const fields = cron.trim().split(/\s+/)
  if (fields.length < 5 || fields.length > 6) {
    problems.push({ field: 'cron', code: 'INVALID', message: CRON_RU.fieldCount(fields.length) })
    return problems
  }
  try {
    const it = expression(cron, timezone, new Date())
    const first = it.next().toDate()
    const second = it.next().toDate()
    if (second.getTime() - first.getTime() < MIN_INTERVAL_MS) {
      problems.push({ field: 'cron', code: 'TOO_FREQUENT', message: CRON_RU.tooFrequent })
    }
  } catch (e) {
    problems.push({ field: 'cron', code: 'INVALID', message: CRON_RU.prefix(cronProblemRu((e as Error).message)) })
  }
  return problems
}

/** cron-parser's English reason in Russian (its messages as of cron-parser 5); one not known here is not shown. */
function cronProblemRu(reason: string): string {
  let m: RegExpMatchArray | null
  if ((m = reason.match(/got value (\S+) expected range (\S+)/))) return CRON_RU.outOfRange(m[1], m[2])
  if ((m = reason.match(/Invalid characters, got value: (.*)$/))) return CRON_RU.badCharacters(m[1])
  if ((m = reason.match(/cannot resolve alias "([^"]*)"/))) return CRON_RU.unknownAlias(m[1])
  if (/cannot repeat at every 0/.test(reason)) return CRON_RU.zeroStep
  if ((m = reason.match(/Invalid range: ([^,]+),/))) return CRON_RU.badRange(m[1])
  return CRON_RU.other
}

// ─── the table ───

export interface ScheduleInput {
  name?: string
  cron?: string
  timezone?: string
  rules?: string[]
  marketCode?: string | null
  enabled?: boolean
  kind?: ScheduleKind
  /** ALBUM only; null clears */
  albumPeriod?: AlbumPeriod | null
  /** ALBUM only: the subscription the album goes to; null clears */
  subscriptionId?: number | null
}

type CheckedInput = Required<Pick<ScheduleInput, 'name' | 'cron' | 'timezone' | 'rules'>> & {
  marketCode: string | null; kind: ScheduleKind; albumPeriod: AlbumPeriod | null; subscriptionId: number | null
}

/** Limited keys manage the schedules of their markets; schedules over every market need an unlimited key. */
export function mayManage(principal: Principal, marketCode: string | null) {
  if (!principal.markets) return true
  return marketCode !== null && principal.markets.includes(marketCode)
}

export async function listSchedules(db: Database, principal: Principal): Promise<Schedule[]> {
  const all = await db.prisma.schedule.findMany({ orderBy: { id: 'asc' } })
  return all.filter((s) => mayManage(principal, s.marketCode))
}

export async function getSchedule(db: Database, principal: Principal, id: number): Promise<Schedule> {
  const s = await db.prisma.schedule.findUnique({ where: { id } })
  if (!s || !mayManage(principal, s.marketCode)) throw new NotFoundError(JOBS_RU.scheduleNotFound(id))
  return s
}

/**
 * Problems with a schedule's values, all of them at once. An ALBUM schedule sends to one subscription (its
 * recipients, market and group are the album's audience and scope; several audiences, several schedules) over a
 * period, runs no rules, and takes its market from the subscription — so a key limited to markets manages the
 * album schedules of its markets' subscriptions as it does their audits. An AUDIT schedule has no period and no
 * subscription. Returns the values to store (an album's marketCode filled in from its subscription).
 */
async function checkInput(db: Database, principal: Principal, input: CheckedInput): Promise<CheckedInput> {
  const problems: FieldProblem[] = []
  if (!input.name.trim() || input.name.length > 200) problems.push({ field: 'name', code: 'INVALID', message: PROBLEM_RU.nameLength(200) })
  problems.push(...checkTiming(input.cron, input.timezone))
  if (input.kind === 'ALBUM') {
    if (input.albumPeriod === null) problems.push({ field: 'albumPeriod', code: 'REQUIRED', message: PROBLEM_RU.albumNeedsPeriod })
    if (input.rules.length > 0) problems.push({ field: 'rules', code: 'INVALID', message: PROBLEM_RU.albumHasNoRules })
    if (input.subscriptionId === null) {
      problems.push({ field: 'subscriptionId', code: 'REQUIRED', message: PROBLEM_RU.albumNeedsSubscription })
    } else {
      const sub = await db.prisma.subscription.findUnique({ where: { id: input.subscriptionId } })
      if (!sub || !mayManage(principal, sub.marketCode)) {
        problems.push({ field: 'subscriptionId', code: 'UNKNOWN', message: PROBLEM_RU.noSubscription(input.subscriptionId) })
      } else if (input.marketCode !== null && input.marketCode !== sub.marketCode) {
        problems.push({ field: 'marketCode', code: 'INVALID', message: PROBLEM_RU.albumMarketOfSubscription(sub.marketCode ?? SCOPE_RU.all) })
      } else {
        input = { ...input, marketCode: sub.marketCode }
      }
    }
    if (problems.length) throw new ValidationFailed(problems)
    return input
  }
  if (input.albumPeriod !== null) problems.push({ field: 'albumPeriod', code: 'INVALID', message: PROBLEM_RU.auditHasNoAlbumPeriod })
  if (input.subscriptionId !== null) problems.push({ field: 'subscriptionId', code: 'INVALID', message: PROBLEM_RU.auditHasNoSubscription })
  if (input.marketCode !== null) {
    const market = await db.prisma.market.findUnique({ where: { code: input.marketCode } })
    if (!market) problems.push({ field: 'marketCode', code: 'UNKNOWN', message: PROBLEM_RU.noMarket(input.marketCode) })
  }
  if (input.rules.length > 0) {
    const { loadEffectiveCatalog } = await import('../engine/overrides.ts')
    const catalog = await loadEffectiveCatalog(db)
    const known = new Set(catalog.rules.map((r) => r.id))
    const unknown = input.rules.filter((r) => !known.has(r))
    if (unknown.length) problems.push({ field: 'rules', code: 'UNKNOWN', message: PROBLEM_RU.noRules(unknown.join(', ')) })
  }
  // a market the key does not see is, for it, no market at all; over every market needs an unlimited key
  if (!problems.length && !mayManage(principal, input.marketCode)) {
    problems.push(input.marketCode === null
      ? { field: 'marketCode', code: 'REQUIRED', message: PROBLEM_RU.scheduleMarketRequired(principal.markets!.join(', ')) }
      : { field: 'marketCode', code: 'UNKNOWN', message: PROBLEM_RU.noMarket(input.marketCode) })
  }
  if (problems.length) throw new ValidationFailed(problems)
  return input
}

export async function createSchedule(db: Database, principal: Principal, input: ScheduleInput & { name: string; cron: string }, actor: string, jobs?: JobQueue): Promise<Schedule> {
  const values = {
    name: input.name.trim(), cron: input.cron.trim(), timezone: input.timezone ?? DEFAULT_TIMEZONE,
    rules: [...new Set(input.rules ?? [])], marketCode: input.marketCode ?? null,
    kind: input.kind ?? 'AUDIT', albumPeriod: input.albumPeriod ?? null, subscriptionId: input.subscriptionId ?? null,
  }
  const checked = await checkInput(db, principal, values)
  const created = await db.prisma.schedule.create({ data: { ...checked, enabled: input.enabled ?? true, createdBy: actor } })
    .catch(duplicateName(values.name))
  log.info({ id: created.id, name: created.name, cron: created.cron, actor }, 'schedule created')
  await follow(jobs, (q) => q.schedule(created))
  return created
}

export async function updateSchedule(db: Database, principal: Principal, id: number, patch: ScheduleInput, actor: string, jobs?: JobQueue): Promise<Schedule> {
  const current = await getSchedule(db, principal, id)
  const values = {
    name: patch.name?.trim() ?? current.name,
    cron: patch.cron?.trim() ?? current.cron,
    timezone: patch.timezone ?? current.timezone,
    rules: patch.rules ? [...new Set(patch.rules)] : current.rules,
    marketCode: patch.marketCode === undefined ? current.marketCode : patch.marketCode,
    kind: patch.kind ?? current.kind,
    albumPeriod: patch.albumPeriod === undefined ? current.albumPeriod : patch.albumPeriod,
    subscriptionId: patch.subscriptionId === undefined ? current.subscriptionId : patch.subscriptionId,
  }
  // a schedule turned into an audit leaves its album fields behind unless the patch names them (and audits the
  // market its subscription had, unless the patch says otherwise); one turned into an album takes its subscription's
  if (values.kind === 'AUDIT' && current.kind === 'ALBUM') {
    if (patch.albumPeriod === undefined) values.albumPeriod = null
    if (patch.subscriptionId === undefined) values.subscriptionId = null
  }
  if (values.kind === 'ALBUM' && patch.marketCode === undefined && (current.kind === 'AUDIT' || patch.subscriptionId !== undefined)) values.marketCode = null
  const checked = await checkInput(db, principal, values)
  const lastSent = values.kind === 'AUDIT' || checked.subscriptionId !== current.subscriptionId || checked.albumPeriod !== current.albumPeriod
    ? { lastSentPeriod: null } : {}
  const updated = await db.prisma.schedule.update({ where: { id }, data: { ...checked, ...lastSent, enabled: patch.enabled ?? current.enabled } })
    .catch(duplicateName(values.name))
  log.info({ id, actor }, 'schedule updated')
  await follow(jobs, (q) => q.schedule(updated))
  return updated
}

export async function deleteSchedule(db: Database, principal: Principal, id: number, actor: string, jobs?: JobQueue): Promise<Schedule> {
  const current = await getSchedule(db, principal, id)
  await db.prisma.schedule.delete({ where: { id } })
  log.info({ id, actor }, 'schedule deleted')
  await follow(jobs, (q) => q.unschedule(id))
  return current
}

/**
 * Arms a change in the job layer at once when it answers within a few seconds; else (Redis away) the change is
 * stored all the same and the processors' sync, every minute, arms it — the table is what counts.
 */
async function follow(jobs: JobQueue | undefined, change: (q: JobQueue) => Promise<void>) {
  if (!jobs) return
  await within(change(jobs)).catch((e: Error) => log.warn({ err: e.message }, 'schedule change stored; the processors arm it within a minute'))
}

/**
 * Runs a schedule's audit now, outside its ticks (its digests follow, as after a tick): the run is recorded
 * QUEUED and its job added; the answer is that run. Needs the job layer (every server has one).
 */
export async function runScheduleNow(db: Database, principal: Principal, id: number, actor: string, jobs: JobQueue | undefined) {
  const s = await getSchedule(db, principal, id)
  if (s.kind === 'ALBUM') throw new ConflictError(JOBS_RU.albumNotAudit(s.name))
  if (!jobs) throw new ConflictError(JOBS_RU.noJobs('`sverka serve`'))
  const { today } = await import('../engine/audit.ts')
  // no scheduleId: a run outside the ticks claims none
  const { scheduleId: _tick, ...job } = auditJobOf(s)
  const run = await queueAuditRun(db, jobs, { ...job, actor: `schedule:${s.name} now by ${actor}`, asOf: today() }, 'now').catch((e: Error) => {
    throw new ConflictError(JOBS_RU.notQueued(e.message))
  })
  log.info({ schedule: s.name, runId: run.id, actor }, 'schedule run now')
  return run
}

function duplicateName(name: string) {
  return (e: unknown): never => {
    if ((e as { code?: string }).code === 'P2002') throw new ConflictError(JOBS_RU.scheduleExists(name))
    throw e
  }
}

// ─── from ticks to audit jobs ───

/** The job id of one tick of a schedule: the same for every worker that adds it. */
export function tickJobId(scheduleId: number, tick: Date) {
  return `schedule-${scheduleId}-${tick.getTime()}`
}

/** The audit job of a schedule (rules and market are read again from the table when it runs). */
export function auditJobOf(s: Pick<Schedule, 'id' | 'name' | 'rules' | 'marketCode'>): AuditJob {
  return {
    trigger: 'SCHEDULE', actor: `schedule:${s.name}`, scheduleId: s.id,
    ...(s.rules.length ? { rules: s.rules } : {}), ...(s.marketCode ? { market: s.marketCode } : {}),
  }
}

/**
 * Claims the latest tick of a schedule for a job: true when this job is to run it (first to claim, or a retry
 * of the job that claimed it), false when the tick was run already or the schedule is gone or disabled.
 */
export async function claimTick(db: Database, scheduleId: number, jobId: string, now = new Date()): Promise<Schedule | null> {
  const s = await db.prisma.schedule.findUnique({ where: { id: scheduleId } })
  if (!s || !s.enabled) return null
  // a job may arrive a moment before its tick on this machine's clock (Redis' clock fired it): a second of slack
  const tick = lastTick(s, new Date(now.getTime() + 1_000))
  if (!tick) return null
  const { rows } = await db.sql.query<{ id: number }>(
    `UPDATE schedule SET "lastTickAt" = $2, "lastTickJob" = $3
     WHERE id = $1 AND ("lastTickAt" IS NULL OR "lastTickAt" < $2 OR "lastTickJob" = $3) RETURNING id`,
    [scheduleId, tick.toISOString(), jobId])
  return rows.length ? { ...s, lastTickAt: tick, lastTickJob: jobId } : null
}

export async function recordScheduledRun(db: Database, scheduleId: number, runId: string) {
  await db.sql.query(`UPDATE schedule SET "lastRunId" = $2 WHERE id = $1`, [scheduleId, runId])
}

/** A schedule whose latest tick is later than what it last ran (or its creation): one run is due. */
export function missedTick(s: Schedule, now = new Date()): Date | null {
  if (!s.enabled) return null
  const tick = lastTick(s, now)
  if (!tick) return null
  const since = s.lastTickAt ?? s.createdAt
  return tick.getTime() > since.getTime() ? tick : null
}

/** How often processors compare the job layer with the table (a schedule the server could not arm, a change made elsewhere). */
export const SYNC_EVERY_MS = 60_000
/** A tick counts as missed only this long after it came: the job of a tick just due is still on its way. */
export const MISSED_GRACE_MS = 30_000

/**
 * Makes the job layer follow the table: schedules armed that are not (or with another timing), schedulers of
 * deleted or disabled ones removed, and for each schedule that missed ticks while nothing ran, one catch-up
 * audit job for the latest. Run when processors start (`rearm`: every schedule armed again) and every minute.
 */
export async function syncSchedules(db: Database, jobs: JobQueue, options: { now?: Date; rearm?: boolean; graceMs?: number } = {}) {
  const now = options.now ?? new Date()
  // armed first, read second: a schedule created meanwhile is in the table read, so it is not taken for an orphan
  const armed = new Map((await jobs.scheduled()).map((a) => [a.id, a]))
  const all = await db.prisma.schedule.findMany({ orderBy: { id: 'asc' } })
  const ids = new Set(all.map((s) => s.id))
  for (const id of armed.keys()) if (!ids.has(id)) await jobs.unschedule(id)
  let caughtUp = 0
  for (const s of all) {
    const current = armed.get(s.id)
    const differs = s.enabled ? current?.cron !== s.cron || current.timezone !== s.timezone : current !== undefined
    if (options.rearm || differs) await jobs.schedule(s)
    const missed = missedTick(s, new Date(now.getTime() - (options.graceMs ?? 0)))
    if (missed) {
      caughtUp++
      log.info({ schedule: s.name, tick: missed.toISOString() }, 'schedule missed its tick while nothing ran: one catch-up audit')
      await jobs.add('audit', auditJobOf(s), { jobId: tickJobId(s.id, missed) })
    }
  }
  return { schedules: all.length, caughtUp }
}

// ─── album schedules: one e-mail a period ───

/**
 * Claims the period starting `first` (YYYY-MM-DD) for album schedule `scheduleId`: the previous period claimed
 * (null: none) when this call is to send it, undefined when it was claimed already — by a retry's first attempt,
 * another tick in the same period or a second worker. Claimed before the send, as the digests are (digest.ts
 * `claim`): a crash between claim and send loses that album rather than mailing it twice.
 */
export async function claimAlbumPeriod(db: Pick<Database, 'sql'>, scheduleId: number, first: string): Promise<{ previous: string | null } | undefined> {
  return db.sql.transaction(async (tx) => {
    const { rows: [row] } = await tx.query<{ previous: string | null }>(`
      WITH prev AS (SELECT id, "lastSentPeriod" FROM schedule WHERE id = $1 FOR UPDATE)
      UPDATE schedule s SET "lastSentPeriod" = $2::date
      FROM prev
      WHERE s.id = prev.id AND s.kind = 'ALBUM' AND (s."lastSentPeriod" IS NULL OR s."lastSentPeriod" < $2::date)
      RETURNING to_char(prev."lastSentPeriod", 'YYYY-MM-DD') AS previous`, [scheduleId, first])
    return row
  })
}

/** Gives a claimed period back after a send that failed for sure, so that the job's retry sends it. */
export async function releaseAlbumPeriod(db: Pick<Database, 'sql'>, scheduleId: number, first: string, previous: string | null) {
  await db.sql.query(`UPDATE schedule SET "lastSentPeriod" = $3::date WHERE id = $1 AND "lastSentPeriod" = $2::date`, [scheduleId, first, previous])
}

export async function recordAlbumSent(db: Pick<Database, 'sql'>, scheduleId: number, at: Date) {
  await db.sql.query(`UPDATE schedule SET "lastSentAt" = $2 WHERE id = $1`, [scheduleId, at.toISOString()])
}
