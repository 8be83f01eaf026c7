import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './occupations.handlers.ts'
import * as routes from './occupations.routes.ts'

/** Occupations (职业/工种) and the working-day calendar. */
export function occupationRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.create, handlers.create)
  defineRoute(app, table, routes.update, handlers.update)
  defineRoute(app, table, routes.calendarYears, handlers.calendarYears)
  defineRoute(app, table, routes.importCalendarYear, handlers.importCalendarYear)
  defineRoute(app, table, routes.deadline, handlers.deadline)
}
