import { z } from '@hono/zod-openapi'
import type { Announcement, Batch, ExamSession, LifecycleError, Occupation } from '../domain/lifecycle/index.ts'
import { LEVEL_NAMES, maskPhone, maskResidentId } from '../domain/registration/index.ts'
import type { BatchView, CandidateSummary, CandidateView } from '../services/lifecycle.ts'
import type { Ctx } from './_context.ts'
import { fail, refuse } from './_route.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const levelName = (l: number) => LEVEL_NAMES[l as 1 | 2 | 3 | 4 | 5] ?? String(l)

// ---- inputs -----------------------------------------------------------------------------------------

export const CivilDateSchema = z.iso.date().openapi({ example: '2026-10-12', description: 'A civil date in China Standard Time' })
export const InstantSchema = z.iso.datetime({ offset: true }).openapi({ example: '2026-10-12T09:00:00+08:00' })
export const LevelSchema = z.number().int().min(1).max(5).openapi({ description: '5 = 五级/初级工 … 1 = 一级/高级技师' })
const text = (max: number) => z.string().max(max)

export const OccupationBody = z
  .strictObject({
    code: text(32),
    name: text(100),
    hazardous: z.boolean().optional(),
    levels: z
      .array(
        z.strictObject({
          level: LevelSchema,
          conditions: text(4000).optional(),
          subjects: z
            .array(
              z.strictObject({
                id: text(64).optional(),
                kind: z.enum(['theory', 'practical', 'other']),
                name: text(100),
                passMark: z.number().int(),
                maxMark: z.number().int(),
              }),
            )
            .max(3),
        }),
      )
      .max(5),
  })
  .openapi('OccupationInput')

const PlanSessionBody = z.strictObject({ subjectId: text(64), startsAt: InstantSchema, endsAt: InstantSchema, siteId: text(64).nullable().optional() })
const planFields = {
  feeCents: z.number().int().min(0).optional(),
  place: text(400).nullable().optional(),
  method: text(1000).nullable().optional(),
  sessions: z.array(PlanSessionBody).max(50).optional(),
  candidates: z
    .strictObject({ scope: text(1000).optional(), expected: z.number().int().optional() })
    .nullable()
    .optional(),
  staffing: z
    .strictObject({ examiners: z.number().int().optional(), invigilators: z.number().int().optional(), supervisors: z.number().int().optional() })
    .nullable()
    .optional(),
}
export const BatchCreateBody = z
  .strictObject({
    title: text(200),
    occupationCode: text(32),
    level: LevelSchema,
    examStartDate: CivilDateSchema,
    examEndDate: CivilDateSchema,
    ...planFields,
  })
  .openapi('BatchCreate')
export const BatchPatchBody = z
  .strictObject({
    title: text(200).optional(),
    occupationCode: text(32).optional(),
    level: LevelSchema.optional(),
    examStartDate: CivilDateSchema.optional(),
    examEndDate: CivilDateSchema.optional(),
    ...planFields,
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change')
  .openapi('BatchPatch')

export type PlanSessionJson = z.infer<typeof PlanSessionBody>
/** API instants to epoch ms (the schema checked the format). */
export const planSessions = (s: PlanSessionJson[] | undefined) =>
  s?.map((x) => ({ subjectId: x.subjectId, startsAt: Date.parse(x.startsAt), endsAt: Date.parse(x.endsAt), siteId: x.siteId ?? null }))

/** A date a document gives for the act, other than the day it is recorded, with the document's reference (decision 007). */
const documentedFields = {
  documentedOn: CivilDateSchema.optional().openapi({
    description: "A different date a document gives (e.g. the centre's own filing date); never before the plan was created, never after today",
  }),
  documentReference: text(100).optional().openapi({ description: 'The reference number (文号) of the document that gives documentedOn; required with it' }),
}
export const FileBody = z
  .strictObject({
    centreReference: text(100).openapi({
      description: "The municipal centre's reference for the filing. The filing is recorded on today's date (R2.1 counts from it)",
    }),
    ...documentedFields,
  })
  .openapi('PlanFiling')
export const AnnouncementBody = z
  .strictObject({
    ...documentedFields,
    contentAndMethod: text(4000).optional(),
    registration: z.strictObject({ place: text(4000).optional(), until: CivilDateSchema.optional(), how: text(4000).optional() }).optional(),
    conditions: text(4000).optional(),
    fees: text(4000).optional(),
  })
  .openapi('AnnouncementInput')
export const SessionChangeBody = z
  .strictObject({
    startsAt: InstantSchema.optional(),
    endsAt: InstantSchema.optional(),
    siteId: text(64).nullable().optional(),
    approvalReference: text(100).optional(),
  })
  .openapi('SessionChange')
export const VenueChangeBody = z.strictObject({ place: text(400), approvalReference: text(100).optional() }).openapi('VenueChange')

const Base64Photo = z.base64().max(2_800_000).openapi({ description: 'JPEG or PNG, base64 (at most 2,000,000 bytes decoded)' })
export const RegistrationBody = z
  .strictObject({
    candidateNumber: text(64).optional(),
    name: text(100),
    residentId: text(40),
    gender: text(10).optional(),
    birthDate: text(40).optional(),
    phone: text(40).optional(),
    education: text(40).optional(),
    trainingUnit: text(200).optional(),
    occupationCode: text(32).optional(),
    occupationName: text(100).optional(),
    level: z.union([z.number().int(), text(20)]).optional(),
    workYears: z.union([z.number(), text(10)]).optional(),
    earlierCertificate: z
      .strictObject({
        number: text(80).optional(),
        occupation: text(100).optional(),
        level: z.union([z.number().int(), text(20)]).optional(),
        issuedOn: text(40).optional(),
      })
      .optional(),
    photoBase64: Base64Photo.optional(),
    attachments: z
      .array(
        z.strictObject({
          kind: z.enum(['id_card', 'certificate', 'experience', 'report_form']),
          filename: text(200),
          contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
          base64: z.base64().max(2_700_000),
        }),
      )
      .max(5)
      .optional(),
  })
  .openapi('DeskRegistration')
export const PhotoBody = z.strictObject({ photoBase64: Base64Photo }).openapi('CandidatePhoto')
export const MoveBody = z.strictObject({ action: z.enum(['approve', 'reject', 'withdraw', 'reopen']), reason: text(500).optional() }).openapi('CandidateMove')
export const PaymentBody = z
  .strictObject({
    invoiceNumber: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[0-9A-Za-z-]+$/, 'letters, digits and "-"'),
    amountCents: z.number().int().min(1).max(10_000_000),
    paidOn: CivilDateSchema,
  })
  .openapi('Payment')

export const bytesOf = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'))

// ---- outputs ----------------------------------------------------------------------------------------

const loose = z.record(z.string(), z.unknown())
export const OccupationSchema = loose.openapi('Occupation')
export const BatchSchema = loose.openapi('Batch')
export const CandidateSchema = loose.openapi('Candidate')
export const AnnouncementSchema = loose.openapi('Announcement')

export const occupationJson = (o: Occupation) => ({ ...o, levels: o.levels.map((l) => ({ ...l, levelName: levelName(l.level) })), createdAt: iso(o.createdAt) })

export const sessionJson = (s: ExamSession) => ({
  id: s.id,
  batchId: s.batchId,
  subjectId: s.subjectId,
  siteId: s.siteId,
  startsAt: iso(s.startsAt),
  endsAt: iso(s.endsAt),
  status: s.status,
})

export function batchJson(b: Batch, view?: Omit<BatchView, 'batch'>) {
  return {
    id: b.id,
    title: b.title,
    occupationCode: b.occupationCode,
    level: b.level,
    levelName: levelName(b.level),
    status: b.status,
    examStartDate: b.examStartDate,
    examEndDate: b.examEndDate,
    filedOn: b.filedOn,
    filedOnDocumented: b.filedOnDocumented,
    centreReference: b.centreReference,
    feeCents: b.feeCents,
    place: b.plan.place ?? null,
    method: b.plan.method ?? null,
    candidates: b.plan.candidates ?? null,
    staffing: b.plan.staffing ?? null,
    plannedSessions: b.plan.sessions.map((s) => ({ ...s, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) })),
    changes: b.plan.changes.map((c) => ({ ...c, at: iso(c.at) })),
    ...(view ? { sessions: view.sessions.map(sessionJson), announcementId: view.announcement?.id ?? null } : {}),
    createdAt: iso(b.createdAt),
    updatedAt: iso(b.updatedAt),
  }
}

/**
 * A candidate as the API shows them. `masked` (lists and every answer but the candidate's own view): the
 * resident ID and phone number masked and no birth date (it would restore the masked digits); `full`:
 * the candidate's own view for a registrar, which the service logs (decision 007).
 */
export function candidateJson(c: CandidateSummary | CandidateView, personalData: 'masked' | 'full' = 'masked') {
  const full = personalData === 'full'
  return {
    id: c.id,
    batchId: c.batchId,
    name: c.name,
    residentId: c.residentId === null ? null : full ? c.residentId : maskResidentId(c.residentId),
    gender: c.gender,
    ...(full && { birthDate: c.birthDate }),
    phone: c.phone === null ? null : full ? c.phone : maskPhone(c.phone),
    personalData,
    trainingUnit: c.trainingUnit,
    details: c.details,
    status: c.status,
    reviewReason: c.reviewReason,
    hasPhoto: c.hasPhoto,
    payment: c.payment ? { invoiceNumber: c.payment.invoice_number, amountCents: c.payment.amount_cents, paidOn: c.payment.paid_on } : null,
    ...('attachments' in c ? { attachments: c.attachments.map((a) => ({ ...a, createdAt: iso(a.createdAt) })) } : {}),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  }
}

/** The public announcement: the published text plus the plan's current subjects, times and places. */
export function announcementJson(a: Announcement, view: BatchView, occupation: Occupation) {
  const subjects = new Map(occupation.levels.flatMap((l) => l.subjects).map((s) => [s.id, s]))
  return {
    id: a.id,
    batchId: a.batchId,
    publishedOn: a.publishedOn,
    publishedOnDocumented: a.publishedOnDocumented,
    title: view.batch.title,
    filedOn: view.batch.filedOn,
    filedOnDocumented: view.batch.filedOnDocumented,
    occupation: { code: occupation.code, name: occupation.name },
    level: view.batch.level,
    levelName: levelName(view.batch.level),
    examStartDate: view.batch.examStartDate,
    examEndDate: view.batch.examEndDate,
    place: view.batch.plan.place ?? null,
    content: a.content,
    sessions: view.sessions.map((s) => ({
      ...sessionJson(s),
      subject: subjects.get(s.subjectId)?.name ?? '',
      kind: subjects.get(s.subjectId)?.kind ?? 'other',
    })),
    changes: view.batch.plan.changes.map((c) => ({ what: c.what, at: iso(c.at), approvalReference: c.approvalReference })),
  }
}

// ---- refusals ---------------------------------------------------------------------------------------

/** Scalar facts of a refusal for its log event (lists and nested values, which may quote a person's data, stay out). */
function scalars(e: object): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [k, v] of Object.entries(e)) {
    if (k === 'code' || k === 'method' || k === 'path') continue // the refusal event's own keys
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v))) out[k] = v
    else if (Array.isArray(v)) out[`${k}Count`] = v.length
  }
  return out
}

/** A lifecycle refusal: not-found is answered only; every other refusal is answered and logged. */
export function refused(c: Ctx, e: LifecycleError, action: string, subject?: { type: string; id: string }): Response {
  const { code, ...details } = e
  if (code.endsWith('.not_found')) return fail(c, code, details)
  return refuse(c, code, action, scalars(details), subject, details)
}
