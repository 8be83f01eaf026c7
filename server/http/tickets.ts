import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { fileURLToPath } from 'node:url'
import { actorOf } from '../services/index.ts'
import type { Viewer } from '../services/scope.ts'
import type { Ticket } from '../db/ticket-store.ts'
import type { TicketsError } from '../services/tickets.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { loginFirst } from './_middleware.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import { notAssigned } from './rooms.ts'
import { TICKET_PRINT_CSS_PATH, renderBadges, renderTickets } from './tickets-print.ts'

/** Issuing, revoking and printing tickets (which show the whole resident ID number, R3.4) is the registrar's. */
const MANAGE = { roles: ['registrar'] } as const
const OVERSEE = { roles: ['registrar', 'admin', 'supervisor'] } as const
/** Badges carry no candidate's data: administrators may print them too (they read everything). */
const BADGES = { roles: ['registrar', 'admin'] } as const
/** The doors of a session: its invigilators (scoped), and those who run or oversee the exam. */
const DOORS = { roles: ['registrar', 'admin', 'supervisor', 'invigilator'] } as const
const STAFFED = { roles: ['registrar', 'admin', 'supervisor', 'invigilator', 'examiner'] } as const

const Id = z.string().min(1).max(64)
const Number_ = z.string().min(1).max(40)
const SessionParam = z.object({ id: Id })
const NumberParam = z.object({ number: Number_ })
const iso = (ms: number) => new Date(ms).toISOString()
const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'Printable HTML (A4)' }

const TicketSchema = z.object({
  number: z.string(), candidateId: z.string(), examSessionId: z.string(), roomId: z.string(), seat: z.number(),
  payload: z.string().openapi({ description: 'The QR text: CT1.<base64url payload>.<base64url Ed25519 signature> (docs/ticket-format.md)' }),
  issuedAt: z.string(), revokedAt: z.string().nullable(), revokeReason: z.string().nullable(),
}).openapi('Ticket')

const ticketJson = (t: Ticket) => ({ ...t, issuedAt: iso(t.issuedAt), revokedAt: t.revokedAt === null ? null : iso(t.revokedAt) })
const viewerOf = (c: Ctx): Viewer => ({ userId: c.var.principal!.userId, roles: c.var.actingRoles })
const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)

function refused(c: Ctx, e: TicketsError, action: string, subject?: { type: string; id: string }): Response {
  if (e.code === 'session.not_found' || e.code === 'ticket.not_found') return fail(c, e.code, e)
  const data: Record<string, string> = 'candidateId' in e ? { candidate: e.candidateId } : {}
  return refuse(c, e.code, action, data, subject, e)
}

/** The printable pages: a logged-out visit goes to the login page and back. */
export const TICKET_PRINT_PAGES = ['/api/tickets/:number/print', '/api/sessions/:id/tickets/print', '/api/sessions/:id/rooms/:roomId/tickets/print', '/api/sessions/:id/badges/print'] as const

export function ticketRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  const s = (c: Ctx) => c.var.services
  for (const path of TICKET_PRINT_PAGES) app.use(path, loginFirst)

  defineRoute(app, table, {
    method: 'get', path: '/api/tickets/key', access: 'public', tags: ['tickets'],
    summary: "The ticket key's public half: doors verify ticket and badge QR codes offline with it (R3.5)",
    responses: {
      200: json(z.object({
        keyId: z.string(), publicKey: z.string().openapi({ description: 'base64, 32 bytes' }), algorithm: z.literal('Ed25519'),
        name: z.string(), vkey: z.string().openapi({ description: 'signed-note verifier key, for the revocation lists' }),
      }), 'Key'),
    },
  }, (c) => c.json(s(c).tickets.keyInfo(), 200))

  defineRoute(app, table, {
    method: 'post', path: '/api/sessions/{id}/tickets', access: MANAGE, tags: ['tickets'],
    summary: 'Issue admission tickets: to the named candidates (all or nothing), or to every seated candidate without one',
    request: {
      params: SessionParam,
      body: { content: { 'application/json': { schema: z.strictObject({ candidateIds: z.array(Id).min(1).max(100_000).optional() }) } }, required: false },
    },
    responses: {
      201: json(z.object({
        issued: z.array(TicketSchema), skipped: z.array(z.object({ candidateId: z.string(), code: z.string() })),
      }), 'Issued'),
      ...errors(400, 401, 403, 404, 409),
    },
  }, (c) => {
    const id = c.req.param('id')!
    const body = input<{ candidateIds?: string[] } | undefined>(c, 'json') ?? {}
    const r = s(c).tickets.issue(actor(c), id, body.candidateIds)
    return r.ok ? c.json({ issued: r.value.issued.map(ticketJson), skipped: r.value.skipped }, 201) : refused(c, r.error, 'ticket.issue', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/tickets', access: OVERSEE, tags: ['tickets'],
    summary: "The session's tickets, live and revoked, with the holder's name",
    request: { params: SessionParam },
    responses: { 200: json(z.object({ tickets: z.array(TicketSchema.extend({ name: z.string().nullable() })) }), 'Tickets'), ...errors(401, 403, 404) },
  }, (c) => {
    const r = s(c).tickets.ofSession(c.req.param('id')!)
    return r.ok ? c.json({ tickets: r.value.map((t) => ({ ...ticketJson(t), name: t.name })) }, 200) : refused(c, r.error, 'ticket.list')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/tickets/{number}/revoke', access: MANAGE, tags: ['tickets'],
    summary: 'Revoke a ticket (withdrawal, reissue); doors learn it from the signed revocation list',
    request: { params: NumberParam, ...jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(200) })) },
    responses: { 200: json(TicketSchema, 'Revoked'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const number = c.req.param('number')!
    const r = s(c).tickets.revoke(actor(c), number, input<{ reason: string }>(c, 'json').reason)
    return r.ok ? c.json(ticketJson(r.value), 200) : refused(c, r.error, 'ticket.revoke', { type: 'ticket', id: number })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/revocations', access: DOORS, tags: ['tickets'],
    summary: "The session's revoked tickets as a signed note (ticket key), for doors to check offline",
    request: { params: SessionParam },
    responses: {
      200: json(z.object({
        sessionId: z.string(), issuedAt: z.string(), revoked: z.array(z.object({ number: z.string(), revokedAt: z.string() })),
        note: z.string().openapi({ description: 'c2sp.org/signed-note; verify with the vkey of GET /api/tickets/key' }),
      }), 'Signed list'),
      ...errors(401, 403, 404),
    },
  }, (c) => {
    const id = c.req.param('id')!
    if (!s(c).scope.canSeeSession(viewerOf(c), id, ['invigilator'])) return notAssigned(c, id)
    const r = s(c).tickets.revocations(id)
    return r.ok ? c.json(r.value, 200, { 'Cache-Control': 'no-store' }) : refused(c, r.error, 'ticket.revocations')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/tickets/check', access: STAFFED, tags: ['tickets'],
    summary: 'Check a scanned ticket text as a door would: signature, live, and optionally the holder\'s name and ID number',
    request: jsonBody(z.strictObject({
      text: z.string().min(1).max(4096), name: z.string().max(100).optional(), residentId: z.string().max(18).optional(),
    })),
    responses: {
      200: json(z.object({
        code: z.string().openapi({ description: "'ok', or ticket.malformed / bad_signature / unsupported_version / not_found / revoked / identity_mismatch" }),
        ticket: z.object({ number: z.string(), candidateId: z.string(), examSessionId: z.string(), roomId: z.string(), seat: z.number() }).nullable(),
        identityMatches: z.boolean().nullable(),
      }), 'Result'),
      ...errors(400, 401, 403),
    },
  }, (c) => {
    const b = input<{ text: string; name?: string; residentId?: string }>(c, 'json')
    const identity = b.name !== undefined && b.residentId !== undefined ? { name: b.name, residentId: b.residentId } : undefined
    const r = s(c).tickets.check(b.text, identity)
    const p = r.payload
    return c.json({
      code: r.code, identityMatches: r.identityMatches,
      ticket: p ? { number: p.number, candidateId: p.candidateId, examSessionId: p.examSessionId, roomId: p.roomId, seat: p.seat } : null,
    }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/tickets/{number}/photo', access: STAFFED, tags: ['tickets'],
    summary: "The ticket holder's photo (for the printed ticket and the room's invigilators)",
    request: { params: NumberParam },
    responses: { 200: { content: { 'image/*': { schema: z.string() } }, description: 'The photo' }, ...errors(401, 403, 404) },
  }, (c) => {
    const number = c.req.param('number')!
    const ticket = s(c).tickets.byNumber(number)
    if (ticket && !s(c).scope.canSeeRoom(viewerOf(c), ticket.examSessionId, ticket.roomId)) return notAssigned(c, ticket.examSessionId, ticket.roomId)
    const photo = ticket ? s(c).tickets.photo(number) : null
    if (!photo) return fail(c, 'ticket.not_found', { number })
    return c.body(photo.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': photo.type, 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/tickets/{number}/print', access: MANAGE, tags: ['tickets'],
    summary: 'The printable A4 admission ticket (准考证, R3.4) with its signed QR code',
    request: { params: NumberParam },
    responses: { 200: HTML, ...errors(401, 403, 404, 409) },
  }, async (c) => {
    const number = c.req.param('number')!
    const r = s(c).tickets.printable(number)
    if (!r.ok) return refused(c, r.error, 'ticket.print', { type: 'ticket', id: number })
    return c.html(await renderTickets([r.value], `准考证 ${number}`), 200, { 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/tickets/print', access: MANAGE, tags: ['tickets'],
    summary: "Every live ticket of the session, one A4 page each, for batch printing",
    request: { params: SessionParam },
    responses: { 200: HTML, ...errors(401, 403, 404) },
  }, async (c) => {
    const r = s(c).tickets.printableOfSession(c.req.param('id')!)
    if (!r.ok) return refused(c, r.error, 'ticket.print')
    return c.html(await renderTickets(r.value, `准考证（${r.value.length} 张）`), 200, { 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/rooms/{roomId}/tickets/print', access: MANAGE, tags: ['tickets'],
    summary: "The live tickets of one room of the session, one A4 page each, in seat order (a room's stack)",
    request: { params: z.object({ id: Id, roomId: Id }) },
    responses: { 200: HTML, ...errors(401, 403, 404) },
  }, async (c) => {
    const { id, roomId } = input<{ id: string; roomId: string }>(c, 'param')
    const r = s(c).tickets.printableOfRoom(id, roomId)
    if (!r.ok) return r.error.code === 'room.not_attached' ? fail(c, 'room.not_attached', r.error) : refused(c, r.error, 'ticket.print')
    return c.html(await renderTickets(r.value.tickets, `准考证 · ${r.value.room.name}（${r.value.tickets.length} 张）`), 200, { 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/badges/print', access: BADGES, tags: ['staff'],
    summary: 'Printable staff badges (R4.3) with a signed QR a door can check, one per assignment',
    request: { params: SessionParam },
    responses: { 200: HTML, ...errors(401, 403, 404) },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = s(c).tickets.badges(id)
    if (!r.ok) return refused(c, r.error, 'badge.print')
    return c.html(await renderBadges(r.value, s(c).rooms.session(id)!), 200, { 'Cache-Control': 'private, no-store' })
  })
}

const CSS_FILE = fileURLToPath(new URL('../../kiosk/styles/tickets-print.css', import.meta.url))

/** The print stylesheet of the ticket and badge pages (a file: the CSP allows no inline style). */
export function ticketPrintRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get(TICKET_PRINT_CSS_PATH, async (c) =>
    c.body(await Bun.file(CSS_FILE).text(), 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }))
}
