// A session from rooms to printed tickets, over HTTP, then the printed ticket in real headless Chromium:
// Chinese text drawn with a CJK font, the photo loaded, the QR drawn, no CSP violation, one A4 page per
// ticket in the batch print; and the preparation pages for a registrar and a scoped invigilator.
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { fromBase64, ticketMatchesIdentity, verifyTicket, type TicketPayload } from '../crypto/index.ts'
import { TEST_PASSWORD } from './_app.ts'
import { DOCS_SHOTS, type PageProblems, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { type FixtureCandidate, addCandidates, seedLifecycle } from './_rooms-fixture.ts'

const SHOTS = '/tmp/custody-e2e'
const CJK = /[\u3400-\u9fff]/

interface Issued {
  number: string
  candidateId: string
  roomId: string
  seat: number
  payload: string
}

describeBrowser('admission tickets in Chromium', () => {
  let browser: Browser
  let served: ServedApp
  let session: string
  let issued: Issued[]
  let candidates: FixtureCandidate[]
  let rooms: Record<string, string>

  /** Calls the served app over a real socket, as a client would. */
  async function call(method: string, path: string, cookie: string, body?: unknown): Promise<Response> {
    return fetch(`${served.url}${path}`, {
      method,
      headers: { Origin: served.url, Cookie: cookie, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }
  async function login(username: string): Promise<string> {
    const res = await call('POST', '/api/session', '', { username, password: TEST_PASSWORD })
    expect(res.status).toBe(200)
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(DOCS_SHOTS, { recursive: true })
    browser = await launchBrowser()
    served = serveApp()
    const accounts = served.custody.services.accounts
    for (const [username, displayName, roles] of [
      ['wang.min', '王敏', ['registrar']],
      ['chen.gang', '陈刚', ['invigilator']],
    ] as const) {
      const r = await accounts.create({ system: 'test' }, { username, displayName, roles: [...roles], password: TEST_PASSWORD })
      if (!r.ok) throw new Error(r.error.code)
    }
    const f = seedLifecycle(served.custody)
    session = f.sessions.theory
    candidates = addCandidates(served.custody, f.batchId, 35, { units: 3 })

    // From rooms to tickets, through the HTTP API only.
    const reg = await login('wang.min')
    const site = (await (await call('POST', '/api/sites', reg, { name: '第一考点', address: '北京市东城区示例路 1 号' })).json()) as { id: string }
    rooms = {}
    for (const name of ['101', '102']) {
      const res = await call('POST', `/api/sites/${site.id}/rooms`, reg, { name, kind: 'theory', capacity: 30, layout: '6 行 × 5 列' })
      expect(res.status).toBe(201)
      rooms[name] = ((await res.json()) as { id: string }).id
      expect((await call('PUT', `/api/sessions/${session}/rooms/${rooms[name]}`, reg)).status).toBe(200)
    }
    const seated = await call('POST', `/api/sessions/${session}/seating`, reg, { seed: 'e2e-2026' })
    expect(await seated.json()).toMatchObject({ candidates: 35, seed: 'e2e-2026' })
    const inv = (await (await call('GET', '/api/staff/people', reg)).json()) as { people: Array<{ id: string; username: string }> }
    const chen = inv.people.find((p) => p.username === 'chen.gang')!
    expect((await call('POST', `/api/sessions/${session}/staff`, reg, { userId: chen.id, duty: 'invigilator', roomId: rooms['101'] })).status).toBe(201)
    const res = await call('POST', `/api/sessions/${session}/tickets`, reg, {})
    expect(res.status).toBe(201)
    issued = ((await res.json()) as { issued: Issued[] }).issued
    expect(issued).toHaveLength(35)
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  async function loggedIn(username: string): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
    return loggedInPage(browser, served, username)
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

  test('every issued QR verifies offline with the published key and binds its holder', async () => {
    const key = fromBase64(((await (await fetch(`${served.url}/api/tickets/key`)).json()) as { publicKey: string }).publicKey)
    for (const t of issued) {
      const v = verifyTicket(t.payload, key)
      if (!v.ok) throw new Error(v.error.code)
      const c = candidates.find((x) => x.id === t.candidateId)!
      expect(ticketMatchesIdentity(v.payload as TicketPayload, c.name, c.residentId)).toBe(true)
    }
  })

  test('the A4 ticket shows the holder in Chinese, drawn with a CJK font, with the photo and the QR, and no CSP violation', async () => {
    const { context, page, problems } = await loggedIn('wang.min')
    const t = issued.find((x) => x.roomId === rooms['101'])!
    const c = candidates.find((x) => x.id === t.candidateId)!
    await page.goto(`${served.url}/api/tickets/${t.number}/print`)
    const title = page.locator('.ticket__title')
    expect((await title.innerText()).replace(/\s+/g, '')).toBe('职业技能等级认定准考证')
    expect(await renderedFonts(page, '.ticket__title')).toContain('Noto Serif CJK SC')
    expect(await renderedFonts(page, '.ticket__fields tr:nth-child(2) td')).toContain('Noto Sans CJK SC') // the name
    const text = await page.locator('.ticket').innerText()
    for (const s of [c.name, c.residentId, t.number, '电工', '四级/中级工', '第一考点', '考生须知']) expect(text, s).toContain(s)
    expect(text).toMatch(CJK)
    // The photo came from the authenticated route and decoded.
    await expect.poll(() => page.locator('.ticket__photo img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(60)
    // The QR is drawn at its print size (38 mm ≈ 144 CSS px).
    const box = await page.locator('.ticket__qr svg').boundingBox()
    expect(box!.width).toBeGreaterThan(130)
    expect(box!.width).toBeLessThan(160)
    // Print CSS: the hint is for the screen only.
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.print-hint').isVisible()).toBe(false)
    await page.emulateMedia({ media: 'screen' })
    await page.screenshot({ path: `${SHOTS}/ticket.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test('the batch print of the session prints one A4 page per live ticket', async () => {
    const { context, page, problems } = await loggedIn('wang.min')
    await page.goto(`${served.url}/api/sessions/${session}/tickets/print`)
    expect(await page.locator('article.ticket').count()).toBe(35)
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    expect(pages.length).toBe(35)
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test("the tickets page lists the session's tickets for the registrar", async () => {
    const { context, page, problems } = await loggedIn('wang.min')
    await page.goto(`${served.url}/tickets?session=${encodeURIComponent(session)}`)
    await expect.poll(() => page.locator('#tickets-body tr').count()).toBe(35)
    expect(await page.locator('h1').textContent()).toBe('准考证')
    expect(await page.locator('#ticket-count').textContent()).toBe('35 / 35')
    await page.screenshot({ path: `${SHOTS}/tickets.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test("the tickets page offers a print per room, and a room's print holds only that room's tickets", async () => {
    const { context, page, problems } = await loggedIn('wang.min')
    await page.goto(`${served.url}/tickets?session=${encodeURIComponent(session)}`)
    const buttons = page.locator('#room-prints a[data-room]')
    await expect.poll(() => buttons.count()).toBe(2)
    const in101 = issued.filter((t) => t.roomId === rooms['101']).length
    await expect.poll(() => buttons.first().innerText()).toBe(`101（${in101} 张）`)
    const href = (await page.locator(`#room-prints a[data-room="${rooms['102']}"]`).getAttribute('href'))!
    await page.goto(`${served.url}${href}`)
    const printed = await page.locator('article.ticket').evaluateAll((as) => as.map((a) => a.getAttribute('data-ticket')))
    expect(printed).toEqual(
      issued
        .filter((t) => t.roomId === rooms['102'])
        .sort((a, b) => a.seat - b.seat)
        .map((t) => t.number),
    )
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test('a logged-out visit to a printable page goes to the login page, and back to the print after logging in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const path = `/api/sessions/${session}/rooms/${rooms['101']}/tickets/print`
    await page.goto(`${served.url}${path}`)
    await page.waitForURL(`${served.url}/login?next=${encodeURIComponent(path)}`)
    await page.getByLabel('用户名').fill('wang.min')
    await page.getByLabel('密码', { exact: true }).fill(TEST_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(`${served.url}${path}`)
    await expect.poll(() => page.locator('article.ticket').count()).toBe(issued.filter((t) => t.roomId === rooms['101']).length)
    await context.close()
  })

  test("the registrar's rooms page: the session facts line up term over value, names not ids, a print per room", async () => {
    const { context, page, problems } = await loggedIn('wang.min')
    await page.goto(`${served.url}/rooms?session=${encodeURIComponent(session)}`)
    await expect.poll(() => page.locator('#plan details').count()).toBe(2)
    const pairs = page.locator('#session-facts > div')
    await expect.poll(() => pairs.count()).toBe(5)
    // Each term sits directly above its own value (the grid lays out pairs, not loose dt/dd cells).
    for (const pair of await pairs.all()) {
      const dt = (await pair.locator('dt').boundingBox())!,
        dd = (await pair.locator('dd').boundingBox())!
      expect(Math.abs(dt.x - dd.x)).toBeLessThan(1)
      expect(dd.y).toBeGreaterThan(dt.y)
    }
    expect(await page.locator('#session-facts > dt, #session-facts > dd').count()).toBe(0)
    await expect.poll(() => page.locator('#session-facts').innerText()).toContain('2026 年第四批 电工（四级）')
    expect(await page.locator('#staff-body').innerText()).toContain('陈刚（chen.gang）')
    expect(await page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/) // no raw ids on the page
    expect(await page.locator('h1').innerText()).not.toMatch(/R\d/)
    expect(await page.locator('#plan a[data-room-print]').count()).toBe(2)
    await page.screenshot({ path: `${DOCS_SHOTS}/rooms.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test("an invigilator's preparation page shows only room 101, its roster and its checklist", async () => {
    const { context, page, problems } = await loggedIn('chen.gang')
    await expect.poll(() => page.locator('#home').isVisible()).toBe(true)
    const tiles = await page.locator('#features a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    expect(tiles).toContain('/rooms')
    expect(tiles).not.toContain('/tickets')
    await page.goto(`${served.url}/rooms`)
    await expect.poll(() => page.locator('#plan details').count()).toBe(1)
    expect(await page.locator('#plan summary').innerText()).toContain('101')
    expect(await page.locator('#plan tbody tr').count()).toBe(issued.filter((t) => t.roomId === rooms['101']).length)
    await expect.poll(() => page.locator('#insp-body tr').count()).toBe(5)
    expect(await page.locator('#insp-body').innerText()).toContain('桌距大于 80 厘米')
    // Record one item as an invigilator of the room.
    await page.locator('#insp-body tr').first().getByRole('button', { name: '合格' }).click()
    await expect.poll(() => page.locator('#insp-body tr').first().innerText()).toContain('合格')
    expect(await page.locator('#staff-card').isHidden()).toBe(true)
    await page.screenshot({ path: `${SHOTS}/rooms-invigilator.png`, fullPage: true })
    expect(problems.unexpected([403])).toEqual([])
    await context.close()
  })
})
