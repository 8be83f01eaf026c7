import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { THEORY_START, custodyWorld, drive, expectStatus } from './_custody-packets.ts'

type Named = Record<string, { displayName: string; username: string }>
interface Receiver {
  id: string
  username: string
  displayName: string
  roles: string[]
  assigned: boolean
}

async function world() {
  const app = makeTestApp()
  const w = await custodyWorld(app)
  const rename = app.services.db.prepare('UPDATE users SET display_name = ? WHERE id = ?')
  rename.run('张印制', w.printer.id)
  rename.run('王保管', w.keeper.id)
  rename.run('李监考', w.inv1.id)
  rename.run('赵监考', w.inv2.id)
  return { app, w }
}

describe('custody records carry the names of the people in them (decision record 010)', () => {
  test('a packet, its list and the open handovers name holder, printer, giver and receiver by display name', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'in_vault')
    const offer = await expectStatus<{ id: string }>(
      await app.call('POST', `/api/packets/${w.p101.id}/handovers`, {
        cookie: w.keeper.cookie,
        body: { action: 'issue', receiver: w.inv1.username, place: '保密室', sealSeen: `S${w.p101.id.toUpperCase()}`, condition: 'intact' },
      }),
      201,
    )
    expect(offer.id).toBeTruthy()

    const view = await expectStatus<{ people: Named; opensAt: number }>(await app.call('GET', `/api/packets/${w.p101.id}`, { cookie: w.sup1.cookie }), 200)
    expect(view.people[w.printer.id]).toEqual({ displayName: '张印制', username: w.printer.username })
    expect(view.people[w.keeper.id]?.displayName).toBe('王保管') // the giver of the open offer
    expect(view.people[w.inv1.id]?.displayName).toBe('李监考') // its receiver
    expect(view.opensAt).toBe(THEORY_START - 15 * 60_000) // the default opening lead: 15 minutes before the start

    const list = await expectStatus<{ people: Named }>(await app.call('GET', `/api/packets?sessionId=${w.sessionId}`, { cookie: w.keeper.cookie }), 200)
    expect(list.people[w.printer.id]?.displayName).toBe('张印制') // p102 is still held by its printer

    const mine = await expectStatus<{ people: Named }>(await app.call('GET', '/api/handovers?mine=1', { cookie: w.inv1.cookie }), 200)
    expect(mine.people[w.keeper.id]?.displayName).toBe('王保管')
  })
})

describe('GET /api/packets/{id}/receivers: the handover receiver is picked, not typed (R5.3)', () => {
  test("a custodian issuing a packet picks from the carriers, the room's invigilators first, never themself", async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'in_vault')
    const { receivers } = await expectStatus<{ receivers: Receiver[] }>(
      await app.call('GET', `/api/packets/${w.p101.id}/receivers?action=issue`, { cookie: w.keeper.cookie }),
      200,
    )
    const ids = receivers.map((r) => r.id)
    expect(ids).not.toContain(w.keeper.id)
    expect(ids).toContain(w.printer.id) // another custodian may carry it
    expect(ids).not.toContain(w.sup1.id) // supervisors do not receive packets
    expect(
      receivers
        .slice(0, 2)
        .map((r) => r.displayName)
        .sort(),
    ).toEqual(['李监考', '赵监考']) // room 101's invigilators first
    expect(receivers[0]!.assigned).toBe(true)
    expect(receivers.find((r) => r.id === w.inv3.id)?.assigned).toBe(false) // room 102's invigilator: allowed, not assigned here
  })

  test("a move that is not the caller's to offer lists nobody; a packet outside the caller's rooms is refused (scope.not_assigned)", async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'in_vault')
    const none = await expectStatus<{ receivers: Receiver[] }>(
      await app.call('GET', `/api/packets/${w.p101.id}/receivers?action=send_back`, { cookie: w.keeper.cookie }),
      200,
    )
    expect(none.receivers).toEqual([])
    const res = await app.call('GET', `/api/packets/${w.p102.id}/receivers?action=issue`, { cookie: w.inv1.cookie })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('scope.not_assigned')
    expect((await app.call('GET', `/api/packets/${w.p101.id}/receivers?action=issue`, { cookie: w.sup1.cookie })).status).toBe(403) // supervisors do not carry
    expect((await app.call('GET', '/api/packets/nope/receivers?action=issue', { cookie: w.keeper.cookie })).status).toBe(404)
  })

  test('a return goes to a custodian only', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'recovered')
    const { receivers } = await expectStatus<{ receivers: Receiver[] }>(
      await app.call('GET', `/api/packets/${w.p101.id}/receivers?action=return`, { cookie: w.inv1.cookie }),
      200,
    )
    expect(receivers.length).toBeGreaterThan(0)
    for (const r of receivers) expect(r.roles).toContain('custodian')
  })
})

describe('the log page reads people and subjects by name (decision record 010)', () => {
  test('GET /api/log/entries names the actors and the packets, papers and sessions the entries are about', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'sealed')
    const size = app.services.log.size()
    const page = await expectStatus<{ people: Named; subjects: Record<string, string> }>(
      await app.call('GET', `/api/log/entries?start=0&end=${size}`, { cookie: w.sup1.cookie }),
      200,
    )
    expect(page.people[w.printer.id]).toEqual({ displayName: '张印制', username: w.printer.username }) // the sealer
    expect(page.subjects[`packet:${w.p101.id}`]).toMatch(/101 · 0001–00\d\d$/)
  })
})
