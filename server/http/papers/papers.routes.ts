import { z } from '@hono/zod-openapi'
import { PAPER_KINDS } from '../../domain/custody/index.ts'
import { route } from '../_route.ts'
import { errors, json, jsonBody, Passphrase } from '../_schemas.ts'
import { PeopleSchema } from '../custody-people.ts'

const CUSTODIAN = { roles: ['custodian'] } as const
/** Who reads custody: the custodians who do it, supervisors who oversee it (R6.4), administrators. */
const READ = { roles: ['custodian', 'supervisor', 'admin'] } as const
/** The decryption window is the custodians' (R5.2): an administrator reads it but does not set it (decision record 006). */
const SETTINGS_WRITE = { roles: ['custodian'] } as const
const ADMIN = { roles: ['admin'] } as const

export const UPLOAD_TYPES = ['application/pdf', 'application/octet-stream'] as const

const Id = z.string().min(1).max(64)
const PassphraseBody = z.strictObject({ passphrase: Passphrase.optional() })
const IdParam = z.object({ id: Id })
const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'Printable HTML' }
const LabelQuery = z.object({ size: z.enum(['a6', 'a4']).optional() })

// ---------- JSON shapes ----------

const FileSchema = z
  .object({
    fileId: z.string(),
    filename: z.string(),
    contentType: z.string(),
    plaintextBytes: z.number(),
    cipherBytes: z.number(),
    cipherSha256: z.string().openapi({ description: 'SHA-256 (hex) of the stored ciphertext' }),
    masterKeyId: z.string(),
    uploadedBy: z.string(),
    uploadedAt: z.string(),
  })
  .openapi('PaperFile')
const PaperSchema = z
  .object({
    id: z.string(),
    examSessionId: z.string(),
    kind: z.enum(PAPER_KINDS),
    title: z.string(),
    state: z.enum(['active', 'frozen', 'retired']),
    frozenBy: z.array(z.string()),
    updatedAt: z.string(),
    file: FileSchema.nullable(),
  })
  .openapi('Paper')
const PerCopySchema = z.object({ answerSheets: z.number(), scratchPaper: z.number() })
const JobSchema = z
  .object({
    id: z.string(),
    paperId: z.string(),
    examSessionId: z.string(),
    state: z.enum(['requested', 'approved', 'decrypted', 'printed', 'cancelled']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    targets: z.array(z.object({ roomId: z.string().nullable(), seats: z.number() })),
    sparesPerRoom: z.number(),
    perCopy: PerCopySchema,
    firstCopy: z.number(),
    plannedCopies: z.number(),
    approvals: z.array(z.string()),
    decryptedBy: z.string().nullable(),
    decryptedAt: z.string().nullable(),
    printedBy: z.string().nullable(),
    printedAt: z.string().nullable(),
    copies: z.number().nullable(),
    updatedAt: z.string(),
  })
  .openapi('PrintJob')
const HolderSchema = z.union([z.object({ userId: z.string() }), z.object({ place: z.string() })])
const PacketSummarySchema = z
  .object({
    id: z.string(),
    paperId: z.string(),
    printJobId: z.string(),
    examSessionId: z.string(),
    roomId: z.string().nullable(),
    copies: z.object({ first: z.number(), last: z.number() }),
    contents: z.object({ copies: z.number(), answerSheets: z.number(), scratchPaper: z.number() }),
    state: z.string(),
    sealNumber: z.string().nullable(),
    holder: HolderSchema,
    printedBy: z.string(),
    printedAt: z.string(),
    updatedAt: z.string(),
    sealHidden: z.boolean().openapi({ description: 'True when the seal is left out because the caller still has to check it blind' }),
  })
  .openapi('PacketSummary')
const WindowSchema = z.object({ opensAt: z.string(), closesAt: z.string() }).openapi('PrintWindow')
const SettingsSchema = z
  .object({
    opensMinutesBefore: z.number().int(),
    closesMinutesBefore: z.number().int(),
    openMinutesBefore: z.number().int(),
    sparesPerRoom: z.number().int(),
  })
  .openapi('CustodySettings')
const Names = z.record(z.string(), z.string()).openapi({ description: 'Display names of the accounts named above, by id' })

// ---------- papers ----------

export const create = route({
  method: 'post',
  path: '/api/sessions/{id}/papers',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Add a confidential paper (A, B, answer key, practical tasks, exam data) to an exam session (R5.1)',
  request: { params: IdParam, ...jsonBody(z.strictObject({ kind: z.enum(PAPER_KINDS), title: z.string().max(400) })) },
  responses: { 201: json(PaperSchema, 'Created'), ...errors(400, 401, 403, 404, 409) },
})

export const ofSession = route({
  method: 'get',
  path: '/api/sessions/{id}/papers',
  access: READ,
  tags: ['papers'],
  summary: "The session's papers with their files, its batch's custody settings and its decryption window",
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        sessionId: z.string(),
        batchId: z.string(),
        startsAt: z.string(),
        window: WindowSchema,
        settings: SettingsSchema,
        papers: z.array(PaperSchema),
      }),
      'Papers',
    ),
    ...errors(401, 403, 404),
  },
})

export const get = route({
  method: 'get',
  path: '/api/papers/{id}',
  access: READ,
  tags: ['papers'],
  summary: 'One paper: its file, print jobs, packets and decryption window',
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        paper: PaperSchema,
        window: WindowSchema,
        printJobs: z.array(JobSchema),
        packets: z.array(PacketSummarySchema),
        names: Names,
        people: PeopleSchema,
        rooms: z.record(z.string(), z.string()).openapi({ description: 'Room names ("site room") by room id' }),
        session: z
          .object({ id: z.string(), occupationName: z.string(), level: z.number(), levelName: z.string(), subjectName: z.string(), startsAt: z.number() })
          .nullable(),
      }),
      'The paper',
    ),
    ...errors(401, 403, 404),
  },
})

export const upload = route({
  method: 'put',
  path: '/api/papers/{id}/file',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: "Upload or replace the paper's file: encrypted as it streams in, no plaintext on disk (R5.1)",
  description:
    'Send the file itself as the body (Content-Type application/pdf or application/octet-stream, up to ~2.5 GB) ' +
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
    200: json(
      z.object({
        paperId: z.string(),
        fileId: z.string(),
        filename: z.string(),
        plaintextBytes: z.number(),
        cipherBytes: z.number(),
        cipherSha256: z.string(),
      }),
      'Stored, encrypted',
    ),
    ...errors(400, 401, 403, 404, 409, 413, 415),
  },
})

export const requestPrint = route({
  method: 'post',
  path: '/api/papers/{id}/print-jobs',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Request a print job: one packet per room of the session (its seated candidates, or capacity before seating) plus spares',
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
})

export const getJob = route({
  method: 'get',
  path: '/api/print-jobs/{id}',
  access: READ,
  tags: ['papers'],
  summary: 'One print job with its window and the packets it printed',
  request: { params: IdParam },
  responses: {
    200: json(JobSchema.extend({ window: WindowSchema, packets: z.array(PacketSummarySchema), names: Names }), 'The job'),
    ...errors(401, 403, 404),
  },
})

export const approve = route({
  method: 'post',
  path: '/api/print-jobs/{id}/approve',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Approve a print job: two different custodians, each with their own login (R5.2 +) and, under the split key, their share passphrase',
  description:
    'Once a key ceremony has dealt the paper key (docs/decisions/008-split-master-key.md), an approval unlocks the ' +
    "approver's key share with their share passphrase; it is held in memory for this job only.",
  request: { params: IdParam, body: { content: { 'application/json': { schema: PassphraseBody } }, required: false } },
  responses: { 200: json(JobSchema, 'Approved'), ...errors(400, 401, 403, 404, 409) },
})

export const decrypt = route({
  method: 'post',
  path: '/api/print-jobs/{id}/decrypt',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Decrypt for printing: the plaintext file as a streamed download, once, inside the window, after two approvals',
  description:
    'The release is recorded (custody.paper.decrypted) before the first byte. The stored ciphertext is checked first; ' +
    'a download that ends early or with an error must not be printed (the container refuses tampered chunks).',
  request: { params: IdParam, body: { content: { 'application/json': { schema: PassphraseBody } }, required: false } },
  responses: {
    200: {
      content: {
        'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
        'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
      },
      description: 'The plaintext',
    },
    ...errors(400, 401, 403, 404, 409, 503),
  },
})

export const holdShare = route({
  method: 'post',
  path: '/api/print-jobs/{id}/share',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Unlock my key share for an open print job again (after a restart, or when k is more than two)',
  request: { params: IdParam, ...jsonBody(z.strictObject({ passphrase: Passphrase })) },
  responses: { 200: json(JobSchema, 'Share held for the job'), ...errors(400, 401, 403, 404, 409) },
})

export const printed = route({
  method: 'post',
  path: '/api/print-jobs/{id}/printed',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Record the print output: the packets, one per room, with consecutive copy numbers (only the decrypting custodian)',
  request: { params: IdParam, ...jsonBody(z.strictObject({ copies: z.number().int().min(1).max(1_000_000) })) },
  responses: { 200: json(z.object({ job: JobSchema, packets: z.array(PacketSummarySchema) }), 'Printed'), ...errors(400, 401, 403, 404, 409) },
})

export const cancel = route({
  method: 'post',
  path: '/api/print-jobs/{id}/cancel',
  access: CUSTODIAN,
  tags: ['papers'],
  summary: 'Withdraw a print job that has not printed',
  request: {
    params: IdParam,
    body: { content: { 'application/json': { schema: z.strictObject({ reason: z.string().max(200).optional() }) } }, required: false },
  },
  responses: { 200: json(JobSchema, 'Cancelled'), ...errors(400, 401, 403, 404, 409) },
})

export const getSettings = route({
  method: 'get',
  path: '/api/batches/{id}/custody-settings',
  access: READ,
  tags: ['papers'],
  summary: "A batch's custody settings: the decryption window, when packets may be opened, spares per room",
  request: { params: IdParam },
  responses: { 200: json(z.object({ batchId: z.string(), isDefault: z.boolean(), settings: SettingsSchema }), 'Settings'), ...errors(401, 403, 404) },
})

export const setSettings = route({
  method: 'put',
  path: '/api/batches/{id}/custody-settings',
  access: SETTINGS_WRITE,
  tags: ['papers'],
  summary: "Set a batch's custody settings (minutes before each session's start)",
  request: {
    params: IdParam,
    ...jsonBody(
      z.strictObject({
        opensMinutesBefore: z.number().int(),
        closesMinutesBefore: z.number().int(),
        openMinutesBefore: z.number().int(),
        sparesPerRoom: z.number().int(),
      }),
    ),
  },
  responses: { 200: json(z.object({ batchId: z.string(), isDefault: z.boolean(), settings: SettingsSchema }), 'Saved'), ...errors(400, 401, 403, 404) },
})

export const masterKeys = route({
  method: 'get',
  path: '/api/admin/master-keys',
  access: ADMIN,
  tags: ['papers'],
  summary: 'The master keys held, the current one, and how many paper files each wraps',
  responses: { 200: json(z.object({ keys: z.array(z.object({ id: z.string(), current: z.boolean(), files: z.number() })) }), 'Keys'), ...errors(401, 403) },
})

export const rotateMasterKey = route({
  method: 'post',
  path: '/api/admin/master-keys/rotate',
  access: ADMIN,
  tags: ['papers'],
  summary: 'Rotate the master key: every data key is re-wrapped, no paper is re-encrypted; old keys that wrap nothing are deleted',
  responses: {
    200: json(
      z.object({
        keyId: z.string(),
        previous: z.array(z.string()),
        rewrapped: z.number(),
        failed: z.array(z.object({ paperId: z.string(), code: z.string() })),
        retired: z.array(z.string()),
      }),
      'Rotated',
    ),
    ...errors(401, 403, 409),
  },
})

export const label = route({
  method: 'get',
  path: '/packets/{id}/label',
  access: READ,
  tags: ['papers'],
  summary: 'The printable packet label (A6, or ?size=a4 for four per sheet) with its QR code CUSTODY-PACKET:<id>',
  request: { params: IdParam, query: LabelQuery },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})

export const jobLabels = route({
  method: 'get',
  path: '/print-jobs/{id}/labels',
  access: READ,
  tags: ['papers'],
  summary: 'Every packet label of a printed job, for printing at once',
  request: { params: IdParam, query: LabelQuery },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})
