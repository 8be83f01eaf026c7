import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'

/** Issuing and reissue requests are the registrar's; a reissue is approved by a supervisor or another registrar (R8.3). */
const MANAGE = { roles: ['registrar'] } as const
const READ = { roles: ['registrar', 'supervisor', 'admin'] } as const
const DECIDE = { roles: ['supervisor', 'registrar'] } as const

const Id = z.string().min(1).max(64)
const NumberText = z.string().min(1).max(40)
const BatchParam = z.object({ id: Id })
const NumberParam = z.object({ number: NumberText })
const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'Printable HTML (A4)' }

const BodyConfig = z
  .object({
    category: z.enum(['Y', 'S']).openapi({ description: 'Y an employer, S a social training and evaluation organisation' }),
    ministryCode: z.string().max(8).openapi({ example: '0000', description: '4 digits from the ministry; 0000 when filed with the province only' }),
    provinceCode: z.string().max(4).openapi({ example: '50' }),
    sequenceCode: z.string().max(8).openapi({ example: '000001', description: 'the 6-digit code the province gives' }),
  })
  .openapi('CertificateBodyConfig')

const BodyName = z
  .string()
  .max(200)
  .openapi({ example: '重庆市职业技能鉴定指导中心第三评价站', description: "The body's name printed on certificates and admission tickets" })

const Refusal = z.looseObject({ code: z.string() })

const PayloadSchema = z.object({
  number: z.string(),
  holderName: z.string(),
  maskedId: z.string(),
  occupationCode: z.string(),
  occupationName: z.string(),
  level: z.number(),
  issuedOn: z.string(),
  body: z.string(),
  batchRef: z.string(),
  replaces: z.string().nullable(),
})

export const CertificateSchema = z
  .object({
    number: z.string(),
    status: z.enum(['valid', 'revoked']),
    candidateId: z.string(),
    batchId: z.string(),
    keyId: z.string(),
    text: z.string().openapi({ description: 'The signed CC1 text (docs/certificate-format.md)' }),
    payload: PayloadSchema,
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedReason: z.string().nullable(),
    replaces: z.string().nullable(),
    replacedBy: z.string().nullable(),
  })
  .openapi('Certificate')

const ReissueSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    candidateId: z.string().nullable(),
    state: z.enum(['pending', 'approved', 'rejected']),
    reason: z.string(),
    requestedBy: z.string(),
    requestedByName: z.string().nullable(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    newNumber: z.string().nullable(),
  })
  .openapi('CertificateReissue')

const KeySchema = z
  .object({
    keyId: z.string(),
    publicKey: z.string().openapi({ description: 'Ed25519 public key, base64' }),
    vkey: z.string(),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
    active: z.boolean(),
    liveCertificates: z.number(),
  })
  .openapi('CertificateKey')

export const PublicCertificateSchema = z
  .object({
    status: z.enum(['valid', 'revoked', 'unknown']),
    number: z.string(),
    holderName: z.string().optional().openapi({ description: 'partly masked: 张*, 李*明' }),
    occupationCode: z.string().optional(),
    occupationName: z.string().optional(),
    level: z.number().optional(),
    levelName: z.string().optional(),
    issuedOn: z.string().optional(),
    body: z.string().optional(),
    replaces: z.string().nullable().optional(),
    replacedBy: z.string().nullable().optional(),
    revokedOn: z.string().nullable().optional(),
  })
  .openapi('PublicCertificate')

// ---------- administrator: the body's number and the key ring ----------

export const getBody = route({
  method: 'get',
  path: '/api/certificates/body',
  access: READ,
  tags: ['certificates'],
  summary: 'The body part (positions 1–13) of certificate numbers, or null while not set (R8.2)',
  responses: {
    200: json(
      z.object({ config: BodyConfig.nullable(), prefix: z.string().nullable(), name: z.string(), nameSet: z.boolean() }),
      'The configuration; name is the default while nameSet is false',
    ),
    ...errors(401, 403),
  },
})

export const setBody = route({
  method: 'put',
  path: '/api/certificates/body',
  access: { roles: ['admin'] },
  tags: ['certificates'],
  summary: "Set the body part (positions 1–13) of certificate numbers and, optionally, the body's name; issued certificates keep theirs",
  request: jsonBody(BodyConfig.extend({ name: BodyName.optional() })),
  responses: { 200: json(z.object({ config: BodyConfig, prefix: z.string(), name: z.string() }), 'Set'), ...errors(400, 401, 403) },
})

export const listKeys = route({
  method: 'get',
  path: '/api/keys/certificates',
  access: { roles: ['admin', 'supervisor'] },
  tags: ['keys'],
  summary: 'The certificate key ring: every key, when made and retired, how many valid certificates each signed',
  responses: { 200: json(z.object({ keys: z.array(KeySchema) }), 'The ring, oldest first'), ...errors(401, 403) },
})

export const rotateKey = route({
  method: 'post',
  path: '/api/keys/certificates/rotate',
  access: { roles: ['admin'] },
  tags: ['keys'],
  summary: 'Rotate the certificate key: a new key signs new certificates; keys that signed valid ones stay published',
  responses: { 200: json(KeySchema, 'The new active key'), ...errors(401, 403) },
})

// ---------- registrar: approval, checklist, issuing ----------

export const checklist = route({
  method: 'get',
  path: '/api/batches/{id}/certificates',
  access: READ,
  tags: ['certificates'],
  summary: "A batch's certificate checklist: per approved candidate, every missing condition of R8.1 and the certificate once issued",
  request: { params: BatchParam },
  responses: {
    200: json(
      z.object({
        batch: z.object({
          id: z.string(),
          title: z.string(),
          occupationCode: z.string(),
          occupationName: z.string(),
          level: z.number(),
          levelName: z.string(),
        }),
        approval: z.object({ ref: z.string(), recordedBy: z.string(), recordedAt: z.string() }).nullable(),
        publication: z.object({ publishedOn: z.string(), lastDay: z.string() }).nullable(),
        bodyConfigured: z.boolean(),
        candidates: z.array(
          z.object({
            candidateId: z.string(),
            name: z.string().nullable(),
            maskedId: z.string().nullable(),
            missing: z.array(Refusal),
            certificate: z.object({ number: z.string(), status: z.enum(['valid', 'revoked']), issuedOn: z.string() }).nullable(),
          }),
        ),
      }),
      'The checklist',
    ),
    ...errors(401, 403, 404),
  },
})

export const recordApproval = route({
  method: 'put',
  path: '/api/batches/{id}/certificate-approval',
  access: MANAGE,
  tags: ['certificates'],
  summary: "Record (or change) the municipal centre's approval reference for the batch's results (R8.1)",
  request: { params: BatchParam, ...jsonBody(z.strictObject({ ref: z.string().max(200) })) },
  responses: { 200: json(z.object({ batchId: z.string(), ref: z.string() }), 'Recorded'), ...errors(400, 401, 403, 404) },
})

export const issue = route({
  method: 'post',
  path: '/api/batches/{id}/certificates',
  access: MANAGE,
  tags: ['certificates'],
  summary: 'Issue the certificate of one candidate (candidateId), or of every candidate whose conditions all hold (none given)',
  request: { params: BatchParam, ...jsonBody(z.strictObject({ candidateId: Id.optional() })) },
  responses: {
    200: json(
      z.object({
        issued: z.array(z.string()),
        skipped: z.array(z.object({ candidateId: z.string(), missing: z.array(Refusal) })),
        certificate: CertificateSchema.nullable(),
      }),
      'What was issued',
    ),
    ...errors(400, 401, 403, 404, 409),
  },
})

export const getOne = route({
  method: 'get',
  path: '/api/certificates/{number}',
  access: READ,
  tags: ['certificates'],
  summary: 'One certificate with its signed text',
  request: { params: NumberParam },
  responses: { 200: json(CertificateSchema, 'The certificate'), ...errors(401, 403, 404) },
})

export const print = route({
  method: 'get',
  path: '/api/certificates/{number}/print',
  access: MANAGE,
  tags: ['certificates'],
  summary: 'The printable A4 certificate with its QR (the public page /verify/{number} and the signed text)',
  request: { params: NumberParam },
  responses: { 200: HTML, ...errors(401, 403, 404) },
})

// ---------- reissue of a lost certificate (R8.3) ----------

export const requestReissue = route({
  method: 'post',
  path: '/api/certificates/{number}/reissue-requests',
  access: MANAGE,
  tags: ['certificates'],
  summary: "Record a holder's request to reissue a lost certificate, with the ID number they show (checked, not kept)",
  request: { params: NumberParam, ...jsonBody(z.strictObject({ residentId: z.string().min(1).max(40), reason: z.string().max(1000) })) },
  responses: { 201: json(ReissueSchema, 'Recorded, awaiting a second person'), ...errors(400, 401, 403, 404, 409) },
})

export const reissues = route({
  method: 'get',
  path: '/api/certificate-reissues',
  access: { roles: ['registrar', 'supervisor'] },
  tags: ['certificates'],
  summary: 'Reissue requests: pending first, then the latest decided',
  responses: { 200: json(z.object({ requests: z.array(ReissueSchema) }), 'The requests'), ...errors(401, 403) },
})

export const decideReissue = route({
  method: 'post',
  path: '/api/certificate-reissues/{id}/decision',
  access: DECIDE,
  tags: ['certificates'],
  summary: 'Approve (the old number is revoked, a new one issued) or reject a reissue request; never by the person who recorded it',
  request: { params: z.object({ id: Id }), ...jsonBody(z.strictObject({ approve: z.boolean(), note: z.string().max(500).optional() })) },
  responses: {
    200: json(z.object({ request: ReissueSchema, certificate: CertificateSchema.nullable() }), 'Decided'),
    ...errors(400, 401, 403, 404, 409),
  },
})

// ---------- public (R8.2): no login, rate limited per address ----------

export const verify = route({
  method: 'get',
  path: '/api/public/certificates/{number}',
  access: 'public',
  tags: ['public'],
  summary: "A certificate's status: valid, revoked (with the number that replaced it) or unknown; the holder's name partly masked",
  request: { params: NumberParam },
  responses: { 200: json(PublicCertificateSchema, 'The status'), ...errors(400, 429) },
})

export const publicKeys = route({
  method: 'get',
  path: '/api/public/certificate-keys',
  access: 'public',
  tags: ['public'],
  summary: 'The certificate keys a verifier needs (public halves): the active key and every key that signed a valid certificate',
  responses: {
    200: json(z.object({ keys: z.array(z.object({ keyId: z.string(), publicKey: z.string().openapi({ description: 'base64' }) })) }), 'The keys'),
  },
})

export const verifyText = route({
  method: 'post',
  path: '/api/public/certificates/verify',
  access: 'public',
  tags: ['public'],
  summary: "Check a certificate's QR (its URL or the bare CC1 text) against the published keys, and the number's status",
  request: jsonBody(z.strictObject({ qr: z.string().min(1).max(4096) })),
  responses: {
    200: json(
      z.object({
        signature: z.object({ ok: z.boolean(), code: z.string().nullable(), keyId: z.string().nullable() }),
        status: PublicCertificateSchema.nullable(),
      }),
      'The signature check and, when it verifies, the status',
    ),
    ...errors(400, 429),
  },
})
