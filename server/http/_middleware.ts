import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from './_context.ts'
import { fail } from './_route.ts'
import { sessionToken } from './session.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** JSON request bodies are small; a larger body is refused before it is read whole. */
export const jsonBodyLimit = (maxBytes: number): MiddlewareHandler<AppEnv> =>
  bodyLimit({ maxSize: maxBytes, onError: (c) => fail(c as never, 'request.too_large', { maxBytes }) })

/**
 * CSRF: a state-changing request must carry an Origin header naming one of the configured public (or
 * trusted) origins, as Hono's csrf middleware does for forms, but for every content type. The request's
 * own URL is not compared: its host comes from the Host header, which the sender chooses (decision 007).
 * Non-browser clients send `Origin: http://localhost:8080`.
 */
export const originCheck =
  (allowed: () => readonly string[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next()
    const origin = c.req.header('origin')
    if (!origin || !allowed().includes(origin)) return fail(c, 'csrf.origin_mismatch', { origin: origin ?? null })
    if (c.req.header('sec-fetch-site') === 'cross-site') return fail(c, 'csrf.origin_mismatch', { secFetchSite: 'cross-site' })
    return next()
  }

/**
 * API answers are not kept by browsers or proxies (decision 007): many carry personal data (candidates'
 * identity, staff, custody). Every /api response gets `Cache-Control: no-store` unless its route chose
 * its own header; errors included.
 */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store')
}

/** State-changing API requests with a body speak JSON (uploads, later, declare their own types). */
export const jsonOnly =
  (exempt: (path: string) => boolean): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!UNSAFE.has(c.req.method) || exempt(c.req.path)) return next()
    const hasBody = c.req.header('content-length') !== undefined ? c.req.header('content-length') !== '0' : c.req.raw.body !== null
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (hasBody && type !== 'application/json') return fail(c, 'request.unsupported_media_type', { contentType: type || null })
    return next()
  }

/** Who is calling: the session cookie's principal, or null. */
export const loadPrincipal: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('principal', c.var.services.accounts.authenticate(sessionToken(c)))
  c.set('actingRoles', [])
  return next()
}

/** While the log is damaged nothing may change: every state change needs its event. */
export const writesNeedHealthyLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const damage = c.var.services.log.damaged
  if (damage && UNSAFE.has(c.req.method)) return fail(c, 'log.damaged', { reason: damage })
  return next()
}

/**
 * A printable page opened in a browser without a session goes to the login page and back: an HTML GET
 * without a principal is redirected to /login?next=<this path> (the login page keeps `next` only when it
 * names this origin, kiosk/src/_next.ts). API clients asking for JSON still get the 401.
 */
export const loginFirst: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.principal || c.req.method !== 'GET' || !(c.req.header('accept') ?? '').includes('text/html')) return next()
  const url = new URL(c.req.url)
  return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303)
}
