// `sverka worker` as real processes on the local Redis and PostgreSQL: a worker killed with SIGKILL in the
// middle of an audit → the job is taken over by another worker once its lock lapses (BullMQ stalled-job
// detection), the run completes once, no duplicate findings; SIGTERM ends a worker with exit code 0.
import { spawnSync, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { obliterateQueues } from '../../src/jobs/bullmq.ts'
import { openJobs } from '../../src/jobs/open.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'
import { AS_OF, REDIS_URL, runsOf, seed, spawnWorker, testPrefix, waitFor } from './helpers.ts'

const prefix = testPrefix()

const startWorker = (db: TestDatabase) => spawnWorker(db.url, prefix, { SVERKA_WORKER_LOCK_MS: '1000' })

describe('sverka worker processes (local Redis, PostgreSQL)', () => {
  let db: TestDatabase
  const children: ChildProcess[] = []
  beforeAll(async () => {
    db = await testDatabase('postgres')
    await seed(db, 600)
  }, 300_000)
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    await obliterateQueues(REDIS_URL, prefix)
    await db?.close()
  })

  it('a worker killed mid-audit: another takes the job over, the run completes once, no duplicate findings; SIGTERM exits 0', async () => {
    const first = startWorker(db)
    children.push(first.child)
    await first.ready
    const jobs = await openJobs(db, { redisUrl: REDIS_URL, prefix, periodic: false })
    await jobs.queue.add('audit', { trigger: 'SCHEDULE', actor: 'killed', asOf: AS_OF }, { jobId: 'kill-1' })
    await jobs.queue.close()
    await waitFor(async () => (await runsOf(db, 'killed job:kill-1')).some((r) => r.status === 'RUNNING'), 60_000, 10)
    first.child.kill('SIGKILL')
    await first.exited

    const second = startWorker(db)
    children.push(second.child)
    await second.ready
    await waitFor(async () => (await runsOf(db, 'killed job:kill-1')).some((r) => r.status === 'SUCCEEDED'), 120_000)
    const runs = await runsOf(db, 'killed job:kill-1')
    expect(runs.map((r) => r.status).sort()).toEqual(['FAILED', 'SUCCEEDED'])
    const { rows: dupes } = await db.sql.query('SELECT fingerprint FROM finding GROUP BY fingerprint HAVING count(*) > 1')
    expect(dupes).toEqual([])
    const { rows: [open] } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM finding WHERE status IN ('NEW', 'OPEN', 'REOPENED')`)
    expect(open.n).toBe(runs.find((r) => r.status === 'SUCCEEDED')!.counts.open)

    second.child.kill('SIGTERM')
    expect(await second.exited, second.stderr()).toBe(0)
  }, 240_000)

  it('Redis unreachable at start: one line per try, retried with a growing pause, exit 2 after SVERKA_REDIS_ATTEMPTS', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', SVERKA_REDIS_ATTEMPTS: '2', LOG_LEVEL: 'silent' }
    delete env.VITEST
    const r = spawnSync(process.execPath, ['src/cli/sverka.mjs', 'worker'], { env, encoding: 'utf8', timeout: 60_000 })
    expect(r.status, r.stderr).toBe(2)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^sverka: Redis по адресу redis:\/\/127\.0\.0\.1:1 не отвечает: .+; новая попытка через 1 с \(попытка 1\)$/)
    expect(lines[1]).toMatch(/^sverka: Redis по адресу redis:\/\/127\.0\.0\.1:1 не отвечает: \S/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 60_000)
})
