// Login throttling and the password-hash cap (decision 005): attempts are counted before hashing, at most a
// few hashes run at once, a stranger's failures from one address do not lock the owner out from another,
// and failures go to the security record, not the custody log.
import { describe, expect, test } from 'vitest'
import { hashPassword, verifyPassword } from '../server/auth/_password.ts'
import { BUSY, HashGate } from '../server/auth/_hash-gate.ts'
import { FailureThrottle } from '../server/auth/_rate-limit.ts'
import type { PasswordWork } from '../server/services/index.ts'
import { makeTestApp, ORIGIN, TEST_PASSWORD } from './_app.ts'

/** A password check that takes a while and counts how many run at once. */
function countingWork(delayMs = 5) {
  const seen = { running: 0, peak: 0, verifies: 0 }
  const work: PasswordWork = {
    hash: hashPassword,
    verify: async (password, stored) => {
      seen.running++
      seen.verifies++
      seen.peak = Math.max(seen.peak, seen.running)
      try {
        await new Promise((r) => setTimeout(r, delayMs))
        return await verifyPassword(password, stored)
      } finally {
        seen.running--
      }
    },
  }
  return { seen, work }
}

/** A login from a given address (the server reads it from the socket; here from the env Bun passes). */
function loginFrom(app: ReturnType<typeof makeTestApp>, address: string, username: string, password: string): Promise<Response> {
  const env = { requestIP: () => ({ address, family: 'IPv4', port: 40000 }) }
  return Promise.resolve(
    app.app.request(
      `${ORIGIN}/api/session`,
      {
        method: 'POST',
        headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      },
      env,
    ),
  )
}

describe('attempts are counted before hashing', () => {
  test('30 parallel wrong passwords for one account: 5 are checked (401), the other 25 get 429 with Retry-After', async () => {
    const { seen, work } = countingWork()
    const app = makeTestApp({ passwords: { work } })
    await app.userWith(['custodian'], 'li')
    const before = seen.verifies
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => loginFrom(app, '198.51.100.7', 'li', `guess number ${i}`)))
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(25)
    expect(Number(answers.find((r) => r.status === 429)!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(seen.verifies - before).toBe(5)
  })

  test("a correct password from a second address still logs in after a stranger's five failures from a first address", async () => {
    const app = makeTestApp()
    await app.userWith(['custodian'], 'zhao')
    for (let i = 0; i < 5; i++) expect((await loginFrom(app, '203.0.113.9', 'zhao', `stranger guess ${i}`)).status).toBe(401)
    expect((await loginFrom(app, '203.0.113.9', 'zhao', TEST_PASSWORD)).status).toBe(429)
    expect((await loginFrom(app, '192.0.2.44', 'zhao', TEST_PASSWORD)).status).toBe(200)
  })

  test('guessing one account from many addresses meets the slower per-account limit (50 an hour)', async () => {
    const app = makeTestApp()
    await app.userWith(['custodian'], 'qian')
    for (let i = 0; i < 50; i++) expect((await loginFrom(app, `10.0.${i}.1`, 'qian', `guess ${i}`)).status).toBe(401)
    expect((await loginFrom(app, '10.9.9.9', 'qian', TEST_PASSWORD)).status).toBe(429)
    app.clock.now += 60 * 60_000 + 1
    expect((await loginFrom(app, '10.9.9.9', 'qian', TEST_PASSWORD)).status).toBe(200)
  })
})

describe('a stranger cannot lock a person out of the place they work from', () => {
  test('after 50 guesses from elsewhere (per-account limit) and 20 invented names from the same address (per-address limit), the owner still logs in from the address they used before', async () => {
    const app = makeTestApp()
    await app.userWith(['custodian'], 'sun')
    expect((await loginFrom(app, '192.0.2.10', 'sun', TEST_PASSWORD)).status).toBe(200) // the vault office's terminal
    for (let i = 0; i < 50; i++) expect((await loginFrom(app, `10.1.${i}.1`, 'sun', `guess ${i}`)).status).toBe(401)
    for (let i = 0; i < 20; i++) expect((await loginFrom(app, '192.0.2.10', `nobody${i}`, 'some guess here')).status).toBe(401)
    expect((await loginFrom(app, '10.9.9.9', 'sun', TEST_PASSWORD)).status).toBe(429) // a new address still meets both
    expect((await loginFrom(app, '192.0.2.10', 'nobody99', 'some guess here')).status).toBe(429)
    expect((await loginFrom(app, '192.0.2.10', 'sun', TEST_PASSWORD)).status).toBe(200)
    // the known pair keeps its own limit: five wrong passwords there lock it
    for (let i = 0; i < 5; i++) expect((await loginFrom(app, '192.0.2.10', 'sun', `wrong ${i}`)).status).toBe(401)
    expect((await loginFrom(app, '192.0.2.10', 'sun', TEST_PASSWORD)).status).toBe(429)
  })
})

describe('at most a few password hashes run at once', () => {
  test('100 parallel logins for invented names from 100 addresses: at most 2 hashes at a time, the overflow gets 503 auth.busy with Retry-After', async () => {
    const { seen, work } = countingWork()
    const app = makeTestApp({ passwords: { work, hashGate: { concurrency: 2, queue: 16 } } })
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => loginFrom(app, `10.1.${i}.1`, `nobody${i}`, 'some password')))
    expect(seen.peak).toBeLessThanOrEqual(2)
    expect(seen.peak).toBeGreaterThan(0)
    const busy = answers.filter((r) => r.status === 503)
    expect(answers.filter((r) => r.status === 401)).toHaveLength(18)
    expect(busy).toHaveLength(82)
    expect(busy[0]!.headers.get('retry-after')).toBe('1')
    expect(((await busy[0]!.json()) as { error: { code: string } }).error.code).toBe('auth.busy')
    // A normal login right afterwards is served.
    await app.userWith(['registrar'], 'after')
    expect((await loginFrom(app, '10.2.0.1', 'after', TEST_PASSWORD)).status).toBe(200)
  })

  test('the witness-password checks (opening, disposal) wait in the same gate', async () => {
    const { seen, work } = countingWork(20)
    const app = makeTestApp({ passwords: { work, hashGate: { concurrency: 1, queue: 0 } } })
    await app.userWith(['invigilator'], 'wit')
    const first = loginFrom(app, '10.3.0.1', 'nobody', 'some password')
    await new Promise((r) => setTimeout(r, 5))
    const witness = await app.services.accounts.verifyCredentials('wit', TEST_PASSWORD, '10.3.0.2')
    expect(witness).toEqual({ ok: false, error: { code: 'auth.busy', retryAfterSeconds: 1 } })
    await first
    expect(seen.peak).toBe(1)
    expect(await app.services.accounts.verifyCredentials('wit', TEST_PASSWORD, '10.3.0.2')).toMatchObject({ ok: true })
  })

  test('the gate: a queue, then BUSY; a freed slot goes to the next in line', async () => {
    const gate = new HashGate({ concurrency: 2, queue: 1 })
    let release!: () => void
    const hold = new Promise<void>((r) => {
      release = r
    })
    const runs = [gate.run(() => hold.then(() => 'a')), gate.run(() => hold.then(() => 'b')), gate.run(async () => 'c')]
    expect(await gate.run(async () => 'd')).toBe(BUSY)
    expect(gate.running).toBe(2)
    expect(gate.queued).toBe(1)
    release()
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c'])
    expect(gate.peak).toBe(2)
    expect(gate.running).toBe(0)
  })

  test("the throttle's maps stay bounded however many names are invented", () => {
    const t = new FailureThrottle({ max: 5, windowMs: 60_000 }, 1000)
    for (let i = 0; i < 10_000; i++) t.count(`invented-${i}`, 1)
    expect(t.size).toBeLessThanOrEqual(1000)
    expect(t.retryAfter('invented-9999', 2)).toBe(0)
  })
})

describe('failed logins are in the security record, not the custody log', () => {
  test('failures are recorded (time, name tried, address, outcome) and readable by supervisors and administrators only', async () => {
    const app = makeTestApp()
    await app.userWith(['registrar'], 'wang')
    const sup = await app.userWith(['supervisor'])
    const admin = await app.userWith(['admin'])
    const clerk = await app.userWith(['registrar'])
    const size = app.services.log.size()
    expect((await loginFrom(app, '198.51.100.20', 'wang', 'wrong password!')).status).toBe(401)
    expect((await loginFrom(app, '198.51.100.20', 'ghost', 'wrong password!')).status).toBe(401)
    expect(app.services.log.size()).toBe(size)
    const res = await app.call('GET', '/api/security/login-failures', { cookie: sup.cookie })
    expect(res.status).toBe(200)
    const { events } = (await res.json()) as { events: Array<Record<string, string>> }
    expect(events).toEqual([
      { time: new Date(app.clock.now).toISOString(), kind: 'login', username: 'ghost', address: '198.51.100.20', outcome: 'invalid_credentials' },
      { time: new Date(app.clock.now).toISOString(), kind: 'login', username: 'wang', address: '198.51.100.20', outcome: 'invalid_credentials' },
    ])
    expect(JSON.stringify(events)).not.toContain('wrong password')
    expect((await app.call('GET', '/api/security/login-failures', { cookie: admin.cookie })).status).toBe(200)
    expect((await app.call('GET', '/api/security/login-failures', { cookie: clerk.cookie })).status).toBe(403)
  })
})
