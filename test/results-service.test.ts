import { describe, expect, test } from 'vitest'
import { assessRetake } from '../server/domain/lifecycle/index.ts'
import { passValidUntil, standingOn } from '../server/domain/results/index.ts'
import { CandidateStore } from '../server/db/candidate-store.ts'
import { REGISTRAR, REGISTRAR2, VERIFIER, person, residentHashOf, resultsFixture } from './_results.ts'

const snapshotCount = (f: ReturnType<typeof resultsFixture>) =>
  f.app.services.db.query<{ n: number }, []>('SELECT COUNT(*) AS n FROM published_results').get()!.n
const historyCount = (f: ReturnType<typeof resultsFixture>) => f.app.services.db.query<{ n: number }, []>('SELECT COUNT(*) AS n FROM subject_results').get()!.n
const batchStatus = (f: ReturnType<typeof resultsFixture>) =>
  f.app.services.db.query<{ status: string }, [string]>('SELECT status FROM batches WHERE id = ?').get(f.seed.batchId)!.status

/** Publishing refused: the batch, the snapshot, the history and the log are as they were. */
function expectNothingChanged(f: ReturnType<typeof resultsFixture>, logSize: number) {
  expect(batchStatus(f)).toBe('completed')
  expect(f.results.publication(f.seed.batchId)).toBeNull()
  expect(f.results.publishedResults(f.seed.batchId)).toBeNull()
  expect(snapshotCount(f)).toBe(0)
  expect(historyCount(f)).toBe(0)
  expect(f.app.services.log.size()).toBe(logSize)
}

describe('R7.2 publication: the service refuses a day early and changes nothing', () => {
  // the domain test has the arithmetic; these are the same festival rows, through the service
  const rows = [
    { festival: '春节 2025', examEnd: '2025-01-17', earliest: '2025-02-07', lastDay: '2025-02-13' },
    { festival: '国庆 2025', examEnd: '2025-09-19', earliest: '2025-10-10', lastDay: '2025-10-16' },
    { festival: '春节 2026', examEnd: '2026-02-06', earliest: '2026-02-27', lastDay: '2026-03-05' },
    { festival: '国庆 2026', examEnd: '2026-09-18', earliest: '2026-10-09', lastDay: '2026-10-15' },
  ]
  for (const r of rows) {
    test(`${r.festival}: refused on the day before ${r.earliest} (publication.too_early naming it), published on it`, () => {
      const f = resultsFixture({ seed: { examEnd: r.examEnd } })
      f.setToday(new Date(Date.parse(`${r.earliest}T00:00:00+08:00`) - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }))
      const size = f.app.services.log.size()
      expect(f.results.publish('b1', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.too_early', rule: 'R7.2', earliest: r.earliest } })
      expectNothingChanged(f, size)
      f.setToday(r.earliest)
      expect(f.results.publish('b1', REGISTRAR)).toEqual({
        ok: true,
        value: { publishedOn: r.earliest, lastDay: r.lastDay, takeDownFrom: expect.any(String), provisional: false, withdrawnOn: null },
      })
      expect(batchStatus(f)).toBe('results_published')
    })
  }

  test('refused while a tally is not verified and signed (publication.not_complete), nothing changed', () => {
    const f = resultsFixture()
    f.scores.state.complete = false
    f.setToday('2025-03-03')
    const size = f.app.services.log.size()
    expect(f.results.publish('b1', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.not_complete', rule: 'R7.1' } })
    expectNothingChanged(f, size)
  })

  test('only a registrar publishes; a batch not completed is refused; a second publication is refused', () => {
    const f = resultsFixture()
    f.setToday('2025-03-03')
    expect(f.results.publish('b1', person('u-sup', ['supervisor']))).toMatchObject({ ok: false, error: { code: 'publication.role_not_allowed' } })
    f.app.services.db.run("UPDATE batches SET status = 'in_progress' WHERE id = 'b1'")
    expect(f.results.publish('b1', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.wrong_state', state: 'in_progress' } })
    f.app.services.db.run("UPDATE batches SET status = 'completed' WHERE id = 'b1'")
    expect(f.results.publish('b1', REGISTRAR).ok).toBe(true)
    expect(f.results.publish('b1', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.already_published', publishedOn: '2025-03-03' } })
    expect(f.results.publish('nope', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.batch_not_found' } })
  })

  test('publishing snapshots the results, writes R7.3 history rows and one log event in the same transaction', () => {
    const f = resultsFixture()
    f.setToday('2025-02-07')
    const size = f.app.services.log.size()
    expect(f.results.publish('b1', REGISTRAR).ok).toBe(true)
    const pub = f.results.publishedResults('b1')!
    expect(pub.map((c) => [c.candidateId, c.overall, c.subjects.map((s) => `${s.kind}:${s.status}:${s.score}`).join(' ')])).toEqual([
      ['c1', 'passed', 'theory:passed:72 practical:passed:80'],
      ['c2', 'failed', 'theory:failed:55 practical:passed:90'],
    ])
    const events = f.events(size)
    expect(events.map((e) => e.action)).toEqual(['results.published'])
    expect(events[0]!.data).toMatchObject({ publishedOn: '2025-02-07', lastDay: '2025-02-13', candidates: 2, results: 4, historyRows: 4 })
    // what registration reads: c2 passed practical and failed theory on the exam day, attempt 1
    const history = new CandidateStore(f.app.services.db).results(residentHashOf('500101199001010015'))
    expect(history).toEqual([
      { occupationCode: '6-31-01-03', level: 4, subjectKind: 'theory', examDate: '2025-01-17', passed: false, attempt: 1 },
      { occupationCode: '6-31-01-03', level: 4, subjectKind: 'practical', examDate: '2025-01-17', passed: true, attempt: 1 },
    ])
    expect(f.results.passedCandidates('b1')).toEqual(['c1'])
  })

  test('taking down before the 5 working days are over is refused naming the first day; from it, allowed', () => {
    const f = resultsFixture()
    f.setToday('2025-02-07')
    f.results.publish('b1', REGISTRAR)
    f.setToday('2025-02-13')
    expect(f.results.takeDown('b1', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.period_not_over', earliest: '2025-02-14' } })
    expect(f.results.publication('b1')!.withdrawnOn).toBeNull()
    f.setToday('2025-02-14')
    expect(f.results.takeDown('b1', REGISTRAR)).toMatchObject({ ok: true, value: { withdrawnOn: '2025-02-14' } })
    expect(f.results.takeDown('b1', REGISTRAR)).toMatchObject({ ok: false, error: { code: 'publication.already_withdrawn' } })
  })
})

describe('R7.2 reviews (核查): within 1 month, handled by the desk, verified by a second person', () => {
  function published() {
    const f = resultsFixture()
    f.setToday('2025-02-07') // published Fri 2025-02-07: 1 month ends Fri 2025-03-07, a working day
    f.results.publish('b1', REGISTRAR)
    return f
  }

  test('a request one day late is refused naming the deadline; on the deadline it is recorded', () => {
    const f = published()
    f.setToday('2025-03-08')
    const size = f.app.services.log.size()
    expect(f.results.requestReview({ batchId: 'b1', candidateId: 'c2', subjectId: 's-theory' }, REGISTRAR)).toEqual({
      ok: false,
      error: {
        code: 'review.too_late',
        rule: 'R7.2',
        publishedOn: '2025-02-07',
        today: '2025-03-08',
        deadline: '2025-03-07',
        nominal: '2025-03-07',
        provisional: false,
      },
    })
    expect(f.app.services.log.size()).toBe(size)
    expect(f.results.reviews('b1')).toEqual([])
    f.setToday('2025-03-07')
    const r = f.results.requestReview({ batchId: 'b1', candidateId: 'c2', subjectId: 's-theory', reason: '考生电话申请' }, REGISTRAR)
    expect(r).toMatchObject({ ok: true, value: { state: 'requested', deadline: '2025-03-07', oldScore: 55, open: true } })
    expect(f.results.openReviewIds('b1', 'c2')).toEqual([r.ok ? r.value.id : ''])
    expect(f.results.reviews('b1')).toMatchObject([{ state: 'requested', deadline: '2025-03-07', oldScore: 55, requestedOn: '2025-03-07' }])
    expect(f.results.requestReview({ batchId: 'b1', candidateId: 'c2', subjectId: 's-theory' }, REGISTRAR)).toMatchObject({
      ok: false,
      error: { code: 'review.already_open' },
    })
    expect(f.results.requestReview({ batchId: 'b1', candidateId: 'c2', subjectId: 's-none' }, REGISTRAR)).toMatchObject({
      ok: false,
      error: { code: 'review.subject_not_found' },
    })
  })

  test('a score change needs a second person: the one who changed it cannot verify; a verifier updates snapshot and history', () => {
    const f = published()
    f.setToday('2025-02-20')
    const req = f.results.requestReview({ batchId: 'b1', candidateId: 'c2', subjectId: 's-theory' }, REGISTRAR)
    if (!req.ok) throw new Error(req.error.code)
    const id = req.value.id
    expect(f.results.moveReview(id, 'start', REGISTRAR).ok).toBe(true)
    expect(f.results.moveReview(id, 'change', REGISTRAR, { reason: '漏计第 12 题', score: 101 })).toMatchObject({
      ok: false,
      error: { code: 'review.score_invalid' },
    })
    expect(f.results.moveReview(id, 'change', REGISTRAR, { reason: '漏计第 12 题', score: 62 })).toMatchObject({
      ok: true,
      value: { state: 'changed', oldScore: 55, newScore: 62, decidedBy: 'u-reg' },
    })
    // until verified, the published result is unchanged and the review is open
    expect(f.results.publishedResults('b1')![1]!.subjects[0]).toMatchObject({ status: 'failed', score: 55 })
    expect(f.results.openReviewIds('b1', 'c2')).toEqual([id])
    const size = f.app.services.log.size()
    // the same person, even holding the verifier role, is refused; so is another registrar (not a verifier)
    expect(f.results.moveReview(id, 'verify', person('u-reg', ['registrar', 'verifier']))).toMatchObject({ ok: false, error: { code: 'review.same_person' } })
    expect(f.results.moveReview(id, 'verify', REGISTRAR2)).toMatchObject({ ok: false, error: { code: 'review.role_not_allowed' } })
    expect(f.app.services.log.size()).toBe(size)
    expect(f.results.publishedResults('b1')![1]!.subjects[0]).toMatchObject({ status: 'failed', score: 55 })
    expect(f.results.moveReview(id, 'verify', VERIFIER)).toMatchObject({ ok: true, value: { state: 'verified', verifiedBy: 'u-ver', open: false } })
    expect(f.scores.state.calls).toEqual(['revise c2/s-theory 62', 'confirm chg-1'])
    const after = f.results.publishedResults('b1')!.find((c) => c.candidateId === 'c2')!
    expect(after.subjects[0]).toMatchObject({ status: 'passed', score: 62 })
    expect(after.overall).toBe('passed')
    expect(f.results.passedCandidates('b1')).toEqual(['c1', 'c2'])
    expect(new CandidateStore(f.app.services.db).results(residentHashOf('500101199001010015')).every((r) => r.passed)).toBe(true)
    expect(f.events(size).map((e) => e.action)).toEqual(['review.verified'])
    expect(f.events(size)[0]!.data).toMatchObject({ oldScore: 55, newScore: 62, oldStatus: 'failed', status: 'passed' })
    expect(f.results.openReviewIds('b1', 'c2')).toEqual([])
    expect(f.results.review(id)!.steps.map((s) => `${s.action}:${s.actor}`)).toEqual(['request:u-reg', 'start:u-reg', 'change:u-reg', 'verify:u-ver'])
  })

  test('an upheld score is verified by a second person and changes nothing; a send-back returns it to the desk with a reason', () => {
    const f = published()
    f.setToday('2025-02-20')
    const req = f.results.requestReview({ batchId: 'b1', candidateId: 'c1', subjectId: 's-practical' }, REGISTRAR)
    if (!req.ok) throw new Error(req.error.code)
    const id = req.value.id
    f.results.moveReview(id, 'start', REGISTRAR)
    expect(f.results.moveReview(id, 'uphold', REGISTRAR, { reason: ' ' })).toMatchObject({ ok: false, error: { code: 'review.reason_required' } })
    expect(f.results.moveReview(id, 'uphold', REGISTRAR, { reason: '复核无误' }).ok).toBe(true)
    expect(f.results.moveReview(id, 'send_back', VERIFIER, { reason: '请附评分表' })).toMatchObject({
      ok: true,
      value: { state: 'in_review', decidedBy: null },
    })
    expect(f.results.moveReview(id, 'uphold', REGISTRAR2, { reason: '附评分表，无误' }).ok).toBe(true)
    expect(f.results.moveReview(id, 'verify', VERIFIER)).toMatchObject({ ok: true, value: { state: 'verified', outcome: 'upheld' } })
    expect(f.scores.state.calls).toEqual([])
    expect(f.results.publishedResults('b1')![0]!.subjects[1]).toMatchObject({ status: 'passed', score: 80 })
  })

  test('before publication there is nothing to review (review.not_published)', () => {
    const f = resultsFixture()
    f.setToday('2025-02-03')
    expect(f.results.requestReview({ batchId: 'b1', candidateId: 'c1', subjectId: 's-theory' }, REGISTRAR)).toMatchObject({
      ok: false,
      error: { code: 'review.not_published' },
    })
  })
})

describe('R7.3: the history results writes and the retake rule registration applies agree', () => {
  test('a retake sitting is recorded as attempt 2; a second retake is refused; after the year a fresh full sitting', () => {
    const f = resultsFixture({
      seed: {
        examEnd: '2025-09-19',
        candidates: [{ id: 'c9', name: '王五', residentId: '500101199001010015', ticket: 'T0009', theory: null, practical: 40, retake: true }],
      },
    })
    // the first sitting (before this batch): theory passed, practical failed on 2025-03-15
    const hash = residentHashOf('500101199001010015')
    f.app.services.db.run(
      `INSERT INTO subject_results (id, resident_id_hash, occupation_code, level, subject_kind, exam_date, passed, attempt, created_at)
       VALUES ('h1', ?, '6-31-01-03', 4, 'theory', '2025-03-15', 1, 1, 0), ('h2', ?, '6-31-01-03', 4, 'practical', '2025-03-15', 0, 1, 0)`,
      [hash, hash],
    )
    f.setToday('2025-10-10')
    expect(f.results.publish('b1', REGISTRAR).ok).toBe(true)
    const history = new CandidateStore(f.app.services.db).results(hash)
    // the carried theory pass leaves no new row; the retaken practical is attempt 2
    expect(history.filter((r) => r.examDate === '2025-09-19')).toEqual([
      { occupationCode: '6-31-01-03', level: 4, subjectKind: 'practical', examDate: '2025-09-19', passed: false, attempt: 2 },
    ])
    const target = (examDate: string) => ({ occupationCode: '6-31-01-03', level: 4, examDate })
    const on = (d: string) => standingOn(history, { occupationCode: '6-31-01-03', level: 4, on: d })
    // within the year: the retake is used, registration refuses a second one, as standingOn says
    expect(on('2026-01-10').retaken).toEqual(['practical'])
    expect(assessRetake(history, target('2026-01-10'))).toEqual({ ok: false, error: { code: 'registration.retake_not_allowed', reason: 'retake_used' } })
    // after passValidUntil the pass has lapsed: a fresh full registration is allowed
    const after = passValidUntil('2025-03-15')
    expect(on(after).held.map((p) => p.kind)).toEqual(['theory'])
    const next = new Date(Date.parse(`${after}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    expect(on(next).lapsed.map((p) => p.kind)).toEqual(['theory'])
    expect(assessRetake(history, target(next))).toEqual({ ok: true, value: { kind: 'full' } })
  })
})
