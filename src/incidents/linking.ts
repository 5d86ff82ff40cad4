// Links between incidents (complaints) and findings: on arrival, to the open findings on the records the
// incident names and the records around them (origin AUTO, with the reason); by hand, link and unlink
// (origin MANUAL). Every link made or removed is also an event in the finding's history, with its actor.
import type { Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { neighbourhood, openFindingsOn } from '../engine/conflicts.ts'
import type { EntityRef } from '../records/model.ts'
import { ConflictError, NotFoundError } from '../errors.ts'
import { linkDirectRu, linkViaRu, referenceRu } from '../i18n/ru.ts'
import { findVisibleIncident } from './lookup.ts'
import type { ResolvedReference } from './references.ts'
import { FINDING_RU, INCIDENT_RU } from '../i18n/ru-errors.ts'

/** A link as the intake reports it. */
export interface IncidentLink {
  findingId: string
  finding: string
  ruleId: string
  reason: string
}

const same = (a: EntityRef, b: EntityRef) => a.type === b.type && a.key === b.key

/** «адрес A-1 (введено «ленина 5 кв 12», совпадение по адресу после нормализации)»; a key given as it is: «договор D-7». */
export function describeReference(r: ResolvedReference): string {
  // `how` is the step's code, with «(one of N duplicate records)» after it for a duplicate group
  const how = r.how.replace(/ \(one of \d+ duplicate records\)$/, '')
  return referenceRu(r.type, r.key, how === 'exact key' && r.value.trim() === r.key ? null : r.value, how, r.duplicates)
}

/**
 * The open findings (in the principal's markets) on the resolved records and the records around each,
 * each once, with why: a finding naming the record itself wins over one reached through a neighbour.
 */
export async function findingsToLink(sql: SqlClient, resolved: readonly ResolvedReference[], markets: readonly string[] | null): Promise<IncidentLink[]> {
  const best = new Map<string, IncidentLink & { rank: number }>()
  for (const r of resolved) {
    const around = await neighbourhood(sql, { type: r.type, key: r.key }, markets)
    if (!around) continue
    const findings = await openFindingsOn(sql, [around.subject, ...around.neighbours], markets)
    for (const f of findings) {
      const entities = f.entities as unknown as EntityRef[]
      const direct = entities.some((e) => same(e, around.subject))
      const via = direct ? around.subject : entities.find((e) => around.neighbours.some((n) => same(n, e)))
      if (!via) continue
      const rank = direct ? 0 : 1
      const reason = direct ? linkDirectRu(describeReference(r), f.ruleId) : linkViaRu(describeReference(r), f.ruleId, r.type, via)
      const seen = best.get(f.id)
      if (!seen || rank < seen.rank) best.set(f.id, { findingId: f.id, finding: f.fingerprint, ruleId: f.ruleId, reason, rank })
    }
  }
  return [...best.values()].map(({ rank: _rank, ...link }) => link)
}

/** Stores links (existing ones are left as they are) and an event on each finding newly linked; answers the new ones. */
export async function storeLinks(
  sql: SqlClient, incident: { id: string; externalRef: string | null; kind: string }, links: readonly IncidentLink[], origin: 'AUTO' | 'MANUAL', actor: string,
): Promise<IncidentLink[]> {
  if (links.length === 0) return []
  const { rows } = await sql.query<{ findingId: string }>(`
    INSERT INTO finding_incident ("findingId", "incidentId", origin, reason, actor)
    SELECT f, $2::uuid, $3, r, $4 FROM unnest($1::uuid[], $5::text[]) AS l(f, r)
    ON CONFLICT DO NOTHING RETURNING "findingId"`,
  [links.map((l) => l.findingId), incident.id, origin, actor, links.map((l) => l.reason)])
  const added = new Set(rows.map((r) => r.findingId))
  const fresh = links.filter((l) => added.has(l.findingId))
  if (fresh.length > 0) {
    await sql.query(`
      INSERT INTO finding_event ("findingId", actor, action, "fromStatus", "toStatus", reason, data)
      SELECT l.f, $2, 'incident-linked', f.status, f.status, l.r,
        jsonb_build_object('incidentId', $3::text, 'externalRef', $4::text, 'kind', $5::text, 'origin', $6::text)
      FROM unnest($1::uuid[], $7::text[]) AS l(f, r) JOIN finding f ON f.id = l.f`,
    [fresh.map((l) => l.findingId), actor, incident.id, incident.externalRef, incident.kind, origin, fresh.map((l) => l.reason)])
  }
  return fresh
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** How a link by hand names its two ends: the finding by fingerprint (or id), the incident by id or by its external reference. */
export interface LinkTarget {
  finding: string
  incident: string
  /** with an external reference: which kind it is (default INCIDENT) */
  kind?: 'INCIDENT' | 'COMPLAINT'
}

interface Ends {
  finding: { id: string; fingerprint: string; status: string }
  incident: { id: string; externalRef: string | null; kind: string }
}

/** Both ends, each only when the principal may see it (a finding or incident of another market is not found). */
async function ends(sql: SqlClient, principal: Principal, target: LinkTarget): Promise<Ends> {
  const markets = principal.markets === null ? null : [...principal.markets]
  const ref = target.finding.trim()
  const { rows: [finding] } = await sql.query<Ends['finding']>(`
    SELECT id, fingerprint, status::text AS status FROM finding
    WHERE (fingerprint = $1::text OR id = $3::uuid) AND ($2::text[] IS NULL OR "marketCode" = ANY($2::text[]))`, [ref, markets, UUID.test(ref) ? ref : null])
  if (!finding) throw new NotFoundError(FINDING_RU.notFound(ref))
  const inc = target.incident.trim()
  const incidentId = await findVisibleIncident(sql, principal, { id: inc, externalRef: inc, kind: target.kind ?? 'INCIDENT' })
  const { rows: [incident] } = incidentId === null ? { rows: [] }
    : await sql.query<Ends['incident']>(`SELECT id, "externalRef", kind::text AS kind FROM incident WHERE id = $1`, [incidentId])
  if (!incident) throw new NotFoundError(INCIDENT_RU.notFound(inc))
  return { finding, incident }
}

/** Links an incident to a finding by hand (origin MANUAL); a Conflict when they are linked already. */
export async function linkIncident(db: Database, principal: Principal, target: LinkTarget, input: { actor: string; reason?: string | null }): Promise<{ findingId: string; incidentId: string }> {
  return db.sql.transaction(async (tx) => {
    const { finding, incident } = await ends(tx, principal, target)
    const reason = input.reason?.trim() || `linked by hand by ${input.actor}`
    const fresh = await storeLinks(tx, incident, [{ findingId: finding.id, finding: finding.fingerprint, ruleId: '', reason }], 'MANUAL', input.actor)
    if (fresh.length === 0) throw new ConflictError(INCIDENT_RU.alreadyLinked(incident.externalRef ?? incident.id, finding.fingerprint))
    return { findingId: finding.id, incidentId: incident.id }
  })
}

/** Removes a link (whatever made it), recording who did it on the finding; NotFound when there is none. */
export async function unlinkIncident(db: Database, principal: Principal, target: LinkTarget, input: { actor: string; reason?: string | null }): Promise<{ findingId: string; incidentId: string }> {
  return db.sql.transaction(async (tx) => {
    const { finding, incident } = await ends(tx, principal, target)
    const { rows: [removed] } = await tx.query<{ origin: string }>(
      `DELETE FROM finding_incident WHERE "findingId" = $1 AND "incidentId" = $2 RETURNING origin`, [finding.id, incident.id])
    if (!removed) throw new NotFoundError(INCIDENT_RU.notLinked(incident.externalRef ?? incident.id, finding.fingerprint))
    await tx.query(`
      INSERT INTO finding_event ("findingId", actor, action, "fromStatus", "toStatus", reason, data)
      VALUES ($1, $2, 'incident-unlinked', $3::"FindingStatus", $3::"FindingStatus", $4,
        jsonb_build_object('incidentId', $5::text, 'externalRef', $6::text, 'kind', $7::text, 'origin', $8::text))`,
    [finding.id, input.actor, finding.status, input.reason?.trim() || null, incident.id, incident.externalRef, incident.kind, removed.origin])
    return { findingId: finding.id, incidentId: incident.id }
  })
}
