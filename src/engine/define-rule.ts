// The typed helper for rules written in TypeScript (rules/<id>.ts): either a built-in kind with its params
// checked against that kind's schema, or a custom `detect` with its own optional params schema.
import type { z } from 'zod'
import type { SqlClient } from '../db/database.ts'
import type { RawFinding } from './detector.ts'
import type { DETECTORS, BuiltinKind } from './detectors/registry.ts'
import type { AuditContext, RuleMeta, Severity } from './types.ts'
import type { EntityType } from '../records/model.ts'

interface RuleCommon {
  id: string
  title: { ru: string; en: string }
  /** upper case like the enum; the lower-case spelling of the SPEC's rule files is accepted too */
  severity: Severity | Lowercase<Severity>
  reads: EntityType[]
  message: { ru: string; en: string }
  routing?: { line?: 1 | 2 | 3; group?: string }
  enabled?: boolean
  description?: string
}

export type BuiltinRuleDefinition<K extends BuiltinKind> = RuleCommon & {
  kind: K
  params: z.input<(typeof DETECTORS)[K]['params']>
}

export interface CustomDetectInput<P> {
  sql: SqlClient
  ctx: AuditContext
  params: P
  rule: RuleMeta
}

export type CustomRuleDefinition<S extends z.ZodType> = RuleCommon & {
  kind?: 'custom'
  /** schema of the params (overrides are re-validated against it); none: no params */
  paramsSchema?: S
  params?: z.input<S>
  detect(input: CustomDetectInput<z.output<S>>): Promise<RawFinding[]>
}

export type RuleDefinition = BuiltinRuleDefinition<BuiltinKind> | CustomRuleDefinition<z.ZodType>

/** Marks a module's default export as a rule; the catalogue validates it like a YAML rule. */
export function defineRule<K extends BuiltinKind>(definition: BuiltinRuleDefinition<K>): BuiltinRuleDefinition<K>
export function defineRule<S extends z.ZodType>(definition: CustomRuleDefinition<S>): CustomRuleDefinition<S>
export function defineRule(definition: RuleDefinition): RuleDefinition {
  return definition
}
