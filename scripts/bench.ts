// Big-data benchmarks (not part of the tests): `npm run bench [-- --only seed,import] [--quick]`.
// Each measured step runs as a real `sverka` process under /usr/bin/time (wall time, peak RSS),
// and the results replace the matching section of BENCHMARKS.md, with the machine and the date.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'

const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['seed', 'import']
const quick = args.includes('--quick')
const root = resolve('.bench')
const adminUrl = process.env.SVERKA_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
mkdirSync(root, { recursive: true })

interface Timed { seconds: number; maxRssMb: number; stdout: string }

function timed(command: string[], env: Record<string, string | undefined> = {}): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', ...command], {
    encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, maxBuffer: 64 << 20,
  })
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr)
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`${command.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`)
  return { seconds: Number(m[1]), maxRssMb: Math.round(Number(m[2]) / 1024), stdout: r.stdout }
}

const sverka = (...a: string[]) => [process.execPath, 'src/cli/sverka.mjs', ...a]

function seedDir(scale: number) {
  const dir = join(root, `seed-${scale}`)
  if (!existsSync(join(dir, 'seed-meta.json'))) {
    const t = timed(sverka('seed', '--scale', String(scale), '--seed', '42', '--out', dir))
    writeFileSync(join(dir, 'bench-seed-time.json'), JSON.stringify(t))
  }
  return dir
}

function rowsIn(dir: string) {
  const meta = JSON.parse(readFileSync(join(dir, 'seed-meta.json'), 'utf8')) as { counts: Record<string, number> }
  return Object.values(meta.counts).reduce((a, b) => a + b, 0)
}

const sections: Record<string, string> = {}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const today = new Date().toISOString().slice(0, 10)

if (only.includes('seed')) {
  const scales = quick ? [10_000] : [100_000, 1_000_000]
  const lines = ['| addresses | rows written | seconds | peak RSS MB |', '| ---: | ---: | ---: | ---: |']
  for (const scale of scales) {
    const dir = join(root, `seed-only-${scale}`)
    rmSync(dir, { recursive: true, force: true })
    const t = timed(sverka('seed', '--scale', String(scale), '--seed', '7', '--out', dir))
    lines.push(`| ${scale.toLocaleString('en')} | ${rowsIn(dir).toLocaleString('en')} | ${t.seconds.toFixed(1)} | ${t.maxRssMb} |`)
    console.log(lines.at(-1))
    rmSync(dir, { recursive: true, force: true })
  }
  sections.seed = `Command: \`npm run bench -- --only seed\` (\`sverka seed --scale N\`). ${machine}; ${today}.\n\n${lines.join('\n')}`
}

if (only.includes('import')) {
  // scale → about 5.4 rows per address over the seven files: ~100k and ~1M rows
  const scales = quick ? [2_000] : [18_500, 185_000]
  const lines = ['| rows | database | first import s | rows/s | peak RSS MB | second import s (unchanged) |', '| ---: | --- | ---: | ---: | ---: | ---: |']
  for (const scale of scales) {
    const dir = seedDir(scale)
    const rows = rowsIn(dir)
    // embedded: a new data directory each time
    const dataDir = join(root, `data-${scale}`)
    rmSync(dataDir, { recursive: true, force: true })
    const env = { SVERKA_DATA_DIR: dataDir, DATABASE_URL: undefined }
    const init = timed(sverka('apikey', 'list'), env) // create the cluster outside the measurement
    void init
    const first = timed(sverka('import', dir), env)
    const second = timed(sverka('import', dir), env)
    if (!/No changes/.test(second.stdout)) throw new Error(`second import changed something:\n${second.stdout}`)
    lines.push(`| ${rows.toLocaleString('en')} | PGlite (embedded) | ${first.seconds.toFixed(1)} | ${Math.round(rows / first.seconds).toLocaleString('en')} | ${first.maxRssMb} | ${second.seconds.toFixed(1)} |`)
    console.log(lines.at(-1))
    rmSync(dataDir, { recursive: true, force: true })
    // PostgreSQL: a new database each time
    const name = `sverka_bench_${scale}_${process.pid}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    try {
      const url = adminUrl.replace(/\/[^/]*$/, `/${name}`)
      timed(sverka('apikey', 'list'), { DATABASE_URL: url })
      const pfirst = timed(sverka('import', dir), { DATABASE_URL: url })
      const psecond = timed(sverka('import', dir), { DATABASE_URL: url })
      if (!/No changes/.test(psecond.stdout)) throw new Error(`second import changed something:\n${psecond.stdout}`)
      lines.push(`| ${rows.toLocaleString('en')} | PostgreSQL 15 (local) | ${pfirst.seconds.toFixed(1)} | ${Math.round(rows / pfirst.seconds).toLocaleString('en')} | ${pfirst.maxRssMb} | ${psecond.seconds.toFixed(1)} |`)
      console.log(lines.at(-1))
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    }
  }
  sections.import = `Command: \`npm run bench -- --only import\` (\`sverka import\` of a \`sverka seed\` directory, all seven files, as a separate process; wall time includes start-up and migrations check). ${machine}; ${today}.\n\n${lines.join('\n')}`
}

// replace <!-- bench:NAME --> … <!-- /bench:NAME --> sections, keep the rest of BENCHMARKS.md
if (!quick) {
  const file = 'BENCHMARKS.md'
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  for (const [name, body] of Object.entries(sections)) {
    const block = `<!-- bench:${name} -->\n${body}\n<!-- /bench:${name} -->`
    const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`)
    text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n## ${name}\n${block}\n`
  }
  writeFileSync(file, text)
  console.log(`updated ${file}`)
}
