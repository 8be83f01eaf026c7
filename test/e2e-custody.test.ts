// One packet's custody in real headless Chromium, driven through the pages as the people would: custodian A
// creates the paper and uploads it, asks for a print job, custodians A and B approve it on their own logins,
// A decrypts inside the window (the plaintext arrives in the browser as a Blob) and records the printing;
// the packet is sealed and stored with B as witness, issued to invigilator 1 (who confirms on their own
// device), handed to invigilator 2 in the room, opened by both, counted, resealed, returned to A, reconciled
// and archived. Then a leak report freezes the paper and the supervisor sees the alert, the exposure trace and
// decides. The tests run in order and share the server and the people's browser contexts.
import { mkdirSync, writeFileSync } from 'node:fs'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import QRCode from 'qrcode'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { TEST_PASSWORD } from './_app.ts'
import { CHROMIUM_PATH, DOCS_SHOTS, type PageProblems, type ServedApp, describeBrowser, launchBrowser, serveApp, watchProblems } from './_browser.ts'
import { attach, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

const SHOTS = '/tmp/custody-e2e'
const HOUR = 3600_000
const SHARE_PASSPHRASES: Record<string, string> = {
  'keeper.a': 'keeper a share phrase',
  'keeper.b': 'keeper b share phrase',
  'keeper.c': 'keeper c share phrase',
}
/** A recognisable stand-in for the paper's PDF: the bytes the browser gets back must be exactly these. */
const PDF = Buffer.from(`%PDF-1.4\n% 电工四级 理论知识 A 卷 — CONFIDENTIAL EXAM TEXT\n${'x'.repeat(40_000)}\n%%EOF\n`)

interface Person {
  username: string
  id: string
  context: BrowserContext
  page: Page
  problems: PageProblems
}
const NAMES = { custA: '王保管', custB: '陈保管', inv1: '李监考', inv2: '赵监考', sup: '周督导' } as const
const SCREENSHOTS = DOCS_SHOTS

describeBrowser('paper custody in Chromium: one packet from print to archive, and a leak', () => {
  let browser: Browser
  let served: ServedApp
  let sessionId: string
  let batchId: string
  let roomId: string
  const people: Record<'custA' | 'custB' | 'inv1' | 'inv2' | 'sup', Person> = {} as never
  let paperId = ''
  let packetId = ''

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(SCREENSHOTS, { recursive: true })
    browser = await launchBrowser()
    served = serveApp()
    const app = served.custody
    // The browser keeps real time, so the session starts 2 hours from now: inside the decryption window
    // (24 h to 1 h before, the default), and the batch lets rooms open packets from 3 hours before.
    const f = seedLifecycle(app)
    sessionId = f.sessions.theory
    batchId = f.batchId
    const starts = Date.now() + 2 * HOUR
    app.services.db.run('UPDATE exam_sessions SET starts_at = ?, ends_at = ? WHERE id = ?', [starts, starts + 2 * HOUR, sessionId])
    const registrar = await app.userWith(['registrar'], 'kaowu')
    const made = await makeRooms(app, registrar.cookie, [{ name: '101', kind: 'theory', capacity: 30 }])
    roomId = made.rooms['101']!
    await attach(app, registrar.cookie, sessionId, [roomId])

    const make = async (key: keyof typeof people, roles: Parameters<typeof app.userWith>[0], username: string) => {
      const u = await app.userWith(roles, username)
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
      const problems = await watchProblems(context)
      people[key] = { username, id: u.id, context, page: await context.newPage(), problems }
    }
    await make('custA', ['custodian'], 'keeper.a')
    await make('custB', ['custodian'], 'keeper.b')
    await make('inv1', ['invigilator'], 'jiankao.1')
    await make('inv2', ['invigilator'], 'jiankao.2')
    await make('sup', ['supervisor'], 'dudao')
    // People have names (decision record 010): every page shows these, the username only small beside them.
    for (const [key, name] of Object.entries(NAMES))
      app.services.db.run('UPDATE users SET display_name = ? WHERE id = ?', [name, people[key as keyof typeof people].id])
    // The paper key, dealt 2 of 3 to the custodians with their own passphrases (decision 008).
    const third = await app.userWith(['custodian'], 'keeper.c')
    const admin = await app.userWith(['admin'], 'guanli')
    const k = app.services.keyCeremonies
    const as = (id: string, name: string, roles: string[]) => ({ user: id, name, roles })
    const started = k.start(as(admin.id, 'guanli', ['admin']), { holders: [people.custA.id, people.custB.id, third.id], threshold: 2 })
    if (!started.ok) throw new Error(`key ceremony: ${started.error.code}`)
    for (const [id, name] of [
      [people.custA.id, 'keeper.a'],
      [people.custB.id, 'keeper.b'],
      [third.id, 'keeper.c'],
    ] as const) {
      const r = await k.register(as(id, name, ['custodian']), SHARE_PASSPHRASES[name]!)
      if (!r.ok) throw new Error(`share passphrase ${name}: ${r.error.code}`)
    }
    for (const inv of [people.inv1, people.inv2]) {
      const res = await app.call('POST', `/api/sessions/${sessionId}/staff`, {
        cookie: registrar.cookie,
        body: { userId: inv.id, duty: 'invigilator', roomId },
      })
      if (res.status !== 201) throw new Error(`staff: ${res.status} ${await res.text()}`)
    }
    const custA = await app.login('keeper.a')
    const settings = await app.call('PUT', `/api/batches/${batchId}/custody-settings`, {
      cookie: custA,
      body: { opensMinutesBefore: 1440, closesMinutesBefore: 60, openMinutesBefore: 180, sparesPerRoom: 2 },
    })
    if (settings.status !== 200) throw new Error(`settings: ${settings.status} ${await settings.text()}`)
    for (const p of Object.values(people)) await logIn(p)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  async function logIn(p: Person): Promise<void> {
    await p.page.goto(`${served.url}/login`)
    await p.page.getByLabel('用户名').fill(p.username)
    await p.page.getByLabel('密码', { exact: true }).fill(TEST_PASSWORD)
    await p.page.getByRole('button', { name: '登录' }).click()
    await p.page.waitForURL(`${served.url}/home`)
  }

  /**
   * A printable page the server renders (label, report), opened as `p` in a page of its own and watched for
   * script errors and CSP violations. Those pages carry no icon link, so the browser's own /favicon.ico
   * request (a 404) is not counted against them.
   */
  async function printable(p: Person, path: string, name: string): Promise<string> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1200 }, locale: 'zh-CN' })
    await context.addCookies(await p.context.cookies())
    const problems: string[] = []
    const page = await context.newPage()
    page.on('pageerror', (err) => problems.push(err.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(m.text())
    })
    const res = await page.goto(`${served.url}${path}`)
    expect(res?.status(), path).toBe(200)
    await page.screenshot({ path: name.startsWith('/') ? name : `${SHOTS}/${name}.png`, fullPage: true })
    const html = await page.content()
    await context.close()
    expect(problems, path).toEqual([])
    return html
  }

  const shot = (p: Person, name: string) => p.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
  const packetState = (p: Person) => p.page.locator('#packet-state .badge').getAttribute('data-state')
  const packet = () => served.custody.services.custody.packet(packetId)!
  const okText = (p: Person, box: string) => p.page.locator(`${box}.alert--ok .alert__main`).textContent()

  /** On the packet page: the move's button, its form filled by `fill`, submitted; waits for `state`. */
  async function move(p: Person, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, state: string): Promise<void> {
    await p.page.locator(`#moves [data-move="${action}"]`).click()
    const form = p.page.locator('#move-form')
    await expect.poll(() => form.isVisible()).toBe(true)
    await fill(form)
    await p.page.locator('#move-submit').click()
    // Done when the page confirms the step (a refusal shows beside the form instead).
    await expect
      .poll(async () =>
        (await p.page.locator('#move-alert').isVisible())
          ? await p.page.locator('#move-alert').innerText()
          : (await p.page.locator('#page-alert.alert--ok').isVisible())
            ? await packetState(p)
            : 'pending',
      )
      .toBe(state)
  }
  const moves = (p: Person) => p.page.locator('#moves [data-move]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-move')))

  test('custodian A creates the paper and uploads its file, which is stored encrypted', async () => {
    const a = people.custA
    await a.page.goto(`${served.url}/home`)
    await expect.poll(() => a.page.locator('#home').isVisible()).toBe(true)
    const tiles = await a.page.locator('#features a').evaluateAll((as) => as.map((x) => x.getAttribute('href')))
    expect(tiles).toEqual(['/custody', '/custody/keys']) // the console, and their own key share (decision 008)
    await a.page.locator('#features a[href="/custody"]').click()
    await expect.poll(() => a.page.locator('#area').isVisible()).toBe(true)
    expect(await a.page.locator('h1').textContent()).toBe('试卷保密')
    // The session is picked by its time, batch and subject: there is no session-id box to type into.
    expect(await a.page.locator('#session-id').count()).toBe(0)
    await a.page.locator('#session-select').selectOption(sessionId)
    await expect.poll(() => a.page.locator('#papers-body .empty').textContent()).toBe('本场次还没有试卷：请在「为本场次新建试卷」中新建')
    expect(await a.page.locator('#session-select option:checked').textContent()).not.toContain(sessionId)
    expect(await a.page.locator('#session-info').textContent()).toMatch(
      /^开考 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 北京时间 · 解密时段 .+ 至 .+ · 启封不早于开考前 180 分钟$/,
    )
    await a.page.locator('#paper-kind').selectOption('paper_a')
    await a.page.locator('#paper-title').fill('电工四级理论知识 A 卷')
    await a.page.locator('#paper-submit').click()
    await expect.poll(() => new URL(a.page.url()).pathname).toMatch(/^\/custody\/papers\/[^/]+$/)
    paperId = decodeURIComponent(new URL(a.page.url()).pathname.split('/').pop()!)
    await expect.poll(() => a.page.locator('#paper-title').textContent()).toBe('电工四级理论知识 A 卷')
    expect(await a.page.locator('#file-none').textContent()).toBe('尚未上传试卷文件')
    expect(await a.page.locator('#request-card').isHidden()).toBe(true) // nothing to print yet

    await a.page.locator('#upload-file').setInputFiles({ name: '电工四级-理论A卷.pdf', mimeType: 'application/pdf', buffer: PDF })
    await a.page.locator('#upload-submit').click()
    await expect.poll(() => okText(a, '#upload-alert')).toBe(`已上传并加密：${(PDF.length / 1024).toFixed(1)} KB`)
    expect(await a.page.locator('#file-name').textContent()).toBe('电工四级-理论A卷.pdf')
    const stored = served.custody.services.papers.store.file(paperId)!
    expect(await a.page.locator('#file-sha').textContent()).toBe(stored.cipherSha256)
    expect(stored.plaintextBytes).toBe(PDF.length)
    await shot(a, 'custody-paper-uploaded')
  })

  test('custodian A requests printing; approvals by A and then B on their own logins; A decrypts into the browser', async () => {
    const a = people.custA,
      b = people.custB
    await a.page.locator('#request-submit').click()
    await expect.poll(() => a.page.locator('#jobs-body tr[data-job]').count()).toBe(1)
    const job = a.page.locator('#jobs-body tr[data-job]')
    expect(await job.locator('.badge').getAttribute('data-state')).toBe('requested')
    expect(await job.innerText()).toContain('1 个考场 · 32 份') // 30 seats + 2 spares
    expect(await job.locator('[data-action="decrypt"]').count()).toBe(0) // not before two approvals
    // The approval asks for A's share passphrase (not the login password) and unlocks A's key share.
    await job.locator('[data-action="approve"]').click()
    await expect.poll(() => a.page.locator('#share-dialog').isVisible()).toBe(true)
    await a.page.locator('#share-passphrase').fill(SHARE_PASSPHRASES['keeper.a']!)
    await a.page.locator('#share-submit').click()
    await expect.poll(() => job.innerText()).toContain('1/2')
    expect(await job.locator('[data-action="approve"]').count()).toBe(0) // the same person cannot approve twice

    await b.page.goto(`${served.url}/custody/papers/${encodeURIComponent(paperId)}`)
    const jobB = b.page.locator('#jobs-body tr[data-job]')
    await expect.poll(() => jobB.count()).toBe(1)
    await jobB.locator('[data-action="approve"]').click()
    await b.page.locator('#share-passphrase').fill(TEST_PASSWORD) // the login password opens no share
    await b.page.locator('#share-submit').click()
    await expect.poll(() => b.page.locator('#share-alert').innerText()).toContain('份额口令不正确')
    expect(await jobB.locator('.badge').getAttribute('data-state')).toBe('requested')
    await b.page.locator('#share-passphrase').fill(SHARE_PASSPHRASES['keeper.b']!)
    await b.page.locator('#share-submit').click()
    await expect.poll(() => jobB.locator('.badge').getAttribute('data-state')).toBe('approved')
    await shot(b, 'custody-paper-approved')

    await a.page.reload()
    await expect.poll(() => job.locator('.badge').getAttribute('data-state')).toBe('approved')
    // What the server streams to this tab (read on its way in: a page under this CSP cannot fetch blob: URLs).
    let plaintext: Buffer | null = null
    await a.page.route('**/api/print-jobs/*/decrypt', async (route) => {
      const res = await route.fetch()
      plaintext = await res.body()
      await route.fulfill({ response: res, body: plaintext })
    })
    await job.locator('[data-action="decrypt"]').click()
    await expect.poll(() => a.page.locator('#plain-card').isVisible()).toBe(true)
    // The plaintext came to this tab byte for byte the uploaded file, and is held there as a blob: URL.
    expect(plaintext!.equals(PDF)).toBe(true)
    await a.page.unroute('**/api/print-jobs/*/decrypt')
    expect(await a.page.locator('#plain-open').getAttribute('href')).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//)
    expect(await a.page.locator('#plain-size').textContent()).toBe(`${(PDF.length / 1024).toFixed(1)} KB`)
    expect(await a.page.locator('#plain-card .alert--info').textContent()).toContain('明文仅保存在本浏览器的内存中')
    expect(await job.locator('.badge').getAttribute('data-state')).toBe('decrypted')
    await shot(a, 'custody-paper-decrypted')

    await job.locator('[data-action="printed"]').click()
    await expect.poll(() => a.page.locator('#printed-copies').inputValue()).toBe('32')
    await a.page.locator('#printed-submit').click()
    await expect.poll(() => a.page.locator('#packets-body tr[data-packet]').count()).toBe(1)
    expect(await a.page.locator('#plain-card').isHidden()).toBe(true) // printed: the plaintext is dropped
    const row = a.page.locator('#packets-body tr[data-packet]')
    packetId = (await row.getAttribute('data-packet'))!
    expect(await row.innerText()).toContain('0001–0032')
    expect(await row.locator('a[data-action="label"]').getAttribute('href')).toBe(`/packets/${packetId}/label`)
    await shot(a, 'custody-paper-printed')

    // The label the packet is scanned by: its QR carries CUSTODY-PACKET:<id>.
    const label = await printable(a, `/packets/${encodeURIComponent(packetId)}/label`, 'custody-label')
    expect(label).toContain('data:image/')
  })

  test('a handheld scanner typing CUSTODY-PACKET:<id> and Enter into the console brings up the packet', async () => {
    const a = people.custA
    await a.page.goto(`${served.url}/custody`)
    const field = a.page.locator('#scan-input')
    await expect.poll(() => a.page.evaluate(() => document.activeElement?.id)).toBe('scan-input') // focused, ready to scan
    await field.pressSequentially('CUSTODY-PACKET:nonsense!!')
    await field.press('Enter')
    await expect.poll(() => a.page.locator('#scan-alert .alert__main').textContent()).toBe('无法识别的试卷袋编码：CUSTODY-PACKET:nonsense!!')
    await field.pressSequentially(`CUSTODY-PACKET:${packetId}`)
    await field.press('Enter')
    await expect.poll(() => a.page.url()).toBe(`${served.url}/custody/packets/${packetId}`)
    await expect.poll(() => packetState(a)).toBe('printed')
    expect(await a.page.locator('#packet-id').getAttribute('data-packet')).toBe(packetId)
    expect(await a.page.locator('#packet-id').innerText()).toBe('第一考点 101 考场 · 0001–0032') // the packet by its room and copy numbers, not its id
    expect(await moves(a)).toEqual(['seal', 'void']) // exactly the moves the server offers (freezing goes by a leak report)
  })

  test('a packet page that cannot be shown says why in words, instead of staying blank', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    await context.addCookies(await people.custA.context.cookies())
    const page = await context.newPage()
    await page.goto(`${served.url}/custody/packets/no-such-packet`)
    const problem = page.locator('#page-problem')
    await expect.poll(() => problem.isVisible()).toBe(true)
    expect(await problem.innerText()).toBe('没有这个试卷袋：请重新扫描试卷袋标签上的二维码。')
    expect(await page.locator('#area').isHidden()).toBe(true)
    await context.close()
  })

  test('on a phone the scan box comes first on the console', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true })
    await context.addCookies(await people.inv1.context.cookies())
    const page = await context.newPage()
    await page.goto(`${served.url}/custody`)
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    const top = async (sel: string) => (await page.locator(sel).boundingBox())!.y
    expect(await top('#scan-card')).toBeLessThan(await top('#handovers-card'))
    await page.screenshot({ path: `${SHOTS}/custody-console-phone.png`, fullPage: true })
    await context.close()
  })

  test("the camera reads the label's QR code (html5-qrcode) and brings up the packet", async () => {
    // A camera that films the label: Chromium's fake capture device plays an MJPEG of the packet's QR code.
    const png = await QRCode.toDataURL(`CUSTODY-PACKET:${packetId}`, { margin: 4, width: 360 })
    const painter = await browser.newPage({ viewport: { width: 640, height: 480 } })
    await painter.setContent(
      `<body style="margin:0;background:#fff;display:flex;align-items:center;justify-content:center;height:480px"><img src="${png}"></body>`,
    )
    const frame = await painter.screenshot({ type: 'jpeg', quality: 90 })
    await painter.close()
    const video = `${SHOTS}/qr-camera.mjpeg`
    writeFileSync(video, Buffer.concat(Array.from({ length: 10 }, () => frame)))
    // Headless, the scanning loop is throttled like a background tab unless told otherwise (reads took ~30 s).
    const camera = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    })
    try {
      const context = await camera.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
      await context.addCookies(await people.custA.context.cookies())
      const problems = await watchProblems(context)
      const page = await context.newPage()
      await page.goto(`${served.url}/custody`)
      await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
      await page.locator('#camera-start').click()
      // The packet page, or (on failure) why the camera could not be used. Reads take about 2 s here, but far
      // longer on a loaded machine (CI runs test files in parallel): the wait is generous, the assertion exact.
      const outcome = async () =>
        (await page
          .locator('#scan-alert')
          .isVisible()
          .catch(() => false))
          ? await page.locator('#scan-alert').innerText()
          : page.url()
      await expect
        .poll(outcome, { timeout: 45_000 })
        .toBe(`${served.url}/custody/packets/${packetId}`)
        .catch(async (e: unknown) => {
          await page.screenshot({ path: `${SHOTS}/custody-camera-failed.png` }) // what the camera showed, to look at
          throw e
        })
      await expect.poll(() => page.locator('#packet-id').getAttribute('data-packet')).toBe(packetId)
      expect(problems.unexpected()).toEqual([])
      await context.close()
    } finally {
      await camera.close()
    }
  }, 60_000)

  test('sealed and stored with custodian B as witness; a wrong witness password is refused and moves nothing', async () => {
    const a = people.custA
    await a.page.locator('#moves [data-move="seal"]').click()
    await a.page.locator('#mv-seal-number').fill('SEAL-0001')
    await a.page.locator('#mv-witness-username').fill('keeper.b')
    await a.page.locator('#mv-witness-password').fill('not her password')
    await a.page.locator('#move-submit').click()
    await expect.poll(() => a.page.locator('#move-alert .alert__main').textContent()).toMatch(/密码/)
    expect(await a.page.locator('#move-alert .alert__en').count()).toBe(0) // Chinese mode speaks Chinese: no English line beneath
    expect(await packetState(a)).toBe('printed')
    expect(await a.page.locator('#mv-witness-password').inputValue()).toBe('') // never left in the form
    await shot(a, 'custody-packet-witness-refused')
    await a.page.locator('#move-cancel').click()

    await move(
      a,
      'seal',
      async (f) => {
        await f.locator('#mv-seal-number').fill('seal-0001')
        await f.locator('#mv-witness-username').fill('keeper.b')
        await f.locator('#mv-witness-password').fill(TEST_PASSWORD)
      },
      'sealed',
    )
    expect(await a.page.locator('#fact-seal').textContent()).toBe('SEAL-0001')
    await move(
      a,
      'store',
      async (f) => {
        await f.locator('#mv-seal-seen').fill('SEAL-0001')
        await f.locator('#mv-witness-username').fill('keeper.b')
        await f.locator('#mv-witness-password').fill(TEST_PASSWORD)
      },
      'in_vault',
    )
    expect(await a.page.locator('#fact-holder').textContent()).toBe('保密室')
    expect(packet()).toMatchObject({ state: 'in_vault', sealNumber: 'SEAL-0001', holder: { place: 'vault' } })
  })

  test('issued to invigilator 1, who confirms on their own device with the seal number they see', async () => {
    const a = people.custA,
      i1 = people.inv1
    await a.page.locator('#moves [data-move="issue"]').click()
    // The receiver is picked from those who may receive it: the room's invigilators first, by name; never oneself.
    const receiver = a.page.locator('#mv-receiver')
    await expect.poll(() => receiver.locator('optgroup').first().getAttribute('label')).toBe('本考场监考人员')
    expect(await receiver.locator('optgroup').first().locator('option').allTextContents()).toEqual(['李监考（jiankao.1）', '赵监考（jiankao.2）'])
    expect(await receiver.locator('option').allTextContents()).not.toContain('王保管（keeper.a）')
    expect(await receiver.locator('option').allTextContents()).not.toContain('周督导（dudao）') // supervisors do not carry packets
    await shot(a, 'custody-packet-receiver')
    await receiver.selectOption('jiankao.1')
    await a.page.locator('#mv-place').fill('保密室')
    await a.page.locator('#mv-seal-seen').fill('SEAL-0001')
    await a.page.locator('#move-submit').click()
    await expect.poll(() => a.page.locator('#handover-card').isVisible()).toBe(true)
    expect(await a.page.locator('#handover-alert').textContent()).toBe('等待接收人在其本人账号中确认')
    expect(await moves(a)).toEqual([]) // the packet waits for the receiver
    await shot(a, 'custody-packet-offered')

    await i1.page.goto(`${served.url}/custody`)
    await expect.poll(() => i1.page.locator(`#handovers-body tr[data-packet="${packetId}"]`).count()).toBe(1)
    const row = i1.page.locator(`#handovers-body tr[data-confirm="${packetId}"]`)
    expect(await i1.page.locator('#session-card').isHidden()).toBe(true) // invigilators do not manage papers
    await shot(i1, 'custody-console-invigilator')
    // A seal number that does not match stops the handover (and alerts the supervisors).
    await row.locator('input[name="sealSeen"]').fill('SEAL-9999')
    await row.locator('[data-action="confirm"]').click()
    await expect.poll(() => i1.page.locator('#handovers-alert .alert__main').textContent()).toBe('封条编号不符，已通知督导')
    expect(packet().state).toBe('in_vault')
    await row.locator('input[name="sealSeen"]').fill('SEAL-0001')
    await row.locator('[data-action="confirm"]').click()
    await expect.poll(() => i1.page.locator('#handovers-alert.alert--ok').textContent()).toContain('已接收试卷袋')
    expect(packet()).toMatchObject({ state: 'issued', holder: { userId: i1.id } })
    await expect.poll(() => i1.page.locator(`#packets-body tr[data-packet="${packetId}"] .badge`).getAttribute('data-state')).toBe('issued')
  })

  test('in the room: handed to invigilator 2, opened by both, counted, resealed and returned to custodian A', async () => {
    const i1 = people.inv1,
      i2 = people.inv2,
      a = people.custA
    await i1.page.goto(`${served.url}/custody/packets/${packetId}`)
    await expect.poll(() => packetState(i1)).toBe('issued')
    expect(await i1.page.locator('#label-link').isHidden()).toBe(true)
    await i1.page.locator('#moves [data-move="receive"]').click()
    await i1.page.locator('#mv-receiver').selectOption('jiankao.2')
    await i1.page.locator('#mv-place').fill('第一考点 101 考场')
    await i1.page.locator('#mv-seal-seen').fill('SEAL-0001')
    await i1.page.locator('#move-submit').click()
    await expect.poll(() => i1.page.locator('#handover-card').isVisible()).toBe(true)

    await i2.page.goto(`${served.url}/custody/packets/${packetId}`)
    await expect.poll(() => i2.page.locator('#confirm-form').isVisible()).toBe(true)
    // A blind check (decision record 006): the receiver reads no seal number on the page, only what to do.
    expect(await i2.page.locator('#fact-seal').innerText()).toBe('（请核对实物封条）')
    expect(await i2.page.locator('main').innerText()).not.toContain('SEAL-0001')
    await shot(i2, 'custody-packet-confirm')
    await i2.page.locator('#confirm-seal').fill('SEAL-0001')
    await i2.page.locator('#confirm-submit').click()
    await expect.poll(() => packetState(i2)).toBe('received')
    expect(await i2.page.locator('#fact-holder').innerText()).toContain('您')

    await move(
      i2,
      'open',
      async (f) => {
        await f.locator('#mv-seal-seen').fill('SEAL-0001')
        await f.locator('#mv-second-username').fill('jiankao.1')
        await f.locator('#mv-second-password').fill(TEST_PASSWORD)
      },
      'opened',
    )
    expect(packet().openedBy).toEqual([i2.id, i1.id])
    await shot(i2, 'custody-packet-opened')

    await move(
      i2,
      'recover',
      async (f) => {
        await f.locator('#mv-used').fill('28')
        await f.locator('#mv-blank').fill('4')
        await f.locator('#mv-spoiled').fill('0')
        await f.locator('#mv-sheets').fill('32')
        await f.locator('#mv-scratch').fill('32')
      },
      'recovered',
    )
    expect(await i2.page.locator('#fact-recovery').innerText()).toContain('相符')
    await move(
      i2,
      'reseal',
      async (f) => {
        await f.locator('#mv-seal-number').fill('SEAL-0001-R')
        await f.locator('#mv-witness-username').fill('jiankao.1')
        await f.locator('#mv-witness-password').fill(TEST_PASSWORD)
      },
      'recovered',
    )
    expect(await i2.page.locator('#fact-seal').textContent()).toBe('SEAL-0001-R')
    await i2.page.locator('#moves [data-move="return"]').click()
    expect(await i2.page.locator('#mv-receiver option').allTextContents()).not.toContain('李监考（jiankao.1）') // a return goes to a custodian
    await i2.page.locator('#mv-receiver').selectOption('keeper.a')
    await i2.page.locator('#mv-place').fill('保密室')
    await i2.page.locator('#mv-seal-seen').fill('SEAL-0001-R')
    await i2.page.locator('#move-submit').click()
    await expect.poll(() => i2.page.locator('#handover-card').isVisible()).toBe(true)
    await shot(i2, 'custody-packet-returning')

    await a.page.goto(`${served.url}/custody`)
    const row = a.page.locator(`#handovers-body tr[data-confirm="${packetId}"]`)
    await expect.poll(() => row.count()).toBe(1)
    // The console names people and packets: the giver by name, the packet by its room and copy numbers.
    const offer = a.page.locator(`#handovers-body tr[data-handover][data-packet="${packetId}"]`).first()
    expect(await offer.locator('td:nth-child(1)').innerText()).toBe('第一考点 101 考场 · 0001–0032')
    expect(await offer.locator('td:nth-child(3) .person__name').innerText()).toBe('赵监考')
    await expect.poll(() => a.page.locator(`#packets-body tr[data-packet="${packetId}"] td:nth-child(5) .person__name`).innerText()).toBe('赵监考')
    expect(await a.page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}…/)
    await a.page.screenshot({ path: `${SCREENSHOTS}/custody-console.png`, fullPage: true })
    await row.locator('input[name="sealSeen"]').fill('SEAL-0001-R')
    await row.locator('[data-action="confirm"]').click()
    await expect.poll(() => a.page.locator('#handovers-alert.alert--ok').textContent()).toContain('已接收试卷袋')
    expect(packet().holder).toEqual({ userId: a.id })
  })

  test('custodian A reconciles and archives it with B as witness; the timeline shows every step', async () => {
    const a = people.custA
    await a.page.goto(`${served.url}/custody/packets/${packetId}`)
    await expect.poll(() => packetState(a)).toBe('recovered')
    await move(
      a,
      'reconcile',
      async (f) => {
        await f.locator('#mv-seal-seen').fill('SEAL-0001-R')
      },
      'reconciled',
    )
    await move(
      a,
      'archive',
      async (f) => {
        await f.locator('#mv-witness-username').fill('keeper.b')
        await f.locator('#mv-witness-password').fill(TEST_PASSWORD)
      },
      'archived',
    )
    expect(await a.page.locator('#fact-holder').textContent()).toBe('档案室')
    expect(await a.page.locator('#fact-retention').textContent()).toMatch(/^\d{4}-\d\d-\d\d（\d{4}-\d\d-\d\d 起可销毁）$/)
    await expect.poll(() => a.page.locator('#timeline-body tr[data-action]').count()).toBeGreaterThan(10)
    const done = await a.page.locator('#timeline-body tr[data-outcome="ok"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-action')).reverse())
    const moved = done.filter((x) => x!.startsWith('custody.packet.'))
    expect(moved).toEqual([
      'custody.packet.printed',
      'custody.packet.sealed',
      'custody.packet.stored',
      'custody.packet.issued',
      'custody.packet.received',
      'custody.packet.opened',
      'custody.packet.recovered',
      'custody.packet.resealed',
      'custody.packet.returned',
      'custody.packet.reconciled',
      'custody.packet.archived',
    ])
    expect(done).toContain('custody.alert.seal_mismatch')
    // The refused seal (a wrong witness password) is on the record too, marked as refused.
    expect(await a.page.locator('#timeline-body tr[data-outcome="refused"]').first().innerText()).toContain('已拒绝')
    const archivedBy = a.page.locator('#timeline-body tr[data-action="custody.packet.archived"] td:nth-child(3)')
    expect(await archivedBy.locator('.person__name').innerText()).toBe('王保管') // the display name first, the username small beside it
    expect(await archivedBy.locator('.person__username').innerText()).toBe('keeper.a')
    expect(await a.page.locator('#timeline-body tr[data-action="custody.packet.sealed"] td:nth-child(4)').innerText()).toBe('封装试卷袋')
    expect(await a.page.locator('#fact-printed').innerText()).toContain('王保管')
    expect(await a.page.locator('#fact-opened').innerText()).toMatch(/赵监考.*李监考/)
    expect(await a.page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}…/) // no id stands in for a name
    // A custodian cannot list the session's rooms, yet sees this packet's room and session by name.
    expect(await a.page.locator('#fact-room').innerText()).toBe('第一考点 101 考场')
    expect(await a.page.locator('#fact-session').innerText()).toMatch(/^电工四级 理论知识 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    await shot(a, 'custody-packet-archived')
    await a.page.screenshot({ path: `${SCREENSHOTS}/packet.png`, fullPage: true })
    // The printable report: people by name, the packet by its room and copy numbers, every action by its Chinese name.
    const report = await printable(a, `/reports/packets/${encodeURIComponent(packetId)}`, `${SCREENSHOTS}/custody-report.png`)
    for (const name of ['王保管', '陈保管', '李监考', '赵监考', '第一考点 101 考场 · 试卷编号 0001–0032', '封装试卷袋']) expect(report).toContain(name)
    expect(report).not.toContain('custody.packet.sealed</span>')

    await a.page.getByRole('button', { name: 'English' }).click()
    expect(await a.page.locator('#packet-state .badge').textContent()).toBe('Archived')
    // Every word of the page is in English; only what people typed (the paper's title, the places) stays as typed.
    let visible = await a.page.locator('main').innerText()
    // (The session is named by its occupation and subject, the room by its site and room names: data, typed by the registrar.)
    for (const typed of ['电工四级理论知识 A 卷', '第一考点 101 考场', '第一考点 101', '保密室', '电工', '理论知识', ...Object.values(NAMES)])
      visible = visible.replaceAll(typed, '')
    expect(visible.match(/.{0,30}[\u3400-\u9fff]+.{0,30}/)?.[0]).toBeUndefined() // any Chinese left, with its context
    await shot(a, 'custody-packet-archived-en')
    await a.page.getByRole('button', { name: '切换到中文' }).click()
  })

  test('a leak report freezes the paper at once; the supervisor sees the alert and the exposure trace, and decides', async () => {
    const a = people.custA,
      s = people.sup
    await a.page.goto(`${served.url}/custody/papers/${encodeURIComponent(paperId)}`)
    await expect.poll(() => a.page.locator('#leak-form').isVisible()).toBe(true)
    await a.page.locator('#leak-copy').fill('7')
    await a.page.locator('#leak-description').fill('考生群内出现第 7 份试卷第一页的照片')
    await a.page.locator('#leak-submit').click()
    await expect.poll(() => okText(a, '#leak-alert')).toBe('泄密报告已提交，试卷已冻结，督导人员已收到告警')
    expect(await a.page.locator('#paper-state .badge').getAttribute('data-state')).toBe('frozen')
    expect(await a.page.locator('#request-card').isHidden()).toBe(true)
    await shot(a, 'custody-paper-frozen')

    await s.page.goto(`${served.url}/home`)
    await expect.poll(() => s.page.locator('#home').isVisible()).toBe(true)
    const tiles = await s.page.locator('#features a').evaluateAll((as) => as.map((x) => x.getAttribute('href')))
    expect(tiles).toContain('/supervisor')
    expect(tiles).not.toContain('/custody')
    await s.page.locator('#features a[href="/supervisor"]').click()
    await expect.poll(() => s.page.locator('#area').isVisible()).toBe(true)
    const leakAlert = s.page.locator('#alerts-body tr[data-action="custody.alert.leak"]')
    await expect.poll(() => leakAlert.count()).toBe(1)
    expect(await leakAlert.innerText()).toContain('试卷已冻结')
    expect(await s.page.locator('#alerts-body tr[data-action="custody.alert.seal_mismatch"]').innerText()).toContain('应为 SEAL-0001，看到 SEAL-9999')
    await shot(s, 'supervisor-alerts')

    await leakAlert.locator('a').click()
    await expect.poll(() => s.page.locator('#leak-panel').isVisible()).toBe(true)
    const trace = s.page.locator(`#trace-body tr[data-packet="${packetId}"]`)
    expect(await trace.innerText()).toContain('0001–0032')
    const holders = await trace.locator('td:nth-child(5)').innerText()
    for (const name of ['王保管', '李监考', '赵监考', '保密室', '档案室']) expect(holders).toContain(name)
    expect(await s.page.locator('#trace-people').innerText()).toContain('陈保管') // the witness is among the people involved
    expect(await trace.locator('td:first-child').innerText()).toBe('第一考点 101 考场 · 0001–0032')
    expect(await s.page.locator('#leak-facts').innerText()).not.toContain(sessionId) // the session by its name
    await s.page.screenshot({ path: `${SCREENSHOTS}/supervisor.png`, fullPage: true })
    await shot(s, 'supervisor-leak')

    await s.page.locator('#verdict-reason').fill('照片与第 7 份试卷一致，确认泄密')
    await s.page.locator('#confirm-submit').click()
    await expect.poll(() => s.page.locator('#leak-state .badge').getAttribute('data-state')).toBe('confirmed')
    await expect.poll(() => s.page.locator('#decision-form').isVisible()).toBe(true)
    expect(await s.page.locator('#decision-session').inputValue()).toBe(sessionId) // chosen by name, the id only in the value
    expect(await s.page.locator('#decision-session option:checked').textContent()).toMatch(/^电工四级 理论知识 · \d{4}-\d\d-\d\d \d\d:\d\d$/)
    await s.page.locator('#decision-kind').selectOption('suspend')
    await s.page.locator('#decision-reason').fill('A 卷泄密且无可用 B 卷，本场次停考')
    await s.page.locator('#decision-submit').click()
    await expect.poll(() => okText(s, '#leak-alert')).toBe('已记录：该场次停考')
    expect(await s.page.locator('#leak-facts').innerText()).toContain('A 卷泄密且无可用 B 卷，本场次停考')
    expect(served.custody.services.papers.store.paper(paperId)?.state).toBe('retired')

    // The leaked copy's number leads to its packet and holders.
    // The paper to trace is picked by name (the open report's paper is chosen already), never typed as an id.
    await expect.poll(() => s.page.locator('#copy-paper').inputValue()).toBe(paperId)
    expect(await s.page.locator('#copy-paper option:checked').textContent()).toBe('电工四级理论知识 A 卷（A 卷）')
    await s.page.locator('#copy-number').fill('7')
    await s.page.locator('#copy-submit').click()
    await expect.poll(() => s.page.locator('#copy-packet').getAttribute('data-packet')).toBe(packetId)
    expect(await s.page.locator('#copy-packet').innerText()).toBe('第一考点 101 考场 · 0001–0032')
    expect(await s.page.locator('#copy-holders').innerText()).toContain('赵监考')

    await leakAlert.locator('[data-action="acknowledge"]').click()
    await expect.poll(() => leakAlert.count()).toBe(0) // open alerts only
    await shot(s, 'supervisor-decided')

    await s.page.getByRole('button', { name: 'English' }).click()
    let visible = await s.page.locator('main').innerText()
    for (const typed of [
      '电工四级理论知识 A 卷',
      '考生群内出现第 7 份试卷第一页的照片',
      '照片与第 7 份试卷一致，确认泄密',
      'A 卷泄密且无可用 B 卷，本场次停考',
      '第一考点 101',
      '2026 年第四批 电工（四级）',
      '电工',
      '理论知识',
      '操作技能',
      ...Object.values(NAMES),
    ])
      visible = visible.replaceAll(typed, '')
    expect(visible.match(/.{0,30}[\u3400-\u9fff]+.{0,30}/)?.[0]).toBeUndefined() // any Chinese left, with its context
    await shot(s, 'supervisor-decided-en')
    await s.page.getByRole('button', { name: '切换到中文' }).click()
  })

  test('no page had a script error, a console error or a CSP violation', () => {
    // The refusals provoked on purpose answer 401 (wrong witness password), 403 (wrong share passphrase) and 409 (seal mismatch).
    for (const [who, p] of Object.entries(people)) expect(p.problems.unexpected([401, 403, 409]), who).toEqual([])
  })
})
