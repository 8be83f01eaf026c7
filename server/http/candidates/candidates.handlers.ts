import type { AttachmentInput } from '../../domain/lifecycle/index.ts'
import { readCandidateQuery } from '../../domain/registration/index.ts'
import { actorOf } from '../../services/index.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail } from '../_route.ts'
import { bytesOf, candidateJson, refused } from '../lifecycle-schemas.ts'
import type * as routes from './candidates.routes.ts'

const actor = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles)
const idOf = (c: Ctx) => c.req.param('id')!

export const list: AppRouteHandler<typeof routes.list> = (c) => {
  const id = idOf(c)
  const lc = c.var.services.lifecycle
  if (!lc.batches.get(id)) return fail(c, 'batch.not_found')
  const { status, q, page, pageSize } = c.req.valid('query')
  const found = lc.candidates.search(id, {
    filter: status ?? null,
    // Decision 007: only a role that reads ID numbers in full may find someone by the whole number.
    query: readCandidateQuery(q, c.var.actingRoles.includes('registrar')),
    offset: (page - 1) * pageSize,
    limit: pageSize,
  })
  return c.json({ candidates: found.candidates.map((x) => candidateJson(x)), total: found.total, page, pageSize }, 200)
}

export const register: AppRouteHandler<typeof routes.register> = (c) => {
  const id = idOf(c)
  const { photoBase64, attachments, candidateNumber, ...fields } = c.req.valid('json')
  const r = c.var.services.lifecycle.candidates.register(actor(c), id, {
    input: { ...fields, ...(candidateNumber !== undefined && { candidateId: candidateNumber }) },
    photo: photoBase64 === undefined ? null : bytesOf(photoBase64),
    attachments: (attachments ?? []).map(
      (a): AttachmentInput => ({ kind: a.kind, filename: a.filename, contentType: a.contentType, bytes: bytesOf(a.base64) }),
    ),
  })
  if (!r.ok) return refused(c, r.error, 'candidate.register', { type: 'batch', id })
  return c.json(candidateJson(c.var.services.lifecycle.candidates.get(r.value.id)!), 201)
}

export const importCsv: AppRouteHandler<typeof routes.importCsv> = async (c) => {
  const id = idOf(c)
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'text/csv') return fail(c, 'request.unsupported_media_type', { contentType: type || null, expected: 'text/csv' })
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  const r = c.var.services.lifecycle.candidates.importCsv(actor(c), id, bytes)
  return r.ok ? c.json(r.value, 201) : refused(c, r.error, 'batch.import', { type: 'batch', id })
}

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const lc = c.var.services.lifecycle
  const full = c.var.actingRoles.includes('registrar')
  const v = full ? lc.candidates.viewPersonalData(actor(c), idOf(c)) : lc.candidates.get(idOf(c))
  return v ? c.json(candidateJson(v, full ? 'full' : 'masked'), 200) : fail(c, 'candidate.not_found')
}

export const photo: AppRouteHandler<typeof routes.photo> = (c) => {
  const id = idOf(c)
  const p = c.var.services.lifecycle.candidates.photo(id)
  if (!p) return c.var.services.lifecycle.candidates.get(id) ? fail(c, 'request.not_found', { photo: 'none stored' }) : fail(c, 'candidate.not_found')
  return c.body(p.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': p.type, 'Cache-Control': 'private, no-store' })
}

export const setPhoto: AppRouteHandler<typeof routes.setPhoto> = (c) => {
  const id = idOf(c)
  const lc = c.var.services.lifecycle
  const r = lc.candidates.setPhoto(actor(c), id, bytesOf(c.req.valid('json').photoBase64))
  return r.ok ? c.json(candidateJson(lc.candidates.get(id)!), 200) : refused(c, r.error, 'candidate.set_photo', { type: 'candidate', id })
}

export const attachment: AppRouteHandler<typeof routes.attachment> = (c) => {
  const { id, attachmentId } = c.req.valid('param')
  const a = c.var.services.lifecycle.candidates.viewAttachment(actor(c), id, attachmentId)
  if (!a) return fail(c, 'request.not_found', { attachment: attachmentId })
  return c.body(a.bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': a.contentType,
    'Cache-Control': 'private, no-store',
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
  })
}

export const move: AppRouteHandler<typeof routes.move> = (c) => {
  const id = idOf(c)
  const lc = c.var.services.lifecycle
  const b = c.req.valid('json')
  const r = lc.candidates.move(actor(c), id, b.action, b.reason)
  return r.ok ? c.json(candidateJson(lc.candidates.get(id)!), 200) : refused(c, r.error, `candidate.${b.action}`, { type: 'candidate', id })
}

export const pay: AppRouteHandler<typeof routes.pay> = (c) => {
  const id = idOf(c)
  const lc = c.var.services.lifecycle
  const r = lc.candidates.pay(actor(c), id, c.req.valid('json'))
  return r.ok ? c.json(candidateJson(lc.candidates.get(id)!), 201) : refused(c, r.error, 'payment.record', { type: 'candidate', id })
}
