import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

/** The people at a door: its invigilators and examiners (scoped to their rooms); supervisors read any room's package. */
const DOOR = { roles: ['invigilator', 'examiner'] } as const
const PACKAGE_READERS = { roles: ['invigilator', 'examiner', 'supervisor'] } as const

const Id = z.string().min(1).max(64)
const DEVICE_HEADERS = z.object({
  'custody-device': z.string().optional().openapi({ description: 'the enrolled device id' }),
  'custody-device-time': z.string().optional().openapi({ description: 'ms since epoch, within 5 minutes of the server' }),
  'custody-device-signature': z.string().optional().openapi({ description: 'ECDSA P-256 r||s (base64) over the request (decision 011)' }),
})

// ---------- the shapes of server/domain/kiosk (RoomPackage, KioskRecord) at the edge; test/kiosk-package.test.ts keeps them equal ----------

export const RoomPackageSchema = z
  .object({
    version: z.literal(1),
    generatedAt: z.number(),
    session: z.object({
      id: z.string(),
      subject: z.string(),
      batch: z.string(),
      startsAt: z.number(),
      endsAt: z.number(),
      doorsOpenAt: z.number(),
      lateUntil: z.number(),
      status: z.enum(['scheduled', 'suspended', 'completed']),
    }),
    site: z.object({ id: z.string(), name: z.string() }),
    room: z.object({ id: z.string(), name: z.string() }),
    rooms: z.array(z.object({ id: z.string(), name: z.string() })),
    roster: z.array(
      z.object({
        ticketNumber: z.string(),
        candidateId: z.string(),
        name: z.string(),
        seat: z.number(),
        identity: z.string().openapi({ description: "The ticket's 16 identity bytes, hex: a typed ticket number is ID-checked against them" }),
        photo: z.string().nullable().openapi({ description: 'data:image/jpeg;base64,…, at most 240 px high' }),
      }),
    ),
    keys: z.array(z.object({ keyId: z.string(), publicKey: z.string() })),
    revocations: z.object({ note: z.string(), numbers: z.array(z.string()) }),
    packets: z.array(z.object({ id: z.string(), label: z.string(), paper: z.string(), state: z.string(), copyFirst: z.number(), copyLast: z.number() })),
    staff: z.array(z.object({ userId: z.string(), displayName: z.string(), duty: z.enum(['invigilator', 'examiner']) })),
    admissions: z.array(z.object({ ticketNumber: z.string(), at: z.number(), door: z.string() })),
    scoreItems: z.array(z.object({ id: z.string(), name: z.string(), max: z.number() })),
  })
  .openapi('RoomPackage')

export const RecordKindSchema = z.enum(['admission', 'incident', 'incident_confirm', 'packet_open', 'packet_recover', 'score_sheet'])

export const ConfirmationSchema = z.object({ userId: z.string(), check: z.enum(['online', 'offline']), token: z.string().optional() }).openapi('Confirmation')

export const KioskRecordSchema = z
  .strictObject({
    id: z.uuid(),
    kind: RecordKindSchema,
    deviceId: Id,
    sessionId: Id,
    roomId: Id,
    userId: Id,
    madeAt: z.number().int().nonnegative(),
    online: z.boolean(),
    body: z.record(z.string(), z.unknown()),
    signature: z.string().min(1).max(200),
  })
  .openapi('KioskRecord')

export const SyncResultSchema = z
  .object({
    id: z.string(),
    status: z.enum(['stored', 'duplicate', 'refused']),
    flags: z.array(z.string()),
    code: z.string().optional(),
    message: z.string().optional(),
    messageEn: z.string().optional(),
  })
  .openapi('SyncResult')

export const SyncRequestSchema = z.strictObject({ records: z.array(KioskRecordSchema).min(1).max(500) })
export const ConfirmationRequestSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  purpose: z.enum(['packet_open', 'incident_confirm', 'score_sign']),
})
export const ConfirmationAnswerSchema = z.object({ userId: z.string(), displayName: z.string(), token: z.string() }).openapi('ConfirmationToken')

export type RoomPackageJson = z.infer<typeof RoomPackageSchema>
export type KioskRecordJson = z.infer<typeof KioskRecordSchema>
export type SyncResultJson = z.infer<typeof SyncResultSchema>
export type ConfirmationRequest = z.infer<typeof ConfirmationRequestSchema>
export type ConfirmationAnswer = z.infer<typeof ConfirmationAnswerSchema>

export const roomPackage = route({
  method: 'get',
  path: '/api/kiosk/package',
  access: PACKAGE_READERS,
  tags: ['kiosk'],
  summary: "A room's package for the door kiosk (device-signed): roster with photos, ticket keys, revocations, packets without seals, staff",
  request: { query: z.object({ session: Id, room: Id }), headers: DEVICE_HEADERS },
  responses: { 200: json(RoomPackageSchema, 'Package'), ...errors(400, 401, 403, 404) },
})

export const sync = route({
  method: 'post',
  path: '/api/kiosk/sync',
  access: DOOR,
  tags: ['kiosk'],
  summary: 'Records made at the door (device-signed): stored once per client id, each with its custody-log event; one result per record',
  request: { headers: DEVICE_HEADERS, ...jsonBody(SyncRequestSchema) },
  responses: { 200: json(z.object({ results: z.array(SyncResultSchema) }), 'Results'), ...errors(400, 401, 403, 413) },
})

export const confirmations = route({
  method: 'post',
  path: '/api/kiosk/confirmations',
  access: DOOR,
  tags: ['kiosk'],
  summary: 'A second person confirms on the device with their own password (device-signed; counted like a login): a token valid 10 minutes',
  request: { headers: DEVICE_HEADERS, ...jsonBody(ConfirmationRequestSchema) },
  responses: { 200: json(ConfirmationAnswerSchema, 'Confirmed'), ...errors(400, 401, 403, 429, 503) },
})
