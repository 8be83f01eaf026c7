import type { Database } from 'bun:sqlite'
import type { Duty, InspectionItemCode, InspectionRecord, InspectionState, Room, RoomKind, Site, StaffAssignment } from '../domain/rooms/index.ts'

interface RoomRow {
  id: string
  site_id: string
  name: string
  kind: string
  capacity: number
  single_desks: number
  layout: string
  equipment: string
  hazardous: number
  created_at: number
}
interface StaffRow {
  id: string
  exam_session_id: string
  room_id: string | null
  user_id: string
  duty: string
  created_at: number
}
interface InspectionRow {
  item: string
  state: string
  defect: string | null
  rectification: string | null
  rectified_by: string | null
  recorded_by: string | null
  updated_at: number
}
export interface SeatRow {
  candidate_id: string
  room_id: string
  seat: number
}
export interface SeatingRunRow {
  id: string
  exam_session_id: string
  seed: string
  keep_ticketed: number
  created_at: number
}

const toRoom = (r: RoomRow): Room => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  kind: r.kind as RoomKind,
  capacity: r.capacity,
  singleDesks: r.single_desks === 1,
  layout: r.layout,
  equipment: JSON.parse(r.equipment) as string[],
  hazardous: r.hazardous === 1,
  createdAt: r.created_at,
})
const toStaff = (r: StaffRow): StaffAssignment => ({
  id: r.id,
  examSessionId: r.exam_session_id,
  roomId: r.room_id,
  userId: r.user_id,
  duty: r.duty as Duty,
  createdAt: r.created_at,
})
const toInspection = (r: InspectionRow): InspectionRecord => ({
  item: r.item as InspectionItemCode,
  state: r.state as InspectionState,
  defect: r.defect,
  rectification: r.rectification,
  rectifiedBy: r.rectified_by,
  recordedBy: r.recorded_by,
  updatedAt: r.updated_at,
})
/** SQL for sites, rooms, the rooms of a session, seating, staff assignments and inspections. No rules here. */
export class RoomsStore {
  private readonly q

  constructor(db: Database) {
    this.q = {
      sites: db.query<Site & { created_at: number }, []>('SELECT id, name, address, created_at AS createdAt FROM sites ORDER BY name, id'),
      site: db.query<Site, [string]>('SELECT id, name, address, created_at AS createdAt FROM sites WHERE id = ?'),
      insertSite: db.query<unknown, [string, string, string, number]>('INSERT INTO sites (id, name, address, created_at) VALUES (?, ?, ?, ?)'),
      siteNamed: db.query<{ id: string }, [string]>('SELECT id FROM sites WHERE name = ?'),
      rooms: db.query<RoomRow, []>('SELECT * FROM rooms ORDER BY site_id, name'),
      room: db.query<RoomRow, [string]>('SELECT * FROM rooms WHERE id = ?'),
      roomNamed: db.query<{ id: string }, [string, string]>('SELECT id FROM rooms WHERE site_id = ? AND name = ?'),
      insertRoom: db.query<unknown, [string, string, string, string, number, number, string, string, number, number]>(
        'INSERT INTO rooms (id, site_id, name, kind, capacity, single_desks, layout, equipment, hazardous, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateRoom: db.query<unknown, [string, string, number, number, string, string, number, string]>(
        'UPDATE rooms SET name = ?, kind = ?, capacity = ?, single_desks = ?, layout = ?, equipment = ?, hazardous = ? WHERE id = ?',
      ),
      highestSeat: db.query<{ n: number | null }, [string]>('SELECT max(seat) AS n FROM seats WHERE room_id = ?'),
      sessionRooms: db.query<RoomRow, [string]>(`SELECT r.* FROM session_rooms sr JOIN rooms r ON r.id = sr.room_id
        WHERE sr.exam_session_id = ? ORDER BY r.name, r.id`),
      attached: db.query<{ n: number }, [string, string]>('SELECT count(*) AS n FROM session_rooms WHERE exam_session_id = ? AND room_id = ?'),
      attach: db.query<unknown, [string, string]>('INSERT INTO session_rooms (exam_session_id, room_id) VALUES (?, ?)'),
      detach: db.query<unknown, [string, string]>('DELETE FROM session_rooms WHERE exam_session_id = ? AND room_id = ?'),
      seatsInRoom: db.query<{ n: number }, [string, string]>('SELECT count(*) AS n FROM seats WHERE exam_session_id = ? AND room_id = ?'),
      seats: db.query<SeatRow, [string]>('SELECT candidate_id, room_id, seat FROM seats WHERE exam_session_id = ? ORDER BY room_id, seat'),
      seatOf: db.query<SeatRow, [string, string]>('SELECT candidate_id, room_id, seat FROM seats WHERE exam_session_id = ? AND candidate_id = ?'),
      clearSeats: db.query<unknown, [string]>('DELETE FROM seats WHERE exam_session_id = ?'),
      clearRoomSeats: db.query<unknown, [string, string]>('DELETE FROM seats WHERE exam_session_id = ? AND room_id = ?'),
      insertSeat: db.query<unknown, [string, string, string, number, string]>(
        'INSERT INTO seats (exam_session_id, candidate_id, room_id, seat, seating_run_id) VALUES (?, ?, ?, ?, ?)',
      ),
      insertRun: db.query<unknown, [string, string, string, number, number]>(
        'INSERT INTO seating_runs (id, exam_session_id, seed, keep_ticketed, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      lastRun: db.query<SeatingRunRow, [string]>('SELECT * FROM seating_runs WHERE exam_session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1'),
      staff: db.query<StaffRow, [string]>('SELECT * FROM staff_assignments WHERE exam_session_id = ? ORDER BY created_at, rowid'),
      staffOne: db.query<StaffRow, [string]>('SELECT * FROM staff_assignments WHERE id = ?'),
      staffOfUser: db.query<StaffRow, [string]>('SELECT * FROM staff_assignments WHERE user_id = ? ORDER BY exam_session_id, created_at, rowid'),
      staffOfUserInSession: db.query<StaffRow, [string, string]>('SELECT * FROM staff_assignments WHERE user_id = ? AND exam_session_id = ?'),
      insertStaff: db.query<unknown, [string, string, string | null, string, string, number]>(
        'INSERT INTO staff_assignments (id, exam_session_id, room_id, user_id, duty, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteStaff: db.query<unknown, [string]>('DELETE FROM staff_assignments WHERE id = ?'),
      inspection: db.query<InspectionRow, [string, string]>(`SELECT item, state, defect, rectification, rectified_by, recorded_by, updated_at
        FROM inspection_items WHERE exam_session_id = ? AND room_id = ?`),
      upsertInspection: db.query<unknown, [string, string, string, string, string, string | null, string | null, string | null, string | null, number]>(
        `INSERT INTO inspection_items (id, exam_session_id, room_id, item, state, defect, rectification, rectified_by, recorded_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (exam_session_id, room_id, item) DO UPDATE SET state = excluded.state, defect = excluded.defect,
           rectification = excluded.rectification, rectified_by = excluded.rectified_by, recorded_by = excluded.recorded_by, updated_at = excluded.updated_at`,
      ),
    }
  }

  sites(): Site[] {
    return this.q.sites.all().map(({ id, name, address, createdAt }) => ({ id, name, address, createdAt }))
  }
  site(id: string): Site | null {
    return this.q.site.get(id) ?? null
  }
  siteNameTaken(name: string): boolean {
    return this.q.siteNamed.get(name) !== null
  }
  insertSite(s: Site): void {
    this.q.insertSite.run(s.id, s.name, s.address, s.createdAt)
  }

  rooms(): Room[] {
    return this.q.rooms.all().map(toRoom)
  }
  room(id: string): Room | null {
    const r = this.q.room.get(id)
    return r ? toRoom(r) : null
  }
  roomNameTaken(siteId: string, name: string): boolean {
    return this.q.roomNamed.get(siteId, name) !== null
  }
  insertRoom(r: Room): void {
    this.q.insertRoom.run(
      r.id,
      r.siteId,
      r.name,
      r.kind,
      r.capacity,
      r.singleDesks ? 1 : 0,
      r.layout,
      JSON.stringify(r.equipment),
      r.hazardous ? 1 : 0,
      r.createdAt,
    )
  }
  updateRoom(r: Room): void {
    this.q.updateRoom.run(r.name, r.kind, r.capacity, r.singleDesks ? 1 : 0, r.layout, JSON.stringify(r.equipment), r.hazardous ? 1 : 0, r.id)
  }
  highestSeatInUse(roomId: string): number {
    return this.q.highestSeat.get(roomId)?.n ?? 0
  }

  sessionRooms(sessionId: string): Room[] {
    return this.q.sessionRooms.all(sessionId).map(toRoom)
  }
  isAttached(sessionId: string, roomId: string): boolean {
    return (this.q.attached.get(sessionId, roomId)?.n ?? 0) > 0
  }
  attach(sessionId: string, roomId: string): void {
    this.q.attach.run(sessionId, roomId)
  }
  detach(sessionId: string, roomId: string): void {
    this.q.detach.run(sessionId, roomId)
  }
  seatsInRoom(sessionId: string, roomId: string): number {
    return this.q.seatsInRoom.get(sessionId, roomId)?.n ?? 0
  }

  seats(sessionId: string): SeatRow[] {
    return this.q.seats.all(sessionId)
  }
  seatOf(sessionId: string, candidateId: string): SeatRow | null {
    return this.q.seatOf.get(sessionId, candidateId) ?? null
  }
  lastRun(sessionId: string): SeatingRunRow | null {
    return this.q.lastRun.get(sessionId) ?? null
  }

  /** Replaces the session's seating plan with one run's assignments (inside the caller's transaction). */
  replaceSeats(run: SeatingRunRow, seats: ReadonlyArray<{ candidateId: string; roomId: string; seat: number }>): void {
    this.q.insertRun.run(run.id, run.exam_session_id, run.seed, run.keep_ticketed, run.created_at)
    this.q.clearSeats.run(run.exam_session_id)
    for (const s of seats) this.q.insertSeat.run(run.exam_session_id, s.candidateId, s.roomId, s.seat, run.id)
  }

  /** Removes the seats of one room (the room leaves the session); returns how many. */
  clearRoomSeats(sessionId: string, roomId: string): number {
    return this.q.clearRoomSeats.run(sessionId, roomId).changes
  }

  staff(sessionId: string): StaffAssignment[] {
    return this.q.staff.all(sessionId).map(toStaff)
  }
  staffAssignment(id: string): StaffAssignment | null {
    const r = this.q.staffOne.get(id)
    return r ? toStaff(r) : null
  }
  staffOfUser(userId: string, sessionId?: string): StaffAssignment[] {
    return (sessionId === undefined ? this.q.staffOfUser.all(userId) : this.q.staffOfUserInSession.all(userId, sessionId)).map(toStaff)
  }
  insertStaff(a: StaffAssignment): void {
    this.q.insertStaff.run(a.id, a.examSessionId, a.roomId, a.userId, a.duty, a.createdAt)
  }
  deleteStaff(id: string): void {
    this.q.deleteStaff.run(id)
  }

  inspection(sessionId: string, roomId: string): InspectionRecord[] {
    return this.q.inspection.all(sessionId, roomId).map(toInspection)
  }
  saveInspection(id: string, sessionId: string, roomId: string, r: InspectionRecord): void {
    this.q.upsertInspection.run(id, sessionId, roomId, r.item, r.state, r.defect, r.rectification, r.rectifiedBy, r.recordedBy, r.updatedAt ?? 0)
  }
}
