import { describe, expect, test } from 'vitest'
import { encodeCertificate } from '../crypto/index.ts'
import {
  type BodyNumberConfig,
  type CertificateCode,
  type CertificateRecord,
  type IssueFacts,
  type ReissueRequest,
  CERTIFICATE_CODES,
  certificateNumber,
  certificateNumberPrefix,
  certificateSeq,
  decideIssue,
  decideReissue,
  decideReissueRequest,
  issueConditions,
  parseCertificateNumber,
  validateBodyNumberConfig,
} from '../server/domain/certificates/index.ts'
import { CERT as KNOWN } from './_certificate-vectors.ts'

const BODY: BodyNumberConfig = { category: 'S', ministryCode: '0000', provinceCode: '50', sequenceCode: '000001' }
const CST = (iso: string) => Date.parse(`${iso}+08:00`)

describe('certificate numbers (R8.2)', () => {
  test('a number built digit by digit: category, ministry code, province, sequence code, year, level, sequence', () => {
    const built = 'S' + '0000' + '50' + '000001' + '26' + '4' + '000017'
    expect(built).toHaveLength(22)
    expect(certificateNumber(BODY, 2026, 4, 17)).toEqual({ ok: true, value: built })
    expect(certificateNumberPrefix(BODY, 2026, 4)).toEqual({ ok: true, value: 'S000050000001264' })
    expect(parseCertificateNumber(built)).toEqual({
      ok: true,
      value: { category: 'S', ministryCode: '0000', provinceCode: '50', sequenceCode: '000001', yearDigits: '26', level: 4, seq: 17 },
    })
    // An employer with a ministry code, 一级, the last number of the year.
    const y = certificateNumber({ category: 'Y', ministryCode: '1234', provinceCode: '50', sequenceCode: '900017' }, 2031, 1, 999_999)
    expect(y).toEqual({ ok: true, value: 'Y' + '1234' + '50' + '900017' + '31' + '1' + '999999' })
    expect(certificateNumber(BODY, 2000, 5, 1)).toEqual({ ok: true, value: 'S000050000001005000001' })
  })

  test('the sequence counts within body, year and level', () => {
    expect(certificateSeq('S000050000001264', 'S000050000001264000017')).toBe(17)
    expect(certificateSeq('S000050000001264', 'S000050000001263000017')).toBeNull()
    expect(certificateSeq('S000050000001264', 'S000050000001264000000')).toBeNull()
    expect(certificateNumber(BODY, 2026, 4, 1_000_000)).toEqual({ ok: false, error: { code: 'certificate.sequence_exhausted', prefix: 'S000050000001264' } })
  })

  const good = 'S000050000001264000017'
  const at = (pos: number, ch: string) => good.slice(0, pos - 1) + ch + good.slice(pos)
  test.each([
    ['a lower-case category', at(1, 's'), 'category', 1],
    ['category X (neither Y nor S)', at(1, 'X'), 'category', 1],
    ['a letter in the ministry code', at(3, 'O'), 'ministryCode', 3],
    ['province 99', good.slice(0, 5) + '99' + good.slice(7), 'provinceCode', 6],
    ['Hong Kong (81) is not a filing province', good.slice(0, 5) + '81' + good.slice(7), 'provinceCode', 6],
    ['a full-width digit in the province', at(7, '０'), 'provinceCode', 7],
    ['sequence code 000000', good.slice(0, 7) + '000000' + good.slice(13), 'sequenceCode', 8],
    ['a space in the sequence code', at(12, ' '), 'sequenceCode', 12],
    ['a letter in the year', at(15, 'X'), 'year', 15],
    ['level 0', at(16, '0'), 'level', 16],
    ['level 6', at(16, '6'), 'level', 16],
    ['sequence 000000', good.slice(0, 16) + '000000', 'seq', 17],
    ['a check letter at the end', at(22, 'X'), 'seq', 22],
    ['21 characters', good.slice(0, 21), 'length', 22],
    ['an empty text', '', 'length', 1],
    ['23 characters', `${good}0`, 'length', 23],
    ['a trailing space', `${good} `, 'length', 23],
  ])('%s is refused (certificate.number_invalid, the part and its position)', (_name, text, part, position) => {
    const r = parseCertificateNumber(text)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'certificate.number_invalid', part, position })
  })

  test("a body's configuration is validated part by part (certificate.body_config_invalid)", () => {
    expect(validateBodyNumberConfig(BODY)).toEqual({ ok: true, value: BODY })
    const refused = (c: Partial<BodyNumberConfig>) => {
      const r = validateBodyNumberConfig({ ...BODY, ...c } as BodyNumberConfig)
      return r.ok ? null : { part: r.error.part, position: r.error.position, code: r.error.code }
    }
    expect(refused({ category: 'Q' as 'S' })).toEqual({ code: 'certificate.body_config_invalid', part: 'category', position: 1 })
    expect(refused({ ministryCode: '000' })).toEqual({ code: 'certificate.body_config_invalid', part: 'ministryCode', position: 5 })
    expect(refused({ ministryCode: '00000' })).toEqual({ code: 'certificate.body_config_invalid', part: 'ministryCode', position: 6 })
    expect(refused({ provinceCode: '5' })).toEqual({ code: 'certificate.body_config_invalid', part: 'provinceCode', position: 7 })
    expect(refused({ provinceCode: '70' })).toEqual({ code: 'certificate.body_config_invalid', part: 'provinceCode', position: 6 })
    expect(refused({ sequenceCode: '00000A' })).toEqual({ code: 'certificate.body_config_invalid', part: 'sequenceCode', position: 13 })
    expect(refused({ sequenceCode: '000000' })).toEqual({ code: 'certificate.body_config_invalid', part: 'sequenceCode', position: 8 })
    expect(refused({ sequenceCode: undefined })).toEqual({ code: 'certificate.body_config_invalid', part: 'sequenceCode', position: 8 })
    // A bad configuration never yields a number.
    expect(certificateNumber({ ...BODY, provinceCode: '00' }, 2026, 4, 1)).toMatchObject({ ok: false, error: { code: 'certificate.body_config_invalid' } })
  })

  test('computed parts out of range are refused with their position', () => {
    expect(certificateNumber(BODY, 1999, 4, 1)).toMatchObject({ ok: false, error: { code: 'certificate.number_invalid', part: 'year', position: 14 } })
    expect(certificateNumber(BODY, 2100, 4, 1)).toMatchObject({ ok: false, error: { part: 'year' } })
    expect(certificateNumber(BODY, 2026, 0, 1)).toMatchObject({ ok: false, error: { code: 'certificate.number_invalid', part: 'level', position: 16 } })
    expect(certificateNumber(BODY, 2026, 4, 0)).toMatchObject({ ok: false, error: { code: 'certificate.number_invalid', part: 'seq', position: 17 } })
    expect(certificateNumber(BODY, 2026, 4, 1.5)).toMatchObject({ ok: false, error: { part: 'seq' } })
  })

  test('every number this module builds parses back to its parts', () => {
    for (const [year, level, seq] of [
      [2026, 4, 17],
      [2099, 1, 999_999],
      [2000, 5, 1],
    ] as const) {
      const n = certificateNumber(BODY, year, level, seq)
      if (!n.ok) throw new Error(n.error.code)
      expect(parseCertificateNumber(n.value)).toMatchObject({ ok: true, value: { level, seq, yearDigits: String(year).slice(2) } })
    }
  })
})

// ---------- issuing (R8.1) ----------

const NOW = CST('2026-07-15T10:00:00')
const FACTS: IssueFacts = {
  candidate: { id: 'cand-1', name: '张三', residentId: '11010519491231002x' },
  batch: { id: 'batch-1', publication: { publishedOn: '2026-06-19', lastDay: '2026-06-26' }, approvalRef: '渝职鉴〔2026〕17号' },
  occupation: { code: '6-31-01-03', name: '电工' },
  level: 4,
  subjects: [
    { subjectId: 'theory', result: 'passed' },
    { subjectId: 'practical', result: 'passed' },
  ],
  openReviewIds: [],
  live: null,
}

describe('issuing a certificate (R8.1): every condition, and a refusal naming the missing one', () => {
  test('with every condition met, the draft carries the masked ID, the CST date and the approval reference', () => {
    const r = decideIssue(FACTS, NOW)
    const n = certificateNumber(BODY, 2026, 4, 17)
    if (!r.ok || !n.ok) throw new Error('expected both')
    const { candidateId, year, ...fields } = r.value
    expect({ candidateId, year }).toEqual({ candidateId: 'cand-1', year: 2026 })
    // The draft, a number and the body's name make the payload the crypto layer signs as it is: here the
    // known-answer certificate (masked ID 1101**********002X, issued 2026-07-15).
    const payload = { ...fields, number: n.value, body: '重庆工业职业技术学院' }
    expect(payload).toEqual(KNOWN)
    expect(() => encodeCertificate(payload)).not.toThrow()
    // Just after midnight in China is already the next day (and year) there.
    expect(decideIssue(FACTS, CST('2027-01-01T00:30:00'))).toMatchObject({ ok: true, value: { issuedOn: '2027-01-01', year: 2027 } })
  })

  const missing = (f: IssueFacts, now = NOW): CertificateCode | null => {
    const r = decideIssue(f, now)
    return r.ok ? null : r.error.code
  }
  test('a subject failed, absent, disqualified or not yet verified is refused (certificate.subject_not_passed), naming it', () => {
    for (const result of ['failed', 'absent', 'disqualified', 'pending'] as const) {
      const f = { ...FACTS, subjects: [FACTS.subjects[0]!, { subjectId: 'practical', result }] }
      expect(decideIssue(f, NOW)).toEqual({
        ok: false,
        error: { code: 'certificate.subject_not_passed', candidateId: 'cand-1', subjects: [{ subjectId: 'practical', result }] },
      })
    }
    expect(missing({ ...FACTS, subjects: [] })).toBe('certificate.no_subjects')
  })
  test('results not yet published are refused (certificate.results_not_published)', () => {
    expect(missing({ ...FACTS, batch: { ...FACTS.batch, publication: null } })).toBe('certificate.results_not_published')
  })
  test('a publication period not over is refused (certificate.publication_not_over), to the end of its last day in China', () => {
    expect(decideIssue(FACTS, CST('2026-06-26T23:59:59'))).toMatchObject({
      ok: false,
      error: { code: 'certificate.publication_not_over', lastDay: '2026-06-26', today: '2026-06-26' },
    })
    // 00:00 CST on the next day is still 06-26 in UTC: the day counts in China.
    expect(decideIssue(FACTS, CST('2026-06-27T00:00:00')).ok).toBe(true)
  })
  test('an open review is refused (certificate.review_open), naming it', () => {
    expect(decideIssue({ ...FACTS, openReviewIds: ['rev-9'] }, NOW)).toMatchObject({
      ok: false,
      error: { code: 'certificate.review_open', reviewIds: ['rev-9'] },
    })
  })
  test("a batch without the municipal centre's approval reference is refused (certificate.approval_missing)", () => {
    expect(missing({ ...FACTS, batch: { ...FACTS.batch, approvalRef: null } })).toBe('certificate.approval_missing')
    expect(missing({ ...FACTS, batch: { ...FACTS.batch, approvalRef: '  ' } })).toBe('certificate.approval_missing')
  })
  test('an erased holder (certificate.holder_data_missing) and a second certificate (certificate.already_issued) are refused', () => {
    expect(missing({ ...FACTS, candidate: { ...FACTS.candidate, residentId: null } })).toBe('certificate.holder_data_missing')
    expect(decideIssue({ ...FACTS, live: { number: 'S000050000001264000017' } }, NOW)).toMatchObject({
      ok: false,
      error: { code: 'certificate.already_issued', number: 'S000050000001264000017' },
    })
  })
  test('issueConditions lists every unmet condition in order; decideIssue names the first', () => {
    expect(issueConditions(FACTS, NOW)).toEqual([])
    const all: IssueFacts = {
      ...FACTS,
      subjects: [{ subjectId: 'theory', result: 'failed' }],
      batch: { ...FACTS.batch, approvalRef: null },
      openReviewIds: ['rev-1'],
    }
    expect(issueConditions(all, CST('2026-06-22T12:00:00')).map((m) => m.code)).toEqual([
      'certificate.subject_not_passed',
      'certificate.publication_not_over',
      'certificate.review_open',
      'certificate.approval_missing',
    ])
    expect(missing(all)).toBe('certificate.subject_not_passed')
  })
})

// ---------- reissue (R8.3) ----------

const CERT: CertificateRecord = {
  number: 'S000050000001264000017',
  candidateId: 'cand-1',
  status: 'valid',
  holderName: '张三',
  residentId: '11010519491231002X',
  maskedId: '1101**********002X',
  occupationCode: '6-31-01-03',
  occupationName: '电工',
  level: 4,
  batchRef: '渝职鉴〔2026〕17号',
}
const LATER = CST('2026-11-02T15:00:00')

describe('reissue of a lost certificate (R8.3): the holder ID, a new number, the old one revoked, two people', () => {
  const ask = { id: 'req-1', residentId: '110105 19491231002x', reason: '遗失', requestedBy: 'registrar-1' }
  test.each([
    ['the right ID number (spaces and a lower-case x are the same number)', CERT, ask, null],
    ['no such certificate', null, ask, 'certificate.not_found'],
    ['a revoked certificate', { ...CERT, status: 'revoked' as const }, ask, 'certificate.revoked'],
    ['another ID number', CERT, { ...ask, residentId: '110105194912310029' }, 'certificate.holder_mismatch'],
    ['an erased holder', { ...CERT, residentId: null }, ask, 'certificate.holder_mismatch'],
    ['no reason', CERT, { ...ask, reason: '  ' }, 'certificate.reason_required'],
  ])('a request with %s', (_name, cert, cmd, code) => {
    const r = decideReissueRequest(cert, CERT.number, cmd, LATER)
    if (code === null)
      expect(r).toEqual({
        ok: true,
        value: { id: 'req-1', number: CERT.number, state: 'pending', requestedBy: 'registrar-1', requestedAt: LATER, reason: '遗失' },
      })
    else expect(r).toMatchObject({ ok: false, error: { code } })
  })

  test('a refused ID number reveals nothing of the holder', () => {
    const r = decideReissueRequest(CERT, CERT.number, { ...ask, residentId: '110105194912310029' }, LATER)
    expect(r).toEqual({ ok: false, error: { code: 'certificate.holder_mismatch', number: CERT.number } })
  })

  const REQ: ReissueRequest = { id: 'req-1', number: CERT.number, state: 'pending', requestedBy: 'registrar-1', requestedAt: LATER, reason: '遗失' }
  test.each([
    ['a second person', REQ, CERT, 'registrar-2', null],
    ['the requester approving their own request', REQ, CERT, 'registrar-1', 'certificate.same_person'],
    ['a request already approved', { ...REQ, state: 'approved' as const }, CERT, 'registrar-2', 'certificate.reissue_not_pending'],
    ['a request rejected', { ...REQ, state: 'rejected' as const }, CERT, 'registrar-2', 'certificate.reissue_not_pending'],
    ['the certificate revoked meanwhile', REQ, { ...CERT, status: 'revoked' as const }, 'registrar-2', 'certificate.revoked'],
    ['the certificate gone', REQ, null, 'registrar-2', 'certificate.not_found'],
    ['the holder erased meanwhile', REQ, { ...CERT, holderName: null }, 'registrar-2', 'certificate.holder_data_missing'],
  ])('an approval by %s', (_name, req, cert, approver, code) => {
    const r = decideReissue(req, cert, approver, LATER)
    if (code !== null) return expect(r).toMatchObject({ ok: false, error: { code } })
    expect(r).toEqual({
      ok: true,
      value: {
        revoke: CERT.number,
        approvedBy: 'registrar-2',
        requestedBy: 'registrar-1',
        draft: {
          candidateId: 'cand-1',
          holderName: '张三',
          maskedId: '1101**********002X',
          occupationCode: '6-31-01-03',
          occupationName: '电工',
          level: 4,
          issuedOn: '2026-11-02',
          year: 2026,
          batchRef: '渝职鉴〔2026〕17号',
          replaces: CERT.number,
        },
      },
    })
  })

  test('the reissued certificate takes a new number in the reissue year, never the old one', () => {
    const r = decideReissue(REQ, CERT, 'registrar-2', CST('2027-03-01T09:00:00'))
    if (!r.ok) throw new Error(r.error.code)
    const n = certificateNumber(BODY, r.value.draft.year, r.value.draft.level, 1)
    expect(n).toEqual({ ok: true, value: 'S000050000001274000001' })
    expect(n.ok && n.value).not.toBe(r.value.revoke)
  })
})

test('CERTIFICATE_CODES names every refusal code once (a missing one fails to compile)', () => {
  type Missing = Exclude<CertificateCode, (typeof CERTIFICATE_CODES)[number]>
  const complete: [Missing] extends [never] ? true : false = true
  expect(complete).toBe(true)
  expect(new Set(CERTIFICATE_CODES).size).toBe(CERTIFICATE_CODES.length)
})
