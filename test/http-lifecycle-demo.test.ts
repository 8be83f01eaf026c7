import { describe, expect, test } from 'vitest'
import { createCalendar, SHIPPED_HOLIDAY_YEARS, earliestExamDate, latestAnnouncementDate } from '../server/domain/calendar/index.ts'
import { parseResidentId } from '../server/domain/registration/index.ts'
import { loadLifecycleDemo } from '../server/demo/lifecycle.ts'
import { T0, makeTestApp } from './_app.ts'

describe('the lifecycle demo', () => {
  test('an exam tomorrow (CST), filed and announced in time, with 90 approved and paid candidates', async () => {
    const app = makeTestApp() // T0 = 2026-11-25 09:00 CST
    const demo = await loadLifecycleDemo(app.services)
    const lc = app.services.lifecycle
    const { batch, sessions, announcement } = lc.batches.get(demo.batchId)!
    expect(batch).toMatchObject({
      status: 'announced',
      examStartDate: '2026-11-26',
      examEndDate: '2026-11-26',
      filedOn: '2026-08-26',
      occupationCode: '6-31-01-03',
      level: 4,
    })
    expect(earliestExamDate(batch.filedOn!, createCalendar(SHIPPED_HOLIDAY_YEARS)).date <= batch.examStartDate).toBe(true) // R2.1
    expect(announcement!.publishedOn <= latestAnnouncementDate(batch.examStartDate)).toBe(true) // R2.3
    expect(announcement!.publishedOn < new Date(T0).toISOString().slice(0, 10)).toBe(true)

    const byId = new Map(sessions.map((s) => [s.id, s]))
    expect(new Date(byId.get(demo.sessionIds.theory)!.startsAt).toISOString()).toBe('2026-11-26T01:00:00.000Z') // 09:00 CST
    expect(new Date(byId.get(demo.sessionIds.theory)!.endsAt).toISOString()).toBe('2026-11-26T02:30:00.000Z')
    expect(new Date(byId.get(demo.sessionIds.practical)!.startsAt).toISOString()).toBe('2026-11-26T06:00:00.000Z') // 14:00 CST
    expect(new Date(byId.get(demo.sessionIds.practical)!.endsAt).toISOString()).toBe('2026-11-26T09:00:00.000Z')
    expect(sessions.every((s) => s.siteId === null)).toBe(true)

    const candidates = lc.candidates.ofBatch(demo.batchId)
    expect(candidates).toHaveLength(90)
    expect(candidates.every((c) => c.status === 'approved' && c.payment !== null && c.hasPhoto)).toBe(true)
    expect(new Set(candidates.map((c) => c.residentId)).size).toBe(90)
    for (const c of candidates) expect(parseResidentId(c.residentId!, '2026-11-25').ok, c.residentId!).toBe(true)
    expect(new Set(candidates.map((c) => c.trainingUnit)).size).toBe(3)
    expect(lc.paidCandidatesOfSession(demo.sessionIds.theory)).toHaveLength(90)
    expect(lc.paidCandidatesOfSession(demo.sessionIds.practical)).toHaveLength(90)
    const ticket = lc.candidateForTicket(candidates[0]!.id)!
    expect(ticket).toMatchObject({ status: 'approved', paid: true, photoType: 'image/png', levelName: '四级/中级工' })
    expect(ticket.photo!.length).toBeGreaterThan(1000)
  })
})
