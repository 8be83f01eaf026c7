/** Test fixtures: an in-memory app with a fixed, movable clock, a test log key and fast scrypt. */
import { ed25519 } from '../crypto/index.ts'
import { createApp, type AppDeps, type CustodyApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import type { Role } from '../server/domain/accounts/index.ts'

export const ORIGIN = 'http://localhost'
export const TEST_PASSWORD = 'correct horse battery'
export const T0 = Date.parse('2026-11-25T01:00:00.000Z') // 09:00 CST

export interface TestApp extends CustodyApp {
  clock: { now: number }
  /** A request with the CSRF Origin header and, if given, a session cookie. */
  call(method: string, path: string, opts?: { body?: unknown; cookie?: string; headers?: Record<string, string> }): Promise<Response>
  /** Creates a user with these roles (as the system) and logs in; returns the session cookie. */
  userWith(roles: Role[], username?: string): Promise<{ cookie: string; id: string; username: string }>
  login(username: string, password?: string): Promise<string>
}

export function testLogKey(seed = 1, name = 'custody.test/log') {
  const privateKey = new Uint8Array(32).fill(seed)
  return { name, privateKey, publicKey: ed25519.publicKey(privateKey) }
}

let counter = 0
export function makeTestApp(overrides: Partial<AppDeps> = {}): TestApp {
  const clock = { now: T0 }
  const custody = createApp({
    db: ':memory:',
    logKey: testLogKey(),
    ticketKey: testLogKey(2, 'custody.test/tickets'),
    clock: () => clock.now,
    scrypt: TEST_SCRYPT,
    publicOrigins: [ORIGIN],
    ...overrides,
  })
  const call: TestApp['call'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { Origin: ORIGIN, ...(opts.headers ?? {}) }
    if (opts.cookie) headers.Cookie = opts.cookie
    let body: string | undefined
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
      headers['Content-Type'] ??= 'application/json'
    }
    return Promise.resolve(custody.app.request(`${ORIGIN}${path}`, { method, headers, body }))
  }
  const login = async (username: string, password = TEST_PASSWORD) => {
    const res = await call('POST', '/api/session', { body: { username, password } })
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!
  }
  const userWith: TestApp['userWith'] = async (roles, username = `u${++counter}${roles.join('').slice(0, 12)}`) => {
    const r = await custody.services.accounts.create({ system: 'test' }, { username, displayName: username, roles, password: TEST_PASSWORD })
    if (!r.ok) throw new Error(r.error.code)
    return { cookie: await login(username), id: r.value.id, username }
  }
  return { ...custody, clock, call, userWith, login }
}
