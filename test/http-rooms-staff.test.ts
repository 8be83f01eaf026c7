import { describe, expect, test } from 'vitest'
import { verifyTicket } from '../crypto/index.ts'
import { makeTestApp } from './_app.ts'
import { addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

async function world() {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app, { hazardous: true })
  const { rooms } = await makeRooms(app, reg.cookie, [
    { name: '101', kind: 'theory', capacity: 30 },
    { name: '实训室', kind: 'practical', capacity: 10, equipment: ['万用表'] },
  ])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!])
  await attach(app, reg.cookie, f.sessions.practical, [rooms['实训室']!])
  const assign = (session: string, body: unknown) => app.call('POST', `/api/sessions/${session}/staff`, { cookie: reg.cookie, body })
  return { app, reg, f, rooms, assign }
}
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

describe('staff per session and room (R4.3)', () => {
  test('assigning is one staff.assigned event naming the person by id and username, not their name', async () => {
    const { app, f, rooms, assign } = await world()
    const inv = await app.userWith(['invigilator'], 'chen.gang')
    const before = app.services.log.size()
    const res = await assign(f.sessions.theory, { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ userId: inv.id, username: 'chen.gang', duty: 'invigilator', roomId: rooms['101'] })
    expect(eventsSince(app, before)).toMatchObject([
      { action: 'staff.assigned', where: { room: rooms['101'] }, data: { user: inv.id, username: 'chen.gang', duty: 'invigilator' } },
    ])
  })

  test('refusals: role mismatch, a supervisor given a room, a site leader of a theory room, one invigilator in two rooms', async () => {
    const { app, f, rooms, assign } = await world()
    const ex = await app.userWith(['examiner'])
    const sup = await app.userWith(['supervisor'])
    expect(await code(await assign(f.sessions.theory, { userId: ex.id, duty: 'invigilator', roomId: rooms['101'] }))).toBe('staff.role_mismatch')
    expect(await code(await assign(f.sessions.theory, { userId: sup.id, duty: 'supervisor', roomId: rooms['101'] }))).toBe('staff.room_not_allowed')
    expect(await code(await assign(f.sessions.theory, { userId: ex.id, duty: 'site_leader', roomId: rooms['101'] }))).toBe('staff.practical_room_only')
    expect(await code(await assign(f.sessions.theory, { userId: ex.id, duty: 'examiner', roomId: rooms['实训室'] }))).toBe('staff.room_not_attached')
    expect(await code(await assign(f.sessions.theory, { userId: 'nobody', duty: 'invigilator', roomId: rooms['101'] }))).toBe('staff.user_not_found')
  })

  test("readiness reports too few invigilators until two keep the room, and needs the practical room's examiner and site leader", async () => {
    const { app, reg, f, rooms, assign } = await world()
    addCandidates(app, f.batchId, 8)
    await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
    const readiness = async (s: string) =>
      (await (await app.call('GET', `/api/sessions/${s}/readiness`, { cookie: reg.cookie })).json()) as {
        ready: boolean
        issues: Array<{ code: string; count?: number }>
      }
    const a = await app.userWith(['invigilator']),
      b = await app.userWith(['invigilator'])
    await assign(f.sessions.theory, { userId: a.id, duty: 'invigilator', roomId: rooms['101'] })
    expect((await readiness(f.sessions.theory)).issues).toContainEqual(expect.objectContaining({ code: 'staffing.too_few_invigilators', count: 1, needed: 2 }))
    await assign(f.sessions.theory, { userId: b.id, duty: 'invigilator', roomId: rooms['101'] })
    expect((await readiness(f.sessions.theory)).issues.map((i) => i.code)).not.toContain('staffing.too_few_invigilators')

    await app.call('POST', `/api/sessions/${f.sessions.practical}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
    const practical = await readiness(f.sessions.practical)
    expect(practical.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['staffing.no_examiner', 'staffing.no_site_leader', 'staffing.too_few_invigilators']),
    )
  })

  test('my assignments list what I am assigned to; removing one is logged', async () => {
    const { app, f, rooms, assign, reg } = await world()
    const inv = await app.userWith(['invigilator'])
    const made = (await (await assign(f.sessions.theory, { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] })).json()) as { id: string }
    const mine = (await (await app.call('GET', '/api/me/assignments', { cookie: inv.cookie })).json()) as { assignments: Array<{ id: string }> }
    expect(mine.assignments.map((a) => a.id)).toEqual([made.id])
    const before = app.services.log.size()
    expect((await app.call('DELETE', `/api/sessions/${f.sessions.theory}/staff/${made.id}`, { cookie: reg.cookie })).status).toBe(200)
    expect(eventsSince(app, before)).toMatchObject([{ action: 'staff.unassigned', data: { assignment: made.id } }])
    expect((await app.call('DELETE', `/api/sessions/${f.sessions.theory}/staff/${made.id}`, { cookie: reg.cookie })).status).toBe(404)
  })

  test('badges carry a QR signed with the ticket key (type badge) that a door verifies offline', async () => {
    const { app, f, rooms, assign, reg } = await world()
    const inv = await app.userWith(['invigilator'], 'liu.yang')
    const sup = await app.userWith(['supervisor'], 'sun.wei')
    await assign(f.sessions.theory, { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] })
    await assign(f.sessions.theory, { userId: sup.id, duty: 'supervisor' })
    const badges = app.services.tickets.badges(f.sessions.theory)
    if (!badges.ok) throw new Error(badges.error.code)
    expect(badges.value).toHaveLength(2)
    for (const b of badges.value) {
      const v = verifyTicket(b.text, app.services.tickets.publicKey)
      expect(v.ok && v.payload).toEqual(b.payload)
    }
    expect(badges.value.map((b) => b.payload)).toEqual([
      expect.objectContaining({ type: 'badge', userId: inv.id, duty: 'invigilator', roomId: rooms['101'], name: 'liu.yang' }),
      expect.objectContaining({ type: 'badge', userId: sup.id, duty: 'supervisor', roomId: null }),
    ])
    const page = await app.call('GET', `/api/sessions/${f.sessions.theory}/badges/print`, { cookie: reg.cookie })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('监考人员')
    expect(html).toContain('督导人员')
    expect(html.match(/<svg /g)).toHaveLength(2)
  })
})
