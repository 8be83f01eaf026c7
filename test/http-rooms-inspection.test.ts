import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

interface Checklist {
  complete: boolean
  pending: string[]
  openDefects: string[]
  items: Array<{
    item: string
    state: string
    zh: string
    rule: string
    defect: string | null
    rectification: string | null
    rectifiedBy: string | null
    recordedBy: string | null
  }>
}

async function world(hazardousOccupation = false) {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app, { hazardous: hazardousOccupation })
  const { rooms } = await makeRooms(app, reg.cookie, [
    { name: '101', kind: 'theory', capacity: 30 },
    { name: '实训室', kind: 'practical', capacity: 10 },
  ])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!])
  await attach(app, reg.cookie, f.sessions.practical, [rooms['实训室']!])
  const path = (session: string, room: string) => `/api/sessions/${session}/rooms/${room}/inspection`
  return { app, reg, f, rooms, path }
}

describe('pre-exam inspection per room (R6.1, R4.2, R6.5)', () => {
  test("a theory room's checklist starts pending with the R4.1 items", async () => {
    const { app, reg, f, rooms, path } = await world()
    const res = await app.call('GET', path(f.sessions.theory, rooms['101']!), { cookie: reg.cookie })
    expect(res.status).toBe(200)
    const c = (await res.json()) as Checklist
    expect(c.items.map((i) => i.item)).toEqual(['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared', 'rules_posted'])
    expect(c.items.every((i) => i.state === 'pending')).toBe(true)
    expect(c.items[1]).toMatchObject({ zh: '桌距大于 80 厘米', rule: 'R4.1' })
    expect(c.complete).toBe(false)
  })

  test('a practical room of a hazardous occupation carries the safety items (R6.5)', async () => {
    const { app, reg, f, rooms, path } = await world(true)
    const c = (await (await app.call('GET', path(f.sessions.practical, rooms['实训室']!), { cookie: reg.cookie })).json()) as Checklist
    expect(c.items.map((i) => i.item)).toEqual([
      'equipment_ready',
      'instruments_checked',
      'materials_ready',
      'stations_numbered',
      'rules_posted',
      'safety_measures',
      'safety_briefing',
    ])
    // The hazard is in the practical work: the same occupation's theory paper needs no safety briefing.
    const theory = (await (await app.call('GET', path(f.sessions.theory, rooms['101']!), { cookie: reg.cookie })).json()) as Checklist
    expect(theory.items.map((i) => i.item)).not.toContain('safety_briefing')
  })

  test('a defect stays open until rectified with what and by whom; marking it ok is refused; each step is one event', async () => {
    const { app, f, rooms, path } = await world()
    const inv = await app.userWith(['invigilator'])
    const reg = await app.userWith(['registrar'])
    await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
      cookie: reg.cookie,
      body: { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] },
    })
    const p = path(f.sessions.theory, rooms['101']!)
    const put = (item: string, body: unknown) => app.call('PUT', `${p}/${item}`, { cookie: inv.cookie, body })
    const before = app.services.log.size()
    const d = await put('desks_spaced', { state: 'defect', defect: '第 3 排两桌间距约 60 厘米' })
    expect(d.status).toBe(200)
    expect(((await d.json()) as Checklist).openDefects).toEqual(['desks_spaced'])
    const okAfterDefect = await put('desks_spaced', { state: 'ok' })
    expect(okAfterDefect.status).toBe(409)
    expect(((await okAfterDefect.json()) as { error: { code: string } }).error.code).toBe('inspection.move_invalid')
    const noWho = await put('desks_spaced', { state: 'rectified', rectification: '已重新摆放' })
    expect(((await noWho.json()) as { error: { code: string } }).error.code).toBe('inspection.rectification_required')
    const fixed = await put('desks_spaced', { state: 'rectified', rectification: '已重新摆放，间距 90 厘米', rectifiedBy: '后勤 张师傅' })
    const c = (await fixed.json()) as Checklist
    expect(c.items.find((i) => i.item === 'desks_spaced')).toMatchObject({
      state: 'rectified',
      defect: '第 3 排两桌间距约 60 厘米',
      rectification: '已重新摆放，间距 90 厘米',
      rectifiedBy: '后勤 张师傅',
      recordedBy: inv.id,
    })
    expect(c.openDefects).toEqual([])
    const events = eventsSince(app, before)
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['inspection.recorded', 'ok'],
      ['inspection.record', 'refused'],
      ['inspection.record', 'refused'],
      ['inspection.recorded', 'ok'],
    ])
    // The defect text is kept in the record, not in the log.
    expect(events[0]!.data).toEqual({ item: 'desks_spaced', from: 'pending', state: 'defect' })
  })

  test("once every item is ok or rectified the room's checklist is complete and readiness no longer lists it", async () => {
    const { app, reg, f, rooms, path } = await world()
    const p = path(f.sessions.theory, rooms['101']!)
    for (const item of ['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared']) {
      expect((await app.call('PUT', `${p}/${item}`, { cookie: reg.cookie, body: { state: 'ok' } })).status).toBe(200)
    }
    const readiness = async () =>
      (await (await app.call('GET', `/api/sessions/${f.sessions.theory}/readiness`, { cookie: reg.cookie })).json()) as {
        issues: Array<{ code: string; pending?: string[] }>
      }
    expect((await readiness()).issues).toContainEqual(expect.objectContaining({ code: 'inspection.incomplete', pending: ['rules_posted'] }))
    const last = await app.call('PUT', `${p}/rules_posted`, { cookie: reg.cookie, body: { state: 'ok' } })
    expect(((await last.json()) as Checklist).complete).toBe(true)
    expect((await readiness()).issues.map((i) => i.code)).not.toContain('inspection.incomplete')
  })

  test('an item of another room kind is refused (inspection.item_unknown); a room outside the session is 404', async () => {
    const { app, reg, f, rooms, path } = await world()
    const res = await app.call('PUT', `${path(f.sessions.theory, rooms['101']!)}/equipment_ready`, { cookie: reg.cookie, body: { state: 'ok' } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('inspection.item_unknown')
    expect((await app.call('GET', path(f.sessions.theory, rooms['实训室']!), { cookie: reg.cookie })).status).toBe(404)
  })
})
