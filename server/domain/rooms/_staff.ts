import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import type { RoomKind } from './_room.ts'

export type Duty = 'invigilator' | 'examiner' | 'supervisor' | 'site_leader'

/**
 * R4.3 duties: who may take each, and where. Room duties are also the scope of invigilators and
 * examiners (they see only their rooms). A table, so the tests can walk every duty and role.
 */
export const DUTIES: Readonly<Record<Duty, { roles: readonly Role[]; room: 'required' | 'none' | 'practical_or_session'; zh: string; en: string }>> = {
  invigilator: { roles: ['invigilator'], room: 'required', zh: '监考人员', en: 'Invigilator' },
  examiner: { roles: ['examiner'], room: 'required', zh: '考评人员', en: 'Examiner' },
  supervisor: { roles: ['supervisor'], room: 'none', zh: '督导人员', en: 'Supervisor' },
  // R4.3: practical sites have a site leader (考场负责人), for one practical room or the whole session.
  site_leader: { roles: ['registrar', 'examiner', 'admin'], room: 'practical_or_session', zh: '考场负责人', en: 'Site leader' },
}
export const DUTY_NAMES = Object.keys(DUTIES) as Duty[]

/** Duties that put a person in one room for the session's whole time. */
const IN_ROOM: ReadonlySet<Duty> = new Set<Duty>(['invigilator', 'examiner'])

export interface StaffAssignment {
  id: string
  examSessionId: string
  roomId: string | null
  userId: string
  duty: Duty
  createdAt: number
}

export interface AssignCommand {
  duty: Duty
  roomId: string | null
  userId: string
}

export type StaffError =
  | { code: 'staff.user_not_found'; userId: string }
  | { code: 'staff.user_disabled'; userId: string }
  | { code: 'staff.role_mismatch'; duty: Duty; needs: readonly Role[] }
  | { code: 'staff.room_required'; duty: Duty }
  | { code: 'staff.room_not_allowed'; duty: Duty }
  | { code: 'staff.practical_room_only'; roomId: string }
  | { code: 'staff.room_not_attached'; roomId: string }
  | { code: 'staff.already_assigned'; assignmentId: string }
  | { code: 'staff.double_booked'; roomId: string }
  | { code: 'staff.not_found'; id: string }

export interface AssignContext {
  user: { id: string; roles: readonly Role[]; disabled: boolean } | null
  /** The room named in the command, if it is attached to the session. */
  room: { id: string; kind: RoomKind } | null
  /** The session's current assignments. */
  existing: readonly StaffAssignment[]
}

/** Decides one staff assignment (R4.3). */
export function decideAssignment(
  cmd: AssignCommand,
  ctx: AssignContext,
  ids: { id: string; examSessionId: string },
  now: number,
): Result<StaffAssignment, StaffError> {
  const duty = DUTIES[cmd.duty]
  if (!ctx.user) return refuse({ code: 'staff.user_not_found', userId: cmd.userId })
  if (ctx.user.disabled) return refuse({ code: 'staff.user_disabled', userId: cmd.userId })
  if (!ctx.user.roles.some((r) => duty.roles.includes(r))) return refuse({ code: 'staff.role_mismatch', duty: cmd.duty, needs: duty.roles })
  if (duty.room === 'required' && cmd.roomId === null) return refuse({ code: 'staff.room_required', duty: cmd.duty })
  if (duty.room === 'none' && cmd.roomId !== null) return refuse({ code: 'staff.room_not_allowed', duty: cmd.duty })
  if (cmd.roomId !== null) {
    if (!ctx.room || ctx.room.id !== cmd.roomId) return refuse({ code: 'staff.room_not_attached', roomId: cmd.roomId })
    if (duty.room === 'practical_or_session' && ctx.room.kind !== 'practical') return refuse({ code: 'staff.practical_room_only', roomId: cmd.roomId })
  }
  const same = ctx.existing.find((a) => a.userId === cmd.userId && a.duty === cmd.duty && a.roomId === cmd.roomId)
  if (same) return refuse({ code: 'staff.already_assigned', assignmentId: same.id })
  // One person cannot keep order in two rooms at the same time.
  if (IN_ROOM.has(cmd.duty)) {
    const elsewhere = ctx.existing.find((a) => a.userId === cmd.userId && IN_ROOM.has(a.duty) && a.roomId !== cmd.roomId)
    if (elsewhere) return refuse({ code: 'staff.double_booked', roomId: elsewhere.roomId! })
  }
  return ok({ id: ids.id, examSessionId: ids.examSessionId, roomId: cmd.roomId, userId: cmd.userId, duty: cmd.duty, createdAt: now })
}
