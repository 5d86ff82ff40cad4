// Finding an incident or complaint the way a caller names it — Sverka's id, or the service desk's external
// reference — among those the caller may see. An external reference is unique per kind and per the scope of
// the key that registered it (incident.ownerScope): the same reference from keys of different markets is two
// incidents, so replaying another market's reference never reaches that market's incident. When several
// visible incidents carry the reference (an unscoped key sees every scope's), the caller's own scope wins,
// then the oldest. Used by the intake's replay, by links made by hand and by the GraphQL lookup.
import { incidentVisibleSql, scopeKey, type Principal } from '../access/scope.ts'
import type { SqlClient } from '../db/database.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface IncidentName {
  /** Sverka's id */
  id?: string | null
  /** the service desk's reference (with `kind`) */
  externalRef?: string | null
  kind?: 'INCIDENT' | 'COMPLAINT'
}

/** The id of the incident `name` names among those the principal may see; null when there is none. */
export async function findVisibleIncident(sql: SqlClient, principal: Principal, name: IncidentName): Promise<string | null> {
  const id = name.id != null && UUID.test(name.id) ? name.id : null
  const externalRef = name.externalRef ?? null
  if (id === null && externalRef === null) return null
  const params: unknown[] = [id, externalRef, name.kind ?? 'INCIDENT', scopeKey(principal)]
  const visible = principal.markets === null ? 'true' : incidentVisibleSql('i', '$5', '$4')
  if (principal.markets !== null) params.push([...principal.markets])
  const { rows: [row] } = await sql.query<{ id: string }>(`
    SELECT i.id FROM incident i
    WHERE (i.id = $1::uuid OR (i."externalRef" = $2::text AND i.kind = $3::"IncidentKind")) AND ${visible}
    ORDER BY (i.id = $1::uuid) DESC NULLS LAST, (i."ownerScope" = $4::text) DESC, i."createdAt", i.id
    LIMIT 1`, params)
  return row?.id ?? null
}

/** Whether a string is one of Sverka's incident ids (a UUID). */
export function isIncidentId(value: string): boolean {
  return UUID.test(value)
}
