import { describe, expect, test } from 'vitest'
import {
  type Announcement,
  type ImportRowError,
  type SubjectResult,
  catalogueOf,
  decideDeskRegistration,
  decideSitting,
  forThisBatch,
  importCatalogue,
  importRowRefusal,
  notThisBatch,
} from '../server/domain/lifecycle/index.ts'
import { makeResidentId } from '../server/domain/registration/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import { ELECTRICIAN, completeDraft } from './_lifecycle.ts'

const batch = completeDraft('2026-12-28', { status: 'announced' })
const announcement: Announcement = {
  id: 'a',
  batchId: 'batch-1',
  publishedOn: '2026-10-01',
  publishedOnDocumented: null,
  createdAt: 0,
  content: { contentAndMethod: 'x', registration: { place: 'p', until: '2026-12-01', how: 'h' }, conditions: 'c', fees: 'f' },
}
const OTHER = { ...ELECTRICIAN, code: '4-07-05-04', name: '企业人力资源管理师' }
const ctx = { today: '2026-11-01', occupations: catalogueOf([ELECTRICIAN, OTHER]) }
const ZHANG = makeResidentId('500103', '1990-03-07', 123)
const photo = makeDemoPhotoPng(240, 320, 1)
const form = (over: { input?: object; photo?: Uint8Array | null } = {}) => ({
  input: { name: '张三', residentId: ZHANG, ...over.input },
  photo: over.photo === undefined ? photo : over.photo,
  attachments: [],
})
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)

describe('a desk registration is for this batch (R3.1)', () => {
  test("a form that leaves occupation and level blank registers for the batch's own", () => {
    expect(forThisBatch(batch, { name: '张三', occupationCode: ' ', level: null })).toEqual({ name: '张三', occupationCode: ELECTRICIAN.code, level: 4 })
    const r = decideDeskRegistration(batch, announcement, form(), ctx)
    expect(r.ok && [r.value.registration.occupationCode, r.value.registration.level, r.value.photo.format]).toEqual([ELECTRICIAN.code, 4, 'png'])
  })

  test.each([
    ['another occupation', { occupationCode: OTHER.code }],
    ['another level', { level: 5 }],
  ])('a registration for %s is refused (registration.not_this_batch)', (_name, input) => {
    expect(decideDeskRegistration(batch, announcement, form({ input }), ctx)).toEqual({
      ok: false,
      error: { code: 'registration.not_this_batch', occupationCode: ELECTRICIAN.code, level: 4 },
    })
  })

  test.each([
    ['before the announcement', 'registration.not_open', completeDraft('2026-12-28', { status: 'filed' }), null, ctx.today],
    ['after the closing day', 'registration.closed', batch, announcement, '2026-12-02'],
  ] as const)('nothing is taken %s (%s)', (_name, code, b, a, today) => {
    expect(codeOf(decideDeskRegistration(b, a, form(), { ...ctx, today }))).toBe(code)
  })

  test('an invalid form is refused with its field errors (registration.invalid)', () => {
    expect(codeOf(decideDeskRegistration(batch, announcement, form({ input: { residentId: '123' } }), ctx))).toBe('registration.invalid')
  })

  test('the desk needs a photo: the ticket prints it (registration.photo_required)', () => {
    expect(codeOf(decideDeskRegistration(batch, announcement, form({ photo: null }), ctx))).toBe('registration.photo_required')
  })

  test('a photo that is not an image is refused (registration.photo_invalid)', () => {
    expect(codeOf(decideDeskRegistration(batch, announcement, form({ photo: new Uint8Array([1, 2, 3]) }), ctx))).toBe('registration.photo_invalid')
  })

  test('an attachment that is not what it says is refused (registration.attachment_invalid)', () => {
    const bad = { ...form(), attachments: [{ kind: 'certificate' as const, filename: 'c.pdf', contentType: 'application/pdf' as const, bytes: photo }] }
    expect(codeOf(decideDeskRegistration(batch, announcement, bad, ctx))).toBe('registration.attachment_invalid')
  })
})

describe('one registration per person per batch; retakes under R7.3', () => {
  const result = (kind: SubjectResult['subjectKind'], examDate: string, passed: boolean, attempt = 1): SubjectResult => ({
    occupationCode: ELECTRICIAN.code,
    level: 4,
    subjectKind: kind,
    examDate,
    passed,
    attempt,
  })

  test('a person already registered in the batch is refused (registration.duplicate)', () => {
    expect(decideSitting(batch, { registered: true, results: [] })).toEqual({ ok: false, error: { code: 'registration.duplicate' } })
  })

  test('a new person sits everything; after a partial pass, only the failed subject', () => {
    expect(decideSitting(batch, { registered: false, results: [] })).toEqual({ ok: true, value: { kind: 'full' } })
    expect(decideSitting(batch, { registered: false, results: [result('theory', '2026-06-20', true), result('practical', '2026-06-20', false)] })).toEqual({
      ok: true,
      value: { kind: 'retake', subjects: ['practical'], carried: ['theory'] },
    })
  })

  test("a pass older than a year at the batch's exam date carries nothing: a fresh full sitting (R7.3)", () => {
    expect(decideSitting(batch, { registered: false, results: [result('theory', '2025-12-01', true), result('practical', '2025-12-01', false)] })).toEqual({
      ok: true,
      value: { kind: 'full' },
    })
  })
})

describe("an import takes this batch's occupation and level only", () => {
  test("the import catalogue offers the batch's occupation at its level and nothing else", () => {
    expect([...importCatalogue(batch, ELECTRICIAN)]).toEqual([[ELECTRICIAN.code, { name: '电工', levels: [4] }]])
  })

  test.each(['registration.unknown_occupation', 'registration.level_not_offered'])('a row refused as %s is reported as not for this batch', (code) => {
    const e: ImportRowError = { row: 3, column: 'level', code, message: 'm', messageEn: 'e' }
    expect(notThisBatch(e, batch, ELECTRICIAN)).toMatchObject({
      row: 3,
      column: 'level',
      code: 'registration.not_this_batch',
      messageEn: `This batch takes registrations for ${ELECTRICIAN.code} at level 4 only`,
    })
  })

  test('other row errors are reported as they are', () => {
    const e: ImportRowError = { row: 3, column: 'name', code: 'registration.missing_field', message: 'm', messageEn: 'e' }
    expect(notThisBatch(e, batch, ELECTRICIAN)).toBe(e)
  })

  test.each([
    [{ code: 'registration.duplicate' } as const, 'import.already_registered', 'This resident ID number is already registered for this batch'],
    [
      { code: 'registration.retake_not_allowed', reason: 'retake_used' } as const,
      'registration.retake_not_allowed',
      'The failed subject was already retaken once; no further retake',
    ],
  ])('a person refused with %o is reported at their row as %s', (error, code, messageEn) => {
    expect(importRowRefusal(7, error)).toMatchObject({ row: 7, column: '', code, messageEn })
  })
})
