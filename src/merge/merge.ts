// Merging duplicates (SPEC «Merging duplicates»): a group of addresses or customers becomes one survivor in one
// transaction — the members' contracts, devices and incidents move to it, their keys become its aliases, «not a
// duplicate» marks naming them are re-pointed, the members are deleted — and a record_merge row keeps who, when,
// what moved and everything undo (unmerge.ts) needs. The survivor's new values go through the record model as an
// update does. Statements are set-based and raw (no Prisma model calls): the CLI merges thousands of groups.
import { randomUUID } from 'node:crypto'
import { can, PERMISSIONS } from '../access/permissions.ts'
import { visibleSql, type Principal } from '../access/scope.ts'
import { recheckForCaller } from '../audits/after-write.ts'
import type { Database, SqlClient } from '../db/database.ts'
import { prepareRecheck, type RecheckPlan } from '../engine/incremental.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed } from '../errors.ts'
import { MERGE_RU } from '../i18n/ru-merge.ts'
import { RECORD_RU } from '../i18n/ru-records.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { moduleLogger } from '../logger.ts'
import { checkRecord } from '../masterdata/record.ts'
import { recordSpec, referrersOf, tableOf, type EntityRef, type RecordSpec } from '../records/model.ts'
import { storedValues } from '../records/stored.ts'
import { buildPlan, upsert } from '../records/write-plan.ts'
import { resolveAliases } from './aliases.ts'
import { proposalOrder, proposeSurvivor } from './survivor.ts'
import { isMergeableType, MERGEABLE_TYPES, type MergeableType, type MergeField, type MergeInput, type MergeMember, type MergeMove, type MergeRecord, type MergeResult, type SurvivorReason } from './types.ts'

const log = moduleLogger('merge')

/** The most records one merge takes: a duplicate group is a handful; a longer list is a mistake. */
export const MAX_MERGE_KEYS = 50

export interface MergeOptions {
  actor: string
  asOf?: string
  rulesDir?: string
  /** where the re-check goes when it fails in the request (the merge is stored by then) */
  jobs?: JobQueue
  /** false: no re-check after the merge (bulk work re-checks once at the end with result.changes) */
  recheck?: boolean
}

// ─── what a merge moves, read off the model (plus incidents, which are no record type) ───

export interface MoveSpec { table: string; column: string; key: string; type: MergeMove['type']; field: MergeMove['field']; scoped: string }

/** Per mergeable type, the tables whose rows refer to a member: contracts and devices (the model's referrers), incidents. */
export function movesOf(type: MergeableType): MoveSpec[] {
  const moves: MoveSpec[] = referrersOf(type).filter((r) => r.column.cell.kind === 'ref').map((r) => {
    const spec = recordSpec(r.type)
    // a scoped key moves only records it sees (visibleSql's $2: its markets)
    return { table: spec.table, column: r.column.db!, key: spec.key.db, type: r.type as MergeMove['type'], field: type, scoped: visibleSql(r.type, 'x', '$2') }
  })
  moves.push({ table: 'incident', column: type === 'customer' ? 'customerId' : 'addressId', key: 'id', type: 'incident', field: type,
    scoped: `(x."marketCode" IS NULL OR x."marketCode" = ANY($2::text[]))` })
  return moves
}

// ─── the input ───

/** A merge's input checked: keys resolved (an alias stands for its record), without repeats, in the order given. */
export interface Group {
  type: MergeableType
  spec: RecordSpec
  table: string
  keyColumn: string
  keys: string[]
  survivor?: string
  fields: Record<string, string>
  findingId?: string
  version?: string
}

export function mayMerge(principal: Principal) {
  if (!can(principal.role, 'mergeRecords')) throw new ForbiddenError(MERGE_RU.forbiddenRole(principal.role, PERMISSIONS.mergeRecords))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Checks a merge's input (every problem at once); the finding it names must exist and be the caller's to see. */
export async function checkInput(sql: SqlClient, principal: Principal, input: MergeInput): Promise<Group> {
  mayMerge(principal)
  if (!isMergeableType(input.type)) {
    throw new ValidationFailed([{ field: 'type', code: 'INVALID', message: MERGE_RU.notMergeable(String(input.type), MERGEABLE_TYPES) }])
  }
  const type = input.type
  const spec = recordSpec(type)
  const problems: ValidationFailed['problems'] = []
  const given = (input.keys ?? []).map((k) => String(k).trim()).filter((k) => k !== '')
  const wanted = [...given, ...(input.survivor ? [input.survivor.trim()] : []), ...Object.values(input.fields ?? {}).map((k) => String(k).trim())]
  const aliases = await resolveAliases(sql, type, wanted)
  const resolve = (k: string) => aliases.get(k) ?? k
  const keys = [...new Set(given.map(resolve))]
  // two records given that are one by now: merged meanwhile (a repeated request, or another person's merge)
  const merged = given.find((k) => aliases.has(k))
  if (keys.length < 2 && new Set(given).size >= 2 && merged !== undefined) throw new ConflictError(MERGE_RU.memberGone(type, merged))
  if (keys.length < 2) problems.push({ field: 'keys', code: 'TOO_FEW', message: MERGE_RU.tooFewKeys })
  if (keys.length > MAX_MERGE_KEYS) problems.push({ field: 'keys', code: 'TOO_MANY', message: MERGE_RU.tooManyKeys(MAX_MERGE_KEYS) })
  const survivor = input.survivor?.trim() ? resolve(input.survivor.trim()) : undefined
  if (survivor !== undefined && !keys.includes(survivor)) problems.push({ field: 'survivor', code: 'NOT_A_MEMBER', message: MERGE_RU.survivorNotMember(survivor) })
  const columns = spec.columns.map((c) => c.csv)
  const fields: Record<string, string> = {}
  for (const [field, from] of Object.entries(input.fields ?? {})) {
    const key = resolve(String(from).trim())
    if (!columns.includes(field)) problems.push({ field: `fields.${field}`, code: 'UNKNOWN_FIELD', message: MERGE_RU.unknownField(field, columns) })
    else if (!keys.includes(key)) problems.push({ field: `fields.${field}`, code: 'NOT_A_MEMBER', message: MERGE_RU.fieldFromNotMember(field, key) })
    else fields[field] = key
  }
  if (input.version !== undefined && input.version !== null && parseVersion(input.version) === null) {
    problems.push({ field: 'version', code: 'INVALID', message: MERGE_RU.badVersion })
  }
  const findingId = input.findingId?.trim() || undefined
  if (findingId !== undefined && !UUID.test(findingId)) problems.push({ field: 'findingId', code: 'INVALID', message: MERGE_RU.badFindingId(findingId) })
  if (problems.length) throw new ValidationFailed(problems)
  if (findingId !== undefined) {
    const { rows: [finding] } = await sql.query<{ marketCode: string | null }>(`SELECT "marketCode" FROM finding WHERE id = $1::uuid`, [findingId])
    if (!finding || (principal.markets !== null && (finding.marketCode === null || !principal.markets.includes(finding.marketCode)))) {
      throw new NotFoundError(MERGE_RU.findingNotFound(findingId))
    }
  }
  const { table, key: keyColumn } = tableOf(type)
  return { type, spec, table, keyColumn, keys, survivor, fields, findingId, version: input.version ?? undefined }
}

// ─── the optimistic token ───

/**
 * A preview's token: per member, its key and its row's md5 (shortened), sorted by key — readable back, so a refused
 * merge names the member that changed. base64url of JSON.
 */
export function versionOf(members: ReadonlyArray<{ key: string; hash: string }>): string {
  const pairs = members.map((m) => [m.key, m.hash.slice(0, 16)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return Buffer.from(JSON.stringify(pairs)).toString('base64url')
}

function parseVersion(version: string): Map<string, string> | null {
  try {
    const pairs = JSON.parse(Buffer.from(version, 'base64url').toString('utf8')) as unknown
    if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'))) return null
    return new Map(pairs as Array<[string, string]>)
  } catch {
    return null
  }
}

// ─── the members ───

export interface LockedMember { id: number; key: string; hash: string; row: Record<string, unknown> }

/**
 * The members' rows, locked FOR UPDATE in id order (two merges of overlapping groups queue up instead of
 * deadlocking). A key with no row the caller sees: Conflict when it has just become an alias (merged meanwhile),
 * else NotFound — for a row of another market the same text as for a missing one.
 */
export async function lockMembers(tx: SqlClient, principal: Principal, group: Group): Promise<LockedMember[]> {
  const scoped = principal.markets !== null
  const { rows } = await tx.query<LockedMember & { visible: boolean }>(
    `SELECT x.id, x."${group.keyColumn}" AS key, md5(row_to_json(x)::text) AS hash, row_to_json(x) AS row,
            ${scoped ? visibleSql(group.type, 'x', '$2') : 'true'} AS visible
       FROM "${group.table}" x WHERE x."${group.keyColumn}" = ANY($1::text[]) ORDER BY x.id FOR UPDATE OF x`,
    scoped ? [group.keys, principal.markets] : [group.keys])
  const byKey = new Map(rows.map((r) => [r.key, r]))
  const missing = group.keys.filter((k) => !byKey.get(k)?.visible)
  if (missing.length) {
    const merged = await resolveAliases(tx, group.type, missing)
    const gone = missing.find((k) => merged.has(k) && !byKey.has(k))
    if (gone !== undefined) throw new ConflictError(MERGE_RU.memberGone(group.type, gone))
    throw new NotFoundError(RECORD_RU.notFound(group.type, missing[0]))
  }
  if (group.version !== undefined) {
    const known = parseVersion(group.version)!
    const changed = group.keys.filter((k) => known.get(k) !== byKey.get(k)!.hash.slice(0, 16))
    const extra = [...known.keys()].filter((k) => !group.keys.includes(k))
    if (changed.length || extra.length) throw new ConflictError(MERGE_RU.membersChanged(group.type, [...changed, ...extra]))
  }
  return group.keys.map((k) => byKey.get(k)!)
}

/** Refuses a group two of whose members a person marked «not a duplicate». */
export async function refuseMarked(tx: SqlClient, group: Group) {
  const { rows: [mark] } = await tx.query<{ id: number; keyA: string; keyB: string }>(
    `SELECT id, "keyA", "keyB" FROM distinct_mark WHERE "entityType" = $1 AND "removedAt" IS NULL
        AND "keyA" = ANY($2::text[]) AND "keyB" = ANY($2::text[]) ORDER BY id LIMIT 1`, [group.type, group.keys])
  if (mark) throw new ConflictError(MERGE_RU.markedDistinct(group.type, mark.keyA, mark.keyB, mark.id))
}

type Values = Record<string, string | null>

/** Each member as a merge shows it: import values, how many are filled, its links, when it was created. */
export async function describeMembers(tx: SqlClient, group: Group, locked: LockedMember[]): Promise<MergeMember[]> {
  const values = new Map<string, Values>()
  // one connection (a transaction) takes one statement at a time
  for (const m of locked) values.set(m.key, toValues((await storedValues(tx, group.type, m.key))!))
  const devices = group.type === 'customer'
    ? `(SELECT count(*) FROM equipment e JOIN contract c ON c.id = e."contractId" WHERE c."customerId" = x.id)`
    : `(SELECT count(*) FROM equipment e WHERE e."addressId" = x.id)`
  const column = group.type === 'customer' ? 'customerId' : 'addressId'
  const { rows } = await tx.query<{ id: number; contracts: number; devices: number; incidents: number; createdAt: Date }>(
    `SELECT x.id, (SELECT count(*) FROM contract c WHERE c."${column}" = x.id)::int AS contracts, ${devices}::int AS devices,
            (SELECT count(*) FROM incident i WHERE i."${column}" = x.id)::int AS incidents, x."createdAt"
       FROM "${group.table}" x WHERE x.id = ANY($1::int[])`, [locked.map((m) => m.id)])
  const links = new Map(rows.map((r) => [r.id, r]))
  const columns = group.spec.columns.map((c) => c.csv)
  return locked.map((m) => {
    const v = values.get(m.key)!
    const l = links.get(m.id)!
    return {
      key: m.key, values: v, filled: columns.filter((c) => filled(v[c])).length,
      contracts: l.contracts, devices: l.devices, incidents: l.incidents, createdAt: new Date(l.createdAt),
    }
  })
}

const filled = (v: string | null | undefined) => v !== null && v !== undefined && v.trim() !== ''

function toValues(stored: Record<string, string | readonly string[] | null>): Values {
  return Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, v === null ? null : typeof v === 'string' ? v : v.join(';')]))
}

/** The survivor (given, or the SPEC's proposal) and the members survivor first, then in the order given. */
export function pickSurvivor(group: Group, members: MergeMember[]): { survivor: string; proposed: string; reason: SurvivorReason; ordered: MergeMember[] } {
  const proposal = proposeSurvivor(members)
  const survivor = group.survivor ?? proposal.key
  const reason: SurvivorReason = group.survivor !== undefined && group.survivor !== proposal.key ? 'chosen' : proposal.reason
  const ordered = [members.find((m) => m.key === survivor)!, ...members.filter((m) => m.key !== survivor)]
  return { survivor, proposed: proposal.key, reason, ordered }
}

/**
 * Per import column, the value the survivor takes: the one chosen (`fields`), else the survivor's own, else — when
 * the survivor's is empty — that of the first member in the proposal's order that has one.
 */
export function chooseFields(spec: RecordSpec, ordered: MergeMember[], chosen: Record<string, string>): MergeField[] {
  const survivor = ordered[0]
  const order = proposalOrder(ordered)
  return spec.columns.map((c) => {
    const field = c.csv
    const from = chosen[field]
      ?? (filled(survivor.values[field]) ? survivor.key : order.find((m) => filled(m.values[field]))?.key ?? survivor.key)
    const options = ordered.map((m) => ({ key: m.key, value: m.values[field] ?? null }))
    const value = options.find((o) => o.key === from)!.value
    return { field, from, value, options, differs: options.some((o) => (o.value ?? '') !== (options[0].value ?? '')) }
  })
}

// ─── the writes ───

/** What undo restores and checks: rows before, re-pointed aliases and marks, and the md5 of each touched row after. */
export interface Snapshot {
  survivor: Record<string, unknown>
  members: Array<Record<string, unknown>>
  /** per moved table, its rows before */
  moved: Record<string, Array<Record<string, unknown>>>
  /** aliases of earlier merges that pointed at a member: alias → its target before */
  aliases: Array<{ alias: string; targetKey: string }>
  /** «not a duplicate» marks re-pointed (or retired as repeats of the survivor's own): rows before */
  marks: Array<Record<string, unknown>>
  after: { survivor: string; rows: Record<string, Record<string, string>>; marks: Record<string, string> }
}

/** The `moved` column: what moved, for people. */
export interface Moved { moves: MergeMove[]; aliases: string[]; marks: number[] }

export interface Applied {
  merge: MergeRecord
  members: MergeMember[]
  proposed: string
  reason: SurvivorReason
  fieldChoices: MergeField[]
  version: string
  changes: EntityRef[]
}

/**
 * Every write of a merge, inside the caller's transaction `tx` (the merge commits it; the preview rolls it back).
 * Throws the domain's errors before anything is written whenever it can.
 */
export async function applyMerge(tx: SqlClient, principal: Principal, group: Group, actor: string): Promise<Applied> {
  const locked = await lockMembers(tx, principal, group)
  await refuseMarked(tx, group)
  const described = await describeMembers(tx, group, locked)
  const { survivor, proposed, reason, ordered } = pickSurvivor(group, described)
  const fieldChoices = chooseFields(group.spec, ordered, group.fields)
  const survivorRow = locked.find((m) => m.key === survivor)!
  const members = locked.filter((m) => m.key !== survivor)
  const memberIds = members.map((m) => m.id)
  const memberKeys = members.map((m) => m.key)
  const scoped = principal.markets !== null

  // the rows that refer to a member move to the survivor
  const moves: MergeMove[] = []
  const movedRows: Snapshot['moved'] = {}
  const movedHashes: Record<string, Record<string, string>> = {}
  const changes: EntityRef[] = [{ type: group.type, key: survivor }, ...memberKeys.map((key): EntityRef => ({ type: group.type, key }))]
  for (const m of movesOf(group.type)) {
    // one statement a table: the rows locked and read as they were (the subquery), moved, and hashed as the merge
    // leaves them (RETURNING sees the new row; nothing later in the merge changes them again)
    const { rows } = await tx.query<{ id: number | string; key: string; from: string; row: Record<string, unknown>; visible: boolean; h: string }>(
      `UPDATE "${m.table}" x SET "${m.column}" = $${scoped ? 3 : 2}, "updatedAt" = now()
         FROM (SELECT x.id, row_to_json(x) AS row, o."${group.keyColumn}" AS from, ${scoped ? m.scoped : 'true'} AS visible
                 FROM "${m.table}" x JOIN "${group.table}" o ON o.id = x."${m.column}"
                WHERE x."${m.column}" = ANY($1::int[]) ORDER BY x.id FOR UPDATE OF x) b
        WHERE x.id = b.id
        RETURNING x.id, x."${m.key}"::text AS key, b.from, b.row, b.visible, md5(row_to_json(x)::text) AS h`,
      scoped ? [memberIds, principal.markets, survivorRow.id] : [memberIds, survivorRow.id])
    if (rows.length === 0) continue
    // another market's record is never named: the whole merge is refused (and the transaction with it)
    if (rows.some((r) => !r.visible)) throw new ForbiddenError(MERGE_RU.otherMarket(principal.markets!))
    rows.sort((p, q) => (typeof p.id === 'number' && typeof q.id === 'number' ? p.id - q.id : String(p.id) < String(q.id) ? -1 : 1))
    movedRows[m.table] = [...(movedRows[m.table] ?? []), ...rows.map((r) => r.row)]
    movedHashes[m.table] = { ...movedHashes[m.table], ...Object.fromEntries(rows.map((r) => [String(r.id), r.h])) }
    for (const r of rows) {
      moves.push({ type: m.type, key: r.key, field: m.field, from: r.from })
      if (m.type !== 'incident') changes.push({ type: m.type, key: r.key })
    }
  }

  // aliases of earlier merges that stood for a member now stand for the survivor
  const { rows: repointed } = await tx.query<{ alias: string; targetKey: string }>(
    `SELECT alias, "targetKey" FROM record_alias WHERE "entityType" = $1 AND "targetKey" = ANY($2::text[]) ORDER BY alias FOR UPDATE`,
    [group.type, memberKeys])
  if (repointed.length) {
    await tx.query(`UPDATE record_alias SET "targetKey" = $3 WHERE "entityType" = $1 AND "targetKey" = ANY($2::text[])`, [group.type, memberKeys, survivor])
  }

  const marks = await repointMarks(tx, group.type, memberKeys, survivor, actor)

  // the survivor's values, through the record model (derived columns and all), when any changes
  const stored = ordered[0].values
  const values: Record<string, string | null> = { [group.spec.key.csv]: survivor }
  for (const f of fieldChoices) values[f.field] = f.value
  if (fieldChoices.some((f) => (f.value ?? null) !== (stored[f.field] ?? null))) {
    const record = await checkRecord(tx, principal, group.type, values, stored)
    await upsert(tx, buildPlan(record.spec, record.header), [record.pending], record.ids, false)
  }

  const memberValues = new Map(ordered.map((m) => [m.key, m.values]))
  await tx.query(`DELETE FROM "${group.table}" WHERE id = ANY($1::int[])`, [memberIds])

  // the md5 of each touched row as the merge leaves it: undo is refused once any differs
  const after: Snapshot['after'] = { survivor: '', rows: {}, marks: {} }
  after.survivor = (await tx.query<{ h: string }>(`SELECT md5(row_to_json(x)::text) AS h FROM "${group.table}" x WHERE id = $1`, [survivorRow.id])).rows[0].h
  after.rows = movedHashes
  if (marks.ids.length) after.marks = await hashes(tx, 'distinct_mark', marks.ids)

  const mergeId = randomUUID()
  const snapshot: Snapshot = {
    survivor: survivorRow.row, members: members.map((m) => m.row), moved: movedRows, aliases: repointed, marks: marks.before, after,
  }
  const moved: Moved = { moves, aliases: repointed.map((a) => a.alias), marks: marks.ids }
  const fields = Object.fromEntries(fieldChoices.map((f) => [f.field, f.from]))
  const { rows: [inserted] } = await tx.query<{ at: Date }>(
    `INSERT INTO record_merge (id, "entityType", "survivorKey", "memberKeys", actor, "findingId", fields, moved, snapshot)
     VALUES ($1::uuid, $2, $3, $4::text[], $5, $6::uuid, $7::jsonb, $8::jsonb, $9::jsonb) RETURNING at`,
    [mergeId, group.type, survivor, memberKeys, actor, group.findingId ?? null, JSON.stringify(fields), JSON.stringify(moved), JSON.stringify(snapshot)])
  await tx.query(
    `INSERT INTO record_alias ("entityType", alias, "targetKey", "mergeId", "values")
     SELECT $1, a.alias, $2, $3::uuid, a.values FROM json_to_recordset($4::json) AS a(alias text, values jsonb)`,
    [group.type, survivor, mergeId, JSON.stringify(memberKeys.map((k) => ({ alias: k, values: memberValues.get(k) })))])
  if (group.findingId !== undefined) {
    await tx.query(`INSERT INTO finding_event ("findingId", actor, action, data) VALUES ($1::uuid, $2, 'merged', $3::jsonb)`,
      [group.findingId, actor, JSON.stringify({ mergeId, survivor, members: memberKeys })])
  }
  const merge: MergeRecord = {
    id: mergeId, type: group.type, survivor, members: memberKeys, actor, at: new Date(inserted.at), findingId: group.findingId ?? null,
    fields, moves, undoneAt: null, undoneBy: null,
  }
  return { merge, members: ordered, proposed, reason, fieldChoices, version: versionOf(locked), changes }
}

/** The md5 of rows by id (as text keys), read by the primary key: incidents' ids are uuids, the others integers. */
export async function hashes(tx: SqlClient, table: string, ids: ReadonlyArray<number | string>, forUpdate = ''): Promise<Record<string, string>> {
  const { rows } = await tx.query<{ id: string; h: string }>(
    `SELECT id::text AS id, md5(row_to_json(x)::text) AS h FROM "${table}" x WHERE id = ANY($1::${idType(table)}[]) ORDER BY id${forUpdate}`, [ids.map(String)])
  return Object.fromEntries(rows.map((r) => [r.id, r.h]))
}

export const idType = (table: string) => (table === 'incident' ? 'uuid' : 'int')

/** PostgreSQL's "C" order (bytes of UTF-8): the order distinct_mark's keyA < keyB is checked in. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/**
 * Live «not a duplicate» marks naming a member now name the survivor. One that would repeat a live mark of the
 * survivor's (the same other record) is retired instead (removedAt, by the merge): one live mark a pair.
 */
async function repointMarks(tx: SqlClient, type: MergeableType, memberKeys: string[], survivor: string, actor: string) {
  const { rows } = await tx.query<{ id: number; keyA: string; keyB: string; row: Record<string, unknown> }>(
    `SELECT id, "keyA", "keyB", row_to_json(d) AS row FROM distinct_mark d
      WHERE "entityType" = $1 AND "removedAt" IS NULL AND ("keyA" = ANY($2::text[]) OR "keyB" = ANY($2::text[])) ORDER BY id FOR UPDATE`,
    [type, memberKeys])
  if (rows.length === 0) return { ids: [] as number[], before: [] as Array<Record<string, unknown>> }
  const { rows: own } = await tx.query<{ keyA: string; keyB: string }>(
    `SELECT "keyA", "keyB" FROM distinct_mark WHERE "entityType" = $1 AND "removedAt" IS NULL AND ("keyA" = $2 OR "keyB" = $2)`, [type, survivor])
  const live = new Set(own.map((m) => `${m.keyA}\u0000${m.keyB}`))
  const members = new Set(memberKeys)
  for (const m of rows) {
    const other = members.has(m.keyA) ? m.keyB : m.keyA
    const [a, b] = byteOrder(survivor, other) < 0 ? [survivor, other] : [other, survivor]
    if (live.has(`${a}\u0000${b}`)) {
      await tx.query(`UPDATE distinct_mark SET "removedAt" = now(), "removedBy" = $2, "removeReason" = $3 WHERE id = $1`, [m.id, actor, MERGE_RU.markRemovedByMerge(survivor)])
    } else {
      await tx.query(`UPDATE distinct_mark SET "keyA" = $2, "keyB" = $3 WHERE id = $1`, [m.id, a, b])
      live.add(`${a}\u0000${b}`)
    }
  }
  return { ids: rows.map((m) => m.id), before: rows.map((m) => m.row) }
}

// ─── public API ───

/**
 * Merges a group into its survivor (see the module's head) and re-checks the rules around every record it touched
 * (unless `recheck: false`). ConflictError when a member is gone or changed since `version`, or two members are
 * marked «not a duplicate»; NotFound for a key the caller does not see; Forbidden when it would move another market's record.
 */
export async function mergeRecords(db: Database, principal: Principal, input: MergeInput, options: MergeOptions): Promise<MergeResult> {
  const group = await checkInput(db.sql, principal, input)
  const refs = group.keys.map((key): EntityRef => ({ type: group.type, key }))
  const before = options.recheck === false ? null : await prepareRecheck(db, refs, { rulesDir: options.rulesDir })
  const applied = await db.sql.transaction((tx) => applyMerge(tx, principal, group, options.actor)).catch(mapMergeError(group))
  const { merge, changes } = applied
  log.info({ mergeId: merge.id, type: merge.type, survivor: merge.survivor, members: merge.members, moves: merge.moves.length, actor: options.actor }, 'records merged')
  if (before === null) return { merge, changes, resolved: [], caused: [] }
  return { merge, changes, ...await recheckAfter(db, principal, changes, before, options) }
}

/** The re-check after a merge or its undo, scoped to what the caller sees; queued (options.jobs) when it fails in the request. */
export async function recheckAfter(db: Database, principal: Principal, changes: EntityRef[], before: RecheckPlan, options: MergeOptions) {
  const { recheck: _r, ...found } = await recheckForCaller(db, principal, changes, before, { ...options, what: 'merge' })
  return found
}

/** PostgreSQL's refusals under a concurrent writer as the domain's Conflict: the rest passes unchanged. */
export function mapMergeError(group: Pick<Group, 'type' | 'keys'>) {
  return (error: unknown): never => {
    const code = (error as { code?: unknown })?.code
    if (code === '23505') throw new ConflictError(MERGE_RU.aliasTaken(group.type, group.keys.join(', ')))
    if (code === '23503' || code === '40P01' || code === '40001') throw new ConflictError(MERGE_RU.changedMeanwhile)
    throw error
  }
}

// ─── reading merges ───

interface MergeRow {
  id: string; entityType: string; survivorKey: string; memberKeys: string[]; actor: string; at: Date; findingId: string | null
  fields: Record<string, string>; moved: Partial<Moved>; undoneAt: Date | null; undoneBy: string | null
}

const MERGE_COLUMNS = `m.id::text AS id, m."entityType", m."survivorKey", m."memberKeys", m.actor, m.at, m."findingId"::text AS "findingId",
  m.fields, m.moved, m."undoneAt", m."undoneBy"`

function toRecord(r: MergeRow): MergeRecord {
  return {
    id: r.id, type: r.entityType as MergeableType, survivor: r.survivorKey, members: r.memberKeys, actor: r.actor, at: new Date(r.at),
    findingId: r.findingId, fields: r.fields, moves: r.moved.moves ?? [], undoneAt: r.undoneAt && new Date(r.undoneAt), undoneBy: r.undoneBy,
  }
}

/**
 * A scoped key sees a merge whose survivor it sees now (its records and what moved to it are the key's markets':
 * a merge that would move another market's record is refused). Unscoped: true.
 */
function mergeVisibleSql(param: string): string {
  return MERGEABLE_TYPES.map((type) => {
    const { table, key } = tableOf(type)
    return `(m."entityType" = '${type}' AND EXISTS (SELECT 1 FROM "${table}" x WHERE x."${key}" = m."survivorKey" AND ${visibleSql(type, 'x', param)}))`
  }).join(' OR ')
}

/** One merge by id, or null when there is none the caller sees. */
export async function getMerge(sql: SqlClient, principal: Principal, id: string): Promise<MergeRecord | null> {
  if (!UUID.test(id)) return null
  const scoped = principal.markets !== null
  const { rows: [row] } = await sql.query<MergeRow>(
    `SELECT ${MERGE_COLUMNS} FROM record_merge m WHERE m.id = $1::uuid${scoped ? ` AND (${mergeVisibleSql('$2')})` : ''}`,
    scoped ? [id, principal.markets] : [id])
  return row ? toRecord(row) : null
}

export interface MergePage { merges: MergeRecord[]; hasNextPage: boolean; endCursor: string | null }

/** Merges newest first, of a type and/or naming a key (as survivor or member); `after`: a cursor of an earlier page. */
export async function listMerges(sql: SqlClient, principal: Principal, filter: { type?: MergeableType; key?: string; first?: number; after?: string } = {}): Promise<MergePage> {
  const params: unknown[] = []
  const where: string[] = []
  const param = (v: unknown) => { params.push(v); return `$${params.length}` }
  if (filter.type) where.push(`m."entityType" = ${param(filter.type)}`)
  if (filter.key) { const p = param(filter.key.trim()); where.push(`(m."survivorKey" = ${p} OR ${p} = ANY(m."memberKeys"))`) }
  if (filter.after) {
    const cursor = parseCursor(filter.after)
    if (!cursor) throw new ValidationFailed([{ field: 'after', code: 'INVALID', message: MERGE_RU.badCursor }])
    where.push(`(m.at, m.id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`)
  }
  if (principal.markets !== null) where.push(`(${mergeVisibleSql(param(principal.markets))})`)
  const first = filter.first ?? 50
  const { rows } = await sql.query<MergeRow>(
    `SELECT ${MERGE_COLUMNS} FROM record_merge m ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.at DESC, m.id DESC LIMIT ${first + 1}`, params)
  const merges = rows.slice(0, first).map(toRecord)
  const last = merges.at(-1)
  return { merges, hasNextPage: rows.length > first, endCursor: last ? cursorOf(last) : null }
}

export function cursorOf(m: Pick<MergeRecord, 'at' | 'id'>): string {
  return Buffer.from(`${m.at.toISOString()}|${m.id}`).toString('base64url')
}

function parseCursor(cursor: string): { at: string; id: string } | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  return at && id && UUID.test(id) && !Number.isNaN(Date.parse(at)) ? { at, id } : null
}
