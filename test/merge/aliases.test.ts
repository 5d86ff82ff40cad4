// Aliases on real databases: after a merge (made by hand, as merge.ts leaves it) a member's key lands on the
// survivor on every lookup path — GraphQL address(code)/customer(code) and their `aliases`, search by key, the
// REST intake and registerIncident, conflicts(for:), references in master-data writes — within the caller's
// markets; creating a record under an alias, or changing one by it, is refused naming the survivor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import type { Principal } from '../../src/access/scope.ts'
import { ConflictError, NotFoundError, ValidationFailed } from '../../src/errors.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { registerIncident } from '../../src/incidents/intake.ts'
import { checkRecordConflicts, createRecord, deleteRecord, updateRecord } from '../../src/masterdata/write.ts'
import { aliasesOf, resolveAlias, resolveAliases } from '../../src/merge/aliases.ts'
import { idsByKey } from '../../src/records/references.ts'
import { storedValues } from '../../src/records/stored.ts'
import { search } from '../../src/search/search.ts'
import { createApp } from '../../src/server.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { duplicateFiles, mergeByHand } from './alias-fixture.ts'

const options = { actor: 'tester', asOf: '2026-01-31' }
const NSI: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }
const NSI_MSK: Principal = { keyId: 2, name: 'nsi msk', role: 'NSI_SPECIALIST', markets: ['MSK'] }
const AGENT_MSK: Principal = { keyId: 3, name: 'agent msk', role: 'SUPPORT_AGENT', markets: ['MSK'] }
const DESK: Principal = { keyId: 4, name: 'desk', role: 'SERVICE_DESK', markets: null }

/** The error a refused call throws. */
async function refusal(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

describe.each(backends)('aliases on %s', (backend) => {
  let db: TestDatabase
  const idOf = async (table: string, key: string) =>
    (await db.sql.query<{ id: number }>(`SELECT id FROM "${table}" WHERE code = $1`, [key])).rows[0]?.id
  beforeAll(async () => {
    db = await testDatabase(backend)
    const summary = await importDirectory(db, writeFiles(tempDir('aliases-'), duplicateFiles()))
    expect(summary.rejected).toBe(0)
    await mergeByHand(db, 'customer', 'C-1', 'C-3')
    await mergeByHand(db, 'address', 'A-1', 'A-3')
    await mergeByHand(db, 'customer', 'C-2', 'C-4')
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it('resolves aliases to their survivors and lists a survivor\'s aliases; a key that is no alias resolves to nothing', async () => {
    expect(await resolveAlias(db.sql, 'customer', 'C-3')).toBe('C-1')
    expect(await resolveAlias(db.sql, 'customer', 'C-1')).toBeNull()
    expect(await resolveAlias(db.sql, 'address', 'C-3')).toBeNull() // aliases are per type
    expect(await resolveAliases(db.sql, 'customer', ['C-3', 'C-4', 'C-1', 'C-9', 'C-3'])).toEqual(new Map([['C-3', 'C-1'], ['C-4', 'C-2']]))
    expect(await aliasesOf(db.sql, 'customer', 'C-1')).toEqual(['C-3'])
    expect(await aliasesOf(db.sql, 'address', 'A-1')).toEqual(['A-3'])
    expect(await aliasesOf(db.sql, 'address', 'A-2')).toEqual([])
  })

  it('follows a chain written by hand to its end and leaves a loop unresolved', async () => {
    const { rows: [merge] } = await db.sql.query<{ id: string }>(
      `INSERT INTO record_merge ("entityType", "survivorKey", "memberKeys", actor) VALUES ('customer', 'X', '{}', 'test') RETURNING id`)
    const alias = (from: string, to: string) => db.sql.query(
      `INSERT INTO record_alias ("entityType", alias, "targetKey", "mergeId") VALUES ('customer', $1, $2, $3)`, [from, to, merge.id])
    try {
      await alias('P', 'Q')
      await alias('Q', 'C-1')
      await alias('L1', 'L2')
      await alias('L2', 'L1')
      expect(await resolveAliases(db.sql, 'customer', ['P', 'L1', 'L2'])).toEqual(new Map([['P', 'C-1']]))
      expect((await idsByKey(db.sql, 'customer', ['P', 'L1'])).get('P')).toBe(await idOf('customer', 'C-1'))
    } finally {
      await db.sql.query(`DELETE FROM record_merge WHERE id = $1`, [merge.id])
    }
  })

  it('GraphQL address(code) and customer(code) answer an alias with the survivor, which lists its aliases; a scoped key gets null for a survivor it cannot see', async () => {
    const client = graphqlClient(db)
    const admin = await client.key('ADMIN')
    const query = `query($c: String!, $a: String!) { customer(code: $c) { code aliases contracts { number } } address(code: $a) { code aliases } }`
    const byAlias = await client.request(query, { c: 'C-3', a: 'A-3' }, admin)
    expect(byAlias.errors).toBeUndefined()
    expect(byAlias.data).toEqual({
      customer: { code: 'C-1', aliases: ['C-3'], contracts: [{ number: 'D-1' }, { number: 'D-3' }] },
      address: { code: 'A-1', aliases: ['A-3'] },
    })
    const byKey = await client.request(query, { c: 'C-1', a: 'A-1' }, admin)
    expect(byKey.data).toEqual(byAlias.data)
    const other = await client.request(query, { c: 'C-4', a: 'A-2' }, admin)
    expect(other.data).toEqual({ customer: { code: 'C-2', aliases: ['C-4'], contracts: [{ number: 'D-2' }, { number: 'D-4' }] }, address: { code: 'A-2', aliases: [] } })

    const msk = await client.key('NSI_SPECIALIST', ['MSK'])
    const scoped = await client.request(query, { c: 'C-4', a: 'A-3' }, msk)
    expect(scoped.errors).toBeUndefined()
    expect(scoped.data).toEqual({ customer: null, address: { code: 'A-1', aliases: ['A-3'] } })
    const missing = await client.request(query, { c: 'C-99', a: 'A-99' }, admin)
    expect(missing.data).toEqual({ customer: null, address: null })
  })

  it('conflicts(for:) by an alias answers the survivor\'s neighbourhood', async () => {
    const client = graphqlClient(db)
    const admin = await client.key('ADMIN')
    const query = `query($for: EntityRefInput!) { conflicts(for: $for) { subject { type key } neighbours { type key } } }`
    const r = await client.request(query, { for: { type: 'customer', key: 'C-3' } }, admin)
    expect(r.errors).toBeUndefined()
    expect(r.data.conflicts.subject).toEqual({ type: 'customer', key: 'C-1' })
    expect(r.data.conflicts.neighbours).toEqual(expect.arrayContaining([{ type: 'contract', key: 'D-3' }, { type: 'address', key: 'A-1' }]))
    const address = await client.request(query, { for: { type: 'address', key: 'A-3' } }, admin)
    expect(address.data.conflicts.subject).toEqual({ type: 'address', key: 'A-1' })
    const msk = await client.key('SUPPORT_AGENT', ['MSK'])
    const scoped = await client.request(query, { for: { type: 'customer', key: 'C-4' } }, msk)
    expect(scoped.errors).toBeUndefined()
    expect(scoped.data.conflicts).toBeNull()
  })

  it('search by a member\'s key finds the survivor, within the caller\'s markets', async () => {
    const hits = await search(db, AGENT_MSK, { text: 'C-3' })
    expect(hits.map(({ type, key, matchedBy, score }) => ({ type, key, matchedBy, score }))).toEqual([{ type: 'customer', key: 'C-1', matchedBy: 'key', score: 1 }])
    expect((await search(db, AGENT_MSK, { text: 'a-3', types: ['address'] })).map((h) => h.key)).toEqual(['A-1'])
    expect(await search(db, AGENT_MSK, { text: 'C-4' })).toEqual([])
    expect((await search(db, NSI, { text: 'C-4' })).map((h) => h.key)).toEqual(['C-2'])
    expect(await search(db, AGENT_MSK, { text: 'C-3', types: ['address'] })).toEqual([])
  })

  it('an incident naming a member\'s key is about the survivor (registerIncident and the REST intake), and says it came by alias', async () => {
    const r = await registerIncident(db, DESK, { kind: 'INCIDENT', channel: 'PHONE', externalRef: 'ALIAS-1', customer: 'C-3', address: 'a-3' }, 'key:4:desk')
    expect(r.unresolved).toEqual([])
    expect(r.resolved.map(({ field, key, how }) => ({ field, key, how }))).toEqual([
      { field: 'customer', key: 'C-1', how: 'alias' },
      { field: 'address', key: 'A-1', how: 'alias' },
    ])
    const { rows: [stored] } = await db.sql.query<{ customerId: number; addressId: number }>(`SELECT "customerId", "addressId" FROM incident WHERE id = $1`, [r.id])
    expect(stored).toEqual({ customerId: await idOf('customer', 'C-1'), addressId: await idOf('address', 'A-1') })

    const app = createApp(db, { production: true })
    const key = (await createApiKey(db.prisma, { role: 'SERVICE_DESK', name: 'remedy' })).key
    const post = async (body: unknown) => {
      const response = await app(new Request('http://sverka.test/api/v1/incidents', {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body),
      }))
      return { status: response.status, body: await response.json() }
    }
    const first = await post({ channel: 'EXTERNAL_SYSTEM', externalRef: 'ALIAS-2', customer: 'C-4' })
    expect(first.status).toBe(201)
    expect(first.body.resolved).toEqual([{ field: 'customer', value: 'C-4', type: 'customer', key: 'C-2', how: 'alias' }])
    // a replay answers from what was stored: still told as found by alias
    const again = await post({ channel: 'EXTERNAL_SYSTEM', externalRef: 'ALIAS-2', customer: 'C-4' })
    expect(again.status).toBe(200)
    expect(again.body.resolved).toEqual(first.body.resolved)

    const msk = await registerIncident(db, { ...DESK, markets: ['MSK'] }, { kind: 'INCIDENT', channel: 'PHONE', externalRef: 'ALIAS-3', customer: 'C-4' }, 'key:5:desk')
    expect(msk.resolved).toEqual([])
    expect(msk.unresolved.map((u) => u.field)).toEqual(['customer'])
  })

  it('a write referring to a member\'s key refers to the survivor; a scoped key may not reach another market\'s survivor that way', async () => {
    await createRecord(db, NSI, 'contract', {
      number: 'D-5', customer: 'C-3', address: 'A-3', product: 'NET-500', market: 'MSK', status: 'ACTIVE', valid_from: '2025-01-01',
    }, options)
    expect(await storedValues(db.sql, 'contract', 'D-5')).toMatchObject({ customer: 'C-1', address: 'A-1' })
    await updateRecord(db, NSI, 'equipment', 'INV-2', { address: 'A-3' }, options)
    expect(await storedValues(db.sql, 'equipment', 'INV-2')).toMatchObject({ address: 'A-1' })

    const error = await refusal(createRecord(db, NSI_MSK, 'contract', {
      number: 'D-6', customer: 'C-4', address: 'A-3', product: 'NET-500', market: 'MSK', status: 'ACTIVE', valid_from: '2025-01-01',
    }, options))
    expect(error).toBeInstanceOf(ValidationFailed)
    expect((error as ValidationFailed).problems.map((p) => [p.field, p.code])).toEqual([['customer', 'UNKNOWN_REFERENCE']])
    expect(await storedValues(db.sql, 'contract', 'D-6')).toBeNull()
  })

  it('refuses to create a record under an alias, and to change or delete one by it, naming the survivor only to a caller who sees it', async () => {
    const create = await refusal(createRecord(db, NSI, 'customer', { code: 'C-3', name: 'Иванов И. И.' }, options))
    expect(create).toBeInstanceOf(ConflictError)
    expect(create.message).toBe('клиент C-3 — псевдоним записи «C-1» (объединена): ключ занят, запись с ним не создаётся')
    const check = await refusal(checkRecordConflicts(db, NSI, 'customer', { code: 'C-3', name: 'Иванов И. И.' }, options))
    expect(check.message).toBe(create.message)
    const address = await refusal(createRecord(db, NSI, 'address', { code: 'A-3', text: 'Москва, Ленина 5-12' }, options))
    expect(address.message).toBe('адрес A-3 — псевдоним записи «A-1» (объединена): ключ занят, запись с ним не создаётся')
    const update = await refusal(updateRecord(db, NSI, 'customer', 'C-3', { phone: '8 916 000 00 00' }, options))
    expect(update).toBeInstanceOf(NotFoundError)
    expect(update.message).toBe('нет клиента C-3 — это псевдоним записи «C-1» (объединена): меняйте или удаляйте её')
    const remove = await refusal(deleteRecord(db, NSI, 'address', 'A-3', options))
    expect(remove).toBeInstanceOf(NotFoundError)
    expect(remove.message).toBe('нет адреса A-3 — это псевдоним записи «A-1» (объединена): меняйте или удаляйте её')

    // another market's survivor is not named: the answers any taken or missing key gets
    const hidden = await refusal(createRecord(db, NSI_MSK, 'customer', { code: 'C-4', name: 'ООО Ромашка' }, options))
    expect(hidden).toBeInstanceOf(ConflictError)
    expect(hidden.message).toBe('клиент C-4 уже есть (бизнес-ключи уникальны по всем рынкам)')
    const hiddenUpdate = await refusal(updateRecord(db, NSI_MSK, 'customer', 'C-4', { phone: '1' }, options))
    expect(hiddenUpdate.message).toBe('нет клиента C-4')

    expect(await db.sql.query(`SELECT 1 FROM customer WHERE code IN ('C-3', 'C-4')`).then((r) => r.rows)).toEqual([])
    expect(await storedValues(db.sql, 'customer', 'C-1')).toMatchObject({ phone: '+7 916 123-45-67' })
  })
})
