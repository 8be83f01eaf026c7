import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { HANDOVER_ACTIONS, PACKET_ACTIONS, PACKET_STATES, type Handover, type PacketState, type RecoveryCounts } from '../domain/custody/index.ts'
import { actorOf } from '../services/index.ts'
import type { Person } from '../services/index.ts'
import { type Credentials, type CustodyError, type HandoverCommand, type MoveCommand, type Viewer, MOVE_ACTIONS } from '../services/custody.ts'
import type { LeaksError } from '../services/leaks.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import { PeopleSchema, peopleIn } from './custody-people.ts'
import { clientAddress } from './session.ts'

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
export const PacketSchema = z.looseObject({
  id: z.string(), paperId: z.string(), printJobId: z.string(), examSessionId: z.string(), roomId: z.string().nullable(),
  copies: z.object({ first: z.number(), last: z.number() }), contents: Contents, state: z.enum(PACKET_STATES),
  sealNumber: z.string().nullable(), seals: z.array(z.string()), holder: Holder, printedBy: z.string(), printedAt: z.number(),
  openedBy: z.array(z.string()), openedAt: z.number().nullable(), recovery: z.unknown().nullable(), retention: z.unknown().nullable(),
  frozenFrom: z.enum(PACKET_STATES).nullable(), voidReason: z.string().nullable(), updatedAt: z.number(),
  sealHidden: z.boolean().optional().openapi({ description: 'True when the seal is left out because the caller still has to check it blind (an open offer to them, or their room before opening)' }),
}).openapi('Packet')
export const HandoverSchema = z.looseObject({
  id: z.string(), packetId: z.string(), action: z.enum(HANDOVER_ACTIONS), fromState: z.enum(PACKET_STATES), giver: z.string(), receiver: z.string(),
  place: z.string(), offeredAt: z.number(), giverSealSeen: z.string().nullable(), giverCondition: z.enum(['intact', 'damaged']),
  state: z.enum(['offered', 'confirmed', 'declined', 'cancelled']), receiverSealSeen: z.string().nullable(),
  receiverCondition: z.enum(['intact', 'damaged']).nullable(), closedAt: z.number().nullable(), closeReason: z.string().nullable(),
}).openapi('Handover')
const IncidentSchema = z.looseObject({ id: z.string(), kind: z.string(), packetId: z.string(), difference: Contents }).openapi('Incident')
const MoveSchema = z.looseObject({ from: z.enum(PACKET_STATES), action: z.enum(PACKET_ACTIONS), to: z.string(), who: z.array(z.string()) })
const AlertSchema = z.looseObject({
  id: z.string(), kind: z.string(), logIndex: z.number(), acknowledged: z.boolean(), acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(), action: z.string(), time: z.string(), subject: z.object({ type: z.string(), id: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()),
}).openapi('CustodyAlert')
const PacketOnly = z.object({ packet: PacketSchema })

export const callerOf = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person
export const viewerOf = (c: Ctx): Viewer => ({ userId: c.var.principal!.userId, roles: c.var.actingRoles })

const NOT_FOUND: ReadonlySet<string> = new Set(['packet.not_found', 'paper.not_found', 'handover.not_found', 'alert.not_found', 'leak.not_found', 'session.not_found'])

/**
 * The flat fields of a refusal, for its log event (no personal data is ever in a custody refusal). The log
 * takes integers only: any other number (a count of 27.5 someone typed) is written as text.
 */
function flat(e: object): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [k, v] of Object.entries(e)) {
    if (k === 'code') continue
    if (typeof v === 'number') out[k] = Number.isSafeInteger(v) ? v : String(v)
    else if (v === null || typeof v === 'string' || typeof v === 'boolean') out[k] = v
  }
  return out
}

/** A custody refusal: a missing record answers 404 plainly; a rule's refusal is answered and logged against its subject. */
export function custodyRefused(c: Ctx, e: CustodyError | LeaksError, action: string, subject?: { type: string; id: string }): Response {
  if (NOT_FOUND.has(e.code)) return fail(c, e.code, e)
  // The opening refusal says when the packet may be opened, in Beijing wall-clock time (R5.3).
  const details = e.code === 'open.too_early' ? { ...e, earliestText: beijingMinute(e.earliest) } : e
  return refuse(c, e.code, action, flat(e), subject, details)
}

/** An instant as Beijing wall-clock text to the minute: 2026-12-12 08:45. */
const beijingMinute = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')

export function packetRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  const s = (c: Ctx) => c.var.services.custody

  // ---------- reading ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/packets', access: PACKET_READERS, tags: ['custody'],
    summary: 'Packets, by paper, session or state; invigilators see the packets of their rooms and those they hold or are offered',
    request: { query: z.object({ paperId: Id.optional(), sessionId: Id.optional(), state: z.enum(PACKET_STATES).optional() }) },
    responses: {
      200: json(z.object({
        packets: z.array(PacketSchema),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'The names of their rooms ("site room") by room id' }),
        people: PeopleSchema,
      }), 'Packets'),
      ...errors(400, 401, 403),
    },
  }, (c) => {
    const q = input<{ paperId?: string; sessionId?: string; state?: PacketState }>(c, 'query')
    const packets = s(c).packets(viewerOf(c), q)
    return c.json({ packets, rooms: s(c).roomNames(packets), people: peopleIn(c, packets) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/packets/{id}', access: PACKET_READERS, tags: ['custody'],
    summary: 'One packet with its paper, the moves the caller could start now, its open handover, handovers and incidents',
    request: { params: IdParam },
    responses: {
      200: json(z.object({
        packet: PacketSchema, paper: z.unknown().nullable(),
        place: z.object({
          session: z.object({ id: z.string(), occupationName: z.string(), level: z.number(), levelName: z.string(), subjectName: z.string(), startsAt: z.number() }).nullable(),
          room: z.object({ id: z.string(), name: z.string() }).nullable(),
          site: z.object({ id: z.string(), name: z.string() }).nullable(),
        }).openapi({ description: 'The names of the packet\'s session, room and site' }),
        moves: z.array(MoveSchema), pendingHandover: HandoverSchema.nullable(),
        handovers: z.array(HandoverSchema), incidents: z.array(IncidentSchema),
        opensAt: z.number().nullable().openapi({ description: 'When the room may open it (epoch ms): the session start less the opening lead' }),
        people: PeopleSchema,
      }), 'The packet'),
      ...errors(401, 403, 404),
    },
  }, (c) => {
    const id = c.req.param('id')!
    const packet = s(c).packet(id)
    if (!packet) return fail(c, 'packet.not_found', { id })
    const view = s(c).view(viewerOf(c), id)
    if (!view) return refuse(c, 'scope.not_assigned', 'request.refused', { packetId: id }, { type: 'packet', id })
    return c.json({ ...view, people: peopleIn(c, view.packet, view.pendingHandover, view.handovers) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/packets/{id}/receivers', access: CARRIERS, tags: ['custody'],
    summary: 'The people who may receive this packet\'s next handover from the caller, by name (invigilators of its room first); empty when the move is not the caller\'s to offer now',
    request: { params: IdParam, query: z.object({ action: z.enum(HANDOVER_ACTIONS) }) },
    responses: {
      200: json(z.object({
        receivers: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()), assigned: z.boolean() })),
      }), 'Eligible receivers'),
      ...errors(400, 401, 403, 404),
    },
  }, (c) => {
    const id = c.req.param('id')!
    if (!s(c).packet(id)) return fail(c, 'packet.not_found', { id })
    const receivers = s(c).receivers(viewerOf(c), id, input<{ action: Handover['action'] }>(c, 'query').action)
    if (!receivers) return refuse(c, 'scope.not_assigned', 'request.refused', { packetId: id }, { type: 'packet', id })
    return c.json({ receivers }, 200)
  })

  // ---------- moves ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/packets/{id}/moves', access: PACKET_MOVERS, tags: ['custody'],
    summary: 'Seal, store, reseal, reconcile, archive or void a packet; witnessed steps carry the witness\'s own login',
    description: 'sealNumber: the new seal (seal, reseal). sealSeen: the seal read off the packet (store, reconcile). A seal that does not match is refused and alerts supervisors.',
    request: {
      params: IdParam,
      ...jsonBody(z.strictObject({
        action: z.enum(MOVE_ACTIONS), sealNumber: Seal.optional(), sealSeen: Seal.optional(), witness: WitnessSchema.optional(),
        reason: z.string().max(500).optional(),
      })),
    },
    responses: { 200: json(PacketOnly, 'Moved'), ...errors(400, 401, 403, 404, 409, 429) },
  }, async (c) => {
    const id = c.req.param('id')!
    const cmd = input<MoveCommand>(c, 'json')
    const r = await s(c).move(callerOf(c), id, cmd, clientAddress(c))
    return r.ok ? c.json({ packet: s(c).screen(viewerOf(c), r.value.packet) }, 200) : custodyRefused(c, r.error, `custody.packet.${cmd.action}`, { type: 'packet', id })
  })

  // ---------- handovers (R5.3) ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/packets/{id}/handovers', access: CARRIERS, tags: ['custody'],
    summary: 'Offer a packet to a named receiver (issue, hand over, receive, send back, return); the receiver confirms with their own login',
    request: {
      params: IdParam,
      ...jsonBody(z.strictObject({
        action: z.enum(HANDOVER_ACTIONS), receiver: z.string().min(1).max(64), place: z.string().max(200),
        sealSeen: Seal.nullable().optional(), condition: z.enum(['intact', 'damaged']),
      })),
    },
    responses: { 201: json(HandoverSchema, 'Offered'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const body = input<Omit<HandoverCommand, 'sealSeen'> & { sealSeen?: string | null }>(c, 'json')
    const r = s(c).offerHandover(callerOf(c), id, { ...body, sealSeen: body.sealSeen ?? null })
    return r.ok ? c.json(s(c).screenHandover(viewerOf(c), r.value), 201) : custodyRefused(c, r.error, 'custody.handover.offer', { type: 'packet', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/handovers/{id}/confirm', access: CARRIERS, tags: ['custody'],
    summary: 'The receiver confirms a handover offered to them: seal seen and condition; the packet moves to them',
    request: { params: IdParam, ...jsonBody(z.strictObject({ sealSeen: Seal.nullable().optional(), condition: z.enum(['intact', 'damaged']) })) },
    responses: { 200: json(z.object({ handover: HandoverSchema, packet: PacketSchema }), 'Confirmed'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const body = input<{ sealSeen?: string | null; condition: 'intact' | 'damaged' }>(c, 'json')
    const r = s(c).confirmHandover(callerOf(c), id, { sealSeen: body.sealSeen ?? null, condition: body.condition })
    const packetId = s(c).handover(id)?.packetId
    const v = viewerOf(c)
    return r.ok ? c.json({ handover: s(c).screenHandover(v, r.value.handover), packet: s(c).screen(v, r.value.packet) }, 200) : custodyRefused(c, r.error, 'custody.handover.confirm', packetId ? { type: 'packet', id: packetId } : undefined)
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/handovers/{id}/decline', access: CARRIERS, tags: ['custody'],
    summary: 'The receiver declines, or the giver withdraws, an open handover (the packet stays with the giver)',
    request: { params: IdParam, ...jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(500) })) },
    responses: { 200: json(HandoverSchema, 'Closed'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).closeHandover(callerOf(c), id, input<{ reason: string }>(c, 'json').reason)
    const packetId = s(c).handover(id)?.packetId
    return r.ok ? c.json(s(c).screenHandover(viewerOf(c), r.value), 200) : custodyRefused(c, r.error, 'custody.handover.decline', packetId ? { type: 'packet', id: packetId } : undefined)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/handovers', access: PACKET_READERS, tags: ['custody'],
    summary: 'Open handovers: mine=1 those waiting for me (and, in `offered`, those I offered); otherwise every open one (custodians, supervisors)',
    request: { query: z.object({ mine: z.enum(['0', '1']).optional() }) },
    responses: {
      200: json(z.object({
        handovers: z.array(HandoverSchema), offered: z.array(HandoverSchema), people: PeopleSchema,
        packets: z.record(z.string(), z.object({ roomId: z.string().nullable(), copies: z.object({ first: z.number(), last: z.number() }) }))
          .openapi({ description: 'What names each packet for people: its room and copy numbers, by packet id' }),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'The names of their rooms ("site room") by room id' }),
      }), 'Open handovers'),
      ...errors(400, 401, 403),
    },
  }, (c) => {
    const v = viewerOf(c)
    const all = input<{ mine?: string }>(c, 'query').mine !== '1' && v.roles.some((r) => r !== 'invigilator')
    // The receiver of an offer checks its seal blind: the seal the giver saw is not shown to them (R5.3).
    const screened = (hs: Handover[]) => hs.map((h) => s(c).screenHandover(v, h))
    const handovers = screened(s(c).pendingHandovers(all ? undefined : v.userId))
    const offered = screened(s(c).offeredBy(v.userId))
    const packets = [...new Set([...handovers, ...offered].map((h) => h.packetId))].flatMap((id) => s(c).packet(id) ?? [])
    return c.json({
      handovers, offered, people: peopleIn(c, handovers, offered),
      packets: Object.fromEntries(packets.map((p) => [p.id, { roomId: p.roomId, copies: p.copies }])), rooms: s(c).roomNames(packets),
    }, 200)
  })

  // ---------- in the room ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/packets/{id}/open', access: INVIGILATORS, tags: ['custody'],
    summary: 'Two invigilators of the room open the packet: the caller, and a second who gives their own login; not before the opening time',
    request: { params: IdParam, ...jsonBody(z.strictObject({ sealSeen: Seal, second: WitnessSchema })) },
    responses: { 200: json(PacketOnly, 'Opened'), ...errors(400, 401, 403, 404, 409, 429) },
  }, async (c) => {
    const id = c.req.param('id')!
    const body = input<{ sealSeen: string; second: Credentials }>(c, 'json')
    const r = await s(c).open(callerOf(c), id, body, clientAddress(c))
    return r.ok ? c.json({ packet: s(c).screen(viewerOf(c), r.value.packet) }, 200) : custodyRefused(c, r.error, 'custody.packet.open', { type: 'packet', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/packets/{id}/recover', access: INVIGILATORS, tags: ['custody'],
    summary: 'Count what comes back (R5.5): used + blank + spoiled copies, answer sheets, scratch paper; a difference is an incident and an alert',
    request: {
      params: IdParam,
      ...jsonBody(z.strictObject({
        counts: z.strictObject({ used: z.number(), blank: z.number(), spoiled: z.number(), answerSheets: z.number(), scratchPaper: z.number() }),
      })),
    },
    responses: { 200: json(z.object({ packet: PacketSchema, incident: IncidentSchema.nullable() }), 'Recovered'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).recover(callerOf(c), id, input<{ counts: RecoveryCounts }>(c, 'json').counts)
    return r.ok ? c.json({ packet: s(c).screen(viewerOf(c), r.value.packet), incident: r.value.incident }, 200) : custodyRefused(c, r.error, 'custody.packet.recover', { type: 'packet', id })
  })

  // ---------- disposal (R5.5) ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/disposals', access: CUSTODIANS, tags: ['custody'],
    summary: 'A witnessed disposal list (销毁清单): every packet archived and past its 3 years, or nothing is disposed of',
    request: jsonBody(z.strictObject({ packetIds: z.array(Id).max(1000), method: z.string().max(200), witness: WitnessSchema })),
    responses: {
      201: json(z.object({ list: z.looseObject({ id: z.string(), packetIds: z.array(z.string()) }), packets: z.array(PacketSchema) }), 'Disposed'),
      ...errors(400, 401, 403, 404, 409, 429),
    },
  }, async (c) => {
    const body = input<{ packetIds: string[]; method: string; witness: Credentials }>(c, 'json')
    const r = await s(c).dispose(callerOf(c), body, clientAddress(c))
    return r.ok ? c.json(r.value, 201) : custodyRefused(c, r.error, 'custody.disposal.create')
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/disposals/due', access: OVERSEERS, tags: ['custody'],
    summary: 'Archived packets whose 3-year keeping period is over (CST date today)',
    responses: {
      200: json(z.object({
        today: z.string(), packets: z.array(PacketSchema),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
        papers: z.record(z.string(), z.object({ title: z.string() })).openapi({ description: 'Paper titles by paper id' }),
      }), 'Due for disposal'),
      ...errors(401, 403),
    },
  }, (c) => {
    const due = s(c).disposalsDue()
    const papers: Record<string, { title: string }> = {}
    for (const id of new Set(due.packets.map((p) => p.paperId))) {
      const paper = c.var.services.papers.paper(id)
      if (paper) papers[id] = { title: paper.title }
    }
    return c.json({ ...due, rooms: s(c).roomNames(due.packets), papers }, 200)
  })

  // ---------- alerts (R5.4) ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/alerts', access: ALERT_READERS, tags: ['custody'],
    summary: 'Custody alerts (seal mismatch, damaged packet, recovery mismatch, leak), newest first; open=1 only those not yet acknowledged',
    request: { query: z.object({ open: z.enum(['0', '1']).optional() }) },
    responses: {
      200: json(z.object({
        alerts: z.array(AlertSchema), people: PeopleSchema,
        packets: z.record(z.string(), z.object({ roomId: z.string().nullable(), copies: z.object({ first: z.number(), last: z.number() }) }))
          .openapi({ description: 'The packets the alerts are about: room and copy numbers, by packet id' }),
        papers: z.record(z.string(), z.object({ title: z.string() })).openapi({ description: 'Paper titles by paper id' }),
        rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
      }), 'Alerts'),
      ...errors(400, 401, 403),
    },
  }, (c) => {
    const alerts = s(c).alerts(input<{ open?: string }>(c, 'query').open === '1')
    const packets = [...new Set(alerts.flatMap((a) => (a.subject?.type === 'packet' ? [a.subject.id] : [])))].flatMap((id) => s(c).packet(id) ?? [])
    const papers: Record<string, { title: string }> = {}
    for (const a of alerts) {
      const paper = a.subject?.type === 'paper' ? c.var.services.papers.paper(a.subject.id) : null
      if (paper) papers[paper.id] = { title: paper.title }
    }
    return c.json({
      alerts, people: peopleIn(c, alerts.map((a) => a.data)), papers, rooms: s(c).roomNames(packets),
      packets: Object.fromEntries(packets.map((p) => [p.id, { roomId: p.roomId, copies: p.copies }])),
    }, 200)
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/alerts/{id}/acknowledge', access: ALERT_ACKNOWLEDGERS, tags: ['custody'],
    summary: 'Acknowledge an alert (logged against its subject)',
    request: { params: IdParam },
    responses: { 200: json(AlertSchema.partial(), 'Acknowledged'), ...errors(401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).acknowledgeAlert(callerOf(c), id)
    return r.ok ? c.json(r.value, 200) : custodyRefused(c, r.error, 'custody.alert_acknowledge', { type: 'alert', id })
  })
}
