import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../_context.ts'
import { fail } from '../_route.ts'

export const DEVICE_HEADER = 'Custody-Device'
export const DEVICE_TIME_HEADER = 'Custody-Device-Time'
export const DEVICE_SIGNATURE_HEADER = 'Custody-Device-Signature'

/**
 * Device-signed requests (decision 011): reads Custody-Device, Custody-Device-Time and Custody-Device-Signature,
 * checks them against the request's method, path with query and body bytes, and puts the device on `c.var.device`.
 * Refuses 401 kiosk.device_unknown / 403 kiosk.device_revoked / 401 kiosk.signature_invalid / 401 kiosk.clock_skew.
 * It proves which tablet; the login (loadPrincipal, the route's access) proves which person.
 */
export const deviceAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const s = c.var.services
  const deviceId = c.req.header(DEVICE_HEADER) ?? ''
  const timeText = c.req.header(DEVICE_TIME_HEADER) ?? ''
  const signature = c.req.header(DEVICE_SIGNATURE_HEADER) ?? ''
  const url = new URL(c.req.url)
  const body = new Uint8Array(c.req.method === 'GET' || c.req.method === 'HEAD' ? new ArrayBuffer(0) : await c.req.arrayBuffer())
  const time = /^\d{1,16}$/.test(timeText) ? Number(timeText) : Number.NaN
  const now = s.clock()
  const r = s.kioskDevices.verifyDeviceRequest({ deviceId, time, signature, method: c.req.method, pathWithQuery: url.pathname + url.search, body }, now)
  if (!r.ok) return fail(c, r.error.code)
  s.kioskDevices.seen(r.value, now)
  c.set('device', r.value)
  return next()
}
