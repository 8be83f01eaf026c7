import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './scores.handlers.ts'
import * as routes from './scores.routes.ts'

/**
 * Scores (R7.1): a batch's session tallies, the theory import, the verifier's second entry or check against the
 * signed sheets, resolving differences, signing, amendments, and the batch's results. Needs services.scores (createApp).
 * Scope: registrars, verifiers and supervisors act for the whole body (no room scope); each route names its roles.
 */
export function scoresRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.batches, handlers.batches)
  defineRoute(app, table, routes.sessions, handlers.sessions)
  defineRoute(app, table, routes.tally, handlers.tally)
  defineRoute(app, table, routes.importTheory, handlers.importTheory)
  defineRoute(app, table, routes.collect, handlers.collect)
  defineRoute(app, table, routes.secondEntry, handlers.secondEntry)
  defineRoute(app, table, routes.checkSheet, handlers.checkSheet)
  defineRoute(app, table, routes.resolve, handlers.resolve)
  defineRoute(app, table, routes.sign, handlers.sign)
  defineRoute(app, table, routes.amend, handlers.amend)
  defineRoute(app, table, routes.results, handlers.results)
}
