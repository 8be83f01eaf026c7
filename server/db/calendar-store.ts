import type { Database, Statement } from 'bun:sqlite'
import type { HolidayYear } from '../domain/calendar/index.ts'

interface YearRow {
  year: number
  data: string
  updated_at: number
}

/** SQL for the administrator's holiday lists (holiday_years): one validated HolidayYear JSON per year. */
export class CalendarStore {
  private readonly q: {
    all: Statement<YearRow, []>
    get: Statement<YearRow, [number]>
    put: Statement<unknown, [number, string, number]>
  }

  constructor(db: Database) {
    this.q = {
      all: db.query('SELECT * FROM holiday_years ORDER BY year'),
      get: db.query('SELECT * FROM holiday_years WHERE year = ?'),
      put: db.query(
        'INSERT INTO holiday_years (year, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
      ),
    }
  }

  all(): Array<{ year: HolidayYear; updatedAt: number }> {
    return this.q.all.all().map((r) => ({ year: JSON.parse(r.data) as HolidayYear, updatedAt: r.updated_at }))
  }
  has(year: number): boolean {
    return Boolean(this.q.get.get(year))
  }
  put(year: HolidayYear, now: number): void {
    this.q.put.run(year.year, JSON.stringify(year), now)
  }
}
