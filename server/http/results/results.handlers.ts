import type { ReviewAction } from '../../domain/results/index.ts'
import { type Person, actorOf } from '../../services/index.ts'
import type { Results, ResultsError, ReviewView } from '../../services/results.ts'
import type { Ctx } from '../_context.ts'
import type { ErrorCode } from '../_errors.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { clientAddress } from '../session.ts'
import type * as routes from './results.routes.ts'

/** The results service (createApp wires it as services.results). */
const svc = (c: Ctx): Results => c.var.services.results
const callerOf = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles) as Person
const userName = (c: Ctx, id: string | null) => (id ? (c.var.services.accounts.get(id)?.displayName ?? null) : null)
const iso = (ms: number) => new Date(ms).toISOString()

/** A refusal of the domain or the service, logged under the attempted action, its data as the details. */
const refused = (c: Ctx, e: ResultsError, action: string, subject?: { type: string; id: string }) => refuse(c, e.code as ErrorCode, action, {}, subject, e)

const reviewJson = (c: Ctx, r: ReviewView) => ({
  ...r,
  requestedByName: userName(c, r.requestedBy),
  decidedByName: userName(c, r.decidedBy),
  verifiedByName: userName(c, r.verifiedBy),
  steps: r.steps.map((s) => ({ ...s, at: iso(s.at) })),
})

export const batches: AppRouteHandler<typeof routes.batches> = (c) => c.json({ batches: svc(c).batches() }, 200)

export const status: AppRouteHandler<typeof routes.status> = (c) => {
  const id = c.req.valid('param').id
  const s = svc(c).status(id)
  if (!s) return fail(c, 'publication.batch_not_found', { batchId: id })
  const p = s.publication
  return c.json({ ...s, publication: p ? { ...p, publishedByName: userName(c, p.publishedBy) } : null }, 200)
}

export const publish: AppRouteHandler<typeof routes.publish> = (c) => {
  const id = c.req.valid('param').id
  const r = svc(c).publish(id, callerOf(c))
  if (!r.ok) return refused(c, r.error, 'results.publish', { type: 'batch', id })
  return c.json(r.value, 200)
}

export const takeDown: AppRouteHandler<typeof routes.takeDown> = (c) => {
  const id = c.req.valid('param').id
  const r = svc(c).takeDown(id, callerOf(c))
  if (!r.ok) return refused(c, r.error, 'results.take_down', { type: 'batch', id })
  return c.json(r.value, 200)
}

export const published: AppRouteHandler<typeof routes.published> = (c) => {
  const id = c.req.valid('param').id
  const list = svc(c).publishedResults(id)
  if (!list) return fail(c, 'publication.not_published', { batchId: id })
  const names = c.var.services.lifecycle.candidateNames(list.map((x) => x.candidateId))
  return c.json({ candidates: list.map((x) => ({ ...x, name: names.get(x.candidateId) ?? null })) }, 200)
}

export const reviews: AppRouteHandler<typeof routes.reviews> = (c) =>
  c.json(
    {
      reviews: svc(c)
        .reviews(c.req.valid('param').id)
        .map((r) => reviewJson(c, r)),
    },
    200,
  )

export const requestReview: AppRouteHandler<typeof routes.requestReview> = (c) => {
  const id = c.req.valid('param').id
  const r = svc(c).requestReview({ batchId: id, ...c.req.valid('json') }, callerOf(c))
  if (!r.ok) return refused(c, r.error, 'review.request', { type: 'batch', id })
  return c.json(reviewJson(c, r.value), 200)
}

/** The refused action's name in the log (audit/_actions.ts). */
const ATTEMPT: Record<Exclude<ReviewAction, 'request'>, string> = {
  start: 'review.start',
  uphold: 'review.uphold',
  change: 'review.change',
  verify: 'review.verify',
  send_back: 'review.send_back',
  withdraw: 'review.withdraw',
}

const mover =
  (action: Exclude<ReviewAction, 'request'>) =>
  (c: Ctx, id: string, input: { reason?: string; score?: number }): Response => {
    const r = svc(c).moveReview(id, action, callerOf(c), input)
    if (!r.ok) return refused(c, r.error, ATTEMPT[action], { type: 'review', id })
    return c.json(reviewJson(c, r.value), 200)
  }

export const start: AppRouteHandler<typeof routes.start> = (c) => mover('start')(c, c.req.valid('param').id, c.req.valid('json'))
export const uphold: AppRouteHandler<typeof routes.uphold> = (c) => mover('uphold')(c, c.req.valid('param').id, c.req.valid('json'))
export const change: AppRouteHandler<typeof routes.change> = (c) => mover('change')(c, c.req.valid('param').id, c.req.valid('json'))
export const verify: AppRouteHandler<typeof routes.verify> = (c) => mover('verify')(c, c.req.valid('param').id, c.req.valid('json'))
export const sendBack: AppRouteHandler<typeof routes.sendBack> = (c) => mover('send_back')(c, c.req.valid('param').id, c.req.valid('json'))
export const withdraw: AppRouteHandler<typeof routes.withdraw> = (c) => mover('withdraw')(c, c.req.valid('param').id, c.req.valid('json'))

/** Public: one neutral answer for every miss; the ID number is never logged. */
export const lookup: AppRouteHandler<typeof routes.lookup> = async (c) => {
  const r = await svc(c).lookup(c.req.valid('json'), clientAddress(c))
  if (r.ok) return c.json(r.value, 200)
  if (r.error.code === 'lookup.rate_limited') {
    const s = r.error.retryAfterSeconds
    return fail(c, 'lookup.rate_limited', { retryAfterSeconds: s }, { 'Retry-After': String(s) })
  }
  return fail(c, 'lookup.not_found')
}
