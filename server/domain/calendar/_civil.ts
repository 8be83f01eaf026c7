/**
 * Civil dates in China Standard Time. A CivilDate is the text 'YYYY-MM-DD'; inside, dates are
 * day numbers (days since 1970-01-01) so that arithmetic never meets a time zone or a DST rule.
 */

/** 'YYYY-MM-DD', a China Standard Time civil date (the date printed on a notice or a ticket). */
export type CivilDate = string

const DAY_MS = 86_400_000
/** Asia/Shanghai is UTC+8 all year: China has observed no daylight saving since 1991. */
const CST_OFFSET_MS = 8 * 3_600_000
const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Thrown for a malformed date handed to a calculation: validation belongs at the edge, so this is a bug. */
export class InvalidCivilDateError extends RangeError {
  override readonly name = 'InvalidCivilDateError'
  constructor(readonly value: unknown) {
    super(`"date" expected a real calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`)
  }
}

export function isCivilDate(value: unknown): value is CivilDate {
  return typeof value === 'string' && !Number.isNaN(toDayNumberOrNaN(value))
}

/** Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not. */
function utcMs(year: number, monthIndex: number, day: number): number {
  const t = new Date(0)
  t.setUTCFullYear(year, monthIndex, day)
  return t.getTime()
}

function toDayNumberOrNaN(d: string): number {
  const m = CIVIL_DATE.exec(d)
  if (!m) return Number.NaN
  const y = Number(m[1]),
    mo = Number(m[2]),
    day = Number(m[3])
  if (mo < 1 || mo > 12 || day < 1 || day > daysInMonth(y, mo)) return Number.NaN
  return utcMs(y, mo - 1, day) / DAY_MS
}

/** Day number (days since 1970-01-01) of a civil date; throws InvalidCivilDateError on a malformed one. */
export function toDayNumber(d: CivilDate): number {
  const n = toDayNumberOrNaN(d)
  if (Number.isNaN(n)) throw new InvalidCivilDateError(d)
  return n
}

export function fromDayNumber(n: number): CivilDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7
}

export function isWeekend(d: CivilDate): boolean {
  const w = weekdayOfDayNumber(toDayNumber(d))
  return w === 0 || w === 6
}

export function yearOf(d: CivilDate): number {
  return Number(d.slice(0, 4))
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month, 0)).getUTCDate()
}

/** Adds whole days (n may be negative). */
export function addDays(d: CivilDate, n: number): CivilDate {
  return fromDayNumber(toDayNumber(d) + n)
}

/**
 * Adds calendar months (n may be negative), clamping to the end of a shorter month:
 * addMonths('2026-03-31', -1) === '2026-02-28'. Used for R2.3's "2 months before".
 */
export function addMonths(d: CivilDate, n: number): CivilDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`"n" expected an integer, got ${n}`)
  toDayNumber(d)
  const y = Number(d.slice(0, 4)),
    m = Number(d.slice(5, 7)),
    day = Number(d.slice(8, 10))
  const total = y * 12 + (m - 1) + n
  const ty = Math.floor(total / 12),
    tm = total - ty * 12 + 1
  if (ty < 0 || ty > 9999) throw new RangeError(`addMonths left the years 0000-9999: ${d} + ${n} months`)
  const td = Math.min(day, daysInMonth(ty, tm))
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(td).padStart(2, '0')}`
}

/** The CST civil date of an instant: civilDateOf(Date.UTC(2025, 0, 27, 16)) === '2025-01-28' (midnight in Beijing). */
export function civilDateOf(instant: Date | number): CivilDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  if (!Number.isFinite(ms)) throw new RangeError(`"instant" expected a finite time, got ${ms}`)
  return fromDayNumber(Math.floor((ms + CST_OFFSET_MS) / DAY_MS))
}

/** Epoch milliseconds of 00:00 CST on d: startOfDayCst('2025-01-28') === Date.UTC(2025, 0, 27, 16). */
export function startOfDayCst(d: CivilDate): number {
  return toDayNumber(d) * DAY_MS - CST_OFFSET_MS
}
