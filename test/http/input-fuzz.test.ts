// Hostile text everywhere text goes in (issue 11): random strings — NUL, lone surrogates, LIKE wildcards, backslashes,
// quotes, Cyrillic, emoji, 10 KB — sent to every string position of every query and mutation (found from the schema,
// so a new field or input field is covered without touching this file: String and ID arguments, in lists and
// input objects), as variables and as literals in the document; and to every field of the REST intake, as JSON values
// of any shape and as bodies that are not UTF-8. Never an HTTP 500, never an INTERNAL_SERVER_ERROR; text that cannot
// be stored is refused as BAD_USER_INPUT (GraphQL) or 400 (REST).
import fc from 'fast-check'
import {
  astFromValue, getNamedType, isCompositeType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType, isScalarType, print,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType,
} from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/access/api-keys.ts'
import { schema } from '../../src/graphql/schema/index.ts'
import { textProblem, textProblems } from '../../src/input-text.ts'
import { createApp, type App } from '../../src/server.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { findingOn, loadHandMade } from '../incidents/fixture.ts'

// ─── the string positions of the schema ───

/** One place a string goes: a root field, its argument, and the path inside that argument's value. */
interface Position {
  operation: 'query' | 'mutation'
  field: GraphQLField<unknown, unknown>
  arg: GraphQLArgument
  /** input-object field names and `[]` for a list item, from the argument down to the string */
  path: string[]
}

const isText = (type: GraphQLInputType) => {
  const named = getNamedType(type)
  return isScalarType(named) && (named.name === 'String' || named.name === 'ID')
}

/** Every path from `type` down to a String or ID, through lists and input objects (each input type once per path). */
function textPaths(type: GraphQLInputType, seen: ReadonlySet<string> = new Set()): string[][] {
  if (isNonNullType(type)) return textPaths(type.ofType, seen)
  if (isListType(type)) return textPaths(type.ofType, seen).map((p) => ['[]', ...p])
  if (isText(type)) return [[]]
  if (!isInputObjectType(type) || seen.has(type.name)) return []
  const inner = new Set([...seen, type.name])
  return Object.values(type.getFields()).flatMap((f) => textPaths(f.type, inner).map((p) => [f.name, ...p]))
}

function positions(): Position[] {
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const
  return roots.flatMap(([operation, root]) => Object.values(root!.getFields()).flatMap((field) =>
    field.args.flatMap((arg) => textPaths(arg.type).map((path) => ({ operation, field, arg, path })))))
}

// values for the required parts around the fuzzed one: plausible, so that the request gets as far as it can
const PLAUSIBLE: Record<string, unknown> = { cron: '0 2 * * *', timezone: 'Europe/Moscow', recipients: ['fuzz@example.ru'], role: 'AUDITOR' }

/** A value of `type` with only its required parts filled; `name` is the field or argument it is for. */
function required(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return required(type.ofType, name)
  if (name in PLAUSIBLE) return PLAUSIBLE[name]
  if (isListType(type)) return [required(type.ofType, name)]
  if (isEnumType(type)) return type.getValues()[0].value
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => [f.name, required(f.type, f.name)]))
  }
  const scalar = getNamedType(type).name
  // an id that names nothing: a fuzz run never revokes, deletes or runs a real record
  return { String: 'FUZZ', ID: 'FUZZ', Int: 999_999, Float: 1.5, Boolean: false, Date: '2026-01-31', DateTime: '2026-01-31T00:00:00.000Z', JSON: {} }[scalar] ?? 'FUZZ'
}

/** The argument's value with `text` at `path` and the required parts around it. */
function valueWith(type: GraphQLInputType, path: string[], text: string): unknown {
  if (isNonNullType(type)) return valueWith(type.ofType, path, text)
  if (path.length === 0) return text
  const [step, ...rest] = path
  if (isListType(type)) return [valueWith(type.ofType, rest, text)]
  if (!isInputObjectType(type)) throw new Error(`no field ${step} in ${String(type)}`)
  const field = type.getFields()[step]
  return { ...(required(type, '') as object), [step]: valueWith(field.type, rest, text) }
}

/** The request for one position: a variable per argument given (the fuzzed one a literal when `literal`). */
function request(p: Position, text: string, literal: boolean): { query: string; variables: Record<string, unknown> } | null {
  const variables: Record<string, unknown> = {}
  const declared: string[] = []
  const passed: string[] = []
  for (const arg of p.field.args) {
    if (arg !== p.arg && !isNonNullType(arg.type)) continue
    const value = arg === p.arg ? valueWith(arg.type, p.path, text) : required(arg.type, arg.name)
    if (arg === p.arg && literal) {
      const ast = astFromValue(value, arg.type)
      if (!ast) return null
      passed.push(`${arg.name}: ${print(ast)}`)
      continue
    }
    variables[arg.name] = value
    declared.push(`$${arg.name}: ${String(arg.type)}`)
    passed.push(`${arg.name}: $${arg.name}`)
  }
  const selection = selectionOf(p.field)
  return { query: `${p.operation}${declared.length ? `(${declared.join(', ')})` : ''} { ${p.field.name}(${passed.join(', ')})${selection} }`, variables }
}

/**
 * What to ask of a field's answer: the scalars of an object (a connection's totalCount makes it count, which a
 * bare __typename would not), the type of a union or interface.
 */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type)
  if (!isCompositeType(type)) return ''
  const leaves = isObjectType(type)
    ? Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type))).map((f) => f.name)
    : []
  return ` { __typename ${leaves.join(' ')} }`
}

// ─── hostile text ───

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('%', '_', '\\', '\u0000', '\ud800', '\udfff', '😀', 'ё', 'Ё', 'Москва', 'ул. Ленина 5к2-12', ' ', '"', "'", '$1', '*', '[a-z]', '(?:', '}', '\n', '\u200b', '8 916 123-45-67') },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
)
const hostileText = fc.oneof(
  { weight: 9, arbitrary: fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('')) },
  // about 10 KB
  { weight: 1, arbitrary: fc.tuple(fc.array(piece, { maxLength: 3 }), fc.constantFrom('я', 'a', '%', '\\', '5')).map(([parts, c]) => `${parts.join('')}${c.repeat(10_240)}`) },
)
/**
 * Strings every position gets at least once, whatever the random runs pick: as variables, a trailing backslash
 * after wildcards, 10 KB of Cyrillic, a NUL and a lone surrogate; as a literal, a NUL. On the second database only
 * what reaches it and behaves differently there: wildcards and the backslash, as a variable and as a literal.
 */
const ALWAYS = {
  pglite: { variables: ['%_\\', 'я'.repeat(10_240), 'a\u0000b', 'Ленина \ud800'], literals: ['a\u0000b'] },
  postgres: { variables: ['%_\\'], literals: ['%_\\'] },
}

/** An answer is acceptable: no 500, no masked unexpected error; text that cannot be stored is refused as input. */
function expectHandled(what: string, status: number, body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> }, text: string) {
  expect(status, what).toBeLessThan(500)
  for (const e of body.errors ?? []) {
    // every error says what kind it is: an error without a code is one nobody meant
    expect(e.extensions?.code, `${what}: ${e.message}`).toMatch(/^[A-Z_]+$/)
    expect(e.extensions?.code, `${what}: ${e.message}`).not.toBe('INTERNAL_SERVER_ERROR')
    expect(e.message, what).not.toBe('Unexpected error.')
  }
  if (textProblem(text) !== null) {
    expect(body.data ?? null, what).toBeNull()
    expect(body.errors?.map((e) => e.extensions?.code), what).toEqual([expect.stringMatching(/^(BAD_USER_INPUT|GRAPHQL_PARSE_FAILED)$/)])
  }
}

const describeWhat = (p: Position, text: string, literal: boolean) =>
  `${p.field.name}(${[p.arg.name, ...p.path].join('.')}) ${literal ? 'literal' : 'variable'} ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…(${text.length})` : text)}`

describe('the schema has string positions to fuzz', () => {
  it('finds them in arguments, lists and input objects of queries and mutations', () => {
    const found = positions().map((p) => `${p.field.name}.${[p.arg.name, ...p.path].join('.')}`)
    expect(found.length).toBeGreaterThan(100)
    expect(found).toEqual(expect.arrayContaining(['search.text', 'addresses.filter.city', 'addresses.after', 'registerIncident.input.description', 'runAudit.rules.[]', 'createAddress.input.text']))
    // each can be sent both ways: as a variable and as a literal in the document
    expect(positions().filter((p) => request(p, 'x', true) === null || request(p, 'x', false) === null).map((p) => p.field.name)).toEqual([])
  })
})

describe.each(backends)('hostile input on %s', (backend) => {
  let db: TestDatabase
  let app: App
  let keys: string[]
  let desk: string
  // fewer random runs on the second database: the first has found what random strings find
  const runs = backend === 'pglite' ? 250 : 80

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
    // a finding that exists: the workflow mutations get as far as their reason and comment
    PLAUSIBLE.fingerprint = await findingOn(db, 'contract-overlap', 'contract', 'D-7')
    app = createApp(db, { production: true })
    keys = [(await createApiKey(db.prisma, { role: 'ADMIN', name: 'fuzz admin' })).key, (await createApiKey(db.prisma, { role: 'NSI_SPECIALIST', markets: ['MSK'], name: 'fuzz msk' })).key]
    desk = (await createApiKey(db.prisma, { role: 'SERVICE_DESK', name: 'fuzz desk' })).key
  }, 120_000)
  afterAll(async () => {
    // an audit started by runAudit(market: "") runs on in the background: let it end before the database closes
    for (let i = 0; i < 300 && db && await db.prisma.auditRun.count({ where: { status: { in: ['RUNNING', 'QUEUED'] } } }) > 0; i++) await new Promise((r) => setTimeout(r, 100))
    await db?.close()
  })

  const graphql = async (body: { query: string; variables: Record<string, unknown> }, key: string) => {
    const r = await app(new Request('http://sverka.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    }))
    const text = await r.text()
    return { status: r.status, body: JSON.parse(text) as Parameters<typeof expectHandled>[2] }
  }

  const send = async (p: Position, text: string, literal: boolean, key: string) => {
    const body = request(p, text, literal)
    if (!body) return
    const r = await graphql(body, key)
    expectHandled(`${describeWhat(p, text, literal)}\n${body.query}`, r.status, r.body, text)
  }

  it('every string position of every query and mutation takes the usual suspects', async () => {
    for (const p of positions()) {
      for (const text of ALWAYS[backend].variables) await send(p, text, false, keys[0])
      for (const text of ALWAYS[backend].literals) await send(p, text, true, keys[0])
    }
  })

  it('random hostile strings, as variables or literals, for an unlimited and a market-limited key', async () => {
    const all = positions()
    await fc.assert(fc.asyncProperty(fc.constantFrom(...all), hostileText, fc.boolean(), fc.constantFrom(0, 1), async (p, text, literal, key) => {
      await send(p, text, literal, keys[key])
    }), { numRuns: runs })
  })

  const rest = async (body: BodyInit, path = '/api/v1/incidents') => {
    const r = await app(new Request(`http://sverka.test${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${desk}` }, body,
    }))
    const text = await r.text()
    return { status: r.status, body: JSON.parse(text) as { error?: { code: string; message: string } } }
  }
  const FIELDS = ['channel', 'externalRef', 'customer', 'address', 'contract', 'equipment', 'description'] as const

  it('the REST intake takes hostile text and JSON of any shape in every field: never a 500', async () => {
    const value = fc.oneof({ weight: 6, arbitrary: hostileText }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.constantFrom('PHONE', 'EMAIL', null) })
    const body = fc.record(Object.fromEntries(FIELDS.map((f) => [f, value])) as Record<(typeof FIELDS)[number], typeof value>, { requiredKeys: [] })
    await fc.assert(fc.asyncProperty(body, fc.constantFrom('/api/v1/incidents', '/api/v1/complaints'), async (fields, path) => {
      const r = await rest(JSON.stringify(fields), path)
      expect([200, 201, 400], `${JSON.stringify(fields).slice(0, 300)}: ${JSON.stringify(r.body)}`).toContain(r.status)
      const invalid = textProblems(fields).length > 0
      if (invalid) expect(r.status, JSON.stringify(fields).slice(0, 300)).toBe(400)
    }), { numRuns: backend === 'pglite' ? 100 : 40 })
  })

  it('the REST intake refuses bodies that are not UTF-8 or not JSON with a 400, never a 500', async () => {
    const prefix = new TextEncoder().encode('{"channel":"PHONE","description":"')
    const suffix = new TextEncoder().encode('"}')
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.boolean(), async (bytes, wrapped) => {
      const body = wrapped ? new Uint8Array([...prefix, ...bytes, ...suffix]) : bytes
      const r = await rest(body)
      expect([200, 201, 400], `${Buffer.from(body).toString('hex')}: ${JSON.stringify(r.body)}`).toContain(r.status)
      let utf8 = true
      try { new TextDecoder('utf-8', { fatal: true }).decode(body) } catch { utf8 = false }
      if (!utf8) expect(r.body.error, Buffer.from(body).toString('hex')).toEqual({ code: 'BAD_REQUEST', message: 'тело запроса — не текст в кодировке UTF-8' })
    }), { numRuns: backend === 'pglite' ? 100 : 40 })
  })
})
