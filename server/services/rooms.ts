import type { Database } from 'bun:sqlite'
import { randomBytes, randomUUID } from 'node:crypto'
import type { User } from '../domain/accounts/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import {
  type AssignCommand,
  type InspectionCommand,
  type InspectionError,
  type InspectionItemCode,
  type InspectionRecord,
  type ReadinessIssue,
  type Room,
  type RoomChange,
  type RoomError,
  type RoomInput,
  type Site,
  type StaffAssignment,
  type StaffError,
  INSPECTION_ITEMS,
  checklistFor,
  checklistState,
  decideAssignment,
  decideInspection,
  decideRoom,
  decideRoomChange,
  inspectionSummary,
  readiness,
} from '../domain/rooms/index.ts'
import { type SeatingError, assignSeats } from '../domain/seating/index.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { SessionInfo, SessionInfoReads } from '../db/read-models/session-info.ts'
import type { TicketStore } from '../db/ticket-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'

export type RoomsError =
  | RoomError
  | StaffError
  | InspectionError
  | SeatingError
  | { code: 'site.not_found'; id: string }
  | { code: 'site.name_taken'; name: string }
  | { code: 'site.invalid' }
  | { code: 'room.not_found'; id: string }
  | { code: 'room.already_attached'; roomId: string }
  | { code: 'room.not_attached'; roomId: string }
  | { code: 'room.other_site'; roomId: string; siteId: string }
  | { code: 'room.has_tickets'; roomId: string; tickets: number }
  | { code: 'session.not_found'; id: string }
  | { code: 'session.not_scheduled'; status: string }

/** The approved, paid candidates of a session (R3.3), as the lifecycle service answers them. */
export interface CandidateSource {
  paidCandidatesOfSession(examSessionId: string): Array<{ id: string; trainingUnit: string | null }>
  /** The names on a roster (null once erased); an unknown id is left out. */
  candidateNames(ids: readonly string[]): Map<string, string | null>
}

export interface SeatingCommand {
  seed?: string
  keepTicketed?: boolean
}
export interface SeatingSummary {
  runId: string
  seed: string
  keepTicketed: boolean
  candidates: number
  rooms: number
  /** Candidates whose room or seat differs from before the run (a new candidate counts as moved). */
  moved: number
  /** Live tickets whose seat the run changed, or whose holder is no longer eligible: revoked with the run. */
  ticketsRevoked: string[]
  nonstandardRoomIds: string[]
}

export interface PlanRoom {
  room: Room
  /** R4.1: a non-standard room is flagged wherever its plan is shown. */
  nonstandard: boolean
  seats: Array<{ seat: number; candidateId: string; name: string | null; ticketNumber: string | null }>
}

export interface InspectionView {
  sessionId: string
  room: Room
  items: Array<InspectionRecord & { zh: string; en: string; rule: string }>
  complete: boolean
  pending: InspectionItemCode[]
  openDefects: InspectionItemCode[]
}

const REVOKED_BY_SEATING = 'seating changed (重新编排座位)'
const REVOKED_NOT_ELIGIBLE = 'no longer approved and paid (不再符合参考条件)'

/** Sites, rooms, seating, staff and inspections; every change commits with its custody event. */
export class Rooms {
  constructor(
    private readonly db: Database,
    private readonly store: RoomsStore,
    /** The session with its batch, subject and occupation names (a read model). */
    private readonly sessionInfo: SessionInfoReads,
    private readonly tickets: TicketStore,
    private readonly users: { get(id: string): User | null },
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** The lifecycle: who sits the session (a retake candidate only their failed subjects, R7.3). */
    private readonly candidates: CandidateSource,
  ) {}

  // ---------- sites and rooms ----------

  sites(): Site[] {
    return this.store.sites()
  }
  rooms(): Room[] {
    return this.store.rooms()
  }
  room(id: string): Room | null {
    return this.store.room(id)
  }
  session(id: string): SessionInfo | null {
    return this.sessionInfo.session(id)
  }
  sessions(): SessionInfo[] {
    return this.sessionInfo.sessions()
  }

  createSite(actor: Actor, input: { name: string; address: string }): Result<Site, RoomsError> {
    return this.db
      .transaction((): Result<Site, RoomsError> => {
        const name = input.name.trim(),
          address = input.address.trim()
        if (!name || !address) return refuse({ code: 'site.invalid' })
        if (this.store.siteNameTaken(name)) return refuse({ code: 'site.name_taken', name })
        const site: Site = { id: randomUUID(), name, address, createdAt: this.clock() }
        this.store.insertSite(site)
        this.log.append({ actor, action: 'site.created', subject: { type: 'site', id: site.id }, where: { site: site.id }, data: { name } })
        return ok(site)
      })
      .immediate()
  }

  createRoom(actor: Actor, siteId: string, input: RoomInput): Result<Room, RoomsError> {
    return this.db
      .transaction((): Result<Room, RoomsError> => {
        if (!this.store.site(siteId)) return refuse({ code: 'site.not_found', id: siteId })
        const decided = decideRoom(input, { nameTaken: this.store.roomNameTaken(siteId, input.name.trim()) }, { id: randomUUID(), siteId }, this.clock())
        if (!decided.ok) return decided
        const room = decided.value
        this.store.insertRoom(room)
        this.log.append({ actor, action: 'room.created', subject: { type: 'room', id: room.id }, where: { site: siteId, room: room.id }, data: roomData(room) })
        return ok(room)
      })
      .immediate()
  }

  updateRoom(actor: Actor, id: string, change: RoomChange): Result<Room, RoomsError> {
    return this.db
      .transaction((): Result<Room, RoomsError> => {
        const room = this.store.room(id)
        if (!room) return refuse({ code: 'room.not_found', id })
        const nameTaken = change.name !== undefined && this.store.roomNameTaken(room.siteId, change.name.trim())
        const decided = decideRoomChange(room, change, { nameTaken, highestSeatInUse: this.store.highestSeatInUse(id) })
        if (!decided.ok) return decided
        this.store.updateRoom(decided.value)
        this.log.append({ actor, action: 'room.updated', subject: { type: 'room', id }, where: { site: room.siteId, room: id }, data: roomData(decided.value) })
        return ok(decided.value)
      })
      .immediate()
  }

  /** The rooms attached to a session (none for an unknown session). */
  attachedRooms(sessionId: string): Room[] {
    return this.store.sessionRooms(sessionId)
  }

  sessionRooms(sessionId: string): Result<Room[], RoomsError> {
    if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
    return ok(this.store.sessionRooms(sessionId))
  }

  /** Attaches a room to a session. All rooms of a session are at one site (the session's, when it names one). */
  attachRoom(actor: Actor, sessionId: string, roomId: string): Result<Room, RoomsError> {
    return this.db
      .transaction((): Result<Room, RoomsError> => {
        const session = this.sessionInfo.session(sessionId)
        if (!session) return refuse({ code: 'session.not_found', id: sessionId })
        const room = this.store.room(roomId)
        if (!room) return refuse({ code: 'room.not_found', id: roomId })
        if (this.store.isAttached(sessionId, roomId)) return refuse({ code: 'room.already_attached', roomId })
        const siteId = session.siteId ?? this.store.sessionRooms(sessionId)[0]?.siteId ?? room.siteId
        if (room.siteId !== siteId) return refuse({ code: 'room.other_site', roomId, siteId })
        this.store.attach(sessionId, roomId)
        this.log.append({
          actor,
          action: 'session.room_attached',
          subject: { type: 'exam_session', id: sessionId },
          where: { site: room.siteId, room: roomId },
          data: { room: roomId, kind: room.kind, capacity: room.capacity },
        })
        return ok(room)
      })
      .immediate()
  }

  /**
   * Detaches a room. Refused while live tickets name it (revoke or re-seat first); seats without
   * tickets are cleared with it, and readiness then reports the candidates as unseated.
   */
  detachRoom(actor: Actor, sessionId: string, roomId: string): Result<{ seatsCleared: number }, RoomsError> {
    return this.db
      .transaction((): Result<{ seatsCleared: number }, RoomsError> => {
        if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
        const room = this.store.room(roomId)
        if (!room || !this.store.isAttached(sessionId, roomId)) return refuse({ code: 'room.not_attached', roomId })
        const ticketed = this.tickets.liveOfSession(sessionId).filter((t) => t.roomId === roomId).length
        if (ticketed > 0) return refuse({ code: 'room.has_tickets', roomId, tickets: ticketed })
        const seatsCleared = this.store.clearRoomSeats(sessionId, roomId)
        this.store.detach(sessionId, roomId)
        this.log.append({
          actor,
          action: 'session.room_detached',
          subject: { type: 'exam_session', id: sessionId },
          where: { site: room.siteId, room: roomId },
          data: { room: roomId, seatsCleared },
        })
        return ok({ seatsCleared })
      })
      .immediate()
  }

  // ---------- seating (R4.1) ----------

  /**
   * Seats every approved, paid candidate of the session into its rooms by a seeded, replayable draw.
   * With keepTicketed (the default) ticket holders keep their printed seats; otherwise, and for holders
   * no longer eligible, tickets whose seat is gone are revoked in the same transaction. One event for
   * the run (counts and seed), plus one per revoked ticket.
   */
  seat(actor: Actor, sessionId: string, cmd: SeatingCommand): Result<SeatingSummary, RoomsError> {
    const seed = cmd.seed ?? randomBytes(12).toString('hex')
    const keepTicketed = cmd.keepTicketed ?? true
    return this.db
      .transaction((): Result<SeatingSummary, RoomsError> => {
        const session = this.sessionInfo.session(sessionId)
        if (!session) return refuse({ code: 'session.not_found', id: sessionId })
        if (session.status !== 'scheduled') return refuse({ code: 'session.not_scheduled', status: session.status })
        const rooms = this.store.sessionRooms(sessionId)
        const eligible = this.candidates.paidCandidatesOfSession(sessionId)
        const live = new Map(this.tickets.liveOfSession(sessionId).map((t) => [t.candidateId, t]))
        const plan = assignSeats({
          rooms: rooms.map((r) => ({ id: r.id, capacity: r.capacity, kind: r.kind })),
          candidates: eligible.map((c) => {
            const t = live.get(c.id)
            return { id: c.id, trainingUnit: c.trainingUnit, ...(t ? { ticketed: { roomId: t.roomId, seat: t.seat } } : {}) }
          }),
          seed,
          options: { keepTicketed },
        })
        if (!plan.ok) return plan
        const now = this.clock()
        const before = new Map(this.store.seats(sessionId).map((s) => [s.candidate_id, `${s.room_id}#${s.seat}`]))
        const after = new Map(plan.value.assignments.map((a) => [a.candidateId, `${a.roomId}#${a.seat}`]))
        let moved = 0
        for (const [id, place] of after) if (before.get(id) !== place) moved++

        const runId = randomUUID()
        this.store.replaceSeats({ id: runId, exam_session_id: sessionId, seed, keep_ticketed: keepTicketed ? 1 : 0, created_at: now }, plan.value.assignments)

        // A live ticket must name the seat its holder has (R3.4); a ticket whose seat moved or whose
        // holder lost eligibility is revoked, so no two people hold a ticket for one seat.
        const ticketsRevoked: string[] = []
        for (const t of live.values()) {
          const place = after.get(t.candidateId)
          if (place === `${t.roomId}#${t.seat}`) continue
          const reason = place === undefined ? REVOKED_NOT_ELIGIBLE : REVOKED_BY_SEATING
          this.tickets.revoke(t.number, now, reason)
          ticketsRevoked.push(t.number)
          this.log.append({
            actor,
            action: 'ticket.revoked',
            subject: { type: 'ticket', id: t.number },
            where: place_(session.siteId, t.roomId),
            data: { candidate: t.candidateId, session: sessionId, reason, seatingRun: runId },
          })
        }
        const summary: SeatingSummary = {
          runId,
          seed,
          keepTicketed,
          candidates: plan.value.assignments.length,
          rooms: rooms.length,
          moved,
          ticketsRevoked,
          nonstandardRoomIds: plan.value.nonstandardRoomIds,
        }
        this.log.append({
          actor,
          action: 'seating.assigned',
          subject: { type: 'exam_session', id: sessionId },
          data: {
            run: runId,
            seed,
            keepTicketed,
            candidates: summary.candidates,
            rooms: summary.rooms,
            moved,
            ticketsRevoked: ticketsRevoked.length,
            nonstandardRooms: summary.nonstandardRoomIds,
          },
        })
        return ok(summary)
      })
      .immediate()
  }

  /** The seating plan of the given rooms (already filtered to what the viewer may see). */
  seatingPlan(
    sessionId: string,
    rooms: readonly Room[],
  ): { run: { id: string; seed: string; keepTicketed: boolean; createdAt: number } | null; rooms: PlanRoom[] } {
    const run = this.store.lastRun(sessionId)
    const byRoom = new Map<string, PlanRoom['seats']>()
    const seats = this.store.seats(sessionId)
    const names = this.candidates.candidateNames(seats.map((r) => r.candidate_id))
    const tickets = new Map(this.tickets.liveOfSession(sessionId).map((t) => [t.candidateId, t.number]))
    for (const r of seats) {
      if (!names.has(r.candidate_id)) continue
      let list = byRoom.get(r.room_id)
      if (!list) byRoom.set(r.room_id, (list = []))
      list.push({ seat: r.seat, candidateId: r.candidate_id, name: names.get(r.candidate_id) ?? null, ticketNumber: tickets.get(r.candidate_id) ?? null })
    }
    return {
      run: run ? { id: run.id, seed: run.seed, keepTicketed: run.keep_ticketed === 1, createdAt: run.created_at } : null,
      rooms: rooms.map((room) => ({ room, nonstandard: room.kind === 'nonstandard', seats: byRoom.get(room.id) ?? [] })),
    }
  }

  // ---------- staff (R4.3) ----------

  staff(sessionId: string): Result<StaffAssignment[], RoomsError> {
    if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
    return ok(this.store.staff(sessionId))
  }
  staffOfUser(userId: string): StaffAssignment[] {
    return this.store.staffOfUser(userId)
  }

  assignStaff(actor: Actor, sessionId: string, cmd: AssignCommand): Result<StaffAssignment, RoomsError> {
    return this.db
      .transaction((): Result<StaffAssignment, RoomsError> => {
        const session = this.sessionInfo.session(sessionId)
        if (!session) return refuse({ code: 'session.not_found', id: sessionId })
        const user = this.users.get(cmd.userId)
        const room = cmd.roomId !== null && this.store.isAttached(sessionId, cmd.roomId) ? this.store.room(cmd.roomId) : null
        const decided = decideAssignment(
          cmd,
          {
            user: user ? { id: user.id, roles: user.roles, disabled: user.disabled } : null,
            room: room ? { id: room.id, kind: room.kind } : null,
            existing: this.store.staff(sessionId),
          },
          { id: randomUUID(), examSessionId: sessionId },
          this.clock(),
        )
        if (!decided.ok) return decided
        const a = decided.value
        this.store.insertStaff(a)
        this.log.append({
          actor,
          action: 'staff.assigned',
          subject: { type: 'exam_session', id: sessionId },
          where: place_(session.siteId ?? room?.siteId ?? null, a.roomId),
          data: { assignment: a.id, user: a.userId, username: user!.username, duty: a.duty, room: a.roomId },
        })
        return ok(a)
      })
      .immediate()
  }

  unassignStaff(actor: Actor, sessionId: string, assignmentId: string): Result<StaffAssignment, RoomsError> {
    return this.db
      .transaction((): Result<StaffAssignment, RoomsError> => {
        const a = this.store.staffAssignment(assignmentId)
        if (!a || a.examSessionId !== sessionId) return refuse({ code: 'staff.not_found', id: assignmentId })
        this.store.deleteStaff(assignmentId)
        this.log.append({
          actor,
          action: 'staff.unassigned',
          subject: { type: 'exam_session', id: sessionId },
          where: place_(null, a.roomId),
          data: { assignment: a.id, user: a.userId, duty: a.duty, room: a.roomId },
        })
        return ok(a)
      })
      .immediate()
  }

  // ---------- inspection (R6.1, R4.2, R6.5) ----------

  inspection(sessionId: string, roomId: string): Result<InspectionView, RoomsError> {
    const session = this.sessionInfo.session(sessionId)
    if (!session) return refuse({ code: 'session.not_found', id: sessionId })
    const room = this.store.room(roomId)
    if (!room || !this.store.isAttached(sessionId, roomId)) return refuse({ code: 'room.not_attached', roomId })
    const records = checklistState(checklistFor(room, hazardousPractical(session)), this.store.inspection(sessionId, roomId))
    return ok({ sessionId, room, items: records.map((r) => ({ ...r, ...INSPECTION_ITEMS[r.item] })), ...inspectionSummary(records) })
  }

  recordInspection(actor: Actor, sessionId: string, roomId: string, cmd: InspectionCommand): Result<InspectionView, RoomsError> {
    return this.db
      .transaction((): Result<InspectionView, RoomsError> => {
        const session = this.sessionInfo.session(sessionId)
        if (!session) return refuse({ code: 'session.not_found', id: sessionId })
        const room = this.store.room(roomId)
        if (!room || !this.store.isAttached(sessionId, roomId)) return refuse({ code: 'room.not_attached', roomId })
        const checklist = checklistFor(room, hazardousPractical(session))
        const current = this.store.inspection(sessionId, roomId).find((r) => r.item === cmd.item) ?? null
        const decided = decideInspection(cmd, checklist, current, 'user' in actor ? actor.user : null, this.clock())
        if (!decided.ok) return decided
        this.store.saveInspection(randomUUID(), sessionId, roomId, decided.value)
        // The defect and rectification texts stay in the record; the log says what moved and who said so.
        this.log.append({
          actor,
          action: 'inspection.recorded',
          subject: { type: 'exam_session', id: sessionId },
          where: { site: room.siteId, room: roomId },
          data: { item: decided.value.item, from: current?.state ?? 'pending', state: decided.value.state },
        })
        return this.inspection(sessionId, roomId)
      })
      .immediate()
  }

  // ---------- readiness ----------

  readiness(sessionId: string): Result<
    {
      ready: boolean
      issues: ReadinessIssue[]
      rooms: Array<{ id: string; name: string; kind: string; seated: number; staff: number; inspectionComplete: boolean }>
    },
    RoomsError
  > {
    const session = this.sessionInfo.session(sessionId)
    if (!session) return refuse({ code: 'session.not_found', id: sessionId })
    const rooms = this.store.sessionRooms(sessionId)
    const seats = this.store.seats(sessionId)
    const eligible = new Set(this.candidates.paidCandidatesOfSession(sessionId).map((c) => c.id))
    const staff = this.store.staff(sessionId)
    const perRoom = rooms.map((room) => {
      const records = checklistState(checklistFor(room, hazardousPractical(session)), this.store.inspection(sessionId, room.id))
      const sum = inspectionSummary(records)
      return {
        room,
        seated: seats.filter((s) => s.room_id === room.id).length,
        staff: staff.filter((a) => a.roomId === room.id),
        inspection: sum,
      }
    })
    const r = readiness({
      candidates: eligible.size,
      seatingRun: this.store.lastRun(sessionId) !== null,
      seated: seats.filter((s) => eligible.has(s.candidate_id)).length,
      rooms: perRoom.map((p) => ({ id: p.room.id, kind: p.room.kind, seated: p.seated, staff: p.staff, inspection: p.inspection })),
      sessionStaff: staff.filter((a) => a.roomId === null),
    })
    return ok({
      ...r,
      rooms: perRoom.map((p) => ({
        id: p.room.id,
        name: p.room.name,
        kind: p.room.kind,
        seated: p.seated,
        staff: p.staff.length,
        inspectionComplete: p.inspection.complete,
      })),
    })
  }
}

const roomData = (r: Room) => ({
  name: r.name,
  kind: r.kind,
  capacity: r.capacity,
  singleDesks: r.singleDesks,
  layout: r.layout,
  equipment: r.equipment,
  hazardous: r.hazardous,
})

/** R6.5: a practical exam of a hazardous occupation. */
const hazardousPractical = (s: SessionInfo): boolean => s.hazardous && s.subjectKind === 'practical'

/** An event's where, without empty fields (canonical bytes have no undefined). */
const place_ = (site: string | null, room: string | null): { site?: string; room?: string } | null =>
  site === null && room === null ? null : { ...(site !== null ? { site } : {}), ...(room !== null ? { room } : {}) }
