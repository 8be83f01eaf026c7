// The room-door kiosk offline, end to end in headless Chromium against the real server: a tablet enrols by scanning
// the administrator's enrolment QR with its camera (a fake camera: Chromium reads a Y4M video made from the QR),
// the demo invigilator loads the door drill's room and admits one candidate online; then the network goes away
// (context.setOffline), and the kiosk admits a candidate whose ticket QR the camera reads and one whose ticket
// number is typed, records an incident, and survives a reload (the service worker serves the page, IndexedDB keeps
// the queue). Back online the queue empties, and the server holds every record exactly once: one kiosk_records
// row per kiosk id, one admission per candidate, one kiosk.<kind> event per record with kiosk time and server time,
// and the `offline` flag on exactly the records made offline. With CUSTODY_DOCS_SCREENSHOTS=1 it also writes the
// kiosk screenshots of the README (docs/screenshots/kiosk-*.png). The enrolment code is random: Linux Chromium
// has no BarcodeDetector, so the kiosk's WebAssembly QR reader must read any code (zxing-js alone missed about 1 in
// 30, deterministically: the CI failures this test once had, see e2e-camera-reader.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { LogEvent } from '../audit/_event.ts'
import { DEMO_PASSWORD, loadDemo } from '../server/demo.ts'
import type { DrillSample, DrillSheet } from '../server/services/door-drill.ts'
import { DOCS_SHOTS, type ServedApp, describeBrowser, launchBrowser, serveApp, watchProblems } from './_browser.ts'
import { qrY4m } from './_y4m.ts'

/** A tablet-sized window at device scale 1: the screenshots are the size people see on a 10-inch tablet. */
const TABLET = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, locale: 'zh-CN' }
/**
 * The code's side in the 640×480 camera frame: html5-qrcode reads only its 240 px box in the middle of the 420 px
 * preview (366 frame pixels), scaled down to 240 px, so the code must fit that box with modules still ≥ 3 px.
 */
const QR_SIDE = 310
const DOOR = '201 前门'

describeBrowser('the door kiosk offline in Chromium (fake camera, reload, sync)', () => {
  let browser: Browser
  let served: ServedApp
  let code: string
  let sheet: DrillSheet
  let dir: string
  let camera: string

  /** What the fake camera shows from its next start on (Chromium opens the file each time the camera starts). */
  const showToCamera = (text: string) => writeFileSync(camera, qrY4m(text, { maxSide: QR_SIDE, frames: 3 }))

  beforeAll(async () => {
    served = serveApp()
    await loadDemo(served.custody.services)
    const admin = await served.custody.login('admin', DEMO_PASSWORD)
    const site = served.custody.services.rooms.sites()[0]!
    const res = await served.custody.call('POST', '/api/kiosk/enrolments', { cookie: admin, body: { siteId: site.id, label: DOOR } })
    expect(res.status).toBe(201)
    const enrolment = (await res.json()) as { code: string; qr: string }
    code = enrolment.code
    const drill = served.custody.services.doorDrill.sheet()
    if (!drill.ok) throw new Error(drill.error.code)
    sheet = drill.value
    dir = mkdtempSync(join(tmpdir(), 'custody-camera-'))
    camera = join(dir, 'camera.y4m')
    showToCamera(enrolment.qr) // first the enrolment code; the tickets later
    browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`])
    mkdirSync(DOCS_SHOTS, { recursive: true })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('enrol by camera, admit online, go offline: camera and typed admissions, an incident, a reload; back online every record arrives once', async () => {
    const services = served.custody.services
    const logFrom = services.log.size()
    const context = await browser.newContext(TABLET)
    const problems = await watchProblems(context)
    const page = await context.newPage()
    const shot = async (name: string) => {
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: `${DOCS_SHOTS}/${name}`, fullPage: true })
    }
    const verdict = () => page.locator('#verdict').getAttribute('data-verdict')
    const scan = async (text: string) => {
      await page.locator('#scan-field').fill(text)
      await page.locator('#scan-field').press('Enter')
    }
    const admittedSamples = sheet.samples.filter((x) => x.expect === 'admitted')
    const [byCamera, typed, online] = admittedSamples as [DrillSample, DrillSample, DrillSample]
    expect(admittedSamples.length).toBeGreaterThanOrEqual(3)

    // Enrolment: the page is controlled by the service worker first, so the camera's decoder chunk, fetched through
    // it, stays on the tablet for the offline door later.
    await page.goto(`${served.url}/kiosk`)
    await page.locator('#enrol-view').waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 })
    // What the page saw when the camera read nothing: the alert, and the camera's video as html5-qrcode reads it.
    const cameraState = () =>
      page.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('#enrol-camera-box video')
        const alert = document.getElementById('enrol-alert')
        return {
          alert: alert && !alert.hidden ? alert.textContent : null,
          box: document.getElementById('enrol-camera-box')?.hidden === false,
          video: v && { readyState: v.readyState, videoWidth: v.videoWidth, videoHeight: v.videoHeight, clientWidth: v.clientWidth, paused: v.paused },
          canvases: [...document.querySelectorAll('#enrol-camera-box canvas')].map(
            (c) => `${(c as HTMLCanvasElement).width}x${(c as HTMLCanvasElement).height}`,
          ),
        }
      })
    // What html5-qrcode's decoder canvas and the camera's own frame hold (saved as PNG), and whether zbar reads them.
    const decoderView = async () => {
      const urls = await page.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('#enrol-camera-box video')
        const frame = document.createElement('canvas')
        if (v) {
          frame.width = v.videoWidth
          frame.height = v.videoHeight
          frame.getContext('2d')?.drawImage(v, 0, 0)
        }
        return [...document.querySelectorAll<HTMLCanvasElement>('#enrol-camera-box canvas'), frame].map((c) => c.toDataURL('image/png'))
      })
      return urls.map((url, i) => {
        const file = join(tmpdir(), `custody-enrol-${i === urls.length - 1 ? 'frame' : 'decoder'}-${Date.now()}-${i}.png`)
        writeFileSync(file, Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'))
        const zbar = Bun.spawnSync(['zbarimg', '-q', '--raw', file])
        return { file, zbar: zbar.exitCode === 0 ? zbar.stdout.toString().trim() : `unread (${zbar.exitCode})` }
      })
    }
    await page.locator('#enrol-camera').click()
    try {
      await expect.poll(() => page.locator('#enrol-code').inputValue(), { timeout: 30_000 }).toBe(code)
    } catch (err) {
      const seen = JSON.stringify({ ...(await cameraState()), decoder: await decoderView() })
      const picture = join(tmpdir(), `custody-enrol-failed-${Date.now()}.png`)
      await page.screenshot({ path: picture })
      throw new Error(`the camera did not read the enrolment code: ${seen} (screenshot ${picture})`, { cause: err })
    }
    await page.locator('#enrol-label').fill(DOOR)
    await shot('kiosk-enrol.png')
    await page.locator('#enrol-submit').click()

    await page.locator('#login-view').waitFor()
    await page.locator('#login-username').fill('invigilator')
    await page.locator('#login-password').fill(DEMO_PASSWORD)
    await page.locator('#login-submit').click()
    await page.locator(`.kiosk-pick[data-session="${sheet.session.id}"][data-room="${sheet.room.id}"]`).click()
    await page.locator('#room-view').waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 })

    // Online: a handheld scanner's ticket, ID number matched; it is uploaded at once.
    await scan(online.text)
    await expect.poll(verdict).toBe('admitted')
    await page.locator('#id-number').fill(online.holder!.residentId)
    await page.locator('#id-confirm').click()
    await expect.poll(() => page.locator('#admit-alert').getAttribute('data-state')).toBe('recorded')
    await expect.poll(() => page.locator('#queue-count').textContent(), { timeout: 15_000 }).toBe('0')
    // A ticket of the other room: refused, naming the right room; nothing recorded.
    const wrongRoom = sheet.samples.find((x) => x.expect === 'wrong_room')!
    await scan(wrongRoom.text)
    await expect.poll(verdict).toBe('wrong_room')
    expect(await page.locator('#candidate').isHidden()).toBe(true)
    await shot('kiosk-door-refused.png')
    expect(await page.locator('#queue-count').textContent()).toBe('0')

    // The network goes away.
    showToCamera(byCamera.text)
    await context.setOffline(true)
    await expect.poll(() => page.locator('#net-state').getAttribute('data-state')).toBe('offline')

    // The camera reads the ticket QR: admitted with photo, name and seat; the ID number typed matches its identity bytes.
    await page.locator('#camera-toggle').click()
    await expect.poll(verdict, { timeout: 30_000 }).toBe('admitted')
    await page.locator('#camera-toggle').click() // the camera off again
    await expect.poll(() => page.locator('#camera-box').isHidden()).toBe(true)
    expect(await page.locator('#cand-name').textContent()).toBe(byCamera.holder!.name)
    expect(await page.locator('#cand-seat').textContent()).toBe(String(byCamera.holder!.seat))
    expect(await page.locator('#cand-photo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await shot('kiosk-door-admitted.png')
    await page.locator('#id-number').fill(byCamera.holder!.residentId)
    await page.locator('#id-confirm').click()
    await expect.poll(() => page.locator('#id-result').getAttribute('data-idcheck')).toBe('matched')
    await expect.poll(() => page.locator('#admit-alert').getAttribute('data-state')).toBe('recorded')

    // A ticket number typed by hand: admitted; no identity bytes to compare, so an override with its reason.
    await scan(typed.ticketNumber!)
    await expect.poll(verdict).toBe('admitted')
    expect(await page.locator('#cand-name').textContent()).toBe(typed.holder!.name)
    await page.locator('#override summary').click()
    await page.locator('#override-reason').selectOption('id_forgotten')
    await page.locator('#override-confirm').click()
    await expect.poll(() => page.locator('#admit-alert').getAttribute('data-state')).toBe('recorded')
    // The camera's candidate again, by number: the kiosk knows the offline admission.
    await scan(byCamera.ticketNumber!)
    await expect.poll(verdict).toBe('already_admitted')
    expect(await page.locator('#verdict-detail').textContent()).toContain(DOOR)

    // An incident: a violation by the typed candidate's seat, with a seized item and its receipt.
    await page.locator('#tab-incidents').click()
    await page.locator('#incident-candidate-seat').fill(String(typed.holder!.seat))
    await page.locator('#incident-kind').selectOption('unpermitted_items')
    await page.locator('#incident-description').fill('手机未按规定放在指定位置，已暂扣')
    await page.getByRole('button', { name: '添加暂扣物品' }).click()
    await page.locator('#incident-seized [data-seized=item]').fill('手机')
    await page.locator('#incident-receipt').fill('SJ-0001')
    await page.locator('#incident-form button[type=submit]').click()
    await page.locator('#incident-list li[data-kind="unpermitted_items"]').waitFor()
    expect(await page.locator('#incident-alert').isVisible()).toBe(true)
    await shot('kiosk-incidents.png')
    await expect.poll(() => page.locator('#queue-count').textContent()).toBe('3')

    const present = (ticket: string) => page.locator(`#att-present li[data-ticket="${ticket}"], #att-late li[data-ticket="${ticket}"]`).count()
    await page.locator('#tab-attendance').click()
    for (const s of [online, byCamera, typed]) await expect.poll(() => present(s.ticketNumber!), { message: s.ticketNumber! }).toBe(1)
    await shot('kiosk-attendance.png')

    // A reload with no network: the worker serves the page, the tablet's queue and admissions are still there.
    await page.reload()
    await page.locator('#room-view').waitFor()
    expect(await page.locator('#net-state').getAttribute('data-state')).toBe('offline')
    await expect.poll(() => page.locator('#queue-count').textContent()).toBe('3')
    await page.locator('#tab-attendance').click()
    for (const s of [online, byCamera, typed]) await expect.poll(() => present(s.ticketNumber!), { message: s.ticketNumber! }).toBe(1)
    await page.locator('#tab-incidents').click()
    await page.locator('#incident-list li[data-kind="unpermitted_items"]').waitFor()
    const kept = await page.evaluate(
      () =>
        new Promise<Array<{ id: string; kind: string; online: boolean; madeAt: number; status: string }>>((resolve, reject) => {
          const open = indexedDB.open('custody-kiosk')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const all = open.result.transaction('records').objectStore('records').getAll()
            all.onsuccess = () =>
              resolve(
                (all.result as Array<{ record: { id: string; kind: string; online: boolean; madeAt: number }; status: string }>).map((r) => ({
                  id: r.record.id,
                  kind: r.record.kind,
                  online: r.record.online,
                  madeAt: r.record.madeAt,
                  status: r.status,
                })),
              )
            all.onerror = () => reject(all.error)
          }
        }),
    )
    expect(kept.map((r) => [r.kind, r.online]).sort()).toEqual([
      ['admission', false],
      ['admission', false],
      ['admission', true],
      ['incident', false],
    ])
    expect(await served.custody.services.db.query('SELECT id FROM kiosk_records').all()).toHaveLength(1) // only the online one so far

    // Back online: the kiosk notices by itself (its next call), uploads the queue and says so.
    await context.setOffline(false)
    await expect.poll(() => page.locator('#queue-count').textContent(), { timeout: 30_000 }).toBe('0')
    expect(await page.locator('#net-state').getAttribute('data-state')).toBe('online')
    expect(await page.locator('#last-sync').textContent()).not.toBe('—')
    expect(await page.locator('#refused-count').textContent()).toBe('0')

    // On the server: each kiosk record exactly once, each admission once, each record one event with both clocks.
    const db = services.db
    const rows = db
      .query<{ id: string; kind: string; online: number; flags: string; made_at: number; received_at: number; log_index: number }, [string]>(
        'SELECT id, kind, online, flags, made_at, received_at, log_index FROM kiosk_records WHERE session_id = ?',
      )
      .all(sheet.session.id)
    expect(rows.map((r) => r.id).sort()).toEqual(kept.map((r) => r.id).sort())
    const admissions = db
      .query<{ ticket_number: string; record_id: string; id_check: string; override_reason: string | null }, [string]>(
        'SELECT ticket_number, record_id, id_check, override_reason FROM admissions WHERE session_id = ? ORDER BY ticket_number',
      )
      .all(sheet.session.id)
    expect(admissions.map((a) => [a.ticket_number, a.id_check, a.override_reason])).toEqual(
      [
        [online.ticketNumber, 'matched', null],
        [byCamera.ticketNumber, 'matched', null],
        [typed.ticketNumber, 'override', 'id_forgotten'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    )
    const incidents = db
      .query<{ id: string; kind: string; candidate_id: string }, [string]>('SELECT id, kind, candidate_id FROM kiosk_incidents WHERE session_id = ?')
      .all(sheet.session.id)
    expect(incidents).toHaveLength(1)
    expect(incidents[0]!.kind).toBe('unpermitted_items')

    const events: LogEvent[] = []
    for (let i = logFrom; i < services.log.size(); i++) events.push(services.log.entry(i)!.event)
    const kioskEvents = events.filter((e) => e.action === 'kiosk.admission' || e.action === 'kiosk.incident')
    expect(kioskEvents.map((e) => e.subject!.id).sort()).toEqual(kept.map((r) => r.id).sort()) // one event per record, none twice
    for (const k of kept) {
      const row = rows.find((r) => r.id === k.id)!
      const event = kioskEvents.find((e) => e.subject!.id === k.id)!
      expect(event.action).toBe(`kiosk.${k.kind}`)
      expect(event.outcome).toBe('ok')
      expect(row.log_index).toBe(event.index)
      expect(event.data.madeAt).toBe(k.madeAt) // the kiosk's clock ...
      const receivedAt = event.data.receivedAt as number // ... and the server's (taken as the batch began; the log's own time follows)
      expect(Date.parse(event.time) - receivedAt).toBeGreaterThanOrEqual(0)
      expect(Date.parse(event.time) - receivedAt).toBeLessThan(5_000)
      expect(row.made_at).toBe(k.madeAt)
      expect(row.received_at).toBe(event.data.receivedAt)
      const flags = JSON.parse(row.flags) as string[]
      expect(event.data.flags).toEqual(flags)
      expect(event.data.online).toBe(k.online)
      expect(row.online).toBe(k.online ? 1 : 0)
      // Made offline ⇔ flagged offline (and received after it was made).
      expect(flags.includes('offline'), `${k.kind} ${k.id}`).toBe(!k.online)
      if (!k.online) expect(row.received_at).toBeGreaterThan(row.made_at)
    }
    // The browser notes each request that found no network (the worker's network-first try of the page, a ping): expected here.
    expect(problems.unexpected().filter((m) => !m.endsWith('net::ERR_INTERNET_DISCONNECTED'))).toEqual([])

    // The supervisors' live page and the tablets' page, for the README.
    await staffShot(browser, served, 'supervisor', `/supervisor/live?session=${sheet.session.id}`, 'kiosk-supervisor-live.png', async (p) => {
      const room = p.locator(`tr[data-room="${sheet.room.id}"]`)
      await expect.poll(() => room.count()).toBe(1)
      await expect.poll(() => p.locator('#live-state').getAttribute('data-state')).toBe('live')
      expect(await room.locator('[data-incidents]').getAttribute('data-incidents')).toBe('1')
    })
    await staffShot(browser, served, 'admin', '/admin/kiosks', 'kiosk-admin-devices.png', async (p) => {
      await expect.poll(() => p.getByText(DOOR).count()).toBeGreaterThan(0)
    })
    await context.close()
  }, 240_000)
})

/** Logs in through the login page (zh-CN, the tablet's window), waits for `ready`, and takes a screenshot. */
async function staffShot(
  browser: Browser,
  served: ServedApp,
  username: string,
  path: string,
  file: string,
  ready: (page: Page) => Promise<void>,
): Promise<void> {
  const context: BrowserContext = await browser.newContext({ ...TABLET, viewport: { width: 1280, height: 800 } })
  const problems = await watchProblems(context)
  const page = await context.newPage()
  await page.goto(`${served.url}/login?next=${encodeURIComponent(path)}`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((u) => u.pathname === path.split('?')[0])
  await ready(page)
  await page.screenshot({ path: `${DOCS_SHOTS}/${file}`, fullPage: true })
  expect(problems.unexpected()).toEqual([])
  await context.close()
}
