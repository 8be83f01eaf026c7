/**
 * The packet state machine as a table (STYLE.md). A (state, action) pair not listed is refused with no
 * change; a listed move is open only to its roles. Every decision function starts from `checkMove`.
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { Actor, Packet, PacketAction, PacketState } from './_types.ts'

/** `to: 'previous'` is the state a leak report froze the packet in (R5.4, a dismissed report). */
export interface PacketMove {
  from: PacketState
  action: PacketAction
  to: PacketState | 'previous'
  /** Who makes the move (for a handover: the giver). */
  who: readonly Role[]
  /** A second, different person acts too: the receiver of a handover, or a co-actor holding `who` (opening). */
  twoPerson?: true
  /** For a handover: the roles the receiver may hold. */
  receiver?: readonly Role[]
  /** A different person attests the step, holding one of `witnessRoles`. */
  witnesses?: 1
  witnessRoles?: readonly Role[]
}

const CUSTODIAN: readonly Role[] = ['custodian']
const INVIGILATOR: readonly Role[] = ['invigilator']
const SUPERVISOR: readonly Role[] = ['supervisor']
/** Couriers are custodians; at the site an invigilator or a site custodian takes over. */
const CARRIERS: readonly Role[] = ['custodian', 'invigilator']
/** R5.4: whoever may file a leak report freezes the paper's packets by filing it. */
const REPORTERS: readonly Role[] = ['custodian', 'invigilator', 'supervisor']
/** Two keyholders at the vault ("two locks, keys with different people"). */
const KEYHOLDER_WITNESS: readonly Role[] = ['custodian']
const OFFICE_WITNESS: readonly Role[] = ['custodian', 'supervisor']
const ROOM_WITNESS: readonly Role[] = ['custodian', 'invigilator', 'supervisor']

const witnessed = (witnessRoles: readonly Role[]) => ({ witnesses: 1 as const, witnessRoles })
const handover = (receiver: readonly Role[]) => ({ twoPerson: true as const, receiver })

/**
 * printed → sealed → in_vault → issued → received → opened → recovered → reconciled → archived → destroyed,
 * plus frozen (a leak report, R5.4) and voided. Self-loops change the holder or the seal, not the state.
 */
export const PACKET_MOVES: readonly PacketMove[] = [
  { from: 'printed', action: 'seal', to: 'sealed', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'sealed', action: 'store', to: 'in_vault', who: CUSTODIAN, ...witnessed(KEYHOLDER_WITNESS) },
  { from: 'in_vault', action: 'issue', to: 'issued', who: CUSTODIAN, ...handover(CARRIERS) },
  { from: 'issued', action: 'hand_over', to: 'issued', who: CARRIERS, ...handover(CARRIERS) },
  { from: 'issued', action: 'receive', to: 'received', who: CARRIERS, ...handover(CARRIERS) },
  // an unopened packet travels back (a backup not used, a suspended session) and goes into the vault again
  { from: 'issued', action: 'store', to: 'in_vault', who: CUSTODIAN, ...witnessed(KEYHOLDER_WITNESS) },
  { from: 'received', action: 'hand_over', to: 'received', who: CARRIERS, ...handover(CARRIERS) },
  { from: 'received', action: 'send_back', to: 'issued', who: CARRIERS, ...handover(CARRIERS) },
  { from: 'received', action: 'open', to: 'opened', who: INVIGILATOR, twoPerson: true },
  { from: 'opened', action: 'recover', to: 'recovered', who: INVIGILATOR },
  { from: 'recovered', action: 'reseal', to: 'recovered', who: CARRIERS, ...witnessed(ROOM_WITNESS) },
  { from: 'recovered', action: 'return', to: 'recovered', who: CARRIERS, ...handover(CUSTODIAN) },
  { from: 'recovered', action: 'reconcile', to: 'reconciled', who: CUSTODIAN },
  { from: 'reconciled', action: 'archive', to: 'archived', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'in_vault', action: 'archive', to: 'archived', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'voided', action: 'archive', to: 'archived', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'archived', action: 'dispose', to: 'destroyed', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  // R5.4: a packet that could still spread the paper is frozen where it is
  { from: 'printed', action: 'freeze', to: 'frozen', who: REPORTERS },
  { from: 'sealed', action: 'freeze', to: 'frozen', who: REPORTERS },
  { from: 'in_vault', action: 'freeze', to: 'frozen', who: REPORTERS },
  { from: 'issued', action: 'freeze', to: 'frozen', who: REPORTERS },
  { from: 'received', action: 'freeze', to: 'frozen', who: REPORTERS },
  { from: 'frozen', action: 'return', to: 'frozen', who: CARRIERS, ...handover(CUSTODIAN) },
  { from: 'frozen', action: 'unfreeze', to: 'previous', who: SUPERVISOR },
  { from: 'frozen', action: 'void', to: 'voided', who: SUPERVISOR },
  { from: 'printed', action: 'void', to: 'voided', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'sealed', action: 'void', to: 'voided', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'in_vault', action: 'void', to: 'voided', who: CUSTODIAN, ...witnessed(OFFICE_WITNESS) },
  { from: 'voided', action: 'return', to: 'voided', who: CARRIERS, ...handover(CUSTODIAN) },
]

/** The past-tense log action of each packet move. */
export const PACKET_EVENTS: Record<PacketAction, string> = {
  seal: 'custody.packet.sealed',
  store: 'custody.packet.stored',
  issue: 'custody.packet.issued',
  hand_over: 'custody.packet.handed_over',
  receive: 'custody.packet.received',
  send_back: 'custody.packet.sent_back',
  open: 'custody.packet.opened',
  recover: 'custody.packet.recovered',
  reseal: 'custody.packet.resealed',
  return: 'custody.packet.returned',
  reconcile: 'custody.packet.reconciled',
  archive: 'custody.packet.archived',
  dispose: 'custody.packet.destroyed',
  freeze: 'custody.packet.frozen',
  unfreeze: 'custody.packet.unfrozen',
  void: 'custody.packet.voided',
}

export function findMove(state: PacketState, action: PacketAction): PacketMove | undefined {
  return PACKET_MOVES.find((m) => m.from === state && m.action === action)
}

/** The states from which `action` is a listed move. */
export function allowedFrom(action: PacketAction): PacketState[] {
  return PACKET_MOVES.filter((m) => m.action === action).map((m) => m.from)
}

/** The moves `actor` could start on `packet` now (for a UI's buttons; the decision still checks everything). */
export function movesFor(packet: Packet, actor: Actor): PacketMove[] {
  return PACKET_MOVES.filter((m) => m.from === packet.state && holdsAny(actor, m.who))
}

export const holdsAny = (actor: Actor, roles: readonly Role[]): boolean => actor.roles.some((r) => roles.includes(r))

/** The table's answer for `actor` doing `action` to `packet`: the listed move, or why not. */
export function checkMove(packet: Packet, action: PacketAction, actor: Actor): Result<PacketMove, CustodyRefusal> {
  const move = findMove(packet.state, action)
  if (!move) {
    if (packet.state === 'frozen') return refuse({ code: 'packet.frozen', packetId: packet.id, action, frozenFrom: packet.frozenFrom })
    return refuse({ code: 'packet.wrong_state', packetId: packet.id, state: packet.state, action, allowedFrom: allowedFrom(action) })
  }
  if (!holdsAny(actor, move.who)) {
    return refuse({ code: 'packet.not_allowed_for_role', packetId: packet.id, action, as: 'actor', userId: actor.userId, allowed: move.who })
  }
  return ok(move)
}

/**
 * The second person of a two-person or witnessed step (not a handover's receiver: see checkReceiver).
 * One person never completes such a step alone, whatever roles they hold.
 */
export function checkSecond(packet: Packet, move: PacketMove, actor: Actor, second: Actor | null | undefined): Result<PacketMove, CustodyRefusal> {
  const part = move.witnesses ? 'witness' : 'second'
  const roles = move.witnesses ? (move.witnessRoles ?? []) : move.who
  const step = `packet.${move.action}`
  if (!move.witnesses && !move.twoPerson) return ok(move)
  if (!second) return refuse({ code: 'twoperson.second_required', step, as: part })
  if (second.userId === actor.userId) return refuse({ code: 'twoperson.same_person', step, userId: actor.userId })
  if (!holdsAny(second, roles)) {
    return refuse({ code: 'packet.not_allowed_for_role', packetId: packet.id, action: move.action, as: part, userId: second.userId, allowed: roles })
  }
  return ok(move)
}

/** A handover's receiver: someone other than the giver, in a role the move lets receive (R5.3). */
export function checkReceiver(packet: Packet, move: PacketMove, giverId: string, receiver: Actor): Result<PacketMove, CustodyRefusal> {
  if (receiver.userId === giverId) return refuse({ code: 'handover.same_person', packetId: packet.id, userId: giverId })
  const roles = move.receiver ?? []
  if (!holdsAny(receiver, roles)) {
    return refuse({ code: 'packet.not_allowed_for_role', packetId: packet.id, action: move.action, as: 'receiver', userId: receiver.userId, allowed: roles })
  }
  return ok(move)
}

/** The state a listed move leads to for this packet. */
export function targetState(packet: Packet, move: PacketMove): PacketState {
  if (move.to !== 'previous') return move.to
  if (packet.frozenFrom === null) throw new Error(`packet ${packet.id} is frozen without a recorded previous state`)
  return packet.frozenFrom
}
