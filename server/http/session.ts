import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { setCookie, deleteCookie, getCookie } from 'hono/cookie'
import { getConnInfo } from 'hono/bun'
import type { User } from '../domain/accounts/index.ts'
import type { Principal } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input } from './_route.ts'
import { UserSchema, errors, json, jsonBody } from './_schemas.ts'

export const SESSION_COOKIE = 'custody_session'

export const sessionToken = (c: Ctx): string | undefined => getCookie(c, SESSION_COOKIE)

export function clientAddress(c: Ctx): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}

export const userJson = (u: User) => ({
  id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, disabled: u.disabled,
  createdAt: new Date(u.createdAt).toISOString(), updatedAt: new Date(u.updatedAt).toISOString(),
})
const principalJson = (p: Principal) => ({ id: p.userId, username: p.username, displayName: p.displayName, roles: p.roles })

const SessionUser = z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })

export function sessionRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'post', path: '/api/session', access: 'public', tags: ['session'],
    summary: 'Log in (sets the session cookie)',
    request: jsonBody(z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })),
    responses: { 200: json(z.object({ user: SessionUser, expiresAt: z.string() }), 'Logged in'), ...errors(400, 401, 403, 429) },
  }, async (c) => {
    const { username, password } = input<{ username: string; password: string }>(c, 'json')
    const r = await c.var.services.accounts.login(username, password, clientAddress(c))
    if (!r.ok) {
      const e = r.error
      return e.code === 'auth.rate_limited'
        ? fail(c, e.code, { retryAfterSeconds: e.retryAfterSeconds }, { 'Retry-After': String(e.retryAfterSeconds) })
        : fail(c, e.code)
    }
    setCookie(c, SESSION_COOKIE, r.value.token, {
      httpOnly: true, sameSite: 'Strict', path: '/', secure: new URL(c.req.url).protocol === 'https:',
      // Relative, so the browser's clock (not the server's) decides; the server enforces expiry itself.
      maxAge: Math.max(0, Math.floor((r.value.expiresAt - c.var.services.clock()) / 1000)),
    })
    return c.json({ user: principalJson(r.value.principal), expiresAt: new Date(r.value.expiresAt).toISOString() }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/session', access: 'public', tags: ['session'],
    summary: 'Who is logged in (user null when nobody)',
    responses: { 200: json(z.object({ user: SessionUser.nullable() }), 'The current user') },
  }, (c) => c.json({ user: c.var.principal ? principalJson(c.var.principal) : null }, 200))

  defineRoute(app, table, {
    method: 'delete', path: '/api/session', access: 'authenticated', tags: ['session'],
    summary: 'Log out (ends the session on the server)',
    responses: { 204: { description: 'Logged out' }, ...errors(401) },
  }, (c) => {
    c.var.services.accounts.logout(c.var.principal!)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })
}

export { UserSchema }
