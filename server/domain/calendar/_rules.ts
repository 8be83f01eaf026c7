import { addMonths, type CivilDate } from './_civil.ts'
import type { Calendar } from './_calendar.ts'

/** R2.1: working days between filing a plan and its exam. */
export const PLAN_LEAD_WORKING_DAYS = 10
/** R2.3: calendar months between the announcement and the exam. */
export const ANNOUNCEMENT_LEAD_MONTHS = 2
/** R7.2: working days between the end of the exam and the publication of results. */
export const PUBLICATION_DELAY_WORKING_DAYS = 10

/**
 * R2.1, the earliest exam date for a plan filed on `filedOn`: the 10th working day after filing.
 * Counted as the law counts periods (民法典 第201条: the starting day is not counted), so the day
 * of filing never counts and the exam day counts when it is a working day. An exam is allowed
 * iff examDate >= result.date, i.e. workingDaysBetween(filedOn, examDate).days >= 10.
 * Example: filed Mon 2026-03-02, earliest exam Mon 2026-03-16; a weekend exam must be after it.
 */
export function earliestExamDate(filedOn: CivilDate, cal: Calendar): { date: CivilDate; provisional: boolean } {
  return cal.addWorkingDays(filedOn, PLAN_LEAD_WORKING_DAYS)
}

/**
 * R2.3, the last day the announcement may be published: the exam date minus 2 calendar months,
 * clamped to month end (exam 2026-04-30 -> 2026-02-28). Publishing on that day is in time.
 */
export function latestAnnouncementDate(examDate: CivilDate): CivilDate {
  return addMonths(examDate, -ANNOUNCEMENT_LEAD_MONTHS)
}

/**
 * R7.2, the day results are published: the 10th working day after the exam's last day, counted
 * like earliestExamDate (the exam day itself is not counted).
 */
export function publicationDate(examEnd: CivilDate, cal: Calendar): { date: CivilDate; provisional: boolean } {
  return cal.addWorkingDays(examEnd, PUBLICATION_DELAY_WORKING_DAYS)
}
