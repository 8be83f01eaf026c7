/**
 * Results (R7.1–R7.3): per candidate and subject, from the pass rule of the occupation's level, the door's
 * attendance, confirmed cheating incidents and the verified, signed tally. A score that is not yet verified and
 * signed does not count: the result is `pending`. Plain functions over data.
 */
import { type IncidentConfirmation, incidentKind } from '../kiosk/index.ts'
import type { Level, Occupation, Subject, SubjectKind, SubjectResult } from '../lifecycle/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { type Tally, countedScore } from './_verification.ts'

export const RESULT_STATUSES = ['passed', 'failed', 'absent', 'disqualified', 'pending'] as const
export type ResultStatus = (typeof RESULT_STATUSES)[number]

export const RESULT_NAMES: Readonly<Record<ResultStatus, { zh: string; en: string }>> = {
  passed: { zh: '合格', en: 'Passed' },
  failed: { zh: '不合格', en: 'Failed' },
  absent: { zh: '缺考', en: 'Absent' },
  disqualified: { zh: '成绩无效（作弊）', en: 'Disqualified (cheating)' },
  pending: { zh: '待定', en: 'Pending' },
}

/** Why a result is pending. */
export type PendingReason = 'not_verified' | 'no_score' | 'cheating_unconfirmed' | 'session_not_over'

/** The pass rule of one subject: the level's pass and maximum marks (a score ≥ passMark passes). */
export interface PassRule {
  subjectId: string
  kind: SubjectKind
  name: string
  passMark: number
  maxMark: number
}

export type ResultRefusal =
  | { code: 'result.level_not_certified'; rule: 'R7.1'; occupationCode: string; level: Level }
  | { code: 'result.subject_unknown'; rule: 'R7.1'; subjectId: string }

/** The pass rules of an occupation at a level, one per subject (R7.1 "pass marks exist"). */
export function passRules(occupation: Pick<Occupation, 'code' | 'levels'>, level: Level): Result<PassRule[], ResultRefusal> {
  const l = occupation.levels.find((x) => x.level === level)
  if (!l) return refuse({ code: 'result.level_not_certified', rule: 'R7.1', occupationCode: occupation.code, level })
  return ok(l.subjects.map((s: Subject) => ({ subjectId: s.id, kind: s.kind, name: s.name, passMark: s.passMark, maxMark: s.maxMark })))
}

/** An incident as results need it: what, whom, in which session, and its confirmations. */
export interface ResultIncident {
  sessionId: string
  candidateId: string | null
  kind: string
  confirmations: readonly Pick<IncidentConfirmation, 'type'>[]
}

/** What decides one candidate's result in one subject. */
export interface SubjectFacts {
  candidateId: string
  rule: PassRule
  /** The subject's session the candidate sat in (their ticket's session). */
  sessionId: string
  /** The door admitted the candidate to that session (R6.2 attendance). */
  admitted: boolean
  /** The session is over (completed, or past its end and not suspended): only then is a missing admission an absence. */
  sessionOver: boolean
  /** Incidents of that session (any candidate; the function picks the candidate's). */
  incidents: readonly ResultIncident[]
  /** The subject's tally for that session, or null when none is entered yet. */
  tally: Pick<Tally, 'state' | 'lines' | 'subjectId'> | null
}

export interface SubjectOutcome {
  candidateId: string
  subjectId: string
  status: ResultStatus
  /** The counted score (verified and signed), or null. */
  score: number | null
  passMark: number
  maxMark: number
  pending?: PendingReason
  /** Things a person should look at: a score on the tally for a candidate the door never admitted. */
  flags: Array<'score_without_admission'>
}

/**
 * Whether a sitting is over for attendance: completed, or scheduled and past its end. A suspended one (停考, R5.4)
 * is not: its candidates are examined again, so a missing admission there is no absence.
 */
export function sessionOver(s: { status: string; endsAt: number }, now: number): boolean {
  return s.status === 'completed' || (s.status === 'scheduled' && s.endsAt <= now)
}

const isCheating = (kind: string): boolean => incidentKind(kind)?.group === 'cheating'

/**
 * One candidate's result in one subject. Order: a confirmed 作弊 incident disqualifies; an unconfirmed one
 * holds the result (pending); no admission at the door is absent once the session is over (pending before, so an
 * exam not yet sat, or suspended, never reads as 缺考); then the counted score against the pass mark,
 * or pending while the tally is not verified and signed. A 违纪 (breach of discipline) does not change the result.
 * Example: subjectResult({ candidateId, rule, sessionId, admitted: true, sessionOver: true, incidents: [], tally }) → { status: 'passed', score: 72 }
 */
export function subjectResult(f: SubjectFacts): SubjectOutcome {
  const base = { candidateId: f.candidateId, subjectId: f.rule.subjectId, passMark: f.rule.passMark, maxMark: f.rule.maxMark }
  const tally = f.tally && f.tally.subjectId === f.rule.subjectId ? f.tally : null
  const listed = tally?.lines.some((l) => l.candidateId === f.candidateId) ?? false
  const flags: SubjectOutcome['flags'] = !f.admitted && listed ? ['score_without_admission'] : []
  const cheating = f.incidents.filter((i) => i.sessionId === f.sessionId && i.candidateId === f.candidateId && isCheating(i.kind))
  // Art. 18: a violation stands once a second invigilator of the room has confirmed it.
  if (cheating.some((i) => i.confirmations.some((c) => c.type === 'second'))) {
    return { ...base, status: 'disqualified', score: null, flags }
  }
  if (cheating.length > 0) return { ...base, status: 'pending', score: null, pending: 'cheating_unconfirmed', flags }
  if (!f.admitted) {
    return f.sessionOver ? { ...base, status: 'absent', score: null, flags } : { ...base, status: 'pending', score: null, pending: 'session_not_over', flags }
  }
  const score = tally ? countedScore(tally, f.candidateId) : null
  if (score === null) return { ...base, status: 'pending', score: null, pending: tally?.state === 'signed' || !listed ? 'no_score' : 'not_verified', flags }
  return { ...base, status: score >= f.rule.passMark ? 'passed' : 'failed', score, flags }
}

/** A candidate's standing over every subject of the level: passed only when every subject is passed. */
export function overallResult(outcomes: readonly Pick<SubjectOutcome, 'status'>[]): 'passed' | 'not_passed' | 'pending' {
  if (outcomes.length === 0 || outcomes.some((o) => o.status === 'pending')) return 'pending'
  return outcomes.every((o) => o.status === 'passed') ? 'passed' : 'not_passed'
}

/**
 * The R7.3 history row a final result leaves (what the registration's retake check reads); a pending result
 * leaves none. Absent and disqualified are not passes.
 */
export function historyRow(
  outcome: Pick<SubjectOutcome, 'status'>,
  at: { occupationCode: string; level: number; subjectKind: SubjectKind; examDate: string; attempt: number },
): SubjectResult | null {
  if (outcome.status === 'pending') return null
  return { ...at, passed: outcome.status === 'passed' }
}
