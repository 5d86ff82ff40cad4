// The built-in detector kinds, one explicit entry each: a rule file's `kind` names one of these.
import { bindDetector, type BoundDetector, type Detector } from '../detector.ts'
import type { RuleMeta } from '../types.ts'
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
