import { ok, refuse, type Result } from '../_result.ts'
import { isCivilDate, isWeekend, yearOf, type CivilDate } from './_civil.ts'

/** One year's official list: days off that would be working days, and weekends that are worked (调休). */
export interface HolidayYear {
  year: number
  /** The notice it comes from, e.g. 国办发明电〔2024〕12号. */
  source: string
  holidays: Array<{ date: CivilDate; name: string }>
  workdays: Array<{ date: CivilDate; name: string }>
}

/** A refused import: `field` is a path into the submitted JSON, e.g. `holidays[3].date`. */
export interface CalendarInvalid {
  code: 'calendar.invalid'
  field: string
  message: string
}

const MIN_YEAR = 1949
const MAX_YEAR = 2999

const invalid = (field: string, message: string) => refuse<CalendarInvalid>({ code: 'calendar.invalid', field, message })

/**
 * Validates an administrator's import of one year's list. Refuses (calendar.invalid) the first
 * problem found, in document order; on success returns a clean copy (unknown keys dropped, names
 * trimmed, days sorted) so what is stored is exactly what was checked.
 */
export function parseHolidayYear(json: unknown): Result<HolidayYear, CalendarInvalid> {
  if (!isRecord(json)) return invalid('', 'expected an object { year, source, holidays, workdays }')
  const { year, source } = json
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    return invalid('year', `expected an integer year ${MIN_YEAR}-${MAX_YEAR}, got ${JSON.stringify(year)}`)
  }
  if (typeof source !== 'string' || source.trim() === '') {
    return invalid('source', 'expected the notice the list comes from, e.g. 国办发明电〔2024〕12号')
  }

  const lists = { holidays: [] as HolidayYear['holidays'], workdays: [] as HolidayYear['workdays'] }
  const seen = new Map<string, string>() // date -> field where it first appeared
  for (const key of ['holidays', 'workdays'] as const) {
    const list = json[key]
    if (!Array.isArray(list)) return invalid(key, 'expected an array of { date, name }')
    for (const [i, entry] of list.entries()) {
      const at = `${key}[${i}]`
      if (!isRecord(entry)) return invalid(at, 'expected { date, name }')
      const { date, name } = entry
      if (!isCivilDate(date)) return invalid(`${at}.date`, `expected a real date YYYY-MM-DD, got ${JSON.stringify(date)}`)
      if (yearOf(date) !== year) return invalid(`${at}.date`, `${date} is not in ${year}`)
      if (typeof name !== 'string') return invalid(`${at}.name`, 'expected a string')
      if (key === 'holidays' && name.trim() === '') return invalid(`${at}.name`, 'a holiday needs a name, e.g. 春节')
      // Only a weekend can be an adjusted working day: a weekday is working already.
      if (key === 'workdays' && !isWeekend(date)) return invalid(`${at}.date`, `${date} is a weekday; adjusted workdays (调休) are weekends`)
      const first = seen.get(date)
      if (first !== undefined) {
        const both = first.startsWith('holidays') !== (key === 'holidays')
        return invalid(`${at}.date`, both ? `${date} is both a holiday and a workday (${first})` : `${date} is listed twice (${first})`)
      }
      seen.set(date, at)
      lists[key].push({ date, name: name.trim() })
    }
  }
  const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
  return ok({ year, source: source.trim(), holidays: lists.holidays.sort(byDate), workdays: lists.workdays.sort(byDate) })
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}
