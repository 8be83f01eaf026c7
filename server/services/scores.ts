import type { Database } from 'bun:sqlite'
import { randomUUID } from 'node:crypto'
import { sha256, toHex } from '../../crypto/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { SubjectKind } from '../domain/lifecycle/index.ts'
import { standingOn } from '../domain/results/index.ts'
import {
  type Difference,
  type ResultStatus,
  type ScoreLine,
  type ScoreRefusal,
  type Tally,
  type TallyAction,
  type TallyCommand,
  type TallyItem,
  type TallyState,
  type TheoryImportError,
  THEORY_ITEM_ID,
  countedScore,
  decideTally,
  newTally,
  openDifferences,
  overallResult,
  parseTheoryScores,
  sessionOver,
  subjectResult,
} from '../domain/scores/index.ts'
import type { ScoreImportRecord, ScoreStore } from '../db/score-store.ts'
import type { SubjectResultRow } from '../db/results-store.ts'
import type { KioskScoreFacts } from '../db/read-models/kiosk-score-facts.ts'
import type { ScoreFacts, ScoreSessionRow } from '../db/read-models/score-facts.ts'
import { type Person, domainActor, iso } from './_acting.ts'
import type { CustodyLog } from './custody-log.ts'

// ---------- the contract (docs: /tmp contracts; P, C, T read these shapes) ----------

/** One subject's result as scores work it out now (the published snapshot keeps the same fields, db/results-store.ts). */
export interface SubjectResultView extends SubjectResultRow {
  carried?: boolean
}
export interface CandidateResultsView {
  candidateId: string
  subjects: SubjectResultView[]
  overall: ResultStatus
}
export interface BatchResultsView {
  batchId: string
  /** Every tally of every session of the batch verified and signed. */
  complete: boolean
  unfinished: Array<{ sessionId: string; subjectId: string; state: string }>
  /** The batch's approved candidates. */
  candidates: CandidateResultsView[]
}

export type ScoresError =
  | ScoreRefusal
  | { code: 'score.batch_unknown'; rule: 'R7.1' }
  | { code: 'score.session_unknown'; rule: 'R7.1' }
  | { code: 'score.not_for_import'; rule: 'R7.1'; kind: SubjectKind }
  | { code: 'score.not_practical'; rule: 'R7.1'; kind: SubjectKind }
  | { code: 'score.no_sheets'; rule: 'R7.1' }
  | { code: 'score.no_candidate_score'; rule: 'R7.3'; candidateId: string; subjectId: string }
  | { code: 'score.review_change_open'; rule: 'R7.3'; changeId: string }
  | { code: 'score.review_change_unknown'; rule: 'R7.3' }
  | { code: 'score.review_change_confirmed'; rule: 'R7.3' }
  | { code: 'score.review_confirmer_is_proposer'; rule: 'R7.3'; userId: string }
  | { code: 'score_import.invalid'; rule: 'R7.1'; errors: TheoryImportError[]; unknownTickets: string[] }

/** A session of a batch with where its tally stands. */
export interface ScoreSessionView {
  sessionId: string
  subjectId: string
  kind: SubjectKind
  name: string
  startsAt: number
  endsAt: number
  maxMark: number
  passMark: number
  state: TallyState
  version: number
  method: Tally['method']
  lineCount: number
  candidateCount: number
  openDifferences: number
  enteredBy: Tally['enteredBy']
  checkedBy: string | null
  signedBy: string | null
  signedAt: number | null
}

/** One tally for the page. `lines` is null while a verifier still has to key the second entry blind (R7.1). */
export interface TallyView extends ScoreSessionView {
  items: TallyItem[]
  candidates: Array<{ candidateId: string; name: string | null; ticketNumber: string | null }>
  lines: ScoreLine[] | null
  differences: Array<Difference & { resolved: { value: number | null; by: string; reason: string } | null }>
  history: Tally['history']
  /** Signed kiosk sheets in force (practical), for the check against the sheet. */
  sheets: number
}

export interface ImportReport {
  importId: string
  fileSha256: string
  encoding: string
  rows: number
  sessions: string[]
  ignoredColumns: string[]
  notInFile: string[]
}

/** Exactly the log's actor fields (a caller's object may carry more). */
const asActor = (p: Person): Person => ({ user: p.user, name: p.name, roles: [...p.roles] })

const R71 = 'R7.1' as const
const R73 = 'R7.3' as const
const no = <E extends ScoresError>(e: E) => refuse(e)

const ACTION_EVENTS: Record<TallyAction, string> = {
  enter: 'score.entered',
  import: 'score.imported',
  collect: 'score.collected',
  second_entry: 'score.second_entry',
  check_sheet: 'score.checked_against_sheet',
  resolve: 'score.difference_resolved',
  sign: 'score.tally_signed',
  amend: 'score.amended',
}

const linesData = (lines: readonly ScoreLine[]) =>
  lines.map((l) => ({ candidate: l.candidateId, items: l.items.map((i) => ({ item: i.itemId, score: String(i.score) })) }))

/**
 * Scores (R7.1): a tally per exam session — theory scores imported from the marking system, practical ones
 * collected from the examiners' signed kiosk sheets — checked by a designated verifier who entered, imported
 * and signed none of it (double keying or against the signed sheets), differences resolved by a third person
 * with a reason, and signed. Only signed tallies count. Results per candidate and subject follow, with
 * attendance and cheating from the kiosk. Every state change is one custody-log event in the same transaction.
 */
export class Scores {
  constructor(
    private readonly db: Database,
    private readonly store: ScoreStore,
    /** The batch, sessions, candidates and tickets (read-models/score-facts.ts). */
    private readonly facts: ScoreFacts,
    private readonly kiosk: KioskScoreFacts,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
  ) {}

  // ---------- reads ----------

  /** Every batch, newest exam first (the scores page's picker: verifiers do not read batch plans). */
  batches(): Array<{ id: string; title: string; examStartDate: string; examEndDate: string; status: string }> {
    return this.facts.batches()
  }

  /** The batch's sessions with their tally state, or null when there is no such batch. */
  sessions(batchId: string): ScoreSessionView[] | null {
    if (!this.facts.batch(batchId)) return null
    const tickets = this.facts.liveTickets(batchId)
    return this.facts.sessions(batchId).map((s) => this.sessionView(s, this.tallyOf(s, tickets)))
  }

  /** One tally for `viewer`. A verifier who has not keyed yet does not see the first entry (blind double keying). */
  tally(sessionId: string, viewer: Person): TallyView | null {
    const s = this.session(sessionId)
    if (!s) return null
    const tickets = this.facts.liveTickets(s.batchId)
    const t = this.tallyOf(s, tickets)
    const names = new Map(tickets.filter((x) => x.sessionId === s.id).map((x) => [x.candidateId, x]))
    const blind = t.state === 'entered' && viewer.roles.includes('verifier') && !t.enteredBy.some((e) => e.userId === viewer.user)
    return {
      ...this.sessionView(s, t),
      items: t.items,
      candidates: t.candidates.map((id) => ({ candidateId: id, name: names.get(id)?.name ?? null, ticketNumber: names.get(id)?.number ?? null })),
      lines: blind ? null : t.lines,
      differences: t.differences.map((d) => {
        const r = t.resolutions.find((x) => x.candidateId === d.candidateId && x.itemId === d.itemId)
        return { ...d, resolved: r ? { value: r.value, by: r.by, reason: r.reason } : null }
      }),
      history: t.history,
      sheets: s.subjectKind === 'practical' ? this.kiosk.signedSheets(s.id).length : 0,
    }
  }

  imports(batchId: string): ScoreImportRecord[] {
    return this.store.imports(batchId)
  }

  // ---------- theory import ----------

  /**
   * A theory score file (docs/score-import-format.md) for the batch: all or nothing. Each session it fills gets
   * its tally entered by import; the verifier then checks and signs it.
   */
  importTheory(batchId: string, bytes: Uint8Array, actor: Person): Result<ImportReport, ScoresError> {
    return caught(() =>
      this.db
        .transaction((): Result<ImportReport, ScoresError> => {
          const batch = this.facts.batch(batchId)
          if (!batch) return no({ code: 'score.batch_unknown', rule: R71 })
          const sessions = this.facts.sessions(batchId)
          const tickets = this.facts.liveTickets(batchId)
          const scored = new Set<string>()
          for (const s of sessions) {
            if (this.tallyOf(s, tickets).state !== 'none') for (const t of tickets) if (t.sessionId === s.id) scored.add(t.number)
          }
          const parsed = parseTheoryScores(bytes, {
            subjects: this.facts.subjects(batch.occupationCode, batch.level).map((x) => ({ id: x.id, kind: x.kind, name: x.name, maxMark: x.maxMark })),
            tickets: new Map(tickets.map((t) => [t.number, { candidateId: t.candidateId, name: t.name, subjectId: t.subjectId }])),
            alreadyScored: scored,
          })
          if (!parsed.ok) return no({ code: 'score_import.invalid', rule: R71, errors: parsed.errors, unknownTickets: parsed.unknownTickets })
          const sessionOf = new Map(tickets.map((t) => [t.number, t.sessionId]))
          const bySession = new Map<string, ScoreLine[]>()
          for (const r of parsed.rows) {
            const sid = sessionOf.get(r.ticketNumber)!
            bySession.set(sid, [...(bySession.get(sid) ?? []), { candidateId: r.candidateId, items: [{ itemId: THEORY_ITEM_ID, score: r.score }] }])
          }
          const now = this.clock()
          const record: ScoreImportRecord = {
            id: randomUUID(),
            batchId,
            fileSha256: toHex(sha256(bytes)),
            encoding: parsed.encoding,
            rowCount: parsed.rows.length,
            sessions: [...bySession.keys()],
            importedBy: actor.user,
            importedAt: now,
          }
          this.store.insertImport(record)
          for (const [sid, lines] of bySession) {
            const s = sessions.find((x) => x.id === sid)!
            const r = this.apply(s, tickets, { action: 'import', lines }, actor, now, record.id)
            if (!r.ok) throw new Rollback(r.error)
          }
          this.log.append({
            actor: asActor(actor),
            action: 'score.import_file',
            subject: { type: 'batch', id: batchId },
            data: { importId: record.id, fileSha256: record.fileSha256, encoding: record.encoding, rows: record.rowCount, sessions: record.sessions },
          })
          return ok({
            importId: record.id,
            fileSha256: record.fileSha256,
            encoding: record.encoding,
            rows: record.rowCount,
            sessions: record.sessions,
            ignoredColumns: parsed.ignoredColumns,
            notInFile: parsed.notInFile,
          })
        })
        .immediate(),
    )
  }

  // ---------- the tally's actions ----------

  /** Practical: the examiners' signed kiosk sheets in force become the tally's first entry (registrar). */
  collect(sessionId: string, actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, (s) => {
      if (s.subjectKind !== 'practical') return no({ code: 'score.not_practical', rule: R71, kind: s.subjectKind })
      const sheets = this.kiosk.signedSheets(s.id)
      if (sheets.length === 0) return no({ code: 'score.no_sheets', rule: R71 })
      return ok({ action: 'collect', sheets })
    })
  }

  /** Hand entry of a session's first entry (registrar), for a subject not imported or collected. */
  enter(sessionId: string, lines: readonly ScoreLine[], actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, () => ok({ action: 'enter', lines }))
  }

  /** The verifier's independent second entry (double keying). */
  secondEntry(sessionId: string, lines: readonly ScoreLine[], actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, () => ok({ action: 'second_entry', lines }))
  }

  /** The verifier checks the tally against the examiners' signed sheets in force. */
  checkSheet(sessionId: string, actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, (s) => {
      if (s.subjectKind !== 'practical') return no({ code: 'score.not_practical', rule: R71, kind: s.subjectKind })
      return ok({ action: 'check_sheet', sheets: this.kiosk.signedSheets(s.id) })
    })
  }

  /** A third person decides one difference, with a reason. */
  resolve(sessionId: string, d: { candidateId: string; itemId: string; value: number | null; reason: string }, actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, () => ok({ action: 'resolve', ...d }))
  }

  /** The verifier who checked signs the tally: from now on it counts. */
  sign(sessionId: string, actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, () => ok({ action: 'sign' }))
  }

  /** A change (also after signing): a reason, a new version, verified and signed again. */
  amend(sessionId: string, lines: readonly ScoreLine[], reason: string, actor: Person): Result<TallyView, ScoresError> {
    return this.act(sessionId, actor, () => ok({ action: 'amend', lines, reason }))
  }

  // ---------- results ----------

  /** Results per approved candidate and subject; null when there is no such batch. */
  batchResults(batchId: string): BatchResultsView | null {
    const batch = this.facts.batch(batchId)
    if (!batch) return null
    const sessions = this.facts.sessions(batchId)
    const tickets = this.facts.liveTickets(batchId)
    const subjects = this.facts.subjects(batch.occupationCode, batch.level)
    const tallies = new Map(sessions.map((s) => [s.id, this.tallyOf(s, tickets)]))
    const admitted = new Map(sessions.map((s) => [s.id, this.kiosk.admitted(s.id)]))
    const incidents = new Map(sessions.map((s) => [s.id, this.kiosk.incidents(s.id)]))
    const now = this.clock()
    const over = new Map(sessions.map((s) => [s.id, sessionOver(s, now)]))
    const history = this.facts.history(batch.occupationCode, batch.level)
    const unfinished = sessions
      .map((s) => ({ sessionId: s.id, subjectId: s.subjectId, state: tallies.get(s.id)!.state as string }))
      .filter((u) => u.state !== 'signed')

    const candidates = this.facts.approvedCandidates(batchId).map((c): CandidateResultsView => {
      // R7.3: passes from before this batch that still hold on its first exam day.
      const earlier = (history.get(c.residentIdHash) ?? []).filter((h) => h.examDate < batch.examStartDate)
      const held = new Set(standingOn(earlier, { occupationCode: batch.occupationCode, level: batch.level, on: batch.examStartDate }).held.map((h) => h.kind))
      const views = subjects.map((subject): SubjectResultView => {
        const rule = { subjectId: subject.id, kind: subject.kind, name: subject.name, passMark: subject.passMark, maxMark: subject.maxMark }
        const ticket = tickets.find((t) => t.candidateId === c.id && t.subjectId === subject.id)
        const base = { subjectId: subject.id, kind: subject.kind, name: subject.name, passMark: subject.passMark, maxMark: subject.maxMark }
        if (!ticket) {
          if (held.has(subject.kind)) return { ...base, status: 'passed', score: null, sessionId: null, carried: true }
          return { ...base, status: 'pending', score: null, sessionId: null }
        }
        const o = subjectResult({
          candidateId: c.id,
          rule,
          sessionId: ticket.sessionId,
          admitted: admitted.get(ticket.sessionId)?.has(c.id) ?? false,
          sessionOver: over.get(ticket.sessionId) ?? false,
          incidents: incidents.get(ticket.sessionId) ?? [],
          tally: tallies.get(ticket.sessionId) ?? null,
        })
        return { ...base, status: o.status, score: o.score, sessionId: ticket.sessionId }
      })
      const overall = overallResult(views)
      return { candidateId: c.id, subjects: views, overall: overall === 'not_passed' ? 'failed' : overall }
    })
    return { batchId, complete: unfinished.length === 0 && sessions.length > 0, unfinished, candidates }
  }

  /** Names of the batch's approved candidates (for the results table). */
  candidateNames(batchId: string): Map<string, string | null> {
    return new Map(this.facts.approvedCandidates(batchId).map((c) => [c.id, c.name]))
  }

  // ---------- reviews (R7.3) ----------

  /** A review (R7.3) changes a counted score: recorded as a pending amendment; it counts only once confirmed. */
  reviseForReview(
    input: { reviewId: string; candidateId: string; subjectId: string; score: number; reason: string },
    actor: Person,
  ): Result<{ changeId: string; sessionId: string }, ScoresError> {
    return this.db
      .transaction((): Result<{ changeId: string; sessionId: string }, ScoresError> => {
        const me = domainActor(actor)
        if (!me.roles.includes('registrar'))
          return no({ rule: R71, code: 'score.not_allowed_for_role', action: 'amend', userId: actor.user, allowed: ['registrar'] })
        const reason = input.reason.trim()
        if (reason === '' || reason.length > 500) return no({ rule: R71, code: 'score.reason_required', action: 'amend' })
        const found = this.sessionOfCandidate(input.candidateId, input.subjectId)
        if (!found) return no({ code: 'score.no_candidate_score', rule: R73, candidateId: input.candidateId, subjectId: input.subjectId })
        const { session, tally } = found
        if (tally.state !== 'signed') {
          return no({ rule: R71, code: 'score.wrong_state', state: tally.state, action: 'amend', allowedFrom: ['signed'] })
        }
        const item = tally.items[0]!
        if (
          tally.items.length !== 1 ||
          !Number.isFinite(input.score) ||
          input.score < 0 ||
          input.score > item.max ||
          Math.round(input.score * 10) !== input.score * 10
        ) {
          return no({ rule: R71, code: 'score.entry_invalid', candidateId: input.candidateId, itemId: item.id, reason: 'range' })
        }
        const open = this.store.openChange(input.candidateId, input.subjectId)
        if (open) return no({ code: 'score.review_change_open', rule: R73, changeId: open.id })
        const previous = countedScore(tally, input.candidateId)
        if (previous !== null && Math.round(previous * 10) === Math.round(input.score * 10)) return no({ rule: R71, code: 'score.amend_no_change' })
        const now = this.clock()
        const changeId = randomUUID()
        this.store.insertChange({
          id: changeId,
          reviewId: input.reviewId,
          tallyId: tally.id,
          sessionId: session.id,
          candidateId: input.candidateId,
          subjectId: input.subjectId,
          score: input.score,
          previous,
          reason,
          proposedBy: actor.user,
          proposedAt: now,
        })
        this.log.append({
          actor: asActor(actor),
          action: 'score.review_change_proposed',
          subject: { type: 'score_tally', id: tally.id },
          data: {
            changeId,
            reviewId: input.reviewId,
            session: session.id,
            candidate: input.candidateId,
            subjectId: input.subjectId,
            score: String(input.score),
            previous: previous === null ? null : String(previous),
            reason,
          },
        })
        return ok({ changeId, sessionId: session.id })
      })
      .immediate()
  }

  /** A second person (a verifier who is not the proposer) re-verifies and signs the amended score. */
  confirmReviewRevision(changeId: string, actor: Person): Result<{ sessionId: string }, ScoresError> {
    return caught(() =>
      this.db
        .transaction((): Result<{ sessionId: string }, ScoresError> => {
          const change = this.store.change(changeId)
          if (!change) return no({ code: 'score.review_change_unknown', rule: R73 })
          if (change.confirmedAt !== null) return no({ code: 'score.review_change_confirmed', rule: R73 })
          const me = domainActor(actor)
          if (!me.roles.includes('verifier')) {
            return no({ rule: R71, code: 'score.not_allowed_for_role', action: 'second_entry', userId: actor.user, allowed: ['verifier'] })
          }
          if (change.proposedBy === actor.user) return no({ code: 'score.review_confirmer_is_proposer', rule: R73, userId: actor.user })
          const s = this.session(change.sessionId)!
          const tickets = this.facts.liveTickets(s.batchId)
          const tally = this.tallyOf(s, tickets)
          const item = tally.items[0]!
          const lines = tally.candidates
            .map((id) => {
              if (id === change.candidateId) return { candidateId: id, items: [{ itemId: item.id, score: change.score }] }
              return tally.lines.find((l) => l.candidateId === id) ?? null
            })
            .filter((l): l is ScoreLine => l !== null)
          const now = this.clock()
          // The amendment is the proposer's (with the review's reason); the re-verification and signature are the verifier's.
          const proposer = { user: change.proposedBy, roles: ['registrar'] } as Person
          const amendReason = '复核（' + change.reviewId + '）：' + change.reason
          const steps: Array<[TallyCommand, Person]> = [
            [{ action: 'amend', lines, reason: amendReason }, proposer],
            [{ action: 'second_entry', lines }, actor],
            [{ action: 'sign' }, actor],
          ]
          let t = tally
          for (const [cmd, who] of steps) {
            const d = decideTally(t, cmd, domainActor(who), now)
            if (!d.ok) throw new Rollback(d.error)
            t = d.value
            this.store.saveTally(t, now)
            this.writeLines(t, cmd, who, now)
          }
          if (!this.store.confirmChange(change.id, actor.user, now)) throw new Rollback({ code: 'score.review_change_confirmed', rule: R73 })
          this.log.append({
            actor: asActor(actor),
            action: 'score.review_change_confirmed',
            subject: { type: 'score_tally', id: tally.id },
            data: {
              changeId,
              reviewId: change.reviewId,
              session: s.id,
              candidate: change.candidateId,
              score: String(change.score),
              proposedBy: change.proposedBy,
              version: t.version,
            },
          })
          return ok({ sessionId: s.id })
        })
        .immediate(),
    )
  }

  // ---------- inside ----------

  private session(sessionId: string): ScoreSessionRow | null {
    const batchId = this.facts.batchOfSession(sessionId)
    return batchId ? (this.facts.sessions(batchId).find((s) => s.id === sessionId) ?? null) : null
  }

  private sessionOfCandidate(candidateId: string, subjectId: string): { session: ScoreSessionRow; tally: Tally } | null {
    const batchId = this.facts.batchOfCandidate(candidateId)
    if (!batchId) return null
    const tickets = this.facts.liveTickets(batchId)
    const ticket = tickets.find((t) => t.candidateId === candidateId && t.subjectId === subjectId)
    const session = ticket ? this.facts.sessions(batchId).find((s) => s.id === ticket.sessionId) : undefined
    if (!session) return null
    const tally = this.tallyOf(session, tickets)
    return tally.lines.some((l) => l.candidateId === candidateId) ? { session, tally } : null
  }

  /** The session's tally, or a new empty one (not stored until the first action). */
  private tallyOf(s: ScoreSessionRow, tickets: ReadonlyArray<{ candidateId: string; sessionId: string }>): Tally {
    return (
      this.store.tally(s.id) ??
      newTally({
        id: `tally-${s.id}`,
        sessionId: s.id,
        subjectId: s.subjectId,
        items: [{ id: s.subjectKind === 'practical' ? s.subjectId : THEORY_ITEM_ID, name: s.subjectName, max: s.maxMark }],
        candidates: [...new Set(tickets.filter((t) => t.sessionId === s.id).map((t) => t.candidateId))],
      })
    )
  }

  private sessionView(s: ScoreSessionRow, t: Tally): ScoreSessionView {
    return {
      sessionId: s.id,
      subjectId: s.subjectId,
      kind: s.subjectKind,
      name: s.subjectName,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      maxMark: s.maxMark,
      passMark: s.passMark,
      state: t.state,
      version: t.version,
      method: t.method,
      lineCount: t.lines.length,
      candidateCount: t.candidates.length,
      openDifferences: openDifferences(t).length,
      enteredBy: t.enteredBy,
      checkedBy: t.checkedBy,
      signedBy: t.signedBy,
      signedAt: t.signedAt,
    }
  }

  private act(sessionId: string, actor: Person, command: (s: ScoreSessionRow) => Result<TallyCommand, ScoresError>): Result<TallyView, ScoresError> {
    const r = this.db
      .transaction((): Result<null, ScoresError> => {
        const s = this.session(sessionId)
        if (!s) return no({ code: 'score.session_unknown', rule: R71 })
        const cmd = command(s)
        if (!cmd.ok) return cmd
        const applied = this.apply(s, this.facts.liveTickets(s.batchId), cmd.value, actor, this.clock(), null)
        return applied.ok ? ok(null) : applied
      })
      .immediate()
    return r.ok ? ok(this.tally(sessionId, actor)!) : r
  }

  /** Decide, store the tally, its event and its lines, and log it: inside the caller's transaction. */
  private apply(
    s: ScoreSessionRow,
    tickets: ReadonlyArray<{ candidateId: string; sessionId: string }>,
    cmd: TallyCommand,
    actor: Person,
    now: number,
    importId: string | null,
  ): Result<Tally, ScoresError> {
    const before = this.tallyOf(s, tickets)
    const d = decideTally(before, cmd, domainActor(actor), now)
    if (!d.ok) return d
    const t = d.value
    if (before.state === 'none') this.store.insertTally(before, now)
    this.store.saveTally(t, now, importId)
    this.writeLines(t, cmd, actor, now)
    const last = t.history[t.history.length - 1]!
    const data: Record<string, import('../../audit/index.ts').Canonical> = { session: s.id, subjectId: s.subjectId, version: t.version, state: t.state }
    if (last.reason) data.reason = last.reason
    if (cmd.action === 'import' && importId) data.importId = importId
    if (cmd.action === 'enter' || cmd.action === 'import' || cmd.action === 'collect' || cmd.action === 'amend') data.lines = linesData(t.lines)
    if (cmd.action === 'second_entry' || cmd.action === 'check_sheet') {
      data.method = t.method
      data.differences = t.differences.map((x) => ({ candidate: x.candidateId, item: x.itemId }))
    }
    if (cmd.action === 'resolve') {
      data.candidate = cmd.candidateId
      data.item = cmd.itemId
      data.value = cmd.value === null ? null : String(cmd.value)
    }
    if (cmd.action === 'sign') data.signedAt = iso(now)
    this.log.append({ actor: asActor(actor), action: ACTION_EVENTS[cmd.action], subject: { type: 'score_tally', id: t.id }, data })
    return ok(t)
  }

  private writeLines(t: Tally, cmd: TallyCommand, actor: Person, now: number): void {
    const put = (candidateId: string, items: ScoreLine['items'], sheetId: string | null, reason: string | null) =>
      this.store.insertLine({ tallyId: t.id, version: t.version, kind: cmd.action, candidateId, items, sheetId, by: actor.user, at: now, reason })
    switch (cmd.action) {
      case 'enter':
      case 'import':
      case 'amend':
        for (const l of t.lines) put(l.candidateId, l.items, null, cmd.action === 'amend' ? cmd.reason : null)
        return
      case 'collect':
      case 'check_sheet':
        for (const sh of cmd.sheets) put(sh.candidateId, sh.items, sh.id, null)
        return
      case 'second_entry':
        for (const l of t.secondLines ?? []) put(l.candidateId, l.items, null, null)
        return
      case 'resolve':
        put(cmd.candidateId, cmd.value === null ? [] : [{ itemId: cmd.itemId, score: cmd.value }], null, cmd.reason)
        return
      case 'sign':
        return
    }
  }
}

/** Thrown inside a transaction to roll back a multi-step change that a later step refused. */
class Rollback extends Error {
  constructor(readonly refusal: ScoresError) {
    super(refusal.code)
  }
}

/** Runs a transaction body, turning a Rollback into the refusal it carries (the transaction is rolled back). */
export function caught<T>(f: () => Result<T, ScoresError>): Result<T, ScoresError> {
  try {
    return f()
  } catch (e) {
    if (e instanceof Rollback) return refuse(e.refusal)
    throw e
  }
}
