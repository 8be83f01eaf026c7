/**
 * Browser test fixtures: Debian's Chromium driven by playwright-core, and the app served on a free port.
 * Without /usr/bin/chromium the browser suites are skipped with the reason printed, unless
 * CUSTODY_REQUIRE_BROWSER=1 (CI), which turns the absence into a failure.
 */
import { existsSync } from 'node:fs'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { describe } from 'vitest'
import type { AppDeps } from '../server/app.ts'
import { ORIGIN, TEST_PASSWORD, type TestApp, makeTestApp } from './_app.ts'

export const CHROMIUM_PATH = process.env.CUSTODY_CHROMIUM ?? '/usr/bin/chromium'
export const browserRequired = process.env.CUSTODY_REQUIRE_BROWSER === '1'
export const browserAvailable = existsSync(CHROMIUM_PATH)

/**
 * Where the README's screenshots go: docs/screenshots only when asked (CUSTODY_DOCS_SCREENSHOTS=1 npm test), so an
 * ordinary run leaves the working tree as it was; otherwise a scratch folder.
 */
export const DOCS_SHOTS = process.env.CUSTODY_DOCS_SCREENSHOTS === '1' ? new URL('../docs/screenshots', import.meta.url).pathname : '/tmp/custody-e2e/docs'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

/** `describe` for suites that need the browser: skipped (and said so) when there is none. */
export function describeBrowser(name: string, fn: () => void): void {
  if (browserAvailable || browserRequired) {
    describe(name, fn)
    return
  }
  console.warn(
    `[e2e] SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH} ` +
      '(apt-get install chromium fonts-noto-cjk). Set CUSTODY_REQUIRE_BROWSER=1 to make this a failure.',
  )
  describe.skip(name, fn)
}

/**
 * Starts headless Chromium; playwright keeps a throwaway profile of its own. `args` are added to the usual flags
 * (a fake camera, for instance).
 */
export async function launchBrowser(args: readonly string[] = []): Promise<Browser> {
  if (!browserAvailable) throw new Error(`CUSTODY_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH}`)
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...args] })
}

export interface ServedApp {
  url: string
  custody: TestApp
  stop(): Promise<void>
}

/**
 * The in-memory test app on a real socket. The browser keeps cookies by wall-clock time, so the app
 * runs on the real clock here (the fixed test clock would hand out cookies that expired already).
 */
export function serveApp(overrides: Partial<AppDeps> = {}): ServedApp {
  let origins: readonly string[] = [ORIGIN] // the browser's origin joins once the port is known (CSRF: decision 007)
  const custody = makeTestApp({ clock: () => Date.now(), publicOrigins: () => origins, ...overrides })
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: custody.app.fetch })
  origins = [ORIGIN, `http://127.0.0.1:${server.port}`]
  return {
    url: `http://127.0.0.1:${server.port}`,
    custody,
    stop: async () => {
      await server.stop(true)
      custody.close()
    },
  }
}

/** What a page did wrong: script errors, CSP violations, console errors. */
export interface PageProblems {
  pageErrors: string[]
  cspViolations: string[]
  consoleErrors: string[]
  /** Console errors other than the browser's note of an HTTP status we provoked on purpose. */
  unexpected(allowedStatuses?: number[]): string[]
}

/** Records every problem on pages of this context (a new page's problems included). */
export async function watchProblems(context: BrowserContext): Promise<PageProblems> {
  const problems: PageProblems = {
    pageErrors: [],
    cspViolations: [],
    consoleErrors: [],
    unexpected(allowed = []) {
      const expected = (m: string) => allowed.some((s) => m.includes(`the server responded with a status of ${s}`))
      return [...this.pageErrors, ...this.cspViolations, ...this.consoleErrors.filter((m) => !expected(m))]
    },
  }
  // The init script runs before any page script, so a violation on the first paint is seen too.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`),
    )
  })
  const watch = (page: Page) => {
    page.on('pageerror', (err) => problems.pageErrors.push(`${page.url()}: ${err.message}`))
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return
      const text = `${page.url()}: ${msg.text()}`
      if (/CSP violation|Content Security Policy/i.test(msg.text())) problems.cspViolations.push(text)
      else problems.consoleErrors.push(text)
    })
  }
  context.pages().forEach(watch)
  context.on('page', watch)
  return problems
}

/**
 * A person in their own browser context (zh-CN, a desk-sized window), logged in through the login page as
 * people do; resolves once the page after login (`next`, default /home) has loaded.
 */
export async function loggedInPage(
  browser: Browser,
  served: ServedApp,
  username: string,
  opts: { next?: string; password?: string } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const problems = await watchProblems(context)
  const page = await context.newPage()
  await page.goto(`${served.url}/login${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(opts.password ?? TEST_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(`${served.url}${opts.next ?? '/home'}`)
  return { context, page, problems }
}
