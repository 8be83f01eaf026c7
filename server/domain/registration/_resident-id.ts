/**
 * Citizen identification numbers (公民身份号码), GB 11643-1999. R3.1: registration stores identity
 * validated by the check character.
 *
 *   110105 19491231 002 X
 *   area   birth    seq check      seq odd = male, even = female; check = ISO 7064 MOD 11-2
 *
 * The same 18-character format is used by the residence permits of Hong Kong, Macao and Taiwan
 * residents (area codes 81, 82, 83), so they are accepted too.
 */
import { ok, refuse } from '../_result.ts'
import type { Result } from '../_result.ts'
import { assertCivilDate, formatCivilDate, isRealDate } from './_civil-date.ts'
import type { CivilDate } from './_civil-date.ts'

export type Gender = 'male' | 'female'

export type ResidentId = {
  /** 18 characters, check character upper-case. */
  number: string
  birthDate: CivilDate
  gender: Gender
  /** The 6-digit administrative division code (GB/T 2260) where the number was first issued. */
  areaCode: string
}

type Messages = { message: string; messageEn: string }
export type IdError = Messages &
  (
    | { code: 'id.length'; length: number }
    | { code: 'id.characters' }
    | { code: 'id.area'; prefix: string }
    | { code: 'id.birth_date'; reason: 'not_a_date' | 'in_future' | 'before_1900'; birthDigits: string }
    | { code: 'id.check_digit'; expected: string; actual: string }
  )
export type IdErrorCode = IdError['code']

/** Province-level prefixes of GB/T 2260; 83 is the Taiwan residents' residence permit (2018). */
export const PROVINCE_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['11', '北京'],
  ['12', '天津'],
  ['13', '河北'],
  ['14', '山西'],
  ['15', '内蒙古'],
  ['21', '辽宁'],
  ['22', '吉林'],
  ['23', '黑龙江'],
  ['31', '上海'],
  ['32', '江苏'],
  ['33', '浙江'],
  ['34', '安徽'],
  ['35', '福建'],
  ['36', '江西'],
  ['37', '山东'],
  ['41', '河南'],
  ['42', '湖北'],
  ['43', '湖南'],
  ['44', '广东'],
  ['45', '广西'],
  ['46', '海南'],
  ['50', '重庆'],
  ['51', '四川'],
  ['52', '贵州'],
  ['53', '云南'],
  ['54', '西藏'],
  ['61', '陕西'],
  ['62', '甘肃'],
  ['63', '青海'],
  ['64', '宁夏'],
  ['65', '新疆'],
  ['71', '台湾'],
  ['81', '香港'],
  ['82', '澳门'],
  ['83', '台湾'],
])

// GB 11643-1999 §8.2: weight of position i (1-based from the left) is 2^(18-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
// The check character is the value that makes the weighted sum ≡ 1 (mod 11); indexed by sum mod 11.
const CHECK_CHARS = '10X98765432'
// A living exam candidate is not born before 1900; the standard's own 1880 example is history.
const EARLIEST_BIRTH = '1900-01-01'

/** The check character for 17 digits. Example: residentIdCheckChar('11010519491231002') === 'X' */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`"first17" expected 17 digits, got ${JSON.stringify(first17)}`)
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

/**
 * Parse and validate a resident ID number as a person typed or a spreadsheet exported it: white space is
 * dropped, full-width digits and a lower-case x are normalised. Checks run in the order length,
 * characters, area, birth date, check character, and the first failure is returned.
 * Example: parseResidentId('11010519491231002x', '2025-01-01') → ok { number: '11010519491231002X', gender: 'female', … }
 */
export function parseResidentId(raw: string, today: CivilDate): Result<ResidentId, IdError> {
  assertCivilDate('today', today)
  // NFKC folds full-width ０-９ and Ｘ (common with Chinese input methods) to ASCII.
  const number = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase()

  if (SCIENTIFIC.test(number)) return refuse(scientificError())
  if (number.length !== 18) return refuse(lengthError(number))
  if (!/^\d{17}[\dX]$/.test(number)) {
    return refuse({
      code: 'id.characters',
      message: '身份证号前17位应为数字，最后一位为数字或X',
      messageEn: 'The first 17 characters must be digits and the last a digit or X',
    })
  }

  const prefix = number.slice(0, 2)
  if (!PROVINCE_PREFIXES.has(prefix)) {
    return refuse({
      code: 'id.area',
      prefix,
      message: `身份证号前两位“${prefix}”不是有效的省级行政区划代码`,
      messageEn: `The first two digits "${prefix}" are not a province code`,
    })
  }

  const birthDigits = number.slice(6, 14)
  const [y, m, d] = [Number(birthDigits.slice(0, 4)), Number(birthDigits.slice(4, 6)), Number(birthDigits.slice(6, 8))]
  if (!isRealDate(y, m, d)) {
    return refuse({
      code: 'id.birth_date',
      reason: 'not_a_date',
      birthDigits,
      message: `身份证号中的出生日期“${birthDigits}”不是有效日期`,
      messageEn: `The birth date in the number, "${birthDigits}", is not a real date`,
    })
  }
  const birthDate = formatCivilDate(y, m, d)
  if (birthDate > today) {
    return refuse({
      code: 'id.birth_date',
      reason: 'in_future',
      birthDigits,
      message: `身份证号中的出生日期${birthDate}晚于今天（${today}）`,
      messageEn: `The birth date in the number, ${birthDate}, is after today (${today})`,
    })
  }
  if (birthDate < EARLIEST_BIRTH) {
    return refuse({
      code: 'id.birth_date',
      reason: 'before_1900',
      birthDigits,
      message: `身份证号中的出生日期${birthDate}早于1900年`,
      messageEn: `The birth date in the number, ${birthDate}, is before 1900`,
    })
  }

  const expected = residentIdCheckChar(number.slice(0, 17))
  const actual = number[17]!
  if (actual !== expected) {
    return refuse({
      code: 'id.check_digit',
      expected,
      actual,
      message: `身份证号校验位错误：按前17位应为“${expected}”，实际为“${actual}”，请核对号码`,
      messageEn: `Wrong check character: the first 17 digits give "${expected}", the number ends in "${actual}"; check the number`,
    })
  }

  return ok({
    number,
    birthDate,
    gender: Number(number[16]) % 2 === 1 ? 'male' : 'female',
    areaCode: number.slice(0, 6),
  })
}

function lengthError(number: string): IdError {
  const n = [...number].length
  // First-generation cards (15 digits, no century, no check character) expired at the end of 2013.
  const old = n === 15 && /^\d{15}$/.test(number)
  return {
    code: 'id.length',
    length: n,
    message: old ? '这是15位旧身份证号，已停止使用，请填写18位身份证号' : `身份证号应为18位，实际为${n}位`,
    messageEn: old ? 'This is an old 15-digit number, no longer in use; enter the 18-character number' : `A resident ID number has 18 characters; got ${n}`,
  }
}

// Excel shows an 18-digit number typed into a General cell as 1.10105E+17 and exports it that way; the
// digits after the 15th are lost, so the number must be typed again, not converted back.
const SCIENTIFIC = /^\d(\.\d+)?E\+?\d+$/
function scientificError(): IdError {
  return {
    code: 'id.characters',
    message: '身份证号被电子表格改成了科学计数法（如1.10105E+17），请把该列设为“文本”格式后重新填写导出',
    messageEn: 'A spreadsheet turned the number into scientific notation (e.g. 1.10105E+17); format the column as Text, re-enter and export again',
  }
}

/**
 * Build a valid number (check character computed), for fictional demo and test identities.
 * Example: makeResidentId('500103', '1990-03-07', 123) === '500103199003071239'
 */
export function makeResidentId(area: string, birth: CivilDate, seq: number): string {
  if (!/^\d{6}$/.test(area) || !PROVINCE_PREFIXES.has(area.slice(0, 2))) {
    throw new RangeError(`"area" expected a 6-digit code with a province prefix, got ${JSON.stringify(area)}`)
  }
  assertCivilDate('birth', birth)
  if (!Number.isInteger(seq) || seq < 0 || seq > 999) throw new RangeError(`"seq" expected an integer 0..999, got ${seq}`)
  const first17 = area + birth.replaceAll('-', '') + String(seq).padStart(3, '0')
  return first17 + residentIdCheckChar(first17)
}
