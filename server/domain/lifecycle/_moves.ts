/**
 * The state machines of batches and candidates, as tables (STYLE.md): a (state, action) pair not listed
 * is refused, and a listed move is open only to its roles. `roles: null` is the system itself (the
 * start-up demo loader), never a request.
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import type { LifecycleError } from './_refusals.ts'
import type { BatchStatus, CandidateStatus } from './_types.ts'

/** The registrar's desk (README roles): administrators read the lifecycle but do not move it. */
const DESK: readonly Role[] = ['registrar']

export type BatchAction = 'file' | 'announce' | 'change' | 'start' | 'complete' | 'publish_results'

/**
 * draft → filed (R2.1/R2.2) → announced (R2.3) → in_progress → completed → results_published (R7.2, later).
 * `change` (R4.4) keeps the state: a filed plan's venue or time changes only with the centre's approval.
 */
export const BATCH_MOVES = [
  { from: 'draft', action: 'file', to: 'filed', who: DESK },
  { from: 'filed', action: 'announce', to: 'announced', who: DESK },
  { from: 'filed', action: 'change', to: 'filed', who: DESK },
  { from: 'announced', action: 'change', to: 'announced', who: DESK },
  { from: 'announced', action: 'start', to: 'in_progress', who: DESK },
  { from: 'in_progress', action: 'complete', to: 'completed', who: DESK },
  { from: 'completed', action: 'publish_results', to: 'results_published', who: DESK },
] as const satisfies ReadonlyArray<{ from: BatchStatus; action: BatchAction; to: BatchStatus; who: readonly Role[] }>

export type CandidateAction = 'approve' | 'reject' | 'withdraw' | 'reopen'

/**
 * R3.2: a registrar reviews a registration against the occupational standard; a rejection says why.
 * Withdrawal also needs a reason (it ends a candidacy); a rejected registration can be reopened when the
 * applicant brings what was missing, and is then reviewed again.
 */
export const CANDIDATE_MOVES = [
  { from: 'registered', action: 'approve', to: 'approved', who: DESK, reason: 'optional' },
  { from: 'registered', action: 'reject', to: 'rejected', who: DESK, reason: 'required' },
  { from: 'registered', action: 'withdraw', to: 'withdrawn', who: DESK, reason: 'required' },
  { from: 'approved', action: 'withdraw', to: 'withdrawn', who: DESK, reason: 'required' },
  { from: 'rejected', action: 'reopen', to: 'registered', who: DESK, reason: 'optional' },
] as const satisfies ReadonlyArray<{
  from: CandidateStatus
  action: CandidateAction
  to: CandidateStatus
  who: readonly Role[]
  reason: 'required' | 'optional'
}>

const allowed = (who: readonly Role[], roles: readonly Role[] | null) => roles === null || roles.some((r) => who.includes(r))

/** The state a batch moves to, or why it may not. */
export function moveBatch(state: BatchStatus, action: BatchAction, roles: readonly Role[] | null): Result<BatchStatus, LifecycleError> {
  const move = BATCH_MOVES.find((m) => m.from === state && m.action === action)
  if (!move) return refuse({ code: 'batch.wrong_state', state, action })
  if (!allowed(move.who, roles)) return refuse({ code: 'batch.role_not_allowed', action, allowed: move.who })
  return ok(move.to)
}

/** The state a candidate moves to, or why it may not (a missing reason where the table requires one too). */
export function moveCandidate(
  state: CandidateStatus,
  action: CandidateAction,
  roles: readonly Role[] | null,
  reason?: string,
): Result<CandidateStatus, LifecycleError> {
  const move = CANDIDATE_MOVES.find((m) => m.from === state && m.action === action)
  if (!move) return refuse({ code: 'candidate.wrong_state', state, action })
  if (!allowed(move.who, roles)) return refuse({ code: 'candidate.role_not_allowed', action, allowed: move.who })
  if (move.reason === 'required' && (reason ?? '').trim() === '') return refuse({ code: 'review.reason_required', action })
  return ok(move.to)
}
