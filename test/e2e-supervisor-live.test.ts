// The supervisors' live page (/supervisor/live) in headless Chromium: the session's rooms with admitted/expected
// and incidents, then a stored kiosk record updates the open page through the event stream, without a reload.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type ServedApp, describeBrowser, launchBrowser, loggedInPage, serveApp } from './_browser.ts'
import { attach, makeRooms, addCandidates, seedLifecycle, THEORY_START } from './_rooms-fixture.ts'
import type { RoomRecord } from '../server/services/kiosk-room.ts'

describeBrowser('supervisor live page in Chromium', () => {
  let browser: Browser
  let served: ServedApp

  beforeAll(async () => {
    browser = await launchBrowser()
    served = serveApp()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('rooms with their counts; a stored incident shows up live', async () => {
    const app = served.custody
    const reg = await app.userWith(['registrar'])
    const f = seedLifecycle(app)
    const { rooms } = await makeRooms(app, reg.cookie, [
      { name: '101', kind: 'theory', capacity: 30 },
      { name: '102', kind: 'theory', capacity: 30 },
    ])
    await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!, rooms['102']!])
    addCandidates(app, f.batchId, 40)
    expect((await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })).status).toBe(200)
    const inv = await app.userWith(['invigilator'])
    expect(
      (
        await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
          cookie: reg.cookie,
          body: { userId: inv.id, duty: 'invigilator', roomId: rooms['101'] },
        })
      ).status,
    ).toBe(201)
    const sup = await app.userWith(['supervisor'], 'live.du')

    const { page, problems, context } = await loggedInPage(browser, served, sup.username, { next: `/supervisor/live?session=${f.sessions.theory}` })
    const row = page.locator(`tr[data-room="${rooms['101']}"]`)
    await expect.poll(() => row.count()).toBe(1)
    await expect.poll(() => page.locator('#live-state').getAttribute('data-state')).toBe('live')
    expect(await row.locator('[data-incidents]').getAttribute('data-incidents')).toBe('0')

    const cand = app.services.db
      .query<{ candidate_id: string }, [string, string]>('SELECT candidate_id FROM seats WHERE exam_session_id = ? AND room_id = ? LIMIT 1')
      .get(f.sessions.theory, rooms['101']!)!.candidate_id
    const record: RoomRecord = {
      id: '00000000-0000-4000-8000-00000000e2e1',
      kind: 'incident',
      deviceId: 'dev-1',
      sessionId: f.sessions.theory,
      roomId: rooms['101']!,
      userId: inv.id,
      madeAt: Date.now(),
      online: true,
      body: { candidateId: cand, kind: 'copying', at: THEORY_START + 60_000, description: '抄袭' },
      signature: 'sig',
    }
    const r = app.services.kioskRoom.inTransaction(() =>
      app.services.kioskRoom.handlers.incident(
        { now: Date.now(), person: { user: inv.id, name: inv.username, roles: ['invigilator'] }, device: { id: 'dev-1' }, checkConfirmation: () => 'online' },
        record,
      ),
    )
    expect(r.ok).toBe(true)
    app.services.kioskRoom.events.emit(f.sessions.theory)
    await expect.poll(() => row.locator('[data-incidents]').getAttribute('data-incidents')).toBe('1')
    expect(problems.unexpected()).toEqual([])
    await context.close()
    // The server notices a closed connection at the latest when the next heartbeat cannot be written.
    await expect.poll(() => app.services.kioskRoom.events.count(), { timeout: 30_000 }).toBe(0)
  }, 90_000)
})
