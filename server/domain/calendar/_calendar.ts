import { addMonths, toDayNumber, fromDayNumber, weekdayOfDayNumber, yearOf, type CivilDate } from './_civil.ts'
import type { HolidayYear } from './_holiday-year.ts'

/**
 * Chinese working days (see domain-rules: "Working day"): Monday-Friday, minus statutory holidays,
 * plus adjusted working weekends (调休). Each answer says whether it is `provisional`: the span it
 * looked at reaches a year with no loaded list, where only weekends count as days off (the real
 * notice for a year comes out the November before, so a far date is a best guess until then).
 */
export interface Calendar {
  /** Years with a loaded list, ascending. */
  readonly years: readonly number[]
  isWorkingDay(d: CivilDate): { working: boolean; provisional: boolean }
  /** The n-th working day after d (d itself is not counted; n = 0 gives d). n is an integer >= 0. */
  addWorkingDays(d: CivilDate, n: number): { date: CivilDate; provisional: boolean }
  /** Working days in (a, b]: after a, up to and including b; negative when b is before a. */
  workingDaysBetween(a: CivilDate, b: CivilDate): { days: number; provisional: boolean }
  /** Calendar months, clamped to the month's end (2026-03-31 minus 1 month is 2026-02-28). */
  addMonths(d: CivilDate, n: number): CivilDate
}

/**
 * Builds a calendar from validated lists (see parseHolidayYear). When a year appears more than
 * once the later entry wins, so `createCalendar([...SHIPPED_HOLIDAY_YEARS, ...adminYears])`
 * lets an administrator's copy replace the shipped one.
 */
export function createCalendar(years: readonly HolidayYear[]): Calendar {
  const byYear = new Map<number, HolidayYear>()
  for (const y of years) byYear.set(y.year, y)
  const override = new Map<number, boolean>() // day number -> working?
  for (const y of byYear.values()) {
    for (const h of y.holidays) override.set(toDayNumber(h.date), false)
    for (const w of y.workdays) override.set(toDayNumber(w.date), true)
  }
  const loaded = [...byYear.keys()].sort((a, b) => a - b)
  const loadedSet = new Set(loaded)

  const workingOn = (day: number): boolean => {
    const o = override.get(day)
    if (o !== undefined) return o
    const w = weekdayOfDayNumber(day)
    return w !== 0 && w !== 6
  }
  const provisionalSpan = (from: CivilDate, to: CivilDate): boolean => {
    for (let y = yearOf(from); y <= yearOf(to); y++) if (!loadedSet.has(y)) return true
    return false
  }

  return {
    years: loaded,
    isWorkingDay(d) {
      return { working: workingOn(toDayNumber(d)), provisional: !loadedSet.has(yearOf(d)) }
    },
    addWorkingDays(d, n) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`"n" expected an integer >= 0, got ${n}`)
      let day = toDayNumber(d)
      for (let left = n; left > 0; ) if (workingOn(++day)) left--
      const date = fromDayNumber(day)
      return { date, provisional: provisionalSpan(d, date) }
    },
    workingDaysBetween(a, b) {
      const da = toDayNumber(a),
        db = toDayNumber(b)
      const [lo, hi, sign] = da <= db ? [da, db, 1] : [db, da, -1]
      let days = 0
      for (let day = lo + 1; day <= hi; day++) if (workingOn(day)) days++
      return { days: days === 0 ? 0 : sign * days, provisional: provisionalSpan(fromDayNumber(lo), fromDayNumber(hi)) }
    },
    addMonths,
  }
}
