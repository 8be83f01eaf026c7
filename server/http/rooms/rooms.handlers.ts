import { DUTIES, type Room, type StaffAssignment } from '../../domain/rooms/index.ts'
import { actorOf } from '../../services/index.ts'
import type { RoomsError } from '../../services/rooms.ts'
import type { Viewer } from '../../services/scope.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import type * as routes from './rooms.routes.ts'

const iso = (ms: number) => new Date(ms).toISOString()

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

const s = (c: Ctx) => c.var.services

const assignmentJson = (c: Ctx, a: StaffAssignment) => {
  const u = s(c).accounts.get(a.userId)
  return { ...a, username: u?.username ?? null, displayName: u?.displayName ?? null, createdAt: iso(a.createdAt) }
}

const inspectionJson = (v: {
  sessionId: string
  room: Room
  items: Array<{ updatedAt: number | null }>
  complete: boolean
  pending: string[]
  openDefects: string[]
}) => ({ ...v, room: roomJson(v.room), items: v.items.map((i) => ({ ...i, updatedAt: i.updatedAt === null ? null : iso(i.updatedAt) })) })

export const listSites: AppRouteHandler<typeof routes.listSites> = (c) => {
  const rooms = s(c).rooms.rooms()
  return c.json(
    {
      sites: s(c)
        .rooms.sites()
        .map((site) => ({ ...site, createdAt: iso(site.createdAt), rooms: rooms.filter((r) => r.siteId === site.id).map(roomJson) })),
    },
    200,
  )
}

export const createSite: AppRouteHandler<typeof routes.createSite> = (c) => {
  const r = s(c).rooms.createSite(actor(c), c.req.valid('json'))
  return r.ok ? c.json({ ...r.value, createdAt: iso(r.value.createdAt), rooms: [] }, 201) : refused(c, r.error, 'site.create')
}

export const createRoom: AppRouteHandler<typeof routes.createRoom> = (c) => {
  const r = s(c).rooms.createRoom(actor(c), c.req.param('id')!, c.req.valid('json'))
  return r.ok ? c.json(roomJson(r.value), 201) : refused(c, r.error, 'room.create')
}

export const updateRoom: AppRouteHandler<typeof routes.updateRoom> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).rooms.updateRoom(actor(c), id, c.req.valid('json'))
  return r.ok ? c.json(roomJson(r.value), 200) : refused(c, r.error, 'room.update', { type: 'room', id })
}

export const preparation: AppRouteHandler<typeof routes.preparation> = (c) => {
  const v = viewerOf(c)
  const scope = s(c).scope.roomsOf(v)
  const sessions = s(c)
    .rooms.sessions()
    .filter((x) => scope.all || scope.rooms.some((a) => a.sessionId === x.id))
  return c.json(
    {
      sessions: sessions.map((x) => ({
        id: x.id,
        batchId: x.batchId,
        batchTitle: x.batchTitle,
        subjectName: x.subjectName,
        subjectKind: x.subjectKind,
        occupationName: x.occupationName,
        level: x.level,
        hazardous: x.hazardous,
        startsAt: iso(x.startsAt),
        endsAt: iso(x.endsAt),
        status: x.status,
        rooms: s(c).scope.visibleRooms(v, x.id, s(c).rooms.attachedRooms(x.id)).length,
        duties: scope.all ? null : scope.rooms.filter((a) => a.sessionId === x.id).map((a) => ({ roomId: a.roomId, duty: a.duty })),
      })),
    },
    200,
  )
}

export const sessionRooms: AppRouteHandler<typeof routes.sessionRooms> = (c) => {
  const id = c.req.param('id')!
  const v = viewerOf(c)
  if (!s(c).scope.canSeeSession(v, id)) return notAssigned(c, id)
  const r = s(c).rooms.sessionRooms(id)
  return r.ok ? c.json({ rooms: s(c).scope.visibleRooms(v, id, r.value).map(roomJson) }, 200) : refused(c, r.error, 'session.rooms')
}

export const addRoom: AppRouteHandler<typeof routes.addRoom> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).rooms.attachRoom(actor(c), id, c.req.param('roomId')!)
  return r.ok ? c.json(roomJson(r.value), 200) : refused(c, r.error, 'session.room_attach', { type: 'exam_session', id })
}

export const removeRoom: AppRouteHandler<typeof routes.removeRoom> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).rooms.detachRoom(actor(c), id, c.req.param('roomId')!)
  return r.ok ? c.json(r.value, 200) : refused(c, r.error, 'session.room_detach', { type: 'exam_session', id })
}

export const seat: AppRouteHandler<typeof routes.seat> = async (c) => {
  const id = c.req.param('id')!
  // The body is optional: an empty POST seats with a fresh seed.
  const body = c.req.valid('json') ?? {}
  const r = s(c).rooms.seat(actor(c), id, body)
  return r.ok ? c.json(r.value, 200) : refused(c, r.error, 'seating.assign', { type: 'exam_session', id })
}

export const seating: AppRouteHandler<typeof routes.seating> = (c) => {
  const id = c.req.param('id')!
  const v = viewerOf(c)
  if (!s(c).scope.canSeeSession(v, id)) return notAssigned(c, id)
  const rooms = s(c).rooms.sessionRooms(id)
  if (!rooms.ok) return refused(c, rooms.error, 'seating.read')
  const plan = s(c).rooms.seatingPlan(id, s(c).scope.visibleRooms(v, id, rooms.value))
  return c.json(
    {
      sessionId: id,
      run: plan.run ? { ...plan.run, createdAt: iso(plan.run.createdAt) } : null,
      rooms: plan.rooms.map((p) => ({ ...p, room: roomJson(p.room) })),
    },
    200,
  )
}

export const roster: AppRouteHandler<typeof routes.roster> = (c) => {
  const id = c.req.param('id')!,
    roomId = c.req.param('roomId')!
  if (!s(c).scope.canSeeRoom(viewerOf(c), id, roomId)) return notAssigned(c, id, roomId)
  const rooms = s(c).rooms.sessionRooms(id)
  if (!rooms.ok) return refused(c, rooms.error, 'seating.roster')
  const room = rooms.value.find((r) => r.id === roomId)
  if (!room) return fail(c, 'room.not_attached', { roomId })
  const plan = s(c).rooms.seatingPlan(id, [room])
  return c.json(
    {
      sessionId: id,
      run: plan.run ? { ...plan.run, createdAt: iso(plan.run.createdAt) } : null,
      rooms: plan.rooms.map((p) => ({ ...p, room: roomJson(p.room) })),
    },
    200,
  )
}

export const staff: AppRouteHandler<typeof routes.staff> = (c) => {
  const r = s(c).rooms.staff(c.req.param('id')!)
  return r.ok ? c.json({ staff: r.value.map((a) => assignmentJson(c, a)) }, 200) : refused(c, r.error, 'staff.read')
}

export const assignStaff: AppRouteHandler<typeof routes.assignStaff> = (c) => {
  const id = c.req.param('id')!
  const b = c.req.valid('json')
  const r = s(c).rooms.assignStaff(actor(c), id, { userId: b.userId, duty: b.duty, roomId: b.roomId ?? null })
  return r.ok ? c.json(assignmentJson(c, r.value), 201) : refused(c, r.error, 'staff.assign', { type: 'exam_session', id })
}

export const unassignStaff: AppRouteHandler<typeof routes.unassignStaff> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).rooms.unassignStaff(actor(c), id, c.req.param('assignmentId')!)
  return r.ok ? c.json(assignmentJson(c, r.value), 200) : refused(c, r.error, 'staff.unassign', { type: 'exam_session', id })
}

export const people: AppRouteHandler<typeof routes.people> = (c) => {
  const duties = new Set(Object.values(DUTIES).flatMap((d) => d.roles))
  const people = s(c)
    .accounts.list()
    .filter((u) => !u.disabled && u.roles.some((r) => duties.has(r)))
  return c.json({ people: people.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles })) }, 200)
}

export const myAssignments: AppRouteHandler<typeof routes.myAssignments> = (c) =>
  c.json(
    {
      assignments: s(c)
        .rooms.staffOfUser(c.var.principal!.userId)
        .map((a) => assignmentJson(c, a)),
    },
    200,
  )

export const readiness: AppRouteHandler<typeof routes.readiness> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).rooms.readiness(id)
  return r.ok ? c.json({ sessionId: id, ...r.value }, 200) : refused(c, r.error, 'readiness.read')
}

export const inspection: AppRouteHandler<typeof routes.inspection> = (c) => {
  const id = c.req.param('id')!,
    roomId = c.req.param('roomId')!
  if (!s(c).scope.canSeeRoom(viewerOf(c), id, roomId)) return notAssigned(c, id, roomId)
  const r = s(c).rooms.inspection(id, roomId)
  return r.ok ? c.json(inspectionJson(r.value), 200) : fail(c, r.error.code, r.error)
}

export const recordInspection: AppRouteHandler<typeof routes.recordInspection> = (c) => {
  const id = c.req.param('id')!,
    roomId = c.req.param('roomId')!,
    item = c.req.param('item')!
  if (!s(c).scope.canSeeRoom(viewerOf(c), id, roomId)) return notAssigned(c, id, roomId)
  const body = c.req.valid('json')
  const r = s(c).rooms.recordInspection(actor(c), id, roomId, { item, ...body })
  if (r.ok) return c.json(inspectionJson(r.value), 200)
  return r.error.code === 'session.not_found' || r.error.code === 'room.not_attached'
    ? fail(c, r.error.code, r.error)
    : refuse(c, r.error.code, 'inspection.record', { room: roomId, item }, { type: 'exam_session', id }, r.error)
}
