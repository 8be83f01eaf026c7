/**
 * Handovers (R5.3): the giver offers, the receiver confirms with their own login. Both record the seal
 * number they see and the packet's condition; a seal that does not match, or a damaged packet, blocks the
 * handover and raises an alert (alertFor). Giver and receiver are always two different people.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { blank, holderData, isPerson, packetEvent, seenSeal } from './_events.ts'
import { checkMove, checkReceiver, findMove, targetState } from './_moves.ts'
import { checkSeal } from './_packets.ts'
import { checkPaperActive } from './_print.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { Actor, Condition, CustodyEventDraft, Handover, HandoverAction, Instant, Packet, Paper } from './_types.ts'

/** Moves that carry the paper further out: refused for a frozen or retired paper (R5.4), whatever the packet's state. */
const SPREADING: ReadonlySet<HandoverAction> = new Set(['issue', 'hand_over', 'receive'])

export interface HandoverOffer {
  id: string
  action: HandoverAction
  giver: Actor
  /** The receiver's account as the store knows it; they confirm later with their own login. */
  receiver: Actor
  place: string
  sealSeen: string | null
  condition: Condition
}

function checkCondition(packet: Packet, condition: Condition, seenBy: string): Result<Packet, CustodyRefusal> {
  return condition === 'intact' ? ok(packet) : refuse({ code: 'packet.damaged', packetId: packet.id, seenBy })
}

function samePaper(packet: Packet, paper: Paper): void {
  if (packet.paperId !== paper.id) throw new Error(`packet ${packet.id} is of paper ${packet.paperId}, not ${paper.id}`)
}

/** The giver offers the packet to a named receiver. `pending`: the packet's open handover, if any. */
export function offerHandover(
  packet: Packet,
  paper: Paper,
  cmd: HandoverOffer,
  ctx: { pending: Handover | null },
  now: Instant,
): Result<{ handover: Handover; events: CustodyEventDraft[] }, CustodyRefusal> {
  samePaper(packet, paper)
  const move = checkMove(packet, cmd.action, cmd.giver)
  if (!move.ok) return move
  if (!move.value.receiver) return refuse({ code: 'handover.not_a_handover', action: cmd.action })
  const receiver = checkReceiver(packet, move.value, cmd.giver.userId, cmd.receiver)
  if (!receiver.ok) return receiver
  if (isPerson(packet.holder) && packet.holder.userId !== cmd.giver.userId) {
    return refuse({ code: 'packet.not_holder', packetId: packet.id, userId: cmd.giver.userId, holder: packet.holder })
  }
  // R5.5: recovered material leaves the room only resealed.
  if (packet.state === 'recovered' && packet.sealNumber === null) return refuse({ code: 'packet.not_resealed', packetId: packet.id })
  if (ctx.pending && ctx.pending.state === 'offered') {
    return refuse({ code: 'handover.already_pending', packetId: packet.id, handoverId: ctx.pending.id })
  }
  if (blank(cmd.place)) return refuse({ code: 'handover.place_required' })
  if (SPREADING.has(cmd.action)) {
    const active = checkPaperActive(paper)
    if (!active.ok) return active
  }
  const seal = checkSeal(packet, cmd.sealSeen, cmd.giver.userId)
  if (!seal.ok) return seal
  const condition = checkCondition(packet, cmd.condition, cmd.giver.userId)
  if (!condition.ok) return condition
  const handover: Handover = {
    id: cmd.id,
    packetId: packet.id,
    action: cmd.action,
    fromState: packet.state,
    giver: cmd.giver.userId,
    receiver: cmd.receiver.userId,
    place: cmd.place.trim(),
    offeredAt: now,
    giverSealSeen: seenSeal(cmd.sealSeen),
    giverCondition: cmd.condition,
    state: 'offered',
    receiverSealSeen: null,
    receiverCondition: null,
    closedAt: null,
    closeReason: null,
  }
  return ok({
    handover,
    events: [
      {
        action: 'custody.handover.offered',
        subject: { type: 'packet', id: packet.id },
        where: null,
        data: {
          paperId: packet.paperId,
          handoverId: handover.id,
          move: handover.action,
          giver: handover.giver,
          receiver: handover.receiver,
          place: handover.place,
          sealSeen: handover.giverSealSeen,
          condition: handover.giverCondition,
          holder: holderData(packet.holder),
          people: [handover.giver],
        },
      },
    ],
  })
}

/** The receiver, logged in themself, confirms: the packet moves to them and the handover closes. */
export function confirmHandover(
  packet: Packet,
  paper: Paper,
  handover: Handover,
  cmd: { actor: Actor; sealSeen: string | null; condition: Condition },
  now: Instant,
): Result<{ packet: Packet; handover: Handover; events: CustodyEventDraft[] }, CustodyRefusal> {
  samePaper(packet, paper)
  if (handover.packetId !== packet.id) throw new Error(`handover ${handover.id} is for packet ${handover.packetId}, not ${packet.id}`)
  if (handover.state !== 'offered') return refuse({ code: 'handover.not_pending', handoverId: handover.id, state: handover.state })
  if (cmd.actor.userId === handover.giver) return refuse({ code: 'handover.same_person', packetId: packet.id, userId: cmd.actor.userId })
  if (cmd.actor.userId !== handover.receiver) return refuse({ code: 'handover.not_receiver', handoverId: handover.id, userId: cmd.actor.userId })
  if (packet.state !== handover.fromState) {
    // A leak report froze the packet while the offer was open: say so, rather than "stale".
    if (packet.state === 'frozen') return refuse({ code: 'packet.frozen', packetId: packet.id, action: handover.action, frozenFrom: packet.frozenFrom })
    return refuse({ code: 'handover.stale', handoverId: handover.id, offeredFrom: handover.fromState, state: packet.state })
  }
  const move = findMove(packet.state, handover.action)
  if (!move) throw new Error(`handover ${handover.id} was offered for an unlisted move ${packet.state}/${handover.action}`)
  const receiver = checkReceiver(packet, move, handover.giver, cmd.actor)
  if (!receiver.ok) return receiver
  if (SPREADING.has(handover.action)) {
    const active = checkPaperActive(paper)
    if (!active.ok) return active
  }
  const seal = checkSeal(packet, cmd.sealSeen, cmd.actor.userId)
  if (!seal.ok) return seal
  const condition = checkCondition(packet, cmd.condition, cmd.actor.userId)
  if (!condition.ok) return condition
  const next: Packet = { ...packet, state: targetState(packet, move), holder: { userId: cmd.actor.userId }, updatedAt: now }
  const closed: Handover = {
    ...handover,
    state: 'confirmed',
    receiverSealSeen: seenSeal(cmd.sealSeen),
    receiverCondition: cmd.condition,
    closedAt: now,
  }
  return ok({
    packet: next,
    handover: closed,
    events: [
      packetEvent(handover.action, packet, next, [handover.giver, cmd.actor.userId], {
        handoverId: handover.id,
        giver: handover.giver,
        receiver: handover.receiver,
        place: handover.place,
        offeredAt: handover.offeredAt,
        giverSealSeen: handover.giverSealSeen,
        giverCondition: handover.giverCondition,
        receiverSealSeen: closed.receiverSealSeen,
        receiverCondition: cmd.condition,
      }),
    ],
  })
}

/** The receiver declines, or the giver withdraws, an open offer; the packet stays with the giver. */
export function closeHandover(
  handover: Handover,
  cmd: { actor: Actor; reason: string },
  now: Instant,
): Result<{ handover: Handover; events: CustodyEventDraft[] }, CustodyRefusal> {
  if (handover.state !== 'offered') return refuse({ code: 'handover.not_pending', handoverId: handover.id, state: handover.state })
  const by = cmd.actor.userId
  if (by !== handover.giver && by !== handover.receiver) return refuse({ code: 'handover.not_party', handoverId: handover.id, userId: by })
  const state = by === handover.receiver ? 'declined' : 'cancelled'
  const closed: Handover = { ...handover, state, closedAt: now, closeReason: cmd.reason.trim() }
  return ok({
    handover: closed,
    events: [
      {
        action: `custody.handover.${state}`,
        subject: { type: 'packet', id: handover.packetId },
        where: null,
        data: { handoverId: handover.id, move: handover.action, reason: closed.closeReason, people: [by] },
      },
    ],
  })
}
