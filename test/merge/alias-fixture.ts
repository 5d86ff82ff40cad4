// The state a merge leaves, made by hand in SQL (the merge itself is tested in merge.test.ts): a record_merge row,
// the member's key as an alias of the survivor carrying the member's import values, the member's contracts,
// devices and incidents moved to the survivor, the member deleted. Plus the dataset the alias tests share.
import type { Database } from '../../src/db/database.ts'
import type { MergeableType } from '../../src/merge/types.ts'
import { storedValues } from '../../src/records/stored.ts'
import { baseFiles, csv } from '../helpers/csv.ts'

/** baseFiles with a duplicate of C-1 (C-3) and of A-1, each with a contract; C-4 duplicates SPB's C-2. */
export function duplicateFiles(): Record<string, string> {
  const base = baseFiles()
  return {
    ...base,
    'customers.csv': csv(['code', 'name', 'kind', 'inn', 'phone', 'email'], [
      ['C-1', 'Иванов Иван Иванович', 'PERSON', '771234567890', '+7 916 123-45-67', 'ivanov@example.ru'],
      ['C-2', 'ООО «Ромашка»', 'COMPANY', '7701234567', '8 (495) 111-22-33', ''],
      ['C-3', 'Иванов Иван Иванович', 'PERSON', '', '8 916 123 45 67', ''],
      ['C-4', 'ООО Ромашка', 'COMPANY', '7701234567', '', ''],
    ]),
    'addresses.csv': csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], [
      ['A-1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', '125009'],
      ['A-2', 'Санкт-Петербург, Невский пр-т, 10-3', '', '', '', '', '', '', ''],
      ['A-3', 'Москва, Ленина 5-12', 'Москва', '', '', '', '', '', ''],
    ]),
    'contracts.csv': csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
      ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
      ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
      ['D-3', 'C-3', 'A-3', 'TV-BASE', 'MSK', 'ACTIVE', '2024-02-01', ''],
      ['D-4', 'C-4', 'A-2', 'NET-500', 'SPB', 'ACTIVE', '2024-07-01', ''],
    ]),
    'equipment.csv': csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
      ['INV-1', 'sn-4f2a 9931', '00:1A:2B:3C:4D:5E', 'RT-AX', 'A-1', 'D-1', 'INSTALLED', '2024-01-05', ''],
      ['INV-2', 'SN4F2B0001', '001a.2b3c.4d5f', 'RT-AX', '', '', 'IN_STOCK', '', ''],
      ['INV-3', 'SN77', '', 'RT-AX', 'A-3', 'D-3', 'INSTALLED', '2024-02-05', ''],
    ]),
  }
}

const REFERRING: Record<MergeableType, Array<{ table: string; column: string }>> = {
  customer: [{ table: 'contract', column: 'customerId' }, { table: 'incident', column: 'customerId' }],
  address: [{ table: 'contract', column: 'addressId' }, { table: 'equipment', column: 'addressId' }, { table: 'incident', column: 'addressId' }],
}

/** Merges `member` into `survivor` as a merge would leave it; returns the merge's id. */
export async function mergeByHand(db: Database, type: MergeableType, survivor: string, member: string): Promise<string> {
  const values = await storedValues(db.sql, type, member)
  if (!values) throw new Error(`no ${type} ${member}`)
  return db.sql.transaction(async (tx) => {
    const { rows: [merge] } = await tx.query<{ id: string }>(
      `INSERT INTO record_merge ("entityType", "survivorKey", "memberKeys", actor) VALUES ($1, $2, $3::text[], 'test') RETURNING id`,
      [type, survivor, [member]])
    await tx.query(`UPDATE record_alias SET "targetKey" = $2 WHERE "entityType" = $1 AND "targetKey" = $3`, [type, survivor, member])
    await tx.query(`INSERT INTO record_alias ("entityType", alias, "targetKey", "mergeId", "values") VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [type, member, survivor, merge.id, JSON.stringify(values)])
    const ids = async (key: string) => (await tx.query<{ id: number }>(`SELECT id FROM "${type}" WHERE code = $1`, [key])).rows[0].id
    const [to, from] = [await ids(survivor), await ids(member)]
    for (const r of REFERRING[type]) await tx.query(`UPDATE "${r.table}" SET "${r.column}" = $1 WHERE "${r.column}" = $2`, [to, from])
    await tx.query(`DELETE FROM "${type}" WHERE id = $1`, [from])
    return merge.id
  })
}
