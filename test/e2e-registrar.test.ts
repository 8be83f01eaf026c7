// The registrar console and the printable announcement in real headless Chromium: the lifecycle demo's
// batch (exam tomorrow) with its candidate list filtered, searched and paged, a desk registration with a
// photo, a CSV import refused row by row, review and fee. Every read of the page waits for what it expects.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { loadLifecycleDemo, type LifecycleDemo } from '../server/demo/lifecycle.ts'
import { makeResidentId } from '../server/domain/registration/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import { TEST_PASSWORD } from './_app.ts'
import { DOCS_SHOTS, type PageProblems, type ServedApp, describeBrowser, launchBrowser, serveApp, watchProblems } from './_browser.ts'

const SHOTS = '/tmp/custody-e2e'

describeBrowser('registrar console in Chromium', () => {
  let browser: Browser
  let served: ServedApp
  let demo: LifecycleDemo
  let page: Page
  let problems: PageProblems

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(DOCS_SHOTS, { recursive: true })
    browser = await launchBrowser()
    served = serveApp()
    demo = await loadLifecycleDemo(served.custody.services)
    const r = await served.custody.services.accounts.create(
      { system: 'test' },
      { username: 'wang.min', displayName: '王敏', roles: ['registrar'], password: TEST_PASSWORD },
    )
    if (!r.ok) throw new Error(r.error.code)
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
    problems = await watchProblems(context)
    page = await context.newPage()
    await page.goto(`${served.url}/login?next=/registrar`)
    await page.getByLabel('用户名').fill('wang.min')
    await page.getByLabel('密码', { exact: true }).fill(TEST_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(`${served.url}/registrar`)
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('the home page links to the batches page, which lists the demo batch in Chinese', async () => {
    await page.goto(`${served.url}/home`)
    await page
      .getByRole('link', { name: /认定批次/ })
      .first()
      .click()
    await page.waitForURL(`${served.url}/registrar`)
    await page.getByText('电工（四级）职业技能等级认定（演示）').waitFor()
    await expect.poll(() => page.locator('#batches-body tr').count()).toBe(1)
    await expect.poll(() => page.locator('#batches-body').innerText()).toContain('已公告')
    await expect.poll(() => page.locator('#occ-body').innerText()).toContain('6-31-01-03')
    await page.locator('#new-start').fill('2027-03-15')
    await page.locator('#new-start').dispatchEvent('change')
    await expect.poll(() => page.locator('#deadlines').innerText()).toContain('暂定') // 2027 has no official list yet
    await page.screenshot({ path: `${SHOTS}/registrar.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
  })

  test('the batch page shows the plan, links to its tickets, and pages its 90 approved, paid candidates 25 at a time', async () => {
    await page.getByRole('link', { name: /电工（四级）/ }).click()
    await expect.poll(() => page.locator('#cand-summary').innerText(), { timeout: 10_000 }).toContain('已缴费 90')
    await expect.poll(() => page.locator('#cand-body tr').count()).toBe(25)
    await expect.poll(() => page.locator('#cand-page').innerText()).toBe('第 1 / 4 页 · 第 1–25 名，共 90 名')
    await expect.poll(() => page.locator('#cand-count').innerText()).toBe('90')
    await expect.poll(() => page.locator('#sessions-body').innerText()).toMatch(/09:00–10:30[\s\S]*14:00–17:00/)
    expect(await page.locator('#announcement-link').getAttribute('href')).toMatch(/^\/announcements\//)
    expect(await page.locator('#tickets-link').getAttribute('href')).toMatch(/^\/tickets\?session=/)
    expect(await page.locator('h2#plan-title').innerText()).not.toMatch(/R\d/) // rule ids stay out of headers
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#cand-body img')].every((i) => i.complete))
    await page.screenshot({ path: `${DOCS_SHOTS}/registrar-batch.png`, fullPage: true })
    expect(await page.locator('#cand-prev').isDisabled()).toBe(true)
    const firstPage = await page.locator('#cand-body tr').first().getAttribute('data-candidate')
    await page.locator('#cand-next').click()
    await expect.poll(() => page.locator('#cand-page').innerText()).toBe('第 2 / 4 页 · 第 26–50 名，共 90 名')
    expect(await page.locator('#cand-body tr').first().getAttribute('data-candidate')).not.toBe(firstPage)
    await page.locator('#cand-next').click()
    await expect.poll(() => page.locator('#cand-page').innerText()).toContain('第 3 / 4 页')
    await page.locator('#cand-next').click()
    await expect.poll(() => page.locator('#cand-page').innerText()).toBe('第 4 / 4 页 · 第 76–90 名，共 90 名')
    await expect.poll(() => page.locator('#cand-body tr').count()).toBe(15)
    expect(await page.locator('#cand-next').isDisabled()).toBe(true)
    expect(problems.unexpected()).toEqual([])
  })

  test('the list filters by status and searches by name, and says so when nothing matches', async () => {
    await page.locator('#cand-status').selectOption('registered')
    await expect.poll(() => page.locator('#cand-body').innerText()).toContain('没有符合条件的考生')
    await page.locator('#cand-status').selectOption('paid')
    await expect.poll(() => page.locator('#cand-page').innerText()).toBe('第 1 / 4 页 · 第 1–25 名，共 90 名')
    const name = (await page.locator('#cand-body tr').nth(3).locator('td').nth(1).innerText()).trim()
    await page.locator('#cand-q').fill(name)
    await page.locator('#cand-q').press('Enter')
    await expect.poll(() => page.locator('#cand-page').innerText()).toMatch(/共 \d+ 名/)
    await expect.poll(async () => (await page.locator('#cand-body tr').allInnerTexts()).every((t) => t.includes(name))).toBe(true)
    expect(await page.locator('#cand-body tr').count()).toBeGreaterThan(0)
    await page.locator('#cand-q').fill('没有这个人')
    await page.locator('#cand-search').click()
    await expect.poll(() => page.locator('#cand-body').innerText()).toContain('没有符合条件的考生')
    await page.locator('#cand-q').fill('')
    await page.locator('#cand-status').selectOption('')
    await expect.poll(() => page.locator('#cand-page').innerText()).toBe('第 1 / 4 页 · 第 1–25 名，共 90 名')
    expect(problems.unexpected()).toEqual([])
  })

  test('a desk registration with a photo, then approval and the fee', async () => {
    const id = makeResidentId('500103', '1991-05-17', 333)
    await page.locator('#r-name').fill('欧阳明')
    await page.locator('#r-id').fill(id)
    await page.locator('#r-unit').fill('重庆某电力技术培训学校')
    await page.locator('#r-photo').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(makeDemoPhotoPng(240, 320, 'oy', 'TEST')) })
    await page.locator('#desk-submit').click()
    await page.locator('#desk-alert').getByText('已登记 欧阳明').waitFor()
    await page.locator('#cand-q').fill('欧阳明') // the newest registration is on the last page: find it
    await page.locator('#cand-q').press('Enter')
    await expect.poll(() => page.locator('#cand-page').innerText()).toContain('共 1 名')
    const row = page.locator('#cand-body tr', { hasText: '欧阳明' })
    await row.getByRole('button', { name: '通过', exact: true }).click()
    await row.getByRole('button', { name: '登记缴费' }).waitFor()
    await row.getByRole('button', { name: '登记缴费' }).click()
    await page.locator('#pay-invoice').fill('FP-E2E-0001')
    await page.locator('#pay-submit').click()
    await expect.poll(() => row.innerText()).toContain('FP-E2E-0001')
    // The list shows the ID number masked; the candidate's own view shows it whole, and the server logs that view.
    await expect.poll(() => row.innerText()).toContain(`${id.slice(0, 4)}**********${id.slice(-4)}`)
    expect(await row.innerText()).not.toContain(id)
    const log = served.custody.services.log
    const before = log.size()
    await row.getByRole('button', { name: '完整信息' }).click()
    await expect.poll(() => page.locator('#person-facts').innerText()).toContain(id)
    await expect.poll(() => page.locator('#person-facts').innerText()).toContain('1991-05-17')
    expect(log.entry(before)!.event).toMatchObject({ action: 'candidate.personal_data_viewed', actor: { name: 'wang.min' } })
    await page.locator('#person-dialog [data-close]').click()
    expect(problems.unexpected()).toEqual([])
  })

  test('a CSV with a bad row imports nothing and shows the row error report', async () => {
    const good = makeResidentId('500103', '1992-01-02', 101)
    const bad = makeResidentId('500103', '1992-01-03', 103).slice(0, 17) + 'X'
    const csv = `姓名,身份证号,职业编码,申报等级\n甲,${good},6-31-01-03,四级\n乙,${bad},6-31-01-03,四级\n`
    await page.locator('#i-file').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('#import-submit').click()
    await page.locator('#import-report').waitFor()
    await expect.poll(() => page.locator('#import-errors').innerText()).toContain('身份证号')
    const report = await page.locator('#import-errors').innerText()
    expect(report).toContain('3')
    expect(report).toMatch(/id\.check_digit|id\.area|id\./)
    await expect.poll(() => page.locator('#cand-count').innerText()).toBe('91') // nothing imported
    await page
      .locator('#import-title')
      .locator('..')
      .screenshot({ path: `${SHOTS}/registrar-import-errors.png` })
    expect(problems.unexpected([422])).toEqual([])
  })

  test('the announcement prints as an A4 page in Chinese', async () => {
    const href = await page.locator('#announcement-link').getAttribute('href')
    const p = await page.context().newPage()
    await p.goto(`${served.url}${href}`)
    await expect.poll(() => p.locator('h1').innerText()).toContain('职业技能等级认定公告')
    await expect.poll(() => p.locator('table').innerText()).toContain('操作技能')
    await p.emulateMedia({ media: 'print' })
    await p.screenshot({ path: `${SHOTS}/announcement.png`, fullPage: true })
    const pdf = await p.pdf({ format: 'A4' })
    expect(pdf.length).toBeGreaterThan(10_000)
    expect(demo.batchId).toBeTruthy()
    expect(problems.unexpected([422])).toEqual([])
  })

  test('a new batch from the form: draft, plan, filing and announcement, each answered by the server', async () => {
    await page.goto(`${served.url}/registrar`)
    await page.locator('#new-title-input').fill('2027年第一批电工（五级）认定')
    await page.locator('#new-start').fill('2027-03-15')
    await page.locator('#new-fee').fill('180')
    await page.locator('#new-submit').click()
    await page.waitForURL(/\/registrar\/batch\?id=/)
    await page.locator('#draft-card').waitFor()
    await expect.poll(() => page.locator('#file-hint').innerText()).toContain('2027-03-01')

    // Filing an incomplete plan: the server names what is missing (R2.2).
    await page.locator('#f-ref').fill('渝职鉴备〔2026〕E2E号')
    await page.locator('#file-submit').click()
    await expect.poll(() => page.locator('#file-alert').innerText()).toContain('缺少：地点')
    await page.locator('#f-date').fill('2026-01-05') // the centre's date, kept beside today's only with its reference

    await page.locator('#d-place').fill('实训楼 A 区')
    await page.locator('#d-method').fill('理论知识闭卷笔试；操作技能实际操作')
    await page.locator('#d-scope').fill('社会人员')
    await page.locator('#d-expected').fill('30')
    await page.locator('#d-examiners').fill('2')
    await page.locator('#d-invigilators').fill('2')
    await page.locator('#d-supervisors').fill('1')
    const times = page.locator('#d-sessions input')
    expect(await times.count()).toBe(6) // theory and practical: date, start, end
    for (const [i, v] of ['09:00', '10:30', '', '14:00', '17:00'].entries()) if (v) await times.nth(i + 1).fill(v)
    await page.locator('#draft-submit').click()
    await expect.poll(() => page.locator('#draft-alert').innerText()).toContain('计划已保存')
    await expect.poll(() => page.locator('#sessions-body').innerText()).toContain('2027-03-15 14:00–17:00')

    await page.locator('#file-submit').click()
    await expect.poll(() => page.locator('#file-alert').innerText()).toContain('载明该日期的文件编号')
    await page.locator('#f-date').fill('')
    await page.locator('#file-submit').click()
    await page.locator('#announce-card').waitFor()
    await expect.poll(() => page.locator('#batch-status').innerText()).toBe('已报备')
    await expect
      .poll(() => page.locator('#plan-facts').innerText())
      .toContain(`${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}（渝职鉴备〔2026〕E2E号）`)
    await page.locator('#a-content').fill('依据国家职业技能标准进行理论知识考试和操作技能考核')
    await page.locator('#a-place').fill('继续教育与培训学院 101室')
    await page.locator('#a-until').fill('2027-03-01')
    await page.locator('#a-how').fill('携带身份证、原证书和工作年限证明')
    await page.locator('#announce-submit').click()
    await page.locator('#register-area').waitFor()
    await expect.poll(() => page.locator('#batch-status').innerText()).toBe('已公告')
    await expect.poll(() => page.locator('#cand-body').innerText()).toContain('还没有考生报名')
    expect(problems.unexpected([422])).toEqual([])
  })
})
