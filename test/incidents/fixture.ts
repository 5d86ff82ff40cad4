// A small hand-made dataset for intake tests, audited by the real rules: A-1 «г. Москва, ул. Ленина, д. 5,
// кв. 12» carries two overlapping MSK contracts (D-1, D-7: contract-overlap); INV-9 (serial HWTC8DCEF9F6)
// sits on the terminated SPB contract D-2 (equipment-on-inactive-contract); «Ленина 7, кв. 3» exists in
// Moscow and in St Petersburg, so without a city it is ambiguous to a key that sees both.
import { createApiKey } from '../../src/access/api-keys.ts'
import type { Principal } from '../../src/access/scope.ts'
import type { Database } from '../../src/db/database.ts'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'

export function handMadeFiles() {
  const f = baseFiles()
  f['addresses.csv'] = csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], [
    ['A-1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', '125009'],
    ['A-2', 'Санкт-Петербург, Невский пр-т, 10-3', '', '', '', '', '', '', ''],
    ['A-3', 'г. Москва, ул. Ленина, д. 7, кв. 3', '', '', '', '', '', '', ''],
    ['A-4', 'г. Санкт-Петербург, ул. Ленина, д. 7, кв. 3', '', '', '', '', '', '', ''],
  ])
  f['contracts.csv'] = csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
    ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
    ['D-7', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2025-01-01', ''],
    ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
    ['D-3', 'C-1', 'A-3', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
    ['D-4', 'C-2', 'A-4', 'NET-500', 'SPB', 'ACTIVE', '2024-01-01', ''],
  ])
  f['equipment.csv'] = csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
    ['INV-1', 'sn-4f2a 9931', '00:1A:2B:3C:4D:5E', 'RT-AX', 'A-1', 'D-1', 'INSTALLED', '2024-01-05', ''],
    ['INV-9', 'HWTC8DCEF9F6', '48:57:02:AA:BB:CC', 'RT-AX', 'A-2', 'D-2', 'INSTALLED', '2023-01-05', ''],
    ['INV-3', 'SN-3', '', 'RT-AX', 'A-3', 'D-3', 'INSTALLED', '2024-01-05', ''],
    ['INV-4', 'SN-4', '', 'RT-AX', 'A-4', 'D-4', 'INSTALLED', '2024-01-05', ''],
  ])
  return f
}

/** Imports the hand-made dataset and audits it. */
export async function loadHandMade(db: Database) {
  const dir = writeFiles(tempDir('sverka-intake-'), handMadeFiles())
  await importDirectory(db, dir)
  await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
}

/** A principal backed by a real API key (its actor string as the API records it). */
export async function principal(db: Database, role: string, markets: string[] = []): Promise<{ principal: Principal; actor: string }> {
  await createApiKey(db.prisma, { role, markets, name: `intake ${role} ${markets.join(',')}` })
  const row = await db.prisma.apiKey.findFirstOrThrow({ where: { name: `intake ${role} ${markets.join(',')}` }, orderBy: { id: 'desc' } })
  return { principal: { keyId: row.id, name: row.name, role: row.role, markets: markets.length ? markets : null }, actor: `key:${row.id}:${row.name}` }
}

/** The fingerprint of the open finding of `rule` naming `type`:`key`. */
export async function findingOn(db: Database, rule: string, type: string, key: string): Promise<string> {
  const { rows } = await db.sql.query<{ fingerprint: string }>(`
    SELECT f.fingerprint FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id
    WHERE f."ruleId" = $1 AND fe."entityType" = $2 AND fe."entityKey" = $3`, [rule, type, key])
  if (!rows[0]) throw new Error(`fixture: no ${rule} finding on ${type} ${key}`)
  return rows[0].fingerprint
}
