/**
 * When results may be published and taken down (R7.2), and how long a published pass counts (R7.3).
 * Pure: the calendar and today are passed in. Dates are CST civil dates.
 *
 * The regulation (第七章 二): "评价认定结果在认定考试结束 10 个工作日后公示 … 公示期不少于 5 个工作日".
 * Periods are counted as the law counts them (民法典 第201条: "开始的当日不计入，自下一日开始计算"):
 * - the exam's last day is not counted; the next working day is working day 1, and results may be
 *   published from working day 10 on. This is calendar/publicationDate, the same counting as R2.1's
 *   "提前 10 个工作日" (earliestExamDate), so the date a form shows (lifecycle `deadline`, kind
 *   'results') and the date decidePublish enforces are one function.
 * - the day of publication is not counted either: the 公示期 is the 5 working days after it, and the
 *   results stay up to the end of the 5th (民法典 第203条: the last day ends at 24:00), so they may be
 *   taken down from the next calendar day. Counting the publication day itself would allow a takedown
 *   one working day sooner; this reading satisfies "不少于 5 个工作日" under either count.
 */
import { addDays, addMonths, publicationDate, type Calendar, type CivilDate } from '../calendar/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import type { SubjectKind, SubjectResult, Sitting } from '../lifecycle/index.ts'

/** R7.2: 公示期不少于 5 个工作日. */
export const PUBLICATION_MIN_WORKING_DAYS = 5

export type PublicationError =
  | { code: 'publication.too_early'; rule: 'R7.2'; examEnd: CivilDate; today: CivilDate; earliest: CivilDate; provisional: boolean }
  | {
      code: 'publication.period_not_over'
      rule: 'R7.2'
      publishedOn: CivilDate
      today: CivilDate
      lastDay: CivilDate
      earliest: CivilDate
      provisional: boolean
    }

/**
 * R7.2, the first day results of an exam whose last day is `examEnd` may be published: its 10th working
 * day after. Example: exam ends Fri 2025-01-17, earliest publication Fri 2025-02-07 (Sun 01-26 is a
 * make-up working day, 01-28..02-04 is 春节).
 */
export function earliestPublicationDate(examEnd: CivilDate, cal: Calendar): { date: CivilDate; provisional: boolean } {
  return publicationDate(examEnd, cal)
}

/**
 * R7.2, the last day of the shortest allowed publication period for results published on `publishedOn`:
 * the 5th working day after it. `takeDownFrom` is the next calendar day, the first day they may come down.
 * Example: published Fri 2025-02-07, last day Thu 2025-02-13 (Sat 02-08 is a make-up working day).
 */
export function earliestPublicationEnd(publishedOn: CivilDate, cal: Calendar): { lastDay: CivilDate; takeDownFrom: CivilDate; provisional: boolean } {
  const end = cal.addWorkingDays(publishedOn, PUBLICATION_MIN_WORKING_DAYS)
  return { lastDay: end.date, takeDownFrom: addDays(end.date, 1), provisional: end.provisional }
}

/**
 * R7.2: may results of an exam that ended on `examEnd` be published today? On success the publication is
 * dated today; `provisional` says the count reached a year without an official holiday list (only
 * weekends were off there), which the results page must say.
 */
export function decidePublish(
  examEnd: CivilDate,
  today: CivilDate,
  cal: Calendar,
): Result<{ publishedOn: CivilDate; lastDay: CivilDate; takeDownFrom: CivilDate; provisional: boolean }, PublicationError> {
  const earliest = earliestPublicationDate(examEnd, cal)
  if (today < earliest.date)
    return refuse({ code: 'publication.too_early', rule: 'R7.2', examEnd, today, earliest: earliest.date, provisional: earliest.provisional })
  const end = earliestPublicationEnd(today, cal)
  return ok({ publishedOn: today, lastDay: end.lastDay, takeDownFrom: end.takeDownFrom, provisional: earliest.provisional || end.provisional })
}

/** R7.2: may results published on `publishedOn` be taken down today? Not before the 5 working days are over. */
export function decideUnpublish(publishedOn: CivilDate, today: CivilDate, cal: Calendar): Result<{ provisional: boolean }, PublicationError> {
  const end = earliestPublicationEnd(publishedOn, cal)
  if (today < end.takeDownFrom)
    return refuse({
      code: 'publication.period_not_over',
      rule: 'R7.2',
      publishedOn,
      today,
      lastDay: end.lastDay,
      earliest: end.takeDownFrom,
      provisional: end.provisional,
    })
  return ok({ provisional: end.provisional })
}

// R7.3 (第七章 三): "合格成绩有效期限为 1 年，在有效期内可 … 申请 1 次未合格科目的评价认定考试".

/** R7.3: a pass counts for 12 calendar months. */
export const PASS_VALID_MONTHS = 12

/**
 * R7.3, the last day a pass from an exam on `passedOn` counts: the same day a year later, or the month's
 * end when there is none (民法典 第202条: 2024-02-29 → 2025-02-28). A retake on that day is in time. This
 * is the rule registration applies (lifecycle assessRetake); test/domain-results-publication.test.ts
 * checks that the two agree.
 */
export function passValidUntil(passedOn: CivilDate): CivilDate {
  return addMonths(passedOn, PASS_VALID_MONTHS)
}

/**
 * The `attempt` to record with a subject's result: 2 for a subject sat as a retake, 1 otherwise.
 * Registration refuses a second retake by finding an attempt >= 2 of the failed subject, so a results
 * writer that records anything else would let the one-retake limit slip.
 */
export function resultAttempt(sitting: Sitting, kind: SubjectKind): 1 | 2 {
  return sitting.kind === 'retake' && sitting.subjects.includes(kind) ? 2 : 1
}

export interface HeldPass {
  kind: SubjectKind
  passedOn: CivilDate
  validUntil: CivilDate
}

/**
 * A person's subjects of one occupation and level on day `on` (R7.3): passes that still count (`held`),
 * passes that no longer do (`lapsed`), and, in the current round — the rows since the earliest held pass, or
 * every row when none is held — the subjects failed and not passed (`failed`) and, of those, the ones already
 * retaken (`retaken`). A subject's latest pass is the one that counts, as at registration (lifecycle
 * assessRetake): after a lapse the person sits everything again and a new round begins. A certificate needs
 * every subject held on the exam day of the last one passed.
 */
export function standingOn(
  history: readonly SubjectResult[],
  target: { occupationCode: string; level: number; on: CivilDate },
): { held: HeldPass[]; lapsed: HeldPass[]; failed: SubjectKind[]; retaken: SubjectKind[] } {
  const rows = history.filter((r) => r.occupationCode === target.occupationCode && r.level === target.level)
  const lastPass = new Map<SubjectKind, CivilDate>()
  for (const r of rows) if (r.passed && (lastPass.get(r.subjectKind) ?? '') < r.examDate) lastPass.set(r.subjectKind, r.examDate)
  const passes = [...lastPass].map(([kind, passedOn]) => ({ kind, passedOn, validUntil: passValidUntil(passedOn) })).sort((a, b) => (a.kind < b.kind ? -1 : 1))
  const held = passes.filter((p) => target.on <= p.validUntil)
  const start = held.length > 0 ? held.map((p) => p.passedOn).sort()[0]! : ''
  const round = rows.filter((r) => r.examDate >= start)
  const passedInRound = new Set(round.filter((r) => r.passed).map((r) => r.subjectKind))
  const failed = [...new Set(round.filter((r) => !r.passed && !passedInRound.has(r.subjectKind)).map((r) => r.subjectKind))].sort()
  return {
    held,
    lapsed: passes.filter((p) => target.on > p.validUntil),
    failed,
    retaken: failed.filter((k) => round.some((r) => r.subjectKind === k && r.attempt >= 2)),
  }
}
