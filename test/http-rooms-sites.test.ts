import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

describe('sites and rooms over HTTP (R4.1)', () => {
  test('a registrar creates a site and rooms; each is one custody event; supervisors read them', async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const before = app.services.log.size()
    const { siteId, rooms } = await makeRooms(app, reg.cookie, [
      { name: '101', kind: 'theory', capacity: 30 },
      { name: '实训室 A', kind: 'practical', capacity: 12, hazardous: true, equipment: ['万用表', '兆欧表'] },
    ])
    expect(eventsSince(app, before).map((e) => [e.action, e.subject?.type])).toEqual([
      ['site.created', 'site'],
      ['room.created', 'room'],
      ['room.created', 'room'],
    ])
    const sup = await app.userWith(['supervisor'])
    const res = await app.call('GET', '/api/sites', { cookie: sup.cookie })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { sites: Array<{ id: string; rooms: Array<{ id: string; name: string; equipment: string[]; hazardous: boolean }> }> }
    expect(body.sites).toHaveLength(1)
    expect(body.sites[0]!.id).toBe(siteId)
    expect(body.sites[0]!.rooms.find((r) => r.id === rooms['实训室 A'])).toMatchObject({ equipment: ['万用表', '兆欧表'], hazardous: true })
  })

  test('a theory room of 31 is refused with room.over_limit (400), logged as a refusal, and not created', async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const { siteId } = await makeRooms(app, reg.cookie, [])
    const before = app.services.log.size()
    const res = await app.call('POST', `/api/sites/${siteId}/rooms`, { cookie: reg.cookie, body: { name: '大教室', kind: 'theory', capacity: 31 } })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'room.over_limit', details: { capacity: 31, limit: 30 } } })
    expect(eventsSince(app, before)).toMatchObject([{ action: 'room.create', outcome: 'refused', data: { code: 'room.over_limit' } }])
    expect(app.services.rooms.rooms()).toHaveLength(0)
  })

  test('a theory room without single desks is refused (room.desks_not_single); unknown fields are refused (400)', async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const { siteId } = await makeRooms(app, reg.cookie, [])
    const a = await app.call('POST', `/api/sites/${siteId}/rooms`, {
      cookie: reg.cookie,
      body: { name: '101', kind: 'theory', capacity: 30, singleDesks: false },
    })
    expect(((await a.json()) as { error: { code: string } }).error.code).toBe('room.desks_not_single')
    const b = await app.call('POST', `/api/sites/${siteId}/rooms`, { cookie: reg.cookie, body: { name: '101', kind: 'theory', capacity: 30, tiered: true } })
    expect(b.status).toBe(400)
    expect(((await b.json()) as { error: { code: string } }).error.code).toBe('request.invalid')
  })

  test('a supervisor may read but not create rooms (auth.forbidden)', async () => {
    const app = makeTestApp()
    const sup = await app.userWith(['supervisor'])
    const res = await app.call('POST', '/api/sites', { cookie: sup.cookie, body: { name: 'x', address: 'y' } })
    expect(res.status).toBe(403)
  })

  test('rooms are attached to a session once, all at one site (room.already_attached, room.other_site)', async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const f = seedLifecycle(app)
    const one = await makeRooms(app, reg.cookie, [{ name: '101', kind: 'theory', capacity: 30 }])
    const two = await makeRooms(app, reg.cookie, [{ name: '201', kind: 'theory', capacity: 30 }], '第二考点')
    await attach(app, reg.cookie, f.sessions.theory, [one.rooms['101']!])
    const again = await app.call('PUT', `/api/sessions/${f.sessions.theory}/rooms/${one.rooms['101']}`, { cookie: reg.cookie })
    expect(again.status).toBe(409)
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('room.already_attached')
    const other = await app.call('PUT', `/api/sessions/${f.sessions.theory}/rooms/${two.rooms['201']}`, { cookie: reg.cookie })
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('room.other_site')
    const list = await app.call('GET', `/api/sessions/${f.sessions.theory}/rooms`, { cookie: reg.cookie })
    expect(((await list.json()) as { rooms: Array<{ name: string }> }).rooms.map((r) => r.name)).toEqual(['101'])
    const missing = await app.call('GET', '/api/sessions/nope/rooms', { cookie: reg.cookie })
    expect(missing.status).toBe(404)
  })

  test("a room's capacity cannot drop below a seat already given out (room.in_use)", async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const f = seedLifecycle(app)
    const { rooms } = await makeRooms(app, reg.cookie, [{ name: '101', kind: 'theory', capacity: 30 }])
    await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!])
    addCandidates(app, f.batchId, 30)
    expect((await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })).status).toBe(200)
    const res = await app.call('PATCH', `/api/rooms/${rooms['101']}`, { cookie: reg.cookie, body: { capacity: 20 } })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('room.in_use')
    const ok = await app.call('PATCH', `/api/rooms/${rooms['101']}`, { cookie: reg.cookie, body: { layout: '6 行 × 5 列，桌距 90 厘米' } })
    expect(ok.status).toBe(200)
  })
})
