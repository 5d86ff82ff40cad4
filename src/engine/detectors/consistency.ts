// Kind `consistency`: a field of one record against a related record (an equipment's contract, a contract's
// product). The database joins the pair; the conditions, over fields named `<entity>.<field>`, are evaluated in JS.
import { z } from '../../i18n/zod.ts'
import { conditionSchema, eachParamField, firstHolding, holds, pushdown, type Row } from '../conditions.ts'
import { ENTITIES, RELATIONS, entityDef, rename, selectParts, type FieldValue } from '../entities.ts'
import { defineDetector, detectedByPass, refs, type RawFinding, type Subset } from '../detector.ts'
import { ALL_AT_ONCE, streamRows } from '../sql-stream.ts'
import { anyOf, display, referencedFields, routeByContracts, rowData, unprefix } from './predicate.ts'
import type { SqlClient } from '../../db/database.ts'
import type { AuditContext, RuleMeta } from '../types.ts'
import type { EntityType } from '../../records/model.ts'
import { RULE_FILE_RU } from '../../i18n/ru-errors.ts'

export const consistencyParams = z.strictObject({
  subject: z.enum(['equipment', 'contract']),
  related: z.enum(['contract', 'address', 'product', 'customer']),
  where: z.array(conditionSchema).default([]),
  any: z.array(conditionSchema).min(1),
  data: z.array(z.string()).default([]),
}).superRefine((p, ctx) => {
  if (!RELATIONS[p.subject]?.[p.related]) {
    ctx.addIssue({ code: 'custom', path: ['related'], message: RULE_FILE_RU.noRelation(p.subject, p.related, Object.keys(RELATIONS[p.subject] ?? {})) })
    return
  }
  const check = (name: string, path: (string | number)[]) => {
    const [entity, field] = name.split('.', 2)
    const known = entity === p.subject || entity === p.related
    if (!known || field === undefined || !(field in ENTITIES[entity as EntityType]!.fields)) {
      ctx.addIssue({ code: 'custom', path, message: RULE_FILE_RU.unknownRelatedField(name, p.subject, p.related) })
    }
  }
  eachParamField(p, check)
})
export type ConsistencyParams = z.output<typeof consistencyParams>

/** Pure detection: joined rows (fields `<entity>.<field>`) in, findings out. */
export function evaluateConsistency(params: ConsistencyParams, rows: Row[], asOf: string): RawFinding[] {
  const fields = referencedFields(params.where, params.any, params.data)
  const routing = ENTITIES[params.subject]!.routing
  const out: RawFinding[] = []
  for (const row of rows) {
    if (!params.where.every((c) => holds(c, row, asOf))) continue
    const failed = firstHolding(params.any, row, asOf)
    if (!failed) continue
    const key = row[`${params.subject}.key`] as string
    const relatedKey = display(row[`${params.related}.key`])
    out.push({
      entities: refs(params.subject, [key]),
      data: rowData(row, fields, { [params.subject]: key, [params.related]: relatedKey, reason: failed.label ?? failed.field }),
      details: { [params.related]: relatedKey },
      marketCode: routing.market ? display(row[`${params.subject}.${routing.market}`]) : null,
      equipmentTypeCode: routing.equipmentType ? display(row[`${params.subject}.${routing.equipmentType}`]) : null,
    })
  }
  return out
}

export default defineDetector({
  params: consistencyParams,
  // a Subset's keys are the subject records
  subject: (params) => params.subject,
  wholeGroups: false,
  // a contract is in exactly one market; so is a device joined to its contract (one without a contract is not
  // joined, and its address's contracts may be in several markets or none)
  byMarket: (params) => params.subject === 'contract' || params.related === 'contract',
  // rules joining the same pair read the same rows: one join serves them all
  passKey: (params) => `${params.subject}>${params.related}`,
  ...detectedByPass(consistencyPass),
})

/**
 * Rules of one subject and related entity over one join: the fields any of them reads, the rows any of them may
 * report (each rule's SQL filters, ORed), every row evaluated by each rule as if it were alone.
 */
async function consistencyPass(
  sql: SqlClient, ctx: AuditContext, members: ReadonlyArray<{ rule: RuleMeta; params: ConsistencyParams }>, subset?: Subset,
): Promise<RawFinding[][]> {
  const { subject: subjectType, related: relatedType } = members[0].params
  const subject = entityDef(subjectType), related = entityDef(relatedType)
  const wanted = [...new Set(members.flatMap(({ params }) => referencedFields(params.where, params.any, params.data)))]
  const fieldsOf = (entity: string, routing: Record<string, string | undefined>) => [...new Set(['key',
    ...wanted.filter((f) => f.startsWith(`${entity}.`)).map((f) => f.slice(entity.length + 1)),
    ...Object.values(routing).filter((v): v is string => v !== undefined)])]
  const s = selectParts(subjectType, fieldsOf(subjectType, subject.routing), 's')
  const r = selectParts(relatedType, fieldsOf(relatedType, {}), 'r')
  const args: unknown[] = []
  const param = (v: unknown) => { args.push(v); return `$${args.length}` }
  const column = (name: string) => {
    const [entity, field] = name.split('.', 2)
    return entity === subjectType ? rename(subject.fields[field].sql, 's') : rename(related.fields[field].sql, 'r')
  }
  const filters = anyOf(members.map(({ params }) => pushdown(params.where, params.any, column, param, ctx.asOf)))
  if (ctx.market) filters.push(rename(subject.scope(param(ctx.market)), 's'))
  if (subset) filters.push(`${rename(subject.fields.key.sql, 's')} = ANY(${param(subset.keys)}::text[])`)
  const fk = RELATIONS[subjectType]![relatedType]!
  const text = `SELECT ${[...s.columns, ...r.columns].join(', ')}
    FROM ${subject.table} s ${s.joins.join(' ')}
    JOIN ${related.table} r ON r.id = s."${fk}" ${r.joins.join(' ')}
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}`
  const out: RawFinding[][] = members.map(() => [])
  await streamRows<Record<string, FieldValue>>(sql, text, args, (rows) => {
    const joined = rows.map((row) => ({ ...unprefix(row, 's.', `${subjectType}.`), ...unprefix(row, 'r.', `${relatedType}.`) }))
    members.forEach(({ params }, i) => out[i].push(...evaluateConsistency(params, joined, ctx.asOf)))
  }, subset ? ALL_AT_ONCE : undefined)
  for (const found of out) await routeByContracts(sql, subjectType, found)
  return out
}
