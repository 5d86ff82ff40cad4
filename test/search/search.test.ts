// The search service on both databases with a small hand-made dataset: each kind of query finds the
// intended record first, typos are tolerated, unrelated text finds nothing, market scope holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM, type Principal } from '../../src/access/scope.ts'
import { search, type SearchInput } from '../../src/search/search.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { loadSearchDataset } from './dataset.ts'

const scoped = (...markets: string[]): Principal => ({ keyId: 1, name: 'test', role: 'SUPPORT_AGENT', markets })
const MSK = scoped('MSK')
const SPB = scoped('SPB')

describe.each(backends)('search on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadSearchDataset(db)
  }, 60_000)
  afterAll(async () => { await db?.close() })

  const keys = async (text: string, principal: Principal = MSK, input: Partial<SearchInput> = {}) =>
    (await search(db, principal, { text, ...input })).map((h) => h.key)
  const first = async (text: string, principal: Principal = MSK, input: Partial<SearchInput> = {}) =>
    (await search(db, principal, { text, ...input }))[0]

  it('finds a flat however the address is written, and its house after it', async () => {
    for (const text of ['ленина 5 кв 12', 'Ленина д.5, кв.12', 'ул ленина 5-12', 'ЛЕНИНА, дом 5, квартира 12', 'г. Москва, ул. Ленина, 5-12', 'улица Ленина 5 12']) {
      const hits = await search(db, MSK, { text })
      expect(hits[0], text).toMatchObject({ type: 'address', key: 'A-M1', matchedBy: 'address', label: 'г. Москва, ул. Ленина, д. 5, кв. 12' })
      expect(hits[0].score, text).toBeGreaterThan(0.9)
      expect(hits.map((h) => h.key), text).toContain('A-M2') // the house
      expect(hits.map((h) => h.key), text).not.toContain('A-M3') // another flat of it
      expect(hits.map((h) => h.key), text).not.toContain('A-M7') // Ленинская
    }
    expect(await keys('ленина 5')).toEqual(['A-M2', 'A-M1', 'A-M3'])
    expect(await keys('ленинская 8')).toEqual(['A-M7'])
    expect(await keys('Маршала Жукова 12 корп 2 кв 45')).toEqual(['A-M6'])
    expect((await first('жукова 12к2-45'))?.key).toBe('A-M6')
  })

  it('tolerates a one-letter typo, «ё», no street type, the city written or not', async () => {
    expect((await first('ленена 5 кв 12'))?.key).toBe('A-M1')
    expect((await first('лениа 5 кв 12'))?.key).toBe('A-M1')
    expect((await first('мора 15 кв 3'))?.key).toBe('A-M5') // too short a name for trigrams: found by house and flat
    expect((await first('Королёва 7 кв 21'))?.key).toBe('A-M4')
    expect((await first('королева 7-21'))?.key).toBe('A-M4')
    expect((await first('проспект мира 15-3'))?.key).toBe('A-M5')
    // the same flat in both cities: the city typed decides, an unscoped key sees both
    expect((await first('спб ленина 5 кв 12', SYSTEM))?.key).toBe('A-S1')
    expect((await first('Москва ленина 5 кв 12', SYSTEM))?.key).toBe('A-M1')
    expect((await keys('ленина 5 кв 12', SYSTEM)).slice(0, 2).sort()).toEqual(['A-M1', 'A-S1'])
  })

  it('finds a customer by a phone in any notation, a long part of it, the INN or a name', async () => {
    for (const text of ['8 916 123-45-67', '+7(916)1234567', '9161234567', '89161234567', '+7 916 123 45 67']) {
      expect(await first(text), text).toMatchObject({ type: 'customer', key: 'C-1', matchedBy: 'phone', score: 1, label: 'Иванов Иван Иванович, +7 916 123-45-67' })
    }
    expect(await first('123-45-67')).toMatchObject({ key: 'C-1', matchedBy: 'phone' })
    expect((await first('123-45-67')).score).toBeLessThan(1)
    expect(await keys('45-67')).toEqual([]) // four digits: too many customers share them
    expect(await first('771234567890')).toMatchObject({ key: 'C-1', matchedBy: 'inn', score: 1 })
    expect(await first('7701234567')).toMatchObject({ key: 'C-2', matchedBy: 'inn' })
    for (const text of ['Иванов Иван Иванович', 'иван иванович иванов', 'ИВАНОВ ИВАН', 'Иваонв Иван Иванович', 'Иванов']) {
      expect(await first(text), text).toMatchObject({ type: 'customer', key: 'C-1', matchedBy: 'name' })
    }
    for (const text of ['ромашка', 'ООО "Ромашка"', 'ооо «ромашка»', 'Общество с ограниченной ответственностью Ромашка']) {
      expect(await first(text), text).toMatchObject({ key: 'C-2', matchedBy: 'name' })
    }
    expect(await first('петрова алена сергеевна', SPB)).toMatchObject({ key: 'C-3', score: 1 })
  })

  it('finds a device by half its serial or MAC in any notation', async () => {
    for (const text of ['HWTC-F3BC1461', 'hwtc f3bc1461', 'F3BC1461', 'f3bc14', 'HWTC F3BC']) {
      expect(await first(text), text).toMatchObject({ type: 'equipment', key: 'INV-1', matchedBy: 'serial', label: 'Роутер Huawei · S/N HWTC-F3BC1461 · INV-1' })
    }
    expect((await first('hwtcf3bc1461'))?.score).toBe(1)
    for (const text of ['48:57:02:61:5C:98', '4857.0261.5c98', '485702615C98', '61:5c:98', '5C-98']) {
      expect(await first(text), text).toMatchObject({ key: 'INV-1', matchedBy: 'mac' })
    }
    expect(await first('98DA-C45E-8E83')).toMatchObject({ key: 'INV-3', matchedBy: 'mac', score: 1 })
    expect((await keys('HWTC0712')).sort()).toEqual(['INV-3']) // INV-4 is in SPB
    expect((await keys('HWTC0712', SYSTEM)).sort()).toEqual(['INV-3', 'INV-4'])
  })

  it('a fragment in over a thousand serials still puts the device whose whole serial it is first', async () => {
    // 1,200 devices whose serials contain «ZXQ77» are read before the one whose serial it is: the fragment's rows are
    // read up to a bound, the whole serial by its index
    await db.sql.query(`INSERT INTO equipment ("inventoryNo", serial, "serialNorm", "productId", "addressId", "contractId", status)
      SELECT 'BULK-' || g, 'ZXQ77-' || g, 'ZXQ77' || lpad(g::text, 4, '0'), "productId", "addressId", "contractId", status
      FROM equipment, generate_series(1, 1200) g WHERE "inventoryNo" = 'INV-1'`)
    await db.sql.query(`INSERT INTO equipment ("inventoryNo", serial, "serialNorm", "productId", "addressId", "contractId", status)
      SELECT 'INV-EXACT', 'ZXQ-77', 'ZXQ77', "productId", "addressId", "contractId", status FROM equipment WHERE "inventoryNo" = 'INV-1'`)
    try {
      expect(await first('zxq77')).toMatchObject({ key: 'INV-EXACT', matchedBy: 'serial', score: 1 })
      expect((await keys('zxq770')).length).toBeGreaterThan(5)
    } finally {
      await db.sql.query(`DELETE FROM equipment WHERE "inventoryNo" LIKE 'BULK-%' OR "inventoryNo" = 'INV-EXACT'`)
    }
  })

  it('finds records by business key, whatever the case', async () => {
    expect(await first('D-1')).toMatchObject({ type: 'contract', key: 'D-1', matchedBy: 'key', label: 'D-1 · Домашний интернет 500 · г. Москва, ул. Ленина, д. 5, кв. 12' })
    expect(await first('inv-3')).toMatchObject({ type: 'equipment', key: 'INV-3', matchedBy: 'key' })
    expect(await first('c-2')).toMatchObject({ type: 'customer', key: 'C-2' })
    expect(await first('A-M5')).toMatchObject({ type: 'address', key: 'A-M5' })
  })

  it('limits to the types asked for; contracts and devices stand for the address or customer typed', async () => {
    expect(await first('ленина 5 кв 12', MSK, { types: ['contract'] })).toMatchObject({ type: 'contract', key: 'D-1', matchedBy: 'address' })
    expect(await first('ленина 5 кв 12', MSK, { types: ['equipment'] })).toMatchObject({ type: 'equipment', key: 'INV-1', matchedBy: 'address' })
    expect((await keys('8 916 123-45-67', MSK, { types: ['contract'] })).sort()).toEqual(['D-1', 'D-6'])
    expect(await keys('D-1', MSK, { types: ['address', 'customer'] })).toEqual([])
    expect(await keys('ленина 5', MSK, { first: 1 })).toEqual(['A-M2'])
  })

  it('finds nothing for unrelated text', async () => {
    for (const text of ['погода завтра', 'абракадабра 99', 'xyz', 'кошка', '42', 'Q', 'ленина 77 кв 1', "'; DROP TABLE address; --", '%', '_ _']) {
      expect(await keys(text, SYSTEM), text).toEqual([])
    }
  })

  it('keeps to the key\'s markets in every kind of query', async () => {
    expect(await keys('ленина 5 кв 12', SPB, { first: 50 })).toEqual(['A-S1'])
    expect(await keys('ленина 5', SPB, { first: 50 })).toEqual(['A-S1'])
    for (const text of ['8 916 123-45-67', '771234567890', 'иванов иван', 'ромашка', 'F3BC1461', '48:57:02:61:5C:98', 'D-1', 'INV-1', 'C-1', 'A-M1']) {
      expect(await keys(text, SPB, { first: 50 }), text).toEqual([])
    }
    expect(await keys('ленина 5 кв 12', SPB, { types: ['contract', 'equipment'] })).toEqual(['D-3', 'INV-2'])
    expect(await keys('невский 10 кв 3', MSK)).toEqual([])
    expect(await keys('невский 10 кв 3', scoped('MSK', 'SPB'))).toEqual(['A-S2'])
  })

  it('refuses bad input', async () => {
    await expect(search(db, MSK, { text: '  ' })).rejects.toThrow(/текст поиска не может быть пустым/)
    await expect(search(db, MSK, { text: 'x'.repeat(201) })).rejects.toThrow(/текст поиска не длиннее 200 символов/)
    await expect(search(db, MSK, { text: 'ленина', first: 0 })).rejects.toThrow(/не меньше 1/)
    await expect(search(db, MSK, { text: 'ленина', first: 51 })).rejects.toThrow(/first — не больше 50/)
    await expect(search(db, MSK, { text: 'ленина', types: ['market' as 'address'] })).rejects.toThrow(/поиск охватывает только/)
  })
})
