// Audits spread over workers (issue 18): the same audit, queued the way the API queues it, with 1 and with 2
// `sverka worker` processes (and, for the overhead of the flow, 1 worker running it whole: SVERKA_AUDIT_FLOWS=0).
// Each run is a first audit (the findings are emptied before it) or a second one (nothing changed since the last).
//   DATABASE_URL=postgresql://…/db-with-an-imported-seed npx tsx scripts/bench-flows.ts [--rounds 2] [--as-of 2026-01-31]
// Prints one JSON line a run: workers, mode, wall ms (queued → ended), the run's timings. BENCH_CONFIGS=1whole,2auto,…
// picks configurations (1whole, 1auto, 2auto, 2market).
import { spawn } from 'node:child_process'
import { openDatabase } from '../src/db/database.ts'
import { obliterateQueues } from '../src/jobs/bullmq.ts'
import { openJobs } from '../src/jobs/open.ts'
import { queueAuditRun } from '../src/jobs/queue.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const rounds = Number(arg('rounds', '2'))
const asOf = arg('as-of', '2026-01-31')
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `bench-flows-${process.pid}`
const url = process.env.DATABASE_URL
if (!url) throw new Error('DATABASE_URL: a PostgreSQL database holding an imported seed')

function startWorker(flows: boolean, split: string) {
  const env = { ...process.env, REDIS_URL: redisUrl, SVERKA_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', SVERKA_AUDIT_FLOWS: flows ? '1' : '0', SVERKA_AUDIT_SPLIT: split }
  const child = spawn(process.execPath, ['src/cli/sverka.mjs', 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => { if (/готов/.test(d.toString())) resolve() })
    child.on('exit', (code) => reject(new Error(`worker exited ${code}`)))
  })
  return { child, ready }
}

const db = await openDatabase({ url })
try {
  const configs = [
    { workers: 1, flows: false, split: 'auto' }, { workers: 1, flows: true, split: 'auto' },
    { workers: 2, flows: true, split: 'auto' }, { workers: 2, flows: true, split: 'market' },
  ].filter((c) => !process.env.BENCH_CONFIGS || process.env.BENCH_CONFIGS.split(',').includes(`${c.workers}${c.flows ? c.split : 'whole'}`))
  for (let round = 1; round <= rounds; round++) {
    for (const config of configs) {
      const workers = Array.from({ length: config.workers }, () => startWorker(config.flows, config.split))
      await Promise.all(workers.map((w) => w.ready))
      const jobs = await openJobs(db, { redisUrl, prefix, periodic: false })
      for (const mode of ['first', 'second'] as const) {
        // a first audit finds everything new (and routes it); a second one finds what the last one found
        if (mode === 'first') await db.sql.exec('TRUNCATE finding CASCADE')
        const started = Date.now()
        const run = await queueAuditRun(db, jobs.queue, { trigger: 'API', actor: 'bench-flows', asOf }, 'bench')
        for (;;) {
          const { rows: [r] } = await db.sql.query<{ status: string; timings: Record<string, unknown>; counts: Record<string, number>; error: string | null }>(
            'SELECT status::text AS status, timings, counts, error FROM audit_run WHERE id = $1::uuid', [run.id])
          if (r && r.status !== 'RUNNING' && r.status !== 'QUEUED') {
            const parts = r.timings.parts as Record<string, { ms: number; worker: string }> | undefined
            const perWorker: Record<string, number> = {}
            for (const p of Object.values(parts ?? {})) perWorker[p.worker] = (perWorker[p.worker] ?? 0) + p.ms
            console.log(JSON.stringify({ round, ...config, mode, status: r.status, error: r.error, wallMs: Date.now() - started, new: r.counts.new, open: r.counts.open,
              timings: { ...r.timings, parts: undefined }, partMsPerWorker: perWorker, parts }))
            break
          }
          await new Promise((res) => setTimeout(res, 100))
        }
      }
      await jobs.queue.close()
      await Promise.all(workers.map((w) => new Promise((res) => { w.child.on('exit', res); w.child.kill('SIGTERM') })))
    }
  }
} finally {
  await obliterateQueues(redisUrl, prefix)
  await db.close()
}
