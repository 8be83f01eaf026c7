import { describe, expect, test } from 'vitest'
import { verifyCertificateQr, verifyCertificateRing } from '../crypto/index.ts'
import { CertificateStore } from '../server/db/certificate-store.ts'
import { CertificateKeys } from '../server/services/certificate-keys.ts'
import { DEFAULT_CERTIFICATE_BODY } from '../server/services/certificates.ts'
import { openDatabase } from '../server/db/_database.ts'
import { LogStore } from '../server/db/log-store.ts'
import { CustodyLog } from '../server/services/index.ts'
import { T0, testLogKey } from './_app.ts'
import { ADMIN, BODY, REGISTRAR, REGISTRAR2, SUPERVISOR, addBatch, addCandidate, certFixture, person } from './_certificates.ts'

/** A fixture with the body configured and the approval recorded: every condition of R8.1 holds for c1 and c2. */
function ready() {
  const f = certFixture()
  expect(f.certs.setBodyConfig(ADMIN, BODY).ok).toBe(true)
  expect(f.certs.recordApproval(REGISTRAR, 'b1', '渝职鉴〔2026〕17号').ok).toBe(true)
  return f
}

describe('issuing (R8.1): only when every condition holds', () => {
  test('with every condition met a signed certificate is issued and logged in the same transaction', () => {
    const f = ready()
    const size = f.app.services.log.size()
    const r = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value.status).toBe('valid')
    expect(r.value.payload).toMatchObject({ holderName: '张三', maskedId: '1101**********002X', occupationName: '电工', level: 4, issuedOn: '2026-11-25' })
    expect(r.value.payload.batchRef).toBe('渝职鉴〔2026〕17号')
    const v = verifyCertificateRing(r.value.text, f.keys.published())
    expect(v.ok && v.payload.number).toBe(r.value.number)
    const ev = f.events(size)
    // the body's first certificate also makes its first certificate key, in the same transaction
    expect(ev.map((e) => e.action)).toEqual(['certificate_key.created', 'certificate.issued'])
    expect(ev[0]!.subject).toEqual({ type: 'certificate_key', id: r.value.keyId })
    expect(ev[1]!.subject).toEqual({ type: 'certificate', id: r.value.number })
    expect(JSON.stringify(ev[1]!.data)).not.toContain('张三') // no personal data in the log
  })

  const cases: Array<[string, string, (f: ReturnType<typeof ready>) => void]> = [
    ['the holder data was erased', 'certificate.holder_data_missing', (f) => (f.w.candidates.get('c1')!.residentId = null)],
    ['no subject result', 'certificate.no_subjects', (f) => f.w.subjects.set('c1', [])],
    ['a subject failed', 'certificate.subject_not_passed', (f) => (f.w.subjects.get('c1')![1]!.result = 'failed')],
    ['a subject still pending', 'certificate.subject_not_passed', (f) => (f.w.subjects.get('c1')![0]!.result = 'pending')],
    ['the results are not published', 'certificate.results_not_published', (f) => f.w.publications.delete('b1')],
    [
      'the publication period is not over',
      'certificate.publication_not_over',
      (f) => f.w.publications.set('b1', { publishedOn: '2026-11-20', lastDay: '2026-11-25' }),
    ],
    ['a review is open', 'certificate.review_open', (f) => f.w.reviews.set('c1', ['rv1'])],
  ]
  for (const [what, code, spoil] of cases)
    test(`${what}: refused (${code}), nothing stored or logged`, () => {
      const f = ready()
      spoil(f)
      const size = f.app.services.log.size()
      const r = f.certs.issue(REGISTRAR, 'b1', 'c1')
      expect(!r.ok && r.error.code).toBe(code)
      expect(f.app.services.log.size()).toBe(size)
      expect(f.certs.certifiedCandidates('b1')).toEqual([])
      expect(
        f.certs
          .checklist('b1')!
          .candidates.find((c) => c.candidateId === 'c1')!
          .missing.map((m) => m.code),
      ).toContain(code)
    })

  test("the municipal centre's approval not recorded: refused (certificate.approval_missing)", () => {
    const f = certFixture()
    f.certs.setBodyConfig(ADMIN, BODY)
    const r = f.certs.issue(REGISTRAR, 'b1', 'c1')
    expect(!r.ok && r.error.code).toBe('certificate.approval_missing')
  })

  test('the body number not configured: refused (certificate.body_not_configured)', () => {
    const f = certFixture()
    f.certs.recordApproval(REGISTRAR, 'b1', 'X号')
    const r = f.certs.issue(REGISTRAR, 'b1', 'c1')
    expect(!r.ok && r.error.code).toBe('certificate.body_not_configured')
  })

  test('a second certificate for the same candidate and batch is refused (certificate.already_issued)', () => {
    const f = ready()
    expect(f.certs.issue(REGISTRAR, 'b1', 'c1').ok).toBe(true)
    const r = f.certs.issue(REGISTRAR, 'b1', 'c1')
    expect(!r.ok && r.error.code).toBe('certificate.already_issued')
  })

  test('only a registrar issues; an unknown candidate or batch is refused', () => {
    const f = ready()
    expect(f.certs.issue(SUPERVISOR, 'b1', 'c1')).toMatchObject({ ok: false, error: { code: 'certificate.not_allowed_for_role' } })
    expect(f.certs.issue(REGISTRAR, 'b1', 'nobody')).toMatchObject({ ok: false, error: { code: 'certificate.candidate_not_found' } })
    expect(f.certs.issue(REGISTRAR, 'b9', 'c1')).toMatchObject({ ok: false, error: { code: 'certificate.batch_not_found' } })
  })

  test('issue all: the eligible get one, the others are listed with what they miss', () => {
    const f = ready()
    f.w.subjects.get('c2')![0]!.result = 'absent'
    const r = f.certs.issueAll(REGISTRAR, 'b1')
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value.issued).toHaveLength(1)
    expect(r.value.skipped).toEqual([{ candidateId: 'c2', missing: [expect.objectContaining({ code: 'certificate.subject_not_passed' })] }])
    expect(f.certs.certifiedCandidates('b1')).toEqual(['c1'])
  })

  test('the approval reference: a change is logged with the previous one; an empty one is refused', () => {
    const f = ready()
    const size = f.app.services.log.size()
    expect(f.certs.recordApproval(REGISTRAR, 'b1', '渝职鉴〔2026〕18号').ok).toBe(true)
    const [e] = f.events(size)
    expect(e).toMatchObject({ action: 'certificate.approval_changed', data: { ref: '渝职鉴〔2026〕18号', previous: '渝职鉴〔2026〕17号' } })
    expect(f.certs.recordApproval(REGISTRAR, 'b1', '  ')).toMatchObject({ ok: false, error: { code: 'certificate.approval_ref_invalid' } })
    expect(f.certs.recordApproval(ADMIN, 'b1', 'x')).toMatchObject({ ok: false, error: { code: 'certificate.not_allowed_for_role' } })
  })

  test('a bad body configuration is refused with its position; only an administrator sets it', () => {
    const f = certFixture()
    expect(f.certs.setBodyConfig(ADMIN, { ...BODY, provinceCode: '5A' })).toMatchObject({
      ok: false,
      error: { code: 'certificate.body_config_invalid', position: 7 },
    })
    expect(f.certs.setBodyConfig(REGISTRAR, BODY)).toMatchObject({ ok: false, error: { code: 'certificate.not_allowed_for_role' } })
    expect(f.certs.bodyConfig()).toBeNull()
  })

  test("the body's name: set with the number, logged with the one before, printed on the next certificate only", () => {
    const f = ready()
    const first = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!first.ok) throw new Error(first.error.code)
    expect(first.value.payload.body).toBe('重庆工业职业技术学院')
    const size = f.app.services.log.size()
    const r = f.certs.setBodyConfig(ADMIN, { ...BODY, name: '  重庆市第三职业技能评价站 ' })
    expect(r).toMatchObject({ ok: true, value: { name: '重庆市第三职业技能评价站' } })
    expect(f.w.bodyName).toBe('重庆市第三职业技能评价站')
    expect(f.events(size)).toMatchObject([
      { action: 'certificate.body_config_set', data: { name: '重庆市第三职业技能评价站', previousName: '重庆工业职业技术学院' } },
    ])
    const second = f.certs.issue(REGISTRAR, 'b1', 'c2')
    if (!second.ok) throw new Error(second.error.code)
    expect(second.value.payload.body).toBe('重庆市第三职业技能评价站')
    expect(f.certs.verify(first.value.number)).toMatchObject({ status: 'valid' }) // signed with the old name, still valid
    for (const bad of ['x', '机'.repeat(61), '评价站\u0007']) {
      const before = f.app.services.log.size()
      expect(f.certs.setBodyConfig(ADMIN, { ...BODY, name: bad })).toMatchObject({ ok: false, error: { code: 'certificate.body_name_invalid' } })
      expect(f.app.services.log.size()).toBe(before)
    }
    expect(f.w.bodyName).toBe('重庆市第三职业技能评价站')
  })

  test('without a name set, certificates carry the default body name', () => {
    const f = ready()
    f.w.bodyName = null
    expect(f.certs.bodyNameState()).toEqual({ name: DEFAULT_CERTIFICATE_BODY, set: false })
    const r = f.certs.issue(REGISTRAR, 'b1', 'c1')
    expect(r.ok && r.value.payload.body).toBe(DEFAULT_CERTIFICATE_BODY)
  })
})

describe('the number (R8.2), digit by digit', () => {
  test('positions 1–13 from the body, 14–15 the year, 16 the level, 17–22 the sequence within body, year and level', () => {
    const f = ready()
    addBatch(f.w, 'b5', 5)
    addCandidate(f.w, 'b5', 'c5', '王五', '500101199001010015')
    f.certs.recordApproval(REGISTRAR, 'b5', '渝职鉴〔2026〕19号')
    const a = f.certs.issue(REGISTRAR, 'b1', 'c1')
    const b = f.certs.issue(REGISTRAR, 'b1', 'c2')
    const c = f.certs.issue(REGISTRAR, 'b5', 'c5')
    if (!a.ok || !b.ok || !c.ok) throw new Error('not issued')
    const n = a.value.number
    expect(n).toHaveLength(22)
    expect(n[0]).toBe('S') // category
    expect(n.slice(1, 5)).toBe('0000') // ministry code
    expect(n.slice(5, 7)).toBe('50') // Chongqing
    expect(n.slice(7, 13)).toBe('000001') // the province's sequence code
    expect(n.slice(13, 15)).toBe('26') // 2026
    expect(n[15]).toBe('4') // 四级/中级工
    expect(n.slice(16)).toBe('000001')
    expect(b.value.number).toBe('S000050000001264000002') // next in body, year and level
    expect(c.value.number).toBe('S000050000001265000001') // another level counts from 1
    // A new year counts from 1 again.
    f.app.clock.now = Date.parse('2027-01-04T02:00:00Z')
    addCandidate(f.w, 'b1', 'c3', '赵六', '500101199001010023')
    const d = f.certs.issue(REGISTRAR, 'b1', 'c3')
    expect(d.ok && d.value.number).toBe('S000050000001274000001')
    // Another body code counts on its own.
    f.certs.setBodyConfig(ADMIN, { ...BODY, category: 'Y', sequenceCode: '000123' })
    addCandidate(f.w, 'b1', 'c4', '钱七', '500101199001010031')
    const e = f.certs.issue(REGISTRAR, 'b1', 'c4')
    expect(e.ok && e.value.number).toBe('Y000050000123274000001')
  })

  test('the database refuses a second certificate with the same number or the same body, year, level and sequence', () => {
    const f = ready()
    const a = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!a.ok) throw new Error(a.error.code)
    const row = f.store.certificate(a.value.number)!
    expect(() => f.store.insert({ ...row, candidateId: 'c2' })).toThrow(/UNIQUE/)
    expect(() => f.store.insert({ ...row, number: 'S000050000001264000099', candidateId: 'c2' })).toThrow(/UNIQUE/)
    expect(() => f.app.services.db.run('DELETE FROM certificates')).toThrow(/kept/)
    expect(() => f.app.services.db.run("UPDATE certificates SET text = 'x'")).toThrow(/revocation/)
  })
})

describe('reissue of a lost certificate (R8.3)', () => {
  test('a wrong ID number is refused without the right one, and nothing is recorded', () => {
    const f = ready()
    const a = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!a.ok) throw new Error(a.error.code)
    const size = f.app.services.log.size()
    const r = f.certs.requestReissue(REGISTRAR, a.value.number, { residentId: '110105194912310011', reason: '遗失' })
    expect(!r.ok && r.error).toEqual({ code: 'certificate.holder_mismatch', number: a.value.number })
    expect(JSON.stringify(r)).not.toContain('002X')
    expect(f.app.services.log.size()).toBe(size)
    expect(f.certs.reissues()).toEqual([])
  })

  test('the person who recorded the request cannot approve it; another approves: old revoked, new valid, both logged', () => {
    const f = ready()
    const a = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!a.ok) throw new Error(a.error.code)
    const old = a.value.number
    const size = f.app.services.log.size()
    const req = f.certs.requestReissue(REGISTRAR, old, { residentId: '11010519491231002x', reason: '证书遗失' }) // lower-case x accepted
    if (!req.ok) throw new Error(req.error.code)
    expect(f.certs.decideReissue(REGISTRAR, req.value.id, { approve: true })).toMatchObject({ ok: false, error: { code: 'certificate.same_person' } })
    expect(f.certs.decideReissue(person('u-inv', ['invigilator']), req.value.id, { approve: true })).toMatchObject({
      ok: false,
      error: { code: 'certificate.not_allowed_for_role' },
    })
    f.app.clock.now += 86_400_000
    const d = f.certs.decideReissue(REGISTRAR2, req.value.id, { approve: true })
    if (!d.ok) throw new Error(d.error.code)
    const fresh = d.value.certificate!
    expect(fresh.number).toBe('S000050000001264000002')
    expect(fresh.payload.replaces).toBe(old)
    expect(fresh.status).toBe('valid')
    expect(f.certs.certificate(old)).toMatchObject({ status: 'revoked', replacedBy: fresh.number })
    expect(f.certs.verify(old)).toMatchObject({ status: 'revoked', replacedBy: fresh.number, revokedOn: '2026-11-26' })
    expect(f.certs.verify(fresh.number)).toMatchObject({ status: 'valid', replaces: old, holderName: '张*' })
    expect(d.value.request).toMatchObject({ state: 'approved', requestedBy: 'u-reg', decidedBy: 'u-reg2', newNumber: fresh.number })
    const ev = f.events(size)
    expect(ev.map((e) => e.action)).toEqual(['certificate.reissue_requested', 'certificate.revoked', 'certificate.issued', 'certificate.reissue_approved'])
    expect(ev[3]!.data).toMatchObject({ requestedBy: 'u-reg', approvedBy: 'u-reg2', replaces: old })
    expect(ev[1]!.data).toMatchObject({ replacedBy: fresh.number, requestedBy: 'u-reg', approvedBy: 'u-reg2' })
    // A revoked certificate cannot be reissued again; the request is decided.
    expect(f.certs.decideReissue(SUPERVISOR, req.value.id, { approve: true })).toMatchObject({ ok: false, error: { code: 'certificate.reissue_not_pending' } })
    expect(f.certs.requestReissue(REGISTRAR, old, { residentId: '11010519491231002X', reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'certificate.revoked' },
    })
    expect(f.certs.certifiedCandidates('b1')).toEqual(['c1'])
  })

  test('a supervisor may reject; the certificate stays valid', () => {
    const f = ready()
    const a = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!a.ok) throw new Error(a.error.code)
    const req = f.certs.requestReissue(REGISTRAR, a.value.number, { residentId: '11010519491231002X', reason: '遗失' })
    if (!req.ok) throw new Error(req.error.code)
    const d = f.certs.decideReissue(SUPERVISOR, req.value.id, { approve: false, note: '本人未到场' })
    expect(d.ok && d.value.request.state).toBe('rejected')
    expect(f.certs.verify(a.value.number).status).toBe('valid')
  })
})

describe('the certificate key ring', () => {
  test('empty until the first certificate is signed; then made, saved through the keeper before the ring names it, its making logged', () => {
    // A bare database: the ring alone, as createApp builds it on a new data folder.
    const db = openDatabase(':memory:')
    const log = new CustodyLog(db, new LogStore(db), testLogKey(), () => T0)
    const store = new CertificateStore(db)
    const saved: string[] = []
    const ring = new CertificateKeys(
      db,
      store,
      log,
      () => T0,
      [],
      (id) => saved.push(id),
    )
    ring.start()
    expect(saved).toEqual([])
    expect(store.keys()).toEqual([])
    expect(log.size()).toBe(0) // a new data folder's log starts empty
    expect(ring.published()).toEqual([])
    const signer = ring.signer()
    expect(saved).toEqual([signer.keyId])
    expect(ring.active()?.keyId).toBe(signer.keyId)
    expect(store.keys().map((k) => k.keyId)).toEqual(saved)
    expect(log.entry(0)!.event).toMatchObject({ action: 'certificate_key.created', subject: { id: saved[0] } })
    expect(ring.signer().keyId).toBe(signer.keyId) // a second signature makes nothing
    ring.start()
    expect(store.keys()).toHaveLength(1)
    expect(log.size()).toBe(1)
  })

  test('a key made inside a transaction that rolls back leaves no ring entry and no event', () => {
    const db = openDatabase(':memory:')
    const log = new CustodyLog(db, new LogStore(db), testLogKey(), () => T0)
    const store = new CertificateStore(db)
    const ring = new CertificateKeys(
      db,
      store,
      log,
      () => T0,
      [],
      () => {},
    )
    expect(() =>
      db.transaction(() => {
        ring.signer()
        throw new Error('the certificate was refused after signing')
      })(),
    ).toThrow(/refused/)
    expect(store.keys()).toEqual([])
    expect(log.size()).toBe(0)
  })

  test("a ring whose active key's private half is not in the data folder refuses to start", () => {
    const f = ready()
    const ring = new CertificateKeys(f.app.services.db, f.store, f.app.services.log, f.app.services.clock, [])
    ring.start() // nothing signed yet: nothing to hold
    expect(f.certs.issue(REGISTRAR, 'b1', 'c1').ok).toBe(true)
    expect(() => ring.start()).toThrow(/no private half/)
  })

  test('after a rotation the old certificate still verifies with the published keys; new ones use the new key', () => {
    const f = ready()
    const a = f.certs.issue(REGISTRAR, 'b1', 'c1')
    if (!a.ok) throw new Error(a.error.code)
    expect(f.keys.rotate(REGISTRAR)).toMatchObject({ ok: false, error: { code: 'certificate_key.not_allowed_for_role' } })
    const size = f.app.services.log.size()
    const r = f.keys.rotate(ADMIN)
    if (!r.ok) throw new Error(r.error.code)
    expect(f.events(size).map((e) => e.action)).toEqual(['certificate_key.rotated'])
    expect(f.saved.has(r.value.keyId)).toBe(true)
    const b = f.certs.issue(REGISTRAR, 'b1', 'c2')
    if (!b.ok) throw new Error(b.error.code)
    expect(b.value.keyId).toBe(r.value.keyId)
    expect(a.value.keyId).not.toBe(r.value.keyId)
    const published = f.keys.published()
    expect(published.map((k) => k.keyId).sort()).toEqual([a.value.keyId, b.value.keyId].sort())
    expect(verifyCertificateQr(`https://h.example/verify/${a.value.number}#${a.value.text}`, published).ok).toBe(true)
    expect(verifyCertificateQr(`https://h.example/verify/${b.value.number}#${b.value.text}`, published).ok).toBe(true)
  })
})

describe('public verification (R8.2)', () => {
  test('valid shows the masked name, occupation, level and date; unknown says so; a malformed number is unknown', () => {
    const f = ready()
    addCandidate(f.w, 'b1', 'c3', '欧阳娜娜', '500101199001010023')
    const a = f.certs.issue(REGISTRAR, 'b1', 'c3')
    if (!a.ok) throw new Error(a.error.code)
    expect(f.certs.verify(` ${a.value.number.toLowerCase()} `)).toEqual({
      status: 'valid',
      number: a.value.number,
      holderName: '欧**娜',
      occupationCode: '6-31-01-03',
      occupationName: '电工',
      level: 4,
      levelName: '四级/中级工',
      issuedOn: '2026-11-25',
      body: '重庆工业职业技术学院',
      replaces: null,
      replacedBy: null,
      revokedOn: null,
    })
    expect(f.certs.verify('S000050000001264999999')).toEqual({ status: 'unknown', number: 'S000050000001264999999' })
    expect(f.certs.verify('nonsense')).toEqual({ status: 'unknown', number: 'NONSENSE' })
  })
})
