import { describe, expect, test } from 'vitest'
import { parseConfig, localOrigins } from '../server/config.ts'
import { makeTestApp, ORIGIN, TEST_PASSWORD } from './_app.ts'

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; messageEn: string } }
  expect(body.error.message.length).toBeGreaterThan(0)
  expect(body.error.messageEn.length).toBeGreaterThan(0)
  return body.error.code
}

describe('bad input gets a clear 4xx and changes nothing', () => {
  const cases: Array<[string, { body?: string; headers?: Record<string, string> }, number, string]> = [
    ['malformed JSON', { body: '{"username": "x",' }, 400, 'request.malformed_json'],
    ['wrong types', { body: JSON.stringify({ username: 5, displayName: 'x', roles: 'admin', password: 'p' }) }, 400, 'request.invalid'],
    [
      'unknown fields',
      { body: JSON.stringify({ username: 'abc', displayName: 'x', roles: ['admin'], password: 'long enough pass', isRoot: true }) },
      400,
      'request.invalid',
    ],
    ['missing fields', { body: JSON.stringify({ username: 'abc' }) }, 400, 'request.invalid'],
    [
      'not JSON content type',
      { body: 'username=abc', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      415,
      'request.unsupported_media_type',
    ],
    [
      'oversize body',
      { body: JSON.stringify({ username: 'abc', displayName: 'x'.repeat(2_000_000), roles: ['admin'], password: 'long enough pass' }) },
      413,
      'request.too_large',
    ],
    ['an empty body', { body: '' }, 400, 'request.malformed_json'],
    ['a JSON array', { body: '[]' }, 400, 'request.invalid'],
  ]
  for (const [name, opts, status, code] of cases) {
    test(`${name} → ${status} ${code}, no change, no log entry`, async () => {
      const app = makeTestApp()
      const admin = await app.userWith(['admin'])
      const users = app.services.accounts.list().length
      const size = app.services.log.size()
      const res = await app.call('POST', '/api/users', {
        cookie: admin.cookie,
        body: opts.body,
        headers: { 'Content-Type': 'application/json', ...opts.headers },
      })
      expect(res.status).toBe(status)
      expect(await errorOf(res)).toBe(code)
      expect(app.services.accounts.list().length).toBe(users)
      expect(app.services.log.size()).toBe(size) // malformed requests never reach the custody log
    })
  }

  test('an unknown route is a JSON 404', async () => {
    const app = makeTestApp()
    const res = await app.call('GET', '/api/nope')
    expect(res.status).toBe(404)
    expect(await errorOf(res)).toBe('request.not_found')
  })

  test('a domain refusal (username taken) is 409, logged as a refusal, and changes nothing', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'], 'boss')
    const size = app.services.log.size()
    const res = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'boss', displayName: 'Dup', roles: ['admin'], password: 'long enough password' },
    })
    expect(res.status).toBe(409)
    expect(await errorOf(res)).toBe('user.username_taken')
    expect(app.services.log.size()).toBe(size + 1)
    expect(app.services.log.entry(size)!.event).toMatchObject({ action: 'user.create', outcome: 'refused', data: { code: 'user.username_taken' } })
  })
})

describe('CSRF: state-changing requests must come from our own origin', () => {
  for (const [name, headers] of [
    ['no Origin header', { Origin: '' }],
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['a cross-site fetch', { Origin: ORIGIN, 'Sec-Fetch-Site': 'cross-site' }],
  ] as const) {
    test(`${name} is refused with csrf.origin_mismatch`, async () => {
      const app = makeTestApp()
      const admin = await app.userWith(['admin'])
      const h: Record<string, string> = { ...headers }
      if (h.Origin === '') delete h.Origin
      const req = new Request(`${ORIGIN}/api/users`, {
        method: 'POST',
        headers: { Cookie: admin.cookie, 'Content-Type': 'application/json', ...h },
        body: JSON.stringify({ username: 'newbie', displayName: 'N', roles: ['registrar'], password: 'long enough password' }),
      })
      const res = await app.app.request(req)
      expect(res.status).toBe(403)
      expect(await errorOf(res)).toBe('csrf.origin_mismatch')
      expect(app.services.accounts.list().some((u) => u.username === 'newbie')).toBe(false)
    })
  }

  test('a forged Host that matches a forged Origin is refused: Origin is compared with the configured public origins, not with Host', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    // Bun builds the request URL from the Host header the sender chose: here the attacker's.
    const res = await app.app.request('http://evil.example/api/users', {
      method: 'POST',
      headers: { Host: 'evil.example', Origin: 'http://evil.example', Cookie: admin.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'newbie', displayName: 'N', roles: ['registrar'], password: 'long enough password' }),
    })
    expect(res.status).toBe(403)
    expect(await errorOf(res)).toBe('csrf.origin_mismatch')
    expect(app.services.accounts.list().some((u) => u.username === 'newbie')).toBe(false)
  })

  test('the configured public origins and CUSTODY_ORIGINS are accepted, whatever the Host', async () => {
    const app = makeTestApp({ publicOrigins: [ORIGIN, 'https://custody.example.org'], trustedOrigins: ['https://proxy.example.org'] })
    await app.userWith(['admin'], 'boss')
    for (const origin of ['https://custody.example.org', 'https://proxy.example.org']) {
      const res = await app.app.request('http://10.0.0.5:8080/api/session', {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'boss', password: TEST_PASSWORD }),
      })
      expect(res.status, origin).toBe(200)
    }
    const own = await app.app.request('http://10.0.0.5:8080/api/session', {
      method: 'POST',
      headers: { Origin: 'http://10.0.0.5:8080', 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: TEST_PASSWORD }),
    })
    expect(own.status).toBe(403)
  })

  test('CUSTODY_PUBLIC_ORIGIN: origins only, checked at start; unset means this machine at its port', () => {
    expect(parseConfig({ PORT: '9000' }, []).publicOrigins).toBeNull()
    expect(localOrigins(9000)).toEqual(['http://localhost:9000', 'http://127.0.0.1:9000'])
    expect(parseConfig({ CUSTODY_PUBLIC_ORIGIN: 'https://custody.example.org, https://custody.example.org:8443/' }, []).publicOrigins).toEqual([
      'https://custody.example.org',
      'https://custody.example.org:8443',
    ])
    expect(() => parseConfig({ CUSTODY_PUBLIC_ORIGIN: 'https://custody.example.org/app' }, [])).toThrow(/CUSTODY_PUBLIC_ORIGIN/)
    expect(() => parseConfig({ CUSTODY_ORIGINS: 'custody.example.org' }, [])).toThrow(/CUSTODY_ORIGINS/)
  })

  test('GET requests need no Origin', async () => {
    const app = makeTestApp()
    const res = await app.app.request(`${ORIGIN}/api/session`)
    expect(res.status).toBe(200)
  })
})

describe('security headers on every response', () => {
  test.each(['/api/session', '/api/docs', '/api/nope'])('%s', async (path) => {
    const app = makeTestApp()
    const res = await app.call('GET', path)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    // WebAssembly may be compiled (the camera's QR reader), JavaScript may not be eval()ed
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/)
    expect(csp).not.toContain("'unsafe-eval'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('API answers are not cached: they carry personal data (Cache-Control: no-store)', () => {
  test('JSON answers, refusals and errors of /api are no-store, public ones included', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const reg = await app.userWith(['registrar'])
    for (const [method, path, cookie] of [
      ['GET', '/api/users', admin.cookie],
      ['GET', '/api/session', reg.cookie],
      ['GET', '/api/nope', undefined],
      ['GET', '/api/users', reg.cookie],
      ['POST', '/api/users', admin.cookie],
      ['GET', '/api/log/checkpoint', undefined],
    ] as const) {
      const res = await app.call(method, path, { cookie, ...(method === 'POST' ? { body: {} } : {}) })
      expect(res.headers.get('cache-control'), `${method} ${path} (${res.status})`).toBe('no-store')
    }
  })
})
