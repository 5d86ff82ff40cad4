// `sverka serve` as a newcomer runs it: an empty database (embedded or PostgreSQL) gets the demo dataset
// and an ADMIN key printed once beside the URL; with that key «Ленина 5» is found and its conflicts shown;
// SIGTERM stops it cleanly; a second start creates no second key and says how to get one; `sverka apikey`
// makes keys beside a running server on the embedded database (its local control channel).
import { execFile, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { oneLine, type CliResult } from '../helpers/cli.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase } from '../helpers/db.ts'
import { serveIn } from '../helpers/serve.ts'

const serve = serveIn

/**
 * `sverka` on `dataDir` beside the running server, without blocking this process: a blocked event loop misses
 * the server closing an idle keep-alive connection, and the next fetch fails on it («other side closed»).
 */
function sverkaBeside(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, SVERKA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  delete env.VITEST
  return (...args: string[]) => new Promise<CliResult>((resolve) => {
    execFile(process.execPath, ['src/cli/sverka.mjs', ...args], { env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
}

async function graphql(url: string, key: string | null, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  })
  return { status: response.status, body: await response.json() }
}

describe('sverka serve', () => {
  const running: ChildProcess[] = []
  afterAll(() => { for (const c of running) c.kill('SIGKILL') })

  it('starts on an empty embedded database with the demo and a first ADMIN key; «Ленина 5» shows its conflicts', async () => {
    const dataDir = tempDir('serve')
    const first = serve(dataDir)
    running.push(first.child)
    const { url, key } = await first.ready
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/)
    expect(key).toMatch(/^sk_/)
    expect(first.output().stderr).toMatch(/Демонстрационные данные загружены: записей \d+, открытых находок \d+/)

    expect((await graphql(url, null, '{ markets { code } }')).status).toBe(401)
    const found = await graphql(url, key, 'query($q: String!) { search(text: $q, types: [address]) { key label } }', { q: 'Ленина 5 кв 12' })
    expect(found.body.errors).toBeUndefined()
    const hit = found.body.data.search[0]
    expect(hit.key).toMatch(/^A-DEMO-[12]$/)
    const conflicts = await graphql(url, key, `query($k: String!) { conflicts(for: { type: address, key: $k }) { count findings { ruleId severity status message } } }`, { k: hit.key })
    expect(conflicts.body.errors).toBeUndefined()
    const rules = conflicts.body.data.conflicts.findings.map((f: { ruleId: string }) => f.ruleId)
    expect(rules).toEqual(expect.arrayContaining(['address-duplicate', 'contract-overlap', 'equipment-duplicate-serial']))

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    // the second start: data kept, no demo again, no new key printed, but how to get one
    const second = serve(dataDir)
    running.push(second.child)
    const again = await second.ready
    expect(again.key).toBeNull()
    expect(second.output().stderr).not.toMatch(/Демонстрационные данные загружены/)
    expect(second.output().stdout).toMatch(/npx sverka apikey create --role ADMIN/)
    expect((await graphql(again.url, key, '{ markets { code } }')).body.data.markets.length).toBeGreaterThan(0)

    // the server holds the embedded database; `sverka apikey` asks it over the control channel
    const control = join(dataDir, 'control.json')
    expect(statSync(control).mode & 0o777).toBe(0o600)
    const sverka = sverkaBeside(dataDir)
    const made = await sverka('apikey', 'create', '--role', 'AUDITOR', '--name', 'after restart')
    expect(made.code, made.stderr).toBe(0)
    const newKey = made.stdout.trim()
    expect(newKey).toMatch(/^sk_/)
    expect(made.stderr).toMatch(/создан запущенным sverka serve, процесс \d+/)
    expect((await graphql(again.url, newKey, '{ markets { code } }')).body.data.markets.length).toBeGreaterThan(0)
    const listed = await sverka('apikey', 'list')
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(/\s+AUDITOR\s+все рынки\s+after restart\s+действует$/m)
    const revoked = await sverka('apikey', 'revoke', newKey.slice(0, 10))
    expect(revoked.code, revoked.stderr).toBe(0)
    expect((await graphql(again.url, newKey, '{ markets { code } }')).status).toBe(401)
    const refused = await sverka('apikey', 'create', '--role', 'JANITOR')
    expect(refused.code).toBe(2)
    expect(oneLine(refused.stderr)).toMatch(/неизвестная роль «JANITOR» \(допустимо: /)
    // the channel answers its token only
    const { url: controlUrl } = JSON.parse(readFileSync(control, 'utf8')) as { url: string }
    expect(controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const forged = await fetch(`${controlUrl}/apikeys/create`, { method: 'POST', headers: { authorization: 'Bearer guess' }, body: '{"role":"ADMIN"}' })
    expect(forged.status).toBe(401)
    // other commands still meet the lock, and are told what works beside the server
    const audit = await sverka('audit')
    expect(audit.code).toBe(2)
    expect(oneLine(audit.stderr)).toMatch(/занята процессом .*\(sverka apikey работает рядом с запущенным сервером\)/)

    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    expect(existsSync(control)).toBe(false)
    // with the server stopped the command opens the database itself
    const offline = await sverka('apikey', 'list')
    expect(offline.code, offline.stderr).toBe(0)
    expect(offline.stdout).toMatch(/\s+AUDITOR\s+все рынки\s+after restart\s+отозван \d{4}-/)
  }, 240_000)

  it.runIf(backends.includes('postgres'))('on an empty PostgreSQL database: the demo and one ADMIN key, made once even when two servers start together', async () => {
    const db = await testDatabase('postgres')
    try {
      const dirA = tempDir('serve-pg')
      const [a, b] = [serve(dirA, { databaseUrl: db.url }), serve(tempDir('serve-pg'), { databaseUrl: db.url })]
      running.push(a.child, b.child)
      const [first, second] = await Promise.all([a.ready, b.ready])
      const keys = [first.key, second.key].filter((k) => k !== null)
      expect(keys).toHaveLength(1)
      const demoLines = [a, b].map((s) => s.output().stderr).filter((e) => /Демонстрационные данные загружены: записей \d+/.test(e))
      expect(demoLines).toHaveLength(1)
      // no embedded database, so no control channel: the CLI reaches PostgreSQL itself
      expect(existsSync(join(dirA, 'control.json'))).toBe(false)
      const found = await graphql(first.url, keys[0], 'query($q: String!) { search(text: $q, types: [address]) { key } }', { q: 'Ленина 5 кв 12' })
      expect(found.body.data.search[0].key).toMatch(/^A-DEMO-[12]$/)
      expect((await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM api_key')).rows[0].n).toBe(1)
      a.child.kill('SIGTERM'); b.child.kill('SIGTERM')
      expect(await a.exited).toBe(0)
      expect(await b.exited).toBe(0)

      // a restart prints no key, and says how to get one
      const again = serve(tempDir('serve-pg'), { databaseUrl: db.url })
      running.push(again.child)
      expect((await again.ready).key).toBeNull()
      expect(again.output().stdout).toMatch(/apikey create --role ADMIN .*\(с тем же DATABASE_URL\)/)
      again.child.kill('SIGTERM')
      expect(await again.exited).toBe(0)
    } finally {
      await db.close()
    }
  }, 240_000)

  it.runIf(backends.includes('postgres'))('--no-demo on an empty PostgreSQL database: the ADMIN key, no data', async () => {
    const db = await testDatabase('postgres')
    try {
      const s = serve(tempDir('serve-pg'), { databaseUrl: db.url, args: ['--no-demo'] })
      running.push(s.child)
      const { url, key } = await s.ready
      expect(key).toMatch(/^sk_/)
      expect(s.output().stderr).toMatch(/без демонстрационных данных \(--no-demo\)/)
      expect((await graphql(url, key, '{ markets { code } }')).body.data.markets).toEqual([])
      s.child.kill('SIGTERM')
      expect(await s.exited).toBe(0)
    } finally {
      await db.close()
    }
  }, 120_000)
})
