import { describe, expect, test } from 'vitest'
import { type Room, type RoomInput, decideRoom, decideRoomChange } from '../server/domain/rooms/index.ts'

const ids = { id: 'r1', siteId: 's1' }
const decide = (input: RoomInput, nameTaken = false) => decideRoom(input, { nameTaken }, ids, 1000)
const room = (over: Partial<Room> = {}): Room => ({
  id: 'r1',
  siteId: 's1',
  name: '101',
  kind: 'theory',
  capacity: 30,
  singleDesks: true,
  layout: '',
  equipment: [],
  hazardous: false,
  createdAt: 1,
  ...over,
})

describe('rooms (R4.1)', () => {
  test('a theory room of 30 with single desks is accepted, trimmed, with defaults', () => {
    expect(decide({ name: ' 101 ', kind: 'theory', capacity: 30 })).toEqual({
      ok: true,
      value: {
        id: 'r1',
        siteId: 's1',
        name: '101',
        kind: 'theory',
        capacity: 30,
        singleDesks: true,
        layout: '',
        equipment: [],
        hazardous: false,
        createdAt: 1000,
      },
    })
  })

  test('a theory room of 31 is refused (room.over_limit)', () => {
    expect(decide({ name: '101', kind: 'theory', capacity: 31 })).toEqual({ ok: false, error: { code: 'room.over_limit', capacity: 31, limit: 30 } })
  })

  test('practical and non-standard rooms may seat more than 30', () => {
    expect(decide({ name: '实训室', kind: 'practical', capacity: 40 }).ok).toBe(true)
    expect(decide({ name: '礼堂', kind: 'nonstandard', capacity: 60, singleDesks: false }).ok).toBe(true)
  })

  test('a theory room without single desks is refused (room.desks_not_single)', () => {
    expect(decide({ name: '101', kind: 'theory', capacity: 20, singleDesks: false })).toEqual({ ok: false, error: { code: 'room.desks_not_single' } })
  })

  test('capacity must be a positive whole number (room.capacity_invalid), a name must not be blank (room.name_invalid)', () => {
    for (const capacity of [0, -1, 1.5, NaN]) expect(decide({ name: 'x', kind: 'practical', capacity }).ok).toBe(false)
    expect(decide({ name: '  ', kind: 'practical', capacity: 5 })).toEqual({ ok: false, error: { code: 'room.name_invalid' } })
  })

  test('a name used at the site already is refused (room.name_taken)', () => {
    expect(decide({ name: '101', kind: 'theory', capacity: 30 }, true)).toEqual({ ok: false, error: { code: 'room.name_taken', name: '101' } })
  })

  test('the equipment list is trimmed and without repeats or blanks', () => {
    const r = decide({ name: 'p', kind: 'practical', capacity: 10, equipment: [' 万用表 ', '万用表', '', '兆欧表'] })
    expect(r.ok && r.value.equipment).toEqual(['万用表', '兆欧表'])
  })
})

describe('room changes', () => {
  test('a change is checked like a new room: turning a 40-seat practical room into a theory room is refused', () => {
    expect(decideRoomChange(room({ kind: 'practical', capacity: 40 }), { kind: 'theory' }, { nameTaken: false, highestSeatInUse: 0 })).toEqual({
      ok: false,
      error: { code: 'room.over_limit', capacity: 40, limit: 30 },
    })
  })

  test('capacity may not drop below a seat already given out (room.in_use)', () => {
    expect(decideRoomChange(room(), { capacity: 20 }, { nameTaken: false, highestSeatInUse: 25 })).toEqual({
      ok: false,
      error: { code: 'room.in_use', seatsInUse: 25, capacity: 20 },
    })
    expect(decideRoomChange(room(), { capacity: 25 }, { nameTaken: false, highestSeatInUse: 25 }).ok).toBe(true)
  })

  test('renaming to a taken name is refused; keeping the own name is not a clash', () => {
    expect(decideRoomChange(room(), { name: '102' }, { nameTaken: true, highestSeatInUse: 0 }).ok).toBe(false)
    expect(decideRoomChange(room(), { name: '101', hazardous: true }, { nameTaken: true, highestSeatInUse: 0 })).toMatchObject({
      ok: true,
      value: { hazardous: true },
    })
  })
})
