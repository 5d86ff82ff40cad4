// The data the «not a duplicate» tests share, in the import format.
import { baseFiles, csv } from '../helpers/csv.ts'

/** Three ways to write one flat and three customers of one INN (C-1, C-3, C-4), all on contracts in MSK. */
export function distinctFixture() {
  const base = baseFiles()
  return {
    ...base,
    'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
      ['C-1', 'Иванов Иван Иванович', 'PERSON', '771234567890', '+7 916 123-45-67', ''],
      ['C-2', 'ООО «Ромашка»', 'COMPANY', '7701234567', '8 (495) 111-22-33', ''],
      ['C-3', 'Петров Пётр Петрович', 'PERSON', '771234567890', '', ''],
      ['C-4', 'Сидоров Сидор Сидорович', 'PERSON', '771234567890', '', ''],
      // keys whose UTF-16 order (U+FF21 after a surrogate) is not the database's C order (UTF-8 bytes)
      ['K-\uFF21', 'ООО «Альфа»', 'COMPANY', '7712345678', '', ''],
      ['K-\u{1F600}', 'ООО «Бета»', 'COMPANY', '7712345678', '', ''],
    ]),
    'addresses.csv': csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], [
      ['A-1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', '125009'],
      ['A-2', 'Санкт-Петербург, Невский пр-т, 10-3', '', '', '', '', '', '', ''],
      ['A-3', 'г Москва, Ленина улица, дом 5, квартира 12', '', '', '', '', '', '', ''],
      ['A-4', 'МОСКВА, УЛ ЛЕНИНА 5-12', '', '', '', '', '', '', ''],
    ]),
    'contracts.csv': csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
      ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
      ['D-3', 'C-3', 'A-3', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-4', 'C-4', 'A-4', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
    ]),
  }
}
