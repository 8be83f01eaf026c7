// The administrator's key page in real headless Chromium: the log's verifier keys, the paper master keys
// and the ticket key (public halves only), and the two rotations the page offers, each confirmed in a
// dialog and recorded in the custody log by the server; the certificate key ring and its rotation (R8.2).
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DOCS_SHOTS, type PageProblems, type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { eventsSince } from './_rooms-fixture.ts'
import { TEST_PASSWORD } from './_app.ts'

const CJK = /[\u3400-\u9fff]/

describeBrowser('keys page in Chromium: view the public keys, rotate the log key and the master key', () => {
  let browser: Browser
  let served: ServedApp
  let page: Page
  let problems: PageProblems

  beforeAll(async () => {
    browser = await launchBrowser()
    served = serveApp()
    await served.custody.userWith(['admin'], 'guanliyuan')
    ;({ page, problems } = await loggedInPage(browser, served, 'guanliyuan'))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('the home tile opens the page; it shows the current log key, the master key and the ticket key', async () => {
    await page.locator('#features a[href="/admin/keys"]').click()
    await page.waitForURL(`${served.url}/admin/keys`)
    await expect.poll(() => page.locator('#area').isVisible()).toBe(true)
    const s = served.custody.services
    await expect.poll(() => page.locator('#log-keys li[data-current="true"]').innerText()).toContain(s.log.vkey)
    await expect.poll(() => page.locator('#master-body tr[data-current="true"]').count()).toBe(1)
    const ticket = (await (await served.custody.call('GET', '/api/tickets/key')).json()) as { publicKey: string }
    await expect.poll(() => page.locator('#ticket-facts').innerText()).toContain(ticket.publicKey)
  })

  test('rotating the log key: confirmed in the dialog, the new key is current, the old one listed, the rotation logged', async () => {
    const s = served.custody.services
    const oldKey = s.log.vkey
    const from = s.log.size()
    await page.locator('#log-rotate').click()
    await expect.poll(() => page.locator('#rotate-dialog').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#rotate-title').innerText()).toBe('更换审计日志签名密钥')
    await page.locator('#rotate-submit').click()
    await expect.poll(() => page.locator('#page-alert.alert--ok').isVisible()).toBe(true)
    expect(s.log.vkey).not.toBe(oldKey)
    await expect.poll(() => page.locator('#page-alert').innerText()).toContain(s.log.vkey)
    await expect.poll(() => page.locator('#log-keys li[data-current="true"]').innerText()).toContain(s.log.vkey)
    await expect.poll(() => page.locator('#log-keys li[data-current="false"]').innerText()).toContain(oldKey)
    expect(eventsSince(served.custody, from).map((e) => e.action)).toEqual(['log.key_rotated'])
  })

  test('rotating the certificate key: confirmed in the dialog, the new key is active, the old one listed as retired, the rotation logged', async () => {
    const app = served.custody
    const cookie = await app.login('guanliyuan')
    const ring = async () =>
      (
        (await (await app.call('GET', '/api/keys/certificates', { cookie })).json()) as {
          keys: Array<{ keyId: string; active: boolean }>
        }
      ).keys
    // A new data folder has no certificate key: the body's first certificate makes it.
    expect(await ring()).toEqual([])
    await expect.poll(() => page.locator('#cert-keys-body').innerText()).toContain('尚无证书签名密钥')
    app.services.certificates.ring.signer()
    await page.reload()
    const before = (await ring()).find((k) => k.active)!.keyId
    await expect.poll(() => page.locator(`#cert-keys-body tr[data-key="${before}"]`).getAttribute('data-active')).toBe('true')
    const from = app.services.log.size()
    await page.locator('#cert-rotate').click()
    await expect.poll(() => page.locator('#rotate-dialog').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#rotate-title').innerText()).toBe('轮换证书签名密钥')
    await page.locator('#rotate-submit').click()
    await expect.poll(() => page.locator('#page-alert').innerText()).toContain('证书签名密钥已轮换')
    const after = (await ring()).find((k) => k.active)!.keyId
    expect(after).not.toBe(before)
    await expect.poll(() => page.locator('#page-alert').innerText()).toContain(after)
    await expect.poll(() => page.locator(`#cert-keys-body tr[data-key="${after}"]`).getAttribute('data-active')).toBe('true')
    await expect.poll(() => page.locator(`#cert-keys-body tr[data-key="${before}"]`).getAttribute('data-active')).toBe('false')
    expect(await page.locator(`#cert-keys-body tr[data-key="${before}"] td`).nth(2).innerText()).not.toBe('—')
    expect(eventsSince(app, from).map((e) => e.action)).toEqual(['certificate_key.rotated'])
    await page.locator('#cert-key-title').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${DOCS_SHOTS}/admin-keys-certificates.png`, fullPage: true })
    expect(problems.unexpected()).toEqual([])
  })

  test('rotating the master key: a new current key, the rotation logged; cancelling changes nothing', async () => {
    const s = served.custody.services
    const before = await page.locator('#master-body tr[data-current="true"]').getAttribute('data-key')
    let from = s.log.size()
    await page.locator('#master-rotate').click()
    await page.locator('#rotate-dialog [data-close]').click()
    await expect.poll(() => page.locator('#rotate-dialog').isVisible()).toBe(false)
    expect(s.log.size()).toBe(from)

    from = s.log.size()
    await page.locator('#master-rotate').click()
    await page.locator('#rotate-submit').click()
    await expect.poll(() => page.locator('#page-alert').innerText()).toContain('主密钥已更换为')
    // The table is drawn again after the alert: wait for the new current key.
    await expect.poll(() => page.locator('#master-body tr[data-current="true"]').getAttribute('data-key')).not.toBe(before)
    await expect.poll(() => page.locator(`#master-body tr[data-key="${before}"]`).count()).toBe(0) // it wrapped nothing else: deleted
    expect(eventsSince(served.custody, from).map((e) => e.action)).toEqual(['custody.paper.master_key_rotated'])

    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('main').innerText()).not.toMatch(CJK)
    expect(problems.unexpected()).toEqual([])
    await page.getByRole('button', { name: '切换到中文' }).click()
  })

  test('a key ceremony: the admin names three custodians and k = 2, each sets their own passphrase on /custody/keys; the page then shows 2 of 3, the holders and the fingerprint, and the plain master key is gone', async () => {
    const app = served.custody
    const s = app.services
    const names = ['保密员甲', '保密员乙', '保密员丙']
    const holders = []
    for (const [i, name] of names.entries()) {
      const r = await s.accounts.create({ system: 'test' }, { username: `baomi${i + 1}`, displayName: name, roles: ['custodian'], password: TEST_PASSWORD })
      if (!r.ok) throw new Error(r.error.code)
      holders.push(r.value)
    }
    const from = s.log.size()
    await page.reload()
    await expect.poll(() => page.locator('#ceremony-form').isVisible()).toBe(true)
    for (const h of holders) expect(await page.locator(`#holder-${h.id}`).isChecked()).toBe(true)
    await page.locator('#ceremony-k').fill('2')
    await page.locator('#ceremony-submit').click()
    await expect.poll(() => page.locator('#ceremony-area [data-ceremony]').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#ceremony-area').innerText()).toContain('保密员甲 — 等待设定口令')

    // The first holder sets their passphrase in their own browser; the others through the API with their own logins.
    const own = await loggedInPage(browser, served, 'baomi1', { next: '/custody/keys' })
    await expect.poll(() => own.page.locator('#register-card').isVisible()).toBe(true)
    await own.page.locator('#register-passphrase').fill('baomi one share phrase')
    await own.page.locator('#register-again').fill('baomi one share phrase')
    await own.page.locator('#register-submit').click()
    await expect.poll(() => own.page.locator('#page-alert').innerText()).toContain('口令已设定，等待其他持有人')
    for (const [i, u] of [
      [2, 'baomi2'],
      [3, 'baomi3'],
    ] as const) {
      const cookie = await app.login(u)
      const res = await app.call('POST', '/api/keys/ceremonies/current/register', { cookie, body: { passphrase: `baomi ${i} share phrase` } })
      expect(res.status).toBe(200)
    }
    await page.reload()
    await expect.poll(() => page.locator('[data-fingerprint]').innerText()).toBe(s.keyCeremonies.state().key!.fingerprint)
    const facts = await page.locator('#paper-key-facts').innerText()
    expect(facts).toContain('已拆分：2/3')
    for (const n of names) expect(facts).toContain(n)
    expect(await page.locator('#master-card').isHidden()).toBe(true)
    expect(s.papers.keys.ids()).toEqual([])
    expect(
      eventsSince(app, from)
        .map((e) => e.action)
        .filter((a) => a.startsWith('keys.')),
    ).toEqual([
      'keys.ceremony.started',
      'keys.ceremony.holder_registered',
      'keys.ceremony.holder_registered',
      'keys.ceremony.holder_registered',
      'keys.ceremony.completed',
      'keys.master_key.deleted',
    ])
    await own.page.reload()
    await expect.poll(() => own.page.locator('#key-facts').innerText()).toContain('已拆分 2/3')
    expect(own.problems.unexpected()).toEqual([])
    await own.context.close()
    expect(problems.unexpected()).toEqual([])
  })
})
