// The console's static serving: deep links get index.html, hashed assets a year's cache, a missing build a
// Russian page saying what to run, and the first-start key goes into the page only when it is given.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createConsole, isConsolePath, withBootKey } from '../../src/http/console.ts'
import { tempDir } from '../helpers/csv.ts'

function builtConsole(): string {
  const dist = tempDir('console-dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="ru"><head><title>Сверка</title></head><body><div id="root"></div></body></html>')
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  return dist
}
const get = (handler: ReturnType<typeof createConsole>, path: string, method = 'GET') => handler(new Request(`http://sverka.test${path}`, { method }))

describe('console serving', () => {
  it('answers index.html for / and for deep links, without caching it', async () => {
    const web = createConsole({ dist: builtConsole() })
    for (const path of ['/', '/zvonok', '/findings/abc?x=1']) {
      const response = await get(web, path)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain('text/html')
      expect(response.headers.get('cache-control')).toBe('no-cache')
      expect(await response.text()).toContain('<div id="root">')
    }
  })

  it('serves hashed assets with a year of cache; a missing one is a 404, not the page', async () => {
    const web = createConsole({ dist: builtConsole() })
    const asset = await get(web, '/assets/index-abc123.js')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toContain('text/javascript')
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(await asset.text()).toBe('console.log(1)')
    expect((await get(web, '/assets/index-old999.js')).status).toBe(404)
  })

  it('never serves a file outside the build', async () => {
    const web = createConsole({ dist: builtConsole() })
    const response = await get(web, '/%2e%2e/%2e%2e/etc/passwd')
    expect(await response.text()).not.toContain('root:')
  })

  it('says in Russian what to run when the console is not built', async () => {
    const web = createConsole({ dist: join(tempDir('console-none'), 'dist') })
    const response = await get(web, '/')
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(text).toContain('Консоль не собрана')
    expect(text).toContain('npm ci')
    expect(text).toContain('npm run web:build')
  })

  it('puts the boot key into the page only when given, as JSON that cannot close the script', async () => {
    const dist = builtConsole()
    expect(await (await get(createConsole({ dist }), '/')).text()).not.toContain('sverka-boot')
    const signedIn = await get(createConsole({ dist, bootKey: 'sk_test</script>' }), '/')
    expect(signedIn.headers.get('cache-control')).toBe('no-store')
    const html = await signedIn.text()
    expect(html).toContain('<script id="sverka-boot" type="application/json">{"key":"sk_test\\u003c/script>"}</script></head>')
    expect(withBootKey('<head></head>', undefined)).toBe('<head></head>')
  })

  it('leaves the API, GraphiQL and the operations endpoints alone', () => {
    for (const path of ['/graphql', '/graphiql-assets/graphiql.css', '/api/v1/incidents', '/health', '/metrics', '/admin/queues', '/admin/queues/api/queues']) {
      expect(isConsolePath(path), path).toBe(false)
    }
    for (const path of ['/', '/zvonok', '/findings', '/assets/index-abc.js']) expect(isConsolePath(path), path).toBe(true)
  })

  it('refuses writes', async () => {
    expect((await get(createConsole({ dist: builtConsole() }), '/', 'POST')).status).toBe(405)
  })
})
