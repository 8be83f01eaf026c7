import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './candidates.handlers.ts'
import * as routes from './candidates.routes.ts'

/**
 * Registration (R3.1, R7.3), review (R3.2) and fees (R3.3). Candidates' personal data: registrars, and
 * administrators masked; lists always masked (decision 007).
 */
export function candidateRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.register, handlers.register)
  defineRoute(app, table, routes.importCsv, handlers.importCsv)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.photo, handlers.photo)
  defineRoute(app, table, routes.setPhoto, handlers.setPhoto)
  defineRoute(app, table, routes.attachment, handlers.attachment)
  defineRoute(app, table, routes.move, handlers.move)
  defineRoute(app, table, routes.pay, handlers.pay)
}
