/**
 * The exam lifecycle: occupations, batch plans and their filing (R2.1, R2.2),
 * announcements (R2.3), venue and time changes (R4.4), registration, review and fees (R3.1–R3.3) and the
 * retake rule (R7.3). Pure: the calendar, today and ids are passed in.
 */
export type {
  Announcement,
  AnnouncementContent,
  Batch,
  DocumentedDate,
  Candidate,
  CandidateDetails,
  BatchStatus,
  CandidateStatus,
  ChangeRecord,
  CivilDate,
  ExamSession,
  ExamSessionStatus,
  Instant,
  Level,
  Occupation,
  OccupationLevel,
  Plan,
  PlanSession,
  Sitting,
  Subject,
  SubjectKind,
  SubjectResult,
} from './_types.ts'
export { BATCH_STATUSES, CANDIDATE_STATUSES, SUBJECT_KINDS } from './_types.ts'
export type { ImportRowError, LifecycleCode, LifecycleError, RetakeRefusalReason } from './_refusals.ts'
export { BATCH_MOVES, CANDIDATE_MOVES, moveBatch, moveCandidate } from './_moves.ts'
export type { BatchAction, CandidateAction } from './_moves.ts'
export { catalogueOf, decideOccupationUpdate, subjectsOf, validateOccupation } from './_occupation.ts'
export type { OccupationInput } from './_occupation.ts'
export { decideDraft, decideFile, latestFilingDate, missingPlanFields, sessionsFromPlan } from './_plan.ts'
export type { DraftContext, FileCommand, FileContext, PlanInput } from './_plan.ts'
export { decideAnnouncement, earliestExamAfterAnnouncement, feeText, occupationTitle } from './_announcement.ts'
export type { AnnouncementContext, AnnouncementInput } from './_announcement.ts'
export { decideSessionChange, decideVenueChange } from './_change.ts'
export type { ChangeContext, SessionChange } from './_change.ts'
export {
  ATTACHMENT_KINDS,
  ATTACHMENT_LIMITS,
  ATTACHMENT_TYPES,
  assessRetake,
  checkAttachments,
  decideCandidateMove,
  decidePayment,
  decideRegistrationOpen,
} from './_candidate.ts'
export type { AttachmentInput, AttachmentKind, AttachmentType, PaymentCommand } from './_candidate.ts'
export { decideDeskRegistration, decideSitting, forThisBatch, importCatalogue, importRowRefusal, notThisBatch } from './_batch-registration.ts'
export type { DeskForm } from './_batch-registration.ts'
export { documentedDate } from './_recorded.ts'
export type { DocumentedInput, DocumentedProblem } from './_recorded.ts'
export { deadline } from './_deadlines.ts'
export type { Deadline, DeadlineQuery } from './_deadlines.ts'
