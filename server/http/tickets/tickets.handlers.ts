import { actorOf } from '../../services/index.ts'
import type { Viewer } from '../../services/scope.ts'
import type { Ticket } from '../../db/ticket-store.ts'
import type { TicketsError } from '../../services/tickets.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { notAssigned } from '../rooms/index.ts'
import { renderBadges, renderTickets } from './print-page.ts'
import type * as routes from './tickets.routes.ts'

const iso = (ms: number) => new Date(ms).toISOString()

const ticketJson = (t: Ticket) => ({ ...t, issuedAt: iso(t.issuedAt), revokedAt: t.revokedAt === null ? null : iso(t.revokedAt) })
const viewerOf = (c: Ctx): Viewer => ({ userId: c.var.principal!.userId, roles: c.var.actingRoles })
const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)

function refused(c: Ctx, e: TicketsError, action: string, subject?: { type: string; id: string }): Response {
  if (e.code === 'session.not_found' || e.code === 'ticket.not_found') return fail(c, e.code, e)
  const data: Record<string, string> = 'candidateId' in e ? { candidate: e.candidateId } : {}
  return refuse(c, e.code, action, data, subject, e)
}

const s = (c: Ctx) => c.var.services

export const key: AppRouteHandler<typeof routes.key> = (c) => c.json(s(c).tickets.keyInfo(), 200)

export const issue: AppRouteHandler<typeof routes.issue> = (c) => {
  const id = c.req.param('id')!
  const body = c.req.valid('json') ?? {}
  const r = s(c).tickets.issue(actor(c), id, body.candidateIds)
  return r.ok
    ? c.json({ issued: r.value.issued.map(ticketJson), skipped: r.value.skipped }, 201)
    : refused(c, r.error, 'ticket.issue', { type: 'exam_session', id })
}

export const list: AppRouteHandler<typeof routes.list> = (c) => {
  const r = s(c).tickets.ofSession(c.req.param('id')!)
  return r.ok ? c.json({ tickets: r.value.map((t) => ({ ...ticketJson(t), name: t.name })) }, 200) : refused(c, r.error, 'ticket.list')
}

export const revoke: AppRouteHandler<typeof routes.revoke> = (c) => {
  const number = c.req.param('number')!
  const r = s(c).tickets.revoke(actor(c), number, c.req.valid('json').reason)
  return r.ok ? c.json(ticketJson(r.value), 200) : refused(c, r.error, 'ticket.revoke', { type: 'ticket', id: number })
}

export const revocations: AppRouteHandler<typeof routes.revocations> = (c) => {
  const id = c.req.param('id')!
  if (!s(c).scope.canSeeSession(viewerOf(c), id, ['invigilator'])) return notAssigned(c, id)
  const r = s(c).tickets.revocations(id)
  return r.ok ? c.json(r.value, 200, { 'Cache-Control': 'no-store' }) : refused(c, r.error, 'ticket.revocations')
}

export const check: AppRouteHandler<typeof routes.check> = (c) => {
  const b = c.req.valid('json')
  const identity = b.name !== undefined && b.residentId !== undefined ? { name: b.name, residentId: b.residentId } : undefined
  const r = s(c).tickets.check(b.text, identity)
  const p = r.payload
  return c.json(
    {
      code: r.code,
      identityMatches: r.identityMatches,
      ticket: p ? { number: p.number, candidateId: p.candidateId, examSessionId: p.examSessionId, roomId: p.roomId, seat: p.seat } : null,
    },
    200,
  )
}

export const photo: AppRouteHandler<typeof routes.photo> = (c) => {
  const number = c.req.param('number')!
  const ticket = s(c).tickets.byNumber(number)
  if (ticket && !s(c).scope.canSeeRoom(viewerOf(c), ticket.examSessionId, ticket.roomId)) return notAssigned(c, ticket.examSessionId, ticket.roomId)
  const photo = ticket ? s(c).tickets.photo(number) : null
  if (!photo) return fail(c, 'ticket.not_found', { number })
  return c.body(photo.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': photo.type, 'Cache-Control': 'private, no-store' })
}

export const printOne: AppRouteHandler<typeof routes.printOne> = async (c) => {
  const number = c.req.param('number')!
  const r = s(c).tickets.printable(number)
  if (!r.ok) return refused(c, r.error, 'ticket.print', { type: 'ticket', id: number })
  return c.html(await renderTickets([r.value], `准考证 ${number}`), 200, { 'Cache-Control': 'private, no-store' })
}

export const printSession: AppRouteHandler<typeof routes.printSession> = async (c) => {
  const r = s(c).tickets.printableOfSession(c.req.param('id')!)
  if (!r.ok) return refused(c, r.error, 'ticket.print')
  return c.html(await renderTickets(r.value, `准考证（${r.value.length} 张）`), 200, { 'Cache-Control': 'private, no-store' })
}

export const printRoom: AppRouteHandler<typeof routes.printRoom> = async (c) => {
  const { id, roomId } = c.req.valid('param')
  const r = s(c).tickets.printableOfRoom(id, roomId)
  if (!r.ok) return r.error.code === 'room.not_attached' ? fail(c, 'room.not_attached', r.error) : refused(c, r.error, 'ticket.print')
  return c.html(await renderTickets(r.value.tickets, `准考证 · ${r.value.room.name}（${r.value.tickets.length} 张）`), 200, {
    'Cache-Control': 'private, no-store',
  })
}

export const printBadges: AppRouteHandler<typeof routes.printBadges> = async (c) => {
  const id = c.req.param('id')!
  const r = s(c).tickets.badges(id)
  if (!r.ok) return refused(c, r.error, 'badge.print')
  return c.html(await renderBadges(r.value, s(c).rooms.session(id)!), 200, { 'Cache-Control': 'private, no-store' })
}
