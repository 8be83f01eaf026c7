import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

const REGISTRAR = { roles: ['registrar'] } as const
const VERIFIER = { roles: ['verifier'] } as const
/** A difference is resolved by a third person: another verifier, or a registrar who keyed neither entry (R7.1). */
const RESOLVER = { roles: ['verifier', 'registrar'] } as const
const READERS = { roles: ['registrar', 'verifier', 'supervisor'] } as const

const BatchParam = z.object({ id: z.string().min(1).max(100) })
const SessionParam = z.object({ sessionId: z.string().min(1).max(100) })

const Score = z.number().min(0).max(10000)
const LineSchema = z.object({
  candidateId: z.string().min(1).max(100),
  items: z
    .array(z.object({ itemId: z.string().min(1).max(100), score: Score }))
    .min(1)
    .max(50),
})
const LinesBody = z.object({ lines: z.array(LineSchema).min(1).max(5000) })
const Reason = z.string().min(1).max(500)

const EntrySchema = z.object({ userId: z.string(), how: z.string() })
const SessionSchema = z
  .object({
    sessionId: z.string(),
    subjectId: z.string(),
    kind: z.enum(['theory', 'practical', 'other']),
    name: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    maxMark: z.number(),
    passMark: z.number(),
    state: z.enum(['none', 'entered', 'disputed', 'verified', 'signed']),
    version: z.number(),
    method: z.enum(['double_entry', 'against_sheet']).nullable(),
    lineCount: z.number(),
    candidateCount: z.number(),
    openDifferences: z.number(),
    enteredBy: z.array(EntrySchema),
    checkedBy: z.string().nullable(),
    signedBy: z.string().nullable(),
    signedAt: z.string().nullable(),
  })
  .openapi('ScoreSession')

const TallySchema = SessionSchema.extend({
  items: z.array(z.object({ id: z.string(), name: z.string(), max: z.number() })),
  candidates: z.array(z.object({ candidateId: z.string(), name: z.string().nullable(), ticketNumber: z.string().nullable() })),
  lines: z.array(LineSchema).nullable().openapi({ description: 'null while a verifier still keys the second entry blind (R7.1)' }),
  differences: z.array(
    z.object({
      candidateId: z.string(),
      itemId: z.string(),
      first: z.number().nullable(),
      second: z.number().nullable(),
      resolved: z.object({ value: z.number().nullable(), by: z.string(), reason: z.string() }).nullable(),
    }),
  ),
  history: z.array(z.object({ version: z.number(), action: z.string(), by: z.string(), at: z.number(), reason: z.string().optional() })),
  sheets: z.number(),
}).openapi('ScoreTally')

const SubjectResultSchema = z.object({
  subjectId: z.string(),
  kind: z.enum(['theory', 'practical', 'other']),
  name: z.string(),
  status: z.enum(['passed', 'failed', 'absent', 'disqualified', 'pending']),
  score: z.number().nullable(),
  passMark: z.number(),
  maxMark: z.number(),
  sessionId: z.string().nullable(),
  carried: z.boolean().optional(),
})
const ResultsSchema = z
  .object({
    batchId: z.string(),
    complete: z.boolean(),
    unfinished: z.array(z.object({ sessionId: z.string(), subjectId: z.string(), state: z.string() })),
    candidates: z.array(
      z.object({
        candidateId: z.string(),
        name: z.string().nullable(),
        subjects: z.array(SubjectResultSchema),
        overall: z.enum(['passed', 'failed', 'absent', 'disqualified', 'pending']),
      }),
    ),
  })
  .openapi('BatchResults')

const ImportReportSchema = z.object({
  importId: z.string(),
  fileSha256: z.string(),
  encoding: z.string(),
  rows: z.number(),
  sessions: z.array(z.string()),
  ignoredColumns: z.array(z.string()),
  notInFile: z.array(z.string()),
})

export const batches = route({
  method: 'get',
  path: '/api/scores/batches',
  access: READERS,
  tags: ['scores'],
  summary: 'Every batch, newest exam first, for choosing whose scores to enter, verify or read',
  responses: {
    200: json(
      z.object({ batches: z.array(z.object({ id: z.string(), title: z.string(), examStartDate: z.string(), examEndDate: z.string(), status: z.string() })) }),
      'The batches',
    ),
    ...errors(401, 403),
  },
})

export const sessions = route({
  method: 'get',
  path: '/api/batches/{id}/scores',
  access: READERS,
  tags: ['scores'],
  summary: "A batch's exam sessions with where each session's score tally stands (R7.1)",
  request: { params: BatchParam },
  responses: { 200: json(z.object({ batchId: z.string(), sessions: z.array(SessionSchema) }), 'The sessions'), ...errors(401, 403, 404) },
})

export const tally = route({
  method: 'get',
  path: '/api/scores/sessions/{sessionId}',
  access: READERS,
  tags: ['scores'],
  summary: "One session's score tally: lines, differences and history; a verifier sees no first-entry numbers before keying the second entry",
  request: { params: SessionParam },
  responses: { 200: json(TallySchema, 'The tally'), ...errors(401, 403, 404) },
})

export const importTheory = route({
  method: 'post',
  path: '/api/batches/{id}/scores/theory-import',
  access: REGISTRAR,
  tags: ['scores'],
  summary: "Import the marking system's theory scores (docs/score-import-format.md): all or nothing, with a row-by-row report",
  description:
    'Send the file as the body with Content-Type: text/csv (UTF-8 or GB18030), or as multipart/form-data field `file`. On any error nothing is imported and error.details.errors lists { row, column, code, message, messageEn }.',
  request: { params: BatchParam, body: { content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } }, required: true } },
  responses: { 201: json(ImportReportSchema, 'Imported: the tallies wait for a verifier'), ...errors(401, 403, 404, 409, 413, 415, 422) },
})

export const collect = route({
  method: 'post',
  path: '/api/scores/sessions/{sessionId}/collect',
  access: REGISTRAR,
  tags: ['scores'],
  summary: "Practical: take the examiners' signed kiosk sheets in force as the tally's first entry",
  request: { params: SessionParam },
  responses: { 200: json(TallySchema, 'Entered'), ...errors(401, 403, 404, 409, 422) },
})

export const secondEntry = route({
  method: 'post',
  path: '/api/scores/sessions/{sessionId}/second-entry',
  access: VERIFIER,
  tags: ['scores'],
  summary: "The verifier's independent second entry (double keying): agreeing lines verify the tally, differences are listed",
  request: { params: SessionParam, ...jsonBody(LinesBody) },
  responses: { 200: json(TallySchema, 'Verified or disputed'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const checkSheet = route({
  method: 'post',
  path: '/api/scores/sessions/{sessionId}/check-sheet',
  access: VERIFIER,
  tags: ['scores'],
  summary: "The verifier checks the tally against the examiners' signed sheets in force",
  request: { params: SessionParam },
  responses: { 200: json(TallySchema, 'Verified or disputed'), ...errors(401, 403, 404, 409, 422) },
})

export const resolve = route({
  method: 'post',
  path: '/api/scores/sessions/{sessionId}/resolve',
  access: RESOLVER,
  tags: ['scores'],
  summary: 'A third person decides one difference, with a reason (never silently)',
  request: {
    params: SessionParam,
    ...jsonBody(z.object({ candidateId: z.string().min(1).max(100), itemId: z.string().min(1).max(100), value: Score.nullable(), reason: Reason })),
  },
  responses: { 200: json(TallySchema, 'Resolved'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const sign = route({
  method: 'post',
  path: '/api/scores/sessions/{sessionId}/sign',
  access: VERIFIER,
  tags: ['scores'],
  summary: 'The verifier who checked signs the tally: only signed scores count (R7.1)',
  request: { params: SessionParam },
  responses: { 200: json(TallySchema, 'Signed'), ...errors(401, 403, 404, 409) },
})

export const amend = route({
  method: 'post',
  path: '/api/scores/sessions/{sessionId}/amend',
  access: REGISTRAR,
  tags: ['scores'],
  summary: 'A change to the scores (also after signing): a reason, then a new verification and a new signature',
  request: { params: SessionParam, ...jsonBody(LinesBody.extend({ reason: Reason })) },
  responses: { 200: json(TallySchema, 'Amended: back to entered'), ...errors(400, 401, 403, 404, 409, 422) },
})

export const results = route({
  method: 'get',
  path: '/api/batches/{id}/scores/results',
  access: READERS,
  tags: ['scores'],
  summary:
    "A batch's results from the signed tallies (before publication), per approved candidate and subject: passed, failed, absent (the door), disqualified (a confirmed incident), pending",
  request: { params: BatchParam },
  responses: { 200: json(ResultsSchema, 'The results'), ...errors(401, 403, 404) },
})
