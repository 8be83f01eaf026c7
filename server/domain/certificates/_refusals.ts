/**
 * Every refusal of the certificates domain (R8.1–R8.3), as data with a stable code. An HTTP error table keyed
 * by `CertificateCode` makes a new code without a status fail to compile.
 */
import type { CivilDate } from '../lifecycle/index.ts'

/** The parts of a certificate number (R8.2) and the positions (1-based) they take. */
export const NUMBER_PARTS = {
  category: [1, 1],
  ministryCode: [2, 5],
  provinceCode: [6, 7],
  sequenceCode: [8, 13],
  year: [14, 15],
  level: [16, 16],
  seq: [17, 22],
} as const
export type NumberPart = keyof typeof NUMBER_PARTS | 'length'

/** Which subject result stands in the way of a certificate. */
export type SubjectResult = 'passed' | 'failed' | 'absent' | 'disqualified' | 'pending'

export type CertificateRefusal =
  // the number (R8.2): `position` is the first character that is wrong (23: one too many)
  | { code: 'certificate.number_invalid'; part: NumberPart; position: number; reason: string }
  | { code: 'certificate.body_config_invalid'; part: 'category' | 'ministryCode' | 'provinceCode' | 'sequenceCode'; position: number; reason: string }
  | { code: 'certificate.sequence_exhausted'; prefix: string }
  // issuing (R8.1): each names the missing condition
  | { code: 'certificate.holder_data_missing'; candidateId: string }
  | { code: 'certificate.no_subjects'; candidateId: string }
  | { code: 'certificate.subject_not_passed'; candidateId: string; subjects: Array<{ subjectId: string; result: SubjectResult }> }
  | { code: 'certificate.results_not_published'; batchId: string }
  | { code: 'certificate.publication_not_over'; batchId: string; lastDay: CivilDate; today: CivilDate }
  | { code: 'certificate.review_open'; candidateId: string; reviewIds: string[] }
  | { code: 'certificate.approval_missing'; batchId: string }
  | { code: 'certificate.already_issued'; candidateId: string; number: string }
  // reissue (R8.3)
  | { code: 'certificate.not_found'; number: string }
  | { code: 'certificate.revoked'; number: string }
  | { code: 'certificate.holder_mismatch'; number: string }
  | { code: 'certificate.reason_required' }
  | { code: 'certificate.reissue_not_pending'; requestId: string; state: string }
  | { code: 'certificate.same_person'; requestId: string; userId: string }

export type CertificateCode = CertificateRefusal['code']

/** Every code, for tables that must name them all (HTTP status, zh/en messages). */
export const CERTIFICATE_CODES = [
  'certificate.number_invalid',
  'certificate.body_config_invalid',
  'certificate.sequence_exhausted',
  'certificate.holder_data_missing',
  'certificate.no_subjects',
  'certificate.subject_not_passed',
  'certificate.results_not_published',
  'certificate.publication_not_over',
  'certificate.review_open',
  'certificate.approval_missing',
  'certificate.already_issued',
  'certificate.not_found',
  'certificate.revoked',
  'certificate.holder_mismatch',
  'certificate.reason_required',
  'certificate.reissue_not_pending',
  'certificate.same_person',
] as const satisfies readonly CertificateCode[]
