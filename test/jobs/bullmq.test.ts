// The BullMQ back end against the real local Redis and PostgreSQL (the embedded database cannot be shared
// between processes): audits through the queue, one run per job id, retries, one job per scheduler tick,
// and a clear error when Redis is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { obliterateQueues, RedisUnavailableError, waitForRedis } from '../../src/jobs/bullmq.ts'
import { createProcessors } from '../../src/jobs/processors.ts'
import { openJobs } from '../../src/jobs/open.ts'
import type { JobQueue, Jobs } from '../../src/jobs/queue.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { AS_OF, REDIS_URL, runsOf, seed, testPrefix, waitFor } from './helpers.ts'

const prefix = testPrefix()

describe('jobs on BullMQ (local Redis, PostgreSQL)', () => {
  let db: TestDatabase
  const opened: Jobs[] = []
  const open = async (options: Parameters<typeof openJobs>[1] = {}) => {
    const jobs = await openJobs(db, { redisUrl: REDIS_URL, prefix, backoffMs: 100, periodic: false, ...options })
    opened.push(jobs)
    await jobs.runner.start()
    return jobs
  }

  beforeAll(async () => {
    db = await testDatabase('postgres')
    await seed(db)
  }, 300_000)
  afterAll(async () => {
    await Promise.all(opened.map((j) => j.runner.close()))
    await obliterateQueues(REDIS_URL, prefix)
    // the API-audit test's queues: emptied once its worker has stopped writing to them
    await obliterateQueues(REDIS_URL, `${prefix}-api`)
    await db?.close()
  })

  it('an audit job added is processed: the run SUCCEEDED with findings, its actor carries the job id', async () => {
    const jobs = await open()
    await jobs.queue.add('audit', { trigger: 'API', actor: 'tester', asOf: AS_OF }, { jobId: 'audit-1' })
    const [run] = await waitFor(async () => {
      const runs = (await runsOf(db, 'tester job:audit-1')).filter((r) => r.status !== 'RUNNING')
      return runs.length > 0 && runs
    }, 120_000)
    expect(run.status).toBe('SUCCEEDED')
    expect(run.counts.open).toBeGreaterThan(0)
  }, 180_000)

  it('the same job id added twice, or its processor called twice, makes one run', async () => {
    const jobs = opened[0]
    await jobs.queue.add('audit', { trigger: 'API', actor: 'twice', asOf: AS_OF, rules: [] }, { jobId: 'audit-2' })
    await jobs.queue.add('audit', { trigger: 'API', actor: 'twice', asOf: AS_OF, rules: [] }, { jobId: 'audit-2' })
    await waitFor(async () => (await runsOf(db, 'twice job:audit-2')).some((r) => r.status === 'SUCCEEDED'), 120_000)
    // a redelivery after the job left Redis: the processor finds the SUCCEEDED run and does not run again
    const again = await createProcessors(db).audit({ trigger: 'API', actor: 'twice', asOf: AS_OF }, { id: 'audit-2', name: 'audit', attempt: 2 })
    expect(again).toMatchObject({ repeated: true })
    await new Promise((r) => setTimeout(r, 500))
    expect(await runsOf(db, 'twice job:audit-2')).toHaveLength(1)
  }, 180_000)

  it('a processor that fails the first time is retried with backoff and succeeds', async () => {
    const seen: number[] = []
    const jobs = await open({
      prefix: `${prefix}-flaky`,
      processors: {
        async recheck(_data, job) {
          seen.push(job.attempt)
          if (job.attempt === 1) throw new Error('first delivery fails')
          return 'ok'
        },
      },
    })
    await jobs.queue.add('recheck', { changes: [], actor: 'flaky' }, { jobId: 'flaky-1' })
    await waitFor(async () => seen.length >= 2)
    expect(seen).toEqual([1, 2])
    await jobs.runner.close()
    await obliterateQueues(REDIS_URL, `${prefix}-flaky`)
  }, 60_000)

  it('an audit started through the API with workers is recorded QUEUED and run by a worker under the same id, once', async () => {
    const apiPrefix = `${prefix}-api`
    const server = await openJobs(db, { redisUrl: REDIS_URL, prefix: apiPrefix, periodic: false })
    opened.push(server)
    const client = graphqlClient(db, { jobs: server.queue })
    const key = await client.key('ADMIN')
    const statusOf = async (id: string) => (await db.sql.query<{ s: string }>(`SELECT status::text AS s FROM audit_run WHERE id = $1::uuid`, [id])).rows[0]?.s
    const r = await client.request('mutation { runAudit(rules: ["contract-overlap"], asOf: "2026-01-31") { ... on MutationRunAuditSuccess { data { id status } } } }', {}, key)
    const { id, status } = r.data.runAudit.data
    expect(status).toBe('QUEUED')
    // the server runs none: it stays queued until a worker is there
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await statusOf(id)).toBe('QUEUED')
    await open({ prefix: apiPrefix })
    await waitFor(async () => (await statusOf(id)) === 'SUCCEEDED', 120_000)
    const follow = await client.request('query($id: ID!) { auditRun(id: $id) { status counts { open } } }', { id }, key)
    expect(follow.data.auditRun).toMatchObject({ status: 'SUCCEEDED', counts: { open: expect.any(Number) } })
    // delivered again: the run is not repeated
    expect(await createProcessors(db).audit({ trigger: 'API', actor: 'again', runId: id }, { id: `api-${id}`, name: 'audit', attempt: 2 })).toMatchObject({ repeated: true })
    expect((await db.sql.query(`SELECT 1 FROM audit_run WHERE actor = $1 AND "startedAt" > now() - interval '5 minutes'`, [`key:${(await db.prisma.apiKey.findFirstOrThrow({ where: { name: 'test ADMIN:' } })).id}:test ADMIN:`])).rows).toHaveLength(1)
  }, 180_000)

  it('a queue that does not take the audit (Redis away): the server runs it itself, no QUEUED run is left', async () => {
    const refusing = { kind: 'bullmq', add: async () => { throw new Error('Connection is closed.') } } as unknown as JobQueue
    const client = graphqlClient(db, { jobs: refusing })
    const key = await client.key('NSI_SPECIALIST')
    const r = await client.request('mutation { runAudit(rules: ["contract-invalid-period"], asOf: "2026-01-31") { ... on MutationRunAuditSuccess { data { id status } } } }', {}, key)
    expect(r.data.runAudit.data.status).toBe('RUNNING')
    await waitFor(async () => (await db.sql.query<{ s: string }>(`SELECT status::text AS s FROM audit_run WHERE id = $1::uuid`, [r.data.runAudit.data.id])).rows[0]?.s === 'SUCCEEDED', 60_000)
    expect((await db.sql.query(`SELECT 1 FROM audit_run WHERE status = 'QUEUED'`)).rows).toEqual([])
  }, 120_000)

  it('two workers on one job scheduler run each tick once', async () => {
    const ticks: Array<{ worker: string; id: string }> = []
    const scheduled = `${prefix}-sched`
    const worker = (name: string) => open({
      prefix: scheduled, periodic: { escalationMs: 300, webhooksMs: 3_600_000 },
      processors: { async escalation(_d, job) { ticks.push({ worker: name, id: job.id }) }, async webhooks() {} },
    })
    const [a, b] = await Promise.all([worker('a'), worker('b')])
    await new Promise((r) => setTimeout(r, 3_000))
    await Promise.all([a.runner.close(), b.runner.close()])
    const ids = ticks.map((t) => t.id)
    expect(new Set(ids).size).toBe(ids.length)
    // about ten ticks in three seconds, not twenty
    expect(ids.length).toBeGreaterThanOrEqual(5)
    expect(ids.length).toBeLessThanOrEqual(12)
    await obliterateQueues(REDIS_URL, scheduled)
  }, 60_000)

  it('Redis unreachable: one clear line per try, retried with backoff, then RedisUnavailableError — no crash', async () => {
    const lines: string[] = []
    const failed = await waitForRedis('redis://127.0.0.1:1', { attempts: 3, baseMs: 20, onRetry: (line) => lines.push(line) }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(RedisUnavailableError)
    expect((failed as Error).message).toMatch(/^Redis по адресу redis:\/\/127\.0\.0\.1:1 не отвечает: \S/)
    expect((failed as Error).message).not.toContain('\n')
    expect(lines).toHaveLength(2)
    await waitForRedis(REDIS_URL, { attempts: 1 })
  })
})
