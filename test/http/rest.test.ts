// The REST intake webhook through createApp (no port): 201 new, 200 the same externalRef again, 400 with
// field problems, 401 without or with a bad key, 403 for a role without intake, 413, 415, 404, 405, and
// the exact answer shape { id, links, unresolved, resolved }.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { MAX_BODY_BYTES } from '../../src/graphql/yoga.ts'
import { createApp, type App } from '../../src/server.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { findingOn, loadHandMade } from '../incidents/fixture.ts'

describe.each(backends)('REST intake on %s', (backend) => {
  let db: TestDatabase
  let app: App
  let desk: string
  let auditor: string
  let overlap: string
  let inactive: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
    app = createApp(db, { production: true })
    desk = (await createApiKey(db.prisma, { role: 'SERVICE_DESK', name: 'remedy' })).key
    auditor = (await createApiKey(db.prisma, { role: 'AUDITOR', name: 'auditor' })).key
    overlap = await findingOn(db, 'contract-overlap', 'contract', 'D-7')
    inactive = await findingOn(db, 'equipment-on-inactive-contract', 'equipment', 'INV-9')
  }, 120_000)
  afterAll(async () => { await db?.close() })

  const post = async (path: string, body: unknown, key: string | null = desk, headers: Record<string, string> = {}) => {
    const response = await app(new Request(`http://sverka.test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }))
    return { status: response.status, headers: response.headers, body: await response.json() }
  }

  it('registers an incident: 201 with id, links, unresolved and resolved; the same externalRef again: 200, the same answer', async () => {
    const body = { channel: 'EXTERNAL_SYSTEM', externalRef: 'INC000123', address: 'ленина 5 кв 12', equipment: 'hwtc-8dce-f9f6', customer: 'Неизвестный', description: 'нет интернета' }
    const first = await post('/api/v1/incidents', body)
    expect(first.status).toBe(201)
    expect(Object.keys(first.body)).toEqual(['id', 'links', 'unresolved', 'resolved'])
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(first.body.unresolved).toEqual([{ field: 'customer', value: 'Неизвестный', reason: 'ни одна запись типа «клиент» не совпала (проверено: по ключу, по имени)' }])
    expect(first.body.resolved).toEqual([
      { field: 'address', value: 'ленина 5 кв 12', type: 'address', key: 'A-1', how: 'address normalised' },
      { field: 'equipment', value: 'hwtc-8dce-f9f6', type: 'equipment', key: 'INV-9', how: 'serial normalised' },
    ])
    for (const link of first.body.links) expect(Object.keys(link)).toEqual(['finding', 'ruleId', 'reason'])
    expect(first.body.links.map((l: any) => l.finding)).toEqual(expect.arrayContaining([overlap, inactive]))
    expect(first.body.links.find((l: any) => l.finding === inactive)).toEqual({
      finding: inactive, ruleId: 'equipment-on-inactive-contract', reason: 'оборудование INV-9 (введено «hwtc-8dce-f9f6», совпадение по серийному номеру): находка правила equipment-on-inactive-contract по этой записи',
    })

    const again = await post('/api/v1/incidents', { ...body, description: 'повторная доставка' })
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
    expect(again.body.unresolved).toEqual(first.body.unresolved)
    expect(again.body.resolved).toEqual(first.body.resolved)
    expect(again.body.links.map((l: any) => l.finding).sort()).toEqual(first.body.links.map((l: any) => l.finding).sort())
    expect(await db.prisma.incident.count({ where: { externalRef: 'INC000123' } })).toBe(1)
  })

  it('registers a complaint on its own endpoint, whatever kind the body claims', async () => {
    const r = await post('/api/v1/complaints', { channel: 'EMAIL', contract: 'D-7', kind: 'INCIDENT', description: 'жалоба' })
    expect(r.status).toBe(201)
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: r.body.id } })).kind).toBe('COMPLAINT')
  })

  it('answers 400 with the field problems for invalid input and for a body that is not a JSON object', async () => {
    const bad = await post('/api/v1/incidents', { channel: 'PIGEON', externalRef: 'x'.repeat(101), description: 'x' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    expect(bad.body.error.problems.map((p: any) => [p.field, p.code])).toEqual([['channel', 'INVALID_VALUE'], ['externalRef', 'TOO_LONG']])
    const empty = await post('/api/v1/incidents', { channel: 'PHONE' })
    expect([empty.status, empty.body.error.problems]).toEqual([400, [{ field: null, code: 'REQUIRED', message: 'укажите описание или хотя бы одно из полей: customer, address, contract, equipment' }]])
    expect((await post('/api/v1/incidents', '{ not json')).body).toEqual({ error: { code: 'BAD_REQUEST', message: 'тело запроса — не JSON' } })
    expect((await post('/api/v1/incidents', '[1]')).status).toBe(400)
  })

  it('answers 400 naming the field for a NUL or a lone surrogate anywhere in the body, and for a body that is not UTF-8 (issue 11: a 500)', async () => {
    const nul = await post('/api/v1/incidents', { channel: 'PHONE', externalRef: 'INC-NUL', description: 'нет\u0000 интернета' })
    expect([nul.status, nul.body]).toEqual([400, { error: {
      code: 'VALIDATION_FAILED', message: 'description: не должно содержать нулевой символ (U+0000)',
      problems: [{ field: 'description', code: 'INVALID_TEXT', message: 'не должно содержать нулевой символ (U+0000)' }],
    } }])
    const surrogate = await post('/api/v1/complaints', { channel: 'PHONE', address: 'Ленина \udc00', extra: { list: ['ok', '\u0000'] } })
    expect([surrogate.status, surrogate.body.error.problems.map((p: any) => p.field)]).toEqual([400, ['address', 'extra.list.1']])
    for (const field of ['channel', 'externalRef', 'customer', 'address', 'contract', 'equipment', 'description']) {
      const r = await post('/api/v1/incidents', { channel: 'PHONE', description: 'x', [field]: `a\u0000${field}` })
      expect([field, r.status, r.body.error.problems[0].field]).toEqual([field, 400, field])
    }
    const notUtf8 = await app(new Request('http://sverka.test/api/v1/incidents', {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${desk}` },
      body: new Uint8Array([...new TextEncoder().encode('{"channel":"PHONE","description":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]),
    }))
    expect([notUtf8.status, await notUtf8.json()]).toEqual([400, { error: { code: 'BAD_REQUEST', message: 'тело запроса — не текст в кодировке UTF-8' } }])
    expect(await db.prisma.incident.count({ where: { externalRef: 'INC-NUL' } })).toBe(0)
  })

  it('answers 401 without a key or with an unknown one, 403 for a role without the intake permission', async () => {
    const none = await post('/api/v1/incidents', { channel: 'PHONE', description: 'x' }, null)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect(none.body.error.code).toBe('UNAUTHENTICATED')
    const unknown = await post('/api/v1/incidents', { channel: 'PHONE', description: 'x' }, 'sv_nope')
    expect([unknown.status, unknown.body]).toEqual([401, { error: { code: 'UNAUTHENTICATED', message: 'неизвестный или отозванный ключ API' } }])
    // a revoked key is answered exactly like one that never existed
    const { key: gone, id } = await createApiKey(db.prisma, { role: 'SERVICE_DESK', name: 'revoked desk' })
    await db.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } })
    const revoked = await post('/api/v1/incidents', { channel: 'PHONE', description: 'x' }, gone)
    expect([revoked.status, revoked.body]).toEqual([unknown.status, unknown.body])
    const forbidden = await post('/api/v1/incidents', { channel: 'PHONE', description: 'x' }, auditor)
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'FORBIDDEN'])
    expect(await db.prisma.incident.count({ where: { description: 'x' } })).toBe(0)
  })

  it('refuses oversized bodies (413), other content types (415), other methods (405) and paths (404); GraphQL still answers', async () => {
    const big = await post('/api/v1/incidents', { channel: 'PHONE', description: 'я'.repeat(MAX_BODY_BYTES) })
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
    expect((await post('/api/v1/incidents', 'channel=PHONE', desk, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    const get = await app(new Request('http://sverka.test/api/v1/incidents', { headers: { authorization: `Bearer ${desk}` } }))
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST'])
    expect((await post('/api/v1/nothing', {})).status).toBe(404)
    const graphql = await app(new Request('http://sverka.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${desk}` }, body: JSON.stringify({ query: '{ markets { code } }' }),
    }))
    expect(graphql.status).toBe(200)
  })
})
