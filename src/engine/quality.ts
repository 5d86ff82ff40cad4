// The data-quality score a full audit implies (SPEC «Data-quality score and reports»): per market (or none) and
// entity type, how many records there are and how many of them no open finding names. Stored with the run, in its
// transaction, so a trend is the scores over runs; src/reports/quality.ts reads them.
//
// A record's markets are those of src/access/scope.ts: a market itself; a contract its market; an address or a
// customer the markets of its contracts; equipment its contract's market, without a contract the markets of the
// contracts at its address; a product the markets it is offered in or has contracts in; an equipment type the
// markets of its products. A record in two markets counts in each, one in none in the «no market» row.
//
// One statement, set-based, so it stays a small part of an audit at 1M addresses: the records are counted per market
// by hash aggregates over the tables (addresses and customers by the markets of their contracts, equipment joined
// to its contract; addresses and customers of no market as all less those with a contract); the
// clean ones are those counts less the records open findings name, which are few and are looked up by key with
// their markets found the same way.
import type { SqlClient } from '../db/database.ts'
import { OPEN_STATUSES } from './findings.ts'

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

/** A flagged-record test: `column` is the business key of a record of `type` some open finding names. */
const named = (type: string, column: string) => `${column} IN (SELECT key FROM flagged WHERE type = '${type}')`

/** The scores as rows: marketCode (null: no market), entityType, records, clean; only rows with records. */
export const QUALITY_SQL = `
  WITH flagged AS MATERIALIZED (
    SELECT DISTINCT fe."entityType" AS type, fe."entityKey" AS key
    FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id
    WHERE f.status IN (${OPEN_SQL})
  ),
  -- contracts per market and product: one pass over contract, few groups
  kp AS MATERIALIZED (SELECT "marketId" AS market, "productId" AS product, count(*) AS n FROM contract GROUP BY 1, 2),
  -- a product's markets: offered there or on a contract there
  pm AS MATERIALIZED (
    SELECT "productId" AS product, "marketId" AS market FROM product_market
    UNION SELECT product, market FROM kp
  ),
  -- the addresses (customers) with contracts by the lowest and highest market of their contracts: nearly all have
  -- one market (lo = hi) and are counted by it; the few in several are listed and their markets looked up by index.
  -- One hash aggregate over contract each, where distinct (market, address) pairs would take a second for the
  -- addresses with a contract; those in no market are all of them less those.
  address_markets AS MATERIALIZED (
    SELECT lo, hi, count(*) AS n, array_agg(id) FILTER (WHERE lo <> hi) AS ids
    FROM (SELECT "addressId" AS id, min("marketId") AS lo, max("marketId") AS hi FROM contract GROUP BY 1) x
    GROUP BY lo, hi
  ),
  customer_markets AS MATERIALIZED (
    SELECT lo, hi, count(*) AS n, array_agg(id) FILTER (WHERE lo <> hi) AS ids
    FROM (SELECT "customerId" AS id, min("marketId") AS lo, max("marketId") AS hi FROM contract GROUP BY 1) x
    GROUP BY lo, hi
  ),
  -- every record: (market, type, records); records in no market have market NULL
  counted (market, type, records) AS (
    SELECT id, 'market', 1 FROM market
    UNION ALL
    SELECT x.market, 'equipmentType', count(*) FROM equipment_type t
    LEFT JOIN (SELECT DISTINCT p."equipmentTypeId" AS type_id, pm.market FROM product p JOIN pm ON pm.product = p.id) x ON x.type_id = t.id
    GROUP BY 1
    UNION ALL
    SELECT pm.market, 'product', count(*) FROM product p LEFT JOIN pm ON pm.product = p.id GROUP BY 1
    UNION ALL
    SELECT market, 'contract', sum(n) FROM kp GROUP BY 1
    UNION ALL
    SELECT lo, 'address', sum(n) FROM address_markets WHERE lo = hi GROUP BY 1
    UNION ALL
    SELECT k."marketId", 'address', count(DISTINCT k."addressId") FROM contract k
    WHERE k."addressId" IN (SELECT unnest(ids) FROM address_markets WHERE lo <> hi) GROUP BY 1
    UNION ALL
    SELECT NULL, 'address', (SELECT count(*) FROM address) - (SELECT coalesce(sum(n), 0) FROM address_markets)
    UNION ALL
    SELECT lo, 'customer', sum(n) FROM customer_markets WHERE lo = hi GROUP BY 1
    UNION ALL
    SELECT k."marketId", 'customer', count(DISTINCT k."customerId") FROM contract k
    WHERE k."customerId" IN (SELECT unnest(ids) FROM customer_markets WHERE lo <> hi) GROUP BY 1
    UNION ALL
    SELECT NULL, 'customer', (SELECT count(*) FROM customer) - (SELECT coalesce(sum(n), 0) FROM customer_markets)
    UNION ALL
    SELECT k."marketId", 'equipment', count(*) FROM equipment e JOIN contract k ON k.id = e."contractId" GROUP BY 1
    UNION ALL
    SELECT at.market, 'equipment', count(*) FROM equipment e
    LEFT JOIN LATERAL (SELECT DISTINCT k."marketId" AS market FROM contract k WHERE k."addressId" = e."addressId") at ON true
    WHERE e."contractId" IS NULL
    GROUP BY 1
  ),
  -- the records an open finding names, with their markets the same way, looked up by key: few
  named (market, type) AS (
    SELECT m.id, 'market' FROM market m WHERE ${named('market', 'm.code')}
    UNION ALL
    SELECT x.market, 'equipmentType' FROM equipment_type t
    LEFT JOIN (SELECT DISTINCT p."equipmentTypeId" AS type_id, pm.market FROM product p JOIN pm ON pm.product = p.id) x ON x.type_id = t.id
    WHERE ${named('equipmentType', 't.code')}
    UNION ALL
    SELECT pm.market, 'product' FROM product p LEFT JOIN pm ON pm.product = p.id WHERE ${named('product', 'p.sku')}
    UNION ALL
    SELECT k."marketId", 'contract' FROM contract k WHERE ${named('contract', 'k.number')}
    UNION ALL
    SELECT x.market, 'address' FROM address a
    LEFT JOIN LATERAL (SELECT DISTINCT k."marketId" AS market FROM contract k WHERE k."addressId" = a.id) x ON true
    WHERE ${named('address', 'a.code')}
    UNION ALL
    SELECT x.market, 'customer' FROM customer c
    LEFT JOIN LATERAL (SELECT DISTINCT k."marketId" AS market FROM contract k WHERE k."customerId" = c.id) x ON true
    WHERE ${named('customer', 'c.code')}
    UNION ALL
    SELECT CASE WHEN e."contractId" IS NULL THEN at.market ELSE k."marketId" END, 'equipment' FROM equipment e
    LEFT JOIN contract k ON k.id = e."contractId"
    LEFT JOIN LATERAL (SELECT DISTINCT k2."marketId" AS market FROM contract k2 WHERE e."contractId" IS NULL AND k2."addressId" = e."addressId") at ON true
    WHERE ${named('equipment', 'e."inventoryNo"')}
  ),
  scored (market, type, records, flagged) AS (
    SELECT market, type, records, 0 FROM counted
    UNION ALL
    SELECT market, type, 0, 1 FROM named
  )
  SELECT m.code AS "marketCode", s.type AS "entityType", sum(s.records)::int AS records, (sum(s.records) - sum(s.flagged))::int AS clean
  FROM scored s LEFT JOIN market m ON m.id = s.market
  GROUP BY m.code, s.type
  HAVING sum(s.records) > 0`

/** Computes and stores the run's scores (inside its transaction); returns how many rows were stored. */
export async function storeQualityScores(tx: SqlClient, runId: string): Promise<number> {
  // PostgreSQL would JIT-compile this statement (its cost is over jit_above_cost at 1M addresses): 5 s of compiling
  // for a statement that runs in less; off for it alone, then back to what it was
  const { rows: [{ jit }] } = await tx.query<{ jit: string }>(`SELECT current_setting('jit') AS jit, set_config('jit', 'off', true)`)
  const { rows } = await tx.query<{ n: number }>(`
    WITH stored AS (
      INSERT INTO quality_score ("runId", "marketCode", "entityType", records, clean)
      SELECT $1::uuid, s."marketCode", s."entityType", s.records, s.clean FROM (${QUALITY_SQL}) s
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM stored`, [runId])
  await tx.query(`SELECT set_config('jit', $1, true)`, [jit])
  return rows[0].n
}
