// Master-data mutations and checkConflicts through yoga.fetch on the embedded database: every mutation once,
// refused input as ValidationFailed results (field, code, message), roles without the right refused, a key
// limited to markets kept to them, and the findings a write causes and resolves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { baseFiles, tempDir, writeFiles } from '../helpers/csv.ts'
import { graphqlClient } from '../helpers/graphql.ts'

/** The selection of a write's result union: the payload's record, its findings, and every error type. */
const result = (name: string, args: string, record: string) => `${name}(${args}) {
  __typename
  ... on Mutation${name.charAt(0).toUpperCase()}${name.slice(1)}Success { data { __typename key ${record} findingsCaused { fingerprint ruleId severity status message entities { type key } } findingsResolved { ruleId status entities { type key } } recheckRunId } }
  ... on ValidationFailed { message problems { field code message } }
  ... on NotFound { message code }
  ... on Conflict { message code }
}`

interface Case { type: string; keyField: string; createInput: Record<string, unknown>; updateInput: Record<string, unknown>; record: string; created: unknown; updated: unknown }

const CASES: Case[] = [
  { type: 'Market', keyField: 'code', createInput: { code: 'KZN', name: 'Казань' }, updateInput: { name: 'Казань и область' },
    record: 'market { code name }', created: { code: 'KZN', name: 'Казань' }, updated: { code: 'KZN', name: 'Казань и область' } },
  { type: 'EquipmentType', keyField: 'code', createInput: { code: 'ONT', name: 'Терминал' }, updateInput: { name: 'ONT GPON' },
    record: 'equipmentType { code name }', created: { code: 'ONT', name: 'Терминал' }, updated: { code: 'ONT', name: 'ONT GPON' } },
  { type: 'Product', keyField: 'sku', createInput: { sku: 'GPON-1', name: 'GPON', kind: 'SERVICE', equipmentType: 'ROUTER', markets: ['MSK'], status: 'ACTIVE', validFrom: '2025-01-01' },
    updateInput: { markets: ['MSK', 'SPB'], validTo: '2027-12-31' },
    record: 'product { sku kind status validFrom validTo equipmentType { code } markets { code } }',
    created: { sku: 'GPON-1', kind: 'SERVICE', status: 'ACTIVE', validFrom: '2025-01-01', validTo: null, equipmentType: { code: 'ROUTER' }, markets: [{ code: 'MSK' }] },
    updated: { sku: 'GPON-1', kind: 'SERVICE', status: 'ACTIVE', validFrom: '2025-01-01', validTo: '2027-12-31', equipmentType: { code: 'ROUTER' }, markets: [{ code: 'MSK' }, { code: 'SPB' }] } },
  { type: 'Customer', keyField: 'code', createInput: { code: 'C-10', name: 'Петров Пётр', kind: 'PERSON', phone: '8 (921) 000-11-22' }, updateInput: { phone: null, email: 'p@example.ru' },
    record: 'customer { code name phone phoneNormalized email }',
    created: { code: 'C-10', name: 'Петров Пётр', phone: '8 (921) 000-11-22', phoneNormalized: '79210001122', email: null },
    updated: { code: 'C-10', name: 'Петров Пётр', phone: null, phoneNormalized: null, email: 'p@example.ru' } },
  { type: 'Address', keyField: 'code', createInput: { code: 'A-10', text: 'г. Казань, ул. Баумана, д. 51, кв. 3' }, updateInput: { postalCode: '420111' },
    record: 'address { code house apartment postalCode normalized }',
    created: { code: 'A-10', house: '51', apartment: '3', postalCode: null, normalized: 'казань|ул|баумана|51|||кв3' },
    updated: { code: 'A-10', house: '51', apartment: '3', postalCode: '420111', normalized: 'казань|ул|баумана|51|||кв3' } },
  { type: 'Contract', keyField: 'number', createInput: { number: 'D-10', customer: 'C-2', address: 'A-2', product: 'NET-500', market: 'SPB', status: 'DRAFT', validFrom: '2025-01-01' },
    updateInput: { status: 'TERMINATED', validTo: '2025-06-30' },
    record: 'contract { number status validFrom validTo customer { code } market { code } }',
    created: { number: 'D-10', status: 'DRAFT', validFrom: '2025-01-01', validTo: null, customer: { code: 'C-2' }, market: { code: 'SPB' } },
    updated: { number: 'D-10', status: 'TERMINATED', validFrom: '2025-01-01', validTo: '2025-06-30', customer: { code: 'C-2' }, market: { code: 'SPB' } } },
  { type: 'Equipment', keyField: 'inventoryNo', createInput: { inventoryNo: 'INV-10', serial: 'ab-10', product: 'RT-AX', status: 'IN_STOCK' },
    updateInput: { mac: 'AA:BB:CC:DD:EE:10' },
    record: 'equipment { inventoryNo serialNormalized macNormalized status product { sku } }',
    created: { inventoryNo: 'INV-10', serialNormalized: 'AB10', macNormalized: null, status: 'IN_STOCK', product: { sku: 'RT-AX' } },
    updated: { inventoryNo: 'INV-10', serialNormalized: 'AB10', macNormalized: 'aabbccddee10', status: 'IN_STOCK', product: { sku: 'RT-AX' } } },
]

const createOf = (c: Case) => `mutation($input: Create${c.type}Input!) { ${result(`create${c.type}`, 'input: $input', c.record)} }`
const updateOf = (c: Case) => `mutation($key: String!, $input: Update${c.type}Input!) { ${result(`update${c.type}`, 'key: $key, input: $input', c.record)} }`
const deleteOf = (c: Case) => `mutation($key: String!) { ${result(`delete${c.type}`, 'key: $key', c.record)} }`
const CREATE_EQUIPMENT = createOf(CASES[6])
const UPDATE_EQUIPMENT = updateOf(CASES[6])
const CREATE_CONTRACT = createOf(CASES[5])
const UPDATE_CONTRACT = updateOf(CASES[5])
const DELETE_CONTRACT = deleteOf(CASES[5])
const CREATE_CUSTOMER = createOf(CASES[3])

const CHECK = `query($input: CandidateInput!) { checkConflicts(input: $input) {
  __typename
  ... on QueryCheckConflictsSuccess { data { findings { fingerprint ruleId severity status message entities { type key node { __typename } } } } }
  ... on ValidationFailed { problems { field code message } }
  ... on NotFound { message }
} }`

describe('master-data mutations (GraphQL)', () => {
  let db: Database
  let client: ReturnType<typeof graphqlClient>
  let nsi: string
  beforeAll(async () => {
    db = await openDatabase({ memory: true })
    const summary = await importDirectory(db, writeFiles(tempDir('gql-write-'), baseFiles()))
    expect(summary.rejected).toBe(0)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    client = graphqlClient(db, { production: false })
    nsi = await client.key('NSI_SPECIALIST')
  }, 60_000)
  afterAll(async () => { await db?.close() })

  it.each(CASES)('create$type, update$type, delete$type', async (c) => {
    const key = c.createInput[c.keyField] as string
    const field = c.record.split(' ')[0]
    const created = await client.request(createOf(c), { input: c.createInput }, nsi)
    expect(created.errors).toBeUndefined()
    const createdData = created.data[`create${c.type}`]
    expect(createdData.__typename).toBe(`MutationCreate${c.type}Success`)
    expect(createdData.data).toMatchObject({ __typename: `${c.type}WritePayload`, key, [field]: c.created })
    const updated = await client.request(updateOf(c), { key, input: c.updateInput }, nsi)
    expect(updated.errors).toBeUndefined()
    expect(updated.data[`update${c.type}`].data).toMatchObject({ key, [field]: c.updated })
    const deleted = await client.request(deleteOf(c), { key }, nsi)
    expect(deleted.data[`delete${c.type}`].data).toMatchObject({ key, [field]: null })
    const again = await client.request(deleteOf(c), { key }, nsi)
    expect(again.data[`delete${c.type}`]).toMatchObject({ __typename: 'NotFound', code: 'NOT_FOUND' })
  })

  it('returns the findings a write caused and resolved', async () => {
    const created = await client.request(CREATE_EQUIPMENT, { input: { inventoryNo: 'INV-20', serial: 'SN.4F2A/9931', product: 'RT-AX', status: 'IN_STOCK' } }, nsi)
    const caused = created.data.createEquipment.data.findingsCaused
    expect(caused).toHaveLength(1)
    expect(caused[0]).toMatchObject({ ruleId: 'equipment-duplicate-serial', severity: 'HIGH', status: 'NEW', entities: [{ type: 'equipment', key: 'INV-1' }, { type: 'equipment', key: 'INV-20' }] })
    expect(caused[0].message).toMatch(/SN4F2A9931/)
    expect(created.data.createEquipment.data.recheckRunId).toBeTruthy()
    // checkConflicts now sees the same collision already on record
    const check = await client.request(CHECK, { input: { equipment: { inventoryNo: 'INV-21', serial: 'sn4f2a9931', product: 'RT-AX', status: 'IN_STOCK' } } }, nsi)
    expect(check.data.checkConflicts.data.findings.map((f: { ruleId: string; status: string | null }) => [f.ruleId, f.status]))
      .toEqual([['equipment-duplicate-serial', null]])
    const stored = await client.request(CHECK, { input: { equipment: { inventoryNo: 'INV-20', product: 'RT-AX', status: 'IN_STOCK' } } }, nsi)
    expect(stored.data.checkConflicts.data.findings).toMatchObject([{ ruleId: 'equipment-duplicate-serial', status: 'NEW', fingerprint: caused[0].fingerprint }])
    const fixed = await client.request(UPDATE_EQUIPMENT, { key: 'INV-20', input: { serial: 'SN-0020' } }, nsi)
    expect(fixed.data.updateEquipment.data.findingsResolved).toEqual([
      { ruleId: 'equipment-duplicate-serial', status: 'RESOLVED', entities: [{ type: 'equipment', key: 'INV-1' }, { type: 'equipment', key: 'INV-20' }] },
    ])
    expect(fixed.data.updateEquipment.data.findingsCaused).toEqual([])
    await client.request(deleteOf(CASES[6]), { key: 'INV-20' }, nsi)
  })

  it('checkConflicts answers the findings a record would cause, storing nothing', async () => {
    const agent = await client.key('SUPPORT_AGENT')
    const r = await client.request(CHECK, { input: { contract: { number: 'D-NEW', customer: 'C-1', address: 'A-1', product: 'NET-500', market: 'MSK', status: 'ACTIVE', validFrom: '2025-01-01' } } }, agent)
    expect(r.errors).toBeUndefined()
    const findings = r.data.checkConflicts.data.findings
    expect(findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(expect.arrayContaining(['contract-overlap', 'contract-missing-equipment']))
    expect(findings.find((f: { ruleId: string }) => f.ruleId === 'contract-overlap')).toMatchObject({
      status: null, entities: [{ type: 'contract', key: 'D-1', node: { __typename: 'Contract' } }, { type: 'contract', key: 'D-NEW', node: null }],
    })
    expect((await db.sql.query(`SELECT 1 FROM contract WHERE number = 'D-NEW'`)).rows).toEqual([])
    const bad = await client.request(CHECK, { input: { contract: { number: 'D-NEW', customer: 'C-404', address: 'A-1', product: 'NET-500', market: 'MSK', status: 'ACTIVE', validFrom: '2025-01-01' } } }, agent)
    expect(bad.data.checkConflicts).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'input.contract.customer', code: 'UNKNOWN_REFERENCE', message: 'нет клиента «C-404»' }] })
    const two = await client.request(CHECK, { input: { customer: { code: 'C-NEW', name: 'x' }, address: { code: 'A-NEW', text: 'Москва' } } }, agent)
    expect(two.errors![0].message).toMatch(/exactly one|oneOf|one field/i)
    const auditor = await client.request(CHECK, { input: { customer: { code: 'C-NEW', name: 'x' } } }, await client.key('AUDITOR'))
    expect(auditor.errors![0].extensions?.code).toBe('FORBIDDEN')
  })

  describe('refused input comes back as ValidationFailed, field by field', () => {
    it('an unknown reference, an empty key, a too long name, a required field cleared', async () => {
      const unknown = await client.request(CREATE_CONTRACT, { input: { number: 'D-11', customer: 'C-404', address: 'A-404', product: 'NET-500', market: 'MSK', status: 'ACTIVE', validFrom: '2025-01-01' } }, nsi)
      expect(unknown.data.createContract).toEqual({
        __typename: 'ValidationFailed', message: 'input.customer: нет клиента «C-404»; input.address: нет адреса «A-404»',
        problems: [
          { field: 'input.customer', code: 'UNKNOWN_REFERENCE', message: 'нет клиента «C-404»' },
          { field: 'input.address', code: 'UNKNOWN_REFERENCE', message: 'нет адреса «A-404»' },
        ],
      })
      const empty = await client.request(CREATE_CUSTOMER, { input: { code: '   ', name: 'x'.repeat(501) } }, nsi)
      expect(empty.data.createCustomer.problems).toEqual([
        { field: 'input.code', code: 'EMPTY', message: 'не может быть пустым' },
        { field: 'input.name', code: 'TOO_LONG', message: 'не длиннее 500 символов' },
      ])
      const cleared = await client.request(UPDATE_CONTRACT, { key: 'D-1', input: { status: null, validFrom: null } }, nsi)
      expect(cleared.data.updateContract.problems).toEqual([
        { field: 'input.status', code: 'REQUIRED', message: 'обязательное значение не заполнено' },
        { field: 'input.validFrom', code: 'REQUIRED', message: 'обязательное значение не заполнено' },
      ])
      const emptyKey = await client.request(UPDATE_CONTRACT, { key: ' ', input: {} }, nsi)
      expect(emptyKey.data.updateContract.problems).toEqual([{ field: 'key', code: 'EMPTY', message: 'не может быть пустым' }])
    })

    it('a wrong date, an unknown enum value and a missing required field are refused by the schema itself, clearly', async () => {
      const date = await client.request(CREATE_CONTRACT, { input: { number: 'D-11', customer: 'C-1', address: 'A-1', product: 'NET-500', market: 'MSK', status: 'ACTIVE', validFrom: '2025-02-30' } }, nsi)
      expect(date.data ?? null).toBeNull()
      expect(date.errors![0].message).toMatch(/input\.validFrom.*Date: нужна дата ГГГГ-ММ-ДД \(YYYY-MM-DD\)/s)
      const status = await client.request(CREATE_CONTRACT, { input: { number: 'D-11', customer: 'C-1', address: 'A-1', product: 'NET-500', market: 'MSK', status: 'OPEN', validFrom: '2025-01-01' } }, nsi)
      expect(status.errors![0].message).toMatch(/"OPEN".*ContractStatus/s)
      const missing = await client.request(CREATE_CONTRACT, { input: { number: 'D-11', customer: 'C-1' } }, nsi)
      expect(missing.errors![0].message).toMatch(/address.*required|Field "address" of required type/s)
      for (const r of [date, status, missing]) expect(JSON.stringify(r)).not.toMatch(/at .*\.ts:\d+/)
    })

    it('stores injection strings verbatim and harmlessly', async () => {
      const name = `Robert'); DROP TABLE customer; -- <script>alert(1)</script> {{7*7}} \${x}`
      const code = `C-1' OR '1'='1`
      const r = await client.request(CREATE_CUSTOMER, { input: { code, name, phone: `'; DELETE FROM contract; --` } }, nsi)
      expect(r.data.createCustomer.data.customer).toMatchObject({ code, name, phone: `'; DELETE FROM contract; --`, phoneNormalized: null })
      expect((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM customer`)).rows[0].n).toBeGreaterThan(2)
      expect((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM contract`)).rows[0].n).toBe(2)
      // text PostgreSQL cannot hold is refused for the whole request before anything runs (issue 11), not as a result
      const nul = await client.request(CREATE_CUSTOMER, { input: { code: 'C-NUL', name: 'a\u0000b' } }, nsi)
      expect([nul.status, nul.data ?? null]).toEqual([400, null])
      expect(nul.errors).toEqual([expect.objectContaining({
        message: 'переменная $input.name (аргумент input в createCustomer): не должно содержать нулевой символ (U+0000)',
        extensions: { code: 'BAD_USER_INPUT', problems: [{ field: '$input.name', code: 'INVALID_TEXT', message: 'не должно содержать нулевой символ (U+0000)' }] },
      })])
      const deleted = await client.request(deleteOf(CASES[3]), { key: code }, nsi)
      expect(deleted.data.deleteCustomer.__typename).toBe('MutationDeleteCustomerSuccess')
    })
  })

  it('refuses a taken key and a delete of a record still referred to as Conflict', async () => {
    const taken = await client.request(CREATE_CUSTOMER, { input: { code: 'C-1', name: 'x' } }, nsi)
    expect(taken.data.createCustomer).toEqual({ __typename: 'Conflict', code: 'CONFLICT', message: 'клиент C-1 уже есть (бизнес-ключи уникальны по всем рынкам)' })
    const referred = await client.request(DELETE_CONTRACT, { key: 'D-1' }, nsi)
    expect(referred.data.deleteContract).toEqual({ __typename: 'Conflict', code: 'CONFLICT', message: 'договор D-1: удалить нельзя, на запись ссылаются: оборудование INV-1 — сначала удалите или перенесите их' })
  })

  it('refuses SUPPORT_AGENT and AUDITOR keys with an authorization error', async () => {
    for (const role of ['SUPPORT_AGENT', 'AUDITOR', 'SERVICE_DESK']) {
      const r = await client.request(UPDATE_CONTRACT, { key: 'D-1', input: { status: 'TERMINATED' } }, await client.key(role))
      expect(r.data?.updateContract ?? null).toBeNull()
      expect(r.errors![0].extensions?.code).toBe('FORBIDDEN')
      expect(r.errors![0].message).toMatch(new RegExp(`^запрещено: ключ с ролью ${role} не может вызывать Mutation\\.updateContract$`))
    }
    expect((await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM contract WHERE number = 'D-1'`)).rows[0].status).toBe('ACTIVE')
  })

  describe('a key limited to SPB', () => {
    let spb: string
    beforeAll(async () => { spb = await client.key('NSI_SPECIALIST', ['SPB']) })

    it('gets NotFound for a Moscow contract, and cannot refer to one', async () => {
      const update = await client.request(UPDATE_CONTRACT, { key: 'D-1', input: { status: 'TERMINATED' } }, spb)
      expect(update.data.updateContract).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'нет договора D-1' })
      const del = await client.request(DELETE_CONTRACT, { key: 'D-1' }, spb)
      expect(del.data.deleteContract.__typename).toBe('NotFound')
      const device = await client.request(CREATE_EQUIPMENT, { input: { inventoryNo: 'INV-30', product: 'RT-AX', contract: 'D-1', status: 'INSTALLED' } }, spb)
      expect(device.data.createEquipment.problems).toEqual([{ field: 'input.contract', code: 'UNKNOWN_REFERENCE', message: 'нет договора «D-1»' }])
      const moscow = await client.request(CREATE_CONTRACT, { input: { number: 'D-31', customer: 'C-2', address: 'A-2', product: 'NET-500', market: 'MSK', status: 'ACTIVE', validFrom: '2025-01-01' } }, spb)
      expect(moscow.data.createContract.problems).toEqual([{ field: 'input.market', code: 'UNKNOWN_REFERENCE', message: 'нет рынка «MSK»' }])
      expect((await db.sql.query<{ status: string }>(`SELECT status::text AS status FROM contract WHERE number = 'D-1'`)).rows[0].status).toBe('ACTIVE')
    })

    it('may not write the catalogue', async () => {
      const r = await client.request(createOf(CASES[0]), { input: { code: 'NSK', name: 'Новосибирск' } }, spb)
      expect(r.errors![0].extensions?.code).toBe('FORBIDDEN')
      expect(r.errors![0].message).toMatch(/^запрещено: ключ, ограниченный рынками SPB, не может менять общий для всех рынков справочник/)
    })

    it('writes a contract in its own market', async () => {
      const r = await client.request(CREATE_CONTRACT, { input: { number: 'D-32', customer: 'C-2', address: 'A-2', product: 'NET-500', market: 'SPB', status: 'DRAFT', validFrom: '2025-01-01' } }, spb)
      expect(r.data.createContract.data.contract).toMatchObject({ number: 'D-32', market: { code: 'SPB' } })
      expect((await client.request(DELETE_CONTRACT, { key: 'D-32' }, spb)).data.deleteContract.__typename).toBe('MutationDeleteContractSuccess')
    })
  })
})
