// The authorisation matrix: every role × every root operation × a record of the key's own market and
// one of another market. Keys are limited to SPB; "own" records belong to SPB only, "foreign" ones to
// MSK only. A role without the permission gets FORBIDDEN (and no data); with it, an own record is
// reachable and a foreign one is not — answered exactly like an absent one. The intended matrix is
// written out here on its own (not read from the code), and a meta-test keeps it complete.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { schema } from '../../src/graphql/schema/index.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient, type GraphQLResponse } from '../helpers/graphql.ts'

const ROLES = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'AUDITOR', 'ADMIN', 'SERVICE_DESK'] as const
type Role = (typeof ROLES)[number]

// who may do what — the intent, stated independently of src/access/permissions.ts
const EVERYONE: Role[] = [...ROLES]
const BROWSE: Role[] = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'AUDITOR', 'ADMIN']
const EDIT: Role[] = ['NSI_SPECIALIST', 'ADMIN']
const CHECK: Role[] = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN']
const ADMIN_ONLY: Role[] = ['ADMIN']
const INTAKE: Role[] = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN', 'SERVICE_DESK']
// who reads a person's personal data, and finds people by it (auditors see initials and find companies only)
const PERSONAL: Role[] = ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN']

interface Target {
  contract: string; address: string; customer: string; equipment: string; serial: string; mac: string
  phone: string; inn: string; finding: string; run: string; market: string; product: string
  schedule: number; subscription: number
}

interface Operation {
  field: string
  roles: Role[]
  /** no market dimension (catalogue, keys): the same request for own and foreign */
  marketless?: boolean
  /** catalogue writes: keys limited to markets may not make them at all */
  unscopedOnly?: boolean
  /** allowed roles that still do not reach the target (a person found by personal data): only these do */
  reachedBy?: Role[]
  request(t: Target): { query: string; variables?: Record<string, unknown> }
  /** whether the answer shows the target reachable (a record, a hit, a success result) */
  reached(data: any, t: Target): boolean
}

const has = (list: Array<{ key?: string; code?: string; number?: string; inventoryNo?: string; fingerprint?: string; id?: string }>, key: string) =>
  list.some((x) => [x.key, x.code, x.number, x.inventoryNo, x.fingerprint, x.id].includes(key))
const nodes = (connection: { edges: Array<{ node: any }> }) => connection.edges.map((e) => e.node)
const result = (typename: string) => (data: any): boolean => (Object.values(data)[0] as any)?.__typename === typename
const notFound = (data: any) => (Object.values(data)[0] as any)?.__typename !== 'NotFound'

// schedules made by the matrix need names of their own
let made = 0

const OPERATIONS: Operation[] = [
  // ─── master data ───
  { field: 'address', roles: BROWSE, request: (t) => ({ query: 'query($k: String!) { address(code: $k) { code } }', variables: { k: t.address } }), reached: (d) => d.address !== null },
  { field: 'addresses', roles: BROWSE, request: () => ({ query: '{ addresses(first: 500) { edges { node { code } } } }' }), reached: (d, t) => has(nodes(d.addresses), t.address) },
  { field: 'customer', roles: BROWSE, request: (t) => ({ query: 'query($k: String!) { customer(code: $k) { code } }', variables: { k: t.customer } }), reached: (d) => d.customer !== null },
  { field: 'customers', roles: BROWSE, request: () => ({ query: '{ customers(first: 500) { edges { node { code } } } }' }), reached: (d, t) => has(nodes(d.customers), t.customer) },
  { field: 'customersByPhone', roles: BROWSE, reachedBy: PERSONAL, request: (t) => ({ query: 'query($p: String!) { customersByPhone(phone: $p) { code } }', variables: { p: t.phone } }), reached: (d) => d.customersByPhone.length > 0 },
  { field: 'customersByInn', roles: BROWSE, reachedBy: PERSONAL, request: (t) => ({ query: 'query($i: String!) { customersByInn(inn: $i) { code } }', variables: { i: t.inn } }), reached: (d) => d.customersByInn.length > 0 },
  { field: 'contract', roles: BROWSE, request: (t) => ({ query: 'query($k: String!) { contract(number: $k) { number } }', variables: { k: t.contract } }), reached: (d) => d.contract !== null },
  { field: 'contracts', roles: BROWSE, request: () => ({ query: '{ contracts(first: 500) { edges { node { number } } } }' }), reached: (d, t) => has(nodes(d.contracts), t.contract) },
  { field: 'equipment', roles: BROWSE, request: () => ({ query: '{ equipment(first: 500) { edges { node { inventoryNo } } } }' }), reached: (d, t) => has(nodes(d.equipment), t.equipment) },
  { field: 'equipmentByInventoryNo', roles: BROWSE, request: (t) => ({ query: 'query($k: String!) { equipmentByInventoryNo(inventoryNo: $k) { inventoryNo } }', variables: { k: t.equipment } }), reached: (d) => d.equipmentByInventoryNo !== null },
  { field: 'equipmentBySerial', roles: BROWSE, request: (t) => ({ query: 'query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', variables: { s: t.serial } }), reached: (d, t) => has(d.equipmentBySerial, t.equipment) },
  { field: 'equipmentByMac', roles: BROWSE, request: (t) => ({ query: 'query($m: String!) { equipmentByMac(mac: $m) { inventoryNo } }', variables: { m: t.mac } }), reached: (d, t) => has(d.equipmentByMac, t.equipment) },
  { field: 'market', roles: EVERYONE, request: (t) => ({ query: 'query($k: String!) { market(code: $k) { code } }', variables: { k: t.market } }), reached: (d) => d.market !== null },
  { field: 'markets', roles: EVERYONE, request: () => ({ query: '{ markets { code } }' }), reached: (d, t) => has(d.markets, t.market) },
  { field: 'product', roles: EVERYONE, marketless: true, request: (t) => ({ query: 'query($k: String!) { product(sku: $k) { sku } }', variables: { k: t.product } }), reached: (d) => d.product !== null },
  { field: 'products', roles: EVERYONE, marketless: true, request: () => ({ query: '{ products(first: 100) { totalCount } }' }), reached: (d) => d.products.totalCount > 0 },
  { field: 'equipmentType', roles: EVERYONE, marketless: true, request: () => ({ query: '{ equipmentType(code: "ROUTER") { code } }' }), reached: (d) => d.equipmentType !== null },
  { field: 'equipmentTypes', roles: EVERYONE, marketless: true, request: () => ({ query: '{ equipmentTypes { code } }' }), reached: (d) => d.equipmentTypes.length > 0 },
  { field: 'search', roles: BROWSE, request: (t) => ({ query: 'query($q: String!) { search(text: $q) { key } }', variables: { q: t.contract } }), reached: (d, t) => has(d.search, t.contract) },
  // ─── findings, audits, rules ───
  { field: 'finding', roles: EVERYONE, request: (t) => ({ query: 'query($f: String!) { finding(fingerprint: $f) { fingerprint } }', variables: { f: t.finding } }), reached: (d) => d.finding !== null },
  { field: 'findings', roles: EVERYONE, request: () => ({ query: '{ findings(first: 500) { edges { node { fingerprint } } } }' }), reached: (d, t) => has(nodes(d.findings), t.finding) },
  { field: 'conflicts', roles: EVERYONE, request: (t) => ({ query: 'query($k: String!) { conflicts(for: { type: contract, key: $k }) { count } }', variables: { k: t.contract } }), reached: (d) => d.conflicts !== null },
  { field: 'auditRun', roles: EVERYONE, request: (t) => ({ query: 'query($id: ID!) { auditRun(id: $id) { id } }', variables: { id: t.run } }), reached: (d) => d.auditRun !== null },
  { field: 'auditRuns', roles: EVERYONE, request: () => ({ query: '{ auditRuns(first: 100) { edges { node { id } } } }' }), reached: (d, t) => has(nodes(d.auditRuns), t.run) },
  { field: 'rule', roles: EVERYONE, marketless: true, request: () => ({ query: '{ rule(id: "contract-overlap") { id } }' }), reached: (d) => d.rule !== null },
  { field: 'rules', roles: EVERYONE, marketless: true, request: () => ({ query: '{ rules { id } }' }), reached: (d) => d.rules.length === 14 },
  // the reports: asked for the target's market, an own market has open findings to report on, a foreign one nothing
  { field: 'reports', roles: EVERYONE, request: (t) => ({ query: 'query($m: String) { reports { responseTimes(market: $m) { open } } }', variables: { m: t.market } }), reached: (d) => d.reports.responseTimes.some((r: { open: number }) => r.open > 0) },
  // responsible groups: rules/routing.yaml seeds NSI-L1-<market> on the first audit; a group of another market is not seen
  { field: 'group', roles: EVERYONE, request: (t) => ({ query: 'query($k: String!) { group(code: $k) { code } }', variables: { k: `NSI-L1-${t.market}` } }), reached: (d) => d.group !== null },
  { field: 'groups', roles: EVERYONE, request: () => ({ query: '{ groups { code } }' }), reached: (d, t) => has(d.groups, `NSI-L1-${t.market}`) },
  { field: 'me', roles: EVERYONE, marketless: true, request: () => ({ query: '{ me { role markets permissions } }' }), reached: (d) => d.me.permissions.includes('readFindings') },
  { field: 'apiKeys', roles: ADMIN_ONLY, marketless: true, request: () => ({ query: '{ apiKeys { id } }' }), reached: (d) => d.apiKeys.length > 0 },
  {
    field: 'checkConflicts', roles: CHECK,
    request: (t) => ({
      query: `query($c: CreateContractInput!) { checkConflicts(input: { contract: $c }) { __typename } }`,
      variables: { c: { number: 'D-AUTHZ-CHECK', customer: t.customer, address: t.address, product: t.product, market: t.market, status: 'ACTIVE', validFrom: '2025-01-01' } },
    }),
    reached: result('QueryCheckConflictsSuccess'),
  },
  // ─── master-data writes: no-op updates of the target, refused deletes, creates that fail validation ───
  { field: 'updateContract', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { updateContract(key: $k, input: { status: ACTIVE }) { __typename } }', variables: { k: t.contract } }), reached: result('MutationUpdateContractSuccess') },
  { field: 'updateCustomer', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { updateCustomer(key: $k, input: {}) { __typename } }', variables: { k: t.customer } }), reached: notFound },
  { field: 'updateAddress', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { updateAddress(key: $k, input: {}) { __typename } }', variables: { k: t.address } }), reached: notFound },
  { field: 'updateEquipment', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { updateEquipment(key: $k, input: {}) { __typename } }', variables: { k: t.equipment } }), reached: notFound },
  // the target contract has a device: its delete is refused (Conflict) for the own market, NotFound for another
  { field: 'deleteContract', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { deleteContract(key: $k) { __typename } }', variables: { k: t.contract } }), reached: notFound },
  { field: 'deleteAddress', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { deleteAddress(key: $k) { __typename } }', variables: { k: t.address } }), reached: notFound },
  { field: 'deleteCustomer', roles: EDIT, request: (t) => ({ query: 'mutation($k: String!) { deleteCustomer(key: $k) { __typename } }', variables: { k: t.customer } }), reached: notFound },
  { field: 'deleteEquipment', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { deleteEquipment(key: "INV-NONE") { __typename } }' }), reached: result('NotFound') },
  { field: 'createContract', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { createContract(input: { number: "D-AUTHZ", customer: "C-NONE", address: "A-NONE", product: "P-NONE", market: "SPB", status: ACTIVE, validFrom: "2025-01-01" }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'createAddress', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { createAddress(input: { code: "", text: "" }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'createCustomer', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { createCustomer(input: { code: "", name: "" }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'createEquipment', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { createEquipment(input: { inventoryNo: "", product: "P-NONE", status: INSTALLED }) { __typename } }' }), reached: result('ValidationFailed') },
  // catalogue writes: only keys without a market limit
  { field: 'createMarket', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { createMarket(input: { code: "", name: "" }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'updateMarket', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { updateMarket(key: "NONE", input: {}) { __typename } }' }), reached: result('NotFound') },
  { field: 'deleteMarket', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { deleteMarket(key: "NONE") { __typename } }' }), reached: result('NotFound') },
  { field: 'createEquipmentType', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { createEquipmentType(input: { code: "", name: "" }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'updateEquipmentType', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { updateEquipmentType(key: "NONE", input: {}) { __typename } }' }), reached: result('NotFound') },
  { field: 'deleteEquipmentType', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { deleteEquipmentType(key: "NONE") { __typename } }' }), reached: result('NotFound') },
  { field: 'createProduct', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { createProduct(input: { sku: "", name: "", kind: SERVICE, status: ACTIVE }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'updateProduct', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { updateProduct(key: "NONE", input: {}) { __typename } }' }), reached: result('NotFound') },
  { field: 'deleteProduct', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { deleteProduct(key: "NONE") { __typename } }' }), reached: result('NotFound') },
  // ─── finding workflow: the answer for an own finding is a result other than NotFound (Conflict when the
  //     transition is not allowed from where an earlier role left it), for a foreign one NotFound ───
  { field: 'commentFinding', roles: CHECK, request: (t) => ({ query: 'mutation($f: String!) { commentFinding(fingerprint: $f, text: "проверено") { __typename } }', variables: { f: t.finding } }), reached: notFound },
  { field: 'acknowledgeFinding', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!) { acknowledgeFinding(fingerprint: $f) { __typename } }', variables: { f: t.finding } }), reached: notFound },
  { field: 'assignFinding', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!) { assignFinding(fingerprint: $f, group: "NSI-SPB", line: 2) { __typename } }', variables: { f: t.finding } }), reached: notFound },
  { field: 'startFinding', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!) { startFinding(fingerprint: $f) { __typename } }', variables: { f: t.finding } }), reached: notFound },
  { field: 'resolveFinding', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!) { resolveFinding(fingerprint: $f, comment: "исправлено") { __typename } }', variables: { f: t.finding } }), reached: notFound },
  { field: 'reopenFinding', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!) { reopenFinding(fingerprint: $f) { __typename } }', variables: { f: t.finding } }), reached: notFound },
  { field: 'waiveFinding', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!) { waiveFinding(fingerprint: $f, reason: "известно") { __typename } }', variables: { f: t.finding } }), reached: notFound },
  // ─── incidents: registered with the target contract (own: resolved and linked; foreign: kept as text), then read and linked by hand ───
  { field: 'registerIncident', roles: INTAKE, request: (t) => ({ query: 'mutation($r: String!, $c: String!) { registerIncident(input: { channel: PHONE, externalRef: $r, contract: $c }) { __typename ... on MutationRegisterIncidentSuccess { data { resolved { record { key } } } } } }', variables: { r: `AUTHZ-${t.market}`, c: t.contract } }), reached: (d, t) => has((d.registerIncident.data?.resolved ?? []).map((x: any) => x.record), t.contract) },
  { field: 'registerComplaint', roles: INTAKE, request: (t) => ({ query: 'mutation($c: String!) { registerComplaint(input: { channel: EMAIL, contract: $c }) { __typename ... on MutationRegisterComplaintSuccess { data { resolved { record { key } } } } } }', variables: { c: t.contract } }), reached: (d, t) => has((d.registerComplaint.data?.resolved ?? []).map((x: any) => x.record), t.contract) },
  { field: 'incident', roles: EVERYONE, request: (t) => ({ query: 'query($r: String!) { incident(externalRef: $r) { resolved { record { key } } } }', variables: { r: `AUTHZ-${t.market}` } }), reached: (d, t) => has((d.incident?.resolved ?? []).map((x: any) => x.record), t.contract) },
  { field: 'incidents', roles: EVERYONE, request: () => ({ query: '{ incidents(first: 500) { edges { node { resolved { record { key } } } } } }' }), reached: (d, t) => nodes(d.incidents).some((n: any) => has(n.resolved.map((x: any) => x.record), t.contract)) },
  { field: 'linkIncident', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!, $r: String!) { linkIncident(fingerprint: $f, incident: $r) { __typename } }', variables: { f: t.finding, r: `AUTHZ-${t.market}` } }), reached: notFound },
  { field: 'unlinkIncident', roles: EDIT, request: (t) => ({ query: 'mutation($f: String!, $r: String!) { unlinkIncident(fingerprint: $f, incident: $r) { __typename } }', variables: { f: t.finding, r: `AUTHZ-${t.market}` } }), reached: notFound },
  { field: 'runAudit', roles: EDIT, request: (t) => ({ query: 'mutation($m: String!) { runAudit(market: $m, rules: ["contract-invalid-period"], asOf: "2026-01-31") { __typename } }', variables: { m: t.market } }), reached: result('MutationRunAuditSuccess') },
  { field: 'setRuleOverride', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { setRuleOverride(ruleId: "no-such-rule", enabled: true) { __typename } }' }), reached: result('NotFound') },
  { field: 'resetRuleOverride', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { resetRuleOverride(ruleId: "no-such-rule") { __typename } }' }), reached: result('NotFound') },
  // group management: a group spans markets, so only keys without a market limit
  { field: 'createGroup', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { createGroup(input: { code: "", name: "", supportLine: 1 }) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'updateGroup', roles: EDIT, unscopedOnly: true, marketless: true, request: () => ({ query: 'mutation { updateGroup(code: "NONE", input: {}) { __typename } }' }), reached: result('NotFound') },
  // schedules and mail subscriptions: a key limited to a market manages those of its market; another market's is not there
  { field: 'schedules', roles: BROWSE, request: () => ({ query: '{ schedules { id } }' }), reached: (d, t) => d.schedules.some((x: { id: number }) => x.id === t.schedule) },
  { field: 'createSchedule', roles: EDIT, request: (t) => ({ query: 'mutation($n: String!, $m: String!) { createSchedule(input: { name: $n, cron: "0 2 * * *", marketCode: $m }) { __typename } }', variables: { n: `AUTHZ-${t.market}-${++made}`, m: t.market } }), reached: result('MutationCreateScheduleSuccess') },
  { field: 'updateSchedule', roles: EDIT, request: (t) => ({ query: 'mutation($id: Int!) { updateSchedule(id: $id, input: { enabled: false }) { __typename } }', variables: { id: t.schedule } }), reached: result('MutationUpdateScheduleSuccess') },
  // no job layer in this client: an own schedule answers Conflict («runs no jobs»), another market's NotFound
  { field: 'runSchedule', roles: EDIT, request: (t) => ({ query: 'mutation($id: Int!) { runSchedule(id: $id) { __typename } }', variables: { id: t.schedule } }), reached: notFound },
  { field: 'deleteSchedule', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { deleteSchedule(id: 999999) { __typename } }' }), reached: result('NotFound') },
  { field: 'mailSubscriptions', roles: EDIT, request: () => ({ query: '{ mailSubscriptions { id } }' }), reached: (d, t) => d.mailSubscriptions.some((x: { id: number }) => x.id === t.subscription) },
  { field: 'createMailSubscription', roles: EDIT, request: (t) => ({ query: 'mutation($m: String!) { createMailSubscription(input: { name: "authz", recipients: ["authz@example.ru"], marketCode: $m }) { __typename } }', variables: { m: t.market } }), reached: result('MutationCreateMailSubscriptionSuccess') },
  { field: 'updateMailSubscription', roles: EDIT, request: (t) => ({ query: 'mutation($id: Int!) { updateMailSubscription(id: $id, input: { active: true }) { __typename } }', variables: { id: t.subscription } }), reached: result('MutationUpdateMailSubscriptionSuccess') },
  // an impossible time zone: an own subscription is reached (ValidationFailed) and nothing is mailed; another market's is NotFound
  { field: 'sendAlbum', roles: EDIT, request: (t) => ({ query: 'mutation($id: Int!) { sendAlbum(subscriptionId: $id, period: MONTH, timezone: "Mars/Olympus") { __typename } }', variables: { id: t.subscription } }), reached: result('ValidationFailed') },
  { field: 'deleteMailSubscription', roles: EDIT, marketless: true, request: () => ({ query: 'mutation { deleteMailSubscription(id: 999999) { __typename } }' }), reached: result('NotFound') },
  { field: 'createApiKey', roles: ADMIN_ONLY, marketless: true, request: () => ({ query: 'mutation { createApiKey(role: AUDITOR, markets: ["NOPE"]) { __typename } }' }), reached: result('ValidationFailed') },
  { field: 'revokeApiKey', roles: ADMIN_ONLY, marketless: true, request: () => ({ query: 'mutation { revokeApiKey(id: 999999) { __typename } }' }), reached: result('NotFound') },
]

// root fields the matrix does not walk, and why (each has its own tests)
const ELSEWHERE: Record<string, string> = {
  auditProgress: 'a subscription over SSE: test/graphql/audit.test.ts covers who may follow which run',
  // a merge changes the data the rest of the matrix reads, and its refusals are errors for the own market too
  previewMerge: 'test/merge/graphql.test.ts: roles, and another market\'s member answered as a missing one',
  mergeRecords: 'test/merge/graphql.test.ts: roles, and another market\'s member answered as a missing one',
  unmergeRecords: 'test/merge/graphql.test.ts: roles, and another market\'s merge answered as a missing one',
  merge: 'test/merge/graphql.test.ts: roles, and another market\'s merge answered as a missing one',
  merges: 'test/merge/graphql.test.ts: roles, and another market\'s merges not listed',
}

describe('authorisation matrix: every root field is in it', () => {
  it('covers each query, mutation and subscription, and each declares its auth scopes', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? Object.values(t.getFields()) : []))
    const covered = new Set([...OPERATIONS.map((o) => o.field), ...Object.keys(ELSEWHERE)])
    expect(roots.map((f) => f.name).filter((n) => !covered.has(n))).toEqual([])
    expect([...covered].filter((n) => !roots.some((f) => f.name === n))).toEqual([])
    const unguarded = roots.filter((f) => !(f.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes).map((f) => f.name)
    expect(unguarded).toEqual([])
  })
})

describe.each(backends)('authorisation matrix on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  const own = {} as Target
  const foreign = {} as Target

  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('authz')
    await generateSeed({ scale: 150, seed: 11, out: join(dir, 'seed'), asOf: '2026-01-31' })
    await importDirectory(db, join(dir, 'seed'))
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    for (const [target, market] of [[own, 'SPB'], [foreign, 'MSK']] as const) {
      const one = async (sql: string) => {
        const { rows } = await db.sql.query<{ k: string }>(sql, [market])
        if (!rows[0]) throw new Error(`fixture: nothing for ${market}: ${sql}`)
        return rows[0].k
      }
      const onlyIn = (table: string, column: string) => `${table}.id IN (SELECT "${column}" FROM contract c JOIN market m ON m.id = c."marketId" GROUP BY 1 HAVING bool_and(m.code = $1))`
      target.market = market
      // a contract with a device on it (so deleting it is refused, not done), at an address and of a customer only in this market
      target.contract = await one(`SELECT c.number AS k FROM contract c JOIN market m ON m.id = c."marketId" JOIN address ON address.id = c."addressId" JOIN customer ON customer.id = c."customerId"
        WHERE m.code = $1 AND EXISTS (SELECT 1 FROM equipment e WHERE e."contractId" = c.id) AND ${onlyIn('address', 'addressId')} AND ${onlyIn('customer', 'customerId')} ORDER BY c.number LIMIT 1`)
      target.address = await one(`SELECT a.code AS k FROM address a JOIN contract c ON c."addressId" = a.id WHERE c.number = '${target.contract}' AND $1 <> ''`)
      target.customer = await one(`SELECT k.code AS k FROM customer k JOIN contract c ON c."customerId" = k.id WHERE c.number = '${target.contract}' AND $1 <> ''`)
      target.phone = await one(`SELECT k.phone AS k FROM customer k WHERE ${onlyIn('k', 'customerId')} AND k.kind = 'PERSON' AND k.phone IS NOT NULL AND k."phoneNorm" NOT IN (
        SELECT "phoneNorm" FROM customer x WHERE NOT (${onlyIn('x', 'customerId')}) AND "phoneNorm" IS NOT NULL) ORDER BY k.code LIMIT 1`)
      target.inn = await one(`SELECT k.inn AS k FROM customer k WHERE ${onlyIn('k', 'customerId')} AND k.kind = 'PERSON' AND k.inn IS NOT NULL AND k.inn NOT IN (
        SELECT inn FROM customer x WHERE NOT (${onlyIn('x', 'customerId')}) AND inn IS NOT NULL) ORDER BY k.code LIMIT 1`)
      const device = (await db.sql.query<{ k: string; serial: string; mac: string }>(
        `SELECT e."inventoryNo" AS k, e.serial, e.mac FROM equipment e JOIN contract c ON c.id = e."contractId" JOIN market m ON m.id = c."marketId"
          WHERE m.code = $1 AND e.serial IS NOT NULL AND e.mac IS NOT NULL AND e."macNorm" IS NOT NULL
            AND e."serialNorm" NOT IN (SELECT x."serialNorm" FROM equipment x JOIN contract y ON y.id = x."contractId" JOIN market z ON z.id = y."marketId" WHERE z.code <> $1 AND x."serialNorm" IS NOT NULL)
          ORDER BY e."inventoryNo" LIMIT 1`, [market])).rows[0]
      Object.assign(target, { equipment: device.k, serial: device.serial, mac: device.mac })
      target.product = await one(`SELECT p.sku AS k FROM product p JOIN contract c ON c."productId" = p.id WHERE c.number = '${target.contract}' AND $1 <> ''`)
      target.finding = await one(`SELECT fingerprint AS k FROM finding WHERE "marketCode" = $1 ORDER BY fingerprint LIMIT 1`)
      target.run = (await runAudit(db, { trigger: 'CLI', actor: 'test', market, ruleIds: ['contract-overlap'], asOf: '2026-01-31' })).run.id
      target.schedule = (await db.prisma.schedule.create({ data: { name: `AUTHZ ${market}`, cron: '0 2 * * *', marketCode: market, createdBy: 'test' } })).id
      target.subscription = (await db.prisma.subscription.create({ data: { name: `AUTHZ ${market}`, recipients: ['nsi@example.ru'], marketCode: market } })).id
    }
    await db.prisma.responsibleGroup.create({ data: { code: 'NSI-SPB', name: 'НСИ Санкт-Петербург', supportLine: 2 } }).catch(() => undefined)
    client = graphqlClient(db, { production: true })
  })
  afterAll(async () => {
    // audits started through the API finish before the database goes away
    for (let i = 0; i < 100; i++) {
      const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_run WHERE status = 'RUNNING'`)
      if (rows[0].n === 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await db?.close()
  })

  async function ask(op: Operation, key: string | null, t: Target): Promise<GraphQLResponse> {
    const { query, variables } = op.request(t)
    return client.request(query, variables, key)
  }

  const outcome = (op: Operation, r: GraphQLResponse, t: Target): string => {
    const code = r.errors?.[0]?.extensions?.code
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return code.toLowerCase()
    if (r.errors?.length) return `error: ${r.errors.map((e) => e.message).join('; ')}`
    return op.reached(r.data, t) ? 'reached' : 'not reached'
  }

  it('a request without a key gets nothing but an authentication error, for every operation', async () => {
    for (const op of OPERATIONS) {
      const r = await ask(op, null, own)
      expect([op.field, r.status, r.data ?? null, r.errors?.map((e) => e.extensions?.code)]).toEqual([op.field, 401, null, ['UNAUTHENTICATED']])
    }
  })

  it.each(ROLES)('%s limited to SPB: allowed operations reach SPB records and never MSK ones; the rest are forbidden', async (role) => {
    const key = await client.key(role, ['SPB'])
    const seen: string[] = [], expected: string[] = []
    for (const op of OPERATIONS) {
      for (const [side, t] of [['own', own], ['foreign', foreign]] as const) {
        if (op.marketless && side === 'foreign') continue
        const r = await ask(op, key, t)
        seen.push(`${op.field} ${side}: ${outcome(op, r, t)}`)
        const allowed = op.roles.includes(role) && !op.unscopedOnly
        const reaches = (side === 'own' || op.marketless) && (op.reachedBy ?? op.roles).includes(role)
        expected.push(`${op.field} ${side}: ${!allowed ? 'forbidden' : reaches ? 'reached' : 'not reached'}`)
        if (!allowed && (r.data?.[op.field] ?? null) !== null) seen.push(`${op.field} ${side}: data despite being refused`)
      }
    }
    expect(seen).toEqual(expected)
  })

  it.each(ROLES)('%s without a market limit: catalogue writes and every other allowed operation reach their target', async (role) => {
    const key = await client.key(role)
    const seen: string[] = [], expected: string[] = []
    for (const op of OPERATIONS.filter((o) => o.marketless || o.unscopedOnly)) {
      const r = await ask(op, key, own)
      seen.push(`${op.field}: ${outcome(op, r, own)}`)
      expected.push(`${op.field}: ${!op.roles.includes(role) ? 'forbidden' : (op.reachedBy ?? op.roles).includes(role) ? 'reached' : 'not reached'}`)
    }
    expect(seen).toEqual(expected)
  })
})
