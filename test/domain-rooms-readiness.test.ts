import { describe, expect, test } from 'vitest'
import { type ReadinessInput, MIN_ROOM_STAFF, readiness } from '../server/domain/rooms/index.ts'

const inspected = { pending: [], openDefects: [] }
const ready: ReadinessInput = {
  candidates: 40,
  seatingRun: true,
  seated: 40,
  rooms: [
    { id: 't1', kind: 'theory', seated: 30, staff: [{ duty: 'invigilator' }, { duty: 'invigilator' }], inspection: inspected },
    { id: 'p1', kind: 'practical', seated: 10, staff: [{ duty: 'examiner' }, { duty: 'invigilator' }, { duty: 'site_leader' }], inspection: inspected },
  ],
  sessionStaff: [{ duty: 'supervisor' }],
}
const codes = (i: ReadinessInput) => readiness(i).issues.map((x) => x.code)

describe('readiness of a session', () => {
  test('seated, two staff per room, a practical room with its examiner and site leader, inspected: ready with no issues', () => {
    expect(readiness(ready)).toEqual({ ready: true, issues: [] })
  })

  test(`a room with fewer than ${MIN_ROOM_STAFF} invigilators is not ready (staffing.too_few_invigilators)`, () => {
    const r = readiness({ ...ready, rooms: [{ ...ready.rooms[0]!, staff: [{ duty: 'invigilator' }] }, ready.rooms[1]!] })
    expect(r.ready).toBe(false)
    expect(r.issues).toEqual([{ code: 'staffing.too_few_invigilators', severity: 'blocker', roomId: 't1', count: 1, needed: 2 }])
  })

  test('a practical room needs an examiner and a site leader (for the room or the whole session)', () => {
    const bare = { ...ready.rooms[1]!, staff: [{ duty: 'invigilator' as const }, { duty: 'invigilator' as const }] }
    expect(codes({ ...ready, rooms: [bare] })).toEqual(['staffing.no_examiner', 'staffing.no_site_leader'])
    expect(codes({ ...ready, rooms: [bare], sessionStaff: [{ duty: 'supervisor' }, { duty: 'site_leader' }] })).toEqual(['staffing.no_examiner'])
  })

  test('pending items and open defects block (inspection.incomplete, inspection.open_defect)', () => {
    const r = readiness({ ...ready, rooms: [{ ...ready.rooms[0]!, inspection: { pending: ['rules_posted'], openDefects: ['desks_spaced'] } }] })
    expect(r.ready).toBe(false)
    expect(r.issues).toEqual([
      { code: 'inspection.incomplete', severity: 'blocker', roomId: 't1', pending: ['rules_posted'] },
      { code: 'inspection.open_defect', severity: 'blocker', roomId: 't1', items: ['desks_spaced'] },
    ])
  })

  test('no seating yet, or candidates left unseated, blocks', () => {
    expect(codes({ ...ready, seatingRun: false, seated: 0 })).toContain('seating.not_run')
    expect(readiness({ ...ready, seated: 38 }).issues).toContainEqual({ code: 'seating.unseated_candidates', severity: 'blocker', count: 2 })
  })

  test('an empty room after seating needs neither staff nor inspection', () => {
    const empty = { id: 't2', kind: 'theory' as const, seated: 0, staff: [], inspection: { pending: ['rules_posted' as const], openDefects: [] } }
    expect(readiness({ ...ready, rooms: [...ready.rooms, empty] }).ready).toBe(true)
  })

  test('no supervisor and a non-standard room are warnings, not blockers', () => {
    const r = readiness({ ...ready, sessionStaff: [], rooms: [{ ...ready.rooms[0]!, kind: 'nonstandard' }] })
    expect(r.ready).toBe(true)
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([
      ['rooms.nonstandard', 'warning'],
      ['staffing.no_supervisor', 'warning'],
    ])
  })

  test('a session without rooms is not ready (rooms.none)', () => {
    expect(codes({ ...ready, rooms: [], candidates: 0, seated: 0 })).toEqual(['rooms.none'])
  })
})
