import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './batches.handlers.ts'
import * as routes from './batches.routes.ts'

export { publicView } from './batches.handlers.ts'

/** Batch plans (认定计划, R2.1/R2.2), exam sessions and their changes (R4.4), announcements (R2.3). */
export function batchRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.create, handlers.create)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.update, handlers.update)
  defineRoute(app, table, routes.file, handlers.file)
  defineRoute(app, table, routes.changeVenue, handlers.changeVenue)
  defineRoute(app, table, routes.changeSession, handlers.changeSession)
  defineRoute(app, table, routes.announce, handlers.announce)
  defineRoute(app, table, routes.announcements, handlers.announcements)
  defineRoute(app, table, routes.announcement, handlers.announcement)
}
