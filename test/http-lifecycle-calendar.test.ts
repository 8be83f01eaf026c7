import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { json } from './_lifecycle-http.ts'

const Y2027 = {
  year: 2027,
  source: '国办发明电〔2026〕X号（测试）',
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    ...['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'].map((date) => ({ date, name: '春节' })),
  ],
  workdays: [{ date: '2027-02-14', name: '春节' }],
}

describe('the calendar is data an administrator updates', () => {
  test('the shipped years 2024–2026 are listed with their notices', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { years } = await json<{ years: Array<{ year: number; origin: string; source: string }> }>(
      await app.call('GET', '/api/calendar/years', { cookie }),
      200,
    )
    expect(years.map((y) => [y.year, y.origin])).toEqual([
      [2024, 'shipped'],
      [2025, 'shipped'],
      [2026, 'shipped'],
    ])
    expect(years[2]!.source).toContain('国办发明电〔2025〕7号')
  })

  test('a deadline reaching 2027 is provisional until the 2027 list is imported; the import is an event and the answer changes', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    const q = '/api/calendar/deadline?kind=plan&filedOn=2027-02-01'
    const before = await json<{ date: string; provisional: boolean; meaning: string; rule: string; filedOn: string }>(
      await app.call('GET', q, { cookie: admin.cookie }),
      200,
    )
    expect(before).toEqual({ kind: 'plan', filedOn: '2027-02-01', meaning: 'earliest_exam', rule: 'R2.1', date: '2027-02-15', provisional: true })

    const size = app.services.log.size()
    await json(await app.call('PUT', '/api/calendar/years/2027', { cookie: admin.cookie, body: Y2027 }), 200)
    expect(app.services.log.entry(size)!.event).toMatchObject({
      action: 'calendar.year_imported',
      subject: { type: 'calendar_year', id: '2027' },
      data: { year: 2027, holidays: 9, workdays: 1, replaced: 'none' },
    })
    // Spring Festival 2027 (as imported): 02-06..13 off, Sunday 02-14 worked.
    const after = await json<{ date: string; provisional: boolean }>(await app.call('GET', q, { cookie: admin.cookie }), 200)
    expect(after).toMatchObject({ date: '2027-02-19', provisional: false })
    const { years } = await json<{ years: Array<{ year: number; origin: string }> }>(
      await app.call('GET', '/api/calendar/years', { cookie: admin.cookie }),
      200,
    )
    expect(years.at(-1)).toMatchObject({ year: 2027, origin: 'stored' })
  })

  test('a stored year replaces the shipped one (stored wins)', async () => {
    const app = makeTestApp()
    const admin = await app.userWith(['admin'])
    // A (fictional) 2026 list with only the Mid-Autumn day off: filed 2026-09-25, the 10th working day is then 10-09, not 10-15.
    const y2026 = { year: 2026, source: '测试：仅中秋', holidays: [{ date: '2026-09-25', name: '中秋节' }], workdays: [] }
    await json(await app.call('PUT', '/api/calendar/years/2026', { cookie: admin.cookie, body: y2026 }), 200)
    expect(app.services.log.entry(app.services.log.size() - 1)!.event.data).toMatchObject({ replaced: 'shipped' })
    const d = await json<{ date: string }>(await app.call('GET', '/api/calendar/deadline?kind=plan&filedOn=2026-09-25', { cookie: admin.cookie }), 200)
    expect(d.date).toBe('2026-10-09')
  })

  test('each deadline kind takes exactly its own date parameter', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['supervisor'])
    expect(await json(await app.call('GET', '/api/calendar/deadline?kind=announcement&examDate=2026-12-31', { cookie }), 200)).toMatchObject({
      date: '2026-10-31',
      rule: 'R2.3',
    })
    expect(await json(await app.call('GET', '/api/calendar/deadline?kind=plan&examDate=2026-10-12', { cookie }), 200)).toMatchObject({
      date: '2026-09-21',
      meaning: 'latest_filing',
    })
    expect((await app.call('GET', '/api/calendar/deadline?kind=results&examDate=2026-10-12', { cookie })).status).toBe(400)
    expect((await app.call('GET', '/api/calendar/deadline?kind=plan&examDate=2026-10-12&filedOn=2026-09-01', { cookie })).status).toBe(400)
    expect((await app.call('GET', '/api/calendar/deadline?kind=plan&examDate=2026-13-01', { cookie })).status).toBe(400)
  })

  test('only an administrator imports a year', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    expect((await app.call('PUT', '/api/calendar/years/2027', { cookie, body: Y2027 })).status).toBe(403)
  })
})
