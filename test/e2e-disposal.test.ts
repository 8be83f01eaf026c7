// The archive's disposal list in real headless Chromium (R5.5): two packets of a May 2023 exam were kept
// unused in the vault and archived, so they are past their three years today. The custodian opens the
// disposal page from the custody console, picks one packet, names the method, and signs the list with a
// witness: first with their own account as witness (refused: one person cannot complete a two-person step),
// then with a supervisor's. The packet is destroyed, the other stays archived, and the log holds the list.
import { mkdirSync } from 'node:fs'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Packet } from '../server/domain/custody/index.ts'
import { TEST_PASSWORD } from './_app.ts'
import { type PageProblems, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { type CustodyWorld, custodyWorld, drive, expectStatus, witness } from './_custody-packets.ts'
import { eventsSince } from './_rooms-fixture.ts'

const SHOTS = '/tmp/custody-e2e'
const CJK = /[\u3400-\u9fff]/

describeBrowser('disposal of archived packets in Chromium: listed, witnessed, logged (R5.5)', () => {
  let browser: Browser
  let served: ServedApp
  let w: CustodyWorld
  let page: Page
  let problems: PageProblems

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    browser = await launchBrowser()
    served = serveApp()
    const app = served.custody
    w = await custodyWorld(app)
    await drive(app, w, w.p101, 'in_vault')
    await drive(app, w, w.p102, 'in_vault')
    app.services.db.run('UPDATE exam_sessions SET starts_at = ? WHERE id = ?', [Date.parse('2023-05-10T01:00:00Z'), w.sessionId])
    for (const p of [w.p101, w.p102]) {
      await expectStatus(
        await app.call('POST', `/api/packets/${p.id}/moves`, { cookie: w.keeper.cookie, body: { action: 'archive', witness: witness(w.sup1) } }),
        200,
      )
    }
    ;({ page, problems } = await loggedInPage(browser, served, w.keeper.username))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  const packet = (id: string): Packet => served.custody.services.custody.packet(id)!

  test('the custody console leads to the due list, which shows both packets with their dates', async () => {
    await page.goto(`${served.url}/custody`)
    await expect.poll(() => page.locator('#archive-card').isVisible()).toBe(true)
    await page.locator('#disposal-link').click()
    await page.waitForURL(`${served.url}/custody/disposal`)
    await expect.poll(() => page.locator('#due-body tr[data-packet]').count()).toBe(2)
    const first = await page.locator(`#due-body tr[data-packet="${w.p101.id}"]`).innerText()
    for (const text of ['理论知识 A 卷', '2023-05-10', '2026-05-10', '2026-05-11']) expect(first).toContain(text)
    // The packet by its room and copy numbers (decision record 010), never a cut-off id.
    expect(first).toMatch(/101 考场 · 0001–00\d\d/)
    expect(first).not.toContain(w.p101.id.slice(0, 8))
    expect(await page.locator('#due-count').textContent()).toBe('2')
    expect(await page.locator('#dispose-submit').isDisabled()).toBe(true)
    await page.screenshot({ path: `${SHOTS}/disposal-due.png`, fullPage: true })
  })

  test('the custodian cannot be their own witness: refused, nothing destroyed, the refusal logged', async () => {
    const from = served.custody.services.log.size()
    await page.locator(`#due-body input[data-packet="${w.p101.id}"]`).check()
    expect(await page.locator('#dispose-summary').innerText()).toBe('已选 1 个试卷袋')
    await page.locator('#dispose-method').fill('碎纸机现场粉碎')
    await page.locator('#dispose-witness-username').fill(w.keeper.username)
    await page.locator('#dispose-witness-password').fill(TEST_PASSWORD)
    await page.locator('#dispose-submit').click()
    await expect.poll(() => page.locator('#dispose-alert.alert--error').isVisible()).toBe(true)
    expect(await page.locator('#dispose-alert').innerText()).toContain('双人操作须由两名不同人员完成')
    expect(await page.locator('#dispose-witness-password').inputValue()).toBe('') // the password does not stay on screen
    expect(packet(w.p101.id).state).toBe('archived')
    expect(eventsSince(served.custody, from).map((e) => [e.action, e.outcome])).toEqual([['custody.disposal.create', 'refused']])
  })

  test('with a supervisor as witness the list is recorded: one packet destroyed, the other still archived', async () => {
    const from = served.custody.services.log.size()
    await page.locator('#dispose-witness-username').fill(w.sup2.username)
    await page.locator('#dispose-witness-password').fill(TEST_PASSWORD)
    await page.locator('#dispose-submit').click()
    await expect.poll(() => page.locator('#page-alert.alert--ok').isVisible()).toBe(true)
    expect(await page.locator('#page-alert').innerText()).toContain('1 个试卷袋已销毁')
    await expect.poll(() => page.locator('#due-body tr[data-packet]').count()).toBe(1)
    expect(await page.locator(`#due-body tr[data-packet="${w.p102.id}"]`).count()).toBe(1)
    expect(packet(w.p101.id)).toMatchObject({ state: 'destroyed', holder: { place: 'destroyed' } })
    expect(packet(w.p102.id).state).toBe('archived')
    const events = eventsSince(served.custody, from)
    expect(events.map((e) => e.action)).toEqual(['custody.disposal.listed', 'custody.packet.destroyed'])
    expect(events[0]).toMatchObject({ actor: { user: w.keeper.id }, data: { method: '碎纸机现场粉碎', witness: w.sup2.id } })
    await page.screenshot({ path: `${SHOTS}/disposal-done.png`, fullPage: true })

    await page.getByRole('button', { name: 'English' }).click()
    let visible = await page.locator('main').innerText()
    visible = visible.replaceAll('理论知识 A 卷', '').replace(/考点\d+/g, '') // the paper's title and the site's name are what people typed
    expect(visible).not.toMatch(CJK)
    expect(problems.unexpected([409, 403])).toEqual([])
  })

  test('a supervisor sees the due list but cannot dispose (the form is not offered, and the server refuses)', async () => {
    const app = served.custody
    const due = await expectStatus<{ packets: Packet[] }>(await app.call('GET', '/api/disposals/due', { cookie: w.sup1.cookie }), 200)
    expect(due.packets.map((p) => p.id)).toEqual([w.p102.id])
    const refused = await app.call('POST', '/api/disposals', {
      cookie: w.sup1.cookie,
      body: { packetIds: [w.p102.id], method: '焚烧', witness: witness(w.sup2) },
    })
    expect(refused.status).toBe(403)
    const { context: ctx, page: sp } = await loggedInPage(browser, served, w.sup1.username, { next: '/custody/disposal' })
    await expect.poll(() => sp.locator('#due-body tr[data-packet]').count()).toBe(1)
    expect(await sp.locator('#dispose-card').isHidden()).toBe(true)
    expect(await sp.locator(`#due-body input[data-packet="${w.p102.id}"]`).isDisabled()).toBe(true)
    await ctx.close()
  })
})
