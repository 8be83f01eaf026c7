// The results pages in real headless Chromium: the public lookup (/results, no login: own result, and the one
// neutral answer for a wrong ID number) and the registrar's publication and review page (/registrar/results).
// No CSP violation, no script error. Screenshots go to docs/screenshots with CUSTODY_DOCS_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DOCS_SHOTS, type ServedApp, describeBrowser, launchBrowser, loggedInPage, watchProblems } from './_browser.ts'
import { REGISTRAR, resultsFixture } from './_results.ts'
import { serveApp } from './_browser.ts'

describeBrowser('results pages in Chromium: public lookup and the registrar page', () => {
  let browser: Browser
  let served: ServedApp
  let f: ReturnType<typeof resultsFixture>

  beforeAll(async () => {
    browser = await launchBrowser()
    served = serveApp()
    f = resultsFixture({ app: served.custody, floorMs: 0 })
    f.setToday('2025-02-10')
    const published = f.results.publish('b1', REGISTRAR)
    if (!published.ok) throw new Error(published.error.code)
    f.setToday('2025-02-20')
    const r = f.results.requestReview({ batchId: 'b1', candidateId: 'c2', subjectId: 's-theory', reason: '考生电话申请' }, REGISTRAR)
    if (!r.ok) throw new Error(r.error.code)
    f.results.moveReview(r.value.id, 'start', REGISTRAR)
    mkdirSync(DOCS_SHOTS, { recursive: true })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('/results without login: the right pair shows the own result, masked name; a wrong ID number the neutral answer', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'zh-CN' })
    const problems = await watchProblems(context)
    const page = await context.newPage()
    await page.goto(`${served.url}/results`)
    await page.getByLabel('准考证号').fill('T0002')
    await page.getByLabel('身份证号').fill('11010519491231002X')
    await page.getByRole('button', { name: '查询' }).click()
    await expect.poll(() => page.locator('#lookup-alert').innerText()).toContain('未查到成绩')
    await page.screenshot({ path: `${DOCS_SHOTS}/results-lookup-not-found.png`, fullPage: true })
    await page.getByLabel('身份证号').fill('500101199001010015')
    await page.getByRole('button', { name: '查询' }).click()
    await expect.poll(() => page.locator('#result-card').isVisible()).toBe(true)
    const text = await page.locator('#result-card').innerText()
    expect(text).toContain('李**')
    expect(text).toContain('理论知识')
    expect(text).not.toContain('李小明')
    await page.screenshot({ path: `${DOCS_SHOTS}/results-lookup.png`, fullPage: true })
    expect(problems.unexpected([404])).toEqual([])
    await context.close()
  })

  test('/registrar/results: the publication facts and the review queue with its deadline', async () => {
    await served.custody.userWith(['registrar'], 'dengji')
    const { page, problems, context } = await loggedInPage(browser, served, 'dengji', { next: '/registrar/results' })
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#pub-facts').innerText()).toContain('2025-02-10')
    await expect.poll(() => page.locator('#reviews-body tr').count()).toBe(1)
    const row = await page.locator('#reviews-body tr').innerText()
    expect(row).toContain('李小明')
    expect(row).toContain('2025-03-10')
    expect(row).toContain('55')
    await page.screenshot({ path: `${DOCS_SHOTS}/results-registrar.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })
})
