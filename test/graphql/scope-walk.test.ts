// The market scope and the role hold on every path, not only at root fields: a generated walk over the schema.
// For each root query field (with arguments naming own, shared and foreign records) the walk expands every
// field of every type it reaches — unions and interfaces through every member — as deep as a client may go
// within the query limits (depth, breadth, complexity: a path no query can afford is no path), split into
// queries that fit. Each query is sent with a key limited to SPB of every role, on a fixture whose markets
// are linked across: an SPB address with a foreign contract, an SPB contract of a customer who also has a
// foreign one, a device on an SPB contract registered at a foreign address, a serial shared across markets,
// incidents of either market and of both, a foreign group an SPB finding was assigned to. Whatever comes back
// (data and errors) must hold no foreign record's key or text; roles that do not read personal data get no
// person's name, phone, INN or e-mail; a service desk gets no master-data record at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { SYSTEM } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { assignFinding, commentFinding } from '../../src/engine/findings.ts'
import { schema } from '../../src/graphql/schema/index.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { registerIncident } from '../../src/incidents/intake.ts'
import { createRecord } from '../../src/masterdata/write.ts'
import { CROSS_MARKET_FILES as FILES, FOREIGN_MARK } from '../fixtures/cross-market.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { queriesFor } from '../helpers/schema-walk.ts'

const ROLES = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'AUDITOR', 'ADMIN', 'SERVICE_DESK'] as const
type Role = (typeof ROLES)[number]
// who may read which root field — the intent, stated apart from the code (as in authorization.test.ts)
const PERSONAL_ROLES: Role[] = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN']

// ─── the fixture: SPB is the keys' market; FRNX is the foreign one, and everything only it has is marked ───

/** Personal data of the SPB market's people: only PERSONAL_ROLES may meet it. */
const PERSONAL_DATA = [
  'Петров', 'Пётр', '780000000001', '+7 812 111-11-11', '78121111111', 'petrov@spb.example',
  'Сидорова', '780000000002', '+7 812 222-22-22', '78122222222', 'sidorova@spb.example',
]

const principal = (markets: string[] | null, name: string): Principal => ({ keyId: 0, name, role: 'ADMIN', markets })

// ─── what each root field is asked with ───

const q = JSON.stringify
let ARGS: Record<string, string[]> = {}

function argumentTable(ids: { findings: string[]; runs: string[]; incidents: string[]; refs: string[]; groups: string[] }): Record<string, string[]> {
  const list = (extra = '') => [`first: 20${extra}`, `first: 20, filter: { market: "FRNX" }${extra}`]
  const entities = [['address', 'A-SPB-1'], ['address', 'FRNX-A-1'], ['contract', 'K-SPB-1'], ['contract', 'K-SPB-3'], ['contract', 'FRNX-K-2'],
    ['customer', 'C-SHARED'], ['equipment', 'E-SPB-1'], ['equipment', 'FRNX-E-2'], ['product', 'SOLD-ELSEWHERE'], ['market', 'FRNX']]
  return {
    address: ['A-SPB-1', 'A-SPB-2', 'FRNX-A-1'].map((k) => `code: ${q(k)}`),
    addresses: list(),
    apiKeys: [''],
    me: [''],
    // a merge of SPB records one of which has a foreign contract is refused without naming it; of SPB-only ones, previewed
    // (A-SPB-1 and A-SPB-2 are marked «not a duplicate» below: a merge of them is refused for that)
    previewMerge: [
      'input: { type: ADDRESS, keys: ["A-SPB-2", "A-SPB-3"] }',
      'input: { type: ADDRESS, keys: ["A-SPB-1", "A-SPB-3"] }',
      'input: { type: CUSTOMER, keys: ["C-SPB-1", "C-SHARED"] }',
      'input: { type: CUSTOMER, keys: ["C-SPB-1", "C-CO-1"] }',
    ],
    merge: ['id: "00000000-0000-4000-8000-000000000000"'],
    merges: ['first: 20'],
    auditRun: ids.runs.map((id) => `id: ${q(id)}`),
    auditRuns: ['first: 20'],
    checkConflicts: [
      `input: { contract: { number: "K-NEW", customer: "C-SPB-1", address: "A-SPB-1", product: "NET-100", market: "SPB", status: ACTIVE, validFrom: "2025-06-01" } }`,
      `input: { equipment: { inventoryNo: "E-NEW", serial: "SN-SHARED-1", product: "RT-1", address: "A-SPB-2", contract: "K-SPB-1", status: INSTALLED } }`,
    ],
    conflicts: entities.map(([type, key]) => `for: { type: ${type}, key: ${q(key)} }`),
    contract: ['K-SPB-1', 'K-SPB-3', 'FRNX-K-2', 'FRNX-K-4'].map((k) => `number: ${q(k)}`),
    contracts: list(),
    customer: ['C-SPB-1', 'C-SHARED', 'C-CO-1', 'FRNX-C-1'].map((k) => `code: ${q(k)}`),
    customers: list(),
    customersByInn: ['780000000001', '7800000003', '990000000001'].map((k) => `inn: ${q(k)}`),
    customersByPhone: ['+7 812 111-11-11', '+7 812 333-33-33', '+7 999 999-99-91'].map((k) => `phone: ${q(k)}`),
    distinctMarks: ['first: 20', 'first: 20, includeRemoved: true', 'first: 20, key: "FRNX-A-1"', 'first: 20, type: ADDRESS, key: "A-SPB-1"'],
    equipment: list(),
    equipmentByInventoryNo: ['E-SPB-1', 'FRNX-E-2'].map((k) => `inventoryNo: ${q(k)}`),
    equipmentByMac: ['00:11:22:33:44:55', '00:11:22:33:44:66'].map((k) => `mac: ${q(k)}`),
    equipmentBySerial: ['SN-SHARED-1', 'FRNX-SN-3'].map((k) => `serial: ${q(k)}`),
    equipmentType: ['code: "ROUTER"'],
    equipmentTypes: [''],
    finding: ids.findings.map((f) => `fingerprint: ${q(f)}`),
    findings: ['first: 50', 'first: 50, filter: { market: "FRNX" }'],
    group: ids.groups.map((g) => `code: ${q(g)}`),
    groups: [''],
    incident: [...ids.incidents.map((id) => `id: ${q(id)}`), ...ids.refs.map((r) => `externalRef: ${q(r)}`)],
    incidents: ['first: 20', 'first: 20, filter: { market: "FRNX" }'],
    mailSubscriptions: [''],
    market: ['SPB', 'FRNX'].map((k) => `code: ${q(k)}`),
    markets: [''],
    product: ['NET-100', 'SOLD-ELSEWHERE', 'FRNX-TV'].map((k) => `sku: ${q(k)}`),
    products: ['first: 20'],
    reports: [''],
    rule: ['id: "equipment-address-mismatch"'],
    rules: [''],
    schedules: [''],
    search: ['Ленина 5 кв 1', 'Фарланская 1', 'Фарланов Фарлан', '+7 999 999-99-91', '+7 812 222-22-22', 'SN-SHARED-1', 'FRNX-K-2', 'Сидорова Анна']
      .map((t) => `text: ${q(t)}, first: 20`),
  }
}

// ─── what comes back ───

/** Every string in an answer, with where it was; cursors are opaque and left out. */
function strings(value: unknown, path: string, out: Array<[string, string]>) {
  if (typeof value === 'string') out.push([path, value])
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!/cursor$/i.test(k)) strings(v, `${path}.${k}`, out)
  }
  return out
}

function typenames(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => typenames(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '__typename' && typeof v === 'string') out.add(v)
      else typenames(v, out)
    }
  }
  return out
}

describe('the scope walk on embedded PGlite', () => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let foreign: string[] = []

  beforeAll(async () => {
    db = await testDatabase('pglite')
    const dir = writeFiles(tempDir('walk'), FILES)
    const imported = await importDirectory(db, dir)
    expect(imported.rejected).toBe(0)
    // an SPB-only address a merge with A-SPB-2 can be previewed with
    await createRecord(db, SYSTEM, 'address', { code: 'A-SPB-3', text: 'г. Санкт-Петербург, ул. Садовая, д. 3, кв. 7' }, { actor: 'test' })
    await createRecord(db, SYSTEM, 'contract', {
      number: 'K-SPB-9', customer: 'C-SPB-1', address: 'A-SPB-3', product: 'NET-100', market: 'SPB', status: 'ACTIVE', valid_from: '2025-01-01',
    }, { actor: 'test' })
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    const frnxRun = await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31', market: 'FRNX' })

    // incidents: the SPB market's, the foreign market's, and one over both (registered by an unscoped key)
    const spb = principal(['SPB'], 'spb desk'), frnx = principal(['FRNX'], 'frnx desk')
    await registerIncident(db, spb, { kind: 'INCIDENT', channel: 'PHONE', externalRef: 'INC-SPB-1', customer: '+7 812 111-11-11', contract: 'K-SPB-1', description: 'нет интернета' }, 'key:1:spb desk')
    const own = await registerIncident(db, spb, { kind: 'COMPLAINT', channel: 'EMAIL', customer: 'Петров Пётр Петрович', address: 'Ленина 5 кв 1', description: 'жалоба' }, 'key:1:spb desk')
    const theirs = await registerIncident(db, frnx, { kind: 'INCIDENT', channel: 'PHONE', externalRef: 'FRNX-INC-1', equipment: 'FRNX-SN-3', description: 'Фарлан: нет сигнала' }, 'key:2:frnx desk')
    const both = await registerIncident(db, SYSTEM, { kind: 'INCIDENT', channel: 'EXTERNAL_SYSTEM', externalRef: 'FRNX-INC-BOTH', contract: 'K-SPB-1', equipment: 'FRNX-E-3', description: 'Фарлан и Петербург' }, 'key:3:all')
    expect(both.marketCode).toBeNull()
    expect(both.links.length).toBeGreaterThan(1)

    // a foreign group an SPB finding was assigned to (by an unscoped key), with a comment naming a foreign record
    await db.prisma.responsibleGroup.create({
      data: { code: 'FRNX-GRP', name: 'Фарлан, первая линия', email: 'grp@frnx.example', supportLine: 1, markets: { create: [{ market: { connect: { code: 'FRNX' } } }] } },
    })
    const mismatch = await db.prisma.finding.findFirstOrThrow({ where: { ruleId: 'equipment-address-mismatch', marketCode: 'SPB' } })
    expect(mismatch.message).toContain('FRNX-A-1')
    await assignFinding(db, mismatch.id, { actor: 'key:3:all', group: 'FRNX-GRP', line: 1 })
    await commentFinding(db, mismatch.id, { actor: 'key:3:all', text: 'см. также FRNX-A-1 и FRNX-K-5' })
    await db.prisma.schedule.create({ data: { name: 'Фарлан ночная', cron: '0 2 * * *', marketCode: 'FRNX', createdBy: 'test' } })
    await db.prisma.subscription.create({ data: { name: 'Фарлан', recipients: ['nsi@frnx.example'], marketCode: 'FRNX' } })
    await db.prisma.schedule.create({ data: { name: 'Ночная СПб', cron: '0 3 * * *', marketCode: 'SPB', createdBy: 'test' } })

    // «not a duplicate» marks: an SPB pair, a pair across markets (its foreign record is not the SPB key's), a foreign pair
    await db.sql.query(`INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor) VALUES
      ('address', 'A-SPB-1', 'A-SPB-2', 'разные дома', 'test'), ('address', 'A-SPB-1', 'FRNX-A-1', 'не то что FRNX-A-1', 'test'),
      ('customer', 'FRNX-C-1', 'FRNX-C-2', 'Фарлан: разные люди', 'test')`)
    const findings = await db.prisma.finding.findMany({ select: { id: true, fingerprint: true, marketCode: true } })
    const runs = await db.prisma.auditRun.findMany({ select: { id: true, marketCode: true } })
    const incidents = await db.prisma.incident.findMany({ select: { id: true, externalRef: true, marketCode: true } })
    const groups = await db.prisma.responsibleGroup.findMany({ select: { code: true } })
    // what only another market has: its findings, runs and incidents by id, on top of the marked records
    foreign = [...FOREIGN_MARK,
      ...findings.filter((f) => f.marketCode !== 'SPB').flatMap((f) => [f.id, f.fingerprint]),
      ...runs.filter((r) => r.marketCode !== 'SPB').map((r) => r.id),
      ...incidents.filter((i) => i.marketCode !== 'SPB' && i.id !== own.id).map((i) => i.id)]
    expect(runs.some((r) => r.id === frnxRun.run.id)).toBe(true)
    expect(theirs.marketCode).toBe('FRNX')
    ARGS = argumentTable({
      // every foreign one (answered null at once) and a few own ones (each walked whole, and the lists walk the rest)
      findings: [...findings.filter((f) => f.marketCode !== 'SPB'), ...findings.filter((f) => f.marketCode === 'SPB').slice(0, 3)].map((f) => f.fingerprint),
      runs: runs.map((r) => r.id),
      incidents: [...incidents.filter((i) => i.marketCode !== 'SPB'), ...incidents.filter((i) => i.marketCode === 'SPB').slice(0, 1)].map((i) => i.id),
      refs: ['INC-SPB-1', 'FRNX-INC-1', 'FRNX-INC-BOTH'], groups: groups.map((g) => g.code),
    })
    client = graphqlClient(db, { production: true })
  })
  afterAll(async () => { await db?.close() })

  it('asks every root query field (a new one must be added to the table)', () => {
    const roots = Object.keys(schema.getQueryType()!.getFields()).sort()
    expect(Object.keys(ARGS).sort()).toEqual(roots)
  })

  it('the fixture shows what it is for to an unscoped key: foreign records, links across markets, the mismatch message', async () => {
    const key = await client.key('ADMIN')
    const r = await client.request(`{ equipmentByInventoryNo(inventoryNo: "E-SPB-1") { address { code } }
      address(code: "A-SPB-1") { contracts { number } } finding: findings(filter: { ruleIds: ["equipment-address-mismatch"] }) { edges { node { message group { code } incidents { externalRef } } } } }`, {}, key)
    expect(r.errors).toBeUndefined()
    expect(r.data.equipmentByInventoryNo.address.code).toBe('FRNX-A-1')
    expect(r.data.address.contracts.map((c: { number: string }) => c.number)).toEqual(['FRNX-K-2', 'K-SPB-1'])
    const node = r.data.finding.edges[0].node
    expect([node.message.includes('FRNX-A-1'), node.group.code, node.incidents.map((i: { externalRef: string }) => i.externalRef).sort()])
      .toEqual([true, 'FRNX-GRP', ['FRNX-INC-BOTH', 'INC-SPB-1', null]])
  })

  it.each(process.env.WALK_ROLES ? process.env.WALK_ROLES.split(',') as Role[] : ROLES)('%s limited to SPB meets nothing of the foreign market on any path', { timeout: 240_000 }, async (role) => {
    const key = await client.key(role, ['SPB'])
    const leaks: string[] = [], errors: string[] = [], personal: string[] = [], masterData: string[] = []
    let asked = 0, answered = 0
    for (const [root, argSets] of Object.entries(ARGS)) {
      for (const args of argSets) {
        for (const query of queriesFor(root, args)) {
          asked++
          const r = await client.request(query, {}, key)
          // nothing at the root (null, no items): the rest of this root's queries would walk nothing
          const top = r.data?.[root]
          const nothing = top === null || (Array.isArray(top) && top.length === 0) || (Array.isArray(top?.edges) && top.edges.length === 0)
          // a root the role may not use is refused whole; anything else refused or failing inside is a finding of this test
          const refusedRoot = r.errors?.length === 1 && r.errors[0].extensions?.code === 'FORBIDDEN' && r.errors[0].path?.length === 1 && r.data?.[root] == null
          if (refusedRoot) continue
          answered++
          for (const e of r.errors ?? []) errors.push(`${root}(${args}) ${e.path?.join('.')}: ${String(e.extensions?.code)} ${e.message}`)
          for (const [where, text] of strings({ data: r.data, errors: r.errors }, root, [])) {
            const mark = foreign.find((m) => text.includes(m))
            if (mark) leaks.push(`${root}(${args}) ${where} = ${JSON.stringify(text.slice(0, 120))} (${mark})`)
            const pd = PERSONAL_DATA.find((m) => text.includes(m))
            if (pd && !PERSONAL_ROLES.includes(role)) personal.push(`${root}(${args}) ${where} = ${JSON.stringify(text.slice(0, 120))}`)
          }
          const types = typenames(r.data)
          for (const t of ['Customer', 'Address', 'Contract', 'Equipment']) if (types.has(t) && role === 'SERVICE_DESK') masterData.push(`${root}(${args}): ${t}`)
          if (nothing && !r.errors) break
        }
      }
    }
    expect(asked).toBeGreaterThan(200)
    expect(answered).toBeGreaterThan(role === 'SERVICE_DESK' ? 50 : 150)
    expect({ leaks: [...new Set(leaks)].slice(0, 20), errors: [...new Set(errors)].slice(0, 20), personal: [...new Set(personal)].slice(0, 20), masterData: [...new Set(masterData)].slice(0, 20) })
      .toEqual({ leaks: [], errors: [], personal: [], masterData: [] })
  })
})
