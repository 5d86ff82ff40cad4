// Whole incidents for one request, read in batches: what a finding's links (which know only their link
// columns) and a finding event naming an incident need. Apart from incident.ts so that the Finding type can ask
// it without importing the Incident type's module, which imports it.
import type { LinkedIncident } from '../../engine/conflicts.ts'
import type { Incident } from '../../generated/prisma/client.ts'
import { isIncidentId } from '../../incidents/lookup.ts'
import type { Context } from '../context.ts'
import { scopeOf } from './common.ts'

/** An incident as a field answers it: the stored row, and how it is linked when reached through a finding. */
export type IncidentShape = Incident & { origin?: string; linkedAt?: Date }

// ─── per-request loading of whole incidents (a finding's list knows only their link columns) ───

const incidentLoaders = new WeakMap<Context, (id: string) => Promise<Incident | null>>()

/** Incidents by id that the caller may see (null for one it may not), every one asked for in the same tick read by one statement. */
function loadIncident(ctx: Context, id: string): Promise<Incident | null> {
  let load = incidentLoaders.get(ctx)
  if (!load) {
    let batch: Map<string, Array<{ resolve: (v: Incident | null) => void; reject: (e: unknown) => void }>> | null = null
    load = (key) => new Promise((resolve, reject) => {
      if (!batch) {
        const current = (batch = new Map())
        setImmediate(() => {
          batch = null
          ctx.db.prisma.incident.findMany({ where: { AND: [{ id: { in: [...current.keys()] } }, scopeOf(ctx).incident()] } }).then(
            (rows) => {
              const byId = new Map(rows.map((r) => [r.id, r]))
              for (const [k, waiters] of current) for (const w of waiters) w.resolve(byId.get(k) ?? null)
            },
            (e: unknown) => { for (const waiters of current.values()) for (const w of waiters) w.reject(e) },
          )
        })
      }
      const waiters = batch.get(key) ?? []
      waiters.push({ resolve, reject })
      batch.set(key, waiters)
    })
    incidentLoaders.set(ctx, load)
  }
  return load(id)
}

/** Whether the caller may see the incident with this id. */
export async function seesIncidentId(ctx: Context, id: string): Promise<boolean> {
  return isIncidentId(id) && (await loadIncident(ctx, id)) !== null
}

/** A finding's linked incidents (its link columns) as whole incidents for the Incident type. */
export async function linkedIncidentRows(ctx: Context, linked: readonly LinkedIncident[]): Promise<IncidentShape[]> {
  const rows = await Promise.all(linked.map((l) => loadIncident(ctx, l.id)))
  return rows.flatMap((row, i) => (row ? [{ ...row, origin: linked[i].origin, linkedAt: linked[i].linkedAt }] : []))
}
