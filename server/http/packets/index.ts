import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './packets.handlers.ts'
import * as routes from './packets.routes.ts'

export { callerOf, custodyRefused, viewerOf } from './packets.handlers.ts'

/** Packets: reading, moves (PACKET_MOVES), handovers (R5.3), opening and recovery in the room, disposal (R5.5), alerts (R5.4). */
export function packetRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  // ---------- reading ----------
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.receivers, handlers.receivers)

  // ---------- moves ----------
  defineRoute(app, table, routes.move, handlers.move)

  // ---------- handovers (R5.3) ----------
  defineRoute(app, table, routes.offerHandover, handlers.offerHandover)
  defineRoute(app, table, routes.confirmHandover, handlers.confirmHandover)
  defineRoute(app, table, routes.declineHandover, handlers.declineHandover)
  defineRoute(app, table, routes.handovers, handlers.handovers)

  // ---------- in the room ----------
  defineRoute(app, table, routes.open, handlers.open)
  defineRoute(app, table, routes.recover, handlers.recover)

  // ---------- disposal (R5.5) ----------
  defineRoute(app, table, routes.dispose, handlers.dispose)
  defineRoute(app, table, routes.disposalsDue, handlers.disposalsDue)

  // ---------- alerts (R5.4) ----------
  defineRoute(app, table, routes.alerts, handlers.alerts)
  defineRoute(app, table, routes.acknowledgeAlert, handlers.acknowledgeAlert)
}
