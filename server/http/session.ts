import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { setCookie, deleteCookie, getCookie } from 'hono/cookie'
import { getConnInfo } from 'hono/bun'
import type { User } from '../domain/accounts/index.ts'
import type { Principal } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, refuse, route } from './_route.ts'
import { RoleSchema, UserSchema, errors, json, jsonBody } from './_schemas.ts'

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
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  disabled: u.disabled,
  mustChangePassword: u.mustChangePassword,
  createdAt: new Date(u.createdAt).toISOString(),
  updatedAt: new Date(u.updatedAt).toISOString(),
})
const principalJson = (p: Principal) => ({
  id: p.userId,
  username: p.username,
  displayName: p.displayName,
  roles: p.roles,
  mustChangePassword: p.mustChangePassword,
})

const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  mustChangePassword: z.boolean().openapi({ description: 'true: this user may only change their password (PUT /api/session/password) or log out' }),
})

/** A refusal that says when to try again (too many attempts, or every password slot busy). */
const retryLater = (c: Ctx, code: 'auth.rate_limited' | 'auth.busy', seconds: number) =>
  fail(c, code, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) })

// ---------- the routes (kiosk/src/_client.ts types its calls from these) ----------

export const login = route({
  method: 'post',
  path: '/api/session',
  access: 'public',
  tags: ['session'],
  summary: 'Log in (sets the session cookie)',
  request: jsonBody(z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })),
  responses: { 200: json(z.object({ user: SessionUser, expiresAt: z.string() }), 'Logged in'), ...errors(400, 401, 403, 429, 503) },
})

export const current = route({
  method: 'get',
  path: '/api/session',
  access: 'public',
  tags: ['session'],
  summary: 'Who is logged in (user null when nobody)',
  responses: { 200: json(z.object({ user: SessionUser.nullable() }), 'The current user') },
})

export const changePassword = route({
  method: 'put',
  path: '/api/session/password',
  access: 'authenticated',
  tags: ['session'],
  summary: 'Change my own password (needs the current one; ends my other sessions)',
  description: 'The way out of a one-time password an administrator set. The new password needs 12+ characters and must not be guessable.',
  request: jsonBody(z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().max(256) })),
  responses: { 200: json(z.object({ user: SessionUser }), 'Password changed'), ...errors(400, 401, 403, 429, 503) },
})

export const logout = route({
  method: 'delete',
  path: '/api/session',
  access: 'authenticated',
  tags: ['session'],
  summary: 'Log out (ends the session on the server)',
  responses: { 204: { description: 'Logged out' }, ...errors(401) },
})

export function sessionRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, login, async (c) => {
    const { username, password } = c.req.valid('json')
    const r = await c.var.services.accounts.login(username, password, clientAddress(c))
    if (!r.ok) {
      const e = r.error
      return e.code === 'auth.rate_limited' || e.code === 'auth.busy' ? retryLater(c, e.code, e.retryAfterSeconds) : fail(c, e.code)
    }
    setCookie(c, SESSION_COOKIE, r.value.token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
      // Relative, so the browser's clock (not the server's) decides; the server enforces expiry itself.
      maxAge: Math.max(0, Math.floor((r.value.expiresAt - c.var.services.clock()) / 1000)),
    })
    return c.json({ user: principalJson(r.value.principal), expiresAt: new Date(r.value.expiresAt).toISOString() }, 200)
  })

  defineRoute(app, table, current, (c) => c.json({ user: c.var.principal ? principalJson(c.var.principal) : null }, 200))

  defineRoute(app, table, changePassword, async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json')
    const p = c.var.principal!
    const r = await c.var.services.accounts.changeOwnPassword(p, currentPassword, newPassword, clientAddress(c))
    if (!r.ok) {
      const e = r.error
      if (e.code === 'auth.rate_limited' || e.code === 'auth.busy') return retryLater(c, e.code, e.retryAfterSeconds)
      return refuse(c, e.code, 'user.change_password', {}, { type: 'user', id: p.userId }, e.code === 'user.password_weak' ? e : undefined)
    }
    return c.json({ user: principalJson({ ...p, mustChangePassword: false }) }, 200)
  })

  defineRoute(app, table, logout, (c) => {
    c.var.services.accounts.logout(c.var.principal!)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })
}

export { UserSchema }
