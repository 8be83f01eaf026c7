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
    const desk = await served.custody.userWith(['registrar'], 'dengji')
    const { page, problems, context } = await loggedInPage(browser, served, 'dengji', { next: '/registrar/results' })
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#pub-facts').innerText()).toContain('2025-02-10')
    await expect.poll(() => page.locator('#reviews-body tr').count()).toBe(1)
    const row = await page.locator('#reviews-body tr').innerText()
    expect(row).toContain('李小明')
    expect(row).toContain('2025-03-10')
    expect(row).toContain('55')
    await page.screenshot({ path: `${DOCS_SHOTS}/results-registrar.png`, fullPage: true })

    // The desk changes the score in the dialog: nothing is sent without a score and a reason; the refusal stays in
    // the dialog; then the row shows the change waiting for a second person.
    const row1 = page.locator('#reviews-body tr').first()
    await row1.getByRole('button', { name: '更改成绩' }).click()
    const dialog = page.locator('#decide-dialog')
    await expect.poll(() => dialog.isVisible()).toBe(true)
    expect(await dialog.innerText()).toContain('原成绩 55 分')
    await dialog.getByRole('button', { name: '确认登记' }).click()
    await expect.poll(() => page.locator('#decide-alert').innerText()).toContain('请填写新分数')
    await page.locator('#decide-score').fill('62')
    await dialog.getByRole('button', { name: '确认登记' }).click()
    await expect.poll(() => page.locator('#decide-alert').innerText()).toContain('请填写理由')
    await page.locator('#decide-reason').fill('复核阅卷发现第 3 题漏计 7 分')
    await page.screenshot({ path: `${DOCS_SHOTS}/results-review-change.png`, fullPage: true })
    await dialog.getByRole('button', { name: '确认登记' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
    await expect.poll(() => row1.innerText()).toContain('55 → 62')
    expect(await row1.innerText()).toContain('更改成绩，待复核')
    // The desk cannot verify its own decision: no verify button for it.
    expect(await row1.getByRole('button', { name: '复核通过' }).count()).toBe(0)
    const review = f.results.reviews('b1')[0]!
    expect([review.state, review.newScore, review.decidedBy]).toEqual(['changed', 62, desk.id])
    expect(review.steps.at(-1)!.reason).toBe('复核阅卷发现第 3 题漏计 7 分')
    expect(problems.unexpected()).toEqual([])
    await context.close()

    // A score verifier (a second person) sends it back with a reason, in the same dialog; then verifies the desk's
    // second outcome.
    await served.custody.userWith(['verifier'], 'jiaohe')
    const v = await loggedInPage(browser, served, 'jiaohe', { next: '/registrar/results' })
    const vrow = v.page.locator('#reviews-body tr').first()
    await expect.poll(() => vrow.innerText()).toContain('55 → 62')
    expect(await v.page.locator('#request-form').isHidden()).toBe(true)
    await vrow.getByRole('button', { name: '退回' }).click()
    await v.page.locator('#decide-reason').fill('请附阅卷记录')
    await v.page.locator('#decide-dialog').getByRole('button', { name: '确认登记' }).click()
    await expect.poll(() => vrow.innerText()).toContain('核查中')
    const back = f.results.reviews('b1')[0]!
    expect([back.state, back.steps.at(-1)!.action, back.steps.at(-1)!.reason]).toEqual(['in_review', 'send_back', '请附阅卷记录'])
    expect(v.problems.unexpected()).toEqual([])
    await v.context.close()
  })
})
