import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './key-ceremony.handlers.ts'
import * as routes from './key-ceremony.routes.ts'

/** Key ceremonies of the split paper key (docs/decisions/008-split-master-key.md). */
export function keyCeremonyRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.paperKey, handlers.paperKey)
  defineRoute(app, table, routes.start, handlers.start)
  defineRoute(app, table, routes.register, handlers.register)
  defineRoute(app, table, routes.contribute, handlers.contribute)
  defineRoute(app, table, routes.cancel, handlers.cancel)
}
