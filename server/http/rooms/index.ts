import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './rooms.handlers.ts'
import * as routes from './rooms.routes.ts'

export { RoomSchema } from './rooms.routes.ts'
export { notAssigned, roomJson } from './rooms.handlers.ts'

/** Sites and rooms, each session's rooms and seating, staff (R4.3) and pre-exam inspections (R6.1). */
export function roomRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  // ---------- sites and rooms ----------
  defineRoute(app, table, routes.listSites, handlers.listSites)
  defineRoute(app, table, routes.createSite, handlers.createSite)
  defineRoute(app, table, routes.createRoom, handlers.createRoom)
  defineRoute(app, table, routes.updateRoom, handlers.updateRoom)

  // ---------- sessions: overview and rooms ----------
  defineRoute(app, table, routes.preparation, handlers.preparation)
  defineRoute(app, table, routes.sessionRooms, handlers.sessionRooms)
  defineRoute(app, table, routes.addRoom, handlers.addRoom)
  defineRoute(app, table, routes.removeRoom, handlers.removeRoom)

  // ---------- seating ----------
  defineRoute(app, table, routes.seat, handlers.seat)
  defineRoute(app, table, routes.seating, handlers.seating)
  defineRoute(app, table, routes.roster, handlers.roster)

  // ---------- staff (R4.3) ----------

  defineRoute(app, table, routes.staff, handlers.staff)
  defineRoute(app, table, routes.assignStaff, handlers.assignStaff)
  defineRoute(app, table, routes.unassignStaff, handlers.unassignStaff)
  defineRoute(app, table, routes.people, handlers.people)
  defineRoute(app, table, routes.myAssignments, handlers.myAssignments)
  defineRoute(app, table, routes.readiness, handlers.readiness)

  // ---------- inspection (R6.1, R4.2, R6.5) ----------

  defineRoute(app, table, routes.inspection, handlers.inspection)
  defineRoute(app, table, routes.recordInspection, handlers.recordInspection)
}
