// Discrepancy e-mails after audits of a seeded dataset, on both databases: one e-mail a subscription
// with the new findings of its scope, nothing when nothing changed (unless asked), a fixed collision
// in RESOLVED, and never twice for one run — also when two calls race or a send fails and is retried.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { sendDigests as sendDigestsOf, type DigestOutcome } from '../../src/notify/digest.ts'
import { createMailer, type Mailer } from '../../src/notify/mailer.ts'
import { entitiesText } from '../../src/notify/render.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

type Entities = Array<{ type: string; key: string }>
interface Target { id: string; ruleId: string; entities: Entities; groupId: number; marketCode: string }

/** «rule | keys» of each CSV row of a section, sorted: what the e-mail says, comparable with the database. */
function csvKeys(mail: ParsedMail, section: string) {
  const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'))!
  const rows = parse(csv.content, { bom: true, delimiter: ';' })
  return rows.slice(1).filter((r) => r[0] === section).map((r) => `${r[1]} | ${r[4]}`).sort()
}

const BASE = 'https://sverka.example.ru'

/** The link column of each CSV row of a section, sorted. */
function csvLinks(mail: ParsedMail, section: string) {
  const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'))!
  const rows = parse(csv.content, { bom: true, delimiter: ';' })
  return rows.slice(1).filter((r) => r[0] === section).map((r) => r.at(-1)!).sort()
}

describe.each(backends)('discrepancy e-mails after audits on %s', (backend) => {
  const asOf = '2026-01-31'
  let db: TestDatabase
  let outbox: string
  let mailer: Mailer
  let target: Target
  let otherMarket: string
  const subs: Record<'group' | 'market' | 'all' | 'other' | 'inactive', number> = { group: 0, market: 0, all: 0, other: 0, inactive: 0 }

  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('sverka-digest-seed-')
    await generateSeed({ scale: 150, seed: 7, out: dir, asOf })
    await importDirectory(db, dir)
    outbox = join(tempDir('sverka-digest-'), 'outbox')
    mailer = createMailer({ outboxDir: outbox })
  }, 300_000)
  afterAll(async () => {
    mailer?.close()
    await db?.close()
  })

  // the actor a schedule's job records (schedules.ts, processors.ts): the header names the schedule and uses its zone
  const audit = async () => (await runAudit(db, { trigger: 'SCHEDULE', actor: 'schedule:Ночная job:7', asOf })).run.id
  const sendDigests = (d: TestDatabase, options: Parameters<typeof sendDigestsOf>[1]) => sendDigestsOf(d, { consoleUrl: BASE, ...options })
  const files = () => (readdirSync(outbox, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.eml')).map((f) => f.name).sort())
  const read = async (o: DigestOutcome) => simpleParser(readFileSync(o.path!))
  const by = (outcomes: DigestOutcome[], id: number) => outcomes.find((o) => o.subscriptionId === id)!
  const scopeWhere = (id: number) => {
    if (id === subs.group) return { groupId: target.groupId }
    if (id === subs.market) return { marketCode: target.marketCode }
    if (id === subs.other) return { marketCode: otherMarket }
    return {}
  }
  const openLinks = async (id: number) => (await db.prisma.finding.findMany({ where: { ...scopeWhere(id), status: { in: [...OPEN_STATUSES] } } }))
    .map((f) => `${BASE}/findings/${f.fingerprint}`).sort()
  const openKeys = async (id: number) => (await db.prisma.finding.findMany({ where: { ...scopeWhere(id), status: { in: [...OPEN_STATUSES] } } }))
    .map((f) => `${f.ruleId} | ${entitiesText(f.entities as Entities)}`).sort()

  it('first audit: one e-mail per active subscription with every open finding of its scope as new', async () => {
    await db.prisma.schedule.create({ data: { name: 'Ночная', cron: '0 3 * * *', timezone: 'Asia/Yekaterinburg', createdBy: 'test' } })
    const runId = await audit()
    const startedAt = (await db.prisma.auditRun.findUniqueOrThrow({ where: { id: runId } })).startedAt
    // the group of a planted duplicate serial, its market and one other market are what subscriptions watch
    const { rows: [t] } = await db.sql.query<Target>(`
      SELECT id, "ruleId", entities, "groupId", "marketCode" FROM finding
      WHERE "ruleId" = 'equipment-duplicate-serial' AND jsonb_array_length(entities) = 2 AND "groupId" IS NOT NULL AND "marketCode" IS NOT NULL
      ORDER BY fingerprint LIMIT 1`)
    target = t!
    const { rows: [o] } = await db.sql.query<{ code: string }>(
      `SELECT "marketCode" AS code FROM finding WHERE "marketCode" <> $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`, [target.marketCode])
    otherMarket = o.code
    const groupCode = (await db.prisma.responsibleGroup.findUniqueOrThrow({ where: { id: target.groupId } })).code
    const add = async (name: string, data: { groupId?: number; marketCode?: string; sendWhenUnchanged?: boolean; active?: boolean }) =>
      (await db.prisma.subscription.create({ data: { name, recipients: [`${name}@example.ru`], ...data } })).id
    subs.group = await add('group', { groupId: target.groupId })
    subs.market = await add('market', { marketCode: target.marketCode })
    subs.all = await add('all', { sendWhenUnchanged: true })
    subs.other = await add('other', { marketCode: otherMarket })
    subs.inactive = await add('inactive', { active: false })

    const outcomes = await sendDigests(db, { runId, mailer })
    expect(outcomes.map((o) => o.subscriptionId).sort()).toEqual([subs.group, subs.market, subs.all, subs.other].sort())
    expect(outcomes.every((o) => o.sent)).toBe(true)
    expect(files()).toHaveLength(4)

    for (const o of outcomes) {
      const mail = await read(o)
      const expected = await openKeys(o.subscriptionId)
      expect(expected.length, o.name).toBeGreaterThan(0)
      expect(o.counts).toEqual({ new: expected.length, open: expected.length, resolved: 0 })
      expect(mail.subject).toBe(o.subject)
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(`${o.name}@example.ru`)
      expect(csvKeys(mail, 'новое')).toEqual(expected)
      // each finding links to its page in the console, in the CSV and in both parts
      const links = await openLinks(o.subscriptionId)
      expect(csvLinks(mail, 'новое')).toEqual(links)
      expect((mail.text!.match(/https?:\/\/\S+/g) ?? []).sort()).toEqual(links)
      expect([...(mail.html || '').matchAll(/href="([^"]*)"/g)].map((m) => m[1]).sort()).toEqual(links)
      // the run by its start in the schedule's zone and by its schedule; its id only in the last line
      const when = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Yekaterinburg' }).format(startedAt)
      expect(mail.text!.split('\n')[0]).toBe(`Сверка, ${o.subject!.split(' — ')[1]}: итоги проверки от ${when} GMT+5 (по расписанию «Ночная»).`)
      expect(mail.text!.trimEnd().split('\n').at(-1)).toBe(`Проверка ${runId}`)
      expect(csvKeys(mail, 'открыто')).toEqual([])
      expect(mail.text).toContain(`Новые с прошлого письма (${expected.length})`)
      expect(mail.html).toContain('<table')
    }
    const group = await read(by(outcomes, subs.group))
    expect(group.subject).toMatch(new RegExp(`^Сверка: \\d+ (новое|новых), \\d+ (открытое|открытых), 0 устранено — группа ${groupCode}$`))
    expect(group.text).toContain(entitiesText(target.entities))
    expect((await read(by(outcomes, subs.all))).subject).toMatch(/ — все рынки$/)
    expect((await read(by(outcomes, subs.market))).subject).toMatch(new RegExp(` — рынок ${target.marketCode}$`))

    const stored = await db.prisma.subscription.findMany({ orderBy: { id: 'asc' } })
    for (const s of stored) {
      if (s.id === subs.inactive) expect(s).toMatchObject({ lastRunId: null, lastSentAt: null })
      else expect(s).toMatchObject({ lastRunId: runId, lastSentAt: expect.any(Date) })
    }

    // the same run again (a job delivered twice): nothing more is sent
    const again = await sendDigests(db, { runId, mailer })
    expect(again.every((o) => !o.sent && o.skipped === 'already-handled')).toBe(true)
    expect(files()).toHaveLength(4)
  })

  it('an audit without changes mails only the subscription that asks for it; a failed send is mailed by the retry', async () => {
    const runId = await audit()
    const broken: Pick<Mailer, 'send'> = { send: async () => { throw new Error('SMTP down') } }
    await expect(sendDigests(db, { runId, mailer: broken })).rejects.toThrow(/digests not sent: subscription \d+ \(all\): SMTP down/)
    expect(files()).toHaveLength(4)
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: subs.all } })).lastRunId).not.toBe(runId)

    const retry = await sendDigests(db, { runId, mailer })
    expect(files()).toHaveLength(5)
    const all = by(retry, subs.all)
    expect(all).toMatchObject({ sent: true, counts: { new: 0, resolved: 0 } })
    for (const id of [subs.group, subs.market, subs.other]) expect(by(retry, id)).toMatchObject({ sent: false, skipped: 'already-handled' })
    const mail = await read(all)
    expect(csvKeys(mail, 'новое')).toEqual([])
    expect(csvKeys(mail, 'открыто')).toEqual(await openKeys(subs.all))
    expect(mail.subject).toMatch(/^Сверка: 0 новых, \d+ открытых, 0 устранено — все рынки$/)
    expect(mail.text).toContain('Новых расхождений нет.')
  })

  it('a fixed collision arrives as RESOLVED in its scopes only, and two racing calls mail each subscription once', async () => {
    const keep = target.entities[1]
    await db.sql.query(`UPDATE equipment SET serial = 'FIXED-UNIQUE-1', "serialNorm" = 'FIXEDUNIQUE1' WHERE "inventoryNo" = $1`, [keep.key])
    const runId = await audit()
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('RESOLVED')

    const [a, b] = await Promise.all([sendDigests(db, { runId, mailer }), sendDigests(db, { runId, mailer })])
    const sent = [...a, ...b].filter((o) => o.sent)
    expect(sent.map((o) => o.subscriptionId).sort()).toEqual([subs.group, subs.market, subs.all].sort())
    expect(files()).toHaveLength(8)
    expect([...a, ...b].find((o) => o.subscriptionId === subs.other && !o.sent && o.skipped === 'unchanged')).toBeDefined()

    const resolvedKey = `${target.ruleId} | ${entitiesText(target.entities)}`
    for (const o of sent) {
      const mail = await read(o)
      expect(o.counts).toMatchObject({ new: 0, resolved: 1 })
      expect(csvKeys(mail, 'устранено')).toEqual([resolvedKey])
      expect(csvKeys(mail, 'открыто')).toEqual(await openKeys(o.subscriptionId))
      expect(csvKeys(mail, 'открыто')).not.toContain(resolvedKey)
      expect(mail.subject).toMatch(/, 1 устранено — /)
      expect(mail.html).toContain('Устранены с прошлого письма (1)')
    }
  })

  it('a collision that comes back is new again to the subscriptions that saw it resolved', async () => {
    const { rows: [original] } = await db.sql.query<{ serial: string; serialNorm: string }>(
      `SELECT e.serial, e."serialNorm" FROM equipment e WHERE e."inventoryNo" = $1`, [target.entities[0].key])
    await db.sql.query(`UPDATE equipment SET serial = $2, "serialNorm" = $3 WHERE "inventoryNo" = $1`, [target.entities[1].key, original.serial, original.serialNorm])
    const runId = await audit()
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('REOPENED')
    const outcomes = await sendDigests(db, { runId, mailer })
    expect(outcomes.filter((o) => o.sent).map((o) => o.subscriptionId).sort()).toEqual([subs.group, subs.market, subs.all].sort())
    const mail = await read(by(outcomes, subs.group))
    expect(csvKeys(mail, 'новое')).toEqual([`${target.ruleId} | ${entitiesText(target.entities)}`])
    expect(csvKeys(mail, 'устранено')).toEqual([])
  })
})
