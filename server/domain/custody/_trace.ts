/**
 * The exposure trace of a leak report (R5.4 +): every packet of the paper, who has it now, and every person
 * and step that touched it, read from the custody log. Steps are the events whose subject is the packet or
 * the print job that made it; people are the event's actor and the `people` its data names.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { uniq } from './_events.ts'
import { packetOfCopy } from './_print.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { CopyRange, Holder, Packet, PacketState, Paper, Place, TraceEvent } from './_types.ts'

export interface TraceStep {
  index: number
  time: string | number
  action: string
  people: string[]
}

export interface PacketExposure {
  packetId: string
  roomId: string | null
  copies: CopyRange
  state: PacketState
  /** Who has it now. */
  holder: Holder
  /** Everyone who had it, in order (a place counts as a holder: the vault, a room). */
  holders: Holder[]
  /** Everyone present at any step, in order of first appearance. */
  people: string[]
  steps: TraceStep[]
}

export interface ExposureTrace {
  paperId: string
  packets: PacketExposure[]
  people: string[]
}

export interface CopyTrace {
  copyNumber: number
  packetId: string
  roomId: string | null
  /** Every holder of the copy's packet, in order, and the people among them. */
  holders: Holder[]
  holderIds: string[]
  exposure: PacketExposure
}

function peopleOf(e: TraceEvent): string[] {
  const out: string[] = []
  if ('user' in e.actor && typeof e.actor.user === 'string') out.push(e.actor.user)
  const listed = e.data['people']
  if (Array.isArray(listed)) for (const p of listed) if (typeof p === 'string') out.push(p)
  return uniq(out)
}

function holderOf(value: unknown): Holder | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (typeof v['userId'] === 'string') return { userId: v['userId'] }
  if (typeof v['place'] === 'string') return { place: v['place'] as Place }
  return null
}

const sameHolder = (a: Holder, b: Holder): boolean => ('userId' in a ? 'userId' in b && a.userId === b.userId : 'place' in b && a.place === b.place)

function exposureOf(packet: Packet, events: readonly TraceEvent[]): PacketExposure {
  const mine = events
    .filter(
      (e) =>
        e.subject !== null &&
        ((e.subject.type === 'packet' && e.subject.id === packet.id) || (e.subject.type === 'print_job' && e.subject.id === packet.printJobId)),
    )
    .sort((a, b) => a.index - b.index)
  const holders: Holder[] = []
  const push = (h: Holder) => {
    if (holders.length === 0 || !sameHolder(holders[holders.length - 1]!, h)) holders.push(h)
  }
  const steps: TraceStep[] = []
  for (const e of mine) {
    steps.push({ index: e.index, time: e.time, action: e.action, people: peopleOf(e) })
    if (e.subject?.type === 'packet') {
      const h = holderOf(e.data['holder'])
      if (h) push(h)
    }
  }
  // The packet record is the last word on where it is now, even if the log slice handed in is short.
  push(packet.holder)
  return {
    packetId: packet.id,
    roomId: packet.roomId,
    copies: { ...packet.copies },
    state: packet.state,
    holder: packet.holder,
    holders,
    people: uniq(steps.flatMap((s) => s.people)),
    steps,
  }
}

/** The trace shown with a leak report: every packet of `paper`, its holder now, and who touched it where. */
export function exposureTrace(paper: Paper, packets: readonly Packet[], events: readonly TraceEvent[]): ExposureTrace {
  const mine = packets.filter((p) => p.paperId === paper.id).sort((a, b) => a.copies.first - b.copies.first)
  const exposures = mine.map((p) => exposureOf(p, events))
  return { paperId: paper.id, packets: exposures, people: uniq(exposures.flatMap((x) => x.people)) }
}

/** From one leaked copy's number to its packet, room and every holder, in one step (packets of one paper). */
export function traceCopy(copyNumber: number, packets: readonly Packet[], events: readonly TraceEvent[]): Result<CopyTrace, CustodyRefusal> {
  const packet = Number.isSafeInteger(copyNumber) ? packetOfCopy(packets, copyNumber) : null
  if (!packet) return refuse({ code: 'trace.copy_unknown', copyNumber })
  const exposure = exposureOf(packet, events)
  return ok({
    copyNumber,
    packetId: packet.id,
    roomId: packet.roomId,
    holders: exposure.holders,
    holderIds: uniq(exposure.holders.flatMap((h) => ('userId' in h ? [h.userId] : []))),
    exposure,
  })
}
