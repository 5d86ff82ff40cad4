import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDirectory, type ImportSummary } from '../../src/import/importer.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'

function counts(summary: ImportSummary, file: string) {
  const f = summary.files.find((x) => x.file === file)
  if (!f) throw new Error(`no counts for ${file}`)
  const { inserted, updated, unchanged, rejected } = f
  return { inserted, updated, unchanged, rejected }
}

function rejects(summary: ImportSummary) {
  return parse<{ file: string; line: string; column: string; key: string; reason: string; row: string }>(readFileSync(summary.rejectsFile), { columns: true })
}

describe.each(backends)('import on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it('loads all seven files, then a second import of the same files changes nothing', async () => {
    const dir = writeFiles(tempDir(), baseFiles())
    const first = await importDirectory(db, dir)
    expect(first.rejected).toBe(0)
    expect(counts(first, 'contracts.csv')).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: 0 })
    expect(counts(first, 'products.csv')).toEqual({ inserted: 3, updated: 0, unchanged: 0, rejected: 0 })
    const second = await importDirectory(db, dir)
    for (const f of second.files) expect({ file: f.file, inserted: f.inserted, updated: f.updated, rejected: f.rejected }).toEqual({ file: f.file, inserted: 0, updated: 0, rejected: 0 })
    expect(second.files.reduce((n, f) => n + f.unchanged, 0)).toBe(15)

    const contract = await db.prisma.contract.findUniqueOrThrow({ where: { number: 'D-1' }, include: { customer: true, address: true, product: true, market: true } })
    expect(contract.customer.code).toBe('C-1')
    expect(contract.address.code).toBe('A-1')
    expect(contract.market.code).toBe('MSK')
    expect(contract.validTo).toBeNull()
    const device = await db.prisma.equipment.findUniqueOrThrow({ where: { inventoryNo: 'INV-1' } })
    expect(device.serialNorm).toBe('SN4F2A9931')
    expect(device.macNorm).toBe('001a2b3c4d5e')
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'C-1' } })
    expect(customer.phoneNorm).toBe('79161234567')
    const product = await db.prisma.product.findUniqueOrThrow({ where: { sku: 'NET-500' }, include: { markets: { include: { market: true } }, equipmentType: true } })
    expect(product.markets.map((m) => m.market.code).sort()).toEqual(['MSK', 'SPB'])
    expect(product.equipmentType?.code).toBe('ROUTER')
    const address = await db.prisma.address.findUniqueOrThrow({ where: { code: 'A-1' } })
    expect(address).toMatchObject({ house: '5', apartment: '12', postalCode: '125009', city: 'Москва' })
  })

  it('updates changed rows only, including a product whose market list changed', async () => {
    const files = baseFiles()
    files['products.csv'] = files['products.csv'].replace('TV-BASE,Цифровое ТВ,SERVICE,STB,MSK,', 'TV-BASE,Цифровое ТВ,SERVICE,STB,MSK;SPB,')
    files['contracts.csv'] = files['contracts.csv'].replace('D-1,C-1,A-1,NET-500,MSK,ACTIVE,2024-01-01,', 'D-1,C-1,A-1,NET-500,MSK,SUSPENDED,2024-01-01,')
    const summary = await importDirectory(db, writeFiles(tempDir(), files))
    expect(counts(summary, 'products.csv')).toEqual({ inserted: 0, updated: 1, unchanged: 2, rejected: 0 })
    expect(counts(summary, 'contracts.csv')).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 })
    expect((await db.prisma.contract.findUniqueOrThrow({ where: { number: 'D-1' } })).status).toBe('SUSPENDED')
  })

  it('resolves references against stored rows, takes columns in any order and ignores unknown ones', async () => {
    const dir = writeFiles(tempDir(), {
      'contracts.csv': csv(['status', 'comment', 'valid_from', 'number', 'market', 'product', 'address', 'customer'], [
        ['ACTIVE', 'from ERP', '2025-02-01', 'D-3', 'MSK', 'TV-BASE', 'A-1', 'C-1'],
      ]),
    })
    const summary = await importDirectory(db, dir)
    expect(counts(summary, 'contracts.csv')).toEqual({ inserted: 1, updated: 0, unchanged: 0, rejected: 0 })
  })

  it('leaves stored values of columns a file does not have', async () => {
    const dir = writeFiles(tempDir(), { 'customers.csv': csv(['code', 'name'], [['C-1', 'Иванов Иван Иванович']]) })
    const summary = await importDirectory(db, dir)
    expect(counts(summary, 'customers.csv')).toEqual({ inserted: 0, updated: 0, unchanged: 1, rejected: 0 })
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { code: 'C-1' } })
    expect(customer).toMatchObject({ phone: '+7 916 123-45-67', phoneNorm: '79161234567', inn: '771234567890' })
  })

  it.each([['inline', undefined], ['in a worker thread', 0]])('accounts for every row of a broken corpus in rejects.csv and keeps the valid rows (read %s)', async (_how, workerMinBytes) => {
    // each variant starts from the same stored state
    await db.sql.exec(`DELETE FROM contract WHERE number IN ('D-10', 'D-15'); DELETE FROM product WHERE sku = 'P-OK'; DELETE FROM market WHERE code IN ('KZN', 'NSK')`)
    const dir = tempDir()
    writeFiles(dir, {
      // cp1251, as Russian ERP exports often are
      'markets.csv': iconv.encode('code,name\nKZN,Казань\nNSK,Новосибирск ёлки\n', 'win1251'),
      // empty file
      'equipment_types.csv': '',
      'products.csv': csv(['sku', 'name', 'kind', 'equipment_type', 'markets', 'status', 'valid_from', 'valid_to'], [
        ['P-OK', 'Телефония', 'SERVICE', '', 'KZN', 'ACTIVE', '', ''],
        ['P-BADKIND', 'Что-то', 'GADGET', '', 'KZN', 'ACTIVE', '', ''],
        ['P-BADMKT', 'Телефония+', 'SERVICE', '', 'KZN;XXX', 'ACTIVE', '', ''],
      ]),
      // header lacks the required `name`
      'customers.csv': csv(['code', 'phone'], [['C-9', '1'], ['C-10', '2']]),
      'contracts.csv': [
        'number,customer,address,product,market,status,valid_from,valid_to',
        'D-10,C-1,A-1,P-OK,KZN,ACTIVE,2025-01-01,',
        'D-11,C-1,A-1,P-OK,KZN,ACTIVE,2025-02-30,',
        'D-12,C-1,A-404,P-OK,KZN,ACTIVE,2025-01-01,',
        'D-13,C-1,A-1,P-OK,KZN,ON_HOLD,2025-01-01,',
        'D-10,C-2,A-2,P-OK,KZN,ACTIVE,2025-01-01,',
        'D-14,C-1,"A-1,P-OK,KZN,ACTIVE,2025-01-01,',
        'D-15,C-1,A-1,P-OK,KZN,ACTIVE,2025-01-01,2025-12-31',
        ',C-1,A-1,P-OK,KZN,ACTIVE,2025-01-01,',
        'D-16,C-1,A-1,P-OK,KZN,DRAFT,,',
      ].join('\n') + '\n',
    })
    const summary = await importDirectory(db, dir, { workerMinBytes })
    expect(summary.nothingRead).toBe(false)
    expect(counts(summary, 'markets.csv')).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: 0 })
    expect(summary.files.find((f) => f.file === 'markets.csv')!.encoding).toBe('cp1251')
    expect((await db.prisma.market.findUniqueOrThrow({ where: { code: 'NSK' } })).name).toBe('Новосибирск ёлки')
    expect(counts(summary, 'products.csv')).toEqual({ inserted: 1, updated: 0, unchanged: 0, rejected: 2 })
    expect(counts(summary, 'customers.csv')).toEqual({ inserted: 0, updated: 0, unchanged: 0, rejected: 2 })
    expect(counts(summary, 'contracts.csv')).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: 7 })

    const r = rejects(summary).map((x) => ({ file: x.file, line: Number(x.line), column: x.column, key: x.key, reason: x.reason }))
    const find = (file: string, line: number) => r.find((x) => x.file === file && x.line === line)
    expect(find('equipment_types.csv', 1)?.reason).toBe('пустой файл: нет строки заголовка; ничего не прочитано')
    expect(find('products.csv', 3)).toMatchObject({ column: 'kind', key: 'P-BADKIND' })
    expect(find('products.csv', 3)?.reason).toBe('неизвестное значение «GADGET» (допустимо: SERVICE, EQUIPMENT)')
    expect(find('products.csv', 4)).toMatchObject({ column: 'markets', key: 'P-BADMKT' })
    expect(find('products.csv', 4)?.reason).toBe('нет рынка «XXX»')
    expect(find('customers.csv', 1)?.reason).toBe('в заголовке нет обязательного столбца name: файл отклонён целиком')
    expect(find('customers.csv', 2)).toMatchObject({ key: 'C-9' })
    expect(find('customers.csv', 3)).toMatchObject({ key: 'C-10' })
    expect(find('contracts.csv', 3)).toMatchObject({ column: 'valid_from', key: 'D-11' })
    expect(find('contracts.csv', 3)?.reason).toBe('неверная дата «2025-02-30» (нужен формат YYYY-MM-DD)')
    expect(find('contracts.csv', 4)).toMatchObject({ column: 'address', key: 'D-12' })
    expect(find('contracts.csv', 4)?.reason).toBe('нет адреса «A-404»')
    expect(find('contracts.csv', 5)).toMatchObject({ column: 'status', key: 'D-13' })
    expect(find('contracts.csv', 6)).toMatchObject({ column: 'number', key: 'D-10' })
    expect(find('contracts.csv', 6)?.reason).toBe('повтор number «D-10» в этом файле (впервые в строке 2); эта строка пропущена')
    expect(find('contracts.csv', 7)?.reason).toMatch(/^непарная кавычка: поле в кавычках, открытое в этой строке, /)
    expect(find('contracts.csv', 9)).toMatchObject({ column: 'number' })
    expect(find('contracts.csv', 9)?.reason).toBe('обязательное значение не заполнено')
    expect(find('contracts.csv', 10)).toMatchObject({ column: 'valid_from', key: 'D-16' })
    expect(r).toHaveLength(1 + 2 + 3 + 7)
    // the rows after the broken quote were read on their own
    const stored = await db.prisma.contract.findMany({ where: { number: { in: ['D-10', 'D-15'] } }, include: { customer: true } })
    expect(stored.map((c) => [c.number, c.customer.code]).sort()).toEqual([['D-10', 'C-1'], ['D-15', 'C-1']])
    expect(await db.prisma.contract.count({ where: { number: { in: ['D-11', 'D-12', 'D-13', 'D-14', 'D-16'] } } })).toBe(0)
  })

  it('reports nothing read when no file has a header', async () => {
    const summary = await importDirectory(db, writeFiles(tempDir(), { 'markets.csv': '', 'customers.csv': '\n\n' }))
    expect(summary.nothingRead).toBe(true)
    expect(rejects(summary).map((x) => [x.file, x.reason]).sort()).toEqual([
      ['customers.csv', 'нет строки заголовка; ничего не прочитано'],
      ['markets.csv', 'пустой файл: нет строки заголовка; ничего не прочитано'],
    ])
  })

  it('rejects a UTF-8 file forced as something it is not, row by row, instead of storing mojibake', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'markets.csv'), iconv.encode('code,name\nEKB,Екатеринбург\n', 'win1251'))
    const summary = await importDirectory(db, dir, { encoding: 'utf-8' })
    expect(counts(summary, 'markets.csv')).toMatchObject({ inserted: 0, rejected: 1 })
    expect(rejects(summary)[0].reason).toBe('текст не в кодировке UTF-8; если файл в кодировке Windows-1251, импортируйте его с --encoding cp1251')
  })
})

describe.each(backends)('bulk load into empty tables on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  const shape = async () => (await db.sql.query<{ d: string }>(
    `SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = ANY(ARRAY['address','contract','equipment','customer','market']::regclass[])
     UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' ORDER BY 1`)).rows.map((r) => r.d)

  it('loads with indexes and foreign keys dropped and rebuilds exactly the same ones', async () => {
    const before = await shape()
    const files = baseFiles()
    files['equipment.csv'] += 'INV-3,SN-3,,RT-AX,A-404,,IN_STOCK,,\n'
    // and read in a worker thread, as large files are
    const summary = await importDirectory(db, writeFiles(tempDir(), files), { bulkMinBytes: 1, workerMinBytes: 0 })
    expect(counts(summary, 'contracts.csv')).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: 0 })
    expect(counts(summary, 'equipment.csv')).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: 1 })
    expect(await shape()).toEqual(before)
    expect(before.length).toBeGreaterThan(15)
    // the rebuilt keys are enforced
    await expect(db.sql.query(`INSERT INTO contract (number, "customerId", "addressId", "productId", "marketId", status, "validFrom") VALUES ('X', 999999, 1, 1, 1, 'ACTIVE', '2025-01-01')`))
      .rejects.toThrow(/foreign key/)
    await expect(db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'again')`)).rejects.toThrow(/unique|duplicate/)
    // a table that is no longer empty takes the ordinary upsert
    const again = await importDirectory(db, writeFiles(tempDir(), files), { bulkMinBytes: 1 })
    expect(again.files.reduce((n, f) => n + f.inserted + f.updated, 0)).toBe(0)
    expect(await shape()).toEqual(before)
  })
})
