import { z, type OpenAPIHono } from '@hono/zod-openapi'
import type { AnnouncementInput } from '../domain/lifecycle/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import {
  AnnouncementBody, AnnouncementSchema, BatchCreateBody, BatchPatchBody, BatchSchema, FileBody, SessionChangeBody, VenueChangeBody,
  type PlanSessionJson, announcementJson, batchJson, planSessions, refused, sessionJson,
} from './lifecycle-schemas.ts'

/** Plans, filings, changes and announcements are the registrar's; administrators read them (README roles). */
const DESK = { roles: ['registrar'] } as const
const READERS = { roles: ['registrar', 'admin', 'supervisor'] } as const
const IdParam = z.object({ id: z.string().min(1).max(64) })

type PlanBody = Omit<z.infer<typeof BatchPatchBody>, 'sessions'> & { sessions?: PlanSessionJson[] }
const planInput = (b: PlanBody) => {
  const { sessions, ...rest } = b
  return { ...rest, ...(sessions !== undefined ? { sessions: planSessions(sessions) } : {}) }
}

const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)
const idOf = (c: Ctx) => input<{ id: string }>(c, 'param').id

/** Batch plans (认定计划, R2.1/R2.2), exam sessions and their changes (R4.4), announcements (R2.3). */
export function batchRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'get', path: '/api/batches', access: READERS, tags: ['batches'],
    summary: 'Batch plans, newest exam first',
    responses: { 200: json(z.object({ batches: z.array(BatchSchema) }), 'Batches'), ...errors(401, 403) },
  }, (c) => c.json({ batches: c.var.services.lifecycle.batches.list().map((b) => batchJson(b)) }, 200))

  defineRoute(app, table, {
    method: 'post', path: '/api/batches', access: DESK, tags: ['batches'],
    summary: 'Create a batch plan as a draft (R2.2 fields may be completed later; filing needs them all)',
    request: jsonBody(BatchCreateBody),
    responses: { 201: json(BatchSchema, 'Created'), ...errors(400, 401, 403) },
  }, (c) => {
    const body = input<z.infer<typeof BatchCreateBody>>(c, 'json')
    const r = c.var.services.lifecycle.batches.create(actor(c), { ...planInput(body), title: body.title, occupationCode: body.occupationCode, level: body.level, examStartDate: body.examStartDate, examEndDate: body.examEndDate })
    return r.ok ? c.json(batchJson(r.value, { sessions: [], announcement: null }), 201) : refused(c, r.error, 'batch.create')
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/batches/{id}', access: READERS, tags: ['batches'],
    summary: 'One batch plan with its exam sessions',
    request: { params: IdParam },
    responses: { 200: json(BatchSchema, 'The batch'), ...errors(401, 403, 404) },
  }, (c) => {
    const v = c.var.services.lifecycle.batches.get(idOf(c))
    return v ? c.json(batchJson(v.batch, v), 200) : fail(c, 'batch.not_found')
  })

  defineRoute(app, table, {
    method: 'patch', path: '/api/batches/{id}', access: DESK, tags: ['batches'],
    summary: 'Edit a draft plan (a filed plan changes only with approval: see venue and session changes)',
    request: { params: IdParam, ...jsonBody(BatchPatchBody) },
    responses: { 200: json(BatchSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = idOf(c)
    const r = c.var.services.lifecycle.batches.updateDraft(actor(c), id, planInput(input<PlanBody>(c, 'json')))
    return r.ok ? c.json(batchJson(r.value, { sessions: [], announcement: null }), 200) : refused(c, r.error, 'batch.update', { type: 'batch', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/batches/{id}/file', access: DESK, tags: ['batches'],
    summary: 'Record the filing with the municipal centre (R2.1: at least 10 working days before the exam; R2.2: complete)',
    request: { params: IdParam, ...jsonBody(FileBody) },
    responses: { 200: json(BatchSchema, 'Filed; its exam sessions are created'), ...errors(400, 401, 403, 404, 409, 422) },
  }, (c) => {
    const id = idOf(c)
    const r = c.var.services.lifecycle.batches.file(actor(c), id, input<z.infer<typeof FileBody>>(c, 'json'))
    return r.ok ? c.json(batchJson(r.value.batch, r.value), 200) : refused(c, r.error, 'batch.file', { type: 'batch', id })
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/batches/{id}/venue', access: DESK, tags: ['batches'],
    summary: "Change a filed plan's venue (R4.4: needs the municipal centre's approval reference)",
    request: { params: IdParam, ...jsonBody(VenueChangeBody) },
    responses: { 200: json(BatchSchema, 'Changed'), ...errors(400, 401, 403, 404, 409, 422) },
  }, (c) => {
    const id = idOf(c)
    const r = c.var.services.lifecycle.batches.changeVenue(actor(c), id, input<z.infer<typeof VenueChangeBody>>(c, 'json'))
    return r.ok ? c.json(batchJson(r.value), 200) : refused(c, r.error, 'batch.change_venue', { type: 'batch', id })
  })

  defineRoute(app, table, {
    method: 'patch', path: '/api/sessions/{id}', access: DESK, tags: ['batches'],
    summary: "Change an exam session's time or site (R4.4: needs the municipal centre's approval reference)",
    request: { params: IdParam, ...jsonBody(SessionChangeBody) },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'Changed'), ...errors(400, 401, 403, 404, 409, 422) },
  }, (c) => {
    const id = idOf(c)
    const b = input<z.infer<typeof SessionChangeBody>>(c, 'json')
    const r = c.var.services.lifecycle.batches.changeSession(actor(c), id, {
      ...(b.startsAt !== undefined && { startsAt: Date.parse(b.startsAt) }),
      ...(b.endsAt !== undefined && { endsAt: Date.parse(b.endsAt) }),
      ...(b.siteId !== undefined && { siteId: b.siteId }),
      ...(b.approvalReference !== undefined && { approvalReference: b.approvalReference }),
    })
    return r.ok ? c.json({ session: sessionJson(r.value.session), batch: batchJson(r.value.batch) }, 200) : refused(c, r.error, 'exam_session.change', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/batches/{id}/announcement', access: DESK, tags: ['announcements'],
    summary: 'Publish the announcement (R2.3: at least 2 months before the exam); conditions and fees default from the occupation and plan',
    request: { params: IdParam, ...jsonBody(AnnouncementBody) },
    responses: { 201: json(AnnouncementSchema, 'Published'), ...errors(400, 401, 403, 404, 409, 422) },
  }, (c) => {
    const id = idOf(c)
    const lc = c.var.services.lifecycle
    const r = lc.batches.announce(actor(c), id, input<AnnouncementInput>(c, 'json'))
    if (!r.ok) return refused(c, r.error, 'announcement.publish', { type: 'batch', id })
    return c.json(announcementJson(r.value.announcement, lc.batches.get(id)!, lc.occupations.get(r.value.batch.occupationCode)!), 201)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/announcements', access: 'public', tags: ['announcements'],
    summary: 'Published announcements (公告), newest first',
    responses: { 200: json(z.object({ announcements: z.array(AnnouncementSchema) }), 'Announcements') },
  }, (c) => {
    const lc = c.var.services.lifecycle
    return c.json({ announcements: lc.batches.announcements().map((a) => publicView(c, a.id)!) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/announcements/{id}', access: 'public', tags: ['announcements'],
    summary: 'One published announcement (the printable page is /announcements/{id})',
    request: { params: IdParam },
    responses: { 200: json(AnnouncementSchema, 'The announcement'), ...errors(404) },
  }, (c) => {
    const a = publicView(c, idOf(c))
    return a ? c.json(a, 200) : fail(c, 'announcement.not_found')
  })
}

/** The public JSON of an announcement, or null when there is none with this id. */
export function publicView(c: Ctx, id: string): ReturnType<typeof announcementJson> | null {
  const lc = c.var.services.lifecycle
  const a = lc.batches.announcement(id)
  if (!a) return null
  const view = lc.batches.get(a.batchId)!
  return announcementJson(a, view, lc.occupations.get(view.batch.occupationCode)!)
}
