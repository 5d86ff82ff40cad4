// Kind `predicate`: one record at a time — completeness, format and period checks on one entity.
// A finding for each record that passes every `where` condition and fails at least one of `any`.
// Simple `where` filters go down to SQL; the conditions themselves are evaluated in JS.
import { z } from '../../i18n/zod.ts'
import { conditionFields, conditionSchema, eachParamField, firstHolding, holds, pushdown, type Condition, type Row } from '../conditions.ts'
import { ENTITIES, entityDef, rename, selectParts, type FieldValue } from '../entities.ts'
import { defineDetector, detectedByPass, marketsOf, refs, type RawFinding, type Subset } from '../detector.ts'
import type { SqlClient } from '../../db/database.ts'
import type { AuditContext, RuleMeta } from '../types.ts'
import { ALL_AT_ONCE, streamRows } from '../sql-stream.ts'
import type { EntityType } from '../../records/model.ts'
import { RULE_FILE_RU } from '../../i18n/ru-errors.ts'

/** The entities the engine has fields of. */
const ENTITY = z.enum(Object.keys(ENTITIES) as [EntityType, ...EntityType[]])

export const predicateParams = z.strictObject({
  entity: ENTITY,
  /** the records the rule is about, e.g. status INSTALLED */
  where: z.array(conditionSchema).default([]),
  /** a finding when any of these holds; the first that holds gives `reason` (its label) */
  any: z.array(conditionSchema).min(1),
  /** further fields to put in the message data */
  data: z.array(z.string()).default([]),
}).superRefine((p, ctx) => {
  const fields = ENTITIES[p.entity]!.fields
  const check = (name: string, path: (string | number)[]) => {
    if (!(name in fields)) ctx.addIssue({ code: 'custom', path, message: RULE_FILE_RU.unknownField(name, p.entity, Object.keys(fields)) })
  }
  eachParamField(p, check)
})
export type PredicateParams = z.output<typeof predicateParams>

/** Message data from a row: subject key under the entity's name, the reason, the fields read. */
export function rowData(row: Row, fields: string[], extra: Record<string, string | null>): Record<string, string | null> {
  const data: Record<string, string | null> = { ...extra }
  for (const f of fields) data[f] = display(row[f])
  return data
}

export function display(v: FieldValue | undefined): string | null {
  if (v === undefined || v === null) return null
  return Array.isArray(v) ? v.join(', ') : v
}

export function referencedFields(where: Condition[], any: Condition[], data: string[]): string[] {
  return [...new Set([...where, ...any].flatMap(conditionFields).concat(data))]
}

/** Pure detection: rows (field name → value, `key` the business key) in, findings out. */
export function evaluatePredicate(params: PredicateParams, rows: Row[], asOf: string): RawFinding[] {
  const fields = referencedFields(params.where, params.any, params.data)
  const routing = ENTITIES[params.entity]!.routing
  const out: RawFinding[] = []
  for (const row of rows) {
    if (!params.where.every((c) => holds(c, row, asOf))) continue
    const failed = firstHolding(params.any, row, asOf)
    if (!failed) continue
    const key = row.key as string
    out.push({
      entities: refs(params.entity, [key]),
      data: rowData(row, fields, { [params.entity]: key, reason: failed.label ?? failed.field }),
      details: {},
      marketCode: routing.market ? display(row[routing.market]) : null,
      equipmentTypeCode: routing.equipmentType ? display(row[routing.equipmentType]) : null,
    })
  }
  return out
}

export default defineDetector({
  params: predicateParams,
  // a Subset's keys are the subject records
  subject: (params) => params.entity,
  wholeGroups: false,
  // only a contract is in exactly one market: devices without a contract, addresses and customers may be in several or none
  byMarket: (params) => params.entity === 'contract',
  // rules on the same entity read the same rows: one scan serves them all
  passKey: (params) => params.entity,
  ...detectedByPass(predicatePass),
})

/**
 * Rules on one entity over one scan: the fields any of them reads, the rows any of them may report (each rule's
 * SQL filters, ORed), every row evaluated by each rule as if it were alone.
 */
async function predicatePass(
  sql: SqlClient, ctx: AuditContext, members: ReadonlyArray<{ rule: RuleMeta; params: PredicateParams }>, subset?: Subset,
): Promise<RawFinding[][]> {
  const entity = members[0].params.entity
  const def = entityDef(entity)
  const fields = ['key', ...members.flatMap(({ params }) => referencedFields(params.where, params.any, params.data)), ...Object.values(def.routing)]
  const unique = [...new Set(fields)]
  const { columns, joins } = selectParts(entity, unique, 'a')
  const args: unknown[] = []
  const param = (v: unknown) => { args.push(v); return `$${args.length}` }
  const filters = anyOf(members.map(({ params }) => pushdown(params.where, params.any, (f) => rename(def.fields[f].sql, 'a'), param, ctx.asOf)))
  if (ctx.market) filters.push(rename(def.scope(param(ctx.market)), 'a'))
  if (subset) filters.push(`${rename(def.fields.key.sql, 'a')} = ANY(${param(subset.keys)}::text[])`)
  const text = `SELECT ${columns.join(', ')} FROM ${def.table} a ${joins.join(' ')}
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}`
  const out: RawFinding[][] = members.map(() => [])
  await streamRows<Record<string, FieldValue>>(sql, text, args, (rows) => {
    const plain = rows.map((r) => unprefix(r, 'a.'))
    members.forEach(({ params }, i) => out[i].push(...evaluatePredicate(params, plain, ctx.asOf)))
  }, subset ? ALL_AT_ONCE : undefined)
  for (const found of out) await routeByContracts(sql, entity, found)
  return out
}

/**
 * The SQL filters of rules detected in one pass (each rule's list ANDed): the rows any of them may report. One rule
 * keeps its own list; a rule with no filter reads every row, and so does the pass.
 */
export function anyOf(perRule: string[][]): string[] {
  if (perRule.length === 1) return perRule[0]
  if (perRule.some((f) => f.length === 0)) return []
  return [`(${perRule.map((f) => `(${f.join(' AND ')})`).join(' OR ')})`]
}

export function unprefix(r: Record<string, FieldValue>, prefix: string, as = ''): Row {
  const row: Row = {}
  for (const [k, v] of Object.entries(r)) if (k.startsWith(prefix)) row[as + k.slice(prefix.length)] = v
  return row
}

/** Addresses and customers have no market of their own: the one of their contracts, when unique. */
export async function routeByContracts(sql: Parameters<typeof marketsOf>[0], entity: EntityType, findings: RawFinding[]) {
  if (entity !== 'address' && entity !== 'customer') return
  const markets = await marketsOf(sql, entity, findings.flatMap((f) => f.entities.map((e) => e.key)))
  for (const f of findings) {
    // a record without contracts says nothing about the market; records in different markets leave it open
    const known = [...new Set(f.entities.map((e) => markets.get(e.key) ?? null).filter((v) => v !== null))]
    f.marketCode = known.length === 1 ? known[0] : null
  }
}
