import { describe, expect, test } from 'vitest'
import {
  checkPassword,
  decideCreateUser,
  decideProposeRoleChange,
  decideResetPassword,
  decideRoleChange,
  decideUpdateUser,
  DEMO_PASSWORD,
  type RoleChange,
  type User,
} from '../server/domain/accounts/index.ts'

const good = { username: 'li.qiang', displayName: ' 李强 ', roles: ['registrar'] }
const SYSTEM = { byPerson: false, oneTimePassword: false }
const PERSON = { byPerson: true, oneTimePassword: true }

describe('creating an account', () => {
  test('a valid account is created with trimmed name and de-duplicated roles', () => {
    const r = decideCreateUser({ ...good, roles: ['registrar', 'registrar', 'examiner'] }, { usernameTaken: false }, 'id1', 5, SYSTEM)
    expect(r).toEqual({
      ok: true,
      value: {
        pending: null,
        user: {
          id: 'id1',
          username: 'li.qiang',
          displayName: '李强',
          roles: ['registrar', 'examiner'],
          disabled: false,
          mustChangePassword: false,
          createdAt: 5,
          updatedAt: 5,
        },
      },
    })
  })
  test.each([
    ['a username with capitals (user.username_invalid)', { username: 'LiQiang' }, 'user.username_invalid'],
    ['a username with spaces (user.username_invalid)', { username: 'li qiang' }, 'user.username_invalid'],
    ['an unknown role (user.roles_invalid)', { roles: ['custodian', 'root'] }, 'user.roles_invalid'],
    ['no role (user.roles_invalid)', { roles: [] }, 'user.roles_invalid'],
    ['administrator and custodian together (user.roles_conflict)', { roles: ['admin', 'custodian'] }, 'user.roles_conflict'],
  ])('%s is refused', (_name, change, code) => {
    const r = decideCreateUser({ ...good, ...change }, { usernameTaken: false }, 'id', 0, SYSTEM)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe(code)
  })
  test('a taken username is refused (user.username_taken)', () => {
    const r = decideCreateUser(good, { usernameTaken: true }, 'id', 0, SYSTEM)
    expect(!r.ok && r.error.code).toBe('user.username_taken')
  })
  test('an administrator creating a custodian gets the account without the role and a pending role change for it', () => {
    const r = decideCreateUser({ ...good, roles: ['custodian', 'registrar'] }, { usernameTaken: false }, 'id', 0, PERSON)
    expect(r).toMatchObject({ ok: true, value: { user: { roles: ['registrar'], mustChangePassword: true }, pending: ['custodian', 'registrar'] } })
  })
  test('start-up code (bootstrap, demo loader) is not a person: it grants custodian directly', () => {
    expect(decideCreateUser({ ...good, roles: ['custodian'] }, { usernameTaken: false }, 'id', 0, SYSTEM)).toMatchObject({
      ok: true,
      value: { user: { roles: ['custodian'] }, pending: null },
    })
  })
})

describe('the password policy', () => {
  test.each([
    ['11 characters (short)', 'Xq7#vB2!mZ9', 'short'],
    ['a common password padded to 12 (guessable)', 'password1234', 'guessable'],
    ['a keyboard walk (guessable)', 'qwertyuiop12', 'guessable'],
    ['a repeated character (guessable)', 'aaaaaaaaaaaa', 'guessable'],
    ['the published demo password (published)', DEMO_PASSWORD, 'published'],
  ])('%s is refused (user.password_weak)', (_name, password, reason) => {
    expect(checkPassword(password)).toEqual({ code: 'user.password_weak', minLength: 12, reason })
  })
  test("the account's own name makes a password guessable", () => {
    expect(checkPassword('liqiang19880101', [])).toBeNull()
    expect(checkPassword('liqiang19880101', ['li.qiang', '李强 liqiang'])).toMatchObject({ reason: 'guessable' })
  })
  test('the demo password is refused for any account the demo loader did not create, and allowed for demo accounts', () => {
    expect(checkPassword(DEMO_PASSWORD)).not.toBeNull()
    expect(checkPassword('Custody-Demo')).not.toBeNull()
    expect(checkPassword(DEMO_PASSWORD, [], { demo: true })).toBeNull()
  })
  test('a long passphrase passes', () => {
    expect(checkPassword('correct horse battery')).toBeNull()
    expect(checkPassword('kX9#mP2$vL7q')).toBeNull()
  })
})

const user = (over: Partial<User> = {}): User => ({
  id: 'u',
  username: 'wang',
  displayName: 'W',
  roles: ['registrar'],
  disabled: false,
  mustChangePassword: false,
  createdAt: 0,
  updatedAt: 0,
  ...over,
})

describe('changing an account', () => {
  const admin = user({ id: 'a', username: 'admin', roles: ['admin'] })
  test('nobody disables themself (user.cannot_disable_self)', () => {
    const r = decideUpdateUser(admin, { disabled: true }, { actorId: 'a', activeAdmins: 2 }, 1)
    expect(!r.ok && r.error.code).toBe('user.cannot_disable_self')
  })
  test('the last active administrator stays (user.last_admin)', () => {
    expect(decideUpdateUser(admin, { disabled: true }, { actorId: 'b', activeAdmins: 1 }, 1)).toMatchObject({ ok: false, error: { code: 'user.last_admin' } })
    // removing administrator is a two-person role change (decideRoleChange keeps the last one)
    expect(decideUpdateUser(admin, { roles: ['registrar'] }, { actorId: 'b', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.role_change_needs_second_person', roles: ['admin'] },
    })
    expect(decideUpdateUser(admin, { disabled: true }, { actorId: 'b', activeAdmins: 2 }, 1)).toMatchObject({
      ok: true,
      value: { disabled: true, updatedAt: 1 },
    })
  })
  test('nobody changes their own roles (user.cannot_change_own_roles), but may resend them unchanged', () => {
    expect(decideUpdateUser(admin, { roles: ['admin', 'registrar'] }, { actorId: 'a', activeAdmins: 2 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.cannot_change_own_roles' },
    })
    expect(decideUpdateUser(admin, { roles: ['admin'], displayName: 'New' }, { actorId: 'a', activeAdmins: 2 }, 1)).toMatchObject({
      ok: true,
      value: { displayName: 'New' },
    })
  })
  test('granting or removing custodian or supervisor directly is refused (user.role_change_needs_second_person)', () => {
    expect(decideUpdateUser(user(), { roles: ['registrar', 'custodian'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.role_change_needs_second_person', roles: ['custodian'] },
    })
    expect(decideUpdateUser(user({ roles: ['supervisor'] }), { roles: ['registrar'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.role_change_needs_second_person', roles: ['supervisor'] },
    })
    expect(decideUpdateUser(user(), { roles: ['registrar', 'examiner'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: true,
      value: { roles: ['registrar', 'examiner'] },
    })
  })
  test('granting administrator directly is refused too: a second administrator made alone would confirm its maker (user.role_change_needs_second_person)', () => {
    expect(decideUpdateUser(user(), { roles: ['registrar', 'admin'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.role_change_needs_second_person', roles: ['admin'] },
    })
  })
  test('an administrator or a supervisor is neither a custodian nor an invigilator: they read every seal on the log (user.roles_conflict)', () => {
    expect(decideUpdateUser(user({ roles: ['invigilator'] }), { roles: ['invigilator', 'admin'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.roles_conflict', roles: ['admin', 'invigilator'] },
    })
    expect(decideUpdateUser(user({ roles: ['invigilator'] }), { roles: ['invigilator', 'supervisor'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.roles_conflict', roles: ['supervisor', 'invigilator'] },
    })
    expect(decideProposeRoleChange(user({ roles: ['custodian'] }), ['custodian', 'supervisor'], { actorId: 'a', pendingId: null }, 'c', 1)).toMatchObject({
      ok: false,
      error: { code: 'user.roles_conflict', roles: ['supervisor', 'custodian'] },
    })
    expect(
      decideCreateUser({ username: 'dual', displayName: 'D', roles: ['supervisor', 'invigilator'] }, { usernameTaken: false }, 'x', 1, {
        byPerson: false,
        oneTimePassword: false,
      }),
    ).toMatchObject({ ok: false, error: { code: 'user.roles_conflict' } })
    expect(decideUpdateUser(user({ roles: ['examiner'] }), { roles: ['examiner', 'registrar'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: true,
    })
  })
  test('an administrator cannot also become a custodian (user.roles_conflict)', () => {
    expect(decideUpdateUser(user({ roles: ['custodian'] }), { roles: ['custodian', 'admin'] }, { actorId: 'a', activeAdmins: 1 }, 1)).toMatchObject({
      ok: false,
      error: { code: 'user.roles_conflict' },
    })
  })
})

describe('two-person role changes', () => {
  const target = user({ id: 't' })
  const proposed = (): RoleChange => {
    const r = decideProposeRoleChange(target, ['registrar', 'custodian'], { actorId: 'a1', pendingId: null }, 'rc', 10)
    if (!r.ok) throw new Error(r.error.code)
    return r.value
  }
  test('a proposal records the roles before and after and changes nothing yet', () => {
    expect(proposed()).toEqual({
      id: 'rc',
      userId: 't',
      fromRoles: ['registrar'],
      toRoles: ['registrar', 'custodian'],
      proposedBy: 'a1',
      proposedAt: 10,
      state: 'pending',
      decidedBy: null,
      decidedAt: null,
    })
  })
  test.each([
    ["for one's own account (user.cannot_change_own_roles)", ['custodian'], { actorId: 't', pendingId: null }, 'user.cannot_change_own_roles'],
    ['while another is pending (role_change.already_pending)', ['custodian'], { actorId: 'a1', pendingId: 'old' }, 'role_change.already_pending'],
    ['for the same roles (role_change.no_change)', ['registrar'], { actorId: 'a1', pendingId: null }, 'role_change.no_change'],
    ['for administrator and custodian (user.roles_conflict)', ['admin', 'custodian'], { actorId: 'a1', pendingId: null }, 'user.roles_conflict'],
  ])('a proposal %s is refused', (_n, roles, ctx, code) => {
    expect(decideProposeRoleChange(target, roles, ctx, 'rc', 0)).toMatchObject({ ok: false, error: { code } })
  })
  test('the proposer cannot confirm their own proposal (role_change.same_person)', () => {
    expect(decideRoleChange(proposed(), target, 'confirm', { deciderId: 'a1', activeAdmins: 2 }, 11)).toMatchObject({
      ok: false,
      error: { code: 'role_change.same_person' },
    })
  })
  test("the account's holder decides neither way (role_change.own_account)", () => {
    expect(decideRoleChange(proposed(), target, 'confirm', { deciderId: 't', activeAdmins: 2 }, 11)).toMatchObject({
      ok: false,
      error: { code: 'role_change.own_account' },
    })
    expect(decideRoleChange(proposed(), target, 'reject', { deciderId: 't', activeAdmins: 2 }, 11)).toMatchObject({
      ok: false,
      error: { code: 'role_change.own_account' },
    })
  })
  test('a second person confirms, with the holder present: only then do the roles change', () => {
    expect(decideRoleChange(proposed(), target, 'confirm', { deciderId: 's1', activeAdmins: 2 }, 11)).toMatchObject({
      ok: false,
      error: { code: 'role_change.holder_absent' },
    })
    expect(decideRoleChange(proposed(), target, 'confirm', { deciderId: 's1', activeAdmins: 2, holderPresent: true }, 11)).toMatchObject({
      ok: true,
      value: { change: { state: 'confirmed', decidedBy: 's1', decidedAt: 11 }, user: { roles: ['registrar', 'custodian'], updatedAt: 11 } },
    })
  })
  test('a rejection leaves the roles; a decided change is not decided twice (role_change.not_pending)', () => {
    const r = decideRoleChange(proposed(), target, 'reject', { deciderId: 'a1', activeAdmins: 2 }, 11)
    expect(r).toMatchObject({ ok: true, value: { change: { state: 'rejected' }, user: { roles: ['registrar'] } } })
    if (r.ok)
      expect(decideRoleChange(r.value.change, target, 'confirm', { deciderId: 's1', activeAdmins: 2 }, 12)).toMatchObject({
        ok: false,
        error: { code: 'role_change.not_pending' },
      })
  })
  test('a proposal for roles the account no longer has is stale (role_change.stale)', () => {
    expect(decideRoleChange(proposed(), user({ id: 't', roles: ['examiner'] }), 'confirm', { deciderId: 's1', activeAdmins: 2 }, 11)).toMatchObject({
      ok: false,
      error: { code: 'role_change.stale' },
    })
  })
})

describe('a password reset by an administrator', () => {
  test("suspends administrator, custodian and supervisor and proposes their restore in the resetting administrator's name", () => {
    const r = decideResetPassword(user({ id: 't', roles: ['supervisor', 'examiner'] }), { actorId: 'a1', pendingId: null, activeAdmins: 2 }, 'rc', 5)
    expect(r).toMatchObject({
      ok: true,
      value: {
        user: { roles: ['examiner'], mustChangePassword: true },
        restore: { id: 'rc', userId: 't', fromRoles: ['examiner'], toRoles: ['supervisor', 'examiner'], proposedBy: 'a1', state: 'pending' },
      },
    })
    expect(decideResetPassword(user({ id: 't', roles: ['registrar'] }), { actorId: 'a1', pendingId: 'old', activeAdmins: 2 }, 'rc', 5)).toMatchObject({
      ok: true,
      value: { user: { roles: ['registrar'] }, restore: null },
    })
  })
  test('is refused while another change of the account is pending, and never leaves no active administrator', () => {
    expect(decideResetPassword(user({ id: 't', roles: ['custodian'] }), { actorId: 'a1', pendingId: 'old', activeAdmins: 2 }, 'rc', 5)).toMatchObject({
      ok: false,
      error: { code: 'role_change.already_pending' },
    })
    expect(decideResetPassword(user({ id: 't', roles: ['admin'] }), { actorId: 'a1', pendingId: null, activeAdmins: 1 }, 'rc', 5)).toMatchObject({
      ok: false,
      error: { code: 'user.last_admin' },
    })
  })
})
