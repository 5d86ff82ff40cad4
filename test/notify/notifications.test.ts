// Escalation notices mailed from the notification table, on both databases and a real SMTP server on loopback:
// one e-mail per notice to its group, never two (also when two calls race), nobody to send to recorded and not
// retried, a refusing server retried on later calls and given up after five tries — and the escalation job mails.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reconcileFindings } from '../../src/engine/findings.ts'
import type { DetectedFinding } from '../../src/engine/types.ts'
import { runEscalation } from '../../src/incidents/escalation.ts'
import { routeRunFindings } from '../../src/incidents/routing.ts'
import { openJobs } from '../../src/jobs/open.ts'
import { createMailer, type Mailer } from '../../src/notify/mailer.ts'
import { MAX_MAIL_ATTEMPTS, sendNotifications } from '../../src/notify/notifications.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { smtpCatcher } from '../helpers/smtp.ts'
import { waitFor } from '../jobs/helpers.ts'

const msk = (local: string) => new Date(`${local}+03:00`)
const HOUR = 3_600_000

type Server = Awaited<ReturnType<typeof smtpCatcher>>

describe.each(backends)('escalation notices mailed on %s', (backend) => {
  let db: TestDatabase
  let accepting: Server
  let refusing: Server
  let mailer: Mailer
  let refusingMailer: Mailer

  const detected = (key: string, marketCode: string): DetectedFinding =>
    ({ ruleId: 'contract-overlap', entities: [{ type: 'contract', key }, { type: 'contract', key: `${key}-B` }], message: `overlap ${key}`, data: {}, details: {}, marketCode, equipmentTypeCode: null })
  const noteOf = async (key: string) => (await db.sql.query<{ id: string; recipients: string[]; subject: string; body: string; sentAt: Date | null; error: string | null; data: Record<string, unknown>; fingerprint: string }>(
    `SELECT n.id, n.recipients, n.subject, n.body, n."sentAt", n.error, n.data, f.fingerprint FROM notification n JOIN finding f ON f.id = n."findingId"
     WHERE f.entities @> $1::jsonb ORDER BY n."createdAt" DESC LIMIT 1`, [JSON.stringify([{ type: 'contract', key }])])).rows[0]
  const insertNote = async (subject: string, recipients: string[]) => (await db.sql.query<{ id: string }>(
    `INSERT INTO notification (kind, recipients, subject, body) VALUES ('escalation', $1::text[], $2, $3) RETURNING id`,
    [recipients, subject, `Текст: ${subject}`])).rows[0].id
  const row = async (id: string) => (await db.sql.query<{ sentAt: Date | null; error: string | null; data: Record<string, unknown> }>(
    `SELECT "sentAt", error, data FROM notification WHERE id = $1::uuid`, [id])).rows[0]
  const subjects = async (from = 0) => Promise.all(accepting.received.slice(from).map(async (m) => (await simpleParser(m.raw)).subject))

  beforeAll(async () => {
    db = await testDatabase(backend)
    ;[accepting, refusing] = await Promise.all([smtpCatcher(), smtpCatcher({ refuse: true })])
    mailer = createMailer({ smtpUrl: accepting.url })
    refusingMailer = createMailer({ smtpUrl: refusing.url })
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Петербург')`)
    const routingFile = join(tempDir(), 'routing.yaml')
    // the SPB line 2 group has no e-mail: its notices have nobody to go to
    writeFileSync(routingFile, `
default: { group: L1-ALL }
groups:
  - { code: L1-ALL, name: Первая линия, email: l1@example.org, line: 1 }
  - { code: L2-MSK, name: Вторая линия Москва, email: "l2-msk@example.org; boss@example.org", line: 2, markets: [MSK] }
  - { code: L2-SPB, name: Вторая линия Петербург, line: 2, markets: [SPB] }
routes: []
`)
    const { rows: [run] } = await db.sql.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
    await reconcileFindings(db.sql, { id: run.id, actor: 'test' }, { rules: [{ id: 'contract-overlap', severity: 'CRITICAL' }] },
      [detected('D-MSK', 'MSK'), detected('D-SPB', 'SPB')])
    // raised Friday 17:00, acknowledge-by Monday 12:00: escalated at 12:30
    await routeRunFindings(db.sql, run.id, { routingFile, now: msk('2026-01-16T17:00:00') })
    expect(await runEscalation(db, msk('2026-01-19T12:30:00'))).toHaveLength(2)
  })
  afterAll(async () => {
    mailer?.close()
    refusingMailer?.close()
    await Promise.all([accepting?.close(), refusing?.close()])
    await db?.close()
  })

  it('mails an escalated finding once, in Russian, to its group; a group without e-mail is recorded and not retried', async () => {
    const now = msk('2026-01-19T12:31:00')
    const msk1 = await noteOf('D-MSK')
    const spb1 = await noteOf('D-SPB')
    expect(msk1.recipients).toEqual(['l2-msk@example.org', 'boss@example.org'])
    expect(spb1.recipients).toEqual([])

    const outcomes = await sendNotifications(db, { mailer, now, consoleUrl: 'https://sverka.example.ru/console' })
    expect(outcomes.map((o) => [o.id, o.status]).sort()).toEqual([[msk1.id, 'sent'], [spb1.id, 'given-up']].sort())
    expect(accepting.received).toHaveLength(1)
    expect(accepting.received[0].to).toEqual(['l2-msk@example.org', 'boss@example.org'])
    const mail = await simpleParser(accepting.received[0].raw)
    expect(mail.subject).toBe(msk1.subject)
    expect(mail.subject).toMatch(/^Эскалация \(уровень 1\): .*договор D-MSK, договор D-MSK-B$/)
    // the stored text, then the finding's page in the console (added as it is sent; no key in it)
    const link = `https://sverka.example.ru/console/findings/${msk1.fingerprint}`
    expect(msk1.fingerprint).toMatch(/^[0-9a-f]{32}$/)
    expect(mail.text?.trim()).toBe(`${msk1.body}\n\nОткрыть в консоли: ${link}`)
    expect([...(mail.html || '').matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([link])
    expect(mail.text).toMatch(/Стало: Вторая линия Москва \(L2-MSK\), линия 2; уровень эскалации 1/)
    expect(mail.html).toContain('<pre')
    expect(mail.html).toContain('Расхождение не подтверждено в срок')

    expect(await row(msk1.id)).toMatchObject({ sentAt: now, error: null, data: { mailAttempts: 1, level: 1 } })
    const spb = await row(spb1.id)
    expect(spb).toMatchObject({ sentAt: null, error: 'no recipients', data: { mailGivenUpAt: now.toISOString() } })

    // later calls: nothing more goes out
    expect(await sendNotifications(db, { mailer, now: new Date(now.getTime() + 10 * HOUR) })).toEqual([])
    expect(accepting.received).toHaveLength(1)
  })

  it('two calls at once mail each notice once', async () => {
    const ids = await Promise.all(['первое', 'второе', 'третье', 'четвёртое'].map((s) => insertNote(`Эскалация: ${s}`, ['nsi@example.org'])))
    const before = accepting.received.length
    // a slow send keeps the second call's pick in the middle of the first call's sends
    const slow: Pick<Mailer, 'send'> = { send: async (m) => { await new Promise((r) => setTimeout(r, 40)); return mailer.send(m) } }
    const now = msk('2026-01-20T09:00:00')
    const [a, b] = await Promise.all([sendNotifications(db, { mailer: slow, now }), sendNotifications(db, { mailer: slow, now })])
    expect([...a, ...b].filter((o) => o.status === 'sent').map((o) => o.id).sort()).toEqual([...ids].sort())
    expect(accepting.received.length - before).toBe(4)
    expect((await subjects(before)).sort()).toEqual(['Эскалация: первое', 'Эскалация: второе', 'Эскалация: третье', 'Эскалация: четвёртое'].sort())
    for (const id of ids) expect((await row(id)).sentAt).toEqual(now)
  })

  it('a refused send keeps its error and is retried on later calls after a pause; after five tries it is given up', async () => {
    const doomed = await insertNote('Эскалация: не дойдёт', ['nobody@example.org'])
    const t0 = msk('2026-01-21T09:00:00')
    const first = await sendNotifications(db, { mailer: refusingMailer, now: t0 })
    expect(first).toMatchObject([{ id: doomed, status: 'failed', attempts: 1 }])
    expect(refusing.refused()).toBe(1)
    const failed = await row(doomed)
    expect(failed.sentAt).toBeNull()
    expect(failed.error).toMatch(/mailbox unavailable/)
    expect(failed.data).toMatchObject({ mailAttempts: 1, mailRetryAt: new Date(t0.getTime() + 60_000).toISOString() })

    // the same minute: not yet
    expect(await sendNotifications(db, { mailer: refusingMailer, now: t0 })).toEqual([])
    expect(refusing.refused()).toBe(1)

    for (let attempt = 2; attempt <= MAX_MAIL_ATTEMPTS; attempt++) {
      const [o] = await sendNotifications(db, { mailer: refusingMailer, now: new Date(t0.getTime() + attempt * HOUR) })
      expect(o).toMatchObject({ id: doomed, attempts: attempt, status: attempt === MAX_MAIL_ATTEMPTS ? 'given-up' : 'failed' })
    }
    expect(refusing.refused()).toBe(MAX_MAIL_ATTEMPTS)
    const gaveUp = await row(doomed)
    expect(gaveUp).toMatchObject({ sentAt: null, data: { mailAttempts: MAX_MAIL_ATTEMPTS } })
    expect(gaveUp.error).toMatch(/mailbox unavailable/)
    expect(gaveUp.data.mailGivenUpAt).toEqual(expect.any(String))

    // given up: neither the refusing server nor a working one gets it again
    expect(await sendNotifications(db, { mailer: refusingMailer, now: new Date(t0.getTime() + 24 * HOUR) })).toEqual([])
    const before = accepting.received.length
    expect(await sendNotifications(db, { mailer, now: new Date(t0.getTime() + 25 * HOUR) })).toEqual([])
    expect(accepting.received.length).toBe(before)
    expect(refusing.refused()).toBe(MAX_MAIL_ATTEMPTS)
  })

  it('a notice refused once arrives with the next call after the pause', async () => {
    const late = await insertNote('Эскалация: со второго раза', ['nsi@example.org'])
    const t0 = msk('2026-01-22T09:00:00')
    expect(await sendNotifications(db, { mailer: refusingMailer, now: t0 })).toMatchObject([{ id: late, status: 'failed' }])
    const before = accepting.received.length
    expect(await sendNotifications(db, { mailer, now: new Date(t0.getTime() + 2 * 60_000) })).toMatchObject([{ id: late, status: 'sent', attempts: 2 }])
    expect(await subjects(before)).toEqual(['Эскалация: со второго раза'])
    expect(await row(late)).toMatchObject({ error: null, data: { mailAttempts: 2 } })
    expect((await row(late)).data.mailRetryAt).toBeUndefined()
  })

  it('a notice never mailed and older than a day (recorded before mail was sent at all) is given up, not mailed late', async () => {
    const { rows: [old] } = await db.sql.query<{ id: string }>(`INSERT INTO notification (kind, recipients, subject, body, "createdAt")
      VALUES ('escalation', ARRAY['l2-msk@example.org'], 'Эскалация (старая)', 'текст', $1::timestamptz) RETURNING id`, [msk('2026-01-10T10:00:00').toISOString()])
    const before = accepting.received.length
    const outcomes = await sendNotifications(db, { mailer, now: msk('2026-01-19T13:00:00') })
    expect(outcomes.map((o) => o.id)).not.toContain(old.id)
    expect(accepting.received.length).toBe(before)
    expect(await row(old.id)).toMatchObject({ sentAt: null, error: expect.stringMatching(/^not sent: recorded more than 24 h/), data: { mailGivenUpAt: expect.any(String) } })
  })

  it('the escalation job escalates and mails what it escalated (in-process job layer, SMTP_URL)', async () => {
    // D-MSK and D-SPB escalated in January: their new acknowledge-by has long passed by the real clock
    const count = async () => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification`)).rows[0].n
    const before = await count()
    const received = accepting.received.length
    const saved = process.env.SMTP_URL
    const savedPublic = process.env.SVERKA_PUBLIC_URL
    process.env.SMTP_URL = accepting.url
    process.env.SVERKA_PUBLIC_URL = 'https://nsi.example.ru/sverka/'
    const jobs = await openJobs(db, { redisUrl: '', periodic: false, schedules: false })
    try {
      await jobs.runner.start()
      await jobs.queue.add('escalation', {}, { attempts: 1 })
      await waitFor(async () => {
        const [m, s] = [await noteOf('D-MSK'), await noteOf('D-SPB')]
        return /уровень 2/.test(m.subject) && m.sentAt !== null && /уровень 2/.test(s.subject) && s.error !== null
      }, 30_000)
    } finally {
      await jobs.runner.close()
      if (saved === undefined) delete process.env.SMTP_URL
      else process.env.SMTP_URL = saved
      if (savedPublic === undefined) delete process.env.SVERKA_PUBLIC_URL
      else process.env.SVERKA_PUBLIC_URL = savedPublic
    }
    expect(await count()).toBe(before + 2)
    const msk2 = await noteOf('D-MSK')
    expect(accepting.received.length - received).toBe(1)
    expect(await subjects(received)).toEqual([msk2.subject])
    // the job takes the link's base from SVERKA_PUBLIC_URL
    expect(accepting.received.at(-1)!.mail.text?.trimEnd()).toBe(`${msk2.body}\n\nОткрыть в консоли: https://nsi.example.ru/sverka/findings/${msk2.fingerprint}`)
    expect(accepting.received.at(-1)!.to).toEqual(['l2-msk@example.org', 'boss@example.org'])
    expect(await noteOf('D-SPB')).toMatchObject({ sentAt: null, error: 'no recipients' })
  })
})
