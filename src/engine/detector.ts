// What a detector kind is (a params schema, a detection over the database, and what an incremental re-check
// needs to know of it) and the small helpers the kinds share for building findings. The runner (detect.ts) adds rule id and message.
import type { z } from 'zod'
import type { SqlClient } from '../db/database.ts'
import type { AuditContext, DetectedFinding, RuleMeta } from './types.ts'
import type { EntityRef, EntityType } from '../records/model.ts'

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
 * finding of the listed groups) exactly as a full run would — the pure parts stay the same. What `keys`
 * and `groups` hold is the kind's to say: see `subject` and `expand` on Detector.
 */
export interface Subset {
  keys: readonly string[]
  groups?: readonly string[]
}

/** An open (or waived) finding naming a changed record: what the record was part of when last checked. */
export interface StoredHint { ruleId: string; entities: EntityRef[]; details: Record<string, unknown> }

/** What a kind's `expand` is given to widen one rule's part of a re-check plan. */
export interface PlanExpansion<P> {
  sql: SqlClient
  params: P
  /** the rule's subjects planned so far (the touched ones, those its stored findings name, the plan taken before the edit); expand adds to them */
  keys: Set<string>
  /** the rule's groups planned so far (from the plan taken before the edit); expand adds to them */
  groups: Set<string>
  /** stored findings of THIS rule naming a touched record */
  ruleHints: readonly StoredHint[]
  /** stored findings of ANY rule naming a touched record (a device's names the contract it sat on) */
  hints: readonly StoredHint[]
  /** contracts the touched devices sit on now */
  contractsOfDevices: readonly string[]
  /** past this many keys or groups the rule is run whole: a lookup may stop once past it */
  cap: number
}

export interface Detector<S extends z.ZodType = z.ZodType> {
  /** zod schema of the rule's `params` */
  params: S
  detect(run: DetectorRun<z.output<S>>): Promise<RawFinding[]>
  /** The entity the rule's findings name: the type of a Subset's `keys`. */
  subject(params: z.output<S>): EntityType
  /**
   * Detection sees whole groups (a Subset's `groups`, or keys closed over their groups): a stored finding
   * naming any member of a group it detected is in the re-check's scope, not only those naming a key.
   */
  wholeGroups: boolean
  /**
   * Widens a re-check's plan beyond the touched subjects and this rule's stored findings: the groups they
   * are in, or the subjects a change reaches through other records. Only asked when the rule is not run
   * whole; the lookups of several rules may run side by side (or one by one inside a transaction).
   */
  expand?(plan: PlanExpansion<z.output<S>>): Promise<void>
  /**
   * Whether the rule may be detected one market at a time (an audit spread over workers, src/engine/parts.ts): a run
   * with `ctx.market` then reports exactly the whole rule's findings that belong to that market, and every finding of
   * the whole rule belongs to exactly one market — so the markets' findings together are the rule's. Absent: false.
   */
  byMarket?(params: z.output<S>): boolean
  /**
   * Rules of this kind that read the same rows give the same key: a whole run detects them in one pass
   * (`detectTogether`), one statement whose rows each rule evaluates exactly as its own detection would. Absent, or
   * null for some params: the rule is always detected alone.
   */
  passKey?(params: z.output<S>): string | null
  /** The rules of one pass key (≥ 1) detected together: each rule's findings, in the order of `members`. */
  detectTogether?(run: PassRun<z.output<S>>): Promise<RawFinding[][]>
}

/** What a pass of several rules is given: their parsed params in a fixed order; never a subset (whole runs only). */
export interface PassRun<P> {
  sql: SqlClient
  ctx: AuditContext
  members: ReadonlyArray<{ rule: RuleMeta; params: P }>
}

/** A built-in detector with one rule's params bound: what the engine asks of a rule without knowing its kind. */
export interface BoundDetector {
  detect(run: Omit<DetectorRun<unknown>, 'params'>): Promise<RawFinding[]>
  subject: EntityType
  wholeGroups: boolean
  expand?(plan: Omit<PlanExpansion<unknown>, 'params'>): Promise<void>
  byMarket: boolean
  /** the kind and the rule's pass key: rules with equal ones are detected in one pass (`detectTogether`); null: alone */
  passKey: string | null
  /** the rule's params as its kind's schema parsed them */
  params: unknown
}

/** Parses `params` by the detector's schema (defaults filled in) and binds them to its methods. */
export function bindDetector<S extends z.ZodType>(detector: Detector<S>, params: unknown): BoundDetector {
  const parsed = detector.params.parse(params ?? {})
  return {
    detect: (run) => detector.detect({ ...run, params: parsed }),
    subject: detector.subject(parsed),
    wholeGroups: detector.wholeGroups,
    byMarket: detector.byMarket?.(parsed) ?? false,
    passKey: detector.detectTogether ? detector.passKey?.(parsed) ?? null : null,
    params: parsed,
    ...(detector.expand ? { expand: (plan: Omit<PlanExpansion<unknown>, 'params'>) => detector.expand!({ ...plan, params: parsed }) } : {}),
  }
}

/** How a kind detects a set of its rules in one pass (any number, ≥ 1), limited to `subset` when given. */
export type Pass<P> = (sql: SqlClient, ctx: AuditContext, members: PassRun<P>['members'], subset?: Subset) => Promise<RawFinding[][]>

/** `detect` and `detectTogether` of a kind whose one rule is a pass of one. */
export function detectedByPass<P>(pass: Pass<P>): Pick<Detector<z.ZodType<P>>, 'detect' | 'detectTogether'> {
  return {
    detect: async ({ sql, ctx, params, rule, subset }) => (await pass(sql, ctx, [{ rule, params }], subset))[0],
    detectTogether: ({ sql, ctx, members }) => pass(sql, ctx, members),
  }
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
