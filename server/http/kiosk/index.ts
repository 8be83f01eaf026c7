import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { jsonBodyLimit } from '../_middleware.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './kiosk.handlers.ts'
import * as routes from './kiosk.routes.ts'

export {
  ConfirmationAnswerSchema,
  ConfirmationRequestSchema,
  ConfirmationSchema,
  KioskRecordSchema,
  RoomPackageSchema,
  SyncRequestSchema,
  SyncResultSchema,
  type ConfirmationAnswer,
  type ConfirmationRequest,
  type KioskRecordJson,
  type RoomPackageJson,
  type SyncResultJson,
} from './kiosk.routes.ts'

export const KIOSK_SYNC_PATH = '/api/kiosk/sync'
/** A sync carries a session's worth of records, incidents with a photo each (≤ 300 KB, base64): beyond the API's 1 MiB. */
export const KIOSK_SYNC_MAX_BYTES = 32 * 1024 * 1024

/** True for the sync path (app.ts: its own body limit instead of the JSON one). */
export const isKioskSync = (path: string): boolean => path === KIOSK_SYNC_PATH

/** The door kiosk's package, sync and second-person confirmations (decision 011): login + device signature. */
export function kioskRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  app.use(KIOSK_SYNC_PATH, jsonBodyLimit(KIOSK_SYNC_MAX_BYTES))
  defineRoute(app, table, routes.roomPackage, handlers.roomPackage)
  defineRoute(app, table, routes.sync, handlers.sync)
  defineRoute(app, table, routes.confirmations, handlers.confirmations)
}
