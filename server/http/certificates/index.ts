import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { loginFirst } from '../_middleware.ts'
import { serveA4Stylesheet } from '../_print-page.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './certificates.handlers.ts'
import { CERTIFICATE_PRINT_CSS_PATH } from './print-page.ts'
import * as routes from './certificates.routes.ts'

/**
 * Certificates (R8.1–R8.3): the body's number and the key ring (admin), approval, checklist, issuing and the
 * printable certificate (registrar), reissue (registrar asks, a second person decides), and the public
 * verification (no login, rate limited per address). Needs services.certificates (createApp).
 */
export function certificateRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  app.use('/api/certificates/:number/print', loginFirst)
  serveA4Stylesheet(app, CERTIFICATE_PRINT_CSS_PATH, 'certificate-print.css')
  defineRoute(app, table, routes.getBody, handlers.getBody)
  defineRoute(app, table, routes.setBody, handlers.setBody)
  defineRoute(app, table, routes.listKeys, handlers.listKeys)
  defineRoute(app, table, routes.rotateKey, handlers.rotateKey)
  defineRoute(app, table, routes.checklist, handlers.checklist)
  defineRoute(app, table, routes.recordApproval, handlers.recordApproval)
  defineRoute(app, table, routes.issue, handlers.issue)
  defineRoute(app, table, routes.reissues, handlers.reissues)
  defineRoute(app, table, routes.decideReissue, handlers.decideReissue)
  defineRoute(app, table, routes.publicKeys, handlers.publicKeys)
  defineRoute(app, table, routes.verifyText, handlers.verifyText)
  defineRoute(app, table, routes.verify, handlers.verify)
  defineRoute(app, table, routes.getOne, handlers.getOne)
  defineRoute(app, table, routes.print, handlers.print)
  defineRoute(app, table, routes.requestReissue, handlers.requestReissue)
}
