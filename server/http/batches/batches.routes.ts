import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'
import {
  AnnouncementBody,
  AnnouncementSchema,
  BatchCreateBody,
  BatchPatchBody,
  BatchSchema,
  FileBody,
  SessionChangeBody,
  VenueChangeBody,
} from '../lifecycle-schemas.ts'

/** Plans, filings, changes and announcements are the registrar's; administrators read them (README roles). */
const DESK = { roles: ['registrar'] } as const
const READERS = { roles: ['registrar', 'admin', 'supervisor'] } as const
const IdParam = z.object({ id: z.string().min(1).max(64) })

export const list = route({
  method: 'get',
  path: '/api/batches',
  access: READERS,
  tags: ['batches'],
  summary: 'Batch plans, newest exam first',
  responses: { 200: json(z.object({ batches: z.array(BatchSchema) }), 'Batches'), ...errors(401, 403) },
})

export const create = route({
  method: 'post',
  path: '/api/batches',
  access: DESK,
  tags: ['batches'],
  summary: 'Create a batch plan as a draft (R2.2 fields may be completed later; filing needs them all)',
  request: jsonBody(BatchCreateBody),
  responses: { 201: json(BatchSchema, 'Created'), ...errors(400, 401, 403) },
})

export const get = route({
  method: 'get',
  path: '/api/batches/{id}',
  access: READERS,
  tags: ['batches'],
  summary: 'One batch plan with its exam sessions',
  request: { params: IdParam },
  responses: { 200: json(BatchSchema, 'The batch'), ...errors(401, 403, 404) },
})

export const update = route({
  method: 'patch',
  path: '/api/batches/{id}',
  access: DESK,
  tags: ['batches'],
  summary: 'Edit a draft plan (a filed plan changes only with approval: see venue and session changes)',
  request: { params: IdParam, ...jsonBody(BatchPatchBody) },
  responses: { 200: json(BatchSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
})

export const file = route({
  method: 'post',
  path: '/api/batches/{id}/file',
  access: DESK,
  tags: ['batches'],
  summary: 'Record the filing with the municipal centre (R2.1: at least 10 working days before the exam; R2.2: complete)',
  request: { params: IdParam, ...jsonBody(FileBody) },
  responses: { 200: json(BatchSchema, 'Filed; its exam sessions are created'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const changeVenue = route({
  method: 'put',
  path: '/api/batches/{id}/venue',
  access: DESK,
  tags: ['batches'],
  summary: "Change a filed plan's venue (R4.4: needs the municipal centre's approval reference)",
  request: { params: IdParam, ...jsonBody(VenueChangeBody) },
  responses: { 200: json(BatchSchema, 'Changed'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const changeSession = route({
  method: 'patch',
  path: '/api/sessions/{id}',
  access: DESK,
  tags: ['batches'],
  summary: "Change an exam session's time or site (R4.4: needs the municipal centre's approval reference)",
  request: { params: IdParam, ...jsonBody(SessionChangeBody) },
  responses: { 200: json(z.record(z.string(), z.unknown()), 'Changed'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const announce = route({
  method: 'post',
  path: '/api/batches/{id}/announcement',
  access: DESK,
  tags: ['announcements'],
  summary: 'Publish the announcement (R2.3: at least 2 months before the exam); conditions and fees default from the occupation and plan',
  request: { params: IdParam, ...jsonBody(AnnouncementBody) },
  responses: { 201: json(AnnouncementSchema, 'Published'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const announcements = route({
  method: 'get',
  path: '/api/announcements',
  access: 'public',
  tags: ['announcements'],
  summary: 'Published announcements (公告), newest first',
  responses: { 200: json(z.object({ announcements: z.array(AnnouncementSchema) }), 'Announcements') },
})

export const announcement = route({
  method: 'get',
  path: '/api/announcements/{id}',
  access: 'public',
  tags: ['announcements'],
  summary: 'One published announcement (the printable page is /announcements/{id})',
  request: { params: IdParam },
  responses: { 200: json(AnnouncementSchema, 'The announcement'), ...errors(404) },
})
