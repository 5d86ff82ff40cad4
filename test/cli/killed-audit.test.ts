// An audit whose process is killed (SIGKILL) does not hang: real `sverka` processes, stopped at a known point by
// a rule that holds detection (test/fixtures/held-rule) or by a row lock the test holds — never by a timer.
// Embedded: `sverka audit` killed while it detects; the next command marks the run FAILED at once. PostgreSQL:
// `sverka serve` killed during an audit started through GraphQL (restarted: FAILED with its reason in GraphQL
// and /metrics), and `sverka audit` killed with its findings written but not committed (nothing of it stays).
// Each time the new run stores exactly what a clean run on the same data stores.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { waitFor } from '../jobs/helpers.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')
const AS_OF = '2026-01-31'
const HOST = hostname()

/** The rule catalogue as shipped, plus the rule that holds detection (symlinks: its import resolves from the fixture). */
function rulesWithHold(): string {
  const dir = tempDir('sverka-held-rules-')
  for (const name of readdirSync(join(ROOT, 'rules'))) if (/\.ya?ml$/.test(name)) symlinkSync(join(ROOT, 'rules', name), join(dir, name))
  symlinkSync(join(ROOT, 'test', 'fixtures', 'held-rule', 'held-detection.ts'), join(dir, 'held-detection.ts'))
  return dir
}

const rulesDir = rulesWithHold()

/** `sverka …` as a child process on the given database (embedded: SVERKA_DATA_DIR; PostgreSQL: DATABASE_URL), this rules folder. */
function sverka(args: string[], env: Record<string, string>) {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', SVERKA_RULES_DIR: rulesDir, ...env }
  for (const name of ['VITEST', 'REDIS_URL', ...(env.DATABASE_URL ? [] : ['DATABASE_URL'])]) delete full[name]
  const child = spawn(process.execPath, ['src/cli/sverka.mjs', ...args], { cwd: ROOT, env: full })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return { child, exited, output: () => ({ stdout, stderr }) }
}
type Child = ReturnType<typeof sverka>

/** Waits until the held rule says the child is in the middle of detection; answers with its pid. */
async function heldIn(child: Child, holdDir: string): Promise<number> {
  await waitFor(async () => {
    if (child.child.exitCode !== null) throw new Error(`sverka exited ${child.child.exitCode} before detection held: ${child.output().stderr}`)
    return existsSync(join(holdDir, 'held'))
  }, 90_000, 25)
  const pid = Number(readFileSync(join(holdDir, 'held'), 'utf8'))
  expect(pid).toBe(child.child.pid)
  return pid
}

async function kill(child: Child) {
  child.child.kill('SIGKILL')
  expect(await child.exited).toBeNull()
}

async function serve(env: Record<string, string>) {
  const server = sverka(['serve', '--port', '0', '--no-demo'], env)
  const url = await waitFor(async () => {
    if (server.child.exitCode !== null) throw new Error(`serve exited ${server.child.exitCode}: ${server.output().stderr}`)
    return /API GraphQL Сверки: (\S+)/.exec(server.output().stdout)?.[1]
  }, 90_000, 25)
  return { ...server, url }
}

/** What the run left in the findings: each finding with its routing and its events, in a fixed order. */
async function findingsOf(db: Pick<Database, 'sql'>) {
  const { rows } = await db.sql.query(`
    SELECT f.fingerprint, f."ruleId", f.severity::text AS severity, f.status::text AS status, f.message, f.entities, f.details,
      f."marketCode", f."equipmentTypeCode", g.code AS "group", f."supportLine", f.unrouted, f."dueAt" IS NOT NULL AS "hasDues",
      (SELECT array_agg(e.action ORDER BY e.id) FROM finding_event e WHERE e."findingId" = f.id) AS events
    FROM finding f LEFT JOIN responsible_group g ON g.id = f."groupId" ORDER BY f.fingerprint`)
  return rows
}

async function runsOf(db: Pick<Database, 'sql'>) {
  const { rows } = await db.sql.query<{ id: string; status: string; error: string | null; ownerPid: number | null }>(
    `SELECT id, status::text AS status, error, "ownerPid" FROM audit_run ORDER BY "startedAt"`)
  return rows
}

describe('audits whose process is killed', { timeout: 180_000 }, () => {
  const seedDir = tempDir('sverka-killed-seed-')
  // what clean runs store on the same data: after a first audit, and after a second one
  const clean: { first: unknown[]; second: unknown[] } = { first: [], second: [] }

  beforeAll(async () => {
    await generateSeed({ scale: 100, seed: 7, out: seedDir, asOf: AS_OF })
    const db = await openDatabase({ memory: true })
    try {
      await importDirectory(db, seedDir)
      await runAudit(db, { trigger: 'CLI', actor: 'clean', asOf: AS_OF, rulesDir })
      clean.first = await findingsOf(db)
      await runAudit(db, { trigger: 'CLI', actor: 'clean', asOf: AS_OF, rulesDir })
      clean.second = await findingsOf(db)
    } finally {
      await db.close()
    }
    expect(clean.first.length).toBeGreaterThan(10)
  }, 180_000)

  describe.runIf(backends.includes('pglite'))('embedded database', () => {
    it('sverka audit killed while it detects: the next command marks the run FAILED at once; a new audit stores what a clean one does', async () => {
      const dataDir = tempDir('sverka-killed-embedded-')
      const setup = await openDatabase({ dataDir: join(dataDir, 'db') })
      await importDirectory(setup, seedDir)
      await setup.close()

      const holdDir = tempDir('sverka-hold-')
      const killed = sverka(['audit', '--as-of', AS_OF, '--format', 'json'], { SVERKA_DATA_DIR: dataDir, SVERKA_TEST_HOLD_DIR: holdDir })
      const pid = await heldIn(killed, holdDir)
      await kill(killed)

      const again = sverka(['audit', '--as-of', AS_OF, '--format', 'json'], { SVERKA_DATA_DIR: dataDir })
      expect(await again.exited, again.output().stderr).toBe(0)
      const report = JSON.parse(again.output().stdout) as { run: { id: string; counts: { new: number } } }

      const db = await openDatabase({ dataDir: join(dataDir, 'db') })
      try {
        const runs = await runsOf(db)
        expect(runs).toEqual([
          { id: expect.any(String), status: 'FAILED', ownerPid: pid, error: expect.stringMatching(new RegExp(
            `^процесс, выполнявший аудит \\(${HOST}:${pid}\\), остановился: нет сигнала с \\S+Z; встроенную базу открыли снова \\(${HOST}:${again.child.pid}\\)`)) },
          { id: report.run.id, status: 'SUCCEEDED', ownerPid: again.child.pid, error: null },
        ])
        expect(await findingsOf(db)).toEqual(clean.first)
        expect(report.run.counts.new).toBe(clean.first.length)
      } finally {
        await db.close()
      }
    })
  })

  describe.runIf(backends.includes('postgres'))('PostgreSQL', () => {
    let db: TestDatabase
    let key: string
    beforeAll(async () => {
      db = await testDatabase('postgres')
      await importDirectory(db, seedDir)
      key = (await createApiKey(db.prisma, { role: 'NSI_SPECIALIST', name: 'killed-audit test' })).key
    }, 120_000)
    afterAll(async () => { await db?.close() })

    const graphql = async (url: string, query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }),
      })
      const body = await response.json() as { data?: any; errors?: unknown }
      expect(body.errors).toBeUndefined()
      return body.data
    }
    const startAudit = async (url: string) => {
      const data = await graphql(url, `mutation($asOf: Date) { runAudit(asOf: $asOf) { ... on MutationRunAuditSuccess { data { id status } } } }`, { asOf: AS_OF })
      expect(data.runAudit.data.status).toBe('RUNNING')
      return data.runAudit.data.id as string
    }
    const runById = async (url: string, id: string) =>
      (await graphql(url, `query($id: ID!) { auditRun(id: $id) { status error } }`, { id })).auditRun as { status: string; error: string | null }
    const metric = async (url: string, sample: string) => {
      const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${key}` } })).text()
      return Number(new RegExp(`^${sample.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1])
    }

    it('sverka serve killed during an audit started through GraphQL: restarted, it shows the run FAILED with its reason; a new audit stores what a clean one does', async () => {
      const holdDir = tempDir('sverka-hold-')
      const first = await serve({ DATABASE_URL: db.url!, SVERKA_TEST_HOLD_DIR: holdDir })
      const runId = await startAudit(first.url)
      const pid = await heldIn(first, holdDir)
      const { rows: [leased] } = await db.sql.query<{ ownerHost: string; ownerPid: number; beat: boolean }>(
        `SELECT "ownerHost", "ownerPid", "heartbeatAt" > now() - interval '1 minute' AS beat FROM audit_run WHERE id = $1::uuid`, [runId])
      expect(leased).toEqual({ ownerHost: HOST, ownerPid: pid, beat: true })
      await kill(first)
      // nobody has looked yet: the row still says RUNNING
      expect((await runsOf(db)).map((r) => r.status)).toEqual(['RUNNING'])

      const second = await serve({ DATABASE_URL: db.url! })
      try {
        expect(await runById(second.url, runId)).toEqual({
          status: 'FAILED', error: expect.stringMatching(new RegExp(`^процесс, выполнявший аудит \\(${HOST}:${pid}\\), остановился: нет сигнала с \\S+Z; процесс ${pid} больше не выполняется на ${HOST}$`)),
        })
        expect(await metric(second.url, 'sverka_audit_last_run_status{status="FAILED"}')).toBe(1)
        expect(await metric(second.url, 'sverka_audit_runs{status="RUNNING"}')).toBe(0)
        expect(await metric(second.url, 'sverka_audit_runs{status="FAILED"}')).toBe(1)

        const next = await startAudit(second.url)
        await waitFor(async () => (await runById(second.url, next)).status === 'SUCCEEDED', 90_000, 200)
        expect(await metric(second.url, 'sverka_audit_last_run_status{status="SUCCEEDED"}')).toBe(1)
        expect(await findingsOf(db)).toEqual(clean.first)
      } finally {
        second.child.kill('SIGTERM')
        expect(await second.exited).toBe(0)
      }
    })

    it('sverka audit killed with its findings written but not committed: nothing of it stays; the next command fails it, a new audit stores what a clean one does', async () => {
      const before = (await db.sql.query(`SELECT * FROM finding ORDER BY id`)).rows
      expect(before.length).toBe(clean.first.length)
      const holdDir = tempDir('sverka-hold-')
      const killed = sverka(['audit', '--as-of', AS_OF], { DATABASE_URL: db.url!, SVERKA_TEST_HOLD_DIR: holdDir })
      const pid = await heldIn(killed, holdDir)
      const { rows: [run] } = await db.sql.query<{ id: string }>(`SELECT id FROM audit_run WHERE status = 'RUNNING'`)
      // the run's row locked here: the audit reconciles and routes its findings, then waits to mark itself SUCCEEDED
      const locker = new pg.Client({ connectionString: db.url })
      await locker.connect()
      try {
        await locker.query('BEGIN')
        await locker.query('SELECT 1 FROM audit_run WHERE id = $1::uuid FOR NO KEY UPDATE', [run.id])
        writeFileSync(join(holdDir, 'go'), '')
        // (asked on the test's pool, not on the locker: inside a transaction pg_stat_activity is read once and kept)
        const backend = await waitFor(async () => {
          if (killed.child.exitCode !== null) throw new Error(`sverka audit exited ${killed.child.exitCode}: ${killed.output().stderr}`)
          return (await db.sql.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%SET status = ''SUCCEEDED''%'`)).rows[0]?.pid
        }, 60_000, 25)
        // it has written findings in that transaction
        const { rows: writes } = await db.sql.query(
          `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = $1 AND c.relname = 'finding' AND l.mode = 'RowExclusiveLock'`, [backend])
        expect(writes).toHaveLength(1)
        await kill(killed)
      } finally {
        await locker.query('ROLLBACK')
        await locker.end()
      }
      // its connection gone, the server ends the transaction that never committed
      await waitFor(async () => (await db.sql.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%SET status = ''SUCCEEDED''%' AND pid <> pg_backend_pid()`)).rows.length === 0, 30_000)
      expect((await db.sql.query(`SELECT * FROM finding ORDER BY id`)).rows).toEqual(before)
      expect((await db.sql.query(`SELECT 1 FROM finding_event WHERE "runId" = $1::uuid`, [run.id])).rows).toEqual([])
      expect((await runsOf(db)).at(-1)).toMatchObject({ id: run.id, status: 'RUNNING', ownerPid: pid })

      const again = sverka(['audit', '--as-of', AS_OF], { DATABASE_URL: db.url! })
      expect(await again.exited, again.output().stderr).toBe(0)
      const runs = await runsOf(db)
      expect(runs.slice(-2)).toEqual([
        { id: run.id, status: 'FAILED', ownerPid: pid, error: expect.stringMatching(new RegExp(`^процесс, выполнявший аудит \\(${HOST}:${pid}\\), остановился: .*; процесс ${pid} больше не выполняется на ${HOST}$`)) },
        { id: expect.any(String), status: 'SUCCEEDED', ownerPid: again.child.pid, error: null },
      ])
      expect(await findingsOf(db)).toEqual(clean.second)
    })
  })
})
