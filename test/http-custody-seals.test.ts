import { describe, expect, test } from 'vitest'
import type { Handover, Packet } from '../server/domain/custody/index.ts'
import { makeTestApp, type TestApp } from './_app.ts'
import { type CustodyWorld, MINUTE, THEORY_START, at, custodyWorld, drive, expectStatus, witness } from './_custody-packets.ts'
import { eventsSince } from './_rooms-fixture.ts'

// Blind seal checks (R5.3, decision record 006): whoever must type the seal they see cannot read it first.

type View = { packet: Packet & { sealHidden: boolean }; pendingHandover: Handover | null; handovers: Handover[] }
type ErrorBody = { error: { code: string; details?: Record<string, unknown> } }

const sealOf = (w: CustodyWorld) => `S${w.p101.id.toUpperCase()}`

/** Everything a person can fetch that might name p101's seal, as one string. */
async function everythingSeenBy(app: TestApp, w: CustodyWorld, cookie: string): Promise<string> {
  const texts: string[] = []
  for (const path of [
    `/api/packets/${w.p101.id}`,
    `/api/packets?paperId=${w.paperA.id}`,
    '/api/handovers?mine=1',
    '/api/handovers',
    `/api/papers/${w.paperA.id}`,
    `/api/print-jobs/${w.job.id}`,
    `/packets/${w.p101.id}/label`,
    `/print-jobs/${w.job.id}/labels`,
    `/api/reports/packets/${w.p101.id}`,
    `/reports/packets/${w.p101.id}`,
    `/api/reports/papers/${w.paperA.id}`,
    `/api/reports/papers/${w.paperA.id}?format=csv`,
  ]) {
    const res = await app.call('GET', path, { cookie })
    texts.push(`${path} ${res.status} ${await res.text()}`)
  }
  return texts.join('\n')
}

async function offeredTo(receiver: 'printer' | 'inv1'): Promise<{ app: TestApp; w: CustodyWorld; offer: Handover }> {
  const app = makeTestApp()
  const w = await custodyWorld(app)
  await drive(app, w, w.p101, 'in_vault')
  const offer = await expectStatus<Handover>(
    await app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
      cookie: w.keeper.cookie,
      body: { action: 'issue', receiver: w[receiver].username, place: '保密室', sealSeen: sealOf(w), condition: 'intact' },
    }),
    201,
  )
  return { app, w, offer }
}

describe('the receiver of an open offer checks the seal blind (packet.seal_hidden)', () => {
  test('a receiver cannot read the seal number of an open offer anywhere they can reach', async () => {
    const { app, w } = await offeredTo('printer') // a custodian courier, who reads every packet otherwise
    const seen = await everythingSeenBy(app, w, w.printer.cookie)
    expect(seen).not.toContain(sealOf(w))
    const view = await expectStatus<View>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie: w.printer.cookie }), 200)
    expect(view.packet).toMatchObject({ state: 'in_vault', sealNumber: null, seals: [], sealHidden: true })
    expect(view.pendingHandover).toMatchObject({ receiver: w.printer.id, giverSealSeen: null })
  })

  test('a report carrying the seal in signed bytes is refused to the receiver, and the refusal is logged', async () => {
    const { app, w } = await offeredTo('printer')
    const from = app.services.log.size()
    const e = await expectStatus<ErrorBody>(await app.call('GET', `/api/reports/papers/${w.paperA.id}`, { cookie: w.printer.cookie }), 403)
    expect(e.error.code).toBe('packet.seal_hidden')
    expect(eventsSince(app, from)).toMatchObject([{ outcome: 'refused', subject: { type: 'packet', id: w.p101.id }, data: { code: 'packet.seal_hidden' } }])
  })

  test('the giver, a custodian not party to the offer and supervisors read it; the receiver reads it once they have confirmed', async () => {
    const { app, w, offer } = await offeredTo('printer')
    const other = await app.userWith(['custodian'])
    expect(await everythingSeenBy(app, w, w.keeper.cookie)).toContain(sealOf(w))
    for (const cookie of [w.keeper.cookie, other.cookie, w.sup1.cookie]) {
      const view = await expectStatus<View>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie }), 200)
      expect(view.packet).toMatchObject({ sealNumber: sealOf(w), sealHidden: false })
      expect(view.pendingHandover?.giverSealSeen).toBe(sealOf(w))
    }
    await expectStatus(await app.call('GET', `/api/reports/packets/${w.p101.id}`, { cookie: w.keeper.cookie }), 200)
    await expectStatus(
      await app.call('POST', `/api/handovers/${offer.id}/confirm`, { cookie: w.printer.cookie, body: { sealSeen: sealOf(w), condition: 'intact' } }),
      200,
    )
    const after = await expectStatus<View>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie: w.printer.cookie }), 200)
    expect(after.packet).toMatchObject({ state: 'issued', holder: { userId: w.printer.id }, sealNumber: sealOf(w), sealHidden: false })
  })

  test('a receiver who declines the offer is no longer party to it and reads the seal like any custodian', async () => {
    const { app, w, offer } = await offeredTo('printer')
    await expectStatus(await app.call('POST', `/api/handovers/${offer.id}/decline`, { cookie: w.printer.cookie, body: { reason: '不是我的' } }), 200)
    expect((await expectStatus<View>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie: w.printer.cookie }), 200)).packet.sealNumber).toBe(sealOf(w))
  })
})

describe('the opening invigilators check the seal blind until they have opened it', () => {
  test("an invigilator who is offered their room's packet cannot read its seal, before or after receiving it", async () => {
    const { app, w, offer } = await offeredTo('inv1')
    expect(await everythingSeenBy(app, w, w.inv1.cookie)).not.toContain(sealOf(w))
    const done = await expectStatus<{ packet: Packet & { sealHidden: boolean } }>(
      await app.call('POST', `/api/handovers/${offer.id}/confirm`, {
        cookie: w.inv1.cookie,
        body: { sealSeen: sealOf(w), condition: 'intact' },
      }),
      200,
    )
    expect(done.packet).toMatchObject({ sealNumber: null, sealHidden: true })
    expect(await everythingSeenBy(app, w, w.inv1.cookie)).not.toContain(sealOf(w))
  })

  test("the room's other invigilator cannot read it either, until the two of them have opened it", async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    await drive(app, w, w.p101, 'received') // issued to inv1, received by inv2
    for (const p of [w.inv1, w.inv2]) expect(await everythingSeenBy(app, w, p.cookie)).not.toContain(sealOf(w))
    const list = await expectStatus<{ packets: Array<Packet & { sealHidden: boolean }> }>(
      await app.call('GET', `/api/packets?sessionId=${w.sessionId}`, { cookie: w.inv1.cookie }),
      200,
    )
    expect(list.packets.map((p) => [p.id, p.sealNumber, p.sealHidden])).toEqual([[w.p101.id, null, true]])
    await at(app, w, THEORY_START - 10 * MINUTE)
    await expectStatus(
      await app.call('POST', `/api/packets/${w.p101.id}/open`, { cookie: w.inv2.cookie, body: { sealSeen: sealOf(w), second: witness(w.inv1) } }),
      200,
    )
    const opened = await expectStatus<View>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie: w.inv1.cookie }), 200)
    expect(opened.packet).toMatchObject({ state: 'opened', seals: [sealOf(w)], sealHidden: false }) // a spent seal is no secret
  })
})
