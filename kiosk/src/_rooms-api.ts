// The preparation pages' calls: sites and rooms, seating, staff, inspections, tickets.
// On the one client in _http.ts: a refusal becomes an ApiError with the server's code and both messages.
import { request as send, seg } from './_http.ts'
import { T, type Text } from './_i18n.ts'

export type RoomKind = 'theory' | 'practical' | 'nonstandard'
export type Duty = 'invigilator' | 'examiner' | 'supervisor' | 'site_leader'
export type ItemState = 'pending' | 'ok' | 'defect' | 'rectified'

export interface Room {
  id: string
  siteId: string
  name: string
  kind: RoomKind
  capacity: number
  singleDesks: boolean
  layout: string
  equipment: string[]
  hazardous: boolean
}
export interface Site {
  id: string
  name: string
  address: string
  rooms: Room[]
}
export interface PrepSession {
  id: string
  batchId: string
  batchTitle: string
  subjectName: string
  subjectKind: string
  occupationName: string
  level: number
  hazardous: boolean
  startsAt: string
  endsAt: string
  status: string
  rooms: number
  duties: Array<{ roomId: string | null; duty: Duty }> | null
}
export interface PlanRoom {
  room: Room
  nonstandard: boolean
  seats: Array<{ seat: number; candidateId: string; name: string | null; ticketNumber: string | null }>
}
export interface SeatingPlan {
  sessionId: string
  run: { id: string; seed: string; keepTicketed: boolean; createdAt: string } | null
  rooms: PlanRoom[]
}
export interface SeatingRun {
  runId: string
  seed: string
  candidates: number
  rooms: number
  moved: number
  ticketsRevoked: string[]
  nonstandardRoomIds: string[]
}
export interface Assignment {
  id: string
  roomId: string | null
  userId: string
  username: string | null
  displayName: string | null
  duty: Duty
}
export interface InspectionItem {
  item: string
  zh: string
  en: string
  rule: string
  state: ItemState
  defect: string | null
  rectification: string | null
  rectifiedBy: string | null
  updatedAt: string | null
}
export interface Inspection {
  sessionId: string
  room: Room
  items: InspectionItem[]
  complete: boolean
  pending: string[]
  openDefects: string[]
}
export interface Readiness {
  ready: boolean
  issues: Array<{ code: string; severity: 'blocker' | 'warning'; roomId?: string; count?: number; needed?: number; pending?: string[]; items?: string[] }>
  rooms: Array<{ id: string; name: string; seated: number; staff: number; inspectionComplete: boolean }>
}
export interface Ticket {
  number: string
  candidateId: string
  roomId: string
  seat: number
  payload: string
  issuedAt: string
  revokedAt: string | null
  revokeReason: string | null
  name?: string | null
}
export interface TicketKey {
  keyId: string
  publicKey: string
  algorithm: 'Ed25519'
  name: string
  vkey: string
}
export interface TicketCheck {
  code: string
  ticket: { number: string; candidateId: string; examSessionId: string; roomId: string; seat: number } | null
  identityMatches: boolean | null
}

export const ROOM_KIND: Record<RoomKind, Text> = {
  theory: T('理论考场', 'Theory'),
  practical: T('实操考场', 'Practical'),
  nonstandard: T('非标准考场', 'Non-standard'),
}
export const DUTY: Record<Duty, Text> = {
  invigilator: T('监考人员', 'Invigilator'),
  examiner: T('考评人员', 'Examiner'),
  supervisor: T('督导人员', 'Supervisor'),
  site_leader: T('考场负责人', 'Site leader'),
}
export const ITEM_STATE: Record<ItemState, Text> = {
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

const sess = (id: string) => `/api/sessions/${seg(id)}`

export const prep = {
  sessions: () => send<{ sessions: PrepSession[] }>('GET', '/api/preparation/sessions'),
  sites: () => send<{ sites: Site[] }>('GET', '/api/sites'),
  createSite: (name: string, address: string) => send<Site>('POST', '/api/sites', { name, address }),
  createRoom: (siteId: string, r: { name: string; kind: RoomKind; capacity: number; layout?: string; equipment?: string[]; hazardous?: boolean }) =>
    send<Room>('POST', `/api/sites/${seg(siteId)}/rooms`, r),
  rooms: (id: string) => send<{ rooms: Room[] }>('GET', `${sess(id)}/rooms`),
  attach: (id: string, roomId: string) => send<Room>('PUT', `${sess(id)}/rooms/${seg(roomId)}`),
  detach: (id: string, roomId: string) => send<{ seatsCleared: number }>('DELETE', `${sess(id)}/rooms/${seg(roomId)}`),
  seat: (id: string, body: { seed?: string; keepTicketed?: boolean }) => send<SeatingRun>('POST', `${sess(id)}/seating`, body),
  plan: (id: string) => send<SeatingPlan>('GET', `${sess(id)}/seating`),
  people: () => send<{ people: Array<{ id: string; username: string; displayName: string; roles: string[] }> }>('GET', '/api/staff/people'),
  staff: (id: string) => send<{ staff: Assignment[] }>('GET', `${sess(id)}/staff`),
  assign: (id: string, body: { userId: string; duty: Duty; roomId?: string | null }) => send<Assignment>('POST', `${sess(id)}/staff`, body),
  unassign: (id: string, assignmentId: string) => send<Assignment>('DELETE', `${sess(id)}/staff/${seg(assignmentId)}`),
  readiness: (id: string) => send<Readiness>('GET', `${sess(id)}/readiness`),
  inspection: (id: string, roomId: string) => send<Inspection>('GET', `${sess(id)}/rooms/${seg(roomId)}/inspection`),
  record: (
    id: string,
    roomId: string,
    item: string,
    body: { state: 'ok' | 'defect' | 'rectified'; defect?: string; rectification?: string; rectifiedBy?: string },
  ) => send<Inspection>('PUT', `${sess(id)}/rooms/${seg(roomId)}/inspection/${seg(item)}`, body),
  tickets: (id: string) => send<{ tickets: Ticket[] }>('GET', `${sess(id)}/tickets`),
  issue: (id: string) => send<{ issued: Ticket[]; skipped: Array<{ candidateId: string; code: string }> }>('POST', `${sess(id)}/tickets`, {}),
  revoke: (number: string, reason: string) => send<Ticket>('POST', `/api/tickets/${seg(number)}/revoke`, { reason }),
  key: () => send<TicketKey>('GET', '/api/tickets/key'),
  check: (body: { text: string; name?: string; residentId?: string }) => send<TicketCheck>('POST', '/api/tickets/check', body),
  ticketPrintUrl: (number: string) => `/api/tickets/${seg(number)}/print`,
  sessionPrintUrl: (id: string) => `${sess(id)}/tickets/print`,
  roomPrintUrl: (id: string, roomId: string) => `${sess(id)}/rooms/${seg(roomId)}/tickets/print`,
  badgesPrintUrl: (id: string) => `${sess(id)}/badges/print`,
}
