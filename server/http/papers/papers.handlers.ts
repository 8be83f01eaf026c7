import { toReadableStream } from '../../../crypto/index.ts'
import type { Packet, Paper, PrintJob, PrintWindow } from '../../domain/custody/index.ts'
import type { PaperFile } from '../../db/paper-store.ts'
import { actorOf } from '../../services/index.ts'
import type { Person } from '../../services/index.ts'
import { type PapersError, plannedCopies } from '../../services/papers.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { type LabelSize, renderLabels } from './label-page.ts'
import { peopleIn } from '../custody-people.ts'
import type * as routes from './papers.routes.ts'
import { UPLOAD_TYPES } from './papers.routes.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

const fileJson = (f: PaperFile) => ({
  fileId: f.fileId,
  filename: f.filename,
  contentType: f.contentType,
  plaintextBytes: f.plaintextBytes,
  cipherBytes: f.cipherBytes,
  cipherSha256: f.cipherSha256,
  masterKeyId: f.masterKeyId,
  uploadedBy: f.uploadedBy,
  uploadedAt: iso(f.uploadedAt),
})
const paperJson = (p: Paper, f: PaperFile | null) => ({
  id: p.id,
  examSessionId: p.examSessionId,
  kind: p.kind,
  title: p.title,
  state: p.state,
  frozenBy: p.frozenBy,
  updatedAt: iso(p.updatedAt),
  file: f ? fileJson(f) : null,
})
export const jobJson = (j: PrintJob) => ({
  ...j,
  plannedCopies: plannedCopies(j),
  requestedAt: iso(j.requestedAt),
  decryptedAt: isoOrNull(j.decryptedAt),
  printedAt: isoOrNull(j.printedAt),
  updatedAt: iso(j.updatedAt),
})
const packetJson = (p: Packet & { sealHidden: boolean }) => ({
  id: p.id,
  paperId: p.paperId,
  printJobId: p.printJobId,
  examSessionId: p.examSessionId,
  roomId: p.roomId,
  copies: p.copies,
  contents: p.contents,
  state: p.state,
  sealNumber: p.sealNumber,
  holder: p.holder,
  printedBy: p.printedBy,
  printedAt: iso(p.printedAt),
  updatedAt: iso(p.updatedAt),
  sealHidden: p.sealHidden,
})
/** Packets as the caller may read them: a seal they still have to check blind is left out (R5.3, decision record 006). */
const packetsFor = (c: Ctx) => (p: Packet) => packetJson(c.var.services.custody.screen({ userId: c.var.principal!.userId }, p))
const windowJson = (w: PrintWindow) => ({ opensAt: iso(w.opensAt), closesAt: iso(w.closesAt) })
const peopleOf = (jobs: readonly PrintJob[], extra: Array<string | null | undefined> = []): string[] => {
  const ids = new Set<string>()
  for (const j of jobs) for (const id of [j.requestedBy, ...j.approvals, j.decryptedBy, j.printedBy]) if (id) ids.add(id)
  for (const id of extra) if (id) ids.add(id)
  return [...ids]
}

// ---------- helpers ----------

/** A label as the caller may read it: the seal box stays empty while the seal is theirs to check blind. */
const screenLabel = <L extends { packet: Packet }>(c: Ctx, l: L): L => ({
  ...l,
  packet: c.var.services.custody.screen({ userId: c.var.principal!.userId }, l.packet),
})

const actor = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person
const NOT_FOUND = new Set<PapersError['code']>(['paper.not_found', 'print_job.not_found', 'packet.not_found', 'session.not_found', 'batch.not_found'])

/** A refusal of the papers service: lookups answer without a log entry, every other refusal is logged. */
function refused(c: Ctx, e: PapersError, action: string, subject?: { type: string; id: string }): Response {
  if (NOT_FOUND.has(e.code)) return fail(c, e.code, e)
  return refuse(c, e.code, action, {}, subject, e)
}

/** X-Filename is URI-encoded (RFC 3986) so any name survives a header; only its last path part is kept. */
function filenameOf(header: string | undefined, type: string): string | null {
  if (header === undefined || header.trim() === '') return type === 'application/pdf' ? 'paper.pdf' : 'paper.bin'
  let name: string
  try {
    name = decodeURIComponent(header)
  } catch {
    return null
  }
  name = name.split(/[/\\]/).pop()!.trim()
  if (name.length === 0 || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) return null
  return name
}

/** RFC 6266: an ASCII fallback and the exact name in UTF-8. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

const s = (c: Ctx) => c.var.services.papers

export const create: AppRouteHandler<typeof routes.create> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).create(actor(c), id, c.req.valid('json'))
  return r.ok ? c.json(paperJson(r.value, null), 201) : refused(c, r.error, 'paper.create', { type: 'exam_session', id })
}

export const ofSession: AppRouteHandler<typeof routes.ofSession> = (c) => {
  const r = s(c).ofSession(c.req.param('id')!)
  if (!r.ok) return refused(c, r.error, 'paper.list')
  const v = r.value
  return c.json(
    {
      sessionId: v.session.id,
      batchId: v.session.batchId,
      startsAt: iso(v.session.startsAt),
      window: windowJson(v.window),
      settings: v.settings,
      papers: v.papers.map((p) => paperJson(p.paper, p.file)),
    },
    200,
  )
}

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const r = s(c).detail(c.req.param('id')!)
  if (!r.ok) return refused(c, r.error, 'paper.read')
  const v = r.value
  return c.json(
    {
      paper: paperJson(v.paper, v.file),
      window: windowJson(v.window),
      printJobs: v.jobs.map(jobJson),
      packets: v.packets.map(packetsFor(c)),
      names: s(c).names(peopleOf(v.jobs, [v.file?.uploadedBy])),
      // Names beside ids (decision record 010): people with their usernames, rooms, the session.
      people: peopleIn(c, v.jobs, v.file, v.packets),
      rooms: c.var.services.custody.roomNames(v.packets),
      session: c.var.services.custody.sessionPlace(v.paper.examSessionId),
    },
    200,
  )
}

export const upload: AppRouteHandler<typeof routes.upload> = async (c) => {
  const id = c.req.param('id')!
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!(UPLOAD_TYPES as readonly string[]).includes(type))
    return fail(c, 'request.unsupported_media_type', { contentType: type || null, expected: UPLOAD_TYPES })
  const filename = filenameOf(c.req.header('x-filename'), type)
  if (filename === null) return fail(c, 'request.invalid', { header: 'X-Filename', expected: 'a URI-encoded file name of 1–255 characters' })
  const declared = Number(c.req.header('content-length') ?? NaN)
  const maxBytes = s(c).maxFileBytes
  if (declared > maxBytes) return fail(c, 'paper.file_too_large', { maxBytes })
  const body = c.req.raw.body
  if (body === null) return fail(c, 'paper.file_empty')
  const r = await s(c).upload(actor(c), id, { filename, contentType: type, body })
  if (!r.ok) return refused(c, r.error, 'paper.upload', { type: 'paper', id })
  const f = r.value.file
  return c.json(
    { paperId: id, fileId: f.fileId, filename: f.filename, plaintextBytes: f.plaintextBytes, cipherBytes: f.cipherBytes, cipherSha256: f.cipherSha256 },
    200,
  )
}

export const requestPrint: AppRouteHandler<typeof routes.requestPrint> = (c) => {
  const id = c.req.param('id')!
  const body = c.req.valid('json') ?? {}
  const r = s(c).requestPrint(actor(c), id, body)
  return r.ok ? c.json(jobJson(r.value), 201) : refused(c, r.error, 'custody.print.request', { type: 'paper', id })
}

export const getJob: AppRouteHandler<typeof routes.getJob> = (c) => {
  const id = c.req.param('id')!
  const job = s(c).job(id)
  const detail = job ? s(c).detail(job.paperId) : null
  if (!job || !detail?.ok) return fail(c, 'print_job.not_found', { id })
  return c.json(
    { ...jobJson(job), window: windowJson(detail.value.window), packets: s(c).packetsOfJob(id).map(packetsFor(c)), names: s(c).names(peopleOf([job])) },
    200,
  )
}

export const approve: AppRouteHandler<typeof routes.approve> = async (c) => {
  const id = c.req.param('id')!
  const r = await s(c).approve(actor(c), id, (c.req.valid('json') ?? {}).passphrase)
  return r.ok ? c.json(jobJson(r.value), 200) : refused(c, r.error, 'custody.print.approve', { type: 'print_job', id })
}

export const decrypt: AppRouteHandler<typeof routes.decrypt> = async (c) => {
  const id = c.req.param('id')!
  const r = await s(c).decrypt(actor(c), id, (c.req.valid('json') ?? {}).passphrase)
  if (!r.ok) return refused(c, r.error, 'custody.print.decrypt', { type: 'print_job', id })
  const { file, body } = r.value
  return c.body(toReadableStream(body), 200, {
    'Content-Type': file.contentType,
    'Content-Length': String(file.plaintextBytes),
    'Content-Disposition': contentDisposition(file.filename),
    'Cache-Control': 'no-store',
    'X-Print-Job': id,
  })
}

export const holdShare: AppRouteHandler<typeof routes.holdShare> = async (c) => {
  const id = c.req.param('id')!
  const r = await s(c).holdShare(actor(c), id, c.req.valid('json').passphrase)
  return r.ok ? c.json(jobJson(r.value), 200) : refused(c, r.error, 'custody.print.share', { type: 'print_job', id })
}

export const printed: AppRouteHandler<typeof routes.printed> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).printed(actor(c), id, c.req.valid('json').copies)
  return r.ok
    ? c.json({ job: jobJson(r.value.job), packets: r.value.packets.map(packetsFor(c)) }, 200)
    : refused(c, r.error, 'custody.print.print', { type: 'print_job', id })
}

export const cancel: AppRouteHandler<typeof routes.cancel> = (c) => {
  const id = c.req.param('id')!
  const body = c.req.valid('json') ?? {}
  const r = s(c).cancel(actor(c), id, body.reason ?? '')
  return r.ok ? c.json(jobJson(r.value), 200) : refused(c, r.error, 'custody.print.cancel', { type: 'print_job', id })
}

export const getSettings: AppRouteHandler<typeof routes.getSettings> = (c) => {
  const id = c.req.param('id')!
  if (!s(c).batchExists(id)) return fail(c, 'batch.not_found', { id })
  return c.json({ batchId: id, isDefault: !s(c).store.hasSettings(id), settings: s(c).settings(id) }, 200)
}

export const setSettings: AppRouteHandler<typeof routes.setSettings> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).setSettings(actor(c), id, c.req.valid('json'))
  return r.ok ? c.json({ batchId: id, isDefault: false, settings: r.value }, 200) : refused(c, r.error, 'custody.settings', { type: 'batch', id })
}

export const masterKeys: AppRouteHandler<typeof routes.masterKeys> = (c) => c.json({ keys: s(c).masterKeys() }, 200)

export const rotateMasterKey: AppRouteHandler<typeof routes.rotateMasterKey> = (c) => {
  const r = s(c).rotateMasterKey(actor(c))
  return r.ok ? c.json(r.value, 200) : refused(c, r.error, 'custody.paper.master_key_rotate')
}

export const label: AppRouteHandler<typeof routes.label> = async (c) => {
  const id = c.req.param('id')!
  const r = s(c).label(id)
  if (!r.ok) return refused(c, r.error, 'custody.packet.label')
  const size: LabelSize = c.req.valid('query').size ?? 'a6'
  return c.html(await renderLabels([screenLabel(c, r.value)], `试卷袋标签 ${id.slice(0, 8)}`, size), 200, { 'Cache-Control': 'private, no-store' })
}

export const jobLabels: AppRouteHandler<typeof routes.jobLabels> = async (c) => {
  const id = c.req.param('id')!
  if (!s(c).job(id)) return fail(c, 'print_job.not_found', { id })
  const labels = []
  for (const p of s(c).packetsOfJob(id)) {
    const r = s(c).label(p.id)
    if (r.ok) labels.push(screenLabel(c, r.value))
  }
  const size: LabelSize = c.req.valid('query').size ?? 'a6'
  return c.html(await renderLabels(labels, `试卷袋标签（${labels.length} 个）`, size), 200, { 'Cache-Control': 'private, no-store' })
}
