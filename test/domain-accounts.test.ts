import { describe, expect, test } from 'vitest'
import { decideCreateUser, decideUpdateUser, type User } from '../server/domain/accounts/index.ts'

const good = { username: 'li.qiang', displayName: ' 李强 ', roles: ['custodian'], password: 'long enough password' }

describe('creating an account', () => {
  test('a valid account is created with trimmed name and de-duplicated roles', () => {
    const r = decideCreateUser({ ...good, roles: ['custodian', 'custodian', 'supervisor'] }, { usernameTaken: false }, 'id1', 5)
    expect(r).toEqual({ ok: true, value: { id: 'id1', username: 'li.qiang', displayName: '李强', roles: ['custodian', 'supervisor'], disabled: false, createdAt: 5, updatedAt: 5 } })
  })
  test.each([
    ['a username with capitals (user.username_invalid)', { username: 'LiQiang' }, 'user.username_invalid'],
    ['a username with spaces (user.username_invalid)', { username: 'li qiang' }, 'user.username_invalid'],
    ['an unknown role (user.roles_invalid)', { roles: ['custodian', 'root'] }, 'user.roles_invalid'],
    ['no role (user.roles_invalid)', { roles: [] }, 'user.roles_invalid'],
    ['a 9-character password (user.password_weak)', { password: '123456789' }, 'user.password_weak'],
  ])('%s is refused', (_name, change, code) => {
    const r = decideCreateUser({ ...good, ...change }, { usernameTaken: false }, 'id', 0)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe(code)
  })
  test('a taken username is refused (user.username_taken)', () => {
    const r = decideCreateUser(good, { usernameTaken: true }, 'id', 0)
    expect(!r.ok && r.error.code).toBe('user.username_taken')
  })
})

describe('changing an account', () => {
  const admin: User = { id: 'a', username: 'admin', displayName: 'A', roles: ['admin'], disabled: false, createdAt: 0, updatedAt: 0 }
  test('nobody disables themself (user.cannot_disable_self)', () => {
    const r = decideUpdateUser(admin, { disabled: true }, { actorId: 'a', activeAdmins: 2 }, 1)
    expect(!r.ok && r.error.code).toBe('user.cannot_disable_self')
  })
  test('the last active administrator stays (user.last_admin)', () => {
    expect(decideUpdateUser(admin, { disabled: true }, { actorId: 'b', activeAdmins: 1 }, 1)).toMatchObject({ ok: false, error: { code: 'user.last_admin' } })
    expect(decideUpdateUser(admin, { roles: ['supervisor'] }, { actorId: 'b', activeAdmins: 1 }, 1)).toMatchObject({ ok: false, error: { code: 'user.last_admin' } })
    expect(decideUpdateUser(admin, { disabled: true }, { actorId: 'b', activeAdmins: 2 }, 1)).toMatchObject({ ok: true, value: { disabled: true, updatedAt: 1 } })
  })
})
