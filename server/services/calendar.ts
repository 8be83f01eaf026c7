import type { Database } from 'bun:sqlite'
import { type Calendar, type HolidayYear, SHIPPED_HOLIDAY_YEARS, createCalendar, parseHolidayYear } from '../domain/calendar/index.ts'
import { type Deadline, type DeadlineQuery, type LifecycleError, deadline } from '../domain/lifecycle/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { CalendarStore } from '../db/calendar-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'

export interface CalendarYear {
  year: number
  source: string
  /** shipped: the list in the code; stored: an administrator's import, which wins over a shipped one. */
  origin: 'shipped' | 'stored'
  holidays: number
  workdays: number
  updatedAt: number | null
}

/** The server's working-day calendar: the shipped 2024–2026 lists plus the administrator's imports (stored wins). */
export class CalendarAdmin {
  private cached: Calendar | null = null

  constructor(
    private readonly db: Database,
    private readonly store: CalendarStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
  ) {}

  calendar(): Calendar {
    this.cached ??= createCalendar([...SHIPPED_HOLIDAY_YEARS, ...this.store.all().map((r) => r.year)])
    return this.cached
  }

  years(): CalendarYear[] {
    const byYear = new Map<number, CalendarYear>()
    const row = (y: HolidayYear, origin: CalendarYear['origin'], updatedAt: number | null): CalendarYear => ({
      year: y.year,
      source: y.source,
      origin,
      holidays: y.holidays.length,
      workdays: y.workdays.length,
      updatedAt,
    })
    for (const y of SHIPPED_HOLIDAY_YEARS) byYear.set(y.year, row(y, 'shipped', null))
    for (const s of this.store.all()) byYear.set(s.year.year, row(s.year, 'stored', s.updatedAt))
    return [...byYear.values()].sort((a, b) => a.year - b.year)
  }

  /** Stores one year's official list (validated by parseHolidayYear); it replaces any earlier list of that year. */
  importYear(actor: Actor, year: number, json: unknown): Result<HolidayYear, LifecycleError> {
    const parsed = parseHolidayYear(json)
    if (!parsed.ok) return parsed
    if (parsed.value.year !== year) return refuse({ code: 'calendar.year_mismatch', year, bodyYear: parsed.value.year })
    const y = parsed.value
    this.db
      .transaction(() => {
        const replaced = this.store.has(y.year) ? 'stored' : SHIPPED_HOLIDAY_YEARS.some((s) => s.year === y.year) ? 'shipped' : 'none'
        this.store.put(y, this.clock())
        this.log.append({
          actor,
          action: 'calendar.year_imported',
          subject: { type: 'calendar_year', id: String(y.year) },
          data: { year: y.year, source: y.source, holidays: y.holidays.length, workdays: y.workdays.length, replaced },
        })
      })
      .immediate()
    this.cached = null // after the commit: the next reader builds the calendar with this year
    return ok(y)
  }

  deadline(q: DeadlineQuery): Deadline {
    return deadline(q, this.calendar())
  }
}
