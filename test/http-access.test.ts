import { describe, expect, test } from 'vitest'
import { ROLES } from '../server/domain/accounts/index.ts'
import { DEFAULT_REFUSAL_LIMITS } from '../server/services/refusal-log.ts'
import { makeTestApp } from './_app.ts'
import { custodyWorld } from './_custody-packets.ts'

/**
 * A snapshot of every table but the log's own (which gains exactly the refusal events), the witnesses'
 * cosignatures (they follow the log) and the security record: users, sessions, papers, packets, print jobs,
 * leaks, key shares, candidates, everything a refused request could have touched.
 */
const UNWATCHED = new Set(['log_entries', 'log_nodes', 'log_checkpoints', 'log_cosignatures', 'security_events', 'schema_migrations'])
function stateOf(app: ReturnType<typeof makeTestApp>) {
  const db = app.services.db
  const tables = db
    .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((t) => t.name)
    .filter((t) => !UNWATCHED.has(t))
  return JSON.stringify(Object.fromEntries(tables.map((t) => [t, db.query(`SELECT * FROM ${t} ORDER BY rowid`).all()])))
}

const sample: Record<string, unknown> = {
  'POST /api/users': { username: 'mallory', displayName: 'M', roles: ['admin'], password: 'long enough password' },
  'PATCH /api/users/{id}': { roles: ['admin'] },
  'PUT /api/users/{id}/password': { password: 'long enough password' },
}

describe('every route declares who may call it', () => {
  test('every route in the table has an access rule, and the table covers the OpenAPI document', async () => {
    const app = makeTestApp()
    const doc = (await (await app.call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort()
    const declared = app.routes.map((r) => `${r.method} ${r.path}`).sort()
    expect(declared).toEqual(documented)
    for (const r of app.routes) {
      const ok =
        r.access === 'public' ||
        r.access === 'authenticated' ||
        (r.access.roles.length > 0 && r.access.roles.every((role) => (ROLES as readonly string[]).includes(role)))
      expect(ok, `${r.method} ${r.path}: ${JSON.stringify(r.access)}`).toBe(true)
    }
  })

  test('each role gets 403 wherever it does not belong, the refusal is logged, and nothing else changes', async () => {
    // Every refusal logged one by one: this walk refuses each user more often than a minute's allowance.
    const app = makeTestApp({ refusalLimits: { perWindow: 10_000, windowMs: 60_000 } })
    const target = await app.userWith(['registrar'], 'target')
    // Real papers, a print job and packets in the rooms of a session: a refused request names them, and must not touch them.
    const w = await custodyWorld(app)
    const idFor = (path: string): string =>
      path.startsWith('/api/packets/')
        ? w.p101.id
        : path.startsWith('/api/papers/')
          ? w.paperA.id
          : path.startsWith('/api/print-jobs/')
            ? w.job.id
            : path.startsWith('/api/sessions/')
              ? w.sessionId
              : path.startsWith('/api/batches/')
                ? w.batchId
                : target.id
    const restricted = app.routes.filter((r) => typeof r.access === 'object')
    expect(restricted.length).toBeGreaterThan(5)
    let checked = 0
    for (const role of ROLES) {
      const { cookie } = await app.userWith([role], `only-${role}`)
      for (const r of restricted) {
        const access = r.access as { roles: readonly string[] }
        if (access.roles.includes(role)) continue
        const before = stateOf(app)
        const logBefore = app.services.log.size()
        const path = r.path.replace('{id}', idFor(r.path)).replace('{roomId}', w.rooms.r101)
        const res = await app.call(r.method, path + (r.method === 'GET' ? '?start=0&end=1&index=0&size=1&from=1&to=1' : ''), {
          cookie,
          body: sample[`${r.method} ${r.path}`],
        })
        expect(res.status, `${role} ${r.method} ${r.path}`).toBe(403)
        const body = (await res.json()) as { error: { code: string } }
        expect(body.error.code).toBe('auth.forbidden')
        expect(stateOf(app), `${role} ${r.method} ${r.path} changed state`).toBe(before)
        expect(app.services.log.size()).toBe(logBefore + 1)
        const last = app.services.log.entry(logBefore)!.event
        expect(last).toMatchObject({ action: 'request.refused', outcome: 'refused', data: { code: 'auth.forbidden' } })
        checked++
      }
    }
    expect(checked).toBeGreaterThan(30)
  })

  test('without a session, non-public routes answer 401 and nothing is logged', async () => {
    const app = makeTestApp()
    for (const r of app.routes.filter((x) => x.access !== 'public')) {
      const size = app.services.log.size()
      const res = await app.call(r.method, r.path.replace('{id}', 'x'), { body: sample[`${r.method} ${r.path}`] })
      expect(res.status, `${r.method} ${r.path}`).toBe(401)
      expect(app.services.log.size()).toBe(size)
    }
  })
})

describe('administrators write only what the README gives them: accounts, calendar, keys', () => {
  /** README roles: "admin: accounts, calendar, key rotation, everything read". */
  const ADMIN_WRITES = [
    /^\/api\/users(\/|$)/,
    /^\/api\/role-changes\//,
    /^\/api\/calendar\//,
    /^\/api\/admin\/master-keys\//,
    /^\/api\/keys\//,
    /^\/api\/log\/key\//,
    // door tablets are credentials too: the issue gives their enrolment (and immediate revocation) to the administrator
    /^\/api\/kiosk\/(enrolments|devices\/[^/]+\/revoke)$/,
    // the body's certificate number prefix (R8.2, positions 1–13) is its identity, set beside the certificate keys
    /^\/api\/certificates\/body$/,
  ]
  /** A door check answers whether a ticket is valid and changes nothing. */
  const CHECKS = ['POST /api/tickets/check']

  test('no state-changing route outside accounts, calendar and keys lists the admin role', () => {
    const app = makeTestApp()
    const extra = app.routes
      .filter((r) => r.method !== 'GET' && typeof r.access === 'object' && r.access.roles.includes('admin'))
      .map((r) => `${r.method} ${r.path}`)
      .filter((name) => !CHECKS.includes(name) && !ADMIN_WRITES.some((re) => re.test(name.split(' ')[1]!)))
    expect(extra).toEqual([])
  })

  test("an administrator is refused the registrar's writes (plans, occupations, registration, rooms, tickets) and alert acknowledgement, and may still read them", async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    for (const [method, path] of [
      ['POST', '/api/batches'],
      ['POST', '/api/batches/x/file'],
      ['POST', '/api/batches/x/announcement'],
      ['POST', '/api/occupations'],
      ['POST', '/api/batches/x/candidates'],
      ['POST', '/api/candidates/x/moves'],
      ['POST', '/api/candidates/x/payment'],
      ['POST', '/api/sites'],
      ['POST', '/api/sessions/x/seating'],
      ['POST', '/api/sessions/x/staff'],
      ['POST', '/api/sessions/x/tickets'],
      ['POST', '/api/tickets/x/revoke'],
      ['PUT', '/api/sessions/x/rooms/y/inspection/z'],
      ['POST', '/api/alerts/x/acknowledge'],
      ['GET', '/api/tickets/x/print'],
    ] as const) {
      const res = await app.call(method, path, { cookie: admin.cookie, body: method === 'GET' ? undefined : {} })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
    for (const path of ['/api/batches', '/api/sites', '/api/alerts']) expect((await app.call('GET', path, { cookie: admin.cookie })).status, path).toBe(200)
  })
})

describe('refusals cannot flood the custody log', () => {
  test('300 refused requests of one user in a moment give a bounded number of events, and the summary keeps the count', async () => {
    const app = makeTestApp({ refusalLimits: DEFAULT_REFUSAL_LIMITS })
    const { cookie, id } = await app.userWith(['invigilator'], 'flooder')
    const size = app.services.log.size()
    for (let i = 0; i < 300; i++) {
      const res = await app.call('GET', '/api/users', { cookie })
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.forbidden') // the answer does not change
    }
    const { perWindow, windowMs } = DEFAULT_REFUSAL_LIMITS
    expect(app.services.log.size() - size).toBe(perWindow)
    // The window closes: its summary is written (the server's timer flushes; here the next refusal of anyone does).
    app.clock.now += windowMs
    const other = await app.userWith(['examiner'], 'bystander')
    expect((await app.call('GET', '/api/users', { cookie: other.cookie })).status).toBe(403)
    const events = Array.from({ length: app.services.log.size() - size }, (_, i) => app.services.log.entry(size + i)!.event)
    expect(events.filter((e) => 'user' in e.actor && e.actor.user === id)).toHaveLength(perWindow + 1)
    const summary = events.find((e) => e.action === 'request.refused_summary')!
    expect(summary).toMatchObject({
      outcome: 'refused',
      actor: { user: id },
      data: { count: 300 - perWindow, loggedOneByOne: perWindow, codes: { 'auth.forbidden': 300 - perWindow } },
    })
    const oneByOne = events.filter((e) => e.action === 'request.refused' && 'user' in e.actor && e.actor.user === id)
    expect(oneByOne.length + (summary.data as { count: number }).count).toBe(300)
  })

  test('a new window logs refusals one by one again; a window without overflow writes no summary', async () => {
    const app = makeTestApp({ refusalLimits: { perWindow: 2, windowMs: 60_000 } })
    const { cookie } = await app.userWith(['invigilator'])
    const size = app.services.log.size()
    for (let i = 0; i < 2; i++) await app.call('GET', '/api/users', { cookie })
    app.clock.now += 60_000
    for (let i = 0; i < 3; i++) await app.call('GET', '/api/users', { cookie })
    expect(app.services.refusals.flush(app.clock.now + 60_000)).toBe(1)
    const actions = Array.from({ length: app.services.log.size() - size }, (_, i) => app.services.log.entry(size + i)!.event.action)
    expect(actions).toEqual(['request.refused', 'request.refused', 'request.refused', 'request.refused', 'request.refused_summary'])
  })
})
