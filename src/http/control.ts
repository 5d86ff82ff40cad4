// The local control channel of a `sverka serve` on the embedded database. The database belongs to that one
// process (src/db/lock.ts), so `sverka apikey` run beside it asks the server instead: an HTTP endpoint on
// 127.0.0.1 only, at a port of the system's choosing, answering only requests that carry the token written
// to `$SVERKA_DATA_DIR/control.json` (mode 0600: readable by the data directory's owner alone).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createApiKey, listApiKeys, revokeApiKey, type CreatedKey } from '../access/api-keys.ts'
import type { Database } from '../db/database.ts'
import { isProcessAlive } from '../db/lock.ts'
import { InputError, NotFoundError, SverkaError } from '../errors.ts'
import { forgetKeys } from '../graphql/context.ts'
import { moduleLogger } from '../logger.ts'
import { HTTP_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('control')

/** What `control.json` holds: who serves the channel, where, and the token it wants. */
export interface ControlFile { pid: number; url: string; token: string }

export interface KeySummary {
  id: number; name: string; prefix: string; role: string; markets: string[]; createdAt: string; revokedAt: string | null
}

/** What the CLI may ask a running server for: the `sverka apikey` commands. */
export interface KeyChannel {
  /** the process that answers: a running `sverka serve`, or none (this process opened the database) */
  server?: number
  create(input: { role: string; markets?: string[]; name?: string }): Promise<CreatedKey>
  list(): Promise<KeySummary[]>
  revoke(idOrPrefix: string): Promise<{ id: number; prefix: string }>
}

export function controlFilePath(dataDir: string) {
  return join(dataDir, 'control.json')
}

const MAX_BODY = 16 * 1024

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) { reject(new InputError(HTTP_RU.tooLarge('запрос'))); req.destroy(); return }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** A field of a request body as text: a string, number or boolean as written, anything else (absent, object) as ''. */
function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''
}

function sameToken(given: string, token: string) {
  const a = Buffer.from(given), b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Opens the channel for this process's database and writes `control.json` into `dataDir`; `close` stops
 * it and removes the file. Keys made here are the same as `sverka apikey`'s: only their hash is stored.
 */
export async function openControlChannel(db: Database, dataDir: string): Promise<{ file: string; close(): Promise<void> }> {
  const token = randomBytes(32).toString('base64url')
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
      res.end(JSON.stringify(body))
    }
    void (async () => {
      const auth = req.headers.authorization ?? ''
      if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), token)) return answer(401, { error: { code: 'UNAUTHENTICATED', message: HTTP_RU.wrongControlToken } })
      if (req.method !== 'POST') return answer(405, { error: { code: 'METHOD', message: HTTP_RU.onlyMethod('POST') } })
      const input = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>
      switch (req.url) {
        case '/apikeys/create': {
          const key = await createApiKey(db.prisma, {
            role: textOf(input.role),
            markets: Array.isArray(input.markets) ? input.markets.map(String) : undefined,
            name: typeof input.name === 'string' ? input.name : undefined,
          })
          log.info({ id: key.id, role: key.role }, 'API key created over the control channel')
          return answer(201, key)
        }
        case '/apikeys/list':
          return answer(200, (await listApiKeys(db.prisma)).map((k) => ({
            id: k.id, name: k.name, prefix: k.prefix, role: k.role, markets: k.markets,
            createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null,
          })))
        case '/apikeys/revoke': {
          const k = await revokeApiKey(db.prisma, textOf(input.idOrPrefix))
          // revoked in this process: refused at once, not when the key cache expires
          forgetKeys()
          return answer(200, { id: k.id, prefix: k.prefix })
        }
        default:
          return answer(404, { error: { code: 'NOT_FOUND', message: HTTP_RU.noControlRequest(String(req.url)) } })
      }
    })().catch((e: unknown) => {
      if (e instanceof SverkaError) return answer(e.code === 'NOT_FOUND' ? 404 : 400, { error: { code: e.code, message: e.message } })
      if (e instanceof SyntaxError) return answer(400, { error: { code: 'BAD_INPUT', message: HTTP_RU.notJson } })
      log.error({ err: e }, 'control request failed')
      answer(500, { error: { code: 'INTERNAL', message: HTTP_RU.controlFailed } })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  const file = controlFilePath(dataDir)
  const content: ControlFile = { pid: process.pid, url: `http://127.0.0.1:${port}`, token }
  // written whole under another name, then renamed: a reader never sees half a file, nor a token in a wider mode
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 })
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
  let closed = false
  const removeFile = () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as ControlFile).token === token) unlinkSync(file)
    } catch { /* gone already */ }
  }
  process.once('exit', removeFile)
  return {
    file,
    async close() {
      if (closed) return
      closed = true
      removeFile()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The channel of a `sverka serve` running on `dataDir`, or null when none runs there (no file, or its process is gone). */
export function runningServer(dataDir: string): KeyChannel | null {
  let control: ControlFile
  try {
    control = JSON.parse(readFileSync(controlFilePath(dataDir), 'utf8')) as ControlFile
  } catch {
    return null
  }
  if (!Number.isInteger(control.pid) || !isProcessAlive(control.pid) || typeof control.url !== 'string') return null
  const ask = async <T>(path: string, body: unknown): Promise<T> => {
    let response: Response
    try {
      response = await fetch(`${control.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      })
    } catch (e) {
      throw new SverkaError('CONTROL_UNREACHABLE', HTTP_RU.controlUnreachable('sverka serve', control.pid, dataDir, control.url, (e as Error).message))
    }
    const answer = await response.json() as T & { error?: { code: string; message: string } }
    if (!response.ok) {
      const message = answer.error?.message ?? `HTTP ${response.status}`
      throw response.status === 404 ? new NotFoundError(message) : new InputError(message)
    }
    return answer
  }
  return {
    server: control.pid,
    create: (input) => ask('/apikeys/create', input),
    list: () => ask('/apikeys/list', {}),
    revoke: (idOrPrefix) => ask('/apikeys/revoke', { idOrPrefix }),
  }
}
