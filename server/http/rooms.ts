import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { DUTIES, DUTY_NAMES, EQUIPMENT_LIMIT, ROOM_KINDS, type Room, type StaffAssignment } from '../domain/rooms/index.ts'
import { actorOf } from '../services/index.ts'
import type { RoomsError } from '../services/rooms.ts'
import type { Viewer } from '../services/scope.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'

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
const iso = (ms: number) => new Date(ms).toISOString()

export const RoomSchema = z.object({
  id: z.string(), siteId: z.string(), name: z.string(), kind: z.enum(ROOM_KINDS), capacity: z.number().int(),
  singleDesks: z.boolean(), layout: z.string(), equipment: z.array(z.string()), hazardous: z.boolean(), createdAt: z.string(),
}).openapi('Room')
const SiteSchema = z.object({ id: z.string(), name: z.string(), address: z.string(), createdAt: z.string(), rooms: z.array(RoomSchema) }).openapi('Site')
const AssignmentSchema = z.object({
  id: z.string(), examSessionId: z.string(), roomId: z.string().nullable(), userId: z.string(), username: z.string().nullable(),
  displayName: z.string().nullable(), duty: z.enum(DUTY_NAMES as [string, ...string[]]), createdAt: z.string(),
}).openapi('StaffAssignment')
const InspectionSchema = z.object({
  sessionId: z.string(), room: RoomSchema, complete: z.boolean(), pending: z.array(z.string()), openDefects: z.array(z.string()),
  items: z.array(z.object({
    item: z.string(), zh: z.string(), en: z.string(), rule: z.string(), state: z.enum(['pending', 'ok', 'defect', 'rectified']),
    defect: z.string().nullable(), rectification: z.string().nullable(), rectifiedBy: z.string().nullable(),
    recordedBy: z.string().nullable(), updatedAt: z.string().nullable(),
  })),
}).openapi('Inspection')
const PlanSchema = z.object({
  sessionId: z.string(),
  run: z.object({ id: z.string(), seed: z.string(), keepTicketed: z.boolean(), createdAt: z.string() }).nullable(),
  rooms: z.array(z.object({
    room: RoomSchema, nonstandard: z.boolean(),
    seats: z.array(z.object({ seat: z.number(), candidateId: z.string(), name: z.string().nullable(), ticketNumber: z.string().nullable() })),
  })),
}).openapi('SeatingPlan')

const RoomBody = {
  name: z.string().trim().min(1).max(50),
  kind: z.enum(ROOM_KINDS),
  capacity: z.number().int().min(1).max(1000),
  singleDesks: z.boolean().optional(),
  layout: z.string().max(200).optional(),
  equipment: z.array(z.string().max(100)).max(EQUIPMENT_LIMIT).optional(),
  hazardous: z.boolean().optional(),
}

export const roomJson = (r: Room) => ({ ...r, createdAt: iso(r.createdAt) })

const viewerOf = (c: Ctx): Viewer => ({ userId: c.var.principal!.userId, roles: c.var.actingRoles })
const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)

/** 403 scope.not_assigned, logged: an invigilator or examiner reaching past their assignment. */
export const notAssigned = (c: Ctx, sessionId: string, roomId?: string): Response =>
  refuse(c, 'scope.not_assigned', 'request.refused', { session: sessionId, room: roomId ?? null }, { type: 'exam_session', id: sessionId })

/** A refusal of the rooms service: not-found answers plainly; rule refusals are answered and logged. */
function refused(c: Ctx, e: RoomsError, action: string, subject?: { type: string; id: string }): Response {
  if (e.code === 'session.not_found' || e.code === 'room.not_found' || e.code === 'site.not_found' || e.code === 'staff.not_found') return fail(c, e.code, e)
  return refuse(c, e.code, action, {}, subject, e)
}

export function roomRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  const s = (c: Ctx) => c.var.services

  // ---------- sites and rooms ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/sites', access: OVERSEE, tags: ['rooms'],
    summary: 'Sites (考点) with their rooms',
    responses: { 200: json(z.object({ sites: z.array(SiteSchema) }), 'Sites'), ...errors(401, 403) },
  }, (c) => {
    const rooms = s(c).rooms.rooms()
    return c.json({ sites: s(c).rooms.sites().map((site) => ({ ...site, createdAt: iso(site.createdAt), rooms: rooms.filter((r) => r.siteId === site.id).map(roomJson) })) }, 200)
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/sites', access: MANAGE, tags: ['rooms'],
    summary: 'Create a site (考点)',
    request: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(100), address: z.string().trim().min(1).max(200) })),
    responses: { 201: json(SiteSchema, 'Created'), ...errors(400, 401, 403, 409) },
  }, (c) => {
    const r = s(c).rooms.createSite(actor(c), input<{ name: string; address: string }>(c, 'json'))
    return r.ok ? c.json({ ...r.value, createdAt: iso(r.value.createdAt), rooms: [] }, 201) : refused(c, r.error, 'site.create')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/sites/{id}/rooms', access: MANAGE, tags: ['rooms'],
    summary: 'Add a room to a site (R4.1: a theory room seats at most 30, one desk each)',
    request: { params: SessionParam, ...jsonBody(z.strictObject(RoomBody)) },
    responses: { 201: json(RoomSchema, 'Created'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const r = s(c).rooms.createRoom(actor(c), c.req.param('id')!, input(c, 'json'))
    return r.ok ? c.json(roomJson(r.value), 201) : refused(c, r.error, 'room.create')
  })

  defineRoute(app, table, {
    method: 'patch', path: '/api/rooms/{id}', access: MANAGE, tags: ['rooms'],
    summary: 'Change a room (capacity may not drop below a seat in use)',
    request: {
      params: SessionParam,
      ...jsonBody(z.strictObject({ ...RoomBody, name: RoomBody.name.optional(), kind: RoomBody.kind.optional(), capacity: RoomBody.capacity.optional() })
        .refine((b) => Object.keys(b).length > 0, 'name at least one field to change')),
    },
    responses: { 200: json(RoomSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).rooms.updateRoom(actor(c), id, input(c, 'json'))
    return r.ok ? c.json(roomJson(r.value), 200) : refused(c, r.error, 'room.update', { type: 'room', id })
  })

  // ---------- sessions: overview and rooms ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/preparation/sessions', access: SESSION_READERS, tags: ['rooms'],
    summary: 'Exam sessions with their preparation state; invigilators and examiners see only sessions they are assigned to',
    responses: {
      200: json(z.object({ sessions: z.array(z.object({
        id: z.string(), batchId: z.string(), batchTitle: z.string(), subjectName: z.string(), subjectKind: z.string(), occupationName: z.string(),
        level: z.number(), hazardous: z.boolean(), startsAt: z.string(), endsAt: z.string(), status: z.string(), rooms: z.number(),
        duties: z.array(z.object({ roomId: z.string().nullable(), duty: z.string() })).nullable(),
      })) }), 'Sessions'),
      ...errors(401, 403),
    },
  }, (c) => {
    const v = viewerOf(c)
    const scope = s(c).scope.roomsOf(v)
    const sessions = s(c).rooms.sessions().filter((x) => scope.all || scope.rooms.some((a) => a.sessionId === x.id))
    return c.json({
      sessions: sessions.map((x) => ({
        id: x.id, batchId: x.batchId, batchTitle: x.batchTitle, subjectName: x.subjectName, subjectKind: x.subjectKind, occupationName: x.occupationName,
        level: x.level, hazardous: x.hazardous, startsAt: iso(x.startsAt), endsAt: iso(x.endsAt), status: x.status,
        rooms: s(c).scope.visibleRooms(v, x.id, s(c).rooms.attachedRooms(x.id)).length,
        duties: scope.all ? null : scope.rooms.filter((a) => a.sessionId === x.id).map((a) => ({ roomId: a.roomId, duty: a.duty })),
      })),
    }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/rooms', access: STAFFED, tags: ['rooms'],
    summary: "The session's rooms (scoped roles: only their own)",
    request: { params: SessionParam },
    responses: { 200: json(z.object({ rooms: z.array(RoomSchema) }), 'Rooms'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    const v = viewerOf(c)
    if (!s(c).scope.canSeeSession(v, id)) return notAssigned(c, id)
    const r = s(c).rooms.sessionRooms(id)
    return r.ok ? c.json({ rooms: s(c).scope.visibleRooms(v, id, r.value).map(roomJson) }, 200) : refused(c, r.error, 'session.rooms')
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/sessions/{id}/rooms/{roomId}', access: MANAGE, tags: ['rooms'],
    summary: 'Attach a room to the session (all rooms of a session at one site)',
    request: { params: SessionRoomParam },
    responses: { 200: json(RoomSchema, 'Attached'), ...errors(401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).rooms.attachRoom(actor(c), id, c.req.param('roomId')!)
    return r.ok ? c.json(roomJson(r.value), 200) : refused(c, r.error, 'session.room_attach', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'delete', path: '/api/sessions/{id}/rooms/{roomId}', access: MANAGE, tags: ['rooms'],
    summary: 'Detach a room (refused while live tickets name it; its seats are cleared)',
    request: { params: SessionRoomParam },
    responses: { 200: json(z.object({ seatsCleared: z.number() }), 'Detached'), ...errors(401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).rooms.detachRoom(actor(c), id, c.req.param('roomId')!)
    return r.ok ? c.json(r.value, 200) : refused(c, r.error, 'session.room_detach', { type: 'exam_session', id })
  })

  // ---------- seating ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/sessions/{id}/seating', access: MANAGE, tags: ['seating'],
    summary: 'Seat every approved, paid candidate (seeded, replayable; ticket holders keep their seats unless keepTicketed is false)',
    request: {
      params: SessionParam,
      body: { content: { 'application/json': { schema: z.strictObject({ seed: z.string().trim().min(1).max(100).optional(), keepTicketed: z.boolean().optional() }) } }, required: false },
    },
    responses: {
      200: json(z.object({
        runId: z.string(), seed: z.string(), keepTicketed: z.boolean(), candidates: z.number(), rooms: z.number(), moved: z.number(),
        ticketsRevoked: z.array(z.string()), nonstandardRoomIds: z.array(z.string()),
      }), 'The run'),
      ...errors(400, 401, 403, 404, 409),
    },
  }, async (c) => {
    const id = c.req.param('id')!
    // The body is optional: an empty POST seats with a fresh seed.
    const body = input<{ seed?: string; keepTicketed?: boolean } | undefined>(c, 'json') ?? {}
    const r = s(c).rooms.seat(actor(c), id, body)
    return r.ok ? c.json(r.value, 200) : refused(c, r.error, 'seating.assign', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/seating', access: STAFFED, tags: ['seating'],
    summary: 'The seating plan per room: seat, candidate, name, ticket (scoped roles: only their rooms)',
    request: { params: SessionParam },
    responses: { 200: json(PlanSchema, 'Plan'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    const v = viewerOf(c)
    if (!s(c).scope.canSeeSession(v, id)) return notAssigned(c, id)
    const rooms = s(c).rooms.sessionRooms(id)
    if (!rooms.ok) return refused(c, rooms.error, 'seating.read')
    const plan = s(c).rooms.seatingPlan(id, s(c).scope.visibleRooms(v, id, rooms.value))
    return c.json({
      sessionId: id, run: plan.run ? { ...plan.run, createdAt: iso(plan.run.createdAt) } : null,
      rooms: plan.rooms.map((p) => ({ ...p, room: roomJson(p.room) })),
    }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/rooms/{roomId}/roster', access: STAFFED, tags: ['seating'],
    summary: "One room's roster (考场名单): seat, candidate, name, ticket number",
    request: { params: SessionRoomParam },
    responses: { 200: json(PlanSchema, 'Roster'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!, roomId = c.req.param('roomId')!
    if (!s(c).scope.canSeeRoom(viewerOf(c), id, roomId)) return notAssigned(c, id, roomId)
    const rooms = s(c).rooms.sessionRooms(id)
    if (!rooms.ok) return refused(c, rooms.error, 'seating.roster')
    const room = rooms.value.find((r) => r.id === roomId)
    if (!room) return fail(c, 'room.not_attached', { roomId })
    const plan = s(c).rooms.seatingPlan(id, [room])
    return c.json({
      sessionId: id, run: plan.run ? { ...plan.run, createdAt: iso(plan.run.createdAt) } : null,
      rooms: plan.rooms.map((p) => ({ ...p, room: roomJson(p.room) })),
    }, 200)
  })

  // ---------- staff (R4.3) ----------

  const assignmentJson = (c: Ctx, a: StaffAssignment) => {
    const u = s(c).accounts.get(a.userId)
    return { ...a, username: u?.username ?? null, displayName: u?.displayName ?? null, createdAt: iso(a.createdAt) }
  }

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/staff', access: OVERSEE, tags: ['staff'],
    summary: 'Staff assigned to the session and its rooms',
    request: { params: SessionParam },
    responses: { 200: json(z.object({ staff: z.array(AssignmentSchema) }), 'Staff'), ...errors(401, 403, 404) },
  }, (c) => {
    const r = s(c).rooms.staff(c.req.param('id')!)
    return r.ok ? c.json({ staff: r.value.map((a) => assignmentJson(c, a)) }, 200) : refused(c, r.error, 'staff.read')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/sessions/{id}/staff', access: MANAGE, tags: ['staff'],
    summary: 'Assign a person: invigilator or examiner to a room, supervisor to the session, site leader to a practical room or the session',
    request: { params: SessionParam, ...jsonBody(z.strictObject({ userId: Id, duty: z.enum(DUTY_NAMES as [string, ...string[]]), roomId: Id.nullable().optional() })) },
    responses: { 201: json(AssignmentSchema, 'Assigned'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const b = input<{ userId: string; duty: (typeof DUTY_NAMES)[number]; roomId?: string | null }>(c, 'json')
    const r = s(c).rooms.assignStaff(actor(c), id, { userId: b.userId, duty: b.duty, roomId: b.roomId ?? null })
    return r.ok ? c.json(assignmentJson(c, r.value), 201) : refused(c, r.error, 'staff.assign', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'delete', path: '/api/sessions/{id}/staff/{assignmentId}', access: MANAGE, tags: ['staff'],
    summary: 'Remove a staff assignment',
    request: { params: z.object({ id: Id, assignmentId: Id }) },
    responses: { 200: json(AssignmentSchema, 'Removed'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).rooms.unassignStaff(actor(c), id, c.req.param('assignmentId')!)
    return r.ok ? c.json(assignmentJson(c, r.value), 200) : refused(c, r.error, 'staff.unassign', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/staff/people', access: PEOPLE_READERS, tags: ['staff'],
    summary: 'Active accounts that can take a duty (invigilators, examiners, supervisors, site leaders), for assigning staff',
    responses: { 200: json(z.object({ people: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })) }), 'People'), ...errors(401, 403) },
  }, (c) => {
    const duties = new Set(Object.values(DUTIES).flatMap((d) => d.roles))
    const people = s(c).accounts.list().filter((u) => !u.disabled && u.roles.some((r) => duties.has(r)))
    return c.json({ people: people.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles })) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/me/assignments', access: 'authenticated', tags: ['staff'],
    summary: 'My own staff assignments (sessions and rooms)',
    responses: { 200: json(z.object({ assignments: z.array(AssignmentSchema) }), 'Assignments'), ...errors(401) },
  }, (c) => c.json({ assignments: s(c).rooms.staffOfUser(c.var.principal!.userId).map((a) => assignmentJson(c, a)) }, 200))

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/readiness', access: OVERSEE, tags: ['staff'],
    summary: 'Is the session ready to open: seated, staffed (two per room, R4.3), inspected without open defects (R6.1)',
    request: { params: SessionParam },
    responses: {
      200: json(z.object({
        sessionId: z.string(), ready: z.boolean(), issues: z.array(z.object({ code: z.string(), severity: z.enum(['blocker', 'warning']) }).loose()),
        rooms: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), seated: z.number(), staff: z.number(), inspectionComplete: z.boolean() })),
      }), 'Readiness'),
      ...errors(401, 403, 404),
    },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).rooms.readiness(id)
    return r.ok ? c.json({ sessionId: id, ...r.value }, 200) : refused(c, r.error, 'readiness.read')
  })

  // ---------- inspection (R6.1, R4.2, R6.5) ----------

  const inspectionJson = (v: { sessionId: string; room: Room; items: Array<{ updatedAt: number | null }>; complete: boolean; pending: string[]; openDefects: string[] }) =>
    ({ ...v, room: roomJson(v.room), items: v.items.map((i) => ({ ...i, updatedAt: i.updatedAt === null ? null : iso(i.updatedAt) })) })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/rooms/{roomId}/inspection', access: STAFFED, tags: ['inspection'],
    summary: "The room's pre-exam checklist: items by room kind, safety items where hazardous (R6.5)",
    request: { params: SessionRoomParam },
    responses: { 200: json(InspectionSchema, 'Checklist'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!, roomId = c.req.param('roomId')!
    if (!s(c).scope.canSeeRoom(viewerOf(c), id, roomId)) return notAssigned(c, id, roomId)
    const r = s(c).rooms.inspection(id, roomId)
    return r.ok ? c.json(inspectionJson(r.value), 200) : fail(c, r.error.code, r.error)
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/sessions/{id}/rooms/{roomId}/inspection/{item}', access: INSPECTORS, tags: ['inspection'],
    summary: 'Record one checklist item: ok, defect (what), or rectified (what was done, by whom)',
    request: {
      params: z.object({ id: Id, roomId: Id, item: z.string().min(1).max(40) }),
      ...jsonBody(z.strictObject({
        state: z.enum(['ok', 'defect', 'rectified']),
        defect: z.string().max(500).optional(), rectification: z.string().max(500).optional(), rectifiedBy: z.string().max(100).optional(),
      })),
    },
    responses: { 200: json(InspectionSchema, 'Checklist'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!, roomId = c.req.param('roomId')!, item = c.req.param('item')!
    if (!s(c).scope.canSeeRoom(viewerOf(c), id, roomId)) return notAssigned(c, id, roomId)
    const body = input<{ state: 'ok' | 'defect' | 'rectified'; defect?: string; rectification?: string; rectifiedBy?: string }>(c, 'json')
    const r = s(c).rooms.recordInspection(actor(c), id, roomId, { item, ...body })
    if (r.ok) return c.json(inspectionJson(r.value), 200)
    return r.error.code === 'session.not_found' || r.error.code === 'room.not_attached'
      ? fail(c, r.error.code, r.error)
      : refuse(c, r.error.code, 'inspection.record', { room: roomId, item }, { type: 'exam_session', id }, r.error)
  })
}

