// What the registrar's and the preparation pages share: the names people read for batch and candidate statuses,
// room kinds, duties, inspection states and readiness issues (the code itself is the record; these are its
// words), and a file's bytes as base64 for the JSON bodies that carry photos and attachments.
import type { OutputOf } from './_client.ts'
import { T, type Text } from './_i18n.ts'

type Batch = OutputOf<'GET /api/batches/{id}'>
type Candidate = OutputOf<'GET /api/candidates/{id}'>
type Room = OutputOf<'GET /api/sessions/{id}/rooms'>['rooms'][number]
type Assignment = OutputOf<'GET /api/sessions/{id}/staff'>['staff'][number]
type InspectionItem = OutputOf<'GET /api/sessions/{id}/rooms/{roomId}/inspection'>['items'][number]

export const BATCH_STATUS: Record<Batch['status'], Text> = {
  draft: T('草稿', 'Draft'),
  filed: T('已报备', 'Filed'),
  announced: T('已公告', 'Announced'),
  in_progress: T('考试中', 'In progress'),
  completed: T('已结束', 'Completed'),
  results_published: T('已公示成绩', 'Results published'),
}
export const CANDIDATE_STATUS: Record<Candidate['status'], Text> = {
  registered: T('待审核', 'To review'),
  approved: T('审核通过', 'Approved'),
  rejected: T('未通过', 'Rejected'),
  withdrawn: T('已退出', 'Withdrawn'),
}

export const ROOM_KIND: Record<Room['kind'], Text> = {
  theory: T('理论考场', 'Theory'),
  practical: T('实操考场', 'Practical'),
  nonstandard: T('非标准考场', 'Non-standard'),
}
export const DUTY: Record<Assignment['duty'], Text> = {
  invigilator: T('监考人员', 'Invigilator'),
  examiner: T('考评人员', 'Examiner'),
  supervisor: T('督导人员', 'Supervisor'),
  site_leader: T('考场负责人', 'Site leader'),
}
export const ITEM_STATE: Record<InspectionItem['state'], Text> = {
  pending: T('待检查', 'Pending'),
  ok: T('合格', 'OK'),
  defect: T('有问题', 'Defect'),
  rectified: T('已整改', 'Rectified'),
}
export const ISSUE: Record<string, Text> = {
  'seating.not_run': T('尚未编排座位', 'Not seated yet'),
  'seating.unseated_candidates': T('有考生未编排座位', 'Candidates without a seat'),
  'staffing.too_few_invigilators': T('监考人员不足两人', 'Fewer than two invigilators'),
  'staffing.no_examiner': T('实操考场未分配考评人员', 'No examiner in the practical room'),
  'staffing.no_site_leader': T('实操考场未指定考场负责人', 'No site leader for the practical room'),
  'staffing.no_supervisor': T('未分配督导人员', 'No supervisor assigned'),
  'inspection.incomplete': T('考前检查未完成', 'Inspection incomplete'),
  'inspection.open_defect': T('有未整改的问题', 'Open defects'),
  'rooms.none': T('尚未安排考场', 'No rooms attached'),
  'rooms.nonstandard': T('使用非标准考场', 'A non-standard room is used'),
}

/** A file's bytes as standard base64 (for photos and attachments in JSON bodies). */
export async function fileBase64(f: Blob): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer())
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}
