import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'
import { PeopleSchema } from '../custody-people.ts'

/** R5.4 + R6.4: custodians, invigilators and supervisors report; supervisors decide. */
const REPORTERS = { roles: ['custodian', 'invigilator', 'supervisor'] } as const
const DECIDERS = { roles: ['supervisor'] } as const
/** Supervisors read everything of custody; custodians follow up their papers; administrators oversee. */
const READERS = { roles: ['custodian', 'supervisor', 'admin'] } as const
/**
 * Who reads exposure traces (every packet, holder and step): the supervisors who act on leaks and the
 * administrators who oversee. Not a reporter: a trace tells who is being looked at (decision record 006).
 */
export const TRACE_READERS = { roles: ['supervisor', 'admin'] } as const

const Id = z.string().min(1).max(64)
const IdParam = z.object({ id: Id })
const Reason = z.strictObject({ reason: z.string().max(1000) })

const LeakSchema = z
  .looseObject({
    id: z.string(),
    paperId: z.string(),
    examSessionId: z.string(),
    level: z.enum(['suspected', 'confirmed']),
    packetId: z.string().nullable(),
    copyNumber: z.number().nullable(),
    description: z.string(),
    filedBy: z.string(),
    filedAt: z.number(),
    state: z.enum(['open', 'confirmed', 'dismissed']),
    decidedBy: z.string().nullable(),
    decidedAt: z.number().nullable(),
    reason: z.string().nullable(),
    decisions: z.array(
      z.looseObject({
        sessionId: z.string(),
        decision: z.enum(['suspended', 'switched_to_paper_b']),
        paperId: z.string().nullable(),
        reason: z.string(),
        decidedBy: z.string(),
        reportedBy: z.string().optional(),
        confirmedBy: z.string().optional(),
      }),
    ),
  })
  .openapi('LeakReport')
const TraceSchema = z.looseObject({ paperId: z.string(), packets: z.array(z.unknown()), people: z.array(z.string()) }).openapi('ExposureTrace')
const LeakView = z.object({ report: LeakSchema, trace: TraceSchema.nullable() })
export const SessionName = z.object({
  id: z.string(),
  occupationName: z.string(),
  level: z.number(),
  levelName: z.string(),
  subjectName: z.string(),
  startsAt: z.number(),
})
/** Names beside the ids of leak reports and traces (decision record 010): people, papers, sessions and rooms. */
const Names = {
  people: PeopleSchema,
  papers: z.record(z.string(), z.object({ title: z.string(), kind: z.string() })).openapi({ description: 'Paper titles by paper id' }),
  sessions: z.record(z.string(), SessionName).openapi({ description: 'Sessions by name, by session id' }),
  rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
}

/** What a reporter gets back: the report's id and a confirmation, no trace (decision record 006). */
const FiledSchema = z
  .object({
    id: z.string(),
    filedAt: z.number(),
    confirmation: z.string(),
    confirmationEn: z.string(),
  })
  .openapi('LeakFiled')

export const file = route({
  method: 'post',
  path: '/api/leaks',
  access: REPORTERS,
  tags: ['leaks'],
  summary: 'Report a leak or suspected leak (R5.4): the paper and its packets freeze at once and supervisors are alerted',
  description:
    'A reporter names what they saw: custodians and supervisors any paper, packet or copy number; invigilators a packet (or a copy number of one) of a room they are assigned to, or that they hold. The answer is the report id and a confirmation; the exposure trace is for supervisors.',
  request: jsonBody(
    z.strictObject({
      paperId: Id.optional(),
      packetId: Id.optional(),
      copyNumber: z.number().int().min(1).optional(),
      level: z.enum(['suspected', 'confirmed']),
      description: z.string().max(2000),
    }),
  ),
  responses: { 201: json(FiledSchema, 'Filed'), ...errors(400, 401, 403, 404) },
})

export const list = route({
  method: 'get',
  path: '/api/leaks',
  access: READERS,
  tags: ['leaks'],
  summary: 'Leak reports, newest first, by paper or state',
  request: { query: z.object({ paperId: Id.optional(), state: z.enum(['open', 'confirmed', 'dismissed']).optional() }) },
  responses: { 200: json(z.object({ leaks: z.array(LeakSchema), ...Names }), 'Leak reports'), ...errors(400, 401, 403) },
})

export const get = route({
  method: 'get',
  path: '/api/leaks/{id}',
  access: READERS,
  tags: ['leaks'],
  summary: 'One leak report; for supervisors and administrators with its exposure trace: every packet of the paper, who has it now and everyone who touched it',
  request: { params: IdParam },
  responses: { 200: json(LeakView.extend(Names), 'The report'), ...errors(401, 403, 404) },
})

export const confirm = route({
  method: 'post',
  path: '/api/leaks/{id}/confirm',
  access: DECIDERS,
  tags: ['leaks'],
  summary: 'Confirm a leak (with a reason; not by its reporter: a second supervisor): the paper is retired and its frozen packets voided, kept as evidence',
  request: { params: IdParam, ...jsonBody(Reason) },
  responses: { 200: json(LeakView, 'Confirmed'), ...errors(400, 401, 403, 404, 409) },
})

export const dismiss = route({
  method: 'post',
  path: '/api/leaks/{id}/dismiss',
  access: DECIDERS,
  tags: ['leaks'],
  summary: 'Dismiss a leak report (with a reason; not by its filer): the paper and packets thaw when no other report is open',
  request: { params: IdParam, ...jsonBody(Reason) },
  responses: { 200: json(LeakView, 'Dismissed'), ...errors(400, 401, 403, 404, 409) },
})

export const decide = route({
  method: 'post',
  path: '/api/leaks/{id}/decisions',
  access: DECIDERS,
  tags: ['leaks'],
  summary: 'After a confirmed leak: suspend the session (停考) or switch it to paper B, with a reason; logged with the reporter and the confirming supervisor',
  request: {
    params: IdParam,
    ...jsonBody(
      z.strictObject({
        sessionId: Id,
        decision: z.enum(['suspend', 'switch_to_paper_b']),
        reason: z.string().max(1000),
        paperId: Id.optional(),
      }),
    ),
  },
  responses: { 200: json(LeakView, 'Decided'), ...errors(400, 401, 403, 404, 409) },
})

export const traceCopy = route({
  method: 'get',
  path: '/api/trace/copies/{copyNumber}',
  access: TRACE_READERS,
  tags: ['leaks'],
  summary: "From a leaked copy's number to its packet, room and every holder",
  request: { params: z.object({ copyNumber: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }), query: z.object({ paperId: Id }) },
  responses: {
    200: json(
      z.looseObject({ copyNumber: z.number(), packetId: z.string(), roomId: z.string().nullable(), ...Names }).openapi('CopyTrace'),
      "The copy's trace",
    ),
    ...errors(400, 401, 403, 404),
  },
})
