import jpeg from 'jpeg-js'
import { describe, expect, expectTypeOf, test } from 'vitest'
import type { z } from '@hono/zod-openapi'
import type { KioskRecord, RoomPackage as BrowserPackage, SyncResult as BrowserSyncResult } from '../kiosk/src/_kiosk-types.ts'
import { CandidateStore } from '../server/db/candidate-store.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import { KioskRecordSchema, RoomPackageSchema, SyncResultSchema } from '../server/http/kiosk/index.ts'
import { rosterPhoto, scaleDown } from '../server/services/_kiosk-photo.ts'
import type { RoomPackage } from '../server/services/kiosk-sync.ts'
import { drive, expectStatus } from './_custody-packets.ts'
import { type KioskWorld, kioskWorld, signedCall } from './_kiosk-sync-fixture.ts'
import { THEORY_START } from './_rooms-fixture.ts'

const path = (w: KioskWorld, room: string, session = w.sessionId) =>
  `/api/kiosk/package?session=${encodeURIComponent(session)}&room=${encodeURIComponent(room)}`
const get = (w: KioskWorld, cookie: string, room: string, session?: string) => signedCall(w.app, w.tablet, 'GET', path(w, room, session), { cookie })

/** The decoded size of a roster photo. */
const jpegSize = (dataUrl: string) => {
  expect(dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true)
  const img = jpeg.decode(Buffer.from(dataUrl.slice('data:image/jpeg;base64,'.length), 'base64'))
  return { width: img.width, height: img.height }
}

describe('scope', () => {
  test('an invigilator of another room is refused without learning anything: the same answer as for a session that does not exist', async () => {
    const w = await kioskWorld()
    const other = await get(w, w.inv3.cookie, w.rooms.r101)
    const none = await get(w, w.inv3.cookie, w.rooms.r101, 'no-such-session')
    expect(other.status).toBe(403)
    expect(none.status).toBe(403)
    const [a, b] = [(await other.json()) as { error: { code: string; details: unknown } }, (await none.json()) as { error: { code: string } }]
    expect(a.error.code).toBe('scope.not_assigned')
    expect(b.error.code).toBe('scope.not_assigned')
    expect(JSON.stringify(a)).not.toContain(w.candidates[0]!.ticket)
    expect(JSON.stringify(a)).not.toContain('101')
  })

  test('the room’s invigilator and any supervisor get the package; without the device signature nobody does', async () => {
    const w = await kioskWorld()
    const mine = await expectStatus<RoomPackage>(await get(w, w.inv1.cookie, w.rooms.r101), 200)
    expect(RoomPackageSchema.safeParse(mine).success).toBe(true)
    expect(mine.room).toEqual({ id: w.rooms.r101, name: '101' })
    expect(mine.rooms.map((r) => r.name).sort()).toEqual(['101', '102'])
    expect(mine.roster.map((r) => [r.seat, r.ticketNumber, r.candidateId])).toEqual(w.candidates.slice(0, 4).map((c) => [c.seat, c.ticket, c.id]))
    expect(mine.staff.map((s) => s.userId).sort()).toEqual([w.inv1.id, w.inv2.id].sort())
    expect(mine.keys).toEqual(w.app.services.ticketKeys.keysForSession(w.sessionId))
    expect(mine.keys.length).toBeGreaterThan(0)
    expect(mine.revocations.note).toContain('\n\u2014 ')
    expect(mine.session).toMatchObject({
      startsAt: THEORY_START,
      doorsOpenAt: THEORY_START - 30 * 60_000,
      lateUntil: THEORY_START + 15 * 60_000,
      status: 'scheduled',
    })
    expect(mine.scoreItems).toEqual([])
    const sup = await get(w, w.sup1.cookie, w.rooms.r102)
    expect(sup.status).toBe(200)
    const unsigned = await w.app.call('GET', path(w, w.rooms.r101), { cookie: w.inv1.cookie })
    expect(unsigned.status).toBe(401)
  })

  test('a revoked ticket leaves the roster and appears in the signed revocation list', async () => {
    const w = await kioskWorld()
    w.app.services.tickets.revoke({ system: 'test' }, w.candidates[1]!.ticket, '退考')
    const pkg = await expectStatus<RoomPackage>(await get(w, w.inv1.cookie, w.rooms.r101), 200)
    expect(pkg.roster.map((r) => r.candidateId)).not.toContain(w.candidates[1]!.id)
    expect(pkg.revocations.numbers).toEqual([w.candidates[1]!.ticket])
  })
})

describe('no seal numbers', () => {
  test('a sealed, issued packet of the room is listed without its seal anywhere in the JSON', async () => {
    const w = await kioskWorld()
    await drive(w.app, w, w.p101, 'issued')
    const seal = w.store.packet(w.p101.id)!.sealNumber!
    expect(seal).toBeTruthy()
    for (const who of [w.inv1, w.sup1]) {
      const res = await get(w, who.cookie, w.rooms.r101)
      const text = await res.clone().text()
      expect(res.status).toBe(200)
      expect(text).not.toContain(seal)
      expect(text.toLowerCase()).not.toContain('seal')
      const pkg = JSON.parse(text) as RoomPackage
      expect(pkg.packets).toEqual([
        { id: w.p101.id, label: expect.stringContaining('101'), paper: w.paperA.title, state: 'issued', copyFirst: 1, copyLast: 30 },
      ])
    }
  })
})

describe('size', () => {
  test('a 30-seat package with a photo for everyone stays under 1 MB; photos are JPEG at most 240 px high', async () => {
    const w = await kioskWorld({ candidates: 30, in101: 30 })
    const store = new CandidateStore(w.app.services.db)
    // Registration's photos are at least 240×320; give every candidate a large one, a third of them as JPEG.
    w.candidates.forEach((c, i) => {
      const png = makeDemoPhotoPng(600, 800, i + 1, c.id)
      if (i % 3 === 0) {
        const rgba = scaleDown({ width: 600, height: 800, data: new Uint8Array(600 * 800 * 4).fill(200) }, 800)
        store.setPhoto(c.id, jpeg.encode({ ...rgba }, 90).data, 'image/jpeg', w.app.clock.now)
      } else store.setPhoto(c.id, png, 'image/png', w.app.clock.now)
    })
    const res = await get(w, w.inv1.cookie, w.rooms.r101)
    const text = await res.text()
    expect(res.status).toBe(200)
    const pkg = JSON.parse(text) as RoomPackage
    expect(pkg.roster).toHaveLength(30)
    for (const r of pkg.roster) {
      const size = jpegSize(r.photo!)
      expect(size.height).toBe(240)
      expect(size.width).toBe(180)
    }
    expect(new TextEncoder().encode(text).length).toBeLessThan(1_000_000)
  })

  test('a small photo is not enlarged; unreadable bytes give no photo rather than a broken one', () => {
    expect(jpegSize(rosterPhoto(makeDemoPhotoPng(60, 80, 1), 'image/png')!)).toEqual({ width: 60, height: 80 })
    expect(rosterPhoto(new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]), 'image/jpeg')).toBeNull()
  })
})

describe('practical sessions', () => {
  test('a practical session scores its subject out of the subject’s maximum', async () => {
    const w = await kioskWorld()
    const practical = w.sessionId.replace('-theory', '-practical')
    w.app.services.db.run('INSERT INTO session_rooms (exam_session_id, room_id) VALUES (?, ?)', [practical, w.rooms.r101])
    w.app.services.db.run(
      `INSERT INTO staff_assignments (id, exam_session_id, room_id, user_id, duty, created_at) VALUES ('sa-ex', ?, ?, ?, 'invigilator', 0)`,
      [practical, w.rooms.r101, w.inv1.id],
    )
    const pkg = await expectStatus<RoomPackage>(await get(w, w.inv1.cookie, w.rooms.r101, practical), 200)
    expect(pkg.scoreItems).toEqual([{ id: 'subj-practical', name: '操作技能', max: 100 }])
  })
})

describe('the zod schemas describe the browser’s types (kiosk/src/_kiosk-types.ts)', () => {
  test('package, record and sync result: the same shapes (checked by the type checker)', () => {
    expectTypeOf<z.infer<typeof RoomPackageSchema>>().toEqualTypeOf<BrowserPackage>()
    expectTypeOf<z.infer<typeof KioskRecordSchema>>().toEqualTypeOf<KioskRecord>()
    expectTypeOf<z.infer<typeof SyncResultSchema>>().toEqualTypeOf<BrowserSyncResult>()
  })
})
