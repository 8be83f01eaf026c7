import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './users.handlers.ts'
import * as routes from './users.routes.ts'

/** User accounts, two-person role changes (R5.2, decision 005) and the security record. */
export function userRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.roles, handlers.roles)
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.create, handlers.create)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.update, handlers.update)
  defineRoute(app, table, routes.setPassword, handlers.setPassword)

  // ---------- two-person role changes (R5.2, decision 005) ----------
  defineRoute(app, table, routes.roleChanges, handlers.roleChanges)
  defineRoute(app, table, routes.proposeRoleChange, handlers.proposeRoleChange)
  for (const verdict of ['confirm', 'reject'] as const) {
    defineRoute(app, table, routes.decideRoleChange(verdict), handlers.decideRoleChange(verdict))
  }

  // ---------- the security record (decision 005) ----------
  defineRoute(app, table, routes.loginFailures, handlers.loginFailures)
}
