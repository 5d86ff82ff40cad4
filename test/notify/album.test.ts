// The reports album by mail on a seeded dataset, on both databases: the monthly album written to the outbox and
// read back (subject, the scores in the HTML, the inline trend PNG, the workbook's numbers equal to the report
// functions'), a subscription limited to a market getting that market's numbers only, album schedules managed
// through GraphQL, and an album schedule's tick sending once — with two jobs racing, a retry, a failed send, and
// the real in-process job layer over SMTP.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser, type ParsedMail } from 'mailparser'
import readExcelFile from 'read-excel-file/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { dayIn, periodBefore, periodOf } from '../../src/dates.ts'
import { slaBreaches } from '../../src/incidents/reports.ts'
import type { ReportScope } from '../../src/reports/scope.ts'
import { openJobs } from '../../src/jobs/open.ts'
import { createProcessors } from '../../src/jobs/processors.ts'
import type { Jobs } from '../../src/jobs/queue.ts'
import { periodRange, sendAlbumNow, sendScheduledAlbum, type AlbumOutcome } from '../../src/notify/album.ts'
import { TREND_CID } from '../../src/notify/album-render.ts'
import { createMailer, type Mailer } from '../../src/notify/mailer.ts'
import { aging, bottlenecks, findingsMatrix } from '../../src/reports/findings.ts'
import { qualityScores } from '../../src/reports/quality.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { smtpCatcher } from '../helpers/smtp.ts'
import { obliterateQueues } from '../../src/jobs/bullmq.ts'
import { REDIS_URL, seed, testPrefix, waitFor } from '../jobs/helpers.ts'

const ZONE = 'Europe/Moscow'
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const round = (row: unknown[]) => row.map((v) => (typeof v === 'number' ? Number(v.toFixed(9)) : v))
/** the summary's way of writing a score: one decimal, a decimal comma */
const ru = (n: number) => n.toFixed(1).replace('.', ',')

async function workbook(mail: ParsedMail) {
  const xlsx = mail.attachments.find((a) => a.filename?.endsWith('.xlsx'))!
  const sheets = await readExcelFile(xlsx.content)
  return (name: string) => sheets.find((s) => s.sheet === name)!.data
}

describe.each(backends)('the reports album by mail on %s', (backend) => {
  let db: TestDatabase
  let outbox: string
  let mailer: Mailer
  let market: string
  let otherMarket: string
  const subs = { all: 0, market: 0 }
  const now = new Date()
  const thisMonth = periodOf(dayIn(now, ZONE), 'MONTH')

  beforeAll(async () => {
    db = await testDatabase(backend)
    await seed(db, 150)
    // two full audits: the stored scores of both fall in this month (or, on its first hours, in its first day)
    await runAudit(db, { trigger: 'CLI', actor: 'test' })
    await runAudit(db, { trigger: 'CLI', actor: 'test' })
    const { rows } = await db.sql.query<{ code: string }>(
      `SELECT "marketCode" AS code FROM finding WHERE "marketCode" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`)
    ;[market, otherMarket] = rows.map((r) => r.code)
    subs.all = (await db.prisma.subscription.create({ data: { name: 'all', recipients: ['all@example.ru'] } })).id
    subs.market = (await db.prisma.subscription.create({ data: { name: 'market', recipients: ['market@example.ru'], marketCode: market } })).id
    outbox = join(tempDir('sverka-album-'), 'outbox')
    mailer = createMailer({ outboxDir: outbox })
  }, 300_000)
  afterAll(async () => {
    mailer?.close()
    await db?.close()
  })

  // keepCidLinks: mailparser would otherwise put the image's data into the HTML in place of its cid: reference
  const read = async (o: AlbumOutcome) => simpleParser(readFileSync(o.path!), { keepCidLinks: true })
  const monthly = (subscriptionId: number) => sendAlbumNow(db, SYSTEM, { subscriptionId, period: 'MONTH', day: thisMonth.first, mailer, now })

  it('the monthly album: subject, the scores in the summary, the trend inline, one sheet a report with the report functions\' numbers', async () => {
    const outcome = await monthly(subs.all)
    expect(outcome).toMatchObject({ sent: true, recipients: ['all@example.ru'], period: { kind: 'MONTH', first: thisMonth.first, next: thisMonth.next } })
    const mail = await read(outcome)
    const month = new Intl.DateTimeFormat('ru-RU', { month: 'long', year: 'numeric', timeZone: ZONE }).format(now)
    expect(mail.subject).toBe(`Сверка: альбом отчётов за ${month} — все рынки`)

    const scope: ReportScope = { markets: null }
    const range = periodRange('MONTH', thisMonth.first, ZONE)
    const runs = await qualityScores(db.sql, scope, { since: range.since, until: range.until })
    expect(runs.length).toBe(2)
    const last = runs.at(-1)!
    expect(last.score).not.toBeNull()
    expect(mail.html).toContain(`>${ru(last.score!)}<`)
    for (const m of last.markets) if (m.score !== null) expect(mail.html).toContain(`>${ru(m.score)}<`)

    // the trend: a PNG part with a content id the HTML shows
    const png = mail.attachments.find((a) => a.contentType === 'image/png')!
    expect(png.content.subarray(0, 8)).toEqual(PNG_MAGIC)
    expect(png.cid).toBe(TREND_CID)
    expect(mail.html).toContain(`src="cid:${TREND_CID}"`)

    const sheet = await workbook(mail)
    // the scores: each run's total row equal to qualityScores, as a fraction
    const totals = sheet('Оценка качества').slice(1).filter((r) => r[3] === 'Итого')
    expect(totals.map((r) => round([r[0], r[6], r[7], r[8], r[9]]))).toEqual(runs.map((r) => round([r.runId, r.records, r.clean, r.records - r.clean, r.score! / 100])))
    for (const m of last.markets) {
      const row = sheet('Оценка качества').find((r) => r[0] === last.runId && r[3] === (m.market ?? 'без рынка') && r[5] === 'все типы')!
      expect(round(row.slice(6))).toEqual(round([m.records, m.clean, m.records - m.clean, m.score === null ? null : m.score / 100]))
    }
    // open findings now, by rule × market and by age; bottlenecks of the month; breaches now
    const matrix = await findingsMatrix(db.sql, scope)
    expect(matrix.length).toBeGreaterThan(0)
    expect(sheet('Находки по правилам и рынкам').slice(1).map((r) => [r[0], r[2], ...r.slice(3)]))
      .toEqual(matrix.map((c) => [c.ruleId, c.market ?? 'без рынка', c.critical, c.high, c.medium, c.low, c.total]))
    for (const r of sheet('Находки по правилам и рынкам').slice(1)) expect(r.slice(3).every((v) => typeof v === 'number')).toBe(true)
    const ages = await aging(db.sql, scope, 'rule', now)
    expect(sheet('Возраст находок').slice(1).map((r) => [r[0], ...r.slice(2)])).toEqual(ages.map((a) => [a.key, a.under1Day, a.days1to7, a.days7to30, a.over30Days, a.total]))
    const stuck = await bottlenecks(db.sql, scope, { since: range.since, until: range.until }, now)
    expect(sheet('Узкие места').slice(1).map((r) => [r[2], r[3], r[4], r[6], r[12], r[13]]))
      .toEqual(stuck.map((b) => [b.line, b.received, b.acknowledgedInTime, b.resolvedInTime, b.overdue, b.worst]))
    const breaches = await slaBreaches(db.sql, scope, { now, limit: 1000 })
    expect(sheet('Нарушения сроков').length - 1).toBe(breaches.breaches.length)
    // the summary's counts: open findings (the matrix summed) and breaches
    const open = matrix.reduce((n, c) => n + c.total, 0)
    expect(mail.html).toContain(`Открытых: <b>${open}</b>`)
    expect(mail.html).toContain(`нарушают сроки: <b>${breaches.total}</b>`)
    // typed cells: dates are dates, shares numbers
    const trend = sheet('Динамика оценки')
    expect(trend).toHaveLength(13)
    expect(trend.slice(1).every((r) => r[0] instanceof Date && r[1] instanceof Date)).toBe(true)
    expect(typeof trend[12][3]).toBe('number')
  })

  it('a subscription limited to a market gets that market\'s numbers only', async () => {
    const outcome = await monthly(subs.market)
    const mail = await read(outcome)
    expect(mail.subject).toMatch(new RegExp(` — рынок ${market}$`))
    const scope: ReportScope = { markets: [market], market }
    const range = periodRange('MONTH', thisMonth.first, ZONE)
    const runs = await qualityScores(db.sql, scope, { since: range.since, until: range.until })
    expect(runs.length).toBe(2)
    const own = runs.at(-1)!.markets.find((m) => m.market === market)!
    expect(runs.at(-1)!.markets.map((m) => m.market)).toEqual([market])
    expect(mail.html).toContain(`>${ru(own.score!)}<`)

    const sheet = await workbook(mail)
    // the full audits' ids are no market's: left out
    expect(sheet('Оценка качества').slice(1).every((r) => r[0] === null)).toBe(true)
    const markets = new Set(sheet('Оценка качества').slice(1).map((r) => r[3]))
    expect([...markets].sort()).toEqual(['Итого', market].sort())
    expect(sheet('Динамика оценки')[0]).not.toContain(otherMarket)
    const matrix = sheet('Находки по правилам и рынкам').slice(1)
    expect(matrix.length).toBeGreaterThan(0)
    expect(new Set(matrix.map((r) => r[2]))).toEqual(new Set([market]))
    expect(matrix.map((r) => r[7])).toEqual((await findingsMatrix(db.sql, scope)).map((c) => c.total))
    expect(sheet('Нарушения сроков').slice(1).every((r) => r[3] === market)).toBe(true)
    // the market's total (its one row) is the summary's «Итого»
    expect(mail.html).not.toContain(`>${otherMarket} — `)
    const all = (await findingsMatrix(db.sql, { markets: null })).filter((c) => c.market === market).reduce((n, c) => n + c.total, 0)
    expect(mail.html).toContain(`Открытых: <b>${all}</b>`)
  })

  it('a subscription of a group: its markets\' reports, and of the breaches and bottlenecks its own', async () => {
    // a group with routed findings; some of its findings and some of another group's made overdue
    const { rows: [g] } = await db.sql.query<{ id: number; code: string }>(`
      SELECT g.id, g.code FROM finding f JOIN responsible_group g ON g.id = f."groupId"
      WHERE f.status::text IN ('NEW', 'OPEN', 'REOPENED') GROUP BY g.id, g.code ORDER BY count(*) DESC, g.code LIMIT 1`)
    await db.sql.query(`
      UPDATE finding SET "ackDueAt" = now() - interval '2 days' WHERE id IN (
        (SELECT id FROM finding WHERE "groupId" = $1 AND "acknowledgedAt" IS NULL ORDER BY fingerprint LIMIT 3)
        UNION (SELECT id FROM finding WHERE "groupId" <> $1 AND "acknowledgedAt" IS NULL ORDER BY fingerprint LIMIT 3))`, [g.id])
    const groupMarkets = (await db.sql.query<{ code: string }>(
      `SELECT m.code FROM responsible_group_market gm JOIN market m ON m.id = gm."marketId" WHERE gm."groupId" = $1`, [g.id])).rows.map((r) => r.code)
    const { rows: [expected] } = await db.sql.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM finding
      WHERE "groupId" = $1 AND status::text IN ('NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED', 'IN_PROGRESS')
        AND (cardinality($2::text[]) = 0 OR "marketCode" = ANY($2::text[]))
        AND (("acknowledgedAt" IS NULL AND "ackDueAt" < now()) OR "dueAt" < now())`, [g.id, groupMarkets])
    expect(expected.n).toBeGreaterThan(0)

    const id = (await db.prisma.subscription.create({ data: { name: 'group', recipients: ['group@example.ru'], groupId: g.id } })).id
    const mail = await read(await monthly(id))
    expect(mail.subject).toMatch(new RegExp(` — группа ${g.code}$`))
    const sheet = await workbook(mail)
    const breaches = sheet('Нарушения сроков').slice(1)
    expect(breaches).toHaveLength(expected.n)
    expect(new Set(breaches.map((r) => r[4]))).toEqual(new Set([g.code]))
    expect(mail.html).toContain(`нарушают сроки: <b>${expected.n}</b>`)
    expect(sheet('Узкие места').slice(1).every((r) => r[0] === g.code)).toBe(true)
    // the matrix covers the group's markets (all of them when it has none)
    const matrixMarkets = new Set(sheet('Находки по правилам и рынкам').slice(1).map((r) => r[2]))
    if (groupMarkets.length > 0) expect([...matrixMarkets].every((m) => groupMarkets.includes(m as string))).toBe(true)
    else expect(matrixMarkets.size).toBeGreaterThan(1)
    await db.prisma.subscription.delete({ where: { id } })
  })

  it('album schedules through GraphQL: Russian problems field by field, the market from the subscription, not run as audits, their subscription kept', async () => {
    const client = graphqlClient(db)
    const admin = await client.key('ADMIN')
    const fields = 'id kind albumPeriod marketCode rules subscription { id name } lastSentPeriod'
    const create = (input: Record<string, unknown>) => client.request(`mutation($i: ScheduleInput!) { createSchedule(input: $i) {
      __typename ... on MutationCreateScheduleSuccess { data { ${fields} } } ... on ValidationFailed { problems { field code message } } } }`, { i: input }, admin)

    const bare = await create({ name: 'Альбом', cron: '0 6 1 * *', kind: 'ALBUM', rules: ['contract-overlap'] })
    expect(bare.data.createSchedule.problems).toEqual([
      { field: 'albumPeriod', code: 'REQUIRED', message: 'расписанию альбома отчётов нужен период: неделя или месяц' },
      { field: 'rules', code: 'INVALID', message: 'альбом отчётов не запускает проверку: правил у его расписания нет' },
      { field: 'subscriptionId', code: 'REQUIRED', message: 'расписанию альбома отчётов нужна подписка: кому и по какому рынку или группе его отправлять' },
    ])
    const audit = await create({ name: 'Аудит', cron: '0 2 * * *', albumPeriod: 'WEEK', subscriptionId: subs.all })
    expect(audit.data.createSchedule.problems).toEqual([
      { field: 'albumPeriod', code: 'INVALID', message: 'период бывает только у расписания альбома отчётов' },
      { field: 'subscriptionId', code: 'INVALID', message: 'подписка бывает только у расписания альбома отчётов' },
    ])
    const unknown = await create({ name: 'Альбом', cron: '0 6 1 * *', kind: 'ALBUM', albumPeriod: 'MONTH', subscriptionId: 999_999 })
    expect(unknown.data.createSchedule.problems).toEqual([{ field: 'subscriptionId', code: 'UNKNOWN', message: 'нет подписки 999999' }])

    const made = await create({ name: 'Альбом рынка', cron: '0 6 1 * *', kind: 'ALBUM', albumPeriod: 'MONTH', subscriptionId: subs.market })
    const album = made.data.createSchedule.data
    expect(album).toMatchObject({ kind: 'ALBUM', albumPeriod: 'MONTH', marketCode: market, rules: [], subscription: { id: subs.market, name: 'market' }, lastSentPeriod: null })

    const run = await client.request(`mutation($id: Int!) { runSchedule(id: $id) { __typename ... on Conflict { message } } }`, { id: album.id }, admin)
    expect(run.data.runSchedule).toEqual({ __typename: 'Conflict', message: '«Альбом рынка» — расписание альбома отчётов: оно отправляет письмо, а не запускает проверку' })
    const drop = await client.request(`mutation($id: Int!) { deleteMailSubscription(id: $id) { __typename ... on Conflict { message } } }`, { id: subs.market }, admin)
    expect(drop.data.deleteMailSubscription).toEqual({ __typename: 'Conflict', message: `подписку ${subs.market} отправляет расписание альбома отчётов («Альбом рынка»): сначала удалите его или смените подписку` })

    // turned into an audit, it drops its album fields
    const turned = await client.request(`mutation($id: Int!) { updateSchedule(id: $id, input: { kind: AUDIT }) { __typename ... on MutationUpdateScheduleSuccess { data { ${fields} } } } }`, { id: album.id }, admin)
    expect(turned.data.updateSchedule.data).toMatchObject({ kind: 'AUDIT', albumPeriod: null, subscription: null, marketCode: market })
    await db.prisma.schedule.delete({ where: { id: album.id } })
  })

  it('the trend: a run of the previous month is its point, and the summary\'s change is against it', async () => {
    const [first, second] = await qualityScores(db.sql, { markets: null }, {})
    const previous = periodRange('MONTH', periodBefore(thisMonth.first, 'MONTH').first, ZONE)
    const finishedAt = (await db.prisma.auditRun.findUniqueOrThrow({ where: { id: first.runId } })).finishedAt
    // the first audit moved to the middle of last month; a market's score changed in the second run's rows
    await db.sql.query(`UPDATE audit_run SET "finishedAt" = $2 WHERE id = $1::uuid`, [first.runId, new Date(previous.since.getTime() + 10 * 86_400_000)])
    const changed = second.markets.find((m) => m.market === market)!
    const { rows: [row] } = await db.sql.query<{ clean: number; records: number }>(
      `UPDATE quality_score SET clean = clean - 1 WHERE "runId" = $1::uuid AND "marketCode" = $2 AND "entityType" = 'contract' AND clean > 0 RETURNING clean, records`, [second.runId, market])
    expect(row).toBeDefined()
    try {
      const mail = await read(await monthly(subs.all))
      const before = (await qualityScores(db.sql, { markets: null }, { until: previous.until })).at(-1)!
      const after = (await qualityScores(db.sql, { markets: null }, { since: previous.until })).at(-1)!
      expect(before.runId).toBe(first.runId)
      expect(after.runId).toBe(second.runId)
      const marketNow = after.markets.find((m) => m.market === market)!
      expect(marketNow.clean).toBe(changed.clean - 1)
      // the change in points, as the summary writes it: sign, one decimal, decimal comma
      const delta = marketNow.score! - before.markets.find((m) => m.market === market)!.score!
      expect(delta).toBeLessThan(0)
      expect(mail.html).toContain(`>−${ru(-delta)}<`)
      const totalDelta = after.score! - before.score!
      expect(mail.html).toContain(`>${totalDelta < 0 ? '−' : totalDelta > 0 ? '+' : '±'}${ru(Math.abs(totalDelta))}<`)
      const trend = (await workbook(mail))('Динамика оценки')
      expect(round([trend[11][3], trend[12][3]])).toEqual(round([before.score! / 100, after.score! / 100]))
      expect(trend[10][3]).toBeNull()
    } finally {
      await db.sql.query(`UPDATE audit_run SET "finishedAt" = $2 WHERE id = $1::uuid`, [first.runId, finishedAt])
      await db.sql.query(`UPDATE quality_score SET clean = clean + 1 WHERE "runId" = $1::uuid AND "marketCode" = $2 AND "entityType" = 'contract'`, [second.runId, market])
    }
  })

  describe('an album schedule\'s tick', () => {
    const lastMonth = periodBefore(dayIn(now, ZONE), 'MONTH')
    const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.eml'))
    let smtp: Awaited<ReturnType<typeof smtpCatcher>>
    const opened: Jobs[] = []
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((j) => j.runner.close()))
      await smtp?.close()
    })

    const albumSchedule = (name: string, cron: string, timezone = ZONE) => db.prisma.schedule.create({
      data: { name, cron, timezone, kind: 'ALBUM', albumPeriod: 'MONTH', subscriptionId: subs.all, createdBy: 'test' },
    })

    it('sends once: two jobs of one tick, a retry, another tick in the same month; a failed send is given back and retried', async () => {
      const dir = join(tempDir('sverka-album-tick-'), 'outbox')
      const outbox = createMailer({ outboxDir: dir })
      let failNext = false
      const flaky: Pick<Mailer, 'send'> = {
        async send(message) {
          if (!failNext) return outbox.send(message)
          failNext = false
          throw new Error('smtp down')
        },
      }
      const processors = createProcessors(db, { sendAlbum: (d, job) => sendScheduledAlbum(d, { ...job, mailer: flaky }) })
      // every minute: the tick just past is in this month; its last full month is the one before
      const s = await albumSchedule('Альбом ежеминутно', '* * * * *')
      const job = { trigger: 'SCHEDULE' as const, actor: 'schedule:Альбом ежеминутно', scheduleId: s.id }
      const tick = (id: string, attempt = 1) => processors.audit(job, { id, name: 'audit', attempt })

      failNext = true
      await expect(tick('tick-a')).rejects.toThrow('smtp down')
      expect((await db.prisma.schedule.findUniqueOrThrow({ where: { id: s.id } })).lastSentPeriod).toBeNull()
      const [a, b] = await Promise.all([tick('tick-a', 2), tick('tick-b')])
      const sent = [a, b].filter((r) => (r as AlbumOutcome).sent)
      expect(sent).toHaveLength(1)
      expect(sent[0]).toMatchObject({ scheduleId: s.id, period: { kind: 'MONTH', first: lastMonth.first, next: lastMonth.next } })
      expect(await tick('tick-a', 3)).toMatchObject({ skipped: 'already-sent' })
      // no audit was run for these ticks
      expect(await db.prisma.auditRun.count({ where: { actor: { startsWith: 'schedule:Альбом' } } })).toBe(0)
      expect(files(dir)).toHaveLength(1)
      const stored = await db.prisma.schedule.findUniqueOrThrow({ where: { id: s.id } })
      expect(stored.lastSentPeriod!.toISOString().slice(0, 10)).toBe(lastMonth.first)
      expect(stored.lastSentAt).not.toBeNull()
      const mail = await simpleParser(readFileSync(join(dir, files(dir)[0])))
      const month = new Intl.DateTimeFormat('ru-RU', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${lastMonth.first}T00:00:00Z`))
      expect(mail.subject).toBe(`Сверка: альбом отчётов за ${month} — все рынки`)
      outbox.close()
      await db.prisma.schedule.delete({ where: { id: s.id } })
    })

    it('the job layer fires it: one e-mail over SMTP, none again at the next sync', async () => {
      smtp = await smtpCatcher()
      const before = process.env.SMTP_URL
      process.env.SMTP_URL = smtp.url
      try {
        const at = new Date(Date.now() + 3_000)
        const s = await albumSchedule('Альбом по таймеру', `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`, 'UTC')
        const jobs = await openJobs(db, { periodic: false, scheduleSyncMs: 500 })
        opened.push(jobs)
        await jobs.runner.start()
        await waitFor(async () => smtp.received.length > 0, 30_000)
        await new Promise((r) => setTimeout(r, 1_500))
        expect(smtp.received).toHaveLength(1)
        expect(smtp.received[0].to).toEqual(['all@example.ru'])
        expect(smtp.received[0].mail.subject).toMatch(/^Сверка: альбом отчётов за .+ — все рынки$/)
        expect(smtp.received[0].mail.attachments.some((x) => x.filename?.endsWith('.xlsx'))).toBe(true)
        expect((await db.prisma.schedule.findUniqueOrThrow({ where: { id: s.id } })).lastSentAt).not.toBeNull()
        await db.prisma.schedule.delete({ where: { id: s.id } })

        // and on request, through GraphQL: the same mailer settings
        const client = graphqlClient(db)
        const sent = await client.request(`mutation($id: Int!, $day: Date!) { sendAlbum(subscriptionId: $id, period: WEEK, day: $day) {
          __typename ... on MutationSendAlbumSuccess { data { period from to recipients subject } } } }`, { id: subs.market, day: '2026-11-25' }, await client.key('ADMIN'))
        expect(sent.data.sendAlbum.data).toEqual({
          period: 'WEEK', from: '2026-11-23', to: '2026-11-29', recipients: ['market@example.ru'],
          subject: `Сверка: альбом отчётов за неделю с 23.11.2026 по 29.11.2026 — рынок ${market}`,
        })
        await waitFor(async () => smtp.received.length > 1)
        expect(smtp.received[1].mail.subject).toBe(sent.data.sendAlbum.data.subject)
      } finally {
        if (before === undefined) delete process.env.SMTP_URL
        else process.env.SMTP_URL = before
      }
    }, 60_000)
  })
})

describe('an album schedule on BullMQ: a server and two workers (local Redis, PostgreSQL)', () => {
  const prefix = testPrefix()
  let db: TestDatabase
  let smtp: Awaited<ReturnType<typeof smtpCatcher>>
  const opened: Jobs[] = []
  const smtpBefore = process.env.SMTP_URL

  beforeAll(async () => {
    db = await testDatabase('postgres')
    smtp = await smtpCatcher()
    process.env.SMTP_URL = smtp.url
  }, 120_000)
  afterAll(async () => {
    await Promise.all(opened.map((j) => j.runner.close()))
    await obliterateQueues(REDIS_URL, prefix)
    if (smtpBefore === undefined) delete process.env.SMTP_URL
    else process.env.SMTP_URL = smtpBefore
    await smtp?.close()
    await db?.close()
  })

  it('its tick mails once across the workers, and a second tick in the same week mails nothing', async () => {
    const subscription = (await db.prisma.subscription.create({ data: { name: 'Альбом', recipients: ['album@example.ru'] } })).id
    for (let i = 0; i < 2; i++) {
      const w = await openJobs(db, { redisUrl: REDIS_URL, prefix, periodic: false, backoffMs: 100 })
      opened.push(w)
      await w.runner.start()
    }
    const server = await openJobs(db, { redisUrl: REDIS_URL, prefix, periodic: false })
    opened.push(server)
    const client = graphqlClient(db, { jobs: server.queue })
    const admin = await client.key('ADMIN')
    const cronIn = (seconds: number) => {
      const at = new Date(Date.now() + seconds * 1000)
      return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`
    }
    const made = await client.request(`mutation($c: String!, $s: Int!) { createSchedule(input: { name: "Альбом недели", cron: $c, timezone: "UTC", kind: ALBUM, albumPeriod: WEEK, subscriptionId: $s }) {
      ... on MutationCreateScheduleSuccess { data { id } } } }`, { c: cronIn(3), s: subscription }, admin)
    const id = made.data.createSchedule.data.id as number
    await waitFor(async () => smtp.received.length > 0, 30_000)
    await new Promise((r) => setTimeout(r, 2_500))
    expect(smtp.received).toHaveLength(1)
    const week = periodBefore(dayIn(new Date(), 'UTC'), 'WEEK')
    const [y, m, d] = week.first.split('-')
    expect(smtp.received[0].mail.subject).toMatch(new RegExp(`^Сверка: альбом отчётов за неделю с ${d}\\.${m}\\.${y} по .+ — все рынки$`))

    // the next tick (same week): claimed by a worker, the period already sent
    const firstTick = (await db.prisma.schedule.findUniqueOrThrow({ where: { id } })).lastTickAt!
    await client.request(`mutation($id: Int!, $c: String!) { updateSchedule(id: $id, input: { cron: $c }) { __typename } }`, { id, c: cronIn(3) }, admin)
    const secondTick = await waitFor(async () => {
      const s = await db.prisma.schedule.findUniqueOrThrow({ where: { id } })
      return s.lastTickAt! > firstTick ? s.lastTickAt : null
    }, 30_000)
    expect(secondTick.getTime()).toBeGreaterThan(firstTick.getTime())
    await new Promise((r) => setTimeout(r, 2_500))
    expect(smtp.received).toHaveLength(1)
    expect((await db.prisma.schedule.findUniqueOrThrow({ where: { id } })).lastSentPeriod!.toISOString().slice(0, 10)).toBe(week.first)
  }, 90_000)
})
