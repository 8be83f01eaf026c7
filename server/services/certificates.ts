import type { Database } from 'bun:sqlite'
import { randomUUID } from 'node:crypto'
import { type CertificatePayload, signCertificate, verifyCertificateRing } from '../../crypto/index.ts'
import { FailureThrottle, type RateLimitPolicy } from '../auth/_rate-limit.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import { civilDateOf } from '../domain/calendar/index.ts'
import {
  type BodyNumberConfig,
  type CertificateDraft,
  type CertificateRecord,
  type CertificateRefusal,
  type IssueFacts,
  type ReissueRequest,
  certificateNumber,
  decideIssue,
  decideReissue,
  decideReissueRequest,
  issueConditions,
  parseCertificateNumber,
  validateBodyNumberConfig,
} from '../domain/certificates/index.ts'
import { LEVEL_NAMES, type Level, maskResidentId } from '../domain/registration/index.ts'
import type { CertificateStore, StoredCertificate, StoredReissue } from '../db/certificate-store.ts'
import { type Person, domainActor } from './_acting.ts'
import type { CertificateKeys } from './certificate-keys.ts'
import type { CustodyLog } from './custody-log.ts'

/** What the certificates service reads of batches, candidates and published results (the lead wires it). */
export interface CertificateSources {
  batch(batchId: string): { id: string; title: string; occupationCode: string; occupationName: string; level: number; examEndDate: string } | null
  /** Approved candidates of the batch. */
  candidates(batchId: string): Array<{ id: string; name: string | null; residentId: string | null }>
  candidate(candidateId: string): { id: string; batchId: string; name: string | null; residentId: string | null } | null
  /** From the published results. */
  subjects(batchId: string, candidateId: string): Array<{ subjectId: string; result: 'passed' | 'failed' | 'absent' | 'disqualified' | 'pending' }>
  publication(batchId: string): { publishedOn: string; lastDay: string } | null
  openReviewIds(batchId: string, candidateId: string): string[]
  /** The evaluating body's name as set (settings.body_name, shared with admission tickets); null while not set. */
  bodyName?(): string | null
  /** Writes the body's name (settings.body_name); called inside the change's transaction, which logs it. */
  saveBodyName?(name: string): void
}

export const DEFAULT_CERTIFICATE_BODY = '职业技能等级评价机构'
export const MAX_APPROVAL_REF = 100
/** The body's name as printed on certificates and tickets: 2–60 characters, no control characters. */
export const MAX_BODY_NAME = 60
/** Public lookups per address (R8.2: "reveals no more than needed"; numbers are sequential, so guessing is slowed). */
export const PUBLIC_LOOKUP_POLICY: RateLimitPolicy = { max: 30, windowMs: 60_000 }

export type CertificatesServiceCode =
  | 'certificate.not_allowed_for_role'
  | 'certificate.batch_not_found'
  | 'certificate.candidate_not_found'
  | 'certificate.body_not_configured'
  | 'certificate.approval_ref_invalid'
  | 'certificate.body_name_invalid'
  | 'certificate.reissue_not_found'
export type CertificatesError =
  | CertificateRefusal
  | { code: 'certificate.not_allowed_for_role' }
  | { code: 'certificate.batch_not_found'; batchId: string }
  | { code: 'certificate.candidate_not_found'; candidateId: string }
  | { code: 'certificate.body_not_configured' }
  | { code: 'certificate.approval_ref_invalid' }
  | { code: 'certificate.body_name_invalid' }
  | { code: 'certificate.reissue_not_found'; requestId: string }

/** A certificate as staff pages show it. */
export interface CertificateView {
  number: string
  status: 'valid' | 'revoked'
  candidateId: string
  batchId: string
  keyId: string
  text: string
  payload: CertificatePayload
  issuedAt: number
  revokedAt: number | null
  revokedReason: string | null
  replaces: string | null
  replacedBy: string | null
}

/** What anyone may learn of a number (R8.2): the name partly masked, no ID number (the QR's holder sees its visible part offline). */
export type PublicCertificate =
  | { status: 'unknown'; number: string }
  | {
      status: 'valid' | 'revoked'
      number: string
      holderName: string
      occupationCode: string
      occupationName: string
      level: Level
      levelName: string
      issuedOn: string
      body: string
      replaces: string | null
      replacedBy: string | null
      revokedOn: string | null
    }

export interface ChecklistRow {
  candidateId: string
  name: string | null
  maskedId: string | null
  /** Every unmet condition of R8.1, in the domain's order; empty: a certificate may be issued. */
  missing: CertificateRefusal[]
  certificate: { number: string; status: 'valid' | 'revoked'; issuedOn: string } | null
}

export interface Checklist {
  batch: { id: string; title: string; occupationCode: string; occupationName: string; level: number; levelName: string }
  approval: { ref: string; recordedBy: string; recordedAt: number } | null
  publication: { publishedOn: string; lastDay: string } | null
  bodyConfigured: boolean
  candidates: ChecklistRow[]
}

export interface ReissueView extends StoredReissue {
  candidateId: string | null
}

/**
 * Certificates (R8.1–R8.3): the body's number, the municipal centre's approval per batch, the checklist, issuing
 * signed e-certificates, the two-person reissue of a lost one, and the public verification. Each change and its
 * log event are one transaction.
 */
export class Certificates {
  private readonly lookups = new FailureThrottle(PUBLIC_LOOKUP_POLICY)

  constructor(
    private readonly db: Database,
    private readonly store: CertificateStore,
    private readonly keys: CertificateKeys,
    private readonly sources: CertificateSources,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
  ) {}

  /** The key ring (the admin page lists and rotates it). */
  get ring(): CertificateKeys {
    return this.keys
  }

  // ---------- the body's number (positions 1–13, R8.2) ----------

  bodyConfig(): (BodyNumberConfig & { updatedBy: string; updatedAt: number }) | null {
    return this.store.body()
  }

  /** The body's name as certificates print it now, and whether an administrator set it (else the default). */
  bodyNameState(): { name: string; set: boolean } {
    const set = this.sources.bodyName?.()?.trim() || null
    return { name: set ?? DEFAULT_CERTIFICATE_BODY, set: set !== null }
  }

  /**
   * Sets positions 1–13 (admin) and, when given, the body's name printed on certificates and admission tickets.
   * Numbers already issued keep theirs; certificates already signed keep the name they were signed with. One event.
   */
  setBodyConfig(caller: Person, input: BodyNumberConfig & { name?: string }): Result<BodyNumberConfig & { name: string }, CertificatesError> {
    if (!has(caller, 'admin')) return refuse({ code: 'certificate.not_allowed_for_role' })
    const { name: rawName, ...config } = input
    const v = validateBodyNumberConfig(config)
    if (!v.ok) return v
    const name = rawName === undefined ? undefined : rawName.normalize('NFC').trim()
    if (name !== undefined && (name.length < 2 || name.length > MAX_BODY_NAME || /\p{Cc}/u.test(name) || !this.sources.saveBodyName))
      return refuse({ code: 'certificate.body_name_invalid' })
    const previous = this.store.body()
    const previousName = this.bodyNameState()
    const nameChange = name !== undefined && (name !== previousName.name || !previousName.set) ? name : undefined
    this.db
      .transaction(() => {
        this.store.setBody(v.value, caller.user, this.clock())
        if (nameChange !== undefined) this.sources.saveBodyName!(nameChange)
        this.log.append({
          actor: caller,
          action: 'certificate.body_config_set',
          subject: { type: 'certificate_body', id: 'body' },
          data: {
            prefix: prefixOf(v.value),
            previous: previous ? prefixOf(previous) : null,
            ...(nameChange !== undefined ? { name: nameChange, previousName: previousName.set ? previousName.name : null } : {}),
          },
        })
      })
      .immediate()
    return ok({ ...v.value, name: this.bodyNameState().name })
  }

  // ---------- the municipal centre's approval (R8.1) ----------

  /** Records or changes the approval reference of a batch's results (registrar); a change names the previous one. */
  recordApproval(caller: Person, batchId: string, ref: string): Result<{ batchId: string; ref: string }, CertificatesError> {
    if (!has(caller, 'registrar')) return refuse({ code: 'certificate.not_allowed_for_role' })
    if (!this.sources.batch(batchId)) return refuse({ code: 'certificate.batch_not_found', batchId })
    const clean = ref.normalize('NFC').trim()
    if (clean === '' || clean.length > MAX_APPROVAL_REF || /\p{Cc}/u.test(clean)) return refuse({ code: 'certificate.approval_ref_invalid' })
    const previous = this.store.approval(batchId)
    if (previous?.ref === clean) return ok({ batchId, ref: clean })
    this.db
      .transaction(() => {
        this.store.setApproval(batchId, clean, caller.user, this.clock())
        this.log.append({
          actor: caller,
          action: previous ? 'certificate.approval_changed' : 'certificate.approval_recorded',
          subject: { type: 'batch', id: batchId },
          data: { ref: clean, previous: previous?.ref ?? null },
        })
      })
      .immediate()
    return ok({ batchId, ref: clean })
  }

  // ---------- the checklist and issuing (R8.1, R8.2) ----------

  private facts(batch: NonNullable<ReturnType<CertificateSources['batch']>>, c: { id: string; name: string | null; residentId: string | null }): IssueFacts {
    const live = this.store.ofBatch(batch.id).find((x) => x.candidateId === c.id && x.status === 'valid')
    return {
      candidate: c,
      batch: { id: batch.id, publication: this.sources.publication(batch.id), approvalRef: this.store.approval(batch.id)?.ref ?? null },
      occupation: { code: batch.occupationCode, name: batch.occupationName },
      level: batch.level as Level,
      subjects: this.sources.subjects(batch.id, c.id),
      openReviewIds: this.sources.openReviewIds(batch.id, c.id),
      live: live ? { number: live.number } : null,
    }
  }

  /** Per approved candidate: what still stands in the way of a certificate, and the certificate once issued. */
  checklist(batchId: string): Checklist | null {
    const batch = this.sources.batch(batchId)
    if (!batch) return null
    const now = this.clock()
    const certs = this.store.ofBatch(batchId)
    const rows = this.sources.candidates(batchId).map((c): ChecklistRow => {
      const mine = certs.filter((x) => x.candidateId === c.id)
      const cert = mine.find((x) => x.status === 'valid') ?? mine[mine.length - 1] ?? null
      return {
        candidateId: c.id,
        name: c.name,
        maskedId: c.residentId ? maskResidentId(c.residentId) : null,
        missing: issueConditions(this.facts(batch, c), now),
        certificate: cert ? { number: cert.number, status: cert.status, issuedOn: cert.issuedOn } : null,
      }
    })
    return {
      batch: { ...batchView(batch) },
      approval: this.store.approval(batchId),
      publication: this.sources.publication(batchId),
      bodyConfigured: this.store.body() !== null,
      candidates: rows,
    }
  }

  /** Issues one candidate's certificate (registrar): only when every condition of R8.1 holds; a refusal names the first one missing. */
  issue(caller: Person, batchId: string, candidateId: string): Result<CertificateView, CertificatesError> {
    if (!has(caller, 'registrar')) return refuse({ code: 'certificate.not_allowed_for_role' })
    const batch = this.sources.batch(batchId)
    if (!batch) return refuse({ code: 'certificate.batch_not_found', batchId })
    const c = this.sources.candidates(batchId).find((x) => x.id === candidateId)
    if (!c) return refuse({ code: 'certificate.candidate_not_found', candidateId })
    const config = this.store.body()
    if (!config) return refuse({ code: 'certificate.body_not_configured' })
    const r = this.db
      .transaction(() => {
        const draft = decideIssue(this.facts(batch, c), this.clock())
        if (!draft.ok) return draft
        return this.sign(caller, batchId, config, draft.value)
      })
      .immediate()
    return r.ok ? ok(this.view(this.store.certificate(r.value)!)) : r
  }

  /** Issues every candidate of the batch whose conditions all hold; the others are listed with what they miss. */
  issueAll(
    caller: Person,
    batchId: string,
  ): Result<{ issued: string[]; skipped: Array<{ candidateId: string; missing: CertificateRefusal[] }> }, CertificatesError> {
    if (!has(caller, 'registrar')) return refuse({ code: 'certificate.not_allowed_for_role' })
    const batch = this.sources.batch(batchId)
    if (!batch) return refuse({ code: 'certificate.batch_not_found', batchId })
    const config = this.store.body()
    if (!config) return refuse({ code: 'certificate.body_not_configured' })
    return this.db
      .transaction(() => {
        const issued: string[] = []
        const skipped: Array<{ candidateId: string; missing: CertificateRefusal[] }> = []
        for (const c of this.sources.candidates(batchId)) {
          const facts = this.facts(batch, c)
          if (facts.live) continue
          const draft = decideIssue(facts, this.clock())
          if (!draft.ok) {
            skipped.push({ candidateId: c.id, missing: issueConditions(facts, this.clock()) })
            continue
          }
          const n = this.sign(caller, batchId, config, draft.value)
          if (!n.ok) return n // the sequence is exhausted: nothing of this batch is issued
          issued.push(n.value)
        }
        return ok({ issued, skipped })
      })
      .immediate()
  }

  /** Inside a transaction: the next number within body, year and level, the signed text, the row and its event. */
  private sign(caller: Person, batchId: string, config: BodyNumberConfig, d: CertificateDraft): Result<string, CertificateRefusal> {
    const bodyPrefix = prefixOf(config)
    const seq = this.store.nextSeq(bodyPrefix, d.year, d.level)
    const number = certificateNumber(config, d.year, d.level, seq)
    if (!number.ok) return number
    const payload: CertificatePayload = {
      number: number.value,
      holderName: d.holderName,
      maskedId: d.maskedId,
      occupationCode: d.occupationCode,
      occupationName: d.occupationName,
      level: d.level,
      issuedOn: d.issuedOn,
      body: this.bodyName(),
      batchRef: d.batchRef,
      replaces: d.replaces,
    }
    const signer = this.keys.signer()
    const text = signCertificate(payload, signer.keyId, signer.sign)
    const now = this.clock()
    this.store.insert({
      number: number.value,
      bodyPrefix,
      year: d.year,
      level: d.level,
      seq,
      candidateId: d.candidateId,
      batchId,
      keyId: signer.keyId,
      text,
      issuedOn: d.issuedOn,
      issuedAt: now,
      issuedBy: caller.user,
      replaces: d.replaces,
    })
    this.log.append({
      actor: caller,
      action: 'certificate.issued',
      subject: { type: 'certificate', id: number.value },
      data: { batch: batchId, candidate: d.candidateId, keyId: signer.keyId, issuedOn: d.issuedOn, replaces: d.replaces },
    })
    return ok(number.value)
  }

  // ---------- reissue of a lost certificate (R8.3) ----------

  /** The certificate as the reissue rules see it: the holder's name and ID number come from the candidate (null once erased). */
  private record(cert: StoredCertificate): CertificateRecord {
    const p = this.payloadOf(cert)
    const holder = this.sources.candidate(cert.candidateId)
    return {
      number: cert.number,
      candidateId: cert.candidateId,
      status: cert.status,
      holderName: holder?.name ?? null,
      residentId: holder?.residentId ?? null,
      maskedId: p.maskedId,
      occupationCode: p.occupationCode,
      occupationName: p.occupationName,
      level: p.level,
      batchRef: p.batchRef,
    }
  }

  /**
   * Records a holder's request (registrar) with the ID number they show: a wrong number is refused without saying
   * what the right one is, and is not kept; a right one is kept only as "checked".
   */
  requestReissue(caller: Person, number: string, cmd: { residentId: string; reason: string }): Result<ReissueView, CertificatesError> {
    if (!has(caller, 'registrar')) return refuse({ code: 'certificate.not_allowed_for_role' })
    return this.db
      .transaction((): Result<ReissueView, CertificatesError> => {
        const cert = this.store.certificate(number)
        const r = decideReissueRequest(cert ? this.record(cert) : null, number, { id: randomUUID(), ...cmd, requestedBy: caller.user }, this.clock())
        if (!r.ok) return r
        if (this.store.reissues().some((x) => x.number === number && x.state === 'pending'))
          return refuse({ code: 'certificate.reissue_not_pending', requestId: r.value.id, state: 'pending' })
        this.store.insertReissue({ id: r.value.id, number, reason: r.value.reason, requestedBy: caller.user, requestedAt: r.value.requestedAt })
        this.log.append({
          actor: caller,
          action: 'certificate.reissue_requested',
          subject: { type: 'certificate', id: number },
          data: { request: r.value.id, candidate: cert!.candidateId, holderIdChecked: true, reason: r.value.reason },
        })
        return ok({ ...this.store.reissue(r.value.id)!, candidateId: cert!.candidateId })
      })
      .immediate()
  }

  reissues(): ReissueView[] {
    return this.store.reissues().map((r) => ({ ...r, candidateId: this.store.certificate(r.number)?.candidateId ?? null }))
  }

  /**
   * A second person (a supervisor, or a registrar who did not record the request) approves or rejects. Approval
   * revokes the old number and issues a new one naming it; both are logged with who asked and who approved.
   */
  decideReissue(
    caller: Person,
    requestId: string,
    decision: { approve: boolean; note?: string },
  ): Result<{ request: ReissueView; certificate: CertificateView | null }, CertificatesError> {
    if (!has(caller, 'supervisor') && !has(caller, 'registrar')) return refuse({ code: 'certificate.not_allowed_for_role' })
    const note = decision.note?.trim() || null
    const r = this.db
      .transaction((): Result<string | null, CertificatesError> => {
        const stored = this.store.reissue(requestId)
        if (!stored) return refuse({ code: 'certificate.reissue_not_found', requestId })
        const request: ReissueRequest = {
          id: stored.id,
          number: stored.number,
          state: stored.state,
          requestedBy: stored.requestedBy,
          requestedAt: stored.requestedAt,
          reason: stored.reason,
        }
        const cert = this.store.certificate(stored.number)
        const now = this.clock()
        if (!decision.approve) {
          if (request.state !== 'pending') return refuse({ code: 'certificate.reissue_not_pending', requestId, state: request.state })
          if (request.requestedBy === caller.user) return refuse({ code: 'certificate.same_person', requestId, userId: caller.user })
          this.store.decideReissue(requestId, 'rejected', caller.user, now, note, null)
          this.log.append({
            actor: caller,
            action: 'certificate.reissue_rejected',
            subject: { type: 'certificate', id: stored.number },
            data: { request: requestId, requestedBy: stored.requestedBy, note },
          })
          return ok(null)
        }
        const d = decideReissue(request, cert ? this.record(cert) : null, caller.user, now)
        if (!d.ok) return d
        const config = this.store.body()
        if (!config) return refuse({ code: 'certificate.body_not_configured' })
        // The new number first (the old row names it as its successor), then the old one revoked, then the new row.
        const seq = this.store.nextSeq(prefixOf(config), d.value.draft.year, d.value.draft.level)
        const next = certificateNumber(config, d.value.draft.year, d.value.draft.level, seq)
        if (!next.ok) return next
        this.store.revoke(d.value.revoke, now, `reissue ${requestId}`, next.value)
        this.log.append({
          actor: caller,
          action: 'certificate.revoked',
          subject: { type: 'certificate', id: d.value.revoke },
          data: { request: requestId, replacedBy: next.value, requestedBy: d.value.requestedBy, approvedBy: d.value.approvedBy },
        })
        const issued = this.sign(caller, cert!.batchId, config, d.value.draft)
        if (!issued.ok) return issued
        this.store.decideReissue(requestId, 'approved', caller.user, now, note, issued.value)
        this.log.append({
          actor: caller,
          action: 'certificate.reissue_approved',
          subject: { type: 'certificate', id: issued.value },
          data: { request: requestId, replaces: d.value.revoke, requestedBy: d.value.requestedBy, approvedBy: d.value.approvedBy },
        })
        return ok(issued.value)
      })
      .immediate()
    if (!r.ok) return r
    const request = this.reissues().find((x) => x.id === requestId) ?? { ...this.store.reissue(requestId)!, candidateId: null }
    return ok({ request, certificate: r.value ? this.view(this.store.certificate(r.value)!) : null })
  }

  // ---------- reading ----------

  /** A certificate for staff (the print page), or null. */
  certificate(number: string): CertificateView | null {
    const c = this.store.certificate(number)
    return c ? this.view(c) : null
  }

  /** For statistics (R9.1): candidates of the batch holding a valid certificate. */
  certifiedCandidates(batchId: string): string[] {
    return [
      ...new Set(
        this.store
          .ofBatch(batchId)
          .filter((c) => c.status === 'valid')
          .map((c) => c.candidateId),
      ),
    ]
  }

  /**
   * The public answer for a number (R8.2): valid, revoked (with its successor) or unknown. A lookup form's text is
   * trimmed and upper-cased; anything that is not a number is unknown too.
   */
  verify(raw: string): PublicCertificate {
    const number = raw.trim().toUpperCase()
    if (!parseCertificateNumber(number).ok) return { status: 'unknown', number }
    const c = this.store.certificate(number)
    if (!c) return { status: 'unknown', number }
    const p = this.payloadOf(c)
    return {
      status: c.status,
      number,
      holderName: maskName(p.holderName),
      occupationCode: p.occupationCode,
      occupationName: p.occupationName,
      level: p.level,
      levelName: LEVEL_NAMES[p.level],
      issuedOn: p.issuedOn,
      body: p.body,
      replaces: c.replaces,
      replacedBy: c.replacedBy,
      revokedOn: c.revokedAt === null ? null : civilDateOf(c.revokedAt),
    }
  }

  /** Counts a public lookup from this address; answers the milliseconds to wait, 0 when it may go ahead. */
  publicLookup(address: string): number {
    const now = this.clock()
    const wait = this.lookups.retryAfter(address, now)
    if (wait > 0) return wait
    this.lookups.count(address, now)
    return 0
  }

  private bodyName(): string {
    return this.bodyNameState().name
  }

  private payloadOf(c: StoredCertificate): CertificatePayload {
    const v = verifyCertificateRing(c.text, this.keys.allKeys())
    if (!v.ok) throw new Error(`stored certificate ${c.number} does not verify: ${v.error.code}`) // a broken invariant, a logged 500
    return v.payload
  }

  private view(c: StoredCertificate): CertificateView {
    return {
      number: c.number,
      status: c.status,
      candidateId: c.candidateId,
      batchId: c.batchId,
      keyId: c.keyId,
      text: c.text,
      payload: this.payloadOf(c),
      issuedAt: c.issuedAt,
      revokedAt: c.revokedAt,
      revokedReason: c.revokedReason,
      replaces: c.replaces,
      replacedBy: c.replacedBy,
    }
  }
}

const has = (p: Person, role: string): boolean => (domainActor(p).roles as string[]).includes(role)
const prefixOf = (c: BodyNumberConfig): string => `${c.category}${c.ministryCode}${c.provinceCode}${c.sequenceCode}`
const batchView = (b: NonNullable<ReturnType<CertificateSources['batch']>>) => ({
  id: b.id,
  title: b.title,
  occupationCode: b.occupationCode,
  occupationName: b.occupationName,
  level: b.level,
  levelName: LEVEL_NAMES[b.level as Level] ?? String(b.level),
})

/** A name partly masked for the public page: 张三 → 张*, 李小明 → 李*明, 欧阳娜娜 → 欧**娜. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}
