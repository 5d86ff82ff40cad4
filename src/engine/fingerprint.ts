// A finding's identity across runs: the rule and the entities involved, independent of their order.
import { createHash } from 'node:crypto'
import type { EntityRef } from '../records/model.ts'

/** Entities in their canonical order (type, then key), without repeats. */
export function canonicalEntities(entities: readonly EntityRef[]): EntityRef[] {
  const seen = new Set<string>()
  const unique: EntityRef[] = []
  for (const e of entities) {
    const id = `${e.type}\u0000${e.key}`
    if (seen.has(id)) continue
    seen.add(id)
    unique.push({ type: e.type, key: e.key })
  }
  return unique.sort((a, b) => (a.type === b.type ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.type < b.type ? -1 : 1))
}

/**
 * 32 hex digits (128 bits) of SHA-256 over the rule id and the canonical entities. Message,
 * severity and details are left out on purpose: rewording a rule must not make every finding new.
 */
export function fingerprint(ruleId: string, entities: readonly EntityRef[]): string {
  return fingerprintOfCanonical(ruleId, canonicalEntities(entities))
}

/** fingerprint() of entities already in canonical order (canonicalEntities). */
export function fingerprintOfCanonical(ruleId: string, canonical: readonly EntityRef[]): string {
  const hash = createHash('sha256').update(ruleId)
  // separators that cannot occur in a business key keep ('a,b') and ('a','b') apart
  for (const e of canonical) hash.update(`\u0000${e.type}\u0001${e.key}`)
  return hash.digest('hex').slice(0, 32)
}
