import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { ROLE_NAMES, ROLES, type AccountError } from '../domain/accounts/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { RoleSchema, UserSchema, errors, json, jsonBody } from './_schemas.ts'
import { userJson } from './session.ts'

const ADMIN = { roles: ['admin'] } as const
const IdParam = z.object({ id: z.string().min(1).max(64) })

/** A domain refusal of an account change: answered and logged. */
const refused = (c: Ctx, e: AccountError, action: string, id?: string) =>
  e.code === 'user.not_found' ? fail(c, e.code) : refuse(c, e.code, action, {}, id ? { type: 'user', id } : undefined, e)

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
}
