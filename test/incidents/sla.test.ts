// Business calendar arithmetic (pure) and the SLA file: hours counted only within opening hours on working
// days, holidays skipped, a start at night or at a weekend counted from the next opening.
import { describe, expect, it } from 'vitest'
import { addBusinessHours, businessHoursBetween, formatLocal, type BusinessCalendar } from '../../src/incidents/calendar.ts'
import { duesOf, loadSla, parseSla } from '../../src/incidents/sla.ts'

const CAL: BusinessCalendar = {
  name: 'Europe/Moscow', utcOffsetMinutes: 180, workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  openMinute: 9 * 60, closeMinute: 18 * 60, holidays: ['2026-02-23', '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'],
}
/** A Moscow wall-clock time as an instant. */
const msk = (local: string) => new Date(`${local}+03:00`)
const add = (local: string, hours: number, cal = CAL) => addBusinessHours(msk(local), hours, cal).toISOString()

describe('addBusinessHours', () => {
  it('a finding raised Friday 17:00 with a 4-business-hour SLA is due Monday 12:00', () => {
    expect(add('2026-01-16T17:00:00', 4)).toBe(msk('2026-01-19T12:00:00').toISOString())
  })

  it('skips holidays: Friday 17:00 before the Monday holiday of 23 February is due Tuesday 12:00', () => {
    expect(add('2026-02-20T17:00:00', 4)).toBe(msk('2026-02-24T12:00:00').toISOString())
    // the New Year holidays: one hour on 31 December, then nothing until Monday 12 January
    expect(add('2025-12-31T17:00:00', 2)).toBe(msk('2026-01-12T10:00:00').toISOString())
  })

  it('counts a start at night, at a weekend or before opening from the next opening', () => {
    expect(add('2026-01-20T23:00:00', 1)).toBe(msk('2026-01-21T10:00:00').toISOString())
    expect(add('2026-01-21T03:00:00', 1)).toBe(msk('2026-01-21T10:00:00').toISOString())
    expect(add('2026-01-17T10:00:00', 2)).toBe(msk('2026-01-19T11:00:00').toISOString())
    expect(add('2026-01-18T23:59:00', 0)).toBe(msk('2026-01-19T09:00:00').toISOString())
  })

  it('stays within the day when the hours fit, up to the closing time itself; fractions are minutes', () => {
    expect(add('2026-01-19T10:15:00', 3)).toBe(msk('2026-01-19T13:15:00').toISOString())
    expect(add('2026-01-19T17:00:00', 1)).toBe(msk('2026-01-19T18:00:00').toISOString())
    expect(add('2026-01-19T17:00:00', 1.5)).toBe(msk('2026-01-20T09:30:00').toISOString())
    expect(add('2026-01-19T12:00:00', 0)).toBe(msk('2026-01-19T12:00:00').toISOString())
    // a whole working week is 45 hours: Monday 09:00 + 45 h = Friday 18:00
    expect(add('2026-01-19T09:00:00', 45)).toBe(msk('2026-01-23T18:00:00').toISOString())
  })

  it('honours working weekends and does not depend on the process time zone', () => {
    const cal = { ...CAL, workingWeekends: ['2026-01-17'] }
    expect(add('2026-01-16T17:00:00', 4, cal)).toBe(msk('2026-01-17T12:00:00').toISOString())
    expect(formatLocal(msk('2026-01-19T12:05:00'), CAL)).toBe('19.01.2026 12:05 (UTC+03:00)')
  })

  it('refuses negative hours and a calendar without working time', () => {
    expect(() => addBusinessHours(new Date(), -1, CAL)).toThrow(/non-negative/)
    expect(() => addBusinessHours(new Date(), 1, { ...CAL, workingDays: [] })).toThrow(/no working days/)
  })
})

describe('businessHoursBetween', () => {
  it('counts only opening hours of working days, negative when reversed', () => {
    expect(businessHoursBetween(msk('2026-01-16T17:00:00'), msk('2026-01-19T12:00:00'), CAL)).toBe(4)
    expect(businessHoursBetween(msk('2026-01-19T12:00:00'), msk('2026-01-16T17:00:00'), CAL)).toBe(-4)
    expect(businessHoursBetween(msk('2026-02-20T17:00:00'), msk('2026-02-24T12:00:00'), CAL)).toBe(4)
    expect(businessHoursBetween(msk('2026-01-17T00:00:00'), msk('2026-01-18T23:00:00'), CAL)).toBe(0)
  })

  it('is the inverse of addBusinessHours from any start', () => {
    let start = msk('2026-01-14T06:10:00').getTime()
    for (let i = 0; i < 200; i++) {
      const hours = (i * 7) % 53 + (i % 4) / 4
      const from = new Date(start)
      const due = addBusinessHours(from, hours, CAL)
      expect(businessHoursBetween(from, due, CAL)).toBeCloseTo(hours, 6)
      start += 3_700_000 * 5
    }
  })
})

describe('rules/sla.yaml', () => {
  it('loads: Mon–Fri 09:00–18:00 at +03:00 with the 2026 holidays, and dues per severity', async () => {
    const sla = await loadSla()
    expect(sla.calendar).toMatchObject({ utcOffsetMinutes: 180, openMinute: 540, closeMinute: 1080 })
    expect(sla.calendar.holidays).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-23', '2026-03-09', '2026-05-11', '2026-06-12', '2026-11-04']))
    const dues = duesOf(sla, 'CRITICAL', msk('2026-01-16T17:00:00'))
    expect(dues.ackDueAt.toISOString()).toBe(msk('2026-01-19T12:00:00').toISOString())
    expect(dues.dueAt.getTime()).toBeGreaterThan(dues.ackDueAt.getTime())
  })

  it('refuses a broken file, naming the file and the field', () => {
    const good = `calendar: { name: X, utcOffset: "+03:00", workingDays: [mon], hours: "09:00-18:00" }
severities:
  critical: { acknowledge: 4, resolve: 16 }
  high: { acknowledge: 8, resolve: 40 }
  medium: { acknowledge: 16, resolve: 80 }
  low: { acknowledge: 40, resolve: 160 }
`
    expect(parseSla(good, 'sla.yaml').severities.LOW.resolve).toBe(160)
    expect(() => parseSla(good.replace('mon', 'monday'), 'sla.yaml')).toThrow(/^sla\.yaml: calendar\.workingDays\.0: ожидается одно из/)
    expect(() => parseSla(good.replace('09:00-18:00', '18:00-09:00'), 'sla.yaml')).toThrow(/calendar\.hours: нужны часы работы вида «HH:MM-HH:MM», открытие раньше закрытия/)
    expect(() => parseSla(good.replace('resolve: 16', 'resolve: 2'), 'sla.yaml')).toThrow(/severities\.CRITICAL\.resolve: не может быть короче, чем acknowledge/)
    expect(() => parseSla(good.replace(/ {2}low.*\n/, ''), 'x/sla.yaml')).toThrow(/^x\/sla\.yaml: severities\.LOW: обязательное поле/)
    expect(() => parseSla(good.replace('workingDays: [mon]', 'workingDays: [mon], holidays: [2026-02-30]'), 'sla.yaml')).toThrow(/calendar\.holidays\.0/)
  })
})
