import { createRoute, type OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Role } from '../domain/accounts/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type ErrorCode, errorBody, ERRORS } from './_errors.ts'

/**
 * Who may call a route. Every route says it (least privilege); the route table built from
 * these declarations is what the access test walks.
 */
export type Access = 'public' | 'authenticated' | { roles: readonly Role[] }

export interface RouteEntry {
  method: string
  path: string
  access: Access
  summary: string
}

/** A route as declared: the OpenAPI route config (zod schemas) plus who may call it. */
export type RouteSpec = Omit<RouteConfig, 'middleware'> & { access: Access; summary: string }

/**
 * Declares a route (like createRoute): keeps the literal path and the zod schemas' types, so the handler's
 * `c.req.valid('json' | 'param' | 'query')` is typed from them.
 */
export const route = <P extends string, S extends Omit<RouteSpec, 'path'> & { path: P }>(spec: S): S => spec

/**
 * The context a route's handler gets: the app's variables and the route's validated input, typed from its
 * schemas (the context of @hono/zod-openapi's RouteHandler for this route).
 */
export type RouteContext<S extends RouteSpec> = Parameters<RouteHandler<S, AppEnv>>[0]

/**
 * A route's handler. Inputs are typed from the schemas; the answer is any Response: refusals come from
 * `fail`/`refuse` (the error table decides their status), and the success bodies are documented by the
 * route's response schemas rather than checked against them.
 */
export type AppRouteHandler<S extends RouteSpec> = (c: RouteContext<S>) => Response | Promise<Response>

/** Registers one route: access check first, then zod validation, then the thin handler. */
export function defineRoute<S extends RouteSpec>(app: OpenAPIHono<AppEnv>, table: RouteEntry[], spec: S, handler: AppRouteHandler<S>): void {
  const { access, ...config } = spec
  const openapiRoute = createRoute({
    ...config,
    // Documented responses, not a return type the handler is held to (see AppRouteHandler).
    responses: config.responses as RouteConfig['responses'],
    middleware: [requireAccess(access, `${spec.method.toUpperCase()} ${spec.path}`)],
    security: access === 'public' ? [] : [{ session: [] }],
    description: `${spec.description ?? ''}\n\nAccess: ${describeAccess(access)}`.trim(),
  })
  table.push({ method: spec.method.toUpperCase(), path: spec.path, access, summary: spec.summary })
  app.openapi(openapiRoute, handler)
}

export const describeAccess = (a: Access): string => (a === 'public' ? 'anyone' : a === 'authenticated' ? 'any logged-in user' : `roles: ${a.roles.join(', ')}`)

/** What a user whose password was set by someone else may still call (besides public routes). */
const BEFORE_OWN_PASSWORD = new Set(['DELETE /api/session', 'PUT /api/session/password'])

function requireAccess(access: Access, routeName: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === 'public') return next()
    const p = c.var.principal
    if (!p) return fail(c, 'auth.required')
    // A password someone else chose is one-time: until its holder chooses their own, nothing else (decision 005).
    if (p.mustChangePassword && !BEFORE_OWN_PASSWORD.has(routeName)) return fail(c, 'auth.password_change_required')
    if (access === 'authenticated') {
      c.set('actingRoles', p.roles)
      return next()
    }
    const acting = p.roles.filter((r) => access.roles.includes(r))
    if (acting.length === 0) {
      // A logged-in user reaching for what their role does not allow: refused and logged.
      return refuse(c, 'auth.forbidden', 'request.refused', { route: routeName })
    }
    c.set('actingRoles', acting)
    return next()
  }
}

/** Answers with an error and changes nothing (malformed input, not-logged-in): not written to the log. */
export function fail(c: Ctx, code: ErrorCode, details?: unknown, headers?: Record<string, string>): Response {
  return c.json(errorBody(code, details), ERRORS[code].status, headers)
}

/**
 * Answers a refusal of a logged-in user's action and logs it as a refusal event (in its own transaction,
 * since the refused change was never made; a flood of them is summarised, services/refusal-log.ts).
 */
export function refuse(
  c: Ctx,
  code: ErrorCode,
  action: string,
  data: Record<string, string | number | boolean | null> = {},
  subject?: { type: string; id: string },
  details?: unknown,
): Response {
  const p = c.var.principal
  if (p) {
    // Logged one by one up to a limit per user and minute, then summarised (decision 007): the answer is the same.
    c.var.services.refusals.record({
      actor: actorOf(p, c.var.actingRoles?.length ? c.var.actingRoles : p.roles),
      action,
      outcome: 'refused',
      subject: subject ?? null,
      data: { code, method: c.req.method, path: new URL(c.req.url).pathname, ...data },
    })
  }
  return fail(c, code, details)
}
