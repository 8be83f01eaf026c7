import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

const ADMIN = { roles: ['admin'] } as const
const OVERSEERS = { roles: ['admin', 'supervisor'] } as const

const DeviceSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    siteName: z.string(),
    label: z.string(),
    state: z.enum(['active', 'revoked']),
    enrolledAt: z.string().openapi({ description: 'ISO 8601' }),
    lastSeenAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedBy: z.object({ userId: z.string(), displayName: z.string() }).nullable(),
    revokeReason: z.string().nullable(),
  })
  .openapi('KioskDevice')

export const openEnrolment = route({
  method: 'post',
  path: '/api/kiosk/enrolments',
  access: ADMIN,
  tags: ['kiosk'],
  summary: 'Open a single-use enrolment for a door tablet of a site: the code (15 minutes) is answered once, with its QR text',
  request: { ...jsonBody(z.object({ siteId: z.string().min(1).max(64), label: z.string().min(1).max(60) }).strict()) },
  responses: {
    201: json(
      z.object({
        id: z.string(),
        siteId: z.string(),
        siteName: z.string(),
        label: z.string(),
        code: z.string().openapi({ example: '7K3M-Q9TD-2XBF' }),
        qr: z.string().openapi({ example: 'custody-enrol:7K3M-Q9TD-2XBF' }),
        expiresAt: z.string(),
      }),
      'The code, shown once',
    ),
    ...errors(400, 401, 403, 404),
  },
})

export const list = route({
  method: 'get',
  path: '/api/kiosk/devices',
  access: OVERSEERS,
  tags: ['kiosk'],
  summary: 'Enrolled door tablets: site, label, enrolled, last seen, state',
  responses: { 200: json(z.object({ devices: z.array(DeviceSchema) }), 'Devices'), ...errors(401, 403) },
})

export const enrol = route({
  method: 'post',
  path: '/api/kiosk/devices',
  access: 'public',
  tags: ['kiosk'],
  summary: 'A tablet redeems an enrolment code with the public half of its P-256 key (no login: the code is the credential; rate limited)',
  request: {
    ...jsonBody(
      z
        .object({
          code: z.string().min(1).max(64),
          publicKey: z.string().min(1).max(200).openapi({ description: 'The raw uncompressed P-256 point (65 bytes), base64' }),
          label: z.string().max(60).default(''),
        })
        .strict(),
    ),
  },
  responses: {
    201: json(z.object({ deviceId: z.string(), siteId: z.string(), siteName: z.string(), label: z.string() }), 'Enrolled'),
    ...errors(400, 403, 429),
  },
})

export const revoke = route({
  method: 'post',
  path: '/api/kiosk/devices/{id}/revoke',
  access: OVERSEERS,
  tags: ['kiosk'],
  summary: 'Revoke a door tablet at once: every later request it signs is refused',
  request: { params: z.object({ id: z.string().min(1).max(64) }), ...jsonBody(z.object({ reason: z.string().min(1).max(500) }).strict()) },
  responses: { 200: json(DeviceSchema, 'Revoked'), ...errors(400, 401, 403, 404, 409) },
})
