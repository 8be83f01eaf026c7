import { describe, expect, test } from 'vitest'
import {
  alertFor,
  decideOpen,
  decideRecovery,
  earliestOpening,
  reconcileCounts,
  type OpenContext,
  type Packet,
  type RecoveryCounts,
} from '../server/domain/custody/index.ts'
import { MINUTE, SEAL, START, everything, packetIn, paper, person, refusal, value } from './domain-custody-fixtures.ts'

const i1 = person('i-1', 'invigilator')
const i2 = person('i-2', 'invigilator')
const ctx: OpenContext = { roomInvigilators: ['i-1', 'i-2'], sessionStartsAt: START, openMinutesBefore: 15 }
const received = (over: Partial<Packet> = {}) => packetIn('received', { holder: { userId: 'i-1' }, ...over })
const open = (p: Packet, now = START - 5 * MINUTE, c: OpenContext = ctx, a = i1, b = i2, sealSeen = SEAL) =>
  decideOpen(p, paper(), { actor: a, second: b, sealSeen }, c, now)

describe('opening a packet in the room', () => {
  test('two invigilators of the room open it: the seal is broken, the packet is in the room, both are on record', () => {
    const { packet, events } = value(open(received()))
    expect(packet).toMatchObject({
      state: 'opened',
      sealNumber: null,
      seals: [SEAL],
      holder: { place: 'room:R1' },
      openedBy: ['i-1', 'i-2'],
      openedAt: START - 5 * MINUTE,
    })
    expect(events).toEqual([
      {
        action: 'custody.packet.opened',
        subject: { type: 'packet', id: 'pk-1' },
        where: { room: 'R1' },
        data: {
          paperId: 'paper-A',
          from: 'received',
          to: 'opened',
          seal: null,
          openedBy: ['i-1', 'i-2'],
          sealSeen: SEAL,
          sealOpened: SEAL,
          holder: { place: 'room:R1' },
          people: ['i-1', 'i-2'],
        },
      },
    ])
  })

  test.each([
    ['exactly the configured 15 minutes before the start', START - 15 * MINUTE, true],
    ['a millisecond earlier', START - 15 * MINUTE - 1, false],
    ['at the start', START, true],
    ['an hour early', START - 60 * MINUTE, false],
  ])('%s: allowed = %s', (_n, now, allowed) => {
    const r = open(received(), now)
    if (allowed) expect(value(r).packet.state).toBe('opened')
    else expect(refusal(r)).toEqual({ code: 'open.too_early', packetId: 'pk-1', earliest: START - 15 * MINUTE, now })
  })

  test('the earliest opening follows the batch setting', () => {
    expect(earliestOpening(START, 0)).toBe(START)
    expect(earliestOpening(START, 30)).toBe(START - 30 * MINUTE)
    expect(() => earliestOpening(START, -1)).toThrow(RangeError)
  })

  test('an invigilator of another room does not open it (open.not_room_invigilator)', () => {
    const stranger = person('i-9', 'invigilator')
    expect(refusal(open(received(), undefined, undefined, i1, stranger))).toEqual({
      code: 'open.not_room_invigilator',
      packetId: 'pk-1',
      roomId: 'R1',
      userId: 'i-9',
    })
  })

  test('whoever printed the packet does not open it, whatever roles they hold (packet.opener_printed_it)', () => {
    const printerToo = everything('c-printer')
    const p = received({ printedBy: printerToo.userId, holder: { userId: printerToo.userId } })
    const c = { ...ctx, roomInvigilators: ['c-printer', 'i-2'] }
    expect(refusal(open(p, undefined, c, printerToo, i2))).toEqual({ code: 'packet.opener_printed_it', packetId: 'pk-1', userId: 'c-printer' })
    expect(refusal(open(p, undefined, c, i2, printerToo))).toMatchObject({ code: 'packet.opener_printed_it', userId: 'c-printer' })
  })

  test('the seal seen must be the one applied, and a mismatch raises an alert (packet.seal_mismatch)', () => {
    const e = refusal(open(received(), undefined, undefined, i1, i2, 'SEAL-0777'))
    expect(e).toEqual({ code: 'packet.seal_mismatch', packetId: 'pk-1', seen: 'SEAL-0777', seenBy: 'i-1' })
    expect(alertFor(e)?.action).toBe('custody.alert.seal_mismatch')
  })

  test('one of the two openers is the person who signed for it (packet.not_holder)', () => {
    expect(refusal(open(received({ holder: { userId: 'c-site' } }))).code).toBe('packet.not_holder')
  })

  test('a custodian alone is no invigilator: the second opener must be one (packet.not_allowed_for_role)', () => {
    expect(refusal(open(received(), undefined, undefined, i1, person('c-x', 'custodian')))).toMatchObject({
      code: 'packet.not_allowed_for_role',
      as: 'second',
      userId: 'c-x',
    })
  })

  test('a packet of a frozen paper is not opened (paper.frozen), nor a frozen packet (packet.frozen)', () => {
    const frozenPaper = paper({ state: 'frozen', frozenBy: ['leak-1'] })
    expect(refusal(decideOpen(received(), frozenPaper, { actor: i1, second: i2, sealSeen: SEAL }, ctx, START)).code).toBe('paper.frozen')
    expect(refusal(open(received({ state: 'frozen', frozenFrom: 'received' }))).code).toBe('packet.frozen')
  })

  test('room-less material is not opened in a room (open.no_room)', () => {
    expect(refusal(open(received({ roomId: null })))).toEqual({ code: 'open.no_room', packetId: 'pk-1' })
  })
})

describe('recovering a packet (R5.5)', () => {
  const opened = () => packetIn('opened')
  const counts = (over: Partial<RecoveryCounts> = {}): RecoveryCounts => ({ used: 29, blank: 2, spoiled: 1, answerSheets: 32, scratchPaper: 64, ...over })
  const recover = (c: RecoveryCounts) =>
    decideRecovery(opened(), { actor: i1, counts: c, incidentId: 'inc-1' }, { roomInvigilators: ['i-1', 'i-2'] }, START + 2 * 60 * MINUTE)

  test('used + blank + spoiled copies, answer sheets and scratch paper that add up: recovered, no incident', () => {
    const { packet, incident, events } = value(recover(counts()))
    expect(incident).toBeNull()
    expect(packet.state).toBe('recovered')
    expect(packet.recovery).toEqual({
      counts: counts(),
      expected: { copies: 32, answerSheets: 32, scratchPaper: 64 },
      difference: { copies: 0, answerSheets: 0, scratchPaper: 0 },
      balanced: true,
      incidentId: null,
      recoveredBy: 'i-1',
      recoveredAt: START + 2 * 60 * MINUTE,
    })
    expect(events.map((e) => e.action)).toEqual(['custody.packet.recovered'])
  })

  test('a missing copy is recorded as an incident with the difference, and supervisors are alerted', () => {
    const { packet, incident, events } = value(recover(counts({ blank: 1 })))
    expect(packet.recovery).toMatchObject({ balanced: false, incidentId: 'inc-1', difference: { copies: -1, answerSheets: 0, scratchPaper: 0 } })
    expect(incident).toEqual({
      id: 'inc-1',
      kind: 'recovery_mismatch',
      packetId: 'pk-1',
      paperId: 'paper-A',
      roomId: 'R1',
      difference: { copies: -1, answerSheets: 0, scratchPaper: 0 },
      recordedBy: 'i-1',
      recordedAt: START + 2 * 60 * MINUTE,
    })
    expect(events.map((e) => e.action)).toEqual(['custody.packet.recovered', 'custody.incident.recorded', 'custody.alert.recovery_mismatch'])
    expect(events[1]!.subject).toEqual({ type: 'incident', id: 'inc-1' })
  })

  test.each([
    ['an extra answer sheet', { answerSheets: 33 }, { copies: 0, answerSheets: 1, scratchPaper: 0 }],
    ['two sheets of scratch paper short', { scratchPaper: 62 }, { copies: 0, answerSheets: 0, scratchPaper: -2 }],
    ['one copy too many', { used: 30 }, { copies: 1, answerSheets: 0, scratchPaper: 0 }],
  ])('%s is a difference too', (_n, over, difference) => {
    expect(reconcileCounts({ copies: 32, answerSheets: 32, scratchPaper: 64 }, counts(over))).toEqual({ difference, balanced: false })
    expect(value(recover(counts(over))).incident?.difference).toEqual(difference)
  })

  test('counts are whole numbers, not negative (recovery.counts_invalid)', () => {
    expect(refusal(recover(counts({ spoiled: -1 })))).toEqual({ code: 'recovery.counts_invalid', field: 'spoiled', value: -1 })
    expect(refusal(recover(counts({ used: 1.5 })))).toMatchObject({ code: 'recovery.counts_invalid', field: 'used' })
  })

  test('only an invigilator of that room recovers it (recovery.not_room_invigilator)', () => {
    const r = decideRecovery(opened(), { actor: person('i-9', 'invigilator'), counts: counts(), incidentId: 'x' }, { roomInvigilators: ['i-1'] }, 0)
    expect(refusal(r)).toEqual({ code: 'recovery.not_room_invigilator', packetId: 'pk-1', roomId: 'R1', userId: 'i-9' })
  })
})
