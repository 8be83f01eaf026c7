import { type Result, ok, refuse } from '../_result.ts'
import type { RoomKind } from './_room.ts'

/** The pre-exam checklist's items (R6.1; R4.2 for practical rooms; R6.5 where there are hazards). */
export const INSPECTION_ITEMS = {
  desks_single: { rule: 'R4.1', zh: '单人单桌', en: 'One desk per candidate' },
  desks_spaced: { rule: 'R4.1', zh: '桌距大于 80 厘米', en: 'Desks more than 80 cm apart' },
  not_tiered: { rule: 'R4.1', zh: '非阶梯教室', en: 'Not a tiered lecture hall' },
  room_cleared: { rule: 'R6.1', zh: '考场内无与考试有关的书籍资料', en: 'No exam-related books or notes in the room' },
  rules_posted: { rule: 'R6.1', zh: '考场规则、考场编号及时钟已张贴', en: 'Room rules, room number and a clock are posted' },
  layout_checked: { rule: 'R4.1', zh: '非标准考场的布局已核查并记录', en: "The non-standard room's layout is checked and recorded" },
  equipment_ready: { rule: 'R6.1', zh: '设备设施按职业要求齐全完好', en: 'Equipment complete and working, as the occupation requires' },
  instruments_checked: { rule: 'R6.1', zh: '仪器仪表已检验合格', en: 'Instruments checked and within calibration' },
  materials_ready: { rule: 'R4.2', zh: '考件、材料按考前准备通知单备齐', en: 'Workpieces and materials ready as the preparation notice lists' },
  stations_numbered: { rule: 'R4.2', zh: '工位已编号', en: 'Workstations numbered' },
  safety_measures: { rule: 'R6.5', zh: '安全防护措施及器材到位', en: 'Safety measures and protective equipment in place' },
  safety_briefing: { rule: 'R6.5', zh: '考前安全教育已进行', en: 'Safety briefing given before the exam' },
} as const satisfies Record<string, { rule: string; zh: string; en: string }>
export type InspectionItemCode = keyof typeof INSPECTION_ITEMS

const BY_KIND: Readonly<Record<RoomKind, readonly InspectionItemCode[]>> = {
  theory: ['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared', 'rules_posted'],
  practical: ['equipment_ready', 'instruments_checked', 'materials_ready', 'stations_numbered', 'rules_posted'],
  nonstandard: ['layout_checked', 'desks_single', 'desks_spaced', 'room_cleared', 'rules_posted'],
}
const SAFETY: readonly InspectionItemCode[] = ['safety_measures', 'safety_briefing']

/**
 * The items one room must pass before its session: by kind, plus safety where the room is hazardous or
 * the session is a practical exam of a hazardous occupation (R6.5: the hazard is in the practical work,
 * so a theory paper of the same occupation needs no safety briefing).
 */
export function checklistFor(room: { kind: RoomKind; hazardous: boolean }, hazardousPractical: boolean): InspectionItemCode[] {
  return [...BY_KIND[room.kind], ...(room.hazardous || hazardousPractical ? SAFETY : [])]
}

export type InspectionState = 'pending' | 'ok' | 'defect' | 'rectified'

/** One item's record. A defect is sent back for rectification (R6.1): it closes only as "rectified", with what was done and by whom. */
export interface InspectionRecord {
  item: InspectionItemCode
  state: InspectionState
  defect: string | null
  rectification: string | null
  rectifiedBy: string | null
  /** User id of whoever recorded the latest state (null: the system, e.g. the demo loader). */
  recordedBy: string | null
  updatedAt: number | null
}

/** The moves an item may make. Everything else is refused (inspection.move_invalid). */
export const INSPECTION_MOVES = [
  { from: 'pending', to: 'ok' },
  { from: 'pending', to: 'defect' },
  { from: 'ok', to: 'defect' },
  { from: 'rectified', to: 'defect' },
  { from: 'defect', to: 'rectified' },
] as const satisfies ReadonlyArray<{ from: InspectionState; to: Exclude<InspectionState, 'pending'> }>

export interface InspectionCommand {
  item: string
  state: 'ok' | 'defect' | 'rectified'
  /** The defect found (required with 'defect'). */
  defect?: string
  /** What was done (required with 'rectified'). */
  rectification?: string
  /** Who rectified it: a name, since it is often facilities staff without an account (required with 'rectified'). */
  rectifiedBy?: string
}

export type InspectionError =
  | { code: 'inspection.item_unknown'; item: string; items: InspectionItemCode[] }
  | { code: 'inspection.move_invalid'; item: string; from: InspectionState; to: InspectionState }
  | { code: 'inspection.defect_required'; item: string }
  | { code: 'inspection.rectification_required'; item: string }

const clean = (s: string | undefined): string => (s ?? '').trim()

/** Decides one checklist entry. */
export function decideInspection(
  cmd: InspectionCommand,
  checklist: readonly InspectionItemCode[],
  current: InspectionRecord | null,
  actorId: string | null,
  now: number,
): Result<InspectionRecord, InspectionError> {
  if (!(checklist as readonly string[]).includes(cmd.item)) return refuse({ code: 'inspection.item_unknown', item: cmd.item, items: [...checklist] })
  const item = cmd.item as InspectionItemCode
  const from = current?.state ?? 'pending'
  if (!INSPECTION_MOVES.some((m) => m.from === from && m.to === cmd.state)) return refuse({ code: 'inspection.move_invalid', item, from, to: cmd.state })
  if (cmd.state === 'defect') {
    if (!clean(cmd.defect)) return refuse({ code: 'inspection.defect_required', item })
    return ok({ item, state: 'defect', defect: clean(cmd.defect), rectification: null, rectifiedBy: null, recordedBy: actorId, updatedAt: now })
  }
  if (cmd.state === 'rectified') {
    if (!clean(cmd.rectification) || !clean(cmd.rectifiedBy)) return refuse({ code: 'inspection.rectification_required', item })
    return ok({
      item,
      state: 'rectified',
      defect: current?.defect ?? null,
      rectification: clean(cmd.rectification),
      rectifiedBy: clean(cmd.rectifiedBy),
      recordedBy: actorId,
      updatedAt: now,
    })
  }
  return ok({ item, state: 'ok', defect: null, rectification: null, rectifiedBy: null, recordedBy: actorId, updatedAt: now })
}

/** The full checklist of a room: stored records where there are any, pending otherwise (items no longer on the list are dropped). */
export function checklistState(checklist: readonly InspectionItemCode[], stored: readonly InspectionRecord[]): InspectionRecord[] {
  const byItem = new Map(stored.map((r) => [r.item, r]))
  return checklist.map(
    (item) => byItem.get(item) ?? { item, state: 'pending', defect: null, rectification: null, rectifiedBy: null, recordedBy: null, updatedAt: null },
  )
}

/** Complete: every item passed or rectified; no open defect. */
export function inspectionSummary(records: readonly InspectionRecord[]): {
  complete: boolean
  pending: InspectionItemCode[]
  openDefects: InspectionItemCode[]
} {
  const pending = records.filter((r) => r.state === 'pending').map((r) => r.item)
  const openDefects = records.filter((r) => r.state === 'defect').map((r) => r.item)
  return { complete: pending.length === 0 && openDefects.length === 0, pending, openDefects }
}
