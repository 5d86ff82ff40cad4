// Audits and rules through GraphQL: runAudit answers at once with a RUNNING run that then succeeds, the
// auditProgress subscription streams it over SSE (read through yoga.fetch's response body), a failed run
// ends FAILED with its reason, market-scoped keys start and see only their markets' runs; the rule
// catalogue with stored overrides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const RUN = `mutation($rules: [String!], $market: String, $asOf: Date) { runAudit(rules: $rules, market: $market, asOf: $asOf) {
  __typename
  ... on MutationRunAuditSuccess { data { id status trigger actor market asOf rules counts { new } finishedAt } }
  ... on ValidationFailed { problems { field message } }
  ... on Error { message }
} }`
const RUN_BY_ID = `query($id: ID!) { auditRun(id: $id) { id status error market rules counts { new open resolved reopened } finishedAt timings } }`
const PROGRESS = `subscription($id: ID!) { auditProgress(runId: $id) { runId ruleId done total status error counts { new open resolved reopened } } }`

interface SseMessage { event: string; data: any }

describe.each(backends)('audits and rules over GraphQL on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  let nsi: string
  let ruleCount: number

  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, key = nsi): Promise<T> {
    const r = await client.request<T>(query, variables, key)
    if (r.errors) throw new Error(JSON.stringify(r.errors))
    return r.data!
  }
  async function actorOf(key: string) {
    const { rows: [k] } = await db.sql.query<{ id: number; name: string }>(
      `SELECT id, name FROM api_key WHERE hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [key])
    return `key:${k.id}:${k.name}`
  }
  /** Subscribes over SSE and reads the stream to its end: every message with its event name. */
  async function subscribe(runId: string, key = nsi): Promise<SseMessage[]> {
    const response = await client.yoga.fetch('http://sverka.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: PROGRESS, variables: { id: runId } }),
    })
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/)
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    const messages: SseMessage[] = []
    let buffer = ''
    const deadline = Date.now() + 120_000
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.*)$/m.exec(chunk)?.[1]
        const data = chunk.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n')
        if (event) messages.push({ event, data: data ? JSON.parse(data) : null })
      }
      if (Date.now() > deadline) throw new Error('the subscription did not end')
    }
    return messages
  }
  async function waitForEnd(runId: string, key = nsi) {
    for (let i = 0; i < 600; i++) {
      const { auditRun } = await gql(RUN_BY_ID, { id: runId }, key)
      if (auditRun.status !== 'RUNNING') return auditRun
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`run ${runId} did not end`)
  }

  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('sverka-gql-audit-')
    await generateSeed({ scale: 100, seed: 5, out: dir, asOf: '2026-01-31' })
    await importDirectory(db, dir)
    const first = await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    ruleCount = first.run.rules.length
    client = graphqlClient(db, { production: false })
    nsi = await client.key('NSI_SPECIALIST')
  }, 300_000)
  afterAll(async () => { await db?.close() })

  it('starts an audit and answers at once with the RUNNING run; the subscription streams its progress and the outcome', async () => {
    const started = await gql(RUN, { asOf: '2026-01-31' })
    expect(started.runAudit.__typename).toBe('MutationRunAuditSuccess')
    const run = started.runAudit.data
    expect(run).toMatchObject({ status: 'RUNNING', trigger: 'API', actor: await actorOf(nsi), market: null, asOf: '2026-01-31', counts: null, finishedAt: null })

    const messages = await subscribe(run.id)
    expect(messages.at(-1)!.event).toBe('complete')
    const events = messages.filter((m) => m.event === 'next').map((m) => m.data.data.auditProgress)
    expect(events.length).toBeGreaterThan(0)
    const last = events.at(-1)!
    expect(last).toMatchObject({ runId: run.id, ruleId: null, status: 'SUCCEEDED', error: null, done: ruleCount, total: ruleCount })
    expect(last.counts).toMatchObject({ new: 0, resolved: 0, reopened: 0 })
    expect(last.counts.open).toBeGreaterThan(0)
    // the audit takes far longer than subscribing does: at least its latest step arrives before the outcome
    const progress = events.slice(0, -1)
    expect(progress.length).toBeGreaterThan(0)
    for (const [i, e] of progress.entries()) {
      expect(e).toMatchObject({ runId: run.id, status: 'RUNNING', total: ruleCount, error: null, counts: null })
      // the rule being evaluated; none once detection is over and the findings are being reconciled
      if (e.done < ruleCount) expect(e.ruleId).toBeTruthy()
      else expect(e.ruleId).toBeNull()
      if (i > 0) expect(e.done).toBeGreaterThan(progress[i - 1].done)
    }

    const { auditRun } = await gql(RUN_BY_ID, { id: run.id })
    expect(auditRun).toMatchObject({ status: 'SUCCEEDED', error: null, counts: last.counts })
    expect(auditRun.rules).toHaveLength(ruleCount)
    expect(auditRun.timings.total).toBeGreaterThanOrEqual(0)

    // a run already over: its final state once, then the end
    const again = await subscribe(run.id)
    expect(again.map((m) => m.event)).toEqual(['next', 'complete'])
    expect(again[0].data.data.auditProgress).toEqual(last)
  })

  it('ends a failing run FAILED with the reason, and says so in the last event', async () => {
    // detection cannot read a table that is not there; the run is recorded first and then fails (detected, not taken
    // from the last run's findings: renaming a table changes no data, so the rule would otherwise be reused)
    await db.sql.exec('ALTER TABLE equipment RENAME TO equipment_away')
    process.env.SVERKA_DETECTION_REUSE = '0'
    try {
      const started = await gql(RUN, { rules: ['equipment-duplicate-serial'], asOf: '2026-01-31' })
      const run = started.runAudit.data
      expect(run.status).toBe('RUNNING')
      const events = (await subscribe(run.id)).filter((m) => m.event === 'next').map((m) => m.data.data.auditProgress)
      expect(events.at(-1)).toMatchObject({ status: 'FAILED', counts: null })
      expect(events.at(-1).error).toMatch(/equipment/)
      expect((await gql(RUN_BY_ID, { id: run.id })).auditRun).toMatchObject({ status: 'FAILED', error: events.at(-1).error })
    } finally {
      delete process.env.SVERKA_DETECTION_REUSE
      await db.sql.exec('ALTER TABLE equipment_away RENAME TO equipment')
    }
  })

  it('refuses bad input as results: unknown or disabled rules, unknown market', async () => {
    const unknown = await gql(RUN, { rules: ['no-such-rule'] })
    expect(unknown.runAudit).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'rules' }] })
    expect(unknown.runAudit.problems[0].message).toMatch(/no-such-rule/)
    expect((await gql(RUN, { market: 'XXX' })).runAudit).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'market' }] })
    expect((await gql(RUN, { market: '  ' })).runAudit).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'market', message: 'не может быть пустым: чтобы проверить все рынки, не указывайте рынок' }] })
    const badDate = await client.request(RUN, { asOf: '2026-02-30' }, nsi)
    expect(badDate.errors![0].message).toMatch(/YYYY-MM-DD/)
    expect((await gql(`{ auditRuns(first: 50) { totalCount } }`)).auditRuns.totalCount).toBe(3)
  })

  it('lets a key limited to markets audit only one of its own markets, and see only its markets\' runs', async () => {
    const spb = await client.key('NSI_SPECIALIST', ['SPB'])
    const none = await gql(RUN, {}, spb)
    expect(none.runAudit).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'market' }] })
    expect((await gql(RUN, { market: 'MSK' }, spb)).runAudit).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'market' }] })
    const started = await gql(RUN, { market: 'SPB', asOf: '2026-01-31' }, spb)
    expect(started.runAudit.data).toMatchObject({ status: 'RUNNING', market: 'SPB' })
    const done = await waitForEnd(started.runAudit.data.id, spb)
    expect(done).toMatchObject({ status: 'SUCCEEDED', market: 'SPB' })

    const runs = await gql(`{ auditRuns(first: 50) { totalCount edges { node { id market status trigger } } } }`, {}, spb)
    expect(runs.auditRuns.edges.map((e: any) => e.node)).toEqual([{ id: done.id, market: 'SPB', status: 'SUCCEEDED', trigger: 'API' }])
    expect(runs.auditRuns.totalCount).toBe(1)
    const all = await gql(`{ auditRuns(first: 50) { edges { node { id trigger startedAt } } } }`)
    expect(all.auditRuns.edges.map((e: any) => e.node.id)[0]).toBe(done.id) // newest first
    expect(all.auditRuns.edges).toHaveLength(4)
    const failed = await gql(`{ auditRuns(first: 50, filter: { status: FAILED }) { totalCount } }`)
    expect(failed.auditRuns.totalCount).toBe(1)

    const other = all.auditRuns.edges.find((e: any) => e.node.trigger === 'CLI').node.id
    expect((await gql(RUN_BY_ID, { id: other }, spb)).auditRun).toBeNull()
    expect((await gql(RUN_BY_ID, { id: 'not-a-uuid' })).auditRun).toBeNull()
    const denied = await subscribe(other, spb)
    expect(denied[0].data.errors[0]).toMatchObject({ message: `нет аудита «${other}»`, extensions: { code: 'NOT_FOUND' } })
    expect(denied.at(-1)!.event).toBe('complete')
  })

  it('lets only NSI specialists and admins start audits; auditors read runs', async () => {
    for (const role of ['AUDITOR', 'SUPPORT_AGENT', 'SERVICE_DESK']) {
      const r = await client.request(RUN, {}, await client.key(role))
      expect(r.errors![0].extensions!.code, role).toBe('FORBIDDEN')
    }
    expect((await gql(`{ auditRuns(first: 1) { totalCount } }`, {}, await client.key('AUDITOR'))).auditRuns.totalCount).toBe(4)
  })

  describe('rules', () => {
    const RULES = `{ rules { id title { ru en } message severity enabled kind entityTypes params supportLine overridden override { enabled severity params updatedBy } } }`
    const SET = `mutation($id: String!, $enabled: Boolean, $severity: Severity, $params: JSON) { r: setRuleOverride(ruleId: $id, enabled: $enabled, severity: $severity, params: $params) {
      __typename ... on MutationSetRuleOverrideSuccess { data { id enabled severity params overridden override { enabled severity params updatedBy } } }
      ... on Error { message } ... on ValidationFailed { problems { field message } } } }`
    const RESET = `mutation($id: String!) { r: resetRuleOverride(ruleId: $id) { __typename ... on MutationResetRuleOverrideSuccess { data { id enabled severity params overridden } } ... on Error { message } } }`

    it('lists the catalogue as in force', async () => {
      const { rules } = await gql(RULES, {}, await client.key('AUDITOR'))
      expect(rules).toHaveLength(14)
      expect(rules.map((r: any) => r.id)).toEqual(rules.map((r: any) => r.id).sort())
      const dup = rules.find((r: any) => r.id === 'address-duplicate')
      expect(dup).toMatchObject({
        title: { ru: 'Дубли адреса', en: 'Duplicate addresses' }, severity: 'MEDIUM', enabled: true, kind: 'fuzzy-duplicate',
        entityTypes: ['address'], supportLine: 3, overridden: false, override: null,
      })
      expect(dup.params).toMatchObject({ streetEdits: 1, minStreetLength: 5 })
      expect(dup.message).toMatch(/\{count\}/)
    })

    it('overrides a rule (switch off, severity, params) and resets it; bad overrides are refused', async () => {
      const actor = await actorOf(nsi)
      const set = (await gql(SET, { id: 'address-duplicate', enabled: false, severity: 'HIGH', params: { minStreetLength: 6 } })).r
      expect(set.__typename).toBe('MutationSetRuleOverrideSuccess')
      expect(set.data).toMatchObject({
        id: 'address-duplicate', enabled: false, severity: 'HIGH', overridden: true,
        override: { enabled: false, severity: 'HIGH', params: { minStreetLength: 6 }, updatedBy: actor },
      })
      expect(set.data.params).toMatchObject({ streetEdits: 1, minStreetLength: 6 })
      // a field left out keeps its stored value; null goes back to the file's
      const partly = (await gql(SET, { id: 'address-duplicate', severity: null })).r
      expect(partly.data).toMatchObject({ enabled: false, severity: 'MEDIUM', override: { enabled: false, severity: null } })
      expect((await gql(RULES)).rules.find((r: any) => r.id === 'address-duplicate')).toMatchObject({ enabled: false, overridden: true })
      // a switched-off rule cannot be audited by name
      expect((await gql(RUN, { rules: ['address-duplicate'] })).runAudit).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'rules' }] })

      const bad = (await gql(SET, { id: 'address-duplicate', params: { streetEdits: 'many' } })).r
      expect(bad.__typename).toBe('ValidationFailed')
      expect(bad.problems[0].message).toMatch(/streetEdits/)
      expect((await gql(SET, { id: 'no-such-rule', enabled: false })).r.__typename).toBe('NotFound')

      const reset = (await gql(RESET, { id: 'address-duplicate' })).r
      expect(reset.data).toMatchObject({ id: 'address-duplicate', enabled: true, severity: 'MEDIUM', overridden: false })
      expect((await gql(RESET, { id: 'no-such-rule' })).r.__typename).toBe('NotFound')
    })

    it('lets only rule managers override', async () => {
      for (const role of ['AUDITOR', 'SUPPORT_AGENT']) {
        const r = await client.request(SET, { id: 'address-duplicate', enabled: false }, await client.key(role))
        expect(r.errors![0].extensions!.code, role).toBe('FORBIDDEN')
      }
      expect((await gql(RULES)).rules.every((r: any) => !r.overridden)).toBe(true)
    })
  })
})
