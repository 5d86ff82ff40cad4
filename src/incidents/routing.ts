// Routing: which responsible group and support line a finding goes to (rules/routing.yaml), and the routing
// step an audit or re-check runs right after reconciling — it gives every finding of the run that has no
// group yet its group, line and SLA dues (acknowledge-by, resolve-by) in two set-based statements.
import { resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { z } from '../i18n/zod.ts'
import type { SqlClient } from '../db/database.ts'
import { DEFAULT_RULES_DIR } from '../engine/catalog.ts'
import { formatIssues } from '../engine/rule-schema.ts'
import { OPEN_STATUSES, type Placement } from '../engine/findings.ts'
import type { AfterReconcileStep } from '../engine/audit.ts'
import { SEVERITIES } from '../engine/types.ts'
import { InputError } from '../errors.ts'
import { fileLoader } from './config-file.ts'
import { moduleLogger } from '../logger.ts'
import { seedGroups, type GroupInput } from './groups.ts'
import { DEFAULT_SLA_FILE, duesOf, loadSla, type SlaConfig } from './sla.ts'
import { CONFIG_RU, INCIDENT_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('routing')

export const DEFAULT_ROUTING_FILE = resolve(DEFAULT_RULES_DIR, 'routing.yaml')

/** One routing rule: what it matches (null: anything) and where it sends the finding. */
export interface Route {
  rule: string | null
  market: string | null
  equipmentType: string | null
  group: string
  /** null: the group's own support line */
  line: number | null
  /** position in the file, for messages */
  index: number
}

export interface RoutingConfig {
  file: string
  /** where findings no route matches go; they are marked unrouted */
  defaultGroup: string
  defaultLine: number | null
  groups: GroupInput[]
  routes: Route[]
}

const code = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: CONFIG_RU.code })
const pattern = z.union([z.literal('*'), code]).default('*')
const line = z.union([z.literal(1), z.literal(2), z.literal(3)])

const routingSchema = z.strictObject({
  default: z.strictObject({ group: code, line: line.optional() }),
  groups: z.array(z.strictObject({
    code,
    name: z.string().trim().min(1),
    email: z.string().trim().min(1).optional(),
    line,
    markets: z.array(code).default([]),
    equipmentTypes: z.array(code).default([]),
  })).default([]),
  routes: z.array(z.strictObject({ rule: pattern, market: pattern, equipmentType: pattern, group: code, line: line.optional() })).default([]),
}).superRefine((c, ctx) => {
  const codes = new Map<string, number>()
  c.groups.forEach((g, i) => {
    if (codes.has(g.code)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'code'], message: CONFIG_RU.listedTwice(g.code, `groups.${codes.get(g.code)}`) })
    else codes.set(g.code, i)
  })
  const seen = new Map<string, number>()
  c.routes.forEach((r, i) => {
    const key = `${r.rule}|${r.market}|${r.equipmentType}`
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['routes', i], message: CONFIG_RU.sameRoute(`routes.${seen.get(key)}`) })
    else seen.set(key, i)
  })
})

/** Parses and validates a routing document; errors name the file and the field. */
export function parseRouting(text: string, file: string): RoutingConfig {
  const doc = parseDocument(text)
  if (doc.errors.length) throw new InputError(`${file}: ${doc.errors[0].message}`)
  const parsed = routingSchema.safeParse(doc.toJS())
  if (!parsed.success) throw new InputError(`${file}: ${formatIssues(parsed.error.issues).join('; ')}`)
  const c = parsed.data
  const any = (v: string) => (v === '*' ? null : v)
  return {
    file,
    defaultGroup: c.default.group,
    defaultLine: c.default.line ?? null,
    groups: c.groups.map((g) => ({ code: g.code, name: g.name, email: g.email ?? null, line: g.line, markets: g.markets, equipmentTypes: g.equipmentTypes })),
    routes: c.routes.map((r, index) => ({ rule: any(r.rule), market: any(r.market), equipmentType: any(r.equipmentType), group: r.group, line: r.line ?? null, index })),
  }
}

const readConfig = fileLoader('routing', parseRouting)

/** The routing of `file` (default rules/routing.yaml), read again only when the file changes. */
export function loadRouting(file: string = DEFAULT_ROUTING_FILE): Promise<RoutingConfig> {
  return readConfig(file)
}

/** How specific a route is: naming the rule outweighs naming the market, which outweighs naming the equipment type. */
export function specificity(route: Pick<Route, 'rule' | 'market' | 'equipmentType'>): number {
  return (route.rule ? 4 : 0) + (route.market ? 2 : 0) + (route.equipmentType ? 1 : 0)
}

export interface RoutableFinding { ruleId: string; marketCode: string | null; equipmentTypeCode: string | null }

/**
 * The route of a finding: the most specific matching one (see `specificity`). Two matching routes of the same
 * specificity would name the same values, which the file's validation refuses — so there are no ties; the
 * earlier route in the file would win. A wildcard matches a finding without a market or type; a named value
 * does not. Null: no route matches.
 */
export function pickRoute(routes: readonly Route[], f: RoutableFinding): Route | null {
  let best: Route | null = null
  for (const r of routes) {
    if ((r.rule !== null && r.rule !== f.ruleId) || (r.market !== null && r.market !== f.marketCode)
      || (r.equipmentType !== null && r.equipmentType !== f.equipmentTypeCode)) continue
    if (!best || specificity(r) > specificity(best)) best = r
  }
  return best
}

export interface RoutingOptions {
  /** when the SLA clock starts; default now */
  now?: Date
  routingFile?: string
  slaFile?: string
  /** the files read and the groups made sure of beforehand (prepareRouting): a run routes inside its findings' transaction */
  prepared?: PreparedRouting
}

/** The routing and SLA files in force, with the groups they name present in the database. */
export interface PreparedRouting { routing: RoutingConfig; sla: SlaConfig }

export interface RoutingResult {
  /** findings given a group and dues */
  routed: number
  /** of those, the ones no route matched (sent to the default group) */
  unrouted: number
  /** reopened findings whose SLA dues started again */
  restarted: number
}

// the routing files' groups are seeded once per database client and file version (the loader parses each
// version once, so its config object stands for it)
const seeded = new WeakMap<SqlClient, WeakSet<RoutingConfig>>()

async function ensureGroups(sql: SqlClient, config: RoutingConfig) {
  let done = seeded.get(sql)
  if (!done) seeded.set(sql, (done = new WeakSet()))
  if (done.has(config)) return
  const created = await seedGroups(sql, config.groups)
  if (created.length) log.info({ file: config.file, groups: created }, 'responsible groups created from the routing file')
  const named = [...new Set([config.defaultGroup, ...config.routes.map((r) => r.group)])]
  const { rows } = await sql.query<{ code: string }>('SELECT code FROM responsible_group WHERE code = ANY($1::text[])', [named])
  const known = new Set(rows.map((r) => r.code))
  const problems: string[] = []
  if (!known.has(config.defaultGroup)) problems.push(`default.group: ${INCIDENT_RU.groupNotFound(config.defaultGroup)}`)
  for (const r of config.routes) if (!known.has(r.group)) problems.push(`routes.${r.index}.group: ${INCIDENT_RU.groupNotFound(r.group)}`)
  if (problems.length) throw new InputError(INCIDENT_RU.groupsUnknown(config.file, problems.join('; '), 'groups'))
  done.add(config)
}

/**
 * Reads the routing and SLA files and creates the groups they list that are missing (once per file version and
 * database client): before a run's transaction, so that a routing file naming an unknown group fails the run
 * before any finding is touched.
 */
export async function prepareRouting(sql: SqlClient, options: Pick<RoutingOptions, 'routingFile' | 'slaFile'> = {}): Promise<PreparedRouting> {
  const [routing, sla] = await Promise.all([loadRouting(options.routingFile ?? DEFAULT_ROUTING_FILE), loadSla(options.slaFile ?? DEFAULT_SLA_FILE)])
  await ensureGroups(sql, routing)
  return { routing, sla }
}

const ROUTABLE = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

/**
 * The routing step of run `runId`: each open finding the run saw that has no group yet gets the group and line
 * of its route (or the default group, marked unrouted) and its SLA dues counted from `now`; a finding the run
 * reopened keeps its group and gets new dues. Set-based: the distinct (rule, market, type) of those findings
 * are routed here, and one UPDATE joins the findings with that mapping.
 */
export function placementOf(prepared: PreparedRouting, keys: readonly RoutableFinding[], now: Date): Placement {
  const { routing, sla } = prepared
  return {
    routes: keys.map((k) => {
      const route = pickRoute(routing.routes, k)
      return { ruleId: k.ruleId, marketCode: k.marketCode, equipmentTypeCode: k.equipmentTypeCode,
        group: route?.group ?? routing.defaultGroup, line: route ? route.line : routing.defaultLine, unrouted: route === null }
    }),
    dues: SEVERITIES.map((severity) => ({ severity, ...duesOf(sla, severity, now) })),
  }
}

/**
 * The routing step as an audit hands it over: `placement` routes the run's new findings as reconcile inserts them
 * (and counts them), the step routes the rest (reopened ones, those without a group) and adds those counts.
 */
export function routingStep(prepared: PreparedRouting): AfterReconcileStep {
  let placed = { routed: 0, unrouted: 0 }
  const step: AfterReconcileStep = async (tx, runId) => {
    const result = await routeRunFindings(tx, runId, { prepared })
    return { ...result, routed: result.routed + placed.routed, unrouted: result.unrouted + placed.unrouted }
  }
  step.placement = {
    place: (keys) => placementOf(prepared, keys, new Date()),
    placed: (routed, unrouted) => { placed = { routed, unrouted } },
  }
  return step
}

export async function routeRunFindings(sql: SqlClient, runId: string, options: RoutingOptions = {}): Promise<RoutingResult> {
  // PostgreSQL's JIT compiles these two statements for longer than they run (the finding-event subplan inflates their
  // cost past jit_above_cost: 190 ms of compiling for 40 ms of work at 18,746 findings); off for them, then as it was
  // (set_config(…, true) lasts to the end of the transaction: the audit's, which goes on after this)
  const { rows: [jit] } = await sql.query<{ was: string }>(`SELECT current_setting('jit') AS was`)
  await sql.query(`SELECT set_config('jit', 'off', true)`)
  try {
    return await route(sql, runId, options)
  } finally {
    await sql.query(`SELECT set_config('jit', $1, true)`, [jit.was])
  }
}

async function route(sql: SqlClient, runId: string, options: RoutingOptions): Promise<RoutingResult> {
  const { routing, sla } = options.prepared ?? await prepareRouting(sql, options)
  const now = options.now ?? new Date()
  // the findings to route: new ones without a group, and ones this run reopened (their SLA starts again)
  const target = (f: string) => `${f}."lastRunId" = $1::uuid AND ${f}.status IN (${ROUTABLE}) AND (${f}."groupId" IS NULL OR (${f}.status = 'REOPENED'
    AND EXISTS (SELECT 1 FROM finding_event e WHERE e."findingId" = ${f}.id AND e."runId" = $1::uuid AND e.action IN ('reopened', 'waiver-expired'))))`
  const { rows: combos } = await sql.query<RoutableFinding>(
    `SELECT DISTINCT f."ruleId", f."marketCode", f."equipmentTypeCode" FROM finding f WHERE ${target('f')} AND f."groupId" IS NULL`, [runId])
  const { routes: mapping, dues } = placementOf({ routing, sla }, combos, now)
  // '' stands for «no market / no type» so the join can hash
  const { rows } = await sql.query<{ routed: number; unrouted: number; restarted: number }>(`
    WITH routes AS (
      SELECT m.rule, m.market, m.eqtype, g.id AS "groupId", COALESCE(m.line, g."supportLine") AS line, m.unrouted
      FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::boolean[]) AS m(rule, market, eqtype, grp, line, unrouted)
      JOIN responsible_group g ON g.code = m.grp
    ), sla AS (
      SELECT * FROM unnest($8::text[], $9::timestamptz[], $10::timestamptz[]) AS s(severity, ack, due)
    ), updated AS (
      UPDATE finding f SET
        "groupId" = COALESCE(f."groupId", r."groupId"),
        "supportLine" = CASE WHEN f."groupId" IS NULL THEN r.line ELSE f."supportLine" END,
        unrouted = CASE WHEN f."groupId" IS NULL THEN r.unrouted ELSE f.unrouted END,
        "ackDueAt" = s.ack, "dueAt" = s.due, "updatedAt" = now()
      FROM finding x
        JOIN sla s ON s.severity = x.severity::text
        LEFT JOIN routes r ON r.rule = x."ruleId" AND r.market = COALESCE(x."marketCode", '') AND r.eqtype = COALESCE(x."equipmentTypeCode", '')
      WHERE f.id = x.id AND ${target('x')} AND (x."groupId" IS NOT NULL OR r."groupId" IS NOT NULL)
      RETURNING f.id, x."groupId" IS NULL AS fresh, f.unrouted
    )
    SELECT count(*) FILTER (WHERE fresh)::int AS routed, count(*) FILTER (WHERE fresh AND unrouted)::int AS unrouted,
      count(*) FILTER (WHERE NOT fresh)::int AS restarted FROM updated`,
  [runId,
    mapping.map((m) => m.ruleId), mapping.map((m) => m.marketCode ?? ''), mapping.map((m) => m.equipmentTypeCode ?? ''),
    mapping.map((m) => m.group), mapping.map((m) => m.line), mapping.map((m) => m.unrouted),
    dues.map((d) => d.severity), dues.map((d) => d.ackDueAt.toISOString()), dues.map((d) => d.dueAt.toISOString())])
  const result = rows[0] ?? { routed: 0, unrouted: 0, restarted: 0 }
  if (result.unrouted > 0) log.info({ runId, unrouted: result.unrouted, defaultGroup: routing.defaultGroup }, 'findings without a route went to the default group')
  return result
}
