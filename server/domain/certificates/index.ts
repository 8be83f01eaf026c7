// Certificates (R8.1–R8.3): the national number form, when a certificate may be issued, and the reissue of a
// lost one. The signed e-certificate's bytes live in crypto/ (crypto/_certificate.ts, docs/certificate-format.md).
export { CERTIFICATE_CODES, NUMBER_PARTS } from './_refusals.ts'
export type { CertificateCode, CertificateRefusal, NumberPart, SubjectResult } from './_refusals.ts'
export {
  BODY_CATEGORIES,
  CERTIFICATE_PROVINCES,
  MAX_SEQ,
  certificateNumber,
  certificateNumberPrefix,
  certificateSeq,
  parseCertificateNumber,
  validateBodyNumberConfig,
} from './_number.ts'
export type { BodyCategory, BodyNumberConfig, CertificateNumber } from './_number.ts'
export { decideIssue, issueConditions, normalResidentId } from './_issue.ts'
export type { CertificateDraft, IssueFacts } from './_issue.ts'
export { MAX_REISSUE_REASON, decideReissue, decideReissueRequest } from './_reissue.ts'
export type { CertificateRecord, ReissueRequest } from './_reissue.ts'
