// Seating: every paid candidate of a session gets one room and seat (R4.1), by a replayable seeded draw.
export type {
  RoomKind,
  SeatingCandidate,
  SeatingRoom,
  SeatingOptions,
  SeatingInput,
  SeatAssignment,
  SeatingPlan,
  SeatingError,
  SeatingErrorCode,
} from './_types.ts'
export { THEORY_ROOM_LIMIT } from './_types.ts'
export { assignSeats } from './_assign.ts'
export type { Prng } from './_prng.ts'
export { prngFromSeed, xoshiro128ss } from './_prng.ts'
