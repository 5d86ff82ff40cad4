// Business time: the working days and hours of a calendar (a fixed UTC offset, working weekdays, one
// window of opening hours, holidays and working weekends), and the pure arithmetic of SLAs on it —
// «4 business hours after Friday 17:00» is Monday 12:00.
//
// The time zone is a fixed UTC offset per calendar, not an IANA zone: wall-clock arithmetic on
// `instant + offset` is exact and does not depend on the process's TZ. Moscow has had no DST since
// 2014, so `+03:00` is Europe/Moscow; a zone with DST would need an offset per period (not supported).
// one module each: the package's root re-exports all of date-fns, and loading it cost 250 ms of every command's start
import { addMilliseconds } from 'date-fns/addMilliseconds'
import { differenceInMilliseconds } from 'date-fns/differenceInMilliseconds'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
// a calendar with a working window in the next ten years; beyond that the calendar is broken
const MAX_DAYS = 3660

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof WEEKDAYS)[number]

export interface BusinessCalendar {
  /** e.g. 'Europe/Moscow': for people; the arithmetic uses utcOffsetMinutes */
  name: string
  /** minutes east of UTC: +180 for Moscow */
  utcOffsetMinutes: number
  /** weekdays that are working days, unless a holiday */
  workingDays: readonly Weekday[]
  /** opening hours of a working day, minutes after local midnight: [540, 1080) is 09:00–18:00 */
  openMinute: number
  closeMinute: number
  /** local dates YYYY-MM-DD that are days off even on a working weekday */
  holidays: readonly string[]
  /** local dates YYYY-MM-DD that are working days even on a weekend (a transferred working Saturday) */
  workingWeekends?: readonly string[]
}

/** Mon–Fri 09:00–18:00 at UTC+03:00 without holidays: the fallback when no calendar is configured. */
export const MOSCOW_OFFICE_HOURS: BusinessCalendar = {
  name: 'Europe/Moscow', utcOffsetMinutes: 180, workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'], openMinute: 9 * 60, closeMinute: 18 * 60, holidays: [],
}

/** The calendar with its date lists as sets of local day numbers (days since 1970-01-01), built once per calendar. */
interface Prepared { cal: BusinessCalendar; offset: number; days: Set<number>; holidays: Set<number>; extra: Set<number> }

const prepared = new WeakMap<BusinessCalendar, Prepared>()

function prepare(cal: BusinessCalendar): Prepared {
  let p = prepared.get(cal)
  if (!p) {
    if (!(cal.openMinute >= 0 && cal.openMinute < cal.closeMinute && cal.closeMinute <= 24 * 60)) {
      throw new Error(`calendar ${cal.name}: opening hours must be within a day and open before they close`)
    }
    if (cal.workingDays.length === 0 && (cal.workingWeekends ?? []).length === 0) throw new Error(`calendar ${cal.name} has no working days`)
    p = {
      cal, offset: cal.utcOffsetMinutes * MINUTE,
      days: new Set(cal.workingDays.map((d) => WEEKDAYS.indexOf(d))),
      holidays: new Set(cal.holidays.map(dayNumber)),
      extra: new Set((cal.workingWeekends ?? []).map(dayNumber)),
    }
    prepared.set(cal, p)
  }
  return p
}

/** Days since 1970-01-01 of a date written YYYY-MM-DD. */
function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`)
  if (Number.isNaN(ms)) throw new Error(`not a date YYYY-MM-DD: '${date}'`)
  return Math.floor(ms / DAY)
}

/** Whether local day `day` (days since epoch) is a working day. */
function isWorkingDay(p: Prepared, day: number): boolean {
  if (p.extra.has(day)) return true
  if (p.holidays.has(day)) return false
  // 1970-01-01 was a Thursday
  return p.days.has(((day % 7) + 11) % 7)
}

/** The working window [open, close) of local day `day`, in local epoch milliseconds; null on a day off. */
function windowOf(p: Prepared, day: number): [number, number] | null {
  if (!isWorkingDay(p, day)) return null
  return [day * DAY + p.cal.openMinute * MINUTE, day * DAY + p.cal.closeMinute * MINUTE]
}

/**
 * The instant `hours` business hours after `start`: time outside the opening hours, on days off and on
 * holidays does not count, so a start at night or at a weekend counts from the next opening.
 * `hours` may be fractional; 0 gives the next opening (or `start` itself within the opening hours).
 */
export function addBusinessHours(start: Date, hours: number, calendar: BusinessCalendar): Date {
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new Error(`business hours must be a non-negative number, got ${hours}`)
  const p = prepare(calendar)
  let remaining = Math.round(hours * HOUR)
  let local = start.getTime() + p.offset
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = Math.floor(local / DAY)
    const window = windowOf(p, day)
    if (window && local < window[1]) {
      const from = Math.max(local, window[0])
      const available = window[1] - from
      if (remaining <= available) return addMilliseconds(new Date(from - p.offset), remaining)
      remaining -= available
    }
    local = (day + 1) * DAY
  }
  throw new Error(`calendar ${calendar.name}: no working time within ${MAX_DAYS} days of ${start.toISOString()}`)
}

/** Business hours between two instants (negative when `b` is before `a`). */
export function businessHoursBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  if (differenceInMilliseconds(b, a) < 0) return -businessHoursBetween(b, a, calendar)
  const p = prepare(calendar)
  const from = a.getTime() + p.offset
  const to = b.getTime() + p.offset
  let total = 0
  for (let day = Math.floor(from / DAY); day * DAY < to; day++) {
    const window = windowOf(p, day)
    if (!window) continue
    const overlap = Math.min(window[1], to) - Math.max(window[0], from)
    if (overlap > 0) total += overlap
  }
  return total / HOUR
}

/** An instant as the calendar's wall clock, for people: «09.01.2026 13:00 (UTC+03:00)». */
export function formatLocal(instant: Date, calendar: BusinessCalendar): string {
  const local = new Date(instant.getTime() + calendar.utcOffsetMinutes * MINUTE)
  const pad = (n: number) => String(n).padStart(2, '0')
  const sign = calendar.utcOffsetMinutes < 0 ? '-' : '+'
  const off = Math.abs(calendar.utcOffsetMinutes)
  return `${pad(local.getUTCDate())}.${pad(local.getUTCMonth() + 1)}.${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
    + ` (UTC${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)})`
}
