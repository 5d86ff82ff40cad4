// The `sverka` command as a user runs it: real processes on a real embedded data directory.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lockDataDir } from '../../src/db/lock.ts'
import { oneLine, sverkaIn } from '../helpers/cli.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'

const dataDir = tempDir('sverka-cli-')

const sverka = sverkaIn(dataDir)

describe('sverka CLI (embedded database)', () => {
  it('imports a directory (exit 0), and says so when a second import changes nothing', () => {
    const dir = writeFiles(tempDir(), baseFiles())
    const first = sverka('import', dir)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/contracts\.csv\s+2\s+2\s+0\s+0\s+0/)
    expect(existsSync(join(dir, 'rejects.csv'))).toBe(true)
    const second = sverka('import', dir)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toMatch(/Изменений нет/)
  })

  it('exits 1 when rows were rejected and writes them where --rejects says', () => {
    const dir = writeFiles(tempDir(), { 'markets.csv': csv(['code', 'name'], [['KZN', 'Казань'], ['', 'Без кода']]) })
    const rejects = join(tempDir(), 'bad.csv')
    const r = sverka('import', dir, '--rejects', rejects)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/отклонённых строк: 1,/)
    expect(existsSync(rejects)).toBe(true)
  })

  it('exits 2 with one line when nothing can be read or the input is bad', () => {
    const missing = sverka('import', join(dataDir, 'no-such-dir'))
    expect(missing.code).toBe(2)
    expect(oneLine(missing.stderr)).toMatch(/no-such-dir — не каталог/)
    const empty = sverka('import', tempDir())
    expect(empty.code).toBe(2)
    expect(oneLine(empty.stderr)).toMatch(/нет файлов для импорта \(ожидается любой из: markets\.csv, /)
    const unreadable = sverka('import', writeFiles(tempDir(), { 'markets.csv': '' }))
    expect(unreadable.code).toBe(2)
    expect(oneLine(unreadable.stderr)).toMatch(/^sverka: импорт: из .+ ничего не прочитано; см\. .*rejects\.csv$/)
    const encoding = sverka('import', tempDir(), '--encoding', 'koi8')
    expect(encoding.code).toBe(2)
    expect(oneLine(encoding.stderr)).toMatch(/неизвестная кодировка «koi8» \(допустимы: utf-8, cp1251\)/)
    const option = sverka('import', '--bogus')
    expect(option.code).toBe(2)
    expect(option.stderr).toBe('sverka: неизвестный параметр «--bogus»\n(справка: sverka --help)\n')
    const unknownCommand = sverka('frobnicate')
    expect(unknownCommand.code).toBe(2)
    expect(unknownCommand.stderr).toBe('sverka: неизвестная команда «frobnicate»\n(справка: sverka --help)\n')
    const typo = sverka('audti')
    expect(typo.stderr).toBe('sverka: неизвестная команда «audti»\n(возможно, имелось в виду audit?)\n(справка: sverka --help)\n')
    const noDir = sverka('import')
    expect(noDir.code).toBe(2)
    expect(noDir.stderr).toBe('sverka: не указан обязательный аргумент «dir»\n(справка: sverka --help)\n')
  })

  it('speaks Russian in --help, commander\'s own headings and lines included; names to type stay as they are', () => {
    const top = sverka('--help')
    expect(top.code).toBe(0)
    expect(top.stdout).toMatch(/^Запуск: sverka \[options\] \[command\]\n/)
    expect(top.stdout).toMatch(/^Параметры:$/m)
    expect(top.stdout).toMatch(/^Команды:$/m)
    expect(top.stdout).toMatch(/^ {2}-h, --help +показать справку по команде$/m)
    expect(top.stdout).toMatch(/^ {2}help \[command\] +показать справку по команде$/m)
    const audit = sverka('audit', '--help')
    expect(audit.stdout).toMatch(/^ {2}--format <format> +формат: table \| json \| csv \(по умолчанию: "table"\)$/m)
    for (const out of [top.stdout, audit.stdout]) {
      expect(out).not.toMatch(/Usage:|Options:|Commands:|default:|display help/)
    }
  })

  it('refuses a bad --port, --scale, --seed or --as-of with one Russian line naming the option', () => {
    const cases: Array<[string[], RegExp]> = [
      [['serve', '--port', '70000'], /^sverka: --port: нужен номер порта \(0–65535\), получено «70000»$/],
      [['seed', '--scale', '0'], /^sverka: --scale: нужно целое число ≥ 1, получено «0»$/],
      [['seed', '--seed', '1.5'], /^sverka: --seed: нужно целое число, получено «1\.5»$/],
      [['seed', '--as-of', '31.01.2026'], /^sverka: --as-of: нужна дата в виде YYYY-MM-DD, получено «31\.01\.2026»$/],
    ]
    for (const [args, message] of cases) {
      const r = sverka(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
    }
  })

  it('refuses `sverka worker` without REDIS_URL with one line: jobs run inside sverka serve then', () => {
    const r = sverka('worker')
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/sverka worker: нужна переменная REDIS_URL .*sverka serve \(встроенный режим\)/)
  })

  it('refuses a second process on the same data directory with one clear line', () => {
    const release = lockDataDir(join(dataDir, 'db'), 'serve')
    try {
      const r = sverka('import', writeFiles(tempDir(), baseFiles()))
      expect(r.code).toBe(2)
      expect(oneLine(r.stderr)).toMatch(new RegExp(`занята процессом ${process.pid} \\(«sverka serve», с `))
    } finally {
      release()
    }
  })

  it('takes over the lock of a process that died', () => {
    writeFileSync(join(dataDir, 'db', 'db.lock'), JSON.stringify({ pid: 2 ** 22 + 17, command: 'serve', since: '2026-01-01T00:00:00Z' }))
    const r = sverka('apikey', 'list')
    expect(r.code, r.stderr).toBe(0)
  })

  it('creates, lists and revokes API keys; the key is printed once and only its hash is stored', () => {
    const created = sverka('apikey', 'create', '--role', 'support_agent', '--markets', 'MSK', '--name', 'линия 1')
    expect(created.code, created.stderr).toBe(0)
    const key = created.stdout.trim()
    expect(key).toMatch(/^sk_[A-Za-z0-9_-]{32}$/)
    const list = sverka('apikey', 'list')
    expect(list.stdout).toMatch(/^номер\s+префикс\s+роль\s+рынки\s+название\s+состояние$/m)
    expect(list.stdout).toMatch(/^\d+\s+sk_\S+…\s+SUPPORT_AGENT\s+MSK\s+линия 1\s+действует$/m)
    expect(list.stdout).not.toContain(key)
    const badRole = sverka('apikey', 'create', '--role', 'KING')
    expect(badRole.code).toBe(2)
    expect(oneLine(badRole.stderr)).toMatch(/неизвестная роль «KING» \(допустимо: /)
    const badMarket = sverka('apikey', 'create', '--role', 'AUDITOR', '--markets', 'XXX')
    expect(badMarket.code).toBe(2)
    const revoked = sverka('apikey', 'revoke', key.slice(0, 10))
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(sverka('apikey', 'list').stdout).toMatch(/\s+SUPPORT_AGENT\s+MSK\s+линия 1\s+отозван \d{4}-/)
  })
})
