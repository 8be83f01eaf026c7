/**
 * Packet moves made by one person with a witness, or by one person alone: seal, store, reseal, reconcile,
 * void, freeze, unfreeze. Each returns the next packet and the events to append, or a refusal and no change.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { blank, isPerson, isSealNumber, normalizeSeal, packetEvent, sealMatches, seenSeal } from './_events.ts'
import { checkMove, checkSecond, targetState } from './_moves.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { Actor, CustodyEventDraft, Instant, Packet } from './_types.ts'

export interface PacketDecision {
  packet: Packet
  events: CustodyEventDraft[]
}
type Decided = Result<PacketDecision, CustodyRefusal>

/** A packet in someone's hands moves only with that person taking part (chain of custody, R5.3). */
export function checkPresent(packet: Packet, people: readonly string[]): Result<Packet, CustodyRefusal> {
  if (isPerson(packet.holder) && !people.includes(packet.holder.userId)) {
    return refuse({ code: 'packet.not_holder', packetId: packet.id, userId: people[0] ?? '', holder: packet.holder })
  }
  return ok(packet)
}

export function checkSeal(packet: Packet, seen: string | null | undefined, seenBy: string): Result<Packet, CustodyRefusal> {
  if (sealMatches(packet.sealNumber, seen)) return ok(packet)
  // Blind check (R5.3): the refusal names what was seen, never what was expected.
  return refuse({ code: 'packet.seal_mismatch', packetId: packet.id, seen: seenSeal(seen), seenBy })
}

/** A new tamper-evident seal: well-formed, and never used before on this or (says the store) any other packet. */
function checkNewSeal(packet: Packet, sealNumber: string, sealTaken: boolean): Result<string, CustodyRefusal> {
  const s = normalizeSeal(sealNumber)
  if (!isSealNumber(s)) return refuse({ code: 'seal.invalid', sealNumber })
  if (sealTaken || packet.seals.includes(s)) return refuse({ code: 'seal.already_used', sealNumber: s })
  return ok(s)
}

export interface WitnessedCmd {
  actor: Actor
  witness: Actor
}

/** R5.3: sealing records the tamper-evident seal number, witnessed. `sealTaken`: the store already knows this number. */
export function decideSeal(packet: Packet, cmd: WitnessedCmd & { sealNumber: string }, ctx: { sealTaken: boolean }, now: Instant): Decided {
  const move = checkMove(packet, 'seal', cmd.actor)
  if (!move.ok) return move
  const second = checkSecond(packet, move.value, cmd.actor, cmd.witness)
  if (!second.ok) return second
  const present = checkPresent(packet, [cmd.actor.userId, cmd.witness.userId])
  if (!present.ok) return present
  const seal = checkNewSeal(packet, cmd.sealNumber, ctx.sealTaken)
  if (!seal.ok) return seal
  const next: Packet = { ...packet, state: targetState(packet, move.value), sealNumber: seal.value, seals: [...packet.seals, seal.value], updatedAt: now }
  return ok({ packet: next, events: [packetEvent('seal', packet, next, [cmd.actor.userId, cmd.witness.userId], { witness: cmd.witness.userId })] })
}

/** Into the vault, by two keyholders, the seal checked: a sealed packet, or an unopened one that came back. */
export function decideStore(packet: Packet, cmd: WitnessedCmd & { sealSeen: string }, now: Instant): Decided {
  const move = checkMove(packet, 'store', cmd.actor)
  if (!move.ok) return move
  const second = checkSecond(packet, move.value, cmd.actor, cmd.witness)
  if (!second.ok) return second
  const present = checkPresent(packet, [cmd.actor.userId, cmd.witness.userId])
  if (!present.ok) return present
  const seal = checkSeal(packet, cmd.sealSeen, cmd.actor.userId)
  if (!seal.ok) return seal
  const next: Packet = { ...packet, state: targetState(packet, move.value), holder: { place: 'vault' }, updatedAt: now }
  return ok({
    packet: next,
    events: [packetEvent('store', packet, next, [cmd.actor.userId, cmd.witness.userId], { witness: cmd.witness.userId, sealSeen: seenSeal(cmd.sealSeen) })],
  })
}

/** R5.5: recovered material is resealed with a new seal, witnessed; the resealer takes it. */
export function decideReseal(packet: Packet, cmd: WitnessedCmd & { sealNumber: string }, ctx: { sealTaken: boolean }, now: Instant): Decided {
  const move = checkMove(packet, 'reseal', cmd.actor)
  if (!move.ok) return move
  const second = checkSecond(packet, move.value, cmd.actor, cmd.witness)
  if (!second.ok) return second
  if (packet.sealNumber !== null) return refuse({ code: 'packet.already_sealed', packetId: packet.id })
  const present = checkPresent(packet, [cmd.actor.userId, cmd.witness.userId])
  if (!present.ok) return present
  const seal = checkNewSeal(packet, cmd.sealNumber, ctx.sealTaken)
  if (!seal.ok) return seal
  const next: Packet = {
    ...packet,
    state: targetState(packet, move.value),
    sealNumber: seal.value,
    seals: [...packet.seals, seal.value],
    holder: { userId: cmd.actor.userId },
    updatedAt: now,
  }
  return ok({ packet: next, events: [packetEvent('reseal', packet, next, [cmd.actor.userId, cmd.witness.userId], { witness: cmd.witness.userId }, true)] })
}

/**
 * The custodian who has the returned, resealed packet checks its seal and accepts the recovery record
 * (balanced, or its incident on file: R5.5).
 */
export function decideReconcile(packet: Packet, cmd: { actor: Actor; sealSeen: string }, now: Instant): Decided {
  const move = checkMove(packet, 'reconcile', cmd.actor)
  if (!move.ok) return move
  if (!isPerson(packet.holder) || packet.holder.userId !== cmd.actor.userId) {
    return refuse({ code: 'packet.not_holder', packetId: packet.id, userId: cmd.actor.userId, holder: packet.holder })
  }
  if (packet.recovery === null) return refuse({ code: 'recovery.missing', packetId: packet.id })
  if (packet.sealNumber === null) return refuse({ code: 'packet.not_resealed', packetId: packet.id })
  const seal = checkSeal(packet, cmd.sealSeen, cmd.actor.userId)
  if (!seal.ok) return seal
  const next: Packet = { ...packet, state: targetState(packet, move.value), updatedAt: now }
  const r = packet.recovery
  return ok({
    packet: next,
    events: [
      packetEvent('reconcile', packet, next, [cmd.actor.userId], {
        sealSeen: seenSeal(cmd.sealSeen),
        balanced: r.balanced,
        incidentId: r.incidentId,
        difference: { ...r.difference },
      }),
    ],
  })
}

/**
 * A packet taken out of use with a reason: a misprint or a cancelled room (custodian and witness, the
 * packet's holder among them), or a frozen packet of a confirmed leak (a supervisor, R5.4). It stays
 * physical evidence: it is returned and archived like any other (R5.5).
 */
export function decideVoid(packet: Packet, cmd: { actor: Actor; witness?: Actor | null; reason: string }, now: Instant): Decided {
  const move = checkMove(packet, 'void', cmd.actor)
  if (!move.ok) return move
  const second = checkSecond(packet, move.value, cmd.actor, cmd.witness)
  if (!second.ok) return second
  if (move.value.witnesses && cmd.witness) {
    const present = checkPresent(packet, [cmd.actor.userId, cmd.witness.userId])
    if (!present.ok) return present
  }
  if (blank(cmd.reason)) return refuse({ code: 'void.reason_required', packetId: packet.id })
  const next: Packet = { ...packet, state: targetState(packet, move.value), frozenFrom: null, voidReason: cmd.reason.trim(), updatedAt: now }
  const people = cmd.witness ? [cmd.actor.userId, cmd.witness.userId] : [cmd.actor.userId]
  return ok({ packet: next, events: [packetEvent('void', packet, next, people, { reason: cmd.reason.trim(), witness: cmd.witness?.userId ?? null })] })
}

/** R5.4: a leak report freezes the packet where it is, remembering its state. Used by fileLeak. */
export function decideFreeze(packet: Packet, cmd: { actor: Actor; leakId: string }, now: Instant): Decided {
  const move = checkMove(packet, 'freeze', cmd.actor)
  if (!move.ok) return move
  const next: Packet = { ...packet, state: targetState(packet, move.value), frozenFrom: packet.state, updatedAt: now }
  return ok({ packet: next, events: [packetEvent('freeze', packet, next, [cmd.actor.userId], { leakId: cmd.leakId })] })
}

/** R5.4: a dismissed report returns the packet to the state it was frozen in. Used by dismissLeak. */
export function decideUnfreeze(packet: Packet, cmd: { actor: Actor; leakId: string }, now: Instant): Decided {
  const move = checkMove(packet, 'unfreeze', cmd.actor)
  if (!move.ok) return move
  const next: Packet = { ...packet, state: targetState(packet, move.value), frozenFrom: null, updatedAt: now }
  return ok({ packet: next, events: [packetEvent('unfreeze', packet, next, [cmd.actor.userId], { leakId: cmd.leakId })] })
}
