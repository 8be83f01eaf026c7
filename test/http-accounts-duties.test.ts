// Separation of duties over HTTP (decision 005): nobody changes their own roles, custodian and supervisor
// take a second person, an administrator is never a custodian, administrator-set passwords are one-time.
import { describe, expect, test } from 'vitest'
import { DEMO_PASSWORD } from '../server/domain/accounts/index.ts'
import { makeTestApp, TEST_PASSWORD } from './_app.ts'

const STRONG = 'granite-lantern-41-orbit'
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
const actions = (app: ReturnType<typeof makeTestApp>, from: number) => {
  const out: Array<{ action: string; outcome: string; data: Record<string, unknown> }> = []
  for (let i = from; i < app.services.log.size(); i++) out.push(app.services.log.entry(i)!.event as never)
  return out
}

describe('nobody changes their own roles', () => {
  test('an administrator adding custodian to their own account is refused and logged (user.cannot_change_own_roles)', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const size = app.services.log.size()
    const res = await app.call('PATCH', `/api/users/${admin.id}`, { cookie: admin.cookie, body: { roles: ['admin', 'registrar'] } })
    expect(res.status).toBe(403)
    expect(await code(res)).toBe('user.cannot_change_own_roles')
    expect(app.services.accounts.get(admin.id)!.roles).toEqual(['admin'])
    expect(actions(app, size)).toMatchObject([{ action: 'user.update', outcome: 'refused', data: { code: 'user.cannot_change_own_roles' } }])
    const proposal = await app.call('POST', `/api/users/${admin.id}/role-changes`, { cookie: admin.cookie, body: { roles: ['admin', 'supervisor'] } })
    expect(await code(proposal)).toBe('user.cannot_change_own_roles')
  })

  test('an administrator cannot hold custodian as well (user.roles_conflict), on create or on change', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const created = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'both', displayName: 'B', roles: ['admin', 'custodian'], password: STRONG },
    })
    expect(created.status).toBe(409)
    expect(await code(created)).toBe('user.roles_conflict')
    const keeper = await app.userWith(['custodian'])
    const changed = await app.call('POST', `/api/users/${keeper.id}/role-changes`, { cookie: admin.cookie, body: { roles: ['custodian', 'admin'] } })
    expect(await code(changed)).toBe('user.roles_conflict')
    await expect(
      app.services.accounts.create({ system: 'test' }, { username: 'sys', displayName: 'S', roles: ['admin', 'custodian'], password: STRONG }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'user.roles_conflict' } })
  })
})

describe('custodian and supervisor take a second person', () => {
  test('a direct PATCH granting custodian is refused (user.role_change_needs_second_person)', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const clerk = await app.userWith(['registrar'])
    const res = await app.call('PATCH', `/api/users/${clerk.id}`, { cookie: admin.cookie, body: { roles: ['registrar', 'custodian'] } })
    expect(res.status).toBe(409)
    expect(await code(res)).toBe('user.role_change_needs_second_person')
    expect(app.services.accounts.get(clerk.id)!.roles).toEqual(['registrar'])
  })

  test('one administrator alone cannot make a custodian: the proposer cannot confirm, the holder cannot; a supervisor can', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const supervisor = await app.userWith(['supervisor'])
    const clerk = await app.userWith(['registrar', 'supervisor'])
    const size = app.services.log.size()
    // a supervisor is never a custodian as well (user.roles_conflict): the change moves them from one to the other
    const proposed = await app.call('POST', `/api/users/${clerk.id}/role-changes`, {
      cookie: admin.cookie,
      body: { roles: ['registrar', 'examiner', 'custodian'] },
    })
    expect(proposed.status).toBe(201)
    const change = (await proposed.json()) as { id: string; username: string; state: string }
    expect(change).toMatchObject({ username: clerk.username, state: 'pending' })
    expect(app.services.accounts.get(clerk.id)!.roles).toEqual(['registrar', 'supervisor'])
    // supervisors are alerted and see it
    const alerts = (await (await app.call('GET', '/api/alerts', { cookie: supervisor.cookie })).json()) as { alerts: Array<{ action: string; kind: string }> }
    expect(alerts.alerts.map((a) => a.action)).toContain('user.role_change_proposed')
    const pending = (await (await app.call('GET', '/api/role-changes', { cookie: supervisor.cookie })).json()) as { roleChanges: Array<{ id: string }> }
    expect(pending.roleChanges.map((c) => c.id)).toEqual([change.id])

    const own = await app.call('POST', `/api/role-changes/${change.id}/confirm`, { cookie: admin.cookie })
    expect(own.status).toBe(403)
    expect(await code(own)).toBe('role_change.same_person')
    const holder = await app.call('POST', `/api/role-changes/${change.id}/confirm`, { cookie: clerk.cookie })
    expect(await code(holder)).toBe('role_change.own_account')
    expect(app.services.accounts.get(clerk.id)!.roles).toEqual(['registrar', 'supervisor'])

    // the holder is not there: the administrator chose their first password, so the role waits for them
    expect(await code(await app.call('POST', `/api/role-changes/${change.id}/confirm`, { cookie: supervisor.cookie }))).toBe('role_change.holder_absent')
    expect(
      await code(
        await app.call('POST', `/api/role-changes/${change.id}/confirm`, { cookie: supervisor.cookie, body: { holderPassword: 'not their password' } }),
      ),
    ).toBe('role_change.holder_check_failed')
    const confirmed = await app.call('POST', `/api/role-changes/${change.id}/confirm`, { cookie: supervisor.cookie, body: { holderPassword: TEST_PASSWORD } })
    expect(confirmed.status).toBe(200)
    expect(app.services.accounts.get(clerk.id)!.roles.sort()).toEqual(['custodian', 'examiner', 'registrar'])
    const events = actions(app, size)
      .filter((e) => e.outcome === 'ok')
      .map((e) => e.action)
    expect(events).toEqual(['user.role_change_proposed', 'user.role_change_confirmed'])
    expect(actions(app, size).find((e) => e.action === 'user.role_change_confirmed')!.data).toMatchObject({ holderPresent: true })
    expect(JSON.stringify(actions(app, size))).not.toContain('not their password')
    expect(((await (await app.call('GET', '/api/role-changes', { cookie: admin.cookie })).json()) as { roleChanges: unknown[] }).roleChanges).toEqual([])
  })

  test('an administrator creating a custodian account gets it without the role until a second administrator confirms, with the holder present who chose their own password (role_change.holder_password_not_own)', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const admin2 = await app.userWith(['admin'])
    const res = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'zhao.li', displayName: '赵丽', roles: ['custodian'], password: STRONG },
    })
    expect(res.status).toBe(201)
    const user = (await res.json()) as { id: string; roles: string[]; mustChangePassword: boolean }
    expect(user).toMatchObject({ roles: [], mustChangePassword: true })
    const [pending] = (
      (await (await app.call('GET', '/api/role-changes', { cookie: admin2.cookie })).json()) as { roleChanges: Array<{ id: string; toRoles: string[] }> }
    ).roleChanges
    expect(pending!.toRoles).toEqual(['custodian'])
    expect(await code(await app.call('POST', `/api/role-changes/${pending!.id}/confirm`, { cookie: admin.cookie }))).toBe('role_change.same_person')
    // the one-time password the administrator chose does not make the holder present: they choose their own first
    expect(await code(await app.call('POST', `/api/role-changes/${pending!.id}/confirm`, { cookie: admin2.cookie, body: { holderPassword: STRONG } }))).toBe(
      'role_change.holder_password_not_own',
    )
    const own = await app.login('zhao.li', STRONG)
    expect(
      (await app.call('PUT', '/api/session/password', { cookie: own, body: { currentPassword: STRONG, newPassword: 'my own orchard 77 path' } })).status,
    ).toBe(200)
    expect(
      (await app.call('POST', `/api/role-changes/${pending!.id}/confirm`, { cookie: admin2.cookie, body: { holderPassword: 'my own orchard 77 path' } }))
        .status,
    ).toBe(200)
    expect(app.services.accounts.get(user.id)!.roles).toEqual(['custodian'])
  })

  test('removing supervisor also takes a second person; a rejection changes nothing', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const admin2 = await app.userWith(['admin'])
    const sup = await app.userWith(['supervisor'])
    const r = await app.call('POST', `/api/users/${sup.id}/role-changes`, { cookie: admin.cookie, body: { roles: ['registrar'] } })
    const { id } = (await r.json()) as { id: string }
    expect((await app.call('POST', `/api/role-changes/${id}/reject`, { cookie: admin2.cookie })).status).toBe(200)
    expect(app.services.accounts.get(sup.id)!.roles).toEqual(['supervisor'])
    expect(await code(await app.call('POST', `/api/role-changes/${id}/confirm`, { cookie: admin2.cookie }))).toBe('role_change.not_pending')
  })
})

describe('passwords', () => {
  test('a password an administrator set is one-time: after login only the password change, session read and logout are open', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    await app.call('POST', '/api/users', { cookie: admin.cookie, body: { username: 'wang.min', displayName: '王敏', roles: ['registrar'], password: STRONG } })
    const cookie = await app.login('wang.min', STRONG)
    expect(await (await app.call('GET', '/api/session', { cookie })).json()).toMatchObject({ user: { username: 'wang.min', mustChangePassword: true } })
    const blocked = await app.call('GET', '/api/roles', { cookie })
    expect(blocked.status).toBe(403)
    expect(await code(blocked)).toBe('auth.password_change_required')

    const size = app.services.log.size()
    const weak = await app.call('PUT', '/api/session/password', { cookie, body: { currentPassword: STRONG, newPassword: 'wangmin12345' } })
    expect(await code(weak)).toBe('user.password_weak')
    const same = await app.call('PUT', '/api/session/password', { cookie, body: { currentPassword: STRONG, newPassword: STRONG } })
    expect(await code(same)).toBe('user.password_unchanged')
    const wrong = await app.call('PUT', '/api/session/password', {
      cookie,
      body: { currentPassword: 'not the password', newPassword: 'my own orchard 77 path' },
    })
    expect(await code(wrong)).toBe('user.current_password_wrong')
    const changed = await app.call('PUT', '/api/session/password', { cookie, body: { currentPassword: STRONG, newPassword: 'my own orchard 77 path' } })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ user: { mustChangePassword: false } })
    expect((await app.call('GET', '/api/roles', { cookie })).status).toBe(200)
    const ok = actions(app, size).filter((e) => e.outcome === 'ok')
    expect(ok.map((e) => e.action)).toEqual(['user.password_changed'])
    expect(JSON.stringify(actions(app, size))).not.toContain('orchard')
    await app.login('wang.min', 'my own orchard 77 path')
  })

  test('an administrator reset makes the password one-time again, and an administrator cannot reset their own (user.own_password_via_reset)', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const clerk = await app.userWith(['registrar'])
    expect((await app.call('PUT', `/api/users/${clerk.id}/password`, { cookie: admin.cookie, body: { password: STRONG } })).status).toBe(200)
    expect(app.services.accounts.get(clerk.id)!.mustChangePassword).toBe(true)
    const own = await app.call('PUT', `/api/users/${admin.id}/password`, { cookie: admin.cookie, body: { password: STRONG } })
    expect(await code(own)).toBe('user.own_password_via_reset')
    const mine = await app.call('PUT', '/api/session/password', { cookie: admin.cookie, body: { currentPassword: TEST_PASSWORD, newPassword: STRONG } })
    expect(mine.status).toBe(200)
  })

  test('weak passwords are refused with 12 characters and a strength estimate; the demo password only for demo accounts', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    for (const password of ['short pw', 'password1234', DEMO_PASSWORD, 'li.qiang1234']) {
      const res = await app.call('POST', '/api/users', {
        cookie: admin.cookie,
        body: { username: 'li.qiang', displayName: '李强', roles: ['registrar'], password },
      })
      expect([password, await code(res)]).toEqual([password, 'user.password_weak'])
    }
    await expect(
      app.services.accounts.create({ system: 'test' }, { username: 'demo1', displayName: 'D', roles: ['registrar'], password: DEMO_PASSWORD }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'user.password_weak' } })
    await expect(
      app.services.accounts.create(
        { system: 'demo-loader' },
        { username: 'demo2', displayName: 'D', roles: ['registrar'], password: DEMO_PASSWORD },
        { demo: true },
      ),
    ).resolves.toMatchObject({ ok: true })
  })

  test('the bootstrap administrator must choose their own password at first login', async () => {
    const app = makeTestApp()
    await app.services.accounts.bootstrapAdmin('Zr4-one-time-pass-Q', { system: 'bootstrap' })
    const cookie = await app.login('admin', 'Zr4-one-time-pass-Q')
    expect(await code(await app.call('GET', '/api/users', { cookie }))).toBe('auth.password_change_required')
  })
})

describe('one administrator cannot supply the second person (red-team, decision 005)', () => {
  test('granting administrator takes a second person too: an administrator cannot make an admin2 to confirm their own proposals', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const created = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'admin.two', displayName: '管理员二', roles: ['admin'], password: STRONG },
    })
    expect(created.status).toBe(201)
    const two = (await created.json()) as { id: string; roles: string[] }
    expect(two.roles).toEqual([])
    const clerk = await app.userWith(['registrar'])
    expect(await code(await app.call('PATCH', `/api/users/${clerk.id}`, { cookie: admin.cookie, body: { roles: ['registrar', 'admin'] } }))).toBe(
      'user.role_change_needs_second_person',
    )
    expect(app.services.accounts.get(clerk.id)!.roles).toEqual(['registrar'])
    // the would-be admin2 logs in with the password the administrator chose: it holds no role that decides
    const cookie = await app.login('admin.two', STRONG)
    await app.call('PUT', '/api/session/password', { cookie, body: { currentPassword: STRONG, newPassword: 'my own orchard 77 path' } })
    const mine = await app.login('admin.two', 'my own orchard 77 path')
    const custodian = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'mallory', displayName: 'Mallory', roles: ['custodian'], password: STRONG },
    })
    const { id: malloryId } = (await custodian.json()) as { id: string }
    const pending = app.services.accounts.pendingRoleChanges().find((c) => c.userId === malloryId)!
    const confirm = await app.call('POST', `/api/role-changes/${pending.id}/confirm`, { cookie: mine })
    expect(confirm.status).toBe(403)
    expect(app.services.accounts.get(malloryId)!.roles).toEqual([])
  })

  test('a password reset suspends administrator, custodian and supervisor until a second person restores them', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const sup = await app.userWith(['supervisor', 'registrar'])
    const sup2 = await app.userWith(['supervisor'])
    const size = app.services.log.size()
    const reset = await app.call('PUT', `/api/users/${sup.id}/password`, { cookie: admin.cookie, body: { password: STRONG } })
    expect(reset.status).toBe(200)
    expect(await reset.json()).toMatchObject({ roles: ['registrar'], mustChangePassword: true })
    // the administrator, now knowing the password, logs in as the supervisor: no supervisor power
    const cookie = await app.login(sup.username, STRONG)
    await app.call('PUT', '/api/session/password', { cookie, body: { currentPassword: STRONG, newPassword: 'my own orchard 77 path' } })
    const as = await app.login(sup.username, 'my own orchard 77 path')
    expect((await app.call('GET', '/api/alerts', { cookie: as })).status).toBe(403)
    const [restore] = app.services.accounts.pendingRoleChanges()
    expect(restore).toMatchObject({ userId: sup.id, fromRoles: ['registrar'], toRoles: ['supervisor', 'registrar'], proposedBy: admin.id })
    expect(await code(await app.call('POST', `/api/role-changes/${restore!.id}/confirm`, { cookie: admin.cookie }))).toBe('role_change.same_person')
    expect(
      (await app.call('POST', `/api/role-changes/${restore!.id}/confirm`, { cookie: sup2.cookie, body: { holderPassword: 'my own orchard 77 path' } })).status,
    ).toBe(200)
    expect(app.services.accounts.get(sup.id)!.roles.sort()).toEqual(['registrar', 'supervisor'])
    expect(
      actions(app, size)
        .filter((e) => e.outcome === 'ok')
        .map((e) => e.action),
    ).toEqual(expect.arrayContaining(['user.password_set', 'user.role_change_proposed', 'user.role_change_confirmed']))
    // a registrar's reset keeps their roles
    const clerk = await app.userWith(['registrar'])
    await app.call('PUT', `/api/users/${clerk.id}/password`, { cookie: admin.cookie, body: { password: STRONG } })
    expect(app.services.accounts.get(clerk.id)!.roles).toEqual(['registrar'])
  })
})

test('a fresh system has a second person: the bootstrap supervisor confirms the first role change, with their own one-time password', async () => {
  const app = makeTestApp()
  await app.services.accounts.bootstrapAdmin('Zr4-one-time-pass-Q', { system: 'bootstrap' })
  await app.services.accounts.bootstrapSupervisor('Kq9-another-once-W', { system: 'bootstrap' })
  const first = async (username: string, once: string, mine: string) => {
    const c = await app.login(username, once)
    expect((await app.call('PUT', '/api/session/password', { cookie: c, body: { currentPassword: once, newPassword: mine } })).status).toBe(200)
    return app.login(username, mine)
  }
  const admin = await first('admin', 'Zr4-one-time-pass-Q', 'my own orchard 77 path')
  const sup = await first('supervisor', 'Kq9-another-once-W', 'river lantern 58 quietly')
  const made = (await (
    await app.call('POST', '/api/users', { cookie: admin, body: { username: 'li.qiang', displayName: '李强', roles: ['custodian'], password: STRONG } })
  ).json()) as { id: string }
  const [pending] = app.services.accounts.pendingRoleChanges()
  await first('li.qiang', STRONG, 'quiet harbour 31 lanterns')
  expect(
    (await app.call('POST', `/api/role-changes/${pending!.id}/confirm`, { cookie: sup, body: { holderPassword: 'quiet harbour 31 lanterns' } })).status,
  ).toBe(200)
  expect(app.services.accounts.get(made.id)!.roles).toEqual(['custodian'])
})
