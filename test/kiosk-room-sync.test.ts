// Incidents and their confirmations through the real door sync (POST /api/kiosk/sync, device-signed records, the
// second invigilator's online token from POST /api/kiosk/confirmations), seen by a supervisor's live stream.
import { describe, expect, test } from 'vitest'
import { TEST_PASSWORD } from './_app.ts'
import { THEORY_START } from './_custody-packets.ts'
import { eventsSince } from './_rooms-fixture.ts'
import { kioskWorld, makeRecord, signedCall } from './_kiosk-sync-fixture.ts'

const MIN = 60_000

describe('room records through the door sync', () => {
  test('an incident and its second signature are stored with their kiosk events; the live stream says changed', async () => {
    const w = await kioskWorld()
    const app = w.app
    const c101 = w.candidates.find((c) => c.roomId === w.rooms.r101)!
    // The supervisor watches.
    const stream = await app.call('GET', `/api/kiosk/live/stream?session=${w.sessionId}`, { cookie: w.sup1.cookie })
    expect(stream.status).toBe(200)
    const reader = stream.body!.getReader()
    let text = ''
    const next = async (): Promise<string> => {
      for (;;) {
        const m = /event: (\w+)\ndata: (.*)\n(?:id: \d+\n)?(?:retry: \d+\n)?\n/.exec(text)
        if (m) {
          text = text.slice(m.index + m[0].length)
          return `${m[1]} ${m[2]}`
        }
        const { value, done } = await reader.read()
        if (done) throw new Error('stream ended')
        text += new TextDecoder().decode(value)
      }
    }
    expect(await next()).toMatch(/^snapshot /)

    const before = app.services.log.size()
    const incident = await makeRecord(w.tablet, {
      kind: 'incident',
      sessionId: w.sessionId,
      roomId: w.rooms.r101,
      userId: w.inv1.id,
      madeAt: app.clock.now,
      body: { candidateId: c101.id, kind: 'impersonation', at: THEORY_START + 3 * MIN, description: '照片与本人明显不符', seized: [] },
    })
    const r1 = await signedCall(app, w.tablet, 'POST', '/api/kiosk/sync', { cookie: w.inv1.cookie, body: { records: [incident] } })
    expect(r1.status).toBe(200)
    expect(((await r1.json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe('stored')
    const changed = await next()
    expect(changed).toMatch(/^changed /)
    expect(JSON.parse(changed.slice(8)).rooms.find((r: { room: { id: string } }) => r.room.id === w.rooms.r101).incidents).toEqual({
      total: 1,
      violations: 1,
      awaitingSecond: 1,
    })

    // The second invigilator confirms on the same tablet with their own password.
    const conf = await signedCall(app, w.tablet, 'POST', '/api/kiosk/confirmations', {
      cookie: w.inv1.cookie,
      body: { username: w.inv2.username, password: TEST_PASSWORD, purpose: 'incident_confirm' },
    })
    expect(conf.status).toBe(200)
    const { token, userId } = (await conf.json()) as { token: string; userId: string }
    expect(userId).toBe(w.inv2.id)
    const confirm = await makeRecord(w.tablet, {
      kind: 'incident_confirm',
      sessionId: w.sessionId,
      roomId: w.rooms.r101,
      userId: w.inv1.id,
      madeAt: app.clock.now,
      body: { incidentId: incident.id, second: { userId, check: 'online', token } },
    })
    const forged = await makeRecord(w.tablet, {
      kind: 'incident_confirm',
      sessionId: w.sessionId,
      roomId: w.rooms.r101,
      userId: w.inv1.id,
      madeAt: app.clock.now,
      body: { incidentId: incident.id, second: { userId: w.inv2.id, check: 'online', token: `${app.clock.now}.${'A'.repeat(43)}` } },
    })
    const r2 = await signedCall(app, w.tablet, 'POST', '/api/kiosk/sync', { cookie: w.inv1.cookie, body: { records: [forged, confirm] } })
    const results = ((await r2.json()) as { results: Array<{ status: string; code?: string }> }).results
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['refused', 'kiosk.confirmation_invalid'],
      ['stored', undefined],
    ])
    expect(await next()).toMatch(/^changed /)
    const [view] = app.services.kioskRoom.incidents(w.sessionId, w.rooms.r101)
    expect(view).toMatchObject({ kind: 'impersonation', status: 'confirmed', second: { userId: w.inv2.id, check: 'online' } })
    const kinds = eventsSince(app, before)
      .filter((e) => e.action.startsWith('kiosk.'))
      .map((e) => [e.action, e.outcome])
    expect(kinds).toEqual([
      ['kiosk.incident', 'ok'],
      ['kiosk.sync', 'refused'],
      ['kiosk.incident_confirm', 'ok'],
    ])
    await reader.cancel()
  })
})
