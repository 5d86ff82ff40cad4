// Master-data writes: createX(input), updateX(key, input), deleteX(key) for the seven record types, and
// checkConflicts(input) — the same check without storing. Thin: the input is checked (zod) and translated to
// import columns, then src/masterdata/write.ts validates, scopes, writes and re-checks. Failures the caller can
// correct come back as ValidationFailed / NotFound / Conflict results; each success carries the findings the
// write caused and resolved.
import { GraphQLError } from 'graphql'
import { z } from '../../i18n/zod.ts'
import type { ReportFinding } from '../../engine/findings.ts'
import { CANDIDATE_TYPES } from '../../engine/incremental.ts'
import { columnsOf, RECORDS, recordSpec, type ColumnSpec, type EntityRef, type EntityType, type RecordSpec } from '../../records/model.ts'
import { ForbiddenError, InputError, ValidationFailed, type FieldProblem } from '../../errors.ts'
import { CELL_RU, RECORD_RU } from '../../i18n/ru-records.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'
import { checkRecordConflicts, createRecord, deleteRecord, updateRecord, type CandidateFinding, type RecordValues, type WriteResult } from '../../masterdata/write.ts'
import { readableText } from '../batch.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'
import { ContractStatusEnum } from './contract.ts'
import { CustomerKindEnum } from './customer.ts'
import { EntityRefType } from './entity.ts'
import { EquipmentStatusEnum } from './equipment.ts'
import { ProductKindEnum, ProductStatusEnum } from './product.ts'

// ─── the fields of each record, as GraphQL names them and as the import format does (read off src/records/) ───

type FieldKind = 'key' | 'text' | 'date' | 'list' | { enum: (typeof ENUMS)[keyof typeof ENUMS] }

interface FieldDef {
  /** GraphQL input field */
  name: string
  /** import-format column */
  column: string
  kind: FieldKind
  /** required when creating (the import's required columns) */
  required?: boolean
  /** longest text accepted */
  max?: number
  description?: string
}

interface EntityDef {
  type: EntityType
  /** GraphQL type name, e.g. Address */
  typeName: RecordSpec['typeName']
  /** payload field holding the record */
  field: string
  /** the key field first */
  fields: FieldDef[]
}

/** The GraphQL enum of each enum cell of the record model, by its name. */
const ENUMS = {
  ProductKind: ProductKindEnum, ProductStatus: ProductStatusEnum, CustomerKind: CustomerKindEnum,
  ContractStatus: ContractStatusEnum, EquipmentStatus: EquipmentStatusEnum,
} as const

function fieldKind(column: ColumnSpec, isKey: boolean): FieldKind {
  if (isKey) return 'key'
  switch (column.cell.kind) {
    case 'date': return 'date'
    case 'refList': return 'list'
    case 'enum': {
      const graphqlEnum = ENUMS[column.cell.name as keyof typeof ENUMS]
      if (!graphqlEnum) throw new Error(`no GraphQL enum for ${column.cell.name}`)
      return { enum: graphqlEnum }
    }
    default: return 'text'
  }
}

const ENTITIES: EntityDef[] = RECORDS.map((spec) => ({
  type: spec.entity,
  typeName: spec.typeName,
  field: spec.entity,
  fields: columnsOf(spec).map((c, i) => ({
    name: c.field, column: c.csv, kind: fieldKind(c, i === 0), required: c.required, max: c.max, description: c.description,
  })),
}))

const DEF = new Map(ENTITIES.map((d) => [d.type, d]))

const KEY_MAX = recordSpec('market').key.max!

// ─── inputs ───

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the field builder of an input type, generic over its fields
function inputField(t: any, f: FieldDef, create: boolean) {
  const required = create && f.required === true
  const options = { required, description: f.description }
  if (f.kind === 'key' || f.kind === 'text') return t.string(options)
  if (f.kind === 'date') return t.field({ type: 'Date', ...options })
  if (f.kind === 'list') return t.stringList(options)
  return t.field({ type: f.kind.enum, ...options })
}

function inputsOf(d: EntityDef) {
  const create = builder.inputType(`Create${d.typeName}Input`, {
    description: `A new ${d.typeName}: the columns of the import format (references by business key)`,
    fields: (t) => Object.fromEntries(d.fields.map((f) => [f.name, inputField(t, f, true)])),
  })
  const update = builder.inputType(`Update${d.typeName}Input`, {
    description: `Changes to a ${d.typeName}: only the fields given change; null clears an optional one`,
    fields: (t) => Object.fromEntries(d.fields.slice(1).map((f) => [f.name, inputField(t, f, false)])),
  })
  return { create, update }
}

const INPUTS = new Map(ENTITIES.map((d) => [d.type, inputsOf(d)]))

const noNul = (s: string) => !s.includes('\u0000')

/** How many values a list field (a product's markets) takes. */
const LIST_MAX = 100

/** A key or a reference: trimmed, not empty, at most `max` characters, no NUL; each problem in Russian. */
const keyText = (max: number) =>
  z.string().trim().min(1, PROBLEM_RU.empty).max(max, PROBLEM_RU.tooLong(max)).refine(noNul, CELL_RU.nul)

/** zod for an input: lengths, non-empty keys and references, no NUL characters (the import's own checks follow in the service). */
function schemaOf(d: EntityDef, create: boolean) {
  const shape: Record<string, z.ZodType> = {}
  for (const f of create ? d.fields : d.fields.slice(1)) {
    let s: z.ZodType
    if (f.kind === 'key') s = keyText(f.max!)
    else if (f.kind === 'text') s = z.string().max(f.max!, PROBLEM_RU.tooLong(f.max!)).refine(noNul, CELL_RU.nul)
    else if (f.kind === 'list') s = z.array(keyText(f.max!)).max(LIST_MAX, RECORD_RU.tooManyValues(LIST_MAX))
    else continue
    shape[f.name] = s.nullish()
  }
  return z.object(shape)
}

const keySchema = keyText(KEY_MAX)

const ZOD_CODES: Record<string, string> = { too_big: 'TOO_LONG', too_small: 'EMPTY', custom: 'BAD_TEXT' }

function check(schema: z.ZodType, value: unknown, prefix: string) {
  const parsed = schema.safeParse(value)
  if (parsed.success) return
  throw new ValidationFailed(parsed.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    code: ZOD_CODES[issue.code] ?? 'INVALID',
    message: issue.message,
  })))
}

/** GraphQL input → import columns; only the fields given (undefined: not given, null: clear). */
function toColumns(d: EntityDef, input: Record<string, unknown>, create: boolean): RecordValues {
  const values: RecordValues = {}
  for (const f of create ? d.fields : d.fields.slice(1)) {
    const v = input[f.name]
    if (v !== undefined) values[f.column] = v as string | string[] | null
  }
  return values
}

// ─── outputs ───

export interface FindingChangeShape {
  fingerprint: string
  ruleId: string
  severity: string
  status: string | null
  message: string
  entities: EntityRef[]
}

export const FindingChangeRef = builder.objectRef<FindingChangeShape>('FindingChange').implement({
  description: 'A finding a write caused or resolved, or one a record would cause (checkConflicts)',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint', { description: 'stable across runs: the rule and the records involved' }),
    ruleId: t.exposeString('ruleId'),
    severity: t.exposeString('severity', { description: 'CRITICAL, HIGH, MEDIUM or LOW' }),
    status: t.exposeString('status', {
      nullable: true,
      description: 'after a write: the finding\'s status now (NEW, REOPENED, RESOLVED, …). In checkConflicts: the status of the '
        + 'stored finding when this collision is already on record (NEW, OPEN, ACKNOWLEDGED, …), null when writing the record would raise it',
    }),
    message: t.string({ resolve: (f, _args, ctx) => readableText(ctx, f.message) }),
    entities: t.field({ type: [EntityRefType], description: 'the records the finding names', resolve: (f) => f.entities }),
  }),
})

const findingChange = (f: ReportFinding | CandidateFinding): FindingChangeShape =>
  ({ fingerprint: f.fingerprint, ruleId: f.ruleId, severity: f.severity, status: f.status, message: f.message, entities: f.entities })

interface WritePayloadShape { type: EntityType; key: string; deleted: boolean; result: WriteResult }

function payloadOf(d: EntityDef) {
  return builder.objectRef<WritePayloadShape>(`${d.typeName}WritePayload`).implement({
    description: `A ${d.typeName} written: the record as stored now, and the findings the write changed`,
    fields: (t) => ({
      key: t.exposeString('key', { description: 'the business key written' }),
      [d.field]: t.prismaField({
        type: d.typeName,
        nullable: true,
        description: 'the record as stored now; null after a delete (or when it is outside the key\'s markets, e.g. a customer without a contract there yet)',
        resolve: async (query: object, p: WritePayloadShape, _args: unknown, ctx: Context) => {
          if (p.deleted) return null
          const model = (ctx.db.prisma as unknown as Record<string, { findFirst(q: unknown): Promise<unknown> }>)[d.type]
          return model.findFirst({ ...query, where: { AND: [{ [recordSpec(d.type).key.db]: p.key }, scopeOf(ctx)[d.type]()] } })
        },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one field per record type, built from the table above
      } as any),
      findingsCaused: t.field({
        type: [FindingChangeRef],
        description: 'findings the write raised or brought back (NEW, REOPENED), those the key may see',
        resolve: (p) => p.result.caused.map(findingChange),
      }),
      findingsResolved: t.field({
        type: [FindingChangeRef],
        description: 'findings the write made go away (RESOLVED), those the key may see',
        resolve: (p) => p.result.resolved.map(findingChange),
      }),
      recheckRunId: t.string({
        nullable: true,
        description: 'the incremental audit run that re-checked the rules (null when the write changed nothing)',
        resolve: (p) => p.result.recheck?.runId ?? null,
      }),
      recheckQueued: t.boolean({
        description: 'the write is stored but its re-check could not run in the request: it was queued and runs in the background (findingsCaused/findingsResolved are then empty)',
        resolve: (p) => p.result.recheckQueued === true,
      }),
    }),
  })
}


// ─── running a write ───

/**
 * Domain errors as the API answers them: input problems named by the GraphQL field (`input.validFrom`, `key`)
 * instead of the import column, a write outside the key's rights as a FORBIDDEN error.
 */
async function answer<T>(d: EntityDef | undefined, keyField: 'input' | 'key', work: () => Promise<T>, prefix = 'input'): Promise<T> {
  try {
    return await asResult(work)
  } catch (e) {
    if (e instanceof ForbiddenError) throw new GraphQLError(e.message, { extensions: { code: 'FORBIDDEN' } })
    if (e instanceof ValidationFailed && d) throw new ValidationFailed(e.problems.map((p) => renamed(d, p, keyField, prefix)))
    if (e instanceof InputError) throw new ValidationFailed([{ field: null, code: 'INVALID', message: e.message }])
    throw e
  }
}

function renamed(d: EntityDef, p: FieldProblem, keyField: 'input' | 'key', prefix: string): FieldProblem {
  if (p.field === null || p.field.includes('.') || p.field === 'key') return p
  const f = d.fields.find((x) => x.column === p.field)
  if (!f) return { ...p, field: `${prefix}.${p.field}` }
  if (f.kind === 'key' && keyField === 'key') return { ...p, field: 'key' }
  return { ...p, field: `${prefix}.${f.name}` }
}

const options = (ctx: Context) => ({ actor: ctx.actor, ...(ctx.jobs ? { jobs: ctx.jobs } : {}) })

for (const d of ENTITIES) {
  const { create, update } = INPUTS.get(d.type)!
  const Payload = payloadOf(d)
  const createSchema = schemaOf(d, true)
  const updateSchema = schemaOf(d, false)
  // the catalogue every market shares is written by keys without a market limit only: refused before the input is read
  const authScopes = recordSpec(d.type).catalogue ? { writeCatalogue: true } : { writeMasterData: true }
  builder.mutationFields((t) => ({
    [`create${d.typeName}`]: t.field({
      type: Payload,
      description: `Creates a ${d.typeName} (Conflict when the key is taken), validated and normalised as the import does, and re-checks the rules around it`,
      authScopes,
      errors: { types: RESULT_ERRORS },
      args: { input: t.arg({ type: create, required: true }) },
      resolve: (_root, args, ctx) => answer(d, 'input', async () => {
        check(createSchema, args.input, 'input')
        const result = await createRecord(ctx.db, principalOf(ctx), d.type, toColumns(d, args.input, true), options(ctx))
        return { type: d.type, key: result.key, deleted: false, result }
      }),
    }),
    [`update${d.typeName}`]: t.field({
      type: Payload,
      description: `Changes the given fields of a ${d.typeName} (NotFound when there is none the key may see) and re-checks the rules around it`,
      authScopes,
      errors: { types: RESULT_ERRORS },
      args: { key: t.arg.string({ required: true }), input: t.arg({ type: update, required: true }) },
      resolve: (_root, args, ctx) => answer(d, 'key', async () => {
        check(keySchema, args.key, 'key')
        check(updateSchema, args.input, 'input')
        const result = await updateRecord(ctx.db, principalOf(ctx), d.type, args.key.trim(), toColumns(d, args.input, false), options(ctx))
        return { type: d.type, key: result.key, deleted: false, result }
      }),
    }),
    [`delete${d.typeName}`]: t.field({
      type: Payload,
      description: `Deletes a ${d.typeName} (Conflict naming the records that still refer to it) and re-checks the rules around it`,
      authScopes,
      errors: { types: RESULT_ERRORS },
      args: { key: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => answer(d, 'key', async () => {
        check(keySchema, args.key, 'key')
        const result = await deleteRecord(ctx.db, principalOf(ctx), d.type, args.key.trim(), options(ctx))
        return { type: d.type, key: result.key, deleted: true, result }
      }),
    }),
  }))
}

// ─── checkConflicts ───

const CANDIDATE_SCHEMAS = new Map(CANDIDATE_TYPES.map((type) => [type, schemaOf(DEF.get(type)!, true)]))

const CandidateInput = builder.inputType('CandidateInput', {
  description: 'Exactly one record to check, with the same fields as its create mutation. When its key exists, the fields '
    + 'given are laid over the stored record, as an update would do.',
  isOneOf: true,
  fields: (t) => Object.fromEntries(CANDIDATE_TYPES.map((type) => [type, t.field({ type: INPUTS.get(type)!.create })])),
})

const CheckConflictsPayload = builder.objectRef<{ findings: CandidateFinding[] }>('CheckConflictsPayload').implement({
  description: 'What writing the record would bring: nothing is stored',
  fields: (t) => ({
    findings: t.field({
      type: [FindingChangeRef],
      description: 'the findings the record would have once written, and those it would raise around it (status: see FindingChange.status)',
      resolve: (p) => p.findings.map(findingChange),
    }),
  }),
})

builder.queryField('checkConflicts', (t) => t.field({
  type: CheckConflictsPayload,
  description: 'The findings a record would cause if it were created or updated, without storing it',
  authScopes: { checkConflicts: true },
  errors: { types: RESULT_ERRORS },
  args: { input: t.arg({ type: CandidateInput, required: true }) },
  resolve: async (_root, args, ctx) => {
    const given = CANDIDATE_TYPES.filter((type) => (args.input as Record<string, unknown>)[type] != null)
    if (given.length !== 1) throw new ValidationFailed([{ field: 'input', code: 'INVALID', message: RECORD_RU.exactlyOne(CANDIDATE_TYPES) }])
    const type = given[0]
    const d = DEF.get(type)!
    const record = (args.input as unknown as Record<string, Record<string, unknown>>)[type]
    return answer(d, 'input', async () => {
      check(CANDIDATE_SCHEMAS.get(type)!, record, `input.${type}`)
      const findings = await checkRecordConflicts(ctx.db, principalOf(ctx), type, toColumns(d, record, true))
      return { findings }
    }, `input.${type}`)
  },
}))
