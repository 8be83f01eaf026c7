/**
 * The records of paper custody (R5.1–R5.5): papers, print jobs, packets, handovers, recoveries,
 * leak reports. Plain data; times are epoch milliseconds passed in, civil dates 'YYYY-MM-DD' in CST.
 */
import type { Role } from '../accounts/index.ts'
import type { CivilDate } from '../calendar/index.ts'

export type { CivilDate, Role }
/** Epoch milliseconds. */
export type Instant = number

/** The person acting, as the service authenticated them (their own login) with the roles of their account. */
export interface Actor {
  userId: string
  roles: readonly Role[]
}

// ---------- papers and print jobs ----------

export const PAPER_KINDS = ['paper_a', 'paper_b', 'answer_key', 'practical_tasks', 'exam_data'] as const
export type PaperKind = (typeof PAPER_KINDS)[number]

/** active → frozen (a leak report is open, R5.4) → active (dismissed) or retired (confirmed). */
export type PaperState = 'active' | 'frozen' | 'retired'

/** One confidential paper of an exam session (R5.1); its file is encrypted elsewhere, this is its custody state. */
export interface Paper {
  id: string
  examSessionId: string
  kind: PaperKind
  title: string
  state: PaperState
  /** The open leak reports that hold it frozen; it thaws only when the last one is dismissed. */
  frozenBy: string[]
  updatedAt: Instant
}

/** The batch's decryption window (R5.2 +), e.g. from 24 h to 1 h before the session starts. */
export interface PrintWindowConfig {
  opensMinutesBefore: number
  closesMinutesBefore: number
}
/** The window of one session: decryption is allowed for opensAt <= now < closesAt. */
export interface PrintWindow {
  opensAt: Instant
  closesAt: Instant
}

/** A room to print for: one packet of `seats` copies plus the job's spares. `roomId: null` is material for no room (answer key, exam data). */
export interface PrintTarget {
  roomId: string | null
  seats: number
}

/** What goes into a packet with each copy of the paper. */
export interface PerCopy {
  answerSheets: number
  scratchPaper: number
}

/** requested → approved (two different custodians) → decrypted (in the window) → printed; or cancelled. */
export type PrintJobState = 'requested' | 'approved' | 'decrypted' | 'printed' | 'cancelled'

export interface PrintJob {
  id: string
  paperId: string
  examSessionId: string
  state: PrintJobState
  requestedBy: string
  requestedAt: Instant
  targets: PrintTarget[]
  sparesPerRoom: number
  perCopy: PerCopy
  /** Copy numbers of this job start here: consecutive over all jobs of the paper, so a copy number names one copy. */
  firstCopy: number
  /** Distinct custodians, in order of approval; two are needed. */
  approvals: string[]
  /**
   * The decryption window the approvals were given under (decision record 006): when the window moves (the
   * batch's settings, the session's time) the approvals lapse and two custodians approve again. Absent on a
   * job approved before approvals were bound, which therefore counts as lapsed.
   */
  approvalWindow?: PrintWindow | null
  decryptedBy: string | null
  decryptedAt: Instant | null
  printedBy: string | null
  printedAt: Instant | null
  /** The recorded output: number of copies printed. */
  copies: number | null
  updatedAt: Instant
}

/** One planned packet: a room's seats plus spares, with consecutive copy numbers. */
export interface PacketPlan {
  roomId: string | null
  seats: number
  spares: number
  copies: CopyRange
  contents: PacketContents
}

// ---------- packets ----------

export const PACKET_STATES = [
  'printed',
  'sealed',
  'in_vault',
  'issued',
  'received',
  'opened',
  'recovered',
  'reconciled',
  'archived',
  'destroyed',
  'frozen',
  'voided',
] as const
export type PacketState = (typeof PACKET_STATES)[number]

export const PACKET_ACTIONS = [
  'seal',
  'store',
  'issue',
  'hand_over',
  'receive',
  'send_back',
  'open',
  'recover',
  'reseal',
  'return',
  'reconcile',
  'archive',
  'dispose',
  'freeze',
  'unfreeze',
  'void',
] as const
export type PacketAction = (typeof PACKET_ACTIONS)[number]

/** The moves that are two-sided handovers (offered by the giver, confirmed by the receiver). */
export const HANDOVER_ACTIONS = ['issue', 'hand_over', 'receive', 'send_back', 'return'] as const
export type HandoverAction = (typeof HANDOVER_ACTIONS)[number]

/** Copy numbers first..last inclusive. */
export interface CopyRange {
  first: number
  last: number
}

export interface PacketContents {
  copies: number
  answerSheets: number
  scratchPaper: number
}

/** A place that holds a packet when no one person does. */
export type Place = 'vault' | 'archive' | 'destroyed' | `room:${string}`
/** Who has the packet: a person (by account id) or a place. */
export type Holder = { userId: string } | { place: Place }

export type Condition = 'intact' | 'damaged'

/** What the room counted at recovery (R5.5). used + blank + spoiled must equal the copies issued. */
export interface RecoveryCounts {
  used: number
  blank: number
  spoiled: number
  answerSheets: number
  scratchPaper: number
}

export interface Recovery {
  counts: RecoveryCounts
  expected: PacketContents
  /** Counted minus expected; negative means missing. */
  difference: PacketContents
  balanced: boolean
  incidentId: string | null
  recoveredBy: string
  recoveredAt: Instant
}

/** R5.5: kept through `keptUntil` (exam date + 3 years); disposal allowed from `disposableFrom`. */
export interface Retention {
  examDate: CivilDate
  keptUntil: CivilDate
  disposableFrom: CivilDate
}

export interface Packet {
  id: string
  paperId: string
  printJobId: string
  examSessionId: string
  roomId: string | null
  copies: CopyRange
  contents: PacketContents
  state: PacketState
  /** The seal now intact on the packet; null while unsealed or opened. */
  sealNumber: string | null
  /** Every seal ever applied, in order (the packing seal, then the reseal after recovery). */
  seals: string[]
  holder: Holder
  printedBy: string
  printedAt: Instant
  openedBy: string[]
  openedAt: Instant | null
  recovery: Recovery | null
  retention: Retention | null
  /** The state a leak report froze it in; it returns there if the report is dismissed. */
  frozenFrom: PacketState | null
  voidReason: string | null
  updatedAt: Instant
}

/** A handover waiting for the receiver (R5.3): both sides confirm, each with their own login. */
export type HandoverState = 'offered' | 'confirmed' | 'declined' | 'cancelled'

export interface Handover {
  id: string
  packetId: string
  action: HandoverAction
  /** The packet's state when offered; a handover confirms only if the packet has not moved since. */
  fromState: PacketState
  giver: string
  receiver: string
  place: string
  offeredAt: Instant
  giverSealSeen: string | null
  giverCondition: Condition
  state: HandoverState
  receiverSealSeen: string | null
  receiverCondition: Condition | null
  closedAt: Instant | null
  closeReason: string | null
}

/** A recovery whose counts do not add up (R5.5): the difference is on record. */
export interface Incident {
  id: string
  kind: 'recovery_mismatch'
  packetId: string
  paperId: string
  roomId: string | null
  difference: PacketContents
  recordedBy: string
  recordedAt: Instant
}

/** A listed, witnessed disposal (R5.5). */
export interface DisposalList {
  id: string
  packetIds: string[]
  method: string
  disposedBy: string
  witnessedBy: string
  disposedAt: Instant
}

// ---------- leaks (R5.4) ----------

export type LeakLevel = 'suspected' | 'confirmed'
export type LeakState = 'open' | 'confirmed' | 'dismissed'

/** What a supervisor decided for a session after a confirmed leak (停考, or paper B). */
export interface SessionDecision {
  sessionId: string
  decision: 'suspended' | 'switched_to_paper_b'
  /** For a switch: paper B's id. */
  paperId: string | null
  reason: string
  decidedBy: string
  decidedAt: Instant
  /** Both people the decision rests on (no one stops an exam alone): who reported the leak, who confirmed it. */
  reportedBy: string
  confirmedBy: string
}

export interface LeakReport {
  id: string
  paperId: string
  examSessionId: string
  /** How sure the filer is; the supervisor's decision is `state`. */
  level: LeakLevel
  packetId: string | null
  copyNumber: number | null
  description: string
  filedBy: string
  filedAt: Instant
  state: LeakState
  decidedBy: string | null
  decidedAt: Instant | null
  reason: string | null
  decisions: SessionDecision[]
}

/** The slice of an exam session the leak decisions change (structurally a lifecycle ExamSession). */
export interface SessionRef {
  id: string
  status: 'scheduled' | 'suspended' | 'completed'
}

// ---------- events ----------

/** The values an event may carry: JSON without floats (audit's Canonical). */
export type EventValue = null | boolean | number | string | EventValue[] | { [k: string]: EventValue }

/**
 * What a decision asks the service to append to the custody log; the service adds the actor (the login
 * that made the call). Every packet event's data names `people` (every person present at the step) and
 * `holder` (who has the packet after it), which is what the exposure trace reads back.
 */
export interface CustodyEventDraft {
  action: string
  subject: { type: 'packet' | 'paper' | 'print_job' | 'leak' | 'incident' | 'exam_session' | 'disposal'; id: string }
  where: { room: string } | null
  data: { [k: string]: EventValue }
}

/** A log entry as the trace reads it (the shape of audit's LogEvent, loosely). */
export interface TraceEvent {
  index: number
  time: string | number
  action: string
  actor: { user: string } | { system: string }
  subject: { type: string; id: string } | null
  data: { [k: string]: unknown }
}
