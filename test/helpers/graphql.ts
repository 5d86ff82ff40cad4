// GraphQL requests through yoga.fetch (no port): keys per role and market, and a small client.
import { createApiKey } from '../../src/access/api-keys.ts'
import type { Database } from '../../src/db/database.ts'
import { createGraphQL, type GraphQLOptions } from '../../src/graphql/yoga.ts'

export interface GraphQLResponse<T = any> {
  status: number
  data?: T
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: Array<string | number> }>
}

export function graphqlClient(db: Database, options: GraphQLOptions = {}) {
  const yoga = createGraphQL(db, options)
  const keys = new Map<string, string>()
  return {
    yoga,
    /** an API key of that role and markets (created once per combination) */
    async key(role: string, markets: string[] = []): Promise<string> {
      const id = `${role}:${markets.join(',')}`
      if (!keys.has(id)) keys.set(id, (await createApiKey(db.prisma, { role, markets, name: `test ${id}` })).key)
      return keys.get(id)!
    },
    /** POST /graphql with the key (or none); the parsed response and its HTTP status */
    async request<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
      const response = await yoga.fetch('http://sverka.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      })
      const body = await response.json() as GraphQLResponse<T>
      return { ...body, status: response.status }
    },
  }
}
