import type { Role } from '../domain/accounts/index.ts'
import type { Duty } from '../domain/rooms/index.ts'
import type { RoomsStore } from '../db/rooms-store.ts'

/** Who asks, in the roles the route accepted them in (c.var.actingRoles), not every role they hold. */
export interface Viewer {
  userId: string
  roles: readonly Role[]
}

/** Roles that see every session and room: they run, or oversee (R6.4), the whole exam. */
export const ALL_ROOMS_ROLES: readonly Role[] = ['admin', 'registrar', 'supervisor', 'custodian']

export type RoomScope = { all: true } | { all: false; rooms: Array<{ sessionId: string; roomId: string | null; duty: Duty }> }

/**
 * Scope (R4.3): administrators, registrars and supervisors see every room; invigilators and
 * examiners see only the rooms of their staff assignments. Every room-scoped route asks here and
 * refuses others with 403 scope.not_assigned.
 */
export class Scope {
  constructor(private readonly store: RoomsStore) {}

  seesAll(v: Viewer): boolean {
    return v.roles.some((r) => ALL_ROOMS_ROLES.includes(r))
  }

  /** The rooms a viewer may see, in one session or in all. */
  roomsOf(v: Viewer, sessionId?: string): RoomScope {
    if (this.seesAll(v)) return { all: true }
    return { all: false, rooms: this.store.staffOfUser(v.userId, sessionId).map((a) => ({ sessionId: a.examSessionId, roomId: a.roomId, duty: a.duty })) }
  }

  /** Whether the viewer may see this room of this session: all-seeing roles, or an assignment to the room (or to the whole session). */
  canSeeRoom(v: Viewer, sessionId: string, roomId: string): boolean {
    const s = this.roomsOf(v, sessionId)
    return s.all || s.rooms.some((a) => a.roomId === roomId || a.roomId === null)
  }

  /** Whether the viewer has any part in the session (a door of the session needs its revocation list). */
  canSeeSession(v: Viewer, sessionId: string, duties?: readonly Duty[]): boolean {
    const s = this.roomsOf(v, sessionId)
    return s.all || s.rooms.some((a) => !duties || duties.includes(a.duty))
  }

  /** Filters room ids of a session down to what the viewer may see. */
  visibleRooms<R extends { id: string }>(v: Viewer, sessionId: string, rooms: readonly R[]): R[] {
    const s = this.roomsOf(v, sessionId)
    if (s.all || s.rooms.some((a) => a.roomId === null)) return [...rooms]
    const mine = new Set(s.rooms.map((a) => a.roomId))
    return rooms.filter((r) => mine.has(r.id))
  }
}
