import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './leaks.handlers.ts'
import * as routes from './leaks.routes.ts'

/** Leak reports (R5.4), the supervisors' decisions on them (R6.4) and copy tracing. */
export function leakRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.file, handlers.file)
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.confirm, handlers.confirm)
  defineRoute(app, table, routes.dismiss, handlers.dismiss)
  defineRoute(app, table, routes.decide, handlers.decide)
  defineRoute(app, table, routes.traceCopy, handlers.traceCopy)
}
