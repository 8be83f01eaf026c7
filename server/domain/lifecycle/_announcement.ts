/**
 * The announcement (公告, R2.3): published at least 2 calendar months before the exam, saying occupation,
 * level, content and method; where, until when and how to register; conditions and fees; subjects, times
 * and places (the last three come from the plan and its sessions, so they cannot disagree with it).
 */
import type { Role } from '../accounts/index.ts'
import { ANNOUNCEMENT_LEAD_MONTHS, addDays, addMonths, civilDateOf, isCivilDate, latestAnnouncementDate } from '../calendar/index.ts'
import { LEVEL_NAMES } from '../registration/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { moveBatch } from './_moves.ts'
import { type DocumentedInput, documentedDate } from './_recorded.ts'
import type { LifecycleError } from './_refusals.ts'
import type { Announcement, AnnouncementContent, Batch, CivilDate, Instant, Occupation } from './_types.ts'

/**
 * The form's fields; conditions and fees default to the occupation's conditions and the plan's fee. The
 * publication is recorded on the server's date; a different documented date needs its reference.
 */
export interface AnnouncementInput extends DocumentedInput {
  contentAndMethod?: string
  registration?: { place?: string; until?: CivilDate; how?: string }
  conditions?: string
  fees?: string
}

/** `today` is the server's date (the clock's), never the caller's. */
export interface AnnouncementContext {
  today: CivilDate
  occupation: Occupation
  roles: readonly Role[] | null
  now: Instant
}

/** The fee as the announcement prints it: 2500 → '认定费 25.00 元/人'. */
export const feeText = (feeCents: number): string => `认定费 ${(feeCents / 100).toFixed(2)} 元/人`

const MAX_TEXT = 4000

/** Publishes the batch's announcement on the server's date (R2.3 counts from it): the batch moves filed → announced. */
export function decideAnnouncement(
  b: Batch,
  input: AnnouncementInput,
  id: string,
  ctx: AnnouncementContext,
): Result<{ batch: Batch; announcement: Announcement }, LifecycleError> {
  const to = moveBatch(b.status, 'announce', ctx.roles)
  if (!to.ok) return to
  const conditionsDefault = ctx.occupation.levels.find((l) => l.level === b.level)?.conditions ?? ''
  const content: AnnouncementContent = {
    contentAndMethod: (input.contentAndMethod ?? '').trim(),
    registration: {
      place: (input.registration?.place ?? '').trim(),
      until: input.registration?.until ?? '',
      how: (input.registration?.how ?? '').trim(),
    },
    conditions: (input.conditions ?? '').trim() || conditionsDefault,
    fees: (input.fees ?? '').trim() || (b.feeCents > 0 ? feeText(b.feeCents) : ''),
  }
  const missing: string[] = []
  if (!content.contentAndMethod) missing.push('contentAndMethod')
  if (!content.registration.place) missing.push('registration.place')
  if (!content.registration.until) missing.push('registration.until')
  if (!content.registration.how) missing.push('registration.how')
  if (!content.conditions) missing.push('conditions')
  if (!content.fees) missing.push('fees')
  if (missing.length > 0) return refuse({ code: 'announcement.incomplete', missing })
  for (const [field, text] of [
    ['contentAndMethod', content.contentAndMethod],
    ['registration.place', content.registration.place],
    ['registration.how', content.registration.how],
    ['conditions', content.conditions],
    ['fees', content.fees],
  ] as const) {
    if ([...text].length > MAX_TEXT) return refuse({ code: 'announcement.invalid', field, message: `at most ${MAX_TEXT} characters` })
  }
  const publishedOn = ctx.today
  const until = content.registration.until
  if (!isCivilDate(until)) return refuse({ code: 'announcement.invalid', field: 'registration.until', message: 'expected a date YYYY-MM-DD' })
  if (until < publishedOn || until >= b.examStartDate) {
    return refuse({
      code: 'announcement.invalid',
      field: 'registration.until',
      message: `registration closes between publication (${publishedOn}) and the day before the exam (${b.examStartDate})`,
    })
  }
  // R2.3: publishing on the last allowed day is in time.
  const latest = latestAnnouncementDate(b.examStartDate)
  if (publishedOn > latest) {
    return refuse({
      code: 'announcement.too_late',
      publishedOn,
      examDate: b.examStartDate,
      latestPublicationDate: latest,
      earliestExamDate: earliestExamAfterAnnouncement(publishedOn),
    })
  }
  const documented = documentedDate(input, ctx.today, civilDateOf(b.createdAt))
  if (!documented.ok) {
    const p = documented.problem
    const on = input.documentedOn ?? ''
    if (p.kind === 'invalid') return refuse({ code: 'announcement.invalid', field: p.field, message: p.message })
    if (p.kind === 'future') return refuse({ code: 'announcement.published_on_future', publishedOn: on, today: ctx.today })
    if (p.kind === 'unreferenced') return refuse({ code: 'announcement.published_on_unreferenced', publishedOn: on, today: ctx.today })
    return refuse({ code: 'announcement.published_on_before_plan', publishedOn: on, earliestDate: p.earliest })
  }
  return ok({
    batch: { ...b, status: to.value, updatedAt: ctx.now },
    announcement: { id, batchId: b.id, publishedOn, publishedOnDocumented: documented.value, content, createdAt: ctx.now },
  })
}

/**
 * R2.3 read forwards: the first exam day an announcement published on `publishedOn` allows. Usually
 * publishedOn + 2 months, but month-end clamping moves it: published 12-31, an exam on 02-28 is too early
 * (its latest publication day is 12-28), so the answer is 03-01.
 */
export function earliestExamAfterAnnouncement(publishedOn: CivilDate): CivilDate {
  let exam = addMonths(publishedOn, ANNOUNCEMENT_LEAD_MONTHS)
  while (latestAnnouncementDate(exam) < publishedOn) exam = addDays(exam, 1)
  return exam
}

/** '6-31-01-03 电工 四级/中级工' as the announcement and ticket print it. */
export const occupationTitle = (o: Pick<Occupation, 'code' | 'name'>, level: number): string =>
  `${o.name}（${o.code}）${LEVEL_NAMES[level as 1 | 2 | 3 | 4 | 5] ?? `${level}级`}`
