import { describe, expect, test } from 'vitest'
import { type TestApp, makeTestApp } from './_app.ts'
import { THEORY_START, addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'
import type { RoomRecord, RoomRecordContext } from '../server/services/kiosk-room.ts'

const MIN = 60_000

/** Rooms 101 and 102 of the theory session, seated; invigilators a and b in 101, c in 102; a supervisor. */
async function world() {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app)
  const { rooms } = await makeRooms(app, reg.cookie, [
    { name: '101', kind: 'theory', capacity: 30 },
    { name: '102', kind: 'theory', capacity: 30 },
  ])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!, rooms['102']!])
  addCandidates(app, f.batchId, 40)
  expect((await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })).status).toBe(200)
  const staff = async (room: string) => {
    const u = await app.userWith(['invigilator'])
    const res = await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
      cookie: reg.cookie,
      body: { userId: u.id, duty: 'invigilator', roomId: rooms[room] },
    })
    expect(res.status).toBe(201)
    return u
  }
  const a = await staff('101'),
    b = await staff('101'),
    c = await staff('102')
  const sup = await app.userWith(['supervisor'])
  const session = f.sessions.theory
  const seatsOf = (room: string) =>
    app.services.db
      .query<{ candidate_id: string }, [string, string]>('SELECT candidate_id FROM seats WHERE exam_session_id = ? AND room_id = ? ORDER BY seat')
      .all(session, rooms[room]!)
      .map((r) => r.candidate_id)
  return { app, reg, f, session, rooms, a, b, c, sup, seatsOf }
}

let n = 0
/** Stores a record through the handler registry, as the sync service does (in one transaction). */
function store(
  app: TestApp,
  kind: 'incident' | 'incident_confirm' | 'score_sheet',
  rec: Omit<RoomRecord, 'id' | 'kind' | 'deviceId' | 'madeAt' | 'online' | 'signature'>,
) {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
  const record: RoomRecord = { id, kind, deviceId: 'dev-1', madeAt: app.clock.now, online: true, signature: 'sig', ...rec }
  const ctx: RoomRecordContext = {
    now: app.clock.now,
    person: { user: rec.userId, name: rec.userId, roles: ['invigilator'] },
    device: { id: 'dev-1' },
    checkConfirmation: (c) => (c.token === 'good' ? 'online' : c.check === 'offline' ? 'offline' : 'invalid'),
  }
  const r = app.services.kioskRoom.inTransaction(() => app.services.kioskRoom.handlers[kind](ctx, record))
  return { id, r }
}

async function readEvent(reader: ReadableStreamDefaultReader<Uint8Array>, buf: { text: string }): Promise<{ event: string; data: unknown }> {
  const dec = new TextDecoder()
  for (;;) {
    const m = /(^|\n)event: (\w+)\ndata: (.*)\n/.exec(buf.text)
    if (m) {
      const end = buf.text.indexOf('\n\n', m.index + 1)
      if (end >= 0) {
        buf.text = buf.text.slice(end + 2)
        return { event: m[2]!, data: JSON.parse(m[3]!) }
      }
    }
    const { value, done } = await reader.read()
    if (done) throw new Error('stream ended')
    buf.text += dec.decode(value, { stream: true })
  }
}

describe('GET /api/kiosk/live: per room, admitted/expected, incidents, packets', () => {
  test('a supervisor sees every room of the session with its counts', async () => {
    const w = await world()
    const [c1] = w.seatsOf('101')
    const first = store(w.app, 'incident', {
      sessionId: w.session,
      roomId: w.rooms['101']!,
      userId: w.a.id,
      body: { candidateId: c1, kind: 'copying', at: THEORY_START + 5 * MIN, description: '抄袭', seized: [] },
    })
    expect(first.r.ok ? null : [first.r.error, w.seatsOf('101'), w.seatsOf('102')]).toBeNull()
    const res = await w.app.call('GET', `/api/kiosk/live?session=${w.session}`, { cookie: w.sup.cookie })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { rooms: Array<{ room: { name: string }; expected: number; admitted: number; incidents: Record<string, number> }> }
    expect(body.rooms.map((r) => [r.room.name, r.expected, r.admitted])).toEqual([
      ['101', w.seatsOf('101').length, 0],
      ['102', w.seatsOf('102').length, 0],
    ])
    expect(body.rooms[0]!.incidents).toEqual({ total: 1, violations: 1, awaitingSecond: 1 })
    expect(body.rooms[1]!.incidents).toEqual({ total: 0, violations: 0, awaitingSecond: 0 })
  })

  test('invigilators may not watch the live page (not even their own session): 403, logged; an unknown session is 404', async () => {
    const w = await world()
    for (const path of [`/api/kiosk/live?session=${w.session}`, `/api/kiosk/live/stream?session=${w.session}`, '/api/kiosk/live/sessions']) {
      const before = w.app.services.log.size()
      const res = await w.app.call('GET', path, { cookie: w.a.cookie })
      expect(res.status, path).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.forbidden')
      expect(eventsSince(w.app, before)).toMatchObject([{ action: 'request.refused', actor: { user: w.a.id } }])
    }
    expect((await w.app.call('GET', '/api/kiosk/live?session=nope', { cookie: w.sup.cookie })).status).toBe(404)
    expect((await w.app.call('GET', `/api/kiosk/live?session=${w.session}`)).status).toBe(401)
  })

  test("the session chooser lists today's sessions first", async () => {
    const w = await world()
    w.app.clock.now = THEORY_START - 60 * MIN
    const res = await w.app.call('GET', '/api/kiosk/live/sessions', { cookie: await w.app.login(w.sup.username) })
    const body = (await res.json()) as { sessions: Array<{ id: string; today: boolean }> }
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body.sessions[0]).toMatchObject({ id: w.session, today: true })
  })
})

describe('GET /api/kiosk/live/stream: server-sent events', () => {
  test('a snapshot on connect, then a changed event after a stored batch; a closed stream leaves no listener', async () => {
    const w = await world()
    const res = await w.app.call('GET', `/api/kiosk/live/stream?session=${w.session}`, { cookie: w.sup.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const buf = { text: '' }
    const first = await readEvent(reader, buf)
    expect(first.event).toBe('snapshot')
    expect((first.data as { rooms: Array<{ incidents: { total: number } }> }).rooms[0]!.incidents.total).toBe(0)
    expect(w.app.services.kioskRoom.events.count(w.session)).toBe(1)

    const [c1] = w.seatsOf('101')
    expect(
      store(w.app, 'incident', {
        sessionId: w.session,
        roomId: w.rooms['101']!,
        userId: w.a.id,
        body: { candidateId: c1, kind: 'late_arrival', at: THEORY_START + 10 * MIN, description: '' },
      }).r.ok,
    ).toBe(true)
    w.app.services.kioskRoom.events.emit(w.session)
    const next = await readEvent(reader, buf)
    expect(next.event).toBe('changed')
    expect((next.data as { rooms: Array<{ incidents: { total: number } }> }).rooms[0]!.incidents.total).toBe(1)

    await reader.cancel()
    await new Promise((r) => setTimeout(r, 10))
    expect(w.app.services.kioskRoom.events.count()).toBe(0)
  })
})

describe('GET /api/kiosk/live/stream: a stream ends with its login', () => {
  test('after the supervisor logs out, the next wake-up closes the stream and drops the listener', async () => {
    const w = await world()
    const res = await w.app.call('GET', `/api/kiosk/live/stream?session=${w.session}`, { cookie: w.sup.cookie })
    const reader = res.body!.getReader()
    const buf = { text: '' }
    expect((await readEvent(reader, buf)).event).toBe('snapshot')
    expect((await w.app.call('DELETE', '/api/session', { cookie: w.sup.cookie })).status).toBe(204)
    w.app.services.kioskRoom.events.emit(w.session)
    await expect(readEvent(reader, buf)).rejects.toThrow('stream ended')
    expect(w.app.services.kioskRoom.events.count()).toBe(0)
  })
})

describe('records in the room through the handlers', () => {
  test('a violation is confirmed by the second invigilator of the room, not by one of another room; a refusal to sign is kept', async () => {
    const w = await world()
    const [c1] = w.seatsOf('101')
    const room = w.rooms['101']!
    const inc = store(w.app, 'incident', {
      sessionId: w.session,
      roomId: room,
      userId: w.a.id,
      body: {
        candidateId: c1,
        kind: 'transmitting_device',
        at: THEORY_START,
        description: '携带手机',
        seized: [{ item: '手机', count: 1 }],
        receiptNumber: 'R-01',
      },
    })
    expect(inc.r.ok).toBe(true)
    const byC = store(w.app, 'incident_confirm', {
      sessionId: w.session,
      roomId: room,
      userId: w.a.id,
      body: { incidentId: inc.id, second: { userId: w.c.id, check: 'online', token: 'good' } },
    })
    expect(byC.r.ok ? null : byC.r.error.code).toBe('kiosk.incident_not_room_invigilator')
    const forged = store(w.app, 'incident_confirm', {
      sessionId: w.session,
      roomId: room,
      userId: w.a.id,
      body: { incidentId: inc.id, second: { userId: w.b.id, check: 'online', token: 'bad' } },
    })
    expect(forged.r.ok ? null : forged.r.error.code).toBe('kiosk.confirmation_invalid')
    const byB = store(w.app, 'incident_confirm', {
      sessionId: w.session,
      roomId: room,
      userId: w.a.id,
      body: { incidentId: inc.id, second: { userId: w.b.id, check: 'online', token: 'good' } },
    })
    expect(byB.r.ok && byB.r.value.data).toMatchObject({ type: 'second', second: w.b.id })
    expect(
      store(w.app, 'incident_confirm', { sessionId: w.session, roomId: room, userId: w.a.id, body: { incidentId: inc.id, refusedToSign: true } }).r.ok,
    ).toBe(true)
    // From another room the incident is not there at all.
    const other = store(w.app, 'incident_confirm', {
      sessionId: w.session,
      roomId: w.rooms['102']!,
      userId: w.c.id,
      body: { incidentId: inc.id, refusedToSign: true },
    })
    expect(other.r.ok ? null : other.r.error.code).toBe('kiosk.incident_not_found')
    const [view] = w.app.services.kioskRoom.incidents(w.session, room)
    expect(view).toMatchObject({ status: 'confirmed', second: { userId: w.b.id }, candidateRefused: { userId: w.a.id }, seized: [{ item: '手机', count: 1 }] })
  })
})

describe('score sheets through the handler: an examiner of the room signs; signed is locked; a correction replaces', () => {
  test('a sheet signed by the examiner is stored with the device signature; a second is locked; a correction with a reason replaces it', async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const f = seedLifecycle(app)
    const { rooms } = await makeRooms(app, reg.cookie, [{ name: '实操1', kind: 'practical', capacity: 10 }])
    await attach(app, reg.cookie, f.sessions.practical, [rooms['实操1']!])
    addCandidates(app, f.batchId, 3)
    expect((await app.call('POST', `/api/sessions/${f.sessions.practical}/seating`, { cookie: reg.cookie, body: { seed: 's' } })).status).toBe(200)
    const ex = await app.userWith(['examiner'])
    const inv = await app.userWith(['invigilator'])
    for (const [u, duty] of [
      [ex, 'examiner'],
      [inv, 'invigilator'],
    ] as const) {
      const res = await app.call('POST', `/api/sessions/${f.sessions.practical}/staff`, {
        cookie: reg.cookie,
        body: { userId: u.id, duty, roomId: rooms['实操1'] },
      })
      expect(res.status).toBe(201)
    }
    const session = f.sessions.practical,
      room = rooms['实操1']!
    const [cand] = app.services.db.query<{ candidate_id: string }, [string]>('SELECT candidate_id FROM seats WHERE exam_session_id = ?').all(session)
    const items = [{ itemId: 'subj-practical', score: 72.5 }]
    const signedBy = (userId: string) => ({ userId, check: 'online', token: 'good' })
    const bad = store(app, 'score_sheet', {
      sessionId: session,
      roomId: room,
      userId: inv.id,
      body: { candidateId: cand!.candidate_id, items, examiner: signedBy(inv.id) },
    })
    expect(bad.r.ok ? null : bad.r.error.code).toBe('kiosk.score_not_examiner')
    const over = store(app, 'score_sheet', {
      sessionId: session,
      roomId: room,
      userId: inv.id,
      body: { candidateId: cand!.candidate_id, items: [{ itemId: 'subj-practical', score: 101 }], examiner: signedBy(ex.id) },
    })
    expect(over.r.ok ? null : over.r.error.code).toBe('kiosk.score_items_invalid')
    const first = store(app, 'score_sheet', {
      sessionId: session,
      roomId: room,
      userId: inv.id,
      body: { candidateId: cand!.candidate_id, items, examiner: signedBy(ex.id) },
    })
    expect(first.r.ok).toBe(true)
    const again = store(app, 'score_sheet', {
      sessionId: session,
      roomId: room,
      userId: inv.id,
      body: { candidateId: cand!.candidate_id, items, examiner: signedBy(ex.id) },
    })
    expect(again.r.ok ? null : again.r.error.code).toBe('kiosk.score_sheet_locked')
    const fix = store(app, 'score_sheet', {
      sessionId: session,
      roomId: room,
      userId: inv.id,
      body: {
        candidateId: cand!.candidate_id,
        items: [{ itemId: 'subj-practical', score: 75 }],
        examiner: signedBy(ex.id),
        replaces: first.id,
        reason: '漏计一项',
      },
    })
    expect(fix.r.ok).toBe(true)
    const sheets = app.services.kioskRoom.scoreSheets(session, room)
    expect(sheets.current.map((s) => [s.id, s.items[0]!.score, s.replaces])).toEqual([[fix.id, 75, first.id]])
    expect(sheets.replaced.map((s) => s.id)).toEqual([first.id])
    expect(app.services.db.query<{ signature: string }, [string]>('SELECT signature FROM kiosk_score_sheets WHERE id = ?').get(fix.id)!.signature).toBe('sig')
    // Append-only: the replaced sheet cannot be changed or deleted, even in SQL.
    expect(() => app.services.db.run('DELETE FROM kiosk_score_sheets WHERE id = ?', [first.id])).toThrow(/append-only/)
  })
})

describe("the door's admissions and conflicts (the sync service's tables) in the live view and the room record", () => {
  test('admitted counts each candidate once; overrides and open conflicts are counted; present, late and absent are told apart', async () => {
    const w = await world()
    const [c1, c2, c3] = w.seatsOf('101')
    const room = w.rooms['101']!
    const adm = (candidateId: string, at: number, override: string | null = null) => ({
      roomId: room,
      candidateId,
      ticketNumber: `T-${candidateId}`,
      at,
      door: 'dev-1',
      override,
    })
    w.app.services.kioskRoom.useDoorFacts({
      admissions: () => [adm(c1!, THEORY_START - 10 * MIN), adm(c1!, THEORY_START - 5 * MIN), adm(c2!, THEORY_START + 7 * MIN, 'id_forgotten')],
      conflicts: () => [
        { roomId: room, kind: 'two_doors', subject: c1!, at: THEORY_START, resolved: false },
        { roomId: room, kind: 'opened_twice', subject: 'pk', at: THEORY_START, resolved: true },
      ],
    })
    const live = (await (await w.app.call('GET', `/api/kiosk/live?session=${w.session}`, { cookie: w.sup.cookie })).json()) as {
      rooms: Array<{ admitted: number; overrides: number; conflicts: number }>
      conflicts: unknown[]
    }
    expect(live.rooms[0]).toMatchObject({ admitted: 2, overrides: 1, conflicts: 1 })
    expect(live.conflicts).toHaveLength(2)
    const page = await (await w.app.call('GET', `/api/kiosk/rooms/record?session=${w.session}&room=${room}`, { cookie: w.sup.cookie })).text()
    expect(page).toContain(`data-candidate="${c1}" data-state="present"`)
    expect(page).toContain(`data-candidate="${c2}" data-state="late"`)
    expect(page).toContain(`data-candidate="${c3}" data-state="absent"`)
    expect(page).toContain('人工放行：未带身份证')
  })
})

describe('GET /api/kiosk/rooms/record: the printable room record (考场记录表)', () => {
  test('shows the session, invigilators, attendance, incidents with kinds, confirmations and refusals', async () => {
    const w = await world()
    const [c1, c2] = w.seatsOf('101')
    const room = w.rooms['101']!
    const inc = store(w.app, 'incident', {
      sessionId: w.session,
      roomId: room,
      userId: w.a.id,
      body: { candidateId: c1, kind: 'impersonation', at: THEORY_START + MIN, description: '照片与本人不符' },
    })
    store(w.app, 'incident_confirm', { sessionId: w.session, roomId: room, userId: w.a.id, body: { incidentId: inc.id, refusedToSign: true } })
    store(w.app, 'incident', {
      sessionId: w.session,
      roomId: room,
      userId: w.b.id,
      body: { candidateId: c2, kind: 'peeking_signalling', at: THEORY_START + 2 * MIN, description: '旁窥' },
    })
    store(w.app, 'incident', {
      sessionId: w.session,
      roomId: room,
      userId: w.b.id,
      body: {
        kind: 'evacuation',
        at: THEORY_START + 30 * MIN,
        description: '火警演练',
        stoppedAt: THEORY_START + 30 * MIN,
        restartedAt: THEORY_START + 45 * MIN,
      },
    })
    const res = await w.app.call('GET', `/api/kiosk/rooms/record?session=${w.session}&room=${room}`, { cookie: w.sup.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = await res.text()
    expect(page).toContain('考场记录表')
    expect(page).toContain(w.a.username)
    expect(page).toContain('由他人冒名代替参加考试')
    expect(page).toContain('第六条第（五）项')
    expect(page).toContain('考生拒绝签字')
    expect(page).toContain('待第二名监考员确认')
    expect(page).toContain('疏散后延至')
    expect(page.match(/data-state="absent"/g)).toHaveLength(w.seatsOf('101').length)
    expect(page).not.toMatch(/<script/i)
  })

  test("an invigilator reads their own room's record, not another room's (403 scope.not_assigned, logged)", async () => {
    const w = await world()
    expect((await w.app.call('GET', `/api/kiosk/rooms/record?session=${w.session}&room=${w.rooms['101']}`, { cookie: w.a.cookie })).status).toBe(200)
    const before = w.app.services.log.size()
    const res = await w.app.call('GET', `/api/kiosk/rooms/record?session=${w.session}&room=${w.rooms['101']}`, { cookie: w.c.cookie })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('scope.not_assigned')
    expect(eventsSince(w.app, before)).toMatchObject([{ action: 'request.refused', data: { code: 'scope.not_assigned' } }])
    // Registrars run the exam but the room record is the room's: not admitted here.
    expect((await w.app.call('GET', `/api/kiosk/rooms/record?session=${w.session}&room=${w.rooms['101']}`, { cookie: w.reg.cookie })).status).toBe(403)
  })

  test('a logged-out browser is sent to the login page and back', async () => {
    const w = await world()
    const res = await w.app.call('GET', `/api/kiosk/rooms/record?session=${w.session}&room=${w.rooms['101']}`, { headers: { Accept: 'text/html' } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toContain('/login?next=')
  })
})
