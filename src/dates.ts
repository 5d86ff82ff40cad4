// Calendar days as the import format and the CLI write them: YYYY-MM-DD.

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** The time zone schedules, digests and albums run in unless told otherwise. */
export const DEFAULT_TIMEZONE = 'Europe/Moscow'

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DAY.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

// ─── calendar days in a time zone, and the weeks and months they make ───

/** The calendar day (YYYY-MM-DD) the instant `at` falls on in `timeZone`. */
export function dayIn(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** How far the wall clock of `timeZone` is ahead of UTC at `at`, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at).map((p) => [p.type, p.value]))
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return wall - Math.floor(at.getTime() / 1000) * 1000
}

/**
 * The wall-clock time of `at` in `timeZone`, as a Date whose UTC fields read it: what a spreadsheet cell (which
 * knows no zones) should hold to show the time as people there read it.
 */
export function wallClockIn(at: Date, timeZone: string): Date {
  return new Date(at.getTime() + offsetMs(at, timeZone))
}

/** The instant the calendar day `day` (YYYY-MM-DD) begins in `timeZone`. */
export function startOfDayIn(day: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`)
  // the zone's offset at the first guess, then again at the corrected instant (an offset change near midnight)
  let at = midnightUtc - offsetMs(new Date(midnightUtc), timeZone)
  at = midnightUtc - offsetMs(new Date(at), timeZone)
  return new Date(at)
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export type CalendarPeriod = 'WEEK' | 'MONTH'

/** A week (Monday to Sunday) or a calendar month: its first day and the first day after it. */
export interface DayRange { first: string; next: string }

/** The week or month `day` is in. */
export function periodOf(day: string, period: CalendarPeriod): DayRange {
  if (period === 'WEEK') {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
    const monday = addDays(day, -((weekday + 6) % 7))
    return { first: monday, next: addDays(monday, 7) }
  }
  const first = `${day.slice(0, 7)}-01`
  const d = new Date(`${first}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + 1)
  return { first, next: d.toISOString().slice(0, 10) }
}

/** The week or month just before the one `day` is in: the last full one when `day` is today. */
export function periodBefore(day: string, period: CalendarPeriod): DayRange {
  return periodOf(addDays(periodOf(day, period).first, -1), period)
}
