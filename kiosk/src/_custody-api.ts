// The custody pages' calls to the custody API (papers, print jobs, packets, handovers, leaks, alerts), on the
// one client in _http.ts: a refusal becomes an ApiError carrying the server's code and both messages. Types come from the custody domain (types only: nothing is bundled).
// Times may arrive as epoch ms or ISO strings; the pages only show them (formatCst takes both).
import { call, errorOf, query, request as send, seg, unreachable } from './_http.ts'
import type {
  Condition,
  CopyTrace,
  ExposureTrace,
  Handover,
  HandoverAction,
  Holder,
  LeakLevel,
  LeakReport,
  Packet as DomainPacket,
  PacketAction,
  PacketMove,
  Paper,
  PaperKind,
  PerCopy,
  PrintJob,
  RecoveryCounts,
} from '../../server/domain/custody/index.ts'

export type {
  Condition,
  CopyTrace,
  ExposureTrace,
  Handover,
  HandoverAction,
  Holder,
  LeakLevel,
  LeakReport,
  PacketAction,
  PacketMove,
  Paper,
  PaperKind,
  PrintJob,
  RecoveryCounts,
}
/** A packet as the server shows it to the caller: `sealHidden` when the seal is theirs to check blind (R5.3, decision record 006). */
export type Packet = DomainPacket & { sealHidden?: boolean }
/** What a reporter gets back for a leak report: its id and a confirmation (the trace is the supervisors'). */
export interface LeakFiled {
  id: string
  filedAt: number
  confirmation: string
  confirmationEn: string
}

/** The encrypted file's public facts (never the key, never plaintext). */
export interface PaperFile {
  fileId: string
  filename: string
  contentType: string
  plaintextBytes: number
  cipherBytes: number
  cipherSha256: string
  uploadedBy: string
  uploadedAt: string
}
/** A paper as the papers routes send it: its file beside it. */
export interface PaperWithFile extends Paper {
  file: PaperFile | null
}
export interface PrintWindowJson {
  opensAt: string
  closesAt: string
}
export interface JobJson extends PrintJob {
  plannedCopies: number
}
/** GET /api/papers/{id}: the paper with its file, print jobs, packets, window, and the names of the people in them. */
export interface PaperDetail {
  paper: PaperWithFile
  window: PrintWindowJson
  printJobs: JobJson[]
  packets: Packet[]
  names: Record<string, string>
  people?: People
  rooms?: Record<string, string>
  session?: PacketPlace['session']
}
export interface SessionPapers {
  sessionId: string
  batchId: string
  startsAt: string
  window: PrintWindowJson
  settings: { opensMinutesBefore: number; closesMinutesBefore: number; openMinutesBefore: number; sparesPerRoom: number }
  papers: PaperWithFile[]
}
/** A move the server says the caller may start now (or just its action name). */
export type OfferedMove = PacketMove | PacketAction
/** The names of a packet's session, room and site (GET /api/packets/{id}). */
export interface PacketPlace {
  session: { id: string; occupationName: string; level: number; levelName: string; subjectName: string; startsAt: number } | null
  room: { id: string; name: string } | null
  site: { id: string; name: string } | null
}
export interface PacketView {
  packet: Packet
  paper: Paper | null
  place?: PacketPlace
  moves: OfferedMove[]
  pendingHandover: Handover | null
  /** When the room may open it (epoch ms), null without a session. */
  opensAt?: number | null
  people?: People
}
/** Names of the people in an answer, by account id (decision record 010). */
export type People = Record<string, { displayName: string; username: string }>
/** A session by name (occupation, level, subject, start). */
export type SessionName = NonNullable<PacketPlace['session']>
/** Names beside the ids of leak answers (decision record 010). */
export interface LeakNames {
  people?: People
  papers?: Record<string, { title: string; kind?: string }>
  sessions?: Record<string, SessionName>
  rooms?: Record<string, string>
}
/** A packet as people name it: its room and copy numbers. */
export interface PacketRef {
  roomId: string | null
  copies: { first: number; last: number }
}
/** Someone who may receive a packet's next handover. */
export interface Receiver {
  id: string
  username: string
  displayName: string
  roles: string[]
  assigned: boolean
}
/** Someone the caller needs to see by name: the server may add names beside ids. */
export interface Person {
  id: string
  username?: string
  displayName?: string
}
export interface Witness {
  username: string
  password: string
}
export interface Alert {
  id: string
  action: string
  kind: string
  logIndex: number
  time: string
  subject: { type: string; id: string } | null
  data: Record<string, unknown>
  acknowledged: boolean
  acknowledgedBy?: string | null
  acknowledgedAt?: string | number | null
}
export interface ReportEvent {
  index: number
  time: string | number
  actor: { user: string; name?: string } | { system: string }
  action: string
  outcome: 'ok' | 'refused'
  data: Record<string, unknown>
  leafHash: string
  inclusionProof: string[]
}
export interface CustodyReport {
  checkpoint: string
  size: number
  origin: string
  events: ReportEvent[]
  people?: People
  rooms?: Record<string, string>
  paper?: Paper | null
  refusals?: Record<string, { zh: string; en: string }>
}

/** The fields one packet move sends (POST /api/packets/{id}/moves); only those the action uses. */
export interface MoveBody {
  action: PacketAction
  sealNumber?: string
  sealSeen?: string
  witness?: Witness
  reason?: string
}
export interface HandoverBody {
  action: HandoverAction
  receiver: string
  place: string
  sealSeen: string
  condition: Condition
}

/**
 * The paper's file as the request body, streamed by the browser from disk (never read into a string).
 * XMLHttpRequest rather than fetch: browsers report upload progress only to XHR (fetch has no upload
 * events, and streaming request bodies need HTTP/2).
 */
export function uploadPaperFile(
  paperId: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<{ paperId: string; filename: string; plaintextBytes: number; cipherSha256: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', `/api/papers/${seg(paperId)}/file`)
    xhr.setRequestHeader('Content-Type', file.type === 'application/pdf' ? 'application/pdf' : 'application/octet-stream')
    xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name))
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size))
    xhr.addEventListener('error', () => reject(unreachable()))
    xhr.addEventListener('load', () => {
      const res = new Response(xhr.response as string, { status: xhr.status, headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? '' } })
      if (xhr.status >= 200 && xhr.status < 300) res.json().then(resolve, reject)
      else errorOf(res).then(reject, reject)
    })
    xhr.send(file)
  })
}

/**
 * Decrypts a print job's paper on the server and brings the plaintext into this browser's memory as a Blob
 * (never to disk by this page). The caller shows it for printing and revokes it afterwards.
 */
export async function decryptForPrinting(jobId: string): Promise<Blob> {
  const res = await call(`/api/print-jobs/${seg(jobId)}/decrypt`, {
    method: 'POST',
    headers: { Accept: 'application/pdf, application/octet-stream, application/json' },
  })
  const blob = await res.blob()
  // Chromium shows a PDF inline only with its type; other files keep theirs.
  return blob.type ? blob : new Blob([blob], { type: 'application/pdf' })
}

export const custody = {
  papers: (sessionId: string) => send<SessionPapers>('GET', `/api/sessions/${seg(sessionId)}/papers`),
  createPaper: (sessionId: string, kind: PaperKind, title: string) => send<PaperWithFile>('POST', `/api/sessions/${seg(sessionId)}/papers`, { kind, title }),
  paper: (id: string) => send<PaperDetail>('GET', `/api/papers/${seg(id)}`),
  requestPrint: (paperId: string, body: { sparesPerRoom?: number; perCopy?: PerCopy }) => send<JobJson>('POST', `/api/papers/${seg(paperId)}/print-jobs`, body),
  /** Under the split paper key (decision 008) the approval unlocks the approver's share with their share passphrase. */
  approve: (id: string, passphrase?: string) => send<JobJson>('POST', `/api/print-jobs/${seg(id)}/approve`, passphrase ? { passphrase } : {}),
  holdShare: (id: string, passphrase: string) => send<JobJson>('POST', `/api/print-jobs/${seg(id)}/share`, { passphrase }),
  printed: (id: string, copies: number) => send<{ job: JobJson; packets: Packet[] }>('POST', `/api/print-jobs/${seg(id)}/printed`, { copies }),
  cancel: (id: string) => send<JobJson>('POST', `/api/print-jobs/${seg(id)}/cancel`),

  packet: (id: string) => send<PacketView>('GET', `/api/packets/${seg(id)}`),
  packets: (filter: { paperId?: string; sessionId?: string; state?: string }) =>
    send<{ packets: Packet[]; rooms?: Record<string, string>; people?: People }>('GET', `/api/packets${query(filter)}`),
  receivers: (id: string, action: HandoverAction) => send<{ receivers: Receiver[] }>('GET', `/api/packets/${seg(id)}/receivers${query({ action })}`),
  move: (id: string, body: MoveBody) => send<unknown>('POST', `/api/packets/${seg(id)}/moves`, body),
  offer: (id: string, body: HandoverBody) => send<Handover>('POST', `/api/packets/${seg(id)}/handovers`, body),
  confirm: (handoverId: string, sealSeen: string, condition: Condition) =>
    send<unknown>('POST', `/api/handovers/${seg(handoverId)}/confirm`, { sealSeen, condition }),
  decline: (handoverId: string, reason: string) => send<unknown>('POST', `/api/handovers/${seg(handoverId)}/decline`, { reason }),
  myHandovers: () =>
    send<{
      handovers: Handover[]
      offered?: Handover[]
      people?: People
      packets?: Record<string, { roomId: string | null; copies: { first: number; last: number } }>
      rooms?: Record<string, string>
    }>('GET', '/api/handovers?mine=1'),
  open: (id: string, sealSeen: string, second: Witness) => send<unknown>('POST', `/api/packets/${seg(id)}/open`, { sealSeen, second }),
  recover: (id: string, counts: RecoveryCounts) => send<unknown>('POST', `/api/packets/${seg(id)}/recover`, { counts }),

  leaks: () => send<{ leaks: LeakReport[] } & LeakNames>('GET', '/api/leaks'),
  leak: (id: string) => send<{ report: LeakReport; trace: ExposureTrace | null } & LeakNames>('GET', `/api/leaks/${seg(id)}`),
  fileLeak: (body: { paperId?: string; packetId?: string; copyNumber?: number; level: LeakLevel; description: string }) =>
    send<LeakFiled>('POST', '/api/leaks', body),
  decideLeak: (id: string, verdict: 'confirm' | 'dismiss', reason: string) => send<unknown>('POST', `/api/leaks/${seg(id)}/${verdict}`, { reason }),
  sessionDecision: (id: string, sessionId: string, decision: 'suspend' | 'switch_to_paper_b', reason: string) =>
    send<unknown>('POST', `/api/leaks/${seg(id)}/decisions`, { sessionId, decision, reason }),
  traceCopy: (copyNumber: number, paperId: string) => send<CopyTrace & LeakNames>('GET', `/api/trace/copies/${copyNumber}${query({ paperId })}`),

  disposalsDue: () =>
    send<{ today: string; packets: Packet[]; rooms?: Record<string, string>; papers?: Record<string, { title: string }> }>('GET', '/api/disposals/due'),
  dispose: (packetIds: string[], method: string, witness: Witness) =>
    send<{ list: { id: string; packetIds: string[]; method: string; disposedBy: string; witnessedBy: string }; packets: Packet[] }>('POST', '/api/disposals', {
      packetIds,
      method,
      witness,
    }),
  disposalPage: () => '/custody/disposal',
  alerts: (open: boolean) =>
    send<{ alerts: Alert[]; people?: People; packets?: Record<string, PacketRef>; papers?: Record<string, { title: string }>; rooms?: Record<string, string> }>(
      'GET',
      `/api/alerts${open ? '?open=1' : ''}`,
    ),
  acknowledge: (id: string) => send<unknown>('POST', `/api/alerts/${seg(id)}/acknowledge`),

  packetReport: (id: string) => send<CustodyReport>('GET', `/api/reports/packets/${seg(id)}`),

  labelUrl: (packetId: string) => `/packets/${seg(packetId)}/label`,
  packetPage: (packetId: string) => `/custody/packets/${seg(packetId)}`,
  paperPage: (paperId: string) => `/custody/papers/${seg(paperId)}`,
  paperReportPage: (paperId: string) => `/reports/papers/${seg(paperId)}`,
  packetReportPage: (packetId: string) => `/reports/packets/${seg(packetId)}`,
}
