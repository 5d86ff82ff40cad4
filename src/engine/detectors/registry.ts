// The built-in detector kinds, one explicit entry each: a rule file's `kind` names one of these.
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
