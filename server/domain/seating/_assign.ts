import { ok, refuse, type Result } from '../_result.ts'
import { prngFromSeed } from './_prng.ts'
import { THEORY_ROOM_LIMIT } from './_types.ts'
import type { SeatAssignment, SeatingError, SeatingInput, SeatingPlan, SeatingRoom } from './_types.ts'

/*
 * The draw, in order (every step depends only on the id-sorted input and the seed):
 *  1. Sort rooms and candidates by id (code-unit order), so input order never matters.
 *  2. With keepTicketed, ticketed candidates take their printed seats first.
 *  3. Shuffle the others with the seeded PRNG (Fisher-Yates), then stratify: the j-th of a
 *     unit's k members gets the key (j + u)/k, u drawn per unit, and the sequence is sorted by
 *     key. Every unit is then spread evenly along the sequence, largest units densest.
 *  4. Deal the sequence into rooms in id order, filling each room's free seats before the next,
 *     so a room gets a contiguous run and hence about its share of every unit.
 *  5. Inside a room, seat by seat in seat order, give the seat to the unit with most members
 *     still waiting that differs from the left neighbour (and a ticketed right neighbour). This
 *     is the classic greedy that avoids adjacent repeats whenever possible, and otherwise leaves
 *     the fewest (the surplus of one unit that no arrangement can separate).
 * Individual applicants (trainingUnit null) are each their own unit: they never conflict.
 */

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Seats every candidate of a session (R4.1); refusals are values (seating.*), see SeatingError. */
export function assignSeats(input: SeatingInput): Result<SeatingPlan, SeatingError> {
  const keepTicketed = input.options?.keepTicketed ?? true
  const rooms = input.rooms.slice().sort(byId)
  const laid = layOutRooms(rooms)
  if (!laid.ok) return laid
  const { roomStart, seatNumber, totalSeats, maxCapacity } = laid.value

  const cands = sortById(input.candidates)
  const n = cands.length
  for (let i = 1; i < n; i++) {
    if (cands[i]!.id === cands[i - 1]!.id) return refuse({ code: 'seating.duplicate_candidate', candidateId: cands[i]!.id })
  }

  // occupant[global seat index] = index into cands, or -1 while free.
  const occupant = new Int32Array(totalSeats).fill(-1)
  const placed = new Uint8Array(n)
  let fixedCount = 0
  if (keepTicketed) {
    const roomIndex = new Map<string, number>()
    rooms.forEach((r, i) => roomIndex.set(r.id, i))
    for (let i = 0; i < n; i++) {
      const t = cands[i]!.ticketed
      if (!t) continue
      const base = { code: 'seating.ticketed_seat_invalid', candidateId: cands[i]!.id, roomId: t.roomId, seat: t.seat } as const
      const r = roomIndex.get(t.roomId)
      if (r === undefined) return refuse({ ...base, reason: 'unknown_room' })
      const pos = seatPosition(rooms[r]!, t.seat, seatNumber, roomStart[r]!, roomStart[r + 1]!)
      if (pos < 0) return refuse({ ...base, reason: 'unknown_seat' })
      const held = occupant[pos]!
      if (held >= 0) return refuse({ ...base, reason: 'seat_taken', takenBy: cands[held]!.id })
      occupant[pos] = i
      placed[i] = 1
      fixedCount++
    }
  }
  if (n > totalSeats) return refuse({ code: 'seating.over_capacity', candidates: n, seats: totalSeats })

  // Units as small integers; an individual applicant is a unit of one.
  const groupOf = new Int32Array(n)
  const unitGroup = new Map<string, number>()
  let groupCount = 0
  for (let i = 0; i < n; i++) {
    const unit = cands[i]!.trainingUnit
    if (unit === null) {
      groupOf[i] = groupCount++
      continue
    }
    let g = unitGroup.get(unit)
    if (g === undefined) unitGroup.set(unit, (g = groupCount++))
    groupOf[i] = g
  }

  const prng = prngFromSeed(input.seed)
  const m = n - fixedCount
  const free = new Uint32Array(m)
  for (let i = 0, p = 0; i < n; i++) if (!placed[i]) free[p++] = i
  for (let k = m - 1; k > 0; k--) {
    const j = prng.below(k + 1)
    const x = free[k]!
    free[k] = free[j]!
    free[j] = x
  }

  // Stratify (step 3). Keys are packed with the shuffled position into one exact double
  // (key bits above, position bits below) so a native numeric sort does the work.
  const size = new Int32Array(groupCount)
  const rank = new Int32Array(m)
  for (let p = 0; p < m; p++) rank[p] = size[groupOf[free[p]!]!]!++
  const offset = new Float64Array(groupCount)
  for (let g = 0; g < groupCount; g++) offset[g] = prng.unit()
  const posBits = Math.max(1, Math.ceil(Math.log2(m + 1)))
  const posScale = 2 ** posBits
  const keyScale = 2 ** (52 - posBits)
  const packed = new Float64Array(m)
  for (let p = 0; p < m; p++) {
    const g = groupOf[free[p]!]!
    packed[p] = Math.floor(((rank[p]! + offset[g]!) / size[g]!) * keyScale) * posScale + p
  }
  packed.sort()
  const sequence = new Uint32Array(m)
  for (let q = 0; q < m; q++) sequence[q] = free[packed[q]! % posScale]!

  // Deal (step 4) and seat (step 5).
  const seater = createRoomSeater(groupCount, maxCapacity, groupOf, occupant)
  let q = 0
  for (let r = 0; r < rooms.length && q < m; r++) {
    const start = roomStart[r]!,
      end = roomStart[r + 1]!
    let freeSeats = 0
    for (let s = start; s < end; s++) if (occupant[s]! < 0) freeSeats++
    const take = Math.min(freeSeats, m - q)
    if (take > 0) seater(start, end, sequence, q, take)
    q += take
  }

  const assignments: SeatAssignment[] = []
  const nonstandardRoomIds: string[] = []
  for (let r = 0; r < rooms.length; r++) {
    const room = rooms[r]!
    const before = assignments.length
    for (let s = roomStart[r]!; s < roomStart[r + 1]!; s++) {
      const c = occupant[s]!
      if (c >= 0) assignments.push({ candidateId: cands[c]!.id, roomId: room.id, seat: seatNumber[s]! })
    }
    if (room.kind === 'nonstandard' && assignments.length > before) nonstandardRoomIds.push(room.id)
  }
  return ok({ assignments, seed: input.seed, unplaced: [], nonstandardRoomIds })
}

/**
 * Sorts by id in code-unit order, as `byId` does, but fast: the engine's default string sort
 * (no comparator) is several times quicker on a million ids, so sort id + U+0000 + the index as
 * two UTF-16 code units, and read the index back from the last two. A final pass proves the
 * order; only ids containing U+0000 could break it, and then the comparator sort decides.
 */
function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  const tagged = items.map((c, i) => c.id + '\u0000' + String.fromCharCode(i >>> 16, i & 0xffff)).sort()
  const out = new Array<T>(items.length)
  for (let k = 0; k < tagged.length; k++) {
    const t = tagged[k]!
    const item = items[((t.charCodeAt(t.length - 2) << 16) | t.charCodeAt(t.length - 1)) >>> 0]!
    if (k > 0 && out[k - 1]!.id > item.id) return items.slice().sort(byId)
    out[k] = item
  }
  return out
}

interface Layout {
  /** Room r owns global seat indices [roomStart[r], roomStart[r + 1]). */
  roomStart: Int32Array
  /** Seat number at each global seat index, ascending within a room. */
  seatNumber: Float64Array
  totalSeats: number
  maxCapacity: number
}

function layOutRooms(rooms: readonly SeatingRoom[]): Result<Layout, SeatingError> {
  const roomStart = new Int32Array(rooms.length + 1)
  let total = 0,
    maxCapacity = 0
  for (let r = 0; r < rooms.length; r++) {
    const room = rooms[r]!
    const bad = (reason: 'duplicate_id' | 'capacity' | 'seats', message: string) =>
      refuse<SeatingError>({ code: 'seating.room_invalid', roomId: room.id, reason, message })
    if (r > 0 && rooms[r - 1]!.id === room.id) return bad('duplicate_id', `room ${room.id} is listed twice`)
    if (!Number.isSafeInteger(room.capacity) || room.capacity < 0) return bad('capacity', `capacity must be an integer >= 0, got ${room.capacity}`)
    if (room.kind === 'theory' && room.capacity > THEORY_ROOM_LIMIT) {
      return refuse({ code: 'seating.room_over_limit', roomId: room.id, capacity: room.capacity, limit: THEORY_ROOM_LIMIT })
    }
    if (room.seats !== undefined) {
      if (room.seats.length !== room.capacity) return bad('seats', `${room.seats.length} seat numbers for capacity ${room.capacity}`)
      const sorted = room.seats.slice().sort((a, b) => a - b)
      for (let i = 0; i < sorted.length; i++) {
        if (!Number.isSafeInteger(sorted[i]) || sorted[i]! < 1) return bad('seats', `seat numbers must be integers >= 1, got ${sorted[i]}`)
        if (i > 0 && sorted[i] === sorted[i - 1]) return bad('seats', `seat ${sorted[i]} is listed twice`)
      }
    }
    roomStart[r] = total
    total += room.capacity
    maxCapacity = Math.max(maxCapacity, room.capacity)
  }
  roomStart[rooms.length] = total
  const seatNumber = new Float64Array(total)
  for (let r = 0; r < rooms.length; r++) {
    const seats = rooms[r]!.seats
    const start = roomStart[r]!
    if (seats === undefined) for (let k = 0; k < rooms[r]!.capacity; k++) seatNumber[start + k] = k + 1
    else
      seatNumber.set(
        seats.slice().sort((a, b) => a - b),
        start,
      )
  }
  return ok({ roomStart, seatNumber, totalSeats: total, maxCapacity })
}

/** Global seat index of a seat number in a room, or -1 when the room has no such seat. */
function seatPosition(room: SeatingRoom, seat: number, seatNumber: Float64Array, start: number, end: number): number {
  if (!Number.isSafeInteger(seat)) return -1
  if (room.seats === undefined) return seat >= 1 && seat <= room.capacity ? start + seat - 1 : -1
  let lo = start,
    hi = end - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = seatNumber[mid]!
    if (v === seat) return mid
    if (v < seat) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/**
 * Step 5 for one room at a time, with buffers reused across rooms (35,000 rooms must not mean
 * 35,000 rounds of allocation). Local units are numbered by first appearance in the room's run,
 * which is random, and that number breaks ties between equally large units.
 */
function createRoomSeater(groupCount: number, maxCapacity: number, groupOf: Int32Array, occupant: Int32Array) {
  const localOf = new Int32Array(groupCount).fill(-1)
  const localGroup = new Int32Array(maxCapacity)
  const waiting = new Int32Array(maxCapacity) // members of a local unit not yet seated
  const head = new Int32Array(maxCapacity) // first waiting member (index into the run)
  const tail = new Int32Array(maxCapacity)
  const nextMember = new Int32Array(maxCapacity)
  const heap = new Int32Array(maxCapacity)
  let heapSize = 0

  // Max-heap on (waiting desc, local number asc).
  const above = (a: number, b: number) => waiting[a]! > waiting[b]! || (waiting[a] === waiting[b] && a < b)
  const push = (x: number) => {
    let i = heapSize++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!above(x, heap[parent]!)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = x
  }
  const pop = (): number => {
    if (heapSize === 0) return -1
    const top = heap[0]!
    const last = heap[--heapSize]!
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= heapSize) break
      const c = l + 1 < heapSize && above(heap[l + 1]!, heap[l]!) ? l + 1 : l
      if (!above(heap[c]!, last)) break
      heap[i] = heap[c]!
      i = c
    }
    if (heapSize > 0) heap[i] = last
    return top
  }

  return (start: number, end: number, sequence: Uint32Array, from: number, take: number): void => {
    let locals = 0
    for (let k = 0; k < take; k++) {
      const g = groupOf[sequence[from + k]!]!
      let l = localOf[g]!
      if (l < 0) {
        l = locals++
        localOf[g] = l
        localGroup[l] = g
        waiting[l] = 0
        head[l] = k
      } else nextMember[tail[l]!] = k
      tail[l] = k
      nextMember[k] = -1
      waiting[l]!++
    }
    heapSize = 0
    for (let l = 0; l < locals; l++) push(l)

    let left = -1 // unit of the previous seat, -1 when empty or none
    let remaining = take
    for (let s = start; s < end; s++) {
      const held = occupant[s]!
      if (held >= 0) {
        left = groupOf[held]!
        continue
      }
      if (remaining === 0) {
        left = -1
        continue
      }
      const rightHeld = s + 1 < end ? occupant[s + 1]! : -1
      const right = rightHeld >= 0 ? groupOf[rightHeld]! : -1
      const clashes = (l: number) => localGroup[l] === left || localGroup[l] === right
      const a = pop()
      let chosen = a
      if (clashes(a)) {
        const b = pop()
        if (b >= 0 && !clashes(b)) {
          chosen = b
          push(a)
        } else {
          const c = pop()
          if (c >= 0 && !clashes(c)) {
            chosen = c
            push(a)
            push(b)
          } else {
            if (b >= 0) push(b)
            if (c >= 0) push(c)
          }
        }
      }
      const k = head[chosen]!
      head[chosen] = nextMember[k]!
      waiting[chosen]!--
      if (waiting[chosen]! > 0) push(chosen)
      occupant[s] = sequence[from + k]!
      left = localGroup[chosen]!
      remaining--
    }
    for (let l = 0; l < locals; l++) localOf[localGroup[l]!] = -1
  }
}
