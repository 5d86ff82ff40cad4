// The SLA in force (rules/sla.yaml): how many business hours a finding of each severity has to be
// acknowledged and resolved, and the business calendar those hours are counted in.
import { resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { z } from '../i18n/zod.ts'
import { DEFAULT_RULES_DIR } from '../engine/catalog.ts'
import { formatIssues } from '../engine/rule-schema.ts'
import { SEVERITIES, type Severity } from '../engine/types.ts'
import { InputError } from '../errors.ts'
import { fileLoader } from './config-file.ts'
import { addBusinessHours, WEEKDAYS, type BusinessCalendar } from './calendar.ts'
import { CONFIG_RU } from '../i18n/ru-errors.ts'

export const DEFAULT_SLA_FILE = resolve(DEFAULT_RULES_DIR, 'sla.yaml')

export interface SeverityDue { acknowledge: number; resolve: number }

export interface SlaConfig {
  file: string
  calendar: BusinessCalendar
  /** business hours to acknowledge and to resolve, per severity */
  severities: Record<Severity, SeverityDue>
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: CONFIG_RU.date })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: CONFIG_RU.notCalendarDate })
const hoursOf = z.number().positive({ message: CONFIG_RU.hoursPositive }).max(10_000)
const clock = /^([01]\d|2[0-4]):([0-5]\d)$/

const slaSchema = z.strictObject({
  calendar: z.strictObject({
    name: z.string().trim().min(1),
    utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { message: CONFIG_RU.utcOffset('+03:00') }),
    workingDays: z.array(z.enum(WEEKDAYS)).min(1),
    hours: z.string().refine((h) => {
      const [from, to] = h.split('-')
      return clock.test(from ?? '') && clock.test(to ?? '') && minutesOf(from) < minutesOf(to) && minutesOf(to) <= 24 * 60
    }, { message: CONFIG_RU.openingHours('HH:MM-HH:MM') }),
    holidays: z.array(isoDate).default([]),
    workingWeekends: z.array(isoDate).default([]),
  }),
  // keys as the SPEC spells severities («high») or as the enum («HIGH»)
  severities: z.preprocess((v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).map(([k, d]) => [k.toUpperCase(), d])) : v, z.strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, z.strictObject({ acknowledge: hoursOf, resolve: hoursOf })])) as
    Record<Severity, z.ZodObject<{ acknowledge: typeof hoursOf; resolve: typeof hoursOf }>>)),
}).superRefine((c, ctx) => {
  for (const s of SEVERITIES) {
    const d = c.severities[s]
    if (d && d.resolve < d.acknowledge) ctx.addIssue({ code: 'custom', path: ['severities', s, 'resolve'], message: CONFIG_RU.resolveShorter('acknowledge') })
  }
})

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return h * 60 + m
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1
  return sign * minutesOf(offset.slice(1))
}

/** Parses and validates an SLA document; errors name the file and the field. */
export function parseSla(text: string, file: string): SlaConfig {
  const doc = parseDocument(text)
  if (doc.errors.length) throw new InputError(`${file}: ${doc.errors[0].message}`)
  const parsed = slaSchema.safeParse(doc.toJS())
  if (!parsed.success) throw new InputError(`${file}: ${formatIssues(parsed.error.issues).join('; ')}`)
  const c = parsed.data
  const [from, to] = c.calendar.hours.split('-') as [string, string]
  return {
    file,
    calendar: {
      name: c.calendar.name, utcOffsetMinutes: offsetMinutes(c.calendar.utcOffset), workingDays: c.calendar.workingDays,
      openMinute: minutesOf(from), closeMinute: minutesOf(to), holidays: c.calendar.holidays, workingWeekends: c.calendar.workingWeekends,
    },
    severities: c.severities,
  }
}

const readConfig = fileLoader('SLA', parseSla)

/** The SLA of `file` (default rules/sla.yaml), read again only when the file changes. */
export function loadSla(file: string = DEFAULT_SLA_FILE): Promise<SlaConfig> {
  return readConfig(file)
}

/** Acknowledge-by and resolve-by of a finding of `severity` raised at `start`. */
export function duesOf(sla: SlaConfig, severity: Severity, start: Date): { ackDueAt: Date; dueAt: Date } {
  const d = sla.severities[severity]
  return { ackDueAt: addBusinessHours(start, d.acknowledge, sla.calendar), dueAt: addBusinessHours(start, d.resolve, sla.calendar) }
}
