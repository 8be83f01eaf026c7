/**
 * What happens in the exam room (R6.3): incidents recorded on the door kiosk, their confirmation by a second
 * invigilator, and the examiner's signed score sheets of a practical session (R7.1). Plain functions over data;
 * the time and the room's people are passed in.
 *
 * The kinds of violation are those of 《国家教育考试违规处理办法》 (MOE Order No. 33, 2012): Art. 5 lists the
 * 违纪 (breaches of discipline), Art. 6 the 作弊 (cheating). Art. 18 wants the violation recorded and signed by
 * two invigilators; a candidate who will not sign has that refusal recorded.
 */
import { type Result, ok, refuse } from '../_result.ts'

export type IncidentGroup = 'violation' | 'cheating' | 'event'

export interface IncidentKindSpec {
  kind: string
  group: IncidentGroup
  /** The article and item of MOE Order No. 33, or null for a room event. */
  cite: { article: 5 | 6; item: number } | null
  zh: string
  en: string
}

const k = (kind: string, group: IncidentGroup, cite: IncidentKindSpec['cite'], zh: string, en: string): IncidentKindSpec => ({ kind, group, cite, zh, en })

/** Every kind an incident may have, in the order the kiosk offers them. */
export const INCIDENT_KINDS = [
  // Art. 5 考试违纪
  k(
    'unpermitted_items',
    'violation',
    { article: 5, item: 1 },
    '携带规定以外的物品进入考场或者未放在指定位置',
    'Items not allowed brought in, or not put where told',
  ),
  k('wrong_seat', 'violation', { article: 5, item: 2 }, '未在规定的座位参加考试', 'Not in the assigned seat'),
  k(
    'answering_out_of_time',
    'violation',
    { article: 5, item: 3 },
    '考试开始信号发出前答题或者考试结束信号发出后继续答题',
    'Answering before the start signal or after the end signal',
  ),
  k('peeking_signalling', 'violation', { article: 5, item: 4 }, '在考试过程中旁窥、交头接耳、互打暗号或者手势', 'Peeking, whispering, signals or gestures'),
  k(
    'disorder',
    'violation',
    { article: 5, item: 5 },
    '在考场或者禁止的范围内喧哗、吸烟或者实施其他影响考场秩序的行为',
    'Noise, smoking or other disorder in the room or a closed area',
  ),
  k('left_without_leave', 'violation', { article: 5, item: 6 }, '未经考试工作人员同意在考试过程中擅自离开考场', 'Left the room without leave'),
  k(
    'took_papers_out',
    'violation',
    { article: 5, item: 7 },
    '将试卷、答卷（含答题卡、答题纸等）、草稿纸等考试用纸带出考场',
    'Took papers, answer sheets or scratch paper out of the room',
  ),
  k(
    'marked_answers',
    'violation',
    { article: 5, item: 8 },
    '用规定以外的笔或者纸答题，或者在规定以外的地方书写姓名、考号或者以其他方式在答卷上标记信息',
    'Wrong pen or paper, or name, number or marks where not allowed on the answers',
  ),
  k('other_violation', 'violation', { article: 5, item: 9 }, '其他违反考场规则但尚未构成作弊的行为', 'Other breach of the room rules short of cheating'),
  // Art. 6 考试作弊
  k(
    'related_materials',
    'cheating',
    { article: 6, item: 1 },
    '携带与考试内容相关的材料或者存储有与考试内容相关资料的电子设备参加考试',
    'Brought exam-related material or a device holding it',
  ),
  k(
    'copying',
    'cheating',
    { article: 6, item: 2 },
    '抄袭或者协助他人抄袭试题答案或者与考试内容相关的资料',
    'Copied answers or related material, or helped another copy',
  ),
  k(
    'seizing_papers',
    'cheating',
    { article: 6, item: 3 },
    '抢夺、窃取他人试卷、答卷或者胁迫他人为自己抄袭提供方便',
    "Seized or stole another's papers, or forced another to help copy",
  ),
  k('transmitting_device', 'cheating', { article: 6, item: 4 }, '携带具有发送或者接收信息功能的设备', 'Carried a device that can send or receive information'),
  k('impersonation', 'cheating', { article: 6, item: 5 }, '由他人冒名代替参加考试', "Impersonation: another person sits the exam in the candidate's name"),
  k('destroying_papers', 'cheating', { article: 6, item: 6 }, '故意销毁试卷、答卷或者考试材料', 'Destroyed papers, answers or exam material on purpose'),
  k(
    'false_identity_on_answers',
    'cheating',
    { article: 6, item: 7 },
    '在答卷上填写与本人身份不符的姓名、考号等信息',
    "Wrote a name or number on the answers that is not the candidate's",
  ),
  k('passing_items', 'cheating', { article: 6, item: 8 }, '传、接物品或者交换试卷、答卷、草稿纸', 'Passed items, or swapped papers, answers or scratch paper'),
  k(
    'other_cheating',
    'cheating',
    { article: 6, item: 9 },
    '其他以不正当手段获得或者试图获得试题答案、考试成绩的行为',
    'Other improper means to get, or try to get, answers or scores',
  ),
  // Room events: no violation, nobody confirms them.
  k('late_arrival', 'event', null, '考生迟到', 'Candidate arrived late'),
  k('illness', 'event', null, '考生身体不适', 'Candidate taken ill'),
  k('evacuation', 'event', null, '考场疏散（暂停与恢复考试）', 'Room evacuated (exam stopped and restarted)'),
  k('disturbance', 'event', null, '考场外部干扰', 'Disturbance of the room'),
] as const satisfies readonly IncidentKindSpec[]

export type IncidentKind = (typeof INCIDENT_KINDS)[number]['kind']

const BY_KIND: ReadonlyMap<string, IncidentKindSpec> = new Map(INCIDENT_KINDS.map((s) => [s.kind, s]))

export const incidentKind = (kind: string): IncidentKindSpec | null => BY_KIND.get(kind) ?? null

export const GROUP_NAMES: Readonly<Record<IncidentGroup, { zh: string; en: string }>> = {
  violation: { zh: '违纪', en: 'Breach of discipline' },
  cheating: { zh: '作弊', en: 'Cheating' },
  event: { zh: '考场事件', en: 'Room event' },
}

/** A violation (违纪 or 作弊) is confirmed by a second invigilator of the room (Art. 18); a room event is not. */
export const needsConfirmation = (kind: string): boolean => {
  const g = incidentKind(kind)?.group
  return g === 'violation' || g === 'cheating'
}

/** The largest photo kept with an incident: the kiosk scales it down to a JPEG of at most this many bytes. */
export const PHOTO_MAX_BYTES = 300 * 1024
export const DESCRIPTION_MAX = 1000
export const SEIZED_MAX = 20

export interface IncidentDraft {
  candidateId?: string | null
  kind: string
  at: number
  description: string
  photo?: string | null
  seized?: Array<{ item: string; count: number }>
  receiptNumber?: string | null
  stoppedAt?: number | null
  restartedAt?: number | null
}

export interface Incident {
  id: string
  sessionId: string
  roomId: string
  recordedBy: string
  candidateId: string | null
  kind: IncidentKind
  at: number
  description: string
  photo: string | null
  seized: Array<{ item: string; count: number }>
  receiptNumber: string | null
  stoppedAt: number | null
  restartedAt: number | null
  madeAt: number
}

export interface IncidentConfirmation {
  id: string
  incidentId: string
  /** 'second': a second invigilator signed; 'refused': the candidate would not sign. */
  type: 'second' | 'refused'
  userId: string
  check: 'online' | 'offline' | null
  madeAt: number
}

export type RoomRefusal =
  | { code: 'kiosk.incident_kind_unknown'; kind: string }
  | { code: 'kiosk.incident_candidate_required'; kind: string }
  | { code: 'kiosk.incident_candidate_unknown'; candidateId: string }
  | { code: 'kiosk.incident_description_required' }
  | { code: 'kiosk.incident_invalid'; field: string }
  | { code: 'kiosk.incident_photo_too_large'; bytes: number }
  | { code: 'kiosk.incident_receipt_required' }
  | { code: 'kiosk.evacuation_times_required' }
  | { code: 'kiosk.incident_not_found'; id: string }
  | { code: 'kiosk.incident_no_confirmation'; kind: string }
  | { code: 'kiosk.incident_already_confirmed'; id: string }
  | { code: 'kiosk.incident_same_person'; id: string }
  | { code: 'kiosk.incident_not_room_invigilator'; userId: string }
  | { code: 'kiosk.incident_no_candidate'; id: string }
  | { code: 'kiosk.incident_refusal_recorded'; id: string }
  | { code: 'kiosk.score_candidate_unknown'; candidateId: string }
  | { code: 'kiosk.score_items_invalid'; itemId: string | null; reason: 'unknown' | 'missing' | 'twice' | 'range' }
  | { code: 'kiosk.score_not_examiner'; userId: string }
  | { code: 'kiosk.score_sheet_locked'; current: string }
  | { code: 'kiosk.score_reason_required' }
  | { code: 'kiosk.score_replaces_unknown'; id: string }
  | { code: 'kiosk.score_replaces_stale'; id: string; current: string | null }

export type RoomRefusalCode = RoomRefusal['code']

/** What an incident is checked against: the room's roster. */
export interface RoomFacts {
  candidateIds: ReadonlySet<string>
}

const jpegBytes = (dataUrl: string): number | null => {
  const m = /^data:image\/jpeg;base64,([A-Za-z0-9+/]*={0,2})$/.exec(dataUrl)
  if (!m) return null
  const b64 = m[1]!
  return Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0)
}

const isInstant = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0

/** Checks a new incident (kind, candidate on the roster, description, photo, seized items, evacuation times). */
export function decideIncident(
  draft: IncidentDraft,
  meta: { id: string; sessionId: string; roomId: string; recordedBy: string; madeAt: number },
  room: RoomFacts,
): Result<Incident, RoomRefusal> {
  const spec = incidentKind(draft.kind)
  if (!spec) return refuse({ code: 'kiosk.incident_kind_unknown', kind: draft.kind })
  const candidateId = draft.candidateId || null
  // A violation names the candidate (R6.3: name, number and behaviour); so do a late arrival and an illness.
  if (candidateId === null && (spec.group !== 'event' || spec.kind === 'late_arrival' || spec.kind === 'illness')) {
    return refuse({ code: 'kiosk.incident_candidate_required', kind: spec.kind })
  }
  if (candidateId !== null && !room.candidateIds.has(candidateId)) return refuse({ code: 'kiosk.incident_candidate_unknown', candidateId })
  if (!isInstant(draft.at)) return refuse({ code: 'kiosk.incident_invalid', field: 'at' })
  const description = (draft.description ?? '').trim()
  if (description.length > DESCRIPTION_MAX) return refuse({ code: 'kiosk.incident_invalid', field: 'description' })
  if (description === '' && spec.group !== 'event') return refuse({ code: 'kiosk.incident_description_required' })
  let photo: string | null = null
  if (draft.photo) {
    const bytes = jpegBytes(draft.photo)
    if (bytes === null) return refuse({ code: 'kiosk.incident_invalid', field: 'photo' })
    if (bytes > PHOTO_MAX_BYTES) return refuse({ code: 'kiosk.incident_photo_too_large', bytes })
    photo = draft.photo
  }
  const seized = (draft.seized ?? []).map((s) => ({ item: String(s.item ?? '').trim(), count: s.count }))
  if (seized.length > SEIZED_MAX) return refuse({ code: 'kiosk.incident_invalid', field: 'seized' })
  for (const s of seized) {
    if (s.item === '' || s.item.length > 100 || !Number.isSafeInteger(s.count) || s.count < 1 || s.count > 999) {
      return refuse({ code: 'kiosk.incident_invalid', field: 'seized' })
    }
  }
  const receiptNumber = (draft.receiptNumber ?? '').trim() || null
  // Whatever is taken from a candidate is handed over against a numbered receipt.
  if (seized.length > 0 && receiptNumber === null) return refuse({ code: 'kiosk.incident_receipt_required' })
  if (receiptNumber !== null && receiptNumber.length > 40) return refuse({ code: 'kiosk.incident_invalid', field: 'receiptNumber' })
  let stoppedAt: number | null = null,
    restartedAt: number | null = null
  if (spec.kind === 'evacuation') {
    if (!isInstant(draft.stoppedAt) || !isInstant(draft.restartedAt) || draft.restartedAt <= draft.stoppedAt) {
      return refuse({ code: 'kiosk.evacuation_times_required' })
    }
    stoppedAt = draft.stoppedAt
    restartedAt = draft.restartedAt
  }
  return ok({
    id: meta.id,
    sessionId: meta.sessionId,
    roomId: meta.roomId,
    recordedBy: meta.recordedBy,
    candidateId,
    kind: spec.kind as IncidentKind,
    at: draft.at,
    description,
    photo,
    seized,
    receiptNumber,
    stoppedAt,
    restartedAt,
    madeAt: meta.madeAt,
  })
}

/**
 * A confirmation of an incident: a second invigilator of the room, not the one who recorded it, signs a
 * violation once (Art. 18); or the candidate's refusal to sign is recorded, once.
 */
export function decideConfirmation(
  incident: Incident | null,
  incidentId: string,
  cmd: { id: string; by: string; second?: { userId: string; check: 'online' | 'offline' }; refusedToSign?: boolean; madeAt: number },
  before: readonly IncidentConfirmation[],
  roomInvigilators: readonly string[],
): Result<IncidentConfirmation, RoomRefusal> {
  if (!incident) return refuse({ code: 'kiosk.incident_not_found', id: incidentId })
  if (cmd.refusedToSign) {
    if (incident.candidateId === null) return refuse({ code: 'kiosk.incident_no_candidate', id: incident.id })
    if (!roomInvigilators.includes(cmd.by)) return refuse({ code: 'kiosk.incident_not_room_invigilator', userId: cmd.by })
    if (before.some((c) => c.type === 'refused')) return refuse({ code: 'kiosk.incident_refusal_recorded', id: incident.id })
    return ok({ id: cmd.id, incidentId: incident.id, type: 'refused', userId: cmd.by, check: null, madeAt: cmd.madeAt })
  }
  if (!needsConfirmation(incident.kind)) return refuse({ code: 'kiosk.incident_no_confirmation', kind: incident.kind })
  if (before.some((c) => c.type === 'second')) return refuse({ code: 'kiosk.incident_already_confirmed', id: incident.id })
  const second = cmd.second
  if (!second) return refuse({ code: 'kiosk.incident_invalid', field: 'second' })
  if (second.userId === incident.recordedBy) return refuse({ code: 'kiosk.incident_same_person', id: incident.id })
  if (!roomInvigilators.includes(second.userId)) return refuse({ code: 'kiosk.incident_not_room_invigilator', userId: second.userId })
  return ok({ id: cmd.id, incidentId: incident.id, type: 'second', userId: second.userId, check: second.check, madeAt: cmd.madeAt })
}

export type IncidentStatus = 'recorded' | 'awaiting_second' | 'confirmed'

/** Where an incident stands: a room event is simply recorded; a violation awaits its second signature. */
export function incidentStatus(incident: Pick<Incident, 'kind'>, confirmations: readonly IncidentConfirmation[]): IncidentStatus {
  if (!needsConfirmation(incident.kind)) return 'recorded'
  return confirmations.some((c) => c.type === 'second') ? 'confirmed' : 'awaiting_second'
}

/**
 * The session's finish in this room after evacuations: each stop moves the finish by the time the room
 * stood still (overlapping stops counted once).
 */
export function finishAfterStops(endsAt: number, incidents: ReadonlyArray<Pick<Incident, 'stoppedAt' | 'restartedAt'>>): number {
  const spans = incidents
    .filter((i) => i.stoppedAt !== null && i.restartedAt !== null && i.restartedAt > i.stoppedAt)
    .map((i) => [i.stoppedAt!, i.restartedAt!] as const)
    .sort((a, b) => a[0] - b[0])
  let moved = 0,
    from = -Infinity,
    to = -Infinity
  for (const [s, e] of spans) {
    if (s > to) {
      if (to > from) moved += to - from
      from = s
      to = e
    } else to = Math.max(to, e)
  }
  if (to > from) moved += to - from
  return endsAt + moved
}

// ---------- practical scores (R7.1, entry side) ----------

export interface ScoreItem {
  id: string
  name: string
  max: number
}

export interface ScoreSheet {
  id: string
  sessionId: string
  roomId: string
  candidateId: string
  items: Array<{ itemId: string; score: number }>
  /** The examiner who signed it with their own login (Confirmation purpose score_sign). */
  examinerId: string
  check: 'online' | 'offline'
  recordedBy: string
  /** The sheet this one corrects, with the reason; the earlier sheet stays (never deleted). */
  replaces: string | null
  reason: string | null
  madeAt: number
}

export interface ScoreSheetDraft {
  candidateId: string
  items: Array<{ itemId: string; score: number }>
  examiner: { userId: string; check: 'online' | 'offline' }
  replaces?: string | null
  reason?: string | null
}

/** A score is a number from 0 to the item's maximum, in steps of at most one decimal. */
const validScore = (score: number, max: number): boolean =>
  Number.isFinite(score) && score >= 0 && score <= max && Math.abs(score * 10 - Math.round(score * 10)) < 1e-9

/** The sheet in force for a candidate: the one no other sheet replaces. */
export function currentSheet<S extends Pick<ScoreSheet, 'id' | 'replaces'>>(sheets: readonly S[]): S | null {
  const replaced = new Set(sheets.map((s) => s.replaces).filter((r): r is string => r !== null))
  return sheets.find((s) => !replaced.has(s.id)) ?? null
}

/**
 * A signed score sheet: every item of the session scored once, within 0..max, signed by an examiner of the
 * room. A signed sheet is locked: a later sheet for the candidate must name it in `replaces` and give a reason.
 */
export function decideScoreSheet(
  draft: ScoreSheetDraft,
  meta: { id: string; sessionId: string; roomId: string; recordedBy: string; madeAt: number },
  ctx: { candidateIds: ReadonlySet<string>; scoreItems: readonly ScoreItem[]; roomExaminers: readonly string[]; sheetsOfCandidate: readonly ScoreSheet[] },
): Result<ScoreSheet, RoomRefusal> {
  if (!ctx.candidateIds.has(draft.candidateId)) return refuse({ code: 'kiosk.score_candidate_unknown', candidateId: draft.candidateId })
  const byId = new Map(ctx.scoreItems.map((i) => [i.id, i]))
  const seen = new Set<string>()
  for (const it of draft.items) {
    const spec = byId.get(it.itemId)
    if (!spec) return refuse({ code: 'kiosk.score_items_invalid', itemId: it.itemId, reason: 'unknown' })
    if (seen.has(it.itemId)) return refuse({ code: 'kiosk.score_items_invalid', itemId: it.itemId, reason: 'twice' })
    seen.add(it.itemId)
    if (!validScore(it.score, spec.max)) return refuse({ code: 'kiosk.score_items_invalid', itemId: it.itemId, reason: 'range' })
  }
  const missing = ctx.scoreItems.find((i) => !seen.has(i.id))
  if (missing || ctx.scoreItems.length === 0) return refuse({ code: 'kiosk.score_items_invalid', itemId: missing?.id ?? null, reason: 'missing' })
  if (!ctx.roomExaminers.includes(draft.examiner.userId)) return refuse({ code: 'kiosk.score_not_examiner', userId: draft.examiner.userId })
  const current = currentSheet(ctx.sheetsOfCandidate)
  const replaces = draft.replaces || null
  if (replaces === null) {
    if (current) return refuse({ code: 'kiosk.score_sheet_locked', current: current.id })
  } else {
    if (!ctx.sheetsOfCandidate.some((s) => s.id === replaces)) return refuse({ code: 'kiosk.score_replaces_unknown', id: replaces })
    if (current?.id !== replaces) return refuse({ code: 'kiosk.score_replaces_stale', id: replaces, current: current?.id ?? null })
  }
  const reason = (draft.reason ?? '').trim() || null
  if (replaces !== null && (reason === null || reason.length > 500)) return refuse({ code: 'kiosk.score_reason_required' })
  return ok({
    id: meta.id,
    sessionId: meta.sessionId,
    roomId: meta.roomId,
    candidateId: draft.candidateId,
    items: draft.items.map((i) => ({ itemId: i.itemId, score: i.score })),
    examinerId: draft.examiner.userId,
    check: draft.examiner.check,
    recordedBy: meta.recordedBy,
    replaces,
    reason: replaces === null ? null : reason,
    madeAt: meta.madeAt,
  })
}

/** The total of a sheet. */
export const sheetTotal = (s: Pick<ScoreSheet, 'items'>): number => Math.round(s.items.reduce((a, i) => a + i.score, 0) * 10) / 10
