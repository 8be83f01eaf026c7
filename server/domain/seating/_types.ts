/** R4.1: a theory room seats at most 30 candidates. */
export const THEORY_ROOM_LIMIT = 30

export type RoomKind = 'theory' | 'practical' | 'nonstandard'

/** A paid candidate of one session. `ticketed` is the seat printed on an admission ticket already issued. */
export interface SeatingCandidate {
  id: string
  /** The training unit (培训机构) the candidate came through; null for an individual applicant. */
  trainingUnit: string | null
  ticketed?: { roomId: string; seat: number }
}

export interface SeatingRoom {
  id: string
  capacity: number
  kind: RoomKind
  /** Explicit seat numbers (distinct integers >= 1, as many as `capacity`); default 1..capacity. */
  seats?: number[]
}

export interface SeatingOptions {
  /** Default true: candidates holding a ticket keep its seat; everyone else fills the free seats. */
  keepTicketed?: boolean
}

export interface SeatingInput {
  candidates: readonly SeatingCandidate[]
  rooms: readonly SeatingRoom[]
  /** Recorded with the plan: the same input and seed always give the same plan. */
  seed: string
  options?: SeatingOptions
}

export interface SeatAssignment {
  candidateId: string
  roomId: string
  seat: number
}

export interface SeatingPlan {
  /** Ordered by room id, then seat number. */
  assignments: SeatAssignment[]
  seed: string
  /** Always empty: more candidates than seats is refused (seating.over_capacity), never half done. */
  unplaced: []
  /** R4.1: non-standard rooms that received candidates, to be flagged on the plan. */
  nonstandardRoomIds: string[]
}

export type SeatingError =
  | { code: 'seating.over_capacity'; candidates: number; seats: number }
  | { code: 'seating.room_over_limit'; roomId: string; capacity: number; limit: number }
  | { code: 'seating.duplicate_candidate'; candidateId: string }
  | {
      code: 'seating.ticketed_seat_invalid'
      candidateId: string
      roomId: string
      seat: number
      reason: 'unknown_room' | 'unknown_seat' | 'seat_taken'
      /** For seat_taken: the candidate (earlier by id) holding the same seat. */
      takenBy?: string
    }
  | { code: 'seating.room_invalid'; roomId: string; reason: 'duplicate_id' | 'capacity' | 'seats'; message: string }

export type SeatingErrorCode = SeatingError['code']
