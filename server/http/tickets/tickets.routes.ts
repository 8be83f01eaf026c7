import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

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
const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'Printable HTML (A4)' }

const TicketSchema = z
  .object({
    number: z.string(),
    candidateId: z.string(),
    examSessionId: z.string(),
    roomId: z.string(),
    seat: z.number(),
    payload: z.string().openapi({ description: 'The QR text: CT1.<base64url payload>.<base64url Ed25519 signature> (docs/ticket-format.md)' }),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
  })
  .openapi('Ticket')

export const key = route({
  method: 'get',
  path: '/api/tickets/key',
  access: 'public',
  tags: ['tickets'],
  summary: "The ticket key's public half: doors verify ticket and badge QR codes offline with it (R3.5)",
  responses: {
    200: json(
      z.object({
        keyId: z.string(),
        publicKey: z.string().openapi({ description: 'base64, 32 bytes' }),
        algorithm: z.literal('Ed25519'),
        name: z.string(),
        vkey: z.string().openapi({ description: 'signed-note verifier key, for the revocation lists' }),
      }),
      'Key',
    ),
  },
})

export const issue = route({
  method: 'post',
  path: '/api/sessions/{id}/tickets',
  access: MANAGE,
  tags: ['tickets'],
  summary: 'Issue admission tickets: to the named candidates (all or nothing), or to every seated candidate without one',
  request: {
    params: SessionParam,
    body: { content: { 'application/json': { schema: z.strictObject({ candidateIds: z.array(Id).min(1).max(100_000).optional() }) } }, required: false },
  },
  responses: {
    201: json(
      z.object({
        issued: z.array(TicketSchema),
        skipped: z.array(z.object({ candidateId: z.string(), code: z.string() })),
      }),
      'Issued',
    ),
    ...errors(400, 401, 403, 404, 409),
  },
})

export const list = route({
  method: 'get',
  path: '/api/sessions/{id}/tickets',
  access: OVERSEE,
  tags: ['tickets'],
  summary: "The session's tickets, live and revoked, with the holder's name",
  request: { params: SessionParam },
  responses: { 200: json(z.object({ tickets: z.array(TicketSchema.extend({ name: z.string().nullable() })) }), 'Tickets'), ...errors(401, 403, 404) },
})

export const revoke = route({
  method: 'post',
  path: '/api/tickets/{number}/revoke',
  access: MANAGE,
  tags: ['tickets'],
  summary: 'Revoke a ticket (withdrawal, reissue); doors learn it from the signed revocation list',
  request: { params: NumberParam, ...jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(200) })) },
  responses: { 200: json(TicketSchema, 'Revoked'), ...errors(400, 401, 403, 404, 409) },
})

export const revocations = route({
  method: 'get',
  path: '/api/sessions/{id}/revocations',
  access: DOORS,
  tags: ['tickets'],
  summary: "The session's revoked tickets as a signed note (ticket key), for doors to check offline",
  request: { params: SessionParam },
  responses: {
    200: json(
      z.object({
        sessionId: z.string(),
        issuedAt: z.string(),
        revoked: z.array(z.object({ number: z.string(), revokedAt: z.string() })),
        note: z.string().openapi({ description: 'c2sp.org/signed-note; verify with the vkey of GET /api/tickets/key' }),
      }),
      'Signed list',
    ),
    ...errors(401, 403, 404),
  },
})

export const check = route({
  method: 'post',
  path: '/api/tickets/check',
  access: STAFFED,
  tags: ['tickets'],
  summary: "Check a scanned ticket text as a door would: signature, live, and optionally the holder's name and ID number",
  request: jsonBody(
    z.strictObject({
      text: z.string().min(1).max(4096),
      name: z.string().max(100).optional(),
      residentId: z.string().max(18).optional(),
    }),
  ),
  responses: {
    200: json(
      z.object({
        code: z.string().openapi({ description: "'ok', or ticket.malformed / bad_signature / unsupported_version / not_found / revoked / identity_mismatch" }),
        ticket: z.object({ number: z.string(), candidateId: z.string(), examSessionId: z.string(), roomId: z.string(), seat: z.number() }).nullable(),
        identityMatches: z.boolean().nullable(),
      }),
      'Result',
    ),
    ...errors(400, 401, 403),
  },
})

export const photo = route({
  method: 'get',
  path: '/api/tickets/{number}/photo',
  access: STAFFED,
  tags: ['tickets'],
  summary: "The ticket holder's photo (for the printed ticket and the room's invigilators)",
  request: { params: NumberParam },
  responses: { 200: { content: { 'image/*': { schema: z.string() } }, description: 'The photo' }, ...errors(401, 403, 404) },
})

export const printOne = route({
  method: 'get',
  path: '/api/tickets/{number}/print',
  access: MANAGE,
  tags: ['tickets'],
  summary: 'The printable A4 admission ticket (准考证, R3.4) with its signed QR code',
  request: { params: NumberParam },
  responses: { 200: HTML, ...errors(401, 403, 404, 409) },
})

export const printSession = route({
  method: 'get',
  path: '/api/sessions/{id}/tickets/print',
  access: MANAGE,
  tags: ['tickets'],
  summary: 'Every live ticket of the session, one A4 page each, for batch printing',
  request: { params: SessionParam },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})

export const printRoom = route({
  method: 'get',
  path: '/api/sessions/{id}/rooms/{roomId}/tickets/print',
  access: MANAGE,
  tags: ['tickets'],
  summary: "The live tickets of one room of the session, one A4 page each, in seat order (a room's stack)",
  request: { params: z.object({ id: Id, roomId: Id }) },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})

export const printBadges = route({
  method: 'get',
  path: '/api/sessions/{id}/badges/print',
  access: BADGES,
  tags: ['staff'],
  summary: 'Printable staff badges (R4.3) with a signed QR a door can check, one per assignment',
  request: { params: SessionParam },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})
