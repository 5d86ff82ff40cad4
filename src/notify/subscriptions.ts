// Mail subscriptions: who gets the discrepancy list after each scheduled audit — recipients of their own, or the
// e-mail of a responsible group — over a group's findings, a market's, or all. Managed through GraphQL.
import { z } from '../i18n/zod.ts'
import { visibleWhere, type Principal } from '../access/scope.ts'
import type { Database } from '../db/database.ts'
import { ConflictError, NotFoundError, ValidationFailed, type FieldProblem } from '../errors.ts'
import { mayManage } from '../jobs/schedules.ts'
import { moduleLogger } from '../logger.ts'
import { PROBLEM_RU } from '../i18n/ru.ts'
import { JOBS_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('subscriptions')

export interface MailSubscription {
  id: number
  name: string
  recipients: string[]
  groupId: number | null
  marketCode: string | null
  sendWhenUnchanged: boolean
  active: boolean
  lastSentAt: Date | null
  lastRunId: string | null
  createdAt: Date
  updatedAt: Date
}

export interface SubscriptionInput {
  name?: string
  recipients?: string[]
  /** a responsible group's code; null clears it */
  groupCode?: string | null
  marketCode?: string | null
  sendWhenUnchanged?: boolean
  active?: boolean
}

const email = z.string().trim().toLowerCase().pipe(z.email())

export async function listSubscriptions(db: Database, principal: Principal): Promise<MailSubscription[]> {
  const all = await db.prisma.subscription.findMany({ orderBy: { id: 'asc' } })
  return all.filter((s) => mayManage(principal, s.marketCode))
}

async function visibleSubscription(db: Database, principal: Principal, id: number) {
  const s = await db.prisma.subscription.findUnique({ where: { id } })
  if (!s || !mayManage(principal, s.marketCode)) throw new NotFoundError(JOBS_RU.subscriptionNotFound(id))
  return s
}

/** The stored values of an input over the current ones (none for a new one), with every problem found. */
async function resolveInput(db: Database, principal: Principal, input: SubscriptionInput, current?: MailSubscription) {
  const problems: FieldProblem[] = []
  const name = (input.name ?? current?.name ?? '').trim()
  if (!name || name.length > 200) problems.push({ field: 'name', code: 'INVALID', message: PROBLEM_RU.nameLength(200) })
  const recipients: string[] = []
  for (const [i, r] of (input.recipients ?? current?.recipients ?? []).entries()) {
    const parsed = email.safeParse(r)
    if (parsed.success) recipients.push(parsed.data)
    else problems.push({ field: `recipients.${i}`, code: 'INVALID', message: PROBLEM_RU.notEmail(JSON.stringify(r)) })
  }
  if (recipients.length > 100) problems.push({ field: 'recipients', code: 'INVALID', message: PROBLEM_RU.tooManyRecipients(100) })
  let groupId = current?.groupId ?? null
  let groupEmail: string | null = null
  if (input.groupCode !== undefined) {
    groupId = null
    if (input.groupCode !== null) {
      // a group covering none of the key's markets is answered exactly like one that does not exist
      const group = await db.prisma.responsibleGroup.findFirst({ where: { AND: [{ code: input.groupCode }, visibleWhere(principal).group()] } })
      if (!group) problems.push({ field: 'groupCode', code: 'UNKNOWN', message: PROBLEM_RU.noGroup(input.groupCode) })
      else { groupId = group.id; groupEmail = group.email }
    }
  } else if (groupId !== null) {
    groupEmail = (await db.prisma.responsibleGroup.findUnique({ where: { id: groupId } }))?.email ?? null
  }
  const marketCode = input.marketCode === undefined ? (current?.marketCode ?? null) : input.marketCode
  if (marketCode !== null && (!mayManage(principal, marketCode) || !(await db.prisma.market.findUnique({ where: { code: marketCode } })))) {
    problems.push({ field: 'marketCode', code: 'UNKNOWN', message: PROBLEM_RU.noMarket(marketCode) })
  } else if (marketCode === null && principal.markets) {
    problems.push({ field: 'marketCode', code: 'REQUIRED', message: PROBLEM_RU.subscriptionMarketRequired(principal.markets.join(', ')) })
  }
  if (recipients.length === 0 && !groupEmail && !problems.some((p) => p.field === 'groupCode')) {
    problems.push({ field: 'recipients', code: 'REQUIRED', message: PROBLEM_RU.noRecipients })
  }
  if (problems.length) throw new ValidationFailed(problems)
  return {
    name, recipients, groupId, marketCode,
    sendWhenUnchanged: input.sendWhenUnchanged ?? current?.sendWhenUnchanged ?? false,
    active: input.active ?? current?.active ?? true,
  }
}

export async function createSubscription(db: Database, principal: Principal, input: SubscriptionInput, actor: string): Promise<MailSubscription> {
  const data = await resolveInput(db, principal, input)
  const created = await db.prisma.subscription.create({ data })
  log.info({ id: created.id, name: created.name, actor }, 'subscription created')
  return created
}

export async function updateSubscription(db: Database, principal: Principal, id: number, patch: SubscriptionInput, actor: string): Promise<MailSubscription> {
  const current = await visibleSubscription(db, principal, id)
  const data = await resolveInput(db, principal, patch, current)
  const updated = await db.prisma.subscription.update({ where: { id }, data }).catch((e: { code?: string }) => {
    if (e.code === 'P2025') throw new ConflictError(JOBS_RU.subscriptionDeleted(id))
    throw e
  })
  log.info({ id, actor }, 'subscription updated')
  return updated
}

export async function deleteSubscription(db: Database, principal: Principal, id: number, actor: string): Promise<MailSubscription> {
  const current = await visibleSubscription(db, principal, id)
  // an album schedule sends to it (the foreign key restricts): say which, rather than leave the schedule without an audience
  const albums = await db.prisma.schedule.findMany({ where: { subscriptionId: id }, select: { name: true }, orderBy: { id: 'asc' } })
  if (albums.length > 0) throw new ConflictError(JOBS_RU.subscriptionInUse(id, albums.map((a) => `«${a.name}»`).join(', ')))
  await db.prisma.subscription.delete({ where: { id } })
  log.info({ id, actor }, 'subscription deleted')
  return current
}
