// The findings table's state in the address bar: filters, sort and page as a query string, so a link is shareable
// and back/forward work. Pure functions (no DOM): test/web/findings-url.test.ts runs them in Node.

import { ENTITY_WORD, formatDateTime, supportLine } from '../../format.ts'

export type Age = 'day' | 'week' | 'month' | 'older'
export type Order = 'SEVERITY' | 'FIRST_SEEN_ASC' | 'FIRST_SEEN_DESC' | 'LAST_SEEN_DESC' | 'LAST_SEEN_ASC'
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const
export const STATUSES = ['NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'WAIVED'] as const
export const SUBJECT_TYPES = ['address', 'customer', 'contract', 'equipment', 'equipmentType', 'product', 'market'] as const
export type SeverityValue = (typeof SEVERITIES)[number]
export type SubjectType = (typeof SUBJECT_TYPES)[number]
export type StatusValue = (typeof STATUSES)[number]

/** What the table shows: every filter the issue names, the order, and where in the list (a cursor). */
export interface FindingsView {
  rules: string[]
  market: string | null
  severities: SeverityValue[]
  /** empty: the open ones (the default a specialist works on); 'all' is not a status: every finding */
  statuses: StatusValue[]
  all: boolean
  group: string | null
  age: Age | null
  /** the reports' drill-downs: findings of no single market, naming a record of a type, of a support line,
   * overdue now, routed to no group, first seen in a period (since inclusive, until exclusive; ISO instants) */
  noMarket: boolean
  subject: SubjectType | null
  line: number | null
  overdue: boolean
  noGroup: boolean
  since: string | null
  until: string | null
  order: Order
  /** the page: after this cursor (next) or before it (back); none: the first page */
  after: string | null
  before: string | null
}

export const AGE_WORD: Record<Age, string> = { day: 'меньше 1 дня', week: '1–7 дней', month: '7–30 дней', older: 'больше 30 дней' }
export const ORDER_WORD: Record<Order, string> = {
  SEVERITY: 'сначала важные, затем старые', FIRST_SEEN_ASC: 'сначала старые', FIRST_SEEN_DESC: 'сначала новые',
  LAST_SEEN_DESC: 'недавно виденные', LAST_SEEN_ASC: 'давно не виденные',
}
const ORDERS = Object.keys(ORDER_WORD) as Order[]
const AGES = Object.keys(AGE_WORD) as Age[]

export const PAGE_SIZE = 25

const DAY = 86_400_000

export function emptyView(): FindingsView {
  return {
    rules: [], market: null, severities: [], statuses: [], all: false, group: null, age: null,
    noMarket: false, subject: null, line: null, overdue: false, noGroup: false, since: null, until: null,
    order: 'SEVERITY', after: null, before: null,
  }
}

const instant = (value: string | null) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null)

/**
 * `?rule=a,b&market=MSK&severity=HIGH&status=NEW&group=G&age=week&nomarket=1&subject=address&line=2&overdue=1&nogroup=1`
 * `&since=…&until=…&order=FIRST_SEEN_ASC&after=…` → the view; unknown values are dropped.
 */
export function parseView(search: string): FindingsView {
  const q = new URLSearchParams(search)
  const list = (name: string) => (q.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const one = (name: string) => q.get(name)?.trim() || null
  const order = q.get('order') as Order | null
  const age = q.get('age') as Age | null
  return {
    rules: list('rule'),
    market: one('market'),
    severities: list('severity').filter((s): s is SeverityValue => (SEVERITIES as readonly string[]).includes(s)),
    statuses: list('status').filter((s): s is StatusValue => (STATUSES as readonly string[]).includes(s)),
    all: q.get('status') === 'all',
    group: one('group'),
    age: age && AGES.includes(age) ? age : null,
    noMarket: q.get('nomarket') === '1',
    subject: (SUBJECT_TYPES as readonly string[]).includes(q.get('subject') ?? '') ? q.get('subject') as SubjectType : null,
    line: ['1', '2', '3'].includes(q.get('line') ?? '') ? Number(q.get('line')) : null,
    overdue: q.get('overdue') === '1',
    noGroup: q.get('nogroup') === '1',
    since: instant(q.get('since')),
    until: instant(q.get('until')),
    order: order && ORDERS.includes(order) ? order : 'SEVERITY',
    after: one('after'),
    before: one('before'),
  }
}

/** The view as a query string (with the «?», or '' for the default view); defaults are left out. */
export function viewSearch(view: FindingsView): string {
  const q = new URLSearchParams()
  if (view.rules.length) q.set('rule', view.rules.join(','))
  if (view.market) q.set('market', view.market)
  if (view.severities.length) q.set('severity', view.severities.join(','))
  if (view.all) q.set('status', 'all')
  else if (view.statuses.length) q.set('status', view.statuses.join(','))
  if (view.group) q.set('group', view.group)
  if (view.age) q.set('age', view.age)
  if (view.noMarket) q.set('nomarket', '1')
  if (view.subject) q.set('subject', view.subject)
  if (view.line !== null) q.set('line', String(view.line))
  if (view.overdue) q.set('overdue', '1')
  if (view.noGroup) q.set('nogroup', '1')
  if (view.since) q.set('since', view.since)
  if (view.until) q.set('until', view.until)
  if (view.order !== 'SEVERITY') q.set('order', view.order)
  if (view.after) q.set('after', view.after)
  else if (view.before) q.set('before', view.before)
  const s = q.toString().replace(/%2C/g, ',')
  return s ? `?${s}` : ''
}

/** A filter or the order changed: back to the first page. */
export function withFilter(view: FindingsView, change: Partial<FindingsView>): FindingsView {
  return { ...view, ...change, after: null, before: null }
}

/** The API's FindingFilter for the view; the age as moments relative to `now`. */
export function findingFilter(view: FindingsView, now: number): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (view.rules.length) filter.ruleIds = view.rules
  if (view.market) filter.market = view.market
  if (view.severities.length) filter.severities = view.severities
  if (view.statuses.length && !view.all) filter.statuses = view.statuses
  else if (!view.all) filter.open = true
  if (view.group) filter.group = view.group
  if (view.noMarket) filter.noMarket = true
  if (view.subject) filter.subjectType = view.subject
  if (view.line !== null) filter.line = view.line
  if (view.overdue) filter.overdue = true
  if (view.noGroup) filter.noGroup = true
  const ago = (days: number) => new Date(now - days * DAY).toISOString()
  switch (view.age) {
    case 'day': filter.firstSeenFrom = ago(1); break
    case 'week': filter.firstSeenFrom = ago(7); filter.firstSeenBefore = ago(1); break
    case 'month': filter.firstSeenFrom = ago(30); filter.firstSeenBefore = ago(7); break
    case 'older': filter.firstSeenBefore = ago(30); break
  }
  // a period beside an age: both hold, so the later start and the earlier end
  const later = (a: unknown, b: string) => (typeof a === 'string' && a > b ? a : b)
  const earlier = (a: unknown, b: string) => (typeof a === 'string' && a < b ? a : b)
  if (view.since) filter.firstSeenFrom = later(filter.firstSeenFrom, view.since)
  if (view.until) filter.firstSeenBefore = earlier(filter.firstSeenBefore, view.until)
  return filter
}

/** A condition the filter form has no control for (the reports' drill-downs), as a removable chip. */
export interface ConditionChip {
  label: string
  /** what removes it */
  clear: Partial<FindingsView>
}

/** The conditions set beyond the form's controls, in words, each with how to remove it. */
export function conditionChips(view: FindingsView): ConditionChip[] {
  const chips: ConditionChip[] = []
  if (view.noMarket) chips.push({ label: 'без рынка', clear: { noMarket: false } })
  if (view.subject) chips.push({ label: `записи: ${ENTITY_WORD[view.subject]?.toLowerCase() ?? view.subject}`, clear: { subject: null } })
  if (view.line !== null) chips.push({ label: supportLine(view.line), clear: { line: null } })
  if (view.overdue) chips.push({ label: 'просрочены сейчас', clear: { overdue: false } })
  if (view.noGroup) chips.push({ label: 'без группы', clear: { noGroup: false } })
  if (view.since || view.until) {
    const label = ['впервые замечены', view.since && `с ${formatDateTime(view.since)}`, view.until && `до ${formatDateTime(view.until)}`].filter(Boolean).join(' ')
    chips.push({ label, clear: { since: null, until: null } })
  }
  return chips
}

/** The paging arguments: first N after a cursor, or last N before one. */
export function pageArgs(view: FindingsView): { first?: number; last?: number; after?: string; before?: string } {
  if (view.before && !view.after) return { last: PAGE_SIZE, before: view.before }
  return view.after ? { first: PAGE_SIZE, after: view.after } : { first: PAGE_SIZE }
}
