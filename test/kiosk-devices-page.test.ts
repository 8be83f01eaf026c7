// The door-tablet page (/admin/kiosks) and the ticket key rotation on /admin/keys, in real headless Chromium:
// an administrator makes an enrolment code (shown large, with its QR), a tablet redeems it, a supervisor revokes
// it with a reason; the administrator rotates the ticket key after a clear confirmation.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { toBase64 } from '../crypto/index.ts'
import { type PageProblems, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { eventsSince } from './_rooms-fixture.ts'

describeBrowser('door tablets and the ticket key ring in Chromium', () => {
  let browser: Browser
  let served: ServedApp
  let admin: { page: Page; problems: PageProblems }
  let siteName: string

  beforeAll(async () => {
    browser = await launchBrowser()
    served = serveApp()
    await served.custody.userWith(['admin'], 'guanliyuan')
    await served.custody.userWith(['supervisor'], 'dudao')
    const site = served.custody.services.rooms.createSite({ system: 'test' }, { name: '重庆工业职业技术学院考点', address: '重庆市' })
    if (!site.ok) throw new Error(site.error.code)
    siteName = site.value.name
    admin = await loggedInPage(browser, served, 'guanliyuan')
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('the administrator makes a code for a site: shown large once with its QR; a tablet enrols with it and is listed', async () => {
    const { page, problems } = admin
    await page.locator('#features a[href="/admin/kiosks"]').click()
    await page.waitForURL(`${served.url}/admin/kiosks`)
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#enrol-site option').allInnerTexts()).toEqual([siteName])
    await page.locator('#enrol-label').fill('101 前门')
    await page.locator('#enrol-submit').click()
    await expect.poll(() => page.locator('#enrol-code').isVisible()).toBe(true)
    const code = (await page.locator('#enrol-code-text').innerText()).trim()
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(await page.locator('#enrol-code-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    // The tablet redeems the code with its own key.
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
    const publicKey = toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)))
    const res = await served.custody.call('POST', '/api/kiosk/devices', { body: { code, publicKey } })
    expect(res.status).toBe(201)
    await page.reload()
    await expect.poll(() => page.locator('#devices-body tr[data-state="active"]').innerText()).toContain('101 前门')
    expect(problems.unexpected()).toEqual([])
  })

  test('a supervisor revokes a tablet after a confirmation with a reason; the revocation is logged', async () => {
    const { page, problems } = await loggedInPage(browser, served, 'dudao', { next: '/admin/kiosks' })
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    expect(await page.locator('#enrol-card').isVisible()).toBe(false)
    const from = served.custody.services.log.size()
    await page.locator('#devices-body [data-revoke]').first().click()
    await expect.poll(() => page.locator('#revoke-dialog').isVisible()).toBe(true)
    await page.locator('#revoke-submit').click()
    await expect.poll(() => page.locator('#revoke-alert').isVisible()).toBe(true) // no reason: refused in the page
    expect(served.custody.services.log.size()).toBe(from)
    await page.locator('#revoke-reason').fill('平板丢失')
    await page.locator('#revoke-submit').click()
    await expect.poll(() => page.locator('#devices-body tr[data-state="revoked"]').innerText()).toContain('平板丢失')
    expect(eventsSince(served.custody, from).map((e) => e.action)).toEqual(['kiosk.device_revoked'])
    expect(problems.unexpected()).toEqual([])
  })

  test('the administrator rotates the ticket key on /admin/keys: confirmed in the dialog, the ring lists both keys', async () => {
    const { page, problems } = admin
    await page.goto(`${served.url}/admin/keys`)
    await expect.poll(() => page.locator('#ticket-keys-body tr').count()).toBe(1)
    const old = await page.locator('#ticket-keys-body tr[data-active="true"]').getAttribute('data-key')
    const from = served.custody.services.log.size()
    await page.locator('#ticket-rotate').click()
    await expect.poll(() => page.locator('#rotate-title').innerText()).toBe('轮换准考证签名密钥')
    await expect.poll(() => page.locator('#rotate-text').innerText()).toContain('已打印的准考证照常可用')
    await page.locator('#rotate-submit').click()
    await expect.poll(() => page.locator('#page-alert').innerText()).toContain('准考证签名密钥已轮换')
    await expect.poll(() => page.locator('#ticket-keys-body tr').count()).toBe(2)
    const fresh = await page.locator('#ticket-keys-body tr[data-active="true"]').getAttribute('data-key')
    expect(fresh).not.toBe(old)
    expect(fresh).toBe(served.custody.services.ticketKeys.active().keyId)
    expect(eventsSince(served.custody, from).map((e) => e.action)).toEqual(['ticket_key.rotated'])
    expect(problems.unexpected()).toEqual([])
  })
})
