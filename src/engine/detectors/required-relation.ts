// Kind `required-relation`: a contract whose product needs a device type, with no device of that type
// in the required status linked to it. The database does the anti-join (NOT EXISTS on the contract's
// devices); the pure check below decides on the rows it returns, with the devices the contract does have.
import { z } from '../../i18n/zod.ts'
import { entityDef, rename } from '../entities.ts'
import { defineDetector, refs, type RawFinding } from '../detector.ts'
import { ALL_AT_ONCE, streamRows } from '../sql-stream.ts'

export const requiredRelationParams = z.strictObject({
  /** contract statuses that need their device ("active contract": ACTIVE or SUSPENDED) */
  statuses: z.array(z.enum(['DRAFT', 'ACTIVE', 'SUSPENDED', 'TERMINATED'])).min(1).default(['ACTIVE', 'SUSPENDED']),
  /** only contracts valid at as-of: valid_from ≤ as-of ≤ valid_to (or open-ended) */
  validAtAsOf: z.boolean().default(true),
  /** the status a linked device must have to count */
  equipmentStatus: z.enum(['IN_STOCK', 'INSTALLED', 'DECOMMISSIONED']).default('INSTALLED'),
})
export type RequiredRelationParams = z.output<typeof requiredRelationParams>

export interface RequirementRow {
  key: string
  status: string
  validFrom: string
  validTo: string | null
  product: string
  market: string | null
  /** the device type the contract's product needs; null: none */
  neededType: string | null
  /** types of the devices in the required status linked to the contract */
  linkedTypes: string[]
}

/** Pure detection: contracts with the types of their linked devices in, findings out. */
export function detectMissingRelation(params: RequiredRelationParams, rows: RequirementRow[], asOf: string): RawFinding[] {
  const out: RawFinding[] = []
  for (const r of rows) {
    if (r.neededType === null || !params.statuses.includes(r.status as never)) continue
    if (params.validAtAsOf && !(r.validFrom <= asOf && (r.validTo === null || asOf <= r.validTo))) continue
    if (r.linkedTypes.includes(r.neededType)) continue
    out.push({
      entities: refs('contract', [r.key]),
      data: { contract: r.key, product: r.product, type: r.neededType },
      details: { product: r.product, linkedTypes: r.linkedTypes },
      marketCode: r.market,
      equipmentTypeCode: r.neededType,
    })
  }
  return out
}

export default defineDetector({
  params: requiredRelationParams,
  // a Subset's keys are the contracts
  subject: () => 'contract',
  wholeGroups: false,
  // one finding a contract, and a contract is in exactly one market; its devices are looked up whatever their market
  byMarket: () => true,
  /** whether the contracts the touched devices sit on now, and the ones they left, still have the device they need */
  async expand({ keys, hints, contractsOfDevices }) {
    for (const k of contractsOfDevices) keys.add(k)
    // a device's findings name the contract it sat on: the one it may have left
    for (const h of hints) {
      const c = h.details?.contract
      if (typeof c === 'string' && h.entities.some((e) => e.type === 'equipment')) keys.add(c)
    }
  },
  async detect({ sql, ctx, params, subset }) {
    const args: unknown[] = [params.statuses, params.equipmentStatus, ctx.asOf]
    const filters = ['c.status = ANY($1::text[]::"ContractStatus"[])']
    if (params.validAtAsOf) filters.push(`c."validFrom" <= $3::date AND (c."validTo" IS NULL OR c."validTo" >= $3::date)`)
    if (ctx.market) {
      args.push(ctx.market)
      filters.push(rename(entityDef('contract').scope(`$${args.length}`), 'c'))
    }
    if (subset) {
      args.push(subset.keys)
      filters.push(`c.number = ANY($${args.length}::text[])`)
    }
    const linked = (alias: string) => `FROM equipment ${alias} JOIN product ${alias}_p ON ${alias}_p.id = ${alias}."productId"
      JOIN equipment_type ${alias}_t ON ${alias}_t.id = ${alias}_p."equipmentTypeId"
      WHERE ${alias}."contractId" = c.id AND ${alias}.status = $2::text::"EquipmentStatus"`
    const text = `SELECT c.number AS key, c.status::text AS status, c."validFrom"::text AS "validFrom", c."validTo"::text AS "validTo",
        p.sku AS product, m.code AS market, t.code AS "neededType",
        ARRAY(SELECT DISTINCT l_t.code ${linked('l')} ORDER BY 1) AS "linkedTypes"
      FROM contract c JOIN product p ON p.id = c."productId" JOIN equipment_type t ON t.id = p."equipmentTypeId"
      JOIN market m ON m.id = c."marketId"
      WHERE ${filters.join(' AND ')}
        AND NOT EXISTS (SELECT 1 ${linked('e')} AND e_t.id = t.id)`
    const out: RawFinding[] = []
    await streamRows<RequirementRow>(sql, text, args, (rows) => {
      out.push(...detectMissingRelation(params, rows, ctx.asOf))
    }, subset ? ALL_AT_ONCE : undefined)
    return out
  },
})
