// Small builders for import fixtures: CSV text from rows, written into a temp directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// every temporary directory of a test process lives under one root, removed when it exits
const root = join(tmpdir(), `sverka-test-${process.pid}`)
mkdirSync(root, { recursive: true })
process.on('exit', () => rmSync(root, { recursive: true, force: true }))

export function tempDir(prefix = 'sverka-') {
  return mkdtempSync(join(root, prefix))
}

function cell(v: string | null | undefined) {
  if (v == null) return ''
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

export function csv(header: string[], rows: Array<Array<string | null | undefined>>) {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n'
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>) {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

/** A small consistent dataset in the import format. */
export function baseFiles(): Record<string, string> {
  return {
    'markets.csv': csv(['code', 'name'], [['MSK', 'Москва'], ['SPB', 'Санкт-Петербург']]),
    'equipment_types.csv': csv(['code', 'name'], [['ROUTER', 'Роутер'], ['STB', 'ТВ-приставка']]),
    'products.csv': csv(['sku', 'name', 'kind', 'equipment_type', 'markets', 'status', 'valid_from', 'valid_to'], [
      ['NET-500', 'Домашний интернет 500', 'SERVICE', 'ROUTER', 'MSK;SPB', 'ACTIVE', '2020-01-01', ''],
      ['TV-BASE', 'Цифровое ТВ', 'SERVICE', 'STB', 'MSK', 'ACTIVE', '2020-01-01', ''],
      ['RT-AX', 'Роутер AX3000', 'EQUIPMENT', 'ROUTER', 'MSK;SPB', 'ACTIVE', '', ''],
    ]),
    'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
      ['C-1', 'Иванов Иван Иванович', 'PERSON', '771234567890', '+7 916 123-45-67', 'ivanov@example.ru'],
      ['C-2', 'ООО «Ромашка»', 'COMPANY', '7701234567', '8 (495) 111-22-33', ''],
    ]),
    'addresses.csv': csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], [
      ['A-1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', '125009'],
      ['A-2', 'Санкт-Петербург, Невский пр-т, 10-3', '', '', '', '', '', '', ''],
    ]),
    'contracts.csv': csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
      ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
    ]),
    'equipment.csv': csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
      ['INV-1', 'sn-4f2a 9931', '00:1A:2B:3C:4D:5E', 'RT-AX', 'A-1', 'D-1', 'INSTALLED', '2024-01-05', ''],
      ['INV-2', 'SN4F2B0001', '001a.2b3c.4d5f', 'RT-AX', '', '', 'IN_STOCK', '', ''],
    ]),
  }
}
