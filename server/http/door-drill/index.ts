import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { loginFirst } from '../_middleware.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './door-drill.handlers.ts'
import * as routes from './door-drill.routes.ts'

/** The demo's door drill sheet (server/demo/drill.ts): a logged-out visit goes to the login page and back. */
export function doorDrillRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  app.use('/api/kiosk/drill/print', loginFirst)
  defineRoute(app, table, routes.sheet, handlers.sheet)
}
