import { type Result, ok, refuse } from '../_result.ts'
import type { Role } from './_roles.ts'
import { type AccountError, type User, TWO_PERSON_ROLES, parseRoles, sameRoles } from './_accounts.ts'

/**
 * A two-person role change (R5.2, decision 005): an administrator proposes a new role set for an account;
 * a second person (another administrator or a supervisor, not the proposer, not the account's holder)
 * confirms or rejects it with their own login. Only a confirmation changes the roles.
 */
export type RoleChangeState = 'pending' | 'confirmed' | 'rejected'
export interface RoleChange {
  id: string
  userId: string
  fromRoles: Role[]
  toRoles: Role[]
  proposedBy: string
  proposedAt: number
  state: RoleChangeState
  decidedBy: string | null
  decidedAt: number | null
}

export function decideProposeRoleChange(
  user: User,
  requested: readonly string[],
  ctx: { actorId: string; pendingId: string | null },
  id: string,
  now: number,
): Result<RoleChange, AccountError> {
  if (user.id === ctx.actorId) return refuse({ code: 'user.cannot_change_own_roles' })
  const parsed = parseRoles(requested)
  if (!parsed.ok) return parsed
  if (sameRoles(parsed.value, user.roles)) return refuse({ code: 'role_change.no_change' })
  if (ctx.pendingId) return refuse({ code: 'role_change.already_pending', id: ctx.pendingId })
  return ok({
    id,
    userId: user.id,
    fromRoles: user.roles,
    toRoles: parsed.value,
    proposedBy: ctx.actorId,
    proposedAt: now,
    state: 'pending',
    decidedBy: null,
    decidedAt: null,
  })
}

/**
 * The second person's verdict. The proposer may withdraw (reject) but never confirm; the account's holder
 * decides neither; a proposal made for roles the account no longer has is stale.
 */
export function decideRoleChange(
  change: RoleChange,
  user: User,
  verdict: 'confirm' | 'reject',
  ctx: { deciderId: string; activeAdmins: number; holderPresent?: boolean },
  now: number,
): Result<{ change: RoleChange; user: User }, AccountError> {
  if (change.state !== 'pending') return refuse({ code: 'role_change.not_pending', state: change.state })
  if (ctx.deciderId === user.id) return refuse({ code: 'role_change.own_account' })
  if (verdict === 'reject') return ok({ change: { ...change, state: 'rejected', decidedBy: ctx.deciderId, decidedAt: now }, user })
  if (ctx.deciderId === change.proposedBy) return refuse({ code: 'role_change.same_person' })
  if (!sameRoles(change.fromRoles, user.roles)) return refuse({ code: 'role_change.stale' })
  // The administrator chose the account's first password: a two-person role goes only to the person who has
  // since chosen their own, and proves it by typing it in front of the second person (decision 005).
  if (grantsTwoPersonRole(change) && !ctx.holderPresent) return refuse({ code: 'role_change.holder_absent' })
  const parsed = parseRoles(change.toRoles)
  if (!parsed.ok) return parsed
  if (user.roles.includes('admin') && !user.disabled && !parsed.value.includes('admin') && ctx.activeAdmins <= 1) return refuse({ code: 'user.last_admin' })
  return ok({
    change: { ...change, state: 'confirmed', decidedBy: ctx.deciderId, decidedAt: now },
    user: { ...user, roles: parsed.value, updatedAt: now },
  })
}

/**
 * An administrator resets someone else's password (decision 005). The administrator then knows a password
 * of that account and could log in as it before its holder does; so the account's two-person roles are
 * suspended by the reset and come back only when a second person (not the resetting administrator, not
 * the holder) confirms the role change restoring them. Without it one administrator could reset two
 * supervisors' passwords and confirm a leak alone, or a second administrator's and confirm their own
 * proposals. An account with none of those roles keeps its roles.
 */
export function decideResetPassword(
  user: User,
  ctx: { actorId: string; pendingId: string | null; activeAdmins: number },
  changeId: string,
  now: number,
): Result<{ user: User; restore: RoleChange | null }, AccountError> {
  const suspended = user.roles.filter((r) => TWO_PERSON_ROLES.includes(r))
  if (suspended.length === 0) return ok({ user: { ...user, mustChangePassword: true, updatedAt: now }, restore: null })
  if (ctx.pendingId) return refuse({ code: 'role_change.already_pending', id: ctx.pendingId })
  if (suspended.includes('admin') && !user.disabled && ctx.activeAdmins <= 1) return refuse({ code: 'user.last_admin' })
  const kept = user.roles.filter((r) => !suspended.includes(r))
  return ok({
    user: { ...user, roles: kept, mustChangePassword: true, updatedAt: now },
    restore: {
      id: changeId,
      userId: user.id,
      fromRoles: kept,
      toRoles: user.roles,
      proposedBy: ctx.actorId,
      proposedAt: now,
      state: 'pending',
      decidedBy: null,
      decidedAt: null,
    },
  })
}

/** Whether a change grants a role that takes a second person (its holder must then be present to confirm). */
export const grantsTwoPersonRole = (change: Pick<RoleChange, 'fromRoles' | 'toRoles'>): boolean =>
  change.toRoles.some((r) => TWO_PERSON_ROLES.includes(r) && !change.fromRoles.includes(r))
