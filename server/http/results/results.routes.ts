import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

/** Publication and reviews are the registrar's desk; a review's outcome is verified by a score verifier (REVIEW_MOVES). */
const DESK = { roles: ['registrar'] } as const
const READ = { roles: ['registrar', 'verifier', 'supervisor'] } as const
const VERIFY = { roles: ['verifier'] } as const

const Id = z.string().min(1).max(64)
const BatchParam = z.object({ id: Id })
const ReviewParam = z.object({ id: Id })
const Reason = z.string().max(500)
const Status = z.enum(['passed', 'failed', 'absent', 'disqualified', 'pending'])

const PublicationSchema = z
  .object({
    publishedOn: z.string(),
    lastDay: z.string().openapi({ description: 'the 5th working day after publication (R7.2)' }),
    takeDownFrom: z.string(),
    provisional: z.boolean().openapi({ description: 'counted across a year without an official holiday list' }),
    withdrawnOn: z.string().nullable(),
  })
  .openapi('Publication')

const ReviewSchema = z
  .object({
    id: z.string(),
    batchId: z.string(),
    candidateId: z.string(),
    candidateName: z.string().nullable(),
    subjectId: z.string(),
    subjectName: z.string(),
    state: z.enum(['requested', 'in_review', 'upheld', 'changed', 'verified', 'withdrawn']),
    open: z.boolean(),
    requestedOn: z.string(),
    requestedBy: z.string(),
    requestedByName: z.string().nullable(),
    deadline: z.string(),
    reason: z.string(),
    outcome: z.enum(['upheld', 'changed']).nullable(),
    oldScore: z.number().nullable(),
    newScore: z.number().nullable(),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable(),
    verifiedBy: z.string().nullable(),
    verifiedByName: z.string().nullable(),
    steps: z.array(z.object({ action: z.string(), state: z.string(), actor: z.string(), reason: z.string(), score: z.number().nullable(), at: z.string() })),
  })
  .openapi('ResultReview')

export const batches = route({
  method: 'get',
  path: '/api/results/batches',
  access: READ,
  tags: ['results'],
  summary: 'Batches whose exam is over (completed or results published), newest exam first, with their publication',
  responses: {
    200: json(
      z.object({
        batches: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            status: z.string(),
            examEndDate: z.string(),
            level: z.number(),
            occupationName: z.string(),
            publication: PublicationSchema.nullable(),
          }),
        ),
      }),
      'The batches',
    ),
    ...errors(401, 403),
  },
})

export const status = route({
  method: 'get',
  path: '/api/batches/{id}/results/publication',
  access: READ,
  tags: ['results'],
  summary: "A batch's publication (R7.2): the earliest date, whether every score is verified and signed, the publication if any",
  request: { params: BatchParam },
  responses: {
    200: json(
      z.object({
        batch: z.object({ id: z.string(), title: z.string(), status: z.string(), examEndDate: z.string() }),
        earliest: z.object({ date: z.string(), provisional: z.boolean() }),
        publication: PublicationSchema.extend({ publishedBy: z.string(), publishedByName: z.string().nullable() }).nullable(),
        complete: z.boolean(),
        unfinished: z.array(z.object({ sessionId: z.string(), subjectId: z.string(), state: z.string() })),
        candidates: z.number(),
      }),
      'The publication status',
    ),
    ...errors(401, 403, 404),
  },
})

export const publish = route({
  method: 'post',
  path: '/api/batches/{id}/results/publication',
  access: DESK,
  tags: ['results'],
  summary: "Publish the batch's results today (R7.2): only when every score is verified and signed, no earlier than 10 working days after the exam",
  request: { params: BatchParam },
  responses: { 200: json(PublicationSchema, 'Published'), ...errors(401, 403, 404, 409) },
})

export const takeDown = route({
  method: 'post',
  path: '/api/batches/{id}/results/publication/take-down',
  access: DESK,
  tags: ['results'],
  summary: 'Take the results down, not before the 5 working days of publication are over (R7.2)',
  request: { params: BatchParam },
  responses: { 200: json(PublicationSchema, 'Taken down'), ...errors(401, 403, 404, 409) },
})

export const published = route({
  method: 'get',
  path: '/api/batches/{id}/results',
  access: READ,
  tags: ['results'],
  summary: 'The published results of a batch (the snapshot at publication, updated by verified reviews)',
  request: { params: BatchParam },
  responses: {
    200: json(
      z.object({
        candidates: z.array(
          z.object({
            candidateId: z.string(),
            name: z.string().nullable(),
            overall: Status,
            subjects: z.array(
              z.object({
                subjectId: z.string(),
                kind: z.string(),
                name: z.string(),
                status: Status,
                score: z.number().nullable(),
                passMark: z.number(),
                maxMark: z.number(),
              }),
            ),
          }),
        ),
      }),
      'The published results',
    ),
    ...errors(401, 403, 404),
  },
})

export const reviews = route({
  method: 'get',
  path: '/api/batches/{id}/reviews',
  access: READ,
  tags: ['results'],
  summary: "The batch's review requests (核查), oldest first, with their deadline and steps",
  request: { params: BatchParam },
  responses: { 200: json(z.object({ reviews: z.array(ReviewSchema) }), 'The reviews'), ...errors(401, 403) },
})

export const requestReview = route({
  method: 'post',
  path: '/api/batches/{id}/reviews',
  access: DESK,
  tags: ['results'],
  summary: "Record a candidate's review request for a published subject result, received today (within 1 month of publication, R7.2)",
  request: { params: BatchParam, ...jsonBody(z.strictObject({ candidateId: Id, subjectId: Id, reason: Reason.optional() })) },
  responses: { 200: json(ReviewSchema, 'Recorded'), ...errors(400, 401, 403, 404, 409) },
})

export const start = route({
  method: 'post',
  path: '/api/reviews/{id}/start',
  access: DESK,
  tags: ['results'],
  summary: 'Start handling a review request',
  request: { params: ReviewParam, ...jsonBody(z.strictObject({ reason: Reason.optional() })) },
  responses: { 200: json(ReviewSchema, 'Started'), ...errors(400, 401, 403, 404, 409) },
})
export const uphold = route({
  method: 'post',
  path: '/api/reviews/{id}/uphold',
  access: DESK,
  tags: ['results'],
  summary: 'Uphold the score, with the reason; a second person verifies',
  request: { params: ReviewParam, ...jsonBody(z.strictObject({ reason: Reason })) },
  responses: { 200: json(ReviewSchema, 'Upheld'), ...errors(400, 401, 403, 404, 409) },
})
export const change = route({
  method: 'post',
  path: '/api/reviews/{id}/change',
  access: DESK,
  tags: ['results'],
  summary: 'Change the score, with the reason: a pending amendment that counts only once a second person verifies it (R7.1)',
  request: { params: ReviewParam, ...jsonBody(z.strictObject({ reason: Reason, score: z.number().min(0).max(1000) })) },
  responses: { 200: json(ReviewSchema, 'Changed'), ...errors(400, 401, 403, 404, 409) },
})
export const verify = route({
  method: 'post',
  path: '/api/reviews/{id}/verify',
  access: VERIFY,
  tags: ['results'],
  summary: 'A second person (a score verifier, not who decided) verifies the outcome; a changed score then updates the published result',
  request: { params: ReviewParam, ...jsonBody(z.strictObject({ reason: Reason.optional() })) },
  responses: { 200: json(ReviewSchema, 'Verified'), ...errors(400, 401, 403, 404, 409) },
})
export const sendBack = route({
  method: 'post',
  path: '/api/reviews/{id}/send-back',
  access: VERIFY,
  tags: ['results'],
  summary: 'The second person disagrees: the outcome goes back to the desk, with the reason',
  request: { params: ReviewParam, ...jsonBody(z.strictObject({ reason: Reason })) },
  responses: { 200: json(ReviewSchema, 'Sent back'), ...errors(400, 401, 403, 404, 409) },
})
export const withdraw = route({
  method: 'post',
  path: '/api/reviews/{id}/withdraw',
  access: DESK,
  tags: ['results'],
  summary: 'The candidate withdraws the request (recorded by the desk, with the reason)',
  request: { params: ReviewParam, ...jsonBody(z.strictObject({ reason: Reason })) },
  responses: { 200: json(ReviewSchema, 'Withdrawn'), ...errors(400, 401, 403, 404, 409) },
})
// ---------- public: no login ----------

export const lookup = route({
  method: 'post',
  path: '/api/public/results/lookup',
  access: 'public',
  tags: ['public'],
  summary:
    'A candidate looks up their own published result with ticket number and ID number. Any miss is one neutral answer; rate limited per address and ticket',
  request: { ...jsonBody(z.strictObject({ ticketNumber: z.string().min(1).max(40), residentId: z.string().min(1).max(40) })) },
  responses: {
    200: json(
      z.object({
        name: z.string(),
        occupationName: z.string(),
        occupationCode: z.string(),
        level: z.number(),
        batchTitle: z.string(),
        publishedOn: z.string(),
        provisional: z.boolean(),
        overall: Status,
        subjects: z.array(
          z.object({ name: z.string(), kind: z.string(), status: Status, score: z.number().nullable(), passMark: z.number(), maxMark: z.number() }),
        ),
      }),
      'The candidate’s own result',
    ),
    ...errors(400, 404, 429),
  },
})
