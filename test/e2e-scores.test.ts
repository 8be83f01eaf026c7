// The scores page (R7.1) in real headless Chromium: the registrar imports a theory CSV (a bad file shows its
// per-row report and imports nothing), the verifier keys the second entry blind, the difference is listed, a
// second verifier resolves it with a reason, the verifier signs; the results table shows 合格 / 缺考 / 成绩无效.
// Screenshots go to docs/screenshots with CUSTODY_DOCS_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DOCS_SHOTS, type PageProblems, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { type ScoresWorld, scoresWorld, theoryCsv } from './_scores-fixture.ts'

describeBrowser('scores page in Chromium: import, blind second entry, resolve, sign, results', () => {
  let browser: Browser
  let served: ServedApp
  let w: ScoresWorld
  const problems: PageProblems[] = []

  beforeAll(async () => {
    browser = await launchBrowser()
    served = serveApp()
    w = await scoresWorld({ app: served.custody })
    mkdirSync(DOCS_SHOTS, { recursive: true })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  async function as(username: string): Promise<Page> {
    const r = await loggedInPage(browser, served, username, { next: `/scores?batch=${w.fx.batchId}` })
    problems.push(r.problems)
    await expect.poll(() => r.page.locator('#area').isVisible()).toBe(true)
    return r.page
  }
  const file = (csv: string) => ({ name: 'theory.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })

  test('the registrar imports: a bad file shows its rows and imports nothing; a good one fills the tally', async () => {
    const page = await as(w.registrar.name)
    await expect.poll(() => page.locator('#sessions tr').count()).toBe(2)
    await page.locator('#import-file').setInputFiles(file(theoryCsv(w, [85, 120, 'x'])))
    await page.locator('#import-form button').click()
    await expect.poll(() => page.locator('#import-report tr').count()).toBe(2)
    expect(await page.locator('#import-report').innerText()).toContain('成绩应在0到100分之间')
    expect(await page.locator('#sessions').innerText()).toContain('未录入')
    await page.screenshot({ path: `${DOCS_SHOTS}/scores-import-report.png`, fullPage: true })
    await page.locator('#import-file').setInputFiles(file(theoryCsv(w)))
    await page.locator('#import-form button').click()
    await expect.poll(() => page.locator('#import-alert').innerText()).toContain('已导入 3 条成绩')
    await expect.poll(() => page.locator('#sessions').innerText()).toContain('已录入，待校对')
  })

  test('the verifier keys blind and sees the difference; a second verifier resolves; the verifier signs', async () => {
    const page = await as(w.verifier.name)
    await page.locator('#sessions tr').first().getByRole('button', { name: '打开' }).click()
    await expect.poll(() => page.locator('#tally-body form').isVisible()).toBe(true)
    // Blind: the first entry's numbers are nowhere on the page.
    expect(await page.locator('#tally-card').innerText()).not.toContain('59.5')
    const inputs = page.locator('#tally-body form input[type=number]')
    await inputs.nth(0).fill('85')
    await inputs.nth(1).fill('95')
    await inputs.nth(2).fill('72')
    await page.screenshot({ path: `${DOCS_SHOTS}/scores-blind-entry.png`, fullPage: true })
    await page.getByRole('button', { name: '提交第二次录入' }).click()
    await expect.poll(() => page.locator('#sessions').innerText()).toContain('有差异，待裁定')
    await expect.poll(() => page.locator('#tally-body').innerText()).toContain('待第三人裁定')

    const third = await as(w.verifier2.name)
    await third.locator('#sessions tr').first().getByRole('button', { name: '打开' }).click()
    await expect.poll(() => third.locator('#tally-body').innerText()).toContain('95')
    await third.getByPlaceholder('理由（必填）').fill('调阅答卷，第一次录入正确')
    await third.getByLabel('裁定分值').fill('59.5')
    await third.getByRole('button', { name: '裁定', exact: true }).click()
    await expect.poll(() => third.locator('#sessions').innerText()).toContain('已校对，待签字')

    await page.reload()
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    await page.locator('#sessions tr').first().getByRole('button', { name: '打开' }).click()
    await page.getByRole('button', { name: '签字确认成绩登记表' }).click()
    await expect.poll(() => page.locator('#sessions').innerText()).toContain('已签字生效')
    await page.screenshot({ path: `${DOCS_SHOTS}/scores-signed.png`, fullPage: true })
  })

  test('results per candidate: passed, failed, absent, disqualified', async () => {
    // The practical tally through the API, then the page shows every kind of result.
    const s = w.scores
    expect(s.collect(w.fx.sessions.practical, w.registrar).ok).toBe(true)
    expect(s.checkSheet(w.fx.sessions.practical, w.verifier).ok).toBe(true)
    expect(s.sign(w.fx.sessions.practical, w.verifier).ok).toBe(true)
    const page = await as(w.supervisor.name)
    await expect.poll(() => page.locator('#results tr').count()).toBe(4)
    const text = await page.locator('#results').innerText()
    for (const word of ['合格', '不合格', '缺考', '成绩无效']) expect(text).toContain(word)
    expect(await page.locator('#results-note').innerText()).toContain('全部成绩登记表已校对并签字')
    await page.screenshot({ path: `${DOCS_SHOTS}/scores-results.png`, fullPage: true })
    for (const p of problems) expect(p.unexpected([403, 409, 422])).toEqual([])
  })
})
