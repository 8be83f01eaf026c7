import { describe, expect, test } from 'vitest'
import { ROLES } from '../server/domain/accounts/index.ts'
import { makeTestApp } from './_app.ts'

/** A snapshot of everything but the log (which gains exactly the refusal events). */
function stateOf(app: ReturnType<typeof makeTestApp>) {
  const db = app.services.db
  return JSON.stringify({
    users: db.query('SELECT id, username, display_name, roles, disabled, password_hash FROM users ORDER BY id').all(),
    sessions: db.query('SELECT count(*) AS n FROM sessions').get(),
    keys: db.query('SELECT * FROM log_keys').all(),
  })
}

const sample: Record<string, unknown> = {
  'POST /api/users': { username: 'mallory', displayName: 'M', roles: ['admin'], password: 'long enough password' },
  'PATCH /api/users/{id}': { roles: ['admin'] },
  'PUT /api/users/{id}/password': { password: 'long enough password' },
}

describe('every route declares who may call it', () => {
  test('every route in the table has an access rule, and the table covers the OpenAPI document', async () => {
    const app = makeTestApp()
    const doc = await (await app.call('GET', '/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()
    const declared = app.routes.map((r) => `${r.method} ${r.path}`).sort()
    expect(declared).toEqual(documented)
    for (const r of app.routes) expect(r.access).toBeDefined()
  })

  test('each role gets 403 wherever it does not belong, the refusal is logged, and nothing else changes', async () => {
    const app = makeTestApp()
    const target = await app.userWith(['registrar'], 'target')
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
        const path = r.path.replace('{id}', target.id)
        const res = await app.call(r.method, path + (r.method === 'GET' ? '?start=0&end=1&index=0&size=1&from=1&to=1' : ''), { cookie, body: sample[`${r.method} ${r.path}`] })
        expect(res.status, `${role} ${r.method} ${r.path}`).toBe(403)
        const body = await res.json() as { error: { code: string } }
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
