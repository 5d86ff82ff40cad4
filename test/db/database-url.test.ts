// A DATABASE_URL that cannot be used says why in one line (issue 11: `DATABASE_URL=base` said «getaddrinfo ENOTFOUND
// base»): not a PostgreSQL URL → the form expected; unreachable → «cannot reach PostgreSQL at host:port: reason»; a
// server that refuses → its reason. Never the password. The command prints that line and exits 2.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { openDatabase, postgresTarget } from '../../src/db/database.ts'
import { DatabaseUnreachableError, InputError } from '../../src/errors.ts'
import { ADMIN_URL, backends } from '../helpers/db.ts'
import { oneLine } from '../helpers/cli.ts'

const failure = async (url: string) => {
  const e = await openDatabase({ url }).then((db) => db.close().then(() => null), (error: unknown) => error)
  expect(e, url).toBeInstanceOf(Error)
  expect((e as Error).message, url).not.toMatch(/secret|s3cr3t|ENOTFOUND/)
  return e as Error
}

describe('DATABASE_URL errors', () => {
  it('refuses a value that is not a PostgreSQL URL, saying what form is expected', async () => {
    for (const url of ['base', 'postgres//u:secret@db/sverka', '127.0.0.1:5432']) {
      const e = await failure(url)
      expect(e).toBeInstanceOf(InputError)
      expect(e.message).toBe('DATABASE_URL — не адрес сервера; ожидается postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (или не задавайте её, чтобы работать со встроенной базой)')
    }
    const mysql = await failure('mysql://u:secret@db/sverka')
    expect(mysql.message).toMatch(/^DATABASE_URL: адрес со схемой mysql, а не адрес PostgreSQL; ожидается postgresql:\/\//)
  })

  it('names host and port and the reason when the server cannot be reached, never the password', async () => {
    const refused = await failure('postgresql://u:secret@127.0.0.1:1/sverka')
    expect(refused).toBeInstanceOf(DatabaseUnreachableError)
    expect(refused.message).toBe('не удаётся подключиться к PostgreSQL по адресу 127.0.0.1:1: в подключении отказано (запущен ли там PostgreSQL и слушает ли он этот порт?)')
    expect((await failure('postgresql://u:s3cr3t@no-such-host.invalid/sverka')).message).toBe('не удаётся подключиться к PostgreSQL по адресу no-such-host.invalid:5432: нет такого хоста')
    expect(postgresTarget('postgres://u:p@db.example:6432/x')).toBe('db.example:6432')
    expect(postgresTarget('postgresql:///sverka?host=/var/run/postgresql')).toBe('/var/run/postgresql:5432')
  })

  it.runIf(backends.includes('postgres'))('says what a server that answers refused', async () => {
    const url = ADMIN_URL.replace(/\/[^/]*$/, '/sverka_no_such_database')
    const target = postgresTarget(url)
    expect((await failure(url)).message).toBe(`PostgreSQL по адресу ${target} отказал в подключении: database "sverka_no_such_database" does not exist`)
  })

  it('ends the command with that one line on stderr and exit code 2', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: 'base', LOG_LEVEL: 'silent' }
    delete env.VITEST
    const r = spawnSync(process.execPath, ['src/cli/sverka.mjs', 'apikey', 'list'], { env, encoding: 'utf8', timeout: 60_000 })
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toBe('sverka: DATABASE_URL — не адрес сервера; ожидается postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (или не задавайте её, чтобы работать со встроенной базой)')
  })
})
