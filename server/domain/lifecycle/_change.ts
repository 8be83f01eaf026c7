/**
 * R4.4: changing an exam's venue or time needs the municipal centre's approval (核准). The change records
 * the approval reference with the old and new values; without a reference it is refused.
 */
import type { Role } from '../accounts/index.ts'
import { civilDateOf } from '../calendar/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { moveBatch } from './_moves.ts'
import type { LifecycleError } from './_refusals.ts'
import type { Batch, ChangeRecord, ExamSession, Instant } from './_types.ts'

export interface SessionChange {
  startsAt?: Instant
  endsAt?: Instant
  siteId?: string | null
  approvalReference?: string
}
export interface ChangeContext {
  roles: readonly Role[] | null
  now: Instant
  knownSites: ReadonlySet<string>
}

const approval = (ref: string | undefined): string | null => (ref && ref.trim() !== '' ? ref.trim() : null)

/**
 * A session's new time or site. The batch's exam dates follow its sessions (first to last day, CST), so
 * the announcement and tickets print the changed dates.
 */
export function decideSessionChange(
  b: Batch,
  session: ExamSession,
  all: readonly ExamSession[],
  change: SessionChange,
  ctx: ChangeContext,
): Result<{ batch: Batch; session: ExamSession; record: ChangeRecord }, LifecycleError> {
  const state = moveBatch(b.status, 'change', ctx.roles)
  if (!state.ok) return state
  if (session.status !== 'scheduled') return refuse({ code: 'change.session_not_scheduled', status: session.status })
  const next: ExamSession = {
    ...session,
    startsAt: change.startsAt ?? session.startsAt,
    endsAt: change.endsAt ?? session.endsAt,
    siteId: change.siteId === undefined ? session.siteId : change.siteId,
    updatedAt: ctx.now,
  }
  const old: ChangeRecord['old'] = {}
  const now: ChangeRecord['new'] = {}
  for (const k of ['startsAt', 'endsAt', 'siteId'] as const) {
    if (next[k] !== session[k]) {
      old[k] = session[k]
      now[k] = next[k]
    }
  }
  if (Object.keys(now).length === 0) return refuse({ code: 'change.invalid', field: '', message: 'nothing would change' })
  const ref = approval(change.approvalReference)
  if (ref === null) return refuse({ code: 'change.approval_required' })
  if (next.endsAt <= next.startsAt) return refuse({ code: 'change.invalid', field: 'endsAt', message: 'a session ends after it starts' })
  if (next.siteId !== null && !ctx.knownSites.has(next.siteId)) return refuse({ code: 'change.invalid', field: 'siteId', message: 'no such site' })

  const sessions = all.map((s) => (s.id === next.id ? next : s))
  const start = sessions.reduce((d, s) => (civilDateOf(s.startsAt) < d ? civilDateOf(s.startsAt) : d), civilDateOf(next.startsAt))
  const end = sessions.reduce((d, s) => (civilDateOf(s.endsAt) > d ? civilDateOf(s.endsAt) : d), civilDateOf(next.endsAt))
  const record: ChangeRecord = { at: ctx.now, what: 'session', sessionId: session.id, old, new: now, approvalReference: ref }
  return ok({
    batch: { ...b, examStartDate: start, examEndDate: end, plan: { ...b.plan, changes: [...b.plan.changes, record] }, updatedAt: ctx.now },
    session: next,
    record,
  })
}

/** The plan's venue (place) of a filed batch. */
export function decideVenueChange(
  b: Batch,
  change: { place: string; approvalReference?: string },
  ctx: Omit<ChangeContext, 'knownSites'>,
): Result<{ batch: Batch; record: ChangeRecord }, LifecycleError> {
  const state = moveBatch(b.status, 'change', ctx.roles)
  if (!state.ok) return state
  const place = change.place.trim()
  if (place === '' || [...place].length > 200) return refuse({ code: 'change.invalid', field: 'place', message: 'expected a place of 1–200 characters' })
  if (place === b.plan.place) return refuse({ code: 'change.invalid', field: 'place', message: 'nothing would change' })
  const ref = approval(change.approvalReference)
  if (ref === null) return refuse({ code: 'change.approval_required' })
  const record: ChangeRecord = { at: ctx.now, what: 'venue', old: { place: b.plan.place ?? null }, new: { place }, approvalReference: ref }
  return ok({ batch: { ...b, plan: { ...b.plan, place, changes: [...b.plan.changes, record] }, updatedAt: ctx.now }, record })
}
