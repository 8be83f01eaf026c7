import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { ROLES, type Role } from '../server/domain/accounts/index.ts'
import { addDays, createCalendar, SHIPPED_HOLIDAY_YEARS, type HolidayYear } from '../server/domain/calendar/index.ts'
import { assessRetake, deadline, SUBJECT_KINDS, type SubjectKind, type SubjectResult } from '../server/domain/lifecycle/index.ts'
import {
  decidePublish,
  decideReviewRequest,
  decideUnpublish,
  earliestPublicationDate,
  earliestPublicationEnd,
  isReviewOpen,
  moveReview,
  passValidUntil,
  resultAttempt,
  REVIEW_MOVES,
  REVIEW_STATES,
  reviewDeadline,
  standingOn,
  type ReviewAction,
} from '../server/domain/results/index.ts'

const cal = createCalendar(SHIPPED_HOLIDAY_YEARS)
/** The shipped lists without their make-up working days (调休): what a naive weekday count would use. */
const noMakeUpDays = createCalendar(SHIPPED_HOLIDAY_YEARS.map((y) => ({ ...y, workdays: [] })))
const shippedDate = fc.integer({ min: 0, max: 1095 }).map((k) => addDays('2024-01-01', k))
const registrar = { id: 'u-reg', roles: ['registrar'] as Role[] }

describe('R7.2 publication: 10 working days after the exam ends, up for at least 5', () => {
  // Every row checked by hand against the State Council notices in server/domain/calendar/_data.ts.
  const rows = [
    // 春节 2025: 01-28..02-04 off, Sun 01-26 and Sat 02-08 worked. Working days 1-5 are 01-20..24, 6 is Sun 01-26, 7 Mon 01-27, 8-10 02-05..07.
    { festival: '春节 2025', examEnd: '2025-01-17', earliest: '2025-02-07', naive: '2025-02-10', lastDay: '2025-02-13', takeDownFrom: '2025-02-14' },
    // 国庆节、中秋节 2025: 10-01..08 off, Sun 09-28 and Sat 10-11 worked.
    { festival: '国庆 2025', examEnd: '2025-09-19', earliest: '2025-10-10', naive: '2025-10-13', lastDay: '2025-10-16', takeDownFrom: '2025-10-17' },
    // 春节 2026: 02-15..23 off, Sat 02-14 and Sat 02-28 worked.
    { festival: '春节 2026', examEnd: '2026-02-06', earliest: '2026-02-27', naive: '2026-03-02', lastDay: '2026-03-05', takeDownFrom: '2026-03-06' },
    // 中秋 09-25..27 and 国庆 10-01..07 of 2026 off, Sun 09-20 and Sat 10-10 worked.
    { festival: '国庆 2026', examEnd: '2026-09-18', earliest: '2026-10-09', naive: '2026-10-12', lastDay: '2026-10-15', takeDownFrom: '2026-10-16' },
  ]
  for (const r of rows) {
    test(`${r.festival}: exam ends ${r.examEnd}, published from ${r.earliest}, up through ${r.lastDay} (make-up days counted)`, () => {
      expect(earliestPublicationDate(r.examEnd, cal)).toEqual({ date: r.earliest, provisional: false })
      // without the make-up working days the answer would differ: they are really counted
      expect(earliestPublicationDate(r.examEnd, noMakeUpDays).date).toBe(r.naive)
      expect(earliestPublicationEnd(r.earliest, cal)).toEqual({ lastDay: r.lastDay, takeDownFrom: r.takeDownFrom, provisional: false })
    })
    test(`${r.festival}: publishing the day before ${r.earliest} is refused naming R7.2 and the earliest date; on it, allowed`, () => {
      const before = addDays(r.earliest, -1)
      expect(decidePublish(r.examEnd, before, cal)).toEqual({
        ok: false,
        error: { code: 'publication.too_early', rule: 'R7.2', examEnd: r.examEnd, today: before, earliest: r.earliest, provisional: false },
      })
      expect(decidePublish(r.examEnd, r.earliest, cal)).toEqual({
        ok: true,
        value: { publishedOn: r.earliest, lastDay: r.lastDay, takeDownFrom: r.takeDownFrom, provisional: false },
      })
    })
    test(`${r.festival}: taking down on ${r.lastDay} is refused naming ${r.takeDownFrom}; from ${r.takeDownFrom}, allowed`, () => {
      expect(decideUnpublish(r.earliest, r.lastDay, cal)).toEqual({
        ok: false,
        error: {
          code: 'publication.period_not_over',
          rule: 'R7.2',
          publishedOn: r.earliest,
          today: r.lastDay,
          lastDay: r.lastDay,
          earliest: r.takeDownFrom,
          provisional: false,
        },
      })
      expect(decideUnpublish(r.earliest, r.takeDownFrom, cal)).toEqual({ ok: true, value: { provisional: false } })
    })
  }

  test('the exam day is not counted: an exam ending Mon 2026-03-02 publishes Mon 2026-03-16 (day 1 is Tue 03-03)', () => {
    expect(earliestPublicationDate('2026-03-02', cal).date).toBe('2026-03-16')
    expect(cal.workingDaysBetween('2026-03-02', '2026-03-16').days).toBe(10)
  })

  test('a later publication starts its own 5 working days: published Sat 2026-03-21, up through Fri 03-27', () => {
    expect(decidePublish('2026-03-02', '2026-03-21', cal)).toEqual({
      ok: true,
      value: { publishedOn: '2026-03-21', lastDay: '2026-03-27', takeDownFrom: '2026-03-28', provisional: false },
    })
  })

  test('the date a form shows (lifecycle deadline, kind results) is the date decidePublish enforces', () => {
    fc.assert(
      fc.property(shippedDate, (end) => {
        const shown = deadline({ kind: 'results', examEndDate: end }, cal)
        expect(shown.date).toBe(earliestPublicationDate(end, cal).date)
        expect(decidePublish(end, shown.date, cal).ok).toBe(true)
        expect(decidePublish(end, addDays(shown.date, -1), cal).ok).toBe(false)
      }),
    )
  })

  test('property: exactly 10 working days lie after the exam end up to the earliest day, 5 after publication up to the last day', () => {
    fc.assert(
      fc.property(shippedDate, (end) => {
        const p = earliestPublicationDate(end, cal).date
        expect(cal.workingDaysBetween(end, p).days).toBe(10)
        expect(cal.isWorkingDay(p).working).toBe(true)
        const e = earliestPublicationEnd(p, cal)
        expect(cal.workingDaysBetween(p, e.lastDay).days).toBe(5)
        expect(decideUnpublish(p, e.lastDay, cal).ok).toBe(false)
        expect(decideUnpublish(p, e.takeDownFrom, cal).ok).toBe(true)
      }),
    )
  })

  test('a year without an official list is marked provisional (2027), also when the span only reaches into it', () => {
    expect(earliestPublicationDate('2027-03-01', cal)).toEqual({ date: '2027-03-15', provisional: true })
    expect(decidePublish('2026-12-25', '2027-01-08', cal)).toEqual({
      ok: true,
      value: { publishedOn: '2027-01-08', lastDay: '2027-01-15', takeDownFrom: '2027-01-16', provisional: true },
    })
    expect(decideUnpublish('2027-01-08', '2027-01-15', cal)).toMatchObject({ ok: false, error: { code: 'publication.period_not_over', provisional: true } })
    // publishing in December 2026 after a December exam stays inside the listed year
    expect(decidePublish('2026-12-01', '2026-12-15', cal)).toMatchObject({ ok: true, value: { provisional: false } })
  })

  test('once a 2027 list is loaded the answer is no longer provisional, and its holidays count', () => {
    const y2027: HolidayYear = { year: 2027, source: 'test list', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }
    const withList = createCalendar([...SHIPPED_HOLIDAY_YEARS, y2027])
    // 2026-12-25 (Fri): 12-28..31 are days 1-4; 2027-01-01 is now off, so day 10 moves from Fri 01-08 to Mon 01-11
    expect(earliestPublicationDate('2026-12-25', withList)).toEqual({ date: '2027-01-11', provisional: false })
  })
})

describe('R7.2 review requests: within 1 month after publication', () => {
  test('a request on the last day is accepted; one day late it is refused naming the deadline (review.too_late)', () => {
    // published Mon 2025-03-10: 1 month ends Thu 2025-04-10, a working day
    expect(decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-04-10', openReview: false }, registrar, cal)).toEqual({
      ok: true,
      value: { state: 'requested', deadline: '2025-04-10', provisional: false },
    })
    expect(decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-04-11', openReview: false }, registrar, cal)).toEqual({
      ok: false,
      error: {
        code: 'review.too_late',
        rule: 'R7.2',
        publishedOn: '2025-03-10',
        today: '2025-04-11',
        deadline: '2025-04-10',
        nominal: '2025-04-10',
        provisional: false,
      },
    })
  })

  test('the publication day itself is in time; before publication there is nothing to review', () => {
    expect(decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-03-10', openReview: false }, registrar, cal).ok).toBe(true)
    expect(decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-03-09', openReview: false }, registrar, cal)).toEqual({
      ok: false,
      error: { code: 'review.not_published' },
    })
    expect(decideReviewRequest({ publishedOn: null, today: '2025-03-09', openReview: false }, registrar, cal)).toEqual({
      ok: false,
      error: { code: 'review.not_published' },
    })
  })

  // 民法典 第202条: the corresponding day of the next month, or its last day when there is none.
  const monthEnds = [
    { publishedOn: '2025-01-31', deadline: '2025-02-28', why: 'no 02-31: the month ends (Fri, a working day)' },
    { publishedOn: '2024-01-31', deadline: '2024-02-29', why: 'leap year: 02-29 (Thu)' },
    { publishedOn: '2026-01-31', deadline: '2026-02-28', why: 'Sat 02-28 is a make-up working day (春节 2026): no extension' },
    { publishedOn: '2025-03-31', deadline: '2025-04-30', why: 'no 04-31: 04-30 (Wed)' },
    { publishedOn: '2024-02-29', deadline: '2024-03-29', why: 'from 02-29 the corresponding day 03-29 (Fri)' },
  ]
  for (const m of monthEnds) {
    test(`published ${m.publishedOn}: the last day is ${m.deadline} (${m.why})`, () => {
      expect(reviewDeadline(m.publishedOn, cal)).toEqual({ date: m.deadline, nominal: m.deadline, provisional: false })
      expect(decideReviewRequest({ publishedOn: m.publishedOn, today: m.deadline, openReview: false }, registrar, cal).ok).toBe(true)
      expect(decideReviewRequest({ publishedOn: m.publishedOn, today: addDays(m.deadline, 1), openReview: false }, registrar, cal)).toMatchObject({
        ok: false,
        error: { code: 'review.too_late', deadline: m.deadline },
      })
    })
  }

  // 民法典 第203条: a period ending on a day off ends on the next working day.
  const extended = [
    { publishedOn: '2026-01-15', nominal: '2026-02-15', deadline: '2026-02-24', why: '02-15..23 is 春节 2026' },
    { publishedOn: '2025-09-01', nominal: '2025-10-01', deadline: '2025-10-09', why: '10-01..08 is 国庆节、中秋节 2025' },
    { publishedOn: '2025-12-31', nominal: '2026-01-31', deadline: '2026-02-02', why: '01-31 is a Saturday' },
  ]
  for (const x of extended) {
    test(`published ${x.publishedOn}: 1 month ends on ${x.nominal}, a day off (${x.why}), so requests are in time through ${x.deadline}`, () => {
      expect(reviewDeadline(x.publishedOn, cal)).toEqual({ date: x.deadline, nominal: x.nominal, provisional: false })
      expect(decideReviewRequest({ publishedOn: x.publishedOn, today: x.deadline, openReview: false }, registrar, cal).ok).toBe(true)
      expect(decideReviewRequest({ publishedOn: x.publishedOn, today: addDays(x.deadline, 1), openReview: false }, registrar, cal)).toEqual({
        ok: false,
        error: {
          code: 'review.too_late',
          rule: 'R7.2',
          publishedOn: x.publishedOn,
          today: addDays(x.deadline, 1),
          deadline: x.deadline,
          nominal: x.nominal,
          provisional: false,
        },
      })
    })
  }

  test('a deadline in a year without an official list is provisional', () => {
    expect(reviewDeadline('2026-12-15', cal)).toEqual({ date: '2027-01-15', nominal: '2027-01-15', provisional: true })
    expect(decideReviewRequest({ publishedOn: '2026-12-15', today: '2027-01-16', openReview: false }, registrar, cal)).toMatchObject({
      ok: false,
      error: { code: 'review.too_late', deadline: '2027-01-15', provisional: true },
    })
  })

  test('property: the deadline is the first working day on or after the corresponding day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1060 }).map((k) => addDays('2024-01-01', k)),
        (p) => {
          const d = reviewDeadline(p, cal)
          expect(d.date >= d.nominal).toBe(true)
          expect(cal.isWorkingDay(d.date).working).toBe(true)
          for (let x = d.nominal; x < d.date; x = addDays(x, 1)) expect(cal.isWorkingDay(x).working).toBe(false)
        },
      ),
    )
  })

  test('only the desk records a request, and a refusal to anyone else reveals no dates', () => {
    for (const role of ROLES.filter((r) => r !== 'registrar'))
      expect(decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-05-01', openReview: false }, { id: 'x', roles: [role] }, cal)).toEqual({
        ok: false,
        error: { code: 'review.role_not_allowed', action: 'request', allowed: ['registrar'] },
      })
  })

  test('a second request while one is open is refused (review.already_open)', () => {
    expect(decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-03-20', openReview: true }, registrar, cal)).toEqual({
      ok: false,
      error: { code: 'review.already_open' },
    })
  })
})

describe('the review state table (requested → in_review → upheld | changed → verified by a second person)', () => {
  const ACTIONS: ReviewAction[] = ['request', 'start', 'uphold', 'change', 'verify', 'send_back', 'withdraw']
  const FROM = ['none', ...REVIEW_STATES] as const
  const decider = 'u-decider'
  const decidedBy = (state: string) => (state === 'upheld' || state === 'changed' ? decider : null)

  test('the table, as the regulation reads it', () => {
    expect(REVIEW_MOVES.map((m) => [m.from, m.action, m.to, m.who.join('|'), m.secondPerson])).toEqual([
      ['none', 'request', 'requested', 'registrar', false],
      ['requested', 'start', 'in_review', 'registrar', false],
      ['requested', 'withdraw', 'withdrawn', 'registrar', false],
      ['in_review', 'withdraw', 'withdrawn', 'registrar', false],
      ['in_review', 'uphold', 'upheld', 'registrar', false],
      ['in_review', 'change', 'changed', 'registrar', false],
      ['upheld', 'verify', 'verified', 'verifier', true],
      ['changed', 'verify', 'verified', 'verifier', true],
      ['upheld', 'send_back', 'in_review', 'verifier', true],
      ['changed', 'send_back', 'in_review', 'verifier', true],
    ])
  })

  for (const m of REVIEW_MOVES) {
    test(`${m.from} --${m.action}--> ${m.to} works for ${m.who.join(', ')} and for no other role`, () => {
      for (const role of ROLES) {
        const r = moveReview({ state: m.from, decidedBy: decidedBy(m.from) }, m.action, { id: 'u-other', roles: [role] }, 'a reason')
        if ((m.who as readonly Role[]).includes(role)) expect(r).toEqual({ ok: true, value: m.to })
        else expect(r).toEqual({ ok: false, error: { code: 'review.role_not_allowed', action: m.action, allowed: m.who } })
      }
      const who = { id: 'u-other', roles: m.who }
      const without = moveReview({ state: m.from, decidedBy: decidedBy(m.from) }, m.action, who, ' ')
      if (m.reason === 'required') expect(without).toEqual({ ok: false, error: { code: 'review.reason_required', action: m.action } })
      else expect(without).toEqual({ ok: true, value: m.to })
    })
  }

  test('every (state, action) pair not in the table is refused with review.wrong_state, for every role', () => {
    let refused = 0
    for (const state of FROM)
      for (const action of ACTIONS) {
        if (REVIEW_MOVES.some((m) => m.from === state && m.action === action)) continue
        expect(moveReview({ state, decidedBy: decidedBy(state) }, action, { id: 'u-all', roles: [...ROLES] }, 'reason')).toEqual({
          ok: false,
          error: { code: 'review.wrong_state', state, action },
        })
        refused++
      }
    expect(refused).toBe(FROM.length * ACTIONS.length - REVIEW_MOVES.length)
  })

  test('the person who decided cannot verify or send back their own decision, even holding the verifier role (review.same_person)', () => {
    const both = { id: decider, roles: ['registrar', 'verifier'] as Role[] }
    for (const state of ['upheld', 'changed'] as const)
      for (const action of ['verify', 'send_back'] as const)
        expect(moveReview({ state, decidedBy: decider }, action, both, 'reason')).toEqual({
          ok: false,
          error: { code: 'review.same_person', rule: 'R7.2', action },
        })
    expect(moveReview({ state: 'changed', decidedBy: decider }, 'verify', { id: 'u-verifier', roles: ['verifier'] })).toEqual({ ok: true, value: 'verified' })
  })

  test('a whole review: requested, started, changed, sent back, upheld, verified by a second person', () => {
    const verifier = { id: 'u-verifier', roles: ['verifier'] as Role[] }
    const steps: Array<[ReviewAction, typeof registrar, string]> = [
      ['start', registrar, 'requested'],
      ['change', registrar, 'in_review'],
      ['send_back', verifier, 'changed'],
      ['uphold', registrar, 'in_review'],
      ['verify', verifier, 'upheld'],
    ]
    let state = decideReviewRequest({ publishedOn: '2025-03-10', today: '2025-03-11', openReview: false }, registrar, cal)
    expect(state).toMatchObject({ ok: true, value: { state: 'requested' } })
    let current: (typeof REVIEW_STATES)[number] = 'requested'
    for (const [action, actor, from] of steps) {
      expect(current).toBe(from)
      const r = moveReview(
        { state: current, decidedBy: current === 'upheld' || current === 'changed' ? registrar.id : null },
        action,
        actor,
        'checked the sheet',
      )
      if (!r.ok) throw new Error(JSON.stringify(r.error))
      current = r.value
    }
    expect(current).toBe('verified')
    expect(REVIEW_STATES.filter(isReviewOpen)).toEqual(['requested', 'in_review', 'upheld', 'changed'])
  })
})

describe('R7.3: a pass counts 1 year, one retake of a failed subject: results agree with registration', () => {
  const at = (subjectKind: SubjectKind, examDate: string, passed: boolean, attempt = 1): SubjectResult => ({
    occupationCode: '6-31-01-03',
    level: 4,
    subjectKind,
    examDate,
    passed,
    attempt,
  })
  const target = (examDate: string) => ({ occupationCode: '6-31-01-03', level: 4, examDate })

  test('a pass counts through its anniversary: registration allows the retake that day; the day after, a fresh full sitting', () => {
    const h = [at('theory', '2025-03-15', true), at('practical', '2025-03-15', false)]
    expect(passValidUntil('2025-03-15')).toBe('2026-03-15')
    expect(assessRetake(h, target('2026-03-15'))).toEqual({ ok: true, value: { kind: 'retake', subjects: ['practical'], carried: ['theory'] } })
    expect(standingOn(h, { occupationCode: '6-31-01-03', level: 4, on: '2026-03-15' }).held.map((p) => p.kind)).toEqual(['theory'])
    expect(assessRetake(h, target('2026-03-16'))).toEqual({ ok: true, value: { kind: 'full' } })
    expect(standingOn(h, { occupationCode: '6-31-01-03', level: 4, on: '2026-03-16' }).lapsed.map((p) => p.kind)).toEqual(['theory'])
  })

  test('a pass of 2024-02-29 counts through 2025-02-28 (民法典 第202条), on both sides', () => {
    const h = [at('theory', '2024-02-29', true), at('practical', '2024-02-29', false)]
    expect(passValidUntil('2024-02-29')).toBe('2025-02-28')
    expect(assessRetake(h, target('2025-02-28')).ok).toBe(true)
    expect(assessRetake(h, target('2025-03-01'))).toEqual({ ok: true, value: { kind: 'full' } })
  })

  test('a retake result recorded with resultAttempt makes registration refuse a second retake (retake_used)', () => {
    const first = [at('theory', '2025-03-15', true), at('practical', '2025-03-15', false)]
    const sitting = assessRetake(first, target('2025-09-20'))
    if (!sitting.ok) throw new Error('the first retake is allowed')
    expect(resultAttempt(sitting.value, 'practical')).toBe(2)
    expect(resultAttempt(sitting.value, 'theory')).toBe(1)
    expect(resultAttempt({ kind: 'full' }, 'practical')).toBe(1)
    const after = [...first, at('practical', '2025-09-20', false, resultAttempt(sitting.value, 'practical'))]
    expect(assessRetake(after, target('2026-01-10'))).toEqual({ ok: false, error: { code: 'registration.retake_not_allowed', reason: 'retake_used' } })
    expect(standingOn(after, { occupationCode: '6-31-01-03', level: 4, on: '2026-01-10' }).retaken).toEqual(['practical'])
    // a passed retake completes the subjects: both held on the retake's day
    const passed = [...first, at('practical', '2025-09-20', true, 2)]
    expect(standingOn(passed, { occupationCode: '6-31-01-03', level: 4, on: '2025-09-20' })).toMatchObject({ failed: [], lapsed: [] })
    expect(standingOn(passed, { occupationCode: '6-31-01-03', level: 4, on: '2025-09-20' }).held.map((p) => p.kind)).toEqual(['practical', 'theory'])
  })

  test('after the year a fresh full sitting; its partial pass starts a new round with its own retake', () => {
    const round1 = [at('theory', '2025-03-15', true), at('practical', '2025-03-15', false), at('practical', '2025-09-20', false, 2)]
    const on = (h: SubjectResult[], d: string) => standingOn(h, { occupationCode: '6-31-01-03', level: 4, on: d })
    expect(assessRetake(round1, target('2026-03-15'))).toEqual({ ok: false, error: { code: 'registration.retake_not_allowed', reason: 'retake_used' } })
    expect(on(round1, '2026-03-15').retaken).toEqual(['practical'])
    expect(assessRetake(round1, target('2026-03-16'))).toEqual({ ok: true, value: { kind: 'full' } })
    expect(on(round1, '2026-03-16')).toMatchObject({ held: [], lapsed: [{ kind: 'theory', validUntil: '2026-03-15' }] })
    // the fresh sitting: theory failed this time, practical passed; the old retake no longer binds
    const round2 = [...round1, at('theory', '2026-04-10', false), at('practical', '2026-04-10', true)]
    expect(assessRetake(round2, target('2026-10-10'))).toEqual({ ok: true, value: { kind: 'retake', subjects: ['theory'], carried: ['practical'] } })
    expect(on(round2, '2026-10-10')).toMatchObject({ held: [{ kind: 'practical', passedOn: '2026-04-10' }], failed: ['theory'], retaken: [] })
    // and that round's one retake is used up in turn
    const round2b = [...round2, at('theory', '2026-10-10', false, 2)]
    expect(assessRetake(round2b, target('2027-01-10'))).toEqual({ ok: false, error: { code: 'registration.retake_not_allowed', reason: 'retake_used' } })
    expect(on(round2b, '2027-01-10').retaken).toEqual(['theory'])
  })

  test('property: on any history, what registration decides is what standingOn says about the exam day', () => {
    const row = fc.record({
      occupationCode: fc.constantFrom('6-31-01-03', '4-01-02-01'),
      level: fc.constantFrom(3, 4),
      subjectKind: fc.constantFrom<SubjectKind>(...SUBJECT_KINDS),
      examDate: shippedDate,
      passed: fc.boolean(),
      attempt: fc.constantFrom(1, 1, 2),
    })
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), shippedDate, (history, day) => {
        const reg = assessRetake(history, target(day))
        const s = standingOn(history, { occupationCode: '6-31-01-03', level: 4, on: day })
        let expected: ReturnType<typeof assessRetake>
        // R7.3: no pass that still counts (never passed, or lapsed: a fresh start) or nothing failed: a full sitting
        if (s.held.length === 0 || s.failed.length === 0) expected = { ok: true, value: { kind: 'full' } }
        else if (s.retaken.length > 0) expected = { ok: false, error: { code: 'registration.retake_not_allowed', reason: 'retake_used' } }
        else expected = { ok: true, value: { kind: 'retake', subjects: s.failed, carried: s.held.map((p) => p.kind) } }
        expect(reg).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })
})
