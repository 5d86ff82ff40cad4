// Scoped lookups made for every item of a list are batched: one findMany per model and scope, not one query per
// item — and the answers are the ones per-item lookups give, within a key's markets too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { visibleWhere, type Principal } from '../../src/access/scope.ts'
import type { Database } from '../../src/db/database.ts'
import { runAudit } from '../../src/audits/run.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { AS_OF, seed } from '../jobs/helpers.ts'

describe.each(backends)('batched lookups on %s', (backend) => {
  let db: TestDatabase
  let client: ReturnType<typeof graphqlClient>
  const calls = new Map<string, number>()

  beforeAll(async () => {
    db = await testDatabase(backend)
    await seed(db, 150)
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: AS_OF })
    // the same database, with every Prisma call counted by model and operation
    const prisma = db.prisma.$extends({
      query: { $allModels: { async $allOperations({ model, operation, args, query }) {
        calls.set(`${model}.${operation}`, (calls.get(`${model}.${operation}`) ?? 0) + 1)
        return query(args)
      } } },
    }) as unknown as Database['prisma']
    client = graphqlClient({ ...db, prisma, close: () => db.close() })
  }, 300_000)
  afterAll(async () => { await db?.close() })

  const count = async <T>(work: () => Promise<T>) => {
    calls.clear()
    const result = await work()
    return { result, calls: Object.fromEntries(calls) }
  }

  /** what one lookup per device gives: its address and product within the key's scope */
  async function perItem(principal: Principal, devices: Array<{ inventoryNo: string }>) {
    const scope = visibleWhere(principal)
    return Promise.all(devices.map(async ({ inventoryNo }) => {
      const e = await db.prisma.equipment.findUniqueOrThrow({ where: { inventoryNo } })
      const address = e.addressId === null ? null : await db.prisma.address.findFirst({ where: { AND: [{ id: e.addressId }, scope.address()] } })
      const product = await db.prisma.product.findFirst({ where: { AND: [{ id: e.productId }, scope.product()] } })
      return { inventoryNo, address: address ? { code: address.code } : null, product: product ? { sku: product.sku } : null }
    }))
  }

  it.each([['unscoped', null], ['limited to SPB', ['SPB']]] as const)('devices\' addresses and products, %s key: one query per model, the same answers', async (_label, markets) => {
    const key = await client.key('AUDITOR', markets ? [...markets] : [])
    const { result, calls } = await count(() => client.request('{ equipment(first: 200) { edges { node { inventoryNo address { code } product { sku } } } } }', {}, key))
    const nodes = result.data.equipment.edges.map((e: { node: unknown }) => e.node)
    expect(nodes.length).toBeGreaterThan(20)
    expect(calls['Address.findMany']).toBe(1)
    expect(calls['Product.findMany']).toBe(1)
    expect(calls['Address.findFirst'] ?? 0).toBe(0)
    expect(calls['Product.findFirst'] ?? 0).toBe(0)
    const principal: Principal = { keyId: 0, name: 'x', role: 'AUDITOR', markets: markets ? [...markets] : null }
    expect(nodes).toEqual(await perItem(principal, nodes))
    expect(nodes.some((n: { address: unknown }) => n.address !== null)).toBe(true)
  })

  it('the records findings name: one query per record type, every one found', async () => {
    const key = await client.key('ADMIN')
    const query = `{ findings(first: 200) { edges { node { entities { type key node { __typename
      ... on Address { code } ... on Contract { number } ... on Equipment { inventoryNo } ... on Customer { code } ... on Product { sku } } } } } } }`
    const { result, calls } = await count(() => client.request(query, {}, key))
    const refs = result.data.findings.edges.flatMap((e: { node: { entities: Array<{ type: string; key: string; node: Record<string, string> | null }> } }) => e.node.entities)
    expect(refs.length).toBeGreaterThan(50)
    for (const r of refs) expect(r.node && Object.values(r.node).slice(1)).toEqual([r.key])
    for (const model of ['Address', 'Contract', 'Equipment', 'Customer']) expect(calls[`${model}.findMany`] ?? 0).toBeLessThanOrEqual(1)
    expect(Object.keys(calls).filter((k) => k.endsWith('.findFirst'))).toEqual([])
  })
})
