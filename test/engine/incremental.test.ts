// Incremental re-check and the pre-write check on real databases: focused edits, and a property test that after
// random edits the findings kept by re-checks equal what a full detection of the same data gives.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { recheck } from '../../src/audits/run.ts'
import { checkCandidate, prepareRecheck } from '../../src/engine/incremental.ts'
import { FieldError } from '../../src/errors.ts'
import { recordSpec, type EntityRef } from '../../src/records/model.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { normalizeMac, normalizeSerial } from '../../src/equipment/identifiers.ts'
import { normalizeName, normalizePhone } from '../../src/customers/identifiers.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const asOf = '2026-01-31'
const actor = 'tester'

/** Stored open findings and a full detection of the same data, as sorted fingerprint lists. */
async function openVersusFull(db: TestDatabase) {
  const rules = (await loadCatalog()).rules.filter((r) => r.enabled)
  const { findings } = await runDetection(db, rules, { asOf })
  const full = findings.map((f) => fingerprint(f.ruleId, f.entities)).sort()
  const { rows } = await db.sql.query<{ fingerprint: string }>(
    `SELECT fingerprint FROM finding WHERE status::text = ANY($1::text[]) ORDER BY fingerprint`, [[...OPEN_STATUSES]])
  return { stored: rows.map((r) => r.fingerprint).sort(), full }
}

async function expectSameAsFull(db: TestDatabase) {
  const { stored, full } = await openVersusFull(db)
  expect(stored).toEqual(full)
}

const ref = (type: EntityRef['type'], key: string): EntityRef => ({ type, key })
const fp = (ruleId: string, type: EntityRef['type'], keys: string[]) => fingerprint(ruleId, keys.map((k) => ref(type, k)))

// ─── edits as the tests make them: SQL with the import's derived values ───

async function setSerial(db: TestDatabase, key: string, serial: string | null) {
  await db.sql.query(`UPDATE equipment SET serial = $2, "serialNorm" = $3 WHERE "inventoryNo" = $1`, [key, serial, normalizeSerial(serial)])
}
async function setMac(db: TestDatabase, key: string, mac: string | null) {
  await db.sql.query(`UPDATE equipment SET mac = $2, "macNorm" = $3 WHERE "inventoryNo" = $1`, [key, mac, normalizeMac(mac)])
}
async function setAddressText(db: TestDatabase, key: string, text: string) {
  const d = recordSpec('address').derived!.compute({ text })
  const cols = Object.keys(d)
  await db.sql.query(`UPDATE address SET text = $2, ${cols.map((c, i) => `"${c}" = $${i + 3}`).join(', ')} WHERE code = $1`, [key, text, ...cols.map((c) => d[c])])
}
async function setCustomer(db: TestDatabase, key: string, inn: string | null, phone: string | null, name: string) {
  await db.sql.query(`UPDATE customer SET inn = $2, phone = $3, "phoneNorm" = $4, name = $5, "nameNorm" = $6 WHERE code = $1`,
    [key, inn, phone, normalizePhone(phone), name, normalizeName(name)])
}

const CONTRACT_HEADER = ['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to']

describe.each(backends)('incremental re-check on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    const files = baseFiles()
    files['contracts.csv'] = csv(CONTRACT_HEADER, [
      ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
      ['D-3', 'C-2', 'A-2', 'NET-500', 'SPB', 'ACTIVE', '2024-07-01', ''],
    ])
    const summary = await importDirectory(db, writeFiles(tempDir('incr-'), files))
    expect(summary.rejected).toBe(0)
    await runAudit(db, { trigger: 'CLI', actor, asOf })
    await expectSameAsFull(db)
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it('a new duplicate serial appears with the recheck of that device, and goes when fixed', async () => {
    const dup = fp('equipment-duplicate-serial', 'equipment', ['INV-1', 'INV-2'])
    await setSerial(db, 'INV-2', 'SN-4F2A-9931')
    const found = await recheck(db, [ref('equipment', 'INV-2')], { actor, asOf })
    expect(found.created.map((f) => f.fingerprint)).toContain(dup)
    expect(found.created.find((f) => f.fingerprint === dup)!.entities).toEqual([ref('equipment', 'INV-1'), ref('equipment', 'INV-2')])
    const run = await db.prisma.auditRun.findUniqueOrThrow({ where: { id: found.runId } })
    expect(run).toMatchObject({ trigger: 'INCREMENTAL', status: 'SUCCEEDED', actor })
    await expectSameAsFull(db)

    await setSerial(db, 'INV-2', 'SN4F2B0001')
    const fixed = await recheck(db, [ref('equipment', 'INV-2')], { actor, asOf })
    expect(fixed.resolved.map((f) => f.fingerprint)).toEqual([dup])
    expect(fixed.created).toEqual([])
    await expectSameAsFull(db)

    // broken again: the same finding comes back REOPENED
    await setSerial(db, 'INV-2', 'sn 4f2a 9931')
    const again = await recheck(db, [ref('equipment', 'INV-2')], { actor, asOf })
    expect(again.reopened.map((f) => f.fingerprint)).toEqual([dup])
    await setSerial(db, 'INV-2', 'SN4F2B0001')
    await recheck(db, [ref('equipment', 'INV-2')], { actor, asOf })
    await expectSameAsFull(db)
  })

  it('a contract edited into an overlap and back', async () => {
    const overlap = fp('contract-overlap', 'contract', ['D-2', 'D-3'])
    await db.sql.query(`UPDATE contract SET status = 'ACTIVE', "validTo" = '2024-12-31' WHERE number = 'D-2'`)
    const into = await recheck(db, [ref('contract', 'D-2')], { actor, asOf })
    expect(into.created.map((f) => f.fingerprint)).toContain(overlap)
    await expectSameAsFull(db)
    await db.sql.query(`UPDATE contract SET status = 'TERMINATED', "validTo" = '2024-06-30' WHERE number = 'D-2'`)
    const back = await recheck(db, [ref('contract', 'D-2')], { actor, asOf })
    expect(back.resolved.map((f) => f.fingerprint)).toContain(overlap)
    await expectSameAsFull(db)
  })

  it('a device moved to another contract: the contract it left misses it, the one it joined has it', async () => {
    const missingD1 = fp('contract-missing-equipment', 'contract', ['D-1'])
    const missingD3 = fp('contract-missing-equipment', 'contract', ['D-3'])
    const changes = [ref('equipment', 'INV-1')]
    const before = await prepareRecheck(db, changes)
    await db.sql.query(`UPDATE equipment SET "contractId" = (SELECT id FROM contract WHERE number = 'D-3'),
      "addressId" = (SELECT id FROM address WHERE code = 'A-2') WHERE "inventoryNo" = 'INV-1'`)
    const moved = await recheck(db, changes, { actor, asOf, before })
    expect(moved.created.map((f) => f.fingerprint)).toContain(missingD1)
    expect(moved.resolved.map((f) => f.fingerprint)).toContain(missingD3)
    await expectSameAsFull(db)

    const back = await prepareRecheck(db, changes)
    await db.sql.query(`UPDATE equipment SET "contractId" = (SELECT id FROM contract WHERE number = 'D-1'),
      "addressId" = (SELECT id FROM address WHERE code = 'A-1') WHERE "inventoryNo" = 'INV-1'`)
    await recheck(db, changes, { actor, asOf, before: back })
    await expectSameAsFull(db)
  })

  it('a deleted record resolves its findings', async () => {
    const dup = fp('equipment-duplicate-mac', 'equipment', ['INV-1', 'INV-2'])
    await setMac(db, 'INV-2', '00-1a-2b-3c-4d-5e')
    expect((await recheck(db, [ref('equipment', 'INV-2')], { actor, asOf })).created.map((f) => f.fingerprint)).toContain(dup)
    await db.sql.query(`DELETE FROM equipment WHERE "inventoryNo" = 'INV-2'`)
    const gone = await recheck(db, [ref('equipment', 'INV-2')], { actor, asOf })
    expect(gone.resolved.map((f) => f.fingerprint)).toContain(dup)
    await expectSameAsFull(db)
  })

  it('an address typo makes a group with the address it misspells, and leaves it when corrected', async () => {
    await importDirectory(db, writeFiles(tempDir('incr-addr-'), {
      'addresses.csv': csv(['code', 'text'], [['A-3', 'г. Москва, ул. Ленинна, д. 5, кв. 12']]),
    }))
    const group = fp('address-duplicate', 'address', ['A-1', 'A-3'])
    const typo = await recheck(db, [ref('address', 'A-3')], { actor, asOf })
    expect(typo.created.map((f) => f.fingerprint)).toContain(group)
    await expectSameAsFull(db)
    await setAddressText(db, 'A-3', 'г. Москва, ул. Пушкина, д. 7')
    const fixed = await recheck(db, [ref('address', 'A-3')], { actor, asOf })
    expect(fixed.resolved.map((f) => f.fingerprint)).toContain(group)
    await expectSameAsFull(db)
  })

  it('refuses an unknown entity type and a bad date', async () => {
    await expect(recheck(db, [{ type: 'planet' as never, key: 'X' }], { actor })).rejects.toThrow(/перепроверка: неизвестный тип записи «planet»/)
    await expect(recheck(db, [ref('equipment', 'INV-1')], { actor, asOf: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD/)
  })

  describe('checkCandidate', () => {
    const device = (over: Record<string, string | null>) => ({
      type: 'equipment' as const,
      record: { inventory_no: 'INV-NEW', serial: 'SN-0000-0001', mac: null, product: 'RT-AX', address: null, contract: null, status: 'IN_STOCK', ...over },
    })
    const countDevices = async () => (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM equipment')).rows[0].n

    it('a device with another device\'s serial in another notation would cause the duplicate-serial finding', async () => {
      const n = await countDevices()
      const findings = await checkCandidate(db, device({ serial: 'sn.4f2a/9931' }), { asOf })
      const dup = findings.filter((f) => f.ruleId === 'equipment-duplicate-serial')
      expect(dup).toHaveLength(1)
      expect(dup[0].entities).toEqual([ref('equipment', 'INV-1'), ref('equipment', 'INV-NEW')])
      expect(dup[0].data.serial).toBe('SN4F2A9931')
      expect(await countDevices()).toBe(n)
      expect((await db.sql.query(`SELECT 1 FROM equipment WHERE "inventoryNo" = 'INV-NEW'`)).rows).toEqual([])
      await expectSameAsFull(db)
    })

    it('a clean device causes nothing, and an installed one without contract its own finding', async () => {
      expect(await checkCandidate(db, device({}), { asOf })).toEqual([])
      const installed = await checkCandidate(db, device({ status: 'INSTALLED' }), { asOf })
      expect(installed.map((f) => [f.ruleId, f.entities.map((e) => e.key)])).toEqual([['equipment-without-contract', ['INV-NEW']]])
    })

    it('replacing a stored device: moving INV-1 away would leave D-1 without its router', async () => {
      const findings = await checkCandidate(db, device({ inventory_no: 'INV-1', serial: 'sn-4f2a 9931', status: 'IN_STOCK' }), { asOf })
      expect(findings.map((f) => [f.ruleId, f.entities.map((e) => e.key)])).toEqual([['contract-missing-equipment', ['D-1']]])
      expect((await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM equipment WHERE "inventoryNo" = 'INV-1'`)).rows[0].status).toBe('INSTALLED')
    })

    it('a contract overlapping D-1 is reported', async () => {
      const findings = await checkCandidate(db, {
        type: 'contract',
        record: { number: 'D-NEW', customer: 'C-1', address: 'A-1', product: 'NET-500', market: 'MSK', status: 'ACTIVE', valid_from: '2025-01-01', valid_to: null },
      }, { asOf })
      expect(findings.map((f) => f.ruleId)).toContain('contract-overlap')
      expect(findings.find((f) => f.ruleId === 'contract-overlap')!.entities.map((e) => e.key)).toEqual(['D-1', 'D-NEW'])
    })

    it('bad input names the field and the reason', async () => {
      const err = await checkCandidate(db, device({ status: 'BROKEN' })).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(FieldError)
      expect(err).toMatchObject({ field: 'status', code: 'BAD_INPUT' })
      expect((err as Error).message).toMatch(/неизвестное значение «BROKEN» \(допустимо: IN_STOCK, INSTALLED, DECOMMISSIONED\)/)
      await expect(checkCandidate(db, device({ product: 'NOPE' }))).rejects.toMatchObject({ field: 'product', reason: 'продукт: нет «NOPE»' })
      await expect(checkCandidate(db, device({ inventory_no: null }))).rejects.toMatchObject({ field: 'inventory_no' })
      await expect(checkCandidate(db, device({ colour: 'red' }))).rejects.toMatchObject({ field: 'colour' })
      await expect(checkCandidate(db, device({ installed_at: '2025-13-01' }))).rejects.toMatchObject({ field: 'installed_at' })
    })
  })
})

// ─── the property: re-checks after random edits keep the state a full run gives ───

describe('incremental state equals a full run after random edits (pglite)', () => {
  let db: TestDatabase
  let keys: { equipment: string[]; contract: string[]; address: string[]; customer: string[]; product: string[] }
  const texts: string[] = []
  const serials: string[] = []
  const macs: string[] = []
  const phones: Array<{ inn: string | null; phone: string | null; name: string }> = []

  beforeAll(async () => {
    db = await testDatabase('pglite')
    const dir = tempDir('incr-seed-')
    await generateSeed({ scale: 300, seed: 11, out: dir, asOf })
    await importDirectory(db, dir)
    await runAudit(db, { trigger: 'CLI', actor, asOf })
    const col = async (text: string) => (await db.sql.query<{ k: string }>(text)).rows.map((r) => r.k)
    keys = {
      equipment: await col(`SELECT "inventoryNo" AS k FROM equipment ORDER BY 1`),
      contract: await col(`SELECT number AS k FROM contract ORDER BY 1`),
      address: await col(`SELECT code AS k FROM address ORDER BY 1`),
      customer: await col(`SELECT code AS k FROM customer ORDER BY 1`),
      product: await col(`SELECT sku AS k FROM product ORDER BY 1`),
    }
    texts.push(...await col(`SELECT text AS k FROM address ORDER BY code`))
    serials.push(...await col(`SELECT serial AS k FROM equipment WHERE serial IS NOT NULL ORDER BY 1`))
    macs.push(...await col(`SELECT mac AS k FROM equipment WHERE mac IS NOT NULL ORDER BY 1`))
    phones.push(...(await db.sql.query<{ inn: string | null; phone: string | null; name: string }>(`SELECT inn, phone, name FROM customer ORDER BY code`)).rows)
    await expectSameAsFull(db)
  }, 120_000)
  afterAll(async () => { await db?.close() })

  const pick = <T>(list: T[], i: number) => list[i % list.length]
  const STATUSES = ['DRAFT', 'ACTIVE', 'SUSPENDED', 'TERMINATED']
  const DEVICE_STATUSES = ['IN_STOCK', 'INSTALLED', 'DECOMMISSIONED']
  // spellings one slip apart (and two, which must not chain through the middle one): edits pile records onto them,
  // so groups grow past the limit (10) and are split
  const HOT_TEXTS = ['г. Москва, ул. Горького, д. 3, кв. 1', 'Москва, ул. Горьокго, д. 3, кв. 1', 'Москва, ул. Горького, 3-1',
    'Москва, ул. Горкього, д. 3, кв. 1', 'Москва, ул. Гоького, д. 3, кв. 1',
    // a slip in the settlement's name, and one in both names (two slips from the centre: it must not join through either)
    'г. Моксва, ул. Горького, д. 3, кв. 1', 'г. Моксва, ул. Горьокго, д. 3, кв. 1']
  const HOT_NAMES = ['Павлова Ирина Дмитриевна', 'Павлояа Ирина Дмитриевна', 'ПАВЛОВА ИРИНА ДМИТРИЕВНА', 'Павлояв Ирина Дмитриевна', 'Павлова Ирина Дмитреевна']
  const DATES = ['2023-05-01', '2024-01-01', '2025-06-30', '2026-01-31', '2026-03-01', null]

  /** One random edit: applies it and says which records it changed. */
  type Edit = { kind: number; a: number; b: number; c: number }
  const edit = fc.record({ kind: fc.integer({ min: 0, max: 15 }), a: fc.nat(), b: fc.nat(), c: fc.nat() })

  async function apply(e: Edit): Promise<EntityRef[]> {
    const device = pick(keys.equipment, e.a), contract = pick(keys.contract, e.a), address = pick(keys.address, e.a)
    const one = (type: EntityRef['type'], key: string) => [ref(type, key)]
    switch (e.kind) {
      case 0: { // another device's serial, written differently
        const s = pick(serials, e.b)
        await setSerial(db, device, e.c % 2 ? s.toLowerCase().replace(/(.{3})/, '$1-') : s)
        return one('equipment', device)
      }
      case 1: await setSerial(db, device, e.c % 3 === 0 ? null : `FRESH-${e.b}`); return one('equipment', device)
      case 2: await setMac(db, device, pick(macs, e.b)); return one('equipment', device)
      case 3: await db.sql.query(`UPDATE equipment SET status = $2::"EquipmentStatus" WHERE "inventoryNo" = $1`, [device, pick(DEVICE_STATUSES, e.b)]); return one('equipment', device)
      case 4: await db.sql.query(`UPDATE equipment SET "contractId" = (SELECT id FROM contract WHERE number = $2) WHERE "inventoryNo" = $1`,
        [device, e.c % 4 === 0 ? null : pick(keys.contract, e.b)]); return one('equipment', device)
      case 5: await db.sql.query(`UPDATE contract SET status = $2::"ContractStatus" WHERE number = $1`, [contract, pick(STATUSES, e.b)]); return one('contract', contract)
      case 6: await db.sql.query(`UPDATE contract SET "validFrom" = $2::date, "validTo" = $3::date WHERE number = $1`,
        [contract, pick(DATES.filter(Boolean), e.b), pick(DATES, e.c)]); return one('contract', contract)
      case 7: await db.sql.query(`UPDATE contract SET "addressId" = (SELECT id FROM address WHERE code = $2) WHERE number = $1`, [contract, pick(keys.address, e.b)]); return one('contract', contract)
      case 8: { // another address's text, or a one-letter slip in its own
        const own = pick(texts, e.a)
        const text = e.c % 2 ? pick(texts, e.b) : own.replace(/([а-яё])([а-яё])([а-яё]+,)/i, '$2$1$3')
        await setAddressText(db, address, text)
        return one('address', address)
      }
      case 9: await db.sql.query(`DELETE FROM equipment WHERE "inventoryNo" = $1`, [device]); return one('equipment', device)
      case 10: {
        const customer = pick(keys.customer, e.a), other = pick(phones, e.b)
        await setCustomer(db, customer, e.c % 2 ? other.inn : null, other.phone, e.c % 3 ? other.name : `Новиков ${e.b}`)
        return one('customer', customer)
      }
      case 13: await setAddressText(db, address, pick(HOT_TEXTS, e.b)); return one('address', address)
      case 14: {
        const customer = pick(keys.customer, e.a)
        await setCustomer(db, customer, null, e.c % 4 ? '+7 916 777-77-77' : '+7 916 777-77-78', pick(HOT_NAMES, e.b))
        return one('customer', customer)
      }
      case 15: { // a slip in the settlement's name (before the first comma): two neighbours swapped after its first two letters
        await setAddressText(db, address, pick(texts, e.b).replace(/^([^,]*?[а-яё]{2})([а-яё])([а-яё])(?=[а-яё]*[^,]*,)/i, '$1$3$2'))
        return one('address', address)
      }
      case 11: await db.sql.query(`UPDATE contract SET "productId" = (SELECT id FROM product WHERE sku = $2) WHERE number = $1`, [contract, pick(keys.product, e.b)]); return one('contract', contract)
      default: await db.sql.query(`DELETE FROM contract WHERE number = $1`, [contract]); return one('contract', contract)
    }
  }

  it('holds for random edit sequences', async () => {
    // a group over the limit to begin with, re-checked one edit at a time; the random edits then break it up and pile onto it
    for (let i = 0; i < 12; i++) {
      for (const e of [{ kind: 13, a: i, b: i % 2 ? 0 : 1, c: 0 }, { kind: 14, a: i, b: i % 3 ? 0 : 1, c: 1 }]) {
        const before = await prepareRecheck(db, await peek(e))
        await recheck(db, await apply(e), { actor, asOf, before })
      }
    }
    await fc.assert(fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
      for (const e of edits) {
        const touched = await peek(e)
        const before = await prepareRecheck(db, touched)
        const changed = await apply(e)
        await recheck(db, changed, { actor, asOf, before })
      }
      const { stored, full } = await openVersusFull(db)
      expect(stored).toEqual(full)
    }), { numRuns: 25, seed: 20260131, endOnFailure: true })
    // the piled-up spellings made groups: at least one split over the limit, and none larger than it
    const { rows } = await db.sql.query<{ n: number; review: boolean }>(
      `SELECT jsonb_array_length(entities)::int AS n, details ? 'review' AS review FROM finding
        WHERE "ruleId" IN ('address-duplicate', 'customer-duplicate') AND status::text = ANY($1::text[])`, [[...OPEN_STATUSES]])
    expect(Math.max(...rows.map((r) => r.n))).toBeLessThanOrEqual(10)
    expect(rows.some((r) => r.review)).toBe(true)
    // and a settlement's slip made a group of its own (the hot «Моксва», or a random slip)
    const { rows: city } = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM finding WHERE "ruleId" = 'address-duplicate' AND details->'differ' @> '[{"field": "city"}]'::jsonb`)
    expect(city[0].n).toBeGreaterThan(0)
  }, 120_000)

  /** The records an edit will change, known before it is applied (prepareRecheck reads them as they were). */
  async function peek(e: Edit): Promise<EntityRef[]> {
    if ([0, 1, 2, 3, 4, 9].includes(e.kind)) return [ref('equipment', pick(keys.equipment, e.a))]
    if (e.kind === 8 || e.kind === 13 || e.kind === 15) return [ref('address', pick(keys.address, e.a))]
    if (e.kind === 10 || e.kind === 14) return [ref('customer', pick(keys.customer, e.a))]
    return [ref('contract', pick(keys.contract, e.a))]
  }
})
