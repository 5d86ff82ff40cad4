// Listens: the GraphQL application, the REST intake (routes under /api/v1/) and the operations endpoints
// (/health, /metrics, the queue dashboard at /admin/queues) on one HTTP server, under one CORS policy. Only wiring.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Database } from './db/database.ts'
import { createGraphQL, MAX_BODY_BYTES, type GraphQLOptions } from './graphql/yoga.ts'
import { createConsole, isConsolePath } from './http/console.ts'
import { CorsPolicy, corsOrigins } from './http/cors.ts'
import { createOps, HEALTH_PATH, isOpsPath, METRICS_PATH } from './http/ops.ts'
import { createRest, REST_PREFIX, type FetchHandler } from './http/rest.ts'
import type { Jobs } from './jobs/queue.ts'
import { moduleLogger } from './logger.ts'

const log = moduleLogger('server')

export interface RunningServer {
  /** GraphQL's URL (GraphiQL in a browser) */
  url: string
  /** the web console's URL (`/`) */
  consoleUrl: string
  server: Server
  close(): Promise<void>
}

/** The whole application as one fetch-style handler (Request → Response): tests call it without a port. */
export type App = FetchHandler & { fetch: FetchHandler; yoga: ReturnType<typeof createGraphQL>; rest: FetchHandler; ops: FetchHandler; web: FetchHandler }

export interface AppOptions extends Omit<GraphQLOptions, 'jobs'> {
  /** the job layer: GraphQL gets its queue; its counts are in /health and /metrics, its BullMQ queues in the dashboard */
  jobs?: Jobs
  /** a key the console page signs in with by itself (the ADMIN key made on this start, loopback only) */
  consoleBootKey?: string
  /** the built console (default: web/dist) */
  consoleDist?: string
}

export function createApp(db: Database, options: AppOptions = {}): App {
  const origins = options.corsOrigins ?? corsOrigins()
  const cors = new CorsPolicy(origins)
  const yoga = createGraphQL(db, { ...options, corsOrigins: origins, jobs: options.jobs?.queue })
  const rest = cors.wrap(createRest(db))
  // the queue dashboard is a page for people with the ADMIN key, not an API: never cross-origin
  const ops = cors.wrap(createOps(db, { jobs: options.jobs }), (path) => path === HEALTH_PATH || path === METRICS_PATH)
  // the console is a page of this origin calling /graphql: no CORS policy of its own
  const web = createConsole({ bootKey: options.consoleBootKey, dist: options.consoleDist })
  const handler: FetchHandler = async (request) => {
    const path = new URL(request.url).pathname
    if (isOpsPath(path)) return ops(request)
    if (path.startsWith(REST_PREFIX)) return rest(request)
    return isConsolePath(path) ? web(request) : yoga.fetch(request)
  }
  return Object.assign(handler, { fetch: handler, yoga, rest, ops, web })
}

export async function startServer(db: Database, options: AppOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { yoga, rest, ops, web } = createApp(db, options)
  // requests still being answered: closing waits for them, even when their client has gone
  let inFlight = 0
  let drained: (() => void) | null = null
  const server = createServer((req, res) => {
    // a body sent without Content-Length (chunked) is counted as it arrives
    if (!req.headers['content-length'] && req.headers['transfer-encoding']) limitChunkedBody(req, MAX_BODY_BYTES)
    inFlight++
    const path = (req.url ?? '/').replace(/[?#].*$/, '')
    const handled = isOpsPath(path) ? serveFetch(ops, req, res)
      : path.startsWith(REST_PREFIX) ? serveFetch(rest, req, res)
        : isConsolePath(path) ? serveFetch(web, req, res) : yoga(req, res)
    void Promise.resolve(handled).finally(() => {
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
  const consoleUrl = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}/`
  const url = `${consoleUrl}graphql`
  log.info({ url, consoleUrl }, 'listening')
  return {
    url,
    consoleUrl,
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

/** Answers a Node request with a fetch-style handler: the body is read (within MAX_BODY_BYTES) and the Response written back. */
async function serveFetch(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_BODY_BYTES) { tooLarge = true; break }
      chunks.push(chunk)
    }
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
    }
    // an oversized body is not passed on: its declared length makes the handler refuse it (413)
    if (tooLarge) headers.set('content-length', String(size))
    const method = req.method ?? 'GET'
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
      method, headers, ...(method === 'GET' || method === 'HEAD' || tooLarge ? {} : { body: Buffer.concat(chunks) }),
    })
    const response = await handler(request)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  } catch (e) {
    log.error({ err: e, url: req.url }, 'request failed')
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' } }))
  }
}

function limitChunkedBody(req: IncomingMessage, max: number) {
  let seen = 0
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (seen > max) req.destroy(new Error(`request body larger than ${max} bytes`))
  })
}
