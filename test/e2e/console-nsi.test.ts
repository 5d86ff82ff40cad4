// «Находки» in real Chromium against a real first `sverka serve` (embedded database, demo data), as an NSI
// specialist signed in with a key made through the API: filter by rule and market (kept in the URL; back and
// forward work), acknowledge three findings in one request (a fourth already accepted is refused with the
// server's message), open one, resolve it with a comment → its status and the event shown; on a device's
// page a serial already used elsewhere is warned about before saving, and the save says what it caused.
// Then the scope: a key limited to SPB never sees an MSK record anywhere — the table, a finding's page and a
// record's page opened by URL by hand, «Звонок» searching for an MSK address. axe-core on every screen.
// SVERKA_SCREENSHOT_DIR=docs/console keeps the screenshots docs/console.md shows (1366×768).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, chromiumMissing, launchChromium, RUSSIAN_CONTEXT, type Browser, type Page } from '../helpers/browser.ts'
import { tempDir } from '../helpers/csv.ts'
import { serveIn, type Served } from '../helpers/serve.ts'

const missing = chromiumMissing('test/e2e/console-nsi.test.ts')



/** a condition the page reaches (a 2-core machine shared with other runs is slow: 15 s, not vitest's 1 s) */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 })

describe.skipIf(missing !== null)(`the console's «Находки» in Chromium, on a first \`sverka serve\`${missing ? ` — ${missing}` : ''}`, () => {
  let served: Served | undefined
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
    served?.child.kill('SIGKILL')
  })

  it('NSI: filters, bulk-acknowledges, resolves with a comment, is warned of a duplicate serial before saving; an SPB key never sees MSK', async () => {
    // the demo as loaded, before its eight weeks of history: this walk works findings nobody has touched yet
    served = serveIn(tempDir('e2e-console-nsi'), { env: { SVERKA_DEMO_HISTORY: '0' } })
    const { url, consoleUrl, key: adminKey } = await served.ready
    const api = async (query: string, variables: Record<string, unknown> = {}, key = adminKey) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) })
      const body = await response.json() as { data: any; errors?: unknown[] }
      if (body.errors) throw new Error(JSON.stringify(body.errors))
      return body.data
    }
    const createKey = async (name: string, markets: string[] | null) => (await api(
      `mutation($name: String, $markets: [String!]) { createApiKey(role: NSI_SPECIALIST, name: $name, markets: $markets) { __typename ... on MutationCreateApiKeySuccess { data { key } } } }`,
      { name, markets })).createApiKey.data.key as string
    const nsiKey = await createKey('НСИ Иванова', null)
    const spbKey = await createKey('НСИ Петербург', ['SPB'])

    browser = await launchChromium()
    const shots = process.env.SVERKA_SCREENSHOT_DIR
    if (shots) mkdirSync(shots, { recursive: true })
    const pageErrors: string[] = []
    /** a tab signed in by typing `key` at the sign-in form (after signing the first-start key out) */
    const signedIn = async (key: string, who: string) => {
      const context = await browser!.newContext(RUSSIAN_CONTEXT)
      const page = await context.newPage()
      page.on('pageerror', (e) => pageErrors.push(e.message))
      await page.goto(consoleUrl)
      await page.locator('header.top').getByRole('button', { name: 'Выйти' }).click()
      await page.locator('#api-key').fill(key)
      await page.getByRole('button', { name: 'Войти' }).click()
      await poll(() => page.locator('header.top').innerText()).toContain(who)
      return page
    }
    const shot = async (page: Page, name: string, fullPage = false) => { if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage }) }
    const path = (page: Page) => page.evaluate(() => location.pathname + location.search)

    // ── the NSI specialist: the table, filtered by rule and market ──
    const page = await signedIn(nsiKey, 'специалист НСИ')
    await page.locator('header.top').getByRole('link', { name: 'Находки' }).click()
    const total = page.locator('.table-head .total')
    const all = (await api('{ findings(filter: { open: true }) { totalCount } }')).findings.totalCount as number
    await poll(() => total.innerText()).toMatch(new RegExp(`^Открытых: ${all} наход`))
    // paging: «Далее» keeps the cursor in the URL, «Назад» and the browser's back return to the first page
    const grid = page.locator('table.grid tbody')
    await poll(() => page.locator('table.grid tbody tr').count()).toBe(25)
    const links = () => grid.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')).join(' '))
    const firstPage = await links()
    await page.getByRole('button', { name: 'Далее →' }).click()
    await poll(() => path(page)).toMatch(/^\/findings\?after=/)
    await poll(() => links()).not.toBe(firstPage)
    await page.getByRole('button', { name: '← Назад' }).click()
    await poll(() => links()).toBe(firstPage)
    await page.goBack()
    await poll(() => path(page)).toMatch(/^\/findings\?after=/)
    await page.goBack()
    await poll(() => path(page)).toBe('/findings')
    await poll(() => links()).toBe(firstPage)

    await page.getByLabel('Правило').selectOption('address-duplicate')
    await poll(() => path(page)).toBe('/findings?rule=address-duplicate')
    await page.getByLabel('Рынок').selectOption('MSK')
    await poll(() => path(page)).toBe('/findings?rule=address-duplicate&market=MSK')
    const wanted = (await api('{ findings(first: 50, filter: { ruleIds: ["address-duplicate"], market: "MSK", open: true }) { totalCount edges { node { fingerprint message status } } } }')).findings
    expect(wanted.totalCount).toBeGreaterThanOrEqual(4)
    const rows = page.locator('table.grid tbody tr')
    await poll(() => rows.count()).toBe(wanted.totalCount)
    expect(await total.innerText()).toMatch(new RegExp(`^Открытых: ${wanted.totalCount} наход(ка|ки|ок)$`))
    for (const f of wanted.edges) expect(await page.locator('table.grid').innerText()).toContain(f.node.message)
    expect(await page.locator('table.grid tbody').innerText()).not.toMatch(/\bSPB\b|\bEKB\b/)
    await shot(page, 'nahodki-tablica')
    expect(await accessibilityProblems(page)).toEqual([])

    // back and forward walk the filters; a link with them opens the same list
    await page.goBack()
    await poll(() => path(page)).toBe('/findings?rule=address-duplicate')
    await poll(() => page.getByLabel('Рынок').inputValue()).toBe('')
    await page.goForward()
    await poll(() => page.getByLabel('Рынок').inputValue()).toBe('MSK')
    await poll(() => rows.count()).toBe(wanted.totalCount)

    // bulk: three chosen, «Принять», one request
    const asked: string[] = []
    page.on('request', (r) => { if (r.url().endsWith('/graphql') && r.postData()?.includes('acknowledgeFinding')) asked.push(r.postData()!) })
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type=checkbox]').check()
    expect(await total.innerText()).toContain('выбрано 3')
    await page.getByRole('group', { name: 'Действия с выбранными' }).getByRole('button', { name: 'Принять' }).click()
    await poll(() => page.locator('.actions .done').innerText()).toBe('Готово: 3 из 3.')
    expect(asked).toHaveLength(1)
    const statuses = async () => (await api('{ findings(first: 50, filter: { ruleIds: ["address-duplicate"], market: "MSK" }) { edges { node { fingerprint status } } } }'))
      .findings.edges.map((e: any) => e.node) as Array<{ fingerprint: string; status: string }>
    expect((await statuses()).filter((f) => f.status === 'ACKNOWLEDGED')).toHaveLength(3)
    await poll(() => page.locator('table.grid tbody').innerText()).toMatch(/принята[\s\S]*принята[\s\S]*принята/)

    // every row chosen, «Принять» again: the one left is accepted, the three already accepted are refused with the server's message
    await page.getByLabel('Выбрать все на странице').check()
    await page.getByRole('group', { name: 'Действия с выбранными' }).getByRole('button', { name: 'Принять' }).click()
    const refusals = page.locator('.refusals li')
    await poll(() => refusals.count()).toBe(wanted.totalCount - 1)
    expect(await refusals.first().innerText()).toMatch(/^.+: .+/)
    expect(asked).toHaveLength(2)
    expect((await statuses()).every((f) => f.status === 'ACKNOWLEDGED')).toBe(true)
    await shot(page, 'nahodki-massovo')
    expect(await accessibilityProblems(page)).toEqual([])

    // open one: its page, its records side by side with the differing letters marked
    const first = wanted.edges[0].node as { fingerprint: string; message: string }
    await page.locator('table.grid').getByRole('link', { name: first.message }).click()
    await poll(() => path(page)).toBe(`/findings/${first.fingerprint}`)
    await poll(() => page.locator('#finding-title').innerText()).toContain('Дубли адреса')
    expect(await page.locator('.finding-page .message').first().innerText()).toBe(first.message)
    expect(await page.locator('dd.status').innerText()).toBe('принята')
    expect(await page.locator('table.side thead').innerText()).toMatch(/Адрес A-[\w-]+\s+Адрес A-[\w-]+/)
    expect(await page.locator('table.side tr.differs').count()).toBeGreaterThan(0)
    expect(await page.locator('table.side mark.diff').count()).toBeGreaterThan(0)

    // assign to a group and line: the page says the new route, the status stays
    const bar = page.getByRole('group', { name: 'Действия с находкой' })
    await bar.getByRole('button', { name: 'Назначить' }).click()
    await bar.getByLabel('Группа').selectOption('NSI-L1-MSK')
    await bar.getByLabel('Линия').selectOption('2')
    await bar.locator('form').getByRole('button', { name: 'Назначить' }).click()
    await poll(() => page.locator('.facts').innerText()).toContain('НСИ Москва, первая линия (NSI-L1-MSK) · 2-я линия')
    expect(await page.locator('dd.status').innerText()).toBe('принята')
    expect(await page.locator('table.history').innerText()).toContain('назначена → NSI-L1-MSK, 2-я линия')

    // a remark: into the history, the status stays
    const remark = page.getByRole('group', { name: 'Комментарий' })
    await remark.getByRole('button', { name: 'Комментировать' }).click()
    await remark.getByLabel('Комментарий', { exact: true }).fill('Звонила клиентка, подтвердила: одна квартира')
    await remark.locator('form').getByRole('button', { name: 'Комментировать' }).click()
    await poll(() => page.locator('table.history').innerText()).toContain('Звонила клиентка, подтвердила: одна квартира')
    expect(await page.locator('dd.status').innerText()).toBe('принята')

    // resolve with a comment: without one it is not sent; with one the status and the event show
    await bar.getByRole('button', { name: 'Решить' }).click()
    await bar.getByRole('button', { name: 'Решить', exact: true }).last().click()
    await poll(() => bar.locator('.problem').innerText()).toContain('без комментария')
    await bar.getByLabel(/Комментарий: что сделано/).fill('Дубли адреса объединены в CRM, договоры перенесены на A-основной')
    await bar.locator('form').getByRole('button', { name: 'Решить' }).click()
    await poll(() => page.locator('dd.status').innerText()).toBe('решена')
    const history = page.locator('table.history')
    await poll(() => history.innerText()).toContain('Дубли адреса объединены в CRM')
    expect(await history.innerText()).toMatch(/решена[\s\S]*НСИ Иванова \(ключ \d+\)|НСИ Иванова \(ключ \d+\)[\s\S]*решена/)
    const resolved = (await api('query($f: String!) { finding(fingerprint: $f) { status events { action reason actor } } }', { f: first.fingerprint })).finding
    expect(resolved.status).toBe('RESOLVED')
    expect(resolved.events.at(-1)).toMatchObject({ action: 'resolved', reason: 'Дубли адреса объединены в CRM, договоры перенесены на A-основной' })
    expect(await bar.getByRole('button', { name: 'Открыть снова' }).count()).toBe(1)
    await shot(page, 'nahodka', true)
    expect(await accessibilityProblems(page)).toEqual([])

    // «Звонок»'s card leads to the record's page
    await page.locator('header.top').getByRole('link', { name: 'Звонок' }).click()
    await page.locator('#call-search').pressSequentially('Ленина 5 кв 12', { delay: 10 })
    await poll(() => page.locator('[role=option]').first().innerText()).toContain('A-DEMO-1')
    await page.keyboard.press('Enter')
    await page.getByRole('link', { name: 'Страница записи (правка) →' }).click()
    await poll(() => path(page)).toBe('/records/address/A-DEMO-1')
    await poll(() => page.getByLabel('Адрес одной строкой').inputValue()).toContain('Ленина')

    // ── a report's drill-down link: its conditions show as chips, the total is the API's, × removes one ──
    const drill = { subjectType: 'address', line: 1 }
    const drilled = (await api('query($f: FindingFilter) { findings(filter: $f) { totalCount } }', { f: { ...drill, open: true } })).findings.totalCount as number
    const openNow = (await api('{ findings(filter: { open: true, subjectType: address }) { totalCount } }')).findings.totalCount as number
    await page.goto(`${consoleUrl}findings?subject=address&line=1`)
    const chips = page.getByRole('list', { name: 'Ещё условия' }).getByRole('listitem')
    await poll(() => chips.allTextContents()).toEqual(['записи: адрес×', '1-я линия×'])
    await poll(() => total.innerText()).toMatch(new RegExp(`^Открытых: ${drilled} наход`))
    expect(await accessibilityProblems(page)).toEqual([])
    await page.getByRole('button', { name: 'Убрать условие «1-я линия»' }).click()
    await poll(() => path(page)).toBe('/findings?subject=address')
    await poll(() => total.innerText()).toMatch(new RegExp(`^Открытых: ${openNow} наход`))
    await poll(() => chips.allTextContents()).toEqual(['записи: адрес×'])

    // ── a device's page: a serial already used elsewhere is warned about before saving ──
    const devices = (await api('{ equipment(first: 60) { edges { node { inventoryNo serial } } } }')).equipment.edges.map((e: any) => e.node) as Array<{ inventoryNo: string; serial: string | null }>
    const unique: Array<{ inventoryNo: string; serial: string }> = []
    for (const d of devices) {
      if (!d.serial) continue
      if ((await api('query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', { s: d.serial })).equipmentBySerial.length === 1) unique.push({ inventoryNo: d.inventoryNo, serial: d.serial })
      if (unique.length === 2) break
    }
    const [taken, edited] = unique as [{ inventoryNo: string; serial: string }, { inventoryNo: string; serial: string }]
    await page.goto(`${consoleUrl}records/equipment/${edited.inventoryNo}`)
    const serial = page.getByLabel('Серийный номер')
    await poll(() => serial.inputValue()).toBe(edited.serial)
    const checked: string[] = []
    page.on('request', (r) => { if (r.postData()?.includes('checkConflicts')) checked.push(r.postData()!) })
    await serial.fill(taken.serial)
    const warning = page.getByRole('status', { name: 'Проверка до сохранения' })
    await poll(() => warning.innerText()).toContain('Если сохранить, появится 1 находка')
    expect(await warning.innerText()).toContain(`Серийный номер ${taken.serial} записан на 2 устройства`)
    expect(checked.length).toBeGreaterThan(0)
    // nothing stored yet
    expect((await api('query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', { s: taken.serial })).equipmentBySerial).toHaveLength(1)
    await shot(page, 'zapis-preduprezhdenie')
    expect(await accessibilityProblems(page)).toEqual([])

    // a product the server does not know: its message at the product field, nothing saved
    const product = page.getByLabel('Продукт (SKU)')
    const sku = await product.inputValue()
    await product.fill('НЕТ-ТАКОГО')
    await page.getByRole('button', { name: 'Сохранить' }).click()
    await poll(() => page.locator('#field-product-problem').innerText()).toContain('нет продукта «НЕТ-ТАКОГО»')
    expect(await product.getAttribute('aria-invalid')).toBe('true')
    expect((await api('query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', { s: taken.serial })).equipmentBySerial).toHaveLength(1)
    await product.fill(sku)
    await poll(() => page.locator('#field-product-problem').count()).toBe(0)

    // saved anyway: it says what the save caused
    await page.getByRole('button', { name: 'Сохранить' }).click()
    const saved = page.getByRole('status', { name: 'Результат сохранения' })
    await poll(() => saved.innerText()).toMatch(/Сохранено\.[\s\S]*Появилось: 1 находка/)
    expect(await saved.innerText()).toContain(`Серийный номер ${taken.serial} записан на 2 устройства`)
    expect((await api('query($s: String!) { equipmentBySerial(serial: $s) { inventoryNo } }', { s: taken.serial })).equipmentBySerial).toHaveLength(2)
    await shot(page, 'zapis-sohraneno')

    // ── the scope: a key limited to SPB never sees an MSK record ──
    const msk = (await api('{ findings(first: 200, filter: { market: "MSK" }) { edges { node { fingerprint message } } } }')).findings.edges.map((e: any) => e.node) as Array<{ fingerprint: string; message: string }>
    expect(msk.length).toBeGreaterThan(0)
    const spb = await signedIn(spbKey, 'рынок SPB')
    await spb.locator('header.top').getByRole('link', { name: 'Находки' }).click()
    const spbTotal = (await api('{ findings(filter: { open: true }) { totalCount } }', {}, spbKey)).findings.totalCount as number
    await poll(() => spb.locator('.table-head .total').innerText()).toMatch(new RegExp(`^Открытых: ${spbTotal} наход`))
    await poll(() => spb.getByLabel('Рынок').locator('option').allInnerTexts()).toEqual(['все рынки', expect.stringMatching(/^SPB — /)])
    // every page of the table: no MSK finding, no MSK market
    const seen: string[] = []
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const grid = spb.locator('table.grid tbody')
      await poll(() => spb.locator('table.grid tbody tr').count()).toBeGreaterThan(0)
      expect(await grid.innerText()).not.toContain('MSK')
      seen.push(...await spb.locator('table.grid tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!)))
      const next = spb.getByRole('button', { name: 'Далее →' })
      if (await next.isDisabled()) break
      const before = await grid.innerText()
      await next.click()
      await poll(() => grid.innerText()).not.toBe(before)
    }
    expect(new Set(seen).size).toBe(spbTotal)
    for (const f of msk) expect(seen).not.toContain(`/findings/${f.fingerprint}`)
    await shot(spb, 'nahodki-spb')
    expect(await accessibilityProblems(spb)).toEqual([])

    // an MSK finding's page, typed by hand: «нет», and nothing of it shown
    await spb.goto(`${consoleUrl}findings/${msk[0].fingerprint}`)
    await poll(() => spb.locator('main h1').innerText()).toBe('Находки нет')
    expect(await spb.locator('main').innerText()).not.toContain(msk[0].message)
    await shot(spb, 'nahodka-net')
    expect(await accessibilityProblems(spb)).toEqual([])

    // an MSK record's page, typed by hand: «нет»
    const mskAddress = (await api('{ address(code: "A-DEMO-1") { code text } }')).address as { code: string; text: string }
    expect(mskAddress.text).toContain('Ленина')
    await spb.goto(`${consoleUrl}records/address/${mskAddress.code}`)
    await poll(() => spb.locator('main h1').innerText()).toBe('Записи нет')
    expect(await spb.locator('main').innerText()).not.toContain('Ленина')
    expect(await accessibilityProblems(spb)).toEqual([])
    // and the same page for the unscoped key shows it (the «нет» above is the scope, not a broken page)
    await page.goto(`${consoleUrl}records/address/${mskAddress.code}`)
    await poll(() => page.getByLabel('Адрес одной строкой').inputValue()).toBe(mskAddress.text)

    // «Звонок»: the MSK address is not found
    await spb.locator('header.top').getByRole('link', { name: 'Звонок' }).click()
    await spb.locator('#call-search').pressSequentially('Ленина 5 кв 12', { delay: 20 })
    await poll(() => spb.locator('.hits').innerText()).not.toBe('')
    await poll(async () => (await spb.locator('.hits').innerText()).includes('Ничего не найдено') || (await spb.locator('[role=option]').count()) > 0).toBe(true)
    expect(await spb.locator('.hits').innerText()).not.toContain('A-DEMO-1')
    expect(await spb.locator('.hits').innerText()).not.toContain('Ленина')

    expect(pageErrors).toEqual([])
    await browser.close()
    browser = undefined
    served.child.kill('SIGTERM')
    expect(await served.exited).toBe(0)
  }, 180_000)
})
