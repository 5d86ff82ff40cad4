// Findings through GraphQL on a seeded, audited dataset: the list (filters, sorting, paging), a finding's
// fields, conflicts around an address, contract, device and customer (checked against finding_entity
// directly), market scope, and the workflow mutations with their events and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { runAudit } from '../../src/audits/run.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

const FINDING_FIELDS = `id fingerprint ruleId ruleTitle severity status open message marketCode equipmentTypeCode details
  firstSeenAt lastSeenAt resolvedAt acknowledgedAt ackDueAt dueAt escalationLevel supportLine assignee age ageText
  group { code name supportLine }
  entities { type key node { __typename ... on Contract { number } ... on Address { code } ... on Equipment { inventoryNo } ... on Customer { code } } }
  events { action actor fromStatus toStatus reason comment data }
  waivers { reason actor expiresAt revokedAt active }
  incidents { kind channel externalRef status } incidentCount complaintCount`

const CONFLICTS = `query($for: EntityRefInput!) { conflicts(for: $for) {
  subject { type key } neighbours { type key node { __typename } } count highestSeverity
  findings { fingerprint severity message status marketCode age ageText incidentCount complaintCount incidents { kind } }
} }`

describe.each(backends)('findings over GraphQL on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let admin: string
  let nsi: string

  /** data of a request that must succeed */
  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, key = admin): Promise<T> {
    const r = await client.request<T>(query, variables, key)
    if (r.errors) throw new Error(JSON.stringify(r.errors))
    return r.data!
  }
  async function actorOf(key: string) {
    const { rows: [k] } = await db.sql.query<{ id: number; name: string }>(
      `SELECT id, name FROM api_key WHERE hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [key])
    return k ? `key:${k.id}:${k.name}` : null
  }
  const sqlList = async (where: string, params: unknown[] = [], order = 'severity, "firstSeenAt", id') =>
    (await db.sql.query<{ fingerprint: string }>(`SELECT fingerprint FROM finding WHERE ${where} ORDER BY ${order}`, params)).rows.map((r) => r.fingerprint)

  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('sverka-gql-findings-')
    await generateSeed({ scale: 300, seed: 11, out: dir, asOf: '2026-01-31' })
    await importDirectory(db, dir)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    await db.prisma.responsibleGroup.createMany({ data: [
      { code: 'NET-L1', name: 'Сеть, первая линия', supportLine: 1 },
      { code: 'NET-L3', name: 'Сеть, третья линия', supportLine: 3 },
    ] })
    client = graphqlClient(db, { production: false })
    admin = await client.key('ADMIN')
    nsi = await client.key('NSI_SPECIALIST')
  }, 300_000)
  afterAll(async () => { await db?.close() })

  it('lists findings most severe first, then oldest, and pages through all of them', async () => {
    const all = await sqlList('true')
    expect(all.length).toBeGreaterThan(50)
    const page = await gql(`{ findings(first: 50) { totalCount edges { node { fingerprint severity } } pageInfo { hasNextPage endCursor } } }`)
    expect(page.findings.totalCount).toBe(all.length)
    expect(page.findings.edges.map((e: any) => e.node.fingerprint)).toEqual(all.slice(0, 50))
    const seen: string[] = []
    let after: string | null = null
    for (;;) {
      const r: any = await gql(`query($after: String) { findings(first: 40, after: $after) { edges { node { fingerprint } } pageInfo { hasNextPage endCursor } } }`, { after })
      seen.push(...r.findings.edges.map((e: any) => e.node.fingerprint))
      if (!r.findings.pageInfo.hasNextPage) break
      after = r.findings.pageInfo.endCursor
    }
    expect(seen).toEqual(all)

    const lastSeen = await gql(`{ findings(first: 500, orderBy: LAST_SEEN_DESC) { edges { node { fingerprint } } } }`)
    expect(lastSeen.findings.edges.map((e: any) => e.node.fingerprint)).toEqual(await sqlList('true', [], '"lastSeenAt" DESC, id DESC'))
    const firstSeen = await gql(`{ findings(first: 500, orderBy: FIRST_SEEN_DESC) { edges { node { fingerprint } } } }`)
    expect(firstSeen.findings.edges.map((e: any) => e.node.fingerprint)).toEqual(await sqlList('true', [], '"firstSeenAt" DESC, id DESC'))
    const tooBig = await client.request(`{ findings(first: 5000) { totalCount } }`, {}, admin)
    // refused, not clamped
    expect(tooBig.errors).toHaveLength(1)
    expect(tooBig.errors![0].message).toMatch(/^first: не больше 500$/)
    expect(tooBig.data?.findings ?? null).toBeNull()
  })

  it('filters by rule, severity, status, open, market, equipment type and entity', async () => {
    const list = async (filter: Record<string, unknown>) => {
      const r = await gql(`query($f: FindingFilter) { findings(first: 500, filter: $f) { totalCount edges { node { fingerprint } } } }`, { f: filter })
      expect(r.findings.totalCount).toBe(r.findings.edges.length)
      return r.findings.edges.map((e: any) => e.node.fingerprint)
    }
    expect(await list({ ruleIds: ['contract-overlap', 'equipment-duplicate-mac'] }))
      .toEqual(await sqlList(`"ruleId" IN ('contract-overlap', 'equipment-duplicate-mac')`))
    expect(await list({ severities: ['CRITICAL', 'LOW'] })).toEqual(await sqlList(`severity IN ('CRITICAL', 'LOW')`))
    expect(await list({ statuses: ['NEW'] })).toEqual(await sqlList(`status = 'NEW'`))
    expect(await list({ open: true })).toEqual(await sqlList(`status IN (${OPEN})`))
    expect(await list({ market: 'MSK' })).toEqual(await sqlList(`"marketCode" = 'MSK'`))
    const { rows: [eq] } = await db.sql.query<{ code: string }>(`SELECT "equipmentTypeCode" AS code FROM finding WHERE "equipmentTypeCode" IS NOT NULL LIMIT 1`)
    expect(await list({ equipmentType: eq.code })).toEqual(await sqlList(`"equipmentTypeCode" = $1`, [eq.code]))
    const { rows: [subject] } = await db.sql.query<{ entityType: string; entityKey: string }>(
      `SELECT "entityType", "entityKey" FROM finding_entity GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`)
    const onEntity = await list({ entity: { type: subject.entityType, key: subject.entityKey } })
    expect(onEntity).toEqual(await sqlList(`id IN (SELECT "findingId" FROM finding_entity WHERE "entityType" = $1 AND "entityKey" = $2)`, [subject.entityType, subject.entityKey]))
    expect(onEntity.length).toBeGreaterThan(0)
    expect(await list({ ruleIds: ['contract-overlap'], severities: ['LOW'] })).toEqual([])
    // age: first seen from / before a moment (the console's «< 1 дня», «1–7 дней», …)
    const { rows: [seen] } = await db.sql.query<{ at: Date; n: number }>(
      `SELECT "firstSeenAt" AS at, (SELECT count(*)::int FROM finding) AS n FROM finding ORDER BY "firstSeenAt" DESC LIMIT 1`)
    const latest = seen.at.toISOString()
    const fromLatest = await list({ firstSeenFrom: latest })
    expect(fromLatest).toEqual(await sqlList(`"firstSeenAt" >= $1`, [seen.at]))
    expect(fromLatest.length).toBeGreaterThan(0)
    const beforeLatest = await list({ firstSeenBefore: latest })
    expect(beforeLatest).toEqual(await sqlList(`"firstSeenAt" < $1`, [seen.at]))
    expect(fromLatest.length + beforeLatest.length).toBe(seen.n)
    expect(await list({ firstSeenFrom: new Date(Date.now() + 86_400_000).toISOString() })).toEqual([])
    expect(await list({ firstSeenFrom: latest, firstSeenBefore: latest })).toEqual([])
    const wrong = await client.request(`{ findings(filter: { severities: [urgent] }) { totalCount } }`, {}, admin)
    expect(wrong.errors![0].message).toMatch(/urgent/)
  })

  it('shows a finding with its rule, entities (as records), history and incidents', async () => {
    const { rows: [row] } = await db.sql.query<{ id: string; fingerprint: string }>(
      `SELECT id, fingerprint FROM finding WHERE "ruleId" = 'contract-overlap' ORDER BY fingerprint LIMIT 1`)
    const [incident, complaint] = await Promise.all(['INCIDENT', 'COMPLAINT'].map((kind, i) => db.prisma.incident.create({
      data: { kind: kind as 'INCIDENT', channel: i ? 'EMAIL' : 'PHONE', externalRef: `REMEDY-${i}`, createdBy: 'test', createdAt: new Date(Date.UTC(2026, 1, 1 + i)) },
    })))
    await db.prisma.findingIncident.createMany({ data: [incident, complaint].map((x) => ({ findingId: row.id, incidentId: x.id, origin: 'MANUAL', actor: 'test' })) })

    const { finding } = await gql(`query($fp: String!) { finding(fingerprint: $fp) { ${FINDING_FIELDS} } }`, { fp: row.fingerprint })
    expect(finding).toMatchObject({
      id: row.id, fingerprint: row.fingerprint, ruleId: 'contract-overlap', status: 'NEW', open: true, escalationLevel: 0,
      // routed when the audit created it (rules/routing.yaml)
      group: { code: expect.any(String), supportLine: expect.any(Number) },
      incidentCount: 1, complaintCount: 1,
      incidents: [{ kind: 'INCIDENT', channel: 'PHONE', externalRef: 'REMEDY-0', status: 'OPEN' }, { kind: 'COMPLAINT', channel: 'EMAIL', externalRef: 'REMEDY-1', status: 'OPEN' }],
      events: [{ action: 'detected', actor: 'test', fromStatus: null, toStatus: 'NEW', reason: 'first detected', comment: null }],
      waivers: [],
    })
    expect(finding.ruleTitle).toMatch(/[а-я]/i)
    expect(finding.entities).toHaveLength(2)
    for (const e of finding.entities) expect(e).toEqual({ type: 'contract', key: e.key, node: { __typename: 'Contract', number: e.key } })
    expect(finding.age).toBeGreaterThanOrEqual(0)
    expect(finding.ageText).toMatch(/^\d+ (с|мин|ч|дн\.)/)
    expect(new Date(finding.firstSeenAt).getTime()).toBeLessThanOrEqual(Date.now())
    // the id works as well; an unknown one is null
    expect((await gql(`query($fp: String!) { finding(fingerprint: $fp) { fingerprint ruleTitle(lang: "en") } }`, { fp: row.id })).finding.fingerprint).toBe(row.fingerprint)
    expect((await gql(`{ finding(fingerprint: "nope") { id } }`)).finding).toBeNull()
    // the list brings the incidents of a whole page along
    const listed = await gql(`{ findings(first: 500, filter: { ruleIds: ["contract-overlap"] }) { edges { node { fingerprint incidentCount complaintCount } } } }`)
    const counts = listed.findings.edges.map((e: any) => e.node).filter((n: any) => n.incidentCount + n.complaintCount > 0)
    expect(counts).toEqual([{ fingerprint: row.fingerprint, incidentCount: 1, complaintCount: 1 }])
  })

  /** The record's neighbourhood read independently of the engine (through Prisma), unscoped. */
  async function neighbourhoodOf(ref: EntityRef): Promise<EntityRef[]> {
    const p = db.prisma
    const refs: EntityRef[] = []
    const add = (type: EntityRef['type'], key: string | undefined | null) => { if (key) refs.push({ type, key }) }
    if (ref.type === 'address') {
      const a = await p.address.findUniqueOrThrow({ where: { code: ref.key }, include: { equipment: true, contracts: { include: { customer: true, equipment: true } } } })
      for (const c of a.contracts) { add('contract', c.number); add('customer', c.customer.code); c.equipment.forEach((e) => add('equipment', e.inventoryNo)) }
      a.equipment.forEach((e) => add('equipment', e.inventoryNo))
    } else if (ref.type === 'contract') {
      const c = await p.contract.findUniqueOrThrow({ where: { number: ref.key }, include: { address: true, customer: true, equipment: true } })
      add('address', c.address.code); add('customer', c.customer.code); c.equipment.forEach((e) => add('equipment', e.inventoryNo))
    } else if (ref.type === 'equipment') {
      const e = await p.equipment.findUniqueOrThrow({ where: { inventoryNo: ref.key }, include: { address: true, contract: true } })
      add('address', e.address?.code); add('contract', e.contract?.number)
    } else if (ref.type === 'customer') {
      const cu = await p.customer.findUniqueOrThrow({ where: { code: ref.key }, include: { contracts: { include: { address: true, equipment: true } } } })
      for (const c of cu.contracts) { add('contract', c.number); add('address', c.address.code); c.equipment.forEach((e) => add('equipment', e.inventoryNo)) }
    }
    return [...new Map(refs.map((r) => [`${r.type}:${r.key}`, r])).values()]
  }

  async function expectedConflicts(refs: EntityRef[], markets: string[] | null) {
    return sqlList(`status IN (${OPEN}) AND id IN (SELECT "findingId" FROM finding_entity fe JOIN unnest($1::text[], $2::text[]) r(t, k)
      ON fe."entityType" = r.t AND fe."entityKey" = r.k)${markets ? ` AND "marketCode" = ANY($3::text[])` : ''}`,
    [refs.map((r) => r.type), refs.map((r) => r.key), ...(markets ? [markets] : [])], 'severity, "firstSeenAt", fingerprint')
  }

  it('answers the conflicts around an address, a contract, a device and a customer with planted collisions', async () => {
    const pick = async (sql: string) => (await db.sql.query<{ key: string }>(sql)).rows[0].key
    const subjects: EntityRef[] = [
      // the address of an overlapping contract, the contract itself, a device of a duplicated serial, a duplicated customer
      { type: 'address', key: await pick(`SELECT a.code AS key FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id JOIN contract c ON c.number = fe."entityKey"
          JOIN address a ON a.id = c."addressId" WHERE f."ruleId" = 'contract-overlap' ORDER BY 1 LIMIT 1`) },
      { type: 'contract', key: await pick(`SELECT fe."entityKey" AS key FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id WHERE f."ruleId" = 'contract-overlap' ORDER BY 1 LIMIT 1`) },
      { type: 'equipment', key: await pick(`SELECT fe."entityKey" AS key FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id WHERE f."ruleId" = 'equipment-duplicate-serial' ORDER BY 1 LIMIT 1`) },
      { type: 'customer', key: await pick(`SELECT fe."entityKey" AS key FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id WHERE f."ruleId" = 'customer-duplicate' ORDER BY 1 LIMIT 1`) },
    ]
    for (const subject of subjects) {
      const { conflicts } = await gql(CONFLICTS, { for: subject })
      const neighbours = await neighbourhoodOf(subject)
      expect(conflicts.subject, subject.type).toEqual(subject)
      expect(conflicts.neighbours.map((n: any) => `${n.type}:${n.key}`).sort()).toEqual(neighbours.map((n) => `${n.type}:${n.key}`).sort())
      const expected = await expectedConflicts([subject, ...neighbours], null)
      expect(expected.length, subject.type).toBeGreaterThan(0)
      expect(conflicts.findings.map((f: any) => f.fingerprint)).toEqual(expected)
      expect(conflicts.count).toBe(expected.length)
      expect(conflicts.highestSeverity).toBe(conflicts.findings[0].severity)
      for (const f of conflicts.findings) {
        expect(f.message).toBeTruthy()
        expect(f.age).toBeGreaterThanOrEqual(0)
        expect(f.incidentCount + f.complaintCount).toBe(f.incidents.length)
      }
    }
    // the contract of a planted overlap conflicts with its twin: both are there
    const { conflicts } = await gql(CONFLICTS, { for: subjects[1] })
    expect(conflicts.findings.some((f: any) => f.message && f.severity)).toBe(true)
    expect((await gql(CONFLICTS, { for: { type: 'address', key: 'NO-SUCH-ADDRESS' } })).conflicts).toBeNull()
  })

  it('keeps a key limited to SPB within SPB: findings, finding, conflicts', async () => {
    const spb = await client.key('SUPPORT_AGENT', ['SPB'])
    const spbList = await gql(`{ findings(first: 500) { totalCount edges { node { fingerprint marketCode entities { node { __typename } } } } } }`, {}, spb)
    const expected = await sqlList(`"marketCode" = 'SPB'`)
    expect(expected.length).toBeGreaterThan(0)
    expect(spbList.findings.totalCount).toBe(expected.length)
    expect(spbList.findings.edges.map((e: any) => e.node.fingerprint)).toEqual(expected)
    expect((await gql(`{ findings(first: 5, filter: { market: "MSK" }) { totalCount } }`, {}, spb)).findings.totalCount).toBe(0)

    const [msk] = await sqlList(`"marketCode" = 'MSK'`)
    expect((await gql(`query($fp: String!) { finding(fingerprint: $fp) { id } }`, { fp: msk }, spb)).finding).toBeNull()
    expect((await gql(`query($fp: String!) { finding(fingerprint: $fp) { id } }`, { fp: msk }, admin)).finding).not.toBeNull()

    // an address only Moscow contracts are at, with findings around it: null for SPB, as if absent
    const { rows: [mskAddress] } = await db.sql.query<{ code: string }>(`
      SELECT a.code FROM address a WHERE EXISTS (SELECT 1 FROM contract c JOIN market m ON m.id = c."marketId" WHERE c."addressId" = a.id AND m.code = 'MSK')
        AND NOT EXISTS (SELECT 1 FROM contract c JOIN market m ON m.id = c."marketId" WHERE c."addressId" = a.id AND m.code <> 'MSK')
        AND EXISTS (SELECT 1 FROM contract c JOIN finding_entity fe ON fe."entityType" = 'contract' AND fe."entityKey" = c.number WHERE c."addressId" = a.id)
      ORDER BY a.code LIMIT 1`)
    expect((await gql(CONFLICTS, { for: { type: 'address', key: mskAddress.code } }, spb)).conflicts).toBeNull()
    expect((await gql(CONFLICTS, { for: { type: 'address', key: mskAddress.code } }, admin)).conflicts.count).toBeGreaterThan(0)

    // an SPB contract with findings: only SPB findings, and every neighbour is a record the key can open
    const { rows: [spbContract] } = await db.sql.query<{ number: string }>(`
      SELECT c.number FROM contract c JOIN market m ON m.id = c."marketId" JOIN finding_entity fe ON fe."entityType" = 'contract' AND fe."entityKey" = c.number
      WHERE m.code = 'SPB' ORDER BY 1 LIMIT 1`)
    const subject: EntityRef = { type: 'contract', key: spbContract.number }
    const { conflicts } = await gql(CONFLICTS, { for: subject }, spb)
    expect(conflicts.findings.map((f: any) => f.fingerprint)).toEqual(await expectedConflicts([subject, ...await neighbourhoodOf(subject)], ['SPB']))
    for (const f of conflicts.findings) expect(f.marketCode).toBe('SPB')
    for (const n of conflicts.neighbours) expect(n.node, `${n.type} ${n.key}`).not.toBeNull()
  })

  describe('workflow', () => {
    const ACT = (mutation: string, args: string) => `mutation($fp: String!${VARS[mutation] ?? ''}) {
      r: ${mutation}(fingerprint: $fp${args}) {
        __typename
        ... on Error { message code }
        ... on ValidationFailed { problems { field code message } }
        ... on ${`Mutation${mutation[0].toUpperCase()}${mutation.slice(1)}Success`} { data { fingerprint status acknowledgedAt resolvedAt supportLine assignee group { code }
          events { action actor fromStatus toStatus reason comment data } waivers { reason active expiresAt revokedAt } } }
      } }`
    const ARGS: Record<string, string> = {
      acknowledgeFinding: '', startFinding: '', reopenFinding: '', resolveFinding: ', comment: $text', waiveFinding: ', reason: $text, until: $until',
      commentFinding: ', text: $text', assignFinding: ', group: $group, line: $line',
    }
    const VARS: Record<string, string> = {
      resolveFinding: ', $text: String!', waiveFinding: ', $text: String!, $until: DateTime', commentFinding: ', $text: String!',
      assignFinding: ', $group: String!, $line: Int',
    }
    async function act(mutation: string, fp: string, vars: Record<string, unknown> = {}, key?: string) {
      const variables: Record<string, unknown> = { fp, ...(mutation === 'assignFinding' ? { group: 'NET-L1' } : {}), ...vars }
      const r = await client.request(ACT(mutation, ARGS[mutation]), variables, key ?? nsi)
      if (r.errors) return { errors: r.errors }
      return r.data.r
    }
    let fps: string[]
    beforeAll(async () => {
      fps = await sqlList(`"marketCode" = 'MSK' AND status = 'NEW'`, [], 'fingerprint')
      expect(fps.length).toBeGreaterThan(8)
    })

    it('acknowledge → start → resolve → reopen, each an event with the key as actor; a wrong step is a Conflict', async () => {
      const actor = await actorOf(nsi)
      const fp = fps[0]
      const ack = await act('acknowledgeFinding', fp)
      expect(ack.__typename).toBe('MutationAcknowledgeFindingSuccess')
      expect(ack.data.status).toBe('ACKNOWLEDGED')
      expect(ack.data.acknowledgedAt).not.toBeNull()
      expect(ack.data.events.at(-1)).toMatchObject({ action: 'acknowledged', actor, fromStatus: 'NEW', toStatus: 'ACKNOWLEDGED' })

      const again = await act('acknowledgeFinding', fp)
      expect(again).toMatchObject({ __typename: 'Conflict', code: 'CONFLICT' })
      expect(again.message).toMatch(/^нельзя принять находку \w+: её статус «принято»/)

      const start = await act('startFinding', fp)
      expect(start.data.status).toBe('IN_PROGRESS')
      expect(start.data.events.at(-1)).toMatchObject({ action: 'started', actor, fromStatus: 'ACKNOWLEDGED', toStatus: 'IN_PROGRESS' })

      const blank = await act('resolveFinding', fp, { text: '   ' })
      expect(blank.__typename).toBe('ValidationFailed')
      const resolve = await act('resolveFinding', fp, { text: 'исправили адрес в договоре' })
      expect(resolve.data.status).toBe('RESOLVED')
      expect(resolve.data.resolvedAt).not.toBeNull()
      expect(resolve.data.events.at(-1)).toMatchObject({ action: 'resolved', actor, fromStatus: 'IN_PROGRESS', toStatus: 'RESOLVED', reason: 'исправили адрес в договоре' })
      expect((await act('resolveFinding', fp, { text: 'ещё раз' })).__typename).toBe('Conflict')
      expect((await act('startFinding', fp)).__typename).toBe('Conflict')

      const reopen = await act('reopenFinding', fp)
      expect(reopen.data).toMatchObject({ status: 'REOPENED', resolvedAt: null, acknowledgedAt: null })
      expect(reopen.data.events.at(-1)).toMatchObject({ action: 'reopened', actor, fromStatus: 'RESOLVED', toStatus: 'REOPENED' })
      expect((await act('reopenFinding', fp)).__typename).toBe('Conflict')
      // resolved findings leave the list of open ones
      expect((await gql(`query($fp: String!) { finding(fingerprint: $fp) { open } }`, { fp })).finding.open).toBe(true)
    })

    it('waives with a reason and an expiry, and reopening revokes the waiver', async () => {
      const actor = await actorOf(nsi)
      const fp = fps[1]
      const until = new Date(Date.now() + 7 * 86_400_000).toISOString()
      const past = await act('waiveFinding', fp, { text: 'плановая миграция', until: '2020-01-01T00:00:00Z' })
      expect(past.__typename).toBe('ValidationFailed')
      expect(past.problems[0].message).toMatch(/в будущем/)
      const waive = await act('waiveFinding', fp, { text: 'плановая миграция', until })
      expect(waive.data.status).toBe('WAIVED')
      expect(waive.data.waivers).toEqual([{ reason: 'плановая миграция', active: true, expiresAt: until, revokedAt: null }])
      expect(waive.data.events.at(-1)).toMatchObject({ action: 'waived', actor, toStatus: 'WAIVED', reason: 'плановая миграция', data: { until } })
      expect((await gql(`query($fp: String!) { finding(fingerprint: $fp) { open } }`, { fp })).finding.open).toBe(false)
      expect((await act('acknowledgeFinding', fp)).__typename).toBe('Conflict')

      const reopen = await act('reopenFinding', fp)
      expect(reopen.data.status).toBe('REOPENED')
      expect(reopen.data.waivers[0]).toMatchObject({ active: false })
      expect(reopen.data.waivers[0].revokedAt).not.toBeNull()
      expect(reopen.data.events.at(-1)).toMatchObject({ action: 'reopened', fromStatus: 'WAIVED', data: { revokedWaivers: 1 } })
    })

    it('assigns to a responsible group and line; an unknown group is refused; the list filters by group', async () => {
      const actor = await actorOf(nsi)
      const fp = fps[2]
      const assign = await act('assignFinding', fp, { group: 'NET-L3', line: 2 })
      expect(assign.data).toMatchObject({ status: 'NEW', group: { code: 'NET-L3' }, supportLine: 2 })
      expect(assign.data.events.at(-1)).toMatchObject({
        action: 'assigned', actor, fromStatus: 'NEW', toStatus: 'NEW', data: { group: 'NET-L3', line: 2, previous: { group: expect.any(String), line: expect.any(Number) } },
      })
      // the group's own line when none is given
      const byDefault = await act('assignFinding', fps[3], { group: 'NET-L3' })
      expect(byDefault.data.supportLine).toBe(3)
      const reassigned = await act('assignFinding', fp, { group: 'NET-L1' })
      expect(reassigned.data.events.at(-1).data).toMatchObject({ group: 'NET-L1', line: 1, previous: { group: 'NET-L3', line: 2 } })

      const unknown = await act('assignFinding', fp, { group: 'NO-SUCH-GROUP' })
      expect(unknown.__typename).toBe('ValidationFailed')
      expect(unknown.problems).toEqual([{ field: 'group', code: 'INVALID', message: expect.stringMatching(/NO-SUCH-GROUP.*NET-L1, NET-L3/) }])
      const badLine = await act('assignFinding', fp, { line: 4 })
      expect(badLine).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'line', code: 'INVALID' }] })
      const tooLong = await act('commentFinding', fp, { text: 'x'.repeat(5000) })
      expect(tooLong).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'text', code: 'TOO_LONG' }] })

      const inGroup = await gql(`{ findings(filter: { group: "NET-L3" }) { edges { node { fingerprint group { code name supportLine } } } } }`)
      expect(inGroup.findings.edges.map((e: any) => e.node)).toEqual([{ fingerprint: fps[3], group: { code: 'NET-L3', name: 'Сеть, третья линия', supportLine: 3 } }])
    })

    it('lets a support agent comment but not resolve, and an auditor do neither', async () => {
      const agent = await client.key('SUPPORT_AGENT')
      const fp = fps[4]
      const comment = await act('commentFinding', fp, { text: 'клиент звонил повторно' }, agent)
      expect(comment.__typename).toBe('MutationCommentFindingSuccess')
      expect(comment.data.status).toBe('NEW')
      expect(comment.data.events.at(-1)).toMatchObject({ action: 'commented', actor: await actorOf(agent), comment: 'клиент звонил повторно', fromStatus: 'NEW', toStatus: 'NEW' })
      expect((await act('commentFinding', fp, { text: '' }, agent)).__typename).toBe('ValidationFailed')

      const denied = await act('resolveFinding', fp, { text: 'сам решил' }, agent)
      expect(denied.errors[0].extensions.code).toBe('FORBIDDEN')
      const auditor = await client.key('AUDITOR')
      for (const [m, vars] of [['acknowledgeFinding', {}], ['commentFinding', { text: 'x' }], ['assignFinding', {}], ['waiveFinding', { text: 'x' }]] as const) {
        expect((await act(m, fp, vars, auditor)).errors[0].extensions.code, m).toBe('FORBIDDEN')
      }
      // nothing happened to it
      const events = (await gql(`query($fp: String!) { finding(fingerprint: $fp) { status events { action } } }`, { fp })).finding
      expect(events).toEqual({ status: 'NEW', events: [{ action: 'detected' }, { action: 'commented' }] })
    })

    it('answers NotFound for an unknown finding and for one outside the key\'s markets', async () => {
      expect(await act('acknowledgeFinding', 'no-such-fingerprint')).toMatchObject({ __typename: 'NotFound', code: 'NOT_FOUND' })
      expect(await act('acknowledgeFinding', '00000000-0000-4000-8000-000000000000')).toMatchObject({ __typename: 'NotFound' })
      const spbNsi = await client.key('NSI_SPECIALIST', ['SPB'])
      const fp = fps[5]
      for (const [m, vars] of [['acknowledgeFinding', {}], ['commentFinding', { text: 'x' }], ['resolveFinding', { text: 'x' }], ['assignFinding', {}]] as const) {
        expect((await act(m, fp, vars, spbNsi)).__typename, m).toBe('NotFound')
      }
      expect((await gql(`query($fp: String!) { finding(fingerprint: $fp) { status events { action } } }`, { fp })).finding.events).toEqual([{ action: 'detected' }])
      // its own market's finding it can work
      const [spbFp] = await sqlList(`"marketCode" = 'SPB' AND status = 'NEW'`, [], 'fingerprint')
      expect((await act('acknowledgeFinding', spbFp, {}, spbNsi)).data.status).toBe('ACKNOWLEDGED')
    })
  })
})
