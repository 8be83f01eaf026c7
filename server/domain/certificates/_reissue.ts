/**
 * Reissuing a lost certificate (R8.3): the holder asks with their ID number, a registrar records the request,
 * a second person approves; the old number is revoked and a new one issued, naming the old one.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { civilDateOf } from '../calendar/index.ts'
import type { Instant } from '../lifecycle/index.ts'
import type { Level } from '../registration/index.ts'
import { type CertificateDraft, normalResidentId } from './_issue.ts'
import type { CertificateRefusal } from './_refusals.ts'

export const MAX_REISSUE_REASON = 500

/** An issued certificate as the store holds it. */
export interface CertificateRecord {
  number: string
  candidateId: string
  status: 'valid' | 'revoked'
  /** Null once personal data is erased. */
  holderName: string | null
  residentId: string | null
  maskedId: string
  occupationCode: string
  occupationName: string
  level: Level
  batchRef: string
}

export interface ReissueRequest {
  id: string
  number: string
  state: 'pending' | 'approved' | 'rejected'
  requestedBy: string
  requestedAt: Instant
  reason: string
}

/**
 * Records a holder's request: the certificate must be valid and the ID number given must be its holder's.
 * The refusal for a wrong ID number says only that it does not match.
 */
export function decideReissueRequest(
  cert: CertificateRecord | null,
  number: string,
  cmd: { id: string; residentId: string; reason: string; requestedBy: string },
  now: Instant,
): Result<ReissueRequest, CertificateRefusal> {
  if (!cert) return refuse({ code: 'certificate.not_found', number })
  if (cert.status !== 'valid') return refuse({ code: 'certificate.revoked', number })
  if (cert.residentId === null || normalResidentId(cert.residentId) !== normalResidentId(cmd.residentId))
    return refuse({ code: 'certificate.holder_mismatch', number })
  const reason = cmd.reason.trim()
  if (reason === '' || reason.length > MAX_REISSUE_REASON) return refuse({ code: 'certificate.reason_required' })
  return ok({ id: cmd.id, number, state: 'pending', requestedBy: cmd.requestedBy, requestedAt: now, reason })
}

/**
 * The second person's approval: another user than the requester, the request still pending, the certificate
 * still valid. Answers the number to revoke and the new certificate's draft, which names the old number.
 */
export function decideReissue(
  request: ReissueRequest,
  cert: CertificateRecord | null,
  approvedBy: string,
  now: Instant,
): Result<{ revoke: string; approvedBy: string; requestedBy: string; draft: CertificateDraft }, CertificateRefusal> {
  if (request.state !== 'pending') return refuse({ code: 'certificate.reissue_not_pending', requestId: request.id, state: request.state })
  if (approvedBy === request.requestedBy) return refuse({ code: 'certificate.same_person', requestId: request.id, userId: approvedBy })
  if (!cert || cert.number !== request.number) return refuse({ code: 'certificate.not_found', number: request.number })
  if (cert.status !== 'valid') return refuse({ code: 'certificate.revoked', number: cert.number })
  if (cert.holderName === null || cert.residentId === null) return refuse({ code: 'certificate.holder_data_missing', candidateId: cert.candidateId })
  const issuedOn = civilDateOf(now)
  return ok({
    revoke: cert.number,
    approvedBy,
    requestedBy: request.requestedBy,
    draft: {
      candidateId: cert.candidateId,
      holderName: cert.holderName,
      maskedId: cert.maskedId,
      occupationCode: cert.occupationCode,
      occupationName: cert.occupationName,
      level: cert.level,
      issuedOn,
      year: Number(issuedOn.slice(0, 4)),
      batchRef: cert.batchRef,
      replaces: cert.number,
    },
  })
}
