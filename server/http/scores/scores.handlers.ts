import { type Person, actorOf } from '../../services/index.ts'
import type { Scores, ScoresError, ScoreSessionView, TallyView } from '../../services/scores.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import type * as routes from './scores.routes.ts'

/** The scores service (createApp wires it as services.scores). */
const svc = (c: Ctx): Scores => c.var.services.scores
const person = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const sessionJson = (s: ScoreSessionView) => ({ ...s, startsAt: iso(s.startsAt)!, endsAt: iso(s.endsAt)!, signedAt: iso(s.signedAt) })
const tallyJson = (t: TallyView) => ({ ...sessionJson(t) })

type Scalar = string | number | boolean | null
const scalars = (o: object): Record<string, Scalar> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) as Record<string, Scalar>

/** A refusal: not-found answers plainly; the rest are logged as refusals naming the rule. */
function refused(c: Ctx, e: ScoresError, action: string, subject?: { type: string; id: string }): Response {
  const { code, ...details } = e
  if (code === 'score.batch_unknown' || code === 'score.session_unknown') return fail(c, code, details)
  if (code === 'score_import.invalid') return refuse(c, code, action, { rule: e.rule, errors: e.errors.length }, subject, details)
  return refuse(c, code, action, scalars(details), subject, details)
}

export const batches: AppRouteHandler<typeof routes.batches> = (c) => c.json({ batches: svc(c).batches() }, 200)

export const sessions: AppRouteHandler<typeof routes.sessions> = (c) => {
  const { id } = c.req.valid('param')
  const list = svc(c).sessions(id)
  return list ? c.json({ batchId: id, sessions: list.map(sessionJson) }, 200) : fail(c, 'score.batch_unknown')
}

export const tally: AppRouteHandler<typeof routes.tally> = (c) => {
  const t = svc(c).tally(c.req.valid('param').sessionId, person(c))
  return t ? c.json(tallyJson(t), 200) : fail(c, 'score.session_unknown')
}

export const importTheory: AppRouteHandler<typeof routes.importTheory> = async (c) => {
  const { id } = c.req.valid('param')
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  let bytes: Uint8Array
  if (type === 'text/csv') bytes = new Uint8Array(await c.req.arrayBuffer())
  else if (type === 'multipart/form-data') {
    const file = (await c.req.parseBody()).file
    if (!(file instanceof File)) return fail(c, 'request.invalid', { file: 'required' })
    bytes = new Uint8Array(await file.arrayBuffer())
  } else return fail(c, 'request.unsupported_media_type', { contentType: type || null, expected: 'text/csv' })
  const r = svc(c).importTheory(id, bytes, person(c))
  return r.ok ? c.json(r.value, 201) : refused(c, r.error, 'score.import', { type: 'batch', id })
}

/** Runs one tally action for the route's session and answers with the tally. */
const act = (c: Ctx, sessionId: string, action: string, r: ReturnType<Scores['sign']>): Response =>
  r.ok ? c.json(tallyJson(r.value), 200) : refused(c, r.error, action, { type: 'exam_session', id: sessionId })

export const collect: AppRouteHandler<typeof routes.collect> = (c) => {
  const { sessionId } = c.req.valid('param')
  return act(c, sessionId, 'score.collect', svc(c).collect(sessionId, person(c)))
}

export const secondEntry: AppRouteHandler<typeof routes.secondEntry> = (c) => {
  const { sessionId } = c.req.valid('param')
  return act(c, sessionId, 'score.key', svc(c).secondEntry(sessionId, c.req.valid('json').lines, person(c)))
}

export const checkSheet: AppRouteHandler<typeof routes.checkSheet> = (c) => {
  const { sessionId } = c.req.valid('param')
  return act(c, sessionId, 'score.check', svc(c).checkSheet(sessionId, person(c)))
}

export const resolve: AppRouteHandler<typeof routes.resolve> = (c) => {
  const { sessionId } = c.req.valid('param')
  return act(c, sessionId, 'score.resolve', svc(c).resolve(sessionId, c.req.valid('json'), person(c)))
}

export const sign: AppRouteHandler<typeof routes.sign> = (c) => {
  const { sessionId } = c.req.valid('param')
  return act(c, sessionId, 'score.sign', svc(c).sign(sessionId, person(c)))
}

export const amend: AppRouteHandler<typeof routes.amend> = (c) => {
  const { sessionId } = c.req.valid('param')
  const b = c.req.valid('json')
  return act(c, sessionId, 'score.amend', svc(c).amend(sessionId, b.lines, b.reason, person(c)))
}

export const results: AppRouteHandler<typeof routes.results> = (c) => {
  const { id } = c.req.valid('param')
  const s = svc(c)
  const r = s.batchResults(id)
  if (!r) return fail(c, 'score.batch_unknown')
  const names = s.candidateNames(id)
  return c.json({ ...r, candidates: r.candidates.map((x) => ({ ...x, name: names.get(x.candidateId) ?? null })) }, 200)
}
