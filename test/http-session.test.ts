import { describe, expect, test } from 'vitest'
import { makeTestApp, ORIGIN, TEST_PASSWORD } from './_app.ts'

describe('sessions', () => {
  test('login sets an HttpOnly SameSite=Strict cookie; GET /api/session says who; logout ends it server-side', async () => {
    const app = makeTestApp()
    await app.userWith(['supervisor'], 'sun')
    const res = await app.call('POST', '/api/session', { body: { username: 'sun', password: TEST_PASSWORD } })
    expect(res.status).toBe(200)
    const setCookie = res.headers.get('set-cookie')!
    expect(setCookie).toMatch(/custody_session=/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    expect(setCookie).not.toMatch(/Secure/) // plain http in the test; https gets Secure
    const cookie = setCookie.split(';')[0]!
    const who = (await (await app.call('GET', '/api/session', { cookie })).json()) as { user: { username: string; roles: string[] } }
    expect(who.user).toMatchObject({ username: 'sun', roles: ['supervisor'] })
    expect((await app.call('DELETE', '/api/session', { cookie })).status).toBe(204)
    // The same cookie no longer works: the session is gone on the server, not only in the browser.
    expect(await (await app.call('GET', '/api/session', { cookie })).json()).toEqual({ user: null })
    expect((await app.call('GET', '/api/log/entries?start=0&end=1', { cookie })).status).toBe(401)
  })

  test('over https the cookie is Secure', async () => {
    const app = makeTestApp({ publicOrigins: [ORIGIN, 'https://custody.example'] })
    await app.userWith(['admin'], 'sec')
    const res = await app.app.request('https://custody.example/api/session', {
      method: 'POST',
      headers: { Origin: 'https://custody.example', 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'sec', password: TEST_PASSWORD }),
    })
    expect(res.headers.get('set-cookie')).toMatch(/Secure/)
  })

  test('login and logout are custody events; failed logins are not (an attacker cannot flood the log)', async () => {
    const app = makeTestApp()
    const { id } = await app.userWith(['registrar'], 'wang')
    const size = app.services.log.size()
    for (let i = 0; i < 3; i++) expect((await app.call('POST', '/api/session', { body: { username: 'wang', password: 'wrong password!' } })).status).toBe(401)
    expect(app.services.log.size()).toBe(size)
    const cookie = await app.login('wang')
    expect(app.services.log.entry(size)!.event).toMatchObject({ action: 'session.opened', actor: { user: id, name: 'wang' } })
    await app.call('DELETE', '/api/session', { cookie })
    expect(app.services.log.entry(size + 1)!.event).toMatchObject({ action: 'session.closed' })
  })

  test('sessions expire on the server after 12 hours', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['admin'])
    expect((await app.call('GET', '/api/users', { cookie })).status).toBe(200)
    app.clock.now += 12 * 3600_000
    expect((await app.call('GET', '/api/users', { cookie })).status).toBe(401)
  })

  test('a disabled user is logged out at once and cannot log in', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const victim = await app.userWith(['custodian'], 'li')
    const res = await app.call('PATCH', `/api/users/${victim.id}`, { cookie: admin.cookie, body: { disabled: true } })
    expect(res.status).toBe(200)
    expect(await (await app.call('GET', '/api/session', { cookie: victim.cookie })).json()).toEqual({ user: null })
    const again = await app.call('POST', '/api/session', { body: { username: 'li', password: TEST_PASSWORD } })
    expect(again.status).toBe(403)
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('auth.account_disabled')
  })
})

describe('failed logins are rate limited', () => {
  test('per account: the 6th try within 15 minutes is refused with 429 and Retry-After, even with the right password', async () => {
    const app = makeTestApp()
    await app.userWith(['admin'], 'zhao')
    for (let i = 0; i < 5; i++) expect((await app.call('POST', '/api/session', { body: { username: 'zhao', password: `guess number ${i}` } })).status).toBe(401)
    const res = await app.call('POST', '/api/session', { body: { username: 'zhao', password: TEST_PASSWORD } })
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    app.clock.now += 15 * 60_000 + 1
    expect((await app.call('POST', '/api/session', { body: { username: 'zhao', password: TEST_PASSWORD } })).status).toBe(200)
  })

  test('per address: spraying many accounts from one address is throttled, but not for a person who logged in from there before', async () => {
    const app = makeTestApp()
    await app.userWith(['admin'], 'qian') // logs in from this address
    const r = await app.services.accounts.create({ system: 'test' }, { username: 'zhao', displayName: 'zhao', roles: ['registrar'], password: TEST_PASSWORD })
    expect(r.ok).toBe(true)
    let limited = 0
    for (let i = 0; i < 25; i++) {
      const res = await app.call('POST', '/api/session', { body: { username: `nobody${i}`, password: 'some password' } })
      if (res.status === 429) limited++
    }
    expect(limited).toBeGreaterThan(0)
    expect((await app.call('POST', '/api/session', { body: { username: 'zhao', password: TEST_PASSWORD } })).status).toBe(429)
    // A stranger's spraying from a shared exam-centre address does not lock out someone who works there (decision 005).
    expect((await app.call('POST', '/api/session', { body: { username: 'qian', password: TEST_PASSWORD } })).status).toBe(200)
  })
})

describe('password hashing', () => {
  test('passwords are stored as scrypt hashes, never in the clear', async () => {
    const app = makeTestApp()
    await app.userWith(['admin'], 'hash')
    const row = app.services.db.query('SELECT password_hash FROM users WHERE username = ?').get('hash') as { password_hash: string }
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(row.password_hash).not.toContain(TEST_PASSWORD)
  })
})
