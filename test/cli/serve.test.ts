// `sverka serve` as a newcomer runs it: an empty embedded database gets the demo dataset and an ADMIN
// key printed once beside the URL; with that key «Ленина 5» is found and its conflicts shown; SIGTERM
// stops it cleanly; a second start creates no second key.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/csv.ts'

function serve(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, SVERKA_DATA_DIR: dataDir, SVERKA_DEMO_SCALE: '150', LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  delete env.VITEST
  const child = spawn(process.execPath, ['src/cli/sverka.mjs', 'serve', '--port', '0'], { env })
  let stdout = '', stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const ready = new Promise<{ url: string; key: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}\n${stderr}`)), 110_000)
    child.stdout.on('data', () => {
      const url = /Sverka GraphQL API: (\S+)/.exec(stdout)?.[1]
      // the key line follows the URL line in the same write when there is one
      if (url && (stdout.includes('Send it as the header') || !stdout.includes('ADMIN API key'))) {
        clearTimeout(timer)
        resolve({ url, key: /ADMIN API key[^:]*: (sk_\S+)/.exec(stdout)?.[1] ?? null })
      }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${stderr}`)) })
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, ready, exited, output: () => ({ stdout, stderr }) }
}

async function graphql(url: string, key: string | null, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  })
  return { status: response.status, body: await response.json() as any }
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
    expect(first.output().stderr).toMatch(/Demo loaded: \d+ records, \d+ open findings/)

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

    // the second start: data kept, no demo again, no new key printed
    const second = serve(dataDir)
    running.push(second.child)
    const again = await second.ready
    expect(again.key).toBeNull()
    expect(second.output().stderr).not.toMatch(/Demo loaded/)
    expect((await graphql(again.url, key, '{ markets { code } }')).body.data.markets.length).toBeGreaterThan(0)
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 240_000)
})
