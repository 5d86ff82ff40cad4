// Kind `unique`: groups of ≥2 records with an equal normalised key (serial, MAC). The database finds the
// duplicated keys (GROUP BY … HAVING count(*) > 1 on an indexed column); the members stream in key order.
import { z } from '../../i18n/zod.ts'
import { ALL_AT_ONCE, streamGroups } from '../sql-stream.ts'
import { entityDef, rename, selectParts } from '../entities.ts'
import { commonValue, compareKeys, defineDetector, refs, type RawFinding } from '../detector.ts'

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
  async detect({ sql, ctx, params, subset }) {
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
  },
})

function toRow(r: Record<string, string | null>): UniqueRow {
  return { value: r.value, key: r['e.key']!, status: r['e.status']!, type: r['e.type'], market: r['e.market'], contract: r['e.contract'] }
}

function selectScope(p: string) {
  const scope = entityDef('equipment').scope(p)
  return { inner: `AND ${rename(scope, 'x')}`, outer: `AND ${rename(scope, 'e')}` }
}
