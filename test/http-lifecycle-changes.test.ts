import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { EXAM, OCCUPATION, announcedBatch, at, json } from './_lifecycle-http.ts'

describe('R4.4 venue and time changes through the API', () => {
  test("a session moved with the centre's approval: the event records old and new values; the announcement shows the new time", async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { batchId, announcementId, sessions } = await announcedBatch(app, cookie)
    const practical = sessions[1]!
    const size = app.services.log.size()
    const r = await json<{ session: { startsAt: string }; batch: { examEndDate: string } }>(
      await app.call('PATCH', `/api/sessions/${practical.id}`, {
        cookie,
        body: { startsAt: at('2026-12-29', '09:00'), endsAt: at('2026-12-29', '12:00'), approvalReference: '渝职鉴核〔2026〕31号' },
      }),
      200,
    )
    expect(r.session.startsAt).toBe('2026-12-29T01:00:00.000Z')
    expect(r.batch.examEndDate).toBe('2026-12-29')
    expect(app.services.log.entry(size)!.event).toMatchObject({
      action: 'exam_session.changed',
      outcome: 'ok',
      subject: { type: 'exam_session', id: practical.id },
      data: {
        batch: batchId,
        approvalReference: '渝职鉴核〔2026〕31号',
        old: { startsAt: `${EXAM}T06:00:00.000Z`, endsAt: `${EXAM}T09:00:00.000Z` },
        new: { startsAt: '2026-12-29T01:00:00.000Z', endsAt: '2026-12-29T04:00:00.000Z' },
      },
    })
    const html = await (await app.call('GET', `/announcements/${announcementId}`)).text()
    expect(html).toContain('2026-12-29 09:00–12:00')
    expect(html).toContain('渝职鉴核〔2026〕31号')
  })

  test('a venue change with approval records the old and new place', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { batchId } = await announcedBatch(app, cookie)
    const size = app.services.log.size()
    const b = await json<{ place: string; changes: unknown[] }>(
      await app.call('PUT', `/api/batches/${batchId}/venue`, {
        cookie,
        body: { place: '重庆工业职业技术学院 新实训中心', approvalReference: '渝职鉴核〔2026〕32号' },
      }),
      200,
    )
    expect(b).toMatchObject({
      place: '重庆工业职业技术学院 新实训中心',
      changes: [expect.objectContaining({ what: 'venue', approvalReference: '渝职鉴核〔2026〕32号' })],
    })
    expect(app.services.log.entry(size)!.event.data).toEqual({
      approvalReference: '渝职鉴核〔2026〕32号',
      old: { place: '重庆工业职业技术学院 电气实训楼' },
      new: { place: '重庆工业职业技术学院 新实训中心' },
    })
  })
})

describe('occupations through the API', () => {
  test('an update keeps the subjects that sessions use and changes a pass mark', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    await announcedBatch(app, cookie)
    const o = await json<{
      levels: Array<{ level: number; conditions: string; subjects: Array<{ id: string; kind: string; name: string; passMark: number; maxMark: number }> }>
    }>(await app.call('GET', `/api/occupations/${OCCUPATION.code}`, { cookie }), 200)
    const levels = o.levels.map((l) => ({
      level: l.level,
      conditions: l.conditions,
      subjects: l.subjects.map(({ id, kind, name, passMark, maxMark }) => ({ id, kind, name, passMark: kind === 'theory' ? 65 : passMark, maxMark })),
    }))
    const next = await json<{ name: string; levels: Array<{ subjects: Array<{ id: string; passMark: number }> }> }>(
      await app.call('PUT', `/api/occupations/${OCCUPATION.code}`, { cookie, body: { code: OCCUPATION.code, name: '电工', hazardous: true, levels } }),
      200,
    )
    expect(next.levels.map((l) => l.subjects.map((s) => [s.id, s.passMark]))).toEqual(
      o.levels.map((l) => l.subjects.map((s) => [s.id, s.kind === 'theory' ? 65 : s.passMark])),
    )
    const list = await json<{ occupations: unknown[] }>(await app.call('GET', '/api/occupations', { cookie }), 200)
    expect(list.occupations).toHaveLength(1)
  })
})
