// A small hand-made dataset for the search tests: the same flat written in Moscow and in St Petersburg,
// look-alike streets and names, phones, serials and MACs in assorted notations.
import { importDirectory, type ImportOptions } from '../../src/import/importer.ts'
import type { Database } from '../../src/db/database.ts'
import { csv, tempDir, writeFiles } from '../helpers/csv.ts'

export function searchFiles(): Record<string, string> {
  return {
    'markets.csv': csv(['code', 'name'], [['MSK', 'Москва'], ['SPB', 'Санкт-Петербург']]),
    'equipment_types.csv': csv(['code', 'name'], [['ROUTER', 'Роутер'], ['STB', 'ТВ-приставка']]),
    'products.csv': csv(['sku', 'name', 'kind', 'equipment_type', 'markets', 'status', 'valid_from', 'valid_to'], [
      ['NET-500', 'Домашний интернет 500', 'SERVICE', 'ROUTER', 'MSK;SPB', 'ACTIVE', '2020-01-01', ''],
      ['RT-HW', 'Роутер Huawei', 'EQUIPMENT', 'ROUTER', 'MSK;SPB', 'ACTIVE', '', ''],
      ['STB-SML', 'Приставка SML-482', 'EQUIPMENT', 'STB', 'MSK;SPB', 'ACTIVE', '', ''],
    ]),
    'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
      ['C-1', 'Иванов Иван Иванович', 'PERSON', '771234567890', '+7 916 123-45-67', ''],
      ['C-2', 'ООО «Ромашка»', 'COMPANY', '7701234567', '8 (495) 111-22-33', ''],
      ['C-3', 'Петрова Алёна Сергеевна', 'PERSON', '', '8-921-765-43-21', ''],
      ['C-4', 'Иванова Мария Петровна', 'PERSON', '', '+7(903)555-01-02', ''],
      ['C-5', 'Сидоров Пётр Ильич', 'PERSON', '', '8 812 000-11-22', ''],
    ]),
    'addresses.csv': csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], [
      ['A-M1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', '125009'],
      ['A-M2', 'г. Москва, ул. Ленина, д. 5', '', '', '', '', '', '', ''],
      ['A-M3', 'г. Москва, ул. Ленина, д. 5, кв. 13', '', '', '', '', '', '', ''],
      ['A-M4', 'Москва, Королёва ул., 7-21', '', '', '', '', '', '', ''],
      ['A-M5', 'г. Москва, проспект Мира, д. 15, кв. 3', '', '', '', '', '', '', ''],
      ['A-M6', 'г. Москва, ул. Маршала Жукова, 12к2-45', '', '', '', '', '', '', ''],
      ['A-M7', 'г. Москва, ул. Ленинская, д. 8', '', '', '', '', '', '', ''],
      ['A-S1', 'Санкт-Петербург, улица Ленина, дом 5, квартира 12', '', '', '', '', '', '', ''],
      ['A-S2', 'Санкт-Петербург, Невский пр-т, 10-3', '', '', '', '', '', '', ''],
    ]),
    'contracts.csv': csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
      ['D-1', 'C-1', 'A-M1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-2', 'C-2', 'A-M5', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-3', 'C-3', 'A-S1', 'NET-500', 'SPB', 'ACTIVE', '2024-01-01', ''],
      ['D-4', 'C-4', 'A-M4', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-5', 'C-5', 'A-S2', 'NET-500', 'SPB', 'ACTIVE', '2024-01-01', ''],
      ['D-6', 'C-1', 'A-M2', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-7', 'C-4', 'A-M3', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-8', 'C-4', 'A-M6', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-9', 'C-2', 'A-M7', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
    ]),
    'equipment.csv': csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
      ['INV-1', 'HWTC-F3BC1461', '48:57:02:61:5C:98', 'RT-HW', 'A-M1', 'D-1', 'INSTALLED', '2024-01-05', ''],
      ['INV-2', 'SML53976755', '001A7936792B', 'STB-SML', 'A-S1', 'D-3', 'INSTALLED', '2024-01-05', ''],
      ['INV-3', 'HWTC0712008D', '98da.c45e.8e83', 'RT-HW', 'A-M5', 'D-2', 'INSTALLED', '2024-01-05', ''],
      ['INV-4', 'HWTC0712118E', '', 'RT-HW', 'A-S2', 'D-5', 'INSTALLED', '2024-01-05', ''],
    ]),
  }
}

/** Writes the dataset and imports it (bulkMinBytes: 0 forces the bulk path that drops and rebuilds indexes). */
export async function loadSearchDataset(db: Database, options: ImportOptions = {}) {
  const dir = writeFiles(tempDir('search-'), searchFiles())
  const summary = await importDirectory(db, dir, options)
  if (summary.rejected > 0) throw new Error(`search dataset: ${summary.rejected} rows rejected`)
  return summary
}
