import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { loginFirst } from '../_middleware.ts'
import { serveA4Stylesheet } from '../_print-page.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import { TICKET_PRINT_CSS_PATH } from './print-page.ts'
import * as handlers from './tickets.handlers.ts'
import * as routes from './tickets.routes.ts'

/** The printable pages: a logged-out visit goes to the login page and back. */
export const TICKET_PRINT_PAGES = [
  '/api/tickets/:number/print',
  '/api/sessions/:id/tickets/print',
  '/api/sessions/:id/rooms/:roomId/tickets/print',
  '/api/sessions/:id/badges/print',
] as const

/** Ticket issue, revocation, the door check, photos and the printable tickets and badges (R3.4). */
export function ticketRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  for (const path of TICKET_PRINT_PAGES) app.use(path, loginFirst)
  defineRoute(app, table, routes.key, handlers.key)
  defineRoute(app, table, routes.issue, handlers.issue)
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.revoke, handlers.revoke)
  defineRoute(app, table, routes.revocations, handlers.revocations)
  defineRoute(app, table, routes.check, handlers.check)
  defineRoute(app, table, routes.photo, handlers.photo)
  defineRoute(app, table, routes.printOne, handlers.printOne)
  defineRoute(app, table, routes.printSession, handlers.printSession)
  defineRoute(app, table, routes.printRoom, handlers.printRoom)
  defineRoute(app, table, routes.printBadges, handlers.printBadges)
}

/** The print stylesheet of the ticket and badge pages (a file: the CSP allows no inline style). */
export function ticketPrintRoutes(app: OpenAPIHono<AppEnv>): void {
  serveA4Stylesheet(app, TICKET_PRINT_CSS_PATH, 'tickets-print.css')
}
