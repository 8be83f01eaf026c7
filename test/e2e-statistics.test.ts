// The yearly statistics page (R9.1) in real headless Chromium: the table and summary of a generated year, both
// charts drawn by the locally bundled ECharts, no CSP violation and no request to any other host; the CSV links
// carry the year; the A4 print layout. Screenshots go to docs/screenshots with CUSTODY_DOCS_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DOCS_SHOTS, type PageProblems, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { withStatistics } from './_statistics-app.ts'
import { planSources, seedStatistics } from './_statistics-fixture.ts'
import type { Statistics } from '../server/services/statistics.ts'

describeBrowser('statistics page in Chromium: table, summary, charts, CSV links, print', () => {
  let browser: Browser
  let served: ServedApp
  let page: Page
  let problems: PageProblems
  let stats: Statistics
  const foreign: string[] = []

  beforeAll(async () => {
    browser = await launchBrowser()
    served = serveApp()
    stats = withStatistics(served.custody, planSources(seedStatistics(served.custody.services.db, 2026, 14)))
    await served.custody.userWith(['supervisor'], 'tongji')
    ;({ page, problems } = await loggedInPage(browser, served, 'tongji'))
    const host = new URL(served.url).host
    page.context().on('request', (r) => {
      const u = new URL(r.url())
      if (u.protocol.startsWith('http') && u.host !== host) foreign.push(r.url())
    })
    mkdirSync(DOCS_SHOTS, { recursive: true })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('the home tile opens the page; the table shows the year per occupation and level with totals', async () => {
    await page.locator('#features a[href="/statistics"]').click()
    await page.waitForURL(`${served.url}/statistics`)
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    await page.locator('#stats-year').selectOption('2026')
    const y = stats.year(2026)
    if (!y.ok) throw new Error('year')
    await expect.poll(() => page.locator('#stats-body tr').count()).toBe(y.value.rows.length)
    const total = await page.locator('#stats-foot tr').innerText()
    expect(total).toContain('合计')
    expect(total).toContain(String(y.value.totals.registered))
    await expect.poll(() => page.locator('#summary-text').innerText()).toContain('2026 年共组织认定批次')
  })

  test('both charts are drawn (canvas) by the bundled ECharts, without CSP errors or requests to other hosts', async () => {
    for (const id of ['#chart-counts', '#chart-rate']) {
      await expect.poll(() => page.locator(`${id} canvas`).count()).toBeGreaterThan(0)
      const box = await page.locator(`${id} canvas`).first().boundingBox()
      expect(box!.width).toBeGreaterThan(300)
      expect(box!.height).toBeGreaterThan(200)
    }
    // something was painted: the canvas is not blank
    const painted = await page
      .locator('#chart-counts canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let n = 0
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++
        return n
      })
    expect(painted).toBeGreaterThan(1000)
    expect(foreign).toEqual([])
    expect(problems.cspViolations).toEqual([])
    expect(problems.unexpected()).toEqual([])
    await page.screenshot({ path: `${DOCS_SHOTS}/statistics-page.png`, fullPage: true })
  })

  test('in English the report, the table and the charts follow; back in Chinese', async () => {
    await page.locator('#lang-toggle').click()
    await expect.poll(() => page.locator('#summary-text').innerText()).toContain('In 2026 the body ran')
    await expect.poll(() => page.locator('#stats-foot tr').innerText()).toContain('Total')
    await page.locator('#lang-toggle').click()
    await expect.poll(() => page.locator('#summary-text').innerText()).toContain('2026 年共组织认定批次')
    expect(problems.unexpected()).toEqual([])
  })

  test('the CSV links name the year and both encodings, and download the table', async () => {
    expect(await page.locator('#csv-utf8').getAttribute('href')).toBe('/api/statistics.csv?year=2026&encoding=utf-8')
    expect(await page.locator('#csv-gb18030').getAttribute('href')).toBe('/api/statistics.csv?year=2026&encoding=gb18030')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-gb18030').click()])
    expect(download.suggestedFilename()).toBe('statistics-2026-gb18030.csv')
  })

  test('another year reloads the table; the print layout hides the controls and fits A4', async () => {
    await page.locator('#stats-year').selectOption('2025')
    await expect.poll(() => page.url()).toContain('year=2025')
    await page.locator('#stats-year').selectOption('2026')
    await expect.poll(() => page.locator('#summary-text').innerText()).toContain('2026')
    // A4 landscape less 12 mm margins at 96 dpi: 1032 × 703 CSS pixels
    await page.setViewportSize({ width: 1032, height: 703 })
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('#topbar').isVisible()).toBe(false)
    expect(await page.locator('#stats-print').isVisible()).toBe(false)
    expect(await page.locator('#stats-title').isVisible()).toBe(true)
    // the table fits the page width, and the charts print
    const table = await page.locator('#stats-table').evaluate((t) => ({ width: t.scrollWidth, page: document.documentElement.clientWidth }))
    expect(table.width).toBeLessThanOrEqual(table.page)
    expect(await page.locator('#chart-rate canvas').first().isVisible()).toBe(true)
    await page.screenshot({ path: `${DOCS_SHOTS}/statistics-print.png`, fullPage: true })
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    // A4 landscape: 842 × 595 points
    const boxes = [...pdf.toString('latin1').matchAll(/MediaBox\s*\[\s*([\d.\s]+)\]/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number))
    expect(boxes.length).toBeGreaterThan(0)
    for (const [, , w, h] of boxes) expect([Math.round(w!), Math.round(h!)]).toEqual([842, 595])
    await page.emulateMedia({ media: 'screen' })
    await page.setViewportSize({ width: 1280, height: 900 })
    expect(problems.unexpected()).toEqual([])
  })
})
