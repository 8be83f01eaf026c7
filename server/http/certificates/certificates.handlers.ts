import { toBase64, verifyCertificateQr } from '../../../crypto/index.ts'
import type { CertificateKeyView } from '../../services/certificate-keys.ts'
import type { CertificateView, Certificates, CertificatesError, ReissueView } from '../../services/certificates.ts'
import { type Person, actorOf } from '../../services/index.ts'
import type { Ctx } from '../_context.ts'
import type { ErrorCode } from '../_errors.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { clientAddress } from '../session.ts'
import { renderCertificate } from './print-page.ts'
import type * as routes from './certificates.routes.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
/** The certificates service (createApp wires it as services.certificates). */
const svc = (c: Ctx): Certificates => c.var.services.certificates
const callerOf = (c: Ctx) => actorOf(c.var.principal!, c.var.actingRoles) as Person
const userName = (c: Ctx, id: string | null) => (id ? (c.var.services.accounts.get(id)?.displayName ?? null) : null)

/** A refusal of the domain or the service, logged under the attempted action, its data as the details. */
const refused = (c: Ctx, e: CertificatesError, action: string, subject?: { type: string; id: string }) => refuse(c, e.code as ErrorCode, action, {}, subject, e)

const certJson = (v: CertificateView) => ({ ...v, issuedAt: iso(v.issuedAt)!, revokedAt: iso(v.revokedAt) })
const keyJson = (k: CertificateKeyView) => ({ ...k, createdAt: iso(k.createdAt)!, retiredAt: iso(k.retiredAt) })
const reissueJson = (c: Ctx, r: ReissueView) => ({
  ...r,
  requestedByName: userName(c, r.requestedBy),
  requestedAt: iso(r.requestedAt)!,
  decidedByName: userName(c, r.decidedBy),
  decidedAt: iso(r.decidedAt),
})

/** Public routes: too many lookups from one address are answered 429 with Retry-After. */
const limited = (c: Ctx): Response | null => {
  const waitMs = svc(c).publicLookup(clientAddress(c))
  if (waitMs <= 0) return null
  const seconds = Math.ceil(waitMs / 1000)
  return fail(c, 'certificate.rate_limited', { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) })
}

// ---------- administrator ----------

export const getBody: AppRouteHandler<typeof routes.getBody> = (c) => {
  const b = svc(c).bodyConfig()
  const config = b ? { category: b.category, ministryCode: b.ministryCode, provinceCode: b.provinceCode, sequenceCode: b.sequenceCode } : null
  const name = svc(c).bodyNameState()
  return c.json({ config, prefix: config ? Object.values(config).join('') : null, name: name.name, nameSet: name.set }, 200)
}

export const setBody: AppRouteHandler<typeof routes.setBody> = (c) => {
  const r = svc(c).setBodyConfig(callerOf(c), c.req.valid('json'))
  if (!r.ok) return refused(c, r.error, 'certificate.body_config')
  const { name, ...config } = r.value
  return c.json({ config, prefix: Object.values(config).join(''), name }, 200)
}

export const listKeys: AppRouteHandler<typeof routes.listKeys> = (c) => c.json({ keys: svc(c).ring.list().map(keyJson) }, 200)

export const rotateKey: AppRouteHandler<typeof routes.rotateKey> = (c) => {
  const r = svc(c).ring.rotate(callerOf(c))
  if (!r.ok) return refuse(c, r.error.code, 'certificate_key.rotate')
  return c.json(keyJson(r.value), 200)
}

// ---------- registrar ----------

export const checklist: AppRouteHandler<typeof routes.checklist> = (c) => {
  const id = c.req.valid('param').id
  const r = svc(c).checklist(id)
  if (!r) return fail(c, 'certificate.batch_not_found', { batchId: id })
  return c.json({ ...r, approval: r.approval ? { ...r.approval, recordedAt: iso(r.approval.recordedAt)! } : null }, 200)
}

export const recordApproval: AppRouteHandler<typeof routes.recordApproval> = (c) => {
  const id = c.req.valid('param').id
  const r = svc(c).recordApproval(callerOf(c), id, c.req.valid('json').ref)
  if (!r.ok) return refused(c, r.error, 'certificate.approval', { type: 'batch', id })
  return c.json(r.value, 200)
}

export const issue: AppRouteHandler<typeof routes.issue> = (c) => {
  const id = c.req.valid('param').id
  const { candidateId } = c.req.valid('json')
  if (candidateId) {
    const r = svc(c).issue(callerOf(c), id, candidateId)
    if (!r.ok) return refused(c, r.error, 'certificate.issue', { type: 'batch', id })
    return c.json({ issued: [r.value.number], skipped: [], certificate: certJson(r.value) }, 200)
  }
  const r = svc(c).issueAll(callerOf(c), id)
  if (!r.ok) return refused(c, r.error, 'certificate.issue', { type: 'batch', id })
  return c.json({ ...r.value, certificate: null }, 200)
}

export const getOne: AppRouteHandler<typeof routes.getOne> = (c) => {
  const number = c.req.valid('param').number
  const v = svc(c).certificate(number)
  if (!v) return fail(c, 'certificate.not_found', { number })
  return c.json(certJson(v), 200)
}

export const print: AppRouteHandler<typeof routes.print> = async (c) => {
  const number = c.req.valid('param').number
  const v = svc(c).certificate(number)
  if (!v) return fail(c, 'certificate.not_found', { number })
  return c.html(await renderCertificate(v, c.var.services.verifyOrigin ?? new URL(c.req.url).origin), 200, { 'Cache-Control': 'private, no-store' })
}

export const requestReissue: AppRouteHandler<typeof routes.requestReissue> = (c) => {
  const number = c.req.valid('param').number
  const r = svc(c).requestReissue(callerOf(c), number, c.req.valid('json'))
  if (!r.ok) return refused(c, r.error, 'certificate.reissue_request', { type: 'certificate', id: number })
  return c.json(reissueJson(c, r.value), 201)
}

export const reissues: AppRouteHandler<typeof routes.reissues> = (c) =>
  c.json(
    {
      requests: svc(c)
        .reissues()
        .map((r) => reissueJson(c, r)),
    },
    200,
  )

export const decideReissue: AppRouteHandler<typeof routes.decideReissue> = (c) => {
  const id = c.req.valid('param').id
  const r = svc(c).decideReissue(callerOf(c), id, c.req.valid('json'))
  if (!r.ok) return refused(c, r.error, 'certificate.reissue_decide', { type: 'certificate_reissue', id })
  return c.json({ request: reissueJson(c, r.value.request), certificate: r.value.certificate ? certJson(r.value.certificate) : null }, 200)
}

// ---------- public ----------

export const verify: AppRouteHandler<typeof routes.verify> = (c) =>
  limited(c) ?? c.json(svc(c).verify(c.req.valid('param').number), 200, { 'Cache-Control': 'no-store' })

export const publicKeys: AppRouteHandler<typeof routes.publicKeys> = (c) =>
  c.json(
    {
      keys: svc(c)
        .ring.published()
        .map((k) => ({ keyId: k.keyId, publicKey: toBase64(k.publicKey) })),
    },
    200,
  )

export const verifyText: AppRouteHandler<typeof routes.verifyText> = (c) => {
  const stop = limited(c)
  if (stop) return stop
  const r = verifyCertificateQr(c.req.valid('json').qr.trim(), svc(c).ring.published())
  if (!r.ok) return c.json({ signature: { ok: false, code: r.error.code, keyId: r.error.keyId ?? null }, status: null }, 200)
  return c.json({ signature: { ok: true, code: null, keyId: r.keyId }, status: svc(c).verify(r.payload.number) }, 200)
}
