// Escalation: a finding nobody acknowledged by its acknowledge-by moves up a support line — level + 1, the
// next line's group covering its market and equipment type (else the same group), a new acknowledge-by from
// now — with an event (actor 'sla') and a recorded notification to the group. Idempotent: a finding escalates
// again only once its new acknowledge-by has passed. `startEscalation` runs it periodically in-process.
// one module each (see calendar.ts): the roots re-export all of date-fns and every locale
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict'
import { ru } from 'date-fns/locale/ru'
import type { Database, SqlClient } from '../db/database.ts'
import { loadEffectiveCatalog } from '../engine/overrides.ts'
import type { Severity } from '../engine/types.ts'
import type { EntityRef } from '../records/model.ts'
import { moduleLogger } from '../logger.ts'
import { addBusinessHours, businessHoursBetween, formatLocal } from './calendar.ts'
import { coveringGroup, emailsOf, readGroups, type GroupCoverage } from './groups.ts'
import { DEFAULT_SLA_FILE, loadSla, type SlaConfig } from './sla.ts'
import { ENTITY_TYPE_RU, severityRu } from '../i18n/ru.ts'

const log = moduleLogger('escalation')

/** Who escalation's events are attributed to. */
export const SLA_ACTOR = 'sla'
const BATCH = 2000
const MAX_LINE = 3

export interface EscalationOptions { slaFile?: string }

export interface Escalated {
  findingId: string
  fingerprint: string
  level: number
  from: { group: string | null; line: number | null }
  to: { group: string | null; line: number }
  ackDueAt: Date
  nextAckDueAt: Date
}

interface Candidate {
  id: string
  fingerprint: string
  ruleId: string
  severity: Severity
  status: string
  message: string
  entities: EntityRef[]
  marketCode: string | null
  equipmentTypeCode: string | null
  groupId: number | null
  supportLine: number | null
  escalationLevel: number
  ackDueAt: Date
}

/**
 * Escalates every finding still unacknowledged (NEW, OPEN or REOPENED, never acknowledged) whose acknowledge-by
 * is before `now`. Safe to run concurrently and repeatedly: each finding's change is guarded by the
 * acknowledge-by it was read with, so a second run at the same `now` finds nothing to do.
 */
export async function runEscalation(db: Pick<Database, 'sql'>, now: Date = new Date(), options: EscalationOptions = {}): Promise<Escalated[]> {
  const sla = await loadSla(options.slaFile ?? DEFAULT_SLA_FILE)
  const groups = await readGroups(db.sql)
  const titles = await ruleTitles(db)
  const escalated: Escalated[] = []
  for (;;) {
    const { rows } = await db.sql.query<Candidate>(`
      SELECT f.id, f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f.entities,
        f."marketCode", f."equipmentTypeCode", f."groupId", f."supportLine", f."escalationLevel", f."ackDueAt"
      FROM finding f
      WHERE f.status IN ('NEW', 'OPEN', 'REOPENED') AND f."acknowledgedAt" IS NULL AND f."ackDueAt" < $1::timestamptz
      ORDER BY f."ackDueAt", f.id LIMIT ${BATCH}`, [now.toISOString()])
    if (rows.length === 0) break
    const done = await escalateBatch(db.sql, rows.map((r) => ({ ...r, ackDueAt: new Date(r.ackDueAt) })), groups, sla, titles, now)
    escalated.push(...done)
    // a batch none of which could be escalated (all changed meanwhile) would be read again: stop instead
    if (done.length === 0 || rows.length < BATCH) break
  }
  if (escalated.length) log.info({ escalated: escalated.length, at: now.toISOString() }, 'findings escalated')
  return escalated
}

async function escalateBatch(
  sql: SqlClient, findings: Candidate[], groups: GroupCoverage[], sla: SlaConfig, titles: Map<string, string>, now: Date,
): Promise<Escalated[]> {
  const byId = new Map(groups.map((g) => [g.id, g]))
  const plans = findings.map((f) => {
    const current = f.groupId === null ? null : byId.get(f.groupId) ?? null
    const fromLine = f.supportLine ?? current?.line ?? 1
    const toLine = Math.min(MAX_LINE, fromLine + 1)
    const target = coveringGroup(groups, toLine, f) ?? current
    const nextAckDueAt = addAck(sla, f.severity, now)
    return { f, current, fromLine, toLine, target, nextAckDueAt, level: f.escalationLevel + 1 }
  })
  return sql.transaction(async (tx) => {
    // the guard on ackDueAt and status makes a concurrent escalation or acknowledgement win instead of doubling up
    const { rows } = await tx.query<{ id: string }>(`
      UPDATE finding f SET "escalationLevel" = f."escalationLevel" + 1, "supportLine" = u.line, "groupId" = u."groupId",
        "ackDueAt" = u.ack, "updatedAt" = $7::timestamptz
      FROM unnest($1::uuid[], $2::int[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::int[]) AS u(id, line, "groupId", ack, old, level)
      WHERE f.id = u.id AND f."ackDueAt" = u.old AND f."escalationLevel" = u.level - 1 AND f."acknowledgedAt" IS NULL
        AND f.status IN ('NEW', 'OPEN', 'REOPENED')
      RETURNING f.id`,
    [plans.map((p) => p.f.id), plans.map((p) => p.toLine), plans.map((p) => p.target?.id ?? null),
      plans.map((p) => p.nextAckDueAt.toISOString()), plans.map((p) => p.f.ackDueAt.toISOString()), plans.map((p) => p.level), now.toISOString()])
    const changed = new Set(rows.map((r) => r.id))
    const applied = plans.filter((p) => changed.has(p.f.id))
    if (applied.length === 0) return []
    const events = applied.map((p) => ({
      reason: `не подтверждено до ${formatLocal(p.f.ackDueAt, sla.calendar)}`,
      data: JSON.stringify({
        level: p.level,
        from: { group: p.current?.code ?? null, line: p.fromLine },
        to: { group: p.target?.code ?? null, line: p.toLine },
        ackDueAt: p.f.ackDueAt.toISOString(), nextAckDueAt: p.nextAckDueAt.toISOString(),
        lateBusinessHours: round2(businessHoursBetween(p.f.ackDueAt, now, sla.calendar)),
      }),
    }))
    await tx.query(`
      INSERT INTO finding_event ("findingId", at, actor, action, "fromStatus", "toStatus", reason, data)
      SELECT u.id, $2::timestamptz, $3, 'escalated', u.status::"FindingStatus", u.status::"FindingStatus", u.reason, u.data::jsonb
      FROM unnest($1::uuid[], $4::text[], $5::text[], $6::text[]) AS u(id, status, reason, data)`,
    [applied.map((p) => p.f.id), now.toISOString(), SLA_ACTOR, applied.map((p) => p.f.status), events.map((e) => e.reason), events.map((e) => e.data)])
    const notes = applied.map((p) => notification(p, titles, sla, now))
    await tx.query(`
      INSERT INTO notification (kind, "findingId", "groupId", recipients, subject, body, data, "createdAt")
      SELECT 'escalation', u.id, u.grp, ARRAY(SELECT jsonb_array_elements_text(u.recipients::jsonb)), u.subject, u.body, u.data::jsonb, $2::timestamptz
      FROM unnest($1::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, grp, recipients, subject, body, data)`,
    [applied.map((p) => p.f.id), now.toISOString(), applied.map((p) => p.target?.id ?? null), notes.map((n) => JSON.stringify(n.recipients)),
      notes.map((n) => n.subject), notes.map((n) => n.body), events.map((e) => e.data)])
    return applied.map((p) => ({
      findingId: p.f.id, fingerprint: p.f.fingerprint, level: p.level,
      from: { group: p.current?.code ?? null, line: p.fromLine }, to: { group: p.target?.code ?? null, line: p.toLine },
      ackDueAt: p.f.ackDueAt, nextAckDueAt: p.nextAckDueAt,
    }))
  })
}

interface Plan {
  f: Candidate
  current: GroupCoverage | null
  fromLine: number
  toLine: number
  target: GroupCoverage | null
  nextAckDueAt: Date
  level: number
}

/** The e-mail an escalation sends (recorded until the mail module exists): to the group it moved to, in Russian. */
function notification(p: Plan, titles: Map<string, string>, sla: SlaConfig, now: Date) {
  const keys = p.f.entities.map((e) => `${ENTITY_TYPE_RU[e.type] ?? e.type} ${e.key}`).join(', ')
  const title = titles.get(p.f.ruleId)
  const late = formatDistanceStrict(p.f.ackDueAt, now, { locale: ru })
  const lateBusiness = round2(businessHoursBetween(p.f.ackDueAt, now, sla.calendar))
  const groupText = (g: GroupCoverage | null, line: number) => `${g ? `${g.name} (${g.code})` : 'без группы'}, линия ${line}`
  return {
    recipients: emailsOf(p.target?.email),
    subject: `Эскалация (уровень ${p.level}): ${title ?? p.f.ruleId} — ${keys}`,
    body: [
      `Расхождение не подтверждено в срок и передано на линию ${p.toLine}.`,
      '',
      `Правило: ${title ? `${title} (${p.f.ruleId})` : p.f.ruleId}`,
      `Критичность: ${severityRu(p.f.severity)}`,
      `Объекты: ${keys}`,
      ...(p.f.marketCode ? [`Рынок: ${p.f.marketCode}`] : []),
      `Описание: ${p.f.message}`,
      `Срок подтверждения: ${formatLocal(p.f.ackDueAt, sla.calendar)}; просрочено на ${late} (рабочих часов: ${lateBusiness})`,
      `Было: ${groupText(p.current, p.fromLine)}`,
      `Стало: ${groupText(p.target, p.toLine)}; уровень эскалации ${p.level}`,
      `Новый срок подтверждения: ${formatLocal(p.nextAckDueAt, sla.calendar)}`,
      `Отпечаток: ${p.f.fingerprint}`,
    ].join('\n'),
  }
}

function addAck(sla: SlaConfig, severity: Severity, now: Date): Date {
  return addBusinessHours(now, sla.severities[severity].acknowledge, sla.calendar)
}

const round2 = (n: number) => Math.round(n * 100) / 100

/** Russian rule titles by id; an unreadable catalogue leaves the ids. */
async function ruleTitles(db: Pick<Database, 'sql'>): Promise<Map<string, string>> {
  try {
    const catalog = await loadEffectiveCatalog(db)
    return new Map(catalog.rules.map((r) => [r.id, r.title.ru]))
  } catch (e) {
    log.warn({ err: e }, 'rule titles unavailable for escalation notices')
    return new Map()
  }
}

/**
 * Runs `runEscalation` every `intervalMs` in this process (one run at a time; a failure is logged and the next
 * tick tries again). Returns the stop function, which resolves once a run in progress has finished.
 */
export function startEscalation(db: Pick<Database, 'sql'>, options: { intervalMs: number; now?: () => Date } & EscalationOptions): () => Promise<void> {
  if (!(options.intervalMs > 0)) throw new Error(`escalation interval must be > 0 ms, got ${options.intervalMs}`)
  let running: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    running = runEscalation(db, options.now?.() ?? new Date(), options)
      .then(() => undefined, (e: unknown) => log.error({ err: e }, 'escalation run failed'))
      .finally(() => { running = null })
  }
  const timer = setInterval(tick, options.intervalMs)
  timer.unref?.()
  return async () => {
    stopped = true
    clearInterval(timer)
    await running
  }
}
