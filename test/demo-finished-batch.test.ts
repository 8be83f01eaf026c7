import { beforeAll, describe, expect, test } from 'vitest'
import { LogStore } from '../server/db/log-store.ts'
import { civilDateOf } from '../server/domain/calendar/index.ts'
import { createDemoClock, DemoClockError } from '../server/demo/clock.ts'
import { finishedBatchDays } from '../server/demo/finished-batch.ts'
import { checkWholeLog } from '../server/services/log-check.ts'
import { FINISHED_NOW, type FinishedBatchApp, finishedBatchApp, wholeDemoApp } from './_finished-batch.ts'

const times = (app: FinishedBatchApp['app']) => {
  const out: Array<{ time: string; action: string }> = []
  for (let i = 0; i < app.services.log.size(); i++) {
    const e = app.services.log.entry(i)!.event
    out.push({ time: e.time, action: e.action })
  }
  return out
}
const nonDecreasing = (ts: string[]) => ts.every((t, i) => i === 0 || ts[i - 1]! <= t)

describe('the demo clock', () => {
  test('held, it moves only forward; released, it follows the real clock for good', () => {
    let real = 1_000_000
    const c = createDemoClock(500, () => real)
    expect(c()).toBe(500)
    c.advance(100)
    expect(c()).toBe(600)
    expect(() => c.to(599)).toThrow(DemoClockError)
    c.release()
    expect(c.held).toBe(false)
    expect(c()).toBe(1_000_000)
    real += 5
    expect(c()).toBe(1_000_005)
    expect(() => c.to(2_000_000)).toThrow(DemoClockError)
  })
  test('a history ahead of the real clock cannot be released into it', () => {
    const c = createDemoClock(10, () => 5)
    expect(() => c.release()).toThrow(DemoClockError)
  })
})

describe('the days of the finished batch', () => {
  test('for 2026-12-04: theory Thursday 2026-10-15 (after National Day), filed 73 days before', () => {
    const d = finishedBatchDays('2026-12-04')
    expect(d.theoryOn).toBe('2026-10-15')
    expect(d.practicalOn).toBe('2026-10-16')
    expect(d.filedOn).toBe('2026-08-03')
    expect(d.registrationUntil < d.ticketsOn).toBe(true)
  })
  test('the exam is always a Thursday at least 50 days back', () => {
    for (const today of ['2026-12-01', '2027-03-15', '2027-06-30']) {
      const d = finishedBatchDays(today)
      expect(new Date(`${d.theoryOn}T12:00:00Z`).getUTCDay()).toBe(4)
      expect((Date.parse(today) - Date.parse(d.theoryOn)) / 86_400_000).toBeGreaterThanOrEqual(50)
    }
  })
})

describe('the finished batch (demo)', () => {
  let w: FinishedBatchApp
  beforeAll(async () => {
    w = await finishedBatchApp()
  }, 120_000)

  test('the batch is completed; both sessions are completed and took place in October', () => {
    const s = w.app.services
    const view = s.lifecycle.batches.get(w.batch.batchId)!
    expect(view.batch.status).toBe('completed')
    expect(view.batch.level).toBe(5)
    for (const id of [w.batch.sessions.theory, w.batch.sessions.practical]) {
      const x = view.sessions.find((y) => y.id === id)!
      expect(x.status).toBe('completed')
      expect(civilDateOf(x.endsAt).slice(0, 7)).toBe('2026-10')
    }
    expect(w.batch.dates.completedOn).toBe('2026-10-16')
    expect(w.batch.completedAt).toBeLessThan(FINISHED_NOW)
  })

  test('registrations: 20 with valid IDs; one rejected with a reason, one withdrawn, the rest approved and paid', () => {
    const s = w.app.services
    const list = s.lifecycle.candidates.ofBatch(w.batch.batchId)
    expect(list).toHaveLength(20)
    const status = new Map(list.map((c) => [c.id, c.status]))
    expect(status.get(w.batch.roles.rejected)).toBe('rejected')
    expect(status.get(w.batch.roles.withdrawn)).toBe('withdrawn')
    expect([...status.values()].filter((x) => x === 'approved')).toHaveLength(18)
    const rejected = s.lifecycle.candidates.get(w.batch.roles.rejected)!
    expect(rejected.reviewReason).toContain('不符合五级申报条件')
    const rejectedEvent = times(w.app).findIndex((e) => e.action === 'candidate.rejected')
    expect(s.log.entry(rejectedEvent)!.event.data).toMatchObject({ reasonSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(s.log.entry(rejectedEvent)!.event.subject).toEqual({ type: 'candidate', id: w.batch.roles.rejected })
    // every approved candidate holds a ticket for both sessions
    for (const c of w.batch.candidates.filter((x) => x.role !== 'rejected' && x.role !== 'withdrawn')) {
      expect(c.tickets.theory).not.toBeNull()
      expect(c.tickets.practical).not.toBeNull()
    }
  })

  test('door admissions: everyone ticketed but the absent one per session, through the kiosk sync', () => {
    const s = w.app.services
    const admitted = (session: string) =>
      new Set(
        s.kioskSync
          .doorFacts()
          .admissions(session)
          .map((a) => a.candidateId),
      )
    const ticketed = w.batch.candidates.filter((c) => c.tickets.theory)
    const theory = admitted(w.batch.sessions.theory)
    const practical = admitted(w.batch.sessions.practical)
    expect(theory.size).toBe(ticketed.length - 1)
    expect(practical.size).toBe(ticketed.length - 1)
    expect(theory.has(w.batch.roles.absentTheory)).toBe(false)
    expect(practical.has(w.batch.roles.absentTheory)).toBe(true)
    expect(practical.has(w.batch.roles.absentPractical)).toBe(false)
    expect(theory.has(w.batch.roles.absentPractical)).toBe(true)
    // each admission is a kiosk record in the log, unflagged (made online, uploaded at once, within the door times)
    const kiosk = [...Array(s.log.size()).keys()]
      .map((i) => s.log.entry(i)!.event)
      .filter((e) => e.action.startsWith('kiosk.') && e.subject?.type === 'kiosk_record')
    expect(kiosk.filter((e) => e.action === 'kiosk.admission')).toHaveLength(theory.size + practical.size)
    for (const e of kiosk) expect([e.action, e.outcome, (e.data as { flags: string[] }).flags]).toEqual([e.action, 'ok', []])
  })

  test('the cheating incident is confirmed by the second invigilator; the practical has one signed sheet per candidate sat', () => {
    const s = w.app.services
    const [cheating] = s.kioskRoom.incidents(w.batch.sessions.theory).filter((i) => i.group === 'cheating')
    expect(cheating).toMatchObject({ id: w.batch.cheatingIncidentId, candidateId: w.batch.roles.cheater, status: 'confirmed' })
    const inv2 = s.accounts.list().find((u) => u.username === 'invigilator2')!
    expect(cheating!.second).toMatchObject({ userId: inv2.id, check: 'online' })
    const sheets = s.kioskRoom.scoreSheets(w.batch.sessions.practical, w.batch.rooms.practical)
    const sat = w.batch.candidates.filter((c) => c.practicalScore !== null)
    expect(sheets.current.map((x) => x.candidateId).sort()).toEqual(sat.map((c) => c.id).sort())
    const examiner = s.accounts.list().find((u) => u.username === 'examiner')!
    for (const sheet of sheets.current) {
      expect(sheet.examinerId).toBe(examiner.id)
      expect(sheet.items[0]!.score).toBe(sat.find((c) => c.id === sheet.candidateId)!.practicalScore)
    }
    expect(w.batch.candidates.find((c) => c.role === 'review')!.practicalScore).toBeLessThan(60)
    expect(w.batch.candidates.find((c) => c.role === 'fails_theory')!.theoryScore).toBeLessThan(60)
  })

  test('the custody log verifies and its times never go back; the history is dated August to October', () => {
    const s = w.app.services
    expect(checkWholeLog(new LogStore(s.db), s.log.identity())).toMatchObject({ ok: true, size: s.log.size() })
    const all = times(w.app)
    expect(nonDecreasing(all.map((e) => e.time))).toBe(true)
    expect(all[0]!.time.slice(0, 10)).toBe('2026-08-03')
    expect(all.at(-1)!.action).toBe('batch.completed')
    expect(all.at(-1)!.time.slice(0, 7)).toBe('2026-10')
    expect(s.clock()).toBe(FINISHED_NOW) // released: the app reads the real clock again
  })
})

describe('the whole demo with the finished batch first', () => {
  test('loads; the log verifies with non-decreasing times; the later parts are dated today', async () => {
    const { app, clock } = await wholeDemoApp()
    expect(clock.held).toBe(false)
    const s = app.services
    expect(checkWholeLog(new LogStore(s.db), s.log.identity())).toMatchObject({ ok: true })
    const all = times(app)
    expect(nonDecreasing(all.map((e) => e.time))).toBe(true)
    expect(all.at(-1)!.time).toBe(new Date(FINISHED_NOW).toISOString())
    expect(s.lifecycle.batches.list().filter((b) => b.status === 'results_published')).toHaveLength(1)
    expect(s.doorDrill.sessionId()).not.toBeNull()
    // the drill keeps to the rooms demo's site; the finished batch has a site of its own
    const drillRooms = s.rooms.attachedRooms(s.doorDrill.sessionId()!)
    expect(new Set(drillRooms.map((r) => s.rooms.sites().find((x) => x.id === r.siteId)!.name))).toEqual(new Set(['重庆工业职业技术学院考点（演示）']))
  }, 180_000)
})
