import type { OpenAPIHono } from '@hono/zod-openapi'
import { fileURLToPath } from 'node:url'
import type { AppEnv } from '../_context.ts'
import { loginFirst } from '../_middleware.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './kiosk-room.handlers.ts'
import * as routes from './kiosk-room.routes.ts'
import { ROOM_RECORD_CSS_PATH } from './room-record-page.ts'

/** In the room (R6.3, R7.1): the printable room record and the supervisors' live view of the doors. */
export function kioskRoomRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  app.use('/api/kiosk/rooms/record', loginFirst)
  defineRoute(app, table, routes.liveSessions, handlers.liveSessions)
  defineRoute(app, table, routes.live, handlers.live)
  defineRoute(app, table, routes.liveStream, handlers.liveStream)
  defineRoute(app, table, routes.roomRecord, handlers.roomRecord)
  roomRecordPrintRoutes(app)
}

const CSS_FILE = fileURLToPath(new URL('../../../kiosk/styles/room-record-print.css', import.meta.url))

/** The print stylesheet of the room record (a file: the CSP allows no inline style). */
export function roomRecordPrintRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get(ROOM_RECORD_CSS_PATH, async (c) =>
    c.body(await Bun.file(CSS_FILE).text(), 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }),
  )
}
