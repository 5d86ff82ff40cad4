// The GraphQL endpoint as a whole: authentication, masked errors, limits, introspection by mode.
import { buildClientSchema, getIntrospectionQuery, parse, printSchema, validate } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { schema } from '../../src/graphql/schema/index.ts'
import { graphqlClient } from '../helpers/graphql.ts'

describe('GraphQL endpoint', () => {
  let db: Database
  let client: ReturnType<typeof graphqlClient>
  beforeAll(async () => {
    db = await openDatabase({ memory: true })
    await db.sql.query(`INSERT INTO market (code, name, "updatedAt") VALUES ('MSK', 'Москва', now()), ('SPB', 'Санкт-Петербург', now())`)
    client = graphqlClient(db, { production: false })
  })
  afterAll(async () => { await db?.close() })

  it('answers a request without a key with an authentication error and nothing else', async () => {
    const r = await client.request('{ markets { code } }')
    expect(r.status).toBe(401)
    expect(r.data ?? null).toBeNull()
    expect(r.errors).toHaveLength(1)
    expect(r.errors![0].extensions?.code).toBe('UNAUTHENTICATED')
    expect(r.errors![0].message).toMatch(/Authorization: Bearer/)
  })

  it('refuses unknown, malformed and revoked keys; unknown and revoked with one message (issue 11: the difference told that a key once existed)', async () => {
    const unknown = await client.request('{ markets { code } }', {}, 'sk_nope')
    expect([unknown.status, unknown.errors![0].message]).toEqual([401, 'неизвестный или отозванный ключ API'])
    const malformed = await client.request('{ markets { code } }', {}, null, { authorization: 'Basic abc' })
    expect(malformed.status).toBe(401)
    expect(malformed.errors![0].message).toMatch(/^неверный заголовок Authorization: ожидается Bearer <API key>$/)
    const key = await client.key('AUDITOR')
    await db.sql.query(`UPDATE api_key SET "revokedAt" = now() WHERE name = 'test AUDITOR:'`)
    const revoked = await client.request('{ markets { code } }', {}, key)
    expect(revoked).toEqual({ ...unknown, status: 401 })
  })

  it('limits a market-scoped key to its markets', async () => {
    const all = await client.request('{ markets { code } }', {}, await client.key('NSI_SPECIALIST'))
    expect(all.data.markets.map((m: { code: string }) => m.code)).toEqual(['MSK', 'SPB'])
    const spb = await client.key('SUPPORT_AGENT', ['SPB'])
    expect((await client.request('{ markets { code } }', {}, spb)).data.markets).toEqual([{ code: 'SPB' }])
    expect((await client.request('{ market(code: "MSK") { code } }', {}, spb)).data.market).toBeNull()
  })

  it('allows introspection without a key only on a development server', async () => {
    const q = '{ __schema { queryType { name } } }'
    expect((await client.request(q)).data.__schema.queryType.name).toBe('Query')
    const production = graphqlClient(db, { production: true })
    const denied = await production.request(q)
    expect(denied.status).toBe(401)
    expect(denied.data ?? null).toBeNull()
    // an introspection query that also reads data needs a key even in development
    expect((await client.request('{ __typename markets { code } }')).status).toBe(401)
  })

  it('answers the full introspection query (GraphiQL\'s docs and autocomplete) with a key, and without one on a development server (issue 12: refused as too deep)', async () => {
    const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true })
    const expected = printSchema(schema)
    for (const key of [await client.key('NSI_SPECIALIST'), null]) {
      const r = await client.request(full, {}, key)
      expect(r.errors, key ? 'with a key' : 'without a key').toBeUndefined()
      expect(printSchema(buildClientSchema(r.data))).toBe(expected)
    }
    // the schema's meta-fields count apart from data: a data query is still held to 12
    const spb = await client.key('SUPPORT_AGENT', ['SPB'])
    expect((await client.request('{ __schema { types { name } } markets { code } }', {}, spb)).data.markets).toEqual([{ code: 'SPB' }])
    // in production, none of it without a key
    const production = graphqlClient(db, { production: true })
    const denied = await production.request(full)
    expect([denied.status, denied.data ?? null]).toEqual([401, null])
    expect((await production.request(full, {}, await production.key('AUDITOR'))).errors).toBeUndefined()
  })

  it('refuses queries past the depth and cost limits, and bodies past the size limit', async () => {
    const key = await client.key('ADMIN')
    const nested = (levels: number, leaf: string) => Array.from({ length: levels }).reduce<string>((inner) => `ofType { ${inner} }`, leaf)
    const deepSchema = await client.request(`{ __schema { types { fields { type { ${nested(20, 'name')} } } } } }`, {}, key)
    expect(deepSchema.data ?? null).toBeNull()
    expect(deepSchema.errors![0].message).toBe('глубина запроса схемы 25 больше допустимой (20)')
    const deepData = await client.request(`{ contracts { edges { node { address { contracts { edges { node { customer { contracts { edges { node { product { markets { code } } } } } } } } } } } } } }`, {}, key)
    expect(deepData.data ?? null).toBeNull()
    expect(deepData.errors![0].message).toMatch(/^глубина запроса 1[3-9] больше допустимой \(12\)$/)
    const huge = await client.request(`{ markets { code } } # ${'x'.repeat(300 * 1024)}`, {}, key)
    expect(huge.status).toBe(413)
    expect(huge.errors![0].extensions?.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('answers syntax and type errors clearly, without a stack trace', async () => {
    const key = await client.key('ADMIN')
    const syntax = await client.request('{ markets { code }', {}, key)
    expect(syntax.errors![0].message).toMatch(/Syntax Error/)
    const wrongType = await client.request('{ market(code: 5) { code } }', {}, key)
    expect(wrongType.errors![0].message).toMatch(/String/)
    expect(JSON.stringify(wrongType)).not.toMatch(/at .*\.ts:\d+/)
  })

  it('refuses a NUL or a lone surrogate in any variable or string literal, and a body that is not UTF-8, as BAD_USER_INPUT naming where (issue 11: an internal error)', async () => {
    const key = await client.key('ADMIN')
    const refused = (r: Awaited<ReturnType<typeof client.request>>) => {
      expect(r.status, JSON.stringify(r)).toBe(400)
      expect(r.data ?? null).toBeNull()
      expect(r.errors).toHaveLength(1)
      expect(r.errors![0].extensions?.code).toBe('BAD_USER_INPUT')
      return r.errors![0]
    }
    const search = 'query($t: String!) { search(text: $t) { key } }'
    expect(refused(await client.request(search, { t: 'Ленина\u0000 5' }, key)).message).toBe('переменная $t (аргумент text в search): не должно содержать нулевой символ (U+0000)')
    expect(refused(await client.request(search, { t: 'Ленина \ud800' }, key)).message).toMatch(/^переменная \$t \(аргумент text в search\): не может содержать одиночный суррогат \(U\+D800\)/)
    const nested = refused(await client.request('mutation($i: IncidentInput!) { registerIncident(input: $i) { __typename } }', { i: { channel: 'PHONE', description: 'ok', address: 'a\u0000' } }, key))
    expect(nested.extensions?.problems).toEqual([{ field: '$i.address', code: 'INVALID_TEXT', message: 'не должно содержать нулевой символ (U+0000)' }])
    expect(nested.message).toMatch(/^переменная \$i\.address \(аргумент input в registerIncident\)/)
    // literals in the document, a variable's default and a fragment's arguments are read too
    expect(refused(await client.request('{ addresses(filter: { city: "a\\u0000" }) { totalCount } }', {}, key)).message).toBe('аргумент filter.city в addresses: не должно содержать нулевой символ (U+0000)')
    expect(refused(await client.request('query($t: String = "\\u0000") { search(text: $t) { key } }', {}, key)).message).toMatch(/^значение по умолчанию \$t: /)
    expect(refused(await client.request('{ ...F } fragment F on Query { market(code: "\\u0000") { code } }', {}, key)).message).toMatch(/^аргумент code в market: /)
    // a GET is read the same way; a query string that is not UTF-8 is refused
    const get = await client.yoga.fetch(`http://sverka.test/graphql?query=${encodeURIComponent(search)}&variables=${encodeURIComponent(JSON.stringify({ t: '\u0000' }))}`, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } })
    expect(get.status).toBe(400)
    const badQuery = await client.yoga.fetch('http://sverka.test/graphql?query=%7B%20markets%20%7B%20code%20%7D%20%7D%FF', { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } })
    expect([badQuery.status, ((await badQuery.json())).errors[0].message]).toEqual([400, 'строка запроса: не в кодировке UTF-8'])
    // bytes that are not UTF-8 in the body: refused, not read as U+FFFD
    const bytes = new Uint8Array([...new TextEncoder().encode(`{"query":"{ market(code: \\"`), 0xd0, 0x28, ...new TextEncoder().encode(`\\") { code } }"}`)])
    const raw = await client.yoga.fetch('http://sverka.test/graphql', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' }, body: bytes })
    expect([raw.status, ((await raw.json())).errors[0]]).toEqual([400, { message: 'тело запроса: не в кодировке UTF-8', extensions: { code: 'BAD_USER_INPUT', problems: [{ field: null, code: 'INVALID_TEXT', message: 'не в кодировке UTF-8' }] } }])
    // without a key the answer is still the authentication error, whatever the body holds
    expect((await client.request(search, { t: '\u0000' })).status).toBe(401)
    const anonymous = await client.yoga.fetch('http://sverka.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
    expect(anonymous.status).toBe(401)
    // well-formed text passes: Cyrillic, an emoji (a surrogate pair), wildcards
    const fine = await client.request(search, { t: 'Ленина 5 😀 %_\\' }, key)
    expect([fine.status, fine.errors]).toEqual([200, undefined])
  })

  it('serves GraphiQL and its assets itself (no CDN) on a development server, and neither in production', async () => {
    const page = await client.yoga.fetch('http://sverka.test/graphql', { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('/graphiql-assets/yoga-graphiql.umd.js')
    expect(html).not.toMatch(/unpkg|https?:\/\//)
    // issue 12: a title of its own everywhere (yoga filled in only the first __TITLE__), and a Russian example tab
    expect(html).toContain('<title>Sverka — GraphQL</title>')
    expect(html).toContain('<div id=root>Loading Sverka — GraphQL...</div>')
    expect(html).not.toContain('__TITLE__')
    const opts = JSON.parse(/renderYogaGraphiQL\(root,(\{.*\})\)\}\)<\/script>/.exec(html)![1])
    expect(opts.query).toContain('search(text: "Ленина 5 кв 12")')
    expect(opts.query).toContain('conflicts(for: { type: address, key: "A-DEMO-1" })')
    expect(opts.query).toMatch(/^# .*сверка/m)
    expect(validate(schema, parse(opts.query))).toEqual([])
    for (const asset of ['yoga-graphiql.umd.js', 'graphiql.css', 'monacoeditorwork/graphql.worker..bundle.js']) {
      const r = await client.yoga.fetch(`http://sverka.test/graphiql-assets/${asset}`)
      expect([asset, r.status]).toEqual([asset, 200])
      expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    }
    expect((await client.yoga.fetch('http://sverka.test/graphiql-assets/../../package.json')).status).toBe(404)
    const production = graphqlClient(db, { production: true })
    expect(await (await production.yoga.fetch('http://sverka.test/graphql', { headers: { accept: 'text/html' } })).text()).not.toContain('graphiql')
    expect((await production.yoga.fetch('http://sverka.test/graphiql-assets/graphiql.css')).status).not.toBe(200)
  })
})
