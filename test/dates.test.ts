// Calendar days in a time zone and the weeks and months an album covers: expectations written from the calendar
// (which weekday a date is, when a zone's midnight is in UTC), not from the code.
import { describe, expect, it } from 'vitest'
import { addDays, dayIn, periodBefore, periodOf, startOfDayIn } from '../src/dates.ts'
import { lastFullPeriod } from '../src/notify/album.ts'

describe('calendar days in a zone', () => {
  it('names the day an instant falls on there', () => {
    // 21:30 UTC on Sunday 29 November 2026 is already Monday 30 November in Moscow (UTC+3)
    expect(dayIn(new Date('2026-11-29T21:30:00Z'), 'Europe/Moscow')).toBe('2026-11-30')
    expect(dayIn(new Date('2026-11-29T21:30:00Z'), 'UTC')).toBe('2026-11-29')
    expect(dayIn(new Date('2026-11-30T03:00:00Z'), 'America/New_York')).toBe('2026-11-29')
  })

  it('finds when a day begins, across offsets and summer-time changes', () => {
    expect(startOfDayIn('2026-11-01', 'Europe/Moscow').toISOString()).toBe('2026-10-31T21:00:00.000Z')
    expect(startOfDayIn('2026-11-01', 'UTC').toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(startOfDayIn('2026-12-01', 'Asia/Yekaterinburg').toISOString()).toBe('2026-11-30T19:00:00.000Z')
    // Berlin: CET (UTC+1) until the last Sunday of March 2026 (29th), CEST (UTC+2) after
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(startOfDayIn('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z')
    // New York: EDT (UTC−4) until 1 November 2026, EST (UTC−5) from that day's 02:00
    expect(startOfDayIn('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z')
    expect(startOfDayIn('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z')
  })

  it('moves days over month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
  })
})

describe('weeks and months', () => {
  it('a week runs Monday to Sunday; a month from its first day', () => {
    // 2 December 2026 is a Wednesday; 30 November a Monday; 6 December a Sunday
    expect(periodOf('2026-12-02', 'WEEK')).toEqual({ first: '2026-11-30', next: '2026-12-07' })
    expect(periodOf('2026-11-30', 'WEEK')).toEqual({ first: '2026-11-30', next: '2026-12-07' })
    expect(periodOf('2026-12-06', 'WEEK')).toEqual({ first: '2026-11-30', next: '2026-12-07' })
    expect(periodOf('2026-12-31', 'MONTH')).toEqual({ first: '2026-12-01', next: '2027-01-01' })
    expect(periodOf('2028-02-10', 'MONTH')).toEqual({ first: '2028-02-01', next: '2028-03-01' })
  })

  it('the period before is the last full one', () => {
    expect(periodBefore('2026-12-02', 'WEEK')).toEqual({ first: '2026-11-23', next: '2026-11-30' })
    expect(periodBefore('2026-11-30', 'WEEK')).toEqual({ first: '2026-11-23', next: '2026-11-30' })
    expect(periodBefore('2027-01-01', 'MONTH')).toEqual({ first: '2026-12-01', next: '2027-01-01' })
    expect(periodBefore('2026-03-31', 'MONTH')).toEqual({ first: '2026-02-01', next: '2026-03-01' })
  })

  it('a tick reads the calendar in the schedule\'s zone', () => {
    // Monday 00:30 in Moscow is still Sunday in UTC: the last full Moscow week is the one that just ended
    const tick = new Date('2026-11-29T21:30:00Z')
    const moscow = lastFullPeriod('WEEK', tick, 'Europe/Moscow')
    expect(moscow).toMatchObject({ first: '2026-11-23', next: '2026-11-30' })
    expect(moscow.since.toISOString()).toBe('2026-11-22T21:00:00.000Z')
    expect(moscow.until.toISOString()).toBe('2026-11-29T21:00:00.000Z')
    expect(lastFullPeriod('WEEK', tick, 'UTC')).toMatchObject({ first: '2026-11-16', next: '2026-11-23' })
    // 1 December 06:00 in Moscow: November
    const month = lastFullPeriod('MONTH', new Date('2026-12-01T03:00:00Z'), 'Europe/Moscow')
    expect(month).toMatchObject({ first: '2026-11-01', next: '2026-12-01' })
    expect(month.since.toISOString()).toBe('2026-10-31T21:00:00.000Z')
    expect(month.until.toISOString()).toBe('2026-11-30T21:00:00.000Z')
  })
})
