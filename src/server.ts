// Listens: the GraphQL application (and, later, the REST intake) on one HTTP server. Only wiring.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Database } from './db/database.ts'
import { createGraphQL, MAX_BODY_BYTES, type GraphQLOptions } from './graphql/yoga.ts'
import { moduleLogger } from './logger.ts'

const log = moduleLogger('server')

export interface RunningServer { url: string; server: Server; close(): Promise<void> }

export async function startServer(db: Database, options: GraphQLOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const yoga = createGraphQL(db, options)
  // requests still being answered: closing waits for them, even when their client has gone
  let inFlight = 0
  let drained: (() => void) | null = null
  const server = createServer((req, res) => {
    // a body sent without Content-Length (chunked) is counted as it arrives
    if (!req.headers['content-length'] && req.headers['transfer-encoding']) limitChunkedBody(req, MAX_BODY_BYTES)
    inFlight++
    void Promise.resolve(yoga(req, res)).finally(() => {
      if (--inFlight === 0) drained?.()
    })
  })
  server.requestTimeout = 60_000
  server.headersTimeout = 20_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}/graphql`
  log.info({ url }, 'listening')
  return {
    url,
    server,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => { drained = resolve }), new Promise((resolve) => setTimeout(resolve, 10_000))])
      }
      server.closeAllConnections()
      await closed
    },
  }
}

function limitChunkedBody(req: IncomingMessage, max: number) {
  let seen = 0
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (seen > max) req.destroy(new Error(`request body larger than ${max} bytes`))
  })
}
