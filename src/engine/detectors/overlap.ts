// Kind `overlap`: pairs of contracts in one group (same address and product, by default) whose closed
// periods [valid_from, valid_to] intersect. The database keeps only groups with ≥2 candidates and orders
// them; within a group a sort-and-sweep pairs each period with the ones still open at its start.
import { z } from '../../i18n/zod.ts'
import { ALL_AT_ONCE, streamGroups } from '../sql-stream.ts'
import { entityDef, rename, selectParts } from '../entities.ts'
import { commonValue, compareKeys, defineDetector, refs, type RawFinding } from '../detector.ts'

const GROUP_COLUMNS = { address: 'addressId', product: 'productId', customer: 'customerId', market: 'marketId' } as const

export const overlapParams = z.strictObject({
  groupBy: z.array(z.enum(['address', 'product', 'customer', 'market'])).min(1).default(['address', 'product']),
  /** the statuses that count ("active contract": ACTIVE or SUSPENDED) */
  statuses: z.array(z.enum(['DRAFT', 'ACTIVE', 'SUSPENDED', 'TERMINATED'])).min(1).default(['ACTIVE', 'SUSPENDED']),
})
export type OverlapParams = z.output<typeof overlapParams>

export interface PeriodRow {
  key: string
  status: string
  /** YYYY-MM-DD */
  validFrom: string
  /** YYYY-MM-DD; null: open-ended */
  validTo: string | null
  address: string | null
  product: string | null
  market: string | null
  type: string | null
}

const OPEN_END = '9999-12-31'

/**
 * Pure sweep over one group: every intersecting pair of valid periods. An invalid period (to < from) is
 * empty and overlaps nothing; periods that only touch (one ends the day before the next starts) do not
 * overlap, sharing one day does.
 */
export function sweepOverlaps(params: OverlapParams, group: PeriodRow[]): RawFinding[] {
  const periods = group
    .filter((r) => params.statuses.includes(r.status as never) && (r.validTo === null || r.validTo >= r.validFrom))
    .sort((a, b) => compareKeys(a.validFrom, b.validFrom) || compareKeys(a.key, b.key))
  const out: RawFinding[] = []
  let open: PeriodRow[] = []
  for (const p of periods) {
    open = open.filter((o) => (o.validTo ?? OPEN_END) >= p.validFrom)
    for (const o of open) out.push(pairFinding(o, p))
    open.push(p)
  }
  return out
}

function pairFinding(a: PeriodRow, b: PeriodRow): RawFinding {
  const [first, second] = compareKeys(a.key, b.key) <= 0 ? [a, b] : [b, a]
  const from = a.validFrom > b.validFrom ? a.validFrom : b.validFrom
  const endA = a.validTo ?? OPEN_END, endB = b.validTo ?? OPEN_END
  const to = endA < endB ? endA : endB
  return {
    entities: refs('contract', [first.key, second.key]),
    data: { first: first.key, second: second.key, address: first.address, product: first.product, from, to: to === OPEN_END ? null : to },
    details: {
      address: first.address, product: first.product,
      periods: [first, second].map((c) => ({ contract: c.key, status: c.status, validFrom: c.validFrom, validTo: c.validTo })),
    },
    marketCode: commonValue([first.market, second.market]),
    equipmentTypeCode: commonValue([first.type, second.type]),
  }
}

export default defineDetector({
  params: overlapParams,
  // a Subset's keys are contracts: their groups (address+product by default), and only the pairs naming one of them
  subject: () => 'contract',
  wholeGroups: false,
  // both contracts of a pair must be in the market; a pair across two markets is in none unless the group is per market
  byMarket: (params) => params.groupBy.includes('market'),
  async detect({ sql, ctx, params, subset }) {
    const cols = params.groupBy.map((g) => `"${GROUP_COLUMNS[g]}"`)
    const args: unknown[] = [params.statuses]
    let scopeInner = '', scopeOuter = ''
    if (ctx.market) {
      args.push(ctx.market)
      const scope = entityDef('contract').scope('$2')
      scopeInner = `AND ${rename(scope, 'x')}`
      scopeOuter = `AND ${rename(scope, 'c')}`
    }
    if (subset) {
      // the groups of the contracts asked for; pairs are independent, so only theirs are reported
      args.push(subset.keys)
      const groupsOf = `(${cols.map((c) => `c.${c}`).join(', ')}) IN (SELECT ${cols.map((c) => `k.${c}`).join(', ')} FROM contract k WHERE k.number = ANY($${args.length}::text[]))`
      scopeOuter += ` AND ${groupsOf}`
      scopeInner += ` AND ${groupsOf.replaceAll('c."', 'x."')}`
    }
    const candidate = (alias: string) => `${alias}.status = ANY($1::text[]::"ContractStatus"[]) AND (${alias}."validTo" IS NULL OR ${alias}."validTo" >= ${alias}."validFrom")`
    const { columns, joins } = selectParts('contract', ['key', 'status', 'validFrom', 'validTo', 'address', 'product', 'market', 'neededType'], 'c')
    const text = `SELECT concat_ws('|', ${cols.map((c) => `c.${c}`).join(', ')}) AS grp, ${columns.join(', ')}
      FROM contract c ${joins.join(' ')}
      WHERE ${candidate('c')} ${scopeOuter}
        AND (${cols.map((c) => `c.${c}`).join(', ')}) IN (
          SELECT ${cols.map((c) => `x.${c}`).join(', ')} FROM contract x WHERE ${candidate('x')} ${scopeInner}
          GROUP BY ${cols.map((c) => `x.${c}`).join(', ')} HAVING count(*) > 1)
      ORDER BY ${cols.map((c) => `c.${c}`).join(', ')}, c."validFrom"`
    const out: RawFinding[] = []
    await streamGroups<Record<string, string | null>>(sql, text, args, (r) => r.grp!, (group) => {
      out.push(...sweepOverlaps(params, group.map((r) => ({
        key: r['c.key']!, status: r['c.status']!, validFrom: r['c.validFrom']!, validTo: r['c.validTo'],
        address: r['c.address'], product: r['c.product'], market: r['c.market'], type: r['c.neededType'],
      }))))
    }, subset ? ALL_AT_ONCE : undefined)
    if (!subset) return out
    const wanted = new Set(subset.keys)
    return out.filter((f) => f.entities.some((e) => wanted.has(e.key)))
  },
})
