// What the server logs at which level (issue 11: every refused input was logged at error level): refusals the
// caller can correct — bad input, authentication failures, records not found, syntax — at info or debug; only
// an unexpected error at error, and once. The logger is replaced by a recorder for this file.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { createApp, type App } from '../../src/server.ts'

const records = vi.hoisted(() => [] as Array<{ level: string; module: string; msg: string; fields: unknown }>)

vi.mock('../../src/logger.ts', () => {
  const make = (module: string) => {
    const at = (level: string) => (first: unknown, msg?: string) =>
      records.push({ level, module, msg: typeof first === 'string' ? first : String(msg), fields: typeof first === 'string' ? null : first })
    return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => make(module) }
  }
  return { logger: make('root'), moduleLogger: make }
})

describe('error logging', () => {
  let db: Database
  let app: App
  let admin: string
  let revoked: string

  beforeAll(async () => {
    db = await openDatabase({ memory: true })
    app = createApp(db, { production: true })
    admin = (await createApiKey(db.prisma, { role: 'ADMIN', name: 'admin' })).key
    const old = await createApiKey(db.prisma, { role: 'ADMIN', name: 'old' })
    await db.prisma.apiKey.update({ where: { id: old.id }, data: { revokedAt: new Date() } })
    revoked = old.key
  })
  afterAll(async () => { await db?.close() })

  const graphql = async (query: string, variables: Record<string, unknown> = {}, key: string | null = admin) => {
    const r = await app(new Request('http://sverka.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    }))
    return { status: r.status, body: await r.json() as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } }
  }
  const rest = async (body: string, key: string | null = admin) => {
    const r = await app(new Request('http://sverka.test/api/v1/incidents', {
      method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body,
    }))
    return r.status
  }
  const levels = () => records.map((r) => r.level)

  it('logs refused input, failed authentication and not-found below error level', async () => {
    records.length = 0
    expect((await graphql('query($c: String) { addresses(filter: { city: $c }) { totalCount } }', { c: 'x'.repeat(300) })).body.errors![0].extensions!.code).toBe('BAD_USER_INPUT')
    expect((await graphql('query($t: String!) { search(text: $t) { key } }', { t: ' ' })).body.errors![0].extensions!.code).toBe('BAD_USER_INPUT')
    expect((await graphql('query($t: String!) { search(text: $t) { key } }', { t: '\u0000' })).status).toBe(400)
    expect((await graphql('{ markets { code ')).body.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED')
    expect((await graphql('{ nothing }')).body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED')
    expect((await graphql('{ markets { code } }', {}, 'sk_nope')).status).toBe(401)
    expect((await graphql('{ markets { code } }', {}, revoked)).status).toBe(401)
    expect((await graphql('{ markets { code } }', {}, null)).status).toBe(401)
    expect((await graphql('{ address(code: "NONE") { code } }')).body.data).toEqual({ address: null })
    expect((await graphql('mutation { acknowledgeFinding(fingerprint: "none") { __typename } }')).body.data).toEqual({ acknowledgeFinding: { __typename: 'NotFound' } })
    expect(await rest('{ not json')).toBe(400)
    expect(await rest(JSON.stringify({ channel: 'PIGEON', description: 'x' }))).toBe(400)
    expect(await rest(JSON.stringify({ channel: 'PHONE', description: '\u0000' }))).toBe(400)
    expect(await rest(JSON.stringify({ channel: 'PHONE', description: 'x' }), 'sk_nope')).toBe(401)
    expect(levels()).not.toContain('error')
    expect(levels()).not.toContain('warn')
    // authentication failures are worth seeing in production (info); the revoked key is named there, not in the answer
    const refusedKeys = records.filter((r) => r.msg === 'API key refused')
    expect(refusedKeys.map((r) => [r.level, (r.fields as { reason: string }).reason])).toEqual([['info', 'unknown'], ['info', 'revoked'], ['info', 'unknown']])
  })

  it('logs an unexpected error at error level, once, and masks it', async () => {
    await db.sql.exec('DROP TABLE market CASCADE')
    records.length = 0
    const r = await graphql('{ markets { code } }')
    expect(r.body.errors).toEqual([{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }])
    expect(records.filter((x) => x.level === 'error').map((x) => x.msg)).toEqual(['unexpected error in a GraphQL request'])
  })
})
