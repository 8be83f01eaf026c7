import { ROLE_NAMES, ROLES, type AccountError, type RoleChange } from '../../domain/accounts/index.ts'
import { actorOf } from '../../services/index.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { clientAddress, userJson } from '../session.ts'
import type * as routes from './users.routes.ts'
import type { Verdict } from './users.routes.ts'

/** A domain refusal of an account change: answered and logged. */
const refused = (c: Ctx, e: AccountError, action: string, id?: string) =>
  e.code === 'user.not_found' ? fail(c, e.code) : refuse(c, e.code, action, {}, id ? { type: 'user', id } : undefined, e)

const roleChangeJson = (c: RoleChange, names: { username: string; displayName: string; proposedByName: string }) => ({
  id: c.id,
  userId: c.userId,
  username: names.username,
  displayName: names.displayName,
  fromRoles: c.fromRoles,
  toRoles: c.toRoles,
  proposedBy: c.proposedBy,
  proposedByName: names.proposedByName,
  proposedAt: new Date(c.proposedAt).toISOString(),
  state: c.state,
})

export const roles: AppRouteHandler<typeof routes.roles> = (c) => c.json({ roles: ROLES.map((id) => ({ id, ...ROLE_NAMES[id] })) }, 200)

export const list: AppRouteHandler<typeof routes.list> = (c) => c.json({ users: c.var.services.accounts.list().map(userJson) }, 200)

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const body = c.req.valid('json')
  const r = await c.var.services.accounts.create(actorOf(c.var.principal!, c.var.actingRoles), body)
  return r.ok ? c.json(userJson(r.value), 201) : refused(c, r.error, 'user.create')
}

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const u = c.var.services.accounts.get(c.req.param('id')!)
  return u ? c.json(userJson(u), 200) : fail(c, 'user.not_found')
}

export const update: AppRouteHandler<typeof routes.update> = (c) => {
  const id = c.req.param('id')!
  const change = c.req.valid('json')
  const p = c.var.principal!
  const r = c.var.services.accounts.update({ user: p.userId, name: p.username, roles: c.var.actingRoles }, id, change)
  return r.ok ? c.json(userJson(r.value), 200) : refused(c, r.error, 'user.update', id)
}

export const setPassword: AppRouteHandler<typeof routes.setPassword> = async (c) => {
  const id = c.req.param('id')!
  const { password } = c.req.valid('json')
  const r = await c.var.services.accounts.setPassword(actorOf(c.var.principal!, c.var.actingRoles), id, password)
  return r.ok ? c.json(userJson(r.value), 200) : refused(c, r.error, 'user.set_password', id)
}

export const roleChanges: AppRouteHandler<typeof routes.roleChanges> = (c) =>
  c.json({ roleChanges: c.var.services.accounts.pendingRoleChanges().map((v) => roleChangeJson(v, v)) }, 200)

export const proposeRoleChange: AppRouteHandler<typeof routes.proposeRoleChange> = (c) => {
  const id = c.req.param('id')!
  const { roles } = c.req.valid('json')
  const p = c.var.principal!
  const accounts = c.var.services.accounts
  const r = accounts.proposeRoleChange({ user: p.userId, name: p.username, roles: c.var.actingRoles }, id, roles)
  if (!r.ok) return refused(c, r.error, 'user.role_change_propose', id)
  const u = accounts.get(id)!
  return c.json(roleChangeJson(r.value, { username: u.username, displayName: u.displayName, proposedByName: p.displayName }), 201)
}

export const decideRoleChange =
  (verdict: Verdict): AppRouteHandler<ReturnType<typeof routes.decideRoleChange>> =>
  async (c) => {
    const id = c.req.param('id')!
    const p = c.var.principal!
    const accounts = c.var.services.accounts
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {}
    const holder = body.holderPassword ? { password: body.holderPassword, address: clientAddress(c) } : undefined
    const r = await accounts.decideRoleChange({ user: p.userId, name: p.username, roles: c.var.actingRoles }, id, verdict, holder)
    if (!r.ok) {
      const e = r.error
      return e.code === 'role_change.not_found' ? fail(c, e.code) : refuse(c, e.code, `user.role_change_${verdict}`, {}, { type: 'role_change', id }, e)
    }
    const proposer = accounts.get(r.value.change.proposedBy)
    const names = { username: r.value.user.username, displayName: r.value.user.displayName, proposedByName: proposer?.displayName ?? '' }
    return c.json({ roleChange: roleChangeJson(r.value.change, names), user: userJson(r.value.user) }, 200)
  }

export const loginFailures: AppRouteHandler<typeof routes.loginFailures> = (c) => {
  const { hours, limit } = c.req.valid('query')
  const since = c.var.services.clock() - hours * 3600_000
  const events = c.var.services.accounts.securityEvents(since, limit)
  return c.json(
    { events: events.map((e) => ({ time: new Date(e.time).toISOString(), kind: e.kind, username: e.username, address: e.address, outcome: e.outcome })) },
    200,
  )
}
