// Master-data writes on real databases: create, update (patch) and delete of every type, the importer's
// normalisation, refusals (taken keys, absent records, records still referred to), the market scope, and the
// findings each write causes and resolves through the incremental re-check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed } from '../../src/errors.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { createProcessors } from '../../src/jobs/processors.ts'
import type { JobQueue, RecheckJob } from '../../src/jobs/queue.ts'
import { checkRecordConflicts, createRecord, deleteRecord, updateRecord, type RecordValues, type WriteResult } from '../../src/masterdata/write.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const asOf = '2026-01-31'
const options = { actor: 'tester', asOf }
const ALL: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }
const SPB: Principal = { keyId: 2, name: 'nsi spb', role: 'NSI_SPECIALIST', markets: ['SPB'] }

const ref = (type: EntityRef['type'], key: string): EntityRef => ({ type, key })
const fp = (ruleId: string, type: EntityRef['type'], keys: string[]) => fingerprint(ruleId, keys.map((k) => ref(type, k)))
const prints = (r: WriteResult, which: 'caused' | 'resolved') => r[which].map((f) => f.fingerprint)

/** The problems of a refused write as [field, code] pairs. */
async function problemsOf(work: Promise<unknown>): Promise<Array<[string | null, string]>> {
  const error = await work.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(ValidationFailed)
  return (error as ValidationFailed).problems.map((p) => [p.field, p.code])
}

describe.each(backends)('master-data writes on %s', (backend) => {
  let db: TestDatabase
  const row = async (sql: string, params: unknown[]) => (await db.sql.query<Record<string, unknown>>(sql, params)).rows[0]
  beforeAll(async () => {
    db = await testDatabase(backend)
    const summary = await importDirectory(db, writeFiles(tempDir('write-'), baseFiles()))
    expect(summary.rejected).toBe(0)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
  }, 60_000)
  afterAll(async () => { await db?.close() })

  describe('create, update and delete of every type', () => {
    const cases: Array<{ type: EntityRef['type']; key: string; create: RecordValues; patch: RecordValues; check: string; expected: Record<string, unknown> }> = [
      { type: 'market', key: 'KZN', create: { code: 'KZN', name: 'Казань' }, patch: { name: 'Казань и область' },
        check: `SELECT name FROM market WHERE code = $1`, expected: { name: 'Казань и область' } },
      { type: 'equipmentType', key: 'ONT', create: { code: 'ONT', name: 'Оптический терминал' }, patch: { name: 'ONT GPON' },
        check: `SELECT name FROM equipment_type WHERE code = $1`, expected: { name: 'ONT GPON' } },
      { type: 'product', key: 'GPON-1', create: { sku: 'GPON-1', name: 'Интернет GPON', kind: 'service', equipment_type: 'ROUTER', markets: ['MSK'], status: 'ACTIVE', valid_from: '2025-01-01' },
        patch: { markets: 'MSK;SPB', valid_to: '2027-12-31' },
        check: `SELECT p.kind::text AS kind, p.status::text AS status, to_char(p."validTo", 'YYYY-MM-DD') AS valid_to,
                  (SELECT string_agg(m.code, ';' ORDER BY m.code) FROM product_market pm JOIN market m ON m.id = pm."marketId" WHERE pm."productId" = p.id) AS markets
                FROM product p WHERE sku = $1`,
        expected: { kind: 'SERVICE', status: 'ACTIVE', valid_to: '2027-12-31', markets: 'MSK;SPB' } },
      { type: 'customer', key: 'C-10', create: { code: 'C-10', name: 'Петров Пётр', kind: 'PERSON', phone: '8 (921) 000-11-22' }, patch: { phone: '+7 921 000 11 23', email: 'p@example.ru' },
        check: `SELECT name, phone, "phoneNorm", email FROM customer WHERE code = $1`,
        expected: { name: 'Петров Пётр', phone: '+7 921 000 11 23', phoneNorm: '79210001123', email: 'p@example.ru' } },
      { type: 'address', key: 'A-10', create: { code: 'A-10', text: 'г. Казань, ул. Баумана, д. 51, кв. 3' }, patch: { apartment: '4' },
        check: `SELECT city, house, apartment, normalized FROM address WHERE code = $1`,
        expected: { city: 'Казань', house: '51', apartment: '4', normalized: 'казань|ул|баумана|51|||кв4' } },
      { type: 'contract', key: 'D-10', create: { number: 'D-10', customer: 'C-2', address: 'A-2', product: 'NET-500', market: 'SPB', status: 'DRAFT', valid_from: '2025-01-01' },
        patch: { status: 'SUSPENDED' },
        check: `SELECT c.status::text AS status, to_char(c."validFrom", 'YYYY-MM-DD') AS valid_from, c."validTo" AS valid_to, a.code AS address
                FROM contract c JOIN address a ON a.id = c."addressId" WHERE number = $1`,
        expected: { status: 'SUSPENDED', valid_from: '2025-01-01', valid_to: null, address: 'A-2' } },
      { type: 'equipment', key: 'INV-10', create: { inventory_no: 'INV-10', serial: 'ab-10', product: 'RT-AX', status: 'IN_STOCK' },
        patch: { mac: 'AA-BB-CC-DD-EE-10' },
        check: `SELECT serial, "serialNorm", mac, "macNorm", status::text AS status FROM equipment WHERE "inventoryNo" = $1`,
        expected: { serial: 'ab-10', serialNorm: 'AB10', mac: 'AA-BB-CC-DD-EE-10', macNorm: 'aabbccddee10', status: 'IN_STOCK' } },
    ]
    // deleted in reverse, so that nothing created here still refers to what is deleted
    it.each(cases)('$type', async (c) => {
      const created = await createRecord(db, ALL, c.type, c.create, options)
      expect(created.key).toBe(c.key)
      const updated = await updateRecord(db, ALL, c.type, c.key, c.patch, options)
      expect(updated.key).toBe(c.key)
      expect(await row(c.check, [c.key])).toMatchObject(c.expected)
      // a patch that changes nothing re-checks nothing
      expect((await updateRecord(db, ALL, c.type, c.key, c.patch, options)).recheck).toBeNull()
      const deleted = await deleteRecord(db, ALL, c.type, c.key, options)
      expect(deleted.recheck?.runId).toBeTruthy()
      expect(await row(c.check, [c.key])).toBeUndefined()
    })
  })

  it('writes a record exactly as the import does (normalised phone, address parts and keys, serial and MAC)', async () => {
    const customer = { name: 'ООО «Берёза»', kind: 'COMPANY', inn: '7709876543', phone: '8 (812) 555-01-02', email: 'b@example.ru' }
    const address = { text: '190000, Санкт-Петербург, Лиговский просп., 5к2-12', region: null, city: null, street: null, house: null, building: null, apartment: null, postal_code: null }
    const device = { serial: ' sn/77-aa.01 ', mac: '0011.2233.44FF', product: 'RT-AX', address: null, contract: null, status: 'in_stock', installed_at: null, removed_at: null }
    await importDirectory(db, writeFiles(tempDir('write-same-'), {
      'customers.csv': csv(['code', ...Object.keys(customer)], [['C-IMP', ...Object.values(customer)]]),
      'addresses.csv': csv(['code', ...Object.keys(address)], [['A-IMP', ...Object.values(address)]]),
      'equipment.csv': csv(['inventory_no', ...Object.keys(device)], [['INV-IMP', ...Object.values(device)]]),
    }))
    await createRecord(db, ALL, 'customer', { code: 'C-API', ...customer }, options)
    await createRecord(db, ALL, 'address', { code: 'A-API', text: address.text }, options)
    await createRecord(db, ALL, 'equipment', { inventory_no: 'INV-API', ...device }, options)
    const same = async (table: string, keyColumn: string, columns: string[], imported: string, written: string) => {
      const q = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table} WHERE "${keyColumn}" = $1`
      const a = await row(q, [imported]), b = await row(q, [written])
      expect(a).toBeDefined()
      expect(b).toEqual(a)
    }
    await same('customer', 'code', ['name', 'kind', 'inn', 'phone', 'phoneNorm', 'nameNorm', 'email'], 'C-IMP', 'C-API')
    await same('address', 'code', ['text', 'region', 'city', 'street', 'streetType', 'streetName', 'house', 'building', 'structure', 'apartment',
      'postalCode', 'normalized', 'houseKey', 'streetKey', 'blockKey'], 'A-IMP', 'A-API')
    await same('equipment', 'inventoryNo', ['serial', 'serialNorm', 'mac', 'macNorm', 'status', 'productId'], 'INV-IMP', 'INV-API')
    expect(await row(`SELECT phone, "phoneNorm" FROM customer WHERE code = $1`, ['C-API'])).toEqual({ phone: '8 (812) 555-01-02', phoneNorm: '78125550102' })
    expect(await row(`SELECT house, building, apartment, "postalCode" FROM address WHERE code = $1`, ['A-API'])).toEqual({ house: '5', building: '2', apartment: '12', postalCode: '190000' })
    expect(await row(`SELECT serial, "serialNorm", "macNorm" FROM equipment WHERE "inventoryNo" = $1`, ['INV-API'])).toEqual({ serial: 'sn/77-aa.01', serialNorm: 'SN77AA01', macNorm: '0011223344ff' })
    // the same text again: parsed the same, nothing changes, nothing is re-checked
    const text = await updateRecord(db, ALL, 'address', 'A-API', { text: address.text }, options)
    expect(text.recheck).toBeNull()
  })

  it('an update is a patch: the other fields stay; a new address text re-derives its parts but keeps a postal code given beside it', async () => {
    await updateRecord(db, ALL, 'contract', 'D-2', { valid_to: '2024-07-31' }, options)
    expect(await row(`SELECT status::text AS status, to_char("validFrom", 'YYYY-MM-DD') AS f, to_char("validTo", 'YYYY-MM-DD') AS t FROM contract WHERE number = $1`, ['D-2']))
      .toEqual({ status: 'TERMINATED', f: '2023-01-01', t: '2024-07-31' })
    await updateRecord(db, ALL, 'contract', 'D-2', { valid_to: '2024-06-30' }, options)
    // A-1 was imported with postal_code 125009 beside a text that has none
    await updateRecord(db, ALL, 'address', 'A-1', { text: 'г. Москва, ул. Ленина, д. 5, кв. 14' }, options)
    expect(await row(`SELECT apartment, "postalCode", normalized FROM address WHERE code = $1`, ['A-1']))
      .toEqual({ apartment: '14', postalCode: '125009', normalized: 'москва|ул|ленина|5|||кв14' })
    await updateRecord(db, ALL, 'address', 'A-1', { text: 'г. Москва, ул. Ленина, д. 5, кв. 12' }, options)
    // null clears an optional field; a required one cannot be cleared
    await updateRecord(db, ALL, 'customer', 'C-2', { email: 'info@romashka.ru' }, options)
    await updateRecord(db, ALL, 'customer', 'C-2', { email: null }, options)
    expect(await row(`SELECT email FROM customer WHERE code = $1`, ['C-2'])).toEqual({ email: null })
    expect(await problemsOf(updateRecord(db, ALL, 'customer', 'C-2', { name: null }, options))).toEqual([['name', 'REQUIRED']])
    expect(await problemsOf(updateRecord(db, ALL, 'customer', 'C-2', { code: 'C-99' }, options))).toEqual([['code', 'KEY_CHANGE']])
  })

  it('reports every problem of a record at once, with the import\'s column names', async () => {
    const problems = await problemsOf(createRecord(db, ALL, 'contract', {
      number: 'D-BAD', customer: 'C-404', address: 'A-1', product: 'NET-500', market: null, status: 'OPEN', valid_from: '2025-02-30', colour: 'red',
    }, options))
    expect(problems).toEqual(expect.arrayContaining([
      ['colour', 'UNKNOWN_FIELD'], ['market', 'REQUIRED'], ['status', 'UNKNOWN_VALUE'], ['valid_from', 'BAD_DATE'], ['customer', 'UNKNOWN_REFERENCE'],
    ]))
    expect(problems).toHaveLength(5)
    expect(await problemsOf(createRecord(db, ALL, 'product', { sku: 'P-X', name: 'x', kind: 'SERVICE', status: 'ACTIVE', markets: ['MSK', 'MARS'] }, options)))
      .toEqual([['markets', 'UNKNOWN_REFERENCE']])
    expect(await problemsOf(createRecord(db, ALL, 'customer', { code: '  ', name: 'x' }, options))).toEqual([['code', 'REQUIRED']])
    expect(await row(`SELECT count(*)::int AS n FROM contract WHERE number = 'D-BAD'`, [])).toEqual({ n: 0 })
  })

  it('says each problem in Russian, naming the column, the value and what it may be', async () => {
    const error = await createRecord(db, ALL, 'contract', {
      number: 'D-BAD', customer: 'C-404', address: 'A-1', product: 'NET-500', market: null, status: 'OPEN', valid_from: '2025-02-30', colour: 'red',
    }, options).catch((e: unknown) => e)
    expect((error as ValidationFailed).problems.map((p) => [p.field, p.message])).toEqual([
      ['colour', 'нет такого поля у записи типа «договор» (поля: number, customer, address, product, market, status, valid_from, valid_to)'],
      ['market', 'обязательное значение не заполнено'],
      ['status', 'неизвестное значение «OPEN» (допустимо: DRAFT, ACTIVE, SUSPENDED, TERMINATED)'],
      ['valid_from', 'неверная дата «2025-02-30» (нужен формат YYYY-MM-DD)'],
      ['customer', 'нет клиента «C-404»'],
    ])
    const keyChange = await updateRecord(db, ALL, 'customer', 'C-2', { code: 'C-99' }, options).catch((e: unknown) => e)
    expect((keyChange as ValidationFailed).problems).toEqual([{
      field: 'code', code: 'KEY_CHANGE', message: 'поле code сохранённой записи типа «клиент» не меняется: создайте новую запись и удалите эту',
    }])
  })

  it('stores hostile text verbatim and harmlessly', async () => {
    const name = `Robert'); DROP TABLE customer; -- \\ "quoted"\ttab\nline`
    await createRecord(db, ALL, 'customer', { code: `C-'; DELETE FROM contract; --`, name }, options)
    expect(await row(`SELECT name FROM customer WHERE code = $1`, [`C-'; DELETE FROM contract; --`])).toEqual({ name })
    expect(await row(`SELECT count(*)::int AS n FROM contract`, [])).toMatchObject({ n: expect.any(Number) })
    expect(await problemsOf(createRecord(db, ALL, 'customer', { code: 'C-NUL', name: 'a\u0000b' }, options))).toEqual([['name', 'BAD_TEXT']])
    await deleteRecord(db, ALL, 'customer', `C-'; DELETE FROM contract; --`, options)
  })

  it('refuses a taken key, an absent record, and a record still referred to', async () => {
    await expect(createRecord(db, ALL, 'contract', { number: 'D-1' }, options)).rejects.toThrow(ConflictError)
    await expect(createRecord(db, ALL, 'contract', { number: 'D-1' }, options)).rejects.toThrow('договор D-1 уже есть (бизнес-ключи уникальны по всем рынкам)')
    await expect(updateRecord(db, ALL, 'equipment', 'INV-404', { serial: 'x' }, options)).rejects.toThrow(NotFoundError)
    await expect(deleteRecord(db, ALL, 'address', 'A-404', options)).rejects.toThrow('нет адреса A-404')
    await expect(deleteRecord(db, ALL, 'address', 'A-1', options)).rejects.toThrow('адрес A-1: удалить нельзя, на запись ссылаются: договоры D-1; оборудование INV-1 — ')
    await expect(deleteRecord(db, ALL, 'market', 'MSK', options)).rejects.toThrow(/рынок MSK: удалить нельзя, на запись ссылаются: договоры D-1; продукты, предлагаемые на этом рынке NET-500, RT-AX, TV-BASE/)
    await expect(deleteRecord(db, ALL, 'equipmentType', 'ROUTER', options)).rejects.toThrow(/тип оборудования ROUTER: удалить нельзя, на запись ссылаются: продукты NET-500, RT-AX/)
    await expect(deleteRecord(db, ALL, 'product', 'RT-AX', options)).rejects.toThrow(/продукт RT-AX: удалить нельзя, на запись ссылаются: оборудование INV-1/)
    await expect(deleteRecord(db, ALL, 'contract', 'D-1', options)).rejects.toThrow('договор D-1: удалить нельзя, на запись ссылаются: оборудование INV-1 — сначала удалите или перенесите их')
    expect(await row(`SELECT count(*)::int AS n FROM address WHERE code = 'A-1'`, [])).toEqual({ n: 1 })
  })

  it('a device registered with a stored serial in another notation causes the duplicate-serial finding; changing it back resolves it', async () => {
    const dup = fp('equipment-duplicate-serial', 'equipment', ['INV-1', 'INV-20'])
    const created = await createRecord(db, ALL, 'equipment', { inventory_no: 'INV-20', serial: 'SN.4F2A/9931', product: 'RT-AX', status: 'IN_STOCK' }, options)
    expect(prints(created, 'caused')).toEqual([dup])
    expect(created.caused[0]).toMatchObject({ ruleId: 'equipment-duplicate-serial', status: 'NEW', severity: 'HIGH', entities: [ref('equipment', 'INV-1'), ref('equipment', 'INV-20')] })
    const fixed = await updateRecord(db, ALL, 'equipment', 'INV-20', { serial: 'SN-9999' }, options)
    expect(prints(fixed, 'resolved')).toEqual([dup])
    expect(fixed.caused).toEqual([])
    const again = await updateRecord(db, ALL, 'equipment', 'INV-20', { serial: 'sn 4f2a 9931' }, options)
    expect(again.caused.map((f) => [f.fingerprint, f.status])).toEqual([[dup, 'REOPENED']])
    const gone = await deleteRecord(db, ALL, 'equipment', 'INV-20', options)
    expect(prints(gone, 'resolved')).toEqual([dup])
  })

  it('a contract written into an overlap, and its invalid period, are reported; deleting it resolves them', async () => {
    const created = await createRecord(db, ALL, 'contract', {
      number: 'D-30', customer: 'C-1', address: 'A-1', product: 'NET-500', market: 'MSK', status: 'ACTIVE', valid_from: '2025-03-01', valid_to: '2025-02-01',
    }, options)
    expect(created.caused.map((f) => f.ruleId)).toEqual(['contract-invalid-period'])
    const overlap = fp('contract-overlap', 'contract', ['D-1', 'D-30'])
    const valid = await updateRecord(db, ALL, 'contract', 'D-30', { valid_to: null }, options)
    expect(prints(valid, 'caused')).toContain(overlap)
    expect(valid.resolved.map((f) => f.ruleId)).toEqual(['contract-invalid-period'])
    const gone = await deleteRecord(db, ALL, 'contract', 'D-30', options)
    expect(prints(gone, 'resolved')).toContain(overlap)
  })

  it('a re-check that fails after the write is queued with the plan taken before it, and the job does what the request could not', async () => {
    const added: Array<{ name: string; data: RecheckJob; jobId?: string }> = []
    const jobs = { async add(name: string, data: RecheckJob, opts?: { jobId?: string }) { added.push({ name, data, jobId: opts?.jobId }) } } as unknown as JobQueue
    const dup = fp('equipment-duplicate-serial', 'equipment', ['INV-1', 'INV-21'])
    // a reference date the re-check refuses: the write is stored first, then its re-check fails
    const written = await createRecord(db, ALL, 'equipment', { inventory_no: 'INV-21', serial: 'sn-4f2a-9931', product: 'RT-AX', status: 'IN_STOCK' }, { actor: 'tester', asOf: '2026-02-30', jobs })
    expect(written).toMatchObject({ recheckQueued: true, recheck: null, caused: [] })
    expect(await row(`SELECT "serialNorm" FROM equipment WHERE "inventoryNo" = $1`, ['INV-21'])).toEqual({ serialNorm: 'SN4F2A9931' })
    expect(added.map((a) => [a.name, a.data.changes, a.data.before !== undefined])).toEqual([['recheck', [ref('equipment', 'INV-21')], true]])
    expect(await row(`SELECT status FROM finding WHERE fingerprint = $1`, [dup])).toBeUndefined()
    // the job, run by a worker (here with a reference date it accepts)
    await createProcessors(db).recheck({ ...added[0].data, asOf }, { id: added[0].jobId!, name: 'recheck', attempt: 1 })
    expect(await row(`SELECT status::text AS status FROM finding WHERE fingerprint = $1`, [dup])).toEqual({ status: 'NEW' })
    // without a queue the failure stands (and the write is stored): the caller is told
    await expect(updateRecord(db, ALL, 'equipment', 'INV-21', { serial: 'SN-21' }, { actor: 'tester', asOf: '2026-02-30' })).rejects.toThrow()
    expect(prints(await deleteRecord(db, ALL, 'equipment', 'INV-21', options), 'resolved')).toEqual([dup])
  })

  it('checks a record without storing it', async () => {
    const findings = await checkRecordConflicts(db, ALL, 'equipment', { inventory_no: 'INV-40', serial: 'sn4f2a-9931', product: 'RT-AX', status: 'INSTALLED' }, { asOf })
    expect(findings.map((f) => [f.ruleId, f.status, f.entities.map((e) => e.key)])).toEqual([
      ['equipment-duplicate-serial', null, ['INV-1', 'INV-40']],
      ['equipment-without-contract', null, ['INV-40']],
    ])
    expect(await row(`SELECT count(*)::int AS n FROM equipment WHERE "inventoryNo" = 'INV-40'`, [])).toEqual({ n: 0 })
    // a stored key: the fields given are laid over the stored record
    const moved = await checkRecordConflicts(db, ALL, 'equipment', { inventory_no: 'INV-1', status: 'IN_STOCK' }, { asOf })
    expect(moved.map((f) => [f.ruleId, f.entities.map((e) => e.key)])).toEqual([['contract-missing-equipment', ['D-1']]])
    expect(await problemsOf(checkRecordConflicts(db, ALL, 'equipment', { inventory_no: 'INV-40', product: 'NOPE', status: 'LOST' }, { asOf })))
      .toEqual([['status', 'UNKNOWN_VALUE'], ['product', 'UNKNOWN_REFERENCE']])
  })

  describe('a key limited to SPB', () => {
    it('may not write the catalogue', async () => {
      await expect(createRecord(db, SPB, 'market', { code: 'NSK', name: 'Новосибирск' }, options)).rejects.toThrow(ForbiddenError)
      await expect(createRecord(db, SPB, 'market', { code: 'NSK', name: 'Новосибирск' }, options)).rejects
        .toThrow('ключ ограничен рынками SPB: записи типа «рынок» ему менять нельзя — это общий справочник всех рынков')
      await expect(updateRecord(db, SPB, 'product', 'NET-500', { name: 'x' }, options)).rejects.toThrow(ForbiddenError)
      await expect(deleteRecord(db, SPB, 'equipmentType', 'STB', options)).rejects.toThrow(ForbiddenError)
    })

    it('sees no record of another market: NotFound, or an unknown reference', async () => {
      await expect(updateRecord(db, SPB, 'contract', 'D-1', { status: 'TERMINATED' }, options)).rejects.toThrow('нет договора D-1')
      await expect(deleteRecord(db, SPB, 'equipment', 'INV-1', options)).rejects.toThrow(NotFoundError)
      await expect(updateRecord(db, SPB, 'address', 'A-1', { apartment: '1' }, options)).rejects.toThrow(NotFoundError)
      expect(await problemsOf(createRecord(db, SPB, 'contract', {
        number: 'D-50', customer: 'C-1', address: 'A-1', product: 'TV-BASE', market: 'MSK', status: 'ACTIVE', valid_from: '2025-01-01',
      }, options))).toEqual([['customer', 'UNKNOWN_REFERENCE'], ['address', 'UNKNOWN_REFERENCE'], ['product', 'UNKNOWN_REFERENCE'], ['market', 'UNKNOWN_REFERENCE']])
      // a device on a Moscow contract, or nowhere it can see, is refused
      expect(await problemsOf(createRecord(db, SPB, 'equipment', { inventory_no: 'INV-50', product: 'RT-AX', contract: 'D-1', status: 'INSTALLED' }, options)))
        .toEqual([['contract', 'UNKNOWN_REFERENCE']])
      expect(await problemsOf(createRecord(db, SPB, 'equipment', { inventory_no: 'INV-50', product: 'RT-AX', status: 'IN_STOCK' }, options)))
        .toEqual([['contract', 'OUT_OF_SCOPE']])
      await expect(createRecord(db, SPB, 'equipment', { inventory_no: 'INV-50', product: 'RT-AX', status: 'IN_STOCK' }, options)).rejects.toThrow(
        'contract: ключ ограничен рынками SPB: устройство регистрируется на договор этих рынков или по адресу, где такой договор есть')
      expect(await row(`SELECT count(*)::int AS n FROM contract WHERE "number" = 'D-1' AND status = 'ACTIVE'`, [])).toEqual({ n: 1 })
    })

    it('creates a customer and an address, a contract in its market for them, and a device on it', async () => {
      await createRecord(db, SPB, 'customer', { code: 'C-60', name: 'Сидоров Сидор', phone: '89210006060' }, options)
      await createRecord(db, SPB, 'address', { code: 'A-60', text: 'Санкт-Петербург, ул. Марата, д. 8, кв. 1' }, options)
      // not its own yet: no contract in SPB
      await expect(updateRecord(db, SPB, 'customer', 'C-60', { email: 'x@y.ru' }, options)).rejects.toThrow(NotFoundError)
      const contract = await createRecord(db, SPB, 'contract', {
        number: 'D-60', customer: 'C-60', address: 'A-60', product: 'NET-500', market: 'SPB', status: 'ACTIVE', valid_from: '2025-01-01',
      }, options)
      expect(contract.caused.map((f) => f.ruleId)).toEqual(['contract-missing-equipment'])
      const device = await createRecord(db, SPB, 'equipment', { inventory_no: 'INV-60', product: 'RT-AX', address: 'A-60', contract: 'D-60', status: 'INSTALLED' }, options)
      expect(device.resolved.map((f) => f.ruleId)).toEqual(['contract-missing-equipment'])
      await updateRecord(db, SPB, 'customer', 'C-60', { email: 'x@y.ru' }, options)
      // deleting: refusal names only what the key may see; the rest is counted
      await expect(deleteRecord(db, SPB, 'contract', 'D-60', options)).rejects.toThrow('договор D-60: удалить нельзя, на запись ссылаются: оборудование INV-60')
      await deleteRecord(db, SPB, 'equipment', 'INV-60', options)
      await deleteRecord(db, SPB, 'contract', 'D-60', options)
      // without a contract in SPB they are out of its sight again
      await expect(deleteRecord(db, SPB, 'address', 'A-60', options)).rejects.toThrow(NotFoundError)
      await deleteRecord(db, ALL, 'address', 'A-60', options)
      await deleteRecord(db, ALL, 'customer', 'C-60', options)
    })

    it('sees only the findings of its markets', async () => {
      // a duplicate of a Moscow device's serial is a finding across markets: not the SPB key's to see
      const created = await createRecord(db, SPB, 'equipment', { inventory_no: 'INV-70', serial: 'SN4F2A9931', product: 'RT-AX', address: 'A-2', status: 'IN_STOCK' }, options)
      expect(created.caused).toEqual([])
      expect(created.recheck!.created.map((f) => f.ruleId)).toEqual(['equipment-duplicate-serial'])
      const gone = await deleteRecord(db, SPB, 'equipment', 'INV-70', options)
      expect(gone.resolved).toEqual([])
      expect(gone.recheck!.resolved.map((f) => f.ruleId)).toEqual(['equipment-duplicate-serial'])
    })
  })
})
