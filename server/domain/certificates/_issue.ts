/**
 * Issuing a certificate (R8.1): only for results that are passed in every subject, published, past their
 * publication period without an open review, and approved by the municipal centre for the batch.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { civilDateOf } from '../calendar/index.ts'
import type { CivilDate, Instant } from '../lifecycle/index.ts'
import { type Level, maskResidentId } from '../registration/index.ts'
import type { CertificateRefusal, SubjectResult } from './_refusals.ts'

/** What the issuing rule needs to know, gathered by the caller. */
export interface IssueFacts {
  /** Name and ID number null once personal data is erased: no certificate can carry a name that is gone. */
  candidate: { id: string; name: string | null; residentId: string | null }
  batch: {
    id: string
    /**
     * Null until results are published; `lastDay` is the last day (CST) of the publication period R7.2 requires
     * (results/ earliestPublicationEnd: the 5th working day after publication). The period is over the day after.
     */
    publication: { publishedOn: CivilDate; lastDay: CivilDate } | null
    /** The municipal centre's approval reference for the batch's results, or null while not recorded. */
    approvalRef: string | null
  }
  occupation: { code: string; name: string }
  level: Level
  /** Every subject the occupation's level requires, with the result that counts for it (a passed subject stays valid 1 year, R7.3). */
  subjects: Array<{ subjectId: string; result: SubjectResult }>
  /** Reviews (R7.3) of this candidate's results not yet closed. */
  openReviewIds: string[]
  /** The candidate's live certificate for this batch, if one was issued. */
  live: { number: string } | null
}

/** Everything a certificate says except its number and the body's name (the service adds both). */
export interface CertificateDraft {
  candidateId: string
  holderName: string
  /** '5001**********0015' (decision 007's mask): the certificate never carries the full number. */
  maskedId: string
  occupationCode: string
  occupationName: string
  level: Level
  /** China Standard Time. */
  issuedOn: CivilDate
  /** The issuing year (positions 14–15 of the number). */
  year: number
  batchRef: string
  replaces: string | null
}

/**
 * Every unmet condition of R8.1, in a fixed order (holder, subjects, publication, reviews, approval): the
 * checklist a batch page shows per candidate. Empty when a certificate may be issued.
 */
export function issueConditions(f: IssueFacts, now: Instant): CertificateRefusal[] {
  const missing: CertificateRefusal[] = []
  const candidateId = f.candidate.id
  if (f.candidate.name === null || f.candidate.residentId === null) missing.push({ code: 'certificate.holder_data_missing', candidateId })
  if (f.subjects.length === 0) missing.push({ code: 'certificate.no_subjects', candidateId })
  const notPassed = f.subjects.filter((s) => s.result !== 'passed')
  if (notPassed.length > 0)
    missing.push({ code: 'certificate.subject_not_passed', candidateId, subjects: notPassed.map((s) => ({ subjectId: s.subjectId, result: s.result })) })
  if (f.batch.publication === null) missing.push({ code: 'certificate.results_not_published', batchId: f.batch.id })
  else if (civilDateOf(now) <= f.batch.publication.lastDay)
    missing.push({ code: 'certificate.publication_not_over', batchId: f.batch.id, lastDay: f.batch.publication.lastDay, today: civilDateOf(now) })
  if (f.openReviewIds.length > 0) missing.push({ code: 'certificate.review_open', candidateId, reviewIds: [...f.openReviewIds] })
  if (f.batch.approvalRef === null || f.batch.approvalRef.trim() === '') missing.push({ code: 'certificate.approval_missing', batchId: f.batch.id })
  return missing
}

/**
 * Whether a certificate may be issued now; a refusal names the first missing condition (issueConditions
 * lists them all). `decideIssue(facts, now)` → ok(draft) or refuse({ code: 'certificate.review_open', … })
 */
export function decideIssue(f: IssueFacts, now: Instant): Result<CertificateDraft, CertificateRefusal> {
  if (f.live) return refuse({ code: 'certificate.already_issued', candidateId: f.candidate.id, number: f.live.number })
  const missing = issueConditions(f, now)
  if (missing.length > 0) return refuse(missing[0]!)
  const issuedOn = civilDateOf(now)
  return ok({
    candidateId: f.candidate.id,
    holderName: f.candidate.name!.normalize('NFC').trim(),
    maskedId: maskResidentId(normalResidentId(f.candidate.residentId!)),
    occupationCode: f.occupation.code,
    occupationName: f.occupation.name,
    level: f.level,
    issuedOn,
    year: Number(issuedOn.slice(0, 4)),
    batchRef: f.batch.approvalRef!.trim(),
    replaces: null,
  })
}

/** An ID number as stored or typed, compared without spaces, full-width digits or a lower-case x. */
export const normalResidentId = (raw: string): string => raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
