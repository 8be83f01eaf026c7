import { type Person, actorOf } from '../../services/index.ts'
import type { TicketKeyView } from '../../services/ticket-keys.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, refuse } from '../_route.ts'
import type * as routes from './ticket-keys.routes.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const keyJson = (k: TicketKeyView) => ({ ...k, createdAt: iso(k.createdAt)!, retiredAt: iso(k.retiredAt) })
const ring = (c: Ctx) => c.var.services.ticketKeys

export const list: AppRouteHandler<typeof routes.list> = (c) => c.json({ keys: ring(c).list().map(keyJson) }, 200)

export const rotate: AppRouteHandler<typeof routes.rotate> = (c) => {
  const r = ring(c).rotate(actorOf(c.var.principal!, c.var.actingRoles) as Person)
  if (!r.ok) return refuse(c, r.error.code, 'ticket_key.rotate')
  return c.json(keyJson(r.value), 200)
}
