import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../_context.ts'
import { type RouteEntry, defineRoute } from '../_route.ts'
import * as handlers from './kiosk-devices.handlers.ts'
import * as routes from './kiosk-devices.routes.ts'

export { DEVICE_HEADER, DEVICE_SIGNATURE_HEADER, DEVICE_TIME_HEADER, deviceAuth } from './device-auth.ts'

/** Door tablets (docs/decisions/011-door-kiosk.md): enrolment codes, enrolment, the device list, revocation. */
export function kioskDeviceRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, routes.openEnrolment, handlers.openEnrolment)
  defineRoute(app, table, routes.list, handlers.list)
  defineRoute(app, table, routes.enrol, handlers.enrol)
  defineRoute(app, table, routes.revoke, handlers.revoke)
}
