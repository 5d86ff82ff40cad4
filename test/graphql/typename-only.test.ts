// Every root query and mutation field, asked for nothing but `__typename` (issue 12: `runSchedule(id) { __typename }`
// did its work, then answered «Unexpected error.» — Pothos handed Prisma an empty `select`). The fields come from the
// schema, so a new one is walked too: with the arguments below where they are listed (chosen so that the field
// succeeds on the demo dataset), else with placeholder values built from the argument types (the field may then
// answer a refusal, never an internal error).
import {
  getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType,
  type GraphQLField, type GraphQLInputType, type GraphQLNamedType,
} from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { openDatabase } from '../../src/db/database.ts'
import { openJobs } from '../../src/jobs/open.ts'
import type { Jobs } from '../../src/jobs/queue.ts'
import { schema } from '../../src/graphql/schema/index.ts'
import { loadDemo } from '../../src/seed/demo.ts'
import { tempDir } from '../helpers/csv.ts'
import { graphqlClient } from '../helpers/graphql.ts'

/** A value of an input type, from its required parts only (placeholders: the field may refuse them). */
function placeholder(type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type
  if (isListType(inner)) return `[${placeholder(inner.ofType)}]`
  if (isEnumType(inner)) return inner.getValues()[0].name
  if (isInputObjectType(inner)) {
    const required = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
    return `{ ${required.map((f) => `${f.name}: ${placeholder(f.type)}`).join(', ')} }`
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int': case 'Float': return '1'
      case 'Boolean': return 'true'
      case 'Date': return '"2026-01-31"'
      case 'DateTime': return '"2026-01-31T00:00:00Z"'
      case 'JSON': return '{}'
      default: return '"X-PLACEHOLDER"'
    }
  }
  return 'null'
}

function placeholderArgs(field: GraphQLField<unknown, unknown>): string {
  return field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => `${a.name}: ${placeholder(a.type)}`).join(', ')
}

/** `field(args) { __typename }`, or `field(args)` for a leaf. */
function typenameOnly(field: GraphQLField<unknown, unknown>, args: string): string {
  const call = args ? `${field.name}(${args})` : field.name
  return isLeafType(getNamedType(field.type)) ? call : `${call} { __typename }`
}

describe('every root field with a __typename-only selection', () => {
  let db: Database
  let jobs: Jobs
  let client: ReturnType<typeof graphqlClient>
  let key: string
  // arguments that make the field succeed, filled in from the demo dataset
  const ARGS: Record<string, string> = {}
  const q = JSON.stringify

  // sendAlbum mails for real: into the outbox of a data directory of this test's own (no SMTP_URL here)
  const dataDirBefore = process.env.SVERKA_DATA_DIR
  const smtpBefore = process.env.SMTP_URL

  beforeAll(async () => {
    process.env.SVERKA_DATA_DIR = tempDir('sverka-walk-')
    delete process.env.SMTP_URL
    db = await openDatabase({ memory: true })
    await loadDemo(db, { scale: 60 })
    // a queue without a runner: runAudit and runSchedule queue their work and answer at once
    jobs = await openJobs(db, { redisUrl: '', periodic: false, schedules: false, watchRuns: false })
    client = graphqlClient(db, { production: false, jobs: jobs.queue })
    key = await client.key('ADMIN')
    const one = async (query: string) => {
      const r = await client.request(query, {}, key)
      expect(r.errors, query).toBeUndefined()
      return r.data
    }
    const d = await one(`{
      markets { code } equipmentTypes { code } groups { code } rules { id }
      products(first: 1) { edges { node { sku } } } customers(first: 1) { edges { node { code } } }
      contracts(first: 1) { edges { node { number } } } equipment(first: 1) { edges { node { inventoryNo } } }
      findings(first: 6, filter: { statuses: [NEW] }) { edges { node { fingerprint } } } auditRuns(first: 1) { edges { node { id } } }
    }`)
    const [market] = d.markets.map((m: { code: string }) => m.code)
    const [type] = d.equipmentTypes.map((t: { code: string }) => t.code)
    const [group] = d.groups.map((g: { code: string }) => g.code)
    const rule = d.rules[0].id
    const sku = d.products.edges[0].node.sku
    const customer = d.customers.edges[0].node.code
    const contract = d.contracts.edges[0].node.number
    const device = d.equipment.edges[0].node.inventoryNo
    const [f1, f2, f3, f4, f5] = d.findings.edges.map((e: { node: { fingerprint: string } }) => e.node.fingerprint)
    const run = d.auditRuns.edges[0].node.id
    const incident = (await one(`mutation { registerIncident(input: { channel: PHONE, externalRef: "INC-WALK-1", address: "A-DEMO-1", description: "нет связи" }) { ... on MutationRegisterIncidentSuccess { data { id } } } }`)).registerIncident.data.id
    const schedule = (await one(`mutation { createSchedule(input: { cron: "0 2 * * *", name: "walk" }) { ... on MutationCreateScheduleSuccess { data { id } } } }`)).createSchedule.data.id
    const subscription = (await one(`mutation { createMailSubscription(input: { name: "walk", recipients: ["nsi@example.test"] }) { ... on MutationCreateMailSubscriptionSuccess { data { id } } } }`)).createMailSubscription.data.id
    const albumSubscription = (await one(`mutation { createMailSubscription(input: { name: "walk-album", recipients: ["nsi@example.test"] }) { ... on MutationCreateMailSubscriptionSuccess { data { id } } } }`)).createMailSubscription.data.id
    const apiKey = (await one(`mutation { createApiKey(role: AUDITOR, name: "walk") { ... on MutationCreateApiKeySuccess { data { apiKey { id } } } } }`)).createApiKey.data.apiKey.id
    Object.assign(ARGS, {
      // queries
      address: `code: "A-DEMO-1"`, auditRun: `id: ${q(run)}`, contract: `number: ${q(contract)}`, customer: `code: ${q(customer)}`,
      customersByInn: `inn: "7700000000"`, customersByPhone: `phone: "+7 495 000-00-00"`,
      equipmentByInventoryNo: `inventoryNo: ${q(device)}`, equipmentByMac: `mac: "00:11:22:33:44:55"`, equipmentBySerial: `serial: "SN-1"`,
      equipmentType: `code: ${q(type)}`, finding: `fingerprint: ${q(f1)}`, group: `code: ${q(group)}`, incident: `id: ${q(incident)}`,
      market: `code: ${q(market)}`, product: `sku: ${q(sku)}`, rule: `id: ${q(rule)}`, search: `text: "Ленина 5 кв 12"`,
      conflicts: `for: { type: address, key: "A-DEMO-1" }`,
      checkConflicts: `input: { contract: { number: "K-WALK", customer: ${q(customer)}, address: "A-DEMO-1", product: ${q(sku)}, market: ${q(market)}, status: ACTIVE, validFrom: "2026-01-01" } }`,
      // mutations: each on a record of its own, so the order they run in does not matter
      acknowledgeFinding: `fingerprint: ${q(f1)}`, startFinding: `fingerprint: ${q(f2)}`, resolveFinding: `fingerprint: ${q(f3)}, comment: "исправлено"`,
      waiveFinding: `fingerprint: ${q(f4)}, reason: "так задумано"`, reopenFinding: `fingerprint: ${q(f4)}`,
      assignFinding: `fingerprint: ${q(f5)}, group: ${q(group)}`, commentFinding: `fingerprint: ${q(f5)}, text: "смотрим"`,
      linkIncident: `fingerprint: ${q(f2)}, incident: ${q(incident)}`, unlinkIncident: `fingerprint: ${q(f2)}, incident: ${q(incident)}`,
      createMarket: `input: { code: "WALK", name: "Обход" }`, updateMarket: `key: "WALK", input: { name: "Обход-2" }`, deleteMarket: `key: "WALK"`,
      createEquipmentType: `input: { code: "WALK-T", name: "Обход" }`, updateEquipmentType: `key: "WALK-T", input: { name: "Обход-2" }`, deleteEquipmentType: `key: "WALK-T"`,
      createProduct: `input: { sku: "WALK-P", name: "Обход", kind: SERVICE, status: ACTIVE }`, updateProduct: `key: "WALK-P", input: { name: "Обход-2" }`, deleteProduct: `key: "WALK-P"`,
      createCustomer: `input: { code: "WALK-C", name: "Иванов Иван" }`, updateCustomer: `key: "WALK-C", input: { name: "Иванов Иван Иванович" }`, deleteCustomer: `key: "WALK-C"`,
      createAddress: `input: { code: "WALK-A", text: "г. Москва, ул. Обходная, д. 1" }`, updateAddress: `key: "WALK-A", input: { apartment: "2" }`, deleteAddress: `key: "WALK-A"`,
      createContract: `input: { number: "WALK-K", customer: ${q(customer)}, address: "A-DEMO-1", product: ${q(sku)}, market: ${q(market)}, status: DRAFT, validFrom: "2026-01-01" }`,
      updateContract: `key: "WALK-K", input: { status: ACTIVE }`, deleteContract: `key: "WALK-K"`,
      createEquipment: `input: { inventoryNo: "WALK-E", product: ${q(sku)}, status: IN_STOCK }`, updateEquipment: `key: "WALK-E", input: { serial: "WALK-SN" }`, deleteEquipment: `key: "WALK-E"`,
      createGroup: `input: { code: "WALK-G", name: "Обход", supportLine: 2 }`, updateGroup: `code: "WALK-G", input: { name: "Обход-2" }`,
      createSchedule: `input: { cron: "0 3 * * *", name: "walk-2" }`, updateSchedule: `id: ${schedule}, input: { enabled: false }`,
      runSchedule: `id: ${schedule}`, deleteSchedule: `id: ${schedule}`, runAudit: `market: ${q(market)}`,
      createMailSubscription: `input: { name: "walk-2", recipients: ["nsi@example.test"] }`, updateMailSubscription: `id: ${subscription}, input: { active: false }`,
      deleteMailSubscription: `id: ${subscription}`,
      sendAlbum: `subscriptionId: ${albumSubscription}, period: MONTH`,
      createApiKey: `role: AUDITOR, name: "walk-2"`, revokeApiKey: `id: ${apiKey}`,
      setRuleOverride: `ruleId: ${q(rule)}, enabled: true`, resetRuleOverride: `ruleId: ${q(rule)}`,
      registerIncident: `input: { channel: PHONE, externalRef: "INC-WALK-2", address: "A-DEMO-1", description: "нет связи" }`,
      registerComplaint: `input: { channel: EMAIL, externalRef: "CMP-WALK-1", address: "A-DEMO-1", description: "жалоба" }`,
    })
  }, 180_000)
  afterAll(async () => {
    if (dataDirBefore === undefined) delete process.env.SVERKA_DATA_DIR
    else process.env.SVERKA_DATA_DIR = dataDirBefore
    if (smtpBefore !== undefined) process.env.SMTP_URL = smtpBefore
    await jobs?.queue.close()
    await db?.close()
  })

  for (const operation of ['query', 'mutation'] as const) {
    it(`${operation}: no field answers an internal error`, async () => {
      const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!
      const failures: string[] = []
      let succeeded = 0
      // the order below: creates before updates before deletes, so a listed field finds its record
      const rank = (name: string) => (/^(create|register|run)/.test(name) ? 0 : /^(delete|revoke|reset|unlink|reopen)/.test(name) ? 2 : 1)
      const fields = Object.values(root.getFields()).sort((a, b) => rank(a.name) - rank(b.name))
      for (const field of fields) {
        const document = `${operation} { ${typenameOnly(field, ARGS[field.name] ?? placeholderArgs(field))} }`
        const r = await client.request(document, {}, key)
        const internal = (r.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || /unexpected error/i.test(e.message))
        if (internal.length > 0 || r.status >= 500) failures.push(`${document} → ${JSON.stringify(r)}`)
        // a listed field must succeed: data, no error, and not a refusal in its result union
        const value = r.data?.[field.name]
        if (ARGS[field.name] !== undefined) {
          const refusal = isUnionType(getNamedType(field.type)) && !(value?.__typename ?? '').endsWith('Success') ? value?.__typename ?? 'null' : null
          if (r.errors || refusal) failures.push(`${document} did not succeed → ${JSON.stringify(r)}`)
          else succeeded++
        }
      }
      expect(failures).toEqual([])
      expect(succeeded).toBeGreaterThan(operation === 'query' ? 15 : 40)
    }, 120_000)
  }

  it('one level down: every field of what a listed query answers (through connections and unions), __typename only', async () => {
    const below = (type: GraphQLNamedType, depth: number): string[] => {
      if (isUnionType(type)) return type.getTypes().flatMap((m) => below(m, depth).map((s) => `... on ${m.name} { ${s} }`))
      if (!isObjectType(type)) return []
      return Object.values(type.getFields()).flatMap((f) => {
        if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined) || isLeafType(getNamedType(f.type))) return []
        const inner = getNamedType(f.type)
        // a connection's records are one step further: edges { node { … } }
        if (depth > 0 && (f.name === 'edges' || f.name === 'node')) return below(inner, depth).map((s) => `${f.name} { ${s} }`)
        return depth > 0 ? [`${f.name} { __typename }`] : []
      })
    }
    const failures: string[] = []
    let asked = 0
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const args = ARGS[field.name] ?? (field.args.some((a) => isNonNullType(a.type)) ? null : '')
      if (args === null) continue
      for (const selection of below(getNamedType(field.type), 1)) {
        const document = `{ ${args ? `${field.name}(${args})` : field.name} { ${selection} } }`
        const r = await client.request(document, {}, key)
        asked++
        if ((r.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || /unexpected error/i.test(e.message))) failures.push(`${document} → ${JSON.stringify(r.errors)}`)
      }
    }
    expect(failures).toEqual([])
    expect(asked).toBeGreaterThan(50)
  }, 120_000)
})
