// The room-door kiosk (/kiosk) in headless Chromium, the smoke path: an administrator's enrolment code (made through
// the app's route), the tablet enrols itself (its own ECDSA key in IndexedDB), the demo invigilator logs in, picks
// the door drill's room (the demo's session today, doors open now; the finished October batch's room set apart
// below today's and tomorrow's, as `npm start` loads it), the room package comes down; the drill sheet's
// tickets give their verdicts, a scanned ticket passes the ID check, a ticket number typed by hand gives
// data-verdict="admitted" and is admitted by override, the same ticket is then already admitted, and the records
// reach the server. Stable DOM for later tests: #net-state[data-state], #queue-count, #last-sync, #verdict
// [data-verdict], #candidate, #id-number, #id-result[data-idcheck], #override-reason, #override-confirm,
// #admit-alert[data-state], #tab-<door|incidents|packets|scores|attendance>, #att-present/#att-late/#att-absent li[data-ticket].
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEMO_PASSWORD, loadDemo } from '../server/demo.ts'
import { createDemoClock } from '../server/demo/clock.ts'
import { finishedBatchStart } from '../server/demo/finished-batch.ts'
import type { DrillSheet } from '../server/services/door-drill.ts'
import { SAME_SCAN_MS } from '../kiosk/src/_kiosk-door.ts'
import { type ServedApp, describeBrowser, launchBrowser, serveApp, watchProblems } from './_browser.ts'

describeBrowser('the room-door kiosk in Chromium', () => {
  let browser: Browser
  let served: ServedApp
  let code: string
  let sheet: DrillSheet

  beforeAll(async () => {
    browser = await launchBrowser()
    // the whole demo as `npm start` loads it into a new data folder: the finished batch first, on the demo clock
    const clock = createDemoClock(finishedBatchStart(Date.now()))
    served = serveApp({ clock })
    await loadDemo(served.custody.services, clock)
    const admin = await served.custody.login('admin', DEMO_PASSWORD)
    const site = served.custody.services.rooms.sites()[0]!
    const res = await served.custody.call('POST', '/api/kiosk/enrolments', { cookie: admin, body: { siteId: site.id, label: '201 前门' } })
    expect(res.status).toBe(201)
    code = ((await res.json()) as { code: string }).code
    const drill = served.custody.services.doorDrill.sheet()
    if (!drill.ok) throw new Error(drill.error.code)
    sheet = drill.value
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('enrol, log in, load the drill room: every drill verdict, an ID-checked and a typed admission, then already admitted; synced', async () => {
    const supervisor = await served.custody.login('supervisor', DEMO_PASSWORD)
    /** What the server holds for the drill room (the supervisors' live view). */
    const liveRoom = async () => {
      const live = (await (await served.custody.call('GET', `/api/kiosk/live?session=${sheet.session.id}`, { cookie: supervisor })).json()) as {
        rooms: Array<{ room: { id: string }; admitted: number; overrides: number }>
      }
      const r = live.rooms.find((x) => x.room.id === sheet.room.id)!
      return { admitted: r.admitted, overrides: r.overrides }
    }
    const before = await liveRoom()
    const context = await browser.newContext({ viewport: { width: 1180, height: 820 }, locale: 'zh-CN' })
    const problems = await watchProblems(context)
    const page = await context.newPage()
    await page.goto(`${served.url}/kiosk`)
    expect(await page.title()).toBe('考场门口核验 · 试卷保密管理系统')

    // Enrolment: no key on this browser yet.
    await page.locator('#enrol-view').waitFor()
    await expect.poll(() => page.locator('#net-state').getAttribute('data-state')).toBe('online')
    await page.locator('#enrol-code').fill(code.toLowerCase()) // typed as people type it
    await page.locator('#enrol-label').fill('201 前门')
    await page.locator('#enrol-submit').click()

    // Login (the page reloads after enrolment).
    await page.locator('#login-view').waitFor()
    expect(await page.locator('#login-device').textContent()).toContain('201 前门')
    await page.locator('#login-username').fill('invigilator')
    await page.locator('#login-password').fill(DEMO_PASSWORD)
    await page.locator('#login-submit').click()

    // The person's own rooms; the drill's room.
    await page.locator('#pick-view').waitFor()
    // Today's drill first (soonest), then tomorrow's room; the finished October batch's room set apart, closed.
    await page.locator('#pick-list > .kiosk-pick').first().waitFor()
    const offered = await page.locator('#pick-list > .kiosk-pick').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.session))
    expect(offered[0]).toBe(sheet.session.id)
    expect(offered.length).toBeGreaterThanOrEqual(2)
    expect(await page.locator('#pick-earlier').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
    expect(await page.locator('#pick-earlier summary').textContent()).toMatch(/^更早的场次（[1-9]\d*）$/)
    expect(await page.locator('#pick-earlier .kiosk-pick').count()).toBeGreaterThanOrEqual(1)
    expect(await page.locator('#pick-earlier .kiosk-pick').first().isVisible()).toBe(false)
    await page.locator(`.kiosk-pick[data-session="${sheet.session.id}"][data-room="${sheet.room.id}"]`).click()
    await page.locator('#room-view').waitFor()
    expect(await page.locator('#room-title').textContent()).toContain(sheet.room.name)
    expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('')
    await page.locator('#tab-attendance').click()
    await page.locator('#att-absent li').first().waitFor()
    const absentBefore = await page.locator('#att-absent li').count()
    await page.locator('#tab-door').click()

    const scan = async (text: string) => {
      await page.locator('#scan-field').fill(text)
      await page.locator('#scan-field').press('Enter')
    }
    const verdict = () => page.locator('#verdict').getAttribute('data-verdict')

    // Every refusal of the drill sheet (real tickets, signed by the server's key): refused, nothing recorded.
    for (const sample of sheet.samples.filter((x) => x.expect !== 'admitted' && x.expect !== 'already_admitted')) {
      await scan(sample.text)
      await expect.poll(verdict, { message: sample.expect }).toBe(sample.expect)
      expect(await page.locator('#candidate').isHidden()).toBe(true)
    }

    // A scanned ticket: admitted with name and seat; a wrong ID number is shown and admits nobody; the right one admits.
    const [scanned, typed] = sheet.samples.filter((x) => x.expect === 'admitted')
    await scan(scanned!.text)
    await expect.poll(verdict).toBe('admitted')
    expect(await page.locator('#verdict-title').textContent()).toBe('准予入场')
    expect(await page.locator('#cand-name').textContent()).toBe(scanned!.holder!.name)
    expect(await page.locator('#cand-seat').textContent()).toBe(String(scanned!.holder!.seat))
    await page.locator('#id-number').fill('110105194912310038')
    await page.locator('#id-confirm').click()
    await expect.poll(() => page.locator('#id-result').getAttribute('data-idcheck')).toBe('mismatch')
    expect(await page.locator('#admit-alert').getAttribute('data-state')).toBeNull()
    await page.locator('#id-number').fill(scanned!.holder!.residentId)
    await page.locator('#id-confirm').click()
    await expect.poll(() => page.locator('#admit-alert').getAttribute('data-state')).toBe('recorded')

    // A ticket number typed by hand: admitted; the ID number is checked against the roster's copy of the ticket's
    // identity bytes (a wrong one is a mismatch); with the card forgotten, the override (with a reason) admits.
    const number = typed!.ticketNumber!
    await scan(number)
    await expect.poll(verdict).toBe('admitted')
    expect(await page.locator('#cand-number').textContent()).toBe(number)
    await page.locator('#id-number').fill('110105194912310038')
    await page.locator('#id-confirm').click()
    await expect.poll(() => page.locator('#id-result').getAttribute('data-idcheck')).toBe('mismatch')
    expect(await page.locator('#admit-alert').getAttribute('data-state')).toBeNull()
    await page.locator('#override summary').click()
    await page.locator('#override-confirm').click()
    await expect.poll(() => page.locator('#id-result').getAttribute('data-idcheck')).toBe('reason_needed')
    await page.locator('#override-reason').selectOption('id_forgotten')
    await page.locator('#override-confirm').click()
    await expect.poll(() => page.locator('#admit-alert').getAttribute('data-state')).toBe('recorded')

    // The same ticket again, typed differently (so not the same scan; the number may have no letter to lower-case,
    // hence the spaces, which the door drops): already admitted, at this door.
    const retyped = number.toLowerCase().replaceAll('-', ' - ')
    await scan(retyped)
    await expect.poll(verdict).toBe('already_admitted')
    expect(await page.locator('#verdict-detail').textContent()).toContain('201 前门')
    // The same text twice within a few seconds is one scan: the screen stays as it is.
    await page.locator('#verdict').evaluate((e) => e.setAttribute('data-verdict', 'x'))
    await scan(retyped)
    await page.waitForTimeout(300)
    expect(await verdict()).toBe('x')
    // The drill's first ticket scanned again (after the few seconds): already admitted.
    await page.waitForTimeout(SAME_SCAN_MS)
    await scan(sheet.samples.find((x) => x.expect === 'already_admitted')!.text)
    await expect.poll(verdict).toBe('already_admitted')

    // Attendance follows; the records are uploaded (the queue empties, the last sync shows a time) and the server has them.
    await page.locator('#tab-attendance').click()
    await expect.poll(() => page.locator('#att-absent li').count()).toBe(absentBefore - 2)
    expect(await page.locator(`#att-present li[data-ticket="${number}"], #att-late li[data-ticket="${number}"]`).count()).toBe(1)
    await expect.poll(() => page.locator('#queue-count').textContent(), { timeout: 15_000 }).toBe('0')
    expect(await page.locator('#last-sync').textContent()).not.toBe('—')
    expect(await page.locator('#net-state').getAttribute('data-state')).toBe('online')
    expect(await liveRoom()).toEqual({ admitted: before.admitted + 2, overrides: before.overrides + 1 })

    // English, and back.
    await page.locator('#lang-toggle').click()
    expect(await page.locator('#tab-door').textContent()).toBe('Door')
    await page.locator('#lang-toggle').click()
    expect(await page.locator('#tab-door').textContent()).toBe('入场')

    expect(problems.unexpected()).toEqual([])
    await context.close()
  }, 120_000)
})
