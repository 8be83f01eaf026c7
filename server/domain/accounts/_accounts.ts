import { type Result, ok, refuse } from '../_result.ts'
import { type Role, isRole } from './_roles.ts'

export interface User {
  id: string
  username: string
  displayName: string
  roles: Role[]
  disabled: boolean
  createdAt: number
  updatedAt: number
}

export type AccountError =
  | { code: 'user.username_invalid'; username: string }
  | { code: 'user.username_taken'; username: string }
  | { code: 'user.roles_invalid'; roles: string[] }
  | { code: 'user.password_weak'; minLength: number }
  | { code: 'user.not_found'; id: string }
  | { code: 'user.cannot_disable_self' }
  | { code: 'user.last_admin' }

export const PASSWORD_MIN_LENGTH = 10
const USERNAME = /^[a-z][a-z0-9_.-]{1,31}$/

export interface NewUser { username: string; displayName: string; roles: string[]; password: string }

/** Decides whether a new account may be created; the caller hashes the password and stores it. */
export function decideCreateUser(cmd: NewUser, existing: { usernameTaken: boolean }, id: string, now: number): Result<User, AccountError> {
  if (!USERNAME.test(cmd.username)) return refuse({ code: 'user.username_invalid', username: cmd.username })
  if (existing.usernameTaken) return refuse({ code: 'user.username_taken', username: cmd.username })
  const roles = [...new Set(cmd.roles)]
  if (roles.length === 0 || !roles.every(isRole)) return refuse({ code: 'user.roles_invalid', roles: cmd.roles })
  const weak = checkPassword(cmd.password)
  if (weak) return refuse(weak)
  return ok({ id, username: cmd.username, displayName: cmd.displayName.trim(), roles: roles as Role[], disabled: false, createdAt: now, updatedAt: now })
}

export function checkPassword(password: string): AccountError | null {
  return [...password].length < PASSWORD_MIN_LENGTH ? { code: 'user.password_weak', minLength: PASSWORD_MIN_LENGTH } : null
}

export interface UserChange { displayName?: string; roles?: string[]; disabled?: boolean }

/** An administrator changes an account; nobody disables themself, and the last active administrator stays. */
export function decideUpdateUser(user: User, change: UserChange, ctx: { actorId: string; activeAdmins: number }, now: number): Result<User, AccountError> {
  let roles = user.roles
  if (change.roles !== undefined) {
    const r = [...new Set(change.roles)]
    if (r.length === 0 || !r.every(isRole)) return refuse({ code: 'user.roles_invalid', roles: change.roles })
    roles = r as Role[]
  }
  const disabled = change.disabled ?? user.disabled
  if (disabled && !user.disabled && user.id === ctx.actorId) return refuse({ code: 'user.cannot_disable_self' })
  const wasActiveAdmin = user.roles.includes('admin') && !user.disabled
  const staysActiveAdmin = roles.includes('admin') && !disabled
  if (wasActiveAdmin && !staysActiveAdmin && ctx.activeAdmins <= 1) return refuse({ code: 'user.last_admin' })
  return ok({ ...user, roles, disabled, displayName: change.displayName?.trim() ?? user.displayName, updatedAt: now })
}
