import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './log.handlers.ts'
import * as routes from './log.routes.ts'

/** The custody log: its signed checkpoint, witnesses, key, entries, proofs (RFC 9162) and export. */
export function logRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.checkpoint, handlers.checkpoint)
  defineRoute(app, table, routes.witnesses, handlers.witnesses)
  defineRoute(app, table, routes.key, handlers.key)
  defineRoute(app, table, routes.entries, handlers.entries)
  defineRoute(app, table, routes.inclusionProof, handlers.inclusionProof)
  defineRoute(app, table, routes.consistencyProof, handlers.consistencyProof)
  defineRoute(app, table, routes.exportLog, handlers.exportLog)
}

/** Rotating the log's signing key (admin): itself a log event, signed by the old and the new key. */
export function logKeyRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.rotateKey, handlers.rotateKey)
}
