// «Аудиты и правила» in real Chromium against a real first `sverka serve` (embedded database, demo data): a run
// started from the console is followed live to its end (the auditProgress subscription over SSE) and its counts
// are the API's; a run's page by its own path; a bad cron is refused with its Russian error at the field, a good
// schedule and a mail subscription are saved, the schedule run now reaches its end and its mail the outbox, an album
// schedule to the subscription is refused without one, saved with it and its album sent now from its row; a
// rule switched off stays off after a reload (and cannot be picked for a run). A key limited to a market runs
// audits over its market only and changes no rule. axe-core on each tab: no serious or critical violations.
// SVERKA_SCREENSHOT_DIR=docs/console keeps the screenshots.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sverkaIn } from '../helpers/cli.ts'
import { accessibilityProblems, chromiumMissing, launchChromium, RUSSIAN_CONTEXT, type Browser, type Page } from '../helpers/browser.ts'
import { tempDir } from '../helpers/csv.ts'
import { serveIn, type Served } from '../helpers/serve.ts'

const missing = chromiumMissing('test/e2e/console-audits.test.ts')



describe.skipIf(missing !== null)(`the console's «Аудиты и правила» in Chromium, on a first \`sverka serve\`${missing ? ` — ${missing}` : ''}`, () => {
  let served: Served | undefined
  let browser: Browser | undefined
  let dataDir = ''
  let consoleUrl = ''
  let api: (query: string, variables?: Record<string, unknown>) => Promise<any>
  const shots = process.env.SVERKA_SCREENSHOT_DIR
  const shot = async (page: Page, name: string) => { if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }) }

  beforeAll(async () => {
    if (shots) mkdirSync(shots, { recursive: true })
    dataDir = tempDir('e2e-audits')
    served = serveIn(dataDir)
    const ready = await served.ready
    consoleUrl = ready.consoleUrl
    api = async (query, variables = {}) => {
      const response = await fetch(ready.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.key}` }, body: JSON.stringify({ query, variables }) })
      const body = await response.json() as { data: any; errors?: unknown }
      expect(body.errors).toBeUndefined()
      return body.data
    }
    browser = await launchChromium()
  }, 120_000)

  const contexts: Array<{ close(): Promise<void> }> = []
  afterEach(async () => { for (const c of contexts.splice(0)) await c.close().catch(() => {}) })
  afterAll(async () => {
    await browser?.close()
    served?.child.kill('SIGKILL')
  })

  async function openPage(path: string) {
    const context = await browser!.newContext(RUSSIAN_CONTEXT)
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('dialog', (d) => void d.accept())
    await page.goto(new URL(path, consoleUrl).href)
    return { page, errors }
  }

  it('starts a run and follows it live to its counts; opens the run by its path', async () => {
    const { page, errors } = await openPage('/audits')
    const sse: string[] = []
    const asked: string[] = []
    page.on('request', (r) => { if (r.url().endsWith('/graphql')) asked.push(/"operationName":"(\w+)"/.exec(r.postData() ?? '')?.[1] ?? '') })
    page.on('request', (r) => { if (r.url().endsWith('/graphql') && (r.headers().accept ?? '').includes('text/event-stream') && r.postData()?.includes('auditProgress')) sse.push(r.url()) })
    await page.locator('#start-title').waitFor({ timeout: 15_000 })
    expect(await page.locator('header.top nav a[aria-current=page]').innerText()).toBe('Аудиты и правила')
    expect(await page.locator('nav.tabs a[aria-current=page]').innerText()).toBe('Запуски')

    // two rules of the catalogue, every market, today
    const rules = page.locator('.checks input[type=checkbox]')
    await expect.poll(() => rules.count(), { timeout: 10_000 }).toBeGreaterThan(5)
    await page.getByLabel(/equipment-duplicate-serial/).check()
    await page.getByLabel(/contract-overlap/).check()
    const clicked = Date.now()
    await page.getByRole('button', { name: 'Запустить аудит' }).click()

    const done = page.locator('.run-progress .done')
    await expect.poll(() => done.count(), { timeout: 30_000 }).toBe(1)
    const text = await done.innerText()
    console.log(`run to its end in the console: ${Date.now() - clicked} ms`)
    expect(text).toMatch(/^Аудит завершён: \d+ нов(ая|ые|ых), \d+ открыт(ая|ые|ых), \d+ решённ(ая|ые|ых), \d+ открыт(ая|ые|ых) снова\.$/)
    expect(sse.length).toBe(1)
    const runId = decodeURIComponent((await page.locator('.run-progress a').getAttribute('href'))!.replace('/audits/runs/', ''))
    expect(await page.locator('.run-progress').innerText()).toContain(`Аудит № ${runId.slice(0, 8)}: завершён`)
    const run = (await api('query($id: ID!) { auditRun(id: $id) { status rules counts { new open resolved reopened } } }', { id: runId })).auditRun
    expect(run.status).toBe('SUCCEEDED')
    expect([...run.rules].sort()).toEqual(['contract-overlap', 'equipment-duplicate-serial'])
    expect(text).toContain(`${run.counts.new} нов`)
    expect(text).toContain(`${run.counts.open} открыт`)
    // the list has it, newest first, with its words and counts
    const runRow = page.locator('table.runs tbody tr', { has: page.locator(`a[href="/audits/runs/${runId}"]`) })
    await expect.poll(() => runRow.count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => runRow.innerText(), { timeout: 10_000 }).toContain('завершён')
    // the list was asked again once at the end (not in a loop)
    expect(asked.filter((name) => name === 'AuditRuns').length).toBe(2)
    const row = await runRow.innerText()
    expect(row).toContain('завершён')
    expect(row).toContain('вручную')
    expect(row).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/)
    await shot(page, 'audity-zapuski')
    expect(await accessibilityProblems(page)).toEqual([])

    // its own page, by a path that can be linked to
    await runRow.getByRole('link').click()
    await page.locator('#run-title').waitFor()
    expect(new URL(page.url()).pathname).toBe(`/audits/runs/${runId}`)
    expect(await page.locator('.fields').innerText()).toContain('завершён')
    expect(await page.locator('.fields').innerText()).toContain(`${run.counts.open} открыт`)
    await page.reload()
    await page.locator('#run-title').waitFor({ timeout: 10_000 })
    expect(await page.locator('#run-title').innerText()).toBe(`Аудит № ${runId.slice(0, 8)}`)
    await shot(page, 'audity-zapusk')
    expect(await accessibilityProblems(page)).toEqual([])
    expect(errors).toEqual([])
  }, 90_000)

  it('refuses a bad cron with its Russian error at the field; saves a schedule and a mail subscription', async () => {
    const { page, errors } = await openPage('/audits/schedules')
    await page.locator('#schedules-title').waitFor({ timeout: 15_000 })
    expect(await page.locator('nav.tabs a[aria-current=page]').innerText()).toBe('Расписания и рассылки')
    await page.getByRole('button', { name: 'Новое расписание' }).click()
    await page.getByLabel('Название', { exact: true }).fill('Ночной аудит MSK')
    const cron = page.locator('#schedule-cron')
    await cron.fill('0 25 * * *')
    await page.getByRole('button', { name: 'Создать расписание' }).click()
    const cronProblem = page.locator('#schedule-cron-problem')
    await expect.poll(() => cronProblem.count(), { timeout: 10_000 }).toBe(1)
    expect(await cronProblem.innerText()).toBe('не выражение cron: значение 25 вне диапазона 0-23')
    expect(await cron.getAttribute('aria-invalid')).toBe('true')
    expect(await cron.getAttribute('aria-describedby')).toBe('schedule-cron-problem')
    await shot(page, 'audity-raspisanie-oshibka')
    expect(await accessibilityProblems(page)).toEqual([])

    await cron.fill('30 2 * * *')
    await page.locator('#schedule-market').selectOption('MSK')
    await page.getByRole('button', { name: 'Создать расписание' }).click()
    const rows = page.locator('table.schedules tbody tr')
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)
    const row = await rows.first().innerText()
    expect(row).toContain('Ночной аудит MSK')
    expect(row).toContain('30 2 * * *')
    expect(row).toMatch(/\d{2}\.\d{2}\.\d{4}, 02:30/)
    const stored = (await api('{ schedules { name cron marketCode timezone enabled } }')).schedules
    expect(stored).toEqual([{ name: 'Ночной аудит MSK', cron: '30 2 * * *', marketCode: 'MSK', timezone: 'Europe/Moscow', enabled: true }])

    // changed from its row: the new cron is in the table and stored
    await page.getByRole('button', { name: 'Изменить расписание «Ночной аудит MSK»' }).click()
    expect(await cron.inputValue()).toBe('30 2 * * *')
    await cron.fill('0 3 * * 1-5')
    await page.getByRole('button', { name: 'Сохранить' }).click()
    await expect.poll(() => rows.first().innerText(), { timeout: 10_000 }).toContain('0 3 * * 1-5')
    expect((await api('{ schedules { cron } }')).schedules).toEqual([{ cron: '0 3 * * 1-5' }])

    // a mail subscription: a wrong address is refused at its field, then saved
    await page.getByRole('button', { name: 'Новая рассылка' }).click()
    await page.locator('#subscription-name').fill('НСИ Москва')
    await page.locator('#subscription-recipients').fill('nsi@example.ru, не-адрес')
    await page.getByRole('button', { name: 'Создать рассылку' }).click()
    const recipientsProblem = page.locator('#subscription-recipients-problem')
    await expect.poll(() => recipientsProblem.count(), { timeout: 10_000 }).toBe(1)
    expect(await recipientsProblem.innerText()).toContain('не-адрес')
    await page.locator('#subscription-recipients').fill('nsi@example.ru')
    await page.getByLabel('Слать, даже если ничего не изменилось').check()
    await page.getByRole('button', { name: 'Создать рассылку' }).click()
    await expect.poll(() => page.locator('table.subscriptions tbody tr').count(), { timeout: 10_000 }).toBe(1)
    expect(await page.locator('table.subscriptions tbody tr').first().innerText()).toContain('nsi@example.ru')

    // the schedule run now: followed to its end, and its discrepancy list goes to the subscription (the outbox)
    await page.getByRole('button', { name: 'Запустить сейчас расписание «Ночной аудит MSK»' }).click()
    await expect.poll(() => page.locator('.schedule-run .done').count(), { timeout: 30_000 }).toBe(1)
    expect(await page.locator('.schedule-run .done').innerText()).toMatch(/^Аудит завершён: \d+ нов/)
    const outbox = join(dataDir, 'outbox')
    const mailTo = () => existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(outbox, f), 'utf8')).filter((m) => m.includes('nsi@example.ru')).length : 0
    await expect.poll(mailTo, { timeout: 20_000 }).toBe(1)
    await shot(page, 'audity-raspisaniya')
    expect(await accessibilityProblems(page)).toEqual([])

    // an album schedule to that subscription: listed by its kind, sent now from its row into the outbox
    await page.getByRole('button', { name: 'Новое расписание' }).click()
    await page.getByLabel('Название', { exact: true }).fill('Альбом за месяц')
    await cron.fill('0 7 1 * *')
    await page.locator('#schedule-kind').selectOption('ALBUM')
    await expect.poll(() => page.locator('#schedule-subscription option').count(), { timeout: 10_000 }).toBe(2)
    await page.getByRole('button', { name: 'Создать расписание' }).click()
    const subscriptionProblem = page.locator('#schedule-subscription-problem')
    await expect.poll(() => subscriptionProblem.count(), { timeout: 10_000 }).toBe(1)
    expect(await subscriptionProblem.innerText()).toBe('расписанию альбома отчётов нужна подписка: кому и по какому рынку или группе его отправлять')
    await page.locator('#schedule-subscription').selectOption({ label: 'НСИ Москва' })
    await page.getByRole('button', { name: 'Создать расписание' }).click()
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2)
    expect(await rows.nth(1).innerText()).toContain('альбом отчётов за месяц → «НСИ Москва»')
    expect((await api('{ schedules { name kind albumPeriod subscription { name } } }')).schedules[1])
      .toEqual({ name: 'Альбом за месяц', kind: 'ALBUM', albumPeriod: 'MONTH', subscription: { name: 'НСИ Москва' } })
    await page.getByRole('button', { name: 'Отправить сейчас альбом расписания «Альбом за месяц»' }).click()
    await expect.poll(() => page.locator('#schedules-title ~ p[role=status]').count(), { timeout: 30_000 }).toBe(1)
    expect(await page.locator('#schedules-title ~ p[role=status]').innerText()).toMatch(/^Отправлено: «Сверка: альбом отчётов за .+ — все рынки» — nsi@example\.ru\.$/)
    await expect.poll(mailTo, { timeout: 20_000 }).toBe(2)
    expect(await accessibilityProblems(page)).toEqual([])
    // the subscription an album schedule sends to is kept: the schedule goes first
    await page.getByRole('button', { name: 'Удалить расписание «Альбом за месяц»' }).click()
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)

    // deleted from its row
    await page.getByRole('button', { name: 'Удалить рассылку «НСИ Москва»' }).click()
    await expect.poll(() => page.locator('table.subscriptions').count(), { timeout: 10_000 }).toBe(0)
    expect((await api('{ mailSubscriptions { id } }')).mailSubscriptions).toEqual([])
    expect(errors).toEqual([])
  }, 90_000)

  it('switches a rule off (still off after a reload), refuses a bad parameter at its field', async () => {
    const { page, errors } = await openPage('/audits/rules')
    const row = page.locator('tr[data-rule="contract-overlap"]')
    await row.waitFor({ timeout: 15_000 })
    expect(await row.locator('td.state').innerText()).toBe('включено')
    expect(await row.locator('.sev').innerText()).toMatch(/критично|высокая|средняя|низкая/i)
    await shot(page, 'audity-pravila')
    expect(await accessibilityProblems(page)).toEqual([])

    await page.getByRole('button', { name: 'Выключить правило contract-overlap' }).click()
    await expect.poll(() => row.locator('td.state').innerText(), { timeout: 10_000 }).toBe('выключено')
    await page.reload()
    await row.waitFor({ timeout: 15_000 })
    expect(await row.locator('td.state').innerText()).toBe('выключено')
    expect(await row.innerText()).not.toContain('как в файле')
    expect((await api('{ rule(id: "contract-overlap") { enabled overridden } }')).rule).toEqual({ enabled: false, overridden: true })

    // a number parameter that is not a number: said at the field before anything is sent
    await page.getByRole('button', { name: 'Изменить правило address-duplicate' }).click()
    const edits = page.locator('#rule-address-duplicate-param-streetEdits')
    await edits.fill('два')
    await page.getByRole('button', { name: 'Сохранить' }).click()
    expect(await page.locator('#rule-address-duplicate-param-streetEdits-problem').innerText()).toBe('Нужно число.')
    expect(await edits.getAttribute('aria-invalid')).toBe('true')
    // a value the rule's kind refuses: the server's reason, shown in the editor
    await edits.fill('-3')
    await page.getByRole('button', { name: 'Сохранить' }).click()
    const refused = page.locator('#rule-address-duplicate-param-streetEdits-problem')
    await expect.poll(() => refused.innerText(), { timeout: 10_000 }).toContain('params.streetEdits')
    expect(await refused.innerText()).not.toContain('Нужно число')
    await shot(page, 'audity-pravilo-oshibka')
    expect(await accessibilityProblems(page)).toEqual([])
    expect((await api('{ rule(id: "address-duplicate") { overridden } }')).rule.overridden).toBe(false)

    // back as in its file: on again, no override
    await page.getByRole('button', { name: 'Отмена' }).click()
    await page.getByRole('button', { name: 'Изменить правило contract-overlap' }).click()
    await page.getByRole('button', { name: 'Вернуть как в файле' }).click()
    await expect.poll(() => row.locator('td.state').innerText(), { timeout: 10_000 }).toBe('включено')
    expect(await row.innerText()).toContain('как в файле')
    expect((await api('{ rule(id: "contract-overlap") { enabled overridden } }')).rule).toEqual({ enabled: true, overridden: false })
    await page.getByRole('button', { name: 'Выключить правило contract-overlap' }).click()
    await expect.poll(() => row.locator('td.state').innerText(), { timeout: 10_000 }).toBe('выключено')

    // the switched-off rule cannot be picked for a run
    await page.getByRole('link', { name: 'Запуски' }).click()
    await page.locator('#start-title').waitFor()
    await expect.poll(() => page.getByLabel(/contract-overlap/).isDisabled(), { timeout: 10_000 }).toBe(true)
    expect(errors).toEqual([])
  }, 90_000)

  it('a key limited to a market runs audits over its market only and changes no rule', async () => {
    const created = sverkaIn(dataDir)('apikey', 'create', '--role', 'NSI_SPECIALIST', '--markets', 'MSK', '--name', 'НСИ Москва')
    expect(created.code, created.stderr).toBe(0)
    const key = /sk_\S+/.exec(created.stdout)![0]
    const { page, errors } = await openPage('/audits')
    await page.locator('header.top').getByRole('button', { name: 'Выйти' }).click()
    await page.locator('#api-key').fill(key)
    await page.getByRole('button', { name: 'Войти' }).click()
    await page.getByRole('link', { name: 'Аудиты и правила' }).click()
    const market = page.locator('#start-market')
    await market.waitFor({ timeout: 15_000 })
    await expect.poll(() => market.locator('option').allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringMatching(/^MSK — /)])
    await page.getByRole('link', { name: 'Правила', exact: true }).click()
    await page.locator('table.rules').waitFor({ timeout: 10_000 })
    expect(await page.getByRole('button', { name: /^Выключить правило/ }).count()).toBe(0)
    expect(await page.locator('.help').innerText()).toContain('без ограничения по рынкам')
    expect(errors).toEqual([])
  }, 60_000)
})
