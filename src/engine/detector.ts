// What a detector kind is (a params schema and a detection over the database) and the small helpers
// the kinds share for building findings. The runner (detect.ts) adds rule id and message.
import type { z } from 'zod'
import type { SqlClient } from '../db/database.ts'
import type { AuditContext, DetectedFinding, EntityRef, EntityType, RuleMeta } from './types.ts'

/** A finding as a detector reports it; detect.ts adds the rule id and the interpolated message. */
export type RawFinding = Omit<DetectedFinding, 'ruleId' | 'message'>

export interface DetectorRun<P> {
  sql: SqlClient
  ctx: AuditContext
  params: P
  rule: RuleMeta
  /** limits the detection to some subjects (incremental re-check); absent: the whole data */
  subset?: Subset
}

/**
 * The part of the data an incremental re-check asks about. Each kind turns it into a SQL filter and must
 * then report every finding of the rule that names one of `keys` (and, for the grouping kinds, every
 * finding of the listed groups) exactly as a full run would — the pure parts stay the same.
 * - unique: `groups` are normalised values (serialNorm / macNorm): those groups whole
 * - overlap: `keys` are contracts: their address+product groups, and only the pairs naming one of them
 * - predicate, consistency, required-relation: `keys` are the subject records
 * - fuzzy-duplicate address: `groups` are blocks (addressBlock, or normalized without street edits)
 * - fuzzy-duplicate customer: `keys` are customers: their INN and phone blocks (the caller closes the set over blocks)
 */
export interface Subset {
  keys: readonly string[]
  groups?: readonly string[]
}

export interface Detector<S extends z.ZodType = z.ZodType> {
  /** zod schema of the rule's `params` */
  params: S
  detect(run: DetectorRun<z.output<S>>): Promise<RawFinding[]>
}

export function defineDetector<S extends z.ZodType>(detector: Detector<S>): Detector<S> {
  return detector
}

/** Entity refs of one type, sorted by key (the order findings name their subjects in). */
export function refs(type: EntityType, keys: Iterable<string>): EntityRef[] {
  return [...new Set(keys)].sort(compareKeys).map((key) => ({ type, key }))
}

/** Plain code-point order, the same on every machine and locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The one value all give, or null when they differ or none is known. */
export function commonValue(values: Array<string | null | undefined>): string | null {
  let found: string | null = null
  for (const v of values) {
    if (v == null) return null
    if (found === null) found = v
    else if (found !== v) return null
  }
  return found
}

/**
 * The market of each address or customer: the market of its contracts when they are all in one,
 * else null. Asked only for the subjects of findings, so it stays small.
 */
export async function marketsOf(sql: SqlClient, type: 'address' | 'customer', keys: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>()
  if (keys.length === 0) return out
  const fk = type === 'address' ? '"addressId"' : '"customerId"'
  const { rows } = await sql.query<{ key: string; market: string | null }>(
    `SELECT x.code AS key, CASE WHEN count(DISTINCT c."marketId") = 1 THEN min(m.code) END AS market
       FROM ${type} x LEFT JOIN contract c ON c.${fk} = x.id LEFT JOIN market m ON m.id = c."marketId"
      WHERE x.code = ANY($1::text[]) GROUP BY x.code`, [keys])
  for (const r of rows) out.set(r.key, r.market)
  return out
}
