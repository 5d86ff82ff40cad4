// «Находки» keeps its filters, order and page in the query string (web/src/screens/findings/url.ts): a link
// opens the same list, and the API's filter follows from it (the age as moments before now).
import { describe, expect, it } from 'vitest'
import { conditionChips, emptyView, findingFilter, pageArgs, PAGE_SIZE, parseView, viewSearch, withFilter } from '../../web/src/screens/findings/url.ts'

const NOW = Date.parse('2026-12-05T12:00:00Z')
const DAY = 86_400_000

describe('findings view ↔ query string', () => {
  it('the default view is an empty query string and the open findings, most severe first', () => {
    expect(viewSearch(emptyView())).toBe('')
    expect(parseView('')).toEqual(emptyView())
    expect(findingFilter(emptyView(), NOW)).toEqual({ open: true })
    expect(pageArgs(emptyView())).toEqual({ first: PAGE_SIZE })
  })

  it('round-trips every filter, the order and the page', () => {
    const view = { ...emptyView(), rules: ['address-duplicate', 'contract-overlap'], market: 'MSK', severities: ['CRITICAL', 'HIGH'] as const,
      statuses: ['NEW', 'REOPENED'] as const, group: 'NSI-L3', age: 'week' as const, order: 'FIRST_SEEN_ASC' as const, after: 'abc==' }
    const search = viewSearch({ ...view, severities: [...view.severities], statuses: [...view.statuses] })
    expect(search).toBe('?rule=address-duplicate,contract-overlap&market=MSK&severity=CRITICAL,HIGH&status=NEW,REOPENED&group=NSI-L3&age=week&order=FIRST_SEEN_ASC&after=abc%3D%3D')
    expect(parseView(search)).toEqual({ ...view, severities: ['CRITICAL', 'HIGH'], statuses: ['NEW', 'REOPENED'] })
  })

  it('drops values it does not know (a hand-edited or old link) instead of failing', () => {
    const view = parseView('?severity=URGENT,LOW&status=DONE&age=century&order=RANDOM&market=')
    expect(view.severities).toEqual(['LOW'])
    expect(view.statuses).toEqual([])
    expect(view.age).toBeNull()
    expect(view.order).toBe('SEVERITY')
    expect(view.market).toBeNull()
  })

  it('«все, включая закрытые» asks for every status; chosen statuses replace «open»', () => {
    const all = parseView('?status=all')
    expect(all.all).toBe(true)
    expect(findingFilter(all, NOW)).toEqual({})
    expect(viewSearch(all)).toBe('?status=all')
    expect(findingFilter(parseView('?status=RESOLVED'), NOW)).toEqual({ statuses: ['RESOLVED'] })
  })

  it('maps the age to first-seen moments: < 1 дня, 1–7, 7–30, > 30 дней', () => {
    const at = (days: number) => new Date(NOW - days * DAY).toISOString()
    expect(findingFilter(parseView('?age=day'), NOW)).toEqual({ open: true, firstSeenFrom: at(1) })
    expect(findingFilter(parseView('?age=week'), NOW)).toEqual({ open: true, firstSeenFrom: at(7), firstSeenBefore: at(1) })
    expect(findingFilter(parseView('?age=month'), NOW)).toEqual({ open: true, firstSeenFrom: at(30), firstSeenBefore: at(7) })
    expect(findingFilter(parseView('?age=older'), NOW)).toEqual({ open: true, firstSeenBefore: at(30) })
  })

  it('maps rule, market, severity and group to the API filter', () => {
    expect(findingFilter(parseView('?rule=a,b&market=SPB&severity=LOW&group=G'), NOW))
      .toEqual({ ruleIds: ['a', 'b'], market: 'SPB', severities: ['LOW'], group: 'G', open: true })
  })

  it('a changed filter goes back to the first page; «назад» asks for the last page before the cursor', () => {
    const paged = parseView('?market=MSK&after=X')
    expect(pageArgs(paged)).toEqual({ first: PAGE_SIZE, after: 'X' })
    const filtered = withFilter(paged, { market: 'SPB' })
    expect(filtered.after).toBeNull()
    expect(viewSearch(filtered)).toBe('?market=SPB')
    expect(pageArgs(parseView('?before=Y'))).toEqual({ last: PAGE_SIZE, before: 'Y' })
  })
})

describe('the reports\' drill-down conditions', () => {
  it('round-trip through the query string and become the API filter', () => {
    const view = { ...emptyView(), noMarket: true, subject: 'address' as const, line: 2, overdue: true, noGroup: true,
      since: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' }
    const search = viewSearch(view)
    expect(search).toBe('?nomarket=1&subject=address&line=2&overdue=1&nogroup=1&since=2026-11-01T00%3A00%3A00.000Z&until=2026-12-01T00%3A00%3A00.000Z')
    expect(parseView(search)).toEqual(view)
    expect(findingFilter(view, NOW)).toEqual({
      open: true, noMarket: true, subjectType: 'address', line: 2, overdue: true, noGroup: true,
      firstSeenFrom: '2026-11-01T00:00:00.000Z', firstSeenBefore: '2026-12-01T00:00:00.000Z',
    })
  })

  it('a bottleneck\'s «received» link: group, line, period, every status', () => {
    expect(findingFilter(parseView('?group=G1&line=1&status=all&since=2026-11-05T00:00:00Z&until=2026-12-05T00:00:00Z'), NOW))
      .toEqual({ group: 'G1', line: 1, firstSeenFrom: '2026-11-05T00:00:00.000Z', firstSeenBefore: '2026-12-05T00:00:00.000Z' })
  })

  it('a period beside an age keeps both: the later start, the earlier end', () => {
    const at = (days: number) => new Date(NOW - days * DAY).toISOString()
    const week = { ...parseView('?age=week'), since: at(3), until: at(0.5) }
    expect(findingFilter(week, NOW)).toEqual({ open: true, firstSeenFrom: at(3), firstSeenBefore: at(1) })
  })

  it('drops what it does not know: another line, a type that is none, a date that is none, a flag that is not 1', () => {
    const view = parseView('?line=4&subject=planet&since=yesterday&overdue=yes&nomarket=true&nogroup=0')
    expect(view).toEqual(emptyView())
    expect(findingFilter(view, NOW)).toEqual({ open: true })
  })

  it('each condition shows as a chip in Russian, and its removal clears only it', () => {
    const view = parseView('?market=&nomarket=1&subject=equipment&line=3&overdue=1&nogroup=1&since=2026-11-30T21:00:00Z&rule=r1')
    const chips = conditionChips(view)
    expect(chips.map((c) => c.label)).toEqual([
      'без рынка', 'записи: устройство', '3-я линия', 'просрочены сейчас', 'без группы', 'впервые замечены с 01.12.2026, 00:00',
    ])
    for (const chip of chips) {
      const left = withFilter(view, chip.clear)
      expect(conditionChips(left).map((c) => c.label)).toEqual(chips.filter((c) => c !== chip).map((c) => c.label))
      expect(left.rules).toEqual(['r1'])
    }
    expect(conditionChips(emptyView())).toEqual([])
  })
})
