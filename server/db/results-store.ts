import type { Database, Statement } from 'bun:sqlite'
import type { ReviewState } from '../domain/results/index.ts'
import type { PassRule, ResultStatus } from '../domain/scores/index.ts'
import type { SubjectKind } from '../domain/lifecycle/index.ts'

/**
 * SQL for results (R7.2, R7.3): publications, the published snapshot, reviews and their steps. No rules here.
 * The R7.3 history rows (subject_results) are written through candidate-store, which owns them.
 */

export interface PublicationRecord {
  batchId: string
  publishedOn: string
  lastDay: string
  takeDownFrom: string
  provisional: boolean
  publishedBy: string
  publishedAt: number
  withdrawnOn: string | null
  withdrawnBy: string | null
  withdrawnAt: number | null
}

/** One candidate's result in one subject: the subject's pass rule, the result, the session sat (R7.1). */
export interface SubjectResultRow extends PassRule {
  /** passed | failed | absent | disqualified | pending */
  status: ResultStatus
  score: number | null
  /** null when carried over (a pass still valid under R7.3, no sitting). */
  sessionId: string | null
}

/** A row of the published snapshot (R7.2): the result as published, in the candidate's subject order. */
export interface PublishedRow extends SubjectResultRow {
  batchId: string
  candidateId: string
  ord: number
  carried: boolean
  historyId: string | null
  updatedAt: number
}

export interface ReviewRecord {
  id: string
  batchId: string
  candidateId: string
  subjectId: string
  state: ReviewState
  requestedOn: string
  requestedBy: string
  deadline: string
  reason: string
  outcome: 'upheld' | 'changed' | null
  oldScore: number | null
  newScore: number | null
  changeId: string | null
  decidedBy: string | null
  verifiedBy: string | null
  updatedAt: number
}

export interface ReviewStep {
  reviewId: string
  seq: number
  action: string
  state: ReviewState
  actor: string
  reason: string
  score: number | null
  at: number
}

interface PubRow {
  batch_id: string
  published_on: string
  last_day: string
  take_down_from: string
  provisional: number
  published_by: string
  published_at: number
  withdrawn_on: string | null
  withdrawn_by: string | null
  withdrawn_at: number | null
}
interface SnapRow {
  batch_id: string
  candidate_id: string
  subject_id: string
  ord: number
  kind: string
  name: string
  status: string
  score: number | null
  pass_mark: number
  max_mark: number
  session_id: string | null
  carried: number
  history_id: string | null
  updated_at: number
}
interface RevRow {
  id: string
  batch_id: string
  candidate_id: string
  subject_id: string
  state: string
  requested_on: string
  requested_by: string
  deadline: string
  reason: string
  outcome: string | null
  old_score: number | null
  new_score: number | null
  change_id: string | null
  decided_by: string | null
  verified_by: string | null
  updated_at: number
}
interface StepRow {
  review_id: string
  seq: number
  action: string
  state: string
  actor: string
  reason: string
  score: number | null
  at: number
}

const toPub = (r: PubRow): PublicationRecord => ({
  batchId: r.batch_id,
  publishedOn: r.published_on,
  lastDay: r.last_day,
  takeDownFrom: r.take_down_from,
  provisional: r.provisional === 1,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
  withdrawnOn: r.withdrawn_on,
  withdrawnBy: r.withdrawn_by,
  withdrawnAt: r.withdrawn_at,
})
const toSnap = (r: SnapRow): PublishedRow => ({
  batchId: r.batch_id,
  candidateId: r.candidate_id,
  subjectId: r.subject_id,
  ord: r.ord,
  kind: r.kind as SubjectKind,
  name: r.name,
  status: r.status as ResultStatus,
  score: r.score,
  passMark: r.pass_mark,
  maxMark: r.max_mark,
  sessionId: r.session_id,
  carried: r.carried === 1,
  historyId: r.history_id,
  updatedAt: r.updated_at,
})
const toRev = (r: RevRow): ReviewRecord => ({
  id: r.id,
  batchId: r.batch_id,
  candidateId: r.candidate_id,
  subjectId: r.subject_id,
  state: r.state as ReviewState,
  requestedOn: r.requested_on,
  requestedBy: r.requested_by,
  deadline: r.deadline,
  reason: r.reason,
  outcome: r.outcome as ReviewRecord['outcome'],
  oldScore: r.old_score,
  newScore: r.new_score,
  changeId: r.change_id,
  decidedBy: r.decided_by,
  verifiedBy: r.verified_by,
  updatedAt: r.updated_at,
})
const toStep = (r: StepRow): ReviewStep => ({
  reviewId: r.review_id,
  seq: r.seq,
  action: r.action,
  state: r.state as ReviewState,
  actor: r.actor,
  reason: r.reason,
  score: r.score,
  at: r.at,
})

export class ResultsStore {
  private readonly q: {
    publication: Statement<PubRow, [string]>
    insertPublication: Statement<unknown, [string, string, string, string, number, string, number]>
    withdraw: Statement<unknown, [string, string, number, string]>
    snapshot: Statement<SnapRow, [string]>
    snapshotOf: Statement<SnapRow, [string, string]>
    snapshotOfCandidate: Statement<SnapRow, [string]>
    insertSnap: Statement<
      unknown,
      [string, string, string, number, string, string, string, number | null, number, number, string | null, number, string | null, number]
    >
    updateSnap: Statement<unknown, [string, number | null, number, string, string]>
    review: Statement<RevRow, [string]>
    reviewsOfBatch: Statement<RevRow, [string]>
    reviewsOfCandidate: Statement<RevRow, [string, string]>
    insertReview: Statement<unknown, [string, string, string, string, string, string, string, string, string, number | null, number]>
    updateReview: Statement<unknown, [string, string | null, number | null, number | null, string | null, string | null, string | null, number, string]>
    steps: Statement<StepRow, [string]>
    insertStep: Statement<unknown, [string, string, string, string, string, number | null, number]>
  }

  constructor(db: Database) {
    this.q = {
      publication: db.query('SELECT * FROM result_publications WHERE batch_id = ?'),
      insertPublication: db.query(
        'INSERT INTO result_publications (batch_id, published_on, last_day, take_down_from, provisional, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      withdraw: db.query('UPDATE result_publications SET withdrawn_on = ?, withdrawn_by = ?, withdrawn_at = ? WHERE batch_id = ? AND withdrawn_on IS NULL'),
      snapshot: db.query('SELECT * FROM published_results WHERE batch_id = ? ORDER BY rowid'),
      snapshotOf: db.query('SELECT * FROM published_results WHERE candidate_id = ? AND subject_id = ?'),
      snapshotOfCandidate: db.query('SELECT * FROM published_results WHERE candidate_id = ? ORDER BY ord'),
      insertSnap: db.query(`INSERT INTO published_results (batch_id, candidate_id, subject_id, ord, kind, name, status, score, pass_mark, max_mark,
        session_id, carried, history_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updateSnap: db.query('UPDATE published_results SET status = ?, score = ?, updated_at = ? WHERE candidate_id = ? AND subject_id = ?'),
      review: db.query('SELECT * FROM result_reviews WHERE id = ?'),
      reviewsOfBatch: db.query('SELECT * FROM result_reviews WHERE batch_id = ? ORDER BY requested_on, rowid'),
      reviewsOfCandidate: db.query('SELECT * FROM result_reviews WHERE batch_id = ? AND candidate_id = ? ORDER BY rowid'),
      insertReview:
        db.query(`INSERT INTO result_reviews (id, batch_id, candidate_id, subject_id, state, requested_on, requested_by, deadline, reason, old_score,
        updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updateReview: db.query(`UPDATE result_reviews SET state = ?, outcome = ?, old_score = ?, new_score = ?, change_id = ?, decided_by = ?, verified_by = ?,
        updated_at = ? WHERE id = ?`),
      steps: db.query('SELECT * FROM result_review_steps WHERE review_id = ? ORDER BY seq'),
      insertStep: db.query(`INSERT INTO result_review_steps (review_id, seq, action, state, actor, reason, score, at)
        VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM result_review_steps WHERE review_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)`),
    }
  }

  publication(batchId: string): PublicationRecord | null {
    const r = this.q.publication.get(batchId)
    return r ? toPub(r) : null
  }
  insertPublication(p: Omit<PublicationRecord, 'withdrawnOn' | 'withdrawnBy' | 'withdrawnAt'>): void {
    this.q.insertPublication.run(p.batchId, p.publishedOn, p.lastDay, p.takeDownFrom, p.provisional ? 1 : 0, p.publishedBy, p.publishedAt)
  }
  withdraw(batchId: string, on: string, by: string, at: number): boolean {
    return this.q.withdraw.run(on, by, at, batchId).changes === 1
  }

  snapshot(batchId: string): PublishedRow[] {
    return this.q.snapshot.all(batchId).map(toSnap)
  }
  snapshotOf(candidateId: string, subjectId: string): PublishedRow | null {
    const r = this.q.snapshotOf.get(candidateId, subjectId)
    return r ? toSnap(r) : null
  }
  /** One candidate's published rows, in subject order. */
  snapshotOfCandidate(candidateId: string): PublishedRow[] {
    return this.q.snapshotOfCandidate.all(candidateId).map(toSnap)
  }
  insertSnapshot(s: PublishedRow): void {
    this.q.insertSnap.run(
      s.batchId,
      s.candidateId,
      s.subjectId,
      s.ord,
      s.kind,
      s.name,
      s.status,
      s.score,
      s.passMark,
      s.maxMark,
      s.sessionId,
      s.carried ? 1 : 0,
      s.historyId,
      s.updatedAt,
    )
  }
  updateSnapshot(candidateId: string, subjectId: string, status: ResultStatus, score: number | null, at: number): void {
    this.q.updateSnap.run(status, score, at, candidateId, subjectId)
  }

  review(id: string): ReviewRecord | null {
    const r = this.q.review.get(id)
    return r ? toRev(r) : null
  }
  reviewsOfBatch(batchId: string): ReviewRecord[] {
    return this.q.reviewsOfBatch.all(batchId).map(toRev)
  }
  reviewsOfCandidate(batchId: string, candidateId: string): ReviewRecord[] {
    return this.q.reviewsOfCandidate.all(batchId, candidateId).map(toRev)
  }
  insertReview(r: ReviewRecord): void {
    this.q.insertReview.run(r.id, r.batchId, r.candidateId, r.subjectId, r.state, r.requestedOn, r.requestedBy, r.deadline, r.reason, r.oldScore, r.updatedAt)
  }
  updateReview(r: ReviewRecord): void {
    this.q.updateReview.run(r.state, r.outcome, r.oldScore, r.newScore, r.changeId, r.decidedBy, r.verifiedBy, r.updatedAt, r.id)
  }
  steps(reviewId: string): ReviewStep[] {
    return this.q.steps.all(reviewId).map(toStep)
  }
  appendStep(s: Omit<ReviewStep, 'seq'>): void {
    this.q.insertStep.run(s.reviewId, s.action, s.state, s.actor, s.reason, s.score, s.at)
  }
}
