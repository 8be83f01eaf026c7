import { type Result, ok, refuse } from '../_result.ts'
import { THEORY_ROOM_LIMIT, type RoomKind } from '../seating/index.ts'

export const ROOM_KINDS = ['theory', 'practical', 'nonstandard'] as const satisfies readonly RoomKind[]
export type { RoomKind }

export interface Site {
  id: string
  name: string
  address: string
  createdAt: number
}

/** An exam room (考场) at a site. R4.1: kind, capacity, single desks, layout; practical rooms list equipment. */
export interface Room {
  id: string
  siteId: string
  name: string
  kind: RoomKind
  capacity: number
  singleDesks: boolean
  /** Free text, e.g. "6 行 × 5 列，桌距 90 厘米". */
  layout: string
  /** Practical rooms: the equipment the occupation needs (R4.1), checked before the exam (R6.1). */
  equipment: string[]
  /** R6.5: physical hazards in the room itself (the occupation may add its own). */
  hazardous: boolean
  createdAt: number
}

export interface RoomInput {
  name: string
  kind: RoomKind
  capacity: number
  singleDesks?: boolean
  layout?: string
  equipment?: string[]
  hazardous?: boolean
}
export type RoomChange = Partial<RoomInput>

export type RoomError =
  | { code: 'room.over_limit'; capacity: number; limit: number }
  | { code: 'room.desks_not_single' }
  | { code: 'room.capacity_invalid'; capacity: number }
  | { code: 'room.name_invalid' }
  | { code: 'room.name_taken'; name: string }
  | { code: 'room.in_use'; seatsInUse: number; capacity: number }

export const EQUIPMENT_LIMIT = 50

/**
 * A room is described once and checked against R4.1: a theory room seats at most 30, each at a
 * desk of their own. Non-standard rooms (非标准考场) may differ and are flagged on the seating plan.
 */
export function decideRoom(input: RoomInput, ctx: { nameTaken: boolean }, ids: { id: string; siteId: string }, now: number): Result<Room, RoomError> {
  const room: Room = {
    id: ids.id,
    siteId: ids.siteId,
    name: input.name.trim(),
    kind: input.kind,
    capacity: input.capacity,
    singleDesks: input.singleDesks ?? true,
    layout: (input.layout ?? '').trim(),
    equipment: cleanEquipment(input.equipment ?? []),
    hazardous: input.hazardous ?? false,
    createdAt: now,
  }
  const bad = check(room)
  if (bad) return refuse(bad)
  if (ctx.nameTaken) return refuse({ code: 'room.name_taken', name: room.name })
  return ok(room)
}

/**
 * A change to a room: the same checks, and the capacity may not drop below a seat already given
 * out in some session (those candidates would lose their seat silently).
 */
export function decideRoomChange(room: Room, change: RoomChange, ctx: { nameTaken: boolean; highestSeatInUse: number }): Result<Room, RoomError> {
  const next: Room = {
    ...room,
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.kind !== undefined ? { kind: change.kind } : {}),
    ...(change.capacity !== undefined ? { capacity: change.capacity } : {}),
    ...(change.singleDesks !== undefined ? { singleDesks: change.singleDesks } : {}),
    ...(change.layout !== undefined ? { layout: change.layout.trim() } : {}),
    ...(change.equipment !== undefined ? { equipment: cleanEquipment(change.equipment) } : {}),
    ...(change.hazardous !== undefined ? { hazardous: change.hazardous } : {}),
  }
  const bad = check(next)
  if (bad) return refuse(bad)
  if (next.name !== room.name && ctx.nameTaken) return refuse({ code: 'room.name_taken', name: next.name })
  if (next.capacity < ctx.highestSeatInUse) return refuse({ code: 'room.in_use', seatsInUse: ctx.highestSeatInUse, capacity: next.capacity })
  return ok(next)
}

function check(r: Room): RoomError | null {
  if (r.name.length === 0) return { code: 'room.name_invalid' }
  if (!Number.isSafeInteger(r.capacity) || r.capacity < 1) return { code: 'room.capacity_invalid', capacity: r.capacity }
  if (r.kind === 'theory' && r.capacity > THEORY_ROOM_LIMIT) return { code: 'room.over_limit', capacity: r.capacity, limit: THEORY_ROOM_LIMIT } // R4.1
  if (r.kind === 'theory' && !r.singleDesks) return { code: 'room.desks_not_single' } // R4.1: one desk each
  return null
}

const cleanEquipment = (list: readonly string[]): string[] => [...new Set(list.map((e) => e.trim()).filter((e) => e.length > 0))]
