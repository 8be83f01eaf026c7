import { describe, expect, test } from 'vitest'
import { ROLES, type Role } from '../server/domain/accounts/index.ts'
import { type AssignCommand, type AssignContext, type Duty, type StaffAssignment, DUTIES, DUTY_NAMES, decideAssignment } from '../server/domain/rooms/index.ts'

const ids = { id: 'a1', examSessionId: 's1' }
const user = (roles: Role[], disabled = false) => ({ id: 'u1', roles, disabled })
const theory = { id: 'r101', kind: 'theory' as const }
const practical = { id: 'p1', kind: 'practical' as const }
const ctx = (over: Partial<AssignContext> = {}): AssignContext => ({ user: user(['invigilator']), room: theory, existing: [], ...over })
const decide = (cmd: AssignCommand, c: AssignContext) => decideAssignment(cmd, c, ids, 5)
/** A room that suits the duty, as the route would attach it. */
const placeFor = (duty: Duty) => (DUTIES[duty].room === 'none' ? null : DUTIES[duty].room === 'practical_or_session' ? practical : theory)

describe('staff duties (R4.3): the table is the rule', () => {
  test('every duty is accepted for each role it lists, and refused (staff.role_mismatch) for every other role', () => {
    let checked = 0
    for (const duty of DUTY_NAMES) {
      const room = placeFor(duty)
      for (const role of ROLES) {
        const r = decide({ duty, userId: 'u1', roomId: room?.id ?? null }, ctx({ user: user([role]), room }))
        if (DUTIES[duty].roles.includes(role)) expect(r.ok, `${duty} by ${role}`).toBe(true)
        else expect(r, `${duty} by ${role}`).toEqual({ ok: false, error: { code: 'staff.role_mismatch', duty, needs: DUTIES[duty].roles } })
        checked++
      }
    }
    expect(checked).toBe(DUTY_NAMES.length * ROLES.length)
  })

  test('invigilators and examiners are assigned to a room (staff.room_required)', () => {
    expect(decide({ duty: 'invigilator', userId: 'u1', roomId: null }, ctx())).toEqual({
      ok: false,
      error: { code: 'staff.room_required', duty: 'invigilator' },
    })
    expect(decide({ duty: 'examiner', userId: 'u1', roomId: null }, ctx({ user: user(['examiner']) })).ok).toBe(false)
  })

  test('supervisors are assigned to the session, not a room (staff.room_not_allowed)', () => {
    expect(decide({ duty: 'supervisor', userId: 'u1', roomId: 'r101' }, ctx({ user: user(['supervisor']) }))).toEqual({
      ok: false,
      error: { code: 'staff.room_not_allowed', duty: 'supervisor' },
    })
  })

  test('a site leader leads a practical room or the whole session, not a theory room (staff.practical_room_only)', () => {
    const leader = user(['registrar'])
    expect(decide({ duty: 'site_leader', userId: 'u1', roomId: 'r101' }, ctx({ user: leader }))).toEqual({
      ok: false,
      error: { code: 'staff.practical_room_only', roomId: 'r101' },
    })
    expect(decide({ duty: 'site_leader', userId: 'u1', roomId: 'p1' }, ctx({ user: leader, room: practical })).ok).toBe(true)
    expect(decide({ duty: 'site_leader', userId: 'u1', roomId: null }, ctx({ user: leader, room: null })).ok).toBe(true)
  })

  test('a room that is not part of the session is refused (staff.room_not_attached)', () => {
    expect(decide({ duty: 'invigilator', userId: 'u1', roomId: 'r999' }, ctx({ room: null }))).toEqual({
      ok: false,
      error: { code: 'staff.room_not_attached', roomId: 'r999' },
    })
  })

  test('an unknown or disabled user is refused (staff.user_not_found, staff.user_disabled)', () => {
    expect(decide({ duty: 'invigilator', userId: 'u1', roomId: 'r101' }, ctx({ user: null }))).toEqual({
      ok: false,
      error: { code: 'staff.user_not_found', userId: 'u1' },
    })
    expect(decide({ duty: 'invigilator', userId: 'u1', roomId: 'r101' }, ctx({ user: user(['invigilator'], true) }))).toEqual({
      ok: false,
      error: { code: 'staff.user_disabled', userId: 'u1' },
    })
  })

  test('the same assignment twice is refused (staff.already_assigned); one person cannot keep two rooms (staff.double_booked)', () => {
    const existing: StaffAssignment[] = [{ id: 'a0', examSessionId: 's1', roomId: 'r101', userId: 'u1', duty: 'invigilator', createdAt: 1 }]
    expect(decide({ duty: 'invigilator', userId: 'u1', roomId: 'r101' }, ctx({ existing }))).toEqual({
      ok: false,
      error: { code: 'staff.already_assigned', assignmentId: 'a0' },
    })
    expect(decide({ duty: 'invigilator', userId: 'u1', roomId: 'r102' }, ctx({ existing, room: { id: 'r102', kind: 'theory' } }))).toEqual({
      ok: false,
      error: { code: 'staff.double_booked', roomId: 'r101' },
    })
    // Another person in the same room is fine: two per room is the rule.
    expect(
      decide({ duty: 'invigilator', userId: 'u2', roomId: 'r101' }, ctx({ existing, user: { id: 'u2', roles: ['invigilator'], disabled: false } })).ok,
    ).toBe(true)
  })
})
