// Mails the recorded notifications (escalations): the `notification` table is their outbox. Each row is
// claimed before it is sent so that two workers never mail it twice; a failed send is retried on later
// calls with a growing pause, and given up (its error kept) after MAX_MAIL_ATTEMPTS.
import type { Database } from '../db/database.ts'
import { NOTICE_RU } from '../i18n/ru-mail.ts'
import { moduleLogger } from '../logger.ts'
import { consoleBaseUrl, findingUrl } from './links.ts'
import type { Mailer } from './mailer.ts'
import { escapeHtml } from './render.ts'

const log = moduleLogger('notifications')

/** Sends of one notification before it is given up. */
export const MAX_MAIL_ATTEMPTS = 5
/** The pause after the first failed send; each next one doubles (1, 2, 4, 8 minutes). */
export const RETRY_BASE_MS = 60_000
/** A claim this old belongs to a worker that stopped: its notification is marked as lost (see claim). */
export const CLAIM_STALE_MS = 30 * 60_000
/**
 * A notification never tried and older than this is not mailed but given up: news a day late misleads more than
 * it helps (the escalation itself stays on the finding). Mostly those recorded before mail sending existed.
 */
export const MAX_AGE_MS = 24 * 3_600_000

export interface SendNotificationsOptions {
  mailer: Pick<Mailer, 'send'>
  /** the clock of claims, retries and sentAt (default: now) */
  now?: Date
  /** most notifications one call takes (default 100); the rest wait for the next call */
  limit?: number
  retryBaseMs?: number
  /** base of the link to the finding's page in the console; default consoleBaseUrl() (SVERKA_PUBLIC_URL); null: no link */
  consoleUrl?: string | null
}

export interface NotificationOutcome {
  id: string
  kind: string
  recipients: string[]
  subject: string
  /** sent; failed (retried later); given-up (after MAX_MAIL_ATTEMPTS, or nobody to send to) */
  status: 'sent' | 'failed' | 'given-up'
  /** sends tried so far, this one included */
  attempts: number
  error?: string
  messageId?: string
  /** the .eml file in outbox mode */
  path?: string
}

interface Claimed {
  id: string
  kind: string
  recipients: string[]
  subject: string
  body: string
  attempts: number
  /** the finding's, when the notice is about one: its page in the console */
  fingerprint: string | null
}

/**
 * Sends the notifications not yet sent nor given up whose retry time has come, oldest first. Safe to run
 * in several workers at once: a notification is mailed by the call that claims it, never by two.
 * Failures are stored on the row (error, data.mailAttempts), not thrown: the next call retries them.
 */
export async function sendNotifications(db: Pick<Database, 'sql'>, options: SendNotificationsOptions): Promise<NotificationOutcome[]> {
  const now = options.now ?? new Date()
  const limit = options.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`sendNotifications: limit must be a whole number ≥ 1, got ${limit}`)
  const base = options.consoleUrl === undefined ? consoleBaseUrl() : options.consoleUrl

  await markLost(db, now)
  await markTooOld(db, now)
  const { rows: due } = await db.sql.query<{ id: string }>(`
    SELECT id FROM notification
    WHERE "sentAt" IS NULL AND data->>'mailGivenUpAt' IS NULL AND data->>'mailClaimedAt' IS NULL
      AND (data->>'mailRetryAt' IS NULL OR (data->>'mailRetryAt')::timestamptz <= $1::timestamptz)
    ORDER BY "createdAt", id LIMIT ${limit}`, [now.toISOString()])

  const outcomes: NotificationOutcome[] = []
  for (const { id } of due) {
    const note = await claim(db, id, now)
    if (!note) continue // another call took it meanwhile
    const attempts = note.attempts + 1
    const outcome = { id: note.id, kind: note.kind, recipients: note.recipients, subject: note.subject, attempts }
    if (note.recipients.length === 0) {
      // nobody to send to will not change by retrying: the target group has no e-mail
      await finish(db, id, { error: 'no recipients', attempts: note.attempts, givenUpAt: now })
      log.warn({ notification: id, kind: note.kind }, 'notification has no recipients: not sent')
      outcomes.push({ ...outcome, attempts: note.attempts, status: 'given-up', error: 'no recipients' })
      continue
    }
    try {
      // the link is added as the mail is sent (not stored in the body): it follows the setting of the time of sending
      const link = base && note.fingerprint ? findingUrl(base, note.fingerprint) : null
      const text = link ? `${note.body}\n\n${NOTICE_RU.link(link)}` : note.body
      const sent = await options.mailer.send({ to: note.recipients, subject: note.subject, text, html: notificationHtml(note.subject, note.body, link) })
      await db.sql.query(`
        UPDATE notification SET "sentAt" = $2::timestamptz, error = NULL,
          data = (data - 'mailClaimedAt' - 'mailRetryAt' - 'mailGivenUpAt') || jsonb_build_object('mailAttempts', $3::int, 'mailMessageId', $4::text)
        WHERE id = $1::uuid`, [id, now.toISOString(), attempts, sent.messageId])
      outcomes.push({ ...outcome, status: 'sent', messageId: sent.messageId, ...(sent.path ? { path: sent.path } : {}) })
    } catch (e) {
      const error = (e as Error).message || String(e)
      const givenUp = attempts >= MAX_MAIL_ATTEMPTS
      const retryAt = new Date(now.getTime() + (options.retryBaseMs ?? RETRY_BASE_MS) * 2 ** (attempts - 1))
      await finish(db, id, givenUp ? { error, attempts, givenUpAt: now } : { error, attempts, retryAt })
      log[givenUp ? 'error' : 'warn']({ notification: id, attempts, err: error, ...(givenUp ? {} : { retryAt }) },
        givenUp ? 'notification not sent: given up' : 'notification not sent: retried later')
      outcomes.push({ ...outcome, status: givenUp ? 'given-up' : 'failed', error })
    }
  }
  return outcomes
}

/**
 * Takes notification `id` for this call, or returns null when some call already has it.
 *
 * The claim (data.mailClaimedAt) is committed BEFORE the e-mail goes out, in one UPDATE whose WHERE a
 * second worker re-evaluates after the first commits, so only one of them gets the row. A process that
 * dies between the claim and the send therefore loses that one e-mail: its claim is never taken over,
 * and markLost records the loss on the row once the claim is stale. The other order (send, then mark)
 * would, on the same crash, mail it again on every retry and to every second worker racing for it —
 * the same choice as the digests (digest.ts): the escalation itself is recorded on the finding either way.
 */
async function claim(db: Pick<Database, 'sql'>, id: string, now: Date): Promise<Claimed | null> {
  const { rows: [row] } = await db.sql.query<Claimed>(`
    UPDATE notification SET data = data || jsonb_build_object('mailClaimedAt', $2::text)
    WHERE id = $1::uuid AND "sentAt" IS NULL AND data->>'mailGivenUpAt' IS NULL AND data->>'mailClaimedAt' IS NULL
    RETURNING id, kind, recipients, subject, body, COALESCE((data->>'mailAttempts')::int, 0) AS attempts,
      (SELECT f.fingerprint FROM finding f WHERE f.id = notification."findingId") AS fingerprint`, [id, now.toISOString()])
  return row ?? null
}

/** Releases the claim after a send that failed for sure, with the error and when to try again (or that it is given up). */
async function finish(db: Pick<Database, 'sql'>, id: string, outcome: { error: string; attempts: number; retryAt?: Date; givenUpAt?: Date }) {
  await db.sql.query(`
    UPDATE notification SET error = $2,
      data = (data - 'mailClaimedAt' - 'mailRetryAt') || jsonb_strip_nulls(jsonb_build_object(
        'mailAttempts', $3::int, 'mailRetryAt', $4::text, 'mailGivenUpAt', $5::text))
    WHERE id = $1::uuid`, [id, outcome.error, outcome.attempts, outcome.retryAt?.toISOString() ?? null, outcome.givenUpAt?.toISOString() ?? null])
}

/** Claims left by a worker that stopped before sending: given up with a reason a person can read (see claim). */
async function markLost(db: Pick<Database, 'sql'>, now: Date) {
  const { rows } = await db.sql.query<{ id: string }>(`
    UPDATE notification SET error = 'not sent: the worker that took it at ' || (data->>'mailClaimedAt') ||
        ' stopped before sending; not sent again so that it never arrives twice',
      data = data || jsonb_build_object('mailGivenUpAt', $1::text)
    WHERE "sentAt" IS NULL AND data->>'mailGivenUpAt' IS NULL AND data->>'mailClaimedAt' IS NOT NULL
      AND (data->>'mailClaimedAt')::timestamptz < $1::timestamptz - $2::int * interval '1 second'
    RETURNING id`, [now.toISOString(), CLAIM_STALE_MS / 1000])
  if (rows.length) log.error({ notifications: rows.map((r) => r.id) }, 'notifications lost by a stopped worker')
}

/** Notifications never tried that are older than MAX_AGE_MS: given up with the reason, not mailed late. */
async function markTooOld(db: Pick<Database, 'sql'>, now: Date) {
  const { rows } = await db.sql.query<{ id: string }>(`
    UPDATE notification SET error = 'not sent: recorded more than 24 h before it could be mailed (the escalation stays on the finding)',
      data = data || jsonb_build_object('mailGivenUpAt', $1::text)
    WHERE "sentAt" IS NULL AND data->>'mailGivenUpAt' IS NULL AND data->>'mailClaimedAt' IS NULL AND data->>'mailAttempts' IS NULL
      AND "createdAt" < $1::timestamptz - $2::int * interval '1 second'
    RETURNING id`, [now.toISOString(), MAX_AGE_MS / 1000])
  if (rows.length) log.warn({ notifications: rows.length }, 'notifications older than a day not mailed')
}

/** The HTML part: the Russian plain text as it is, escaped, in the digests' font; then the link to the finding's page. */
export function notificationHtml(subject: string, body: string, link: string | null = null): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    '<body style="font-family:Arial,sans-serif;font-size:14px">' +
    `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(body)}</pre>` +
    (link ? `<p><a href="${escapeHtml(link)}" style="color:#1d4ed8">${escapeHtml(NOTICE_RU.linkText)}</a></p>` : '') +
    '</body></html>'
}
