// Outbound calls to the service desk, against a real HTTP server on loopback: a resolve of a finding
// linked to an incident (by a person or by an audit run) becomes one signed call, retried with growing
// backoff and every attempt recorded, DELIVERED or FAILED in the end; two dispatchers never create or
// send one twice; no URL, no calls; no linked incident, no call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { resolveFinding } from '../../src/engine/findings.ts'
import { importDirectory } from '../../src/import/importer.ts'
import {
  backoffMs, dispatchWebhooks, signPayload, startWebhookDispatcher, verifySignature, type DispatchOptions,
} from '../../src/incidents/outbound.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const SECRET = 'test-secret-Ω'

interface Received {
  delivery: string
  event: string
  verified: boolean
  body: any
}

type Behaviour = 'ok' | 'error' | 'hang'

/** A service desk on 127.0.0.1: answers each call as the script says (then `fallback`), verifying every signature. */
async function serviceDesk() {
  const received: Received[] = []
  const script: Behaviour[] = []
  let fallback: Behaviour = 'ok'
  const hanging: ServerResponse[] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const header = (name: string) => String(req.headers[name] ?? '')
      received.push({
        delivery: header('x-sverka-delivery'),
        event: header('x-sverka-event'),
        verified: verifySignature(SECRET, header('x-sverka-timestamp'), body, header('x-sverka-signature')),
        body: JSON.parse(body),
      })
      const behaviour = script.shift() ?? fallback
      if (behaviour === 'hang') { hanging.push(res); return }
      res.writeHead(behaviour === 'ok' ? 200 : 500, { 'content-type': 'text/plain' })
      res.end(behaviour === 'ok' ? 'accepted' : 'remedy is down')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/remedy/hook`,
    received,
    script,
    setFallback(b: Behaviour) { fallback = b },
    reset() { received.length = 0; script.length = 0; fallback = 'ok' },
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('signatures', () => {
  it('verifySignature accepts what signPayload made and refuses another secret, a changed body, a bad header or an old timestamp', () => {
    const now = new Date('2026-02-01T10:00:00Z')
    const ts = String(Math.floor(now.getTime() / 1000))
    const body = '{"event":"finding.resolved"}'
    const header = signPayload('s3cret', ts, body)
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(verifySignature('s3cret', ts, body, header, { now })).toBe(true)
    expect(verifySignature('other', ts, body, header, { now })).toBe(false)
    expect(verifySignature('s3cret', ts, body.replace('resolved', 'reopened'), header, { now })).toBe(false)
    expect(verifySignature('s3cret', ts, body, header.replace('sha256=', 'sha1='), { now })).toBe(false)
    expect(verifySignature('s3cret', ts, body, undefined, { now })).toBe(false)
    expect(verifySignature('s3cret', ts, body, header, { now: new Date(now.getTime() + 301_000) })).toBe(false)
    expect(verifySignature('s3cret', ts, body, header, { now: new Date(now.getTime() + 301_000), maxAgeSeconds: Infinity })).toBe(true)
  })

  it('backoff doubles from 30 s with ±20 % jitter, capped at an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, { random: () => 0.5 }))).toEqual([30_000, 60_000, 120_000, 240_000])
    expect(backoffMs(1, { random: () => 0 })).toBe(24_000)
    expect(backoffMs(1, { random: () => 0.999999 })).toBeLessThan(36_001)
    expect(backoffMs(12, { random: () => 0.5 })).toBe(3_600_000)
    expect(backoffMs(12, { random: () => 0.999 })).toBe(3_600_000)
  })
})

describe.each(backends)('outbound webhook on %s', (backend) => {
  let db: TestDatabase
  let desk: Awaited<ReturnType<typeof serviceDesk>>
  const used = new Set<string>()
  let incidentNo = 0

  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('outbound')
    await generateSeed({ scale: 100, seed: 5, out: dir, asOf: '2026-01-31' })
    await importDirectory(db, dir)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
    desk = await serviceDesk()
  })
  afterEach(() => desk.reset())
  afterAll(async () => {
    await desk?.close()
    await db?.close()
  })

  const options = (extra: Partial<DispatchOptions> = {}): DispatchOptions => ({ url: desk.url, secret: SECRET, timeoutMs: 400, ...extra })

  /** An open finding no other test has used (duplicate serials are kept for the audit test). */
  async function openFinding(): Promise<{ id: string; fingerprint: string; ruleId: string }> {
    const { rows } = await db.sql.query<{ id: string; fingerprint: string; ruleId: string }>(
      `SELECT id, fingerprint, "ruleId" FROM finding WHERE status IN ('NEW', 'OPEN') AND "ruleId" <> 'equipment-duplicate-serial'
        AND NOT (id = ANY($1::uuid[])) ORDER BY fingerprint LIMIT 1`, [[...used]])
    const f = rows[0]
    used.add(f.id)
    return f
  }

  /** An incident (or complaint) linked to the finding, as the intake would leave it. */
  async function linkIncident(findingId: string, kind: 'INCIDENT' | 'COMPLAINT' = 'INCIDENT'): Promise<{ id: string; externalRef: string }> {
    const externalRef = `INC-${String(++incidentNo).padStart(6, '0')}`
    const { rows: [incident] } = await db.sql.query<{ id: string }>(
      `INSERT INTO incident (kind, channel, "externalRef", description, "createdBy") VALUES ($1::"IncidentKind", 'EXTERNAL_SYSTEM', $2, 'нет интернета', 'test') RETURNING id`,
      [kind, externalRef])
    await db.sql.query(`INSERT INTO finding_incident ("findingId", "incidentId", origin, actor) VALUES ($1::uuid, $2::uuid, 'MANUAL', 'test')`, [findingId, incident.id])
    return { id: incident.id, externalRef }
  }

  const deliveriesOf = (findingId: string) => db.prisma.webhookDelivery.findMany({
    where: { findingId }, include: { attempts: { orderBy: { id: 'asc' } } }, orderBy: { createdAt: 'asc' },
  })

  it('retries a 500 and a call that hangs past the timeout, then delivers: three attempts recorded, backoff growing, every call signed', async () => {
    const finding = await openFinding()
    const incident = await linkIncident(finding.id)
    await resolveFinding(db, finding.fingerprint, { actor: 'anna', comment: 'серийный номер исправлен' })
    desk.script.push('error', 'hang', 'ok')

    const t0 = new Date()
    expect(await dispatchWebhooks(db, options({ now: t0 }))).toEqual({ created: 1, attempted: 1, delivered: 0, retrying: 1, failed: 0 })
    let [delivery] = await deliveriesOf(finding.id)
    expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 1, event: 'finding.resolved', incidentId: incident.id, url: desk.url })
    const firstWait = delivery.nextAttemptAt.getTime() - t0.getTime()
    expect(firstWait).toBeGreaterThanOrEqual(24_000)
    expect(firstWait).toBeLessThanOrEqual(36_000)

    // not due yet: nothing is sent
    expect(await dispatchWebhooks(db, options({ now: new Date(t0.getTime() + 1000) }))).toMatchObject({ created: 0, attempted: 0 })
    expect(desk.received).toHaveLength(1)

    const t1 = delivery.nextAttemptAt
    expect(await dispatchWebhooks(db, options({ now: t1 }))).toMatchObject({ attempted: 1, retrying: 1 })
    ;[delivery] = await deliveriesOf(finding.id)
    expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 2 })
    const secondWait = delivery.nextAttemptAt.getTime() - t1.getTime()
    expect(secondWait).toBeGreaterThanOrEqual(48_000)
    expect(secondWait).toBeLessThanOrEqual(72_000)
    expect(secondWait).toBeGreaterThan(firstWait)

    const t2 = delivery.nextAttemptAt
    expect(await dispatchWebhooks(db, options({ now: t2 }))).toMatchObject({ attempted: 1, delivered: 1 })
    ;[delivery] = await deliveriesOf(finding.id)
    expect(delivery).toMatchObject({ status: 'DELIVERED', attemptCount: 3, lastError: null })
    expect(delivery.deliveredAt).not.toBeNull()
    expect(delivery.attempts.map((a) => [a.statusCode, a.error?.replace(/\d+ ms/, 'N ms') ?? null])).toEqual([
      [500, 'HTTP 500: remedy is down'],
      [null, 'timeout: no answer within N ms'],
      [200, null],
    ])
    expect(delivery.attempts[1].durationMs).toBeGreaterThanOrEqual(390)

    // the same delivery three times, signed each time, with the payload the service desk needs
    expect(desk.received.map((r) => [r.delivery, r.event, r.verified])).toEqual(Array(3).fill([delivery.id, 'finding.resolved', true]))
    const body = desk.received[2].body
    expect(body).toMatchObject({
      event: 'finding.resolved',
      finding: { id: finding.id, fingerprint: finding.fingerprint, ruleId: finding.ruleId },
      resolvedBy: { actor: 'anna', runId: null, by: 'person', comment: 'серийный номер исправлен' },
      incident: { id: incident.id, kind: 'INCIDENT', channel: 'EXTERNAL_SYSTEM', externalRef: incident.externalRef },
    })
    expect(body.finding.entities.length).toBeGreaterThan(0)
    expect(new Date(body.resolvedAt).toISOString()).toBe(body.resolvedAt)

    // delivered: never sent again
    expect(await dispatchWebhooks(db, options({ now: new Date(t2.getTime() + 86_400_000) }))).toMatchObject({ created: 0, attempted: 0 })
  })

  it('a delivery that never succeeds is FAILED after the last attempt, each attempt recorded', async () => {
    const finding = await openFinding()
    await linkIncident(finding.id, 'COMPLAINT')
    await resolveFinding(db, finding.fingerprint, { actor: 'boris', comment: 'исправлено' })
    desk.setFallback('error')
    let now = new Date()
    const states: string[] = []
    for (let i = 0; i < 4; i++) {
      const r = await dispatchWebhooks(db, options({ now, maxAttempts: 4 }))
      states.push(`${r.attempted}/${r.retrying}/${r.failed}`)
      now = (await deliveriesOf(finding.id))[0].nextAttemptAt
    }
    expect(states).toEqual(['1/1/0', '1/1/0', '1/1/0', '1/0/1'])
    const [delivery] = await deliveriesOf(finding.id)
    expect(delivery).toMatchObject({ status: 'FAILED', attemptCount: 4, lastError: 'HTTP 500: remedy is down' })
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500])
    expect(await dispatchWebhooks(db, options({ now: new Date(now.getTime() + 86_400_000), maxAttempts: 4 }))).toMatchObject({ attempted: 0 })
    expect(desk.received).toHaveLength(4)
  })

  it('two dispatchers at once create and send each delivery exactly once', async () => {
    const findings = [await openFinding(), await openFinding(), await openFinding()]
    for (const f of findings) {
      await linkIncident(f.id)
      await linkIncident(f.id, 'COMPLAINT')
      await resolveFinding(db, f.fingerprint, { actor: 'vera', comment: 'исправлено' })
    }
    const now = new Date()
    const [a, b] = await Promise.all([dispatchWebhooks(db, options({ now, batchSize: 2 })), dispatchWebhooks(db, options({ now, batchSize: 2 }))])
    expect(a.created + b.created).toBe(6)
    expect(a.delivered + b.delivered).toBe(6)
    expect(a.attempted + b.attempted).toBe(6)
    const { rows } = await db.sql.query<{ n: number; attempts: number }>(
      `SELECT count(DISTINCT d.id)::int AS n, count(a.id)::int AS attempts FROM webhook_delivery d JOIN webhook_attempt a ON a."deliveryId" = d.id
        WHERE d."findingId" = ANY($1::uuid[]) AND d.status = 'DELIVERED'`, [findings.map((f) => f.id)])
    expect(rows[0]).toEqual({ n: 6, attempts: 6 })
    const ids = desk.received.map((r) => r.delivery)
    expect(ids).toHaveLength(6)
    expect(new Set(ids).size).toBe(6)
  })

  it('a finding resolved by an audit run and one resolved by a person each produce a call; one without a linked incident none', async () => {
    // an audit resolves a duplicate serial once one of the devices gets a serial of its own
    const { rows: [dup] } = await db.sql.query<{ id: string; fingerprint: string; entities: Array<{ key: string }> }>(
      `SELECT id, fingerprint, entities FROM finding WHERE "ruleId" = 'equipment-duplicate-serial' AND status IN ('NEW', 'OPEN')
        AND jsonb_array_length(entities) = 2 ORDER BY fingerprint LIMIT 1`)
    const byRun = await linkIncident(dup.id)
    await db.sql.query(`UPDATE equipment SET serial = 'OUTBOUND-UNIQUE-1', "serialNorm" = 'OUTBOUNDUNIQUE1' WHERE "inventoryNo" = $1`, [dup.entities[1].key])
    const audit = await runAudit(db, { trigger: 'CLI', actor: 'nightly', asOf: '2026-01-31', ruleIds: ['equipment-duplicate-serial'] })
    expect(audit.run.counts.resolved).toBe(1)

    const byPerson = await openFinding()
    const personIncident = await linkIncident(byPerson.id)
    await resolveFinding(db, byPerson.fingerprint, { actor: 'galina', comment: 'исправлено' })

    const unlinked = await openFinding()
    await resolveFinding(db, unlinked.fingerprint, { actor: 'galina', comment: 'исправлено' })

    expect(await dispatchWebhooks(db, options())).toMatchObject({ created: 2, delivered: 2 })
    const calls = desk.received.map((r) => r.body).sort((x, y) => x.incident.externalRef.localeCompare(y.incident.externalRef))
    expect(calls.map((c) => [c.finding.fingerprint, c.incident.externalRef, c.resolvedBy.by, c.resolvedBy.actor, c.resolvedBy.runId])).toEqual([
      [dup.fingerprint, byRun.externalRef, 'audit', 'nightly', audit.run.id],
      [byPerson.fingerprint, personIncident.externalRef, 'person', 'galina', null],
    ])
    expect(await deliveriesOf(unlinked.id)).toEqual([])
  })

  it('without a URL nothing is recorded or sent; once one is configured, the resolve is reported', async () => {
    const finding = await openFinding()
    await linkIncident(finding.id)
    await resolveFinding(db, finding.fingerprint, { actor: 'dmitry', comment: 'исправлено' })
    const saved = process.env.SERVICE_DESK_WEBHOOK_URL
    delete process.env.SERVICE_DESK_WEBHOOK_URL
    try {
      expect(await dispatchWebhooks(db, { secret: SECRET })).toEqual({ created: 0, attempted: 0, delivered: 0, retrying: 0, failed: 0 })
      expect(await deliveriesOf(finding.id)).toEqual([])
      // from the environment
      process.env.SERVICE_DESK_WEBHOOK_URL = desk.url
      process.env.SERVICE_DESK_WEBHOOK_SECRET = SECRET
      expect(await dispatchWebhooks(db, { timeoutMs: 400 })).toMatchObject({ created: 1, delivered: 1 })
    } finally {
      if (saved === undefined) delete process.env.SERVICE_DESK_WEBHOOK_URL
      else process.env.SERVICE_DESK_WEBHOOK_URL = saved
      delete process.env.SERVICE_DESK_WEBHOOK_SECRET
    }
    expect(desk.received.map((r) => [r.body.finding.fingerprint, r.verified])).toEqual([[finding.fingerprint, true]])
  })

  it('the in-process dispatcher sends on its interval until stopped', async () => {
    const stop = startWebhookDispatcher(db, { intervalMs: 50, ...options() })
    try {
      const finding = await openFinding()
      await linkIncident(finding.id)
      await resolveFinding(db, finding.fingerprint, { actor: 'elena', comment: 'исправлено' })
      for (let i = 0; i < 100 && desk.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
      expect(desk.received.map((r) => r.body.finding.fingerprint)).toEqual([finding.fingerprint])
    } finally {
      await stop()
    }
  })
})
