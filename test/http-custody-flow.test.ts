import { describe, expect, test } from 'vitest'
import type { Handover, Packet } from '../server/domain/custody/index.ts'
import { makeTestApp } from './_app.ts'
import { MINUTE, THEORY_START, at, custodyWorld, drive, expectStatus, witness } from './_custody-packets.ts'
import { eventsSince } from './_rooms-fixture.ts'

describe('a packet from the printer to the shredder, through the HTTP API', () => {
  test('each step moves the packet along the table, with its event, holder and seal', async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    const id = w.p101.id
    const move = (cookie: string, body: unknown) => app.call('POST', `/api/packets/${id}/moves`, { cookie, body })

    // R5.3: sealed with a witness; the seal number is normalised.
    let from = app.services.log.size()
    let p = (
      await expectStatus<{ packet: Packet }>(await move(w.printer.cookie, { action: 'seal', sealNumber: ' seal-101 ', witness: witness(w.keeper) }), 200)
    ).packet
    expect(p).toMatchObject({ state: 'sealed', sealNumber: 'SEAL-101', seals: ['SEAL-101'], holder: { userId: w.printer.id } })
    expect(eventsSince(app, from).map((e) => [e.action, e.actor])).toEqual([
      ['custody.packet.sealed', { user: w.printer.id, name: w.printer.username, roles: ['custodian'] }],
    ])
    expect(eventsSince(app, from)[0]!.data).toMatchObject({
      paperId: w.paperA.id,
      from: 'printed',
      to: 'sealed',
      witness: w.keeper.id,
      people: [w.printer.id, w.keeper.id],
    })

    // Into the vault: two keyholders, the seal read off the packet.
    p = (await expectStatus<{ packet: Packet }>(await move(w.printer.cookie, { action: 'store', sealSeen: 'SEAL-101', witness: witness(w.keeper) }), 200))
      .packet
    expect(p).toMatchObject({ state: 'in_vault', holder: { place: 'vault' } })

    // Issue: offered by the keeper, confirmed by the invigilator with their own login.
    from = app.services.log.size()
    const offer = await expectStatus<Handover>(
      await app.call('POST', `/api/packets/${id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver: w.inv1.username, place: '保密室', sealSeen: 'SEAL-101', condition: 'intact' },
      }),
      201,
    )
    expect(offer).toMatchObject({ state: 'offered', giver: w.keeper.id, receiver: w.inv1.id, fromState: 'in_vault', giverSealSeen: 'SEAL-101' })
    const waiting = await expectStatus<{ handovers: Handover[] }>(await app.call('GET', '/api/handovers?mine=1', { cookie: w.inv1.cookie }), 200)
    expect(waiting.handovers.map((h) => h.id)).toEqual([offer.id])
    const view = await expectStatus<{
      pendingHandover: Handover | null
      moves: Array<{ action: string }>
      place: Record<string, { id: string; name?: string } | null>
    }>(await app.call('GET', `/api/packets/${id}`, { cookie: w.keeper.cookie }), 200)
    expect(view.pendingHandover?.id).toBe(offer.id)
    // The packet's own room and session by name, for custodians who may not list a session's rooms.
    expect(view.place).toMatchObject({ room: { id: w.rooms.r101, name: '101' }, session: { id: w.sessionId, startsAt: THEORY_START } })
    expect(view.place.site?.name).toMatch(/^考点/)
    const list = await expectStatus<{ packets: Packet[]; rooms: Record<string, string> }>(
      await app.call('GET', `/api/packets?sessionId=${w.sessionId}`, { cookie: w.keeper.cookie }),
      200,
    )
    expect(list.rooms).toEqual({ [w.rooms.r101]: `${view.place.site!.name} 101`, [w.rooms.r102]: `${view.place.site!.name} 102` })
    expect(view.moves.map((m) => m.action).sort()).toEqual(['archive', 'issue', 'void'])
    const confirmed = await expectStatus<{ packet: Packet; handover: Handover }>(
      await app.call('POST', `/api/handovers/${offer.id}/confirm`, {
        cookie: w.inv1.cookie,
        body: { sealSeen: 'seal-101', condition: 'intact' },
      }),
      200,
    )
    // The receiver is also one of the room's openers: the seal stays hidden from them until the opening (006).
    expect(confirmed.packet).toMatchObject({ state: 'issued', holder: { userId: w.inv1.id }, sealNumber: null, sealHidden: true })
    expect(confirmed.handover).toMatchObject({ state: 'confirmed', receiverSealSeen: null, receiverCondition: 'intact' })
    expect(app.services.custody.handover(offer.id)).toMatchObject({ receiverSealSeen: 'SEAL-101' }) // recorded as typed
    expect(eventsSince(app, from).map((e) => e.action)).toEqual(['custody.handover.offered', 'custody.packet.issued'])
    expect(eventsSince(app, from)[1]!).toMatchObject({
      actor: { user: w.inv1.id },
      data: { giver: w.keeper.id, receiver: w.inv1.id, place: '保密室', holder: { userId: w.inv1.id } },
    })

    // At the site, the room's second invigilator receives it; 10 minutes before the start both open it.
    p = await drive(app, w, app.services.custody.packet(id)!, 'received')
    expect(p).toMatchObject({ state: 'received', holder: { userId: w.inv2.id } })
    await at(app, w, THEORY_START - 10 * MINUTE)
    p = (
      await expectStatus<{ packet: Packet }>(
        await app.call('POST', `/api/packets/${id}/open`, {
          cookie: w.inv2.cookie,
          body: { sealSeen: 'SEAL-101', second: witness(w.inv1) },
        }),
        200,
      )
    ).packet
    expect(p).toMatchObject({ state: 'opened', sealNumber: null, holder: { place: `room:${w.rooms.r101}` }, openedBy: [w.inv2.id, w.inv1.id] })

    // After the session: counted (balanced), resealed, returned to the keeper, reconciled, archived.
    await at(app, w, THEORY_START + 2 * 3600_000)
    const rec = await expectStatus<{ packet: Packet; incident: unknown }>(
      await app.call('POST', `/api/packets/${id}/recover`, {
        cookie: w.inv1.cookie,
        body: { counts: { used: 27, blank: 3, spoiled: 0, answerSheets: 30, scratchPaper: 60 } },
      }),
      200,
    )
    expect(rec.incident).toBeNull()
    expect(rec.packet.recovery).toMatchObject({ balanced: true, difference: { copies: 0, answerSheets: 0, scratchPaper: 0 } })
    p = (await expectStatus<{ packet: Packet }>(await move(w.inv1.cookie, { action: 'reseal', sealNumber: 'SEAL-101-R', witness: witness(w.inv2) }), 200))
      .packet
    expect(p).toMatchObject({ state: 'recovered', sealNumber: 'SEAL-101-R', seals: ['SEAL-101', 'SEAL-101-R'], holder: { userId: w.inv1.id } })
    const ret = await expectStatus<Handover>(
      await app.call('POST', `/api/packets/${id}/handovers`, {
        cookie: w.inv1.cookie,
        body: { action: 'return', receiver: w.keeper.username, place: '考务办公室', sealSeen: 'SEAL-101-R', condition: 'intact' },
      }),
      201,
    )
    await expectStatus(
      await app.call('POST', `/api/handovers/${ret.id}/confirm`, { cookie: w.keeper.cookie, body: { sealSeen: 'SEAL-101-R', condition: 'intact' } }),
      200,
    )
    p = (await expectStatus<{ packet: Packet }>(await move(w.keeper.cookie, { action: 'reconcile', sealSeen: 'SEAL-101-R' }), 200)).packet
    expect(p.state).toBe('reconciled')
    p = (await expectStatus<{ packet: Packet }>(await move(w.keeper.cookie, { action: 'archive', witness: witness(w.sup1) }), 200)).packet
    // R5.5: kept through exam date + 3 years, disposable from the next CST day.
    expect(p).toMatchObject({
      state: 'archived',
      holder: { place: 'archive' },
      retention: { examDate: '2026-12-12', keptUntil: '2029-12-12', disposableFrom: '2029-12-13' },
    })

    // R5.5: not due on the last day of keeping (23:59:59.999 CST), due from 00:00 CST the day after.
    expect(app.services.custody.disposalsDue(Date.parse('2029-12-12T15:59:59.999Z')).packets).toEqual([])
    expect(app.services.custody.disposalsDue(Date.parse('2029-12-12T16:00:00.000Z'))).toMatchObject({ today: '2029-12-13', packets: [{ id }] })
  })

  test('a witnessed disposal list destroys archived packets whose 3 years are over; one packet not yet due refuses the whole list', async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    await drive(app, w, w.p101, 'in_vault')
    await drive(app, w, w.p102, 'in_vault')
    // An exam of May 2023: its unused packets were kept in the vault, archived, and are due from 2026-05-11.
    app.services.db.run('UPDATE exam_sessions SET starts_at = ? WHERE id = ?', [Date.parse('2023-05-10T01:00:00Z'), w.sessionId])
    const archive = (id: string) =>
      app.call('POST', `/api/packets/${id}/moves`, { cookie: w.keeper.cookie, body: { action: 'archive', witness: witness(w.sup1) } })
    const archived = (await expectStatus<{ packet: Packet }>(await archive(w.p101.id), 200)).packet
    expect(archived.retention).toEqual({ examDate: '2023-05-10', keptUntil: '2026-05-10', disposableFrom: '2026-05-11' })
    expect(
      (await expectStatus<{ packets: Packet[] }>(await app.call('GET', '/api/disposals/due', { cookie: w.sup1.cookie }), 200)).packets.map((p) => p.id),
    ).toEqual([w.p101.id])

    // p102 is still in the vault: the list is refused whole and p101 stays archived.
    const size = app.services.log.size()
    const dispose = (packetIds: string[]) =>
      app.call('POST', '/api/disposals', { cookie: w.keeper.cookie, body: { packetIds, method: '碎纸机粉碎', witness: witness(w.sup2) } })
    expect((await expectStatus<{ error: { code: string } }>(await dispose([w.p101.id, w.p102.id]), 409)).error.code).toBe('packet.wrong_state')
    expect(app.services.custody.packet(w.p101.id)!.state).toBe('archived')
    expect(app.services.log.size()).toBe(size + 1)

    const from = app.services.log.size()
    const disposed = await expectStatus<{ list: { id: string; packetIds: string[]; witnessedBy: string }; packets: Packet[] }>(await dispose([w.p101.id]), 201)
    expect(disposed.list).toMatchObject({ packetIds: [w.p101.id], witnessedBy: w.sup2.id })
    expect(disposed.packets[0]).toMatchObject({ state: 'destroyed', holder: { place: 'destroyed' } })
    expect(eventsSince(app, from).map((e) => e.action)).toEqual(['custody.disposal.listed', 'custody.packet.destroyed'])
    expect(eventsSince(app, from)[0]!).toMatchObject({
      subject: { type: 'disposal', id: disposed.list.id },
      data: { method: '碎纸机粉碎', witness: w.sup2.id },
    })
    expect(app.services.custody.packet(w.p101.id)!.state).toBe('destroyed')
  })

  test('the giver may withdraw an open offer and the receiver may decline one; the packet stays where it was', async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    await drive(app, w, w.p101, 'in_vault')
    const offer = (receiver: string) =>
      app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver, place: '保密室', sealSeen: `S${w.p101.id.toUpperCase()}`, condition: 'intact' },
      })
    const first = await expectStatus<Handover>(await offer(w.inv1.username), 201)
    // One open offer per packet.
    expect((await expectStatus<{ error: { code: string } }>(await offer(w.inv2.username), 409)).error.code).toBe('handover.already_pending')
    const declined = await expectStatus<Handover>(
      await app.call('POST', `/api/handovers/${first.id}/decline`, { cookie: w.inv1.cookie, body: { reason: '不是我的考场' } }),
      200,
    )
    expect(declined).toMatchObject({ state: 'declined', closeReason: '不是我的考场' })
    const second = await expectStatus<Handover>(await offer(w.inv2.username), 201)
    const cancelled = await expectStatus<Handover>(
      await app.call('POST', `/api/handovers/${second.id}/decline`, { cookie: w.keeper.cookie, body: { reason: '发错人' } }),
      200,
    )
    expect(cancelled.state).toBe('cancelled')
    expect(app.services.custody.packet(w.p101.id)).toMatchObject({ state: 'in_vault', holder: { place: 'vault' } })
    expect((await expectStatus<{ handovers: Handover[] }>(await app.call('GET', '/api/handovers?mine=1', { cookie: w.inv2.cookie }), 200)).handovers).toEqual(
      [],
    )
  })

  test('invigilators see only the packets of their rooms; custodians and supervisors see all', async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    const ids = async (cookie: string) =>
      (await expectStatus<{ packets: Packet[] }>(await app.call('GET', `/api/packets?paperId=${w.paperA.id}`, { cookie }), 200)).packets.map((p) => p.id)
    expect(await ids(w.inv1.cookie)).toEqual([w.p101.id])
    expect(await ids(w.inv3.cookie)).toEqual([w.p102.id])
    expect(await ids(w.keeper.cookie)).toEqual([w.p101.id, w.p102.id])
    expect(await ids(w.sup1.cookie)).toEqual([w.p101.id, w.p102.id])
    expect((await expectStatus<{ packets: Packet[] }>(await app.call('GET', `/api/packets?state=sealed`, { cookie: w.keeper.cookie }), 200)).packets).toEqual(
      [],
    )
    const size = app.services.log.size()
    const res = await app.call('GET', `/api/packets/${w.p102.id}`, { cookie: w.inv1.cookie })
    expect((await expectStatus<{ error: { code: string } }>(res, 403)).error.code).toBe('scope.not_assigned')
    expect(app.services.log.entry(size)!.event).toMatchObject({ outcome: 'refused', subject: { type: 'packet', id: w.p102.id } })
    expect((await expectStatus<{ error: { code: string } }>(await app.call('GET', '/api/packets/nope', { cookie: w.keeper.cookie }), 404)).error.code).toBe(
      'packet.not_found',
    )
  })
})
