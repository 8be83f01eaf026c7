import type { Database } from 'bun:sqlite'
import { randomUUID } from 'node:crypto'
import { type Result, ok, refuse } from '../domain/_result.ts'
import {
  type CopyTrace,
  type CustodyEventDraft,
  type CustodyRefusal,
  type ExposureTrace,
  type LeakLevel,
  type LeakReport,
  type LeakState,
  type Packet,
  type Paper,
  type SessionRef,
  type TraceEvent,
  confirmLeak,
  dismissLeak,
  exposureTrace,
  fileLeak,
  suspendSessions,
  switchToPaperB,
  traceCopy,
} from '../domain/custody/index.ts'
import type { PacketStore } from '../db/packet-store.ts'
import type { LeakStore } from '../db/leak-store.ts'
import { type Person, domainActor } from './_acting.ts'
import type { CustodyFacts, CustodyWrites } from './_custody-facts.ts'
import { appendCustodyEvents } from './custody.ts'
import { eventsOfSubjects } from './custody-reports.ts'
import type { CustodyLog } from './custody-log.ts'

export type LeaksError =
  | CustodyRefusal
  | { code: 'leak.not_found'; id: string }
  | { code: 'leak.paper_required' }
  | { code: 'paper.not_found'; id: string }
  | { code: 'packet.not_found'; id: string }
  | { code: 'session.not_found'; id: string }

export interface LeakFilingCommand {
  paperId?: string
  packetId?: string
  copyNumber?: number
  level: LeakLevel
  description: string
}

export interface SessionDecisionCommand {
  sessionId: string
  decision: 'suspend' | 'switch_to_paper_b'
  reason: string
  /** For a switch: which paper B; by default the session's one active paper B. */
  paperId?: string
}

export interface LeakView {
  report: LeakReport
  trace: ExposureTrace | null
}

const SESSION_STATUSES: ReadonlySet<string> = new Set(['scheduled', 'suspended', 'completed'])

/**
 * Leaks (R5.4): a report freezes the paper and its packets at once and alerts supervisors; a supervisor
 * confirms (paper retired, frozen packets voided) or dismisses it (thawed if no other report is open), then
 * suspends the session (停考) or switches it to paper B. Every call commits its records, events and alert
 * rows in one transaction; the exposure trace is read back from the custody log.
 */
export class Leaks {
  constructor(
    private readonly db: Database,
    private readonly packets: PacketStore,
    private readonly desk: LeakStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** Papers and sessions, each from its own store. */
    private readonly facts: CustodyFacts,
    /** Papers frozen and sessions suspended, through their own stores. */
    private readonly writes: CustodyWrites,
  ) {}

  list(filter: { paperId?: string; state?: LeakState } = {}): LeakReport[] {
    return this.desk.leaks(filter)
  }

  /** One report; with its exposure trace only for those who read traces (supervisors, administrators: decision record 006). */
  view(id: string, withTrace: boolean): LeakView | null {
    const report = this.desk.leak(id)
    return report ? { report, trace: withTrace ? this.trace(report.paperId) : null } : null
  }

  /**
   * Files a report: the paper (named, or the packet's) and its packets that could spread it freeze at once.
   * The reporter gets the report back, never the exposure trace: that is the supervisors' (decision record 006).
   */
  file(caller: Person, cmd: LeakFilingCommand): Result<LeakReport, LeaksError> {
    return this.db
      .transaction((): Result<LeakReport, LeaksError> => {
        let paperId = cmd.paperId
        if (paperId === undefined) {
          if (cmd.packetId === undefined) return refuse({ code: 'leak.paper_required' })
          const packet = this.packets.packet(cmd.packetId)
          if (!packet) return refuse({ code: 'packet.not_found', id: cmd.packetId })
          paperId = packet.paperId
        }
        const paper = this.facts.paper(paperId)
        if (!paper) return refuse({ code: 'paper.not_found', id: paperId })
        const before = this.packets.packetsOfPaper(paper.id)
        const now = this.clock()
        const d = fileLeak(
          paper,
          before,
          {
            id: randomUUID(),
            actor: domainActor(caller),
            level: cmd.level,
            packetId: cmd.packetId ?? null,
            copyNumber: cmd.copyNumber ?? null,
            description: cmd.description,
          },
          { rooms: this.facts.invigilatedRooms(caller.user) },
          now,
        )
        if (!d.ok) return d
        this.desk.insertLeak(d.value.report)
        this.commit(caller, paper, d.value.paper, before, d.value.packets, d.value.events, now)
        return ok(d.value.report)
      })
      .immediate()
  }

  /** A supervisor other than the reporter confirms: the paper is retired and its frozen packets voided (kept as evidence). */
  confirm(caller: Person, id: string, reason: string): Result<LeakView, LeaksError> {
    return this.decideReport(caller, id, (report, paper, packets, now) => confirmLeak(report, paper, packets, { actor: domainActor(caller), reason }, now))
  }

  /** A supervisor other than the filer dismisses: the paper thaws when no other report is open. */
  dismiss(caller: Person, id: string, reason: string): Result<LeakView, LeaksError> {
    return this.decideReport(caller, id, (report, paper, packets, now) => dismissLeak(report, paper, packets, { actor: domainActor(caller), reason }, now))
  }

  /** After a confirmation: the session is suspended (停考, status 'suspended') or goes on with paper B. */
  decideSession(caller: Person, id: string, cmd: SessionDecisionCommand): Result<LeakView, LeaksError> {
    const r = this.db
      .transaction((): Result<LeakReport, LeaksError> => {
        const report = this.desk.leak(id)
        if (!report) return refuse({ code: 'leak.not_found', id })
        const facts = this.facts.session(cmd.sessionId)
        if (!facts) return refuse({ code: 'session.not_found', id: cmd.sessionId })
        const session: SessionRef = { id: facts.id, status: (SESSION_STATUSES.has(facts.status) ? facts.status : 'completed') as SessionRef['status'] }
        const actor = domainActor(caller)
        const now = this.clock()
        if (cmd.decision === 'suspend') {
          const d = suspendSessions(report, [session], { actor, reason: cmd.reason }, now)
          if (!d.ok) return d
          for (const s of d.value.sessions) this.writes.setSessionStatus(s.id, s.status, now)
          this.desk.saveLeak(d.value.report, now)
          appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
          return ok(d.value.report)
        }
        const paperA = this.facts.paper(report.paperId)
        if (!paperA) return refuse({ code: 'paper.not_found', id: report.paperId })
        const paperB = cmd.paperId !== undefined ? this.facts.paper(cmd.paperId) : this.paperBOf(report.examSessionId)
        if (cmd.paperId !== undefined && !paperB) return refuse({ code: 'paper.not_found', id: cmd.paperId })
        if (!paperB) return refuse({ code: 'paper_b.unavailable', reason: 'not_paper_b', paperId: null })
        const d = switchToPaperB(report, paperA, paperB, session, { actor, reason: cmd.reason }, now)
        if (!d.ok) return d
        this.desk.saveLeak(d.value.report, now)
        appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
        return ok(d.value.report)
      })
      .immediate()
    return r.ok ? ok({ report: r.value, trace: this.trace(r.value.paperId) }) : r
  }

  /** The exposure trace of a paper (R5.4 +): every packet, who has it now, who touched it where. */
  trace(paperId: string): ExposureTrace | null {
    const paper = this.facts.paper(paperId)
    if (!paper) return null
    const packets = this.packets.packetsOfPaper(paperId)
    return exposureTrace(paper, packets, this.traceEvents(packets))
  }

  /** From one leaked copy's number to its packet, room and holders. */
  traceCopy(paperId: string, copyNumber: number): Result<CopyTrace, LeaksError> {
    const paper = this.facts.paper(paperId)
    if (!paper) return refuse({ code: 'paper.not_found', id: paperId })
    const packets = this.packets.packetsOfPaper(paperId)
    return traceCopy(copyNumber, packets, this.traceEvents(packets))
  }

  // ---------- helpers ----------

  /** The session's paper B in use: an active one first, else any (the domain then says why it cannot be used). */
  private paperBOf(sessionId: string): Paper | null {
    const bs = this.facts.papersOfSession(sessionId).filter((p) => p.kind === 'paper_b')
    return bs.find((p) => p.state === 'active') ?? bs[0] ?? null
  }

  private traceEvents(packets: readonly Packet[]): TraceEvent[] {
    const subjects = [...new Set(packets.map((p) => p.printJobId))]
      .map((id) => ({ type: 'print_job', id }))
      .concat(packets.map((p) => ({ type: 'packet', id: p.id })))
    return eventsOfSubjects(this.log, subjects)
  }

  private decideReport(
    caller: Person,
    id: string,
    decide: (
      report: LeakReport,
      paper: Paper,
      packets: Packet[],
      now: number,
    ) => Result<{ report: LeakReport; paper: Paper; packets: Packet[]; events: CustodyEventDraft[] }, CustodyRefusal>,
  ): Result<LeakView, LeaksError> {
    const r = this.db
      .transaction((): Result<LeakReport, LeaksError> => {
        const report = this.desk.leak(id)
        if (!report) return refuse({ code: 'leak.not_found', id })
        const paper = this.facts.paper(report.paperId)
        if (!paper) return refuse({ code: 'paper.not_found', id: report.paperId })
        const before = this.packets.packetsOfPaper(paper.id)
        const now = this.clock()
        const d = decide(report, paper, before, now)
        if (!d.ok) return d
        this.desk.saveLeak(d.value.report, now)
        this.commit(caller, paper, d.value.paper, before, d.value.packets, d.value.events, now)
        return ok(d.value.report)
      })
      .immediate()
    return r.ok ? ok({ report: r.value, trace: this.trace(r.value.paperId) }) : r
  }

  /** Saves the paper and the packets a leak decision changed, then appends its events (alerts raise rows). */
  private commit(caller: Person, paper: Paper, nextPaper: Paper, before: Packet[], changed: Packet[], events: CustodyEventDraft[], now: number): void {
    if (nextPaper !== paper) this.writes.savePaper(nextPaper)
    const old = new Map(before.map((p) => [p.id, p]))
    for (const p of changed) this.packets.savePacket(p, old.get(p.id)!)
    appendCustodyEvents(this.log, this.desk, caller, events, now)
  }
}
