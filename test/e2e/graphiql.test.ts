// The README's first step in a real browser (issue 12): `sverka serve` on an empty embedded data directory, its
// printed URL opened in Chromium. GraphiQL loads the schema (the docs pane lists Query's fields), opens on the
// Russian example tab with the first key already in its headers, and running that tab shows data, no errors.
// Runs Debian's chromium through playwright-core (no browser download); skipped only when it is not installed
// (.ci/run installs it). SVERKA_SCREENSHOT_DIR=<dir> keeps screenshots of the docs and the result.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chromiumMissing, launchChromium } from '../helpers/browser.ts'
import { tempDir } from '../helpers/csv.ts'
import { serveIn, type Served } from '../helpers/serve.ts'

const missing = chromiumMissing('test/e2e/graphiql.test.ts')

/** What an element shows, spaces as spaces (the editors draw them as no-break spaces). */
const textOf = async (locator: { innerText(): Promise<string> }) => (await locator.innerText()).replace(/\s+/g, ' ')

describe.skipIf(missing !== null)(`GraphiQL in Chromium, on a first \`sverka serve\`${missing ? ` — ${missing}` : ''}`, () => {
  let served: Served | undefined
  let closeBrowser: (() => Promise<void>) | undefined
  afterAll(async () => {
    await closeBrowser?.()
    served?.child.kill('SIGKILL')
  })

  it('shows the schema in the docs pane and runs the example tab to data', async () => {
    served = serveIn(tempDir('e2e-graphiql'))
    const { url, key } = await served.ready
    expect(key).toMatch(/^sk_/)

    const browser = await launchChromium()
    closeBrowser = () => browser.close()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    const screenshots = process.env.SVERKA_SCREENSHOT_DIR
    if (screenshots) mkdirSync(screenshots, { recursive: true })

    // GraphiQL's own introspection query: answered, not refused as too deep
    const introspection = page.waitForResponse((r) => r.url() === url && (r.request().postData() ?? '').includes('__schema'))
    await page.goto(url)
    const schemaAnswer = await (await introspection).json() as { data?: { __schema?: unknown }; errors?: unknown }
    expect(schemaAnswer.errors).toBeUndefined()
    expect(schemaAnswer.data?.__schema).toBeTruthy()
    expect(await page.title()).toBe('Sverka — GraphQL')

    // the example tab, not GraphiQL's welcome text
    await expect.poll(() => textOf(page.locator('.graphiql-query-editor')), { timeout: 30_000 }).toContain('query FirstCall')

    // the docs pane: the root types, then Query's fields
    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click()
    const docs = page.locator('.graphiql-doc-explorer')
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click()
    await expect.poll(() => textOf(docs), { timeout: 15_000 }).toMatch(/search[\s\S]*conflicts|conflicts[\s\S]*search/)
    const docsText = await textOf(docs)
    for (const field of ['search', 'conflicts', 'findings', 'addresses']) expect(docsText).toContain(field)
    if (screenshots) await page.screenshot({ path: join(screenshots, 'graphiql-docs.png') })

    // run the tab: the request carries the key GraphiQL was given; the answer has data and no errors
    const run = page.waitForResponse((r) => r.url() === url && (r.request().postData() ?? '').includes('FirstCall'))
    await page.locator('.graphiql-execute-button').click()
    const answer = await run
    expect(answer.request().headers().authorization).toBe(`Bearer ${key}`)
    const body = await answer.json() as { data?: { search: Array<{ key: string }>; conflicts: { count: number } }; errors?: unknown }
    expect(body.errors).toBeUndefined()
    expect(body.data!.search.map((h) => h.key)).toContain('A-DEMO-1')
    expect(body.data!.conflicts.count).toBeGreaterThan(0)
    // and the result pane shows it
    const result = page.locator('.result-window')
    await expect.poll(() => textOf(result), { timeout: 15_000 }).toContain('"search"')
    expect(await textOf(result)).not.toContain('"errors"')
    // Cyrillic letters that look Latin («с», «г») are not boxed as «ambiguous» by the editor: it marks them
    // (a moment after the text is drawn), the page's style draws no box
    const marks = page.locator('.monaco-editor .unicode-highlight')
    await expect.poll(() => marks.count(), { timeout: 10_000 }).toBeGreaterThan(0)
    const borders = await marks.evaluateAll((els) => els.map((e) => getComputedStyle(e).borderTopWidth))
    expect(borders.filter((w) => w !== '0px')).toEqual([])
    if (screenshots) await page.screenshot({ path: join(screenshots, 'graphiql-result.png') })

    expect(pageErrors).toEqual([])
    await browser.close()
    closeBrowser = undefined
    served.child.kill('SIGTERM')
    expect(await served.exited).toBe(0)
  }, 240_000)
})
