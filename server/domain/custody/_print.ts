/**
 * Printing a paper (R5.2 +): a custodian requests a job, two different custodians approve it, it is
 * decrypted only inside the batch's window before the session, and printing records packets with
 * consecutive copy numbers, one per room (its seats plus spares).
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { holderData, uniq } from './_events.ts'
import { holdsAny } from './_moves.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type {
  Actor,
  CopyRange,
  CustodyEventDraft,
  Instant,
  Packet,
  PacketPlan,
  Paper,
  PerCopy,
  PrintJob,
  PrintTarget,
  PrintWindow,
  PrintWindowConfig,
} from './_types.ts'

const CUSTODIAN: readonly Role[] = ['custodian']
const MINUTE_MS = 60_000
/** Generous bounds that catch a typo (3000 seats) without limiting a real room. */
const MAX_COPIES_PER_TARGET = 1000

/** The default window: decryption from 24 h to 1 h before the session starts. */
export const DEFAULT_PRINT_WINDOW: PrintWindowConfig = { opensMinutesBefore: 24 * 60, closesMinutesBefore: 60 }

/** The decryption window of a session: printWindow(start, { opensMinutesBefore: 1440, closesMinutesBefore: 60 }). */
export function printWindow(sessionStartsAt: Instant, config: PrintWindowConfig): PrintWindow {
  const { opensMinutesBefore: o, closesMinutesBefore: c } = config
  if (!Number.isSafeInteger(o) || !Number.isSafeInteger(c) || c < 0 || o <= c) {
    throw new RangeError(`print window expected whole minutes with opensMinutesBefore > closesMinutesBefore >= 0, got ${o} and ${c}`)
  }
  return { opensAt: sessionStartsAt - o * MINUTE_MS, closesAt: sessionStartsAt - c * MINUTE_MS }
}

/** A paper that may be decrypted, printed or issued: neither frozen by a leak report nor retired (R5.4). */
export function checkPaperActive(paper: Paper): Result<Paper, CustodyRefusal> {
  if (paper.state === 'frozen') return refuse({ code: 'paper.frozen', paperId: paper.id, leakIds: [...paper.frozenBy] })
  if (paper.state === 'retired') return refuse({ code: 'paper.retired', paperId: paper.id })
  return ok(paper)
}

function checkCustodian(action: string, actor: Actor): Result<Actor, CustodyRefusal> {
  return holdsAny(actor, CUSTODIAN) ? ok(actor) : refuse({ code: 'print.not_allowed_for_role', action, userId: actor.userId, allowed: CUSTODIAN })
}

const count = (n: unknown, max = Number.MAX_SAFE_INTEGER): boolean => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= max

function checkTargets(targets: readonly PrintTarget[], sparesPerRoom: number, perCopy: PerCopy): Result<null, CustodyRefusal> {
  if (targets.length === 0) return refuse({ code: 'print.targets_invalid', reason: 'empty' })
  const seen = new Set<string | null>()
  for (const t of targets) {
    if (seen.has(t.roomId)) return refuse({ code: 'print.targets_invalid', reason: 'duplicate_room', roomId: t.roomId })
    seen.add(t.roomId)
    if (!count(t.seats, MAX_COPIES_PER_TARGET) || t.seats === 0) return refuse({ code: 'print.targets_invalid', reason: 'seats', roomId: t.roomId })
  }
  if (!count(sparesPerRoom, MAX_COPIES_PER_TARGET)) return refuse({ code: 'print.targets_invalid', reason: 'spares' })
  if (!count(perCopy.answerSheets, 100) || !count(perCopy.scratchPaper, 100)) return refuse({ code: 'print.targets_invalid', reason: 'per_copy' })
  return ok(null)
}

/**
 * Packets of a print job: one per target, the room's seats plus `sparesPerRoom` (a room-less target gets
 * exactly `seats` copies), numbered consecutively from `firstCopy` in the order given.
 * planPackets([{ roomId: 'R1', seats: 30 }], 2) → [{ roomId: 'R1', copies: { first: 1, last: 32 }, ... }]
 */
export function planPackets(targets: readonly PrintTarget[], sparesPerRoom: number, options: { firstCopy?: number; perCopy?: PerCopy } = {}): PacketPlan[] {
  const perCopy = options.perCopy ?? { answerSheets: 0, scratchPaper: 0 }
  const firstCopy = options.firstCopy ?? 1
  if (!Number.isSafeInteger(firstCopy) || firstCopy < 1) throw new RangeError(`"firstCopy" expected an integer >= 1, got ${firstCopy}`)
  const checked = checkTargets(targets, sparesPerRoom, perCopy)
  if (!checked.ok) throw new RangeError(`print targets invalid: ${JSON.stringify(checked.error)}`)
  let next = firstCopy
  return targets.map((t) => {
    const spares = t.roomId === null ? 0 : sparesPerRoom
    const copies = t.seats + spares
    const range: CopyRange = { first: next, last: next + copies - 1 }
    next += copies
    return {
      roomId: t.roomId,
      seats: t.seats,
      spares,
      copies: range,
      contents: { copies, answerSheets: copies * perCopy.answerSheets, scratchPaper: copies * perCopy.scratchPaper },
    }
  })
}

/** The packet that holds copy `copyNumber` (packets of one paper), or null. */
export function packetOfCopy<P extends { copies: CopyRange }>(packets: readonly P[], copyNumber: number): P | null {
  return packets.find((p) => p.copies.first <= copyNumber && copyNumber <= p.copies.last) ?? null
}

export interface PrintRequest {
  id: string
  actor: Actor
  targets: PrintTarget[]
  sparesPerRoom: number
  perCopy?: PerCopy
}

const jobEvent = (action: string, job: PrintJob, data: CustodyEventDraft['data']): CustodyEventDraft => ({
  action,
  subject: { type: 'print_job', id: job.id },
  where: null,
  data: { paperId: job.paperId, state: job.state, ...data },
})

/**
 * A custodian asks to print a paper. `lastCopyNumber` is the highest copy number already printed of this
 * paper (0 if none), so copy numbers stay unique per paper across jobs.
 */
export function requestPrint(
  paper: Paper,
  cmd: PrintRequest,
  ctx: { lastCopyNumber: number },
  now: Instant,
): Result<{ job: PrintJob; events: CustodyEventDraft[] }, CustodyRefusal> {
  const who = checkCustodian('print.request', cmd.actor)
  if (!who.ok) return who
  const usable = checkPaperActive(paper)
  if (!usable.ok) return usable
  const perCopy = cmd.perCopy ?? { answerSheets: 0, scratchPaper: 0 }
  const targets = checkTargets(cmd.targets, cmd.sparesPerRoom, perCopy)
  if (!targets.ok) return targets
  const plans = planPackets(cmd.targets, cmd.sparesPerRoom, { firstCopy: ctx.lastCopyNumber + 1, perCopy })
  const job: PrintJob = {
    id: cmd.id,
    paperId: paper.id,
    examSessionId: paper.examSessionId,
    state: 'requested',
    requestedBy: cmd.actor.userId,
    requestedAt: now,
    targets: cmd.targets.map((t) => ({ roomId: t.roomId, seats: t.seats })),
    sparesPerRoom: cmd.sparesPerRoom,
    perCopy: { ...perCopy },
    firstCopy: ctx.lastCopyNumber + 1,
    approvals: [],
    approvalWindow: null,
    decryptedBy: null,
    decryptedAt: null,
    printedBy: null,
    printedAt: null,
    copies: null,
    updatedAt: now,
  }
  const planned = plans.reduce((n, p) => n + p.contents.copies, 0)
  return ok({
    job,
    events: [
      jobEvent('custody.print.requested', job, {
        targets: job.targets.map((t) => ({ roomId: t.roomId, seats: t.seats })),
        sparesPerRoom: job.sparesPerRoom,
        perCopy: { ...job.perCopy },
        firstCopy: job.firstCopy,
        plannedCopies: planned,
        people: [cmd.actor.userId],
      }),
    ],
  })
}

const sameWindow = (a: PrintWindow | null | undefined, b: PrintWindow): boolean =>
  a !== null && a !== undefined && a.opensAt === b.opensAt && a.closesAt === b.closesAt

/**
 * Approvals are bound to the window they were given under (decision record 006): if `window` (the job's
 * window now) differs, a requested or approved job loses its approvals and goes back to requested, with an
 * event; otherwise null. One custodian moving the window thus never carries two approvals into a new window.
 */
export function lapseApprovals(job: PrintJob, window: PrintWindow, by: string, now: Instant): { job: PrintJob; events: CustodyEventDraft[] } | null {
  if (job.state !== 'requested' && job.state !== 'approved') return null
  if (job.approvals.length === 0 || sameWindow(job.approvalWindow, window)) return null
  const next: PrintJob = { ...job, state: 'requested', approvals: [], approvalWindow: null, updatedAt: now }
  const was = job.approvalWindow ? { opensAt: job.approvalWindow.opensAt, closesAt: job.approvalWindow.closesAt } : null
  return {
    job: next,
    events: [
      jobEvent('custody.print.approvals_lapsed', next, {
        from: job.state,
        lapsed: [...job.approvals],
        approvedWindow: was,
        window: { opensAt: window.opensAt, closesAt: window.closesAt },
        people: [by],
      }),
    ],
  }
}

/**
 * One custodian's approval (R5.2 +), given under the job's window as it is now (`window`). The requester may
 * be one of the two; the same person twice is refused. Approvals given under another window lapse first.
 */
export function approvePrint(
  job: PrintJob,
  paper: Paper,
  actor: Actor,
  window: PrintWindow,
  now: Instant,
): Result<{ job: PrintJob; events: CustodyEventDraft[] }, CustodyRefusal> {
  const who = checkCustodian('print.approve', actor)
  if (!who.ok) return who
  const lapsed = lapseApprovals(job, window, actor.userId, now)
  const current = lapsed?.job ?? job
  if (current.state !== 'requested') return refuse({ code: 'print.wrong_state', jobId: job.id, state: current.state, action: 'approve' })
  if (current.approvals.includes(actor.userId)) return refuse({ code: 'twoperson.same_person', step: 'print.approve', userId: actor.userId })
  const usable = checkPaperActive(paper)
  if (!usable.ok) return usable
  const approvals = [...current.approvals, actor.userId]
  const bound = { opensAt: window.opensAt, closesAt: window.closesAt }
  const next: PrintJob = { ...current, approvals, approvalWindow: bound, state: approvals.length >= 2 ? 'approved' : 'requested', updatedAt: now }
  return ok({
    job: next,
    events: [...(lapsed?.events ?? []), jobEvent('custody.print.approved', next, { approvals: [...approvals], window: { ...bound }, people: [actor.userId] })],
  })
}

/**
 * Decryption for printing (R5.2 +): two different custodians approved, the paper is not frozen, and now is
 * inside the window (opensAt <= now < closesAt). The plaintext goes to this custodian's print station only.
 */
export function decideDecrypt(
  job: PrintJob,
  paper: Paper,
  actor: Actor,
  window: PrintWindow,
  now: Instant,
): Result<{ job: PrintJob; events: CustodyEventDraft[] }, CustodyRefusal> {
  const who = checkCustodian('print.decrypt', actor)
  if (!who.ok) return who
  const usable = checkPaperActive(paper)
  if (!usable.ok) return usable
  const distinct = new Set(job.approvals).size
  if (job.state === 'requested' || (job.state === 'approved' && distinct < 2)) {
    return refuse({ code: 'print.needs_second_approval', jobId: job.id, approvals: distinct })
  }
  if (job.state !== 'approved') return refuse({ code: 'print.wrong_state', jobId: job.id, state: job.state, action: 'decrypt' })
  // The approvals hold for the window they were given under only (decision record 006).
  if (!sameWindow(job.approvalWindow, window)) return refuse({ code: 'print.approvals_lapsed', jobId: job.id })
  if (now < window.opensAt || now >= window.closesAt) {
    return refuse({ code: 'print.window_closed', jobId: job.id, opensAt: window.opensAt, closesAt: window.closesAt, now })
  }
  const next: PrintJob = { ...job, state: 'decrypted', decryptedBy: actor.userId, decryptedAt: now, updatedAt: now }
  return ok({
    job: next,
    events: [
      jobEvent('custody.paper.decrypted', next, {
        approvals: [...job.approvals],
        window: { opensAt: window.opensAt, closesAt: window.closesAt },
        people: [actor.userId],
      }),
    ],
  })
}

/**
 * The job's recorded output: its packets, printed by the custodian who decrypted it. `packetIds` are the
 * new packets' ids in plan order (planPackets tells how many); a wrong count is a bug and throws.
 */
export function decidePrint(
  job: PrintJob,
  paper: Paper,
  cmd: { actor: Actor; packetIds: readonly string[] },
  now: Instant,
): Result<{ job: PrintJob; packets: Packet[]; events: CustodyEventDraft[] }, CustodyRefusal> {
  const { actor } = cmd
  const who = checkCustodian('print.print', actor)
  if (!who.ok) return who
  if (job.state !== 'decrypted') return refuse({ code: 'print.wrong_state', jobId: job.id, state: job.state, action: 'print' })
  // The plaintext was released to one custodian's station: only they can have printed it.
  if (job.decryptedBy !== actor.userId) return refuse({ code: 'print.not_decrypter', jobId: job.id, userId: actor.userId, decryptedBy: job.decryptedBy })
  const usable = checkPaperActive(paper)
  if (!usable.ok) return usable
  const plans = planPackets(job.targets, job.sparesPerRoom, { firstCopy: job.firstCopy, perCopy: job.perCopy })
  if (cmd.packetIds.length !== plans.length || new Set(cmd.packetIds).size !== plans.length) {
    throw new RangeError(`"packetIds" expected ${plans.length} distinct ids, got ${cmd.packetIds.length}`)
  }
  const packets: Packet[] = plans.map((p, i) => ({
    id: cmd.packetIds[i]!,
    paperId: job.paperId,
    printJobId: job.id,
    examSessionId: job.examSessionId,
    roomId: p.roomId,
    copies: { ...p.copies },
    contents: { ...p.contents },
    state: 'printed',
    sealNumber: null,
    seals: [],
    holder: { userId: actor.userId },
    printedBy: actor.userId,
    printedAt: now,
    openedBy: [],
    openedAt: null,
    recovery: null,
    retention: null,
    frozenFrom: null,
    voidReason: null,
    updatedAt: now,
  }))
  const copies = plans.reduce((n, p) => n + p.contents.copies, 0)
  const next: PrintJob = { ...job, state: 'printed', printedBy: actor.userId, printedAt: now, copies, updatedAt: now }
  const events: CustodyEventDraft[] = [
    jobEvent('custody.print.printed', next, { copies, packets: packets.map((p) => p.id), people: [actor.userId] }),
    ...packets.map(
      (p): CustodyEventDraft => ({
        action: 'custody.packet.printed',
        subject: { type: 'packet', id: p.id },
        where: null,
        data: {
          paperId: p.paperId,
          printJobId: p.printJobId,
          roomId: p.roomId,
          copies: { first: p.copies.first, last: p.copies.last },
          contents: { ...p.contents },
          from: null,
          to: p.state,
          seal: null,
          holder: holderData(p.holder),
          people: uniq([actor.userId]),
        },
      }),
    ),
  ]
  return ok({ job: next, packets, events })
}

/** A job that has not printed yet is withdrawn (a wrong room list, a session moved). */
export function cancelPrint(job: PrintJob, actor: Actor, reason: string, now: Instant): Result<{ job: PrintJob; events: CustodyEventDraft[] }, CustodyRefusal> {
  const who = checkCustodian('print.cancel', actor)
  if (!who.ok) return who
  if (job.state === 'printed' || job.state === 'cancelled') return refuse({ code: 'print.wrong_state', jobId: job.id, state: job.state, action: 'cancel' })
  const next: PrintJob = { ...job, state: 'cancelled', updatedAt: now }
  return ok({ job: next, events: [jobEvent('custody.print.cancelled', next, { from: job.state, reason: reason.trim(), people: [actor.userId] })] })
}
