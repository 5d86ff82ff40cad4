// Shared bits of the job tests: a seeded database, a unique Redis prefix, waiting for a condition, a worker process.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import type { TestDatabase } from '../helpers/db.ts'

export const REDIS_URL = process.env.SVERKA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const AS_OF = '2026-01-31'

export function testPrefix() {
  return `sverka-test-${randomBytes(4).toString('hex')}`
}

export async function seed(db: TestDatabase, scale = 300) {
  const dir = tempDir('sverka-jobs-')
  await generateSeed({ scale, seed: 11, out: dir, asOf: AS_OF })
  await importDirectory(db, dir)
}

export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export async function runsOf(db: TestDatabase, actor: string) {
  const { rows } = await db.sql.query<{ id: string; status: string; counts: { new?: number; open?: number } }>(
    `SELECT id, status::text AS status, counts FROM audit_run WHERE actor = $1 ORDER BY "startedAt"`, [actor])
  return rows
}

/** A `sverka worker` process on `url` with the tests' queue prefix and `env` on top; `ready` once it says so. */
export function spawnWorker(url: string | undefined, prefix: string, env: NodeJS.ProcessEnv = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, REDIS_URL, SVERKA_QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...env }
  delete childEnv.VITEST
  const child = spawn(process.execPath, ['src/cli/sverka.mjs', 'worker'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const ready = waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${err}`)
    return /Обработчик заданий Сверки готов/.test(out)
  }, 60_000)
  return { child, ready, exited, stderr: () => err }
}
