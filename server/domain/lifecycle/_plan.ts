/**
 * Batch plans (认定计划): the R2.2 fields, the draft's checks, and filing with the municipal centre
 * (R2.1: at least 10 working days before the exam).
 */
import type { Role } from '../accounts/index.ts'
import { type Calendar, PLAN_LEAD_WORKING_DAYS, addDays, civilDateOf, earliestExamDate, isCivilDate } from '../calendar/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { moveBatch } from './_moves.ts'
import { type DocumentedInput, documentedDate } from './_recorded.ts'
import type { LifecycleError } from './_refusals.ts'
import type { Batch, CivilDate, Instant, Level, Plan, PlanSession, Subject } from './_types.ts'

/** A draft's fields as a form sends them; anything absent keeps its current value. */
export interface PlanInput {
  title?: string
  occupationCode?: string
  level?: number
  examStartDate?: CivilDate
  examEndDate?: CivilDate
  feeCents?: number
  place?: string | null
  method?: string | null
  sessions?: Array<{ subjectId: string; startsAt: Instant; endsAt: Instant; siteId?: string | null }>
  candidates?: { scope?: string; expected?: number } | null
  staffing?: { examiners?: number; invigilators?: number; supervisors?: number } | null
}

export interface DraftContext {
  /** Subjects of the (new) occupation and level; none when that level is not offered. */
  subjects: readonly Subject[]
  /** Which of the site ids the input names exist (sites belong to the rooms module). */
  knownSites: ReadonlySet<string>
  now: Instant
}

const invalid = (field: string, message: string) => refuse<LifecycleError>({ code: 'plan.invalid', field, message })
const MAX_SESSIONS = 50
const MAX_FEE_CENTS = 10_000_000

/**
 * A new draft, or the next version of a draft (`current`); only drafts are edited here; a filed plan
 * changes through R4.4 (decideSessionChange, decideVenueChange).
 */
export function decideDraft(current: Batch | null, input: PlanInput, id: string, ctx: DraftContext): Result<Batch, LifecycleError> {
  if (current && current.status !== 'draft') return refuse({ code: 'batch.wrong_state', state: current.status, action: 'edit' })
  const base: Batch = current ?? {
    id,
    title: '',
    occupationCode: '',
    level: 5,
    status: 'draft',
    plan: { sessions: [], changes: [] },
    examStartDate: '',
    examEndDate: '',
    filedOn: null,
    filedOnDocumented: null,
    centreReference: null,
    feeCents: 0,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }
  const plan: Plan = { ...base.plan }
  if (input.place !== undefined) setOrDrop(plan, 'place', input.place)
  if (input.method !== undefined) setOrDrop(plan, 'method', input.method)
  if (input.candidates !== undefined) setOrDrop(plan, 'candidates', input.candidates)
  if (input.staffing !== undefined) setOrDrop(plan, 'staffing', input.staffing)
  if (input.sessions !== undefined)
    plan.sessions = input.sessions.map((s) => ({ subjectId: s.subjectId, startsAt: s.startsAt, endsAt: s.endsAt, siteId: s.siteId ?? null }))
  const next: Batch = {
    ...base,
    title: input.title?.trim() ?? base.title,
    occupationCode: input.occupationCode ?? base.occupationCode,
    level: (input.level ?? base.level) as Level,
    examStartDate: input.examStartDate ?? base.examStartDate,
    examEndDate: input.examEndDate ?? base.examEndDate,
    feeCents: input.feeCents ?? base.feeCents,
    plan,
    updatedAt: ctx.now,
  }
  const problem = checkDraft(next, ctx)
  return problem ?? ok(next)
}

function setOrDrop<K extends 'place' | 'method' | 'candidates' | 'staffing'>(plan: Plan, key: K, value: Plan[K] | null): void {
  const blank = value === null || (typeof value === 'string' && value.trim() === '')
  if (blank) delete plan[key]
  else plan[key] = (typeof value === 'string' ? value.trim() : value) as Plan[K]
}

/** Shape and consistency of a draft; completeness is checked only when filing (missingPlanFields). */
function checkDraft(b: Batch, ctx: DraftContext): { ok: false; error: LifecycleError } | null {
  if (b.title === '' || [...b.title].length > 100) return invalid('title', 'expected a title of 1–100 characters')
  if (ctx.subjects.length === 0) return invalid('level', `occupation ${b.occupationCode} is not certified at level ${b.level} by this body`)
  if (!isCivilDate(b.examStartDate)) return invalid('examStartDate', 'expected a date YYYY-MM-DD')
  if (!isCivilDate(b.examEndDate)) return invalid('examEndDate', 'expected a date YYYY-MM-DD')
  if (b.examEndDate < b.examStartDate) return invalid('examEndDate', 'the exam cannot end before it starts')
  if (!Number.isInteger(b.feeCents) || b.feeCents < 0 || b.feeCents > MAX_FEE_CENTS)
    return invalid('feeCents', 'expected a whole number of fen (分), 0–10,000,000')
  const p = b.plan
  if (p.place !== undefined && [...p.place].length > 200) return invalid('place', 'at most 200 characters')
  if (p.method !== undefined && [...p.method].length > 500) return invalid('method', 'at most 500 characters')
  if (p.candidates?.scope !== undefined && [...p.candidates.scope].length > 500) return invalid('candidates.scope', 'at most 500 characters')
  if (p.candidates?.expected !== undefined && !(Number.isInteger(p.candidates.expected) && p.candidates.expected >= 1 && p.candidates.expected <= 100_000)) {
    return invalid('candidates.expected', 'expected a whole number 1–100000')
  }
  for (const k of ['examiners', 'invigilators', 'supervisors'] as const) {
    const n = p.staffing?.[k]
    if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= 1000)) return invalid(`staffing.${k}`, 'expected a whole number 0–1000')
  }
  if (p.sessions.length > MAX_SESSIONS) return invalid('sessions', `at most ${MAX_SESSIONS} sessions`)
  const subjectIds = new Set(ctx.subjects.map((s) => s.id))
  for (const [i, s] of p.sessions.entries()) {
    const at = `sessions[${i}]`
    if (!subjectIds.has(s.subjectId)) return invalid(`${at}.subjectId`, `not a subject of ${b.occupationCode} at level ${b.level}`)
    if (!Number.isSafeInteger(s.startsAt) || !Number.isSafeInteger(s.endsAt) || s.endsAt <= s.startsAt)
      return invalid(`${at}.endsAt`, 'a session ends after it starts')
    if (civilDateOf(s.startsAt) < b.examStartDate || civilDateOf(s.endsAt) > b.examEndDate) {
      return invalid(`${at}.startsAt`, `a session lies within the exam dates ${b.examStartDate} – ${b.examEndDate} (CST)`)
    }
    if (s.siteId !== null && !ctx.knownSites.has(s.siteId)) return invalid(`${at}.siteId`, 'no such site')
  }
  return null
}

/** R2.2: the plan's fields that are still missing, by name (empty when the plan can be filed). */
export function missingPlanFields(b: Batch, subjects: readonly Subject[]): string[] {
  const p = b.plan
  const missing: string[] = []
  if (!p.place) missing.push('place')
  if (p.sessions.length === 0) missing.push('sessions')
  else {
    // Every subject of the level needs a sitting, or some candidates could never complete the exam.
    const sat = new Set(p.sessions.map((s) => s.subjectId))
    for (const s of subjects) if (!sat.has(s.id)) missing.push(`sessions.${s.kind}`)
  }
  if (!p.method) missing.push('method')
  if (!p.candidates?.scope) missing.push('candidates.scope')
  if (p.candidates?.expected === undefined) missing.push('candidates.expected')
  // An exam without examiners or invigilators cannot run; the centre's supervisors may be none (R6.4 is theirs).
  if (!p.staffing?.examiners) missing.push('staffing.examiners')
  if (!p.staffing?.invigilators) missing.push('staffing.invigilators')
  if (p.staffing?.supervisors === undefined) missing.push('staffing.supervisors')
  return missing
}

/** The centre's reference for the filing; a documented filing date other than today needs its own reference. */
export interface FileCommand extends DocumentedInput {
  centreReference: string
}
/** `today` is the server's date (the clock's), never the caller's. */
export interface FileContext {
  today: CivilDate
  calendar: Calendar
  subjects: readonly Subject[]
  roles: readonly Role[] | null
  now: Instant
}

/**
 * Filing with the municipal centre (R2.1, R2.2). The filing is recorded on the server's date (`filedOn`
 * = today) and R2.1 counts from it: a backdated date cannot meet the deadline. A different date the
 * centre's documents give is kept beside it (decision record 007), checked after the deadline (which it
 * cannot change); an exam already past is refused.
 */
export function decideFile(b: Batch, cmd: FileCommand, ctx: FileContext): Result<Batch, LifecycleError> {
  const to = moveBatch(b.status, 'file', ctx.roles)
  if (!to.ok) return to
  const missing = missingPlanFields(b, ctx.subjects)
  if (cmd.centreReference.trim() === '') missing.push('centreReference')
  if (missing.length > 0) return refuse({ code: 'plan.incomplete', missing })
  const earliest = earliestExamDate(ctx.today, ctx.calendar)
  if (b.examStartDate < ctx.today) {
    return refuse({ code: 'plan.exam_past', examDate: b.examStartDate, today: ctx.today, earliestExamDate: earliest.date, provisional: earliest.provisional })
  }
  if (b.examStartDate < earliest.date) {
    const between = ctx.calendar.workingDaysBetween(ctx.today, b.examStartDate)
    return refuse({
      code: 'plan.too_late',
      filedOn: ctx.today,
      examDate: b.examStartDate,
      earliestExamDate: earliest.date,
      workingDays: between.days,
      provisional: earliest.provisional || between.provisional,
    })
  }
  const documented = documentedDate(cmd, ctx.today, civilDateOf(b.createdAt))
  if (!documented.ok) {
    const p = documented.problem
    const filedOn = cmd.documentedOn ?? ''
    if (p.kind === 'invalid') return refuse({ code: 'plan.invalid', field: p.field, message: p.message })
    if (p.kind === 'future') return refuse({ code: 'plan.filed_on_future', filedOn, today: ctx.today })
    if (p.kind === 'unreferenced') return refuse({ code: 'plan.filed_on_unreferenced', filedOn, today: ctx.today })
    return refuse({ code: 'plan.filed_on_before_plan', filedOn, earliestDate: p.earliest })
  }
  return ok({
    ...b,
    status: to.value,
    filedOn: ctx.today,
    filedOnDocumented: documented.value,
    centreReference: cmd.centreReference.trim(),
    updatedAt: ctx.now,
  })
}

/**
 * R2.1 read backwards: the last day a plan for an exam on `examDate` can be filed (10 working days before).
 * earliestExamDate(latestFilingDate(d).date) <= d always holds.
 */
export function latestFilingDate(examDate: CivilDate, cal: Calendar): { date: CivilDate; provisional: boolean } {
  let d = addDays(examDate, -PLAN_LEAD_WORKING_DAYS)
  for (;;) {
    const between = cal.workingDaysBetween(d, examDate)
    if (between.days >= PLAN_LEAD_WORKING_DAYS) return { date: d, provisional: between.provisional }
    d = addDays(d, -1)
  }
}

/** The sessions of a filed plan become exam_sessions rows (ids from `newId`). */
export function sessionsFromPlan(
  b: Batch,
  newId: () => string,
  now: Instant,
): Array<PlanSession & { id: string; batchId: string; status: 'scheduled'; createdAt: Instant; updatedAt: Instant }> {
  return b.plan.sessions.map((s) => ({ ...s, id: newId(), batchId: b.id, status: 'scheduled', createdAt: now, updatedAt: now }))
}
