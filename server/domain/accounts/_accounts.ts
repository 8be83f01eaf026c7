import { type Result, ok, refuse } from '../_result.ts'
import { type Role, isRole } from './_roles.ts'
import type { WeakPassword } from './_password-policy.ts'

export interface User {
  id: string
  username: string
  displayName: string
  roles: Role[]
  disabled: boolean
  /** The password was set by someone else (an administrator, the bootstrap): the user must choose their own first. */
  mustChangePassword: boolean
  createdAt: number
  updatedAt: number
}

export type AccountError =
  | { code: 'user.username_invalid'; username: string }
  | { code: 'user.username_taken'; username: string }
  | { code: 'user.roles_invalid'; roles: string[] }
  | { code: 'user.roles_conflict'; roles: Role[] }
  | WeakPassword
  | { code: 'user.not_found'; id: string }
  | { code: 'user.cannot_disable_self' }
  | { code: 'user.cannot_change_own_roles' }
  | { code: 'user.role_change_needs_second_person'; roles: Role[] }
  | { code: 'user.last_admin' }
  | { code: 'user.own_password_via_reset' }
  | { code: 'user.current_password_wrong' }
  | { code: 'user.password_unchanged' }
  | { code: 'role_change.not_found'; id: string }
  | { code: 'role_change.not_pending'; state: string }
  | { code: 'role_change.already_pending'; id: string }
  | { code: 'role_change.no_change' }
  | { code: 'role_change.same_person' }
  | { code: 'role_change.own_account' }
  | { code: 'role_change.stale' }
  | { code: 'role_change.holder_absent' }
  | { code: 'role_change.holder_password_not_own' }
  | { code: 'role_change.holder_check_failed' }

/**
 * Separation of duties (R5.2, decision 005): granting or removing these roles takes a second person, since
 * custodians decrypt and move papers, supervisors confirm leaks and role changes, and administrators confirm
 * role changes too: an administrator who could make a second administrator alone would confirm with it.
 */
export const TWO_PERSON_ROLES: readonly Role[] = ['admin', 'custodian', 'supervisor']
/**
 * Roles nobody holds together: an administrator who is also a custodian could approve a print job alone.
 * Administrators and supervisors read the full log and the alerts, seal numbers included, so one who was also
 * an invigilator or a custodian could read a seal before the blind check they must make (R5.3, decision 006);
 * and a supervisor inspects custodians and invigilators (R6.4), not themself.
 */
export const EXCLUSIVE_ROLES: ReadonlyArray<readonly [Role, Role]> = [
  ['admin', 'custodian'],
  ['admin', 'invigilator'],
  ['supervisor', 'custodian'],
  ['supervisor', 'invigilator'],
]

const USERNAME = /^[a-z][a-z0-9_.-]{1,31}$/

export interface NewUser {
  username: string
  displayName: string
  roles: string[]
  password: string
}

/** Valid, de-duplicated roles, or the refusal. */
export function parseRoles(requested: readonly string[]): Result<Role[], AccountError> {
  const roles = [...new Set(requested)]
  if (roles.length === 0 || !roles.every(isRole)) return refuse({ code: 'user.roles_invalid', roles: [...requested] })
  const clash = EXCLUSIVE_ROLES.find(([a, b]) => roles.includes(a) && roles.includes(b))
  if (clash) return refuse({ code: 'user.roles_conflict', roles: [...clash] })
  return ok(roles as Role[])
}

/** The two-person roles that differ between two role sets (granted or removed). */
export const twoPersonDifference = (from: readonly Role[], to: readonly Role[]): Role[] => TWO_PERSON_ROLES.filter((r) => from.includes(r) !== to.includes(r))

export const sameRoles = (a: readonly Role[], b: readonly Role[]): boolean => a.length === b.length && a.every((r) => b.includes(r))

/**
 * Decides whether a new account may be created (the caller checks the password and hashes it).
 * A person (an administrator) asking for a two-person role gets the account without it and a pending
 * role change for the rest (`pending`); start-up code (the bootstrap, the demo loader) is not a person.
 */
export function decideCreateUser(
  cmd: Omit<NewUser, 'password'>,
  existing: { usernameTaken: boolean },
  id: string,
  now: number,
  ctx: { byPerson: boolean; oneTimePassword: boolean },
): Result<{ user: User; pending: Role[] | null }, AccountError> {
  if (!USERNAME.test(cmd.username)) return refuse({ code: 'user.username_invalid', username: cmd.username })
  if (existing.usernameTaken) return refuse({ code: 'user.username_taken', username: cmd.username })
  const parsed = parseRoles(cmd.roles)
  if (!parsed.ok) return parsed
  const wanted = parsed.value
  const held = ctx.byPerson ? wanted.filter((r) => !TWO_PERSON_ROLES.includes(r)) : wanted
  const user: User = {
    id,
    username: cmd.username,
    displayName: cmd.displayName.trim(),
    roles: held,
    disabled: false,
    mustChangePassword: ctx.oneTimePassword,
    createdAt: now,
    updatedAt: now,
  }
  return ok({ user, pending: held.length === wanted.length ? null : wanted })
}

export interface UserChange {
  displayName?: string
  roles?: string[]
  disabled?: boolean
}

/**
 * An administrator changes an account: nobody changes their own roles or disables themself, the last
 * active administrator stays, and a change of a two-person role goes through a role change instead.
 */
export function decideUpdateUser(user: User, change: UserChange, ctx: { actorId: string; activeAdmins: number }, now: number): Result<User, AccountError> {
  let roles = user.roles
  if (change.roles !== undefined) {
    const parsed = parseRoles(change.roles)
    if (!parsed.ok) return parsed
    if (!sameRoles(parsed.value, user.roles)) {
      if (user.id === ctx.actorId) return refuse({ code: 'user.cannot_change_own_roles' })
      const sensitive = twoPersonDifference(user.roles, parsed.value)
      if (sensitive.length > 0) return refuse({ code: 'user.role_change_needs_second_person', roles: sensitive })
      roles = parsed.value
    }
  }
  const disabled = change.disabled ?? user.disabled
  if (disabled && !user.disabled && user.id === ctx.actorId) return refuse({ code: 'user.cannot_disable_self' })
  const wasActiveAdmin = user.roles.includes('admin') && !user.disabled
  const staysActiveAdmin = roles.includes('admin') && !disabled
  if (wasActiveAdmin && !staysActiveAdmin && ctx.activeAdmins <= 1) return refuse({ code: 'user.last_admin' })
  return ok({ ...user, roles, disabled, displayName: change.displayName?.trim() ?? user.displayName, updatedAt: now })
}
