import { type Person, actorOf } from '../../services/index.ts'
import type { SyncRefusalCode, SyncResult } from '../../services/kiosk-sync.ts'
import type { Ctx } from '../_context.ts'
import { type ErrorEntry, ERRORS } from '../_errors.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { deviceAuth } from '../kiosk-devices/index.ts'
import { notAssigned } from '../rooms/index.ts'
import { clientAddress } from '../session.ts'
import type * as routes from './kiosk.routes.ts'

/** What a refused record's result says (codes of the handlers of other kinds come from the app's error table). */
export const SYNC_MESSAGES: Record<SyncRefusalCode, Pick<ErrorEntry, 'zh' | 'en'>> = {
  'kiosk.record_id_reused': { zh: '该记录编号已用于另一条内容不同的记录，未保存', en: 'This record id was used for a different record; not stored' },
  'kiosk.record_device_unknown': { zh: '记录来自本考点未登记的设备', en: 'The record comes from a device not enrolled at this site' },
  'kiosk.record_signature_invalid': { zh: '记录的设备签名无效', en: "The record's device signature does not verify" },
  'kiosk.record_not_yours': { zh: '记录须由当前登录的本人上传', en: 'A record is uploaded by the person who made it, logged in' },
  'kiosk.record_kind_unknown': { zh: '不认识的记录类别', en: 'Unknown kind of record' },
  'kiosk.record_invalid': { zh: '记录内容不完整或不符合要求', en: 'The record is incomplete or not valid' },
  'kiosk.confirmation_invalid': { zh: '第二人确认无效或已过期，请重新确认', en: "The second person's confirmation is not valid or has expired; confirm again" },
  'scope.not_assigned': { zh: '您未被分配到该考场或场次', en: 'You are not assigned to this room or session' },
}

const messages = (code: string): { message: string; messageEn: string } => {
  const e = (SYNC_MESSAGES as Record<string, Pick<ErrorEntry, 'zh' | 'en'>>)[code] ?? (ERRORS as Record<string, ErrorEntry>)[code]
  return e ? { message: e.zh, messageEn: e.en } : { message: `记录未保存（${code}）`, messageEn: `Record not stored (${code})` }
}
const withMessages = (r: SyncResult) => (r.status === 'refused' && r.code ? { ...r, ...messages(r.code) } : r)

/** Runs the device check (deviceAuth) after the route's login and role check, then the handler. */
async function signedByDevice(c: Ctx, then: () => Response | Promise<Response>): Promise<Response> {
  let passed = false
  const refused = await deviceAuth(c, async () => {
    passed = true
  })
  if (!passed) return refused ?? fail(c, 'kiosk.signature_invalid')
  return then()
}

export const roomPackage: AppRouteHandler<typeof routes.roomPackage> = (c) =>
  signedByDevice(c, () => {
    const { session, room } = c.req.valid('query')
    const p = c.var.principal!
    const r = c.var.services.kioskSync.roomPackage({ userId: p.userId, roles: c.var.actingRoles }, session, room)
    if (r.ok) return c.json(r.value, 200)
    if (r.error.code === 'scope.not_assigned') return notAssigned(c, session, room)
    return fail(c, r.error.code, r.error)
  })

export const sync: AppRouteHandler<typeof routes.sync> = (c) =>
  signedByDevice(c, () => {
    const { records } = c.req.valid('json')
    const results = c.var.services.kioskSync.sync(actorOf(c.var.principal!, c.var.actingRoles) as Person, c.var.device!, records)
    return c.json({ results: results.map(withMessages) }, 200)
  })

export const confirmations: AppRouteHandler<typeof routes.confirmations> = (c) =>
  signedByDevice(c, async () => {
    const { username, password, purpose } = c.req.valid('json')
    const s = c.var.services
    // The same password check as a login: counted before hashing, through the hash gate; failures in the security record.
    const r = await s.accounts.verifyCredentials(username, password, clientAddress(c))
    if (!r.ok) {
      const e = r.error
      if (e.code === 'auth.rate_limited' || e.code === 'auth.busy') return fail(c, e.code, undefined, { 'Retry-After': String(e.retryAfterSeconds) })
      return refuse(c, e.code, 'kiosk.confirm', { purpose })
    }
    const user = s.accounts.get(r.value.userId)!
    return c.json({ userId: user.id, displayName: user.displayName, token: s.kioskSync.confirmationToken(user.id, c.var.device!.id, purpose) }, 200)
  })
