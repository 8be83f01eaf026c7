import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json } from '../_schemas.ts'

const TicketKeySchema = z
  .object({
    keyId: z.string().openapi({ example: '5e1f09a7' }),
    name: z.string(),
    publicKey: z.string().openapi({ description: 'Ed25519 public key, base64' }),
    vkey: z.string().openapi({ description: 'signed-note verifier key (the revocation list is a note signed by the active key)' }),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
    active: z.boolean(),
    liveTickets: z.number().openapi({ description: 'live (not revoked) tickets this key signed' }),
  })
  .openapi('TicketKey')

export const list = route({
  method: 'get',
  path: '/api/keys/tickets',
  access: { roles: ['admin', 'supervisor'] },
  tags: ['keys'],
  summary: 'The ticket key ring: every key, when made and retired, how many live tickets each signed; the active key signs new tickets and badges',
  responses: { 200: json(z.object({ keys: z.array(TicketKeySchema) }), 'The ring, oldest first'), ...errors(401, 403) },
})

export const rotate = route({
  method: 'post',
  path: '/api/keys/tickets/rotate',
  access: { roles: ['admin'] },
  tags: ['keys'],
  summary: 'Rotate the ticket key: a new key signs new tickets and badges; the old one stays valid for sessions with live tickets it signed',
  responses: { 200: json(TicketKeySchema, 'The new active key'), ...errors(401, 403) },
})
