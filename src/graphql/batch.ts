// Per-request batching of scoped lookups. A field resolved for every item of a list (a device's address and
// product, each record a finding names) would ask the database once per item; here the lookups one execution
// step makes are gathered and sent as one query per model, selection and scope. Prisma batches findUnique by
// itself, but not when the where clause carries relation filters — and a key's market scope is one.
import type { Context } from './context.ts'

type Row = Record<string, unknown>
interface FindMany { findMany(args: unknown): Promise<Row[]> }

interface Pending {
  delegate: string
  field: string
  query: { select?: Record<string, unknown> }
  scope: object
  waiting: Map<unknown, Array<{ resolve: (row: Row | null) => void; reject: (e: unknown) => void }>>
}

const pendingByRequest = new WeakMap<Context, Map<string, Pending>>()

/**
 * The row of `delegate` whose `field` equals `value` and that `scope` lets the caller see, with Pothos' `query`
 * (select/include) applied; null when there is none. Calls made in one tick share one findMany.
 */
export function loadScoped(ctx: Context, delegate: string, field: string, value: string | number, scope: object, query: object = {}): Promise<Row | null> {
  let pending = pendingByRequest.get(ctx)
  if (!pending) pendingByRequest.set(ctx, (pending = new Map()))
  const id = `${delegate}\u0000${field}\u0000${JSON.stringify(query)}\u0000${JSON.stringify(scope)}`
  let batch = pending.get(id)
  if (!batch) {
    const created: Pending = { delegate, field, query, scope, waiting: new Map() }
    pending.set(id, (batch = created))
    // the resolvers of one list's items all run before this: their lookups are in the batch by then
    process.nextTick(() => {
      pending.delete(id)
      void flush(ctx, created)
    })
  }
  const waiters = batch.waiting.get(value) ?? []
  batch.waiting.set(value, waiters)
  return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
}

async function flush(ctx: Context, batch: Pending) {
  const { delegate, field, query, scope, waiting } = batch
  try {
    const client = (ctx.db.prisma as unknown as Record<string, FindMany>)[delegate]!
    // the matching column is needed to hand each row to its waiters, whatever the selection
    const args = query.select ? { ...query, select: { ...query.select, [field]: true } } : query
    const rows = await client.findMany({ ...args, where: { AND: [{ [field]: { in: [...waiting.keys()] } }, scope] } })
    const byValue = new Map(rows.map((r) => [r[field], r]))
    for (const [value, waiters] of waiting) for (const w of waiters) w.resolve(byValue.get(value) ?? null)
  } catch (e) {
    for (const waiters of waiting.values()) for (const w of waiters) w.reject(e)
  }
}
