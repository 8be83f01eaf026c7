import type { ErrorEntry } from './_errors.ts'
import type { RoomsError } from '../services/rooms.ts'

export type RoomsErrorCode = RoomsError['code'] | 'scope.not_assigned'

/** Sites, rooms, seating, staff, inspections and scope. */
export const ROOMS_ERRORS: Record<RoomsErrorCode, ErrorEntry> = {
  'scope.not_assigned': { status: 403, zh: '您未被分配到该考场或场次', en: 'You are not assigned to this room or session' },
  'site.not_found': { status: 404, zh: '没有这个考点', en: 'No such site' },
  'site.name_taken': { status: 409, zh: '已有同名考点', en: 'A site with this name exists' },
  'site.invalid': { status: 400, zh: '考点名称和地址不能为空', en: 'A site needs a name and an address' },
  'room.not_found': { status: 404, zh: '没有这个考场', en: 'No such room' },
  'room.over_limit': { status: 400, zh: '理论考场每场不超过 30 人', en: 'A theory room seats at most 30 candidates' },
  'room.desks_not_single': { status: 400, zh: '理论考场须单人单桌', en: 'A theory room must have one desk per candidate' },
  'room.capacity_invalid': { status: 400, zh: '考场容量须为正整数', en: 'Capacity must be a positive whole number' },
  'room.name_invalid': { status: 400, zh: '考场名称不能为空', en: 'A room needs a name' },
  'room.name_taken': { status: 409, zh: '该考点已有同名考场', en: 'This site already has a room with this name' },
  'room.in_use': { status: 409, zh: '已编排的座位号超出新的容量', en: 'Seats already given out exceed the new capacity' },
  'room.already_attached': { status: 409, zh: '该考场已在本场次中', en: 'The room is already part of this session' },
  'room.not_attached': { status: 404, zh: '该考场不属于本场次', en: 'The room is not part of this session' },
  'room.other_site': { status: 409, zh: '同一场次的考场须在同一考点', en: 'All rooms of a session must be at the same site' },
  'room.has_tickets': { status: 409, zh: '该考场已有有效准考证，请先重新编排或作废', en: 'Live tickets name this room; re-seat or revoke them first' },
  'session.not_found': { status: 404, zh: '没有这个考试场次', en: 'No such exam session' },
  'session.not_scheduled': { status: 409, zh: '该场次已停考或已结束，不能再编排', en: 'The session is suspended or over; it cannot be changed' },
  'seating.over_capacity': { status: 409, zh: '考生人数超过本场次考场座位总数', en: "More candidates than seats in the session's rooms" },
  'seating.room_over_limit': { status: 409, zh: '理论考场每场不超过 30 人', en: 'A theory room seats at most 30 candidates' },
  'seating.duplicate_candidate': { status: 409, zh: '考生名单重复', en: 'A candidate is listed twice' },
  'seating.ticketed_seat_invalid': {
    status: 409,
    zh: '已发准考证的座位无效，请取消“保留已发证座位”后重新编排',
    en: 'A ticketed seat is no longer valid; re-seat without keeping ticketed seats',
  },
  'seating.room_invalid': { status: 409, zh: '考场设置无效', en: "A room's settings are invalid" },
  'staff.user_not_found': { status: 404, zh: '没有这个用户', en: 'No such user' },
  'staff.user_disabled': { status: 409, zh: '该账号已停用', en: 'This account is disabled' },
  'staff.role_mismatch': { status: 409, zh: '该用户的角色不能承担此职责', en: "The user's roles do not allow this duty" },
  'staff.room_required': { status: 400, zh: '监考和考评人员须指定考场', en: 'Invigilators and examiners are assigned to a room' },
  'staff.room_not_allowed': { status: 400, zh: '督导人员按场次分配，不指定考场', en: 'Supervisors are assigned to the session, not a room' },
  'staff.practical_room_only': { status: 409, zh: '考场负责人只设于实操考场', en: 'Site leaders are assigned to practical rooms' },
  'staff.room_not_attached': { status: 409, zh: '该考场不属于本场次', en: 'The room is not part of this session' },
  'staff.already_assigned': { status: 409, zh: '已有相同的分配', en: 'This assignment exists already' },
  'staff.double_booked': { status: 409, zh: '该人员已在本场次的另一考场任职', en: 'This person already serves in another room of this session' },
  'staff.not_found': { status: 404, zh: '没有这项人员分配', en: 'No such staff assignment' },
  'inspection.item_unknown': { status: 400, zh: '该考场的检查表中没有此项', en: "This item is not on the room's checklist" },
  'inspection.move_invalid': {
    status: 409,
    zh: '该项当前状态下不能这样记录（问题须整改后关闭）',
    en: 'This item cannot move so from its state (a defect closes only when rectified)',
  },
  'inspection.defect_required': { status: 400, zh: '请描述发现的问题', en: 'Describe the defect found' },
  'inspection.rectification_required': { status: 400, zh: '请填写整改情况及整改人', en: 'Say what was rectified and by whom' },
}
