// The engine's shared vocabulary: what a rule is, what a detector reports, what an audit is run against.
// Detection reports findings as data (never throws for a collision); persistence and the
// findings lifecycle live in findings.ts / audit.ts, and know nothing of how a rule detects.
import type { EntityRef, EntityType } from '../records/model.ts'

/** Upper case like every other enum; the lower-case spelling of the SPEC's rule files is read as well (parseSeverity). */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW'
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']

/** A severity in any case («high», «HIGH», «High»); null when it is none. */
export function parseSeverity(value: unknown): Severity | null {
  if (typeof value !== 'string') return null
  const upper = value.trim().toUpperCase()
  return (SEVERITIES as readonly string[]).includes(upper) ? upper as Severity : null
}

/** The spelling of the SPEC's audit report (`"severity": "high"`): lower case. */
export function reportSeverity(severity: Severity): Lowercase<Severity> {
  return severity.toLowerCase() as Lowercase<Severity>
}


/** What a detector reports: one collision. */
export interface DetectedFinding {
  ruleId: string
  /** exactly the subjects of the finding (the group, the pair or the single record), sorted by key */
  entities: EntityRef[]
  /** the rule's message template interpolated with `data` (see interpolate in catalog.ts) */
  message: string
  /** message data: what tests assert instead of prose */
  data: Record<string, string | number | null>
  /** related records and facts (not subjects): e.g. the contract an equipment sits on */
  details: Record<string, unknown>
  /** routing hints: the market and equipment type the finding belongs to, when known */
  marketCode: string | null
  equipmentTypeCode: string | null
  /**
   * Set only on a finding rebuilt from its stored row (reused detection, src/engine/reuse.ts): the stored
   * fingerprint, its entities already in canonical order — the reconcile does not hash them again
   */
  stored?: { fingerprint: string }
}

/** What an audit is run against. */
export interface AuditContext {
  /** reference date, YYYY-MM-DD */
  asOf: string
  /** limit to one market's data (a key limited to markets, or `--market`) */
  market?: string
}

/** A rule as loaded and validated from rules/, with stored overrides applied. */
export interface RuleMeta {
  id: string
  title: { ru: string; en: string }
  severity: Severity
  /** entity types the rule reads */
  reads: EntityType[]
  /** message template, e.g. «Серийный номер {serial} записан на {count} устройства» */
  message: { ru: string; en?: string }
  kind: string
  params: unknown
  enabled: boolean
  /** routing hints for the incidents issue: default support line and group */
  routing?: { line?: 1 | 2 | 3; group?: string }
  /** file the rule came from */
  source: string
}
