// The working-day calendar: Chinese working days as data (R2.1, R2.3, R7.2), CST civil dates.
export type { CivilDate } from './_civil.ts'
export { InvalidCivilDateError, isCivilDate, addDays, addMonths, civilDateOf, startOfDayCst } from './_civil.ts'
export type { HolidayYear, CalendarInvalid } from './_holiday-year.ts'
export { parseHolidayYear } from './_holiday-year.ts'
export type { Calendar } from './_calendar.ts'
export { createCalendar } from './_calendar.ts'
export { SHIPPED_HOLIDAY_YEARS } from './_data.ts'
export {
  earliestExamDate,
  latestAnnouncementDate,
  publicationDate,
  PLAN_LEAD_WORKING_DAYS,
  ANNOUNCEMENT_LEAD_MONTHS,
  PUBLICATION_DELAY_WORKING_DAYS,
} from './_rules.ts'
