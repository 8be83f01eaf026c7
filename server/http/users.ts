import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { ROLE_NAMES, ROLES, type AccountError, type RoleChange } from '../domain/accounts/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { RoleSchema, UserSchema, errors, json, jsonBody } from './_schemas.ts'
import { clientAddress, userJson } from './session.ts'

const ADMIN = { roles: ['admin'] } as const
/** A second person for a two-person role change, and readers of the security record (decision 005). */
const ADMIN_OR_SUPERVISOR = { roles: ['admin', 'supervisor'] } as const
const IdParam = z.object({ id: z.string().min(1).max(64) })

/** A domain refusal of an account change: answered and logged. */
const refused = (c: Ctx, e: AccountError, action: string, id?: string) =>
  e.code === 'user.not_found' ? fail(c, e.code) : refuse(c, e.code, action, {}, id ? { type: 'user', id } : undefined, e)

const RoleChangeSchema = z.object({
  id: z.string(), userId: z.string(), username: z.string(), displayName: z.string(),
  fromRoles: z.array(RoleSchema), toRoles: z.array(RoleSchema),
  proposedBy: z.string(), proposedByName: z.string(), proposedAt: z.string(),
  state: z.enum(['pending', 'confirmed', 'rejected']),
}).openapi('RoleChange')

const roleChangeJson = (c: RoleChange, names: { username: string; displayName: string; proposedByName: string }) => ({
  id: c.id, userId: c.userId, username: names.username, displayName: names.displayName, fromRoles: c.fromRoles, toRoles: c.toRoles,
  proposedBy: c.proposedBy, proposedByName: names.proposedByName, proposedAt: new Date(c.proposedAt).toISOString(), state: c.state,
})

const SecurityEventSchema = z.object({
  time: z.string(), kind: z.string(), username: z.string(), address: z.string(), outcome: z.string(),
}).openapi('SecurityEvent')

export function userRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'get', path: '/api/roles', access: 'authenticated', tags: ['users'],
    summary: 'The roles of the system with their names',
    responses: { 200: json(z.object({ roles: z.array(z.object({ id: RoleSchema, zh: z.string(), en: z.string() })) }), 'Roles'), ...errors(401) },
  }, (c) => c.json({ roles: ROLES.map((id) => ({ id, ...ROLE_NAMES[id] })) }, 200))

  defineRoute(app, table, {
    method: 'get', path: '/api/users', access: ADMIN, tags: ['users'],
    summary: 'List user accounts',
    responses: { 200: json(z.object({ users: z.array(UserSchema) }), 'Users'), ...errors(401, 403) },
  }, (c) => c.json({ users: c.var.services.accounts.list().map(userJson) }, 200))

  defineRoute(app, table, {
    method: 'post', path: '/api/users', access: ADMIN, tags: ['users'],
    summary: 'Create a user account',
    request: jsonBody(z.strictObject({
      username: z.string().min(1).max(64), displayName: z.string().trim().min(1).max(100),
      roles: z.array(z.string().max(32)).min(1).max(ROLES.length), password: z.string().max(256),
    })),
    responses: { 201: json(UserSchema, 'Created'), ...errors(400, 401, 403, 409) },
  }, async (c) => {
    const body = input<{ username: string; displayName: string; roles: string[]; password: string }>(c, 'json')
    const r = await c.var.services.accounts.create(actorOf(c.var.principal!, c.var.actingRoles), body)
    return r.ok ? c.json(userJson(r.value), 201) : refused(c, r.error, 'user.create')
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/users/{id}', access: ADMIN, tags: ['users'],
    summary: 'One user account',
    request: { params: IdParam },
    responses: { 200: json(UserSchema, 'The user'), ...errors(401, 403, 404) },
  }, (c) => {
    const u = c.var.services.accounts.get(c.req.param('id')!)
    return u ? c.json(userJson(u), 200) : fail(c, 'user.not_found')
  })

  defineRoute(app, table, {
    method: 'patch', path: '/api/users/{id}', access: ADMIN, tags: ['users'],
    summary: 'Change display name, roles, or disable/enable an account (disabling ends its sessions)',
    request: {
      params: IdParam,
      ...jsonBody(z.strictObject({
        displayName: z.string().trim().min(1).max(100).optional(),
        roles: z.array(z.string().max(32)).min(1).max(ROLES.length).optional(),
        disabled: z.boolean().optional(),
      }).refine((b) => Object.keys(b).length > 0, 'name at least one field to change')),
    },
    responses: { 200: json(UserSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const change = input<{ displayName?: string; roles?: string[]; disabled?: boolean }>(c, 'json')
    const p = c.var.principal!
    const r = c.var.services.accounts.update({ user: p.userId, name: p.username, roles: c.var.actingRoles }, id, change)
    return r.ok ? c.json(userJson(r.value), 200) : refused(c, r.error, 'user.update', id)
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/users/{id}/password', access: ADMIN, tags: ['users'],
    summary: "Set a user's password (ends their sessions)",
    request: { params: IdParam, ...jsonBody(z.strictObject({ password: z.string().max(256) })) },
    responses: { 200: json(UserSchema, 'Password set'), ...errors(400, 401, 403, 404) },
  }, async (c) => {
    const id = c.req.param('id')!
    const { password } = input<{ password: string }>(c, 'json')
    const r = await c.var.services.accounts.setPassword(actorOf(c.var.principal!, c.var.actingRoles), id, password)
    return r.ok ? c.json(userJson(r.value), 200) : refused(c, r.error, 'user.set_password', id)
  })

  // ---------- two-person role changes (R5.2, decision 005) ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/role-changes', access: ADMIN_OR_SUPERVISOR, tags: ['users'],
    summary: 'Role changes awaiting a second person',
    responses: { 200: json(z.object({ roleChanges: z.array(RoleChangeSchema) }), 'Pending role changes'), ...errors(401, 403) },
  }, (c) => c.json({ roleChanges: c.var.services.accounts.pendingRoleChanges().map((v) => roleChangeJson(v, v)) }, 200))

  defineRoute(app, table, {
    method: 'post', path: '/api/users/{id}/role-changes', access: ADMIN, tags: ['users'],
    summary: "Propose a new role set for someone else's account (a second person confirms; supervisors are alerted)",
    description: 'Needed whenever custodian or supervisor is granted or removed. Nobody proposes for their own account.',
    request: { params: IdParam, ...jsonBody(z.strictObject({ roles: z.array(z.string().max(32)).min(1).max(ROLES.length) })) },
    responses: { 201: json(RoleChangeSchema, 'Proposed'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const { roles } = input<{ roles: string[] }>(c, 'json')
    const p = c.var.principal!
    const accounts = c.var.services.accounts
    const r = accounts.proposeRoleChange({ user: p.userId, name: p.username, roles: c.var.actingRoles }, id, roles)
    if (!r.ok) return refused(c, r.error, 'user.role_change_propose', id)
    const u = accounts.get(id)!
    return c.json(roleChangeJson(r.value, { username: u.username, displayName: u.displayName, proposedByName: p.displayName }), 201)
  })

  for (const verdict of ['confirm', 'reject'] as const) {
    defineRoute(app, table, {
      method: 'post', path: `/api/role-changes/{id}/${verdict}`, access: ADMIN_OR_SUPERVISOR, tags: ['users'],
      summary: verdict === 'confirm'
        ? 'Confirm a role change as the second person (not its proposer, not its holder): the roles change now'
        : 'Reject a role change (or, as its proposer, withdraw it)',
      description: verdict === 'confirm'
        ? 'Granting administrator, custodian or supervisor needs the account holder present: holderPassword is the password they chose themself, typed in front of the second person.'
        : undefined,
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: z.strictObject({ holderPassword: z.string().min(1).max(256).optional() }) } }, required: false },
      },
      responses: { 200: json(z.object({ roleChange: RoleChangeSchema, user: UserSchema }), 'Decided'), ...errors(400, 401, 403, 404, 409, 429, 503) },
    }, async (c) => {
      const id = c.req.param('id')!
      const p = c.var.principal!
      const accounts = c.var.services.accounts
      const body = c.req.header('content-type')?.includes('application/json') ? input<{ holderPassword?: string }>(c, 'json') : {}
      const holder = body.holderPassword ? { password: body.holderPassword, address: clientAddress(c) } : undefined
      const r = await accounts.decideRoleChange({ user: p.userId, name: p.username, roles: c.var.actingRoles }, id, verdict, holder)
      if (!r.ok) {
        const e = r.error
        return e.code === 'role_change.not_found' ? fail(c, e.code) : refuse(c, e.code, `user.role_change_${verdict}`, {}, { type: 'role_change', id }, e)
      }
      const proposer = accounts.get(r.value.change.proposedBy)
      const names = { username: r.value.user.username, displayName: r.value.user.displayName, proposedByName: proposer?.displayName ?? '' }
      return c.json({ roleChange: roleChangeJson(r.value.change, names), user: userJson(r.value.user) }, 200)
    })
  }

  // ---------- the security record (decision 005) ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/security/login-failures', access: ADMIN_OR_SUPERVISOR, tags: ['users'],
    summary: 'Failed and refused logins and witness checks (not custody events), newest first',
    request: { query: z.object({ hours: z.coerce.number().int().min(1).max(24 * 90).default(24), limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
    responses: { 200: json(z.object({ events: z.array(SecurityEventSchema) }), 'Security events'), ...errors(400, 401, 403) },
  }, (c) => {
    const { hours, limit } = input<{ hours: number; limit: number }>(c, 'query')
    const since = c.var.services.clock() - hours * 3600_000
    const events = c.var.services.accounts.securityEvents(since, limit)
    return c.json({ events: events.map((e) => ({ time: new Date(e.time).toISOString(), kind: e.kind, username: e.username, address: e.address, outcome: e.outcome })) }, 200)
  })
}
