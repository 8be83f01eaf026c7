import { z } from '@hono/zod-openapi'
import { CANDIDATE_FILTERS } from '../../domain/registration/index.ts'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'
import { CandidateSchema, MoveBody, PaymentBody, PhotoBody, RegistrationBody } from '../lifecycle-schemas.ts'

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
const binary = (type: string, description: string) => ({ content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } }, description })

export const list = route({
  method: 'get',
  path: '/api/batches/{id}/candidates',
  access: READERS,
  tags: ['candidates'],
  summary: 'A page of the candidates of a batch with status and payment, filtered and searched; resident ID and phone numbers masked',
  description:
    'status: registered, approved, rejected, withdrawn, paid (fee recorded) or unpaid (approved, no fee yet). q: part of the name or ' +
    'training unit, an admission ticket number, or the last 1–4 characters of the resident ID number; a registrar may also give a whole ' +
    'ID number (the list still shows it masked). Pages count from 1; total is the number of matches.',
  request: { params: IdParam, query: CandidateListQuery },
  responses: {
    200: json(z.object({ candidates: z.array(CandidateSchema), total: z.number(), page: z.number(), pageSize: z.number() }), 'Candidates'),
    ...errors(400, 401, 403, 404),
  },
})

export const register = route({
  method: 'post',
  path: '/api/batches/{id}/candidates',
  access: DESK,
  tags: ['candidates'],
  summary: 'Register a candidate at the desk: identity, photo (JPEG/PNG, base64) and attachments (R3.1)',
  request: { params: IdParam, ...jsonBody(RegistrationBody) },
  responses: { 201: json(CandidateSchema, 'Registered'), ...errors(400, 401, 403, 404, 409, 413, 422) },
})

export const importCsv = route({
  method: 'post',
  path: '/api/batches/{id}/candidates/import',
  access: DESK,
  tags: ['candidates'],
  summary: "Import the municipal platform's CSV export (docs/import-format.md): all or nothing, with a row-by-row error report",
  description:
    'Send the file itself as the body with Content-Type: text/csv (UTF-8 or GB18030). On any error nothing is imported and error.details.errors lists { row, column, code, message, messageEn }.',
  request: { params: IdParam, body: { content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
  responses: {
    201: json(z.object({ imported: z.number(), candidateIds: z.array(z.string()), encoding: z.string(), ignoredColumns: z.array(z.string()) }), 'Imported'),
    ...errors(401, 403, 404, 409, 413, 415, 422),
  },
})

export const get = route({
  method: 'get',
  path: '/api/candidates/{id}',
  access: READERS,
  tags: ['candidates'],
  summary:
    'One candidate with attachments: a registrar sees the resident ID and phone number in full, and the view is logged (candidate.personal_data_viewed); others see them masked',
  request: { params: IdParam },
  responses: { 200: json(CandidateSchema, 'The candidate'), ...errors(401, 403, 404) },
})

export const photo = route({
  method: 'get',
  path: '/api/candidates/{id}/photo',
  access: READERS,
  tags: ['candidates'],
  summary: "The candidate's photo",
  request: { params: IdParam },
  responses: { 200: binary('image/*', 'JPEG or PNG'), ...errors(401, 403, 404) },
})

export const setPhoto = route({
  method: 'put',
  path: '/api/candidates/{id}/photo',
  access: DESK,
  tags: ['candidates'],
  summary: "Set or replace a candidate's photo (imported candidates have none until then)",
  request: { params: IdParam, ...jsonBody(PhotoBody) },
  responses: { 200: json(CandidateSchema, 'Set'), ...errors(400, 401, 403, 404, 413) },
})

export const attachment = route({
  method: 'get',
  path: '/api/candidates/{id}/attachments/{attachmentId}',
  access: DESK,
  tags: ['candidates'],
  summary: 'Download one attachment (ID card copy, certificate, proof of experience, report form); logged as a view of personal data',
  request: { params: z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }) },
  responses: { 200: binary('application/octet-stream', 'The file as uploaded'), ...errors(401, 403, 404) },
})

export const move = route({
  method: 'post',
  path: '/api/candidates/{id}/moves',
  access: DESK,
  tags: ['candidates'],
  summary: 'Review (R3.2): approve, reject (reason required), withdraw (reason required) or reopen a rejected registration',
  request: { params: IdParam, ...jsonBody(MoveBody) },
  responses: { 200: json(CandidateSchema, 'Moved'), ...errors(400, 401, 403, 404, 409) },
})

export const pay = route({
  method: 'post',
  path: '/api/candidates/{id}/payment',
  access: DESK,
  tags: ['candidates'],
  summary: 'Record the fee payment with its invoice number (R3.3: approved candidates only; the invoice is the voucher for the ticket)',
  request: { params: IdParam, ...jsonBody(PaymentBody) },
  responses: { 201: json(CandidateSchema, 'Recorded'), ...errors(400, 401, 403, 404, 409, 422) },
})
