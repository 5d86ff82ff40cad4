// The data-quality score a full audit implies (SPEC «Data-quality score and reports»): per market (or none) and
// entity type, how many records there are and how many of them no open finding names. Stored with the run, in its
// transaction, so a trend is the scores over runs; src/reports/quality.ts reads them.
//
// A record's markets are those of src/access/scope.ts: a market itself; a contract its market; an address or a
// customer the markets of its contracts; equipment its contract's market, without a contract the markets of the
// contracts at its address; a product the markets it is offered in or has contracts in; an equipment type the
// markets of its products. A record in two markets counts in each, one in none in the «no market» row.
//
// Two parts, so the score adds little to an audit at 1M addresses. The records per market (`countRecords`) need no
// findings: one set-based statement (hash aggregates over contract, equipment joined to its contract; addresses and
// customers of no market as all less those with a contract) that the audit starts beside its detection, on a
// connection of its own (PostgreSQL; the embedded database answers it before detection starts). The records open
// findings name (`storeQualityScores`, in the run's transaction after its findings are reconciled) are few and are
// looked up by key, their markets found the same way; clean = records less those.
//
// A full run over data nothing has changed since the last scored run counts nothing again (`audit_run.qualityInputs`):
// the records per market depend on the data alone, so a run at the same data version takes the last score's record
// counts; the flagged records on the data and the open findings, so a run that also has the same open findings (a
// count and a 64-bit XOR of their fingerprints, read in one snapshot) takes its scores whole.
import type { SqlClient } from '../db/database.ts'
import { OPEN_STATUSES } from './findings.ts'
import { dataVersion } from './reuse.ts'

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

/** How many records of an entity type a market (null: none) has. */
export interface RecordCount { marketCode: string | null; entityType: string; records: number }

/** The records of a contract column (`addressId`, `customerId`) grouped by the lowest and highest market of their contracts. */
const spread = (column: string) => `
    SELECT lo, hi, count(*) AS n, array_agg(id) FILTER (WHERE lo <> hi) AS ids
    FROM (SELECT "${column}" AS id, min("marketId") AS lo, max("marketId") AS hi FROM contract GROUP BY 1) x
    GROUP BY lo, hi`

/** Every record once per market it belongs to: (market id, type, records); records in no market have market NULL. */
const COUNT_SQL = `
  WITH
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
  address_markets AS MATERIALIZED (${spread('addressId')}),
  customer_markets AS MATERIALIZED (${spread('customerId')}),
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
  )
  SELECT m.code AS "marketCode", c.type AS "entityType", sum(c.records)::int AS records
  FROM counted c LEFT JOIN market m ON m.id = c.market
  GROUP BY m.code, c.type
  HAVING sum(c.records) > 0`

/** The markets (ids) of a product `p`: offered there or on a contract there. */
const productMarkets = (p: string) => `(SELECT "marketId" FROM product_market WHERE "productId" = ${p}
  UNION SELECT DISTINCT "marketId" FROM contract WHERE "productId" = ${p})`

/** A flagged-record test: `column` is the business key of a record of `type` some open finding names. */
const named = (type: string, column: string) => `${column} IN (SELECT key FROM flagged WHERE type = '${type}')`

/** The records open findings name, once per market they belong to: (marketCode, entityType, flagged). */
const FLAGGED_SQL = `
  WITH flagged AS MATERIALIZED (
    SELECT DISTINCT fe."entityType" AS type, fe."entityKey" AS key
    FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id
    WHERE f.status IN (${OPEN_SQL})
  ),
  named (market, type) AS (
    SELECT m.id, 'market' FROM market m WHERE ${named('market', 'm.code')}
    UNION ALL
    SELECT x.market, 'equipmentType' FROM equipment_type t
    LEFT JOIN LATERAL (SELECT DISTINCT pm.m AS market FROM product p, LATERAL ${productMarkets('p.id')} pm(m) WHERE p."equipmentTypeId" = t.id) x ON true
    WHERE ${named('equipmentType', 't.code')}
    UNION ALL
    SELECT x.m, 'product' FROM product p LEFT JOIN LATERAL ${productMarkets('p.id')} x(m) ON true WHERE ${named('product', 'p.sku')}
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
  )
  SELECT m.code AS "marketCode", n.type AS "entityType", count(*)::int AS flagged
  FROM named n LEFT JOIN market m ON m.id = n.market
  GROUP BY m.code, n.type`

/**
 * Runs `query` with PostgreSQL's JIT off for it alone: at 1M addresses the statements' cost is over jit_above_cost and
 * compiling them took 5 s for statements that run in less. `set_config(…, true)` lasts to the end of the transaction.
 */
async function withoutJit<T>(tx: SqlClient, query: () => Promise<T>): Promise<T> {
  const { rows: [{ jit }] } = await tx.query<{ jit: string }>(`SELECT current_setting('jit') AS jit, set_config('jit', 'off', true)`)
  const result = await query()
  await tx.query(`SELECT set_config('jit', $1, true)`, [jit])
  return result
}

/** The records per market and entity type (no findings needed): a full audit starts it beside its detection. */
export function countRecords(sql: SqlClient): Promise<RecordCount[]> {
  return sql.transaction((tx) => withoutJit(tx, async () => (await tx.query<RecordCount>(COUNT_SQL)).rows))
}

/** What a run's score was computed from (stored on the run). */
export interface QualityInputs {
  /** the data's version, read before the records were counted */
  counted: string
  /** the data's version and the open findings, read in the snapshot the flagged records were found in */
  flagged: string
}

/** The records counted for a run, and the scored run they were taken from when the data had not changed since. */
export interface Counted { counts: RecordCount[]; version: string; from: { runId: string; inputs: QualityInputs } | null }

/**
 * The records per market for a full run: the last scored run's when the data's version is the one they were counted
 * at, else counted (the version is read first: data written meanwhile makes the next run count again, never the reverse).
 */
export async function countedRecords(sql: SqlClient): Promise<Counted> {
  const version = await dataVersion(sql)
  const { rows: [last] } = await sql.query<{ id: string; inputs: QualityInputs }>(
    `SELECT id, "qualityInputs" AS inputs FROM audit_run WHERE "qualityInputs" IS NOT NULL AND status = 'SUCCEEDED' ORDER BY "startedAt" DESC LIMIT 1`)
  if (last && last.inputs.counted === version) {
    const { rows } = await sql.query<RecordCount>(
      `SELECT "marketCode", "entityType", records FROM quality_score WHERE "runId" = $1::uuid`, [last.id])
    return { counts: rows, version, from: { runId: last.id, inputs: last.inputs } }
  }
  return { counts: await countRecords(sql), version, from: null }
}

/** The data's version and the open findings (how many, and a 64-bit XOR of their fingerprints), as one snapshot sees them. */
const FLAGGED_INPUTS_SQL = `SELECT (SELECT COALESCE(sum(weight), 0)::text FROM data_change) || '/' || count(*)::text || '/'
    || COALESCE(bit_xor(('x' || left(fingerprint, 16))::bit(64)::bigint), 0)::text AS key
  FROM finding WHERE status IN (${OPEN_SQL})`

/**
 * Stores the run's scores (inside its transaction, its findings reconciled): the `counted` records per market and
 * type, and of them the clean ones — less those open findings name. Returns how many rows were stored, the run they
 * were copied from when its inputs were this run's, and the inputs (finishRun keeps them on the run). A record
 * written while the audit ran may be in one count and not the other; clean never goes below 0 or above records, and
 * the next audit counts it exactly.
 */
export async function storeQualityScores(tx: SqlClient, runId: string, counted: Counted): Promise<{ rows: number; copiedFrom: string | null; inputs: QualityInputs }> {
  const from = counted.from
  if (from) {
    const { rows: [{ key }] } = await tx.query<{ key: string }>(FLAGGED_INPUTS_SQL)
    if (from.inputs.flagged === key) {
      // nothing the score reads has changed since that run: its rows are this run's
      const copied = await tx.query(`INSERT INTO quality_score ("runId", "marketCode", "entityType", records, clean)
        SELECT $1::uuid, "marketCode", "entityType", records, clean FROM quality_score WHERE "runId" = $2::uuid`, [runId, from.runId])
      return { rows: copied.affectedRows ?? 0, copiedFrom: from.runId, inputs: { counted: counted.version, flagged: key } }
    }
  }
  // the flagged records and the inputs they were found from, in one snapshot (the LEFT JOIN gives a row when none is flagged)
  const flagged = await withoutJit(tx, async () => (await tx.query<{ marketCode: string | null; entityType: string; flagged: number; key: string }>(
    `WITH found AS (${FLAGGED_SQL}) SELECT found.*, inputs.key FROM (${FLAGGED_INPUTS_SQL}) inputs LEFT JOIN found ON true`)).rows)
  const keyOf = (market: string | null, type: string) => JSON.stringify([market, type])
  const flaggedBy = new Map(flagged.filter((r) => r.entityType !== null).map((r) => [keyOf(r.marketCode, r.entityType), r.flagged]))
  const inputs = { counted: counted.version, flagged: flagged[0].key }
  const rows = counted.counts.filter((c) => c.records > 0)
  if (rows.length === 0) return { rows: 0, copiedFrom: null, inputs }
  await tx.query(`
    INSERT INTO quality_score ("runId", "marketCode", "entityType", records, clean)
    SELECT $1::uuid, * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[])`, [
    runId,
    rows.map((r) => r.marketCode),
    rows.map((r) => r.entityType),
    rows.map((r) => r.records),
    rows.map((r) => Math.max(0, r.records - (flaggedBy.get(keyOf(r.marketCode, r.entityType)) ?? 0))),
  ])
  return { rows: rows.length, copiedFrom: null, inputs }
}
