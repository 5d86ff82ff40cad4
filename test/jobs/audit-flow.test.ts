// An audit spread over workers as a BullMQ flow (issue 18) against a single-process run on a copy of the same data:
// two `sverka worker` processes take its parts, the parent reconciles once, and the findings (fingerprints, statuses,
// messages, details, routing), their events and the run's counts are those of runAudit in one process — on a first
// audit and on a second one after the data changed. A part that fails for good fails the run, findings as they were.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { obliterateQueues } from '../../src/jobs/bullmq.ts'
import { openJobs } from '../../src/jobs/open.ts'
import { createProcessors } from '../../src/jobs/processors.ts'
import { queueAuditRun, type Jobs } from '../../src/jobs/queue.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'
import { AS_OF, REDIS_URL, spawnWorker, testPrefix, waitFor } from './helpers.ts'

const prefix = testPrefix()

// every rule whose kind allows it is cut by market, so that the comparison covers the cut parts (auto cuts by load)
const startWorker = (db: TestDatabase) => spawnWorker(db.url, prefix, { SVERKA_AUDIT_SPLIT: 'market' })

/** The findings as a user sees them, without what depends on the clock or the run's id. */
async function findingsOf(db: TestDatabase) {
  const { rows } = await db.sql.query(
    `SELECT f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f.entities, f.details,
            f."marketCode", f."equipmentTypeCode", f.unrouted, f."supportLine", g.code AS "group", f."escalationLevel"
       FROM finding f LEFT JOIN responsible_group g ON g.id = f."groupId" ORDER BY f.fingerprint`)
  return rows
}

async function eventsOf(db: TestDatabase) {
  const { rows } = await db.sql.query(
    `SELECT f.fingerprint, e.actor, e.action, e."fromStatus"::text AS "fromStatus", e."toStatus"::text AS "toStatus", e.reason, e.data,
            r.actor AS "runActor"
       FROM finding_event e JOIN finding f ON f.id = e."findingId" LEFT JOIN audit_run r ON r.id = e."runId"
      ORDER BY f.fingerprint, e.action, e."toStatus"`)
  return rows
}

async function runOf(db: TestDatabase, id: string) {
  const { rows: [run] } = await db.sql.query<{ status: string; error: string | null; counts: Record<string, number>; rules: string[]; timings: Record<string, unknown> }>(
    `SELECT status::text AS status, error, counts, rules, timings FROM audit_run WHERE id = $1::uuid`, [id])
  return run
}

async function partRows(db: TestDatabase, runId: string) {
  const { rows: [n] } = await db.sql.query<{ d: number; p: number }>(
    `SELECT (SELECT count(*) FROM audit_detection WHERE "runId" = $1::uuid)::int AS d, (SELECT count(*) FROM audit_part WHERE "runId" = $1::uuid)::int AS p`, [runId])
  return n
}

describe('an audit spread over workers (BullMQ flow, local Redis and PostgreSQL)', () => {
  // flowDb is audited by the workers, localDb (the same data) by runAudit in this process
  let flowDb: TestDatabase
  let localDb: TestDatabase
  const children: ChildProcess[] = []
  const opened: Jobs[] = []

  beforeAll(async () => {
    ;[flowDb, localDb] = await Promise.all([testDatabase('postgres'), testDatabase('postgres')])
    const dir = tempDir('sverka-flow-')
    // collisions of every rule (5 % of the records), checked below
    await generateSeed({ scale: 400, seed: 18, out: dir, asOf: AS_OF, collisions: 0.05 })
    await importDirectory(flowDb, dir)
    await importDirectory(localDb, dir)
    const workers = [startWorker(flowDb), startWorker(flowDb)]
    children.push(...workers.map((w) => w.child))
    await Promise.all(workers.map((w) => w.ready))
  }, 300_000)

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
    await Promise.all(children.map((c) => c.exitCode === null && c.signalCode === null ? new Promise((r) => c.on('exit', r)) : Promise.resolve()))
    await Promise.all(opened.map((j) => j.runner.close()))
    await obliterateQueues(REDIS_URL, prefix)
    await obliterateQueues(REDIS_URL, `${prefix}-fail`)
    await Promise.all([flowDb?.close(), localDb?.close()])
  })

  /** Queues an audit the way the API does (QUEUED run, job on Redis), waits for its end; runs the same in this process. */
  async function auditBoth(actor: string) {
    const api = await openJobs(flowDb, { redisUrl: REDIS_URL, prefix, periodic: false })
    const queued = await queueAuditRun(flowDb, api.queue, { trigger: 'API', actor, asOf: AS_OF }, 'api-audit')
    await api.queue.close()
    const local = await runAudit(localDb, { trigger: 'API', actor, asOf: AS_OF })
    const flowRun = await waitFor(async () => {
      const run = await runOf(flowDb, queued.id)
      return run.status !== 'RUNNING' && run.status !== 'QUEUED' && run
    }, 120_000)
    return { runId: queued.id, flowRun, local, localRun: await runOf(localDb, local.run.id) }
  }

  it('gives the findings, events and counts of a single-process run, with parts taken by both workers; again after the data changed', async () => {
    const first = await auditBoth('first')
    expect(first.flowRun.error).toBeNull()
    expect(first.flowRun.status).toBe('SUCCEEDED')
    // every rule of the catalogue found something: the comparison covers each kind
    const byRule = new Set((await findingsOf(localDb)).map((f) => f.ruleId))
    expect([...byRule].sort()).toEqual([...first.local.run.rules].sort())
    expect(first.local.run.rules.length).toBe(14)

    expect(first.flowRun.counts).toEqual(first.localRun.counts)
    expect(first.flowRun.rules).toEqual(first.localRun.rules)
    expect(first.flowRun.counts.new).toBeGreaterThan(50)
    expect(await findingsOf(flowDb)).toEqual(await findingsOf(localDb))
    expect(await eventsOf(flowDb)).toEqual(await eventsOf(localDb))

    // the same timing keys as a single-process run but its passes (a flow's children detect rule by rule), and the
    // parts: rules cut by market, taken by both workers
    const timings = first.flowRun.timings
    expect(first.localRun.timings).toHaveProperty('passes')
    expect(timings).not.toHaveProperty('passes')
    for (const key of Object.keys(first.localRun.timings)) if (key !== 'passes') expect(timings).toHaveProperty(key)
    const parts = timings.parts as Record<string, { worker: string; rows: number }>
    expect(Object.keys(parts)).toContain('contract-missing-equipment@MSK')
    expect(Object.keys(parts)).toContain('address-duplicate')
    expect(Object.keys(timings.rules as object).sort()).toEqual([...first.localRun.rules].sort())
    expect(new Set(Object.values(parts).map((p) => p.worker)).size).toBe(2)
    expect(await partRows(flowDb, first.runId)).toEqual({ d: 0, p: 0 })

    // a change on both copies: a period put right resolves its finding, a serial copied makes a new one
    const change = `UPDATE contract SET "validTo" = NULL WHERE id = (SELECT min(id) FROM contract WHERE "validTo" < "validFrom");
      UPDATE equipment SET "serialNorm" = (SELECT "serialNorm" FROM equipment WHERE status = 'INSTALLED' AND "serialNorm" IS NOT NULL ORDER BY id LIMIT 1)
       WHERE id = (SELECT max(id) FROM equipment WHERE status = 'INSTALLED')`
    await flowDb.sql.exec(change)
    await localDb.sql.exec(change)
    const second = await auditBoth('second')
    expect(second.flowRun.status).toBe('SUCCEEDED')
    expect(second.flowRun.counts).toEqual(second.localRun.counts)
    expect(second.flowRun.counts.resolved).toBeGreaterThan(0)
    expect(second.flowRun.counts.new).toBeGreaterThan(0)
    expect(await findingsOf(flowDb)).toEqual(await findingsOf(localDb))
    expect(await eventsOf(flowDb)).toEqual(await eventsOf(localDb))
  }, 600_000)

  it('a part that fails for good fails the run with its reason; the findings stay as they were and its parts are dropped', async () => {
    const before = { findings: await findingsOf(flowDb), events: await eventsOf(flowDb) }
    const failPrefix = `${prefix}-fail`
    // workers in this process whose part of contract-overlap asks for a rule that is not there: the real part
    // processor fails on it, records the reason and is retried until its attempts are spent
    const tries: number[] = []
    const open = async () => {
      const real = createProcessors(flowDb)['audit-part']
      const jobs = await openJobs(flowDb, {
        redisUrl: REDIS_URL, prefix: failPrefix, periodic: false, schedules: false, attempts: 2, backoffMs: 50,
        processors: {
          'audit-part': (data, job) => {
            if (data.part.id !== 'contract-overlap') return real(data, job)
            tries.push(job.attempt)
            return real({ ...data, part: { ...data.part, ruleId: 'no-such-rule' } }, job)
          },
        },
      })
      opened.push(jobs)
      await jobs.runner.start()
      return jobs
    }
    const [jobs] = await Promise.all([open(), open()])
    const queued = await queueAuditRun(flowDb, jobs.queue, { trigger: 'API', actor: 'failing', asOf: AS_OF }, 'api-audit')
    const run = await waitFor(async () => {
      const r = await runOf(flowDb, queued.id)
      return r.status === 'FAILED' && r
    }, 120_000)
    expect(tries).toEqual([1, 2])
    expect(run.error).toBe('rule no-such-rule failed: it is not in the catalogue')
    expect(await findingsOf(flowDb)).toEqual(before.findings)
    expect(await eventsOf(flowDb)).toEqual(before.events)
    expect(await partRows(flowDb, queued.id)).toEqual({ d: 0, p: 0 })
  }, 300_000)
})
