// «Every open conflict around this record», for an agent on a live call: the record's neighbourhood
// (an address → its contracts, devices and customers; a contract → its address, devices and customer;
// a device → its contract and address; a customer → its contracts, their addresses and devices) and the
// open findings naming any of them, with the incidents and complaints linked to each. Two statements,
// both on indexes: the neighbourhood by business keys and foreign keys, the findings through
// finding_entity (entityType, entityKey). Market scope applies to both: a caller limited to markets gets
// no record of another market as a neighbour, and no finding of another market.
import type { SqlClient } from '../db/database.ts'
import type { Finding } from '../generated/prisma/client.ts'
import { incidentVisibleSql, scopeKeyOf, visibleSql } from '../access/scope.ts'
import { OPEN_STATUSES } from './findings.ts'
import type { EntityRef, EntityType } from '../records/model.ts'
import { resolveAlias } from '../merge/aliases.ts'
import { isMergeableType } from '../merge/types.ts'

/** An incident or complaint linked to a finding. */
export interface LinkedIncident {
  id: string
  kind: 'INCIDENT' | 'COMPLAINT'
  channel: string
  externalRef: string | null
  description: string | null
  status: string
  createdAt: Date
  /** how it was linked: AUTO (on arrival) or MANUAL */
  origin: string
  linkedAt: Date
}

/** A stored finding (every column) with the incidents and complaints linked to it. */
export type FindingWithIncidents = Finding & { linkedIncidents: LinkedIncident[] }

export interface Conflicts {
  subject: EntityRef
  /** the records around the subject the caller may see, by type and key */
  neighbours: EntityRef[]
  /** open findings naming the subject or a neighbour: most severe first, then oldest */
  findings: FindingWithIncidents[]
}

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

/** Every column of `finding` under its Prisma field name, so a row is a Prisma `Finding`. */
export const FINDING_COLUMNS = ['id', 'fingerprint', '"ruleId"', 'severity', 'status', 'message', 'entities', 'details', '"marketCode"',
  '"equipmentTypeCode"', '"firstSeenAt"', '"lastSeenAt"', '"firstRunId"', '"lastRunId"', '"openedAt"', '"resolvedAt"', '"acknowledgedAt"', '"ackDueAt"',
  '"dueAt"', '"escalationLevel"', '"groupId"', '"unrouted"', '"supportLine"', 'assignee', '"createdAt"', '"updatedAt"']

// the incidents of finding `f` the caller may see as a JSON array (oldest first); `visible` is the incident
// condition ('true' for an unscoped caller)
const incidentsJson = (visible: string) => `COALESCE((SELECT json_agg(json_build_object('id', i.id, 'kind', i.kind, 'channel', i.channel, 'externalRef', i."externalRef",
    'description', i.description, 'status', i.status, 'createdAt', i."createdAt", 'origin', fi.origin, 'linkedAt', fi."createdAt")
    ORDER BY i."createdAt", i.id)
  FROM finding_incident fi JOIN incident i ON i.id = fi."incidentId" WHERE fi."findingId" = f.id AND ${visible}), '[]'::json)`

type IncidentJson = Omit<LinkedIncident, 'createdAt' | 'linkedAt'> & { createdAt: string; linkedAt: string }

function incidentFromJson(j: IncidentJson): LinkedIncident {
  return { ...j, createdAt: new Date(j.createdAt), linkedAt: new Date(j.linkedAt) }
}

/**
 * The neighbourhood statement of each entity type, subject first (ord 0). `$1` is the subject's key;
 * `vis(type, alias)` is the market condition (with the markets as `$2`) or 'true' for an unscoped caller.
 * A record the caller may not see is absent: no row at all.
 */
function neighbourhoodSql(type: EntityType, vis: (type: EntityType, alias: string) => string): string {
  switch (type) {
    case 'address': return `
      WITH s AS (SELECT a.id, a.code FROM address a WHERE a.code = $1 AND ${vis('address', 'a')}),
      c AS (SELECT c.id, c.number, c."customerId" FROM contract c JOIN s ON c."addressId" = s.id WHERE ${vis('contract', 'c')})
      SELECT 0 AS ord, 'address' AS type, code AS key FROM s
      UNION SELECT 1, 'contract', number FROM c
      UNION SELECT 1, 'customer', cu.code FROM customer cu JOIN c ON cu.id = c."customerId"
      UNION SELECT 1, 'equipment', e."inventoryNo" FROM equipment e JOIN s ON e."addressId" = s.id WHERE ${vis('equipment', 'e')}
      UNION SELECT 1, 'equipment', e."inventoryNo" FROM equipment e JOIN c ON e."contractId" = c.id
      ORDER BY 1, 2, 3`
    case 'contract': return `
      WITH s AS (SELECT c.id, c.number, c."addressId", c."customerId" FROM contract c WHERE c.number = $1 AND ${vis('contract', 'c')})
      SELECT 0 AS ord, 'contract' AS type, number AS key FROM s
      UNION SELECT 1, 'address', a.code FROM address a JOIN s ON a.id = s."addressId"
      UNION SELECT 1, 'customer', cu.code FROM customer cu JOIN s ON cu.id = s."customerId"
      UNION SELECT 1, 'equipment', e."inventoryNo" FROM equipment e JOIN s ON e."contractId" = s.id
      ORDER BY 1, 2, 3`
    case 'equipment': return `
      WITH s AS (SELECT e.id, e."inventoryNo", e."contractId", e."addressId" FROM equipment e WHERE e."inventoryNo" = $1 AND ${vis('equipment', 'e')})
      SELECT 0 AS ord, 'equipment' AS type, "inventoryNo" AS key FROM s
      UNION SELECT 1, 'contract', c.number FROM contract c JOIN s ON c.id = s."contractId" WHERE ${vis('contract', 'c')}
      UNION SELECT 1, 'address', a.code FROM address a JOIN s ON a.id = s."addressId" WHERE ${vis('address', 'a')}
      ORDER BY 1, 2, 3`
    case 'customer': return `
      WITH s AS (SELECT cu.id, cu.code FROM customer cu WHERE cu.code = $1 AND ${vis('customer', 'cu')}),
      c AS (SELECT c.id, c.number, c."addressId" FROM contract c JOIN s ON c."customerId" = s.id WHERE ${vis('contract', 'c')})
      SELECT 0 AS ord, 'customer' AS type, code AS key FROM s
      UNION SELECT 1, 'contract', number FROM c
      UNION SELECT 1, 'address', a.code FROM address a JOIN c ON a.id = c."addressId"
      UNION SELECT 1, 'equipment', e."inventoryNo" FROM equipment e JOIN c ON e."contractId" = c.id
      ORDER BY 1, 2, 3`
    // catalogue records have no neighbourhood of their own: their own findings only
    case 'market': return `SELECT 0 AS ord, 'market' AS type, m.code AS key FROM market m WHERE m.code = $1 AND ${vis('market', 'm')}`
    case 'product': return `SELECT 0 AS ord, 'product' AS type, p.sku AS key FROM product p WHERE p.sku = $1 AND ${vis('product', 'p')}`
    case 'equipmentType': return `SELECT 0 AS ord, 'equipmentType' AS type, t.code AS key FROM equipment_type t WHERE t.code = $1`
  }
}

// the statements are built once per entity type and scope kind: the text is the same for every call
const statements = new Map<string, string>()

function statement(name: string, build: () => string): string {
  let text = statements.get(name)
  if (text === undefined) statements.set(name, (text = build()))
  return text
}

/** The subject and the records around it the caller may see; null when the subject is absent or outside the markets. */
export async function neighbourhood(sql: SqlClient, subject: EntityRef, markets: readonly string[] | null): Promise<{ subject: EntityRef; neighbours: EntityRef[] } | null> {
  const scoped = markets !== null
  const text = statement(`${subject.type}:${scoped}`, () => neighbourhoodSql(subject.type, scoped ? (t, a) => visibleSql(t, a, '$2') : () => 'true'))
  const { rows } = await sql.query<{ ord: number; type: EntityType; key: string }>(text, scoped ? [subject.key, markets] : [subject.key], { prepared: true })
  if (rows.length === 0 || rows[0].ord !== 0) return null
  return { subject: { type: rows[0].type, key: rows[0].key }, neighbours: rows.slice(1).map((r) => ({ type: r.type, key: r.key })) }
}

/**
 * Open findings naming any of `refs`, in the caller's markets (null: all), with the incidents the caller may see:
 * most severe first, then oldest.
 */
export async function openFindingsOn(sql: SqlClient, refs: readonly EntityRef[], markets: readonly string[] | null): Promise<FindingWithIncidents[]> {
  if (refs.length === 0) return []
  const scoped = markets !== null
  const text = statement(`findings:${scoped}`, () => `
    SELECT ${FINDING_COLUMNS.map((c) => `f.${c}`).join(', ')}, ${incidentsJson(scoped ? incidentVisibleSql('i', '$3', '$4') : 'true')} AS "linkedIncidents"
    FROM finding f
    WHERE f.id IN (SELECT fe."findingId" FROM unnest($1::text[], $2::text[]) AS r(type, key)
                   JOIN finding_entity fe ON fe."entityType" = r.type AND fe."entityKey" = r.key)
      AND f.status IN (${OPEN_SQL})${scoped ? ' AND f."marketCode" = ANY($3::text[])' : ''}
    ORDER BY f.severity, f."firstSeenAt", f.fingerprint`)
  const params: unknown[] = [refs.map((r) => r.type), refs.map((r) => r.key)]
  if (scoped) params.push(markets, scopeKeyOf(markets))
  const { rows } = await sql.query<Finding & { linkedIncidents: IncidentJson[] }>(text, params, { prepared: true })
  return rows.map((r) => ({ ...r, linkedIncidents: r.linkedIncidents.map(incidentFromJson) }))
}

/**
 * The open findings on a record and its neighbourhood; null when the record is absent or outside the caller's markets.
 * The key of a merged member (an alias) answers for its survivor: `subject` is then the survivor.
 */
export async function conflictsAround(sql: SqlClient, subject: EntityRef, markets: readonly string[] | null): Promise<Conflicts | null> {
  let around = await neighbourhood(sql, subject, markets)
  if (!around && isMergeableType(subject.type)) {
    const survivor = await resolveAlias(sql, subject.type, subject.key)
    if (survivor !== null) around = await neighbourhood(sql, { type: subject.type, key: survivor }, markets)
  }
  if (!around) return null
  const findings = await openFindingsOn(sql, [around.subject, ...around.neighbours], markets)
  return { ...around, findings }
}

/** The incidents and complaints linked to each of the findings that the caller (markets; null: all) may see, in one statement. */
export async function incidentsOfFindings(sql: SqlClient, findingIds: readonly string[], markets: readonly string[] | null): Promise<Map<string, LinkedIncident[]>> {
  const byFinding = new Map<string, LinkedIncident[]>(findingIds.map((id) => [id, []]))
  if (findingIds.length === 0) return byFinding
  const scoped = markets !== null
  const { rows } = await sql.query<IncidentJson & { findingId: string }>(`
    SELECT fi."findingId", i.id, i.kind::text AS kind, i.channel::text AS channel, i."externalRef", i.description, i.status::text AS status,
      i."createdAt", fi.origin, fi."createdAt" AS "linkedAt"
    FROM finding_incident fi JOIN incident i ON i.id = fi."incidentId"
    WHERE fi."findingId" = ANY($1::uuid[])${scoped ? ` AND ${incidentVisibleSql('i', '$2', '$3')}` : ''}
    ORDER BY i."createdAt", i.id`, scoped ? [findingIds, markets, scopeKeyOf(markets)] : [findingIds])
  for (const { findingId, ...incident } of rows) byFinding.get(findingId)?.push(incidentFromJson(incident))
  return byFinding
}
