// Sites, rooms, staff and the pre-exam inspection (R4.1–R4.3, R6.1, R6.5): pure decisions, time and ids passed in.
export { ROOM_KINDS, EQUIPMENT_LIMIT, decideRoom, decideRoomChange } from './_room.ts'
export type { Room, RoomChange, RoomError, RoomInput, RoomKind, Site } from './_room.ts'
export { DUTIES, DUTY_NAMES, decideAssignment } from './_staff.ts'
export type { AssignCommand, AssignContext, Duty, StaffAssignment, StaffError } from './_staff.ts'
export { INSPECTION_ITEMS, INSPECTION_MOVES, checklistFor, checklistState, decideInspection, inspectionSummary } from './_inspection.ts'
export type { InspectionCommand, InspectionError, InspectionItemCode, InspectionRecord, InspectionState } from './_inspection.ts'
export { MIN_ROOM_STAFF, readiness } from './_readiness.ts'
export type { ReadinessInput, ReadinessIssue } from './_readiness.ts'
