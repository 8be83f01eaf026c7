// The /log page in real headless Chromium with an outside witness: the cosignature is checked in the browser,
// the page remembers the checkpoint it verified (localStorage) and checks a consistency proof on the next
// visit; a log whose history was rewritten behind the same address is shown as such, loudly, Chinese first.
import { type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { TEST_PASSWORD, makeTestApp, type TestApp } from './_app.ts'
import { type PageProblems, describeBrowser, launchBrowser, watchProblems } from './_browser.ts'
import { MemoryWitnessState, createWitness } from '../server/witness/index.ts'
import { ed25519, sha256, utf8 } from '../crypto/index.ts'
import { formatVkey } from '../audit/index.ts'
import { testLogKey } from './_app.ts'

const LOG = testLogKey()
const witness = createWitness({
  key: { name: 'witness.test/e2e', privateKey: sha256(utf8('e2e witness')) },
  logKeys: [formatVkey(LOG.name, ed25519.publicKey(LOG.privateKey))],
  state: new MemoryWitnessState(),
  say: () => {},
})

/** A log server on a fixed port, so a second (rewritten) one can take the same address and browser storage. */
function serveOn(port: number): { custody: TestApp; url: string; stop: () => Promise<void>; port: number } {
  let origins: readonly string[] = []
  const custody = makeTestApp({
    clock: () => Date.now(),
    publicOrigins: () => origins,
    witnesses: [{ url: 'in-process:witness', vkey: witness.vkey, fetch: (req) => witness.app.fetch(req) }],
  })
  const server = Bun.serve({ port, hostname: '127.0.0.1', fetch: custody.app.fetch })
  origins = [`http://127.0.0.1:${server.port}`]
  return {
    custody,
    port: server.port!,
    url: `http://127.0.0.1:${server.port}`,
    stop: async () => {
      await server.stop(true)
      custody.close()
    },
  }
}

async function addUsers(custody: TestApp, prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await custody.services.accounts.create(
      { system: 'test' },
      { username: `${prefix}${i}`, displayName: `${prefix}${i}`, roles: ['supervisor'], password: TEST_PASSWORD },
    )
}

async function login(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/login?next=${encodeURIComponent('/log')}`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(`${url}/log`)
  await expect.poll(() => page.locator('#log-area').isVisible()).toBe(true)
}

describeBrowser('/log in Chromium with an outside witness: cosignature and remembered history', () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let problems: PageProblems
  let served: ReturnType<typeof serveOn>

  beforeAll(async () => {
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    problems = await watchProblems(context)
    page = await context.newPage()
    served = serveOn(0)
    await addUsers(served.custody, 'dudao', 2)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('first visit: the witness cosignature verifies in the browser and the checkpoint is remembered', async () => {
    await login(page, served.url, 'dudao0')
    const w = page.locator('#cp-witnesses li[data-witness="witness.test/e2e"] .verdict')
    await expect.poll(() => w.getAttribute('data-state')).toBe('verified')
    expect(await w.innerText()).toContain('已联署此检查点')
    expect(await page.locator('#cp-history').getAttribute('data-state')).toBe('first')
    expect(await page.locator('#cp-history').innerText()).toContain('本浏览器首次核验此日志')
  })

  test('next visit after the log grew: the consistency proof from the remembered checkpoint is checked', async () => {
    await addUsers(served.custody, 'zengjia', 3)
    await page.reload()
    await expect.poll(() => page.locator('#cp-history').getAttribute('data-state')).toBe('extended')
    expect(await page.locator('#cp-history').innerText()).toContain('一致性证明已在本机验证')
    expect(await page.locator('#history-alert').isHidden()).toBe(true)
  })

  test('a log rewritten behind the same address is shown as rewritten, loudly, Chinese first; the witness refuses it too', async () => {
    const port = served.port
    await served.stop()
    served = serveOn(port) // same key and origin, another history, longer than the one the browser saw
    await addUsers(served.custody, 'dudao', 2)
    await addUsers(served.custody, 'weizao', 9)
    await login(page, served.url, 'dudao0')
    const alert = page.locator('#history-alert')
    await expect.poll(() => alert.isVisible()).toBe(true)
    expect(await alert.getAttribute('role')).toBe('alert')
    const text = await alert.innerText()
    expect(text.indexOf('警告：此日志的历史已被改写')).toBe(0)
    expect(text).not.toContain('WARNING') // Chinese mode speaks Chinese; the English is the language switch away
    expect(await alert.locator('.alert__main').getAttribute('data-en')).toContain("WARNING: this log's history has been rewritten")
    expect(await page.locator('#cp-history').getAttribute('data-state')).toBe('rewritten')
    // The witness saw the same rewrite and did not cosign it.
    expect(await page.locator('#cp-witnesses li[data-witness="witness.test/e2e"] .verdict').getAttribute('data-state')).toBe('refused')
    expect(await page.locator('#cp-witnesses').innerText()).toContain('见证方拒绝联署此检查点')
    expect(await page.locator('#cp-witnesses').innerText()).toContain('witness.inconsistent')
    // The warning stays on the next visit: the rewritten log is not remembered as good.
    await page.reload()
    await expect.poll(() => alert.isVisible()).toBe(true)
    await page.getByRole('button', { name: 'English' }).click()
    expect(await alert.innerText()).toContain("WARNING: this log's history has been rewritten")
    expect(problems.unexpected()).toEqual([])
  })
})
