/**
 * In the exam room: opening a packet (two invigilators of that room, not too early, seal checked) and
 * recovering it after the session (counts that must add up to what was issued, R5.5).
 */
import { type Result, ok, refuse } from '../_result.ts'
import { isPerson, packetEvent, seenSeal } from './_events.ts'
import { checkMove, checkSecond, targetState } from './_moves.ts'
import { checkSeal } from './_packets.ts'
import { checkPaperActive } from './_print.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { Actor, CustodyEventDraft, Incident, Instant, Packet, PacketContents, Paper, Recovery, RecoveryCounts } from './_types.ts'

const MINUTE_MS = 60_000

export interface OpenContext {
  /** Account ids of the invigilators assigned to the packet's room for this session. */
  roomInvigilators: readonly string[]
  sessionStartsAt: Instant
  /** The batch's setting: opening is allowed from this many minutes before the start. */
  openMinutesBefore: number
}

/** The earliest instant a packet of this session may be opened. */
export function earliestOpening(sessionStartsAt: Instant, openMinutesBefore: number): Instant {
  if (!Number.isSafeInteger(openMinutesBefore) || openMinutesBefore < 0) {
    throw new RangeError(`"openMinutesBefore" expected whole minutes >= 0, got ${openMinutesBefore}`)
  }
  return sessionStartsAt - openMinutesBefore * MINUTE_MS
}

/**
 * Two different invigilators of the packet's room open it together: neither printed it, the one who holds
 * it is one of them, the paper is not frozen, it is no earlier than allowed, and the seal is the one applied.
 */
export function decideOpen(
  packet: Packet,
  paper: Paper,
  cmd: { actor: Actor; second: Actor; sealSeen: string },
  ctx: OpenContext,
  now: Instant,
): Result<{ packet: Packet; events: CustodyEventDraft[] }, CustodyRefusal> {
  if (packet.paperId !== paper.id) throw new Error(`packet ${packet.id} is of paper ${packet.paperId}, not ${paper.id}`)
  const move = checkMove(packet, 'open', cmd.actor)
  if (!move.ok) return move
  const second = checkSecond(packet, move.value, cmd.actor, cmd.second)
  if (!second.ok) return second
  if (packet.roomId === null) return refuse({ code: 'open.no_room', packetId: packet.id })
  const openers = [cmd.actor.userId, cmd.second.userId]
  for (const id of openers) {
    if (!ctx.roomInvigilators.includes(id)) return refuse({ code: 'open.not_room_invigilator', packetId: packet.id, roomId: packet.roomId, userId: id })
  }
  // Separation of duties: whoever printed a packet never opens it.
  for (const id of openers) if (id === packet.printedBy) return refuse({ code: 'packet.opener_printed_it', packetId: packet.id, userId: id })
  if (isPerson(packet.holder) && !openers.includes(packet.holder.userId)) {
    return refuse({ code: 'packet.not_holder', packetId: packet.id, userId: cmd.actor.userId, holder: packet.holder })
  }
  const active = checkPaperActive(paper)
  if (!active.ok) return active
  const earliest = earliestOpening(ctx.sessionStartsAt, ctx.openMinutesBefore)
  if (now < earliest) return refuse({ code: 'open.too_early', packetId: packet.id, earliest, now })
  const seal = checkSeal(packet, cmd.sealSeen, cmd.actor.userId)
  if (!seal.ok) return seal
  const next: Packet = {
    ...packet,
    state: targetState(packet, move.value),
    sealNumber: null,
    holder: { place: `room:${packet.roomId}` },
    openedBy: openers,
    openedAt: now,
    updatedAt: now,
  }
  return ok({
    packet: next,
    events: [packetEvent('open', packet, next, openers, { openedBy: openers, sealSeen: seenSeal(cmd.sealSeen), sealOpened: packet.sealNumber }, true)],
  })
}

const COUNT_FIELDS = ['used', 'blank', 'spoiled', 'answerSheets', 'scratchPaper'] as const

/** Counted minus issued, per kind of material; all zero means the recovery reconciles (R5.5). */
export function reconcileCounts(expected: PacketContents, counts: RecoveryCounts): { difference: PacketContents; balanced: boolean } {
  const difference: PacketContents = {
    copies: counts.used + counts.blank + counts.spoiled - expected.copies,
    answerSheets: counts.answerSheets - expected.answerSheets,
    scratchPaper: counts.scratchPaper - expected.scratchPaper,
  }
  return { difference, balanced: difference.copies === 0 && difference.answerSheets === 0 && difference.scratchPaper === 0 }
}

/**
 * An invigilator of the room counts what comes back. If it does not add up to what was issued, the
 * difference is recorded as an incident (`incidentId` is used only then) and supervisors are alerted.
 */
export function decideRecovery(
  packet: Packet,
  cmd: { actor: Actor; counts: RecoveryCounts; incidentId: string },
  ctx: { roomInvigilators: readonly string[] },
  now: Instant,
): Result<{ packet: Packet; incident: Incident | null; events: CustodyEventDraft[] }, CustodyRefusal> {
  const move = checkMove(packet, 'recover', cmd.actor)
  if (!move.ok) return move
  if (!ctx.roomInvigilators.includes(cmd.actor.userId)) {
    return refuse({ code: 'recovery.not_room_invigilator', packetId: packet.id, roomId: packet.roomId, userId: cmd.actor.userId })
  }
  for (const f of COUNT_FIELDS) {
    const v: unknown = (cmd.counts as unknown as Record<string, unknown>)[f]
    if (!Number.isSafeInteger(v) || (v as number) < 0) return refuse({ code: 'recovery.counts_invalid', field: f, value: v ?? null })
  }
  const counts: RecoveryCounts = {
    used: cmd.counts.used,
    blank: cmd.counts.blank,
    spoiled: cmd.counts.spoiled,
    answerSheets: cmd.counts.answerSheets,
    scratchPaper: cmd.counts.scratchPaper,
  }
  const { difference, balanced } = reconcileCounts(packet.contents, counts)
  const recovery: Recovery = {
    counts,
    expected: { ...packet.contents },
    difference,
    balanced,
    incidentId: balanced ? null : cmd.incidentId,
    recoveredBy: cmd.actor.userId,
    recoveredAt: now,
  }
  const next: Packet = { ...packet, state: targetState(packet, move.value), recovery, updatedAt: now }
  const events: CustodyEventDraft[] = [
    packetEvent(
      'recover',
      packet,
      next,
      [cmd.actor.userId],
      {
        counts: { ...counts },
        expected: { ...recovery.expected },
        difference: { ...difference },
        balanced,
        incidentId: recovery.incidentId,
      },
      true,
    ),
  ]
  let incident: Incident | null = null
  if (!balanced) {
    incident = {
      id: cmd.incidentId,
      kind: 'recovery_mismatch',
      packetId: packet.id,
      paperId: packet.paperId,
      roomId: packet.roomId,
      difference,
      recordedBy: cmd.actor.userId,
      recordedAt: now,
    }
    const where = packet.roomId === null ? null : { room: packet.roomId }
    const data = { packetId: packet.id, paperId: packet.paperId, difference: { ...difference }, people: [cmd.actor.userId] }
    events.push(
      { action: 'custody.incident.recorded', subject: { type: 'incident', id: incident.id }, where, data: { kind: incident.kind, ...data } },
      { action: 'custody.alert.recovery_mismatch', subject: { type: 'packet', id: packet.id }, where, data: { incidentId: incident.id, ...data } },
    )
  }
  return ok({ packet: next, incident, events })
}
