/**
 * Leaks (R5.4). Filing a report freezes the paper at once (no decryption, printing or issuing) and every
 * packet of it that could still spread it, and alerts supervisors. A supervisor confirms (the paper is
 * retired, its frozen packets voided) or dismisses it (everything thaws, unless another report is open);
 * after a confirmation each affected session is suspended (停考) or switched to paper B, with a reason.
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { blank } from './_events.ts'
import { findMove, holdsAny } from './_moves.ts'
import { decideFreeze, decideUnfreeze, decideVoid } from './_packets.ts'
import { packetOfCopy } from './_print.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { Actor, CustodyEventDraft, Instant, LeakLevel, LeakReport, Packet, Paper, SessionDecision, SessionRef } from './_types.ts'

/** R5.4 + R6.4: custodians, invigilators and supervisors may report; supervisors decide. */
export const LEAK_REPORTERS: readonly Role[] = ['custodian', 'invigilator', 'supervisor']
export const LEAK_DECIDERS: readonly Role[] = ['supervisor']
/**
 * Reporters whose scope is every paper (decision record 006): custodians keep every paper and packet (R5.2),
 * supervisors oversee them all (R6.4). They may report a paper without naming a packet or copy.
 */
export const LEAK_WIDE_REPORTERS: readonly Role[] = ['custodian', 'supervisor']

/** What a reporter who is not a custodian or supervisor may name: the rooms they are assigned to. */
export interface ReporterScope {
  /** The (session, room) pairs the reporter invigilates (staff assignments, R4.3). */
  rooms: ReadonlyArray<{ sessionId: string; roomId: string }>
}

/** Whether the packet is the reporter's to name: they hold it, or it belongs to a room they invigilate. */
function inScope(packet: Packet, userId: string, scope: ReporterScope): boolean {
  if ('userId' in packet.holder && packet.holder.userId === userId) return true
  return packet.roomId !== null && scope.rooms.some((r) => r.sessionId === packet.examSessionId && r.roomId === packet.roomId)
}

type Refused = { ok: false; error: CustodyRefusal }

function checkRole(action: string, actor: Actor, allowed: readonly Role[]): Refused | null {
  return holdsAny(actor, allowed) ? null : refuse({ code: 'leak.not_allowed_for_role', action, userId: actor.userId, allowed })
}

function unwrap<T>(r: Result<T, CustodyRefusal>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

function ofPaper(paper: Paper, packets: readonly Packet[]): void {
  for (const p of packets) if (p.paperId !== paper.id) throw new Error(`packet ${p.id} is of paper ${p.paperId}, not ${paper.id}`)
}

const leakEvent = (action: string, report: LeakReport, data: CustodyEventDraft['data']): CustodyEventDraft => ({
  action,
  subject: { type: 'leak', id: report.id },
  where: null,
  data: { paperId: report.paperId, state: report.state, ...data },
})

const paperEvent = (action: string, paper: Paper, data: CustodyEventDraft['data']): CustodyEventDraft => ({
  action,
  subject: { type: 'paper', id: paper.id },
  where: null,
  data: { state: paper.state, ...data },
})

export interface LeakFiling {
  id: string
  actor: Actor
  level: LeakLevel
  /** The packet or the leaked copy's number, when known (either, or both if they agree). */
  packetId?: string | null
  copyNumber?: number | null
  description: string
}

/**
 * Files a report on a paper (optionally naming a packet or a copy) and freezes at once: the paper, and
 * each of its packets that is printed, sealed, in the vault, issued or received. Opened packets stay in
 * their rooms and are recovered as usual; the supervisor decides about the session.
 * A reporter names what they saw (decision record 006): custodians and supervisors any paper, packet or copy;
 * anyone else a packet (or a copy of one) that they hold or that belongs to a room they invigilate.
 */
export function fileLeak(
  paper: Paper,
  packets: readonly Packet[],
  cmd: LeakFiling,
  scope: ReporterScope,
  now: Instant,
): Result<{ report: LeakReport; paper: Paper; packets: Packet[]; events: CustodyEventDraft[] }, CustodyRefusal> {
  ofPaper(paper, packets)
  const role = checkRole('leak.file', cmd.actor, LEAK_REPORTERS)
  if (role) return role
  if (blank(cmd.description)) return refuse({ code: 'leak.description_required' })
  const packetId = cmd.packetId ?? null
  const copyNumber = cmd.copyNumber ?? null
  const wide = holdsAny(cmd.actor, LEAK_WIDE_REPORTERS)
  if (!wide && packetId === null && copyNumber === null) return refuse({ code: 'leak.target_required', userId: cmd.actor.userId })
  // Outside their scope a reporter learns nothing of which packets and copies exist: one answer for both.
  const invalid = (): Refused =>
    wide ? refuse({ code: 'leak.target_invalid', packetId, copyNumber }) : refuse({ code: 'leak.out_of_scope', userId: cmd.actor.userId, packetId, copyNumber })
  let target: Packet | null = null
  if (packetId !== null) {
    target = packets.find((p) => p.id === packetId) ?? null
    if (!target) return invalid()
  }
  if (copyNumber !== null) {
    const holder = Number.isSafeInteger(copyNumber) ? packetOfCopy(packets, copyNumber) : null
    if (!holder || (target !== null && holder.id !== target.id)) return invalid()
    target = holder
  }
  if (!wide && (target === null || !inScope(target, cmd.actor.userId, scope))) return invalid()
  const report: LeakReport = {
    id: cmd.id,
    paperId: paper.id,
    examSessionId: paper.examSessionId,
    level: cmd.level,
    packetId: target?.id ?? null,
    copyNumber,
    description: cmd.description.trim(),
    filedBy: cmd.actor.userId,
    filedAt: now,
    state: 'open',
    decidedBy: null,
    decidedAt: null,
    reason: null,
    decisions: [],
  }
  const nextPaper: Paper = paper.state === 'retired' ? paper : { ...paper, state: 'frozen', frozenBy: [...paper.frozenBy, report.id], updatedAt: now }
  const frozen = packets
    .filter((p) => findMove(p.state, 'freeze') !== undefined)
    .map((p) => unwrap(decideFreeze(p, { actor: cmd.actor, leakId: report.id }, now), `freezing packet ${p.id}`))
  const people = [cmd.actor.userId]
  const events: CustodyEventDraft[] = [
    leakEvent('custody.leak.filed', report, {
      examSessionId: report.examSessionId,
      level: report.level,
      packetId: report.packetId,
      copyNumber: report.copyNumber,
      description: report.description,
      people,
    }),
  ]
  if (paper.state === 'active') events.push(paperEvent('custody.paper.frozen', nextPaper, { leakId: report.id, people }))
  for (const f of frozen) events.push(...f.events)
  events.push(
    leakEvent('custody.alert.leak', report, {
      examSessionId: report.examSessionId,
      level: report.level,
      packetId: report.packetId,
      roomId: target?.roomId ?? null,
      copyNumber: report.copyNumber,
      frozenPackets: frozen.map((f) => f.packet.id),
      people,
    }),
  )
  return ok({ report, paper: nextPaper, packets: frozen.map((f) => f.packet), events })
}

function checkDecision(report: LeakReport, paper: Paper, cmd: { actor: Actor; reason: string }, action: string): Refused | null {
  if (report.paperId !== paper.id) throw new Error(`leak ${report.id} is about paper ${report.paperId}, not ${paper.id}`)
  const role = checkRole(action, cmd.actor, LEAK_DECIDERS)
  if (role) return role
  if (report.state !== 'open') return refuse({ code: 'leak.wrong_state', leakId: report.id, state: report.state, action })
  if (blank(cmd.reason)) return refuse({ code: 'leak.reason_required', action })
  return null
}

/** A supervisor other than the reporter confirms: the paper is retired for good and its frozen packets are voided (kept as evidence, R5.5). */
export function confirmLeak(
  report: LeakReport,
  paper: Paper,
  packets: readonly Packet[],
  cmd: { actor: Actor; reason: string },
  now: Instant,
): Result<{ report: LeakReport; paper: Paper; packets: Packet[]; events: CustodyEventDraft[] }, CustodyRefusal> {
  ofPaper(paper, packets)
  const bad = checkDecision(report, paper, cmd, 'leak.confirm')
  if (bad) return bad
  // Confirming retires a paper and may stop an exam: two people, the reporter and a supervisor who is not them.
  if (cmd.actor.userId === report.filedBy) return refuse({ code: 'twoperson.same_person', step: 'leak.confirm', userId: cmd.actor.userId })
  const reason = cmd.reason.trim()
  const next: LeakReport = { ...report, state: 'confirmed', decidedBy: cmd.actor.userId, decidedAt: now, reason }
  const nextPaper: Paper = { ...paper, state: 'retired', frozenBy: [], updatedAt: now }
  const voided = packets
    .filter((p) => p.state === 'frozen')
    .map((p) => unwrap(decideVoid(p, { actor: cmd.actor, reason: `leak ${report.id} confirmed: ${reason}` }, now), `voiding packet ${p.id}`))
  const people = [cmd.actor.userId]
  const events: CustodyEventDraft[] = [leakEvent('custody.leak.confirmed', next, { reason, reportedBy: report.filedBy, confirmedBy: cmd.actor.userId, people })]
  if (paper.state !== 'retired') events.push(paperEvent('custody.paper.retired', nextPaper, { leakId: report.id, people }))
  for (const v of voided) events.push(...v.events)
  return ok({ report: next, paper: nextPaper, packets: voided.map((v) => v.packet), events })
}

/**
 * A supervisor other than the filer dismisses the report. The paper thaws, and its frozen packets return
 * to where they were, only when no other report on it is still open.
 */
export function dismissLeak(
  report: LeakReport,
  paper: Paper,
  packets: readonly Packet[],
  cmd: { actor: Actor; reason: string },
  now: Instant,
): Result<{ report: LeakReport; paper: Paper; packets: Packet[]; events: CustodyEventDraft[] }, CustodyRefusal> {
  ofPaper(paper, packets)
  const bad = checkDecision(report, paper, cmd, 'leak.dismiss')
  if (bad) return bad
  // Dismissing thaws a paper: never by the one person who both filed and judged it.
  if (cmd.actor.userId === report.filedBy) return refuse({ code: 'twoperson.same_person', step: 'leak.dismiss', userId: cmd.actor.userId })
  const reason = cmd.reason.trim()
  const next: LeakReport = { ...report, state: 'dismissed', decidedBy: cmd.actor.userId, decidedAt: now, reason }
  const stillFrozenBy = paper.frozenBy.filter((id) => id !== report.id)
  const thaws = paper.state === 'frozen' && stillFrozenBy.length === 0
  const nextPaper: Paper = { ...paper, frozenBy: stillFrozenBy, state: thaws ? 'active' : paper.state, updatedAt: now }
  const thawed = thaws
    ? packets
        .filter((p) => p.state === 'frozen')
        .map((p) => unwrap(decideUnfreeze(p, { actor: cmd.actor, leakId: report.id }, now), `unfreezing packet ${p.id}`))
    : []
  const people = [cmd.actor.userId]
  const events: CustodyEventDraft[] = [leakEvent('custody.leak.dismissed', next, { reason, stillFrozenBy: [...stillFrozenBy], people })]
  if (thaws) events.push(paperEvent('custody.paper.unfrozen', nextPaper, { leakId: report.id, people }))
  for (const t of thawed) events.push(...t.events)
  return ok({ report: next, paper: nextPaper, packets: thawed.map((t) => t.packet), events })
}

/** The two people whose agreement a session decision rests on: the reporter and the supervisor who confirmed. */
const agreedBy = (report: LeakReport): { reportedBy: string; confirmedBy: string } => {
  if (report.decidedBy === null) throw new Error(`leak ${report.id} is confirmed without a decider`)
  return { reportedBy: report.filedBy, confirmedBy: report.decidedBy }
}

function checkSessionDecision(report: LeakReport, cmd: { actor: Actor; reason: string }, action: string): Refused | null {
  const role = checkRole(action, cmd.actor, LEAK_DECIDERS)
  if (role) return role
  if (report.state !== 'confirmed') return refuse({ code: 'leak.not_confirmed', leakId: report.id, state: report.state })
  if (blank(cmd.reason)) return refuse({ code: 'leak.reason_required', action })
  return null
}

function checkSession(report: LeakReport, session: SessionRef): Refused | null {
  if (session.id !== report.examSessionId) return refuse({ code: 'session.not_affected', leakId: report.id, sessionId: session.id })
  if (session.status !== 'scheduled') return refuse({ code: 'session.wrong_state', sessionId: session.id, status: session.status })
  return null
}

/** 停考 (R5.4): after a confirmed leak, the affected sessions are suspended, each decision with its reason. */
export function suspendSessions(
  report: LeakReport,
  sessions: readonly SessionRef[],
  cmd: { actor: Actor; reason: string },
  now: Instant,
): Result<{ report: LeakReport; sessions: SessionRef[]; events: CustodyEventDraft[] }, CustodyRefusal> {
  const bad = checkSessionDecision(report, cmd, 'leak.suspend')
  if (bad) return bad
  for (const s of sessions) {
    const wrong = checkSession(report, s)
    if (wrong) return wrong
  }
  const reason = cmd.reason.trim()
  const decisions: SessionDecision[] = sessions.map((s) => ({
    sessionId: s.id,
    decision: 'suspended',
    paperId: null,
    reason,
    decidedBy: cmd.actor.userId,
    decidedAt: now,
    ...agreedBy(report),
  }))
  return ok({
    report: { ...report, decisions: [...report.decisions, ...decisions] },
    sessions: sessions.map((s) => ({ ...s, status: 'suspended' })),
    events: sessions.map(
      (s): CustodyEventDraft => ({
        action: 'custody.session.suspended',
        subject: { type: 'exam_session', id: s.id },
        where: null,
        data: { leakId: report.id, paperId: report.paperId, reason, ...agreedBy(report), people: [cmd.actor.userId] },
      }),
    ),
  })
}

/**
 * R5.4 +: after a confirmed leak of paper A, the session goes on with its paper B, which must be of the
 * same session and neither frozen nor retired. The session's record of which paper is in use is the
 * service's to save; the decision is on the report.
 */
export function switchToPaperB(
  report: LeakReport,
  paperA: Paper,
  paperB: Paper,
  session: SessionRef,
  cmd: { actor: Actor; reason: string },
  now: Instant,
): Result<{ report: LeakReport; decision: SessionDecision; events: CustodyEventDraft[] }, CustodyRefusal> {
  if (report.paperId !== paperA.id) throw new Error(`leak ${report.id} is about paper ${report.paperId}, not ${paperA.id}`)
  const bad = checkSessionDecision(report, cmd, 'leak.switch_to_paper_b')
  if (bad) return bad
  const wrong = checkSession(report, session)
  if (wrong) return wrong
  if (paperA.kind !== 'paper_a') return refuse({ code: 'paper_b.unavailable', reason: 'leaked_paper_not_a', paperId: paperA.id })
  if (paperB.kind !== 'paper_b') return refuse({ code: 'paper_b.unavailable', reason: 'not_paper_b', paperId: paperB.id })
  if (paperB.examSessionId !== paperA.examSessionId) return refuse({ code: 'paper_b.unavailable', reason: 'other_session', paperId: paperB.id })
  if (paperB.state !== 'active') {
    return refuse({ code: 'paper_b.unavailable', reason: paperB.state === 'frozen' ? 'frozen' : 'retired', paperId: paperB.id, state: paperB.state })
  }
  const reason = cmd.reason.trim()
  const decision: SessionDecision = {
    sessionId: session.id,
    decision: 'switched_to_paper_b',
    paperId: paperB.id,
    reason,
    decidedBy: cmd.actor.userId,
    decidedAt: now,
    ...agreedBy(report),
  }
  return ok({
    report: { ...report, decisions: [...report.decisions, decision] },
    decision,
    events: [
      {
        action: 'custody.session.switched_to_paper_b',
        subject: { type: 'exam_session', id: session.id },
        where: null,
        data: { leakId: report.id, fromPaperId: paperA.id, toPaperId: paperB.id, reason, ...agreedBy(report), people: [cmd.actor.userId] },
      },
    ],
  })
}
