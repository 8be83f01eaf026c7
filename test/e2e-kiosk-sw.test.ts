// The kiosk's service worker (kiosk/worker/kiosk-sw.ts, served by server/http/pages.ts) in headless Chromium: it
// precaches /kiosk and its files, keeps hashed files cache-first, asks the network first for the page, never
// answers /api/ itself, deletes older kiosk caches, and the page opens with no network and with the server gone.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { KIOSK_WORKER } from '../server/http/pages.ts'
import { describeBrowser, launchBrowser, watchProblems } from './_browser.ts'
import { ORIGIN, makeTestApp } from './_app.ts'

interface WorkerConfig {
  version: string
  page: string
  precache: string[]
  hashed: string[]
}

describeBrowser('kiosk service worker', () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let url = ''
  const seen: string[] = [] // paths the server was asked for
  let origins: readonly string[] = [ORIGIN]
  const custody = makeTestApp({ clock: () => Date.now(), publicOrigins: () => origins })
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (req) => {
      seen.push(new URL(req.url).pathname)
      return custody.app.fetch(req)
    },
  })

  beforeAll(async () => {
    url = `http://127.0.0.1:${server.port}`
    origins = [ORIGIN, url]
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
    page = await context.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await server.stop(true)
    custody.close()
  })

  const workerConfig = async (): Promise<WorkerConfig> => {
    const js = await (await fetch(`${url}${KIOSK_WORKER.url}`)).text()
    return JSON.parse(/^var CUSTODY_SW=(.*);$/m.exec(js)![1]!) as WorkerConfig
  }

  test('installs for /kiosk: the page and its files precached, older kiosk caches deleted, the page controlled', async () => {
    const problems = await watchProblems(context)
    await page.goto(`${url}${KIOSK_WORKER.page}`)
    await page.evaluate(async () => void (await caches.open('custody-kiosk-0000000000000000'))) // left by an earlier deploy
    // The kiosk registers the worker itself; registering again with the same script and scope is the same registration.
    const scope = await page.evaluate(async (w) => (await navigator.serviceWorker.register(w.url, { scope: w.scope })).scope, KIOSK_WORKER)
    expect(scope).toBe(`${url}/kiosk`)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 })

    const config = await workerConfig()
    expect(config.precache[0]).toBe('/kiosk')
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`custody-kiosk-${config.version}`])
    const cached = await page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname),
      `custody-kiosk-${config.version}`,
    )
    expect(cached.sort()).toEqual([...config.precache].sort())
    expect(problems.cspViolations).toEqual([])
  })

  test('online: the page comes from the network, its hashed files from the cache, /api/ from the network', async () => {
    const config = await workerConfig()
    seen.length = 0
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    expect(seen).toContain('/kiosk') // network first
    const scripts = config.precache.filter((p) => p.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    for (const s of scripts) expect(seen, s).not.toContain(s) // cache first: the server is not asked again
    seen.length = 0
    expect(await page.evaluate(async () => (await fetch('/api/log/key')).status)).toBe(200)
    expect(seen).toEqual(['/api/log/key'])
  })

  test('offline, and with the server gone, the page still opens from the worker; /api/ is never answered from a cache', async () => {
    const failed: string[] = []
    page.on('requestfailed', (r) => {
      if (new URL(r.url()).pathname.startsWith('/assets/')) failed.push(r.url())
    })
    await context.setOffline(true)
    await page.reload()
    expect(await page.title()).toMatch(/考场门口核验/)
    expect(await page.locator('#main').count()).toBe(1)
    expect(
      await page.evaluate(async () =>
        fetch('/api/log/key').then(
          (r) => `status ${r.status}`,
          () => 'network error',
        ),
      ),
    ).toBe('network error')
    await context.setOffline(false)

    await server.stop(true) // the server itself is gone: network first falls back to the cached page
    await page.reload()
    expect(await page.title()).toMatch(/考场门口核验/)
    const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily)
    expect(styled).toMatch(/Noto Sans CJK SC/) // the cached stylesheet applied
    expect(
      await page.evaluate(async () =>
        fetch('/api/log/key').then(
          (r) => `status ${r.status}`,
          () => 'network error',
        ),
      ),
    ).toBe('network error')
    expect(failed).toEqual([])
  })
})
