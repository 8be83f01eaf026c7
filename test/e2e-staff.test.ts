// The staff pages in real headless Chromium, as one working day's story: the administrator creates a
// supervisor, the new supervisor replaces the one-time password at first login, a second person (a
// supervisor already there) confirms the role with the holder typing their own password in front of them,
// the new supervisor reads the custody log and checks a proof, and cannot reach the
// user list. The tests run in order and share the server (the supervisor of the later tests is created in test 2).
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { TEST_PASSWORD } from './_app.ts'
import { type PageProblems, type ServedApp, describeBrowser, launchBrowser, serveApp, watchProblems } from './_browser.ts'

const SHOTS = '/tmp/custody-e2e'
const SUPERVISOR = { username: 'zhao.du', name: '赵督导', password: 'supervise-2026!', own: 'lantern granite 7 orbit' }
const SECOND = { username: 'sun.du', name: '孙督导' }
const CJK = /[\u3400-\u9fff]/

describeBrowser('staff pages in Chromium', () => {
  let browser: Browser
  let served: ServedApp

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    browser = await launchBrowser()
    served = serveApp()
    const r = await served.custody.services.accounts.create(
      { system: 'test' },
      { username: 'admin', displayName: '王芳', roles: ['admin'], password: TEST_PASSWORD },
    )
    if (!r.ok) throw new Error(r.error.code)
    const second = await served.custody.services.accounts.create(
      { system: 'test' },
      { username: SECOND.username, displayName: SECOND.name, roles: ['supervisor'], password: TEST_PASSWORD },
    )
    if (!second.ok) throw new Error(second.error.code)
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  /** A fresh browser profile (no cookies), its problems recorded, the first page open. */
  async function session(): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' })
    const problems = await watchProblems(context)
    return { context, page: await context.newPage(), problems }
  }

  /** The font families Chromium actually drew this element's text with. */
  async function renderedFonts(page: Page, selector: string): Promise<string[]> {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
    await cdp.detach()
    return fonts.map((f) => f.familyName)
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${served.url}/login`)
    await page.getByLabel('用户名').fill(username)
    await page.getByLabel('密码', { exact: true }).fill(password)
    await page.getByRole('button', { name: '登录' }).click()
  }

  test('/ sends a visitor to the login page, which is in Chinese first and switches to English and back', async () => {
    const { context, page, problems } = await session()
    await page.goto(`${served.url}/`)
    await expect.poll(() => page.url()).toBe(`${served.url}/login`)
    await expect.poll(() => page.locator('#lang-toggle').count()).toBe(1) // the script has run
    expect(await page.locator('h1').textContent()).toBe('工作人员登录')
    expect(await page.title()).toBe('登录 · 试卷保密管理系统')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await page.locator('label[for="username"]').textContent()).toBe('用户名')
    expect(await page.locator('.brand__name').textContent()).toBe('试卷保密管理系统')
    // The Chinese text is drawn with a CJK font from the stack, not tofu boxes.
    expect(await renderedFonts(page, 'h1')).toContain('Noto Sans CJK SC')
    await page.screenshot({ path: `${SHOTS}/login.png`, fullPage: true })

    await page.getByRole('button', { name: 'Switch to English' }).click()
    expect(await page.locator('h1').textContent()).toBe('Staff login')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    // Every visible string has its English: only the switch back names 中文.
    const visible = (await page.locator('body').innerText()).replace('中文', '')
    expect(visible).not.toMatch(CJK)
    await page.reload()
    expect(await page.locator('h1').textContent()).toBe('Staff login') // remembered on this device
    expect(await page.title()).toBe('Log in · Exam Paper Custody')
    await page.screenshot({ path: `${SHOTS}/login-en.png`, fullPage: true })
    await page.getByRole('button', { name: '切换到中文' }).click()
    expect(await page.locator('h1').textContent()).toBe('工作人员登录')

    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test('a wrong password shows the server message in Chinese only (the English kept for English mode), and stays on /login', async () => {
    const { context, page, problems } = await session()
    await logIn(page, 'admin', 'not the password')
    const alert = page.locator('#login-alert')
    await expect.poll(() => alert.isVisible()).toBe(true)
    expect(await alert.locator('.alert__main').textContent()).toBe('用户名或密码错误')
    expect(await alert.locator('.alert__en').count()).toBe(0) // Chinese mode speaks Chinese only
    expect(await alert.locator('.alert__main').getAttribute('data-en')).toBe('Wrong username or password')
    expect(await alert.getAttribute('role')).toBe('alert')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.getByLabel('密码', { exact: true }).inputValue()).toBe('') // cleared for the next try
    await page.screenshot({ path: `${SHOTS}/login-error.png`, fullPage: true })
    expect(problems.unexpected([401])).toEqual([])
    await context.close()
  })

  test('after too many wrong passwords the login page says how long to wait and holds the button', async () => {
    const { context, page, problems } = await session()
    await page.goto(`${served.url}/login`)
    const attempt = async (password: string) => {
      await page.getByLabel('用户名').fill('ghost')
      await page.getByLabel('密码', { exact: true }).fill(password)
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST')
      await page.getByRole('button', { name: '登录' }).click()
      return (await answered).status()
    }
    for (let i = 0; i < 5; i++) expect(await attempt(`wrong password ${i}`)).toBe(401)
    expect(await attempt('wrong password 6')).toBe(429)
    const main = page.locator('#login-alert .alert__main')
    await expect.poll(() => main.textContent()).toMatch(/^登录失败次数过多，请稍后再试。请在约 \d+ 分钟后再试。$/)
    expect(await page.locator('#login-alert .alert__main').getAttribute('data-en')).toMatch(
      /^Too many failed logins; try again later\. Try again in about \d+ minutes\.$/,
    )
    expect(await page.getByRole('button', { name: '登录' }).isDisabled()).toBe(true)
    await page.screenshot({ path: `${SHOTS}/login-rate-limited.png`, fullPage: true })
    await page.getByLabel('用户名').fill('someone.else') // the wait is per account
    expect(await page.getByRole('button', { name: '登录' }).isEnabled()).toBe(true)
    expect(problems.unexpected([401, 429])).toEqual([])
    await context.close()
  })

  test('the administrator logs in, sees a refusal inline, creates a supervisor with the form, and logs out', async () => {
    const { context, page, problems } = await session()
    await logIn(page, 'admin', TEST_PASSWORD)
    await expect.poll(() => page.url()).toBe(`${served.url}/home`)
    await expect.poll(() => page.locator('#home').isVisible()).toBe(true)
    expect(await page.locator('#display-name').textContent()).toBe('王芳')
    expect(await page.locator('#roles').innerText()).toContain('系统管理员')
    const tiles = await page.locator('#features a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    expect(tiles).toEqual([
      '/admin/users',
      '/admin/keys',
      '/admin/kiosks',
      '/registrar',
      '/rooms',
      '/tickets',
      '/supervisor',
      '/supervisor/live',
      '/certificates',
      '/statistics',
      '/log',
      '/api/docs',
    ])
    await page.screenshot({ path: `${SHOTS}/home-admin.png`, fullPage: true })

    await page
      .locator('#features')
      .getByRole('link', { name: /用户管理/ })
      .click()
    await expect.poll(() => page.locator('#users-area').isVisible()).toBe(true)
    expect(await page.locator('#users-body tr').count()).toBe(2)
    expect(await page.locator('tr[data-username="admin"] .you').textContent()).toBe('您')
    // One's own roles are not editable; administrator and custodian exclude each other, with the reason.
    await page.locator('tr[data-username="admin"] [data-action="edit"]').click()
    expect(await page.locator('#edit-role-registrar').isDisabled()).toBe(true)
    expect(await page.locator('#edit-self-note').isVisible()).toBe(true)
    await page.locator('#edit-dialog [data-close]').click()
    const form0 = page.locator('#create-form')
    await form0.getByRole('checkbox', { name: /系统管理员/ }).check()
    expect(await form0.getByRole('checkbox', { name: /试卷保密管理员/ }).isDisabled()).toBe(true)
    expect(await page.locator('#new-role-why').textContent()).toContain('系统管理员、督导人员不能兼任试卷保密管理员或监考人员')
    await form0.getByRole('checkbox', { name: /系统管理员/ }).uncheck()
    expect(await form0.getByRole('checkbox', { name: /试卷保密管理员/ }).isEnabled()).toBe(true)

    // A password that is too short: the server's refusal, shown beside the form.
    const form = page.locator('#create-form')
    await form.getByLabel('用户名').fill(SUPERVISOR.username)
    await form.getByLabel('姓名').fill(SUPERVISOR.name)
    await form.getByLabel('初始密码').fill('short')
    await form.getByRole('checkbox', { name: /督导人员/ }).check()
    await form.getByRole('button', { name: '创建用户' }).click()
    const createAlert = page.locator('#create-alert')
    await expect.poll(() => createAlert.locator('.alert__main').textContent()).toMatch(/^密码至少需要 12 个字符/)
    expect(await createAlert.locator('.alert__main').getAttribute('data-en')).toMatch(/^The password needs at least 12 characters/)

    await form.getByLabel('初始密码').fill(SUPERVISOR.password)
    await form.getByRole('button', { name: '创建用户' }).click()
    await expect
      .poll(() => createAlert.textContent())
      .toMatch(new RegExp(`^已创建用户 ${SUPERVISOR.username}。系统管理员、试卷保密管理员、督导人员角色须由另一名管理员或督导人员确认后生效`))
    const row = page.locator(`tr[data-username="${SUPERVISOR.username}"]`)
    expect(await row.innerText()).toContain(SUPERVISOR.name)
    // Not a supervisor yet: the role waits for a second person, in the card of pending role changes.
    expect(await row.innerText()).not.toContain('督导人员')
    const created = served.custody.services.accounts.list().find((u) => u.username === SUPERVISOR.username)
    expect(created?.roles).toEqual([])
    const pendingRow = page.locator(`#role-changes tr[data-for="${SUPERVISOR.username}"]`)
    await expect.poll(() => pendingRow.innerText()).toContain('督导人员')
    expect(await pendingRow.locator('[data-action="confirm"]').count()).toBe(0) // the proposer cannot confirm
    expect(await pendingRow.innerText()).toContain('由您提出，须由他人确认')
    await page.screenshot({ path: `${SHOTS}/admin-users.png`, fullPage: true })

    await page.getByRole('button', { name: '退出登录' }).click()
    await expect.poll(() => page.url()).toBe(`${served.url}/login`)
    await page.goto(`${served.url}/admin/users`) // the session is gone: back to the login, and back here after it
    await expect.poll(() => page.url()).toBe(`${served.url}/login?next=%2Fadmin%2Fusers`)

    expect(problems.unexpected([400])).toEqual([])
    await context.close()
  })

  test("the new supervisor's first login asks for their own password; the one-time password then no longer works", async () => {
    const { context, page, problems } = await session()
    await page.goto(`${served.url}/login?next=/%09/evil.example/x`) // a tab the browser drops: //evil.example
    await page.getByLabel('用户名').fill(SUPERVISOR.username)
    await page.getByLabel('密码', { exact: true }).fill(SUPERVISOR.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect.poll(() => page.locator('#change-card').isVisible()).toBe(true)
    expect(await page.locator('#current-field').isHidden()).toBe(true) // the one-time password was just typed
    await page.getByLabel('新密码', { exact: true }).fill(SUPERVISOR.own)
    await page.getByLabel('再次输入新密码').fill(SUPERVISOR.own)
    await page.screenshot({ path: `${SHOTS}/login-change-password.png`, fullPage: true })
    await page.getByRole('button', { name: '保存我的密码' }).click()
    // next pointed off the origin: the user lands at home instead
    await expect.poll(() => page.url()).toBe(`${served.url}/home`)
    const r = await served.custody.services.accounts.login(SUPERVISOR.username, SUPERVISOR.password, 'e2e')
    expect(r.ok).toBe(false)
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test('a second person (another supervisor) confirms the role on /supervisor', async () => {
    const { context, page, problems } = await session()
    await logIn(page, SECOND.username, TEST_PASSWORD)
    await expect.poll(() => page.url()).toBe(`${served.url}/home`)
    await page.goto(`${served.url}/supervisor`)
    const pendingRow = page.locator(`#role-changes tr[data-for="${SUPERVISOR.username}"]`)
    await expect.poll(() => pendingRow.isVisible()).toBe(true)
    expect(await pendingRow.innerText()).toContain('王芳') // proposed by, by name
    // the holder is present and types the password they chose themself (decision 005)
    await pendingRow.locator('[data-field="holder-password"]').fill(SUPERVISOR.own)
    await pendingRow.locator('[data-action="confirm"]').click()
    await expect.poll(() => page.locator('#role-changes .alert__main').textContent()).toBe(`已确认：${SUPERVISOR.name} 的角色已变更`)
    const confirmed = served.custody.services.accounts.list().find((u) => u.username === SUPERVISOR.username)
    expect(confirmed?.roles).toEqual(['supervisor'])
    await page.screenshot({ path: `${SHOTS}/supervisor-role-changes.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test("the supervisor opens /log, sees the events, and an entry's inclusion proof verifies in the browser", async () => {
    const { context, page, problems } = await session()
    await logIn(page, SUPERVISOR.username, SUPERVISOR.own)
    await expect.poll(() => page.locator('#home').isVisible()).toBe(true)
    const tiles = await page.locator('#features a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    expect(tiles).toEqual([
      '/admin/kiosks',
      '/rooms',
      '/tickets',
      '/supervisor',
      '/supervisor/live',
      '/scores',
      '/registrar/results',
      '/certificates',
      '/statistics',
      '/log',
    ]) // no link to what the role may not do

    await page
      .locator('#features')
      .getByRole('link', { name: /审计日志/ })
      .click()
    await expect.poll(() => page.locator('#log-area').isVisible()).toBe(true)
    const log = served.custody.services.log
    const size = Number((await page.locator('#cp-size').textContent())!.replace(/,/g, ''))
    expect(size).toBeGreaterThanOrEqual(4) // admin created, logged in and out, supervisor created and logged in
    expect(await page.locator('#cp-root').textContent()).toBe(Buffer.from(log.root(size)).toString('hex'))
    expect(await page.locator('#cp-signature').getAttribute('data-state')).toBe('verified')

    const actions = await page.locator('#entries-body .action[data-action]').evaluateAll((xs) => xs.map((x) => x.getAttribute('data-action')))
    expect(actions).toContain('user.created')
    expect(actions).toContain('session.opened')
    // Every action by its name from the one table, never a bare code; people by display name, the username small beside it.
    expect(await page.locator('#entries-body .action__code').count()).toBe(0)
    const loginRow = page.locator('#entries-body tr', { has: page.locator('.action[data-action="session.opened"]') }).first()
    expect(await loginRow.locator('.action').innerText()).toBe('登录')
    expect(await loginRow.locator('.who strong').innerText()).toBe(SUPERVISOR.name)
    expect(await loginRow.locator('.who .person__username').innerText()).toBe(SUPERVISOR.username)
    expect(await page.locator('#entries-body tr').first().getAttribute('data-index')).toBe(String(size - 1)) // newest first
    const times = await page.locator('#entries-body td:nth-child(2)').allTextContents()
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 北京时间$/)
    await page.screenshot({ path: `${SHOTS}/log.png`, fullPage: true })

    const createdRow = page.locator('#entries-body tr', { has: page.locator('.action[data-action="user.created"]') }).first()
    await createdRow.click()
    const status = page.locator('#proof-status')
    await expect.poll(() => status.getAttribute('data-state')).toBe('verified')
    expect(await status.textContent()).toMatch(/^包含证明已验证：条目 #\d+ 在已签名的检查点（\d+ 条）之中$/)
    const json = await page.locator('#entry-json').textContent()
    expect(JSON.parse(json!)).toMatchObject({ action: 'user.created', data: { username: SUPERVISOR.username, roles: [], oneTimePassword: true } })
    expect(await page.locator('#entry-proof li').count()).toBeGreaterThan(0)
    await page.screenshot({ path: `${SHOTS}/log-entry.png`, fullPage: true })

    await page.getByRole('button', { name: 'English' }).click()
    expect(await status.textContent()).toMatch(/^Inclusion proof verified: entry #\d+ is in the signed checkpoint of size \d+$/)
    await page.getByRole('button', { name: '切换到中文' }).click()

    // The verdict is the browser's own: a proof with one hash changed is rejected.
    await page.route('**/api/log/proof/inclusion*', async (route) => {
      const res = await route.fetch()
      const body = (await res.json()) as { proof: string[] }
      const first = Buffer.from(body.proof[0]!, 'base64')
      first[0] ^= 1
      body.proof[0] = first.toString('base64')
      await route.fulfill({ response: res, json: body })
    })
    await page.locator('#entries-body tr').nth(1).click()
    await expect.poll(() => status.getAttribute('data-state')).toBe('failed')
    expect(await status.textContent()).toContain('包含证明未通过')

    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test('a supervisor opening /admin/users sees the 403 refusal and no user data', async () => {
    const { context, page, problems } = await session()
    await logIn(page, SUPERVISOR.username, SUPERVISOR.own)
    await expect.poll(() => page.url()).toBe(`${served.url}/home`)
    await page.goto(`${served.url}/admin/users`)
    const problem = page.locator('#page-problem')
    await expect.poll(() => problem.isVisible()).toBe(true)
    expect(await problem.locator('.alert__main').textContent()).toBe('您的角色无权执行此操作')
    expect(await problem.locator('.alert__main').getAttribute('data-en')).toBe('Your role may not do this')
    expect(await page.locator('#users-area').isHidden()).toBe(true)
    expect(await page.locator('#users-body tr').count()).toBe(0)
    expect(await page.locator('body').innerText()).not.toContain('王芳')
    await page.screenshot({ path: `${SHOTS}/admin-users-forbidden.png`, fullPage: true })
    expect(problems.unexpected([403])).toEqual([])
    await context.close()
  })
})
