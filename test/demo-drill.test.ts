import { beforeAll, describe, expect, test } from 'vitest'
import { verifyTicket } from '../crypto/index.ts'
import { DEMO_PASSWORD, loadDemo } from '../server/demo.ts'
import { forgeTicketText } from '../server/services/door-drill.ts'
import { type TestApp, makeTestApp } from './_app.ts'

const NOW = Date.parse('2026-12-10T02:03:00Z') // 10:03 CST

describe('the door drill (demo)', () => {
  let app: TestApp
  beforeAll(async () => {
    app = makeTestApp({ clock: () => NOW })
    app.clock.now = NOW
    await loadDemo(app.services)
  }, 120_000)

  const drillSession = () => app.services.rooms.session(app.services.doorDrill.sessionId()!)!

  test('a theory session today whose doors are open now: it starts 20–25 minutes from now, on a 5-minute mark', () => {
    const s = drillSession()
    expect(s.subjectKind).toBe('theory')
    expect(s.startsAt - NOW).toBeGreaterThanOrEqual(20 * 60_000)
    expect(s.startsAt - NOW).toBeLessThan(25 * 60_000)
    expect(s.startsAt % (5 * 60_000)).toBe(0)
    expect(s.startsAt - 30 * 60_000).toBeLessThanOrEqual(NOW) // doors open half an hour before the start
    expect(new Date(s.startsAt + 8 * 3600_000).toISOString().slice(0, 10)).toBe('2026-12-10')
  })

  test('room 201 has the demo invigilators; its last seat holds a revoked ticket; room 202 is seated too', () => {
    const s = app.services
    const sessionId = s.doorDrill.sessionId()!
    const rooms = s.rooms.attachedRooms(sessionId)
    expect(rooms.map((r) => r.name)).toEqual(['201', '202'])
    const staff = s.rooms.staff(sessionId)
    if (!staff.ok) throw new Error(staff.error.code)
    const in201 = staff.value.filter((a) => a.roomId === rooms[0]!.id).map((a) => s.accounts.get(a.userId)!.username)
    expect(in201.sort()).toEqual(['invigilator', 'invigilator2'])
    const tickets = s.tickets.ofSession(sessionId)
    if (!tickets.ok) throw new Error(tickets.error.code)
    expect(tickets.value.filter((t) => t.revokedAt !== null)).toHaveLength(1)
    expect(new Set(tickets.value.map((t) => t.roomId))).toEqual(new Set(rooms.map((r) => r.id)))
  })

  test('the drill sheet: every sample verifies (or fails) as its expected verdict says', async () => {
    const cookie = await app.login('invigilator', DEMO_PASSWORD)
    const res = await app.call('GET', '/api/kiosk/drill/print', { cookie })
    expect(res.status).toBe(200)
    const page = await res.text()
    const sheet = app.services.doorDrill.sheet()
    if (!sheet.ok) throw new Error(sheet.error.code)
    const expects = sheet.value.samples.map((x) => x.expect)
    for (const v of ['admitted', 'already_admitted', 'revoked', 'wrong_room', 'wrong_session', 'forged', 'malformed']) {
      expect(expects).toContain(v)
      expect(page).toContain(`data-expect="${v}"`)
    }
    const key = app.services.ticketKey.publicKey
    const sessionId = app.services.doorDrill.sessionId()!
    for (const x of sheet.value.samples) {
      const v = verifyTicket(x.text, key)
      if (x.expect === 'forged') expect(v.ok ? 'verified' : v.error.code).toBe('ticket.bad_signature')
      else if (x.expect === 'malformed') expect(v.ok).toBe(false)
      else {
        expect(v.ok).toBe(true)
        if (v.ok && v.payload.type === 'ticket') expect(v.payload.examSessionId === sessionId).toBe(x.expect !== 'wrong_session')
      }
    }
    const admitted = sheet.value.samples.filter((x) => x.expect === 'admitted')
    expect(admitted.length).toBeGreaterThanOrEqual(3)
    for (const x of admitted) expect(page).toContain(x.holder!.residentId) // the ID check needs the (fictional) number
  })

  test('only door staff, supervisors and administrators see it; a logged-out visit goes to the login page', async () => {
    const registrar = await app.login('registrar', DEMO_PASSWORD)
    expect((await app.call('GET', '/api/kiosk/drill/print', { cookie: registrar })).status).toBe(403)
    const anon = await app.call('GET', '/api/kiosk/drill/print', { headers: { Accept: 'text/html' } })
    expect([302, 303]).toContain(anon.status)
    expect(anon.headers.get('location')).toContain('/login')
  })

  test('without the drill loaded the sheet is a clear 404', async () => {
    const bare = makeTestApp()
    const { cookie } = await bare.userWith(['supervisor'])
    const res = await bare.call('GET', '/api/kiosk/drill/print', { cookie })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('drill.not_loaded')
  })
})

test('forgeTicketText keeps the form and changes exactly one payload byte', () => {
  const text = 'CT1.AAECAwQ.c2ln'
  const forged = forgeTicketText(text)
  expect(forged).not.toBe(text)
  expect(forged.split('.')).toHaveLength(3)
  expect(forged.split('.')[2]).toBe('c2ln')
  expect(forgeTicketText(forged)).toBe(text)
})
