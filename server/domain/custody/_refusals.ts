/**
 * Every refusal of the custody domain, as data with a stable code (STYLE.md). An HTTP error table keyed by
 * `CustodyCode` makes a new code without a status fail to compile. Refusals change nothing; the ones that
 * are also alarms (a seal that does not match) have an alert draft from `alertFor`.
 */
import type { Role } from '../accounts/index.ts'
import type { CivilDate, Holder, Instant, LeakState, PacketAction, PacketState, PaperState, PrintJobState, HandoverState } from './_types.ts'

/** Which person of a step a role or identity refusal is about. */
export type StepPart = 'actor' | 'second' | 'witness' | 'receiver'

export type CustodyRefusal =
  // the state table (STYLE.md: state machines are tables)
  | { code: 'packet.wrong_state'; packetId: string; state: PacketState; action: PacketAction; allowedFrom: PacketState[] }
  | { code: 'packet.frozen'; packetId: string; action: PacketAction; frozenFrom: PacketState | null }
  | { code: 'packet.not_allowed_for_role'; packetId: string; action: PacketAction; as: StepPart; userId: string; allowed: readonly Role[] }
  | { code: 'packet.not_holder'; packetId: string; userId: string; holder: Holder }
  // seals (R5.3): a number that does not match blocks the step and raises an alert. The check is blind: the
  // refusal never carries the expected number (supervisors read it in the alert, decision record 006).
  | { code: 'packet.seal_mismatch'; packetId: string; seen: string | null; seenBy: string }
  | { code: 'packet.damaged'; packetId: string; seenBy: string }
  | { code: 'packet.already_sealed'; packetId: string }
  | { code: 'packet.not_resealed'; packetId: string }
  | { code: 'seal.invalid'; sealNumber: string }
  | { code: 'seal.already_used'; sealNumber: string }
  // separation of duties (R5.2 +)
  | { code: 'packet.opener_printed_it'; packetId: string; userId: string }
  | { code: 'twoperson.same_person'; step: string; userId: string }
  | { code: 'twoperson.second_required'; step: string; as: 'second' | 'witness' }
  // handovers (R5.3)
  | { code: 'handover.same_person'; packetId: string; userId: string }
  | { code: 'handover.already_pending'; packetId: string; handoverId: string }
  | { code: 'handover.not_pending'; handoverId: string; state: HandoverState }
  | { code: 'handover.not_receiver'; handoverId: string; userId: string }
  | { code: 'handover.not_party'; handoverId: string; userId: string }
  | { code: 'handover.stale'; handoverId: string; offeredFrom: PacketState; state: PacketState }
  | { code: 'handover.place_required' }
  | { code: 'handover.not_a_handover'; action: PacketAction }
  // opening in the room
  | { code: 'open.too_early'; packetId: string; earliest: Instant; now: Instant }
  | { code: 'open.not_room_invigilator'; packetId: string; roomId: string | null; userId: string }
  | { code: 'open.no_room'; packetId: string }
  // recovery and reconciliation (R5.5)
  | { code: 'recovery.not_room_invigilator'; packetId: string; roomId: string | null; userId: string }
  | { code: 'recovery.counts_invalid'; field: string; value: unknown }
  | { code: 'recovery.missing'; packetId: string }
  // archive and disposal (R5.5)
  | { code: 'archive.before_exam'; packetId: string; examDate: CivilDate; today: CivilDate }
  | { code: 'dispose.too_early'; packetId: string; keptUntil: CivilDate; disposableFrom: CivilDate; today: CivilDate }
  | { code: 'dispose.list_invalid'; reason: 'empty' | 'duplicate' | 'method_required'; packetId?: string }
  | { code: 'void.reason_required'; packetId: string }
  // papers and printing (R5.2 +)
  | { code: 'paper.frozen'; paperId: string; leakIds: string[] }
  | { code: 'paper.retired'; paperId: string }
  | { code: 'print.not_allowed_for_role'; action: string; userId: string; allowed: readonly Role[] }
  | { code: 'print.wrong_state'; jobId: string; state: PrintJobState; action: string }
  | { code: 'print.needs_second_approval'; jobId: string; approvals: number }
  | { code: 'print.window_closed'; jobId: string; opensAt: Instant; closesAt: Instant; now: Instant }
  | { code: 'print.approvals_lapsed'; jobId: string }
  | { code: 'print.not_decrypter'; jobId: string; userId: string; decryptedBy: string | null }
  | { code: 'print.targets_invalid'; reason: 'empty' | 'duplicate_room' | 'seats' | 'spares' | 'per_copy'; roomId?: string | null }
  // leaks (R5.4)
  | { code: 'leak.not_allowed_for_role'; action: string; userId: string; allowed: readonly Role[] }
  | { code: 'leak.description_required' }
  | { code: 'leak.reason_required'; action: string }
  | { code: 'leak.target_invalid'; packetId: string | null; copyNumber: number | null }
  | { code: 'leak.target_required'; userId: string }
  | { code: 'leak.out_of_scope'; userId: string; packetId: string | null; copyNumber: number | null }
  | { code: 'leak.wrong_state'; leakId: string; state: LeakState; action: string }
  | { code: 'leak.not_confirmed'; leakId: string; state: LeakState }
  | { code: 'session.not_affected'; leakId: string; sessionId: string }
  | { code: 'session.wrong_state'; sessionId: string; status: string }
  | {
      code: 'paper_b.unavailable'
      reason: 'not_paper_b' | 'other_session' | 'frozen' | 'retired' | 'leaked_paper_not_a'
      paperId: string | null
      state?: PaperState
    }
  // traces
  | { code: 'trace.copy_unknown'; copyNumber: number }

export type CustodyCode = CustodyRefusal['code']
