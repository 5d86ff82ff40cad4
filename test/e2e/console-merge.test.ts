// Merging duplicates in real Chromium against a real first `sverka serve` (embedded database, the demo as loaded):
// an NSI specialist opens the planted duplicate of «Ленина 5 кв 12» (A-DEMO-1 / A-DEMO-2), keeps A-DEMO-2 with
// A-DEMO-1's text from the panel, previews (the contracts and the router move, the finding resolves) and merges:
// the finding shows resolved, the survivor's page shows the moved contract and A-DEMO-1 as its alias. Undone from
// the finding's history: the members are back. A record changed after the preview: the merge is refused with the
// server's message and a fresh preview offered. A customer group opens the same panel. «Не дубликат» on another group with a reason: the pair is marked,
// the group splits or goes; «Снять отметку» brings it back. An auditor sees none of these buttons. axe-core on
// each step; SVERKA_SCREENSHOT_DIR=docs/img keeps docs/console.md's merge-*.png (1366×768).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, chromiumMissing, launchChromium, RUSSIAN_CONTEXT, type Browser, type Page } from '../helpers/browser.ts'
import { tempDir } from '../helpers/csv.ts'
import { serveIn, type Served } from '../helpers/serve.ts'

const missing = chromiumMissing('test/e2e/console-merge.test.ts')

/** a condition the page reaches (a 2-core machine shared with other runs is slow: 15 s, not vitest's 1 s) */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 })

interface Group { fingerprint: string; status: string; entities: Array<{ key: string }> }

describe.skipIf(missing !== null)(`merging duplicates in the console, on a first \`sverka serve\`${missing ? ` — ${missing}` : ''}`, () => {
  let served: Served | undefined
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
    served?.child.kill('SIGKILL')
  })

  it('NSI: merges the planted duplicate address from the panel, undoes it from the history, marks another group «не дубликат»', async () => {
    served = serveIn(tempDir('e2e-console-merge'), { env: { SVERKA_DEMO_HISTORY: '0' } })
    const { url, consoleUrl, key: adminKey } = await served.ready
    const api = async (query: string, variables: Record<string, unknown> = {}, key = adminKey) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) })
      const body = await response.json() as { data: any; errors?: unknown[] }
      if (body.errors) throw new Error(JSON.stringify(body.errors))
      return body.data
    }
    const createKey = async (role: string, name: string) => (await api(
      `mutation($name: String) { createApiKey(role: ${role}, name: $name) { __typename ... on MutationCreateApiKeySuccess { data { key } } } }`,
      { name })).createApiKey.data.key as string
    const nsiKey = await createKey('NSI_SPECIALIST', 'НСИ Иванова')
    const auditorKey = await createKey('AUDITOR', 'Аудитор Петров')

    browser = await launchChromium()
    const shots = process.env.SVERKA_SCREENSHOT_DIR
    if (shots) mkdirSync(shots, { recursive: true })
    const pageErrors: string[] = []
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
    const shot = async (page: Page, name: string, fullPage = true) => { if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage }) }
    const path = (page: Page) => page.evaluate(() => location.pathname + location.search)
    const groups = async () => (await api('{ findings(first: 200, filter: { ruleIds: ["address-duplicate"] }) { edges { node { fingerprint status entities { key } } } } }'))
      .findings.edges.map((e: any) => e.node) as Group[]
    const statusOf = async (fingerprint: string) => (await api('query($f: String!) { finding(fingerprint: $f) { status } }', { f: fingerprint })).finding.status as string
    const addressOf = async (contract: string) => (await api('query($n: String!) { contract(number: $n) { address { code } } }', { n: contract })).contract.address.code as string
    const address = async (code: string) => (await api('query($c: String!) { address(code: $c) { code text aliases } }', { c: code })).address as { code: string; text: string; aliases: string[] } | null

    const planted = (await groups()).find((g) => g.entities.some((e) => e.key === 'A-DEMO-1') && g.entities.some((e) => e.key === 'A-DEMO-2'))
    expect(planted, 'the demo plants A-DEMO-1 / A-DEMO-2 as duplicates').toBeDefined()
    const textOf1 = (await address('A-DEMO-1'))!.text
    expect(textOf1).toContain('Ленина')
    expect(await addressOf('D-DEMO-1')).toBe('A-DEMO-1')

    // ── an auditor reads the finding but is offered no merge ──
    const auditor = await signedIn(auditorKey, 'аудитор')
    await auditor.goto(`${consoleUrl}findings/${planted!.fingerprint}`)
    await poll(() => auditor.locator('#finding-title').innerText()).toContain('Дубли адреса')
    await poll(() => auditor.locator('table.side thead').innerText()).toContain('A-DEMO-2')
    expect(await auditor.getByRole('button', { name: 'Объединить' }).count()).toBe(0)
    expect(await auditor.getByRole('button', { name: 'Не дубликат' }).count()).toBe(0)

    // ── the NSI specialist: the panel, side by side, the proposal preselected with its reason ──
    const page = await signedIn(nsiKey, 'специалист НСИ')
    await page.goto(`${consoleUrl}findings/${planted!.fingerprint}`)
    await poll(() => page.locator('#finding-title').innerText()).toContain('Дубли адреса')
    const tools = page.getByRole('group', { name: 'Дубли' })
    await tools.getByRole('button', { name: 'Объединить' }).click()
    const panel = page.locator('section.merge-panel')
    const keep1 = panel.getByRole('radio', { name: 'Оставить A-DEMO-1' })
    const keep2 = panel.getByRole('radio', { name: 'Оставить A-DEMO-2' })
    await poll(() => keep1.count()).toBe(1)
    // A-DEMO-1 has the contracts and the router: proposed (the more complete or the more linked)
    expect(await keep1.isChecked()).toBe(true)
    expect(await panel.locator('.proposed').innerText()).toMatch(/предлагается: (самая полная запись|больше всего связей)/)
    expect(await panel.locator('table.merge-table tr.differs').count()).toBeGreaterThan(0)
    expect(await panel.locator('tr.links').innerText()).toMatch(/договоров 2, устройств 1/)
    // nothing can be merged before a preview
    const mergeButton = panel.getByRole('button', { name: /^Объединить в / })
    expect(await mergeButton.isDisabled()).toBe(true)

    // keep A-DEMO-2 (chosen from the keyboard: the survivors are one radio group), with A-DEMO-1's way of writing
    // the address; the preview says what moves and what resolves
    await keep1.focus()
    await page.keyboard.press('ArrowRight')
    await poll(() => keep2.isChecked()).toBe(true)
    await panel.getByRole('radio', { name: /^Адрес: взять у A-DEMO-1/ }).check()
    expect(await mergeButton.innerText()).toBe('Объединить в A-DEMO-2')
    await panel.getByRole('button', { name: 'Предпросмотр' }).click()
    const preview = page.getByRole('region', { name: 'Предпросмотр объединения' })
    await poll(() => preview.innerText()).toContain('Договор D-DEMO-1')
    const previewText = await preview.innerText()
    expect(previewText).toContain('Договор D-DEMO-2')
    expect(previewText).toContain('Устройство INV-DEMO-1')
    expect(previewText).toMatch(/Останется A-DEMO-2; A-DEMO-1 будет удалена/)
    expect(await preview.getByRole('list', { name: 'Решатся' }).innerText()).toContain('A-DEMO-1, A-DEMO-2')
    expect(await mergeButton.isDisabled()).toBe(false)
    await shot(page, 'merge-panel')
    expect(await accessibilityProblems(page)).toEqual([])

    // a choice changed after the preview: it must be previewed again
    await keep1.check()
    expect(await mergeButton.isDisabled()).toBe(true)
    expect(await preview.count()).toBe(0)
    await keep2.check()
    await panel.getByRole('button', { name: 'Предпросмотр' }).click()
    await poll(() => mergeButton.isDisabled()).toBe(false)

    // ── merged: the finding resolved, the survivor linked ──
    await mergeButton.click()
    const outcome = page.getByRole('status', { name: 'Результат объединения' })
    await poll(() => outcome.innerText()).toContain('Объединено: A-DEMO-1 → A-DEMO-2')
    await poll(() => page.locator('dd.status').innerText()).toBe('решена')
    expect(await statusOf(planted!.fingerprint)).toBe('RESOLVED')
    expect(await addressOf('D-DEMO-1')).toBe('A-DEMO-2')
    expect(await addressOf('D-DEMO-2')).toBe('A-DEMO-2')
    const survivor = await address('A-DEMO-2')
    expect(survivor).toMatchObject({ code: 'A-DEMO-2', text: textOf1, aliases: ['A-DEMO-1'] })
    // the alias stands for the survivor
    expect((await address('A-DEMO-1'))?.code).toBe('A-DEMO-2')
    const history = page.locator('table.history')
    await poll(() => history.innerText()).toMatch(/записи объединены[\s\S]*A-DEMO-1 → A-DEMO-2/)
    await shot(page, 'merge-done')
    expect(await accessibilityProblems(page)).toEqual([])

    // the survivor's page: the moved contract beside it, A-DEMO-1 as its former key, the merge with its undo
    await outcome.getByRole('link', { name: 'запись A-DEMO-2' }).click()
    await poll(() => path(page)).toBe('/records/address/A-DEMO-2')
    await poll(() => page.getByLabel('Адрес одной строкой').inputValue()).toBe(textOf1)
    const around = page.locator('section[aria-labelledby="around-title"]')
    await poll(() => around.innerText()).toContain('D-DEMO-1')
    const merges = page.locator('section[aria-labelledby="merges-title"]')
    await poll(() => merges.innerText()).toContain('Прежние коды (псевдонимы): A-DEMO-1')
    expect(await merges.innerText()).toMatch(/A-DEMO-1 → A-DEMO-2[\s\S]*НСИ Иванова \(ключ \d+\)[\s\S]*Договор D-DEMO-1/)
    expect(await merges.getByRole('button', { name: 'Отменить объединение' }).count()).toBe(1)
    await shot(page, 'merge-record')
    expect(await accessibilityProblems(page)).toEqual([])
    // opened by the former key: said whose it is
    await page.goto(`${consoleUrl}records/address/A-DEMO-1`)
    await poll(() => merges.innerText()).toContain('A-DEMO-1 — прежний код: запись объединена в A-DEMO-2.')

    // ── undone from the finding's history: the members are back, the finding reopens ──
    await page.goto(`${consoleUrl}findings/${planted!.fingerprint}`)
    await poll(() => history.innerText()).toContain('записи объединены')
    await history.getByRole('button', { name: 'Отменить объединение' }).click()
    await poll(() => history.innerText()).toContain('Объединение отменено')
    expect((await address('A-DEMO-1'))).toMatchObject({ code: 'A-DEMO-1', text: textOf1, aliases: [] })
    expect((await address('A-DEMO-2'))?.aliases).toEqual([])
    expect(await addressOf('D-DEMO-1')).toBe('A-DEMO-1')
    expect(await addressOf('D-DEMO-2')).toBe('A-DEMO-1')
    await poll(() => statusOf(planted!.fingerprint)).toBe('REOPENED')
    await poll(() => page.locator('dd.status').innerText()).toBe('открыта снова')
    await poll(() => history.innerText()).toMatch(/отменено \d/)
    expect(await history.getByRole('button', { name: 'Отменить объединение' }).count()).toBe(0)
    await poll(() => page.locator('table.side thead').innerText()).toMatch(/A-DEMO-1[\s\S]*A-DEMO-2/)
    await shot(page, 'merge-undo')
    expect(await accessibilityProblems(page)).toEqual([])

    // ── a record changed after the preview: refused with the server's message, a fresh preview offered ──
    await tools.getByRole('button', { name: 'Объединить' }).click()
    await poll(() => keep1.count()).toBe(1)
    await panel.getByRole('button', { name: 'Предпросмотр' }).click()
    await poll(() => mergeButton.isDisabled()).toBe(false)
    const changed = await api(`mutation { updateAddress(key: "A-DEMO-2", input: { postalCode: "129090" }) { __typename } }`)
    expect(changed.updateAddress.__typename).toMatch(/Success$/)
    await mergeButton.click()
    const refusal = panel.locator('.problem[role=alert]')
    await poll(() => refusal.innerText()).toMatch(/Не объединено: .*A-DEMO-2/)
    expect(await mergeButton.isDisabled()).toBe(true)
    expect((await address('A-DEMO-1'))?.code).toBe('A-DEMO-1')
    await shot(page, 'merge-conflict', false)
    await panel.getByRole('button', { name: 'Предпросмотр заново' }).click()
    await poll(() => mergeButton.isDisabled()).toBe(false)
    await panel.getByRole('button', { name: 'Закрыть' }).click()

    // ── a customer group: the same panel, a customer's fields in Russian ──
    const customers = (await api('{ findings(first: 50, filter: { ruleIds: ["customer-duplicate"], open: true }) { edges { node { fingerprint entities { key } } } } }'))
      .findings.edges.map((e: any) => e.node) as Group[]
    expect(customers.length, 'the demo has duplicate customers').toBeGreaterThan(0)
    await page.goto(`${consoleUrl}findings/${customers[0].fingerprint}`)
    await poll(() => page.locator('#finding-title').innerText()).toContain('Дубли клиента')
    await tools.getByRole('button', { name: 'Объединить' }).click()
    await poll(() => panel.locator('h2').innerText()).toBe('Объединить записи клиента')
    for (const e of customers[0].entities) expect(await panel.getByRole('radio', { name: `Оставить ${e.key}` }).count()).toBe(1)
    expect(await panel.locator('table.merge-table tbody th[scope=row]').allInnerTexts()).toContainEqual(expect.stringMatching(/^Имя/))
    expect(await panel.locator('table.merge-table tbody').innerText()).not.toMatch(/\b(name|phone|email|inn)\b/)
    await panel.getByRole('button', { name: 'Закрыть' }).click()
    expect(await panel.count()).toBe(0)

    // ── «Не дубликат» on another group: a reason is required, the pair marked, the group splits or goes ──
    const other = (await groups()).filter((g) => !g.entities.some((e) => e.key.startsWith('A-DEMO')) && !['RESOLVED', 'WAIVED'].includes(g.status))
      .sort((a, b) => b.entities.length - a.entities.length)[0]
    expect(other, 'the demo has more duplicate addresses').toBeDefined()
    const [a, b] = other.entities.map((e) => e.key)
    await page.goto(`${consoleUrl}findings/${other.fingerprint}`)
    await poll(() => page.locator('#finding-title').innerText()).toContain('Дубли адреса')
    await tools.getByRole('button', { name: 'Не дубликат' }).click()
    const form = page.getByRole('form', { name: 'Отметить «не дубликат»' })
    // only the first two records ticked
    for (const e of other.entities.slice(2)) await form.getByRole('checkbox', { name: e.key }).uncheck()
    await form.getByRole('button', { name: 'Отметить «не дубликат»' }).click()
    await poll(() => form.locator('.problem').innerText()).toContain('Укажите причину')
    await form.getByLabel(/Почему это разные записи/).fill('Разные квартиры: проверено выездом')
    await shot(page, 'merge-distinct-form', false)
    await form.getByRole('button', { name: 'Отметить «не дубликат»' }).click()
    const marked = page.getByRole('status', { name: 'Результат отметки' })
    await poll(() => marked.innerText()).toContain(`Отмечено «не дубликат»: ${[a, b].sort().join(' ≠ ')}`)
    const marks = page.locator('section[aria-labelledby="marks-title"]')
    await poll(() => marks.innerText()).toContain('Разные квартиры: проверено выездом')
    expect(await marks.innerText()).toMatch(/НСИ Иванова \(ключ \d+\)/)
    // the audit no longer holds these two together: a pair group goes, a bigger one splits into findings without the pair
    const after = await groups()
    const together = after.filter((g) => !['RESOLVED', 'WAIVED'].includes(g.status) && g.entities.some((e) => e.key === a) && g.entities.some((e) => e.key === b))
    expect(together).toEqual([])
    await poll(() => statusOf(other.fingerprint)).toBe('RESOLVED')
    if (other.entities.length > 2) expect(await marked.getByRole('list', { name: 'Появились' }).getByRole('listitem').count()).toBeGreaterThan(0)
    await poll(() => page.locator('dd.status').innerText()).toBe('решена')
    await shot(page, 'merge-distinct')
    expect(await accessibilityProblems(page)).toEqual([])

    // «Снять отметку»: the mark goes, the pair is a duplicate again
    await marks.getByRole('button', { name: `Снять отметку ${[a, b].sort().join(' ≠ ')}` }).click()
    await marks.getByLabel('Почему снять (необязательно)').fill('Ошиблись: одна квартира')
    await marks.locator('form').getByRole('button', { name: 'Снять отметку' }).click()
    await poll(() => marks.count()).toBe(0)
    const live = (await api('query($k: String!) { distinctMarks(key: $k) { edges { node { id } } } }', { k: a })).distinctMarks.edges
    expect(live).toEqual([])
    await poll(async () => (await groups()).some((g) => !['RESOLVED', 'WAIVED'].includes(g.status) && g.entities.some((e) => e.key === a) && g.entities.some((e) => e.key === b))).toBe(true)

    expect(pageErrors).toEqual([])
  }, 300_000)
})
