// Fixtures of the merge tests: the base data with duplicates, and a dump of every table a merge touches.
import { baseFiles, csv } from '../helpers/csv.ts'
import type { TestDatabase } from '../helpers/db.ts'

/** The base data plus duplicates: C-3 is C-1 by INN, A-3 is A-1 written differently, each with a contract and a device. */
export function duplicateFiles(): Record<string, string> {
  const files = baseFiles()
  files['customers.csv'] = csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
    ['C-1', 'Иванов Иван Иванович', 'PERSON', '771234567890', '+7 916 123-45-67', ''],
    ['C-2', 'ООО «Ромашка»', 'COMPANY', '7701234567', '8 (495) 111-22-33', ''],
    ['C-3', 'Иванов Иван Иванович', '', '771234567890', '', 'ivanov@example.ru'],
    ['C-4', 'Петров Пётр', 'PERSON', '', '', ''],
  ])
  files['addresses.csv'] = csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], [
    ['A-1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', '125009'],
    ['A-2', 'Санкт-Петербург, Невский пр-т, 10-3', '', '', '', '', '', '', ''],
    ['A-3', 'Москва, ул Ленина, дом 5, квартира 12', '', '', '', '', '', '', ''],
  ])
  files['contracts.csv'] = csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
    ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
    ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
    ['D-3', 'C-3', 'A-3', 'NET-500', 'MSK', 'ACTIVE', '2024-02-01', ''],
    ['D-4', 'C-4', 'A-2', 'NET-500', 'SPB', 'ACTIVE', '2024-02-01', ''],
  ])
  files['equipment.csv'] = csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
    ['INV-1', 'sn-4f2a 9931', '00:1A:2B:3C:4D:5E', 'RT-AX', 'A-1', 'D-1', 'INSTALLED', '2024-01-05', ''],
    ['INV-3', 'SN-0003', '00:1A:2B:3C:4D:03', 'RT-AX', 'A-3', 'D-3', 'INSTALLED', '2024-02-05', ''],
    ['INV-4', 'SN-0004', '00:1A:2B:3C:4D:04', 'RT-AX', 'A-2', 'D-4', 'INSTALLED', '2024-02-05', ''],
  ])
  return files
}

/** Every row of the tables a merge touches, as JSON, sorted: two equal dumps are two equal states. */
export async function dumpTables(db: TestDatabase): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {}
  for (const table of ['market', 'equipment_type', 'product', 'product_market', 'customer', 'address', 'contract', 'equipment', 'incident', 'record_alias', 'distinct_mark']) {
    const { rows } = await db.sql.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${table}" x`)
    dump[table] = rows.map((r) => r.j).sort()
  }
  return dump
}
