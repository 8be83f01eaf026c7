import { z } from '@hono/zod-openapi'
import { HANDOVER_ACTIONS, PACKET_ACTIONS, PACKET_STATES } from '../../domain/custody/index.ts'
import { MOVE_ACTIONS } from '../../services/custody.ts'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'
import { PeopleSchema } from '../custody-people.ts'

/** Who works with packets: custodians carry and store, invigilators open and recover, supervisors oversee (R6.4). */
const PACKET_READERS = { roles: ['custodian', 'invigilator', 'supervisor', 'admin'] } as const
/** Who moves packets; the custody table (PACKET_MOVES) then decides per move and role. */
const PACKET_MOVERS = { roles: ['custodian', 'invigilator', 'supervisor'] } as const
const CARRIERS = { roles: ['custodian', 'invigilator'] } as const
const INVIGILATORS = { roles: ['invigilator'] } as const
const CUSTODIANS = { roles: ['custodian'] } as const
const OVERSEERS = { roles: ['custodian', 'supervisor', 'admin'] } as const
const ALERT_READERS = { roles: ['supervisor', 'admin'] } as const
/** Acknowledging an alert is the supervisors' act (README: supervisors act on leaks); administrators only read. */
const ALERT_ACKNOWLEDGERS = { roles: ['supervisor'] } as const

const Id = z.string().min(1).max(64)
const IdParam = z.object({ id: Id })
const Seal = z.string().max(64)

/** A second person's own login, checked in the same request and never turned into a session. */
export const WitnessSchema = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).openapi('Witness')

const Holder = z.union([z.object({ userId: z.string() }), z.object({ place: z.string() })])
const Contents = z.object({ copies: z.number(), answerSheets: z.number(), scratchPaper: z.number() })
export const PacketSchema = z
  .looseObject({
    id: z.string(),
    paperId: z.string(),
    printJobId: z.string(),
    examSessionId: z.string(),
    roomId: z.string().nullable(),
    copies: z.object({ first: z.number(), last: z.number() }),
    contents: Contents,
    state: z.enum(PACKET_STATES),
    sealNumber: z.string().nullable(),
    seals: z.array(z.string()),
    holder: Holder,
    printedBy: z.string(),
    printedAt: z.number(),
    openedBy: z.array(z.string()),
    openedAt: z.number().nullable(),
    recovery: z.unknown().nullable(),
    retention: z.unknown().nullable(),
    frozenFrom: z.enum(PACKET_STATES).nullable(),
    voidReason: z.string().nullable(),
    updatedAt: z.number(),
    sealHidden: z.boolean().optional().openapi({
      description: 'True when the seal is left out because the caller still has to check it blind (an open offer to them, or their room before opening)',
    }),
  })
  .openapi('Packet')
export const HandoverSchema = z
  .looseObject({
    id: z.string(),
    packetId: z.string(),
    action: z.enum(HANDOVER_ACTIONS),
    fromState: z.enum(PACKET_STATES),
    giver: z.string(),
    receiver: z.string(),
    place: z.string(),
    offeredAt: z.number(),
    giverSealSeen: z.string().nullable(),
    giverCondition: z.enum(['intact', 'damaged']),
    state: z.enum(['offered', 'confirmed', 'declined', 'cancelled']),
    receiverSealSeen: z.string().nullable(),
    receiverCondition: z.enum(['intact', 'damaged']).nullable(),
    closedAt: z.number().nullable(),
    closeReason: z.string().nullable(),
  })
  .openapi('Handover')
const IncidentSchema = z.looseObject({ id: z.string(), kind: z.string(), packetId: z.string(), difference: Contents }).openapi('Incident')
const MoveSchema = z.looseObject({ from: z.enum(PACKET_STATES), action: z.enum(PACKET_ACTIONS), to: z.string(), who: z.array(z.string()) })
const AlertSchema = z
  .looseObject({
    id: z.string(),
    kind: z.string(),
    logIndex: z.number(),
    acknowledged: z.boolean(),
    acknowledgedBy: z.string().nullable(),
    acknowledgedAt: z.number().nullable(),
    action: z.string(),
    time: z.string(),
    subject: z.object({ type: z.string(), id: z.string() }).nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('CustodyAlert')
const PacketOnly = z.object({ packet: PacketSchema })

export const list = route({
  method: 'get',
  path: '/api/packets',
  access: PACKET_READERS,
  tags: ['custody'],
  summary: 'Packets, by paper, session or state; invigilators see the packets of their rooms and those they hold or are offered',
  request: { query: z.object({ paperId: Id.optional(), sessionId: Id.optional(), state: z.enum(PACKET_STATES).optional() }) },
  responses: {
    200: json(
      z.object({
        packets: z.array(PacketSchema),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'The names of their rooms ("site room") by room id' }),
        people: PeopleSchema,
      }),
      'Packets',
    ),
    ...errors(400, 401, 403),
  },
})

export const get = route({
  method: 'get',
  path: '/api/packets/{id}',
  access: PACKET_READERS,
  tags: ['custody'],
  summary: 'One packet with its paper, the moves the caller could start now, its open handover, handovers and incidents',
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        packet: PacketSchema,
        paper: z.unknown().nullable(),
        place: z
          .object({
            session: z
              .object({ id: z.string(), occupationName: z.string(), level: z.number(), levelName: z.string(), subjectName: z.string(), startsAt: z.number() })
              .nullable(),
            room: z.object({ id: z.string(), name: z.string() }).nullable(),
            site: z.object({ id: z.string(), name: z.string() }).nullable(),
          })
          .openapi({ description: "The names of the packet's session, room and site" }),
        moves: z.array(MoveSchema),
        pendingHandover: HandoverSchema.nullable(),
        handovers: z.array(HandoverSchema),
        incidents: z.array(IncidentSchema),
        opensAt: z.number().nullable().openapi({ description: 'When the room may open it (epoch ms): the session start less the opening lead' }),
        people: PeopleSchema,
      }),
      'The packet',
    ),
    ...errors(401, 403, 404),
  },
})

export const receivers = route({
  method: 'get',
  path: '/api/packets/{id}/receivers',
  access: CARRIERS,
  tags: ['custody'],
  summary:
    "The people who may receive this packet's next handover from the caller, by name (invigilators of its room first); empty when the move is not the caller's to offer now",
  request: { params: IdParam, query: z.object({ action: z.enum(HANDOVER_ACTIONS) }) },
  responses: {
    200: json(
      z.object({
        receivers: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()), assigned: z.boolean() })),
      }),
      'Eligible receivers',
    ),
    ...errors(400, 401, 403, 404),
  },
})

export const move = route({
  method: 'post',
  path: '/api/packets/{id}/moves',
  access: PACKET_MOVERS,
  tags: ['custody'],
  summary: "Seal, store, reseal, reconcile, archive or void a packet; witnessed steps carry the witness's own login",
  description:
    'sealNumber: the new seal (seal, reseal). sealSeen: the seal read off the packet (store, reconcile). A seal that does not match is refused and alerts supervisors.',
  request: {
    params: IdParam,
    ...jsonBody(
      z.strictObject({
        action: z.enum(MOVE_ACTIONS),
        sealNumber: Seal.optional(),
        sealSeen: Seal.optional(),
        witness: WitnessSchema.optional(),
        reason: z.string().max(500).optional(),
      }),
    ),
  },
  responses: { 200: json(PacketOnly, 'Moved'), ...errors(400, 401, 403, 404, 409, 429) },
})

export const offerHandover = route({
  method: 'post',
  path: '/api/packets/{id}/handovers',
  access: CARRIERS,
  tags: ['custody'],
  summary: 'Offer a packet to a named receiver (issue, hand over, receive, send back, return); the receiver confirms with their own login',
  request: {
    params: IdParam,
    ...jsonBody(
      z.strictObject({
        action: z.enum(HANDOVER_ACTIONS),
        receiver: z.string().min(1).max(64),
        place: z.string().max(200),
        sealSeen: Seal.nullable().optional(),
        condition: z.enum(['intact', 'damaged']),
      }),
    ),
  },
  responses: { 201: json(HandoverSchema, 'Offered'), ...errors(400, 401, 403, 404, 409) },
})

export const confirmHandover = route({
  method: 'post',
  path: '/api/handovers/{id}/confirm',
  access: CARRIERS,
  tags: ['custody'],
  summary: 'The receiver confirms a handover offered to them: seal seen and condition; the packet moves to them',
  request: { params: IdParam, ...jsonBody(z.strictObject({ sealSeen: Seal.nullable().optional(), condition: z.enum(['intact', 'damaged']) })) },
  responses: { 200: json(z.object({ handover: HandoverSchema, packet: PacketSchema }), 'Confirmed'), ...errors(400, 401, 403, 404, 409) },
})

export const declineHandover = route({
  method: 'post',
  path: '/api/handovers/{id}/decline',
  access: CARRIERS,
  tags: ['custody'],
  summary: 'The receiver declines, or the giver withdraws, an open handover (the packet stays with the giver)',
  request: { params: IdParam, ...jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(500) })) },
  responses: { 200: json(HandoverSchema, 'Closed'), ...errors(400, 401, 403, 404, 409) },
})

export const handovers = route({
  method: 'get',
  path: '/api/handovers',
  access: PACKET_READERS,
  tags: ['custody'],
  summary: 'Open handovers: mine=1 those waiting for me (and, in `offered`, those I offered); otherwise every open one (custodians, supervisors)',
  request: { query: z.object({ mine: z.enum(['0', '1']).optional() }) },
  responses: {
    200: json(
      z.object({
        handovers: z.array(HandoverSchema),
        offered: z.array(HandoverSchema),
        people: PeopleSchema,
        packets: z
          .record(z.string(), z.object({ roomId: z.string().nullable(), copies: z.object({ first: z.number(), last: z.number() }) }))
          .openapi({ description: 'What names each packet for people: its room and copy numbers, by packet id' }),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'The names of their rooms ("site room") by room id' }),
      }),
      'Open handovers',
    ),
    ...errors(400, 401, 403),
  },
})

export const open = route({
  method: 'post',
  path: '/api/packets/{id}/open',
  access: INVIGILATORS,
  tags: ['custody'],
  summary: 'Two invigilators of the room open the packet: the caller, and a second who gives their own login; not before the opening time',
  request: { params: IdParam, ...jsonBody(z.strictObject({ sealSeen: Seal, second: WitnessSchema })) },
  responses: { 200: json(PacketOnly, 'Opened'), ...errors(400, 401, 403, 404, 409, 429) },
})

export const recover = route({
  method: 'post',
  path: '/api/packets/{id}/recover',
  access: INVIGILATORS,
  tags: ['custody'],
  summary: 'Count what comes back (R5.5): used + blank + spoiled copies, answer sheets, scratch paper; a difference is an incident and an alert',
  request: {
    params: IdParam,
    ...jsonBody(
      z.strictObject({
        counts: z.strictObject({ used: z.number(), blank: z.number(), spoiled: z.number(), answerSheets: z.number(), scratchPaper: z.number() }),
      }),
    ),
  },
  responses: { 200: json(z.object({ packet: PacketSchema, incident: IncidentSchema.nullable() }), 'Recovered'), ...errors(400, 401, 403, 404, 409) },
})

export const dispose = route({
  method: 'post',
  path: '/api/disposals',
  access: CUSTODIANS,
  tags: ['custody'],
  summary: 'A witnessed disposal list (销毁清单): every packet archived and past its 3 years, or nothing is disposed of',
  request: jsonBody(z.strictObject({ packetIds: z.array(Id).max(1000), method: z.string().max(200), witness: WitnessSchema })),
  responses: {
    201: json(z.object({ list: z.looseObject({ id: z.string(), packetIds: z.array(z.string()) }), packets: z.array(PacketSchema) }), 'Disposed'),
    ...errors(400, 401, 403, 404, 409, 429),
  },
})

export const disposalsDue = route({
  method: 'get',
  path: '/api/disposals/due',
  access: OVERSEERS,
  tags: ['custody'],
  summary: 'Archived packets whose 3-year keeping period is over (CST date today)',
  responses: {
    200: json(
      z.object({
        today: z.string(),
        packets: z.array(PacketSchema),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
        papers: z.record(z.string(), z.object({ title: z.string() })).openapi({ description: 'Paper titles by paper id' }),
      }),
      'Due for disposal',
    ),
    ...errors(401, 403),
  },
})

export const alerts = route({
  method: 'get',
  path: '/api/alerts',
  access: ALERT_READERS,
  tags: ['custody'],
  summary: 'Custody alerts (seal mismatch, damaged packet, recovery mismatch, leak), newest first; open=1 only those not yet acknowledged',
  request: { query: z.object({ open: z.enum(['0', '1']).optional() }) },
  responses: {
    200: json(
      z.object({
        alerts: z.array(AlertSchema),
        people: PeopleSchema,
        packets: z
          .record(z.string(), z.object({ roomId: z.string().nullable(), copies: z.object({ first: z.number(), last: z.number() }) }))
          .openapi({ description: 'The packets the alerts are about: room and copy numbers, by packet id' }),
        papers: z.record(z.string(), z.object({ title: z.string() })).openapi({ description: 'Paper titles by paper id' }),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
      }),
      'Alerts',
    ),
    ...errors(400, 401, 403),
  },
})

export const acknowledgeAlert = route({
  method: 'post',
  path: '/api/alerts/{id}/acknowledge',
  access: ALERT_ACKNOWLEDGERS,
  tags: ['custody'],
  summary: 'Acknowledge an alert (logged against its subject)',
  request: { params: IdParam },
  responses: { 200: json(AlertSchema.partial(), 'Acknowledged'), ...errors(401, 403, 404, 409) },
})
