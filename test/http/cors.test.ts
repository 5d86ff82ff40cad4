// Cross-origin access (issue 11: yoga's default reflected any Origin, with credentials): by default no answer of
// /graphql, /api/v1/, /health or /metrics carries Access-Control-Allow-* for any origin; with SVERKA_CORS_ORIGINS
// the listed origins (and only they) may read them — preflight included — never with credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { corsOrigins } from '../../src/http/cors.ts'
import { createApp, type App } from '../../src/server.ts'

const EVIL = 'https://evil.example'
const DESK = 'https://desk.example.ru'

describe('CORS', () => {
  let db: Database
  let key: string
  beforeAll(async () => {
    db = await openDatabase({ memory: true })
    key = (await createApiKey(db.prisma, { role: 'ADMIN', name: 'admin' })).key
  })
  afterAll(async () => { await db?.close() })

  const corsHeaders = (r: Response) => [...r.headers].filter(([name]) => name.startsWith('access-control-'))

  /** Each endpoint's answer to a simple request and to a preflight from `origin`. */
  async function answers(app: App, origin: string) {
    const out: Array<{ what: string; status: number; cors: Array<[string, string]> }> = []
    const auth = { authorization: `Bearer ${key}`, origin }
    const requests: Array<[string, Request]> = [
      ['graphql POST', new Request('http://sverka.test/graphql', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ markets { code } }' }) })],
      ['graphql GET', new Request('http://sverka.test/graphql?query=%7B%20markets%20%7B%20code%20%7D%20%7D', { headers: { ...auth, accept: 'application/json' } })],
      ['rest POST', new Request('http://sverka.test/api/v1/incidents', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'PHONE', description: 'cors' }) })],
      ['health', new Request('http://sverka.test/health', { headers: { origin } })],
      ['metrics', new Request('http://sverka.test/metrics', { headers: auth })],
    ]
    for (const path of ['/graphql', '/api/v1/incidents', '/health', '/metrics']) {
      requests.push([`preflight ${path}`, new Request(`http://sverka.test${path}`, {
        method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      })])
    }
    for (const [what, request] of requests) {
      const r = await app(request)
      out.push({ what, status: r.status, cors: corsHeaders(r) })
    }
    return out
  }

  it('by default lets no other origin read any answer, and never sends credentials (issue 11)', async () => {
    const app = createApp(db, { production: true, corsOrigins: [] })
    for (const a of await answers(app, EVIL)) expect(a.cors, a.what).toEqual([])
  })

  it('reads SVERKA_CORS_ORIGINS by default', async () => {
    const saved = process.env.SVERKA_CORS_ORIGINS
    try {
      delete process.env.SVERKA_CORS_ORIGINS
      for (const a of await answers(createApp(db, { production: true }), DESK)) expect(a.cors, a.what).toEqual([])
      process.env.SVERKA_CORS_ORIGINS = DESK
      const r = await createApp(db, { production: true })(new Request('http://sverka.test/health', { headers: { origin: DESK } }))
      expect(r.headers.get('access-control-allow-origin')).toBe(DESK)
    } finally {
      if (saved === undefined) delete process.env.SVERKA_CORS_ORIGINS
      else process.env.SVERKA_CORS_ORIGINS = saved
    }
  })

  it('with a list of origins, answers those origins (preflight included) without credentials, and no other', async () => {
    const app = createApp(db, { production: true, corsOrigins: corsOrigins(`${DESK}, https://console.example.ru:8443`) })
    for (const a of await answers(app, DESK)) {
      expect(a.status, a.what).toBeLessThan(300)
      const headers = Object.fromEntries(a.cors)
      expect(headers['access-control-allow-origin'], a.what).toBe(DESK)
      expect(headers['access-control-allow-credentials'], a.what).toBeUndefined()
      if (a.what.startsWith('preflight')) {
        expect(headers['access-control-allow-headers'], a.what).toMatch(/authorization/)
        expect(headers['access-control-allow-methods'], a.what).toMatch(/POST/)
      }
    }
    for (const origin of [EVIL, 'null', `${DESK}.evil.example`, 'http://desk.example.ru']) {
      for (const a of await answers(app, origin)) {
        expect(a.cors, `${origin} ${a.what}`).toEqual([])
      }
    }
    // the queue dashboard is never cross-origin
    const board = await app(new Request('http://sverka.test/admin/queues', { headers: { origin: DESK } }))
    expect(corsHeaders(board)).toEqual([])
  })

  it('refuses a SVERKA_CORS_ORIGINS entry that is not an origin, naming it', () => {
    expect(corsOrigins(undefined)).toEqual([])
    expect(corsOrigins(' https://A.example/ ,http://b.example:8080 https://a.example')).toEqual(['https://a.example', 'http://b.example:8080'])
    for (const bad of ['*', 'null', 'desk.example.ru', 'https://desk.example.ru/console', 'ftp://x.example', 'https://u:p@x.example', 'https://x.example/?a=1']) {
      expect(() => corsOrigins(bad), bad).toThrow(/SVERKA_CORS_ORIGINS: .* — не источник запросов; ожидается scheme:\/\/host\[:port\]/)
    }
  })
})
