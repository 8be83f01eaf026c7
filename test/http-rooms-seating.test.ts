import { describe, expect, test } from 'vitest'
import { makeTestApp, type TestApp } from './_app.ts'
import { addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

interface Plan {
  run: { seed: string } | null
  rooms: Array<{
    room: { id: string; name: string; capacity: number }
    nonstandard: boolean
    seats: Array<{ seat: number; candidateId: string; name: string; ticketNumber: string | null }>
  }>
}

type RoomSpec = { name: string; kind: 'theory' | 'practical' | 'nonstandard'; capacity: number }
const THREE: RoomSpec[] = [
  { name: '101', kind: 'theory', capacity: 30 },
  { name: '102', kind: 'theory', capacity: 30 },
  { name: '103', kind: 'theory', capacity: 30 },
]

async function session(rooms: RoomSpec[] = THREE) {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app)
  const made = await makeRooms(app, reg.cookie, rooms)
  await attach(app, reg.cookie, f.sessions.theory, Object.values(made.rooms))
  return { app, reg, f, rooms: made.rooms }
}
const seat = (app: TestApp, cookie: string, id: string, body?: unknown) => app.call('POST', `/api/sessions/${id}/seating`, { cookie, body })
async function plan(app: TestApp, cookie: string, id: string): Promise<Plan> {
  const res = await app.call('GET', `/api/sessions/${id}/seating`, { cookie })
  expect(res.status).toBe(200)
  return res.json() as Promise<Plan>
}
const placements = (p: Plan) => new Map(p.rooms.flatMap((r) => r.seats.map((s) => [s.candidateId, `${r.room.id}#${s.seat}`] as const)))

describe('seating through the service (R4.1)', () => {
  test('every approved, paid candidate gets exactly one seat; no seat twice; no room over capacity; nobody else is seated', async () => {
    const { app, reg, f } = await session()
    const seated = addCandidates(app, f.batchId, 75, { units: 5 })
    addCandidates(app, f.batchId, 3, { paid: false })
    addCandidates(app, f.batchId, 2, { status: 'registered' })
    addCandidates(app, f.batchId, 2, { status: 'withdrawn' })
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'draw-1' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ seed: 'draw-1', candidates: 75, rooms: 3, moved: 75, ticketsRevoked: [] })
    const p = await plan(app, reg.cookie, f.sessions.theory)
    const all = p.rooms.flatMap((r) => r.seats.map((s) => ({ ...s, room: r.room })))
    expect(all.map((s) => s.candidateId).sort()).toEqual(seated.map((c) => c.id).sort())
    expect(new Set(all.map((s) => `${s.room.id}#${s.seat}`)).size).toBe(75)
    for (const r of p.rooms) {
      expect(r.seats.length).toBeLessThanOrEqual(r.room.capacity)
      for (const s of r.seats) expect(s.seat).toBeGreaterThanOrEqual(1), expect(s.seat).toBeLessThanOrEqual(r.room.capacity)
    }
    // The registrar's plan names each seated candidate.
    expect(all.find((s) => s.candidateId === seated[0]!.id)!.name).toBe(seated[0]!.name)
  })

  test('one run is one event, seating.assigned, with the seed and counts, and the seed is recorded', async () => {
    const { app, reg, f } = await session()
    addCandidates(app, f.batchId, 40)
    const before = app.services.log.size()
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'public-seed-2026' })
    const events = eventsSince(app, before)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      action: 'seating.assigned',
      subject: { type: 'exam_session', id: f.sessions.theory },
      data: { seed: 'public-seed-2026', keepTicketed: true, candidates: 40, rooms: 3, moved: 40, ticketsRevoked: 0 },
    })
    const run = app.services.db.query('SELECT seed, keep_ticketed FROM seating_runs WHERE exam_session_id = ?').get(f.sessions.theory)
    expect(run).toEqual({ seed: 'public-seed-2026', keep_ticketed: 1 })
    expect((await plan(app, reg.cookie, f.sessions.theory)).run?.seed).toBe('public-seed-2026')
  })

  test('the same seed over the same candidates gives the same plan (anyone can replay the draw)', async () => {
    const { app, reg, f } = await session()
    addCandidates(app, f.batchId, 50, { units: 3 })
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'replay' })
    const first = placements(await plan(app, reg.cookie, f.sessions.theory))
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'other' })
    const other = placements(await plan(app, reg.cookie, f.sessions.theory))
    const again = await seat(app, reg.cookie, f.sessions.theory, { seed: 'replay' })
    expect(((await again.json()) as { moved: number }).moved).toBeGreaterThan(0)
    expect(placements(await plan(app, reg.cookie, f.sessions.theory))).toEqual(first)
    expect(other).not.toEqual(first)
  })

  test('without a seed the server draws one and records it', async () => {
    const { app, reg, f } = await session()
    addCandidates(app, f.batchId, 5)
    const res = await seat(app, reg.cookie, f.sessions.theory)
    expect(res.status).toBe(200)
    const { seed } = (await res.json()) as { seed: string }
    expect(seed).toMatch(/^[0-9a-f]{24}$/)
    expect((await plan(app, reg.cookie, f.sessions.theory)).run?.seed).toBe(seed)
  })

  test('re-running keeps ticketed candidates in their seats; others may move', async () => {
    const { app, reg, f } = await session()
    addCandidates(app, f.batchId, 60, { units: 4 })
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'first' })
    const issued = await app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie })
    const tickets = ((await issued.json()) as { issued: Array<{ number: string; candidateId: string; roomId: string; seat: number }> }).issued
    expect(tickets).toHaveLength(60)
    // Ten more approved and paid after the tickets went out.
    const late = addCandidates(app, f.batchId, 10, { units: 4 })
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'second' })
    expect(await res.json()).toMatchObject({ candidates: 70, moved: 10, ticketsRevoked: [] })
    const now = placements(await plan(app, reg.cookie, f.sessions.theory))
    for (const t of tickets) expect(now.get(t.candidateId)).toBe(`${t.roomId}#${t.seat}`)
    for (const c of late) expect(now.has(c.id)).toBe(true)
  })

  test('keepTicketed=false may move ticket holders; each moved ticket is revoked in the same run (one event per ticket)', async () => {
    const { app, reg, f } = await session()
    addCandidates(app, f.batchId, 60, { units: 4 })
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'first' })
    await app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie })
    const before = app.services.log.size()
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'reshuffle', keepTicketed: false })
    const summary = (await res.json()) as { moved: number; ticketsRevoked: string[] }
    expect(summary.moved).toBeGreaterThan(0)
    expect(summary.ticketsRevoked).toHaveLength(summary.moved)
    const events = eventsSince(app, before)
    expect(events.filter((e) => e.action === 'ticket.revoked')).toHaveLength(summary.moved)
    expect(events.at(-1)).toMatchObject({ action: 'seating.assigned', data: { keepTicketed: false, ticketsRevoked: summary.moved } })
    // Every live ticket still names its holder's seat.
    const now = placements(await plan(app, reg.cookie, f.sessions.theory))
    for (const t of app.services.db
      .query<{ candidate_id: string; room_id: string; seat: number }, [string]>(
        'SELECT candidate_id, room_id, seat FROM tickets WHERE exam_session_id = ? AND revoked_at IS NULL',
      )
      .all(f.sessions.theory)) {
      expect(now.get(t.candidate_id)).toBe(`${t.room_id}#${t.seat}`)
    }
  })

  test('a ticket holder who withdrew loses the seat at the next run, and the ticket is revoked', async () => {
    const { app, reg, f } = await session()
    const cands = addCandidates(app, f.batchId, 10)
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'a' })
    await app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie })
    app.services.db.run("UPDATE candidates SET status = 'withdrawn' WHERE id = ?", [cands[0]!.id])
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'a' })
    expect(await res.json()).toMatchObject({ candidates: 9, ticketsRevoked: [expect.stringMatching(/^2026-/)] })
    expect(placements(await plan(app, reg.cookie, f.sessions.theory)).has(cands[0]!.id)).toBe(false)
  })

  test('more candidates than seats is refused (seating.over_capacity, 409), logged, and the old plan stays', async () => {
    const { app, reg, f } = await session([{ name: '101', kind: 'theory', capacity: 30 }])
    addCandidates(app, f.batchId, 30)
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'fits' })
    const before = placements(await plan(app, reg.cookie, f.sessions.theory))
    addCandidates(app, f.batchId, 1)
    const size = app.services.log.size()
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'too many' })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'seating.over_capacity', details: { candidates: 31, seats: 30 } } })
    expect(eventsSince(app, size)).toMatchObject([{ action: 'seating.assign', outcome: 'refused', data: { code: 'seating.over_capacity' } }])
    expect(placements(await plan(app, reg.cookie, f.sessions.theory))).toEqual(before)
    expect(app.services.db.query('SELECT count(*) AS n FROM seating_runs').get()).toEqual({ n: 1 })
  })

  test('a non-standard room is flagged on the plan and in the run', async () => {
    const { app, reg, f, rooms } = await session([{ name: '礼堂', kind: 'nonstandard', capacity: 50 }])
    addCandidates(app, f.batchId, 20)
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'x' })
    expect(await res.json()).toMatchObject({ nonstandardRoomIds: [rooms['礼堂']] })
    expect((await plan(app, reg.cookie, f.sessions.theory)).rooms[0]!.nonstandard).toBe(true)
  })

  test('a suspended session cannot be seated (session.not_scheduled); an unknown one is 404', async () => {
    const { app, reg, f } = await session()
    app.services.db.run("UPDATE exam_sessions SET status = 'suspended' WHERE id = ?", [f.sessions.theory])
    const res = await seat(app, reg.cookie, f.sessions.theory, { seed: 'x' })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('session.not_scheduled')
    expect((await seat(app, reg.cookie, 'nope', {})).status).toBe(404)
  })

  test('detaching a room clears its seats (refused while live tickets name it)', async () => {
    const { app, reg, f, rooms } = await session([
      { name: '101', kind: 'theory', capacity: 30 },
      { name: '102', kind: 'theory', capacity: 30 },
    ])
    addCandidates(app, f.batchId, 40)
    await seat(app, reg.cookie, f.sessions.theory, { seed: 'x' })
    // Rooms fill in id order, so which room holds 30 and which 10 depends on the (random) room ids.
    const in102 = (await plan(app, reg.cookie, f.sessions.theory)).rooms.find((r) => r.room.id === rooms['102'])!.seats.length
    expect([10, 30]).toContain(in102)
    const res = await app.call('DELETE', `/api/sessions/${f.sessions.theory}/rooms/${rooms['102']}`, { cookie: reg.cookie })
    expect(await res.json()).toEqual({ seatsCleared: in102 })
    const r = await app.call('GET', `/api/sessions/${f.sessions.theory}/readiness`, { cookie: reg.cookie })
    expect(((await r.json()) as { issues: Array<{ code: string; count?: number }> }).issues).toContainEqual({
      code: 'seating.unseated_candidates',
      severity: 'blocker',
      count: in102,
    })
    await app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie })
    const blocked = await app.call('DELETE', `/api/sessions/${f.sessions.theory}/rooms/${rooms['101']}`, { cookie: reg.cookie })
    expect(blocked.status).toBe(409)
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('room.has_tickets')
  })
})
