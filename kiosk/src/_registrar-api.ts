// The registrar console's calls to the lifecycle API, on the one client in _http.ts: a refusal becomes an
// ApiError carrying the server's code and both messages.
import { query, request as send, seg } from './_http.ts'
import { T, type Text } from './_i18n.ts'

export interface Subject {
  id: string
  kind: 'theory' | 'practical' | 'other'
  name: string
  passMark: number
  maxMark: number
}
export interface Occupation {
  code: string
  name: string
  hazardous: boolean
  levels: Array<{ level: number; levelName: string; conditions: string; subjects: Subject[] }>
}
export interface ExamSession {
  id: string
  subjectId: string
  siteId: string | null
  startsAt: string
  endsAt: string
  status: string
}
/** A date a document gives for an act, other than the day it was recorded, and the document's reference (文号). */
export interface Documented {
  date: string
  reference: string
}
/** Sent beside a filing or an announcement when a document gives a different date. */
export interface DocumentedFields {
  documentedOn?: string
  documentReference?: string
}
export interface Batch {
  id: string
  title: string
  occupationCode: string
  level: number
  levelName: string
  status: 'draft' | 'filed' | 'announced' | 'in_progress' | 'completed' | 'results_published'
  examStartDate: string
  examEndDate: string
  filedOn: string | null
  centreReference: string | null
  feeCents: number
  /** filedOn is the day the filing was recorded here; a different date the centre's documents give stands beside it. */
  filedOnDocumented: Documented | null
  place: string | null
  method: string | null
  candidates: { scope?: string; expected?: number } | null
  staffing: { examiners?: number; invigilators?: number; supervisors?: number } | null
  plannedSessions: Array<{ subjectId: string; startsAt: string; endsAt: string; siteId: string | null }>
  changes: Array<{ at: string; what: string; approvalReference: string }>
  sessions?: ExamSession[]
  announcementId?: string | null
}
export interface Candidate {
  id: string
  batchId: string
  name: string | null
  residentId: string | null
  gender: 'male' | 'female' | null
  birthDate?: string | null
  phone: string | null
  trainingUnit: string | null
  status: 'registered' | 'approved' | 'rejected' | 'withdrawn'
  reviewReason: string | null
  /** 'masked' in lists (ID and phone partly hidden, no birth date); 'full' on the candidate's own view (logged). */
  personalData: 'masked' | 'full'
  hasPhoto: boolean
  payment: { invoiceNumber: string; amountCents: number; paidOn: string } | null
  details: { source: 'desk' | 'import'; sitting: { kind: 'full' } | { kind: 'retake'; subjects: string[] } }
}
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

export interface Deadline {
  date: string
  provisional: boolean
  meaning: string
  rule: string
}
export interface ImportRowError {
  row: number
  column: string
  code: string
  message: string
  messageEn: string
}
export interface PlanFields {
  title?: string
  feeCents?: number
  place?: string | null
  method?: string | null
  candidates?: { scope?: string; expected?: number } | null
  staffing?: { examiners?: number; invigilators?: number; supervisors?: number } | null
  sessions?: Array<{ subjectId: string; startsAt: string; endsAt: string }>
}
export interface Registration {
  name: string
  residentId: string
  phone?: string
  education?: string
  trainingUnit?: string
  workYears?: string
  earlierCertificate?: { number?: string; level?: string }
  photoBase64?: string
  attachments?: Array<{ kind: string; filename: string; contentType: string; base64: string }>
}

export const lifecycle = {
  occupations: () => send<{ occupations: Occupation[] }>('GET', '/api/occupations'),
  batches: () => send<{ batches: Batch[] }>('GET', '/api/batches'),
  batch: (id: string) => send<Batch>('GET', `/api/batches/${seg(id)}`),
  createBatch: (b: PlanFields & { title: string; occupationCode: string; level: number; examStartDate: string; examEndDate: string }) =>
    send<Batch>('POST', '/api/batches', b),
  updateBatch: (id: string, b: PlanFields) => send<Batch>('PATCH', `/api/batches/${seg(id)}`, b),
  file: (id: string, f: DocumentedFields & { centreReference: string }) => send<Batch>('POST', `/api/batches/${seg(id)}/file`, f),
  announce: (
    id: string,
    a: DocumentedFields & { contentAndMethod?: string; registration?: { place?: string; until?: string; how?: string }; conditions?: string; fees?: string },
  ) => send<{ id: string }>('POST', `/api/batches/${seg(id)}/announcement`, a),
  deadline: (params: Record<string, string>) => send<Deadline>('GET', `/api/calendar/deadline${query(params)}`),
  /** A page of the batch's candidates, filtered and searched on the server (lists are masked). */
  candidates: (batchId: string, filter: { status?: string; q?: string; page?: number; pageSize?: number } = {}) => {
    return send<{ candidates: Candidate[]; total: number; page: number; pageSize: number }>('GET', `/api/batches/${seg(batchId)}/candidates${query(filter)}`)
  },
  /** One candidate; for a registrar with the whole ID and phone number, a view the server logs. */
  candidate: (id: string) => send<Candidate>('GET', `/api/candidates/${seg(id)}`),
  register: (batchId: string, r: Registration) => send<Candidate>('POST', `/api/batches/${seg(batchId)}/candidates`, r),
  importCsv: (batchId: string, file: Blob) =>
    send<{ imported: number; ignoredColumns: string[]; encoding: string }>('POST', `/api/batches/${seg(batchId)}/candidates/import`, file, 'text/csv'),
  move: (id: string, action: 'approve' | 'reject' | 'withdraw' | 'reopen', reason?: string) =>
    send<Candidate>('POST', `/api/candidates/${seg(id)}/moves`, { action, ...(reason ? { reason } : {}) }),
  pay: (id: string, invoiceNumber: string, amountCents: number, paidOn: string) =>
    send<Candidate>('POST', `/api/candidates/${seg(id)}/payment`, { invoiceNumber, amountCents, paidOn }),
  setPhoto: (id: string, photoBase64: string) => send<Candidate>('PUT', `/api/candidates/${seg(id)}/photo`, { photoBase64 }),
  photoUrl: (id: string) => `/api/candidates/${seg(id)}/photo`,
  announcementUrl: (id: string) => `/announcements/${seg(id)}`,
}

/** A file's bytes as standard base64 (for photos and attachments in JSON bodies). */
export async function fileBase64(f: Blob): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer())
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}
