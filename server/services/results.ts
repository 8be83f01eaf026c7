import type { Database } from 'bun:sqlite'
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { FailureThrottle, type RateLimitPolicy } from '../auth/_rate-limit.ts'
import { BatchStore } from '../db/batch-store.ts'
import { CandidateStore } from '../db/candidate-store.ts'
import { OccupationStore } from '../db/occupation-store.ts'
import { ResultFacts } from '../db/read-models/result-facts.ts'
import { type PublishedRow, type ReviewRecord, ResultsStore } from '../db/results-store.ts'
import { TicketStore } from '../db/ticket-store.ts'
import { type Calendar, type CivilDate, civilDateOf } from '../domain/calendar/index.ts'
import type { Role } from '../domain/accounts/index.ts'
import type { CandidateDetails, Sitting, SubjectKind } from '../domain/lifecycle/index.ts'
import { moveBatch } from '../domain/lifecycle/index.ts'
import {
  type PublicationError,
  type ReviewAction,
  type ReviewError,
  type ReviewState,
  decidePublish,
  decideReviewRequest,
  decideUnpublish,
  earliestPublicationDate,
  isReviewOpen,
  moveReview,
  resultAttempt,
} from '../domain/results/index.ts'
import { type ResultStatus, historyRow, overallResult } from '../domain/scores/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import { type Person, rolesOf } from './_acting.ts'
import type { CustodyLog } from './custody-log.ts'
import type { BatchResultsView, CandidateResultsView, SubjectResultView } from './scores.ts'

// ---------- what scores gives: its views, and the port results calls ----------

export type { BatchResultsView, CandidateResultsView, SubjectResultView }

/** The scores service as results uses it (createApp passes services.scores). */
export interface ResultsScoresPort {
  batchResults(batchId: string): BatchResultsView | null
  /** A review's score change, recorded by S as a pending amendment (it writes its own events). */
  reviseForReview(
    input: { reviewId: string; candidateId: string; subjectId: string; score: number; reason: string },
    actor: Person,
  ): Result<{ changeId: string; sessionId: string }, { code: string }>
  /** A second person re-verifies and signs the amended score (R7.1). */
  confirmReviewRevision(changeId: string, actor: Person): Result<{ sessionId: string }, { code: string }>
}

// ---------- refusals ----------

export type ResultsError =
  | PublicationError
  | ReviewError
  | { code: 'publication.batch_not_found'; batchId: string }
  | { code: 'publication.not_complete'; rule: 'R7.1'; unfinished: BatchResultsView['unfinished'] }
  | { code: 'publication.already_published'; publishedOn: CivilDate }
  | { code: 'publication.not_published' }
  | { code: 'publication.already_withdrawn'; withdrawnOn: CivilDate }
  | { code: 'publication.wrong_state'; state: string }
  | { code: 'publication.role_not_allowed'; allowed: readonly string[] }
  | { code: 'review.not_found'; reviewId: string }
  | { code: 'review.subject_not_found' }
  | { code: 'review.score_invalid'; maxMark: number }
  | { code: 'review.score_refused'; cause: string }
export type ResultsCode = ResultsError['code']

export type LookupError = { code: 'lookup.not_found' } | { code: 'lookup.rate_limited'; retryAfterSeconds: number }
export type LookupCode = LookupError['code']

// ---------- views ----------

export interface PublicationView {
  publishedOn: CivilDate
  lastDay: CivilDate
  takeDownFrom: CivilDate
  provisional: boolean
  withdrawnOn: CivilDate | null
}

export interface PublicationStatus {
  batch: { id: string; title: string; status: string; examEndDate: CivilDate }
  earliest: { date: CivilDate; provisional: boolean }
  publication: (PublicationView & { publishedBy: string; withdrawnBy: string | null }) | null
  complete: boolean
  unfinished: BatchResultsView['unfinished']
  candidates: number
}

export interface ReviewView {
  id: string
  batchId: string
  candidateId: string
  candidateName: string | null
  subjectId: string
  subjectName: string
  state: ReviewState
  open: boolean
  requestedOn: CivilDate
  requestedBy: string
  deadline: CivilDate
  reason: string
  outcome: 'upheld' | 'changed' | null
  oldScore: number | null
  newScore: number | null
  decidedBy: string | null
  verifiedBy: string | null
  steps: Array<{ action: string; state: ReviewState; actor: string; reason: string; score: number | null; at: number }>
}

export interface LookupView {
  name: string
  occupationName: string
  occupationCode: string
  level: number
  batchTitle: string
  publishedOn: CivilDate
  provisional: boolean
  overall: ResultStatus
  subjects: Array<{ name: string; kind: SubjectKind; status: ResultStatus; score: number | null; passMark: number; maxMark: number }>
}

/** Public lookups from one address: every lookup counts (enumeration tries many tickets). */
export const LOOKUP_ADDRESS_POLICY: RateLimitPolicy = { max: 30, windowMs: 15 * 60_000 }
/** Wrong answers for one ticket number (guessing an ID number). */
export const LOOKUP_TICKET_POLICY: RateLimitPolicy = { max: 5, windowMs: 15 * 60_000 }
/** Every lookup answers no sooner than this, whatever its path. */
export const LOOKUP_FLOOR_MS = 120

/** A name shown to the public: its first character, the rest masked ('张三' → '张*', '李小明' → '李**'). */
export function maskPersonName(name: string | null): string {
  const chars = [...(name ?? '')]
  if (chars.length === 0) return '*'
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1))
}

const overallOf = (subjects: readonly { status: ResultStatus }[]): ResultStatus => {
  const o = overallResult(subjects)
  return o === 'not_passed' ? 'failed' : o
}
const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
/** The same hash candidates.ts stores (salt bytes, then the number's ASCII), computed on every lookup path. */
const residentHash = (saltHex: string, residentId: string) => createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(residentId, 'utf8').digest('hex')
/** Compared against when there is nothing to compare against, so a miss hashes and compares like a hit. */
const NO_HASH = sha256hex('no such candidate')
const NO_SALT = '00'.repeat(32)

export interface ResultsOptions {
  lookupFloorMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Real elapsed time for the floor delay (the app clock may be fixed in tests). */
  now?: () => number
}

/**
 * Results (R7.2, R7.3): a batch's publication, the published snapshot, review requests (核查) handled by the
 * registrar's desk and verified by a second person, and the public lookup of one's own result.
 */
export class Results {
  private readonly store: ResultsStore
  private readonly batchStore: BatchStore
  /** Candidates, their PII salt and R7.3 history rows (subject_results). */
  private readonly candidates: CandidateStore
  private readonly tickets: TicketStore
  private readonly occupations: OccupationStore
  private readonly facts: ResultFacts
  private readonly byAddress = new FailureThrottle(LOOKUP_ADDRESS_POLICY)
  private readonly byTicket = new FailureThrottle(LOOKUP_TICKET_POLICY)
  private readonly floorMs: number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly realNow: () => number

  constructor(
    private readonly db: Database,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** The working-day calendar (services.lifecycle.calendar.calendar()). */
    private readonly calendar: () => Calendar,
    private readonly scores: ResultsScoresPort,
    options: ResultsOptions = {},
  ) {
    this.store = new ResultsStore(db)
    this.batchStore = new BatchStore(db)
    this.candidates = new CandidateStore(db)
    this.tickets = new TicketStore(db)
    this.occupations = new OccupationStore(db)
    this.facts = new ResultFacts(db)
    this.floorMs = options.lookupFloorMs ?? LOOKUP_FLOOR_MS
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
    this.realNow = options.now ?? (() => performance.now())
  }

  private today(): CivilDate {
    return civilDateOf(this.clock())
  }

  // ---------- the contract (certificates, statistics) ----------

  /** The batch's publication (R7.2), or null when not published. lastDay = 5th working day after publication. */
  publication(batchId: string): PublicationView | null {
    const p = this.store.publication(batchId)
    return p ? { publishedOn: p.publishedOn, lastDay: p.lastDay, takeDownFrom: p.takeDownFrom, provisional: p.provisional, withdrawnOn: p.withdrawnOn } : null
  }

  /** Ids of this candidate's reviews still open (results/isReviewOpen). */
  openReviewIds(batchId: string, candidateId: string): string[] {
    return this.store
      .reviewsOfCandidate(batchId, candidateId)
      .filter((r) => isReviewOpen(r.state))
      .map((r) => r.id)
  }

  /** The published results: the snapshot taken at publication, updated when a review's change is verified. */
  publishedResults(batchId: string): CandidateResultsView[] | null {
    if (!this.store.publication(batchId)) return null
    const byCandidate = new Map<string, SubjectResultView[]>()
    for (const r of this.store.snapshot(batchId)) {
      const list = byCandidate.get(r.candidateId) ?? []
      list.push(subjectView(r))
      byCandidate.set(r.candidateId, list)
    }
    return [...byCandidate].map(([candidateId, subjects]) => ({ candidateId, subjects, overall: overallOf(subjects) }))
  }

  /** For statistics: candidates whose published overall result is passed; null when not published. */
  passedCandidates(batchId: string): string[] | null {
    return (
      this.publishedResults(batchId)
        ?.filter((c) => c.overall === 'passed')
        .map((c) => c.candidateId) ?? null
    )
  }

  // ---------- publication (R7.2) ----------

  /** Batches whose exam is over (completed or published), newest first, with their publication. */
  batches(): Array<{
    id: string
    title: string
    status: string
    examEndDate: CivilDate
    level: number
    occupationName: string
    publication: PublicationView | null
  }> {
    return this.facts.resultBatches().map((b) => ({
      id: b.id,
      title: b.title,
      status: b.status,
      examEndDate: b.examEndDate,
      level: b.level,
      occupationName: b.occupationName,
      publication: this.publication(b.id),
    }))
  }

  /** The registrar's view of a batch's publication: the earliest date, whether scores are complete, the publication. */
  status(batchId: string): PublicationStatus | null {
    const batch = this.batchStore.byId(batchId)
    if (!batch) return null
    const p = this.store.publication(batchId)
    const scores = this.scores.batchResults(batchId)
    return {
      batch: { id: batch.id, title: batch.title, status: batch.status, examEndDate: batch.examEndDate },
      earliest: earliestPublicationDate(batch.examEndDate, this.calendar()),
      publication: p ? { ...this.publication(batchId)!, publishedBy: p.publishedBy, withdrawnBy: p.withdrawnBy } : null,
      complete: scores?.complete ?? false,
      unfinished: scores?.unfinished ?? [],
      candidates: scores?.candidates.length ?? 0,
    }
  }

  /**
   * R7.2: publishes a batch's results today, only when every tally is verified and signed (R7.1) and no earlier
   * than 10 working days after the exam ended. The batch moves completed → results_published; the results are
   * snapshotted and each final subject result leaves its R7.3 history row.
   */
  publish(batchId: string, actor: Person): Result<PublicationView, ResultsError> {
    return this.db
      .transaction((): Result<PublicationView, ResultsError> => {
        const batch = this.batchStore.byId(batchId)
        if (!batch) return refuse({ code: 'publication.batch_not_found', batchId })
        const existing = this.store.publication(batchId)
        if (existing) return refuse({ code: 'publication.already_published', publishedOn: existing.publishedOn })
        const moved = moveBatch(batch.status, 'publish_results', rolesOf(actor))
        if (!moved.ok) {
          const e = moved.error
          return e.code === 'batch.role_not_allowed'
            ? refuse({ code: 'publication.role_not_allowed', allowed: e.allowed })
            : refuse({ code: 'publication.wrong_state', state: batch.status })
        }
        const results = this.scores.batchResults(batchId)
        if (!results) return refuse({ code: 'publication.batch_not_found', batchId })
        if (!results.complete) return refuse({ code: 'publication.not_complete', rule: 'R7.1', unfinished: results.unfinished })
        const decided = decidePublish(batch.examEndDate, this.today(), this.calendar())
        if (!decided.ok) return decided
        const now = this.clock()
        const d = decided.value
        this.store.insertPublication({ batchId, ...d, publishedBy: actor.user, publishedAt: now })
        this.batchStore.update({ ...batch, status: moved.value, updatedAt: now })
        let rows = 0
        let history = 0
        for (const c of results.candidates) {
          const cand = this.candidates.byId(c.candidateId)
          const sitting = sittingOf(cand?.details)
          c.subjects.forEach((s, ord) => {
            let historyId: string | null = null
            const start = s.sessionId ? (this.batchStore.session(s.sessionId)?.startsAt ?? null) : null
            const row =
              cand && s.sessionId && !s.carried
                ? historyRow(s, {
                    occupationCode: batch.occupationCode,
                    level: batch.level,
                    subjectKind: s.kind,
                    examDate: start !== null ? civilDateOf(start) : batch.examEndDate,
                    attempt: resultAttempt(sitting, s.kind),
                  })
                : null
            if (row && cand) {
              historyId = randomUUID()
              this.candidates.insertResult(historyId, cand.residentIdHash, row, now)
              history++
            }
            this.store.insertSnapshot({
              batchId,
              candidateId: c.candidateId,
              subjectId: s.subjectId,
              ord,
              kind: s.kind,
              name: s.name,
              status: s.status,
              score: s.score,
              passMark: s.passMark,
              maxMark: s.maxMark,
              sessionId: s.sessionId,
              carried: s.carried === true,
              historyId,
              updatedAt: now,
            })
            rows++
          })
        }
        this.log.append({
          actor,
          action: 'results.published',
          subject: { type: 'batch', id: batchId },
          data: {
            publishedOn: d.publishedOn,
            lastDay: d.lastDay,
            takeDownFrom: d.takeDownFrom,
            provisional: d.provisional,
            candidates: results.candidates.length,
            results: rows,
            historyRows: history,
          },
        })
        return ok(this.publication(batchId)!)
      })
      .immediate()
  }

  /** R7.2: takes the results down, not before the 5 working days after publication are over. */
  takeDown(batchId: string, actor: Person): Result<PublicationView, ResultsError> {
    return this.db
      .transaction((): Result<PublicationView, ResultsError> => {
        if (!this.batchStore.byId(batchId)) return refuse({ code: 'publication.batch_not_found', batchId })
        if (!(rolesOf(actor) ?? []).includes('registrar')) return refuse({ code: 'publication.role_not_allowed', allowed: ['registrar'] })
        const p = this.store.publication(batchId)
        if (!p) return refuse({ code: 'publication.not_published' })
        if (p.withdrawnOn) return refuse({ code: 'publication.already_withdrawn', withdrawnOn: p.withdrawnOn })
        const today = this.today()
        const decided = decideUnpublish(p.publishedOn, today, this.calendar())
        if (!decided.ok) return decided
        this.store.withdraw(batchId, today, actor.user, this.clock())
        this.log.append({
          actor,
          action: 'results.taken_down',
          subject: { type: 'batch', id: batchId },
          data: { publishedOn: p.publishedOn, takenDownOn: today, lastDay: p.lastDay },
        })
        return ok(this.publication(batchId)!)
      })
      .immediate()
  }

  // ---------- reviews (核查, R7.2) ----------

  /** The batch's reviews, oldest request first, each with its steps. */
  reviews(batchId: string): ReviewView[] {
    return this.store.reviewsOfBatch(batchId).map((r) => this.reviewView(r))
  }

  review(id: string): ReviewView | null {
    const r = this.store.review(id)
    return r ? this.reviewView(r) : null
  }

  private reviewView(r: ReviewRecord): ReviewView {
    const snap = this.store.snapshotOf(r.candidateId, r.subjectId)
    return {
      id: r.id,
      batchId: r.batchId,
      candidateId: r.candidateId,
      candidateName: this.candidates.byId(r.candidateId)?.name ?? null,
      subjectId: r.subjectId,
      subjectName: snap?.name ?? r.subjectId,
      state: r.state,
      open: isReviewOpen(r.state),
      requestedOn: r.requestedOn,
      requestedBy: r.requestedBy,
      deadline: r.deadline,
      reason: r.reason,
      outcome: r.outcome,
      oldScore: r.oldScore,
      newScore: r.newScore,
      decidedBy: r.decidedBy,
      verifiedBy: r.verifiedBy,
      steps: this.store.steps(r.id).map(({ action, state, actor, reason, score, at }) => ({ action, state, actor, reason, score, at })),
    }
  }

  /**
   * R7.2: records a candidate's review request for one published subject result, received today. After the
   * deadline (1 month after publication, extended past a day off) it is refused naming the deadline.
   */
  requestReview(input: { batchId: string; candidateId: string; subjectId: string; reason?: string }, actor: Person): Result<ReviewView, ResultsError> {
    return this.db
      .transaction((): Result<ReviewView, ResultsError> => {
        const who = { id: actor.user, roles: (rolesOf(actor) ?? []) as Role[] }
        const p = this.store.publication(input.batchId)
        const snap = this.store.snapshotOf(input.candidateId, input.subjectId)
        if (p && (!snap || snap.batchId !== input.batchId)) {
          // the role first, as decideReviewRequest does: a refusal to someone else reveals nothing
          const role = moveReview({ state: 'none', decidedBy: null }, 'request', who)
          return role.ok ? refuse({ code: 'review.subject_not_found' }) : role
        }
        const open = this.store.reviewsOfCandidate(input.batchId, input.candidateId).some((r) => r.subjectId === input.subjectId && isReviewOpen(r.state))
        const today = this.today()
        const decided = decideReviewRequest({ publishedOn: p?.publishedOn ?? null, today, openReview: open }, who, this.calendar())
        if (!decided.ok) return decided
        const now = this.clock()
        const r: ReviewRecord = {
          id: randomUUID(),
          batchId: input.batchId,
          candidateId: input.candidateId,
          subjectId: input.subjectId,
          state: decided.value.state,
          requestedOn: today,
          requestedBy: actor.user,
          deadline: decided.value.deadline,
          reason: (input.reason ?? '').trim(),
          outcome: null,
          oldScore: snap!.score,
          newScore: null,
          changeId: null,
          decidedBy: null,
          verifiedBy: null,
          updatedAt: now,
        }
        this.store.insertReview(r)
        this.store.appendStep({ reviewId: r.id, action: 'request', state: r.state, actor: actor.user, reason: r.reason, score: null, at: now })
        this.log.append({
          actor,
          action: 'review.requested',
          subject: { type: 'review', id: r.id },
          data: {
            batch: r.batchId,
            candidate: r.candidateId,
            subject: r.subjectId,
            requestedOn: today,
            deadline: r.deadline,
            provisional: decided.value.provisional,
          },
        })
        return ok(this.reviewView(r))
      })
      .immediate()
  }

  /**
   * A move of a review (REVIEW_MOVES): start, uphold, change (a new score, through the scores service as a
   * pending amendment), verify (a second person; a changed score is re-verified and signed in scores, then the
   * published result and the R7.3 history row follow), send back, withdraw.
   */
  moveReview(
    reviewId: string,
    action: Exclude<ReviewAction, 'request'>,
    actor: Person,
    input: { reason?: string; score?: number } = {},
  ): Result<ReviewView, ResultsError> {
    return this.db
      .transaction((): Result<ReviewView, ResultsError> => {
        const r = this.store.review(reviewId)
        if (!r) return refuse({ code: 'review.not_found', reviewId })
        const who = { id: actor.user, roles: (rolesOf(actor) ?? []) as Role[] }
        const to = moveReview({ state: r.state, decidedBy: r.decidedBy }, action, who, input.reason)
        if (!to.ok) return to
        const reason = (input.reason ?? '').trim()
        const snap = this.store.snapshotOf(r.candidateId, r.subjectId)!
        const now = this.clock()
        const next: ReviewRecord = { ...r, state: to.value, updatedAt: now }
        const data: Record<string, string | number | boolean | null> = { batch: r.batchId, candidate: r.candidateId, subject: r.subjectId, reason }
        let stepScore: number | null = null
        if (action === 'uphold') {
          Object.assign(next, { outcome: 'upheld', decidedBy: actor.user, newScore: null, changeId: null })
          data.score = snap.score
        } else if (action === 'change') {
          const score = input.score
          if (score === undefined || !Number.isFinite(score) || score < 0 || score > snap.maxMark)
            return refuse({ code: 'review.score_invalid', maxMark: snap.maxMark })
          const revised = this.scores.reviseForReview({ reviewId, candidateId: r.candidateId, subjectId: r.subjectId, score, reason }, actor)
          if (!revised.ok) return refuse({ code: 'review.score_refused', cause: revised.error.code })
          Object.assign(next, { outcome: 'changed', decidedBy: actor.user, oldScore: snap.score, newScore: score, changeId: revised.value.changeId })
          Object.assign(data, { oldScore: snap.score, newScore: score, change: revised.value.changeId })
          stepScore = score
        } else if (action === 'verify') {
          next.verifiedBy = actor.user
          Object.assign(data, { outcome: r.outcome, decidedBy: r.decidedBy })
          if (r.outcome === 'changed') {
            const confirmed = this.scores.confirmReviewRevision(r.changeId!, actor)
            if (!confirmed.ok) return refuse({ code: 'review.score_refused', cause: confirmed.error.code })
            const status = this.revisedStatus(r, snap)
            this.store.updateSnapshot(r.candidateId, r.subjectId, status, r.newScore, now)
            if (snap.historyId && (status === 'passed' || status === 'failed')) this.candidates.setResultPassed(snap.historyId, status === 'passed')
            Object.assign(data, { oldScore: snap.score, newScore: r.newScore, oldStatus: snap.status, status, change: r.changeId })
            stepScore = r.newScore
          }
        } else if (action === 'send_back') {
          Object.assign(data, { outcome: r.outcome, decidedBy: r.decidedBy, newScore: r.newScore })
          Object.assign(next, { outcome: null, decidedBy: null, newScore: null, changeId: null })
        }
        this.store.updateReview(next)
        this.store.appendStep({ reviewId, action, state: next.state, actor: actor.user, reason, score: stepScore, at: now })
        this.log.append({ actor, action: REVIEW_EVENT[action], subject: { type: 'review', id: reviewId }, data })
        return ok(this.reviewView(next))
      })
      .immediate()
  }

  /** The result a verified change leaves: what scores now says, or the new score against the pass mark. */
  private revisedStatus(r: ReviewRecord, snap: PublishedRow): ResultStatus {
    const now = this.scores
      .batchResults(r.batchId)
      ?.candidates.find((c) => c.candidateId === r.candidateId)
      ?.subjects.find((s) => s.subjectId === r.subjectId)
    if (now && now.score === r.newScore && (now.status === 'passed' || now.status === 'failed')) return now.status
    return r.newScore! >= snap.passMark ? 'passed' : 'failed'
  }

  // ---------- the public lookup ----------

  /**
   * A candidate's own published result by ticket number and resident ID number. Every miss (no such ticket,
   * another person's ID number, not published, taken down) is the same answer after the same work: the hashes
   * are compared in constant time, and no answer comes sooner than the floor. Too many lookups from one address,
   * or wrong answers for one ticket, are refused for a while. The ID number is never logged or kept.
   */
  async lookup(input: { ticketNumber: string; residentId: string }, address: string): Promise<Result<LookupView, LookupError>> {
    const started = this.realNow()
    const answer = this.lookupNow(input, address)
    const wait = this.floorMs - (this.realNow() - started)
    if (wait > 0) await this.sleep(wait)
    return answer
  }

  private lookupNow(input: { ticketNumber: string; residentId: string }, address: string): Result<LookupView, LookupError> {
    const now = this.clock()
    const ticket = input.ticketNumber.trim().toUpperCase()
    const ticketKey = sha256hex(ticket)
    const waitMs = Math.max(this.byAddress.retryAfter(address, now), this.byTicket.retryAfter(ticketKey, now))
    if (waitMs > 0) return refuse({ code: 'lookup.rate_limited', retryAfterSeconds: Math.ceil(waitMs / 1000) })
    this.byAddress.count(address, now)
    const holder = this.tickets.byNumber(ticket)?.candidateId
    const cand = this.candidates.byId(holder ?? '')
    const expected = Buffer.from(cand?.residentIdHash ?? NO_HASH, 'hex')
    const given = Buffer.from(residentHash(this.candidates.existingSalt() ?? NO_SALT, input.residentId.trim().toUpperCase()), 'hex')
    const same = expected.length === given.length && timingSafeEqual(expected, given)
    const p = this.store.publication(cand?.batchId ?? '')
    const rows = this.store.snapshotOfCandidate(cand?.id ?? '')
    const batch = this.batchStore.byId(cand?.batchId ?? '')
    const occupation = this.occupations.byCode(batch?.occupationCode ?? '')?.name ?? null
    if (!same || !cand || !p || p.withdrawnOn !== null || rows.length === 0 || !batch) {
      this.byTicket.count(ticketKey, now)
      return refuse({ code: 'lookup.not_found' })
    }
    const subjects = rows.map((r) => ({ name: r.name, kind: r.kind, status: r.status, score: r.score, passMark: r.passMark, maxMark: r.maxMark }))
    return ok({
      name: maskPersonName(cand.name),
      occupationName: occupation ?? batch.occupationCode,
      occupationCode: batch.occupationCode,
      level: batch.level,
      batchTitle: batch.title,
      publishedOn: p.publishedOn,
      provisional: p.provisional,
      overall: overallOf(subjects),
      subjects,
    })
  }
}

const REVIEW_EVENT: Record<Exclude<ReviewAction, 'request'>, string> = {
  start: 'review.started',
  uphold: 'review.upheld',
  change: 'review.changed',
  verify: 'review.verified',
  send_back: 'review.sent_back',
  withdraw: 'review.withdrawn',
}

/** Every log action this service writes (audit/_actions.ts names each). */
export const RESULTS_ACTIONS = ['results.published', 'results.taken_down', 'review.requested', ...Object.values(REVIEW_EVENT)] as const

const subjectView = (r: PublishedRow): SubjectResultView => ({
  subjectId: r.subjectId,
  kind: r.kind,
  name: r.name,
  status: r.status,
  score: r.score,
  passMark: r.passMark,
  maxMark: r.maxMark,
  sessionId: r.sessionId,
  ...(r.carried && { carried: true }),
})

function sittingOf(details: Partial<CandidateDetails> | undefined): Sitting {
  const s = details?.sitting
  return s && (s.kind === 'full' || s.kind === 'retake') ? s : { kind: 'full' }
}
