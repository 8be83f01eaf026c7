import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json } from '../_schemas.ts'

/**
 * The live view is oversight (督导, R6.4): supervisors watch every room of a session. Administrators read it
 * too (they read everything but change nothing here; the view carries counts and states, no candidate's
 * identity). Invigilators and examiners never see other rooms, so they are not admitted at all.
 */
const WATCHERS = { roles: ['supervisor', 'admin'] } as const
/** The room record (考场记录表): the room's own invigilators (scope-checked), supervisors, administrators. */
const RECORD_READERS = { roles: ['invigilator', 'supervisor', 'admin'] } as const

const Id = z.string().min(1).max(64)
const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'Printable HTML (A4)' }

const RoomLiveSchema = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  expected: z.number().int(),
  admitted: z.number().int(),
  overrides: z.number().int(),
  incidents: z.object({ total: z.number().int(), violations: z.number().int(), awaitingSecond: z.number().int() }),
  conflicts: z.number().int(),
  packets: z.array(z.object({ id: z.string(), state: z.string() })),
  finishesAt: z.number().openapi({ description: 'ms since epoch: the finish after evacuations' }),
})
export const LiveSchema = z
  .object({
    session: z.object({ id: z.string(), name: z.string(), startsAt: z.number(), endsAt: z.number(), status: z.string() }),
    generatedAt: z.number(),
    rooms: z.array(RoomLiveSchema),
    conflicts: z.array(z.object({ roomId: z.string().nullable(), kind: z.string(), subject: z.string(), at: z.number(), resolved: z.boolean() })),
  })
  .openapi('KioskLive')

export const liveSessions = route({
  method: 'get',
  path: '/api/kiosk/live/sessions',
  access: WATCHERS,
  tags: ['kiosk'],
  summary: "Sessions to watch, today's (China time) first",
  responses: {
    200: json(
      z.object({
        sessions: z.array(z.object({ id: z.string(), name: z.string(), startsAt: z.number(), endsAt: z.number(), status: z.string(), today: z.boolean() })),
      }),
      'Sessions',
    ),
    ...errors(401, 403),
  },
})

export const live = route({
  method: 'get',
  path: '/api/kiosk/live',
  access: WATCHERS,
  tags: ['kiosk'],
  summary: 'The live view of a session: per room admitted/expected, overrides, incidents, conflicts, packet states',
  request: { query: z.object({ session: Id }) },
  responses: { 200: json(LiveSchema, 'Live view'), ...errors(401, 403, 404) },
})

export const liveStream = route({
  method: 'get',
  path: '/api/kiosk/live/stream',
  access: WATCHERS,
  tags: ['kiosk'],
  summary: 'Server-sent events: `snapshot` on connect, `changed` (the new view) after each stored sync batch; comment heartbeats',
  request: { query: z.object({ session: Id }) },
  responses: { 200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Event stream' }, ...errors(401, 403, 404) },
})

export const roomRecord = route({
  method: 'get',
  path: '/api/kiosk/rooms/record',
  access: RECORD_READERS,
  tags: ['kiosk'],
  summary: 'The printable room record (考场记录表, R6.3): invigilators, attendance, seating, incidents and confirmations',
  request: { query: z.object({ session: Id, room: Id }) },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})
