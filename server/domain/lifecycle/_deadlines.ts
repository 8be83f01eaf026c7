/**
 * The dates the rules fix, for forms that must show them before anyone is refused: R2.1 (plan filing),
 * R2.3 (announcement) and R7.2 (results). `provisional` is true when a year without an official holiday
 * list is involved: the answer counts only weekends there, and the page must say so.
 */
import { type Calendar, earliestExamDate, latestAnnouncementDate, publicationDate } from '../calendar/index.ts'
import { earliestExamAfterAnnouncement } from './_announcement.ts'
import { latestFilingDate } from './_plan.ts'
import type { CivilDate } from './_types.ts'

export type DeadlineQuery =
  | { kind: 'plan'; examDate: CivilDate }
  | { kind: 'plan'; filedOn: CivilDate }
  | { kind: 'announcement'; examDate: CivilDate }
  | { kind: 'announcement'; publishedOn: CivilDate }
  | { kind: 'results'; examEndDate: CivilDate }

export interface Deadline {
  /** What `date` is: the last day to file / publish, the first allowed exam day, or the publication day of results. */
  meaning: 'latest_filing' | 'earliest_exam' | 'latest_publication' | 'results_publication'
  rule: 'R2.1' | 'R2.3' | 'R7.2'
  date: CivilDate
  provisional: boolean
}

/** Example: deadline({ kind: 'plan', filedOn: '2026-09-25' }, cal) → { meaning: 'earliest_exam', date: '2026-10-15', ... } */
export function deadline(q: DeadlineQuery, cal: Calendar): Deadline {
  if (q.kind === 'plan') {
    if ('examDate' in q) return { meaning: 'latest_filing', rule: 'R2.1', ...latestFilingDate(q.examDate, cal) }
    return { meaning: 'earliest_exam', rule: 'R2.1', ...earliestExamDate(q.filedOn, cal) }
  }
  // Calendar months do not depend on holidays: these answers are never provisional.
  if (q.kind === 'announcement') {
    if ('examDate' in q) return { meaning: 'latest_publication', rule: 'R2.3', date: latestAnnouncementDate(q.examDate), provisional: false }
    return { meaning: 'earliest_exam', rule: 'R2.3', date: earliestExamAfterAnnouncement(q.publishedOn), provisional: false }
  }
  return { meaning: 'results_publication', rule: 'R7.2', ...publicationDate(q.examEndDate, cal) }
}
