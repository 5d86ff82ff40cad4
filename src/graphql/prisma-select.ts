// A selection that asks nothing of a model's columns (only `__typename`, or a result union's `__typename`)
// reaches Prisma from Pothos' prisma plugin as `select: {}`, which Prisma refuses ("The `select` statement
// for type AuditRun must not be empty") — after the work behind the field was done. Every query the plugin
// plans is passed through `keyWhenEmpty` here: an empty `select` (at the top or under a relation) selects
// the model's key instead.
import { RootFieldBuilder } from '@pothos/core'
import { getDatamodel } from '../generated/pothos-types.ts'

interface ModelShape {
  key: string
  relations: Map<string, string>
}

const models: Map<string, ModelShape> = new Map(Object.entries(getDatamodel().datamodel.models).map(([name, model]) => {
  const scalars = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')
  const key = scalars.find((f) => f.isId)?.name ?? model.primaryKey?.fields[0] ?? scalars.find((f) => f.isUnique)?.name ?? scalars[0].name
  const relations = new Map(model.fields.filter((f) => f.kind === 'object').map((f) => [f.name, f.type]))
  return [name, { key, relations }]
}))

type Selection = { select?: Record<string, unknown>; include?: Record<string, unknown> } & Record<string, unknown>

/** `query` (a Prisma find's arguments for `model`) with every empty `select` in it, nested ones too, selecting the key. */
export function keyWhenEmpty<T>(model: string, query: T): T {
  const shape = models.get(model)
  if (!shape || typeof query !== 'object' || query === null) return query
  const q = query as Selection
  const nested = (map: Record<string, unknown> | undefined) => map && Object.fromEntries(Object.entries(map).map(([name, value]) => {
    const target = shape.relations.get(name)
    return [name, target && typeof value === 'object' && value !== null ? keyWhenEmpty(target, value) : value]
  }))
  const select = q.select && Object.keys(q.select).length === 0 ? { [shape.key]: true } : nested(q.select)
  const include = nested(q.include)
  return { ...q, ...(select ? { select } : {}), ...(include ? { include } : {}) } as T
}

/** The model a prismaField's `type` names (a model name, a Prisma object ref, or either in a list). */
function modelOf(type: unknown): string | undefined {
  const named = Array.isArray(type) ? type[0] : type
  if (typeof named === 'string') return named
  return (named as { modelName?: string } | undefined)?.modelName
}

type QueryResolver = (query: unknown, ...rest: unknown[]) => unknown

/**
 * Makes every `t.prismaField` / `t.prismaFieldWithInput` hand its resolver a query that Prisma accepts. Called
 * once, after the prisma plugin has put these methods on the field builder and before any type is defined.
 */
export function selectKeyWhenEmpty() {
  const proto = RootFieldBuilder.prototype as unknown as Record<string, (this: unknown, options: Record<string, unknown>) => unknown>
  for (const method of ['prismaField', 'prismaFieldWithInput']) {
    const planned = proto[method]
    if (!planned || (planned as { keyWhenEmpty?: boolean }).keyWhenEmpty) continue
    const wrapped = function (this: unknown, options: Record<string, unknown>) {
      const model = modelOf(options.type)
      const resolve = options.resolve as QueryResolver
      return planned.call(this, model ? { ...options, resolve: (query: unknown, ...rest: unknown[]) => resolve(keyWhenEmpty(model, query), ...rest) } : options)
    }
    proto[method] = Object.assign(wrapped, { keyWhenEmpty: true })
  }
}
