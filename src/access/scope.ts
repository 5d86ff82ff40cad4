// Who is asking and what they may see: the principal behind an API key, and the market scope applied
// to every read — as Prisma filters for the ORM's queries and as SQL for the hand-written ones.
// A key limited to markets sees a record only when the record belongs to one of them:
//   market            its own code
//   contract          its market
//   address, customer a contract of theirs in the market
//   equipment         its contract's market; without a contract, a contract at its address
//   product           offered in the market, or on a contract there
//   finding, audit run their market code (a finding's is that of every record it names; one without a
//                     single market — e.g. duplicates across markets — is seen by unscoped keys only)
//   equipment type    catalogue, seen by every key
//   incident          its market code; one of no single market by keys of the scope that registered it
//   responsible group covering one of its markets, or every market
import type { Prisma } from '../generated/prisma/client.ts'
import type { Role } from '../generated/prisma/enums.ts'
import type { EntityType } from '../records/model.ts'

/** An authenticated caller: the API key's role and markets (null: every market). */
export interface Principal {
  keyId: number
  name: string
  role: Role
  markets: readonly string[] | null
}

/** A principal that sees everything: for the CLI and in-process jobs. */
export const SYSTEM: Principal = { keyId: 0, name: 'system', role: 'ADMIN', markets: null }

/** Whether a market code is in the principal's scope. */
export function seesMarket(p: Principal, market: string | null | undefined): boolean {
  return p.markets === null || (market != null && p.markets.includes(market))
}

const inMarkets = (markets: readonly string[]) => ({ code: { in: [...markets] } })

/** The principal's scope as one string: '*' for every market, else its codes sorted and comma-separated. */
export function scopeKey(p: Principal): string {
  return scopeKeyOf(p.markets)
}

/** scopeKey of a list of market codes (null: every market). */
export function scopeKeyOf(markets: readonly string[] | null): string {
  return markets === null ? '*' : [...new Set(markets)].sort().join(',')
}

/** SQL condition: the responsible_group row `alias` covers every market or one of the text[] parameter `param`. */
export function groupVisibleSql(alias: string, param: string): string {
  return `(NOT EXISTS (SELECT 1 FROM responsible_group_market gm WHERE gm."groupId" = ${alias}.id)
    OR EXISTS (SELECT 1 FROM responsible_group_market gm JOIN market m ON m.id = gm."marketId" WHERE gm."groupId" = ${alias}.id AND m.code = ANY(${param}::text[])))`
}

/**
 * SQL condition: the incident row `alias` is visible to a principal whose market codes are the text[] parameter
 * `marketsParam` and whose scopeKey is the text parameter `scopeParam` (callers skip it when unscoped).
 */
export function incidentVisibleSql(alias: string, marketsParam: string, scopeParam: string): string {
  return `(${alias}."marketCode" = ANY(${marketsParam}::text[]) OR (${alias}."marketCode" IS NULL AND ${alias}."ownerScope" = ${scopeParam}::text))`
}

/** Whether an incident is the principal's to see (see the table above). */
export function seesIncident(p: Principal, incident: { marketCode: string | null; ownerScope: string }): boolean {
  if (p.markets === null) return true
  return incident.marketCode !== null ? p.markets.includes(incident.marketCode) : incident.ownerScope === scopeKey(p)
}

/** Prisma `where` fragments limiting each model to the principal's markets ({} when unscoped). */
export function visibleWhere(p: Principal) {
  const m = p.markets
  const contract = (): Prisma.ContractWhereInput => (m === null ? {} : { market: inMarkets(m) })
  const viaContracts = () => (m === null ? {} : { contracts: { some: { market: inMarkets(m) } } })
  return {
    market: (): Prisma.MarketWhereInput => (m === null ? {} : inMarkets(m)),
    equipmentType: (): Prisma.EquipmentTypeWhereInput => ({}),
    contract,
    address: (): Prisma.AddressWhereInput => viaContracts(),
    customer: (): Prisma.CustomerWhereInput => viaContracts(),
    equipment: (): Prisma.EquipmentWhereInput => (m === null ? {} : {
      OR: [
        { contract: { market: inMarkets(m) } },
        { contractId: null, address: { contracts: { some: { market: inMarkets(m) } } } },
      ],
    }),
    product: (): Prisma.ProductWhereInput => (m === null ? {} : {
      OR: [{ markets: { some: { market: inMarkets(m) } } }, { contracts: { some: { market: inMarkets(m) } } }],
    }),
    finding: (): Prisma.FindingWhereInput => (m === null ? {} : { marketCode: { in: [...m] } }),
    incident: (): Prisma.IncidentWhereInput => (m === null ? {} : {
      OR: [{ marketCode: { in: [...m] } }, { marketCode: null, ownerScope: scopeKey(p) }],
    }),
    group: (): Prisma.ResponsibleGroupWhereInput => (m === null ? {} : {
      OR: [{ markets: { none: {} } }, { markets: { some: { market: inMarkets(m) } } }],
    }),
    auditRun: (): Prisma.AuditRunWhereInput => (m === null ? {} : { marketCode: { in: [...m] } }),
  }
}

/**
 * SQL condition: the row `alias` of an entity table is visible to a principal whose market codes are the
 * text[] parameter `param` (e.g. '$3'). Callers pass no parameter (and skip the condition) when unscoped.
 */
export function visibleSql(type: EntityType, alias: string, param: string): string {
  const marketIds = `(SELECT id FROM market WHERE code = ANY(${param}::text[]))`
  // correlated EXISTS on the contract indexes: a lookup per row, where IN (subquery) under an OR makes
  // PostgreSQL hash every contract of the market first (78k rows at 100k addresses, on every call)
  const contractWhere = (condition: string) => `EXISTS (SELECT 1 FROM contract k WHERE ${condition} AND k."marketId" IN ${marketIds})`
  switch (type) {
    case 'market': return `${alias}.code = ANY(${param}::text[])`
    case 'equipmentType': return 'true'
    case 'contract': return `${alias}."marketId" IN ${marketIds}`
    case 'address': return contractWhere(`k."addressId" = ${alias}.id`)
    case 'customer': return contractWhere(`k."customerId" = ${alias}.id`)
    case 'equipment': return `(${contractWhere(`k.id = ${alias}."contractId"`)}
      OR (${alias}."contractId" IS NULL AND ${contractWhere(`k."addressId" = ${alias}."addressId"`)}))`
    case 'product': return `(EXISTS (SELECT 1 FROM product_market pm WHERE pm."productId" = ${alias}.id AND pm."marketId" IN ${marketIds})
      OR ${contractWhere(`k."productId" = ${alias}.id`)})`
  }
}
