// The mailer against a real SMTP server on loopback (smtp-server), and in the embedded outbox mode
// (.eml files): what arrives parses back with mailparser to the subject, both parts and the CSV.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMailer, DEFAULT_FROM } from '../../src/notify/mailer.ts'
import { csvRows, renderDigest, type DigestData } from '../../src/notify/render.ts'
import { tempDir } from '../helpers/csv.ts'
import { smtpCatcher, type Received } from '../helpers/smtp.ts'

const data: DigestData = {
  scope: 'рынок MSK',
  runId: '00000000-0000-0000-0000-000000000002',
  run: { trigger: 'SCHEDULE', scheduleName: 'Ночная', startedAt: new Date('2026-01-31T02:00:00Z') },
  timeZone: 'Europe/Moscow',
  consoleUrl: 'https://sverka.example.ru',
  generatedAt: new Date('2026-01-31T02:00:00Z'),
  counts: { new: 1, open: 1, resolved: 0 },
  items: [{
    section: 'NEW', fingerprint: '0123456789abcdef0123456789abcdef', ruleId: 'contract-overlap', ruleTitle: 'Пересечение договоров', severity: 'CRITICAL', status: 'NEW',
    entities: [{ type: 'contract', key: 'Д-1' }, { type: 'contract', key: 'Д-2' }],
    message: 'Договоры Д-1 и Д-2 пересекаются <по датам> & адресу', firstSeenAt: new Date('2026-01-30T02:00:00Z'), ageDays: 1,
  }],
}

function message() {
  const r = renderDigest(data)
  return { to: ['nsi@example.ru', 'lead@example.ru'], subject: r.subject, text: r.text, html: r.html, attachments: [r.csv] }
}

function expectDigest(mail: ParsedMail) {
  expect(mail.subject).toBe('Сверка: 1 новое, 1 открытое, 0 устранено — рынок MSK')
  expect(mail.from?.text).toBe('"Sverka" <sverka@localhost>')
  expect(mail.text).toContain('Договоры Д-1 и Д-2 пересекаются <по датам> & адресу')
  expect(mail.html).toContain('Договоры Д-1 и Д-2 пересекаются &lt;по датам&gt; &amp; адресу')
  // the link to the finding's page arrives in both parts (and the CSV below), and the run is named by its time and trigger
  const link = 'https://sverka.example.ru/findings/0123456789abcdef0123456789abcdef'
  expect(mail.text).toContain(`Открыть в консоли: ${link}\n`)
  expect([...(mail.html || '').matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([link])
  expect(mail.text).toContain('итоги проверки от 31 января 2026 г. в 05:00 МСК (по расписанию «Ночная»).')
  expect(mail.html).toMatch(/background-color:#b91c1c;color:#ffffff;[^"]*">критическая<\/span>/)
  expect(mail.attachments).toHaveLength(1)
  const [csv] = mail.attachments
  expect(csv.filename).toBe('sverka-2026-01-31.csv')
  expect(csv.contentType).toBe('text/csv')
  expect([...csv.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  expect(parse(csv.content, { bom: true, delimiter: ';' })).toEqual(csvRows(data).map((r) => r.map(String)))
  expect((parse(csv.content, { bom: true, delimiter: ';' }))[1].at(-1)).toBe(link)
}

describe('mailer over SMTP (a real server on loopback)', () => {
  let smtp: Awaited<ReturnType<typeof smtpCatcher>>
  let received: Received[]
  beforeAll(async () => {
    smtp = await smtpCatcher()
    received = smtp.received
  })
  afterAll(async () => { await smtp?.close() })

  it('delivers the digest with subject, text, HTML and a CSV attachment that parses back', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url })
    expect(mailer.mode).toBe('smtp')
    try {
      const sent = await mailer.send(message())
      expect(sent.messageId).toMatch(/^<.+@.+>$/)
      expect(sent.path).toBeUndefined()
    } finally {
      mailer.close()
    }
    expect(received).toHaveLength(1)
    expect(received[0].from).toBe('sverka@localhost')
    expect(received[0].to).toEqual(['nsi@example.ru', 'lead@example.ru'])
    expectDigest(await simpleParser(received[0].raw))
  })

  it('takes SMTP_URL and SVERKA_MAIL_FROM from the environment', async () => {
    const before = { url: process.env.SMTP_URL, from: process.env.SVERKA_MAIL_FROM }
    process.env.SMTP_URL = smtp.url
    process.env.SVERKA_MAIL_FROM = 'НСИ <nsi-robot@example.ru>'
    try {
      const mailer = createMailer()
      expect(mailer.mode).toBe('smtp')
      await mailer.send({ to: 'x@example.ru', subject: 'проверка', text: 'тест' })
      mailer.close()
    } finally {
      for (const [k, v] of [['SMTP_URL', before.url], ['SVERKA_MAIL_FROM', before.from]] as const) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
    const mail = await simpleParser(received.at(-1)!.raw)
    expect(mail.from?.value[0]).toMatchObject({ name: 'НСИ', address: 'nsi-robot@example.ru' })
    expect(mail.subject).toBe('проверка')
  })

  it('a server that refuses the message is an error for the caller', async () => {
    const refusing = await smtpCatcher({ refuse: true })
    const mailer = createMailer({ smtpUrl: refusing.url })
    try {
      await expect(mailer.send(message())).rejects.toThrow(/mailbox unavailable|recipients/i)
    } finally {
      mailer.close()
      await refusing.close()
    }
  })
})

describe('mailer in outbox mode (no SMTP_URL)', () => {
  it('writes each message as an .eml file, named to sort by time, that a mail parser reads', async () => {
    const dir = join(tempDir('sverka-outbox-'), 'outbox')
    const mailer = createMailer({ outboxDir: dir })
    expect(mailer.mode).toBe('outbox')
    const first = await mailer.send(message())
    const second = await mailer.send({ ...message(), subject: 'второе' })
    mailer.close()
    expect(first.path).toMatch(/\/outbox\/\d{8}T\d{9}Z-.+\.eml$/)
    const files = readdirSync(dir)
    expect(files).toEqual([first.path!.split('/').at(-1), second.path!.split('/').at(-1)].sort())
    expect(files.sort()).toEqual(files)
    expect(first.path).toContain(first.messageId.replace(/^<|>$/g, ''))
    const mail = await simpleParser(readFileSync(first.path!))
    expectDigest(mail)
    expect(mail.messageId).toBe(first.messageId)
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('nsi@example.ru, lead@example.ru')
    expect((await simpleParser(readFileSync(second.path!))).subject).toBe('второе')
  })

  it('defaults to $SVERKA_DATA_DIR/outbox and the default sender', async () => {
    const before = { dir: process.env.SVERKA_DATA_DIR, url: process.env.SMTP_URL }
    const dataDir = tempDir('sverka-data-')
    process.env.SVERKA_DATA_DIR = dataDir
    delete process.env.SMTP_URL
    try {
      const mailer = createMailer()
      const sent = await mailer.send({ to: 'x@example.ru', subject: 'в папку', text: 'тест' })
      mailer.close()
      expect(sent.path!.startsWith(join(dataDir, 'outbox'))).toBe(true)
      expect((await simpleParser(readFileSync(sent.path!))).from?.text).toBe(`"Sverka" <sverka@localhost>`)
      expect(DEFAULT_FROM).toBe('Sverka <sverka@localhost>')
    } finally {
      if (before.dir === undefined) delete process.env.SVERKA_DATA_DIR
      else process.env.SVERKA_DATA_DIR = before.dir
      if (before.url !== undefined) process.env.SMTP_URL = before.url
    }
  })
})
