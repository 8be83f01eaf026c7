import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './results.handlers.ts'
import * as routes from './results.routes.ts'

/** Results (R7.2, R7.3): publication, reviews (核查) and the public lookup of one's own result. */
export function resultsRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.batches, handlers.batches)
  defineRoute(app, table, routes.status, handlers.status)
  defineRoute(app, table, routes.publish, handlers.publish)
  defineRoute(app, table, routes.takeDown, handlers.takeDown)
  defineRoute(app, table, routes.published, handlers.published)
  defineRoute(app, table, routes.reviews, handlers.reviews)
  defineRoute(app, table, routes.requestReview, handlers.requestReview)
  defineRoute(app, table, routes.start, handlers.start)
  defineRoute(app, table, routes.uphold, handlers.uphold)
  defineRoute(app, table, routes.change, handlers.change)
  defineRoute(app, table, routes.verify, handlers.verify)
  defineRoute(app, table, routes.sendBack, handlers.sendBack)
  defineRoute(app, table, routes.withdraw, handlers.withdraw)
  defineRoute(app, table, routes.lookup, handlers.lookup)
}
