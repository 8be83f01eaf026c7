import { describe, expect, test } from 'vitest'
import { PACKET_MOVES, PACKET_STATES, findMove, type Packet } from '../server/domain/custody/index.ts'
import type { Person as Acting } from '../server/services/index.ts'
import { MOVE_ACTIONS, appendCustodyEvents } from '../server/services/custody.ts'
import { LeakStore } from '../server/db/leak-store.ts'
import { makeTestApp, type TestApp } from './_app.ts'
import { type CustodyWorld, type Person, custodyWorld, drive, witness } from './_custody-packets.ts'

const caller = (p: Person, roles: string[]): Acting => ({ user: p.id, name: p.username, roles })

/** What a failed move must leave as it was. */
function records(app: TestApp): string {
  const db = app.services.db
  return JSON.stringify(
    ['packets', 'seal_numbers', 'handovers', 'custody_incidents', 'custody_alerts', 'log_entries'].map((t) => db.query(`SELECT * FROM ${t} ORDER BY 1`).all()),
  )
}

/** Makes log.append throw when it is asked to append `action`, as a full disk or a damaged log would. */
function failOn(app: TestApp, action: string): () => void {
  const log = app.services.log
  const append = log.append.bind(log)
  log.append = (d) => {
    if (d.action === action) throw new Error(`disk full while appending ${action}`)
    return append(d)
  }
  return () => {
    log.append = append
  }
}

async function world(): Promise<{ app: TestApp; w: CustodyWorld }> {
  const app = makeTestApp()
  return { app, w: await custodyWorld(app) }
}

describe('one transaction per move: no change without its event, no event without its change', () => {
  test('when the sealed event cannot be appended, the packet is not sealed and its seal number stays free', async () => {
    const { app, w } = await world()
    const before = records(app)
    const restore = failOn(app, 'custody.packet.sealed')
    await expect(
      app.services.custody.move(caller(w.printer, ['custodian']), w.p101.id, { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.keeper) }, 'test'),
    ).rejects.toThrow('disk full')
    restore()
    expect(records(app)).toBe(before)
    const r = await app.services.custody.move(
      caller(w.printer, ['custodian']),
      w.p101.id,
      { action: 'seal', sealNumber: 'SEAL-1', witness: witness(w.keeper) },
      'test',
    )
    expect(r.ok).toBe(true)
  })

  test('a recovery whose alert cannot be appended leaves no incident, no alert row and the packet opened', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'opened')
    const before = records(app)
    const restore = failOn(app, 'custody.alert.recovery_mismatch')
    expect(() =>
      app.services.custody.recover(caller(w.inv1, ['invigilator']), w.p101.id, { used: 1, blank: 0, spoiled: 0, answerSheets: 0, scratchPaper: 0 }),
    ).toThrow('disk full')
    restore()
    expect(records(app)).toBe(before)
    expect(app.services.custody.packet(w.p101.id)!.state).toBe('opened')
  })

  test('a leak filing whose alert cannot be appended freezes nothing', async () => {
    const { app, w } = await world()
    await drive(app, w, w.p101, 'in_vault')
    const paperBefore = app.services.db.query('SELECT * FROM papers ORDER BY id').all()
    const before = records(app)
    const restore = failOn(app, 'custody.alert.leak')
    expect(() => app.services.leaks.file(caller(w.keeper, ['custodian']), { paperId: w.paperA.id, level: 'suspected', description: '疑似' })).toThrow(
      'disk full',
    )
    restore()
    expect(records(app)).toBe(before)
    expect(app.services.db.query('SELECT * FROM papers ORDER BY id').all()).toEqual(paperBefore)
    expect(app.services.db.query('SELECT count(*) AS n FROM leak_reports').get()).toEqual({ n: 0 })
  })

  test('alert drafts raise an alert row pointing at their log index; other drafts raise none', async () => {
    const { app, w } = await world()
    const desk = new LeakStore(app.services.db)
    const events = app.services.db
      .transaction(() =>
        appendCustodyEvents(
          app.services.log,
          desk,
          caller(w.sup1, ['supervisor']),
          [
            { action: 'custody.packet.frozen', subject: { type: 'packet', id: w.p101.id }, where: null, data: { people: [w.sup1.id] } },
            { action: 'custody.alert.leak', subject: { type: 'leak', id: 'L1' }, where: null, data: { people: [w.sup1.id] } },
          ],
          app.clock.now,
        ),
      )
      .immediate()
    expect(desk.alerts(true).map((a) => [a.kind, a.logIndex, a.subjectType, a.subjectId])).toEqual([['leak', events[1]!.index, 'leak', 'L1']])
  })
})

describe('the move service follows the state table (PACKET_MOVES)', () => {
  test('every (state, action) pair of the moves call that the table does not list is refused, and nothing changes', async () => {
    const { app, w } = await world()
    let checked = 0
    for (const state of PACKET_STATES) {
      const before = app.services.custody.packet(w.p101.id)!
      const placed: Packet = { ...before, state, frozenFrom: state === 'frozen' ? 'in_vault' : null }
      w.store.savePacket(placed, before)
      for (const action of MOVE_ACTIONS) {
        if (findMove(state, action)) continue
        const snapshot = records(app)
        const r = await app.services.custody.move(caller(w.printer, ['custodian']), w.p101.id, { action, sealNumber: 'SEAL-77', reason: 'x' }, 'test')
        expect(r.ok, `${state}/${action}`).toBe(false)
        expect(!r.ok && r.error.code, `${state}/${action}`).toBe(state === 'frozen' ? 'packet.frozen' : 'packet.wrong_state')
        expect(records(app), `${state}/${action}`).toBe(snapshot)
        checked++
      }
    }
    const listed = PACKET_MOVES.filter((m) => (MOVE_ACTIONS as readonly string[]).includes(m.action)).length
    expect(listed).toBe(12)
    expect(checked).toBe(PACKET_STATES.length * MOVE_ACTIONS.length - listed)
  })

  test('a listed move by a role the table does not name (an invigilator sealing or voiding a printed packet) is refused with packet.not_allowed_for_role', async () => {
    const { app, w } = await world()
    for (const action of ['seal', 'void'] as const) {
      const r = await app.services.custody.move(caller(w.inv1, ['invigilator']), w.p101.id, { action, sealNumber: 'SEAL-1', reason: 'x' }, 'test')
      expect(!r.ok && r.error.code).toBe('packet.not_allowed_for_role')
    }
  })
})
