// Scheduled audits: cron checks, one run per tick (claims), one catch-up after downtime, management through
// GraphQL, and the whole flow — a tick fires, the audit runs once, each subscription gets its e-mail over a real
// SMTP server — in-process on both databases and on BullMQ with two workers.
import { parse } from 'csv-parse/sync'
import type { ParsedMail } from 'mailparser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { obliterateQueues } from '../../src/jobs/bullmq.ts'
import { openJobs } from '../../src/jobs/open.ts'
import type { Jobs } from '../../src/jobs/queue.ts'
import { checkTiming, claimTick, lastTick, missedTick, nextTick, syncSchedules, type Schedule } from '../../src/jobs/schedules.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { graphqlClient } from '../helpers/graphql.ts'
import { smtpCatcher } from '../helpers/smtp.ts'
import { REDIS_URL, seed, testPrefix, waitFor } from './helpers.ts'

/** A daily cron (UTC) whose tick is `seconds` from now: it fires once in the test, then not for a day. */
function cronIn(seconds: number) {
  const at = new Date(Date.now() + seconds * 1000)
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`
}

function csvSections(mail: ParsedMail) {
  const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'))!
  const rows = parse(csv.content, { bom: true, delimiter: ';' })
  const count = (s: string) => rows.slice(1).filter((r) => r[0] === s).length
  return { NEW: count('новое'), OPEN: count('открыто'), RESOLVED: count('устранено') }
}

async function openCount(db: TestDatabase, marketCode?: string) {
  const { rows: [r] } = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM finding WHERE status::text = ANY($2::text[]) AND ($1::text IS NULL OR "marketCode" = $1)`, [marketCode ?? null, [...OPEN_STATUSES]])
  return r.n
}

async function scheduledRuns(db: TestDatabase, name: string) {
  const { rows } = await db.sql.query<{ id: string; status: string; marketCode: string | null }>(
    `SELECT id, status::text AS status, "marketCode" FROM audit_run WHERE trigger = 'SCHEDULE' AND actor LIKE $1 ORDER BY "startedAt"`, [`schedule:${name} job:%`])
  return rows
}

describe('cron expressions', () => {
  it('accepts five or six fields in a known time zone and refuses the rest with a reason', () => {
    expect(checkTiming('0 2 * * *', 'Europe/Moscow')).toEqual([])
    expect(checkTiming('30 0 2 * * 1-5', 'UTC')).toEqual([])
    expect(checkTiming('0 2 * *', 'UTC')).toMatchObject([{ field: 'cron', code: 'INVALID' }])
    expect(checkTiming('61 2 * * *', 'UTC')).toMatchObject([{ field: 'cron', code: 'INVALID' }])
    expect(checkTiming('* * * * * *', 'UTC')).toMatchObject([{ field: 'cron', code: 'TOO_FREQUENT' }])
    expect(checkTiming('0 2 * * *', 'Mars/Olympus')).toMatchObject([{ field: 'timezone', code: 'INVALID' }])
  })

  it('says what is wrong in Russian (the parser\'s English reasons translated)', () => {
    const said = (cron: string, zone = 'UTC') => checkTiming(cron, zone).map((p) => p.message)
    expect(said('0 2 * *')).toEqual(['в выражении cron 5 полей (минута, час, день месяца, месяц, день недели) или 6 с секундами первыми; получено 4'])
    expect(said('61 2 * * *')).toEqual(['не выражение cron: значение 61 вне диапазона 0-59'])
    expect(said('a b c d e')).toEqual(['не выражение cron: недопустимые символы: a'])
    expect(said('0 2 * * MON-XYZ')).toEqual(['не выражение cron: неизвестное обозначение «xyz»'])
    expect(said('*/0 * * * *')).toEqual(['не выражение cron: шаг повторения не может быть 0'])
    expect(said('5-1 * * * *')).toEqual(['не выражение cron: неверный диапазон 5-1: начало больше конца'])
    expect(said('* * * * * *')).toEqual(['аудит можно запускать не чаще раза в минуту'])
    expect(said('0 2 * * *', 'Mars/Olympus')).toEqual(['неизвестный часовой пояс «Mars/Olympus» (имя из базы часовых поясов, например Europe/Moscow)'])
    for (const message of [...said('0 2 * *'), ...said('61 2 * * *'), ...said('* * * * * *')]) {
      expect(message.match(/[A-Za-z]+/g)?.filter((w) => w !== 'cron') ?? []).toEqual([])
    }
  })

  it('reads the fields in the schedule\'s time zone; a tick at the instant asked counts as the last one', () => {
    const nightly = { cron: '0 2 * * *', timezone: 'Europe/Moscow' }
    // 02:00 in Moscow is 23:00 UTC the day before
    expect(nextTick(nightly, new Date('2026-11-27T00:00:00Z')).toISOString()).toBe('2026-11-27T23:00:00.000Z')
    expect(lastTick(nightly, new Date('2026-11-27T23:00:00Z'))!.toISOString()).toBe('2026-11-27T23:00:00.000Z')
    expect(lastTick(nightly, new Date('2026-11-27T22:59:59Z'))!.toISOString()).toBe('2026-11-26T23:00:00.000Z')
  })

  it('after downtime one tick is due — the latest — and none once it ran or when the schedule is off', () => {
    const now = new Date('2026-11-27T12:00:30Z')
    const base: Schedule = {
      id: 1, name: 'n', cron: '0 3 * * *', timezone: 'UTC', rules: [], marketCode: null, enabled: true,
      kind: 'AUDIT', albumPeriod: null, subscriptionId: null, lastSentPeriod: null, lastSentAt: null,
      lastTickAt: new Date('2026-11-24T03:00:00Z'), lastTickJob: 'j', lastRunId: null, createdBy: 't',
      createdAt: new Date('2026-11-01T00:00:00Z'), updatedAt: new Date('2026-11-01T00:00:00Z'),
    }
    expect(missedTick(base, now)?.toISOString()).toBe('2026-11-27T03:00:00.000Z')
    expect(missedTick({ ...base, lastTickAt: new Date('2026-11-27T03:00:00Z') }, now)).toBeNull()
    expect(missedTick({ ...base, enabled: false }, now)).toBeNull()
    // created after the last tick: nothing was missed
    expect(missedTick({ ...base, lastTickAt: null, createdAt: new Date('2026-11-27T04:00:00Z') }, now)).toBeNull()
  })
})

describe.each(backends)('schedules on %s', (backend) => {
  let db: TestDatabase
  let smtp: Awaited<ReturnType<typeof smtpCatcher>>
  const opened: Jobs[] = []
  const smtpBefore = process.env.SMTP_URL

  beforeAll(async () => {
    db = await testDatabase(backend)
    await seed(db, 150)
    smtp = await smtpCatcher()
    process.env.SMTP_URL = smtp.url
  }, 300_000)
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((j) => j.runner.close()))
  })
  afterAll(async () => {
    if (smtpBefore === undefined) delete process.env.SMTP_URL
    else process.env.SMTP_URL = smtpBefore
    await smtp?.close()
    await db?.close()
  })

  const schedule = (data: Partial<Schedule> & { name: string; cron: string }) => db.prisma.schedule.create({ data: { timezone: 'UTC', createdBy: 'test', ...data } })

  it('a tick is claimed by one job only; a retry of that job may go on, another job may not', async () => {
    const s = await schedule({ name: 'claims', cron: '* * * * *' })
    const claims = await Promise.all(['job-a', 'job-b', 'job-c'].map((j) => claimTick(db, s.id, j)))
    const winners = claims.filter((c) => c !== null)
    expect(winners).toHaveLength(1)
    const winner = winners[0].lastTickJob!
    expect(await claimTick(db, s.id, winner)).not.toBeNull()
    expect(await claimTick(db, s.id, winner === 'job-a' ? 'job-b' : 'job-a')).toBeNull()
    await db.prisma.schedule.update({ where: { id: s.id }, data: { enabled: false, lastTickAt: null } })
    expect(await claimTick(db, s.id, 'job-d')).toBeNull()
  })

  it('managed through GraphQL: refused input field by field, listed with the next run, off, market-limited keys, deleted', async () => {
    const client = graphqlClient(db)
    const admin = await client.key('ADMIN')
    const fields = 'id name cron timezone rules marketCode enabled nextRunAt lastRun { id }'
    const create = (input: Record<string, unknown>, key = admin) => client.request(`mutation($i: ScheduleInput!) { createSchedule(input: $i) {
      __typename ... on MutationCreateScheduleSuccess { data { ${fields} } } ... on ValidationFailed { problems { field code } } ... on Conflict { message } } }`, { i: input }, key)

    const bad = await create({ name: 'Ночная', cron: '0 2 * *', timezone: 'Mars/Olympus', rules: ['no-such-rule'] })
    expect(bad.data.createSchedule).toMatchObject({ __typename: 'ValidationFailed', problems: [{ field: 'timezone', code: 'INVALID' }, { field: 'rules', code: 'UNKNOWN' }] })
    const fast = await create({ name: 'Ночная', cron: '*/10 * * * * *' })
    expect(fast.data.createSchedule.problems).toEqual([{ field: 'cron', code: 'TOO_FREQUENT' }])

    const made = await create({ name: 'Ночная', cron: '0 2 * * *', rules: ['contract-overlap'] })
    const s = made.data.createSchedule.data
    expect(s).toMatchObject({ name: 'Ночная', timezone: 'Europe/Moscow', rules: ['contract-overlap'], marketCode: null, enabled: true, lastRun: null })
    expect(new Date(s.nextRunAt).getTime()).toBe(nextTick({ cron: '0 2 * * *', timezone: 'Europe/Moscow' }).getTime())
    expect((await create({ name: 'Ночная', cron: '0 3 * * *' })).data.createSchedule.__typename).toBe('Conflict')

    const off = await client.request(`mutation($id: Int!) { updateSchedule(id: $id, input: { enabled: false }) { ... on MutationUpdateScheduleSuccess { data { enabled nextRunAt } } } }`, { id: s.id }, admin)
    expect(off.data.updateSchedule.data).toEqual({ enabled: false, nextRunAt: null })

    // a key limited to SPB: schedules of SPB only; every market or another's is refused as if it did not exist
    const spb = await client.key('NSI_SPECIALIST', ['SPB'])
    expect((await create({ name: 'СПб все', cron: '0 4 * * *' }, spb)).data.createSchedule.problems).toEqual([{ field: 'marketCode', code: 'REQUIRED' }])
    expect((await create({ name: 'МСК', cron: '0 4 * * *', marketCode: 'MSK' }, spb)).data.createSchedule.problems).toEqual([{ field: 'marketCode', code: 'UNKNOWN' }])
    const own = (await create({ name: 'СПб', cron: '0 4 * * *', marketCode: 'SPB' }, spb)).data.createSchedule.data
    const listed = async (key: string) => (await client.request('{ schedules { name } }', {}, key)).data.schedules.map((x: { name: string }) => x.name)
    expect(await listed(spb)).toEqual(['СПб'])
    expect(await listed(admin)).toEqual(expect.arrayContaining(['Ночная', 'СПб']))
    const foreign = await client.request(`mutation($id: Int!) { deleteSchedule(id: $id) { __typename } }`, { id: s.id }, spb)
    expect(foreign.data.deleteSchedule.__typename).toBe('NotFound')
    // an agent reads schedules, but may not change them
    const agent = await client.key('SUPPORT_AGENT')
    expect((await create({ name: 'x', cron: '0 5 * * *' }, agent)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN')

    for (const id of [s.id, own.id]) {
      const gone = await client.request(`mutation($id: Int!) { deleteSchedule(id: $id) { __typename } }`, { id }, admin)
      expect(gone.data.deleteSchedule.__typename).toBe('MutationDeleteScheduleSuccess')
    }
    expect(await listed(admin)).not.toContain('Ночная')
  })

  it('mail subscriptions through GraphQL: e-mail addresses and group checked, listed, changed, deleted', async () => {
    const client = graphqlClient(db)
    const admin = await client.key('ADMIN')
    await db.prisma.responsibleGroup.upsert({ where: { code: 'NSI-TEST' }, update: {}, create: { code: 'NSI-TEST', name: 'НСИ тест', email: 'nsi-test@example.ru' } })
    const create = (input: Record<string, unknown>) => client.request(`mutation($i: MailSubscriptionInput!) { createMailSubscription(input: $i) {
      __typename ... on MutationCreateMailSubscriptionSuccess { data { id name recipients group { code } marketCode sendWhenUnchanged active } }
      ... on ValidationFailed { problems { field code } } } }`, { i: input }, admin)
    const bad = await create({ name: 'Список', recipients: ['ok@example.ru', 'не адрес'], groupCode: 'NO-SUCH' })
    expect(bad.data.createMailSubscription.problems).toEqual([{ field: 'recipients.1', code: 'INVALID' }, { field: 'groupCode', code: 'UNKNOWN' }])
    expect((await create({ name: 'Пусто' })).data.createMailSubscription.problems).toEqual([{ field: 'recipients', code: 'REQUIRED' }])
    // the group's e-mail stands in for recipients
    const made = (await create({ name: 'Группа НСИ', groupCode: 'NSI-TEST', marketCode: 'SPB' })).data.createMailSubscription.data
    expect(made).toMatchObject({ name: 'Группа НСИ', recipients: [], group: { code: 'NSI-TEST' }, marketCode: 'SPB', sendWhenUnchanged: false, active: true })
    const changed = await client.request(`mutation($id: Int!) { updateMailSubscription(id: $id, input: { recipients: ["Lead@Example.ru"], marketCode: null, active: false }) {
      ... on MutationUpdateMailSubscriptionSuccess { data { recipients marketCode active group { code } } } } }`, { id: made.id }, admin)
    expect(changed.data.updateMailSubscription.data).toEqual({ recipients: ['lead@example.ru'], marketCode: null, active: false, group: { code: 'NSI-TEST' } })
    const list = await client.request('{ mailSubscriptions { id } }', {}, admin)
    expect(list.data.mailSubscriptions.map((x: { id: number }) => x.id)).toContain(made.id)
    // recipients are personal data: an agent may not list them
    expect((await client.request('{ mailSubscriptions { id } }', {}, await client.key('SUPPORT_AGENT'))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    await client.request(`mutation($id: Int!) { deleteMailSubscription(id: $id) { __typename } }`, { id: made.id }, admin)
    expect(await db.prisma.subscription.findUnique({ where: { id: made.id } })).toBeNull()
  })

  it('in-process: a tick runs the audit once and each subscription gets its e-mail with the open findings as new', async () => {
    await db.prisma.subscription.deleteMany({})
    const all = await db.prisma.subscription.create({ data: { name: 'Все рынки', recipients: ['all@example.ru'] } })
    await db.prisma.subscription.create({ data: { name: 'СПб', recipients: ['spb@example.ru'], marketCode: 'SPB' } })
    const jobs = await openJobs(db, { periodic: false })
    opened.push(jobs)
    await jobs.runner.start()
    const client = graphqlClient(db, { jobs: jobs.queue })
    const admin = await client.key('ADMIN')
    // the tick is a second of today: far enough ahead that a loaded machine has the schedule armed before it (2 s was
    // not, once, on the embedded database beside a browser test — the tick went by and the wait ran out)
    const made = await client.request(`mutation($c: String!) { createSchedule(input: { name: "in-process", cron: $c, timezone: "UTC" }) { ... on MutationCreateScheduleSuccess { data { id nextRunAt } } } }`, { c: cronIn(5) }, admin)
    const { id } = made.data.createSchedule.data
    smtp.received.length = 0
    await waitFor(async () => smtp.received.length >= 2, 60_000)
    const runs = await scheduledRuns(db, 'in-process')
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED'])
    const stored = await db.prisma.schedule.findUniqueOrThrow({ where: { id } })
    expect(stored.lastRunId).toBe(runs[0].id)
    const to = (address: string) => smtp.received.filter((r) => r.to.includes(address))
    expect([to('all@example.ru').length, to('spb@example.ru').length]).toEqual([1, 1])
    // never mailed before: everything open is new to the subscriber; the CSV parses back to the database's counts
    expect(csvSections(to('all@example.ru')[0].mail)).toEqual({ NEW: await openCount(db), OPEN: 0, RESOLVED: 0 })
    expect(csvSections(to('spb@example.ru')[0].mail)).toEqual({ NEW: await openCount(db, 'SPB'), OPEN: 0, RESOLVED: 0 })
    expect(to('all@example.ru')[0].mail.subject).toMatch(/^Сверка: \d+ нов/)
    expect(to('all@example.ru')[0].mail.attachments.map((a) => [a.filename?.split('.').pop(), a.contentType])).toEqual([
      ['csv', 'text/csv'], ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']])
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: all.id } })).lastRunId).toBe(runs[0].id)
    await db.prisma.schedule.delete({ where: { id } })
  }, 120_000)

  it('run now: the schedule\'s audit is queued at once (QUEUED, then SUCCEEDED) and its e-mails follow', async () => {
    await db.prisma.subscription.create({ data: { name: 'Сразу', recipients: ['now@example.ru'], sendWhenUnchanged: true } })
    const s = await schedule({ name: 'run-now', cron: '0 3 1 1 *', marketCode: 'SPB' })
    const jobs = await openJobs(db, { periodic: false })
    opened.push(jobs)
    await jobs.runner.start()
    const client = graphqlClient(db, { jobs: jobs.queue })
    const admin = await client.key('ADMIN')
    const before = smtp.received.length
    const r = await client.request(`mutation($id: Int!) { runSchedule(id: $id) { ... on MutationRunScheduleSuccess { data { id status trigger market } } } }`, { id: s.id }, admin)
    const run = r.data.runSchedule.data
    expect(run).toMatchObject({ trigger: 'SCHEDULE', market: 'SPB' })
    expect(['QUEUED', 'RUNNING', 'SUCCEEDED']).toContain(run.status)
    await waitFor(async () => smtp.received.slice(before).some((m) => m.to.includes('now@example.ru')), 60_000)
    expect((await db.prisma.auditRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('SUCCEEDED')
    // its tick bookkeeping is untouched: the run was outside the ticks
    expect((await db.prisma.schedule.findUniqueOrThrow({ where: { id: s.id } })).lastTickAt).toBeNull()
    // without a job layer the server says so
    const none = await graphqlClient(db).request(`mutation($id: Int!) { runSchedule(id: $id) { __typename } }`, { id: s.id }, admin)
    expect(none.data.runSchedule.__typename).toBe('Conflict')
    await db.prisma.schedule.delete({ where: { id: s.id } })
  }, 120_000)

  it('after downtime: one catch-up run for the latest missed tick, not one per tick; a second start adds none', async () => {
    const s = await schedule({ name: 'catch-up', cron: '0 3 * * *', lastTickAt: new Date(Date.now() - 4 * 24 * 3600_000), createdAt: new Date(Date.now() - 30 * 24 * 3600_000) })
    const jobs = await openJobs(db, { periodic: false, processors: { mail: async () => ({ sent: 0 }) } })
    opened.push(jobs)
    await jobs.runner.start()
    await waitFor(async () => (await scheduledRuns(db, 'catch-up')).some((r) => r.status !== 'RUNNING'), 60_000)
    expect((await syncSchedules(db, jobs.queue)).caughtUp).toBe(0)
    await new Promise((r) => setTimeout(r, 500))
    expect((await scheduledRuns(db, 'catch-up')).map((r) => r.status)).toEqual(['SUCCEEDED'])
    const stored = await db.prisma.schedule.findUniqueOrThrow({ where: { id: s.id } })
    expect(stored.lastTickAt!.getTime()).toBe(lastTick(s)!.getTime())
    await db.prisma.schedule.delete({ where: { id: s.id } })
  }, 120_000)
})

describe('scheduled audits on BullMQ: a server and two workers (local Redis, PostgreSQL)', () => {
  const prefix = testPrefix()
  let db: TestDatabase
  let smtp: Awaited<ReturnType<typeof smtpCatcher>>
  const opened: Jobs[] = []
  const smtpBefore = process.env.SMTP_URL

  beforeAll(async () => {
    db = await testDatabase('postgres')
    await seed(db, 150)
    smtp = await smtpCatcher()
    process.env.SMTP_URL = smtp.url
  }, 300_000)
  afterAll(async () => {
    await Promise.all(opened.map((j) => j.runner.close()))
    await obliterateQueues(REDIS_URL, prefix)
    if (smtpBefore === undefined) delete process.env.SMTP_URL
    else process.env.SMTP_URL = smtpBefore
    await smtp?.close()
    await db?.close()
  })

  it('every tick runs once across the workers; an e-mail per subscription when something changed, none when nothing did', async () => {
    await db.prisma.subscription.create({ data: { name: 'Все рынки', recipients: ['all@example.ru'] } })
    await db.prisma.subscription.create({ data: { name: 'МСК', recipients: ['msk@example.ru'], marketCode: 'MSK' } })
    const workers = [] as Jobs[]
    for (let i = 0; i < 2; i++) {
      const w = await openJobs(db, { redisUrl: REDIS_URL, prefix, periodic: false, backoffMs: 100 })
      opened.push(w)
      await w.runner.start()
      workers.push(w)
    }
    // the server only adds jobs and arms schedules; it runs none
    const server = await openJobs(db, { redisUrl: REDIS_URL, prefix, periodic: false })
    opened.push(server)
    const client = graphqlClient(db, { jobs: server.queue })
    const admin = await client.key('ADMIN')
    const arm = async (id: number | null) => {
      const r = id === null
        ? await client.request(`mutation($c: String!) { createSchedule(input: { name: "bull", cron: $c, timezone: "UTC" }) { ... on MutationCreateScheduleSuccess { data { id } } } }`, { c: cronIn(3) }, admin)
        : await client.request(`mutation($id: Int!, $c: String!) { updateSchedule(id: $id, input: { cron: $c }) { ... on MutationUpdateScheduleSuccess { data { id } } } }`, { id, c: cronIn(3) }, admin)
      return (r.data.createSchedule ?? r.data.updateSchedule).data.id as number
    }
    const settled = async (n: number) => {
      await waitFor(async () => {
        const runs = await scheduledRuns(db, 'bull')
        return runs.length >= n && runs.every((r) => r.status !== 'RUNNING')
      }, 60_000)
      // the mail job follows the run: give it time, then make sure nothing more comes
      await new Promise((r) => setTimeout(r, 2_500))
    }
    const mailTo = (address: string) => smtp.received.filter((r) => r.to.includes(address))

    const id = await arm(null)
    await settled(1)
    expect((await scheduledRuns(db, 'bull')).map((r) => r.status)).toEqual(['SUCCEEDED'])
    expect([mailTo('all@example.ru').length, mailTo('msk@example.ru').length]).toEqual([1, 1])
    expect(csvSections(mailTo('msk@example.ru')[0].mail)).toEqual({ NEW: await openCount(db, 'MSK'), OPEN: 0, RESOLVED: 0 })

    // the next tick, nothing changed in between: a run, no e-mail
    await arm(id)
    await settled(2)
    expect((await scheduledRuns(db, 'bull')).map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED'])
    expect(smtp.received).toHaveLength(2)

    // a duplicated serial fixed: the next tick resolves it; the list over every market says so, the rest still open
    const { rows: [dup] } = await db.sql.query<{ key: string }>(`SELECT entities->0->>'key' AS key FROM finding
      WHERE "ruleId" = 'equipment-duplicate-serial' AND status::text = ANY($1::text[]) ORDER BY fingerprint LIMIT 1`, [[...OPEN_STATUSES]])
    expect(dup).toBeDefined()
    const openBefore = await openCount(db)
    await db.sql.query(`UPDATE equipment SET serial = serial || 'FIX', "serialNorm" = "serialNorm" || 'fix' WHERE "inventoryNo" = $1`, [dup.key])
    await arm(id)
    await settled(3)
    const second = mailTo('all@example.ru')[1].mail
    const sections = csvSections(second)
    // the list adds up to the database: what is open (new since the last e-mail, or older), and the one fixed
    expect(sections.RESOLVED).toBe(1)
    expect(sections.NEW + sections.OPEN).toBe(await openCount(db))
    expect(sections.OPEN).toBe(openBefore - 1)
    expect(second.text).toContain(dup.key)
    // one e-mail per subscription per change: the Moscow list got one only if the fix was in Moscow
    const mskChanged = (await db.sql.query(`SELECT 1 FROM finding WHERE status = 'RESOLVED' AND "marketCode" = 'MSK'`)).rows.length > 0
    expect(mailTo('msk@example.ru')).toHaveLength(mskChanged ? 2 : 1)
    expect(smtp.received).toHaveLength(mskChanged ? 4 : 3)
  }, 240_000)

  it('a schedule stored where no job layer could arm it is armed by the workers\' sync, and its scheduler removed when it is deleted', async () => {
    const worker = await openJobs(db, { redisUrl: REDIS_URL, prefix, periodic: false, scheduleSyncMs: 300, processors: { mail: async () => ({ sent: 0 }) } })
    opened.push(worker)
    await worker.runner.start()
    // written straight to the table: no server armed it (as when Redis was away at that moment)
    const s = await db.prisma.schedule.create({ data: { name: 'unarmed', cron: cronIn(4), timezone: 'UTC', createdBy: 'test' } })
    await waitFor(async () => (await worker.queue.scheduled()).some((a) => a.id === s.id && a.cron === s.cron), 10_000)
    await waitFor(async () => (await scheduledRuns(db, 'unarmed')).some((r) => r.status === 'SUCCEEDED'), 60_000)
    expect((await scheduledRuns(db, 'unarmed')).map((r) => r.status)).toEqual(['SUCCEEDED'])
    await db.prisma.schedule.delete({ where: { id: s.id } })
    await waitFor(async () => !(await worker.queue.scheduled()).some((a) => a.id === s.id), 10_000)
  }, 120_000)
})
