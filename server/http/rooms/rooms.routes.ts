import { z } from '@hono/zod-openapi'
import { DUTY_NAMES, EQUIPMENT_LIMIT, ROOM_KINDS } from '../../domain/rooms/index.ts'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

/** Registrars run the preparation; administrators read it but do not change it (README roles). */
const MANAGE = { roles: ['registrar'] } as const
/** Who reads the list of people a duty can go to: those who assign, and administrators (they read everything). */
const PEOPLE_READERS = { roles: ['registrar', 'admin'] } as const
/** Supervisors (督导, R6.4) read everything of the preparation. */
const OVERSEE = { roles: ['registrar', 'admin', 'supervisor'] } as const
/** Scoped: invigilators and examiners see only their rooms (Scope). */
const STAFFED = { roles: ['registrar', 'admin', 'supervisor', 'invigilator', 'examiner'] } as const
/** Pre-exam inspections (R4.2, R6.5) are recorded by those who run or staff the room, not by administrators. */
const INSPECTORS = { roles: ['registrar', 'supervisor', 'invigilator', 'examiner'] } as const
/** The session overview: also for custodians, who prepare every session's papers. */
const SESSION_READERS = { roles: [...STAFFED.roles, 'custodian'] } as const

const Id = z.string().min(1).max(64)
const SessionParam = z.object({ id: Id })
const SessionRoomParam = z.object({ id: Id, roomId: Id })

export const RoomSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    name: z.string(),
    kind: z.enum(ROOM_KINDS),
    capacity: z.number().int(),
    singleDesks: z.boolean(),
    layout: z.string(),
    equipment: z.array(z.string()),
    hazardous: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Room')
const SiteSchema = z.object({ id: z.string(), name: z.string(), address: z.string(), createdAt: z.string(), rooms: z.array(RoomSchema) }).openapi('Site')
const AssignmentSchema = z
  .object({
    id: z.string(),
    examSessionId: z.string(),
    roomId: z.string().nullable(),
    userId: z.string(),
    username: z.string().nullable(),
    displayName: z.string().nullable(),
    duty: z.enum(DUTY_NAMES),
    createdAt: z.string(),
  })
  .openapi('StaffAssignment')
const InspectionSchema = z
  .object({
    sessionId: z.string(),
    room: RoomSchema,
    complete: z.boolean(),
    pending: z.array(z.string()),
    openDefects: z.array(z.string()),
    items: z.array(
      z.object({
        item: z.string(),
        zh: z.string(),
        en: z.string(),
        rule: z.string(),
        state: z.enum(['pending', 'ok', 'defect', 'rectified']),
        defect: z.string().nullable(),
        rectification: z.string().nullable(),
        rectifiedBy: z.string().nullable(),
        recordedBy: z.string().nullable(),
        updatedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('Inspection')
const PlanSchema = z
  .object({
    sessionId: z.string(),
    run: z.object({ id: z.string(), seed: z.string(), keepTicketed: z.boolean(), createdAt: z.string() }).nullable(),
    rooms: z.array(
      z.object({
        room: RoomSchema,
        nonstandard: z.boolean(),
        seats: z.array(z.object({ seat: z.number(), candidateId: z.string(), name: z.string().nullable(), ticketNumber: z.string().nullable() })),
      }),
    ),
  })
  .openapi('SeatingPlan')

const RoomBody = {
  name: z.string().trim().min(1).max(50),
  kind: z.enum(ROOM_KINDS),
  capacity: z.number().int().min(1).max(1000),
  singleDesks: z.boolean().optional(),
  layout: z.string().max(200).optional(),
  equipment: z.array(z.string().max(100)).max(EQUIPMENT_LIMIT).optional(),
  hazardous: z.boolean().optional(),
}

export const listSites = route({
  method: 'get',
  path: '/api/sites',
  access: OVERSEE,
  tags: ['rooms'],
  summary: 'Sites (考点) with their rooms',
  responses: { 200: json(z.object({ sites: z.array(SiteSchema) }), 'Sites'), ...errors(401, 403) },
})

export const createSite = route({
  method: 'post',
  path: '/api/sites',
  access: MANAGE,
  tags: ['rooms'],
  summary: 'Create a site (考点)',
  request: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(100), address: z.string().trim().min(1).max(200) })),
  responses: { 201: json(SiteSchema, 'Created'), ...errors(400, 401, 403, 409) },
})

export const createRoom = route({
  method: 'post',
  path: '/api/sites/{id}/rooms',
  access: MANAGE,
  tags: ['rooms'],
  summary: 'Add a room to a site (R4.1: a theory room seats at most 30, one desk each)',
  request: { params: SessionParam, ...jsonBody(z.strictObject(RoomBody)) },
  responses: { 201: json(RoomSchema, 'Created'), ...errors(400, 401, 403, 404, 409) },
})

export const updateRoom = route({
  method: 'patch',
  path: '/api/rooms/{id}',
  access: MANAGE,
  tags: ['rooms'],
  summary: 'Change a room (capacity may not drop below a seat in use)',
  request: {
    params: SessionParam,
    ...jsonBody(
      z
        .strictObject({ ...RoomBody, name: RoomBody.name.optional(), kind: RoomBody.kind.optional(), capacity: RoomBody.capacity.optional() })
        .refine((b) => Object.keys(b).length > 0, 'name at least one field to change'),
    ),
  },
  responses: { 200: json(RoomSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
})

export const preparation = route({
  method: 'get',
  path: '/api/preparation/sessions',
  access: SESSION_READERS,
  tags: ['rooms'],
  summary: 'Exam sessions with their preparation state; invigilators and examiners see only sessions they are assigned to',
  responses: {
    200: json(
      z.object({
        sessions: z.array(
          z.object({
            id: z.string(),
            batchId: z.string(),
            batchTitle: z.string(),
            subjectName: z.string(),
            subjectKind: z.string(),
            occupationName: z.string(),
            level: z.number(),
            hazardous: z.boolean(),
            startsAt: z.string(),
            endsAt: z.string(),
            status: z.string(),
            rooms: z.number(),
            duties: z.array(z.object({ roomId: z.string().nullable(), duty: z.string() })).nullable(),
          }),
        ),
      }),
      'Sessions',
    ),
    ...errors(401, 403),
  },
})

export const sessionRooms = route({
  method: 'get',
  path: '/api/sessions/{id}/rooms',
  access: STAFFED,
  tags: ['rooms'],
  summary: "The session's rooms (scoped roles: only their own)",
  request: { params: SessionParam },
  responses: { 200: json(z.object({ rooms: z.array(RoomSchema) }), 'Rooms'), ...errors(401, 403, 404) },
})

export const addRoom = route({
  method: 'put',
  path: '/api/sessions/{id}/rooms/{roomId}',
  access: MANAGE,
  tags: ['rooms'],
  summary: 'Attach a room to the session (all rooms of a session at one site)',
  request: { params: SessionRoomParam },
  responses: { 200: json(RoomSchema, 'Attached'), ...errors(401, 403, 404, 409) },
})

export const removeRoom = route({
  method: 'delete',
  path: '/api/sessions/{id}/rooms/{roomId}',
  access: MANAGE,
  tags: ['rooms'],
  summary: 'Detach a room (refused while live tickets name it; its seats are cleared)',
  request: { params: SessionRoomParam },
  responses: { 200: json(z.object({ seatsCleared: z.number() }), 'Detached'), ...errors(401, 403, 404, 409) },
})

export const seat = route({
  method: 'post',
  path: '/api/sessions/{id}/seating',
  access: MANAGE,
  tags: ['seating'],
  summary: 'Seat every approved, paid candidate (seeded, replayable; ticket holders keep their seats unless keepTicketed is false)',
  request: {
    params: SessionParam,
    body: {
      content: { 'application/json': { schema: z.strictObject({ seed: z.string().trim().min(1).max(100).optional(), keepTicketed: z.boolean().optional() }) } },
      required: false,
    },
  },
  responses: {
    200: json(
      z.object({
        runId: z.string(),
        seed: z.string(),
        keepTicketed: z.boolean(),
        candidates: z.number(),
        rooms: z.number(),
        moved: z.number(),
        ticketsRevoked: z.array(z.string()),
        nonstandardRoomIds: z.array(z.string()),
      }),
      'The run',
    ),
    ...errors(400, 401, 403, 404, 409),
  },
})

export const seating = route({
  method: 'get',
  path: '/api/sessions/{id}/seating',
  access: STAFFED,
  tags: ['seating'],
  summary: 'The seating plan per room: seat, candidate, name, ticket (scoped roles: only their rooms)',
  request: { params: SessionParam },
  responses: { 200: json(PlanSchema, 'Plan'), ...errors(401, 403, 404) },
})

export const roster = route({
  method: 'get',
  path: '/api/sessions/{id}/rooms/{roomId}/roster',
  access: STAFFED,
  tags: ['seating'],
  summary: "One room's roster (考场名单): seat, candidate, name, ticket number",
  request: { params: SessionRoomParam },
  responses: { 200: json(PlanSchema, 'Roster'), ...errors(401, 403, 404) },
})

export const staff = route({
  method: 'get',
  path: '/api/sessions/{id}/staff',
  access: OVERSEE,
  tags: ['staff'],
  summary: 'Staff assigned to the session and its rooms',
  request: { params: SessionParam },
  responses: { 200: json(z.object({ staff: z.array(AssignmentSchema) }), 'Staff'), ...errors(401, 403, 404) },
})

export const assignStaff = route({
  method: 'post',
  path: '/api/sessions/{id}/staff',
  access: MANAGE,
  tags: ['staff'],
  summary: 'Assign a person: invigilator or examiner to a room, supervisor to the session, site leader to a practical room or the session',
  request: { params: SessionParam, ...jsonBody(z.strictObject({ userId: Id, duty: z.enum(DUTY_NAMES), roomId: Id.nullable().optional() })) },
  responses: { 201: json(AssignmentSchema, 'Assigned'), ...errors(400, 401, 403, 404, 409) },
})

export const unassignStaff = route({
  method: 'delete',
  path: '/api/sessions/{id}/staff/{assignmentId}',
  access: MANAGE,
  tags: ['staff'],
  summary: 'Remove a staff assignment',
  request: { params: z.object({ id: Id, assignmentId: Id }) },
  responses: { 200: json(AssignmentSchema, 'Removed'), ...errors(401, 403, 404) },
})

export const people = route({
  method: 'get',
  path: '/api/staff/people',
  access: PEOPLE_READERS,
  tags: ['staff'],
  summary: 'Active accounts that can take a duty (invigilators, examiners, supervisors, site leaders), for assigning staff',
  responses: {
    200: json(z.object({ people: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })) }), 'People'),
    ...errors(401, 403),
  },
})

export const myAssignments = route({
  method: 'get',
  path: '/api/me/assignments',
  access: 'authenticated',
  tags: ['staff'],
  summary: 'My own staff assignments (sessions and rooms)',
  responses: { 200: json(z.object({ assignments: z.array(AssignmentSchema) }), 'Assignments'), ...errors(401) },
})

export const readiness = route({
  method: 'get',
  path: '/api/sessions/{id}/readiness',
  access: OVERSEE,
  tags: ['staff'],
  summary: 'Is the session ready to open: seated, staffed (two per room, R4.3), inspected without open defects (R6.1)',
  request: { params: SessionParam },
  responses: {
    200: json(
      z.object({
        sessionId: z.string(),
        ready: z.boolean(),
        issues: z.array(z.object({ code: z.string(), severity: z.enum(['blocker', 'warning']) }).loose()),
        rooms: z.array(
          z.object({ id: z.string(), name: z.string(), kind: z.string(), seated: z.number(), staff: z.number(), inspectionComplete: z.boolean() }),
        ),
      }),
      'Readiness',
    ),
    ...errors(401, 403, 404),
  },
})

export const inspection = route({
  method: 'get',
  path: '/api/sessions/{id}/rooms/{roomId}/inspection',
  access: STAFFED,
  tags: ['inspection'],
  summary: "The room's pre-exam checklist: items by room kind, safety items where hazardous (R6.5)",
  request: { params: SessionRoomParam },
  responses: { 200: json(InspectionSchema, 'Checklist'), ...errors(401, 403, 404) },
})

export const recordInspection = route({
  method: 'put',
  path: '/api/sessions/{id}/rooms/{roomId}/inspection/{item}',
  access: INSPECTORS,
  tags: ['inspection'],
  summary: 'Record one checklist item: ok, defect (what), or rectified (what was done, by whom)',
  request: {
    params: z.object({ id: Id, roomId: Id, item: z.string().min(1).max(40) }),
    ...jsonBody(
      z.strictObject({
        state: z.enum(['ok', 'defect', 'rectified']),
        defect: z.string().max(500).optional(),
        rectification: z.string().max(500).optional(),
        rectifiedBy: z.string().max(100).optional(),
      }),
    ),
  },
  responses: { 200: json(InspectionSchema, 'Checklist'), ...errors(400, 401, 403, 404, 409) },
})
