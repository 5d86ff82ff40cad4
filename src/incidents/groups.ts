// Responsible groups: who fixes findings — a code, a name, e-mail addresses, the support line it works on
// (1, 2, 3) and the markets and equipment types it covers (none listed: all of them). The database holds
// them; rules/routing.yaml seeds the ones it names that do not exist yet, and GraphQL manages them.
import type { Database, SqlClient } from '../db/database.ts'
import { NotFoundError, ValidationFailed, type FieldProblem, ConflictError } from '../errors.ts'
import { PROBLEM_RU } from '../i18n/ru.ts'
import { INCIDENT_RU } from '../i18n/ru-errors.ts'

export interface GroupInput {
  code: string
  name: string
  email?: string | null
  line: number
  /** market codes it covers; empty: every market */
  markets?: readonly string[]
  /** equipment type codes it covers; empty: every type */
  equipmentTypes?: readonly string[]
}

export interface GroupPatch {
  name?: string
  email?: string | null
  line?: number
  markets?: readonly string[]
  equipmentTypes?: readonly string[]
}

/** A group with what it covers, as routing and escalation read it. */
export interface GroupCoverage {
  id: number
  code: string
  name: string
  email: string | null
  line: number
  markets: string[]
  equipmentTypes: string[]
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/

/** The e-mail addresses of a group's `email` field (several may be given, separated by commas or semicolons). */
export function emailsOf(email: string | null | undefined): string[] {
  return (email ?? '').split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean)
}

/** Problems with a group's fields (code only when creating). */
function checkGroup(input: Partial<GroupInput>, creating: boolean): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (creating && !CODE.test(input.code ?? '')) {
    problems.push({ field: 'code', code: 'INVALID', message: PROBLEM_RU.groupCode })
  }
  if (input.name !== undefined && !input.name.trim()) problems.push({ field: 'name', code: 'REQUIRED', message: PROBLEM_RU.empty })
  if (input.name !== undefined && input.name.length > 200) problems.push({ field: 'name', code: 'TOO_LONG', message: PROBLEM_RU.tooLong(200) })
  if (input.line !== undefined && ![1, 2, 3].includes(input.line)) problems.push({ field: 'line', code: 'INVALID', message: PROBLEM_RU.supportLine })
  if (input.email != null && input.email.trim() !== '') {
    const bad = emailsOf(input.email).filter((e) => !EMAIL.test(e))
    if (bad.length || input.email.length > 1000) problems.push({ field: 'email', code: 'INVALID', message: PROBLEM_RU.notEmail(bad.join(', ') || input.email) })
  }
  return problems
}

async function idsOf(sql: SqlClient, table: 'market' | 'equipment_type', codes: readonly string[], field: string, problems: FieldProblem[]) {
  const unique = [...new Set(codes)]
  if (unique.length === 0) return []
  const { rows } = await sql.query<{ id: number; code: string }>(`SELECT id, code FROM ${table} WHERE code = ANY($1::text[])`, [unique])
  const unknown = unique.filter((c) => !rows.some((r) => r.code === c))
  if (unknown.length) problems.push({ field, code: 'UNKNOWN', message: table === 'market' ? PROBLEM_RU.unknownMarkets(unknown.join(', ')) : PROBLEM_RU.unknownEquipmentTypes(unknown.join(', ')) })
  return rows.map((r) => r.id)
}

/** Creates a group; a taken code is a Conflict, bad fields a ValidationFailed naming each. */
export async function createGroup(db: Pick<Database, 'sql'>, input: GroupInput): Promise<GroupCoverage> {
  const problems = checkGroup(input, true)
  return db.sql.transaction(async (tx) => {
    const markets = await idsOf(tx, 'market', input.markets ?? [], 'markets', problems)
    const types = await idsOf(tx, 'equipment_type', input.equipmentTypes ?? [], 'equipmentTypes', problems)
    if (problems.length) throw new ValidationFailed(problems)
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO responsible_group (code, name, email, "supportLine") VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [input.code, input.name.trim(), input.email?.trim() || null, input.line])
    if (!rows[0]) throw new ConflictError(INCIDENT_RU.groupExists(input.code))
    await setCoverage(tx, rows[0].id, markets, types)
    return (await readGroups(tx, { codes: [input.code] }))[0]
  })
}

/** Changes a group's fields; the markets and equipment types given replace the ones it had. */
export async function updateGroup(db: Pick<Database, 'sql'>, code: string, patch: GroupPatch): Promise<GroupCoverage> {
  const problems = checkGroup(patch, false)
  return db.sql.transaction(async (tx) => {
    const { rows: [group] } = await tx.query<{ id: number }>('SELECT id FROM responsible_group WHERE code = $1 FOR UPDATE', [code])
    if (!group) throw new NotFoundError(INCIDENT_RU.groupNotFound(code))
    const markets = patch.markets ? await idsOf(tx, 'market', patch.markets, 'markets', problems) : null
    const types = patch.equipmentTypes ? await idsOf(tx, 'equipment_type', patch.equipmentTypes, 'equipmentTypes', problems) : null
    if (problems.length) throw new ValidationFailed(problems)
    await tx.query(`UPDATE responsible_group SET name = COALESCE($2, name), email = CASE WHEN $3::boolean THEN $4 ELSE email END,
        "supportLine" = COALESCE($5, "supportLine"), "updatedAt" = now() WHERE id = $1`,
      [group.id, patch.name?.trim() ?? null, patch.email !== undefined, patch.email?.trim() || null, patch.line ?? null])
    if (markets) {
      await tx.query('DELETE FROM responsible_group_market WHERE "groupId" = $1', [group.id])
      await setCoverage(tx, group.id, markets, [])
    }
    if (types) {
      await tx.query('DELETE FROM responsible_group_equipment_type WHERE "groupId" = $1', [group.id])
      await setCoverage(tx, group.id, [], types)
    }
    return (await readGroups(tx, { codes: [code] }))[0]
  })
}

async function setCoverage(sql: SqlClient, groupId: number, marketIds: number[], typeIds: number[]) {
  if (marketIds.length) {
    await sql.query(`INSERT INTO responsible_group_market ("groupId", "marketId") SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`, [groupId, marketIds])
  }
  if (typeIds.length) {
    await sql.query(`INSERT INTO responsible_group_equipment_type ("groupId", "equipmentTypeId") SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`, [groupId, typeIds])
  }
}

/** Every group (or those of `codes`) with its coverage, by code. */
export async function readGroups(sql: SqlClient, filter: { codes?: readonly string[] } = {}): Promise<GroupCoverage[]> {
  const { rows } = await sql.query<GroupCoverage>(`
    SELECT g.id, g.code, g.name, g.email, g."supportLine" AS line,
      COALESCE((SELECT array_agg(m.code ORDER BY m.code) FROM responsible_group_market gm JOIN market m ON m.id = gm."marketId" WHERE gm."groupId" = g.id), '{}') AS markets,
      COALESCE((SELECT array_agg(t.code ORDER BY t.code) FROM responsible_group_equipment_type gt JOIN equipment_type t ON t.id = gt."equipmentTypeId" WHERE gt."groupId" = g.id), '{}') AS "equipmentTypes"
    FROM responsible_group g WHERE ($1::text[] IS NULL OR g.code = ANY($1::text[])) ORDER BY g.code`, [filter.codes ? [...filter.codes] : null])
  return rows
}

/**
 * Creates the groups of a routing file that the database does not have yet, with the markets and equipment
 * types of theirs that exist. Existing groups are left as they are: after the first seeding, the database
 * (managed through GraphQL) is the truth.
 */
export async function seedGroups(sql: SqlClient, groups: readonly GroupInput[]): Promise<string[]> {
  if (groups.length === 0) return []
  const { rows } = await sql.query<{ id: number; code: string }>(`
    INSERT INTO responsible_group (code, name, email, "supportLine")
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) ON CONFLICT (code) DO NOTHING RETURNING id, code`,
  [groups.map((g) => g.code), groups.map((g) => g.name), groups.map((g) => g.email ?? null), groups.map((g) => g.line)])
  if (rows.length === 0) return []
  const idOf = new Map(rows.map((r) => [r.code, r.id]))
  const created = groups.filter((g) => idOf.has(g.code))
  const pairs = (list: (g: GroupInput) => readonly string[] | undefined) => created.flatMap((g) => (list(g) ?? []).map((c) => [idOf.get(g.code)!, c] as const))
  const markets = pairs((g) => g.markets)
  if (markets.length) {
    await sql.query(`INSERT INTO responsible_group_market ("groupId", "marketId")
      SELECT p.g, m.id FROM unnest($1::int[], $2::text[]) AS p(g, c) JOIN market m ON m.code = p.c ON CONFLICT DO NOTHING`,
    [markets.map((p) => p[0]), markets.map((p) => p[1])])
  }
  const types = pairs((g) => g.equipmentTypes)
  if (types.length) {
    await sql.query(`INSERT INTO responsible_group_equipment_type ("groupId", "equipmentTypeId")
      SELECT p.g, t.id FROM unnest($1::int[], $2::text[]) AS p(g, c) JOIN equipment_type t ON t.code = p.c ON CONFLICT DO NOTHING`,
    [types.map((p) => p[0]), types.map((p) => p[1])])
  }
  return rows.map((r) => r.code)
}

/**
 * The group of support line `line` that covers a finding's market and equipment type, most specific first
 * (listing the market beats covering every market, then listing the type beats covering every type; ties by
 * code). A group that lists markets does not cover a finding without a market; the same for types. Null: none.
 */
export function coveringGroup(groups: readonly GroupCoverage[], line: number, finding: { marketCode: string | null; equipmentTypeCode: string | null }): GroupCoverage | null {
  let best: { group: GroupCoverage; score: number } | null = null
  for (const g of groups) {
    if (g.line !== line) continue
    const market = g.markets.length === 0 ? 0 : finding.marketCode !== null && g.markets.includes(finding.marketCode) ? 2 : -1
    const type = g.equipmentTypes.length === 0 ? 0 : finding.equipmentTypeCode !== null && g.equipmentTypes.includes(finding.equipmentTypeCode) ? 1 : -1
    if (market < 0 || type < 0) continue
    const score = market + type
    if (!best || score > best.score || (score === best.score && g.code < best.group.code)) best = { group: g, score }
  }
  return best?.group ?? null
}
