/**
 * The exam lifecycle's records: occupations with levels and subjects, batch plans
 * (认定计划, R2.1/R2.2), their exam sessions, announcements (公告, R2.3) and candidates (R3.1–R3.3).
 * Times are epoch milliseconds; civil dates are 'YYYY-MM-DD' in China Standard Time.
 */
import type { CivilDate } from '../calendar/index.ts'
import type { EarlierCertificate, Gender, Level } from '../registration/index.ts'

export type { CivilDate, Level }
/** Epoch milliseconds. */
export type Instant = number

export const SUBJECT_KINDS = ['theory', 'practical', 'other'] as const
export type SubjectKind = (typeof SUBJECT_KINDS)[number]

/** One examined subject of an occupation at a level, with its marks. */
export interface Subject {
  id: string
  kind: SubjectKind
  name: string
  passMark: number
  maxMark: number
}

/** A level (5 = 五级 … 1 = 一级) the body certifies, its eligibility conditions (R3.2) and subjects. */
export interface OccupationLevel {
  level: Level
  conditions: string
  subjects: Subject[]
}

/** 职业/工种. `hazardous` marks practical exams with physical hazards (R6.5). */
export interface Occupation {
  code: string
  name: string
  hazardous: boolean
  levels: OccupationLevel[]
  createdAt: Instant
}

/** One sitting in the plan's session arrangement (R2.2): which subject, when, where (a site of the rooms module, or not yet). */
export interface PlanSession {
  subjectId: string
  startsAt: Instant
  endsAt: Instant
  siteId: string | null
}

/** An approved change of venue or time (R4.4), kept with the plan so the announcement page can list it. */
export interface ChangeRecord {
  at: Instant
  what: 'session' | 'venue'
  sessionId?: string
  old: Record<string, string | number | null>
  new: Record<string, string | number | null>
  approvalReference: string
}

/** The R2.2 fields beyond occupation, level and dates. Optional while the plan is a draft; filing needs them all. */
export interface Plan {
  place?: string
  sessions: PlanSession[]
  method?: string
  candidates?: { scope?: string; expected?: number }
  staffing?: { examiners?: number; invigilators?: number; supervisors?: number }
  changes: ChangeRecord[]
}

export const BATCH_STATUSES = ['draft', 'filed', 'announced', 'in_progress', 'completed', 'results_published'] as const
export type BatchStatus = (typeof BATCH_STATUSES)[number]

/** A date a document states for an act (the centre's own filing date ...), and the document's reference (文号). */
export interface DocumentedDate {
  date: CivilDate
  reference: string
}

export interface Batch {
  id: string
  title: string
  occupationCode: string
  level: Level
  status: BatchStatus
  plan: Plan
  examStartDate: CivilDate
  examEndDate: CivilDate
  /** The server's date when the filing was recorded (R2.1 counts from it); null while a draft. */
  filedOn: CivilDate | null
  /** A different filing date the centre's documents give, with their reference; shown beside filedOn, never counted. */
  filedOnDocumented: DocumentedDate | null
  centreReference: string | null
  feeCents: number
  createdAt: Instant
  updatedAt: Instant
}

export type ExamSessionStatus = 'scheduled' | 'suspended' | 'completed'

/** A row of exam_sessions: one sitting created from the filed plan. */
export interface ExamSession {
  id: string
  batchId: string
  subjectId: string
  siteId: string | null
  startsAt: Instant
  endsAt: Instant
  status: ExamSessionStatus
  createdAt: Instant
  updatedAt: Instant
}

/** What the announcement (R2.3) says beyond what the plan already fixes (occupation, level, subjects, times, places). */
export interface AnnouncementContent {
  /** 认定内容、认定方式和方法 */
  contentAndMethod: string
  /** 报名地点、时限、手续 */
  registration: { place: string; until: CivilDate; how: string }
  /** 申报条件 */
  conditions: string
  /** 收费项目和收费标准 */
  fees: string
}

/**
 * `publishedOn` is the server's date when the publication was recorded (R2.3 counts from it);
 * `publishedOnDocumented` a different publication date a document gives, shown beside it.
 */
export interface Announcement {
  id: string
  batchId: string
  publishedOn: CivilDate
  publishedOnDocumented: DocumentedDate | null
  content: AnnouncementContent
  createdAt: Instant
}

export const CANDIDATE_STATUSES = ['registered', 'approved', 'rejected', 'withdrawn'] as const
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number]

/** An earlier result of one subject (R7.3), found by the salted resident-ID hash. */
export interface SubjectResult {
  occupationCode: string
  level: number
  subjectKind: SubjectKind
  examDate: CivilDate
  passed: boolean
  attempt: number
}

/**
 * What a candidate sits (R7.3): everything, or, after a partial pass, only the failed subjects. A passed
 * subject counts for 1 year (a retake on the anniversary is in time); one retake of a failed subject.
 */
export type Sitting = { kind: 'full' } | { kind: 'retake'; subjects: SubjectKind[]; carried: SubjectKind[] }

/** The registration details kept as JSON beside the candidate's identity. */
export interface CandidateDetails {
  candidateNumber?: string
  education?: string
  workYears?: number
  occupationName?: string
  earlierCertificate?: EarlierCertificate
  sitting: Sitting
  source: 'desk' | 'import'
}

/**
 * A registered candidate (考生). Personal data lives only here (never in the custody log, which names the
 * candidate by id and `residentIdHash`); after erasure (PIPL) the personal fields are null.
 */
export interface Candidate {
  id: string
  batchId: string
  name: string | null
  residentId: string | null
  residentIdHash: string
  gender: Gender | null
  birthDate: CivilDate | null
  phone: string | null
  trainingUnit: string | null
  details: CandidateDetails
  photoType: string | null
  status: CandidateStatus
  reviewReason: string | null
  erasedAt: Instant | null
  createdAt: Instant
  updatedAt: Instant
}
