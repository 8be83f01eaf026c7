import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import {
  addDays,
  addMonths,
  civilDateOf,
  createCalendar,
  earliestExamDate,
  InvalidCivilDateError,
  latestAnnouncementDate,
  parseHolidayYear,
  publicationDate,
  SHIPPED_HOLIDAY_YEARS,
  startOfDayCst,
  type HolidayYear,
} from '../server/domain/calendar/index.ts'

const cal = createCalendar(SHIPPED_HOLIDAY_YEARS)
/** Any date of the shipped years 2024-2026 (1096 days from 2024-01-01). */
const shippedDate = fc.integer({ min: 0, max: 1095 }).map((k) => addDays('2024-01-01', k))

describe('shipped lists (State Council notices)', () => {
  test('every shipped year passes the import validation unchanged', () => {
    for (const year of SHIPPED_HOLIDAY_YEARS) {
      expect(parseHolidayYear(year)).toEqual({ ok: true, value: year })
    }
  })

  test('day counts match the notices: 2024 28+8, 2025 28+5, 2026 33+6', () => {
    const counts = SHIPPED_HOLIDAY_YEARS.map((y) => [y.year, y.holidays.length, y.workdays.length])
    expect(counts).toEqual([
      [2024, 28, 8],
      [2025, 28, 5],
      [2026, 33, 6],
    ])
  })

  test.each([
    ['2025-01-26', true, 'Sunday worked for 春节 2025'],
    ['2025-01-28', false, '除夕 2025, first day of 春节'],
    ['2025-02-04', false, 'last day of 春节 2025'],
    ['2025-02-08', true, 'Saturday worked for 春节 2025'],
    ['2025-09-28', true, 'Sunday worked for 国庆 2025'],
    ['2025-10-08', false, 'Wednesday, last day of 国庆/中秋 2025'],
    ['2025-10-11', true, 'Saturday worked for 国庆 2025'],
    ['2026-01-02', false, 'Friday, 元旦 2026'],
    ['2026-01-04', true, 'Sunday worked for 元旦 2026'],
    ['2026-02-14', true, 'Saturday worked for 春节 2026'],
    ['2026-02-23', false, 'Monday, last day of 春节 2026'],
    ['2026-02-28', true, 'Saturday worked for 春节 2026'],
    ['2026-09-20', true, 'Sunday worked for 国庆 2026'],
    ['2026-10-10', true, 'Saturday worked for 国庆 2026'],
    ['2024-02-18', true, 'Sunday worked for 春节 2024'],
    ['2025-03-01', false, 'an ordinary Saturday'],
    ['2025-03-05', true, 'an ordinary Wednesday'],
  ])('%s is %s: %s', (date, working) => {
    expect(cal.isWorkingDay(date)).toEqual({ working, provisional: false })
  })

  test('a 2027 date is provisional: no list is loaded, only weekends are off', () => {
    expect(cal.isWorkingDay('2027-03-01')).toEqual({ working: true, provisional: true })
    expect(cal.isWorkingDay('2027-03-06')).toEqual({ working: false, provisional: true })
    expect(cal.years).toEqual([2024, 2025, 2026])
  })
})

describe('addWorkingDays: the n-th working day after d, d itself not counted', () => {
  test.each([
    ['2025-01-20', '2025-02-08', 'over 春节 2025: Sun 01-26 and Sat 02-08 count, 01-28..02-04 do not'],
    ['2026-02-10', '2026-03-02', 'over 春节 2026: Sat 02-14 and Sat 02-28 count, 02-15..02-23 do not'],
    ['2025-09-26', '2025-10-16', 'over 国庆 2025: Sun 09-28 and Sat 10-11 count, 10-01..10-08 do not'],
    ['2025-12-24', '2026-01-08', 'into 2026: 元旦 01-01..03 off, Sun 01-04 counts'],
    ['2026-03-02', '2026-03-16', 'two plain weeks'],
  ])('10 working days after %s is %s (%s)', (from, to) => {
    expect(cal.addWorkingDays(from, 10)).toEqual({ date: to, provisional: false })
  })

  test('a span reaching 2027 is provisional (2027-01-01 counted as a working day until a list is loaded)', () => {
    expect(cal.addWorkingDays('2026-12-25', 10)).toEqual({ date: '2027-01-08', provisional: true })
  })

  test('n = 0 gives d itself, even on a holiday; n = 1 from a holiday is the next working day', () => {
    expect(cal.addWorkingDays('2025-10-01', 0)).toEqual({ date: '2025-10-01', provisional: false })
    expect(cal.addWorkingDays('2025-10-01', 1)).toEqual({ date: '2025-10-09', provisional: false })
  })

  test('n must be a whole number >= 0', () => {
    expect(() => cal.addWorkingDays('2025-01-20', -1)).toThrow(RangeError)
    expect(() => cal.addWorkingDays('2025-01-20', 1.5)).toThrow(RangeError)
  })

  test('a malformed or impossible date is a bug, thrown as InvalidCivilDateError', () => {
    for (const bad of ['2025-02-29', '2025-1-05', '20250105', '2025-13-01', '']) {
      expect(() => cal.isWorkingDay(bad)).toThrow(InvalidCivilDateError)
    }
  })

  test('property: the result is a working day and exactly n working days lie in (d, result]', () => {
    fc.assert(
      fc.property(shippedDate, fc.integer({ min: 1, max: 60 }), (d, n) => {
        const r = cal.addWorkingDays(d, n)
        expect(cal.isWorkingDay(r.date).working).toBe(true)
        expect(cal.workingDaysBetween(d, r.date).days).toBe(n)
        expect(cal.workingDaysBetween(d, addDays(r.date, -1)).days).toBe(n - 1)
      }),
    )
  })
})

describe('workingDaysBetween counts (a, b]', () => {
  test('known answers around 春节 2025', () => {
    expect(cal.workingDaysBetween('2025-01-20', '2025-02-08')).toEqual({ days: 10, provisional: false })
    expect(cal.workingDaysBetween('2025-02-08', '2025-01-20')).toEqual({ days: -10, provisional: false })
    expect(cal.workingDaysBetween('2025-01-27', '2025-02-04').days).toBe(0)
    expect(cal.workingDaysBetween('2025-01-27', '2025-01-27').days).toBe(0)
    expect(Object.is(cal.workingDaysBetween('2025-02-04', '2025-01-27').days, 0)).toBe(true) // not -0
  })

  test('property: additive over a middle date, antisymmetric', () => {
    fc.assert(
      fc.property(shippedDate, shippedDate, shippedDate, (a, b, c) => {
        const ab = cal.workingDaysBetween(a, b).days
        expect(ab + cal.workingDaysBetween(b, c).days).toBe(cal.workingDaysBetween(a, c).days)
        expect(cal.workingDaysBetween(b, a).days + ab).toBe(0)
      }),
    )
  })
})

describe('addMonths: calendar months, clamped to month end', () => {
  test.each([
    ['2026-03-31', -1, '2026-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-12-15', 2, '2026-02-15'],
    ['2026-05-31', -2, '2026-03-31'],
    ['2026-01-15', -13, '2024-12-15'],
    ['2026-07-20', 0, '2026-07-20'],
  ])('%s %+d months is %s', (d, n, expected) => {
    expect(addMonths(d, n)).toBe(expected)
    expect(cal.addMonths(d, n)).toBe(expected)
  })

  test('property: the month moves by n and the day never grows', () => {
    fc.assert(
      fc.property(shippedDate, fc.integer({ min: -36, max: 36 }), (d, n) => {
        const r = addMonths(d, n)
        const months = (x: string) => Number(x.slice(0, 4)) * 12 + Number(x.slice(5, 7))
        expect(months(r) - months(d)).toBe(n)
        expect(Number(r.slice(8))).toBeLessThanOrEqual(Number(d.slice(8)))
      }),
    )
  })
})

describe('rule helpers', () => {
  test('R2.1: a plan filed Mon 2026-03-02 allows an exam from Mon 2026-03-16', () => {
    expect(earliestExamDate('2026-03-02', cal)).toEqual({ date: '2026-03-16', provisional: false })
  })

  test('R2.1: filed 2025-01-20, the earliest exam is Sat 2025-02-08 (a worked Saturday), not during 春节', () => {
    expect(earliestExamDate('2025-01-20', cal).date).toBe('2025-02-08')
  })

  test('property R2.1: exam >= earliest date iff at least 10 working days after filing', () => {
    fc.assert(
      fc.property(shippedDate, fc.integer({ min: 0, max: 40 }), (filed, k) => {
        const exam = addDays(filed, k)
        const allowed = exam >= earliestExamDate(filed, cal).date
        expect(allowed).toBe(cal.workingDaysBetween(filed, exam).days >= 10)
      }),
    )
  })

  test.each([
    ['2026-06-15', '2026-04-15'],
    ['2026-04-30', '2026-02-28'],
    ['2026-03-01', '2026-01-01'],
  ])('R2.3: an exam on %s must be announced by %s', (exam, latest) => {
    expect(latestAnnouncementDate(exam)).toBe(latest)
  })

  test('R7.2: results of an exam ending Fri 2026-02-13 are published Thu 2026-03-05 (春节 2026 skipped)', () => {
    expect(publicationDate('2026-02-13', cal)).toEqual({ date: '2026-03-05', provisional: false })
  })

  test('R7.2: results of an exam ending Fri 2025-09-26 are published Thu 2025-10-16', () => {
    expect(publicationDate('2025-09-26', cal).date).toBe('2025-10-16')
  })
})

describe('parseHolidayYear refuses a bad import (calendar.invalid) naming the field', () => {
  const good = (): Record<string, unknown> => ({
    year: 2027,
    source: 'test notice',
    holidays: [{ date: '2027-01-01', name: '元旦' }],
    workdays: [{ date: '2027-01-02', name: '元旦' }],
  })
  const cases: Array<[string, unknown, string]> = [
    ['not an object', [], ''],
    ['a fractional year', { ...good(), year: 2027.5 }, 'year'],
    ['a year as text', { ...good(), year: '2027' }, 'year'],
    ['an empty source', { ...good(), source: ' ' }, 'source'],
    ['holidays not a list', { ...good(), holidays: {} }, 'holidays'],
    ['an impossible date', { ...good(), holidays: [{ date: '2027-02-29', name: '春节' }] }, 'holidays[0].date'],
    ['a date of another year', { ...good(), holidays: [{ date: '2026-12-31', name: '元旦' }] }, 'holidays[0].date'],
    ['a holiday without a name', { ...good(), holidays: [{ date: '2027-01-01', name: '  ' }] }, 'holidays[0].name'],
    ['a holiday name not text', { ...good(), holidays: [{ date: '2027-01-01', name: 1 }] }, 'holidays[0].name'],
    ['a workday on a weekday (Mon 2027-01-04)', { ...good(), workdays: [{ date: '2027-01-04', name: 'x' }] }, 'workdays[0].date'],
    ['a day both holiday and workday (Sat 2027-01-02)', { ...good(), holidays: [{ date: '2027-01-02', name: '元旦' }] }, 'workdays[0].date'],
    [
      'a holiday listed twice',
      {
        ...good(),
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: '2027-01-01', name: '元旦' },
        ],
      },
      'holidays[1].date',
    ],
  ]
  test.each(cases)('%s', (_, json, field) => {
    const r = parseHolidayYear(json)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('calendar.invalid')
      expect(r.error.field).toBe(field)
      expect(r.error.message.length).toBeGreaterThan(0)
    }
  })

  test('a day both holiday and workday is named as such', () => {
    const r = parseHolidayYear({ ...good(), holidays: [{ date: '2027-01-02', name: '元旦' }] })
    expect(!r.ok && r.error.message).toContain('both a holiday and a workday')
  })

  test('an accepted import is a clean copy: sorted, trimmed, unknown keys dropped', () => {
    const r = parseHolidayYear({
      year: 2027,
      source: ' notice ',
      extra: true,
      holidays: [
        { date: '2027-02-07', name: ' 春节 ', note: 'x' },
        { date: '2027-01-01', name: '元旦' },
      ],
      workdays: [],
    })
    expect(r).toEqual({
      ok: true,
      value: {
        year: 2027,
        source: 'notice',
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: '2027-02-07', name: '春节' },
        ],
        workdays: [],
      },
    })
  })
})

describe('createCalendar', () => {
  test("a later list for the same year replaces the earlier one (an administrator's correction)", () => {
    const corrected: HolidayYear = { year: 2026, source: 'correction', holidays: [], workdays: [] }
    const c = createCalendar([...SHIPPED_HOLIDAY_YEARS, corrected])
    expect(c.isWorkingDay('2026-02-16')).toEqual({ working: true, provisional: false })
    expect(c.isWorkingDay('2026-02-14')).toEqual({ working: false, provisional: false })
    expect(c.isWorkingDay('2025-10-08').working).toBe(false)
  })

  test('with no lists every date is provisional and only weekends are off', () => {
    const c = createCalendar([])
    expect(c.isWorkingDay('2025-10-08')).toEqual({ working: true, provisional: true })
    expect(c.addWorkingDays('2025-09-26', 10)).toEqual({ date: '2025-10-10', provisional: true })
  })
})

describe('China Standard Time (UTC+8, no DST)', () => {
  test('the civil date changes at 16:00 UTC', () => {
    expect(civilDateOf(Date.UTC(2025, 0, 27, 16))).toBe('2025-01-28')
    expect(civilDateOf(Date.UTC(2025, 0, 27, 15, 59, 59, 999))).toBe('2025-01-27')
    expect(civilDateOf(new Date('2025-10-01T00:00:00+08:00'))).toBe('2025-10-01')
    expect(startOfDayCst('2025-01-28')).toBe(Date.UTC(2025, 0, 27, 16))
  })

  test('a non-finite instant is refused', () => {
    expect(() => civilDateOf(Number.NaN)).toThrow(RangeError)
    expect(() => civilDateOf(new Date('nonsense'))).toThrow(RangeError)
  })

  test('property: every instant of a CST day maps back to that day', () => {
    fc.assert(
      fc.property(shippedDate, fc.integer({ min: 0, max: 86_399_999 }), (d, ms) => {
        expect(civilDateOf(startOfDayCst(d) + ms)).toBe(d)
      }),
    )
  })
})
