// The discrepancy lists mailed after an audit: one e-mail a subscription with what is new, still open
// and resolved since its last e-mail, each subscription claimed for the run so that it is mailed once.
import type { Database } from '../db/database.ts'
import { OPEN_STATUSES } from '../engine/findings.ts'
import { loadEffectiveCatalog } from '../engine/overrides.ts'
import { DEFAULT_TIMEZONE } from '../dates.ts'
import { moduleLogger } from '../logger.ts'
import { consoleBaseUrl } from './links.ts'
import type { Mailer } from './mailer.ts'
import { renderDigest, renderXlsx, type DigestData, type DigestItem } from './render.ts'
import { SCOPE_RU } from '../i18n/ru-mail.ts'

const log = moduleLogger('digest')

const DAY_MS = 86_400_000

export interface DigestOutcome {
  subscriptionId: number
  name: string
  recipients: string[]
  sent: boolean
  /** why nothing was sent: nothing changed since the last e-mail, nobody to send to, or another call already took this run */
  skipped?: 'unchanged' | 'no-recipients' | 'already-handled'
  counts?: DigestData['counts']
  subject?: string
  messageId?: string
  /** the .eml file in outbox mode */
  path?: string
}

export interface SendDigestsOptions {
  runId: string
  mailer: Pick<Mailer, 'send'>
  /** the digest's clock: ages are counted to it and it becomes lastSentAt (default: now) */
  now?: Date
  /** base of the links to the console's finding pages; default consoleBaseUrl() (SVERKA_PUBLIC_URL); null: no links */
  consoleUrl?: string | null
}

interface ClaimedSubscription {
  id: number
  name: string
  recipients: string[]
  groupId: number | null
  groupCode: string | null
  groupEmail: string | null
  marketCode: string | null
  sendWhenUnchanged: boolean
  lastSentAt: Date | null
  createdAt: Date
  previousRunId: string | null
}

interface FindingRow {
  fingerprint: string
  ruleId: string
  severity: string
  status: string
  message: string
  entities: Array<{ type: string; key: string }>
  firstSeenAt: Date
  resolvedAt: Date | null
  fresh: boolean
}

/**
 * Mails every active subscription its list for audit run `runId`. Safe to call more than once for a
 * run (a job delivered twice, two workers): each subscription is mailed by the call that claims it.
 */
export async function sendDigests(db: Pick<Database, 'sql'>, options: SendDigestsOptions): Promise<DigestOutcome[]> {
  const { runId, mailer } = options
  const now = options.now ?? new Date()
  const catalog = await loadEffectiveCatalog(db)
  const title = (ruleId: string) => catalog.get(ruleId)?.title.ru ?? ruleId
  const header = { ...(await runHeader(db, runId)), consoleUrl: options.consoleUrl === undefined ? consoleBaseUrl() : options.consoleUrl }
  // a run over one market concerns that market's subscriptions (and those over every market), not another's
  const { rows: subs } = await db.sql.query<{ id: number; name: string; recipients: string[] }>(
    `SELECT s.id, s.name, s.recipients FROM subscription s
     WHERE s.active AND NOT EXISTS (
       SELECT 1 FROM audit_run r WHERE r.id = $1::uuid AND r."marketCode" IS NOT NULL AND s."marketCode" IS NOT NULL AND s."marketCode" <> r."marketCode")
     ORDER BY s.id`, [runId])

  const outcomes: DigestOutcome[] = []
  const failures: string[] = []
  for (const { id } of subs) {
    const sub = await claim(db, id, runId)
    if (!sub) {
      const s = subs.find((x) => x.id === id)!
      outcomes.push({ subscriptionId: id, name: s.name, recipients: s.recipients, sent: false, skipped: 'already-handled' })
      continue
    }
    const recipients = sub.recipients.length > 0 ? sub.recipients : sub.groupEmail ? [sub.groupEmail] : []
    const data = { ...(await digestData(db, sub, runId, now, title)), ...header }
    const outcome: DigestOutcome = { subscriptionId: sub.id, name: sub.name, recipients, sent: false, counts: data.counts }
    outcomes.push(outcome)
    const changed = data.counts.new > 0 || data.counts.resolved > 0
    if (!changed && !sub.sendWhenUnchanged) {
      outcome.skipped = 'unchanged'
      continue
    }
    if (recipients.length === 0) {
      outcome.skipped = 'no-recipients'
      log.warn({ subscription: sub.id }, 'subscription has no recipients and its group no e-mail')
      continue
    }
    const mail = renderDigest(data)
    const xlsx = await renderXlsx(data)
    try {
      const sent = await mailer.send({ to: recipients, subject: mail.subject, text: mail.text, html: mail.html, attachments: [mail.csv, xlsx] })
      Object.assign(outcome, { sent: true, subject: mail.subject, messageId: sent.messageId, ...(sent.path ? { path: sent.path } : {}) })
    } catch (e) {
      // the send failed for sure (not a crash): give the claim back so that a retry of the job mails it
      await db.sql.query(`UPDATE subscription SET "lastRunId" = $3 WHERE id = $1 AND "lastRunId" = $2::uuid`, [sub.id, runId, sub.previousRunId])
      failures.push(`subscription ${sub.id} (${sub.name}): ${(e as Error).message}`)
      log.error({ subscription: sub.id, err: e }, 'digest not sent')
      continue
    }
    await db.sql.query(`UPDATE subscription SET "lastSentAt" = $2, "updatedAt" = now() WHERE id = $1`, [sub.id, now])
  }
  if (failures.length > 0) throw new Error(`digests not sent: ${failures.join('; ')}`)
  return outcomes
}

/**
 * Takes subscription `id` for run `runId`, or returns null when some call already took it.
 *
 * The claim (lastRunId = runId) is committed BEFORE the e-mail goes out. A process that dies between
 * the claim and the send therefore loses that one e-mail for that run — the next run's e-mail still
 * lists everything since the last one actually sent (lastSentAt moves only after a send). The other
 * order (send, then mark) would, on the same crash, mail the list again on every retry of the job
 * and to every second worker racing for it; a duplicate discrepancy list is worse for the people
 * working it than one that arrives a run later, and the SPEC asks for idempotent processors.
 */
async function claim(db: Pick<Database, 'sql'>, id: number, runId: string): Promise<ClaimedSubscription | null> {
  return db.sql.transaction(async (tx) => {
    const { rows: [row] } = await tx.query<ClaimedSubscription>(`
      WITH prev AS (SELECT id, "lastRunId" FROM subscription WHERE id = $1 FOR UPDATE)
      UPDATE subscription s SET "lastRunId" = $2::uuid, "updatedAt" = now()
      FROM prev
      WHERE s.id = prev.id AND s.active AND s."lastRunId" IS DISTINCT FROM $2::uuid
      RETURNING s.id, s.name, s.recipients, s."groupId", s."marketCode", s."sendWhenUnchanged", s."lastSentAt", s."createdAt",
        prev."lastRunId"::text AS "previousRunId",
        (SELECT g.code FROM responsible_group g WHERE g.id = s."groupId") AS "groupCode",
        (SELECT g.email FROM responsible_group g WHERE g.id = s."groupId") AS "groupEmail"`, [id, runId])
    return row ?? null
  })
}

/**
 * What the header names the run by: when it started, in its schedule's time zone (Europe/Moscow for the
 * rest), and what started it. A scheduled run's actor is `schedule:<name>` (plus ` job:<id>` from the
 * queue); the schedule's zone is read by that name.
 */
async function runHeader(db: Pick<Database, 'sql'>, runId: string): Promise<Pick<DigestData, 'run' | 'timeZone'>> {
  const { rows: [run] } = await db.sql.query<{ trigger: string; actor: string; startedAt: Date }>(
    `SELECT trigger::text AS trigger, actor, "startedAt" FROM audit_run WHERE id = $1::uuid`, [runId])
  if (!run) throw new Error(`sendDigests: no audit run ${runId}`)
  const scheduleName = run.trigger === 'SCHEDULE' ? /^schedule:(.+?)(?: job:\S+)?$/.exec(run.actor)?.[1] ?? null : null
  const { rows: [schedule] } = scheduleName
    ? await db.sql.query<{ timezone: string }>(`SELECT timezone FROM schedule WHERE name = $1`, [scheduleName])
    : { rows: [] }
  return { run: { trigger: run.trigger, scheduleName, startedAt: new Date(run.startedAt) }, timeZone: schedule?.timezone ?? DEFAULT_TIMEZONE }
}

function scopeLabel(sub: ClaimedSubscription) {
  const parts = [
    ...(sub.groupId != null ? [SCOPE_RU.group(String(sub.groupCode ?? sub.groupId))] : []),
    ...(sub.marketCode ? [SCOPE_RU.market(sub.marketCode)] : []),
  ]
  return parts.length > 0 ? parts.join(', ') : SCOPE_RU.all
}

async function digestData(
  db: Pick<Database, 'sql'>, sub: ClaimedSubscription, runId: string, now: Date, title: (ruleId: string) => string,
): Promise<Omit<DigestData, 'run' | 'timeZone' | 'consoleUrl'>> {
  // never mailed: everything open is new to the subscriber, and fixes count from the day it subscribed
  const resolvedSince = sub.lastSentAt ?? sub.createdAt
  const { rows } = await db.sql.query<FindingRow>(`
    SELECT f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f.entities, f."firstSeenAt", f."resolvedAt",
      ($1::timestamptz IS NULL OR f."firstSeenAt" > $1::timestamptz
        OR EXISTS (SELECT 1 FROM finding_event e WHERE e."findingId" = f.id AND e."toStatus" = 'REOPENED' AND e.at > $1::timestamptz)) AS fresh
    FROM finding f
    WHERE (f.status::text = ANY($2::text[]) OR (f.status = 'RESOLVED' AND f."resolvedAt" > $3::timestamptz))
      AND ($4::int IS NULL OR f."groupId" = $4::int)
      AND ($5::text IS NULL OR f."marketCode" = $5::text)
    ORDER BY CASE f.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END, f."ruleId", f."firstSeenAt", f.fingerprint`,
  [sub.lastSentAt, [...OPEN_STATUSES], resolvedSince, sub.groupId, sub.marketCode])

  const items: DigestItem[] = rows.map((r) => {
    const resolved = r.status === 'RESOLVED'
    const until = resolved && r.resolvedAt ? r.resolvedAt : now
    return {
      section: resolved ? 'RESOLVED' : r.fresh ? 'NEW' : 'OPEN',
      fingerprint: r.fingerprint,
      ruleId: r.ruleId,
      ruleTitle: title(r.ruleId),
      severity: r.severity,
      status: r.status,
      entities: r.entities,
      message: r.message,
      firstSeenAt: r.firstSeenAt,
      resolvedAt: r.resolvedAt,
      ageDays: Math.max(0, Math.floor((until.getTime() - r.firstSeenAt.getTime()) / DAY_MS)),
    }
  })
  const count = (s: DigestItem['section']) => items.filter((i) => i.section === s).length
  return {
    scope: scopeLabel(sub),
    runId,
    generatedAt: now,
    counts: { new: count('NEW'), open: count('NEW') + count('OPEN'), resolved: count('RESOLVED') },
    items,
  }
}
