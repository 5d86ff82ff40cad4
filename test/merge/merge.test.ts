// Merging duplicates on real databases: the preview, the merge (moves, aliases, marks, the finding's event, the
// findings it resolves — the same a full audit finds), its undo, and the refusals: a member changed since the
// preview, a «not a duplicate» mark inside the group, roles and market scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed } from '../../src/errors.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { updateRecord } from '../../src/masterdata/write.ts'
import { getMerge, listMerges, mergeRecords } from '../../src/merge/merge.ts'
import { previewMerge } from '../../src/merge/preview.ts'
import { proposeSurvivor } from '../../src/merge/survivor.ts'
import { isUndoable, unmergeRecords } from '../../src/merge/unmerge.ts'
import type { MergeMember } from '../../src/merge/types.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { dumpTables, duplicateFiles } from './fixtures.ts'

const asOf = '2026-01-31'
const options = { actor: 'tester', asOf }
const ALL: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }
const SPB: Principal = { keyId: 2, name: 'nsi spb', role: 'NSI_SPECIALIST', markets: ['SPB'] }
const AGENT: Principal = { keyId: 3, name: 'agent', role: 'SUPPORT_AGENT', markets: null }

async function openFindings(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.sql.query<{ f: string }>(
    `SELECT "ruleId" || ' ' || entities::text AS f FROM finding WHERE status::text IN ('NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED') ORDER BY 1`)
  return rows.map((r) => r.f)
}

async function failure(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

describe('proposeSurvivor', () => {
  const member = (key: string, filled: number, links: number, created: string): MergeMember =>
    ({ key, values: {}, filled, contracts: links, devices: 0, incidents: 0, createdAt: new Date(created) })
  it('takes the most complete, then the most links, then the oldest, then the smallest key', () => {
    expect(proposeSurvivor([member('B', 3, 0, '2026-01-02'), member('A', 2, 9, '2026-01-01')])).toEqual({ key: 'B', reason: 'complete' })
    expect(proposeSurvivor([member('B', 3, 2, '2026-01-02'), member('A', 3, 1, '2026-01-01')])).toEqual({ key: 'B', reason: 'links' })
    expect(proposeSurvivor([member('B', 3, 1, '2026-01-01'), member('A', 3, 1, '2026-01-02')])).toEqual({ key: 'B', reason: 'oldest' })
    expect(proposeSurvivor([member('B', 3, 1, '2026-01-01'), member('A', 3, 1, '2026-01-01')])).toEqual({ key: 'A', reason: 'key' })
  })
})

describe.each(backends)('merging duplicates on %s', (backend) => {
  let db: TestDatabase
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.sql.query<T>(sql, params)).rows[0]
  const findingOf = async (ruleId: string) =>
    (await one<{ id: string; status: string }>(`SELECT id, status::text AS status FROM finding WHERE "ruleId" = $1 ORDER BY "createdAt" LIMIT 1`, [ruleId]))
  beforeAll(async () => {
    db = await testDatabase(backend)
    const summary = await importDirectory(db, writeFiles(tempDir('merge-'), duplicateFiles()))
    expect(summary.rejected).toBe(0)
    await db.sql.query(`INSERT INTO incident (kind, channel, "customerRef", "customerId", "createdBy", "marketCode")
      SELECT 'COMPLAINT', 'PHONE', 'C-3', id, 'tester', 'MSK' FROM customer WHERE code = 'C-3'`)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it('refuses callers without the right, and inputs it cannot take', async () => {
    expect(await failure(mergeRecords(db, AGENT, { type: 'customer', keys: ['C-1', 'C-3'] }, options))).toBeInstanceOf(ForbiddenError)
    const bad = await failure(previewMerge(db, ALL, { type: 'customer', keys: ['C-1', 'C-1'], survivor: 'C-9', fields: { nope: 'C-1' } }, { asOf }))
    expect(bad).toBeInstanceOf(ValidationFailed)
    expect((bad as ValidationFailed).problems.map((p) => p.field)).toEqual(['keys', 'survivor', 'fields.nope'])
    const missing = await failure(previewMerge(db, ALL, { type: 'customer', keys: ['C-1', 'C-404'] }, { asOf }))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing.message).toBe('нет клиента C-404')
  })

  it('a scoped key: another market\'s member is NotFound exactly like a missing key; moving another market\'s record is Forbidden', async () => {
    const hidden = await failure(previewMerge(db, SPB, { type: 'customer', keys: ['C-4', 'C-1'] }, { asOf }))
    const absent = await failure(previewMerge(db, SPB, { type: 'customer', keys: ['C-4', 'C-404'] }, { asOf }))
    expect(hidden).toBeInstanceOf(NotFoundError)
    expect(absent).toBeInstanceOf(NotFoundError)
    expect(hidden.message).toBe(absent.message.replace('C-404', 'C-1'))
    // A-2 (SPB) and a fresh address with a MSK contract and nothing else of SPB: visible only through SPB? no — so a
    // SPB key merging A-2 with an address that also carries a MSK contract is refused without naming it
    await db.sql.query(`INSERT INTO address (code, text, normalized, "houseKey", "streetKey", "blockKey") VALUES ('A-9', 'x', 'x', 'x', 'x', 'x')`)
    await db.sql.query(`INSERT INTO contract (number, "customerId", "addressId", "productId", "marketId", status, "validFrom")
      SELECT 'D-9', (SELECT id FROM customer WHERE code = 'C-2'), (SELECT id FROM address WHERE code = 'A-9'), (SELECT id FROM product WHERE sku = 'NET-500'), m.id, 'ACTIVE', '2024-01-01' FROM market m WHERE m.code = 'SPB'`)
    await db.sql.query(`INSERT INTO contract (number, "customerId", "addressId", "productId", "marketId", status, "validFrom")
      SELECT 'D-10', (SELECT id FROM customer WHERE code = 'C-1'), (SELECT id FROM address WHERE code = 'A-9'), (SELECT id FROM product WHERE sku = 'NET-500'), m.id, 'ACTIVE', '2024-01-01' FROM market m WHERE m.code = 'MSK'`)
    const forbidden = await failure(mergeRecords(db, SPB, { type: 'address', keys: ['A-2', 'A-9'], survivor: 'A-2' }, options))
    expect(forbidden).toBeInstanceOf(ForbiddenError)
    expect(forbidden.message).not.toContain('D-10')
    await db.sql.query(`DELETE FROM contract WHERE number IN ('D-9', 'D-10')`)
    await db.sql.query(`DELETE FROM address WHERE code = 'A-9'`)
  })

  it('previews without storing: the proposed survivor, the fields, what moves, the findings it resolves', async () => {
    const before = await dumpTables(db)
    const preview = await previewMerge(db, ALL, { type: 'customer', keys: ['C-3', 'C-1'] }, { asOf })
    expect(await dumpTables(db)).toEqual(before)
    // C-1 fills kind and phone, C-3 only email: C-1 is the more complete
    expect(preview).toMatchObject({ survivor: 'C-1', proposed: 'C-1', reason: 'complete' })
    expect(preview.members.map((m) => [m.key, m.filled, m.contracts, m.devices, m.incidents])).toEqual([['C-1', 4, 1, 1, 0], ['C-3', 3, 1, 1, 1]])
    const fields = Object.fromEntries(preview.fields.map((f) => [f.field, [f.from, f.value, f.differs]]))
    expect(fields).toMatchObject({ phone: ['C-1', '+7 916 123-45-67', true], email: ['C-3', 'ivanov@example.ru', true], inn: ['C-1', '771234567890', false] })
    expect(preview.moves.map((m) => [m.type, m.key, m.field, m.from])).toEqual([['contract', 'D-3', 'customer', 'C-3'], ['incident', expect.any(String), 'customer', 'C-3']])
    expect(preview.resolving.map((f) => f.ruleId)).toContain('customer-duplicate')
    expect(preview.appearing).toEqual([])
    // a chosen survivor and field
    const chosen = await previewMerge(db, ALL, { type: 'customer', keys: ['C-3', 'C-1'], survivor: 'C-3', fields: { name: 'C-1' } }, { asOf })
    expect(chosen).toMatchObject({ survivor: 'C-3', proposed: 'C-1', reason: 'chosen' })
    expect(chosen.fields.find((f) => f.field === 'phone')).toMatchObject({ from: 'C-1', value: '+7 916 123-45-67' })
  })

  it('refuses a merge whose member changed since the preview, naming it', async () => {
    const preview = await previewMerge(db, ALL, { type: 'customer', keys: ['C-1', 'C-3'] }, { asOf })
    await updateRecord(db, ALL, 'customer', 'C-3', { email: 'other@example.ru' }, options)
    const error = await failure(mergeRecords(db, ALL, { type: 'customer', keys: ['C-1', 'C-3'], version: preview.version }, options))
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toContain('C-3')
    expect(error.message).not.toContain('C-1')
    await updateRecord(db, ALL, 'customer', 'C-3', { email: 'ivanov@example.ru' }, options)
  })

  it('refuses a group with a «not a duplicate» mark inside, naming the mark', async () => {
    const { id } = (await one<{ id: number }>(`INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor) VALUES ('customer', 'C-1', 'C-3', 'разные люди', 'tester') RETURNING id`))
    const error = await failure(mergeRecords(db, ALL, { type: 'customer', keys: ['C-1', 'C-3'] }, options))
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toContain(`отметка ${id}`)
    await db.sql.query(`DELETE FROM distinct_mark WHERE id = $1`, [id])
  })

  it('merges: contracts, devices and incidents move, keys become aliases, marks re-point, the finding gets its event; the findings equal a full audit\'s; undo restores every row', async () => {
    const before = await dumpTables(db)
    const finding = await findingOf('address-duplicate')
    // an alias of an earlier merge that stood for A-3, and a mark of A-3's with A-2
    await db.sql.query(`INSERT INTO record_merge (id, "entityType", "survivorKey", "memberKeys", actor) VALUES ('00000000-0000-4000-8000-000000000001', 'address', 'A-3', '{A-OLD}', 'tester')`)
    await db.sql.query(`INSERT INTO record_alias ("entityType", alias, "targetKey", "mergeId") VALUES ('address', 'A-OLD', 'A-3', '00000000-0000-4000-8000-000000000001')`)
    await db.sql.query(`INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor) VALUES ('address', 'A-2', 'A-3', 'разные дома', 'tester')`)
    const setUp = await dumpTables(db)

    const preview = await previewMerge(db, ALL, { type: 'address', keys: ['A-OLD', 'A-1'], findingId: finding.id }, { asOf })
    expect(preview.survivor).toBe('A-1')
    // D-1 and D-3 (both NET-500, both active) would be at one address: the overlap appears, and the merge causes it
    expect(preview.appearing.map((f) => [f.ruleId, f.severity, f.entities.map((e) => e.key)])).toEqual([['contract-overlap', 'HIGH', ['D-1', 'D-3']]])
    expect(preview.resolving.map((f) => f.ruleId)).toEqual(['address-duplicate'])
    const result = await mergeRecords(db, ALL, { type: 'address', keys: ['A-1', 'A-3'], version: preview.version, findingId: finding.id }, options)
    expect(result.merge).toMatchObject({ type: 'address', survivor: 'A-1', members: ['A-3'], actor: 'tester', findingId: finding.id })
    expect(result.merge.moves.map((m) => [m.type, m.key])).toEqual([['contract', 'D-3'], ['equipment', 'INV-3']])
    expect(result.resolved.map((f) => f.ruleId)).toEqual(['address-duplicate'])
    expect(result.caused.map((f) => f.fingerprint)).toEqual(preview.appearing.map((f) => f.fingerprint))
    expect(await one(`SELECT a.code FROM contract c JOIN address a ON a.id = c."addressId" WHERE c.number = 'D-3'`)).toEqual({ code: 'A-1' })
    expect(await one(`SELECT a.code FROM equipment e JOIN address a ON a.id = e."addressId" WHERE e."inventoryNo" = 'INV-3'`)).toEqual({ code: 'A-1' })
    expect(await one(`SELECT count(*)::int AS n FROM address WHERE code = 'A-3'`)).toEqual({ n: 0 })
    const { rows: aliases } = await db.sql.query(`SELECT alias, "targetKey", "values"->>'text' AS text FROM record_alias WHERE "entityType" = 'address' ORDER BY alias`)
    expect(aliases).toEqual([{ alias: 'A-3', targetKey: 'A-1', text: 'Москва, ул Ленина, дом 5, квартира 12' }, { alias: 'A-OLD', targetKey: 'A-1', text: null }])
    expect(await one(`SELECT "keyA", "keyB" FROM distinct_mark WHERE "entityType" = 'address'`)).toEqual({ keyA: 'A-1', keyB: 'A-2' })
    // the merge's event, then the re-check's resolve
    const { rows: events } = await db.sql.query(`SELECT action, data->>'mergeId' AS "mergeId" FROM finding_event WHERE "findingId" = $1 ORDER BY id DESC LIMIT 2`, [finding.id])
    expect(events).toEqual([{ action: 'resolved', mergeId: null }, { action: 'merged', mergeId: result.merge.id }])
    expect((await findingOf('address-duplicate')).status).toBe('RESOLVED')
    expect(await getMerge(db.sql, ALL, result.merge.id)).toEqual(result.merge)
    expect((await listMerges(db.sql, ALL, { key: 'A-3' })).merges.map((m) => m.id)).toEqual([result.merge.id, '00000000-0000-4000-8000-000000000001'])
    expect(await isUndoable(db.sql, result.merge.id)).toBe(true)

    // the incremental re-check left what a full audit finds
    const incremental = await openFindings(db)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
    expect(await openFindings(db)).toEqual(incremental)

    const undone = await unmergeRecords(db, ALL, result.merge.id, options)
    expect(undone.merge.undoneBy).toBe('tester')
    expect(await dumpTables(db)).toEqual(setUp)
    expect((await findingOf('address-duplicate')).status).toBe('REOPENED')
    // and the re-check after the undo too left what a full audit finds
    const afterUndo = await openFindings(db)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
    expect(await openFindings(db)).toEqual(afterUndo)
    expect(await isUndoable(db.sql, result.merge.id)).toBe(false)
    const again = await failure(unmergeRecords(db, ALL, result.merge.id, options))
    expect(again).toBeInstanceOf(ConflictError)
    expect(again.message).toContain('уже отменено')

    await db.sql.query(`DELETE FROM distinct_mark WHERE "entityType" = 'address'`)
    await db.sql.query(`DELETE FROM record_merge WHERE id = '00000000-0000-4000-8000-000000000001'`)
    expect(await dumpTables(db)).toEqual(before)
  })

  it('refuses the undo once a moved contract changed, naming it', async () => {
    const result = await mergeRecords(db, ALL, { type: 'customer', keys: ['C-1', 'C-3'] }, options)
    expect(result.merge.moves.map((m) => [m.type, m.key])).toEqual([['contract', 'D-3'], ['incident', expect.any(String)]])
    await updateRecord(db, ALL, 'contract', 'D-3', { status: 'SUSPENDED' }, options)
    expect(await isUndoable(db.sql, result.merge.id)).toBe(false)
    const error = await failure(unmergeRecords(db, ALL, result.merge.id, options))
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toBe('договор D-3 изменён после объединения: отменить его нельзя')
    // the same merge again: C-3 is an alias of C-1 now, the two are one
    const twice = await failure(mergeRecords(db, ALL, { type: 'customer', keys: ['C-1', 'C-3'] }, options))
    expect(twice).toBeInstanceOf(ConflictError)
    expect(twice.message).toContain('C-3 уже объединён')
  })

  it('undoes a merge made before the master tables had "importHash" (its stored md5s are of rows without the column)', async () => {
    const tables = ['address', 'contract', 'equipment']
    // the tables as they were before the import-hash migration, the merge made then, the migration applied after it
    for (const t of tables) await db.sql.query(`ALTER TABLE "${t}" DROP COLUMN "importHash" CASCADE`)
    const before = await dumpTables(db)
    const result = await mergeRecords(db, ALL, { type: 'address', keys: ['A-1', 'A-3'] }, { ...options, recheck: false })
    expect(result.merge.moves.map((m) => m.key)).toContain('D-3')
    for (const t of tables) {
      await db.sql.query(`ALTER TABLE "${t}" ADD COLUMN "importHash" TEXT`)
      await db.sql.query(`CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "${t}" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared()`)
    }
    expect(await isUndoable(db.sql, result.merge.id)).toBe(true)
    await unmergeRecords(db, ALL, result.merge.id, { ...options, recheck: false })
    // every row back as it was before the merge; the new column empty
    const parsed = (dump: Record<string, string[]>) => Object.fromEntries(Object.entries(dump).map(([t, rows]) => [t, rows.map((r) => JSON.parse(r) as Record<string, unknown>)]))
    const restored = parsed(await dumpTables(db))
    for (const t of tables) {
      for (const row of restored[t]) {
        expect(row.importHash).toBeNull()
        delete row.importHash
      }
    }
    expect(restored).toEqual(parsed(before))
  })
})
