import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { fileURLToPath } from 'node:url'
import { toReadableStream } from '../../crypto/index.ts'
import { PAPER_KINDS, type Packet, type Paper, type PaperKind, type PrintJob, type PrintWindow } from '../domain/custody/index.ts'
import type { CustodySettings, PaperFile } from '../db/paper-store.ts'
import { actorOf } from '../services/index.ts'
import type { Person } from '../services/index.ts'
import { type PapersError, type PrintRequestInput, plannedCopies } from '../services/papers.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { loadPrincipal } from './_middleware.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import { type LabelSize, PACKET_LABEL_CSS_PATH, renderLabels } from './papers-label.ts'
import { PeopleSchema, peopleIn } from './custody-people.ts'

const CUSTODIAN = { roles: ['custodian'] } as const
/** Who reads custody: the custodians who do it, supervisors who oversee it (R6.4), administrators. */
const READ = { roles: ['custodian', 'supervisor', 'admin'] } as const
/** The decryption window is the custodians' (R5.2): an administrator reads it but does not set it (decision record 006). */
const SETTINGS_WRITE = { roles: ['custodian'] } as const
const ADMIN = { roles: ['admin'] } as const

const UPLOAD_PATH = /^\/api\/papers\/[^/]+\/file$/
/** The paper upload streams a raw body of up to ~2.5 GB (app.ts: no JSON limit, not JSON-only). */
export const isPaperUpload = (path: string): boolean => UPLOAD_PATH.test(path)
const UPLOAD_TYPES = ['application/pdf', 'application/octet-stream'] as const

const Id = z.string().min(1).max(64)
/** A share passphrase (008): never logged, never echoed. */
export const Passphrase = z.string().min(1).max(1024)
const PassphraseBody = z.strictObject({ passphrase: Passphrase.optional() })
const IdParam = z.object({ id: Id })
const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))
const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'Printable HTML' }

// ---------- JSON shapes ----------

const FileSchema = z.object({
  fileId: z.string(), filename: z.string(), contentType: z.string(), plaintextBytes: z.number(), cipherBytes: z.number(),
  cipherSha256: z.string().openapi({ description: 'SHA-256 (hex) of the stored ciphertext' }), masterKeyId: z.string(),
  uploadedBy: z.string(), uploadedAt: z.string(),
}).openapi('PaperFile')
const PaperSchema = z.object({
  id: z.string(), examSessionId: z.string(), kind: z.enum(PAPER_KINDS), title: z.string(),
  state: z.enum(['active', 'frozen', 'retired']), frozenBy: z.array(z.string()), updatedAt: z.string(), file: FileSchema.nullable(),
}).openapi('Paper')
const PerCopySchema = z.object({ answerSheets: z.number(), scratchPaper: z.number() })
const JobSchema = z.object({
  id: z.string(), paperId: z.string(), examSessionId: z.string(),
  state: z.enum(['requested', 'approved', 'decrypted', 'printed', 'cancelled']),
  requestedBy: z.string(), requestedAt: z.string(),
  targets: z.array(z.object({ roomId: z.string().nullable(), seats: z.number() })), sparesPerRoom: z.number(), perCopy: PerCopySchema,
  firstCopy: z.number(), plannedCopies: z.number(), approvals: z.array(z.string()),
  decryptedBy: z.string().nullable(), decryptedAt: z.string().nullable(), printedBy: z.string().nullable(), printedAt: z.string().nullable(),
  copies: z.number().nullable(), updatedAt: z.string(),
}).openapi('PrintJob')
const HolderSchema = z.union([z.object({ userId: z.string() }), z.object({ place: z.string() })])
const PacketSummarySchema = z.object({
  id: z.string(), paperId: z.string(), printJobId: z.string(), examSessionId: z.string(), roomId: z.string().nullable(),
  copies: z.object({ first: z.number(), last: z.number() }),
  contents: z.object({ copies: z.number(), answerSheets: z.number(), scratchPaper: z.number() }),
  state: z.string(), sealNumber: z.string().nullable(), holder: HolderSchema, printedBy: z.string(), printedAt: z.string(), updatedAt: z.string(),
  sealHidden: z.boolean().openapi({ description: 'True when the seal is left out because the caller still has to check it blind' }),
}).openapi('PacketSummary')
const WindowSchema = z.object({ opensAt: z.string(), closesAt: z.string() }).openapi('PrintWindow')
const SettingsSchema = z.object({
  opensMinutesBefore: z.number().int(), closesMinutesBefore: z.number().int(), openMinutesBefore: z.number().int(), sparesPerRoom: z.number().int(),
}).openapi('CustodySettings')
const Names = z.record(z.string(), z.string()).openapi({ description: 'Display names of the accounts named above, by id' })

const fileJson = (f: PaperFile) => ({
  fileId: f.fileId, filename: f.filename, contentType: f.contentType, plaintextBytes: f.plaintextBytes, cipherBytes: f.cipherBytes,
  cipherSha256: f.cipherSha256, masterKeyId: f.masterKeyId, uploadedBy: f.uploadedBy, uploadedAt: iso(f.uploadedAt),
})
const paperJson = (p: Paper, f: PaperFile | null) => ({
  id: p.id, examSessionId: p.examSessionId, kind: p.kind, title: p.title, state: p.state, frozenBy: p.frozenBy,
  updatedAt: iso(p.updatedAt), file: f ? fileJson(f) : null,
})
export const jobJson = (j: PrintJob) => ({
  ...j, plannedCopies: plannedCopies(j), requestedAt: iso(j.requestedAt), decryptedAt: isoOrNull(j.decryptedAt),
  printedAt: isoOrNull(j.printedAt), updatedAt: iso(j.updatedAt),
})
const packetJson = (p: Packet & { sealHidden: boolean }) => ({
  id: p.id, paperId: p.paperId, printJobId: p.printJobId, examSessionId: p.examSessionId, roomId: p.roomId, copies: p.copies,
  contents: p.contents, state: p.state, sealNumber: p.sealNumber, holder: p.holder, printedBy: p.printedBy, printedAt: iso(p.printedAt),
  updatedAt: iso(p.updatedAt), sealHidden: p.sealHidden,
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
const screenLabel = <L extends { packet: Packet }>(c: Ctx, l: L): L =>
  ({ ...l, packet: c.var.services.custody.screen({ userId: c.var.principal!.userId }, l.packet) })

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

/** Papers, their files, print jobs, packet labels, custody settings and master keys. */
export function papersRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  const s = (c: Ctx) => c.var.services.papers

  // ---------- papers ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/sessions/{id}/papers', access: CUSTODIAN, tags: ['papers'],
    summary: 'Add a confidential paper (A, B, answer key, practical tasks, exam data) to an exam session (R5.1)',
    request: { params: IdParam, ...jsonBody(z.strictObject({ kind: z.enum(PAPER_KINDS), title: z.string().max(400) })) },
    responses: { 201: json(PaperSchema, 'Created'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).create(actor(c), id, input<{ kind: PaperKind; title: string }>(c, 'json'))
    return r.ok ? c.json(paperJson(r.value, null), 201) : refused(c, r.error, 'paper.create', { type: 'exam_session', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/sessions/{id}/papers', access: READ, tags: ['papers'],
    summary: "The session's papers with their files, its batch's custody settings and its decryption window",
    request: { params: IdParam },
    responses: {
      200: json(z.object({ sessionId: z.string(), batchId: z.string(), startsAt: z.string(), window: WindowSchema, settings: SettingsSchema, papers: z.array(PaperSchema) }), 'Papers'),
      ...errors(401, 403, 404),
    },
  }, (c) => {
    const r = s(c).ofSession(c.req.param('id')!)
    if (!r.ok) return refused(c, r.error, 'paper.list')
    const v = r.value
    return c.json({
      sessionId: v.session.id, batchId: v.session.batchId, startsAt: iso(v.session.startsAt), window: windowJson(v.window), settings: v.settings,
      papers: v.papers.map((p) => paperJson(p.paper, p.file)),
    }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/papers/{id}', access: READ, tags: ['papers'],
    summary: 'One paper: its file, print jobs, packets and decryption window',
    request: { params: IdParam },
    responses: {
      200: json(z.object({
        paper: PaperSchema, window: WindowSchema, printJobs: z.array(JobSchema), packets: z.array(PacketSummarySchema), names: Names,
        people: PeopleSchema, rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
        session: z.object({ id: z.string(), occupationName: z.string(), level: z.number(), levelName: z.string(), subjectName: z.string(), startsAt: z.number() }).nullable(),
      }), 'The paper'),
      ...errors(401, 403, 404),
    },
  }, (c) => {
    const r = s(c).detail(c.req.param('id')!)
    if (!r.ok) return refused(c, r.error, 'paper.read')
    const v = r.value
    return c.json({
      paper: paperJson(v.paper, v.file), window: windowJson(v.window), printJobs: v.jobs.map(jobJson), packets: v.packets.map(packetsFor(c)),
      names: s(c).names(peopleOf(v.jobs, [v.file?.uploadedBy])),
      // Names beside ids (decision record 010): people with their usernames, rooms, the session.
      people: peopleIn(c, v.jobs, v.file, v.packets), rooms: c.var.services.custody.roomNames(v.packets),
      session: c.var.services.custody.sessionPlace(v.paper.examSessionId),
    }, 200)
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/papers/{id}/file', access: CUSTODIAN, tags: ['papers'],
    summary: "Upload or replace the paper's file: encrypted as it streams in, no plaintext on disk (R5.1)",
    description: 'Send the file itself as the body (Content-Type application/pdf or application/octet-stream, up to ~2.5 GB) ' +
      'with its name URI-encoded in X-Filename. Refused once a print job binds the file (paper.file_locked).',
    request: {
      params: IdParam,
      headers: z.object({ 'x-filename': z.string().max(2000).optional() }),
      body: {
        content: Object.fromEntries(UPLOAD_TYPES.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])),
        required: true,
      },
    },
    responses: {
      200: json(z.object({
        paperId: z.string(), fileId: z.string(), filename: z.string(), plaintextBytes: z.number(), cipherBytes: z.number(), cipherSha256: z.string(),
      }), 'Stored, encrypted'),
      ...errors(400, 401, 403, 404, 409, 413, 415),
    },
  }, async (c) => {
    const id = c.req.param('id')!
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (!(UPLOAD_TYPES as readonly string[]).includes(type)) return fail(c, 'request.unsupported_media_type', { contentType: type || null, expected: UPLOAD_TYPES })
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
    return c.json({ paperId: id, fileId: f.fileId, filename: f.filename, plaintextBytes: f.plaintextBytes, cipherBytes: f.cipherBytes, cipherSha256: f.cipherSha256 }, 200)
  })

  // ---------- print jobs (R5.2 +) ----------

  defineRoute(app, table, {
    method: 'post', path: '/api/papers/{id}/print-jobs', access: CUSTODIAN, tags: ['papers'],
    summary: "Request a print job: one packet per room of the session (its seated candidates, or capacity before seating) plus spares",
    description: 'Answer keys and exam data print as one room-less stack of `copies` (default 1). Two different custodians approve before decryption.',
    request: {
      params: IdParam,
      body: {
        content: {
          'application/json': {
            schema: z.strictObject({
              sparesPerRoom: z.number().int().min(0).max(50).optional(),
              perCopy: z.strictObject({ answerSheets: z.number().int().min(0).max(100), scratchPaper: z.number().int().min(0).max(100) }).optional(),
              copies: z.number().int().min(1).max(1000).optional(),
            }),
          },
        },
        required: false,
      },
    },
    responses: { 201: json(JobSchema, 'Requested'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const body = input<PrintRequestInput | undefined>(c, 'json') ?? {}
    const r = s(c).requestPrint(actor(c), id, body)
    return r.ok ? c.json(jobJson(r.value), 201) : refused(c, r.error, 'custody.print.request', { type: 'paper', id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/print-jobs/{id}', access: READ, tags: ['papers'],
    summary: 'One print job with its window and the packets it printed',
    request: { params: IdParam },
    responses: {
      200: json(JobSchema.extend({ window: WindowSchema, packets: z.array(PacketSummarySchema), names: Names }), 'The job'),
      ...errors(401, 403, 404),
    },
  }, (c) => {
    const id = c.req.param('id')!
    const job = s(c).job(id)
    const detail = job ? s(c).detail(job.paperId) : null
    if (!job || !detail?.ok) return fail(c, 'print_job.not_found', { id })
    return c.json({ ...jobJson(job), window: windowJson(detail.value.window), packets: s(c).packetsOfJob(id).map(packetsFor(c)), names: s(c).names(peopleOf([job])) }, 200)
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/print-jobs/{id}/approve', access: CUSTODIAN, tags: ['papers'],
    summary: 'Approve a print job: two different custodians, each with their own login (R5.2 +) and, under the split key, their share passphrase',
    description: 'Once a key ceremony has dealt the paper key (docs/decisions/008-split-master-key.md), an approval unlocks the ' +
      "approver's key share with their share passphrase; it is held in memory for this job only.",
    request: { params: IdParam, body: { content: { 'application/json': { schema: PassphraseBody } }, required: false } },
    responses: { 200: json(JobSchema, 'Approved'), ...errors(400, 401, 403, 404, 409) },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = await s(c).approve(actor(c), id, (input<{ passphrase?: string } | undefined>(c, 'json') ?? {}).passphrase)
    return r.ok ? c.json(jobJson(r.value), 200) : refused(c, r.error, 'custody.print.approve', { type: 'print_job', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/print-jobs/{id}/decrypt', access: CUSTODIAN, tags: ['papers'],
    summary: 'Decrypt for printing: the plaintext file as a streamed download, once, inside the window, after two approvals',
    description: 'The release is recorded (custody.paper.decrypted) before the first byte. The stored ciphertext is checked first; ' +
      'a download that ends early or with an error must not be printed (the container refuses tampered chunks).',
    request: { params: IdParam, body: { content: { 'application/json': { schema: PassphraseBody } }, required: false } },
    responses: {
      200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) }, 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The plaintext' },
      ...errors(400, 401, 403, 404, 409, 503),
    },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = await s(c).decrypt(actor(c), id, (input<{ passphrase?: string } | undefined>(c, 'json') ?? {}).passphrase)
    if (!r.ok) return refused(c, r.error, 'custody.print.decrypt', { type: 'print_job', id })
    const { file, body } = r.value
    return c.body(toReadableStream(body), 200, {
      'Content-Type': file.contentType, 'Content-Length': String(file.plaintextBytes), 'Content-Disposition': contentDisposition(file.filename),
      'Cache-Control': 'no-store', 'X-Print-Job': id,
    })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/print-jobs/{id}/share', access: CUSTODIAN, tags: ['papers'],
    summary: 'Unlock my key share for an open print job again (after a restart, or when k is more than two)',
    request: { params: IdParam, ...jsonBody(z.strictObject({ passphrase: Passphrase })) },
    responses: { 200: json(JobSchema, 'Share held for the job'), ...errors(400, 401, 403, 404, 409) },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = await s(c).holdShare(actor(c), id, input<{ passphrase: string }>(c, 'json').passphrase)
    return r.ok ? c.json(jobJson(r.value), 200) : refused(c, r.error, 'custody.print.share', { type: 'print_job', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/print-jobs/{id}/printed', access: CUSTODIAN, tags: ['papers'],
    summary: 'Record the print output: the packets, one per room, with consecutive copy numbers (only the decrypting custodian)',
    request: { params: IdParam, ...jsonBody(z.strictObject({ copies: z.number().int().min(1).max(1_000_000) })) },
    responses: { 200: json(z.object({ job: JobSchema, packets: z.array(PacketSummarySchema) }), 'Printed'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).printed(actor(c), id, input<{ copies: number }>(c, 'json').copies)
    return r.ok ? c.json({ job: jobJson(r.value.job), packets: r.value.packets.map(packetsFor(c)) }, 200) : refused(c, r.error, 'custody.print.print', { type: 'print_job', id })
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/print-jobs/{id}/cancel', access: CUSTODIAN, tags: ['papers'],
    summary: 'Withdraw a print job that has not printed',
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: z.strictObject({ reason: z.string().max(200).optional() }) } }, required: false },
    },
    responses: { 200: json(JobSchema, 'Cancelled'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const id = c.req.param('id')!
    const body = input<{ reason?: string } | undefined>(c, 'json') ?? {}
    const r = s(c).cancel(actor(c), id, body.reason ?? '')
    return r.ok ? c.json(jobJson(r.value), 200) : refused(c, r.error, 'custody.print.cancel', { type: 'print_job', id })
  })

  // ---------- custody settings ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/batches/{id}/custody-settings', access: READ, tags: ['papers'],
    summary: "A batch's custody settings: the decryption window, when packets may be opened, spares per room",
    request: { params: IdParam },
    responses: { 200: json(z.object({ batchId: z.string(), isDefault: z.boolean(), settings: SettingsSchema }), 'Settings'), ...errors(401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    if (!s(c).store.batchExists(id)) return fail(c, 'batch.not_found', { id })
    return c.json({ batchId: id, isDefault: !s(c).store.hasSettings(id), settings: s(c).settings(id) }, 200)
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/batches/{id}/custody-settings', access: SETTINGS_WRITE, tags: ['papers'],
    summary: "Set a batch's custody settings (minutes before each session's start)",
    request: {
      params: IdParam,
      ...jsonBody(z.strictObject({
        opensMinutesBefore: z.number().int(), closesMinutesBefore: z.number().int(), openMinutesBefore: z.number().int(), sparesPerRoom: z.number().int(),
      })),
    },
    responses: { 200: json(z.object({ batchId: z.string(), isDefault: z.boolean(), settings: SettingsSchema }), 'Saved'), ...errors(400, 401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).setSettings(actor(c), id, input<CustodySettings>(c, 'json'))
    return r.ok ? c.json({ batchId: id, isDefault: false, settings: r.value }, 200) : refused(c, r.error, 'custody.settings', { type: 'batch', id })
  })

  // ---------- master keys (003) ----------

  defineRoute(app, table, {
    method: 'get', path: '/api/admin/master-keys', access: ADMIN, tags: ['papers'],
    summary: 'The master keys held, the current one, and how many paper files each wraps',
    responses: { 200: json(z.object({ keys: z.array(z.object({ id: z.string(), current: z.boolean(), files: z.number() })) }), 'Keys'), ...errors(401, 403) },
  }, (c) => c.json({ keys: s(c).masterKeys() }, 200))

  defineRoute(app, table, {
    method: 'post', path: '/api/admin/master-keys/rotate', access: ADMIN, tags: ['papers'],
    summary: 'Rotate the master key: every data key is re-wrapped, no paper is re-encrypted; old keys that wrap nothing are deleted',
    responses: {
      200: json(z.object({
        keyId: z.string(), previous: z.array(z.string()), rewrapped: z.number(),
        failed: z.array(z.object({ paperId: z.string(), code: z.string() })), retired: z.array(z.string()),
      }), 'Rotated'),
      ...errors(401, 403, 409),
    },
  }, (c) => {
    const r = s(c).rotateMasterKey(actor(c))
    return r.ok ? c.json(r.value, 200) : refused(c, r.error, 'custody.paper.master_key_rotate')
  })

  // ---------- printable labels (outside /api: pages a browser prints) ----------

  app.use('/packets/:id/label', loadPrincipal)
  app.use('/print-jobs/:id/labels', loadPrincipal)
  const LabelQuery = z.object({ size: z.enum(['a6', 'a4']).optional() })

  defineRoute(app, table, {
    method: 'get', path: '/packets/{id}/label', access: READ, tags: ['papers'],
    summary: 'The printable packet label (A6, or ?size=a4 for four per sheet) with its QR code CUSTODY-PACKET:<id>',
    request: { params: IdParam, query: LabelQuery },
    responses: { 200: HTML, ...errors(401, 403, 404) },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = s(c).label(id)
    if (!r.ok) return refused(c, r.error, 'custody.packet.label')
    const size: LabelSize = input<{ size?: LabelSize }>(c, 'query').size ?? 'a6'
    return c.html(await renderLabels([screenLabel(c, r.value)], `试卷袋标签 ${id.slice(0, 8)}`, size), 200, { 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/print-jobs/{id}/labels', access: READ, tags: ['papers'],
    summary: 'Every packet label of a printed job, for printing at once',
    request: { params: IdParam, query: LabelQuery },
    responses: { 200: HTML, ...errors(401, 403, 404) },
  }, async (c) => {
    const id = c.req.param('id')!
    if (!s(c).job(id)) return fail(c, 'print_job.not_found', { id })
    const labels = []
    for (const p of s(c).packetsOfJob(id)) {
      const r = s(c).label(p.id)
      if (r.ok) labels.push(screenLabel(c, r.value))
    }
    const size: LabelSize = input<{ size?: LabelSize }>(c, 'query').size ?? 'a6'
    return c.html(await renderLabels(labels, `试卷袋标签（${labels.length} 个）`, size), 200, { 'Cache-Control': 'private, no-store' })
  })

  app.get(PACKET_LABEL_CSS_PATH, async (c) =>
    c.body(await Bun.file(LABEL_CSS_FILE).text(), 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }))
}

const LABEL_CSS_FILE = fileURLToPath(new URL('../../kiosk/styles/packet-label.css', import.meta.url))
