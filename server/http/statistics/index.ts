import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './statistics.handlers.ts'
import * as routes from './statistics.routes.ts'

/** Yearly statistics (R9.1): the table and summary of a year, the years, the CSV (on /statistics). */
export function statisticsRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  // /api/statistics/years before nothing that could shadow it; the CSV has its own path.
  defineRoute(app, table, routes.years, handlers.years)
  defineRoute(app, table, routes.year, handlers.year)
  defineRoute(app, table, routes.csv, handlers.csv)
}
