import { describe, expect, test } from 'vitest'
import {
  type Announcement,
  type SubjectResult,
  assessRetake,
  checkAttachments,
  decideCandidateMove,
  decidePayment,
  decideRegistrationOpen,
} from '../server/domain/lifecycle/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import { completeDraft } from './_lifecycle.ts'

const target = { occupationCode: '6-31-01-03', level: 4, examDate: '2026-12-28' }
const result = (kind: SubjectResult['subjectKind'], examDate: string, passed: boolean, attempt = 1): SubjectResult => ({
  occupationCode: '6-31-01-03',
  level: 4,
  subjectKind: kind,
  examDate,
  passed,
  attempt,
})

describe('R7.3: a pass is valid 1 year; one retake of a failed subject within it', () => {
  test('no earlier results: a full sitting', () => {
    expect(assessRetake([], target)).toEqual({ ok: true, value: { kind: 'full' } })
  })

  test('theory passed, practical failed 6 months ago: a retake of the practical only', () => {
    const history = [result('theory', '2026-06-20', true), result('practical', '2026-06-20', false)]
    expect(assessRetake(history, target)).toEqual({ ok: true, value: { kind: 'retake', subjects: ['practical'], carried: ['theory'] } })
  })

  test('a retake on the anniversary of the pass is in time; one day later the pass has lapsed: a fresh full sitting', () => {
    const history = [result('theory', '2025-12-28', true), result('practical', '2025-12-28', false)]
    expect(assessRetake(history, target)).toEqual({ ok: true, value: { kind: 'retake', subjects: ['practical'], carried: ['theory'] } })
    expect(assessRetake(history, { ...target, examDate: '2026-12-29' })).toEqual({ ok: true, value: { kind: 'full' } })
  })

  test('after the year even a used retake no longer binds: a fresh full sitting', () => {
    const history = [result('theory', '2025-03-01', true), result('practical', '2025-03-01', false), result('practical', '2025-09-01', false, 2)]
    expect(assessRetake(history, { ...target, examDate: '2026-03-01' })).toEqual({
      ok: false,
      error: { code: 'registration.retake_not_allowed', reason: 'retake_used' },
    })
    expect(assessRetake(history, { ...target, examDate: '2026-03-02' })).toEqual({ ok: true, value: { kind: 'full' } })
  })

  test('a failed subject already retaken once may not be retaken again', () => {
    const history = [result('theory', '2026-03-01', true), result('practical', '2026-03-01', false), result('practical', '2026-09-01', false, 2)]
    expect(assessRetake(history, target)).toEqual({ ok: false, error: { code: 'registration.retake_not_allowed', reason: 'retake_used' } })
  })

  test('results of another occupation or level do not count; all failed or all passed carries nothing', () => {
    expect(assessRetake([{ ...result('theory', '2026-06-20', true), level: 5 }, result('practical', '2026-06-20', false)], target)).toEqual({
      ok: true,
      value: { kind: 'full' },
    })
    expect(assessRetake([result('theory', '2024-01-01', false), result('practical', '2024-01-01', false)], target)).toEqual({
      ok: true,
      value: { kind: 'full' },
    })
    expect(assessRetake([result('theory', '2024-01-01', true), result('practical', '2024-01-01', true)], target)).toEqual({ ok: true, value: { kind: 'full' } })
  })

  test('a subject failed first and passed on retake counts as passed from the day it was passed', () => {
    const history = [result('theory', '2026-01-10', false), result('theory', '2026-06-10', true, 2), result('practical', '2026-06-10', false)]
    expect(assessRetake(history, target)).toEqual({ ok: true, value: { kind: 'retake', subjects: ['practical'], carried: ['theory'] } })
  })
})

describe('registration opens with the announcement and closes on its day', () => {
  const announced = completeDraft('2026-12-28', { status: 'announced' })
  const a: Announcement = {
    id: 'a',
    batchId: 'batch-1',
    publishedOn: '2026-10-01',
    publishedOnDocumented: null,
    createdAt: 0,
    content: { contentAndMethod: 'x', registration: { place: 'p', until: '2026-12-01', how: 'h' }, conditions: 'c', fees: 'f' },
  }
  test.each([
    ['2026-12-01', true],
    ['2026-12-02', false],
  ])('on %s registration open = %s', (today, open) => {
    const r = decideRegistrationOpen(announced, a, today)
    expect(r.ok).toBe(open)
    if (!open) expect(r).toEqual({ ok: false, error: { code: 'registration.closed', until: '2026-12-01', today } })
  })
  test('a filed but unannounced batch takes no registrations', () => {
    expect(decideRegistrationOpen(completeDraft('2026-12-28', { status: 'filed' }), null, '2026-11-01')).toEqual({
      ok: false,
      error: { code: 'registration.not_open', state: 'filed' },
    })
  })
  test('review happens only while the batch is announced or running', () => {
    expect(decideCandidateMove('filed', 'registered', 'approve', ['registrar'])).toEqual({
      ok: false,
      error: { code: 'batch.wrong_state', state: 'filed', action: 'approve' },
    })
    expect(decideCandidateMove('announced', 'registered', 'approve', ['registrar'])).toEqual({ ok: true, value: 'approved' })
  })
})

describe('R3.1 attachments', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7\n...')
  const png = makeDemoPhotoPng(20, 20, 1)
  test('a PDF certificate and a PNG ID card copy are accepted', () => {
    expect(
      checkAttachments([
        { kind: 'certificate', filename: '原证书.pdf', contentType: 'application/pdf', bytes: pdf },
        { kind: 'id_card', filename: 'id.png', contentType: 'image/png', bytes: png },
      ]),
    ).toEqual({ ok: true, value: true })
  })
  test.each([
    ['a PDF that is not one', { kind: 'certificate', filename: 'a.pdf', contentType: 'application/pdf', bytes: png }, 'not application/pdf'],
    ['a path in the file name', { kind: 'certificate', filename: '../etc/passwd', contentType: 'application/pdf', bytes: pdf }, 'path or control'],
    ['an empty file', { kind: 'experience', filename: 'a.pdf', contentType: 'application/pdf', bytes: new Uint8Array() }, 'empty'],
    ['a file over 2 MB', { kind: 'experience', filename: 'a.pdf', contentType: 'application/pdf', bytes: new Uint8Array(2_000_001).fill(0x25) }, 'larger'],
  ] as const)('%s is refused', (_name, a, message) => {
    const r = checkAttachments([a])
    expect(r.ok ? null : r.error).toMatchObject({ code: 'registration.attachment_invalid', index: 0, message: expect.stringContaining(message) })
  })
  test('more than 5 attachments are refused', () => {
    const a = { kind: 'certificate', filename: 'a.pdf', contentType: 'application/pdf', bytes: pdf } as const
    expect(checkAttachments(Array(6).fill(a)).ok).toBe(false)
  })
})

describe('R3.3 fees', () => {
  const cmd = { invoiceNumber: ' FP-2026-0001 ', amountCents: 26000, paidOn: '2026-11-20' }
  test('an approved candidate pays; the invoice number is trimmed', () => {
    expect(decidePayment('approved', null, false, cmd, '2026-11-25')).toEqual({ ok: true, value: { ...cmd, invoiceNumber: 'FP-2026-0001' } })
  })
  test.each([
    ['registered', null, false, '2026-11-25', { code: 'fee.not_approved', state: 'registered' }],
    ['rejected', null, false, '2026-11-25', { code: 'fee.not_approved', state: 'rejected' }],
    ['approved', 'FP-1', false, '2026-11-25', { code: 'fee.already_paid', invoiceNumber: 'FP-1' }],
    ['approved', null, true, '2026-11-25', { code: 'fee.invoice_taken', invoiceNumber: ' FP-2026-0001 ' }],
    ['approved', null, false, '2026-11-19', { code: 'fee.paid_on_future', paidOn: '2026-11-20', today: '2026-11-19' }],
  ] as const)('status %s, paid %s, invoice taken %s, today %s → refused', (status, paid, taken, today, error) => {
    expect(decidePayment(status, paid, taken, cmd, today)).toEqual({ ok: false, error })
  })
})
