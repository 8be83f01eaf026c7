import type { OpenAPIHono } from '@hono/zod-openapi'
import { fileURLToPath } from 'node:url'
import type { AppEnv } from '../_context.ts'
import { loadPrincipal } from '../_middleware.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import { PACKET_LABEL_CSS_PATH } from './label-page.ts'
import * as handlers from './papers.handlers.ts'
import * as routes from './papers.routes.ts'

const UPLOAD_PATH = /^\/api\/papers\/[^/]+\/file$/
/** The paper upload streams a raw body of up to ~2.5 GB (app.ts: no JSON limit, not JSON-only). */
export const isPaperUpload = (path: string): boolean => UPLOAD_PATH.test(path)

/** Papers, their files, print jobs, packet labels, custody settings and master keys. */
export function papersRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  // ---------- papers ----------
  defineRoute(app, table, routes.create, handlers.create)
  defineRoute(app, table, routes.ofSession, handlers.ofSession)
  defineRoute(app, table, routes.get, handlers.get)
  defineRoute(app, table, routes.upload, handlers.upload)

  // ---------- print jobs (R5.2 +) ----------
  defineRoute(app, table, routes.requestPrint, handlers.requestPrint)
  defineRoute(app, table, routes.getJob, handlers.getJob)
  defineRoute(app, table, routes.approve, handlers.approve)
  defineRoute(app, table, routes.decrypt, handlers.decrypt)
  defineRoute(app, table, routes.holdShare, handlers.holdShare)
  defineRoute(app, table, routes.printed, handlers.printed)
  defineRoute(app, table, routes.cancel, handlers.cancel)

  // ---------- custody settings ----------
  defineRoute(app, table, routes.getSettings, handlers.getSettings)
  defineRoute(app, table, routes.setSettings, handlers.setSettings)

  // ---------- master keys (003) ----------
  defineRoute(app, table, routes.masterKeys, handlers.masterKeys)
  defineRoute(app, table, routes.rotateMasterKey, handlers.rotateMasterKey)

  // ---------- printable labels (outside /api: pages a browser prints) ----------

  app.use('/packets/:id/label', loadPrincipal)
  app.use('/print-jobs/:id/labels', loadPrincipal)
  defineRoute(app, table, routes.label, handlers.label)
  defineRoute(app, table, routes.jobLabels, handlers.jobLabels)
  app.get(PACKET_LABEL_CSS_PATH, async (c) =>
    c.body(await Bun.file(LABEL_CSS_FILE).text(), 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }),
  )
}

const LABEL_CSS_FILE = fileURLToPath(new URL('../../../kiosk/styles/packet-label.css', import.meta.url))
