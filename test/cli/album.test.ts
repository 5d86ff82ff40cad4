// `sverka album` as a user runs it: a real process on a real embedded data directory, the album written to the
// outbox (no SMTP_URL) and read back; bad options refused with one Russian line before the database is opened.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { oneLine, sverkaIn } from '../helpers/cli.ts'
import { baseFiles, tempDir, writeFiles } from '../helpers/csv.ts'

const dataDir = tempDir('sverka-cli-album-')
const sverka = sverkaIn(dataDir, 'warn')

describe('sverka album (embedded database)', { timeout: 300_000 }, () => {
  let subscription: number

  beforeAll(async () => {
    const imported = sverka('import', writeFiles(tempDir(), baseFiles()))
    expect(imported.code, imported.stderr).toBe(0)
    expect(sverka('audit', '--format', 'json').code).toBe(0)
    // no command makes subscriptions (GraphQL does): made here, the database closed before the command opens it
    const db = await openDatabase({ dataDir: join(dataDir, 'db') })
    try {
      subscription = (await db.prisma.subscription.create({ data: { name: 'альбом', recipients: ['nsi@example.ru'] } })).id
    } finally {
      await db.close()
    }
  }, 300_000)

  it('mails the week containing --day into the outbox and says where', async () => {
    const r = sverka('album', '--subscription', String(subscription), '--period', 'week', '--day', '2026-11-25')
    expect(r.code, r.stderr).toBe(0)
    const subject = 'Сверка: альбом отчётов за неделю с 23.11.2026 по 29.11.2026 — все рынки'
    expect(r.stdout).toContain(`Отправлено: «${subject}» — nsi@example.ru`)
    const outbox = join(dataDir, 'outbox')
    const [file] = readdirSync(outbox).filter((f) => f.endsWith('.eml'))
    expect(r.stdout).toContain(`Письмо записано в ${join(outbox, file)}`)
    const mail = await simpleParser(readFileSync(join(outbox, file)))
    expect(mail.subject).toBe(subject)
    expect(mail.attachments.map((a) => a.filename)).toContain('sverka-album-2026-11-23.xlsx')
  })

  it('refuses bad options and an unknown subscription with one Russian line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['album', '--subscription', 'x'], /^sverka: --subscription: нужен номер подписки, получено «x»$/],
      [['album', '--subscription', '1', '--period', 'year'], /^sverka: --period: неизвестный период «year» \(допустимы: month, week\)$/],
      [['album', '--subscription', '1', '--day', '25.11.2026'], /^sverka: --day: нужна дата в виде YYYY-MM-DD, получено «25\.11\.2026»$/],
      [['album', '--subscription', '999'], /^sverka: нет подписки 999$/],
    ]
    for (const [args, message] of cases) {
      const r = sverka(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
    }
  })
})
