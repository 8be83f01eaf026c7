import { describe, expect, test } from 'vitest'
import { decideAnnouncement, earliestExamAfterAnnouncement, feeText, occupationTitle } from '../server/domain/lifecycle/index.ts'
import { ELECTRICIAN, completeDraft, cstAt } from './_lifecycle.ts'

const filed = (date: string) => completeDraft(date, { status: 'filed', filedOn: '2026-08-03', centreReference: 'ref' })
const ctx = (today = '2026-11-25') => ({ today, occupation: ELECTRICIAN, roles: ['registrar' as const], now: 7 })
const content = {
  contentAndMethod: '理论知识考试采用闭卷笔试；操作技能考核采用现场实际操作',
  registration: { place: '重庆工业职业技术学院继续教育与培训学院 101室', until: '2026-09-30', how: '携带身份证原件、原证书及工作年限证明，填写呈报表' },
}

describe('R2.3: the announcement is published at least 2 months before the exam', () => {
  test('published 2026-08-12 for an exam on 2026-10-12 (exactly 2 months) is in time; the batch becomes announced', () => {
    const r = decideAnnouncement(filed('2026-10-12'), { ...content }, 'a1', ctx('2026-08-12'))
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.batch.status).toBe('announced')
    expect(r.value.announcement).toMatchObject({ id: 'a1', batchId: 'batch-1', publishedOn: '2026-08-12', createdAt: 7 })
  })

  test('published one day later (2026-08-13) is refused with the latest publication day and the earliest exam day it allows', () => {
    expect(decideAnnouncement(filed('2026-10-12'), { ...content }, 'a1', ctx('2026-08-13'))).toEqual({
      ok: false,
      error: {
        code: 'announcement.too_late',
        publishedOn: '2026-08-13',
        examDate: '2026-10-12',
        latestPublicationDate: '2026-08-12',
        earliestExamDate: '2026-10-13',
      },
    })
  })

  test('month ends clamp: an exam on 2026-04-30 may be announced until 2026-02-28', () => {
    const c = { ...content, registration: { ...content.registration, until: '2026-04-01' } }
    expect(decideAnnouncement(filed('2026-04-30'), { ...c }, 'a', ctx('2026-02-28')).ok).toBe(true)
    expect(decideAnnouncement(filed('2026-04-30'), { ...c }, 'a', ctx('2026-03-01')).ok).toBe(false)
  })

  test('published 2025-12-31 the earliest exam is 2026-03-01, not 02-28 (whose latest publication day is 12-28)', () => {
    expect(earliestExamAfterAnnouncement('2025-12-31')).toBe('2026-03-01')
    expect(earliestExamAfterAnnouncement('2026-08-12')).toBe('2026-10-12')
  })

  test("conditions and fees default to the level's conditions and the plan's fee", () => {
    const r = decideAnnouncement(filed('2026-10-12'), { ...content }, 'a1', ctx('2026-08-01'))
    expect(r.ok && r.value.announcement.content).toEqual({
      ...content,
      conditions: '取得本职业五级证书后，累计从事本职业工作4年（含）以上',
      fees: '认定费 260.00 元/人',
    })
    expect(feeText(12345)).toBe('认定费 123.45 元/人')
    expect(occupationTitle(ELECTRICIAN, 4)).toBe('电工（6-31-01-03）四级/中级工')
  })

  test('every missing content field is named (announcement.incomplete)', () => {
    const b = completeDraft('2026-10-12', { status: 'filed', feeCents: 0 })
    const occupation = { ...ELECTRICIAN, levels: ELECTRICIAN.levels.map((l) => ({ ...l, conditions: '' })) }
    expect(decideAnnouncement(b, {}, 'a', { ...ctx('2026-08-01'), occupation })).toEqual({
      ok: false,
      error: {
        code: 'announcement.incomplete',
        missing: ['contentAndMethod', 'registration.place', 'registration.until', 'registration.how', 'conditions', 'fees'],
      },
    })
  })

  test('registration closes between publication and the day before the exam', () => {
    for (const until of ['2026-07-31', '2026-10-12']) {
      const r = decideAnnouncement(filed('2026-10-12'), { ...content, registration: { ...content.registration, until } }, 'a', ctx('2026-08-01'))
      expect(r.ok ? null : r.error).toMatchObject({ code: 'announcement.invalid', field: 'registration.until' })
    }
  })

  test('a documented publication date after today is refused; only a filed plan is announced', () => {
    expect(decideAnnouncement(filed('2026-10-12'), { documentedOn: '2026-08-01', documentReference: 'doc', ...content }, 'a', ctx('2026-07-31'))).toEqual({
      ok: false,
      error: { code: 'announcement.published_on_future', publishedOn: '2026-08-01', today: '2026-07-31' },
    })
    expect(decideAnnouncement(completeDraft('2026-10-12'), { ...content }, 'a', ctx('2026-08-01'))).toEqual({
      ok: false,
      error: { code: 'batch.wrong_state', state: 'draft', action: 'announce' },
    })
  })
})

describe("R2.3 counts from the day the publication is recorded: the server's date", () => {
  const plan = (exam: string) =>
    completeDraft(exam, { status: 'filed', filedOn: '2026-08-03', centreReference: 'ref', createdAt: cstAt('2026-08-01', '10:00') })

  test('a backdated publication date with its reference does not meet R2.3: recorded on 2026-08-20 for an exam on 2026-10-12 is too late', () => {
    const r = decideAnnouncement(
      plan('2026-10-12'),
      { documentedOn: '2026-08-05', documentReference: '渝人社公告〔2026〕3号', ...content },
      'a',
      ctx('2026-08-20'),
    )
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'announcement.too_late',
        publishedOn: '2026-08-20',
        examDate: '2026-10-12',
        latestPublicationDate: '2026-08-12',
        earliestExamDate: '2026-10-20',
      },
    })
  })

  test('a different publication date needs its document reference (announcement.published_on_unreferenced)', () => {
    expect(decideAnnouncement(plan('2026-10-12'), { documentedOn: '2026-08-05', ...content }, 'a', ctx('2026-08-10'))).toEqual({
      ok: false,
      error: { code: 'announcement.published_on_unreferenced', publishedOn: '2026-08-05', today: '2026-08-10' },
    })
  })

  test('a documented publication date before the plan was created is refused with the earliest allowed date', () => {
    expect(decideAnnouncement(plan('2026-10-12'), { documentedOn: '2026-07-31', documentReference: 'doc', ...content }, 'a', ctx('2026-08-10'))).toEqual({
      ok: false,
      error: { code: 'announcement.published_on_before_plan', publishedOn: '2026-07-31', earliestDate: '2026-08-01' },
    })
  })

  test('a documented date with its reference stands beside the recorded date', () => {
    const r = decideAnnouncement(plan('2026-10-12'), { documentedOn: '2026-08-05', documentReference: 'doc 1', ...content }, 'a', ctx('2026-08-10'))
    expect(r.ok ? r.value.announcement : r.error).toMatchObject({
      publishedOn: '2026-08-10',
      publishedOnDocumented: { date: '2026-08-05', reference: 'doc 1' },
    })
  })
})
