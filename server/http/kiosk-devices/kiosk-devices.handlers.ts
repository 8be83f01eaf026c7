import type { KioskRefusal } from '../../domain/kiosk/index.ts'
import { type Person, actorOf } from '../../services/index.ts'
import type { DeviceView } from '../../services/kiosk-devices.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { clientAddress } from '../session.ts'
import type * as routes from './kiosk-devices.routes.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const actor = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person

function deviceJson(c: Ctx, d: DeviceView) {
  const by = d.revokedBy
  return {
    id: d.id,
    siteId: d.siteId,
    siteName: d.siteName,
    label: d.label,
    state: d.state,
    enrolledAt: iso(d.enrolledAt)!,
    lastSeenAt: iso(d.lastSeenAt),
    revokedAt: iso(d.revokedAt),
    revokedBy: by ? { userId: by, displayName: c.var.services.accounts.get(by)?.displayName ?? '—' } : null,
    revokeReason: d.revokeReason,
  }
}

/** A logged-in person's refused act on a device: logged, with what it was about. */
const refused = (c: Ctx, e: KioskRefusal, action: string, subject?: { type: string; id: string }) =>
  refuse(c, e.code, action, {}, subject, e.state === undefined ? undefined : { state: e.state })

const k = (c: Ctx) => c.var.services.kioskDevices

export const openEnrolment: AppRouteHandler<typeof routes.openEnrolment> = (c) => {
  const r = k(c).openEnrolment(actor(c), c.req.valid('json'))
  if (!r.ok) return refused(c, r.error, 'kiosk.enrolment_open')
  return c.json({ ...r.value, expiresAt: iso(r.value.expiresAt)! }, 201)
}

export const list: AppRouteHandler<typeof routes.list> = (c) =>
  c.json(
    {
      devices: k(c)
        .list()
        .map((d) => deviceJson(c, d)),
    },
    200,
  )

export const enrol: AppRouteHandler<typeof routes.enrol> = (c) => {
  const r = k(c).enrol(clientAddress(c), c.req.valid('json'))
  if (!r.ok) {
    // No login here: nothing to attribute a refusal to, and the answer says nothing about the code.
    const wait = r.error.retryAfterMs
    return wait ? fail(c, 'kiosk.rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) }) : fail(c, r.error.code)
  }
  return c.json(r.value, 201)
}

export const revoke: AppRouteHandler<typeof routes.revoke> = (c) => {
  const { id } = c.req.valid('param')
  const r = k(c).revoke(actor(c), id, c.req.valid('json').reason)
  if (!r.ok) return refused(c, r.error, 'kiosk.device_revoke', { type: 'kiosk_device', id })
  return c.json(deviceJson(c, r.value), 200)
}
