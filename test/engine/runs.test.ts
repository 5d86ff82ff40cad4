// Audit runs and their lease: the verdict on a RUNNING run (fresh, stale, another host, a dead pid on this host,
// the embedded database) as a pure function; then on both databases: dead runs marked FAILED with their reason
// and live ones left alone, the heartbeat, a run declared dead while it runs keeping the findings as they were,
// take-over refused while the owner lives, and what /metrics and GraphQL then say.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { runAudit } from '../../src/audits/run.ts'
import type { AuditEngine } from '../../src/engine/audit.ts'
import {
  ALL_FLOWS, completedRunOf, deadRunReason, failDeadRuns, flowOwner, handOverRun, holdLease, isRunOwnedBy, LEASE, startRun, takeOverRun, thisProcess,
  type JudgeContext, type RunningRun,
} from '../../src/engine/runs.ts'
import type { DetectedFinding, RuleMeta } from '../../src/engine/types.ts'
import { ConflictError } from '../../src/errors.ts'
import { createOps } from '../../src/http/ops.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

const NOW = new Date('2026-12-05T10:00:00.000Z')
const ago = (ms: number) => new Date(NOW.getTime() - ms)
const [ns] = thisProcess.id.split('/')

function judge(over: Partial<JudgeContext> = {}): JudgeContext {
  return { self: thisProcess, now: NOW, embedded: false, running: () => false, alive: () => true, ...over }
}

function running(over: Partial<RunningRun> = {}): RunningRun {
  return { id: 'r1', ownerHost: 'other', ownerPid: 4242, ownerId: `${ns}/someone-else`, heartbeatAt: ago(3_000), startedAt: ago(600_000), ...over }
}

/** A pid that ran a moment ago and does not any more. */
function deadPid() {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid
}

describe('the verdict on a RUNNING run', () => {
  it('fresh heartbeat on another host: alive; older than the lease: dead, with who and since when', () => {
    expect(deadRunReason(running(), judge())).toBeNull()
    expect(deadRunReason(running({ heartbeatAt: ago(LEASE.staleMs - 1_000) }), judge())).toBeNull()
    expect(deadRunReason(running({ heartbeatAt: ago(LEASE.staleMs + 1_000) }), judge())).toBe(
      `процесс, выполнявший аудит (other:4242), остановился: нет сигнала с ${ago(LEASE.staleMs + 1_000).toISOString()} (ожидание прекращено через 60 с)`)
  })

  it('on this host a pid that no longer runs is dead at once; a live pid, another pid namespace or another host waits for the lease', () => {
    const here = { ownerHost: thisProcess.host, ownerPid: 4242 }
    const gone = judge({ alive: (pid) => pid !== 4242 })
    expect(deadRunReason(running(here), gone)).toBe(
      `процесс, выполнявший аудит (${thisProcess.host}:4242), остановился: нет сигнала с ${ago(3_000).toISOString()}; процесс 4242 больше не выполняется на ${thisProcess.host}`)
    expect(deadRunReason(running(here), judge())).toBeNull()
    // a container with the host's name has pids of its own: 4242 there says nothing about 4242 here
    expect(deadRunReason(running({ ...here, ownerId: 'other-namespace/x' }), gone)).toBeNull()
    expect(deadRunReason(running(), gone)).toBeNull()
  })

  it('this process\'s own run is alive while it runs it, whatever its heartbeat says; once it does not, the lease decides', () => {
    const own = running({ ownerHost: thisProcess.host, ownerPid: thisProcess.pid, ownerId: thisProcess.id, heartbeatAt: ago(10 * LEASE.staleMs) })
    expect(deadRunReason(own, judge({ running: (id) => id === 'r1', embedded: true }))).toBeNull()
    expect(deadRunReason(own, judge({ running: (id) => id === 'r1' }))).toBeNull()
    expect(deadRunReason(own, judge())).toMatch(/остановился: нет сигнала с .* \(ожидание прекращено через 60 с\)$/)
    expect(deadRunReason({ ...own, heartbeatAt: ago(1_000) }, judge({ alive: () => false }))).toBeNull()
  })

  it('embedded: a run of any other process is over (that process let go of the data directory), however fresh', () => {
    expect(deadRunReason(running({ heartbeatAt: ago(1) }), judge({ embedded: true }))).toBe(
      `процесс, выполнявший аудит (other:4242), остановился: нет сигнала с ${ago(1).toISOString()}; `
      + `встроенную базу открыли снова (${thisProcess.host}:${thisProcess.pid}), а открыть её может только один процесс`)
  })

  it('a run recorded before runs had owners is judged by when it started', () => {
    const legacy = running({ ownerHost: null, ownerPid: null, ownerId: null, heartbeatAt: null })
    expect(deadRunReason({ ...legacy, startedAt: ago(5_000) }, judge())).toBeNull()
    expect(deadRunReason(legacy, judge())).toBe(`процесс, выполнявший аудит, остановился: нет сигнала с начала в ${ago(600_000).toISOString()} (ожидание прекращено через 60 с)`)
    expect(deadRunReason({ ...legacy, startedAt: ago(5_000) }, judge({ embedded: true }))).toMatch(/^процесс, выполнявший аудит, остановился: .*открыли снова/)
  })
})

function rule(id: string): RuleMeta {
  return { id, severity: 'HIGH', enabled: true, title: { ru: id, en: id }, reads: ['equipment'], message: { ru: '{key}' }, kind: 'predicate', params: {}, source: `${id}.yaml` }
}

function found(key: string): DetectedFinding {
  return { ruleId: 'lease-rule', entities: [{ type: 'equipment', key }], message: key, data: { key }, details: {}, marketCode: null, equipmentTypeCode: null }
}

describe.each(backends)('audit runs of dead processes on %s', (backend) => {
  let db: TestDatabase
  const other = { host: 'elsewhere', pid: 4242, id: `${ns}/another-process` }

  /** A RUNNING run as another process would have recorded it, its last heartbeat `beatAgoMs` ago. */
  async function runOf(owner: { host: string; pid: number; id: string } | null, beatAgoMs: number, actor = 'other process') {
    const { rows: [run] } = await db.sql.query<{ id: string }>(
      `INSERT INTO audit_run (trigger, actor, rules, "asOf", status, "ownerHost", "ownerPid", "ownerId", "heartbeatAt", "startedAt")
       VALUES ('CLI', $1, '{}', '2026-01-31', 'RUNNING', $2, $3, $4,
         CASE WHEN $4::text IS NOT NULL THEN now() - make_interval(secs => $5::float8 / 1000) END, now() - interval '1 hour')
       RETURNING id`, [actor, owner?.host ?? null, owner?.pid ?? null, owner?.id ?? null, beatAgoMs])
    return run.id
  }
  async function stored(id: string) {
    const { rows: [run] } = await db.sql.query<{ status: string; error: string | null; finishedAt: Date | null }>(
      `SELECT status::text AS status, error, "finishedAt" FROM audit_run WHERE id = $1::uuid`, [id])
    return run
  }

  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it('marks FAILED the runs of processes that stopped, with the reason; live ones and this process\'s own runs stay RUNNING', async () => {
    const fresh = await runOf(other, 2_000)
    const stale = await runOf(other, LEASE.staleMs + 30_000)
    const goneHere = await runOf({ host: thisProcess.host, pid: deadPid(), id: `${ns}/a-dead-one` }, 2_000)
    const aliveHere = await runOf({ host: thisProcess.host, pid: process.ppid, id: `${ns}/the-parent` }, 2_000)
    const legacy = await runOf(null, LEASE.staleMs + 30_000)
    const own = await startRun(db.sql, { trigger: 'CLI', actor: 'me', asOf: '2026-01-31' })
    const lease = holdLease(db, own.id)
    try {
      // even with a heartbeat long stopped (a blocked event loop), a run this process is running is its own to end
      await db.sql.query(`UPDATE audit_run SET "heartbeatAt" = now() - interval '1 hour' WHERE id = $1::uuid`, [own.id])
      const failed = await failDeadRuns(db)
      const embedded = backend === 'pglite'
      // embedded: one process holds the database, so every other process's run is over, however fresh
      expect(failed.map((f) => f.id).sort()).toEqual((embedded ? [fresh, stale, goneHere, aliveHere, legacy] : [stale, goneHere, legacy]).sort())
      expect((await stored(own.id)).status).toBe('RUNNING')
      if (!embedded) {
        expect((await stored(fresh)).status).toBe('RUNNING')
        expect((await stored(aliveHere)).status).toBe('RUNNING')
        expect(await stored(stale)).toMatchObject({
          status: 'FAILED', error: expect.stringMatching(/^процесс, выполнявший аудит \(elsewhere:4242\), остановился: нет сигнала с \S+Z \(ожидание прекращено через 60 с\)$/),
          finishedAt: expect.any(Date),
        })
        expect((await stored(goneHere)).error).toMatch(new RegExp(`^процесс, выполнявший аудит \\(${thisProcess.host}:\\d+\\), остановился: нет сигнала с \\S+Z; процесс \\d+ больше не выполняется на ${thisProcess.host}$`))
        expect((await stored(legacy)).error).toMatch(/^процесс, выполнявший аудит, остановился: нет сигнала с начала в \S+Z \(ожидание прекращено через 60 с\)$/)
      } else {
        expect((await stored(fresh)).error).toMatch(/^процесс, выполнявший аудит \(elsewhere:4242\), остановился: нет сигнала с \S+Z; встроенную базу открыли снова/)
      }
      expect(await failDeadRuns(db)).toEqual([])
    } finally {
      await lease.release()
    }
  })

  it('renews the heartbeat of a run while it is held, and not after', async () => {
    const run = await startRun(db.sql, { trigger: 'CLI', actor: 'beating', asOf: '2026-01-31' })
    const beat = async () => (await db.sql.query<{ at: Date }>(`SELECT "heartbeatAt" AS at FROM audit_run WHERE id = $1::uuid`, [run.id])).rows[0].at.getTime()
    const first = await beat()
    const lease = holdLease(db, run.id, 30)
    await expect.poll(beat, { timeout: 5_000, interval: 20 }).toBeGreaterThan(first)
    await lease.release()
    const last = await beat()
    await new Promise((r) => setTimeout(r, 100))
    expect(await beat()).toBe(last)
  })

  it('a run handed over to a flow: no pid to judge it by, kept alive by any worker working on flows, dead once none does', async () => {
    const run = await startRun(db.sql, { trigger: 'API', actor: 'flowing', asOf: '2026-01-31' })
    const other = await startRun(db.sql, { trigger: 'API', actor: 'flowing-2', asOf: '2026-01-31' })
    const owner = flowOwner('f1')
    expect(await handOverRun(db.sql, run.id, owner)).toBe(true)
    expect(await handOverRun(db.sql, other.id, flowOwner('f2'))).toBe(true)
    // handed over once: this process owns it no longer
    expect(await handOverRun(db.sql, run.id, flowOwner('f3'))).toBe(false)
    expect(await isRunOwnedBy(db.sql, run.id, owner)).toBe(true)
    const { rows: [row] } = await db.sql.query<RunningRun>(`SELECT id, "ownerHost", "ownerPid", "ownerId", "heartbeatAt", "startedAt" FROM audit_run WHERE id = $1::uuid`, [run.id])
    expect(row).toMatchObject({ ownerHost: 'workers', ownerPid: null, ownerId: owner })
    expect(deadRunReason({ ...row, heartbeatAt: ago(2_000) }, judge({ alive: () => false }))).toBeNull()
    expect(deadRunReason({ ...row, heartbeatAt: ago(LEASE.staleMs + 1_000) }, judge())).toMatch(/ожидание прекращено/)

    // a worker on a part of run's flow renews the other flow's run too, at once (a part is often shorter than a beat)
    await db.sql.query(`UPDATE audit_run SET "heartbeatAt" = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [[run.id, other.id]])
    const lease = holdLease(db, run.id, 60_000, ALL_FLOWS)
    await lease.release()
    const ours = (failed: Array<{ id: string }>) => failed.map((f) => f.id).filter((id) => id === run.id || id === other.id).sort()
    // (embedded: one process holds the database, so any run not this process's own is over — a flow's too)
    if (backend === 'postgres') {
      expect(ours(await failDeadRuns(db))).toEqual([])
      await db.sql.query(`UPDATE audit_run SET "heartbeatAt" = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [[run.id, other.id]])
      expect(ours(await failDeadRuns(db))).toEqual([run.id, other.id].sort())
    }
  })

  it('a run declared dead while it still runs (a pause past the lease) is not revived: its findings are not written', async () => {
    const engine = (detected: DetectedFinding[], during?: (runId: string) => Promise<void>): AuditEngine => ({
      async loadCatalog() { return { rules: [rule('lease-rule')], get: (id) => (id === 'lease-rule' ? rule('lease-rule') : undefined) } },
      async runDetection() {
        const { rows: [run] } = await db.sql.query<{ id: string }>(`SELECT id FROM audit_run WHERE actor = 'paused' AND status = 'RUNNING'`)
        await during?.(run.id)
        return { findings: detected, timings: {} }
      },
    })
    await runAudit(db, { trigger: 'CLI', actor: 'paused', asOf: '2026-01-31' }, engine([found('E-1'), found('E-2')]))
    const findings = () => db.sql.query(`SELECT fingerprint, status, "lastRunId", "groupId" FROM finding WHERE "ruleId" = 'lease-rule' ORDER BY 1`).then((r) => r.rows)
    const before = await findings()
    expect(before).toHaveLength(2)
    // another process's check found the heartbeat stale meanwhile
    const reason = 'процесс, выполнявший аудит (test:1), остановился: нет сигнала уже минуту'
    const declaredDead = async (runId: string) => {
      await db.sql.query(`UPDATE audit_run SET status = 'FAILED', error = $2, "finishedAt" = now() WHERE id = $1::uuid`, [runId, reason])
    }
    const late = runAudit(db, { trigger: 'CLI', actor: 'paused', asOf: '2026-01-31' }, engine([found('E-2'), found('E-3')], declaredDead))
    await expect(late).rejects.toThrow(ConflictError)
    await expect(late).rejects.toThrow(/тем временем получил статус FAILED \(процесс, выполнявший аудит \(test:1\), остановился.*\); его результаты отброшены/)
    const { rows: runs } = await db.sql.query<{ status: string; error: string | null }>(
      `SELECT status::text AS status, error FROM audit_run WHERE actor = 'paused' ORDER BY "startedAt"`)
    expect(runs).toEqual([{ status: 'SUCCEEDED', error: null }, { status: 'FAILED', error: reason }])
    // E-1 not resolved, E-3 not created, no routing, no events of the dropped run
    expect(await findings()).toEqual(before)
    const { rows: [events] } = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM finding_event e JOIN audit_run r ON r.id = e."runId" WHERE r.status = 'FAILED'`)
    expect(events.n).toBe(0)
  })

  it('a run is not taken over, nor its job run again, while its process lives; once it is dead, it is', async () => {
    const live = await runOf(backend === 'pglite' ? thisProcess : other, 1_000, 'api job:live')
    // (embedded: only this process can be alive, so the live owner is this process, running it)
    const lease = backend === 'pglite' ? holdLease(db, live) : null
    try {
      await expect(takeOverRun(db.sql, live)).rejects.toThrow(new RegExp(`аудит ${live} уже выполняется в (elsewhere:4242|${thisProcess.host}:${thisProcess.pid}) \\(последний сигнал \\d+ с назад\\): дважды одновременно не запускается`))
      await expect(completedRunOf(db, 'api job:live')).rejects.toThrow(ConflictError)
    } finally {
      await lease?.release()
    }
    const dead = await runOf(other, LEASE.staleMs + 5_000, 'api job:dead')
    expect(await completedRunOf(db, 'api job:dead')).toBeNull()
    expect((await stored(dead)).status).toBe('FAILED')
    const again = await takeOverRun(db.sql, dead)
    expect(again.id).toBe(dead)
    expect(await stored(dead)).toMatchObject({ status: 'RUNNING', error: null, finishedAt: null })
    await db.sql.query(`UPDATE audit_run SET status = 'SUCCEEDED' WHERE id = $1::uuid`, [dead])
    await expect(takeOverRun(db.sql, dead)).rejects.toThrow(/has SUCCEEDED already/)
  })

  it('/metrics and GraphQL show a dead run FAILED with its reason, not RUNNING', async () => {
    const dead = await runOf(other, LEASE.staleMs + 5_000, 'metrics')
    await db.sql.query(`UPDATE audit_run SET "startedAt" = now() WHERE id = $1::uuid`, [dead])
    const ops = createOps(db)
    const auditor = (await createApiKey(db.prisma, { role: 'AUDITOR', name: 'prometheus' })).key
    const metric = async (name: string, status: string) => {
      const text = await (await ops(new Request('http://sverka.test/metrics', { headers: { authorization: `Bearer ${auditor}` } }))).text()
      return Number(new RegExp(`^${name}\\{status="${status}"\\} (\\d+)$`, 'm').exec(text)?.[1])
    }
    expect(await metric('sverka_audit_last_run_status', 'RUNNING')).toBe(1)
    await failDeadRuns(db)
    expect(await metric('sverka_audit_last_run_status', 'RUNNING')).toBe(0)
    expect(await metric('sverka_audit_last_run_status', 'FAILED')).toBe(1)
    const { rows: [counts] } = await db.sql.query<{ running: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'RUNNING' AND trigger <> 'INCREMENTAL')::int AS running,
              count(*) FILTER (WHERE status = 'FAILED' AND trigger <> 'INCREMENTAL')::int AS failed FROM audit_run`)
    expect(await metric('sverka_audit_runs', 'RUNNING')).toBe(counts.running)
    expect(await metric('sverka_audit_runs', 'FAILED')).toBe(counts.failed)
    expect(counts.failed).toBeGreaterThan(0)

    const client = graphqlClient(db)
    const r = await client.request(`query($id: ID!) { auditRun(id: $id) { status error finishedAt } }`, { id: dead }, await client.key('AUDITOR'))
    expect(r.errors).toBeUndefined()
    expect(r.data.auditRun).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^процесс, выполнявший аудит \(elsewhere:4242\), остановился: нет сигнала с/) })
    expect(r.data.auditRun.finishedAt).not.toBeNull()
  })
})
