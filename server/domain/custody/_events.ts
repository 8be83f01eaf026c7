/**
 * Event drafts and the small helpers every decision shares: how a holder is written into an event, the
 * people of a step, seal numbers. Packet events always carry `people` and `holder`, so the exposure trace
 * (R5.4) can be computed from the log alone.
 */
import { PACKET_EVENTS } from './_moves.ts'
import type { CustodyEventDraft, EventValue, Holder, Packet, PacketAction } from './_types.ts'

/** Seal numbers are printed serials: compared after trimming and upper-casing what a person typed or scanned. */
export function normalizeSeal(sealNumber: string): string {
  return sealNumber.trim().toUpperCase()
}

const SEAL = /^[A-Z0-9][A-Z0-9-]{2,39}$/
export const isSealNumber = (normalized: string): boolean => SEAL.test(normalized)

/** The seal number seen matches the packet's current seal (both absent counts as a match: an unsealed stack). */
export function sealMatches(expected: string | null, seen: string | null | undefined): boolean {
  const s = seen === null || seen === undefined || seen.trim() === '' ? null : normalizeSeal(seen)
  return s === expected
}

export const seenSeal = (seen: string | null | undefined): string | null =>
  seen === null || seen === undefined || seen.trim() === '' ? null : normalizeSeal(seen)

export function holderData(h: Holder): EventValue {
  return 'userId' in h ? { userId: h.userId } : { place: h.place }
}

export const isPerson = (h: Holder): h is { userId: string } => 'userId' in h

/** Distinct, in first-seen order. */
export function uniq(ids: readonly string[]): string[] {
  return [...new Set(ids)]
}

export const blank = (s: string | null | undefined): boolean => s === null || s === undefined || s.trim() === ''

/** The draft of a packet move: from/to state, the holder after it and everyone present. */
export function packetEvent(
  action: PacketAction,
  before: Packet,
  after: Packet,
  people: readonly string[],
  extra: { [k: string]: EventValue } = {},
  inRoom = false,
): CustodyEventDraft {
  return {
    action: PACKET_EVENTS[action],
    subject: { type: 'packet', id: after.id },
    where: inRoom && after.roomId !== null ? { room: after.roomId } : null,
    data: {
      paperId: after.paperId,
      from: before.state,
      to: after.state,
      seal: after.sealNumber,
      ...extra,
      holder: holderData(after.holder),
      people: uniq(people),
    },
  }
}
