import { describe, expect, test } from 'vitest'
import type { SyncResult } from '../server/services/kiosk-sync.ts'
import { TEST_PASSWORD } from './_app.ts'
import { MINUTE, at, drive, expectStatus } from './_custody-packets.ts'
import { type KioskWorld, enrolTablet, kioskWorld, makeRecord, signedCall } from './_kiosk-sync-fixture.ts'
import { THEORY_START, eventsSince } from './_rooms-fixture.ts'

type Results = { results: Array<SyncResult & { message?: string; messageEn?: string }> }

const count = (w: KioskWorld, table: string) => w.app.services.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n

/** A world at 08:55 CST on exam day (doors open at 08:30), everyone logged in again. */
async function atTheDoor(): Promise<KioskWorld> {
  const w = await kioskWorld()
  await at(w.app, w, THEORY_START - 5 * MINUTE)
  return w
}

const admission = (w: KioskWorld, i: number, extra: Record<string, unknown> = {}) => ({
  kind: 'admission',
  sessionId: w.sessionId,
  roomId: w.candidates[i]!.roomId,
  userId: w.inv1.id,
  madeAt: w.app.clock.now,
  body: { ticketNumber: w.candidates[i]!.ticket, candidateId: w.candidates[i]!.id, idCheck: 'matched', idNumberTyped: false, verdict: 'admitted', ...extra },
})

async function sync(w: KioskWorld, records: unknown[], cookie = w.inv1.cookie, tablet = w.tablet): Promise<Results> {
  return expectStatus<Results>(await signedCall(w.app, tablet, 'POST', '/api/kiosk/sync', { cookie, body: { records } }), 200)
}

describe('idempotency by the client id alone', () => {
  test('the same record sent twice is stored once: the second answer is duplicate and appends nothing', async () => {
    const w = await atTheDoor()
    const r = await makeRecord(w.tablet, admission(w, 0))
    const from = w.app.services.log.size()
    const first = await sync(w, [r])
    expect(first.results).toEqual([{ id: r.id, status: 'stored', flags: ['offline'] }])
    const size = w.app.services.log.size()
    const second = await sync(w, [r])
    expect(second.results).toEqual([{ id: r.id, status: 'duplicate', flags: ['offline'] }])
    expect(w.app.services.log.size()).toBe(size)
    expect(count(w, 'kiosk_records')).toBe(1)
    expect(count(w, 'admissions')).toBe(1)
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['kiosk.admission'])
  })

  test('the same id with a different body is refused (kiosk.record_id_reused), logged, and changes nothing: two candidates are never merged', async () => {
    const w = await atTheDoor()
    const a = await makeRecord(w.tablet, admission(w, 0))
    await sync(w, [a])
    const b = await makeRecord(w.tablet, { ...admission(w, 1), id: a.id })
    const from = w.app.services.log.size()
    const res = await sync(w, [b])
    expect(res.results[0]).toMatchObject({ id: a.id, status: 'refused', code: 'kiosk.record_id_reused', flags: [] })
    expect(res.results[0]!.message).toBeTruthy()
    expect(res.results[0]!.messageEn).toContain('record id')
    const rows = w.app.services.db.query<{ candidate_id: string }, []>('SELECT candidate_id FROM admissions').all()
    expect(rows).toEqual([{ candidate_id: w.candidates[0]!.id }])
    const events = eventsSince(w.app, from)
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['kiosk.sync', 'refused']])
    expect(events[0]!.data).toMatchObject({ code: 'kiosk.record_id_reused' })
  })

  test('two candidates admitted under two ids are two admissions', async () => {
    const w = await atTheDoor()
    const res = await sync(w, [await makeRecord(w.tablet, admission(w, 0)), await makeRecord(w.tablet, admission(w, 1))])
    expect(res.results.map((r) => r.status)).toEqual(['stored', 'stored'])
    const rows = w.app.services.db.query<{ candidate_id: string }, []>('SELECT candidate_id FROM admissions ORDER BY candidate_id').all()
    expect(rows.map((r) => r.candidate_id)).toEqual([w.candidates[0]!.id, w.candidates[1]!.id].sort())
  })

  test('ten concurrent sends of the same batch store each record once', async () => {
    const w = await atTheDoor()
    const records = [await makeRecord(w.tablet, admission(w, 0)), await makeRecord(w.tablet, admission(w, 1)), await makeRecord(w.tablet, admission(w, 2))]
    const from = w.app.services.log.size()
    const all = await Promise.all(Array.from({ length: 10 }, () => sync(w, records)))
    for (const [i, r] of records.entries()) {
      const statuses = all.map((a) => a.results[i]!.status)
      expect(statuses.filter((s) => s === 'stored')).toHaveLength(1)
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(9)
      expect(all.every((a) => a.results[i]!.id === r.id)).toBe(true)
    }
    expect(count(w, 'kiosk_records')).toBe(3)
    expect(count(w, 'admissions')).toBe(3)
    expect(eventsSince(w.app, from).filter((e) => e.action === 'kiosk.admission')).toHaveLength(3)
  })
})

describe('offline door decisions are kept and flagged', () => {
  test('an offline admission of a ticket revoked since is stored and flagged would_refuse:revoked', async () => {
    const w = await atTheDoor()
    const r = await makeRecord(w.tablet, admission(w, 0))
    const revoked = w.app.services.tickets.revoke({ system: 'test' }, w.candidates[0]!.ticket, '退考')
    expect(revoked.ok).toBe(true)
    const res = await sync(w, [r])
    expect(res.results[0]).toEqual({ id: r.id, status: 'stored', flags: ['offline', 'would_refuse:revoked'] })
    expect(count(w, 'admissions')).toBe(1)
  })

  test('a record uploaded more than 10 minutes after it was made is late_upload; an online one is not offline', async () => {
    const w = await atTheDoor()
    const r = await makeRecord(w.tablet, { ...admission(w, 0), madeAt: w.app.clock.now - 11 * MINUTE, online: true })
    const res = await sync(w, [r])
    // 08:44 is within the doors' hours: only the lateness of the upload is flagged.
    expect(res.results[0]).toEqual({ id: r.id, status: 'stored', flags: ['late_upload'] })
  })

  test('a candidate admitted at two doors is kept twice: already_admitted, and a two_doors conflict naming both records', async () => {
    const w = await atTheDoor()
    const other = await enrolTablet(w.app, w.admin, w.siteId, '101 后门')
    const first = await makeRecord(w.tablet, admission(w, 0))
    const second = await makeRecord(other, { ...admission(w, 0), userId: w.inv2.id })
    await sync(w, [first])
    const res = await sync(w, [second], w.inv2.cookie, other)
    expect(res.results[0]).toEqual({ id: second.id, status: 'stored', flags: ['offline', 'would_refuse:already_admitted'] })
    expect(count(w, 'admissions')).toBe(2)
    const conflicts = w.app.services.db.query<{ kind: string; subject: string; record_ids: string }, []>('SELECT * FROM kiosk_conflicts').all()
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]).toMatchObject({ kind: 'two_doors', subject: w.candidates[0]!.id })
    expect(JSON.parse(conflicts[0]!.record_ids)).toEqual([first.id, second.id])
    expect(w.app.services.kioskSync.doorFacts().conflicts(w.sessionId)).toEqual([
      { roomId: w.rooms.r101, kind: 'two_doors', subject: w.candidates[0]!.id, at: w.app.clock.now, resolved: false },
    ])
  })

  test('records of a revoked device are stored, flagged and a conflict, and never applied', async () => {
    const w = await atTheDoor()
    const lost = await enrolTablet(w.app, w.admin, w.siteId, '丢失的平板')
    const r = await makeRecord(lost, admission(w, 0))
    await expectStatus(await w.app.call('POST', `/api/kiosk/devices/${lost.deviceId}/revoke`, { cookie: w.admin.cookie, body: { reason: '遗失' } }), 200)
    // The revoked tablet itself can no longer sync; its queue arrives through another tablet of the site.
    expect((await signedCall(w.app, lost, 'POST', '/api/kiosk/sync', { cookie: w.inv1.cookie, body: { records: [r] } })).status).toBe(403)
    const res = await sync(w, [r])
    expect(res.results[0]).toEqual({ id: r.id, status: 'stored', flags: ['offline', 'revoked_device'] })
    expect(count(w, 'admissions')).toBe(0)
    const c = w.app.services.db.query<{ kind: string; subject: string }, []>('SELECT kind, subject FROM kiosk_conflicts').all()
    expect(c).toEqual([{ kind: 'revoked_device', subject: lost.deviceId }])
  })

  test('each stored record is one kiosk.<kind> event with the kiosk time and the server time', async () => {
    const w = await atTheDoor()
    const madeAt = w.app.clock.now - 2 * MINUTE
    const r = await makeRecord(w.tablet, { ...admission(w, 0), madeAt })
    const from = w.app.services.log.size()
    await sync(w, [r])
    const [e] = eventsSince(w.app, from)
    expect(e).toMatchObject({
      action: 'kiosk.admission',
      subject: { type: 'kiosk_record', id: r.id },
      where: { site: w.siteId, room: w.rooms.r101 },
      data: { madeAt, receivedAt: w.app.clock.now, online: false, flags: ['offline'], candidate: w.candidates[0]!.id, device: w.tablet.deviceId },
    })
    expect(Date.parse(e!.time)).toBe(w.app.clock.now)
    const row = w.app.services.db.query<{ made_at: number; received_at: number; log_index: number }, []>('SELECT * FROM kiosk_records').get()!
    expect(row).toMatchObject({ made_at: madeAt, received_at: w.app.clock.now, log_index: from })
  })
})

describe('refusals change nothing', () => {
  test('a record whose body was changed after signing, one made by someone else, and one for a room not assigned are refused and stored nowhere', async () => {
    const w = await atTheDoor()
    const tampered = await makeRecord(w.tablet, admission(w, 0))
    tampered.body = { ...tampered.body, candidateId: w.candidates[1]!.id }
    const notYours = await makeRecord(w.tablet, { ...admission(w, 0), userId: w.inv2.id })
    const otherRoom = await makeRecord(w.tablet, { ...admission(w, 4), userId: w.inv1.id }) // candidate 4 sits in 102
    const from = w.app.services.log.size()
    const res = await sync(w, [tampered, notYours, otherRoom])
    expect(res.results.map((r) => [r.status, r.code])).toEqual([
      ['refused', 'kiosk.record_signature_invalid'],
      ['refused', 'kiosk.record_not_yours'],
      ['refused', 'scope.not_assigned'],
    ])
    expect(count(w, 'kiosk_records') + count(w, 'admissions') + count(w, 'kiosk_conflicts')).toBe(0)
    expect(eventsSince(w.app, from).map((e) => [e.action, e.outcome])).toEqual(Array(3).fill(['kiosk.sync', 'refused']))
  })

  test('a batch whose record 2 of 3 is refused stores 1 and 3, one event each, and leaves no trace of 2', async () => {
    const w = await atTheDoor()
    const first = await makeRecord(w.tablet, admission(w, 0))
    const { candidateId: _, ...noCandidate } = admission(w, 1).body
    const second = await makeRecord(w.tablet, { ...admission(w, 1), body: noCandidate })
    const third = await makeRecord(w.tablet, admission(w, 2))
    const from = w.app.services.log.size()
    const res = await sync(w, [first, second, third])
    expect(res.results.map((r) => [r.id, r.status, r.code])).toEqual([
      [first.id, 'stored', undefined],
      [second.id, 'refused', 'kiosk.record_invalid'],
      [third.id, 'stored', undefined],
    ])
    const ids = (sql: string) =>
      w.app.services.db
        .query<{ id: string }, []>(sql)
        .all()
        .map((x) => x.id)
    expect(ids('SELECT id FROM kiosk_records ORDER BY rowid')).toEqual([first.id, third.id])
    expect(ids('SELECT record_id AS id FROM admissions ORDER BY rowid')).toEqual([first.id, third.id])
    expect(count(w, 'kiosk_conflicts')).toBe(0)
    // Each stored record is one kiosk.admission event pointing at it; the refused one only its refusal, in its place.
    const events = eventsSince(w.app, from)
    expect(events.map((e) => [e.action, e.outcome, e.subject?.id])).toEqual([
      ['kiosk.admission', 'ok', first.id],
      ['kiosk.sync', 'refused', second.id],
      ['kiosk.admission', 'ok', third.id],
    ])
    const rows = w.app.services.db.query<{ id: string; log_index: number }, []>('SELECT id, log_index FROM kiosk_records ORDER BY rowid').all()
    expect(rows).toEqual([
      { id: first.id, log_index: from },
      { id: third.id, log_index: from + 2 },
    ])
    // The refused id was never stored: sent again whole, it is a new record (refused again), the others duplicates.
    const again = await sync(w, [first, second, third])
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'refused', 'duplicate'])
  })

  test('what a handler wrote before refusing is rolled back with its record (a savepoint per record); its neighbours are kept', async () => {
    const w = await atTheDoor()
    const s = w.app.services
    // A kind that writes first and then refuses: only the service can be sent it (the route's schema knows the six kinds).
    s.kioskSync.register('probe_writes_then_refuses', (_ctx, r) => {
      s.db
        .query('INSERT INTO kiosk_conflicts (id, session_id, room_id, kind, subject, record_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(`probe-${r.id}`, r.sessionId, r.roomId, 'two_doors', 'probe', '[]', 0)
      s.log.append({ actor: { system: 'probe' }, action: 'kiosk.probe', data: {} })
      return { ok: false, error: { code: 'kiosk.record_invalid' } }
    })
    const first = await makeRecord(w.tablet, admission(w, 0))
    const probe = await makeRecord(w.tablet, { ...admission(w, 1), kind: 'probe_writes_then_refuses' })
    const third = await makeRecord(w.tablet, admission(w, 2))
    const person = { user: w.inv1.id, name: w.inv1.username, roles: ['invigilator'] }
    const from = s.log.size()
    const results = s.kioskSync.sync(person, s.kioskDevices.device(w.tablet.deviceId)!, [first, probe, third])
    expect(results.map((r) => r.status)).toEqual(['stored', 'refused', 'stored'])
    expect(count(w, 'kiosk_conflicts')).toBe(0)
    expect(count(w, 'kiosk_records')).toBe(2)
    expect(eventsSince(w.app, from).map((e) => [e.action, e.outcome])).toEqual([
      ['kiosk.admission', 'ok'],
      ['kiosk.sync', 'refused'],
      ['kiosk.admission', 'ok'],
    ])
    expect(s.log.verifyStored()).toMatchObject({ ok: true })
  })

  test('without the device signature the sync is refused before anything is read', async () => {
    const w = await atTheDoor()
    const r = await makeRecord(w.tablet, admission(w, 0))
    const res = await w.app.call('POST', '/api/kiosk/sync', { cookie: w.inv1.cookie, body: { records: [r] } })
    expect(res.status).toBe(401)
    expect(count(w, 'kiosk_records')).toBe(0)
  })

  test('a sync of 31 records with a 300 KB photo each is not held to the 1 MiB JSON limit', async () => {
    const w = await atTheDoor()
    const photo = 'A'.repeat(400_000) // 300 KB as base64
    const records = []
    for (let i = 0; i < 31; i++) records.push(await makeRecord(w.tablet, admission(w, i % 4, { photo })))
    const res = await sync(w, records)
    expect(res.results).toHaveLength(31)
    expect(res.results.filter((r) => r.status === 'stored')).toHaveLength(31)
  })
})

describe('packets opened at the door', () => {
  async function received(): Promise<KioskWorld & { seal: string }> {
    const w = await kioskWorld()
    await drive(w.app, w, w.p101, 'received')
    await at(w.app, w, THEORY_START - 10 * MINUTE)
    return { ...w, seal: w.store.packet(w.p101.id)!.sealNumber! }
  }
  const confirm = async (w: KioskWorld, username: string, password = TEST_PASSWORD) =>
    signedCall(w.app, w.tablet, 'POST', '/api/kiosk/confirmations', { cookie: w.inv1.cookie, body: { username, password, purpose: 'packet_open' } })
  const opening = (w: KioskWorld, sealSeen: string, second: Record<string, unknown>, userId = w.inv1.id) => ({
    kind: 'packet_open',
    sessionId: w.sessionId,
    roomId: w.rooms.r101,
    userId,
    madeAt: w.app.clock.now,
    body: { packetId: w.p101.id, sealSeen, second },
  })

  test('an opening with the second invigilator confirmed online opens the packet through custody, in the same transaction as the record', async () => {
    const w = await received()
    const token = await expectStatus<{ userId: string; displayName: string; token: string }>(await confirm(w, w.inv2.username), 200)
    expect(token.userId).toBe(w.inv2.id)
    const r = await makeRecord(w.tablet, { ...opening(w, w.seal, { userId: w.inv2.id, check: 'online', token: token.token }), online: true })
    const from = w.app.services.log.size()
    const res = await sync(w, [r])
    expect(res.results[0]).toEqual({ id: r.id, status: 'stored', flags: [] })
    expect(w.store.packet(w.p101.id)!.state).toBe('opened')
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['custody.packet.opened', 'kiosk.packet_open'])
  })

  test('a forged or expired confirmation token is refused and the packet stays closed', async () => {
    const w = await received()
    const { token } = await expectStatus<{ token: string }>(await confirm(w, w.inv2.username), 200)
    const forged = await makeRecord(w.tablet, opening(w, w.seal, { userId: w.inv1.id, check: 'online', token }))
    const late = await makeRecord(w.tablet, { ...opening(w, w.seal, { userId: w.inv2.id, check: 'online', token }), madeAt: w.app.clock.now + 11 * MINUTE })
    const res = await sync(w, [forged, late])
    expect(res.results.map((r) => r.code)).toEqual(['kiosk.confirmation_invalid', 'kiosk.confirmation_invalid'])
    expect(w.store.packet(w.p101.id)!.state).toBe('received')
  })

  test('a wrong password at the confirmation is counted like a failed login', async () => {
    const w = await received()
    const res = await confirm(w, w.inv2.username, 'not the password at all')
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('witness.invalid_credentials')
    const failures = w.app.services.accounts.securityEvents(0, 10)
    expect(failures.some((f) => JSON.stringify(f).includes(w.inv2.username))).toBe(true)
  })

  test('a packet opened twice keeps both records: the second is flagged and an opened_twice conflict', async () => {
    const w = await received()
    const first = await makeRecord(w.tablet, opening(w, w.seal, { userId: w.inv2.id, check: 'offline' }))
    const other = await enrolTablet(w.app, w.admin, w.siteId, '101 后门')
    const second = await makeRecord(other, opening(w, w.seal, { userId: w.inv1.id, check: 'offline' }, w.inv2.id))
    expect((await sync(w, [first])).results[0]).toEqual({ id: first.id, status: 'stored', flags: ['offline', 'offline_confirm'] })
    expect(w.store.packet(w.p101.id)!.state).toBe('opened')
    const res = await sync(w, [second], w.inv2.cookie, other)
    expect(res.results[0]).toEqual({ id: second.id, status: 'stored', flags: ['offline', 'offline_confirm', 'would_refuse:packet.wrong_state'] })
    const c = w.app.services.db.query<{ kind: string; subject: string; record_ids: string }, []>('SELECT * FROM kiosk_conflicts').all()
    expect(c.map((x) => [x.kind, x.subject, JSON.parse(x.record_ids)])).toEqual([['opened_twice', w.p101.id, [first.id, second.id]]])
  })

  test('a seal typed offline that does not match is kept, raises the supervisors’ seal alert as online, and leaves the packet closed', async () => {
    const w = await received()
    const r = await makeRecord(w.tablet, opening(w, 'WRONG-SEAL-1', { userId: w.inv2.id, check: 'offline' }))
    const from = w.app.services.log.size()
    const res = await sync(w, [r])
    expect(res.results[0]!.flags).toContain('would_refuse:packet.seal_mismatch')
    expect(w.store.packet(w.p101.id)!.state).toBe('received')
    const events = eventsSince(w.app, from)
    expect(events.map((e) => e.action)).toEqual(['custody.alert.seal_mismatch', 'kiosk.packet_open'])
    expect(events[0]!.data).toMatchObject({ expected: w.seal, seen: 'WRONG-SEAL-1' })
    expect(w.app.services.custody.alerts(true).map((a) => a.kind)).toContain('seal_mismatch')
    const c = w.app.services.db.query<{ kind: string }, []>('SELECT kind FROM kiosk_conflicts').all()
    expect(c).toEqual([{ kind: 'seal_mismatch' }])
  })
})
