// One code path, two deployments: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
// Gives Prisma and a small raw SQL client; which one to use where is the rule «Prisma or SQL» below.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite'
import type { Pool, PoolClient } from 'pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import { DatabaseUnreachableError, InputError } from '../errors.ts'
import { moduleLogger } from '../logger.ts'
import { lockDataDir } from './lock.ts'
import { migrate } from './migrate.ts'
import { DATABASE_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('db')

export interface QueryResult<T> { rows: T[]; affectedRows?: number }

/** Raw SQL with $n parameters, the same on both databases. */
export interface SqlClient {
  /**
   * One statement. `prepared`: a hot statement run again and again with other parameters (an agent's
   * lookup): PostgreSQL keeps its plan per connection instead of planning it every call.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: { prepared?: boolean }): Promise<QueryResult<T>>
  /** Several statements in one go (simple protocol, no parameters). */
  exec(sql: string): Promise<void>
  /** Runs `fn` in one transaction; a thrown error rolls it back. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>
  /** Bulk load: COPY `target` FROM text-format data (tab-separated, \N for null; see copyText). */
  copyFrom(target: string, data: string): Promise<void>
}

/** One value in COPY's text format. */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  const text = String(value)
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text
}

// ─── Prisma or SQL ───
// Which client a piece of code uses is decided by the kind of work, not by taste:
//
// db.prisma, where its generated types and select building carry the work:
//   - GraphQL read paths: the Pothos prisma plugin selects what the query asks for;
//   - create / update / delete of ONE settings row that people manage through the API or the CLI (api keys,
//     schedules, mail subscriptions), and the lookups that validate it; an import run's own record;
//     P2002 / P2025 are mapped to ConflictError / NotFoundError where they are caught;
//   - a finding's workflow step and its event, in one prisma.$transaction that does nothing else.
//
// db.sql (raw SQL, the same on both databases) for everything else:
//   - bulk and set-based work: import, audit reads, reconciliation, routing, escalation, seeding from files;
//   - anything inside a transaction shared with SQL work. PGlite has ONE connection: inside
//     sql.transaction use `tx`, never db.prisma, or it deadlocks;
//   - a row written together with its link rows in one transaction (a responsible group and the markets and
//     equipment types it covers: src/incidents/groups.ts);
//   - claims, locks and the marks the service keeps itself: UPDATE … WHERE … RETURNING as a claim,
//     FOR UPDATE, heartbeats, last-used / last-sent / last-tick / last-run columns (so a schedule's CRUD is
//     Prisma and its ticks are claimed in SQL, src/jobs/schedules.ts);
//   - what the engine writes, handed only a SqlClient: audit_run (all of it in src/engine/runs.ts, the one
//     module that writes it — a run is finished inside its findings' transaction), findings, rule overrides;
//   - master-data writes: their columns come from the record model, not from Prisma's types.
export interface Database {
  kind: 'postgres' | 'pglite'
  prisma: PrismaClient
  sql: SqlClient
  /** where the embedded database lives, or a redacted server URL */
  location: string
  close(): Promise<void>
}

export interface OpenOptions {
  /** PostgreSQL URL; default DATABASE_URL */
  url?: string
  /** embedded data directory; default $SVERKA_DATA_DIR/db */
  dataDir?: string
  /** in-memory embedded database (tests) */
  memory?: boolean
  /** apply pending migrations (default true) */
  migrate?: boolean
}

export function defaultDataDir() {
  return process.env.SVERKA_DATA_DIR || './.sverka'
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const url = options.url ?? (options.memory || options.dataDir ? undefined : process.env.DATABASE_URL)
  const database = url ? await openPostgres(url) : await openEmbedded(options)
  if (options.migrate !== false) {
    const applied = await migrate({ exec: (s) => database.sql.exec(s), query: (s, p) => database.sql.query(s, p) })
    if (applied.length) log.info({ applied }, 'applied migrations')
  }
  return database
}

// a prepared statement's name: the same text always has the same name, another text another one
const statementNames = new Map<string, string>()
function statementName(text: string): string {
  let name = statementNames.get(text)
  if (!name) statementNames.set(text, (name = `sverka_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`))
  return name
}

const POSTGRES_URL_FORM = 'postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE'
/** How long the first connection may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000

/**
 * `host:port` of a PostgreSQL URL, for messages (never the user or the password); a clear InputError for a
 * value that is not such a URL — the value itself is not repeated, since it may hold a password.
 */
export function postgresTarget(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new InputError(DATABASE_RU.notUrl('DATABASE_URL', POSTGRES_URL_FORM))
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') {
    throw new InputError(DATABASE_RU.notPostgres('DATABASE_URL', u.protocol.replace(/:$/, '') || null, POSTGRES_URL_FORM))
  }
  // a ?host= (a socket directory) overrides the URL's host, as in libpq
  const host = u.searchParams.get('host') ?? (u.hostname || 'localhost')
  return `${host}:${u.searchParams.get('port') ?? (u.port || '5432')}`
}

/** Why a first connection failed, in one line, with the URL's password (should it appear) blotted out. */
function connectFailure(url: string, target: string, e: unknown): DatabaseUnreachableError {
  const error = e as { code?: string; message?: string; severity?: string }
  const reasons = DATABASE_RU.reasons
  let reason = (error.code && reasons[error.code]) ?? (/timeout/i.test(error.message ?? '') ? DATABASE_RU.noAnswer(CONNECT_TIMEOUT_MS / 1000) : (error.message ?? String(e)).split('\n')[0])
  let password = ''
  try { password = new URL(url).password } catch { /* postgresTarget checked it */ }
  for (const secret of password ? [password, decodeURIComponent(password)] : []) reason = reason.split(secret).join('***')
  // an error PostgreSQL itself sent (it has a severity): the server answered and refused — a bad password, no such database
  return new DatabaseUnreachableError(error.severity ? DATABASE_RU.refused(target, reason) : DATABASE_RU.unreachable(target, reason))
}

async function openPostgres(url: string): Promise<Database> {
  const target = postgresTarget(url)
  const pg = (await import('pg')).default
  // one connection first, with a time limit, to say clearly why the server cannot be used (the pool would wait
  // for the system's TCP timeout and report e.g. «getaddrinfo ENOTFOUND base»)
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
  try {
    await probe.connect()
  } catch (e) {
    throw connectFailure(url, target, e)
  } finally {
    await probe.end().catch(() => {})
  }
  const { PrismaPg } = await import('@prisma/adapter-pg')
  // DATE columns come back as plain 'YYYY-MM-DD' strings in raw SQL, as on PGlite
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.SVERKA_DB_POOL ?? 10) })
  pool.on('error', (e) => log.error({ err: e }, 'idle PostgreSQL client failed'))
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => oid === 1082 ? (v: string) => v : pg.types.getTypeParser(oid, format) }
  const queryOn = (q: Pool | PoolClient) => async <T>(text: string, params?: unknown[], options?: { prepared?: boolean }): Promise<QueryResult<T>> => {
    const name = options?.prepared ? statementName(text) : undefined
    const r = await q.query({ text, values: params, types, name })
    return { rows: r.rows as T[], affectedRows: r.rowCount ?? undefined }
  }
  const { from: copyFromStream } = await import('pg-copy-streams')
  const copyWith = async (c: PoolClient, target: string, data: string) => {
    const stream = c.query(copyFromStream(`COPY ${target} FROM STDIN`))
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject)
      stream.on('finish', resolve)
      stream.end(data)
    })
  }
  const sql: SqlClient = {
    async copyFrom(target, data) {
      const c = await pool.connect()
      try { await copyWith(c, target, data) } finally { c.release() }
    },
    query: queryOn(pool),
    async exec(text) { await pool.query(text) },
    async transaction(fn) {
      const c = await pool.connect()
      const tx: SqlClient = {
        query: queryOn(c),
        async exec(text) { await c.query(text) },
        transaction: (inner) => inner(tx),
        copyFrom: (target, data) => copyWith(c, target, data),
      }
      try {
        await c.query('BEGIN')
        const result = await fn(tx)
        await c.query('COMMIT')
        return result
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {})
        throw e
      } finally {
        c.release()
      }
    },
  }
  await sql.query('SELECT 1').catch((e: unknown) => {
    void pool.end()
    throw connectFailure(url, target, e)
  })
  return {
    kind: 'postgres',
    prisma: new PrismaClient({ adapter: new PrismaPg(pool) }),
    sql,
    location: redact(url),
    async close() { await pool.end() },
  }
}

// DATE as 'YYYY-MM-DD', the same as on PostgreSQL (see openPostgres)
const rawParsers = { parsers: { 1082: (v: string) => v } }

async function openEmbedded(options: OpenOptions): Promise<Database> {
  // the embedded database's modules are loaded only when it is opened (190 ms a process on PostgreSQL otherwise)
  const [{ PrismaPGlite }, { freshMemoryPGlite, openPGliteDir }] = await Promise.all([import('pglite-prisma-adapter'), import('./pglite.ts')])
  let pglite: PGlite
  let release = () => {}
  let location = 'memory://'
  if (options.memory) {
    pglite = await freshMemoryPGlite()
  } else {
    const dir = options.dataDir ?? join(defaultDataDir(), 'db')
    release = lockDataDir(dir)
    try {
      pglite = await openPGliteDir(dir)
    } catch (e) {
      release()
      throw e
    }
    location = dir
  }
  const wrap = (db: PGlite | PGliteTransaction): SqlClient => ({
    async query<T>(text: string, params?: unknown[]) {
      const r = await db.query<T>(text, params, rawParsers)
      return { rows: r.rows, affectedRows: r.affectedRows }
    },
    async exec(text) { await db.exec(text) },
    transaction: (fn) => 'transaction' in db ? db.transaction((tx) => fn(wrap(tx))) : fn(wrap(db)),
    async copyFrom(target, data) {
      await db.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([data]) })
    },
  })
  return {
    kind: 'pglite',
    prisma: new PrismaClient({ adapter: new PrismaPGlite(pglite) }),
    sql: wrap(pglite),
    location,
    async close() {
      await pglite.close()
      release()
    },
  }
}

export function redact(url: string) {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgresql://…'
  }
}
