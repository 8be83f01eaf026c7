/**
 * Civil dates as 'YYYY-MM-DD' strings (China Standard Time is implied by the caller: the domain is
 * handed `today`, it never reads a clock). Zero-padded ISO dates compare correctly as strings.
 */
export type CivilDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** True when year/month/day name a day of the proleptic Gregorian calendar (years 1..9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  )
}

export function formatCivilDate(year: number, month: number, day: number): CivilDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** A strict 'YYYY-MM-DD' that names a real day, else null. */
export function parseIsoCivilDate(text: string): CivilDate | null {
  const m = ISO_DATE.exec(text)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return isRealDate(y, mo, d) ? formatCivilDate(y, mo, d) : null
}

/** `today` is programmer input, not user input: a malformed one is a bug, so it throws. */
export function assertCivilDate(name: string, value: CivilDate): void {
  if (parseIsoCivilDate(value) === null) throw new RangeError(`"${name}" expected a 'YYYY-MM-DD' date, got ${JSON.stringify(value)}`)
}

// Shapes people and spreadsheets actually write a date in: 1990-01-05, 1990-1-5, 1990/1/5, 1990.1.5,
// 19900105, 1990年1月5日, and Excel's date-time export of a date cell (1990/1/5 0:00:00). Day-first or
// month-first forms (05/01/1990) are ambiguous and not accepted.
const LENIENT_DATE = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$/
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/

/** A date in any of the accepted written forms, normalised to 'YYYY-MM-DD'; null if none fits or the day is not real. */
export function parseLenientCivilDate(text: string): CivilDate | null {
  const t = text.trim()
  const m = LENIENT_DATE.exec(t) ?? COMPACT_DATE.exec(t)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return isRealDate(y, mo, d) ? formatCivilDate(y, mo, d) : null
}
