import { describe, expect, test } from 'vitest'
import { SHIPPED_HOLIDAY_YEARS, createCalendar, earliestExamDate } from '../server/domain/calendar/index.ts'
import { decideDraft, decideFile, deadline, latestFilingDate, missingPlanFields, sessionsFromPlan } from '../server/domain/lifecycle/index.ts'
import { ELECTRICIAN, LEVEL4, completeDraft, cstAt } from './_lifecycle.ts'

const cal = createCalendar(SHIPPED_HOLIDAY_YEARS)
const fileCtx = (today = '2026-11-25') => ({ today, calendar: cal, subjects: LEVEL4, roles: ['registrar' as const], now: 1 })

describe('R2.1: a plan is filed at least 10 working days before the exam', () => {
  test('filed 2026-09-25 (中秋) for an exam on 2026-10-12 (after National Day) is too late; the earliest exam day is 2026-10-15', () => {
    const r = decideFile(completeDraft('2026-10-12'), { centreReference: '渝职鉴备〔2026〕88号' }, fileCtx('2026-09-25'))
    expect(r).toEqual({
      ok: false,
      error: { code: 'plan.too_late', filedOn: '2026-09-25', examDate: '2026-10-12', earliestExamDate: '2026-10-15', workingDays: 7, provisional: false },
    })
  })

  test('the same filing for an exam on 2026-10-15 (the 10th working day) is in time', () => {
    const r = decideFile(completeDraft('2026-10-15'), { centreReference: '渝职鉴备〔2026〕88号' }, fileCtx('2026-09-25'))
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.value).toMatchObject({ status: 'filed', filedOn: '2026-09-25', filedOnDocumented: null, centreReference: '渝职鉴备〔2026〕88号' })
  })

  test.each([
    ['2025-09-26', '2025-10-16', 'National Day 2025: 09-28 and 10-11 are worked Sundays/Saturdays, 10-01..08 are off'],
    ['2025-01-20', '2025-02-08', 'Spring Festival 2025: the 10th working day is the worked Saturday 02-08'],
    ['2026-03-02', '2026-03-16', 'an ordinary fortnight'],
  ])('filed %s → earliest exam %s (%s)', (filedOn, earliest) => {
    expect(earliestExamDate(filedOn, cal)).toEqual({ date: earliest, provisional: false })
    const before = decideFile(completeDraft(dayBefore(earliest)), { centreReference: 'ref' }, fileCtx(filedOn))
    expect(before.ok ? null : before.error.code).toBe('plan.too_late')
    expect(decideFile(completeDraft(earliest), { centreReference: 'ref' }, fileCtx(filedOn)).ok).toBe(true)
  })

  test('the latest filing day for an exam on 2026-10-12 is 2026-09-21, and filing then allows exactly that exam day', () => {
    expect(latestFilingDate('2026-10-12', cal)).toEqual({ date: '2026-09-21', provisional: false })
    expect(earliestExamDate('2026-09-21', cal).date).toBe('2026-10-12')
    expect(earliestExamDate('2026-09-22', cal).date > '2026-10-12').toBe(true)
  })

  test('a filing whose span reaches a year without an official list says provisional', () => {
    const r = decideFile(completeDraft('2026-12-31'), { centreReference: 'ref' }, fileCtx('2026-12-20'))
    expect(r.ok ? null : r.error).toMatchObject({ code: 'plan.too_late', earliestExamDate: '2027-01-01', provisional: true })
  })

  test('a documented filing date after today is refused (plan.filed_on_future)', () => {
    const r = decideFile(completeDraft('2026-12-28'), { documentedOn: '2026-11-26', documentReference: 'doc', centreReference: 'ref' }, fileCtx('2026-11-25'))
    expect(r).toEqual({ ok: false, error: { code: 'plan.filed_on_future', filedOn: '2026-11-26', today: '2026-11-25' } })
  })

  test('only a draft is filed, and only by a registrar (an administrator reads plans, batch.role_not_allowed)', () => {
    expect(decideFile(completeDraft('2026-12-28', { status: 'filed' }), { centreReference: 'r' }, fileCtx('2026-11-02'))).toEqual({
      ok: false,
      error: { code: 'batch.wrong_state', state: 'filed', action: 'file' },
    })
    const r = decideFile(completeDraft('2026-12-28'), { centreReference: 'r' }, { ...fileCtx('2026-11-02'), roles: ['supervisor'] })
    expect(r.ok ? null : r.error.code).toBe('batch.role_not_allowed')
    const a = decideFile(completeDraft('2026-12-28'), { centreReference: 'r' }, { ...fileCtx('2026-11-02'), roles: ['admin'] })
    expect(a.ok ? null : a.error.code).toBe('batch.role_not_allowed')
  })
})

describe("R2.1 counts from the day the filing is recorded: the server's date, not a date the caller names", () => {
  const created = cstAt('2026-11-02', '10:00')
  const draft = (exam: string) => completeDraft(exam, { createdAt: created })

  test('a backdated filing date with its reference does not meet the deadline: an exam 4 working days away is refused naming the earliest date (plan.too_late)', () => {
    const r = decideFile(
      draft('2026-12-01'),
      { centreReference: 'ref', documentedOn: '2026-11-03', documentReference: '渝职鉴函〔2026〕7号' },
      fileCtx('2026-11-25'),
    )
    expect(r).toEqual({
      ok: false,
      error: { code: 'plan.too_late', filedOn: '2026-11-25', examDate: '2026-12-01', earliestExamDate: '2026-12-09', workingDays: 4, provisional: false },
    })
  })

  test('a documented filing date other than today needs the reference of the document that gives it (plan.filed_on_unreferenced)', () => {
    expect(decideFile(draft('2026-12-28'), { centreReference: 'ref', documentedOn: '2026-11-20' }, fileCtx('2026-11-25'))).toEqual({
      ok: false,
      error: { code: 'plan.filed_on_unreferenced', filedOn: '2026-11-20', today: '2026-11-25' },
    })
  })

  test('a documented filing date before the plan was created is refused, naming the earliest allowed date (plan.filed_on_before_plan)', () => {
    expect(decideFile(draft('2026-12-28'), { centreReference: 'ref', documentedOn: '2026-11-01', documentReference: 'doc' }, fileCtx('2026-11-25'))).toEqual({
      ok: false,
      error: { code: 'plan.filed_on_before_plan', filedOn: '2026-11-01', earliestDate: '2026-11-02' },
    })
  })

  test('a documented date with its reference is kept beside the recorded date, which stays today', () => {
    const r = decideFile(
      draft('2026-12-28'),
      { centreReference: 'ref', documentedOn: '2026-11-02', documentReference: ' 渝职鉴函〔2026〕7号 ' },
      fileCtx('2026-11-25'),
    )
    expect(r.ok ? r.value : r.error).toMatchObject({
      status: 'filed',
      filedOn: '2026-11-25',
      filedOnDocumented: { date: '2026-11-02', reference: '渝职鉴函〔2026〕7号' },
    })
  })

  test("today's own date needs no reference and records no documented date", () => {
    const r = decideFile(draft('2026-12-28'), { centreReference: 'ref', documentedOn: '2026-11-25' }, fileCtx('2026-11-25'))
    expect(r.ok ? r.value : r.error).toMatchObject({ filedOn: '2026-11-25', filedOnDocumented: null })
  })

  test('a reference without its date is refused as invalid', () => {
    const r = decideFile(draft('2026-12-28'), { centreReference: 'ref', documentReference: 'doc' }, fileCtx('2026-11-25'))
    expect(r.ok ? null : r.error).toMatchObject({ code: 'plan.invalid', field: 'documentedOn' })
  })

  test('a plan for an exam already past is refused, naming the earliest exam date a filing today allows (plan.exam_past)', () => {
    const r = decideFile(completeDraft('2026-11-20'), { centreReference: 'ref' }, fileCtx('2026-11-25'))
    expect(r).toEqual({
      ok: false,
      error: { code: 'plan.exam_past', examDate: '2026-11-20', today: '2026-11-25', earliestExamDate: '2026-12-09', provisional: false },
    })
  })
})

describe('R2.2: a plan cannot be filed with any field missing', () => {
  test('a complete plan misses nothing', () => {
    expect(missingPlanFields(completeDraft('2026-12-28'), LEVEL4)).toEqual([])
  })

  test('an empty plan names every missing field, and filing it is refused with that list', () => {
    const b = completeDraft('2026-12-28', { plan: { sessions: [], changes: [] } })
    const missing = [
      'place',
      'sessions',
      'method',
      'candidates.scope',
      'candidates.expected',
      'staffing.examiners',
      'staffing.invigilators',
      'staffing.supervisors',
    ]
    expect(missingPlanFields(b, LEVEL4)).toEqual(missing)
    expect(decideFile(b, { centreReference: ' ' }, fileCtx('2026-11-02'))).toEqual({
      ok: false,
      error: { code: 'plan.incomplete', missing: [...missing, 'centreReference'] },
    })
  })

  test('a subject of the level without a session is missing (sessions.practical); no examiners is missing', () => {
    const full = completeDraft('2026-12-28')
    const b = { ...full, plan: { ...full.plan, sessions: full.plan.sessions.slice(0, 1), staffing: { examiners: 0, invigilators: 4, supervisors: 0 } } }
    expect(missingPlanFields(b, LEVEL4)).toEqual(['sessions.practical', 'staffing.examiners'])
  })
})

describe('draft plans', () => {
  const ctx = { subjects: LEVEL4, knownSites: new Set(['site-1']), now: 5 }
  const create = { title: '第一批', occupationCode: ELECTRICIAN.code, level: 4, examStartDate: '2026-12-28', examEndDate: '2026-12-29' }

  test('a draft needs only title, occupation, level and dates', () => {
    const r = decideDraft(null, create, 'b1', ctx)
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ id: 'b1', status: 'draft', plan: { sessions: [], changes: [] }, createdAt: 5 }) })
  })

  test.each([
    [{ examEndDate: '2026-12-27' }, 'examEndDate'],
    [{ title: '  ' }, 'title'],
    [{ sessions: [{ subjectId: 'sub-5-theory', startsAt: cstAt('2026-12-28', '09:00'), endsAt: cstAt('2026-12-28', '10:00') }] }, 'sessions[0].subjectId'],
    [{ sessions: [{ subjectId: 'sub-4-theory', startsAt: cstAt('2026-12-28', '11:00'), endsAt: cstAt('2026-12-28', '10:00') }] }, 'sessions[0].endsAt'],
    [{ sessions: [{ subjectId: 'sub-4-theory', startsAt: cstAt('2026-12-30', '09:00'), endsAt: cstAt('2026-12-30', '10:00') }] }, 'sessions[0].startsAt'],
    [
      { sessions: [{ subjectId: 'sub-4-theory', startsAt: cstAt('2026-12-28', '09:00'), endsAt: cstAt('2026-12-28', '10:00'), siteId: 'nowhere' }] },
      'sessions[0].siteId',
    ],
    [{ candidates: { expected: 0 } }, 'candidates.expected'],
    [{ feeCents: -1 }, 'feeCents'],
  ])('%j is refused at %s (plan.invalid)', (change, field) => {
    const r = decideDraft(null, { ...create, ...change }, 'b1', ctx)
    expect(r.ok ? null : r.error).toMatchObject({ code: 'plan.invalid', field })
  })

  test('a session at 00:30 CST on the first exam day is within the dates, although it is the day before in UTC', () => {
    const r = decideDraft(
      null,
      { ...create, sessions: [{ subjectId: 'sub-4-theory', startsAt: cstAt('2026-12-28', '00:30'), endsAt: cstAt('2026-12-28', '01:30') }] },
      'b1',
      ctx,
    )
    expect(r.ok).toBe(true)
  })

  test('a level the occupation is not certified at is refused', () => {
    expect(decideDraft(null, create, 'b1', { ...ctx, subjects: [] })).toMatchObject({ ok: false, error: { code: 'plan.invalid', field: 'level' } })
  })

  test('a filed plan is not edited as a draft', () => {
    expect(decideDraft(completeDraft('2026-12-28', { status: 'filed' }), { title: 'x' }, 'b1', ctx)).toEqual({
      ok: false,
      error: { code: 'batch.wrong_state', state: 'filed', action: 'edit' },
    })
  })

  test('an edit keeps what it does not name and clears a field sent as null', () => {
    const r = decideDraft(completeDraft('2026-12-28'), { method: null, place: '新址' }, 'ignored', ctx)
    expect(r.ok && r.value.plan).toMatchObject({ place: '新址', staffing: { examiners: 6 } })
    expect(r.ok && 'method' in r.value.plan).toBe(false)
  })

  test('the filed plan becomes one scheduled exam session per planned sitting', () => {
    let n = 0
    const rows = sessionsFromPlan(completeDraft('2026-12-28'), () => `s${++n}`, 9)
    expect(rows.map((r) => [r.id, r.subjectId, r.status, r.siteId])).toEqual([
      ['s1', 'sub-4-theory', 'scheduled', null],
      ['s2', 'sub-4-practical', 'scheduled', null],
    ])
  })
})

describe('deadline helpers', () => {
  test('each kind answers with its rule, and provisional only where a year has no list', () => {
    expect(deadline({ kind: 'plan', filedOn: '2026-09-25' }, cal)).toEqual({ meaning: 'earliest_exam', rule: 'R2.1', date: '2026-10-15', provisional: false })
    expect(deadline({ kind: 'plan', examDate: '2026-10-12' }, cal)).toEqual({ meaning: 'latest_filing', rule: 'R2.1', date: '2026-09-21', provisional: false })
    expect(deadline({ kind: 'plan', examDate: '2027-01-15' }, cal)).toMatchObject({ meaning: 'latest_filing', provisional: true })
    expect(deadline({ kind: 'announcement', examDate: '2026-04-30' }, cal)).toEqual({
      meaning: 'latest_publication',
      rule: 'R2.3',
      date: '2026-02-28',
      provisional: false,
    })
    expect(deadline({ kind: 'announcement', publishedOn: '2025-12-31' }, cal)).toEqual({
      meaning: 'earliest_exam',
      rule: 'R2.3',
      date: '2026-03-01',
      provisional: false,
    })
    expect(deadline({ kind: 'results', examEndDate: '2026-09-30' }, cal)).toMatchObject({ meaning: 'results_publication', rule: 'R7.2', provisional: false })
  })
})

function dayBefore(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
}
