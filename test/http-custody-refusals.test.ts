import { describe, expect, test } from 'vitest'
import type { Handover, Packet } from '../server/domain/custody/index.ts'
import { makeTestApp, type TestApp } from './_app.ts'
import { type CustodyWorld, MINUTE, THEORY_START, at, custodyWorld, drive, expectStatus, witness } from './_custody-packets.ts'
import { eventsSince } from './_rooms-fixture.ts'

type ErrorBody = { error: { code: string; message: string; messageEn: string; details?: Record<string, unknown> } }

/** Everything a packet refusal must leave alone: packets, seals, handovers, incidents, alerts. */
function records(app: TestApp): string {
  const db = app.services.db
  return JSON.stringify(
    ['packets', 'seal_numbers', 'handovers', 'custody_incidents', 'disposal_lists'].map((t) => db.query(`SELECT * FROM ${t} ORDER BY 1`).all()),
  )
}

/** Expects a refusal with this status and code that changed no record and logged exactly `events` (the refusal, and an alert if any). */
async function refused(app: TestApp, res: Promise<Response>, status: number, code: string, events = 1): Promise<ErrorBody> {
  const before = records(app),
    size = app.services.log.size()
  const body = await expectStatus<ErrorBody>(await res, status)
  expect(body.error.code).toBe(code)
  expect(records(app)).toBe(before)
  expect(app.services.log.size()).toBe(size + events)
  const last = app.services.log.entry(app.services.log.size() - 1)!.event
  expect(last).toMatchObject({ outcome: 'refused', data: { code } })
  return body
}

const alertRows = (app: TestApp) =>
  app.services.db.query('SELECT kind, log_index, subject_type, subject_id FROM custody_alerts ORDER BY log_index').all() as Array<{
    kind: string
    log_index: number
    subject_type: string
    subject_id: string
  }>

async function world(): Promise<{ app: TestApp; w: CustodyWorld; move: (cookie: string, body: unknown, id?: string) => Promise<Response> }> {
  const app = makeTestApp()
  const w = await custodyWorld(app)
  const move = (cookie: string, body: unknown, id = w.p101.id) => Promise.resolve(app.call('POST', `/api/packets/${id}/moves`, { cookie, body }))
  return { app, w, move }
}

describe('seals and damage (R5.3): a mismatch blocks the step and alerts supervisors', () => {
  test('a seal number that does not match is refused without echoing the expected seal, changes nothing, and raises an alert with both that a supervisor can acknowledge once', async () => {
    const { app, w, move } = await world()
    await drive(app, w, w.p101, 'sealed')
    const size = app.services.log.size()
    // Two events: the alert (its own transaction), then the logged refusal.
    const body = await refused(
      app,
      move(w.printer.cookie, { action: 'store', sealSeen: 'SEAL-9999', witness: witness(w.keeper) }),
      409,
      'packet.seal_mismatch',
      2,
    )
    // A blind check: the refusal never echoes the expected seal, nor does the refusal logged for it (006).
    expect(body.error.details).toEqual({ code: 'packet.seal_mismatch', packetId: w.p101.id, seen: 'SEAL-9999', seenBy: w.printer.id })
    expect(JSON.stringify(body)).not.toContain(`S${w.p101.id.toUpperCase()}`)
    expect(JSON.stringify(app.services.log.entry(size + 1)!.event)).not.toContain(`S${w.p101.id.toUpperCase()}`)
    // Supervisors see expected beside seen in their alert.
    const alert = app.services.log.entry(size)!.event
    expect(alert).toMatchObject({
      action: 'custody.alert.seal_mismatch',
      outcome: 'ok',
      subject: { type: 'packet', id: w.p101.id },
      where: { room: w.rooms.r101 },
      data: { expected: `S${w.p101.id.toUpperCase()}`, seen: 'SEAL-9999', seenBy: w.printer.id },
    })
    expect(alertRows(app)).toEqual([{ kind: 'seal_mismatch', log_index: alert.index, subject_type: 'packet', subject_id: w.p101.id }])

    const open = await expectStatus<{ alerts: Array<{ id: string; action: string; acknowledged: boolean; data: Record<string, unknown> }> }>(
      await app.call('GET', '/api/alerts?open=1', { cookie: w.sup1.cookie }),
      200,
    )
    expect(open.alerts).toHaveLength(1)
    expect(open.alerts[0]).toMatchObject({
      action: 'custody.alert.seal_mismatch',
      acknowledged: false,
      data: { expected: `S${w.p101.id.toUpperCase()}`, seen: 'SEAL-9999' },
    })
    const id = open.alerts[0]!.id
    const from = app.services.log.size()
    await expectStatus(await app.call('POST', `/api/alerts/${id}/acknowledge`, { cookie: w.sup1.cookie, body: {} }), 200)
    expect(eventsSince(app, from)).toMatchObject([{ action: 'custody.alert_acknowledged', subject: { type: 'packet', id: w.p101.id }, data: { alertId: id } }])
    expect((await expectStatus<{ alerts: unknown[] }>(await app.call('GET', '/api/alerts?open=1', { cookie: w.sup1.cookie }), 200)).alerts).toEqual([])
    expect(
      (await expectStatus<{ alerts: Array<{ acknowledgedBy: string }> }>(await app.call('GET', '/api/alerts', { cookie: w.admin.cookie }), 200)).alerts[0]!
        .acknowledgedBy,
    ).toBe(w.sup1.id)
    expect((await expectStatus<ErrorBody>(await app.call('POST', `/api/alerts/${id}/acknowledge`, { cookie: w.sup2.cookie, body: {} }), 409)).error.code).toBe(
      'alert.already_acknowledged',
    )
    expect((await expectStatus<ErrorBody>(await app.call('POST', '/api/alerts/nope/acknowledge', { cookie: w.sup2.cookie, body: {} }), 404)).error.code).toBe(
      'alert.not_found',
    )
  })

  test('a receiver who finds the packet damaged blocks the handover; the offer stays open and an alert is raised', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'in_vault')
    const seal = `S${w.p101.id.toUpperCase()}`
    const offer = await expectStatus<Handover>(
      await app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver: w.inv1.username, place: '保密室', sealSeen: seal, condition: 'intact' },
      }),
      201,
    )
    await refused(
      app,
      app.call('POST', `/api/handovers/${offer.id}/confirm`, { cookie: w.inv1.cookie, body: { sealSeen: seal, condition: 'damaged' } }),
      409,
      'packet.damaged',
      2,
    )
    expect(alertRows(app).map((a) => a.kind)).toEqual(['packet_damaged'])
    expect(app.services.custody.handover(offer.id)!.state).toBe('offered')
    // A giver who sees the wrong seal cannot even offer it.
    await refused(
      app,
      app.call('POST', `/api/packets/${w.p102.id}/handovers`, {
        cookie: w.printer.cookie,
        body: { action: 'issue', receiver: w.inv3.username, place: '保密室', sealSeen: 'X-1', condition: 'intact' },
      }),
      409,
      'packet.wrong_state',
    )
  })
})

describe('two-person steps: the second person proves it is them', () => {
  test('a wrong witness password is 401 witness.invalid_credentials, logged, and throttled like a login (429 after five)', async () => {
    const { app, w, move } = await world()
    const bad = { username: w.keeper.username, password: 'not the password' }
    for (let i = 0; i < 5; i++)
      await refused(app, move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: bad }), 401, 'witness.invalid_credentials')
    await refused(app, move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.keeper) }), 429, 'auth.rate_limited')
    // The throttle is per account: another witness still works.
    const ok = await expectStatus<{ packet: Packet }>(await move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.sup1) }), 200)
    expect(ok.packet.state).toBe('sealed')
  })

  test('no witness, oneself as witness, or a witness in the wrong role is refused', async () => {
    const { app, w, move } = await world()
    await refused(app, move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1' }), 400, 'twoperson.second_required')
    await refused(app, move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.printer) }), 409, 'twoperson.same_person')
    const body = await refused(
      app,
      move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.inv1) }),
      403,
      'packet.not_allowed_for_role',
    )
    expect(body.error.details).toMatchObject({ as: 'witness', userId: w.inv1.id })
    // Only a custodian seals, whatever the witness.
    await refused(app, move(w.sup1.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.keeper) }), 403, 'packet.not_allowed_for_role')
  })

  test('a seal number is used once, ever: not on another packet, not twice on the same one', async () => {
    const { app, w, move } = await world()
    await expectStatus(await move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-7', witness: witness(w.keeper) }), 200)
    await refused(app, move(w.printer.cookie, { action: 'seal', sealNumber: 'seal-7', witness: witness(w.keeper) }, w.p102.id), 409, 'seal.already_used')
    await refused(app, move(w.printer.cookie, { action: 'seal', sealNumber: 'S', witness: witness(w.keeper) }, w.p102.id), 400, 'seal.invalid')
  })

  test('a handover to oneself, to an unknown account, or confirmed by someone else is refused', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'in_vault')
    const seal = `S${w.p101.id.toUpperCase()}`
    const offer = (receiver: string) =>
      app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver, place: '保密室', sealSeen: seal, condition: 'intact' },
      })
    await refused(app, offer(w.keeper.username), 409, 'handover.same_person')
    await refused(app, offer('nobody'), 400, 'handover.receiver_unknown')
    await refused(app, offer(w.sup1.username), 403, 'packet.not_allowed_for_role')
    await refused(
      app,
      app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver: w.inv1.username, place: ' ', sealSeen: seal, condition: 'intact' },
      }),
      400,
      'handover.place_required',
    )
    const h = await expectStatus<Handover>(await offer(w.inv1.username), 201)
    await refused(
      app,
      app.call('POST', `/api/handovers/${h.id}/confirm`, { cookie: w.inv2.cookie, body: { sealSeen: seal, condition: 'intact' } }),
      403,
      'handover.not_receiver',
    )
    await refused(app, app.call('POST', `/api/handovers/${h.id}/decline`, { cookie: w.inv3.cookie, body: { reason: '不相干' } }), 403, 'handover.not_party')
    expect(
      (await expectStatus<ErrorBody>(await app.call('POST', '/api/handovers/nope/confirm', { cookie: w.inv1.cookie, body: { condition: 'intact' } }), 404))
        .error.code,
    ).toBe('handover.not_found')
  })
})

describe('in the room: opening and recovery', () => {
  test('opening needs two invigilators of the room, at the earliest 15 minutes before the start', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'received')
    const seal = `S${w.p101.id.toUpperCase()}`
    const open = (cookie: string, second: ReturnType<typeof witness>) =>
      app.call('POST', `/api/packets/${w.p101.id}/open`, { cookie, body: { sealSeen: seal, second } })
    await at(app, w, THEORY_START - 15 * MINUTE - 1)
    const early = await refused(app, open(w.inv2.cookie, witness(w.inv1)), 409, 'open.too_early')
    expect(early.error.details).toMatchObject({ earliest: THEORY_START - 15 * MINUTE })
    // The refusal says when the packet may be opened, in Beijing time.
    const opens = new Date(THEORY_START - 15 * MINUTE + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
    expect(early.error.message).toBe(`未到规定的启封时间：${opens}（北京时间）起方可启封`)
    expect(early.error.messageEn).toContain(`from ${opens} (Beijing time)`)
    app.clock.now = THEORY_START - 15 * MINUTE
    await refused(app, open(w.inv2.cookie, witness(w.inv3)), 403, 'open.not_room_invigilator')
    await refused(app, open(w.inv2.cookie, witness(w.inv2)), 409, 'twoperson.same_person')
    await refused(app, open(w.inv2.cookie, { username: w.inv1.username, password: 'wrong password!' }), 401, 'witness.invalid_credentials')
    await refused(
      app,
      app.call('POST', `/api/packets/${w.p101.id}/open`, { cookie: w.inv2.cookie, body: { sealSeen: 'OTHER-1', second: witness(w.inv1) } }),
      409,
      'packet.seal_mismatch',
      2,
    )
    const opened = await expectStatus<{ packet: Packet }>(await open(w.inv2.cookie, witness(w.inv1)), 200)
    expect(opened.packet.state).toBe('opened')
  })

  test('counts that do not add up record an incident with the difference and alert supervisors (R5.5)', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'opened')
    const recover = (cookie: string, counts: Record<string, number>) => app.call('POST', `/api/packets/${w.p101.id}/recover`, { cookie, body: { counts } })
    await refused(app, recover(w.inv3.cookie, { used: 27, blank: 3, spoiled: 0, answerSheets: 30, scratchPaper: 60 }), 403, 'recovery.not_room_invigilator')
    await refused(app, recover(w.inv1.cookie, { used: 27.5, blank: 3, spoiled: 0, answerSheets: 30, scratchPaper: 60 }), 400, 'recovery.counts_invalid')
    const from = app.services.log.size()
    const r = await expectStatus<{ packet: Packet; incident: { id: string; difference: Record<string, number> } }>(
      await recover(w.inv1.cookie, { used: 27, blank: 2, spoiled: 0, answerSheets: 30, scratchPaper: 59 }),
      200,
    )
    expect(r.incident.difference).toEqual({ copies: -1, answerSheets: 0, scratchPaper: -1 })
    expect(r.packet).toMatchObject({ state: 'recovered', recovery: { balanced: false, incidentId: r.incident.id } })
    expect(eventsSince(app, from).map((e) => e.action)).toEqual(['custody.packet.recovered', 'custody.incident.recorded', 'custody.alert.recovery_mismatch'])
    expect(alertRows(app)).toEqual([{ kind: 'recovery_mismatch', log_index: from + 2, subject_type: 'packet', subject_id: w.p101.id }])
    const view = await expectStatus<{ incidents: Array<{ id: string }> }>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie: w.inv1.cookie }), 200)
    expect(view.incidents.map((i) => i.id)).toEqual([r.incident.id])
  })

  test('recovered material leaves the room only resealed, and only the custodian holding it reconciles', async () => {
    const { app, w, move } = await world()
    await drive(app, w, w.p101, 'opened')
    await expectStatus(
      await app.call('POST', `/api/packets/${w.p101.id}/recover`, {
        cookie: w.inv1.cookie,
        body: { counts: { used: 28, blank: 2, spoiled: 0, answerSheets: 30, scratchPaper: 60 } },
      }),
      200,
    )
    await refused(
      app,
      app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.inv1.cookie,
        body: { action: 'return', receiver: w.keeper.username, place: '考务办公室', sealSeen: null, condition: 'intact' },
      }),
      409,
      'packet.not_resealed',
    )
    await refused(app, move(w.keeper.cookie, { action: 'reconcile', sealSeen: 'X-1' }), 403, 'packet.not_holder')
    await refused(app, move(w.keeper.cookie, { action: 'archive', witness: witness(w.sup1) }), 409, 'packet.wrong_state')
    await refused(app, move(w.keeper.cookie, { action: 'void', reason: '' }), 409, 'packet.wrong_state')
  })
})

describe('routes check roles before anything else', () => {
  test('a role the route does not admit gets 403 auth.forbidden, logged, whatever the body', async () => {
    const { app, w } = await world()
    for (const [who, method, path] of [
      [w.sup1, 'POST', `/api/packets/${w.p101.id}/open`],
      [w.keeper, 'POST', `/api/packets/${w.p101.id}/recover`],
      [w.inv1, 'POST', '/api/disposals'],
      [w.inv1, 'GET', '/api/alerts'],
      [w.keeper, 'GET', '/api/alerts'],
      [w.admin, 'POST', `/api/packets/${w.p101.id}/moves`],
      [w.sup1, 'POST', `/api/packets/${w.p101.id}/handovers`],
    ] as const) {
      const size = app.services.log.size()
      const res = await app.call(method, path, { cookie: who.cookie, body: method === 'POST' ? {} : undefined })
      expect((await expectStatus<ErrorBody>(res, 403)).error.code, `${method} ${path}`).toBe('auth.forbidden')
      expect(app.services.log.size()).toBe(size + 1)
    }
  })

  test('unknown fields in a body are refused (400) before anything happens', async () => {
    const { app, w, move } = await world()
    const size = app.services.log.size()
    expect(
      (await expectStatus<ErrorBody>(await move(w.printer.cookie, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.keeper), extra: 1 }), 400)).error
        .code,
    ).toBe('request.invalid')
    expect((await expectStatus<ErrorBody>(await move(w.printer.cookie, { action: 'freeze' }), 400)).error.code).toBe('request.invalid')
    expect(app.services.log.size()).toBe(size)
  })
})
