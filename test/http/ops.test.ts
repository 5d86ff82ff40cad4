// The operations endpoints through createApp (and once through a real port): /health on the in-process and
// the BullMQ back end (200, and 503 when Redis does not answer), /metrics in the Prometheus text format with
// queue counts that move as jobs wait, run, fail and complete, open findings by severity and the last audit;
// the Bull Board dashboard for ADMIN keys only (Basic or Bearer, its assets load), 404 in embedded mode.
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { createOps } from '../../src/http/ops.ts'
import { obliterateQueues } from '../../src/jobs/bullmq.ts'
import { openJobs } from '../../src/jobs/open.ts'
import { QUEUE_NAMES, type Jobs } from '../../src/jobs/queue.ts'
import { createApp, startServer, type App } from '../../src/server.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { loadHandMade } from '../incidents/fixture.ts'
import { REDIS_URL, testPrefix, waitFor } from '../jobs/helpers.ts'

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed']
const ZERO = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }

const basic = (key: string, user = 'admin') => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`

async function get(app: App, path: string, authorization?: string, init: RequestInit = {}) {
  const response = await app(new Request(`http://sverka.test${path}`, { ...init, headers: { ...(authorization ? { authorization } : {}), ...init.headers as Record<string, string> } }))
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** Every sample line of a Prometheus text page as [name, labels, value]; a line that is neither a sample nor HELP/TYPE fails. */
function parseMetrics(text: string) {
  expect(text.endsWith('\n')).toBe(true)
  const typed = new Set<string>()
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = []
  for (const line of text.trimEnd().split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-z_:][a-z0-9_:]*) (.+)$/.exec(line)
    if (comment) {
      if (comment[1] === 'TYPE') { expect(comment[3]).toBe('gauge'); typed.add(comment[2]) }
      continue
    }
    const sample = /^([a-z_:][a-z0-9_:]*)(?:\{((?:[a-z_]+="[^"\\]*")(?:,[a-z_]+="[^"\\]*")*)\})? (-?\d+(?:\.\d+)?)$/.exec(line)
    expect(sample, `not a metrics line: ${line}`).not.toBeNull()
    const labels = Object.fromEntries([...(sample![2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    expect(typed.has(sample![1]), `${sample![1]} has no TYPE line before it`).toBe(true)
    samples.push({ name: sample![1], labels, value: Number(sample![3]) })
  }
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
  return { samples, value }
}

/** A port nothing listens on (bound a moment ago, then released). */
async function closedPort() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe.each(backends)('health and metrics with in-process jobs on %s', (backend) => {
  let db: TestDatabase
  let jobs: Jobs
  let app: App
  let auditor: string
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => { release = resolve })

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
    jobs = await openJobs(db, {
      redisUrl: '', periodic: false, schedules: false, attempts: 1, backoffMs: 600_000,
      processors: {
        async audit() { await gate },
        async recheck() { throw new Error('re-check refused (test)') },
        async webhooks() { throw new Error('service desk down (test)') },
      },
    })
    await jobs.runner.start()
    app = createApp(db, { production: true, jobs })
    auditor = (await createApiKey(db.prisma, { role: 'AUDITOR', name: 'prometheus' })).key
  }, 120_000)
  afterAll(async () => {
    release()
    await jobs?.runner.close()
    await db?.close()
  })

  it('GET /health without a key: 200, the database (SELECT 1) and every queue\'s counts, all zero at start', async () => {
    const r = await get(app, '/health')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    const body = JSON.parse(r.text)
    expect(body.status).toBe('ok')
    expect(body.database).toEqual({ ok: true, kind: backend, ms: expect.any(Number) })
    expect(body.jobs.backend).toBe('in-process')
    expect(body.jobs.redis).toBeUndefined()
    expect(body.jobs.queues).toEqual(Object.fromEntries(QUEUE_NAMES.map((n) => [n, ZERO])))
    expect((await get(app, '/health', undefined, { method: 'POST' })).status).toBe(405)
  })

  it('counts move as jobs wait, run, are delayed (or wait for a retry), fail for good and complete; /metrics says the same', async () => {
    await jobs.queue.add('webhooks', {}, { attempts: 2 })
    await jobs.queue.add('audit', { trigger: 'API', actor: 'ops-test' })
    await jobs.queue.add('audit', { trigger: 'API', actor: 'ops-test' })
    await jobs.queue.add('mail', { runId: 'later' }, { delay: 60_000 })
    await jobs.queue.add('recheck', { changes: [], actor: 'ops-test' })
    const queuesNow = async () => JSON.parse((await get(app, '/health')).text).jobs.queues
    await waitFor(async () => { const q = await queuesNow(); return q.recheck.failed === 1 && q.webhooks.delayed === 1 }, 5_000)
    const during = await queuesNow()
    expect(during.audit).toEqual({ ...ZERO, active: 1, waiting: 1 })
    expect(during.mail).toEqual({ ...ZERO, delayed: 1 })
    expect(during.recheck).toEqual({ ...ZERO, failed: 1 })
    // failed once, its retry waits for the backoff: delayed, as BullMQ counts it
    expect(during.webhooks).toEqual({ ...ZERO, delayed: 1 })

    const metrics = parseMetrics((await get(app, '/metrics', `Bearer ${auditor}`)).text)
    expect(metrics.value('sverka_queue_jobs', { queue: 'audit', state: 'active' })).toBe(1)
    expect(metrics.value('sverka_queue_jobs', { queue: 'recheck', state: 'failed' })).toBe(1)

    release()
    await waitFor(async () => (await queuesNow()).audit.completed === 2, 5_000)
    expect((await queuesNow()).audit).toEqual({ ...ZERO, completed: 2 })
  })

  it('GET /metrics: Prometheus text, every queue and state, the database up, open findings by severity, the last audit run', async () => {
    const r = await get(app, '/metrics', `Bearer ${auditor}`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const { samples, value } = parseMetrics(r.text)
    expect(value('sverka_up', { component: 'database' })).toBe(1)
    expect(samples.some((s) => s.name === 'sverka_up' && s.labels.component === 'redis')).toBe(false)
    const queueSamples = samples.filter((s) => s.name === 'sverka_queue_jobs').map((s) => `${s.labels.queue}/${s.labels.state}`)
    expect(queueSamples.sort()).toEqual(QUEUE_NAMES.flatMap((q) => STATES.map((s) => `${q}/${s}`)).sort())

    const open = await db.prisma.finding.groupBy({ by: ['severity'], where: { status: { in: [...OPEN_STATUSES] } }, _count: true })
    expect(open.length).toBeGreaterThan(0)
    for (const severity of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']) {
      expect(value('sverka_findings_open', { severity }), severity).toBe(open.find((o) => o.severity === severity)?._count ?? 0)
    }
    // the hand-made dataset's audit (CLI) is the last run; it succeeded a moment ago
    expect(value('sverka_audit_last_run_status', { status: 'SUCCEEDED' })).toBe(1)
    expect(value('sverka_audit_last_run_status', { status: 'FAILED' })).toBe(0)
    expect(value('sverka_audit_last_run_age_seconds')).toBeLessThan(600)
    expect(value('sverka_audit_last_success_age_seconds')).toBeLessThan(600)
  })

  it('/metrics needs a key not limited to markets: 401 without, Basic with the key as password works, 403 for a market key', async () => {
    const none = await get(app, '/metrics')
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect((await get(app, '/metrics', 'Bearer sk_nonsense')).status).toBe(401)
    expect((await get(app, '/metrics', basic(auditor, 'prometheus'))).status).toBe(200)
    const msk = (await createApiKey(db.prisma, { role: 'AUDITOR', markets: ['MSK'], name: 'msk' })).key
    const scoped = await get(app, '/metrics', `Bearer ${msk}`)
    expect(scoped.status).toBe(403)
    expect(JSON.parse(scoped.text).error.message).toMatch(/^ключ ограничен рынками MSK, а метрики считают все рынки/)
  })

  it('/admin/queues in embedded mode: 404, a short page pointing to /health', async () => {
    const admin = (await createApiKey(db.prisma, { role: 'ADMIN', name: 'admin' })).key
    for (const path of ['/admin/queues', '/admin/queues/static/js/main.js']) {
      const r = await get(app, path, basic(admin))
      expect(r.status).toBe(404)
      expect(r.headers.get('content-type')).toMatch(/^text\/plain/)
      expect(r.text).toMatch(/работают внутри процесса \(не задана REDIS_URL\): панели очередей нет/)
      expect(r.text).toMatch(/GET \/health/)
    }
  })
})

describe('health, metrics and the queue dashboard on BullMQ (local Redis)', () => {
  const prefix = testPrefix()
  let db: TestDatabase
  let jobs: Jobs
  let app: App
  let admin: string
  let support: string

  beforeAll(async () => {
    db = await testDatabase(backends[0])
    jobs = await openJobs(db, {
      redisUrl: REDIS_URL, prefix, periodic: false, schedules: false, attempts: 1,
      processors: {
        async recheck() { throw new Error('re-check refused (test)') },
        async mail() {},
      },
    })
    await jobs.runner.start()
    app = createApp(db, { production: true, jobs })
    admin = (await createApiKey(db.prisma, { role: 'ADMIN', name: 'admin' })).key
    support = (await createApiKey(db.prisma, { role: 'SUPPORT_AGENT', name: 'agent' })).key
  }, 120_000)
  afterAll(async () => {
    await jobs?.runner.close()
    await obliterateQueues(REDIS_URL, prefix)
    await db?.close()
  })

  it('GET /health: 200 with Redis answering, counts from Redis; they move as jobs are delayed, fail and complete', async () => {
    const first = await get(app, '/health')
    expect(first.status).toBe(200)
    const body = JSON.parse(first.text)
    expect(body).toMatchObject({ status: 'ok', database: { ok: true }, jobs: { backend: 'bullmq', redis: { ok: true } } })
    expect(body.jobs.queues).toEqual(Object.fromEntries(QUEUE_NAMES.map((n) => [n, ZERO])))

    await jobs.queue.add('audit', { trigger: 'API', actor: 'ops-test' }, { delay: 600_000 })
    await jobs.queue.add('recheck', { changes: [], actor: 'ops-test' })
    await jobs.queue.add('mail', { runId: 'r' })
    const queues = await waitFor(async () => {
      const q = JSON.parse((await get(app, '/health')).text).jobs.queues
      return q.recheck.failed === 1 && q.mail.completed === 1 && q
    }, 15_000)
    expect(queues.audit).toEqual({ ...ZERO, delayed: 1 })
    expect(queues.recheck).toEqual({ ...ZERO, failed: 1 })
    expect(queues.mail).toEqual({ ...ZERO, completed: 1 })

    const { value } = parseMetrics((await get(app, '/metrics', `Bearer ${admin}`)).text)
    expect(value('sverka_up', { component: 'redis' })).toBe(1)
    expect(value('sverka_queue_jobs', { queue: 'audit', state: 'delayed' })).toBe(1)
    expect(value('sverka_queue_jobs', { queue: 'recheck', state: 'failed' })).toBe(1)
    expect(value('sverka_findings_open', { severity: 'CRITICAL' })).toBe(0)
  })

  it('GET /health: 503 when Redis does not answer (a closed port); /metrics says redis 0 and has no queue counts', async () => {
    const broken = await openJobs(db, { redisUrl: `redis://127.0.0.1:${await closedPort()}`, prefix, periodic: false, schedules: false })
    try {
      const ops = createOps(db, { jobs: broken, probeTimeoutMs: 500 })
      const r = await ops(new Request('http://sverka.test/health'))
      expect(r.status).toBe(503)
      const body = await r.json()
      expect(body.status).toBe('degraded')
      expect(body.database.ok).toBe(true)
      expect(body.jobs).toEqual({ backend: 'bullmq', redis: { ok: false, ms: expect.any(Number), error: 'нет ответа за 500 мс' } })
      const metrics = await ops(new Request('http://sverka.test/metrics', { headers: { authorization: `Bearer ${admin}` } }))
      const { samples, value } = parseMetrics(await metrics.text())
      expect(value('sverka_up', { component: 'redis' })).toBe(0)
      expect(value('sverka_up', { component: 'database' })).toBe(1)
      expect(samples.filter((s) => s.name === 'sverka_queue_jobs')).toEqual([])
    } finally {
      // a queue that never connected may not answer its close: it is not waited for long
      await Promise.race([broken.runner.close(), new Promise((r) => setTimeout(r, 2_000))])
    }
  })

  it('/admin/queues: 401 with a Basic challenge without a key or with a wrong one, 403 for a SUPPORT_AGENT key', async () => {
    for (const authorization of [undefined, basic('sk_wrong'), basic(''), 'Bearer sk_wrong']) {
      const r = await get(app, '/admin/queues', authorization)
      expect(r.status, String(authorization)).toBe(401)
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="Sverka queues", charset="UTF-8"')
    }
    for (const authorization of [`Bearer ${support}`, basic(support)]) {
      const r = await get(app, '/admin/queues', authorization)
      expect(r.status).toBe(403)
      expect(JSON.parse(r.text).error.message).toMatch(/^роль SUPPORT_AGENT не может открыть панель очередей$/)
    }
    expect((await get(app, '/admin/queues/api/queues', `Bearer ${support}`)).status).toBe(403)
  })

  it('/admin/queues for an ADMIN key: the Bull Board page (Basic and Bearer), its assets and its API under /admin/queues', async () => {
    const page = await get(app, '/admin/queues', basic(admin, 'anyone'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.text).toContain('<base href="/admin/queues/"')
    expect(page.text).toContain('Sverka queues')
    expect((await get(app, '/admin/queues/', `Bearer ${admin}`)).status).toBe(200)
    expect((await get(app, '/admin/queues/queue/audit', `Bearer ${admin}`)).text).toContain('<base href="/admin/queues/"')

    const scripts = [...page.text.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1])
    expect(scripts.length).toBeGreaterThan(0)
    for (const src of scripts) {
      // relative to <base href="/admin/queues/">
      const asset = await get(app, `/admin/queues/${src}`, basic(admin))
      expect(asset.status, src).toBe(200)
      expect(asset.headers.get('content-type'), src).toMatch(/javascript/)
      expect(asset.text.length).toBeGreaterThan(100)
    }
    const css = /<link href="(static\/css\/[^"]+)"/.exec(page.text)?.[1]
    expect((await get(app, `/admin/queues/${css}`, basic(admin))).headers.get('content-type')).toMatch(/^text\/css/)
    expect((await get(app, '/admin/queues/static/js/main.js', basic(admin))).status).toBe(404)

    const api = await get(app, '/admin/queues/api/queues', basic(admin))
    expect(api.status).toBe(200)
    expect((JSON.parse(api.text).queues as Array<{ name: string }>).map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort())
  })

  it('/admin/queues: a change from the dashboard page is done, the same change sent by another site is refused', async () => {
    const mail = jobs.bullQueues!().find((q) => q.name === 'mail')!
    const put = (path: string, headers: Record<string, string>) => get(app, path, `Bearer ${admin}`, { method: 'PUT', headers })
    const refused = await put('/admin/queues/api/queues/mail/pause', { 'sec-fetch-site': 'cross-site' })
    expect(refused.status).toBe(403)
    expect((await put('/admin/queues/api/queues/mail/pause', { origin: 'https://evil.example' })).status).toBe(403)
    expect(await mail.isPaused()).toBe(false)
    const paused = await put('/admin/queues/api/queues/mail/pause', { 'sec-fetch-site': 'same-origin' })
    expect(paused.status).toBeLessThan(300)
    expect(await mail.isPaused()).toBe(true)
    expect((await put('/admin/queues/api/queues/mail/resume', { origin: 'http://sverka.test' })).status).toBeLessThan(300)
    expect(await mail.isPaused()).toBe(false)
  })

  it('through a real port: /health, the dashboard page and an asset over HTTP; other paths still reach GraphQL', async () => {
    const server = await startServer(db, { port: 0, jobs, production: true })
    try {
      const origin = new URL(server.url).origin
      const health = await fetch(`${origin}/health`)
      expect(health.status).toBe(200)
      expect((await health.json()).jobs.redis.ok).toBe(true)
      const page = await fetch(`${origin}/admin/queues`, { headers: { authorization: basic(admin) } })
      expect(page.status).toBe(200)
      const src = /<script[^>]+src="([^"]+)"/.exec(await page.text())![1]
      const asset = await fetch(`${origin}/admin/queues/${src}`, { headers: { authorization: basic(admin) } })
      expect(asset.status).toBe(200)
      expect((await asset.text()).length).toBeGreaterThan(100)
      const graphql = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ query: '{ __typename }' }) })
      expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } })
    } finally {
      await server.close()
    }
  })
})
