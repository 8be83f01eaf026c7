import QRCode from 'qrcode'
import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { addCandidates, attach, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

interface IssuedTicket {
  number: string
  candidateId: string
  roomId: string
  seat: number
  payload: string
}

async function world(n = 3) {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app)
  const { rooms } = await makeRooms(app, reg.cookie, [
    { name: '101', kind: 'theory', capacity: 30 },
    { name: '102', kind: 'theory', capacity: 30 },
  ])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!, rooms['102']!])
  const cands = addCandidates(app, f.batchId, n)
  await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
  const { issued } = (await (await app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie })).json()) as { issued: IssuedTicket[] }
  return { app, reg, f, rooms, cands, issued }
}

describe('the printable ticket (R3.4)', () => {
  test('shows name, ID number, photo, occupation, level, date, place, room, seat, the instructions and the QR', async () => {
    const { app, reg, cands, issued } = await world()
    const t = issued[0]!
    const c = cands.find((x) => x.id === t.candidateId)!
    const res = await app.call('GET', `/api/tickets/${t.number}/print`, { cookie: reg.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await res.text()
    for (const s of [
      t.number,
      c.name,
      c.residentId,
      '电工',
      '四级/中级工',
      '2026年12月12日',
      '09:00–11:00',
      '第一考点',
      '北京市东城区示例路 1 号',
      '考生须知',
      '准考证',
    ]) {
      expect(html, s).toContain(s)
    }
    expect(html).toContain(`<td class="seat">${t.seat}</td>`)
    expect(html).toContain(`src="/api/tickets/${t.number}/photo"`)
    // The QR drawn is the signed ticket text itself.
    expect(html).toContain(await QRCode.toString(t.payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 }))
    expect(html).toContain('href="/print/tickets.css"')
    expect(html).not.toMatch(/<script|style=/) // the CSP allows neither
  })

  test('names are escaped, never markup', async () => {
    const { app, reg, issued } = await world(1)
    app.services.db.run("UPDATE candidates SET name = '<b>张</b>' WHERE id = ?", [issued[0]!.candidateId])
    const html = await (await app.call('GET', `/api/tickets/${issued[0]!.number}/print`, { cookie: reg.cookie })).text()
    expect(html).toContain('&lt;b&gt;张&lt;/b&gt;')
  })

  test('the batch print of a session has every live ticket, one A4 page each, in room and seat order', async () => {
    const { app, reg, f, issued } = await world(5)
    await app.call('POST', `/api/tickets/${issued[1]!.number}/revoke`, { cookie: reg.cookie, body: { reason: '退考' } })
    const html = await (await app.call('GET', `/api/sessions/${f.sessions.theory}/tickets/print`, { cookie: reg.cookie })).text()
    const printed = [...html.matchAll(/data-ticket="([^"]+)"/g)].map((m) => m[1])
    const live = issued
      .filter((_, i) => i !== 1)
      .slice()
      .sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : a.seat - b.seat))
      .map((t) => t.number)
    expect(printed).toEqual(live)
    const css = await (await app.call('GET', '/print/tickets.css')).text()
    expect(css).toMatch(/\.ticket\s*{[^}]*page-break-after:\s*always/)
    expect(css).toContain('size: A4')
  })

  test('a revoked ticket is not printed again (ticket.revoked)', async () => {
    const { app, reg, issued } = await world(1)
    await app.call('POST', `/api/tickets/${issued[0]!.number}/revoke`, { cookie: reg.cookie, body: { reason: '补办' } })
    const res = await app.call('GET', `/api/tickets/${issued[0]!.number}/print`, { cookie: reg.cookie })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ticket.revoked')
  })

  test("the photo is served to the registrar and the room's invigilator, and refused to an invigilator of another room", async () => {
    const { app, reg, f, rooms, issued } = await world(31)
    const in101 = issued.find((t) => t.roomId === rooms['101'])!
    const photo = await app.call('GET', `/api/tickets/${in101.number}/photo`, { cookie: reg.cookie })
    expect(photo.status).toBe(200)
    expect(photo.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await photo.arrayBuffer()).slice(1, 4)).toEqual(new TextEncoder().encode('PNG'))
    const inv = await app.userWith(['invigilator'])
    await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
      cookie: reg.cookie,
      body: { userId: inv.id, duty: 'invigilator', roomId: rooms['102'] },
    })
    const refused = await app.call('GET', `/api/tickets/${in101.number}/photo`, { cookie: inv.cookie })
    expect(refused.status).toBe(403)
    const in102 = issued.find((t) => t.roomId === rooms['102'])!
    expect((await app.call('GET', `/api/tickets/${in102.number}/photo`, { cookie: inv.cookie })).status).toBe(200)
  })

  test("the print of one room has only that room's live tickets, in seat order", async () => {
    const { app, reg, f, rooms, issued } = await world(40)
    for (const name of ['101', '102']) {
      const res = await app.call('GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms[name]}/tickets/print`, { cookie: reg.cookie })
      expect(res.status).toBe(200)
      const html = await res.text()
      const printed = [...html.matchAll(/data-ticket="([^"]+)"/g)].map((m) => m[1])
      const mine = issued
        .filter((t) => t.roomId === rooms[name])
        .sort((a, b) => a.seat - b.seat)
        .map((t) => t.number)
      expect(mine.length).toBeGreaterThan(0)
      expect(printed).toEqual(mine)
      expect(html).toContain(`<title>准考证 · ${name}（${mine.length} 张）</title>`)
    }
  })

  test('the print of a room that is not in the session is refused (room.not_attached)', async () => {
    const { app, reg, f, rooms } = await world(1)
    const res = await app.call('GET', `/api/sessions/${f.sessions.practical}/rooms/${rooms['101']}/tickets/print`, { cookie: reg.cookie })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('room.not_attached')
  })

  test("only a registrar prints a room's tickets (they show whole ID numbers): admin, supervisor and the room's invigilator get 403", async () => {
    const { app, reg, f, rooms } = await world(2)
    const inv = await app.userWith(['invigilator'])
    await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
      cookie: reg.cookie,
      body: { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] },
    })
    for (const roles of [['admin'], ['supervisor']] as const) {
      const u = await app.userWith([...roles])
      expect((await app.call('GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms['101']}/tickets/print`, { cookie: u.cookie })).status).toBe(403)
    }
    expect((await app.call('GET', `/api/sessions/${f.sessions.theory}/rooms/${rooms['101']}/tickets/print`, { cookie: inv.cookie })).status).toBe(403)
  })

  test('a logged-out browser visit to a printable page goes to the login page and back (303 to /login?next=)', async () => {
    const { app, f, rooms, issued } = await world(1)
    const html = { accept: 'text/html,application/xhtml+xml' }
    for (const path of [
      `/api/tickets/${issued[0]!.number}/print`,
      `/api/sessions/${f.sessions.theory}/tickets/print`,
      `/api/sessions/${f.sessions.theory}/rooms/${rooms['101']}/tickets/print`,
      `/api/sessions/${f.sessions.theory}/badges/print`,
    ]) {
      const res = await app.call('GET', path, { headers: html })
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`)
      // an API client asking for JSON still gets the 401 it can read
      expect((await app.call('GET', path)).status).toBe(401)
    }
  })
})
