/**
 * Certificate numbers in the national skill-level certificate form (R8.2): a capital letter and 21 digits.
 *
 *   pos 1      category: Y an employer (用人单位), S a social training and evaluation organisation (社会培训评价组织)
 *   pos 2–5    the body's code from the ministry; 0000 when the body is filed with the province only
 *   pos 6–7    the province code (GB/T 2260; Chongqing 50)
 *   pos 8–13   the body's (or site's) sequence code given by the province
 *   pos 14–15  the last two digits of the issuing year
 *   pos 16     the level code: 1 = 一级/高级技师 … 5 = 五级/初级工
 *   pos 17–22  the certificate's sequence within body, year and level, 000001–999999
 *
 * Positions 1–13 are configured per body; 14–22 are computed. Uniqueness is the database's to enforce.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { type Level, PROVINCE_PREFIXES } from '../registration/index.ts'
import { type CertificateRefusal, NUMBER_PARTS, type NumberPart } from './_refusals.ts'

export const BODY_CATEGORIES = ['Y', 'S'] as const
export type BodyCategory = (typeof BODY_CATEGORIES)[number]

/** Positions 1–13 of every number the body issues. */
export interface BodyNumberConfig {
  category: BodyCategory
  /** 4 digits; '0000' when filed with the province only. */
  ministryCode: string
  /** 2 digits, a mainland province (Chongqing '50'). */
  provinceCode: string
  /** 6 digits given by the province, not 000000. */
  sequenceCode: string
}

/** A number taken apart. */
export interface CertificateNumber extends BodyNumberConfig {
  /** The last two digits of the issuing year. */
  yearDigits: string
  level: Level
  seq: number
}

export const MAX_SEQ = 999_999
/** Mainland provinces: certificates are filed with a mainland provincial department (Taiwan, Hong Kong, Macau excluded). */
export const CERTIFICATE_PROVINCES: ReadonlySet<string> = new Set([...PROVINCE_PREFIXES.keys()].filter((p) => Number(p) < 70))

type NumberRefusal = Extract<CertificateRefusal, { code: 'certificate.number_invalid' }>
type ConfigRefusal = Extract<CertificateRefusal, { code: 'certificate.body_config_invalid' }>

/** The first position in `text` (0-based offset `from`) that is not an ASCII digit, or -1. */
const firstNonDigit = (text: string, from = 0): number => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 48 || text.charCodeAt(i) > 57) return from + i
  return -1
}

/**
 * Why part `part` (its text `s`) is wrong, with the 1-based position of the first bad character; null when
 * right. Characters are checked before the length, so a short part with a bad character names that character.
 */
function partProblem(part: Exclude<NumberPart, 'length'>, s: string): { position: number; reason: string; short?: true } | null {
  const [start, end] = NUMBER_PARTS[part]
  const width = end - start + 1
  if (part === 'category') {
    if (s.length > 0 && !(BODY_CATEGORIES as readonly string[]).includes(s[0]!))
      return { position: start, reason: `category ${JSON.stringify(s[0])} is neither Y (employer) nor S (social organisation)` }
  } else {
    const bad = firstNonDigit(s)
    if (bad >= 0 && bad < width) return { position: start + bad, reason: `${JSON.stringify(s[bad])} is not a digit` }
  }
  if (s.length !== width) return { position: start + Math.min(s.length, width), reason: `expected ${width} characters, got ${s.length}`, short: true }
  if (part === 'provinceCode' && !CERTIFICATE_PROVINCES.has(s)) return { position: start, reason: `${s} is not a mainland province code` }
  if (part === 'sequenceCode' && s === '000000') return { position: start, reason: 'sequence code 000000 is not one the province gives' }
  if (part === 'level' && (s < '1' || s > '5')) return { position: start, reason: `level code ${s} is not 1–5` }
  if (part === 'seq' && s === '000000') return { position: start, reason: 'sequence 000000: numbers start at 000001' }
  return null
}

const CONFIG_PARTS = ['category', 'ministryCode', 'provinceCode', 'sequenceCode'] as const

/** Checks a body's configured positions 1–13; the first bad part is refused with its position. */
export function validateBodyNumberConfig(config: BodyNumberConfig): Result<BodyNumberConfig, ConfigRefusal> {
  for (const part of CONFIG_PARTS) {
    const value: unknown = config?.[part]
    const problem = typeof value === 'string' ? partProblem(part, value) : { position: NUMBER_PARTS[part][0], reason: `${part} is missing` }
    if (problem) return refuse({ code: 'certificate.body_config_invalid', part, position: problem.position, reason: problem.reason })
  }
  return ok({ category: config.category, ministryCode: config.ministryCode, provinceCode: config.provinceCode, sequenceCode: config.sequenceCode })
}

/**
 * Positions 1–16: what every number of this body, year and level starts with (the store counts sequences
 * within it). `certificateNumberPrefix({ category: 'S', ministryCode: '0000', provinceCode: '50', sequenceCode: '000001' }, 2026, 4)`
 * → ok('S000050000001264')
 */
export function certificateNumberPrefix(config: BodyNumberConfig, year: number, level: number): Result<string, NumberRefusal | ConfigRefusal> {
  const c = validateBodyNumberConfig(config)
  if (!c.ok) return c
  if (!Number.isInteger(year) || year < 2000 || year > 2099)
    return refuse({
      code: 'certificate.number_invalid',
      part: 'year',
      position: 14,
      reason: `year ${year} is outside 2000–2099 (two digits cannot tell the century)`,
    })
  if (!Number.isInteger(level) || level < 1 || level > 5)
    return refuse({ code: 'certificate.number_invalid', part: 'level', position: 16, reason: `level ${level} is not 1–5` })
  return ok(`${config.category}${config.ministryCode}${config.provinceCode}${config.sequenceCode}${String(year % 100).padStart(2, '0')}${level}`)
}

/**
 * The full 22-character number. `certificateNumber(config, 2026, 4, 17)` → ok('S000050000001264000017');
 * a sequence past 999999 is `certificate.sequence_exhausted` (the body, year and level have no number left).
 */
export function certificateNumber(config: BodyNumberConfig, year: number, level: number, seq: number): Result<string, CertificateRefusal> {
  const prefix = certificateNumberPrefix(config, year, level)
  if (!prefix.ok) return prefix
  if (!Number.isInteger(seq) || seq < 1)
    return refuse({ code: 'certificate.number_invalid', part: 'seq', position: 17, reason: `sequence ${seq} is not a whole number from 1` })
  if (seq > MAX_SEQ) return refuse({ code: 'certificate.sequence_exhausted', prefix: prefix.value })
  return ok(`${prefix.value}${String(seq).padStart(6, '0')}`)
}

/**
 * Takes a number apart, strictly (no spaces, upper-case letter, ASCII digits): the first wrong part is
 * refused with the position of its first wrong character. A lookup form may trim and upper-case first.
 * `parseCertificateNumber('S000050000001264000017')` → ok({ category: 'S', …, level: 4, seq: 17 })
 */
export function parseCertificateNumber(text: string): Result<CertificateNumber, NumberRefusal> {
  if (typeof text !== 'string') return refuse({ code: 'certificate.number_invalid', part: 'length', position: 1, reason: 'not a text' })
  for (const [part, [start, end]] of Object.entries(NUMBER_PARTS) as Array<[Exclude<NumberPart, 'length'>, readonly [number, number]]>) {
    const problem = partProblem(part, text.slice(start - 1, end))
    // A short number is wrong at its first missing position.
    if (problem?.short)
      return refuse({ code: 'certificate.number_invalid', part: 'length', position: problem.position, reason: `expected 22 characters, got ${text.length}` })
    if (problem) return refuse({ code: 'certificate.number_invalid', part, position: problem.position, reason: problem.reason })
  }
  if (text.length > 22)
    return refuse({ code: 'certificate.number_invalid', part: 'length', position: 23, reason: `expected 22 characters, got ${text.length}` })
  return ok({
    category: text[0] as BodyCategory,
    ministryCode: text.slice(1, 5),
    provinceCode: text.slice(5, 7),
    sequenceCode: text.slice(7, 13),
    yearDigits: text.slice(13, 15),
    level: Number(text[15]) as Level,
    seq: Number(text.slice(16)),
  })
}

/** The sequence of a number with this 16-character prefix, or null. `certificateSeq('S000050000001264', 'S000050000001264000017')` → 17 */
export function certificateSeq(prefix: string, number: string): number | null {
  if (prefix.length !== 16 || !number.startsWith(prefix)) return null
  const rest = number.slice(16)
  return /^\d{6}$/.test(rest) && rest !== '000000' ? Number(rest) : null
}
