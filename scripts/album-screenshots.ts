// The reports album as a newcomer sees it, one picture a report (docs/console.md shows them):
//   npx sverka serve            # a fresh data directory: the demo with its eight weeks of history; prints the key
//   npx tsx scripts/album-screenshots.ts http://127.0.0.1:4000/ <key> [docs/img]
// Opens /reports in Debian's Chromium (test/helpers/browser.ts) signed in with the key and writes the top of the
// page and each report's section (its first 1,400 pixels) as album-demo-<report>.png.
import { join } from 'node:path'
import { launchChromium } from '../test/helpers/browser.ts'

const [url, key, out = 'docs/img'] = process.argv.slice(2)
if (!url || !key) {
  console.error('usage: npx tsx scripts/album-screenshots.ts URL KEY [DIR]')
  process.exit(2)
}
const browser = await launchChromium()
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' })
  await page.goto(url)
  await page.evaluate((k) => sessionStorage.setItem('sverka.key', k), key)
  await page.goto(new URL('reports', url).href)
  await page.locator('#report-sla table').waitFor()
  await page.waitForTimeout(1500) // the charts' entry animation
  await page.screenshot({ path: join(out, 'album-demo-top.png') })
  for (const report of ['matrix', 'aging', 'incidents', 'bottlenecks', 'sla']) {
    const section = page.locator(`#report-${report}`)
    await section.scrollIntoViewIfNeeded()
    await page.waitForTimeout(800)
    // a long list is cut at 1,400 pixels: the picture shows the chart and the head of its table
    const box = (await section.boundingBox())!
    const top = box.y + await page.evaluate(() => scrollY)
    await page.screenshot({ path: join(out, `album-demo-${report}.png`), fullPage: true, clip: { ...box, y: top, height: Math.min(box.height, 1400) } })
  }
} finally {
  await browser.close()
}
