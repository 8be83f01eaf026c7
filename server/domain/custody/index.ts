// Custody of papers (R5.1–R5.5): printing under two-person control, packets moved by an explicit
// state table, two-sided handovers, opening and recovery in the room, archive and disposal, leaks and their
// exposure trace. Pure: no I/O; times and ids are passed in; each decision returns the next records and the
// custody-log event drafts to append, or a refusal with a stable code and no change.
export type {
  Actor,
  CivilDate,
  Condition,
  CopyRange,
  CustodyEventDraft,
  DisposalList,
  EventValue,
  Handover,
  HandoverAction,
  HandoverState,
  Holder,
  Incident,
  Instant,
  LeakLevel,
  LeakReport,
  LeakState,
  Packet,
  PacketAction,
  PacketContents,
  PacketPlan,
  PacketState,
  Paper,
  PaperKind,
  PaperState,
  PerCopy,
  Place,
  PrintJob,
  PrintJobState,
  PrintTarget,
  PrintWindow,
  PrintWindowConfig,
  Recovery,
  RecoveryCounts,
  Retention,
  SessionDecision,
  SessionRef,
  TraceEvent,
} from './_types.ts'
export { HANDOVER_ACTIONS, PACKET_ACTIONS, PACKET_STATES, PAPER_KINDS } from './_types.ts'
export type { CustodyCode, CustodyRefusal, StepPart } from './_refusals.ts'

export type { PacketMove } from './_moves.ts'
export { PACKET_EVENTS, PACKET_MOVES, allowedFrom, checkMove, findMove, movesFor } from './_moves.ts'
export { normalizeSeal } from './_events.ts'
export { ALERT_PREFIX, alertFor, isAlert } from './_alerts.ts'

export type { PrintRequest } from './_print.ts'
export {
  DEFAULT_PRINT_WINDOW,
  approvePrint,
  cancelPrint,
  checkPaperActive,
  decideDecrypt,
  decidePrint,
  lapseApprovals,
  packetOfCopy,
  planPackets,
  printWindow,
  requestPrint,
} from './_print.ts'

export type { CustodySettings, NewPaper, PaperAction, PaperRefusal } from './_papers.ts'
export {
  BINDING_JOB_STATES,
  DEFAULT_CUSTODY_SETTINGS,
  MAX_TITLE_LENGTH,
  ONE_PER_SESSION,
  PAPER_ROLES,
  ROOMLESS_KINDS,
  checkCopiesPrinted,
  checkCustodySettings,
  checkFileChange,
  checkPaperRole,
  decideCreatePaper,
  decideSettings,
  lastCopyNumber,
  plannedCopies,
  printTargets,
} from './_papers.ts'

export type { PacketDecision, WitnessedCmd } from './_packets.ts'
export { decideFreeze, decideReconcile, decideReseal, decideSeal, decideStore, decideUnfreeze, decideVoid } from './_packets.ts'
export type { HandoverOffer } from './_handover.ts'
export { closeHandover, confirmHandover, offerHandover } from './_handover.ts'
export type { OpenContext } from './_room.ts'
export { decideOpen, decideRecovery, earliestOpening, reconcileCounts } from './_room.ts'
export { RETENTION_YEARS, decideArchive, decideDispose, retentionOf } from './_archive.ts'

export type { SealParties, ScreenedPacket } from './_seals.ts'
export { hideSeal, screenPacket, sealHiddenFrom } from './_seals.ts'

export type { LeakFiling, ReporterScope } from './_leaks.ts'
export { LEAK_DECIDERS, LEAK_REPORTERS, LEAK_WIDE_REPORTERS, confirmLeak, dismissLeak, fileLeak, suspendSessions, switchToPaperB } from './_leaks.ts'
export type { CopyTrace, ExposureTrace, PacketExposure, TraceStep } from './_trace.ts'
export { exposureTrace, traceCopy } from './_trace.ts'
