// Intake of incidents and complaints from every channel (phone, e-mail, fax, a service desk such as Remedy):
// validates what arrived, resolves its references within the caller's markets, stores it once per external
// reference (a retried delivery answers the same incident and changes nothing) and links it to the open
// findings behind it. Knows no HTTP and no GraphQL: the REST webhook and the mutations both call this.
import { z } from '../i18n/zod.ts'
import { redactAll } from '../access/redact.ts'
import { scopeKey, type Principal } from '../access/scope.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { ValidationFailed, type FieldProblem } from '../errors.ts'
import { moduleLogger } from '../logger.ts'
import { findingsToLink, storeLinks, type IncidentLink } from './linking.ts'
import { findVisibleIncident } from './lookup.ts'
import { INCIDENT_RU } from '../i18n/ru-errors.ts'
import {
  REFERENCE_FIELDS, resolveReference, storedReferences, type ReferenceField, type ResolvedReference, type UnresolvedReference,
} from './references.ts'

const log = moduleLogger('intake')

export const INCIDENT_KINDS = ['INCIDENT', 'COMPLAINT'] as const
export type IncidentKindName = (typeof INCIDENT_KINDS)[number]
export const CHANNELS = ['PHONE', 'EMAIL', 'FAX', 'EXTERNAL_SYSTEM'] as const

export const MAX_REFERENCE = 300
export const MAX_EXTERNAL_REF = 100
export const MAX_DESCRIPTION = 10_000

// '' and whitespace are «not given», the same as null
const optionalText = (max: number) => z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  z.string({ error: INCIDENT_RU.notText }).trim().max(max, INCIDENT_RU.tooLong(max)).nullish(),
)

/** What an incident or complaint arrives with (the SPEC's webhook body, plus its kind). */
export const intakeSchema = z.object({
  kind: z.enum(INCIDENT_KINDS, { error: INCIDENT_RU.oneOf('kind', INCIDENT_KINDS) }),
  channel: z.enum(CHANNELS, { error: INCIDENT_RU.oneOf('channel', CHANNELS) }),
  externalRef: optionalText(MAX_EXTERNAL_REF),
  customer: optionalText(MAX_REFERENCE),
  address: optionalText(MAX_REFERENCE),
  contract: optionalText(MAX_REFERENCE),
  equipment: optionalText(MAX_REFERENCE),
  description: optionalText(MAX_DESCRIPTION),
}).superRefine((v, ctx) => {
  if (!v.description && REFERENCE_FIELDS.every((f) => !v[f])) {
    ctx.addIssue({ code: 'custom', path: [], message: INCIDENT_RU.describeSomething(['customer', 'address', 'contract', 'equipment']) })
  }
})

export type IntakeInput = z.input<typeof intakeSchema>

/** zod's issues as field problems: a dotted path (null for the input as a whole), a code, a sentence. */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.join('.') : null,
    code: i.code === 'too_big' ? 'TOO_LONG' : i.code === 'invalid_value' ? 'INVALID_VALUE' : i.code === 'invalid_type' ? 'INVALID_TYPE' : i.code === 'custom' ? 'REQUIRED' : 'INVALID',
    message: i.message,
  }))
}

/** The intake's answer: the SPEC's { id, links, unresolved }, and how each reference resolved. */
export interface IntakeResult {
  id: string
  /** false: this external reference had arrived before; nothing was changed */
  created: boolean
  kind: IncidentKindName
  externalRef: string | null
  marketCode: string | null
  links: IncidentLink[]
  unresolved: UnresolvedReference[]
  resolved: ResolvedReference[]
}

interface IncidentRow {
  id: string; kind: IncidentKindName; externalRef: string | null; marketCode: string | null; unresolved: UnresolvedReference[]
  customerId: number | null; addressId: number | null; contractId: number | null; equipmentId: number | null
  customerRef: string | null; addressRef: string | null; contractRef: string | null; equipmentRef: string | null
}

const ROW = `id, kind::text AS kind, "externalRef", "marketCode", unresolved, "customerId", "addressId", "contractId", "equipmentId",
  "customerRef", "addressRef", "contractRef", "equipmentRef"`

/**
 * Registers an incident or complaint. `principal` limits what its references may resolve to (and which
 * findings it is linked to) to the caller's markets; `actor` is recorded as its author and on each link.
 */
export async function registerIncident(db: Database, principal: Principal, input: IntakeInput, actor: string): Promise<IntakeResult> {
  const parsed = intakeSchema.safeParse(input)
  if (!parsed.success) throw new ValidationFailed(problemsOf(parsed.error))
  const v = parsed.data
  const externalRef = v.externalRef ?? null

  // a replay answers the incident the caller may see under this reference; another market's incident with the
  // same reference is not this caller's (it gets one of its own, exactly as if there were none)
  if (externalRef !== null) {
    const existing = await findByExternalRef(db.sql, principal, v.kind, externalRef)
    if (existing) return answerFor(db.sql, principal, existing, false)
  }

  const resolved: ResolvedReference[] = []
  const unresolved: UnresolvedReference[] = []
  for (const field of REFERENCE_FIELDS) {
    const value = v[field]
    if (!value) continue
    const r = await resolveReference(db.sql, principal, field, value)
    if (r.ok) resolved.push(...r.resolved)
    else unresolved.push(r.unresolved)
  }
  const marketCode = marketOf(resolved, principal)
  const idOf = (field: ReferenceField) => resolved.find((r) => r.field === field)?.id ?? null

  const outcome = await db.sql.transaction(async (tx) => {
    // a concurrent delivery of the same reference waits on the unique index here, then inserts nothing
    const { rows: [inserted] } = await tx.query<{ id: string }>(`
      INSERT INTO incident (kind, channel, "externalRef", description, "customerRef", "addressRef", "contractRef", "equipmentRef",
        "customerId", "addressId", "contractId", "equipmentId", unresolved, "createdBy", "marketCode", "ownerScope")
      VALUES ($1::"IncidentKind", $2::"Channel", $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16)
      ON CONFLICT DO NOTHING RETURNING id`,
    [v.kind, v.channel, externalRef, v.description ?? null, v.customer ?? null, v.address ?? null, v.contract ?? null, v.equipment ?? null,
      idOf('customer'), idOf('address'), idOf('contract'), idOf('equipment'), JSON.stringify(unresolved), actor, marketCode, scopeKey(principal)])
    if (!inserted) return null
    const links = await storeLinks(tx, { id: inserted.id, externalRef, kind: v.kind },
      await findingsToLink(tx, resolved, principal.markets), 'AUTO', actor)
    return { id: inserted.id, links }
  })
  if (!outcome) {
    // lost the race to another delivery of the same reference in the same scope: answer what it stored
    const existing = await findByExternalRef(db.sql, principal, v.kind, externalRef!)
    if (!existing) throw new Error(`incident ${v.kind} ${externalRef} neither inserted nor found`)
    return answerFor(db.sql, principal, existing, false)
  }
  log.info({ id: outcome.id, kind: v.kind, channel: v.channel, externalRef, links: outcome.links.length, unresolved: unresolved.length }, 'incident registered')
  return {
    id: outcome.id, created: true, kind: v.kind, externalRef, marketCode,
    links: outcome.links, unresolved, resolved,
  }
}

async function findByExternalRef(sql: SqlClient, principal: Principal, kind: IncidentKindName, externalRef: string): Promise<IncidentRow | null> {
  const id = await findVisibleIncident(sql, principal, { externalRef, kind })
  if (id === null) return null
  const { rows: [row] } = await sql.query<IncidentRow>(`SELECT ${ROW} FROM incident WHERE id = $1`, [id])
  return row ?? null
}

/**
 * The answer for an incident already stored: its links, unresolved and resolved references as the caller may see
 * them (the reasons were written for whoever registered it: another market's keys in them are hidden).
 */
async function answerFor(sql: SqlClient, principal: Principal, row: IncidentRow, created: boolean): Promise<IntakeResult> {
  const links = await linksOf(sql, principal, row.id)
  const { texts } = await redactAll(sql, principal, { texts: [...links.map((l) => l.reason), ...row.unresolved.map((u) => u.reason)] })
  return {
    id: row.id, created, kind: row.kind, externalRef: row.externalRef, marketCode: row.marketCode,
    links: links.map((l, i) => ({ ...l, reason: texts[i] })),
    unresolved: row.unresolved.map((u, i) => ({ ...u, reason: texts[links.length + i] })),
    resolved: await storedReferences(sql, principal,
      { customer: row.customerId, address: row.addressId, contract: row.contractId, equipment: row.equipmentId },
      { customer: row.customerRef, address: row.addressRef, contract: row.contractRef, equipment: row.equipmentRef }),
  }
}

/** An incident's links to findings the principal may see, oldest first. */
export async function linksOf(sql: SqlClient, principal: Principal, incidentId: string): Promise<IncidentLink[]> {
  const markets = principal.markets === null ? null : [...principal.markets]
  const { rows } = await sql.query<IncidentLink>(`
    SELECT f.id AS "findingId", f.fingerprint AS finding, f."ruleId", coalesce(fi.reason, '') AS reason
    FROM finding_incident fi JOIN finding f ON f.id = fi."findingId"
    WHERE fi."incidentId" = $1 AND ($2::text[] IS NULL OR f."marketCode" = ANY($2::text[]))
    ORDER BY fi."createdAt", f.fingerprint`, [incidentId, markets])
  return rows
}

/**
 * The market an incident belongs to: that of the records it names, when they have one between them; with
 * none resolved, the caller's own market when it is limited to exactly one (so it sees what it registered).
 */
function marketOf(resolved: readonly ResolvedReference[], principal: Principal): string | null {
  const markets = new Set(resolved.flatMap((r) => r.markets))
  if (markets.size === 1) return [...markets][0]
  if (markets.size === 0 && principal.markets?.length === 1) return principal.markets[0]
  return null
}
