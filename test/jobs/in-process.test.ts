// The in-process back end (embedded default): the same processors without Redis — audits, re-checks,
// one run per job id, retries with backoff, periodic timers, close waiting for the active job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openJobs } from '../../src/jobs/open.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { AS_OF, runsOf, seed, waitFor } from './helpers.ts'

const settled = async (db: TestDatabase, actor: string) => {
  const runs = (await runsOf(db, actor)).filter((r) => r.status !== 'RUNNING')
  return runs.length > 0 && runs
}

describe.each(backends)('jobs in process on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    await seed(db)
  }, 300_000)
  afterAll(async () => { await db?.close() })

  it('runs an audit job, once per job id, then a re-check job', async () => {
    const jobs = await openJobs(db, { redisUrl: '', periodic: false })
    expect(jobs.kind).toBe('in-process')
    await jobs.runner.start()
    await jobs.queue.add('audit', { trigger: 'SCHEDULE', actor: 'nightly', asOf: AS_OF }, { jobId: 'n1' })
    await jobs.queue.add('audit', { trigger: 'SCHEDULE', actor: 'nightly', asOf: AS_OF }, { jobId: 'n1' })
    const [run] = await waitFor(() => settled(db, 'nightly job:n1'), 120_000)
    expect(run.status).toBe('SUCCEEDED')
    expect(run.counts.new).toBeGreaterThan(0)
    const { rows: [device] } = await db.sql.query<{ key: string }>('SELECT "inventoryNo" AS key FROM equipment ORDER BY "inventoryNo" LIMIT 1')
    await jobs.queue.add('recheck', { changes: [{ type: 'equipment', key: device.key }], actor: 'api', asOf: AS_OF }, { jobId: 'r1' })
    const [rechecked] = await waitFor(() => settled(db, 'api job:r1'), 60_000)
    expect(rechecked.status).toBe('SUCCEEDED')
    await jobs.runner.close()
    expect(await runsOf(db, 'nightly job:n1')).toHaveLength(1)
    const { rows: [trigger] } = await db.sql.query<{ trigger: string }>(`SELECT trigger::text FROM audit_run WHERE id = $1::uuid`, [rechecked.id])
    expect(trigger.trigger).toBe('INCREMENTAL')
  }, 240_000)

  it('retries a failing job with backoff, fires the periodic jobs, and close waits for the active job', async () => {
    const attempts: number[] = []
    let ticks = 0
    let finished = false
    const jobs = await openJobs(db, {
      redisUrl: '', backoffMs: 20, periodic: { escalationMs: 50, webhooksMs: 3_600_000 },
      processors: {
        async recheck(_d, job) {
          attempts.push(job.attempt)
          if (job.attempt < 3) throw new Error('not yet')
        },
        async escalation() { ticks++ },
        async mail() { await new Promise((r) => setTimeout(r, 300)); finished = true },
      },
    })
    await jobs.runner.start()
    await jobs.queue.add('recheck', { changes: [], actor: 'x' })
    await waitFor(async () => attempts.length >= 3 && ticks >= 2, 10_000)
    expect(attempts).toEqual([1, 2, 3])
    await jobs.queue.add('mail', { runId: 'r' })
    await new Promise((r) => setTimeout(r, 50))
    await jobs.runner.close()
    expect(finished).toBe(true)
  })
})
