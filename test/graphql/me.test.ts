// `me`: the key a request is made with, as the console shows it after sign-in (role, markets, what it may do).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'

describe('me', () => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  beforeAll(async () => {
    db = await testDatabase('pglite')
    await db.prisma.market.create({ data: { code: 'SPB', name: 'Санкт-Петербург' } })
    client = graphqlClient(db, { production: true })
  })
  afterAll(async () => { await db?.close() })

  it('answers the role, the markets and the permissions of the key', async () => {
    const agent = await client.request('{ me { name role markets permissions } }', undefined, await client.key('SUPPORT_AGENT', ['SPB']))
    expect(agent.errors).toBeUndefined()
    expect(agent.data.me).toMatchObject({ name: 'test SUPPORT_AGENT:SPB', role: 'SUPPORT_AGENT', markets: ['SPB'] })
    expect(agent.data.me.permissions).toContain('intake')
    expect(agent.data.me.permissions).not.toContain('workFindings')
    const admin = await client.request('{ me { role markets permissions } }', undefined, await client.key('ADMIN'))
    expect(admin.data.me).toMatchObject({ role: 'ADMIN', markets: [] })
    expect(admin.data.me.permissions).toContain('admin')
  })

  it('refuses a request without a valid key as unauthenticated', async () => {
    const anonymous = await client.request('{ me { role } }', undefined, 'sk_not_a_key')
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(anonymous.data?.me ?? null).toBeNull()
  })
})
