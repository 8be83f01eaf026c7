import { describe, expect, test } from 'vitest'
import { makeResidentId, parseLevel, validateRegistration } from '../server/domain/registration/index.ts'
import type { FieldError, OccupationCatalogue, RegistrationInput } from '../server/domain/registration/index.ts'

const occupations: OccupationCatalogue = new Map([
  ['4-07-05-04', { levels: [5, 4, 3], name: '企业人力资源管理师' }],
  ['6-31-01-03', { levels: [5, 4, 3, 2, 1] }],
])
const ctx = { today: '2025-06-01', occupations }
const ZHANG = makeResidentId('500103', '1990-03-07', 123) // male
const LI = makeResidentId('500112', '1988-11-20', 246) // female

const base: RegistrationInput = { name: '张三', residentId: ZHANG, occupationCode: '4-07-05-04', level: '四级' }

function errorsOf(input: RegistrationInput): FieldError[] {
  const r = validateRegistration(input, ctx)
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}
const codes = (input: RegistrationInput) => errorsOf(input).map((e) => [e.field, e.code])

describe('a valid registration', () => {
  test('takes gender and birth date from the resident ID number and the occupation name from the catalogue', () => {
    expect(validateRegistration(base, ctx)).toEqual({
      ok: true,
      value: {
        name: '张三',
        residentId: ZHANG,
        gender: 'male',
        birthDate: '1990-03-07',
        occupationCode: '4-07-05-04',
        occupationName: '企业人力资源管理师',
        level: 4,
      },
    })
  })

  test('keeps every optional field, normalised', () => {
    const r = validateRegistration(
      {
        ...base,
        residentId: LI,
        name: ' 李  四 ',
        candidateId: 'CQ2025-0001',
        gender: '女',
        birthDate: '1988/11/20',
        phone: '+86 138-0013-8000',
        education: '大专',
        trainingUnit: '重庆市某职业培训学校',
        occupationName: '企业人力资源管理师',
        level: '三级/高级工',
        workYears: '6年',
        earlierCertificate: { number: 'S000050010400041900123', occupation: '企业人力资源管理师', level: '四级', issuedOn: '2019年5月8日' },
      },
      ctx,
    )
    expect(r).toEqual({
      ok: true,
      value: {
        candidateId: 'CQ2025-0001',
        name: '李 四',
        residentId: LI,
        gender: 'female',
        birthDate: '1988-11-20',
        phone: '13800138000',
        education: '大专',
        trainingUnit: '重庆市某职业培训学校',
        occupationCode: '4-07-05-04',
        occupationName: '企业人力资源管理师',
        level: 3,
        workYears: 6,
        earlierCertificate: { number: 'S000050010400041900123', occupation: '企业人力资源管理师', level: 4, issuedOn: '2019-05-08' },
      },
    })
  })

  test('accepts minority names with a middle dot, normalising look-alike dots to U+00B7', () => {
    expect(validateRegistration({ ...base, name: '买买提・艾力' }, ctx)).toMatchObject({ ok: true, value: { name: '买买提·艾力' } })
  })

  test('a landline is kept with its area code: 3 digits for 010 and 02x, 4 otherwise', () => {
    expect(validateRegistration({ ...base, phone: '023 6321 2345' }, ctx)).toMatchObject({ value: { phone: '023-63212345' } })
    expect(validateRegistration({ ...base, phone: '0812-3345678' }, ctx)).toMatchObject({ value: { phone: '0812-3345678' } })
  })

  test('a blank optional field is an absent one', () => {
    const r = validateRegistration({ ...base, phone: '  ', gender: '', earlierCertificate: { number: '', level: ' ' } }, ctx)
    expect(r.ok && Object.keys(r.value).sort()).toEqual(['birthDate', 'gender', 'level', 'name', 'occupationCode', 'occupationName', 'residentId'])
  })
})

describe('refusals, all reported together', () => {
  test('missing required fields are each reported (registration.missing_field)', () => {
    expect(codes({})).toEqual([
      ['residentId', 'registration.missing_field'],
      ['name', 'registration.missing_field'],
      ['occupationCode', 'registration.missing_field'],
      ['level', 'registration.missing_field'],
    ])
  })

  test('a bad resident ID number is reported with the id.* code on the residentId field', () => {
    expect(codes({ ...base, residentId: ZHANG.slice(0, 17) + '0' })).toEqual([['residentId', 'id.check_digit']])
  })

  test('a gender or birth date that contradicts the ID number is refused', () => {
    expect(codes({ ...base, gender: '女', birthDate: '1990-03-08' })).toEqual([
      ['gender', 'registration.gender_mismatch'],
      ['birthDate', 'registration.birth_date_mismatch'],
    ])
  })

  test('an unreadable gender or date is refused (registration.invalid_gender, registration.invalid_date)', () => {
    expect(codes({ ...base, gender: '未知', birthDate: '07/03/1990' })).toEqual([
      ['gender', 'registration.invalid_gender'],
      ['birthDate', 'registration.invalid_date'],
    ])
  })

  test('an occupation the body is not filed for is refused (registration.unknown_occupation)', () => {
    expect(codes({ ...base, occupationCode: '2-02-10-09' })).toEqual([['occupationCode', 'registration.unknown_occupation']])
  })

  test('a level the occupation is not certified at here is refused (registration.level_not_offered)', () => {
    const e = errorsOf({ ...base, level: '二级' })
    expect(e.map((x) => x.code)).toEqual(['registration.level_not_offered'])
    expect(e[0]!.message).toContain('三级/高级工')
  })

  test('an occupation name that does not match the code is refused (a shifted column shows up here)', () => {
    expect(codes({ ...base, occupationName: '电工' })).toEqual([['occupationName', 'registration.occupation_name_mismatch']])
  })

  test('names with digits or symbols, and over-long fields, are refused', () => {
    expect(codes({ ...base, name: '张三1' })).toEqual([['name', 'registration.invalid_name']])
    expect(codes({ ...base, name: '<b>张三</b>' })).toEqual([['name', 'registration.invalid_name']])
    expect(codes({ ...base, trainingUnit: '培'.repeat(101) })).toEqual([['trainingUnit', 'registration.too_long']])
  })

  test('phones that are neither a mobile nor a landline with area code are refused', () => {
    for (const phone of ['12800138000', '1380013800', '63212345', '1.38E+10']) {
      expect(codes({ ...base, phone })).toEqual([['phone', 'registration.invalid_phone']])
    }
  })

  test('work years must be 0–60 (registration.invalid_work_years)', () => {
    expect(codes({ ...base, workYears: '61' })).toEqual([['workYears', 'registration.invalid_work_years']])
    expect(codes({ ...base, workYears: '-1' })).toEqual([['workYears', 'registration.invalid_work_years']])
    expect(validateRegistration({ ...base, workYears: 2.5 }, ctx)).toMatchObject({ value: { workYears: 2.5 } })
  })

  test('an earlier certificate needs a number and a level once any of its fields is given', () => {
    expect(codes({ ...base, earlierCertificate: { occupation: '电工' } })).toEqual([
      ['earlierCertificate.level', 'registration.missing_field'],
      ['earlierCertificate.number', 'registration.missing_field'],
    ])
  })

  test('an earlier certificate issued in the future or before birth is refused', () => {
    expect(codes({ ...base, earlierCertificate: { number: 'X1', level: 5, issuedOn: '2025-06-02' } })).toEqual([
      ['earlierCertificate.issuedOn', 'registration.invalid_date'],
    ])
    expect(codes({ ...base, earlierCertificate: { number: 'X1', level: 5, issuedOn: '1980-01-01' } })).toEqual([
      ['earlierCertificate.issuedOn', 'registration.invalid_date'],
    ])
  })

  test('every error carries a Chinese and an English message', () => {
    for (const e of errorsOf({ residentId: 'x', gender: '?', phone: '1', level: '六级', workYears: 'many' })) {
      expect(e.message).toMatch(/[\u4e00-\u9fff]/)
      expect(e.messageEn).not.toMatch(/[\u4e00-\u9fff]{3}/)
    }
  })
})

describe('parseLevel', () => {
  test('reads numbers, 一级…五级 and the worker titles, alone or combined', () => {
    const cases: Array<[string | number, number | null]> = [
      [5, 5],
      ['1', 1],
      ['五级', 5],
      ['4级', 4],
      ['高级技师', 1],
      ['技师', 2],
      ['高级工', 3],
      ['中级工', 4],
      ['初级工', 5],
      ['三级/高级工', 3],
      ['三级（高级工）', 3],
      ['二级 / 技师', 2],
      ['初级', 5],
      ['三级/中级工', null],
      ['六级', null],
      ['0', null],
      ['', null],
      ['高级技工', null],
    ]
    for (const [raw, level] of cases) expect([raw, parseLevel(raw)]).toEqual([raw, level])
  })
})
