/**
 * One candidate's registration (报名), R3.1: identity from the resident ID number, the occupation and level
 * applied for, and the earlier certificate the eligibility review (R3.2) will look at. This module only
 * checks that the record is well formed and consistent; eligibility is the registrar's decision.
 */
import { ok, refuse } from '../_result.ts'
import type { Result } from '../_result.ts'
import { assertCivilDate, parseLenientCivilDate } from './_civil-date.ts'
import type { CivilDate } from './_civil-date.ts'
import { parseResidentId } from './_resident-id.ts'
import type { Gender, IdErrorCode } from './_resident-id.ts'

/** National skill levels: 五级/初级工 = 5 … 一级/高级技师 = 1. */
export type Level = 1 | 2 | 3 | 4 | 5

/**
 * An earlier vocational qualification or skill-level certificate. Number and level are what the review
 * needs (the number can be looked up nationally); occupation and issue date help when given.
 */
export type EarlierCertificate = {
  number: string
  level: Level
  /** Occupation as printed on the certificate (name or code, free text). */
  occupation?: string
  issuedOn?: CivilDate
}

export type Registration = {
  /** The municipal platform's own candidate number, when it has one. */
  candidateId?: string
  name: string
  /** Normalised: 18 characters, check character upper-case. */
  residentId: string
  /** Always taken from the resident ID number (odd sequence = male). */
  gender: Gender
  /** Always taken from the resident ID number. */
  birthDate: CivilDate
  /** Mobile: 11 digits; landline: '023-63212345'. */
  phone?: string
  education?: string
  trainingUnit?: string
  occupationCode: string
  /** The catalogue's name when it has one, else the name given. */
  occupationName?: string
  level: Level
  workYears?: number
  earlierCertificate?: EarlierCertificate
}

/** What a form or an import row supplies: everything optional and loosely typed, checked here once. */
export type RegistrationInput = {
  candidateId?: string | null
  name?: string | null
  residentId?: string | null
  gender?: string | null
  birthDate?: string | null
  phone?: string | null
  education?: string | null
  trainingUnit?: string | null
  occupationCode?: string | null
  occupationName?: string | null
  level?: string | number | null
  workYears?: string | number | null
  earlierCertificate?: {
    number?: string | null
    occupation?: string | null
    level?: string | number | null
    issuedOn?: string | null
  } | null
}

/** The occupations (职业/工种) the body is filed for, by code, with the levels it may certify. */
export type OccupationCatalogue = ReadonlyMap<string, { levels: readonly number[]; name?: string }>

export type RegistrationContext = { today: CivilDate; occupations: OccupationCatalogue }

export type RegistrationField = Exclude<keyof Registration, 'earlierCertificate'> | `earlierCertificate.${keyof EarlierCertificate}`

export type FieldErrorCode =
  | IdErrorCode
  | 'registration.missing_field'
  | 'registration.too_long'
  | 'registration.invalid_name'
  | 'registration.invalid_gender'
  | 'registration.gender_mismatch'
  | 'registration.invalid_date'
  | 'registration.birth_date_mismatch'
  | 'registration.invalid_phone'
  | 'registration.unknown_occupation'
  | 'registration.occupation_name_mismatch'
  | 'registration.invalid_level'
  | 'registration.level_not_offered'
  | 'registration.invalid_work_years'

export type FieldError = { code: FieldErrorCode; field: RegistrationField; message: string; messageEn: string }

/** Field labels as the report form (呈报表) and the import headers name them. */
export const FIELD_LABELS: Readonly<Record<RegistrationField, { zh: string; en: string }>> = {
  candidateId: { zh: '考生编号', en: 'candidate number' },
  name: { zh: '姓名', en: 'name' },
  residentId: { zh: '身份证号', en: 'resident ID number' },
  gender: { zh: '性别', en: 'gender' },
  birthDate: { zh: '出生日期', en: 'birth date' },
  phone: { zh: '联系电话', en: 'phone' },
  education: { zh: '文化程度', en: 'education' },
  trainingUnit: { zh: '培训机构', en: 'training unit' },
  occupationCode: { zh: '职业编码', en: 'occupation code' },
  occupationName: { zh: '职业名称', en: 'occupation name' },
  level: { zh: '申报等级', en: 'level applied for' },
  workYears: { zh: '从业年限', en: 'years of work' },
  'earlierCertificate.number': { zh: '原证书编号', en: 'earlier certificate number' },
  'earlierCertificate.occupation': { zh: '原证书职业', en: 'earlier certificate occupation' },
  'earlierCertificate.level': { zh: '原证书等级', en: 'earlier certificate level' },
  'earlierCertificate.issuedOn': { zh: '原证书发证日期', en: 'earlier certificate issue date' },
}

const MAX_LENGTH: Partial<Record<RegistrationField, number>> = {
  candidateId: 32,
  name: 50,
  education: 20,
  trainingUnit: 100,
  occupationName: 50,
  'earlierCertificate.number': 40,
  'earlierCertificate.occupation': 50,
}

/**
 * Check one registration; every problem is reported, not just the first.
 * Example: validateRegistration({ name: '张三', residentId: '500103199003071239', occupationCode: '4-07-05-04', level: '四级' }, ctx)
 */
export function validateRegistration(input: RegistrationInput, ctx: RegistrationContext): Result<Registration, FieldError[]> {
  assertCivilDate('today', ctx.today)
  const errors: FieldError[] = []
  const fail = (field: RegistrationField, code: FieldErrorCode, message: string, messageEn: string) => {
    errors.push({ code, field, message, messageEn })
  }
  const required = (field: RegistrationField, value: string | undefined): value is string => {
    if (value !== undefined) return true
    const label = FIELD_LABELS[field]
    fail(field, 'registration.missing_field', `缺少${label.zh}`, `The ${label.en} is missing`)
    return false
  }
  const bounded = (field: RegistrationField, value: string | undefined): string | undefined => {
    const max = MAX_LENGTH[field]
    if (value === undefined || max === undefined || [...value].length <= max) return value
    const label = FIELD_LABELS[field]
    fail(field, 'registration.too_long', `${label.zh}不能超过${max}个字`, `The ${label.en} is longer than ${max} characters`)
    return value // still present: the refusal is recorded, and a second "missing" one would mislead
  }

  // Identity: gender and birth date come from the number; columns that state them must agree (a shifted
  // or mistyped row shows up here rather than later at the door, R6.2).
  const rawId = text(input.residentId)
  let identity: { number: string; gender: Gender; birthDate: CivilDate } | undefined
  if (required('residentId', rawId)) {
    const parsed = parseResidentId(rawId, ctx.today)
    if (parsed.ok) identity = parsed.value
    else fail('residentId', parsed.error.code, parsed.error.message, parsed.error.messageEn)
  }

  const rawGender = text(input.gender)
  if (rawGender !== undefined) {
    const gender = parseGender(rawGender)
    if (gender === null) fail('gender', 'registration.invalid_gender', '性别应填“男”或“女”', 'Gender must be 男 (male) or 女 (female)')
    else if (identity && gender !== identity.gender) {
      const idZh = identity.gender === 'male' ? '男' : '女'
      fail(
        'gender',
        'registration.gender_mismatch',
        `性别与身份证号不符（身份证号为${idZh}性）`,
        `The gender does not match the resident ID number (which says ${identity.gender})`,
      )
    }
  }

  const rawBirth = text(input.birthDate)
  if (rawBirth !== undefined) {
    const birth = parseLenientCivilDate(rawBirth)
    if (birth === null) invalidDate('birthDate', rawBirth)
    else if (identity && birth !== identity.birthDate) {
      fail(
        'birthDate',
        'registration.birth_date_mismatch',
        `出生日期与身份证号不符（身份证号为${identity.birthDate}）`,
        `The birth date does not match the resident ID number (which says ${identity.birthDate})`,
      )
    }
  }

  const name = bounded('name', normaliseName(text(input.name)))
  if (required('name', name) && !NAME.test(name)) {
    fail(
      'name',
      'registration.invalid_name',
      '姓名只能包含文字，少数民族姓名用“·”分隔，不能含数字或符号',
      'The name may contain only letters, with "·" between parts of a minority name; no digits or symbols',
    )
  }

  const rawPhone = text(input.phone)
  let phone: string | undefined
  if (rawPhone !== undefined) {
    phone = normalisePhone(rawPhone) ?? undefined
    if (phone === undefined) {
      fail(
        'phone',
        'registration.invalid_phone',
        '联系电话应为11位手机号或带区号的固定电话（如023-63212345）',
        'The phone must be an 11-digit mobile number or a landline with area code (e.g. 023-63212345)',
      )
    }
  }

  const occupationCode = text(input.occupationCode)?.normalize('NFKC')
  const occupationGiven = bounded('occupationName', text(input.occupationName))
  const occupation = occupationCode === undefined ? undefined : ctx.occupations.get(occupationCode)
  if (required('occupationCode', occupationCode) && occupation === undefined) {
    fail(
      'occupationCode',
      'registration.unknown_occupation',
      `职业编码“${occupationCode}”不在本机构备案的职业（工种）中`,
      `Occupation code "${occupationCode}" is not one this body is filed for`,
    )
  }
  if (occupation?.name !== undefined && occupationGiven !== undefined && occupationGiven !== occupation.name) {
    fail(
      'occupationName',
      'registration.occupation_name_mismatch',
      `职业名称“${occupationGiven}”与职业编码${occupationCode}（${occupation.name}）不符`,
      `Occupation name "${occupationGiven}" does not match code ${occupationCode} (${occupation.name})`,
    )
  }

  const rawLevel = text(input.level)
  let level: Level | undefined
  if (required('level', rawLevel)) {
    level = parseLevel(rawLevel) ?? undefined
    if (level === undefined) invalidLevel('level')
    else if (occupation !== undefined && !occupation.levels.includes(level)) {
      const offered = [...occupation.levels].sort((a, b) => b - a).map((l) => LEVEL_NAMES[l as Level] ?? String(l))
      fail(
        'level',
        'registration.level_not_offered',
        `该职业（工种）本机构只能认定${offered.join('、')}`,
        `This body certifies this occupation only at levels ${[...occupation.levels].sort((a, b) => b - a).join(', ')}`,
      )
      level = undefined
    }
  }

  const rawYears = text(input.workYears)
  let workYears: number | undefined
  if (rawYears !== undefined) {
    workYears = parseWorkYears(rawYears) ?? undefined
    if (workYears === undefined) {
      fail('workYears', 'registration.invalid_work_years', '从业年限应为0到60之间的数字（年）', 'Years of work must be a number of years from 0 to 60')
    }
  }

  const earlierCertificate = validateEarlierCertificate()

  const candidateId = bounded('candidateId', text(input.candidateId))
  const education = bounded('education', text(input.education))
  const trainingUnit = bounded('trainingUnit', text(input.trainingUnit))

  if (errors.length > 0 || !identity || name === undefined || occupationCode === undefined || level === undefined) {
    return refuse(errors)
  }
  const occupationName = occupation?.name ?? occupationGiven
  return ok({
    ...(candidateId !== undefined && { candidateId }),
    name,
    residentId: identity.number,
    gender: identity.gender,
    birthDate: identity.birthDate,
    ...(phone !== undefined && { phone }),
    ...(education !== undefined && { education }),
    ...(trainingUnit !== undefined && { trainingUnit }),
    occupationCode,
    ...(occupationName !== undefined && { occupationName }),
    level,
    ...(workYears !== undefined && { workYears }),
    ...(earlierCertificate !== undefined && { earlierCertificate }),
  })

  function invalidDate(field: RegistrationField, raw: string): void {
    const label = FIELD_LABELS[field]
    fail(
      field,
      'registration.invalid_date',
      `${label.zh}“${raw}”不是有效日期，请写成“1990-01-05”的形式`,
      `The ${label.en} "${raw}" is not a valid date; write it like 1990-01-05`,
    )
  }

  function invalidLevel(field: RegistrationField): void {
    const label = FIELD_LABELS[field]
    fail(
      field,
      'registration.invalid_level',
      `${label.zh}应为一级至五级（或高级技师、技师、高级工、中级工、初级工）`,
      `The ${label.en} must be a level from 1 to 5 (一级 … 五级)`,
    )
  }

  // The certificate is optional, but once any of its columns is filled in, its number and level are needed.
  function validateEarlierCertificate(): EarlierCertificate | undefined {
    const given = input.earlierCertificate
    if (!given) return undefined
    const number = bounded('earlierCertificate.number', text(given.number))
    const certOccupation = bounded('earlierCertificate.occupation', text(given.occupation))
    const rawCertLevel = text(given.level)
    const rawIssued = text(given.issuedOn)
    if ([number, certOccupation, rawCertLevel, rawIssued].every((v) => v === undefined)) return undefined

    let certLevel: Level | undefined
    if (required('earlierCertificate.level', rawCertLevel)) {
      certLevel = parseLevel(rawCertLevel) ?? undefined
      if (certLevel === undefined) invalidLevel('earlierCertificate.level')
    }
    let issuedOn: CivilDate | undefined
    let issuedOk = true
    if (rawIssued !== undefined) {
      issuedOn = parseLenientCivilDate(rawIssued) ?? undefined
      issuedOk = issuedOn !== undefined
      if (issuedOn === undefined) invalidDate('earlierCertificate.issuedOn', rawIssued)
      else if (issuedOn > ctx.today || (identity && issuedOn <= identity.birthDate)) {
        fail(
          'earlierCertificate.issuedOn',
          'registration.invalid_date',
          `原证书发证日期${issuedOn}不可能（晚于今天或早于出生日期）`,
          `The earlier certificate's issue date ${issuedOn} is impossible (after today or before birth)`,
        )
        issuedOk = false
      }
    }
    if (!required('earlierCertificate.number', number) || certLevel === undefined || !issuedOk) return undefined
    return {
      number,
      level: certLevel,
      ...(certOccupation !== undefined && { occupation: certOccupation }),
      ...(issuedOn !== undefined && { issuedOn }),
    }
  }
}

/** Trimmed text, or undefined for absent and blank values (a blank cell is an absent value). */
function text(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined
  const s = (typeof value === 'number' ? String(value) : value).trim()
  return s === '' ? undefined : s
}

// Middle-dot look-alikes people type between parts of a minority name; the ID card uses U+00B7.
const MIDDLE_DOTS = /[\u2022\u2027\u30FB\uFF0E\uFF65\u2219\u22C5]/g
function normaliseName(name: string | undefined): string | undefined {
  return name?.replace(MIDDLE_DOTS, '·').replace(/\s+/g, ' ')
}
// Letters (any script) joined by single spaces, '·', apostrophes or hyphens; no digits or symbols.
const NAME = /^[\p{L}\p{M}]+(?:[ ·'-][\p{L}\p{M}]+)*$/u

function parseGender(raw: string): Gender | null {
  // GB/T 2261.1 codes 1 and 2 are what some systems export instead of 男/女.
  switch (raw.normalize('NFKC').toLowerCase()) {
    case '男':
    case '男性':
    case 'male':
    case 'm':
    case '1':
      return 'male'
    case '女':
    case '女性':
    case 'female':
    case 'f':
    case '2':
      return 'female'
    default:
      return null
  }
}

/** Level names as the national occupational standards print them (2019 level reform: 五级 = 初级工). */
export const LEVEL_NAMES: Readonly<Record<Level, string>> = {
  5: '五级/初级工',
  4: '四级/中级工',
  3: '三级/高级工',
  2: '二级/技师',
  1: '一级/高级技师',
}
const LEVEL_WORDS: ReadonlyMap<string, Level> = new Map<string, Level>([
  ['1', 1],
  ['2', 2],
  ['3', 3],
  ['4', 4],
  ['5', 5],
  ['一级', 1],
  ['二级', 2],
  ['三级', 3],
  ['四级', 4],
  ['五级', 5],
  ['1级', 1],
  ['2级', 2],
  ['3级', 3],
  ['4级', 4],
  ['5级', 5],
  ['高级技师', 1],
  ['技师', 2],
  ['高级工', 3],
  ['中级工', 4],
  ['初级工', 5],
  // Older vocational-qualification certificates (职业资格证书) print 初级/中级/高级.
  ['高级', 3],
  ['中级', 4],
  ['初级', 5],
])

/**
 * A level written any of the usual ways: 3, '三级', '高级工', '三级/高级工', '三级（高级工）'.
 * Where both a number and a name are given they must agree.
 */
export function parseLevel(raw: string | number): Level | null {
  const parts = String(raw)
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .split(/[/()、]/)
    .filter((p) => p !== '')
  if (parts.length === 0) return null
  const levels = parts.map((p) => LEVEL_WORDS.get(p))
  const first = levels[0]
  return first !== undefined && levels.every((l) => l === first) ? first : null
}

function normalisePhone(raw: string): string | null {
  let digits = raw.normalize('NFKC').replace(/[\s\-()]/g, '')
  digits = digits.replace(/^(?:\+86|0086)/, '')
  if (/^1[3-9]\d{9}$/.test(digits)) return digits
  // Landline: area codes 010 and 02x have 3 digits, all others 4; local numbers have 7 or 8 digits.
  const m = /^(010|02\d|0[3-9]\d{2})(\d{7,8})$/.exec(digits)
  return m ? `${m[1]}-${m[2]}` : null
}

function parseWorkYears(raw: string): number | null {
  const t = raw.normalize('NFKC').replace(/\s*年$/, '')
  if (!/^\d{1,2}(\.\d)?$/.test(t)) return null
  const n = Number(t)
  return n <= 60 ? n : null
}
