// The public certificate check (R8.2) in real headless Chromium: /verify/<number>#<signed text> shows a valid
// certificate with its signature checked in the browser; a tampered fragment is refused; a second visit with the
// server unreachable still checks the signature with the keys kept from the first. Also the registrar's page and
// the printed A4 certificate, for the screenshots.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DOCS_SHOTS, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp, watchProblems } from './_browser.ts'
import { ADMIN, BODY, REGISTRAR, addBatch, addCandidate, certFixture, world } from './_certificates.ts'
import { seedLifecycle } from './_rooms-fixture.ts'

describeBrowser('certificate verification in Chromium', () => {
  let browser: Browser
  let served: ServedApp
  let cert: { number: string; text: string }
  let revoked: string
  let w: ReturnType<typeof world>
  let batchId: string

  beforeAll(async () => {
    mkdirSync(DOCS_SHOTS, { recursive: true })
    browser = await launchBrowser()
    served = serveApp()
    const r = await served.custody.services.accounts.create(
      { system: 'test' },
      { username: 'wang.min', displayName: '王敏', roles: ['registrar'], password: 'correct horse battery' },
    )
    if (!r.ok) throw new Error(r.error.code)
    batchId = seedLifecycle(served.custody).batchId
    w = world()
    addBatch(w, batchId, 4)
    addCandidate(w, batchId, 'k1', '张三', '11010519491231002X')
    addCandidate(w, batchId, 'k2', '李小明', '500101199001010015')
    addCandidate(w, batchId, 'k3', '王五', '500101199001010023')
    w.subjects.get('k2')![1]!.result = 'failed'
    w.reviews.set('k3', ['rv1'])
    const f = certFixture(served.custody, w)
    f.certs.setBodyConfig(ADMIN, BODY)
    f.certs.recordApproval({ ...REGISTRAR, user: r.value.id }, batchId, '渝职鉴〔2026〕17号')
    const a = f.certs.issue({ ...REGISTRAR, user: r.value.id }, batchId, 'k1')
    if (!a.ok) throw new Error(a.error.code)
    cert = { number: a.value.number, text: a.value.text }
    // a second certificate, reissued: the first is revoked
    f.certs.recordApproval(REGISTRAR, 'b1', '渝职鉴〔2026〕16号')
    const b = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!b.ok) throw new Error(b.error.code)
    const q = f.certs.requestReissue(REGISTRAR, b.value.number, { residentId: '11010519491231002X', reason: '遗失' })
    if (!q.ok) throw new Error(q.error.code)
    const d = f.certs.decideReissue({ user: 'u-sup', name: 'sup', roles: ['supervisor'] }, q.value.id, { approve: true })
    if (!d.ok) throw new Error(d.error.code)
    revoked = b.value.number
  })

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('a valid certificate: the server says valid and the signed payload verifies in the browser', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, locale: 'zh-CN' })
    const problems = await watchProblems(context)
    const page = await context.newPage()
    await page.goto(`${served.url}/verify/${cert.number}#${cert.text}`)
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe('valid')
    expect(await page.locator('#offline').getAttribute('data-result')).toBe('ok')
    const text = await page.locator('main').innerText()
    expect(text).toContain('证书有效，签名核验通过')
    expect(text).toContain('张*') // the server's answer, masked
    expect(text).toContain('四级/中级工')
    expect(text).not.toContain('11010519491231002X')
    await page.screenshot({ path: `${DOCS_SHOTS}/certificate-verify.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])

    // Second visit with the server unreachable: the keys kept in localStorage still check the signature.
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'))
    await page.goto('about:blank')
    await page.goto(`${served.url}/verify/${cert.number}#${cert.text}`)
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe('offline-valid')
    expect(await page.locator('#offline').getAttribute('data-result')).toBe('ok')
    expect(await page.locator('#online').innerText()).toContain('无法连接服务器')
    expect(await page.locator('#keys-note').innerText()).toContain('此前保存的公钥')
    await page.screenshot({ path: `${DOCS_SHOTS}/certificate-verify-offline.png`, fullPage: true })
    await context.close()
  })

  test('a tampered fragment is refused even though the number is valid on the server', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const [pre, keyId, payload, sig] = cert.text.split('.')
    const i = 40
    const flipped = payload!.slice(0, i) + (payload![i] === 'A' ? 'B' : 'A') + payload!.slice(i + 1)
    await page.goto(`${served.url}/verify/${cert.number}#${[pre, keyId, flipped, sig].join('.')}`)
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe('refused')
    expect(await page.locator('#offline').getAttribute('data-result')).toBe('refused')
    expect(await page.locator('#verdict').innerText()).toContain('核验未通过')
    await page.screenshot({ path: `${DOCS_SHOTS}/certificate-verify-tampered.png`, fullPage: true })
    await context.close()
  })

  test('revoked and unknown numbers say so', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${served.url}/verify/${revoked}`)
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe('revoked')
    expect(await page.locator('#online').innerText()).toContain('已补发新证书')
    await page.screenshot({ path: `${DOCS_SHOTS}/certificate-verify-revoked.png`, fullPage: true })
    await page.goto(`${served.url}/verify/S000050000001264000999`)
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe('unknown')
    expect(await page.locator('#online').innerText()).toContain('查无此证书')
    await context.close()
  })

  test('the registrar’s checklist names the missing conditions; the printed certificate has its QR', async () => {
    const { context, page, problems } = await loggedInPage(browser, served, 'wang.min', { next: '/certificates' })
    await page.locator('#rows tr').first().waitFor()
    const rows = await page.locator('#rows').innerText()
    expect(rows).toContain('有科目未合格')
    expect(rows).toContain('有未办结的成绩复核')
    expect(rows).toContain(cert.number)
    await page.screenshot({ path: `${DOCS_SHOTS}/certificate-checklist.png`, fullPage: true })
    await page.goto(`${served.url}/api/certificates/${cert.number}/print`)
    await page.locator('.certificate svg').waitFor()
    expect(await page.locator('.certificate').innerText()).toContain('1101**********002X')
    await page.screenshot({ path: `${DOCS_SHOTS}/certificate-print.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
    await context.close()
  })

  test('batch-wide conditions are named once above the list; reissue requests show to a supervisor, not to an administrator', async () => {
    const publication = w.publications.get(batchId)!
    w.publications.delete(batchId)
    try {
      await served.custody.userWith(['supervisor'], 'sun.wei')
      const { context, page, problems } = await loggedInPage(browser, served, 'sun.wei', { next: '/certificates' })
      await expect.poll(() => page.locator('#batch-wide').innerText()).toContain('本批次尚不能发证：成绩尚未公示')
      const rows = await page.locator('#rows').innerText()
      expect(rows).not.toContain('成绩尚未公示')
      expect(rows).toContain('有科目未合格') // a candidate's own condition stays on the row
      expect(rows).toContain('本人条件齐备，待批次条件')
      await expect.poll(() => page.locator('#requests').innerText()).toContain(revoked)
      expect(await page.locator('#reissue-card').isHidden()).toBe(true) // recording a request is the desk's job
      expect(problems.unexpected()).toEqual([])
      await context.close()

      await served.custody.userWith(['admin'], 'li.admin')
      const admin = await loggedInPage(browser, served, 'li.admin', { next: '/certificates' })
      await expect.poll(() => admin.page.locator('#rows tr').count()).toBeGreaterThan(0)
      expect(await admin.page.locator('#requests-card').isHidden()).toBe(true)
      expect(admin.problems.unexpected()).toEqual([]) // no refused request for a list it may not read
      await admin.context.close()
    } finally {
      w.publications.set(batchId, publication)
    }
  })
})
