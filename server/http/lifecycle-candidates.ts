import { z, type OpenAPIHono } from '@hono/zod-openapi'
import type { AttachmentInput } from '../domain/lifecycle/index.ts'
import { CANDIDATE_FILTERS, readCandidateQuery } from '../domain/registration/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import { CandidateSchema, MoveBody, PaymentBody, PhotoBody, RegistrationBody, bytesOf, candidateJson, refused } from './lifecycle-schemas.ts'

/** Registration, review and fees are the registrar's (README roles); administrators read, with personal data masked. */
const DESK = { roles: ['registrar'] } as const
const READERS = { roles: ['registrar', 'admin'] } as const
const IdParam = z.object({ id: z.string().min(1).max(64) })
const CandidateListQuery = z.object({
  status: z.enum(CANDIDATE_FILTERS).optional(),
  q: z.string().max(64).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})
const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)
const idOf = (c: Ctx) => input<{ id: string }>(c, 'param').id
const binary = (type: string, description: string) => ({ content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } }, description })

/**
 * Registration (R3.1, R7.3), review (R3.2) and fees (R3.3). Candidates' personal data: registrars, and
 * administrators masked; lists always masked (decision 007).
 */
export function candidateRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'get', path: '/api/batches/{id}/candidates', access: READERS, tags: ['candidates'],
    summary: 'A page of the candidates of a batch with status and payment, filtered and searched; resident ID and phone numbers masked',
    description: 'status: registered, approved, rejected, withdrawn, paid (fee recorded) or unpaid (approved, no fee yet). q: part of the name or '
      + 'training unit, an admission ticket number, or the last 1–4 characters of the resident ID number; a registrar may also give a whole '
      + 'ID number (the list still shows it masked). Pages count from 1; total is the number of matches.',
    request: { params: IdParam, query: CandidateListQuery },
    responses: {
      200: json(z.object({ candidates: z.array(CandidateSchema), total: z.number(), page: z.number(), pageSize: z.number() }), 'Candidates'),
      ...errors(400, 401, 403, 404),
    },
  }, (c) => {
    const id = idOf(c)
    const lc = c.var.services.lifecycle
    if (!lc.batches.get(id)) return fail(c, 'batch.not_found')
    const { status, q, page, pageSize } = input<z.infer<typeof CandidateListQuery>>(c, 'query')
    const found = lc.candidates.search(id, {
      filter: status ?? null,
      // Decision 007: only a role that reads ID numbers in full may find someone by the whole number.
      query: readCandidateQuery(q, c.var.actingRoles.includes('registrar')),
      offset: (page - 1) * pageSize, limit: pageSize,
    })
    return c.json({ candidates: found.candidates.map((x) => candidateJson(x)), total: found.total, page, pageSize }, 200)
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/batches/{id}/candidates', access: DESK, tags: ['candidates'],
    summary: 'Register a candidate at the desk: identity, photo (JPEG/PNG, base64) and attachments (R3.1)',
    request: { params: IdParam, ...jsonBody(RegistrationBody) },
    responses: { 201: json(CandidateSchema, 'Registered'), ...errors(400, 401, 403, 404, 409, 413, 422) },
  }, (c) => {
    const id = idOf(c)
    const { photoBase64, attachments, candidateNumber, ...fields } = input<z.infer<typeof RegistrationBody>>(c, 'json')
    const r = c.var.services.lifecycle.candidates.register(actor(c), id, {
      input: { ...fields, ...(candidateNumber !== undefined && { candidateId: candidateNumber }) },
      photo: photoBase64 === undefined ? null : bytesOf(photoBase64),
      attachments: (attachments ?? []).map((a): AttachmentInput => ({ kind: a.kind, filename: a.filename, contentType: a.contentType, bytes: bytesOf(a.base64) })),
    })
    if (!r.ok) return refused(c, r.error, 'candidate.register', { type: 'batch', id })
    return c.json(candidateJson(c.var.services.lifecycle.candidates.get(r.value.id)!), 201)
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/batches/{id}/candidates/import', access: DESK, tags: ['candidates'],
    summary: "Import the municipal platform's CSV export (docs/import-format.md): all or nothing, with a row-by-row error report",
    description: 'Send the file itself as the body with Content-Type: text/csv (UTF-8 or GB18030). On any error nothing is imported and error.details.errors lists { row, column, code, message, messageEn }.',
    request: { params: IdParam, body: { content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
    responses: {
      201: json(z.object({ imported: z.number(), candidateIds: z.array(z.string()), encoding: z.string(), ignoredColumns: z.array(z.string()) }), 'Imported'),
      ...errors(401, 403, 404, 409, 413, 415, 422),
    },
  }, async (c) => {
    const id = idOf(c)
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'text/csv') return fail(c, 'request.unsupported_media_type', { contentType: type || null, expected: 'text/csv' })
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    const r = c.var.services.lifecycle.candidates.importCsv(actor(c), id, bytes)
    return r.ok ? c.json(r.value, 201) : refused(c, r.error, 'batch.import', { type: 'batch', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/candidates/{id}', access: READERS, tags: ['candidates'],
    summary: "One candidate with attachments: a registrar sees the resident ID and phone number in full, and the view is logged (candidate.personal_data_viewed); others see them masked",
    request: { params: IdParam },
    responses: { 200: json(CandidateSchema, 'The candidate'), ...errors(401, 403, 404) },
  }, (c) => {
    const lc = c.var.services.lifecycle
    const full = c.var.actingRoles.includes('registrar')
    const v = full ? lc.candidates.viewPersonalData(actor(c), idOf(c)) : lc.candidates.get(idOf(c))
    return v ? c.json(candidateJson(v, full ? 'full' : 'masked'), 200) : fail(c, 'candidate.not_found')
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/candidates/{id}/photo', access: READERS, tags: ['candidates'],
    summary: "The candidate's photo",
    request: { params: IdParam },
    responses: { 200: binary('image/*', 'JPEG or PNG'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = idOf(c)
    const p = c.var.services.lifecycle.candidates.photo(id)
    if (!p) return c.var.services.lifecycle.candidates.get(id) ? fail(c, 'request.not_found', { photo: 'none stored' }) : fail(c, 'candidate.not_found')
    return c.body(p.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': p.type, 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/candidates/{id}/photo', access: DESK, tags: ['candidates'],
    summary: "Set or replace a candidate's photo (imported candidates have none until then)",
    request: { params: IdParam, ...jsonBody(PhotoBody) },
    responses: { 200: json(CandidateSchema, 'Set'), ...errors(400, 401, 403, 404, 413) },
  }, (c) => {
    const id = idOf(c)
    const lc = c.var.services.lifecycle
    const r = lc.candidates.setPhoto(actor(c), id, bytesOf(input<{ photoBase64: string }>(c, 'json').photoBase64))
    return r.ok ? c.json(candidateJson(lc.candidates.get(id)!), 200) : refused(c, r.error, 'candidate.set_photo', { type: 'candidate', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/candidates/{id}/attachments/{attachmentId}', access: DESK, tags: ['candidates'],
    summary: 'Download one attachment (ID card copy, certificate, proof of experience, report form); logged as a view of personal data',
    request: { params: z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }) },
    responses: { 200: binary('application/octet-stream', 'The file as uploaded'), ...errors(401, 403, 404) },
  }, (c) => {
    const { id, attachmentId } = input<{ id: string; attachmentId: string }>(c, 'param')
    const a = c.var.services.lifecycle.candidates.viewAttachment(actor(c), id, attachmentId)
    if (!a) return fail(c, 'request.not_found', { attachment: attachmentId })
    return c.body(a.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': a.contentType, 'Cache-Control': 'private, no-store',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
    })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/candidates/{id}/moves', access: DESK, tags: ['candidates'],
    summary: 'Review (R3.2): approve, reject (reason required), withdraw (reason required) or reopen a rejected registration',
    request: { params: IdParam, ...jsonBody(MoveBody) },
    responses: { 200: json(CandidateSchema, 'Moved'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = idOf(c)
    const lc = c.var.services.lifecycle
    const b = input<z.infer<typeof MoveBody>>(c, 'json')
    const r = lc.candidates.move(actor(c), id, b.action, b.reason)
    return r.ok ? c.json(candidateJson(lc.candidates.get(id)!), 200) : refused(c, r.error, `candidate.${b.action}`, { type: 'candidate', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/candidates/{id}/payment', access: DESK, tags: ['candidates'],
    summary: 'Record the fee payment with its invoice number (R3.3: approved candidates only; the invoice is the voucher for the ticket)',
    request: { params: IdParam, ...jsonBody(PaymentBody) },
    responses: { 201: json(CandidateSchema, 'Recorded'), ...errors(400, 401, 403, 404, 409, 422) },
  }, (c) => {
    const id = idOf(c)
    const lc = c.var.services.lifecycle
    const r = lc.candidates.pay(actor(c), id, input<z.infer<typeof PaymentBody>>(c, 'json'))
    return r.ok ? c.json(candidateJson(lc.candidates.get(id)!), 201) : refused(c, r.error, 'payment.record', { type: 'candidate', id })
  })
}
