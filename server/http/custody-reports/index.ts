// Custody reports: the timeline of a paper or a packet with each event's inclusion proof against
// the current signed checkpoint, as JSON (for `npm run verify-log -- --proof`), CSV (Excel) and a printable
// A4 page (server-rendered; hono/html escapes every value; no script, no inline style: the CSP forbids both).
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { loadPrincipal, loginFirst } from '../_middleware.ts'
import { serveA4Stylesheet } from '../_print-page.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './custody-reports.handlers.ts'
import * as routes from './custody-reports.routes.ts'
import { CUSTODY_REPORT_CSS_PATH } from './report-page.ts'

export { CUSTODY_REPORT_CSS_PATH } from './report-page.ts'

/** Custody reports of a paper or a packet: JSON, CSV and the printable page. */
export function custodyReportRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  // The printable pages live outside /api; they need the caller's session too.
  app.use('/reports/*', loadPrincipal)
  app.use('/reports/*', loginFirst) // a browser without a session goes to the login page and back
  serveA4Stylesheet(app, CUSTODY_REPORT_CSS_PATH, 'custody-report.css')

  defineRoute(app, table, routes.paperReport, handlers.paperReport)
  defineRoute(app, table, routes.packetReport, handlers.packetReport)
  defineRoute(app, table, routes.paperPage, handlers.paperPage)
  defineRoute(app, table, routes.packetPage, handlers.packetPage)
}
