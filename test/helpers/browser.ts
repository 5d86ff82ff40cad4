// Real Chromium for the end-to-end tests: Debian's chromium driven by playwright-core (../shared/NOTES.md
// «Browsers»; .ci/run installs it when missing), pages in Russian and Moscow time as a call centre has them,
// axe-core on what a page shows.
import { existsSync } from 'node:fs'
import { expect } from 'vitest'

export type Browser = import('playwright-core').Browser
export type Page = import('playwright-core').Page

export const CHROMIUM = '/usr/bin/chromium'

/** Headless, offline-quiet, in Russian: `<input type=date>` shows дд.мм.гггг as it does for the users. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=ru-RU']

/** Why a browser test cannot run here (null: it can); the file's describe is skipped with this said. */
export function chromiumMissing(testFile: string): string | null {
  if (existsSync(CHROMIUM)) return null
  const why = `skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`
  console.warn(`${testFile} ${why}`)
  return why
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true })
}

/** A browser context as an agent's laptop has it: 1366×768, locale ru-RU, Moscow time. */
export const RUSSIAN_CONTEXT = { viewport: { width: 1366, height: 768 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' } as const

/** axe-core on what the page shows now: the serious and critical violations, as «rule (impact): targets». */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const { AxeBuilder } = await import('@axe-core/playwright')
  const { violations, passes } = await new AxeBuilder({ page }).analyze()
  // axe really looked (a page it could not read would pass nothing and fail nothing)
  expect(passes.length).toBeGreaterThan(10)
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

