// The reports album by mail: a subscription's reports over a week or a month — the data-quality scores and
// their trend, open findings by rule × market, their aging, what causes incidents, where work gets stuck and
// the SLA breaches — gathered through the report functions, rendered (album-render.ts) and mailed. An album
// schedule's tick sends the last full period before it, once (claimed in the schedule); sendAlbumNow sends any
// period on request.
import type { Principal } from '../access/scope.ts'
import type { Database } from '../db/database.ts'
import { dayIn, DEFAULT_TIMEZONE, periodBefore, periodOf, startOfDayIn, type CalendarPeriod } from '../dates.ts'
import { loadEffectiveCatalog } from '../engine/overrides.ts'
import { NotFoundError, ValidationFailed } from '../errors.ts'
import { incidentHotspots, slaBreaches } from '../incidents/reports.ts'
import type { ReportScope } from '../reports/scope.ts'
import { JOBS_RU } from '../i18n/ru-errors.ts'
import { SCOPE_RU } from '../i18n/ru-mail.ts'
import { checkTiming, claimAlbumPeriod, mayManage, recordAlbumSent, releaseAlbumPeriod } from '../jobs/schedules.ts'
import { moduleLogger } from '../logger.ts'
import { aging, bottlenecks, findingsMatrix } from '../reports/findings.ts'
import { qualityScores } from '../reports/quality.ts'
import { renderAlbum, type AlbumData, type AlbumPeriodRange } from './album-render.ts'
import type { Mailer } from './mailer.ts'

const log = moduleLogger('album')

/** How many periods the trend shows, the album's own included. */
export const TREND_PERIODS = 12
/** SLA breaches listed in the workbook at most (the summary counts them all). */
const BREACHES_LISTED = 1_000

/** What an album is sent to: a subscription with its group's code, e-mail and markets. */
export interface AlbumAudience {
  id: number
  name: string
  recipients: string[]
  active: boolean
  marketCode: string | null
  group: { id: number; code: string; email: string | null; markets: string[] } | null
}

export interface AlbumOutcome {
  subscriptionId: number
  scheduleId?: number
  period: { kind: CalendarPeriod; first: string; next: string }
  recipients: string[]
  sent: boolean
  /** why nothing was sent: this period was mailed already, nobody to send to, the subscription is off or gone */
  skipped?: 'already-sent' | 'no-recipients' | 'inactive' | 'gone'
  subject?: string
  messageId?: string
  /** the .eml file in outbox mode */
  path?: string
}

/** The week or month starting `first`, with the instants it starts and ends at in `timeZone`. */
export function periodRange(kind: CalendarPeriod, first: string, timeZone: string): AlbumPeriodRange {
  const { next } = periodOf(first, kind)
  return { kind, first, next, since: startOfDayIn(first, timeZone), until: startOfDayIn(next, timeZone) }
}

/** The last full week (Monday to Sunday) or month before `at`, in `timeZone`. */
export function lastFullPeriod(kind: CalendarPeriod, at: Date, timeZone: string): AlbumPeriodRange {
  return periodRange(kind, periodBefore(dayIn(at, timeZone), kind).first, timeZone)
}

export async function albumAudience(db: Pick<Database, 'sql'>, subscriptionId: number): Promise<AlbumAudience | null> {
  const { rows: [row] } = await db.sql.query<{
    id: number; name: string; recipients: string[]; active: boolean; marketCode: string | null
    groupId: number | null; groupCode: string | null; groupEmail: string | null; groupMarkets: string[] | null
  }>(`
    SELECT s.id, s.name, s.recipients, s.active, s."marketCode", g.id AS "groupId", g.code AS "groupCode", g.email AS "groupEmail",
      (SELECT array_agg(m.code ORDER BY m.code) FROM responsible_group_market gm JOIN market m ON m.id = gm."marketId" WHERE gm."groupId" = g.id) AS "groupMarkets"
    FROM subscription s LEFT JOIN responsible_group g ON g.id = s."groupId"
    WHERE s.id = $1`, [subscriptionId])
  if (!row) return null
  return {
    id: row.id, name: row.name, recipients: row.recipients, active: row.active, marketCode: row.marketCode,
    group: row.groupId === null ? null : { id: row.groupId, code: row.groupCode!, email: row.groupEmail, markets: row.groupMarkets ?? [] },
  }
}

/**
 * The markets an album covers: the subscription's market; without one, its group's markets (a group over none
 * covers every market); without either, every market. The group narrows further only what a group owns — the
 * bottlenecks and the SLA breaches (see gatherAlbum).
 */
export function albumScope(audience: AlbumAudience): ReportScope {
  if (audience.marketCode) return { markets: [audience.marketCode], market: audience.marketCode }
  if (audience.group && audience.group.markets.length > 0) return { markets: audience.group.markets }
  return { markets: null }
}

function scopeLabel(audience: AlbumAudience) {
  const parts = [
    ...(audience.group ? [SCOPE_RU.group(audience.group.code)] : []),
    ...(audience.marketCode ? [SCOPE_RU.market(audience.marketCode)] : []),
  ]
  return parts.length > 0 ? parts.join(', ') : SCOPE_RU.all
}

/**
 * Everything the album shows, through the report functions, for the audience's scope: the scores of the runs
 * in the period and of the TREND_PERIODS periods up to it (a period's point is its last run: the state at its
 * end), the findings open at `now` by rule × market and by age, the incidents' causes in the period, the
 * bottlenecks of the findings first seen in it and the breaches at `now`. A subscription's group keeps of the
 * bottlenecks and breaches its own rows; scores, the matrix, aging and hotspots are the markets' (a record's
 * score belongs to a market, not to a group).
 */
export async function gatherAlbum(
  db: Pick<Database, 'sql'>, audience: AlbumAudience, range: AlbumPeriodRange, options: { now?: Date; timeZone?: string } = {},
): Promise<AlbumData> {
  const now = options.now ?? new Date()
  const timeZone = options.timeZone ?? DEFAULT_TIMEZONE
  const scope = albumScope(audience)
  const periods: AlbumPeriodRange[] = [range]
  while (periods.length < TREND_PERIODS) periods.unshift(periodRange(range.kind, periodBefore(periods[0].first, range.kind).first, timeZone))
  const group = audience.group?.code ?? null
  const [runs, matrix, agingRows, hotspots, stuck, breaches, catalog] = await Promise.all([
    qualityScores(db.sql, scope, { since: periods[0].since, until: range.until }),
    findingsMatrix(db.sql, scope),
    aging(db.sql, scope, 'rule', now),
    incidentHotspots(db.sql, scope, { since: range.since, until: range.until }),
    bottlenecks(db.sql, scope, { since: range.since, until: range.until }, now),
    slaBreaches(db.sql, scope, { now, limit: group ? Number.MAX_SAFE_INTEGER : BREACHES_LISTED }),
    loadEffectiveCatalog(db),
  ])
  const inPeriod = (p: AlbumPeriodRange) => runs.filter((r) => r.finishedAt >= p.since && r.finishedAt < p.until)
  const groupBreaches = group ? breaches.breaches.filter((b) => b.groupCode === group) : null
  return {
    scope: scopeLabel(audience),
    scoped: scope.markets !== null,
    period: range,
    timeZone,
    generatedAt: now,
    runs: inPeriod(range),
    trend: periods.map((period) => ({ period, run: inPeriod(period).at(-1) ?? null })),
    matrix,
    aging: agingRows,
    hotspots,
    bottlenecks: group ? stuck.filter((b) => b.groupCode === group) : stuck,
    breaches: groupBreaches ? { total: groupBreaches.length, breaches: groupBreaches.slice(0, BREACHES_LISTED) } : breaches,
    ruleTitles: Object.fromEntries(catalog.rules.map((r) => [r.id, r.title.ru])),
  }
}

const recipientsOf = (a: AlbumAudience) => (a.recipients.length > 0 ? a.recipients : a.group?.email ? [a.group.email] : [])

/** Gathers, renders and mails one album. */
async function mailAlbum(
  db: Pick<Database, 'sql'>, audience: AlbumAudience, range: AlbumPeriodRange,
  options: { mailer: Pick<Mailer, 'send'>; now?: Date; timeZone?: string },
): Promise<AlbumOutcome> {
  const outcome: AlbumOutcome = { subscriptionId: audience.id, period: { kind: range.kind, first: range.first, next: range.next }, recipients: recipientsOf(audience), sent: false }
  const data = await gatherAlbum(db, audience, range, options)
  const album = await renderAlbum(data)
  const sent = await options.mailer.send({ to: outcome.recipients, subject: album.subject, text: album.text, html: album.html, attachments: album.attachments })
  log.info({ subscription: audience.id, period: range.first, kind: range.kind, messageId: sent.messageId }, 'album sent')
  return Object.assign(outcome, { sent: true, subject: album.subject, messageId: sent.messageId, ...(sent.path ? { path: sent.path } : {}) })
}

/**
 * The tick of album schedule `scheduleId` at `tick` (claimed by the job, src/jobs/processors.ts): the album of the
 * last full period before the tick, in the schedule's time zone, to its subscription — once per period, however
 * many ticks, retries and workers: the period is claimed in the schedule first, and given back when the send
 * fails so that the job's retry sends it.
 */
export async function sendScheduledAlbum(
  db: Pick<Database, 'sql'>, options: { scheduleId: number; tick: Date; mailer: Pick<Mailer, 'send'>; now?: Date },
): Promise<AlbumOutcome | { scheduleId: number; skipped: 'gone' }> {
  const { rows: [schedule] } = await db.sql.query<{ id: number; kind: string; albumPeriod: CalendarPeriod | null; subscriptionId: number | null; timezone: string }>(
    `SELECT id, kind::text AS kind, "albumPeriod"::text AS "albumPeriod", "subscriptionId", timezone FROM schedule WHERE id = $1`, [options.scheduleId])
  if (!schedule || schedule.kind !== 'ALBUM' || !schedule.albumPeriod || schedule.subscriptionId === null) return { scheduleId: options.scheduleId, skipped: 'gone' }
  const range = lastFullPeriod(schedule.albumPeriod, options.tick, schedule.timezone)
  const base = { scheduleId: schedule.id, subscriptionId: schedule.subscriptionId, period: { kind: range.kind, first: range.first, next: range.next }, sent: false }
  const audience = await albumAudience(db, schedule.subscriptionId)
  if (!audience) return { ...base, recipients: [], skipped: 'gone' }
  if (!audience.active) return { ...base, recipients: audience.recipients, skipped: 'inactive' }
  if (recipientsOf(audience).length === 0) {
    log.warn({ schedule: schedule.id, subscription: audience.id }, 'album subscription has no recipients and its group no e-mail')
    return { ...base, recipients: [], skipped: 'no-recipients' }
  }
  const claim = await claimAlbumPeriod(db, schedule.id, range.first)
  if (!claim) {
    log.info({ schedule: schedule.id, period: range.first }, 'album of this period sent already')
    return { ...base, recipients: recipientsOf(audience), skipped: 'already-sent' }
  }
  try {
    const outcome = await mailAlbum(db, audience, range, { mailer: options.mailer, timeZone: schedule.timezone, ...(options.now ? { now: options.now } : {}) })
    await recordAlbumSent(db, schedule.id, options.now ?? new Date())
    return { ...outcome, scheduleId: schedule.id }
  } catch (e) {
    await releaseAlbumPeriod(db, schedule.id, range.first, claim.previous)
    throw e
  }
}

/**
 * Mails a subscription's album now (GraphQL `sendAlbum`, `sverka album`): the week or month containing `day`, or
 * the last full one before today when no day is given; outside any schedule, so nothing is claimed.
 */
export async function sendAlbumNow(
  db: Pick<Database, 'sql'>, principal: Principal,
  options: { subscriptionId: number; period: CalendarPeriod; day?: string; timeZone?: string; mailer: Pick<Mailer, 'send'>; now?: Date },
): Promise<AlbumOutcome> {
  const audience = await albumAudience(db, options.subscriptionId)
  if (!audience || !mayManage(principal, audience.marketCode)) throw new NotFoundError(JOBS_RU.subscriptionNotFound(options.subscriptionId))
  if (!audience.active) throw new ValidationFailed([{ field: 'subscriptionId', code: 'INVALID', message: JOBS_RU.albumSubscriptionInactive(audience.id) }])
  if (recipientsOf(audience).length === 0) throw new ValidationFailed([{ field: 'subscriptionId', code: 'INVALID', message: JOBS_RU.albumNoRecipients(audience.id) }])
  const timeZone = options.timeZone ?? DEFAULT_TIMEZONE
  const zoneProblems = checkTiming('0 0 * * *', timeZone)
  if (zoneProblems.length) throw new ValidationFailed(zoneProblems)
  const now = options.now ?? new Date()
  const range = options.day ? periodRange(options.period, periodOf(options.day, options.period).first, timeZone) : lastFullPeriod(options.period, now, timeZone)
  return mailAlbum(db, audience, range, { mailer: options.mailer, now, timeZone })
}
