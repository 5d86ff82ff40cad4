// Per-request batching of scoped lookups. A field resolved for every item of a list (a device's address and
// product, each record a finding names) would ask the database once per item; here the lookups one execution
// step makes are gathered and sent as one query per model, selection and scope. Prisma batches findUnique by
// itself, but not when the where clause carries relation filters — and a key's market scope is one.
import { readsPersonalData, reasonWithoutPersonalData } from '../access/personal-data.ts'
import { candidatesOf, hiddenKeys, jsonStrings, redactJson, redactText } from '../access/redact.ts'
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
    const client = (ctx.db.prisma as unknown as Record<string, FindMany>)[delegate]
    // the matching column is needed to hand each row to its waiters, whatever the selection
    const args = query.select ? { ...query, select: { ...query.select, [field]: true } } : query
    const rows = await client.findMany({ ...args, where: { AND: [{ [field]: { in: [...waiting.keys()] } }, scope] } })
    const byValue = new Map(rows.map((r) => [r[field], r]))
    for (const [value, waiters] of waiting) for (const w of waiters) w.resolve(byValue.get(value) ?? null)
  } catch (e) {
    for (const waiters of waiting.values()) for (const w of waiters) w.reject(e)
  }
}

// ─── text for its reader (src/access/redact.ts), the lookups of one tick in one statement ───

interface HiddenBatch { candidates: Set<string>; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> }
interface HiddenLookup { known: Map<string, boolean>; batch: HiddenBatch | null }
const hiddenByRequest = new WeakMap<Context, HiddenLookup>()

/** Of `candidates`, the keys of records the caller may not see; every call of one tick shares one statement. */
async function hiddenFor(ctx: Context, candidates: readonly string[]): Promise<ReadonlySet<string>> {
  const principal = ctx.principal
  if (!principal || principal.markets === null || candidates.length === 0) return new Set()
  let state = hiddenByRequest.get(ctx)
  if (!state) hiddenByRequest.set(ctx, (state = { known: new Map(), batch: null }))
  const lookup = state
  const unknown = candidates.filter((c) => !lookup.known.has(c))
  if (unknown.length > 0) {
    if (!lookup.batch) {
      const batch: HiddenBatch = (lookup.batch = { candidates: new Set(), waiters: [] })
      setImmediate(() => {
        lookup.batch = null
        hiddenKeys(ctx.db.sql, principal, batch.candidates).then((hidden) => {
          for (const c of batch.candidates) lookup.known.set(c, hidden.has(c))
          for (const w of batch.waiters) w.resolve()
        }, (e: unknown) => { for (const w of batch.waiters) w.reject(e) })
      })
    }
    const batch = lookup.batch
    for (const c of unknown) batch.candidates.add(c)
    await new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }))
  }
  return new Set(candidates.filter((c) => lookup.known.get(c) === true))
}

/** A text as the caller may read it: another market's keys replaced (see src/access/redact.ts). */
export async function readableText(ctx: Context, text: string): Promise<string>
export async function readableText(ctx: Context, text: string | null): Promise<string | null>
export async function readableText(ctx: Context, text: string | null): Promise<string | null> {
  if (text === null || ctx.principal?.markets == null) return text
  return redactText(text, await hiddenFor(ctx, candidatesOf(text)))
}

/**
 * A reason as the caller may read it: a link's or event's reason may say what a person typed for a customer
 * («resolved from «+7 916 …»»), which is kept from roles that do not read personal data; then readableText.
 */
export async function readableReason(ctx: Context, reason: string | null): Promise<string | null> {
  if (reason === null || !ctx.principal) return reason
  return readableText(ctx, readsPersonalData(ctx.principal) ? reason : reasonWithoutPersonalData(reason))
}

/** A JSON value as the caller may read it. */
export async function readableJson(ctx: Context, value: unknown): Promise<unknown> {
  if (ctx.principal?.markets == null) return value
  return redactJson(value, await hiddenFor(ctx, jsonStrings(value).flatMap(candidatesOf)))
}
