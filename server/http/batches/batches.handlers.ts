import type { z } from '@hono/zod-openapi'
import { actorOf } from '../../services/index.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail } from '../_route.ts'
import { type BatchPatchBody, type PlanSessionJson, announcementJson, batchJson, planSessions, refused, sessionJson } from '../lifecycle-schemas.ts'
import type * as routes from './batches.routes.ts'

type PlanBody = Omit<z.infer<typeof BatchPatchBody>, 'sessions'> & { sessions?: PlanSessionJson[] }
const planInput = (b: PlanBody) => {
  const { sessions, ...rest } = b
  return { ...rest, ...(sessions !== undefined ? { sessions: planSessions(sessions) } : {}) }
}

const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)
const idOf = (c: Ctx) => c.req.param('id')!

/** The public JSON of an announcement, or null when there is none with this id. */
export function publicView(c: Ctx, id: string): ReturnType<typeof announcementJson> | null {
  const lc = c.var.services.lifecycle
  const a = lc.batches.announcement(id)
  if (!a) return null
  const view = lc.batches.get(a.batchId)!
  return announcementJson(a, view, lc.occupations.get(view.batch.occupationCode)!)
}

export const list: AppRouteHandler<typeof routes.list> = (c) => c.json({ batches: c.var.services.lifecycle.batches.list().map((b) => batchJson(b)) }, 200)

export const create: AppRouteHandler<typeof routes.create> = (c) => {
  const body = c.req.valid('json')
  const r = c.var.services.lifecycle.batches.create(actor(c), {
    ...planInput(body),
    title: body.title,
    occupationCode: body.occupationCode,
    level: body.level,
    examStartDate: body.examStartDate,
    examEndDate: body.examEndDate,
  })
  return r.ok ? c.json(batchJson(r.value, { sessions: [], announcement: null }), 201) : refused(c, r.error, 'batch.create')
}

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const v = c.var.services.lifecycle.batches.get(idOf(c))
  return v ? c.json(batchJson(v.batch, v), 200) : fail(c, 'batch.not_found')
}

export const update: AppRouteHandler<typeof routes.update> = (c) => {
  const id = idOf(c)
  const r = c.var.services.lifecycle.batches.updateDraft(actor(c), id, planInput(c.req.valid('json')))
  return r.ok ? c.json(batchJson(r.value, { sessions: [], announcement: null }), 200) : refused(c, r.error, 'batch.update', { type: 'batch', id })
}

export const file: AppRouteHandler<typeof routes.file> = (c) => {
  const id = idOf(c)
  const r = c.var.services.lifecycle.batches.file(actor(c), id, c.req.valid('json'))
  return r.ok ? c.json(batchJson(r.value.batch, r.value), 200) : refused(c, r.error, 'batch.file', { type: 'batch', id })
}

export const changeVenue: AppRouteHandler<typeof routes.changeVenue> = (c) => {
  const id = idOf(c)
  const r = c.var.services.lifecycle.batches.changeVenue(actor(c), id, c.req.valid('json'))
  return r.ok ? c.json(batchJson(r.value), 200) : refused(c, r.error, 'batch.change_venue', { type: 'batch', id })
}

export const changeSession: AppRouteHandler<typeof routes.changeSession> = (c) => {
  const id = idOf(c)
  const b = c.req.valid('json')
  const r = c.var.services.lifecycle.batches.changeSession(actor(c), id, {
    ...(b.startsAt !== undefined && { startsAt: Date.parse(b.startsAt) }),
    ...(b.endsAt !== undefined && { endsAt: Date.parse(b.endsAt) }),
    ...(b.siteId !== undefined && { siteId: b.siteId }),
    ...(b.approvalReference !== undefined && { approvalReference: b.approvalReference }),
  })
  return r.ok
    ? c.json({ session: sessionJson(r.value.session), batch: batchJson(r.value.batch) }, 200)
    : refused(c, r.error, 'exam_session.change', { type: 'exam_session', id })
}

export const announce: AppRouteHandler<typeof routes.announce> = (c) => {
  const id = idOf(c)
  const lc = c.var.services.lifecycle
  const r = lc.batches.announce(actor(c), id, c.req.valid('json'))
  if (!r.ok) return refused(c, r.error, 'announcement.publish', { type: 'batch', id })
  return c.json(announcementJson(r.value.announcement, lc.batches.get(id)!, lc.occupations.get(r.value.batch.occupationCode)!), 201)
}

export const announcements: AppRouteHandler<typeof routes.announcements> = (c) => {
  const lc = c.var.services.lifecycle
  return c.json({ announcements: lc.batches.announcements().map((a) => publicView(c, a.id)!) }, 200)
}

export const announcement: AppRouteHandler<typeof routes.announcement> = (c) => {
  const a = publicView(c, idOf(c))
  return a ? c.json(a, 200) : fail(c, 'announcement.not_found')
}
