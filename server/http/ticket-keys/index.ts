import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './ticket-keys.handlers.ts'
import * as routes from './ticket-keys.routes.ts'

/** The ticket key ring (docs/decisions/011-door-kiosk.md): its list and its rotation (admin, on /admin/keys). */
export function ticketKeyRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.rotate, handlers.rotate)
}
