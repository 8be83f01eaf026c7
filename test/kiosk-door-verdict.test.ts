// The door's verdicts (kiosk/src/_door-verdict.ts; docs/decisions/011-door-kiosk.md "Verdicts"): every verdict
// from real tickets signed with the crypto/ functions under test keys, CT1 and CT2, and the contract's order
// where two refusals apply at once.
import { describe, expect, test } from 'vitest'
import { ed25519, signTicket, signTicketV2, type TicketPayload, ticketIdentity, toBase64, toHex } from '../crypto/index.ts'
import { decideByNumber, decideVerdict, idMatches, type KnownAdmission, ticketNumberFrom } from '../kiosk/src/_door-verdict.ts'
import { attendance } from '../kiosk/src/_kiosk-attendance.ts'
import type { RoomPackage, Verdict } from '../kiosk/src/_kiosk-types.ts'

const KEY_A = new Uint8Array(32).fill(7)
const KEY_B = new Uint8Array(32).fill(9)
const KEY_X = new Uint8Array(32).fill(11) // not in the package
const KEY_A_ID = 'a1b2c3d4'
const KEY_B_ID = '0badf00d'
const KEY_X_ID = 'deadbeef'

const SESSION = '5b0d7a4e-3c1f-4a55-9d2e-1f0a9c8b7e61'
const OTHER_SESSION = '7c1e8b5f-4d20-4b66-8e3f-2a1b0d9c8f72'
const ROOM = '1f6a2b3c-4d5e-4f60-8172-839405162738'
const ROOM_102 = '2a7b3c4d-5e6f-4071-8293-a4b5c6d7e8f9'
const CAND = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const T_START = Date.parse('2026-11-26T01:00:00Z') // 09:00 Beijing time
const NOW = T_START - 10 * 60_000 // 08:50, doors open

const ID_NUMBER = '11010519491231002X'
const NAME = '张三'

function ticket(n: number, over: Partial<TicketPayload> = {}): TicketPayload {
  const number = `2026-3F9A1C-${String(n).padStart(5, '0')}`
  return {
    type: 'ticket',
    number,
    candidateId: CAND(n),
    examSessionId: SESSION,
    roomId: ROOM,
    seat: n,
    identity: ticketIdentity(number, n === 1 ? NAME : `考生${n}`, n === 1 ? ID_NUMBER : `1101051949123100${String(n).padStart(2, '0')}`),
    ...over,
  }
}

const ct1 = (p: TicketPayload, key = KEY_A): string => signTicket(p, (m) => ed25519.sign(key, m))

const ct2 = (p: TicketPayload, keyId: string, key: Uint8Array): string => signTicketV2(p, keyId, (m) => ed25519.sign(key, m))

function pkg(over: Partial<RoomPackage> = {}, session: Partial<RoomPackage['session']> = {}): RoomPackage {
  return {
    version: 1,
    generatedAt: NOW - 3600_000,
    session: {
      id: SESSION,
      subject: '电工（四级）理论',
      batch: '2026-11 电工',
      startsAt: T_START,
      endsAt: T_START + 120 * 60_000,
      doorsOpenAt: T_START - 30 * 60_000,
      lateUntil: T_START + 15 * 60_000,
      status: 'scheduled',
      ...session,
    },
    site: { id: 'site-1', name: '重庆工业职业技术学院考点' },
    room: { id: ROOM, name: '101' },
    rooms: [
      { id: ROOM, name: '101' },
      { id: ROOM_102, name: '102' },
    ],
    roster: [1, 2, 3, 4].map((n) => ({
      ticketNumber: ticket(n).number,
      candidateId: CAND(n),
      name: n === 1 ? NAME : `考生${n}`,
      seat: n,
      identity: toHex(ticket(n).identity),
      photo: null,
    })),
    keys: [
      { keyId: KEY_A_ID, publicKey: toBase64(ed25519.publicKey(KEY_A)) },
      { keyId: KEY_B_ID, publicKey: toBase64(ed25519.publicKey(KEY_B)) },
    ],
    revocations: { note: '', numbers: [ticket(3).number] },
    packets: [],
    staff: [],
    admissions: [],
    scoreItems: [],
    ...over,
  }
}

const v = (text: string, p = pkg(), adm: KnownAdmission[] = [], now = NOW): Verdict => decideVerdict(text, p, adm, now).verdict

describe('door verdicts, one by one (CT1 and CT2)', () => {
  test('admitted: a good ticket of this room, doors open, not yet in — with the roster entry (photo, name, seat)', () => {
    for (const text of [ct1(ticket(1)), ct1(ticket(1), KEY_B), ct2(ticket(1), KEY_A_ID, KEY_A), ct2(ticket(1), KEY_B_ID, KEY_B)]) {
      const d = decideVerdict(text, pkg(), [], NOW)
      expect(d.verdict).toBe('admitted')
      expect(d.entry).toMatchObject({ name: NAME, seat: 1, ticketNumber: ticket(1).number })
      expect(d.ticket?.number).toBe(ticket(1).number)
    }
    // the edges: the moment doors open and the late cut-off itself still admit
    expect(v(ct1(ticket(1)), pkg(), [], T_START - 30 * 60_000)).toBe('admitted')
    expect(v(ct1(ticket(1)), pkg(), [], T_START + 15 * 60_000)).toBe('admitted')
  })

  test('malformed: not a ticket text, a damaged one, a badge', () => {
    for (const bad of ['', 'hello', 'CUSTODY-PACKET:abc', 'CT1.', 'CT1.AQE.xyz', 'CT3.a.b', 'CT2.zzzzzzzz.AQE.AAAA', 'x'.repeat(5000)])
      expect(v(bad), bad).toBe('malformed')
    const good = ct1(ticket(1))
    expect(v(`${good.slice(0, 20)}${good.slice(22)}`)).toMatch(/malformed|forged/) // a damaged payload never admits
    const badge = signTicket(
      { type: 'badge', userId: 'u-1', examSessionId: SESSION, roomId: ROOM, duty: 'invigilator', name: '李监考', validUntil: T_START + 7200_000 },
      (m) => ed25519.sign(KEY_A, m),
    )
    expect(v(badge)).toBe('malformed')
  })

  test('unknown_key: a CT2 key id the package does not hold', () => {
    expect(v(ct2(ticket(1), KEY_X_ID, KEY_X))).toBe('unknown_key')
    // a package with no (usable) key for the session knows no key at all, CT1 included
    expect(v(ct1(ticket(1)), pkg({ keys: [] }))).toBe('unknown_key')
    expect(v(ct1(ticket(1)), pkg({ keys: [{ keyId: KEY_A_ID, publicKey: 'not base64!' }] }))).toBe('unknown_key')
  })

  test('forged: a signature that fails under the named key (CT2) or under every session key (CT1)', () => {
    expect(v(ct2(ticket(1), KEY_A_ID, KEY_B))).toBe('forged') // B's signature claiming key A
    expect(v(ct1(ticket(1), KEY_X))).toBe('forged')
    // a changed seat under the original signature
    const [, payload, sig] = ct1(ticket(1)).split('.')
    const other = ct1(ticket(1, { seat: 40 })).split('.')[1]
    expect(payload).not.toBe(other)
    expect(v(`CT1.${other}.${sig}`)).toBe('forged')
    // a CT2 signature moved to another key id is not valid there
    const moved = ct2(ticket(1), KEY_A_ID, KEY_A).replace(KEY_A_ID, KEY_B_ID)
    expect(v(moved)).toBe('forged')
  })

  test('revoked: a number on the revocation list', () => {
    expect(v(ct1(ticket(3)))).toBe('revoked')
    expect(v(ct2(ticket(3), KEY_B_ID, KEY_B))).toBe('revoked')
  })

  test('wrong_session: a good ticket of another session', () => {
    expect(v(ct1(ticket(1, { examSessionId: OTHER_SESSION })))).toBe('wrong_session')
  })

  test('suspended: the session is 停考, nobody is admitted', () => {
    expect(v(ct1(ticket(1)), pkg({}, { status: 'suspended' }))).toBe('suspended')
  })

  test('wrong_room: names the right room', () => {
    const d = decideVerdict(ct2(ticket(1, { roomId: ROOM_102 }), KEY_A_ID, KEY_A), pkg(), [], NOW)
    expect(d.verdict).toBe('wrong_room')
    expect(d.rightRoom).toEqual({ id: ROOM_102, name: '102' })
  })

  test('not_on_roster: a good ticket of this room whose number (or candidate) is not on the roster', () => {
    expect(v(ct1(ticket(9)))).toBe('not_on_roster')
    // the roster's number with another candidate: two candidates are never merged
    expect(v(ct1(ticket(1, { candidateId: CAND(77) })))).toBe('not_on_roster')
  })

  test('too_early: before the doors open', () => {
    expect(v(ct1(ticket(1)), pkg(), [], T_START - 30 * 60_000 - 1)).toBe('too_early')
  })

  test('too_late: after the late cut-off', () => {
    expect(v(ct1(ticket(1)), pkg(), [], T_START + 15 * 60_000 + 1)).toBe('too_late')
  })

  test('already_admitted: says when and at which door (the server’s or this kiosk’s admissions)', () => {
    const at = NOW - 5 * 60_000
    const d = decideVerdict(ct1(ticket(2)), pkg(), [{ ticketNumber: ticket(2).number, at, door: '101 后门' }], NOW)
    expect(d).toMatchObject({ verdict: 'already_admitted', admittedAt: at, door: '101 后门' })
    expect(d.entry?.seat).toBe(2)
  })
})

describe('the order when several refusals apply', () => {
  test('each refusal wins over every later one', () => {
    // revoked beats wrong session, suspension, room, roster and time
    const all = ticket(3, { examSessionId: OTHER_SESSION, roomId: ROOM_102 })
    expect(v(ct1(all), pkg({}, { status: 'suspended' }), [], 0)).toBe('revoked')
    // wrong_session beats suspended and wrong_room
    expect(v(ct1(ticket(1, { examSessionId: OTHER_SESSION, roomId: ROOM_102 })), pkg({}, { status: 'suspended' }))).toBe('wrong_session')
    // suspended beats wrong_room and time
    expect(v(ct1(ticket(1, { roomId: ROOM_102 })), pkg({}, { status: 'suspended' }), [], 0)).toBe('suspended')
    // wrong_room beats not_on_roster and time
    expect(v(ct1(ticket(9, { roomId: ROOM_102 })), pkg(), [], 0)).toBe('wrong_room')
    // not_on_roster beats too_early
    expect(v(ct1(ticket(9)), pkg(), [], 0)).toBe('not_on_roster')
    // too_early / too_late beat already_admitted
    const adm = [{ ticketNumber: ticket(1).number, at: 1, door: 'x' }]
    expect(v(ct1(ticket(1)), pkg(), adm, 0)).toBe('too_early')
    expect(v(ct1(ticket(1)), pkg(), adm, T_START + 3600_000)).toBe('too_late')
    // unknown_key beats everything after it; forged too
    expect(v(ct2(ticket(3, { examSessionId: OTHER_SESSION }), KEY_X_ID, KEY_X))).toBe('unknown_key')
    expect(v(ct2(ticket(3, { examSessionId: OTHER_SESSION }), KEY_A_ID, KEY_X))).toBe('forged')
  })

  test('the package’s own admissions (what the server holds) count as well as this kiosk’s', () => {
    const p = pkg({ admissions: [{ ticketNumber: ticket(4).number, at: NOW - 60_000, door: 'kiosk-2' }] })
    expect(v(ct1(ticket(4)), p, p.admissions)).toBe('already_admitted')
  })
})

describe('a ticket number typed by hand', () => {
  test('looked up in the roster, the same flow without the signature', () => {
    expect(decideByNumber(' 2026-3f9a1c-00001 ', pkg(), [], NOW)).toMatchObject({ verdict: 'admitted', typed: true, entry: { seat: 1 } })
    expect(decideByNumber('2026-3F9A1C-00003', pkg(), [], NOW).verdict).toBe('revoked')
    expect(decideByNumber('2026-3F9A1C-00009', pkg(), [], NOW).verdict).toBe('not_on_roster')
    expect(decideByNumber('2026-3F9A1C-00001', pkg({}, { status: 'suspended' }), [], NOW).verdict).toBe('suspended')
    expect(decideByNumber('2026-3F9A1C-00001', pkg(), [], 0).verdict).toBe('too_early')
    expect(decideByNumber('2026-3F9A1C-00001', pkg(), [], T_START + 3600_000).verdict).toBe('too_late')
    expect(decideByNumber('2026-3F9A1C-00002', pkg(), [{ ticketNumber: ticket(2).number, at: 1, door: 'd' }], NOW).verdict).toBe('already_admitted')
    expect(decideByNumber('no', pkg(), [], NOW).verdict).toBe('malformed')
    expect(decideByNumber('hello', pkg(), [], NOW).verdict).toBe('malformed') // a ticket number has digits
    expect(ticketNumberFrom('2026 3F9A1C 00017')).toBe('20263F9A1C00017')
  })
})

describe('the ID check', () => {
  test('the ID number must match the ticket’s identity bytes; a typed ticket number is checked against the roster’s copy', () => {
    const d = decideVerdict(ct1(ticket(1)), pkg(), [], NOW)
    expect(idMatches(d, ID_NUMBER)).toBe(true)
    expect(idMatches(d, ID_NUMBER.toLowerCase())).toBe(true) // the x of an ID number typed in lower case
    expect(idMatches(d, '110105194912310038')).toBe(false)
    const typed = decideByNumber('2026-3F9A1C-00001', pkg(), [], NOW)
    expect(idMatches(typed, ID_NUMBER)).toBe(true)
    expect(idMatches(typed, '110105194912310038')).toBe(false)
    const noCopy = pkg()
    noCopy.roster[0]!.identity = ''
    expect(idMatches(decideByNumber('2026-3F9A1C-00001', noCopy, [], NOW), ID_NUMBER)).toBeNull() // nothing to compare with
  })

  test('a verdict is fast: 200 scans against a 60-person roster take well under 100 ms each', () => {
    const big = pkg({
      roster: Array.from({ length: 60 }, (_, i) => ({
        ticketNumber: ticket(i + 1).number,
        candidateId: CAND(i + 1),
        name: `考生${i + 1}`,
        seat: i + 1,
        identity: toHex(ticket(i + 1).identity),
        photo: null,
      })),
    })
    const texts = Array.from({ length: 20 }, (_, i) => ct1(ticket(i + 1), i % 2 ? KEY_B : KEY_A))
    const t0 = performance.now()
    for (let r = 0; r < 10; r++) for (const t of texts) decideVerdict(t, big, [], NOW)
    expect((performance.now() - t0) / 200).toBeLessThan(100)
  })
})

describe('attendance (the 考勤 tab)', () => {
  test('present by the start, late after it, absent otherwise; the absent list is final after the late cut-off', () => {
    const p = pkg()
    const adm = [
      { ticketNumber: ticket(2).number, at: T_START - 60_000, door: 'a' },
      { ticketNumber: ticket(4).number, at: T_START + 5 * 60_000, door: 'a' },
      { ticketNumber: ticket(2).number, at: T_START + 60_000, door: 'b' }, // a second door: the first time counts
    ]
    const a = attendance(p, adm, T_START + 10 * 60_000)
    expect(a.present.map((e) => [e.seat, e.at])).toEqual([[2, T_START - 60_000]])
    expect(a.late.map((e) => e.seat)).toEqual([4])
    expect(a.absent.map((e) => e.seat)).toEqual([1, 3])
    expect(a.final).toBe(false)
    expect(attendance(p, adm, T_START + 15 * 60_000).final).toBe(false)
    expect(attendance(p, adm, T_START + 15 * 60_000 + 1).final).toBe(true)
  })
})
