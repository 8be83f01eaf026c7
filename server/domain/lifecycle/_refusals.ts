/**
 * Every refusal of the lifecycle domain, as data with a stable code (STYLE.md). The HTTP error table
 * (server/http/lifecycle-errors.ts) is keyed by `LifecycleError['code']`, so a new code without a status
 * does not compile.
 */
import type { CalendarInvalid } from '../calendar/index.ts'
import type { FieldError, PhotoError } from '../registration/index.ts'
import type { BatchStatus, CandidateStatus, CivilDate, ExamSessionStatus } from './_types.ts'

/** A row of an import's error report (docs/import-format.md): row 0 = the file, column '' = the whole row. */
export interface ImportRowError {
  row: number
  column: string
  code: string
  message: string
  messageEn: string
}

/** R7.3: the one retake of a failed subject within the year is used (a lapsed pass is no refusal: a fresh full sitting). */
export type RetakeRefusalReason = 'retake_used'

export type LifecycleError =
  // occupations
  | { code: 'occupation.invalid'; field: string; message: string }
  | { code: 'occupation.exists'; occupationCode: string }
  | { code: 'occupation.not_found'; occupationCode: string }
  | { code: 'occupation.in_use'; subjects: string[]; levels: number[] }
  // calendar (R2.1 is counted in working days: the calendar is data an administrator imports)
  | CalendarInvalid
  | { code: 'calendar.year_mismatch'; year: number; bodyYear: number }
  // batches and their plans (R2.1, R2.2)
  | { code: 'batch.not_found'; id: string }
  | { code: 'batch.wrong_state'; state: BatchStatus; action: string }
  | { code: 'batch.role_not_allowed'; action: string; allowed: readonly string[] }
  | { code: 'plan.invalid'; field: string; message: string }
  | { code: 'plan.incomplete'; missing: string[] }
  | { code: 'plan.too_late'; filedOn: CivilDate; examDate: CivilDate; earliestExamDate: CivilDate; workingDays: number; provisional: boolean }
  | { code: 'plan.filed_on_future'; filedOn: CivilDate; today: CivilDate }
  | { code: 'plan.filed_on_unreferenced'; filedOn: CivilDate; today: CivilDate }
  | { code: 'plan.filed_on_before_plan'; filedOn: CivilDate; earliestDate: CivilDate }
  | { code: 'plan.exam_past'; examDate: CivilDate; today: CivilDate; earliestExamDate: CivilDate; provisional: boolean }
  // announcements (R2.3)
  | { code: 'announcement.too_late'; publishedOn: CivilDate; examDate: CivilDate; latestPublicationDate: CivilDate; earliestExamDate: CivilDate }
  | { code: 'announcement.incomplete'; missing: string[] }
  | { code: 'announcement.invalid'; field: string; message: string }
  | { code: 'announcement.published_on_future'; publishedOn: CivilDate; today: CivilDate }
  | { code: 'announcement.published_on_unreferenced'; publishedOn: CivilDate; today: CivilDate }
  | { code: 'announcement.published_on_before_plan'; publishedOn: CivilDate; earliestDate: CivilDate }
  | { code: 'announcement.not_found'; id: string }
  // venue and time changes (R4.4)
  | { code: 'session.not_found'; id: string }
  | { code: 'change.approval_required' }
  | { code: 'change.invalid'; field: string; message: string }
  | { code: 'change.session_not_scheduled'; status: ExamSessionStatus }
  // registration (R3.1, R7.3)
  | { code: 'registration.not_open'; state: BatchStatus }
  | { code: 'registration.closed'; until: CivilDate; today: CivilDate }
  | { code: 'registration.invalid'; errors: FieldError[] }
  | { code: 'registration.not_this_batch'; occupationCode: string; level: number }
  | { code: 'registration.duplicate' }
  | { code: 'registration.retake_not_allowed'; reason: RetakeRefusalReason }
  | { code: 'registration.photo_required' }
  | { code: 'registration.photo_invalid'; photo: PhotoError }
  | { code: 'registration.attachment_invalid'; index: number; message: string }
  | { code: 'import.invalid'; errors: ImportRowError[] }
  // review and fees (R3.2, R3.3)
  | { code: 'candidate.not_found'; id: string }
  | { code: 'candidate.wrong_state'; state: CandidateStatus; action: string }
  | { code: 'candidate.role_not_allowed'; action: string; allowed: readonly string[] }
  | { code: 'review.reason_required'; action: string }
  | { code: 'fee.not_approved'; state: CandidateStatus }
  | { code: 'fee.already_paid'; invoiceNumber: string }
  | { code: 'fee.invoice_taken'; invoiceNumber: string }
  | { code: 'fee.paid_on_future'; paidOn: CivilDate; today: CivilDate }

export type LifecycleCode = LifecycleError['code']
