// The built-in detector kinds, one explicit entry each: a rule file's `kind` names one of these.
import { bindDetector, type BoundDetector, type Detector, type RawFinding } from '../detector.ts'
import type { SqlClient } from '../../db/database.ts'
import type { AuditContext, RuleMeta } from '../types.ts'
import consistency from './consistency.ts'
import fuzzyDuplicate from './fuzzy-duplicate.ts'
import overlap from './overlap.ts'
import predicate from './predicate.ts'
import requiredRelation from './required-relation.ts'
import unique from './unique.ts'

export const DETECTORS = {
  unique,
  overlap,
  consistency,
  'required-relation': requiredRelation,
  predicate,
  'fuzzy-duplicate': fuzzyDuplicate,
} as const

export type BuiltinKind = keyof typeof DETECTORS

/** Kind of a TypeScript rule that brings its own `detect`. */
export const CUSTOM_KIND = 'custom'

export function isBuiltinKind(kind: string): kind is BuiltinKind {
  return Object.hasOwn(DETECTORS, kind)
}

/**
 * The built-in detector of a rule with the rule's params bound (parsed by its kind's schema); null for a rule
 * that brings its own detect (custom) or names no known kind.
 */
export function builtinDetector(rule: Pick<RuleMeta, 'kind' | 'params'>): BoundDetector | null {
  if (!isBuiltinKind(rule.kind)) return null
  // a catalogue's rules are kept between re-checks: their params are parsed once, not at every plan
  let bound = BOUND.get(rule)
  if (!bound) {
    // each entry is typed by its own params; bound here, the params it is called with are the ones its schema parsed
    const detector: Detector = DETECTORS[rule.kind]
    bound = bindDetector(detector, rule.params)
    BOUND.set(rule, bound)
  }
  return bound
}

const BOUND = new WeakMap<object, BoundDetector>()

/**
 * The rules that a whole run detects in one pass each: groups of ≥ 2 enabled built-in rules of one kind with one
 * pass key (detector.ts), in the order given. The rules not in a group are detected alone.
 */
export function passesOf(rules: readonly RuleMeta[]): RuleMeta[][] {
  const groups = new Map<string, RuleMeta[]>()
  for (const rule of rules) {
    const key = builtinDetector(rule)?.passKey
    if (key == null) continue
    const id = `${rule.kind}\u0000${key}`
    const group = groups.get(id)
    if (group) group.push(rule)
    else groups.set(id, [rule])
  }
  return [...groups.values()].filter((g) => g.length > 1)
}

/** One pass over the rows the rules share (one kind, one pass key): each rule's findings, in the order of `rules`. */
export function detectInOnePass(sql: SqlClient, ctx: AuditContext, rules: readonly RuleMeta[]): Promise<RawFinding[][]> {
  const kind = rules[0].kind
  if (!isBuiltinKind(kind)) throw new Error(`unknown kind ${kind}`)
  const detector: Detector = DETECTORS[kind]
  const key = builtinDetector(rules[0])!.passKey
  const members = rules.map((rule) => {
    const bound = builtinDetector(rule)!
    if (rule.kind !== kind || key == null || bound.passKey !== key) {
      throw new Error(`rule ${rule.id} does not share a pass with ${rules[0].id}`)
    }
    return { rule, params: bound.params }
  })
  return detector.detectTogether!({ sql, ctx, members })
}
