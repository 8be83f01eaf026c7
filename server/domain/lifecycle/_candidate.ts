/**
 * Candidates: when registration is open (R2.3's "until when"), attachments (R3.1), the retake rule
 * (R7.3) and fee payment (R3.3). Review moves are in the CANDIDATE_MOVES table (_moves.ts).
 */
import { addMonths } from '../calendar/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import type { LifecycleError } from './_refusals.ts'
import type { Role } from '../accounts/index.ts'
import { moveCandidate, type CandidateAction } from './_moves.ts'
import type { Announcement, Batch, BatchStatus, CandidateStatus, CivilDate, Sitting, SubjectKind, SubjectResult } from './_types.ts'

/** Registration is open once the batch is announced, until the announcement's closing day (inclusive). */
export function decideRegistrationOpen(b: Batch, announcement: Announcement | null, today: CivilDate): Result<true, LifecycleError> {
  if (b.status !== 'announced' || announcement === null) return refuse({ code: 'registration.not_open', state: b.status })
  const until = announcement.content.registration.until
  if (today > until) return refuse({ code: 'registration.closed', until, today })
  return ok(true)
}

/**
 * What a candidate sits (R7.3): everything, or — after a partial pass — only the failed subjects.
 * A passed subject counts for 1 year (a retake on the anniversary is in time), and only one retake of a
 * failed subject is allowed within it.
 */

/** Review and withdrawal happen while the batch is announced or running; then the candidate table decides. */
export function decideCandidateMove(
  batch: BatchStatus,
  state: CandidateStatus,
  action: CandidateAction,
  roles: readonly Role[] | null,
  reason?: string,
): Result<CandidateStatus, LifecycleError> {
  if (batch !== 'announced' && batch !== 'in_progress') return refuse({ code: 'batch.wrong_state', state: batch, action })
  return moveCandidate(state, action, roles, reason)
}

/**
 * Decision (R7.3): a pass counts for a year from its exam (the same day a year later, 民法典 第202条); a subject's
 * latest pass is the one that counts. While some pass counts and some subject failed since the earliest of them
 * (the current round), the registration is a retake of the failed subjects, refused when one was already
 * retaken in this round (retake_used). When no pass counts any more, or nothing failed, the person registers
 * afresh for everything (a full sitting): a lapsed pass limits what it carries, not who may sit.
 */
export function assessRetake(
  history: readonly SubjectResult[],
  target: { occupationCode: string; level: number; examDate: CivilDate },
): Result<Sitting, LifecycleError> {
  const rows = history.filter((r) => r.occupationCode === target.occupationCode && r.level === target.level)
  const latest = new Map<SubjectKind, CivilDate>()
  for (const r of rows) if (r.passed && (latest.get(r.subjectKind) ?? '') < r.examDate) latest.set(r.subjectKind, r.examDate)
  const carried = [...latest].filter(([, on]) => target.examDate <= addMonths(on, 12))
  if (carried.length === 0) return ok({ kind: 'full' })
  const start = carried.map(([, on]) => on).sort()[0]!
  const round = rows.filter((r) => r.examDate >= start)
  const failed = [
    ...new Set(round.filter((r) => !r.passed && !round.some((p) => p.passed && p.subjectKind === r.subjectKind)).map((r) => r.subjectKind)),
  ].sort()
  if (failed.length === 0) return ok({ kind: 'full' })
  if (round.some((r) => failed.includes(r.subjectKind) && r.attempt >= 2)) return refuse({ code: 'registration.retake_not_allowed', reason: 'retake_used' })
  return ok({ kind: 'retake', subjects: failed, carried: carried.map(([k]) => k).sort() })
}

export const ATTACHMENT_KINDS = ['id_card', 'certificate', 'experience', 'report_form'] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]
export interface AttachmentInput {
  kind: AttachmentKind
  filename: string
  contentType: AttachmentType
  bytes: Uint8Array
}
export const ATTACHMENT_LIMITS = { count: 5, eachBytes: 2_000_000, totalBytes: 6_000_000 } as const

const MAGIC: Record<AttachmentType, readonly number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
}
// A file name shown back to staff and offered as a download name: no paths, no control characters.
const FILENAME = /^[^\\/:*?"<>|\p{Cc}]{1,100}$/u

/** R3.1 attachments (ID card copy, earlier certificates, proof of experience, the report form): kind, size, real type. */
export function checkAttachments(list: readonly AttachmentInput[]): Result<true, LifecycleError> {
  const bad = (index: number, message: string) => refuse<LifecycleError>({ code: 'registration.attachment_invalid', index, message })
  if (list.length > ATTACHMENT_LIMITS.count) return bad(ATTACHMENT_LIMITS.count, `at most ${ATTACHMENT_LIMITS.count} attachments`)
  let total = 0
  for (const [i, a] of list.entries()) {
    if (!FILENAME.test(a.filename) || a.filename.trim() !== a.filename || a.filename.startsWith('.'))
      return bad(i, 'the file name has path or control characters, or is too long')
    if (a.bytes.length === 0) return bad(i, 'the file is empty')
    if (a.bytes.length > ATTACHMENT_LIMITS.eachBytes) return bad(i, `larger than ${ATTACHMENT_LIMITS.eachBytes} bytes`)
    const magic = MAGIC[a.contentType]
    if (!magic.every((b, k) => a.bytes[k] === b)) return bad(i, `the content is not ${a.contentType}`)
    total += a.bytes.length
  }
  if (total > ATTACHMENT_LIMITS.totalBytes) return bad(list.length - 1, `together larger than ${ATTACHMENT_LIMITS.totalBytes} bytes`)
  return ok(true)
}

export interface PaymentCommand {
  invoiceNumber: string
  amountCents: number
  paidOn: CivilDate
}

/**
 * R3.3: the fee is paid after approval; the invoice (a unique number) is the voucher for the ticket.
 * `paidInvoice` is the candidate's recorded invoice, if any; `invoiceTaken` whether another payment has this number.
 */
export function decidePayment(
  status: CandidateStatus,
  paidInvoice: string | null,
  invoiceTaken: boolean,
  cmd: PaymentCommand,
  today: CivilDate,
): Result<PaymentCommand, LifecycleError> {
  if (status !== 'approved') return refuse({ code: 'fee.not_approved', state: status })
  if (paidInvoice !== null) return refuse({ code: 'fee.already_paid', invoiceNumber: paidInvoice })
  if (invoiceTaken) return refuse({ code: 'fee.invoice_taken', invoiceNumber: cmd.invoiceNumber })
  if (cmd.paidOn > today) return refuse({ code: 'fee.paid_on_future', paidOn: cmd.paidOn, today })
  return ok({ ...cmd, invoiceNumber: cmd.invoiceNumber.trim() })
}
