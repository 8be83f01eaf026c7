import type { RoomKind } from './_room.ts'
import type { Duty } from './_staff.ts'
import type { InspectionItemCode } from './_inspection.ts'

/** R4.3 / R6.3: two people keep order in every room. */
export const MIN_ROOM_STAFF = 2

export type ReadinessIssue =
  | { code: 'seating.not_run'; severity: 'blocker'; candidates: number }
  | { code: 'seating.unseated_candidates'; severity: 'blocker'; count: number }
  | { code: 'staffing.too_few_invigilators'; severity: 'blocker'; roomId: string; count: number; needed: number }
  | { code: 'staffing.no_examiner'; severity: 'blocker'; roomId: string }
  | { code: 'staffing.no_site_leader'; severity: 'blocker'; roomId: string }
  | { code: 'staffing.no_supervisor'; severity: 'warning' }
  | { code: 'inspection.incomplete'; severity: 'blocker'; roomId: string; pending: InspectionItemCode[] }
  | { code: 'inspection.open_defect'; severity: 'blocker'; roomId: string; items: InspectionItemCode[] }
  | { code: 'rooms.none'; severity: 'blocker' }
  | { code: 'rooms.nonstandard'; severity: 'warning'; roomId: string }

export interface ReadinessInput {
  /** Approved, paid candidates of the session. */
  candidates: number
  seatingRun: boolean
  seated: number
  rooms: ReadonlyArray<{
    id: string
    kind: RoomKind
    /** Candidates seated in the room now. */
    seated: number
    staff: ReadonlyArray<{ duty: Duty }>
    inspection: { pending: InspectionItemCode[]; openDefects: InspectionItemCode[] }
  }>
  /** Assignments without a room (supervisors, a session-wide site leader). */
  sessionStaff: ReadonlyArray<{ duty: Duty }>
}

/**
 * Whether a session is ready to open: seated, staffed (R4.3), inspected without open defects (R6.1,
 * R4.2). A report, not a gate on tickets: tickets go out weeks before staff and rooms are final. Rooms
 * nobody is seated in (after seating) need no staff or inspection.
 */
export function readiness(input: ReadinessInput): { ready: boolean; issues: ReadinessIssue[] } {
  const issues: ReadinessIssue[] = []
  if (input.rooms.length === 0) issues.push({ code: 'rooms.none', severity: 'blocker' })
  if (!input.seatingRun && input.candidates > 0) issues.push({ code: 'seating.not_run', severity: 'blocker', candidates: input.candidates })
  else if (input.seated < input.candidates) issues.push({ code: 'seating.unseated_candidates', severity: 'blocker', count: input.candidates - input.seated })
  const siteLeaderForSession = input.sessionStaff.some((s) => s.duty === 'site_leader')
  for (const room of input.rooms) {
    if (input.seatingRun && room.seated === 0) continue
    if (room.kind === 'nonstandard') issues.push({ code: 'rooms.nonstandard', severity: 'warning', roomId: room.id })
    const count = room.staff.filter((s) => s.duty === 'invigilator' || (room.kind === 'practical' && s.duty === 'examiner')).length
    if (count < MIN_ROOM_STAFF) issues.push({ code: 'staffing.too_few_invigilators', severity: 'blocker', roomId: room.id, count, needed: MIN_ROOM_STAFF })
    if (room.kind === 'practical') {
      if (!room.staff.some((s) => s.duty === 'examiner')) issues.push({ code: 'staffing.no_examiner', severity: 'blocker', roomId: room.id })
      if (!siteLeaderForSession && !room.staff.some((s) => s.duty === 'site_leader'))
        issues.push({ code: 'staffing.no_site_leader', severity: 'blocker', roomId: room.id })
    }
    if (room.inspection.pending.length > 0)
      issues.push({ code: 'inspection.incomplete', severity: 'blocker', roomId: room.id, pending: room.inspection.pending })
    if (room.inspection.openDefects.length > 0)
      issues.push({ code: 'inspection.open_defect', severity: 'blocker', roomId: room.id, items: room.inspection.openDefects })
  }
  if (!input.sessionStaff.some((s) => s.duty === 'supervisor')) issues.push({ code: 'staffing.no_supervisor', severity: 'warning' })
  return { ready: !issues.some((i) => i.severity === 'blocker'), issues }
}
