import { describe, expect, test } from 'vitest'
import type { CopyTrace, ExposureTrace, Handover, LeakReport, Packet, Paper } from '../server/domain/custody/index.ts'
import { makeTestApp, type TestApp } from './_app.ts'
import { type CustodyWorld, custodyWorld, drive, expectStatus } from './_custody-packets.ts'
import { eventsSince } from './_rooms-fixture.ts'

type ErrorBody = { error: { code: string; details?: Record<string, unknown> } }
type LeakView = { report: LeakReport; trace: ExposureTrace }
type Filed = { id: string; filedAt: number; confirmation: string; confirmationEn: string }

const paperOf = (app: TestApp, id: string) => JSON.parse((app.services.db.query('SELECT doc FROM papers WHERE id = ?').get(id) as { doc: string }).doc) as Paper
const sessionStatus = (app: TestApp, id: string) =>
  (app.services.db.query('SELECT status FROM exam_sessions WHERE id = ?').get(id) as { status: string }).status

/** Files a report; the reporter's answer holds only its id and a confirmation, so the report is read back as a supervisor. */
async function file(app: TestApp, cookie: string, body: Record<string, unknown>, w?: CustodyWorld): Promise<LeakView> {
  const filed = await expectStatus<Filed>(
    await app.call('POST', '/api/leaks', { cookie, body: { level: 'suspected', description: '群里出现疑似试题照片', ...body } }),
    201,
  )
  const reader = w?.sup2.cookie ?? (await app.userWith(['supervisor'])).cookie
  return expectStatus<LeakView>(await app.call('GET', `/api/leaks/${filed.id}`, { cookie: reader }), 200)
}

/** Paper A's room-101 packet issued to an invigilator, room-102 packet still in the vault. */
async function issued(): Promise<{ app: TestApp; w: CustodyWorld; p101: Packet }> {
  const app = makeTestApp()
  const w = await custodyWorld(app)
  const p101 = await drive(app, w, w.p101, 'issued')
  await drive(app, w, w.p102, 'in_vault')
  return { app, w, p101 }
}

describe('filing a leak report (R5.4)', () => {
  test('freezes the paper and its packets at once and alerts supervisors; the reporter gets a report id and a confirmation, no trace', async () => {
    const { app, w } = await issued()
    const from = app.services.log.size()
    const res = await app.call('POST', '/api/leaks', {
      cookie: w.inv1.cookie,
      body: { level: 'suspected', description: '群里出现疑似试题照片', packetId: w.p101.id },
    })
    const filed = await expectStatus<Filed>(res, 201)
    expect(Object.keys(filed).sort()).toEqual(['confirmation', 'confirmationEn', 'filedAt', 'id'])
    expect(JSON.stringify(filed)).not.toContain(w.printer.id) // nobody who touched the packet is named to the reporter
    const v = await expectStatus<LeakView>(await app.call('GET', `/api/leaks/${filed.id}`, { cookie: w.sup1.cookie }), 200)
    expect(v.report).toMatchObject({ paperId: w.paperA.id, examSessionId: w.sessionId, packetId: w.p101.id, state: 'open', filedBy: w.inv1.id })
    expect(paperOf(app, w.paperA.id)).toMatchObject({ state: 'frozen', frozenBy: [v.report.id] })
    expect(app.services.custody.packet(w.p101.id)).toMatchObject({ state: 'frozen', frozenFrom: 'issued' })
    expect(app.services.custody.packet(w.p102.id)).toMatchObject({ state: 'frozen', frozenFrom: 'in_vault' })
    expect(eventsSince(app, from).map((e) => e.action)).toEqual([
      'custody.leak.filed',
      'custody.paper.frozen',
      'custody.packet.frozen',
      'custody.packet.frozen',
      'custody.alert.leak',
    ])
    // The trace is the supervisors' (and administrators'): a custodian reads the report without it.
    expect((await expectStatus<{ trace: unknown }>(await app.call('GET', `/api/leaks/${filed.id}`, { cookie: w.keeper.cookie }), 200)).trace).toBeNull()
    const alerts = await expectStatus<{ alerts: Array<{ action: string; subject: { type: string; id: string }; data: Record<string, unknown> }> }>(
      await app.call('GET', '/api/alerts?open=1', { cookie: w.sup1.cookie }),
      200,
    )
    expect(alerts.alerts).toMatchObject([
      { action: 'custody.alert.leak', subject: { type: 'leak', id: v.report.id }, data: { frozenPackets: [w.p101.id, w.p102.id] } },
    ])
    // The trace: who has each packet now and everyone who touched it, read from the log.
    const p = v.trace.packets.find((x) => x.packetId === w.p101.id)!
    expect(p.holder).toEqual({ userId: w.inv1.id })
    expect(p.holders).toEqual([{ userId: w.printer.id }, { place: 'vault' }, { userId: w.inv1.id }])
    expect(p.people).toEqual(expect.arrayContaining([w.printer.id, w.keeper.id, w.inv1.id]))
    expect(v.trace.people).toEqual(expect.arrayContaining([w.printer.id, w.keeper.id, w.inv1.id]))
  })

  test('a frozen packet cannot be handed on, only returned to a custodian; the paper refuses to be issued', async () => {
    const { app, w } = await issued()
    await file(app, w.keeper.cookie, { paperId: w.paperA.id }, w)
    const seal = `S${w.p101.id.toUpperCase()}`
    const offer = (action: string, receiver: string) =>
      app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.inv1.cookie,
        body: { action, receiver, place: '考点', sealSeen: seal, condition: 'intact' },
      })
    expect((await expectStatus<ErrorBody>(await offer('receive', w.inv2.username), 409)).error.code).toBe('packet.frozen')
    const back = await expectStatus<Handover>(await offer('return', w.keeper.username), 201)
    const done = await expectStatus<{ packet: Packet }>(
      await app.call('POST', `/api/handovers/${back.id}/confirm`, { cookie: w.keeper.cookie, body: { sealSeen: seal, condition: 'intact' } }),
      200,
    )
    expect(done.packet).toMatchObject({ state: 'frozen', holder: { userId: w.keeper.id } })
  })

  test('an open offer becomes unconfirmable once a report freezes its packet', async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    await drive(app, w, w.p101, 'in_vault')
    const seal = `S${w.p101.id.toUpperCase()}`
    const h = await expectStatus<Handover>(
      await app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver: w.inv1.username, place: '保密室', sealSeen: seal, condition: 'intact' },
      }),
      201,
    )
    await file(app, w.sup1.cookie, { paperId: w.paperA.id }, w)
    expect(
      (
        await expectStatus<ErrorBody>(
          await app.call('POST', `/api/handovers/${h.id}/confirm`, { cookie: w.inv1.cookie, body: { sealSeen: seal, condition: 'intact' } }),
          409,
        )
      ).error.code,
    ).toBe('packet.frozen')
  })

  test('a copy number leads to its packet; a copy of another paper, or no paper at all, is refused', async () => {
    const { app, w } = await issued()
    const trace = await expectStatus<CopyTrace>(await app.call('GET', `/api/trace/copies/40?paperId=${w.paperA.id}`, { cookie: w.sup1.cookie }), 200)
    expect(trace).toMatchObject({ copyNumber: 40, packetId: w.p102.id, roomId: w.rooms.r102, holderIds: [w.printer.id] })
    expect(
      (await expectStatus<ErrorBody>(await app.call('GET', `/api/trace/copies/58?paperId=${w.paperA.id}`, { cookie: w.sup1.cookie }), 404)).error.code,
    ).toBe('trace.copy_unknown')
    const v = await file(app, w.inv1.cookie, { paperId: w.paperA.id, copyNumber: 12 }, w)
    expect(v.report).toMatchObject({ packetId: w.p101.id, copyNumber: 12 })
    expect(
      (
        await expectStatus<ErrorBody>(
          await app.call('POST', '/api/leaks', {
            cookie: w.keeper.cookie,
            body: { level: 'suspected', description: 'x', packetId: w.p101.id, copyNumber: 40 },
          }),
          400,
        )
      ).error.code,
    ).toBe('leak.target_invalid')
    expect(
      (await expectStatus<ErrorBody>(await app.call('POST', '/api/leaks', { cookie: w.inv1.cookie, body: { level: 'suspected', description: 'x' } }), 400))
        .error.code,
    ).toBe('leak.paper_required')
    expect(
      (
        await expectStatus<ErrorBody>(
          await app.call('POST', '/api/leaks', { cookie: w.inv1.cookie, body: { level: 'suspected', description: ' ', paperId: w.paperA.id } }),
          400,
        )
      ).error.code,
    ).toBe('leak.description_required')
  })
})

describe('a reporter names what they saw (decision record 006)', () => {
  const records = (app: TestApp) =>
    JSON.stringify(['papers', 'packets', 'leak_reports', 'custody_alerts'].map((t) => app.services.db.query(`SELECT * FROM ${t} ORDER BY 1`).all()))

  test('an invigilator with no assignment is refused whatever they name (leak.out_of_scope), logged, and nothing is frozen', async () => {
    const { app, w } = await issued()
    const stranger = await app.userWith(['invigilator'])
    const before = records(app)
    for (const body of [{ packetId: w.p101.id }, { paperId: w.paperA.id, copyNumber: 12 }]) {
      const from = app.services.log.size()
      const res = await app.call('POST', '/api/leaks', { cookie: stranger.cookie, body: { level: 'confirmed', description: '我看到了试卷', ...body } })
      const e = await expectStatus<ErrorBody>(res, 403)
      expect(e.error.code).toBe('leak.out_of_scope')
      expect(eventsSince(app, from)).toMatchObject([
        { action: 'custody.leak.file', outcome: 'refused', actor: { user: stranger.id }, data: { code: 'leak.out_of_scope' } },
      ])
    }
    expect(
      (
        await expectStatus<ErrorBody>(
          await app.call('POST', '/api/leaks', { cookie: stranger.cookie, body: { level: 'confirmed', description: 'x', paperId: w.paperA.id } }),
          400,
        )
      ).error.code,
    ).toBe('leak.target_required')
    expect(records(app)).toBe(before)
    expect(paperOf(app, w.paperA.id).state).toBe('active')
  })

  test("an invigilator reports their own room's packet or a copy in it, not another room's (leak.out_of_scope)", async () => {
    const { app, w } = await issued()
    const other = (body: Record<string, unknown>) =>
      app.call('POST', '/api/leaks', { cookie: w.inv1.cookie, body: { level: 'suspected', description: 'x', ...body } })
    expect((await expectStatus<ErrorBody>(await other({ packetId: w.p102.id }), 403)).error.code).toBe('leak.out_of_scope')
    expect((await expectStatus<ErrorBody>(await other({ paperId: w.paperA.id, copyNumber: 40 }), 403)).error.code).toBe('leak.out_of_scope')
    expect(paperOf(app, w.paperA.id).state).toBe('active')
    const v = await file(app, w.inv1.cookie, { paperId: w.paperA.id, copyNumber: 30 }, w)
    expect(v.report).toMatchObject({ packetId: w.p101.id, filedBy: w.inv1.id })
  })
})

describe('deciding a leak report (supervisors only)', () => {
  test('a supervisor cannot confirm their own report; a second supervisor confirms, and the suspension is logged with both', async () => {
    const { app, w } = await issued()
    const v = await file(app, w.sup1.cookie, { paperId: w.paperA.id, level: 'confirmed' }, w)
    const confirm = (cookie: string) => app.call('POST', `/api/leaks/${v.report.id}/confirm`, { cookie, body: { reason: '照片与 A 卷一致' } })
    const from = app.services.log.size()
    expect((await expectStatus<ErrorBody>(await confirm(w.sup1.cookie), 409)).error.code).toBe('twoperson.same_person')
    expect(eventsSince(app, from)).toMatchObject([{ action: 'custody.leak.confirm', outcome: 'refused' }])
    expect(paperOf(app, w.paperA.id).state).toBe('frozen')
    const done = await expectStatus<LeakView>(await confirm(w.sup2.cookie), 200)
    expect(done.report).toMatchObject({ state: 'confirmed', filedBy: w.sup1.id, decidedBy: w.sup2.id })
    expect(eventsSince(app, from).find((e) => e.action === 'custody.leak.confirmed')!.data).toMatchObject({ reportedBy: w.sup1.id, confirmedBy: w.sup2.id })
    const at = app.services.log.size()
    const decided = await expectStatus<LeakView>(
      await app.call('POST', `/api/leaks/${v.report.id}/decisions`, {
        cookie: w.sup1.cookie,
        body: { sessionId: w.sessionId, decision: 'suspend', reason: '停考' },
      }),
      200,
    )
    expect(decided.report.decisions).toMatchObject([{ decision: 'suspended', decidedBy: w.sup1.id, reportedBy: w.sup1.id, confirmedBy: w.sup2.id }])
    expect(eventsSince(app, at)).toMatchObject([{ action: 'custody.session.suspended', data: { reportedBy: w.sup1.id, confirmedBy: w.sup2.id } }])
  })

  test('the filer may not dismiss their own report; another supervisor dismisses it and everything thaws', async () => {
    const { app, w } = await issued()
    const v = await file(app, w.sup1.cookie, { paperId: w.paperA.id }, w)
    const dismiss = (cookie: string) => app.call('POST', `/api/leaks/${v.report.id}/dismiss`, { cookie, body: { reason: '经核查为往年试题' } })
    expect((await expectStatus<ErrorBody>(await dismiss(w.sup1.cookie), 409)).error.code).toBe('twoperson.same_person')
    expect((await expectStatus<ErrorBody>(await dismiss(w.keeper.cookie), 403)).error.code).toBe('auth.forbidden')
    const done = await expectStatus<LeakView>(await dismiss(w.sup2.cookie), 200)
    expect(done.report).toMatchObject({ state: 'dismissed', decidedBy: w.sup2.id, reason: '经核查为往年试题' })
    expect(paperOf(app, w.paperA.id)).toMatchObject({ state: 'active', frozenBy: [] })
    expect(app.services.custody.packet(w.p101.id)).toMatchObject({ state: 'issued', frozenFrom: null })
    expect(app.services.custody.packet(w.p102.id)).toMatchObject({ state: 'in_vault', frozenFrom: null })
  })

  test('with two reports open, dismissing one keeps the paper frozen', async () => {
    const { app, w } = await issued()
    const a = await file(app, w.inv1.cookie, { packetId: w.p101.id }, w)
    const b = await file(app, w.keeper.cookie, { paperId: w.paperA.id, level: 'confirmed' }, w)
    await expectStatus(await app.call('POST', `/api/leaks/${a.report.id}/dismiss`, { cookie: w.sup1.cookie, body: { reason: '误报' } }), 200)
    expect(paperOf(app, w.paperA.id)).toMatchObject({ state: 'frozen', frozenBy: [b.report.id] })
    expect(app.services.custody.packet(w.p101.id)!.state).toBe('frozen')
    const list = await expectStatus<{ leaks: LeakReport[] }>(
      await app.call('GET', `/api/leaks?paperId=${w.paperA.id}&state=open`, { cookie: w.keeper.cookie }),
      200,
    )
    expect(list.leaks.map((l) => l.id)).toEqual([b.report.id])
  })

  test('a confirmed leak retires the paper and voids its frozen packets; then the session is suspended (停考)', async () => {
    const { app, w } = await issued()
    const v = await file(app, w.inv1.cookie, { packetId: w.p101.id, level: 'confirmed' }, w)
    const suspend = () =>
      app.call('POST', `/api/leaks/${v.report.id}/decisions`, {
        cookie: w.sup1.cookie,
        body: { sessionId: w.sessionId, decision: 'suspend', reason: '试题已外泄' },
      })
    expect((await expectStatus<ErrorBody>(await suspend(), 409)).error.code).toBe('leak.not_confirmed')
    expect(
      (await expectStatus<ErrorBody>(await app.call('POST', `/api/leaks/${v.report.id}/confirm`, { cookie: w.sup1.cookie, body: { reason: '' } }), 400)).error
        .code,
    ).toBe('leak.reason_required')
    const confirmed = await expectStatus<LeakView>(
      await app.call('POST', `/api/leaks/${v.report.id}/confirm`, { cookie: w.sup1.cookie, body: { reason: '照片与 A 卷一致' } }),
      200,
    )
    expect(confirmed.report.state).toBe('confirmed')
    expect(paperOf(app, w.paperA.id).state).toBe('retired')
    expect(app.services.custody.packet(w.p101.id)).toMatchObject({ state: 'voided', voidReason: expect.stringContaining('照片与 A 卷一致') })
    const from = app.services.log.size()
    const decided = await expectStatus<LeakView>(await suspend(), 200)
    expect(decided.report.decisions).toMatchObject([
      { sessionId: w.sessionId, decision: 'suspended', reason: '试题已外泄', decidedBy: w.sup1.id, reportedBy: w.inv1.id, confirmedBy: w.sup1.id },
    ])
    expect(sessionStatus(app, w.sessionId)).toBe('suspended')
    expect(eventsSince(app, from)).toMatchObject([
      { action: 'custody.session.suspended', subject: { type: 'exam_session', id: w.sessionId }, data: { reportedBy: w.inv1.id, confirmedBy: w.sup1.id } },
    ])
    // Suspended once: a second suspension is refused.
    expect((await expectStatus<ErrorBody>(await suspend(), 409)).error.code).toBe('session.wrong_state')
    const read = await expectStatus<LeakView>(await app.call('GET', `/api/leaks/${v.report.id}`, { cookie: w.admin.cookie }), 200)
    expect(read.report.decisions).toHaveLength(1)
    expect(read.trace.packets.map((p) => p.packetId)).toEqual([w.p101.id, w.p102.id])
  })

  test('after a confirmed leak of paper A the session may switch to its paper B', async () => {
    const { app, w } = await issued()
    const v = await file(app, w.inv1.cookie, { packetId: w.p101.id }, w)
    await expectStatus(await app.call('POST', `/api/leaks/${v.report.id}/confirm`, { cookie: w.sup2.cookie, body: { reason: '确认泄密' } }), 200)
    const decided = await expectStatus<LeakView>(
      await app.call('POST', `/api/leaks/${v.report.id}/decisions`, {
        cookie: w.sup1.cookie,
        body: { sessionId: w.sessionId, decision: 'switch_to_paper_b', reason: '启用备用卷' },
      }),
      200,
    )
    expect(decided.report.decisions).toMatchObject([{ decision: 'switched_to_paper_b', paperId: w.paperB.id }])
    expect(sessionStatus(app, w.sessionId)).toBe('scheduled')
    // Another session is not affected by this report.
    expect(
      (
        await expectStatus<ErrorBody>(
          await app.call('POST', `/api/leaks/${v.report.id}/decisions`, {
            cookie: w.sup1.cookie,
            body: { sessionId: w.sessionId.replace('theory', 'practical'), decision: 'suspend', reason: 'x' },
          }),
          409,
        )
      ).error.code,
    ).toBe('session.not_affected')
    expect(
      (await expectStatus<ErrorBody>(await app.call('POST', `/api/leaks/nope/confirm`, { cookie: w.sup1.cookie, body: { reason: 'x' } }), 404)).error.code,
    ).toBe('leak.not_found')
  })
})
