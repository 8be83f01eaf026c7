import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

/** Rooms 101 and 102 of the theory session, seated; an invigilator assigned to 101 only. */
async function world() {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app)
  const { rooms } = await makeRooms(app, reg.cookie, [
    { name: '101', kind: 'theory', capacity: 30 },
    { name: '102', kind: 'theory', capacity: 30 },
  ])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!, rooms['102']!])
  addCandidates(app, f.batchId, 45)
  await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
  const inv = await app.userWith(['invigilator'])
  const res = await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
    cookie: reg.cookie,
    body: { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] },
  })
  expect(res.status).toBe(201)
  return { app, reg, f, rooms, inv }
}

describe('scope: invigilators and examiners see only their rooms', () => {
  test("an invigilator of room 101 reads 101's roster and checklist", async () => {
    const { app, f, rooms, inv } = await world()
    const roster = await app.call('GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms['101']}/roster`, { cookie: inv.cookie })
    expect(roster.status).toBe(200)
    const body = (await roster.json()) as { rooms: Array<{ room: { name: string }; seats: Array<{ name: string }> }> }
    expect(body.rooms.map((r) => r.room.name)).toEqual(['101'])
    const seatedIn101 = app.services.db.query<{ n: number }, [string]>('SELECT count(*) AS n FROM seats WHERE room_id = ?').get(rooms['101']!)!.n
    expect(seatedIn101).toBeGreaterThan(0)
    expect(body.rooms[0]!.seats).toHaveLength(seatedIn101)
    expect((await app.call('GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms['101']}/inspection`, { cookie: inv.cookie })).status).toBe(200)
  })

  test('the same invigilator gets 403 scope.not_assigned for room 102, and the refusal is logged', async () => {
    const { app, f, rooms, inv } = await world()
    for (const [method, path, body] of [
      ['GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms['102']}/roster`, undefined],
      ['GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms['102']}/inspection`, undefined],
      ['PUT', `/api/sessions/${f.sessions.theory}/rooms/${rooms['102']}/inspection/rules_posted`, { state: 'ok' }],
    ] as const) {
      const before = app.services.log.size()
      const res = await app.call(method, path, { cookie: inv.cookie, body })
      expect(res.status, path).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('scope.not_assigned')
      expect(eventsSince(app, before)).toMatchObject([
        {
          action: 'request.refused',
          outcome: 'refused',
          actor: { user: inv.id, roles: ['invigilator'] },
          subject: { type: 'exam_session', id: f.sessions.theory },
          data: { code: 'scope.not_assigned', room: rooms['102'] },
        },
      ])
    }
    // Nothing was recorded for room 102.
    expect(app.services.db.query('SELECT count(*) AS n FROM inspection_items').get()).toEqual({ n: 0 })
  })

  test('the seating plan an invigilator sees holds only their room', async () => {
    const { app, reg, f, inv } = await world()
    const mine = (await (await app.call('GET', `/api/sessions/${f.sessions.theory}/seating`, { cookie: inv.cookie })).json()) as {
      rooms: Array<{ room: { name: string } }>
    }
    expect(mine.rooms.map((r) => r.room.name)).toEqual(['101'])
    const all = (await (await app.call('GET', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie })).json()) as {
      rooms: Array<{ room: { name: string } }>
    }
    expect(all.rooms.map((r) => r.room.name)).toEqual(['101', '102'])
  })

  test('an examiner with no assignment in the session is refused the plan (scope.not_assigned) and sees no sessions', async () => {
    const { app, f } = await world()
    const ex = await app.userWith(['examiner'])
    const res = await app.call('GET', `/api/sessions/${f.sessions.theory}/seating`, { cookie: ex.cookie })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('scope.not_assigned')
    const list = (await (await app.call('GET', '/api/preparation/sessions', { cookie: ex.cookie })).json()) as { sessions: unknown[] }
    expect(list.sessions).toEqual([])
  })

  test('the preparation list shows an invigilator their session with their duty; a supervisor sees every session', async () => {
    const { app, f, rooms, inv } = await world()
    const list = (await (await app.call('GET', '/api/preparation/sessions', { cookie: inv.cookie })).json()) as {
      sessions: Array<{ id: string; rooms: number; duties: unknown }>
    }
    expect(list.sessions).toEqual([expect.objectContaining({ id: f.sessions.theory, rooms: 1, duties: [{ roomId: rooms['101'], duty: 'invigilator' }] })])
    const sup = await app.userWith(['supervisor'])
    const all = (await (await app.call('GET', '/api/preparation/sessions', { cookie: sup.cookie })).json()) as {
      sessions: Array<{ id: string; duties: unknown }>
    }
    expect(all.sessions.map((s) => s.id).sort()).toEqual([f.sessions.practical, f.sessions.theory].sort())
    expect(all.sessions[0]!.duties).toBeNull()
  })

  test("the revocation list is for the session's invigilators: one of another session is refused", async () => {
    const { app, f, inv } = await world()
    expect((await app.call('GET', `/api/sessions/${f.sessions.theory}/revocations`, { cookie: inv.cookie })).status).toBe(200)
    const res = await app.call('GET', `/api/sessions/${f.sessions.practical}/revocations`, { cookie: inv.cookie })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('scope.not_assigned')
  })

  test('the scope service answers roomsOf and canSeeRoom by assignment', async () => {
    const { app, f, rooms, inv, reg } = await world()
    const scope = app.services.scope
    const viewer = { userId: inv.id, roles: ['invigilator'] as const }
    expect(scope.roomsOf(viewer, f.sessions.theory)).toEqual({
      all: false,
      rooms: [{ sessionId: f.sessions.theory, roomId: rooms['101'], duty: 'invigilator' }],
    })
    expect(scope.canSeeRoom(viewer, f.sessions.theory, rooms['101']!)).toBe(true)
    expect(scope.canSeeRoom(viewer, f.sessions.theory, rooms['102']!)).toBe(false)
    expect(scope.canSeeRoom({ userId: reg.id, roles: ['registrar'] }, f.sessions.theory, rooms['102']!)).toBe(true)
  })
})
