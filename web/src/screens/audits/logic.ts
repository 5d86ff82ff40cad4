// Pure logic of «Аудиты и правила» (no DOM; test/web/audits.test.ts runs it in Node): the tab ↔ path, run
// words and counts in Russian, durations, server problems by field, and the parameter drafts of a rule.
import { count, type Forms } from '../../format.ts'

export type AuditsView =
  | { tab: 'runs' }
  | { tab: 'run'; id: string }
  | { tab: 'schedules' }
  | { tab: 'rules' }

/** /audits → runs, /audits/runs/42 → run 42, /audits/schedules, /audits/rules; anything else: null. */
export function viewOfPath(path: string): AuditsView | null {
  const rest = path.replace(/\/+$/, '').replace(/^\/audits/, '')
  if (rest === '' || rest === '/runs') return { tab: 'runs' }
  if (rest === '/schedules') return { tab: 'schedules' }
  if (rest === '/rules') return { tab: 'rules' }
  const run = /^\/runs\/([^/]+)$/.exec(rest)
  return run ? { tab: 'run', id: decodeURIComponent(run[1]) } : null
}

export function pathOfView(view: AuditsView): string {
  switch (view.tab) {
    case 'runs': return '/audits'
    case 'run': return `/audits/runs/${encodeURIComponent(view.id)}`
    case 'schedules': return '/audits/schedules'
    case 'rules': return '/audits/rules'
  }
}

/** A run's id as people read it: the first 8 characters of its UUID (the link holds the whole). */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-/i.test(id) ? id.slice(0, 8) : id
}

/** Who did it, as the server records it («key:1:первый запуск») → «ключ «первый запуск»»; anything else as is. */
export function actorText(actor: string): string {
  const key = /^key:\d+:(.*)$/.exec(actor)
  return key ? `ключ «${key[1]}»` : actor
}

export const RUN_STATUS_WORD: Record<string, string> = { QUEUED: 'в очереди', RUNNING: 'идёт', SUCCEEDED: 'завершён', FAILED: 'сбой' }
export const TRIGGER_WORD: Record<string, string> = { API: 'вручную', CLI: 'командой sverka', INCREMENTAL: 'после правки записи', SCHEDULE: 'по расписанию' }

/** The phases of a run's timings, in Russian (a phase not named here is shown as the server names it). */
export const PHASE_WORD: Record<string, string> = {
  total: 'всего', catalog: 'загрузка правил', detection: 'поиск расхождений', reconcile: 'сверка с прежними находками',
  routing: 'маршрутизация', report: 'отчёт', rules: 'правило',
}

export const NEW: Forms = ['новая', 'новые', 'новых']
export const OPEN: Forms = ['открытая', 'открытые', 'открытых']
export const RESOLVED: Forms = ['решённая', 'решённые', 'решённых']
export const REOPENED: Forms = ['открытая снова', 'открытые снова', 'открытых снова']
/** after «из»: из 1 правила, из 3 правил, из 14 правил */
export const RULES_OF: Forms = ['правила', 'правил', 'правил']

export interface Counts { new: number; open: number; resolved: number; reopened: number }

/** «3 новые, 12 открытых, 2 решённые, 1 открытая снова». */
export function countsText(c: Counts): string {
  return [count(c.new, NEW), count(c.open, OPEN), count(c.resolved, RESOLVED), count(c.reopened, REOPENED)].join(', ')
}

/** How long a run took (or takes so far): «0,4 с», «12 с», «3 мин 5 с», «1 ч 2 мин». */
export function durationText(startedAt: string, finishedAt: string | null | undefined, now: Date = new Date()): string {
  const ms = Math.max(0, (finishedAt ? new Date(finishedAt) : now).getTime() - new Date(startedAt).getTime())
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toLocaleString('ru-RU')} с`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} с`
  if (s < 3600) return `${Math.floor(s / 60)} мин${s % 60 ? ` ${s % 60} с` : ''}`
  return `${Math.floor(s / 3600)} ч${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} мин` : ''}`
}

/** «проверено 3 из 14 правил», or «готовится» before the total is known. */
export function progressText(done: number, total: number): string {
  return total > 0 ? `проверено ${done} из ${count(total, RULES_OF)}` : 'готовится'
}

export interface Problem { field?: string | null; message: string }

/**
 * The server's problems by the form's field: `input.cron` and `cron` both go to `cron`; those naming no field
 * of the form go to '' (said above the buttons).
 */
export function problemsByField(problems: readonly Problem[], fields: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const p of problems) {
    // a refusal without a field may still name one in its text («…: params.streetEdits: …»)
    const path = (p.field ?? /(?:^|\s)(params\.[\w.]+):/.exec(p.message)?.[1] ?? '').replace(/^input\./, '')
    const field = fields.find((f) => path === f || path.startsWith(`${f}.`)) ?? ''
    ;(out[field] ??= []).push(p.message)
  }
  return out
}

/** A value as the parameter box shows it: text as is, anything else as JSON. */
export function paramDraft(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The parameter boxes back to values, each of its original type: a number stays a number, true/false a
 * boolean, a list or object JSON. Errors by parameter name, in Russian.
 */
export function parseParams(original: Record<string, unknown>, drafts: Record<string, string>): { params: Record<string, unknown> } | { errors: Record<string, string> } {
  const params: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const [name, was] of Object.entries(original)) {
    const text = (drafts[name] ?? paramDraft(was)).trim()
    if (typeof was === 'string') { params[name] = text; continue }
    if (typeof was === 'number') {
      const n = Number(text.replace(',', '.'))
      if (text === '' || !Number.isFinite(n)) errors[name] = 'Нужно число.'
      else params[name] = n
      continue
    }
    if (typeof was === 'boolean') {
      if (text === 'true' || text === 'false') params[name] = text === 'true'
      else errors[name] = 'Нужно true или false.'
      continue
    }
    try {
      const value: unknown = JSON.parse(text)
      if (Array.isArray(was) !== Array.isArray(value) || typeof value !== 'object' || value === null) {
        errors[name] = Array.isArray(was) ? 'Нужен список в JSON: [ … ].' : 'Нужен объект в JSON: { … }.'
      } else params[name] = value
    } catch {
      errors[name] = `Это не JSON: ${Array.isArray(was) ? 'список [ … ]' : 'объект { … }'}.`
    }
  }
  return Object.keys(errors).length ? { errors } : { params }
}

/** Recipients as typed (commas, semicolons, spaces or lines between them) → the list. */
export function splitRecipients(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean)
}
