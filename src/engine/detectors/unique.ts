// Kind `unique`: groups of ≥2 records with an equal normalised key (serial, MAC). The database finds the
// duplicated keys (GROUP BY … HAVING count(*) > 1 on an indexed column); the members stream in key order. Rules on
// several keys that drop the same statuses share one scan (GROUPING SETS), their members grouped here.
import { z } from '../../i18n/zod.ts'
import { ALL_AT_ONCE, streamGroups, streamRows } from '../sql-stream.ts'
import { entityDef, rename, selectParts } from '../entities.ts'
import { commonValue, compareKeys, defineDetector, refs, type RawFinding, type Subset } from '../detector.ts'
import type { SqlClient } from '../../db/database.ts'
import type { AuditContext } from '../types.ts'

/** The normalised column each key compares on (normalised at import, see src/equipment/identifiers.ts). */
const KEY_COLUMNS = { serial: 'serialNorm', mac: 'macNorm' } as const

export const uniqueParams = z.strictObject({
  key: z.enum(['serial', 'mac']),
  /** statuses dropped before grouping */
  excludeStatuses: z.array(z.enum(['IN_STOCK', 'INSTALLED', 'DECOMMISSIONED'])).default(['DECOMMISSIONED']),
})
export type UniqueParams = z.output<typeof uniqueParams>

export interface UniqueRow {
  /** normalised key; null when missing or not valid */
  value: string | null
  key: string
  status: string
  type: string | null
  market: string | null
  contract: string | null
}

/** One finding for one group of records sharing `value`; null when the group is not a collision. */
export function duplicateFinding(params: UniqueParams, value: string, members: UniqueRow[]): RawFinding | null {
  const live = members.filter((m) => m.value === value && !params.excludeStatuses.includes(m.status as never))
  if (live.length < 2) return null
  const sorted = [...live].sort((a, b) => compareKeys(a.key, b.key))
  return {
    entities: refs('equipment', sorted.map((m) => m.key)),
    data: { [params.key]: value, count: sorted.length, keys: sorted.map((m) => m.key).join(', ') },
    details: { members: sorted.map((m) => ({ equipment: m.key, status: m.status, contract: m.contract, market: m.market, type: m.type })) },
    marketCode: commonValue(sorted.map((m) => m.market)),
    equipmentTypeCode: commonValue(sorted.map((m) => m.type)),
  }
}

/** Pure detection over any rows: hash by key, one finding per group of ≥2 (a missing key matches nothing). */
export function detectUnique(params: UniqueParams, rows: UniqueRow[]): RawFinding[] {
  const groups = new Map<string, UniqueRow[]>()
  for (const r of rows) {
    if (r.value === null || r.value === '') continue
    const g = groups.get(r.value)
    if (g) g.push(r)
    else groups.set(r.value, [r])
  }
  const out: RawFinding[] = []
  for (const [value, members] of groups) {
    const f = duplicateFinding(params, value, members)
    if (f) out.push(f)
  }
  return out
}

export default defineDetector({
  params: uniqueParams,
  subject: () => 'equipment',
  // a Subset's groups are normalised values: those groups whole
  wholeGroups: true,
  // a serial or MAC is duplicated across markets too: such a group is in no single market
  byMarket: () => false,
  /** the groups are the current normalised values of the subjects (old ones come from the plan taken before the edit) */
  async expand({ sql, params, keys, groups }) {
    if (keys.size === 0) return
    const { rows } = await sql.query<{ v: string | null }>(`SELECT "${KEY_COLUMNS[params.key]}" AS v FROM equipment WHERE "inventoryNo" = ANY($1::text[])`, [[...keys]])
    for (const r of rows) if (r.v) groups.add(r.v)
  },
  // rules dropping the same statuses group the same rows: one scan groups them by every key at once
  passKey: (params) => [...params.excludeStatuses].sort().join(','),
  detectTogether: ({ sql, ctx, members }) => uniquePass(sql, ctx, members.map((m) => m.params)),
  detect: ({ sql, ctx, params, subset }) => detectOne(sql, ctx, params, subset),
})

async function detectOne(sql: SqlClient, ctx: AuditContext, params: UniqueParams, subset?: Subset): Promise<RawFinding[]> {
  const column = `"${KEY_COLUMNS[params.key]}"`
  const args: unknown[] = [params.excludeStatuses]
  const scope = ctx.market ? (args.push(ctx.market), selectScope(`$${args.length}`)) : { inner: '', outer: '' }
  if (subset) {
    // the groups asked for, whole: an index lookup per value instead of the table-wide GROUP BY
    args.push(subset.groups ?? [])
    scope.inner += ` AND x.${column} = ANY($${args.length}::text[])`
    scope.outer += ` AND e.${column} = ANY($${args.length}::text[])`
  }
  const { columns, joins } = selectParts('equipment', ['key', 'status', 'type', 'market', 'contract'], 'e')
  const text = `SELECT e.${column} AS value, ${columns.join(', ')} FROM equipment e ${joins.join(' ')}
    WHERE e.${column} IN (SELECT x.${column} FROM equipment x WHERE x.${column} IS NOT NULL
                            AND NOT (x.status = ANY($1::text[]::"EquipmentStatus"[])) ${scope.inner}
                          GROUP BY x.${column} HAVING count(*) > 1)
      AND NOT (e.status = ANY($1::text[]::"EquipmentStatus"[])) ${scope.outer}
    ORDER BY e.${column}, e."inventoryNo"`
  const out: RawFinding[] = []
  await streamGroups<Record<string, string | null>>(sql, text, args, (r) => r.value!, (group, value) => {
    const f = duplicateFinding(params, value, group.map(toRow))
    if (f) out.push(f)
  }, subset ? ALL_AT_ONCE : undefined)
  return out
}

/**
 * Several keys over one scan of the devices (the same statuses dropped): GROUPING SETS finds the duplicated values of
 * every key in one pass, and the members of any of those groups are read once; each rule then groups them by its key.
 */
async function uniquePass(sql: SqlClient, ctx: AuditContext, members: UniqueParams[]): Promise<RawFinding[][]> {
  if (members.length === 1) return [await detectOne(sql, ctx, members[0])]
  const keys = [...new Set(members.map((p) => p.key))]
  const column = (k: UniqueParams['key']) => `"${KEY_COLUMNS[k]}"`
  const args: unknown[] = [members[0].excludeStatuses]
  const scope = ctx.market ? (args.push(ctx.market), selectScope(`$${args.length}`)) : { inner: '', outer: '' }
  const { columns, joins } = selectParts('equipment', ['key', 'status', 'type', 'market', 'contract'], 'e')
  const text = `WITH dup AS (
      SELECT ${keys.map((k, i) => `x.${column(k)} AS v${i}`).join(', ')} FROM equipment x
       WHERE (${keys.map((k) => `x.${column(k)} IS NOT NULL`).join(' OR ')})
         AND NOT (x.status = ANY($1::text[]::"EquipmentStatus"[])) ${scope.inner}
       GROUP BY GROUPING SETS (${keys.map((k) => `(x.${column(k)})`).join(', ')}) HAVING count(*) > 1)
    SELECT ${keys.map((k, i) => `e.${column(k)} AS v${i}`).join(', ')}, ${columns.join(', ')} FROM equipment e ${joins.join(' ')}
     WHERE (${keys.map((k, i) => `e.${column(k)} IN (SELECT v${i} FROM dup WHERE v${i} IS NOT NULL)`).join(' OR ')})
       AND NOT (e.status = ANY($1::text[]::"EquipmentStatus"[])) ${scope.outer}`
  // each key's groups: only rows of a duplicated value (a few per cent of the devices) are held
  const groups = keys.map(() => new Map<string, UniqueRow[]>())
  await streamRows<Record<string, string | null>>(sql, text, args, (rows) => {
    for (const r of rows) {
      keys.forEach((_, i) => {
        const value = r[`v${i}`]
        if (value == null) return
        const row = { ...toRow(r), value }
        const group = groups[i].get(value)
        if (group) group.push(row)
        else groups[i].set(value, [row])
      })
    }
  })
  return members.map((params) => {
    const out: RawFinding[] = []
    const byValue = groups[keys.indexOf(params.key)]
    for (const value of [...byValue.keys()].sort(compareKeys)) {
      const f = duplicateFinding(params, value, byValue.get(value)!)
      if (f) out.push(f)
    }
    return out
  })
}

function toRow(r: Record<string, string | null>): UniqueRow {
  return { value: r.value, key: r['e.key']!, status: r['e.status']!, type: r['e.type'], market: r['e.market'], contract: r['e.contract'] }
}

function selectScope(p: string) {
  const scope = entityDef('equipment').scope(p)
  return { inner: `AND ${rename(scope, 'x')}`, outer: `AND ${rename(scope, 'e')}` }
}
