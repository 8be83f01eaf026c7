import type { ErrorEntry } from './_errors.ts'
import type { RoomRecordRefusal } from '../services/kiosk-room.ts'

/** In the room: incidents, their confirmations and practical score sheets (R6.3, R7.1; decision 011). */
export const KIOSK_ROOM_ERRORS: Record<RoomRecordRefusal['code'], ErrorEntry> = {
  'kiosk.incident_kind_unknown': { status: 400, zh: '没有这种考场情况类别', en: 'No such kind of incident' },
  'kiosk.incident_candidate_required': { status: 400, zh: '请选择涉及的考生', en: 'Choose the candidate concerned' },
  'kiosk.incident_candidate_unknown': { status: 409, zh: '该考生不在本考场名单上', en: "The candidate is not on this room's roster" },
  'kiosk.incident_description_required': { status: 400, zh: '请描述违规行为', en: 'Describe what the candidate did' },
  'kiosk.incident_invalid': { status: 400, zh: '考场情况记录的内容不符合要求', en: 'The incident record is not valid' },
  'kiosk.incident_photo_too_large': { status: 413, zh: '照片过大（不超过 300 KB）', en: 'The photo is too large (300 KB at most)' },
  'kiosk.incident_receipt_required': { status: 400, zh: '暂扣物品须填写收据编号', en: 'Seized items need a receipt number' },
  'kiosk.evacuation_times_required': {
    status: 400,
    zh: '疏散须填写暂停和恢复考试的时间（恢复晚于暂停）',
    en: 'An evacuation needs the stop and restart times (restart after stop)',
  },
  'kiosk.incident_not_found': { status: 404, zh: '本考场没有这条考场情况记录', en: 'No such incident in this room' },
  'kiosk.incident_no_confirmation': { status: 409, zh: '考场事件不需要第二名监考员确认', en: 'A room event needs no second invigilator' },
  'kiosk.incident_already_confirmed': { status: 409, zh: '该违规记录已由第二名监考员确认', en: 'A second invigilator has already confirmed this violation' },
  'kiosk.incident_same_person': {
    status: 409,
    zh: '确认人须为记录人以外的另一名监考员',
    en: 'The confirmer must be another invigilator than the one who recorded it',
  },
  'kiosk.incident_not_room_invigilator': {
    status: 403,
    zh: '确认人不是本考场本场次的监考员',
    en: 'The confirmer is not an invigilator of this room and session',
  },
  'kiosk.incident_no_candidate': { status: 409, zh: '该记录未涉及考生，无需考生签字', en: 'No candidate is named, so no candidate signs' },
  'kiosk.incident_refusal_recorded': { status: 409, zh: '考生拒绝签字已记录', en: "The candidate's refusal to sign is already recorded" },
  'kiosk.confirmation_invalid': {
    status: 403,
    zh: '第二人确认无效或已过期，请重新确认',
    en: "The second person's confirmation is not valid or has expired; confirm again",
  },
  'kiosk.score_candidate_unknown': { status: 409, zh: '该考生不在本考场名单上', en: "The candidate is not on this room's roster" },
  'kiosk.score_items_invalid': { status: 400, zh: '评分项须逐项填写，分数在 0 至满分之间', en: 'Score every item once, between 0 and its maximum' },
  'kiosk.score_not_examiner': { status: 403, zh: '签字人不是本考场本场次的考评人员', en: 'The signer is not an examiner of this room and session' },
  'kiosk.score_sheet_locked': {
    status: 409,
    zh: '该考生的评分表已签字锁定，如需更正请填写原因并重新签字',
    en: "The candidate's sheet is signed and locked; a correction needs a reason and a new signature",
  },
  'kiosk.score_reason_required': { status: 400, zh: '更正评分须填写原因', en: 'A correction needs a reason' },
  'kiosk.score_replaces_unknown': { status: 404, zh: '要更正的评分表不存在', en: 'The sheet to correct does not exist' },
  'kiosk.score_replaces_stale': {
    status: 409,
    zh: '要更正的评分表已被更正过，请以最新评分表为准',
    en: 'That sheet was already corrected; correct the latest one',
  },
}
