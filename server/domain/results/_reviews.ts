/**
 * Review requests (核查, R7.2): "考生对考试成绩有异议的可在公示后 1 个月内向评价机构申请核查" (第七章 二).
 * A registrar records the candidate's request and handles it; the outcome (score upheld, or changed) is
 * checked by a second person, a score verifier, before the review closes (R7.1: a changed score is
 * verified again). Pure: the calendar and today are passed in.
 */
import { addMonths, type Calendar, type CivilDate } from '../calendar/index.ts'
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'

/** R7.2: 公示后 1 个月内. */
export const REVIEW_WINDOW_MONTHS = 1

/**
 * R7.2, the last day a review may be requested for results published on `publishedOn`, counted as the
 * law counts a period of months:
 * - 民法典 第201条: the day of publication is not counted;
 * - 第202条: the period ends on the corresponding day of the next month, or on that month's last day when
 *   it has none (published 01-31 → 02-28, or 02-29 in a leap year; 03-31 → 04-30);
 * - 第203条: when that day is a day off (法定休假日, weekends included), the period ends on the next
 *   working day instead; a make-up working Saturday (调休) is a working day and ends it.
 * `nominal` is the 第202条 day before any extension. `provisional` when that day lies in a year without an
 * official holiday list (a holiday there could still move the deadline).
 * Example: published 2026-01-15 → nominal 2026-02-15 (春节) → deadline Tue 2026-02-24.
 */
export function reviewDeadline(publishedOn: CivilDate, cal: Calendar): { date: CivilDate; nominal: CivilDate; provisional: boolean } {
  const nominal = addMonths(publishedOn, REVIEW_WINDOW_MONTHS)
  const day = cal.isWorkingDay(nominal)
  if (day.working) return { date: nominal, nominal, provisional: day.provisional }
  const next = cal.addWorkingDays(nominal, 1)
  return { date: next.date, nominal, provisional: next.provisional }
}

export const REVIEW_STATES = ['requested', 'in_review', 'upheld', 'changed', 'verified', 'withdrawn'] as const
export type ReviewState = (typeof REVIEW_STATES)[number]
export type ReviewAction = 'request' | 'start' | 'uphold' | 'change' | 'verify' | 'send_back' | 'withdraw'

/** A review is open (it blocks a certificate, R8.1) until a second person verified its outcome, or it was withdrawn. */
export function isReviewOpen(state: ReviewState): boolean {
  return state !== 'verified' && state !== 'withdrawn'
}

/** The registrar's desk records and handles reviews; the score verifier (成绩校对人员) is the second person. */
const DESK: readonly Role[] = ['registrar']
const VERIFIER: readonly Role[] = ['verifier']

/**
 * none → requested → in_review → upheld | changed → verified, as a table (STYLE.md). `secondPerson`: the
 * actor must not be the one who decided (uphold/change). A verifier who disagrees sends the outcome back
 * with a reason, never silently. Withdrawal (the candidate's, recorded by the desk) ends a review before
 * its decision. `request` must go through decideReviewRequest, which also checks the deadline.
 */
export const REVIEW_MOVES = [
  { from: 'none', action: 'request', to: 'requested', who: DESK, reason: 'optional', secondPerson: false },
  { from: 'requested', action: 'start', to: 'in_review', who: DESK, reason: 'optional', secondPerson: false },
  { from: 'requested', action: 'withdraw', to: 'withdrawn', who: DESK, reason: 'required', secondPerson: false },
  { from: 'in_review', action: 'withdraw', to: 'withdrawn', who: DESK, reason: 'required', secondPerson: false },
  { from: 'in_review', action: 'uphold', to: 'upheld', who: DESK, reason: 'required', secondPerson: false },
  { from: 'in_review', action: 'change', to: 'changed', who: DESK, reason: 'required', secondPerson: false },
  { from: 'upheld', action: 'verify', to: 'verified', who: VERIFIER, reason: 'optional', secondPerson: true },
  { from: 'changed', action: 'verify', to: 'verified', who: VERIFIER, reason: 'optional', secondPerson: true },
  { from: 'upheld', action: 'send_back', to: 'in_review', who: VERIFIER, reason: 'required', secondPerson: true },
  { from: 'changed', action: 'send_back', to: 'in_review', who: VERIFIER, reason: 'required', secondPerson: true },
] as const satisfies ReadonlyArray<{
  from: ReviewState | 'none'
  action: ReviewAction
  to: ReviewState
  who: readonly Role[]
  reason: 'required' | 'optional'
  secondPerson: boolean
}>

export type ReviewError =
  | { code: 'review.not_published' }
  | { code: 'review.too_late'; rule: 'R7.2'; publishedOn: CivilDate; today: CivilDate; deadline: CivilDate; nominal: CivilDate; provisional: boolean }
  | { code: 'review.already_open' }
  | { code: 'review.wrong_state'; state: ReviewState | 'none'; action: ReviewAction }
  | { code: 'review.role_not_allowed'; action: ReviewAction; allowed: readonly Role[] }
  | { code: 'review.same_person'; rule: 'R7.2'; action: ReviewAction }
  | { code: 'review.reason_required'; action: ReviewAction }

export interface ReviewActor {
  id: string
  roles: readonly Role[]
}

/**
 * The state a review moves to, or why it may not. `decidedBy` is who upheld or changed the outcome
 * (null before a decision); the moves marked secondPerson need someone else.
 */
export function moveReview(
  review: { state: ReviewState | 'none'; decidedBy: string | null },
  action: ReviewAction,
  actor: ReviewActor,
  reason?: string,
): Result<ReviewState, ReviewError> {
  const move = REVIEW_MOVES.find((m) => m.from === review.state && m.action === action)
  if (!move) return refuse({ code: 'review.wrong_state', state: review.state, action })
  if (!actor.roles.some((r) => (move.who as readonly Role[]).includes(r))) return refuse({ code: 'review.role_not_allowed', action, allowed: move.who })
  if (move.secondPerson) {
    if (review.decidedBy === null) throw new Error(`review in state ${review.state} has no decidedBy`)
    if (review.decidedBy === actor.id) return refuse({ code: 'review.same_person', rule: 'R7.2', action })
  }
  if (move.reason === 'required' && (reason ?? '').trim() === '') return refuse({ code: 'review.reason_required', action })
  return ok(move.to)
}

/**
 * R7.2: may a review be requested today for these results? Not before they are published, not while a
 * review of the same result is open, and not after the deadline (the refusal names it). The request day
 * is the day the body receives it (phone or desk), recorded by a registrar.
 */
export function decideReviewRequest(
  input: { publishedOn: CivilDate | null; today: CivilDate; openReview: boolean },
  actor: ReviewActor,
  cal: Calendar,
): Result<{ state: ReviewState; deadline: CivilDate; provisional: boolean }, ReviewError> {
  const moved = moveReview({ state: 'none', decidedBy: null }, 'request', actor)
  if (!moved.ok) return moved // the role first: a refusal to someone else reveals no dates
  const { publishedOn, today } = input
  if (publishedOn === null || today < publishedOn) return refuse({ code: 'review.not_published' })
  const d = reviewDeadline(publishedOn, cal)
  if (today > d.date)
    return refuse({ code: 'review.too_late', rule: 'R7.2', publishedOn, today, deadline: d.date, nominal: d.nominal, provisional: d.provisional })
  if (input.openReview) return refuse({ code: 'review.already_open' })
  return ok({ state: moved.value, deadline: d.date, provisional: d.provisional })
}
