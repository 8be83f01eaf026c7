import { describe, expect, test } from 'vitest'
import {
  DEFAULT_PRINT_WINDOW,
  confirmLeak,
  confirmHandover,
  decideDecrypt,
  decideOpen,
  decideRecovery,
  dismissLeak,
  fileLeak,
  offerHandover,
  printWindow,
  suspendSessions,
  switchToPaperB,
  type LeakReport,
  type Packet,
  type Paper,
} from '../server/domain/custody/index.ts'
import { HOLDER, HOUR, SEAL, START, packetIn, paper, person, printJob, refusal, value } from './domain-custody-fixtures.ts'

const invigilator = person('i-1', 'invigilator')
const s1 = person('s-1', 'supervisor')
const s2 = person('s-2', 'supervisor')
const vault = person('c-vault', 'custodian')

/** One paper's packets spread along the line when the report comes in. */
function spread(): Packet[] {
  return [
    packetIn('printed', { id: 'pk-printed', copies: { first: 1, last: 10 } }),
    packetIn('sealed', { id: 'pk-sealed', copies: { first: 11, last: 20 } }),
    packetIn('in_vault', { id: 'pk-vault', copies: { first: 21, last: 30 } }),
    packetIn('issued', { id: 'pk-issued', roomId: 'R2', copies: { first: 31, last: 40 } }),
    packetIn('received', { id: 'pk-received', roomId: 'R3', copies: { first: 41, last: 50 } }),
    packetIn('opened', { id: 'pk-opened', roomId: 'R4', copies: { first: 51, last: 60 } }),
  ]
}

/** The invigilator is assigned to room R2 of the session: the room of pk-issued (copies 31–40). */
const ROOM_R2 = { rooms: [{ sessionId: 'sess-1', roomId: 'R2' }] }
const NO_ROOMS = { rooms: [] }

const file = (p: Paper = paper(), packets = spread(), over: Partial<Parameters<typeof fileLeak>[2]> = {}) =>
  value(
    fileLeak(
      p,
      packets,
      { id: 'leak-1', actor: invigilator, level: 'suspected', description: '考生称在群里看到第 35 号试卷照片', copyNumber: 35, ...over },
      ROOM_R2,
      START - 2 * HOUR,
    ),
  )

describe('filing a leak report (R5.4)', () => {
  test('at once: the paper is frozen, every packet that could still spread it is frozen where it is, supervisors are alerted', () => {
    const { report, paper: frozen, packets, events } = file()
    expect(report).toMatchObject({
      id: 'leak-1',
      paperId: 'paper-A',
      examSessionId: 'sess-1',
      level: 'suspected',
      state: 'open',
      filedBy: 'i-1',
      packetId: 'pk-issued',
      copyNumber: 35,
    })
    expect(frozen).toMatchObject({ state: 'frozen', frozenBy: ['leak-1'] })
    expect(packets.map((p) => [p.id, p.state, p.frozenFrom])).toEqual([
      ['pk-printed', 'frozen', 'printed'],
      ['pk-sealed', 'frozen', 'sealed'],
      ['pk-vault', 'frozen', 'in_vault'],
      ['pk-issued', 'frozen', 'issued'],
      ['pk-received', 'frozen', 'received'],
    ])
    expect(events.map((e) => e.action)).toEqual(['custody.leak.filed', 'custody.paper.frozen', ...Array(5).fill('custody.packet.frozen'), 'custody.alert.leak'])
    expect(events.at(-1)!.data).toMatchObject({ frozenPackets: ['pk-printed', 'pk-sealed', 'pk-vault', 'pk-issued', 'pk-received'] })
  })

  test('a report naming a copy number names its packet and room in the alert', () => {
    const { report, events } = file(undefined, undefined, { copyNumber: 35 })
    expect(report).toMatchObject({ packetId: 'pk-issued', copyNumber: 35 })
    expect(events.at(-1)!.data).toMatchObject({ packetId: 'pk-issued', roomId: 'R2', copyNumber: 35 })
  })

  test('a copy or packet not of this paper is refused (leak.target_invalid)', () => {
    expect(refusal(fileLeak(paper(), spread(), { id: 'l', actor: vault, level: 'confirmed', description: 'x', copyNumber: 999 }, NO_ROOMS, 0))).toEqual({
      code: 'leak.target_invalid',
      packetId: null,
      copyNumber: 999,
    })
    expect(
      refusal(fileLeak(paper(), spread(), { id: 'l', actor: vault, level: 'confirmed', description: 'x', packetId: 'pk-vault', copyNumber: 35 }, NO_ROOMS, 0))
        .code,
    ).toBe('leak.target_invalid')
  })

  test('custodians, invigilators and supervisors may file; others may not (leak.not_allowed_for_role)', () => {
    for (const role of ['custodian', 'invigilator', 'supervisor'] as const) {
      expect(
        fileLeak(paper(), spread(), { id: 'l', actor: person('u', role), level: 'suspected', description: 'x', packetId: 'pk-issued' }, ROOM_R2, 0).ok,
      ).toBe(true)
    }
    for (const role of ['admin', 'registrar', 'examiner', 'verifier'] as const) {
      expect(refusal(fileLeak(paper(), [], { id: 'l', actor: person('u', role), level: 'suspected', description: 'x' }, ROOM_R2, 0)).code).toBe(
        'leak.not_allowed_for_role',
      )
    }
  })

  test('a report says what happened (leak.description_required)', () => {
    expect(refusal(fileLeak(paper(), [], { id: 'l', actor: invigilator, level: 'suspected', description: ' ' }, ROOM_R2, 0)).code).toBe(
      'leak.description_required',
    )
  })

  test('a second report on a frozen paper keeps it frozen by both', () => {
    const first = file()
    const second = value(fileLeak(first.paper, first.packets, { id: 'leak-2', actor: s1, level: 'suspected', description: '另一来源' }, NO_ROOMS, START))
    expect(second.paper).toMatchObject({ state: 'frozen', frozenBy: ['leak-1', 'leak-2'] })
    expect(second.packets).toEqual([]) // already frozen
    expect(second.events.map((e) => e.action)).toEqual(['custody.leak.filed', 'custody.alert.leak'])
  })
})

describe('a reporter names what they saw (decision record 006)', () => {
  const attempt = (over: Partial<Parameters<typeof fileLeak>[2]>, scope = ROOM_R2) =>
    fileLeak(paper(), spread(), { id: 'l', actor: invigilator, level: 'suspected', description: '看到试卷照片', ...over }, scope, START)

  test('an invigilator with no assignment is refused, whatever they name (leak.out_of_scope)', () => {
    expect(refusal(attempt({ packetId: 'pk-issued' }, NO_ROOMS))).toEqual({ code: 'leak.out_of_scope', userId: 'i-1', packetId: 'pk-issued', copyNumber: null })
    expect(refusal(attempt({ copyNumber: 35 }, NO_ROOMS)).code).toBe('leak.out_of_scope')
  })

  test('an invigilator may not report a whole paper without naming a packet or a copy (leak.target_required)', () => {
    expect(refusal(attempt({}))).toEqual({ code: 'leak.target_required', userId: 'i-1' })
  })

  test("an invigilator reports their own room's packet, or a copy number in it; another room's is refused (leak.out_of_scope)", () => {
    expect(value(attempt({ packetId: 'pk-issued' })).report.packetId).toBe('pk-issued')
    expect(value(attempt({ copyNumber: 38 })).report.packetId).toBe('pk-issued')
    expect(refusal(attempt({ packetId: 'pk-received' })).code).toBe('leak.out_of_scope')
    expect(refusal(attempt({ copyNumber: 45 })).code).toBe('leak.out_of_scope')
    // the room of another session is not theirs either
    expect(refusal(attempt({ packetId: 'pk-issued' }, { rooms: [{ sessionId: 'sess-2', roomId: 'R2' }] })).code).toBe('leak.out_of_scope')
  })

  test("an unknown copy number gets the same answer as another room's: no oracle for what exists (leak.out_of_scope)", () => {
    expect(refusal(attempt({ copyNumber: 999 })).code).toBe('leak.out_of_scope')
  })

  test('a holder of the packet may report it, assigned or not', () => {
    const held = spread().map((p) => (p.id === 'pk-received' ? { ...p, holder: { userId: 'i-1' } } : p))
    expect(fileLeak(paper(), held, { id: 'l', actor: invigilator, level: 'suspected', description: 'x', packetId: 'pk-received' }, NO_ROOMS, START).ok).toBe(
      true,
    )
  })

  test('custodians and supervisors report any packet, copy or the paper itself', () => {
    for (const actor of [vault, s1]) {
      expect(fileLeak(paper(), spread(), { id: 'l', actor, level: 'suspected', description: 'x' }, NO_ROOMS, START).ok).toBe(true)
      expect(fileLeak(paper(), spread(), { id: 'l', actor, level: 'suspected', description: 'x', copyNumber: 45 }, NO_ROOMS, START).ok).toBe(true)
    }
  })
})

describe('a leak mid-flow: nothing spreads the paper further', () => {
  const { paper: frozenPaper, packets } = file()
  const byId = (id: string) => packets.find((p) => p.id === id)!

  test('no decryption of another job of the paper (paper.frozen)', () => {
    const job = printJob({ id: 'job-2', state: 'approved', approvals: ['c-1', 'c-2'] })
    expect(refusal(decideDecrypt(job, frozenPaper, person('c-1', 'custodian'), printWindow(START, DEFAULT_PRINT_WINDOW), START - 2 * HOUR)).code).toBe(
      'paper.frozen',
    )
  })

  test('an issued packet is not handed on or received (packet.frozen)', () => {
    const p = byId('pk-issued')
    for (const action of ['hand_over', 'receive'] as const) {
      const r = offerHandover(
        p,
        frozenPaper,
        { id: 'h', action, giver: HOLDER, receiver: invigilator, place: '途中', sealSeen: SEAL, condition: 'intact' },
        { pending: null },
        START,
      )
      expect(refusal(r)).toMatchObject({ code: 'packet.frozen', action, frozenFrom: 'issued' })
    }
  })

  test('a received packet is not opened (packet.frozen)', () => {
    const p = { ...byId('pk-received'), holder: { userId: 'i-1' } }
    const r = decideOpen(
      p,
      frozenPaper,
      { actor: invigilator, second: person('i-2', 'invigilator'), sealSeen: SEAL },
      { roomInvigilators: ['i-1', 'i-2'], sessionStartsAt: START, openMinutesBefore: 30 },
      START,
    )
    expect(refusal(r).code).toBe('packet.frozen')
  })

  test("the vault's packets are not issued (packet.frozen)", () => {
    const r = offerHandover(
      byId('pk-vault'),
      frozenPaper,
      { id: 'h', action: 'issue', giver: vault, receiver: HOLDER, place: '保密室', sealSeen: SEAL, condition: 'intact' },
      { pending: null },
      START,
    )
    expect(refusal(r).code).toBe('packet.frozen')
  })

  test('but a frozen packet in transit comes back to a custodian', () => {
    const p = byId('pk-issued')
    const h = value(
      offerHandover(
        p,
        frozenPaper,
        { id: 'h', action: 'return', giver: HOLDER, receiver: vault, place: '保密室', sealSeen: SEAL, condition: 'intact' },
        { pending: null },
        START,
      ),
    ).handover
    expect(value(confirmHandover(p, frozenPaper, h, { actor: vault, sealSeen: SEAL, condition: 'intact' }, START)).packet).toMatchObject({
      state: 'frozen',
      holder: { userId: 'c-vault' },
    })
  })

  test('an opened packet stays in its room and is recovered as usual', () => {
    const opened = spread().find((p) => p.id === 'pk-opened')!
    const r = decideRecovery(
      opened,
      { actor: invigilator, counts: { used: 28, blank: 2, spoiled: 0, answerSheets: 32, scratchPaper: 64 }, incidentId: 'inc' },
      { roomInvigilators: ['i-1'] },
      START + 2 * HOUR,
    )
    expect(value(r).packet.state).toBe('recovered')
  })
})

describe('deciding a report', () => {
  test('a supervisor other than the filer dismisses it: the paper thaws and each packet returns to where it was', () => {
    const filed = file()
    const all = spread().map((p) => filed.packets.find((f) => f.id === p.id) ?? p)
    const { report, paper: p, packets, events } = value(dismissLeak(filed.report, filed.paper, all, { actor: s1, reason: '照片为往年试卷' }, START))
    expect(report).toMatchObject({ state: 'dismissed', decidedBy: 's-1', reason: '照片为往年试卷' })
    expect(p).toMatchObject({ state: 'active', frozenBy: [] })
    expect(packets.map((x) => [x.id, x.state, x.frozenFrom])).toEqual([
      ['pk-printed', 'printed', null],
      ['pk-sealed', 'sealed', null],
      ['pk-vault', 'in_vault', null],
      ['pk-issued', 'issued', null],
      ['pk-received', 'received', null],
    ])
    expect(events.slice(0, 2).map((e) => e.action)).toEqual(['custody.leak.dismissed', 'custody.paper.unfrozen'])
  })

  test('while another report on the paper is open, dismissing one thaws nothing', () => {
    const first = file()
    const second = value(fileLeak(first.paper, first.packets, { id: 'leak-2', actor: s2, level: 'suspected', description: '另一来源' }, NO_ROOMS, START))
    const r = value(dismissLeak(first.report, second.paper, first.packets, { actor: s2, reason: '误报' }, START))
    expect(r.paper).toMatchObject({ state: 'frozen', frozenBy: ['leak-2'] })
    expect(r.packets).toEqual([])
  })

  test('a supervisor confirms: the paper is retired and its frozen packets voided, kept as evidence', () => {
    const filed = file()
    const { report, paper: p, packets, events } = value(confirmLeak(filed.report, filed.paper, filed.packets, { actor: s1, reason: '核实为本场试卷' }, START))
    expect(report).toMatchObject({ state: 'confirmed', decidedBy: 's-1', decidedAt: START })
    expect(p.state).toBe('retired')
    expect(packets.every((x) => x.state === 'voided' && x.voidReason === 'leak leak-1 confirmed: 核实为本场试卷')).toBe(true)
    expect(packets).toHaveLength(5)
    expect(events.slice(0, 2).map((e) => e.action)).toEqual(['custody.leak.confirmed', 'custody.paper.retired'])
    expect(events[0]!.data).toMatchObject({ reportedBy: 'i-1', confirmedBy: 's-1' })
  })

  test('a supervisor cannot confirm their own report: a second supervisor confirms (twoperson.same_person)', () => {
    const filed = value(fileLeak(paper(), [], { id: 'leak-1', actor: s1, level: 'confirmed', description: '试卷外泄' }, NO_ROOMS, START))
    expect(refusal(confirmLeak(filed.report, filed.paper, [], { actor: s1, reason: '确认' }, START))).toEqual({
      code: 'twoperson.same_person',
      step: 'leak.confirm',
      userId: 's-1',
    })
    expect(value(confirmLeak(filed.report, filed.paper, [], { actor: s2, reason: '确认' }, START)).report).toMatchObject({
      state: 'confirmed',
      filedBy: 's-1',
      decidedBy: 's-2',
    })
  })

  test('only supervisors decide (leak.not_allowed_for_role); with a reason (leak.reason_required); once (leak.wrong_state)', () => {
    const filed = file()
    expect(refusal(confirmLeak(filed.report, filed.paper, [], { actor: person('c', 'custodian', 'admin'), reason: 'x' }, 0)).code).toBe(
      'leak.not_allowed_for_role',
    )
    expect(refusal(confirmLeak(filed.report, filed.paper, [], { actor: s1, reason: '' }, 0))).toEqual({ code: 'leak.reason_required', action: 'leak.confirm' })
    const done = value(confirmLeak(filed.report, filed.paper, [], { actor: s1, reason: 'x' }, 0))
    expect(refusal(dismissLeak(done.report, done.paper, [], { actor: s2, reason: 'x' }, 0))).toEqual({
      code: 'leak.wrong_state',
      leakId: 'leak-1',
      state: 'confirmed',
      action: 'leak.dismiss',
    })
  })
})

describe('after a confirmed leak: 停考 or paper B', () => {
  const confirmed = (): { report: LeakReport; paper: Paper } => {
    const filed = file()
    const c = value(confirmLeak(filed.report, filed.paper, filed.packets, { actor: s1, reason: '核实' }, START))
    return { report: c.report, paper: c.paper }
  }
  const session = { id: 'sess-1', status: 'scheduled' as const }
  const paperB = paper({ id: 'paper-B', kind: 'paper_b', title: '理论知识 B 卷' })

  test('the affected session is suspended, the decision logged with its reason and both people it rests on (reporter, confirmer)', () => {
    const { report, sessions, events } = value(suspendSessions(confirmed().report, [session], { actor: s2, reason: '试卷泄露，停考' }, START))
    expect(sessions).toEqual([{ id: 'sess-1', status: 'suspended' }])
    expect(report.decisions).toEqual([
      {
        sessionId: 'sess-1',
        decision: 'suspended',
        paperId: null,
        reason: '试卷泄露，停考',
        decidedBy: 's-2',
        decidedAt: START,
        reportedBy: 'i-1',
        confirmedBy: 's-1',
      },
    ])
    expect(events).toEqual([
      {
        action: 'custody.session.suspended',
        subject: { type: 'exam_session', id: 'sess-1' },
        where: null,
        data: { leakId: 'leak-1', paperId: 'paper-A', reason: '试卷泄露，停考', reportedBy: 'i-1', confirmedBy: 's-1', people: ['s-2'] },
      },
    ])
  })

  test('or it switches to an unfrozen paper B of the same session', () => {
    const c = confirmed()
    const { decision, events } = value(switchToPaperB(c.report, c.paper, paperB, session, { actor: s2, reason: '启用 B 卷' }, START))
    expect(decision).toEqual({
      sessionId: 'sess-1',
      decision: 'switched_to_paper_b',
      paperId: 'paper-B',
      reason: '启用 B 卷',
      decidedBy: 's-2',
      decidedAt: START,
      reportedBy: 'i-1',
      confirmedBy: 's-1',
    })
    expect(events[0]).toMatchObject({
      action: 'custody.session.switched_to_paper_b',
      data: { fromPaperId: 'paper-A', toPaperId: 'paper-B', reportedBy: 'i-1', confirmedBy: 's-1' },
    })
  })

  test('paper B must be available: not frozen, a paper B, of the same session (paper_b.unavailable)', () => {
    const c = confirmed()
    const sw = (b: Paper) => refusal(switchToPaperB(c.report, c.paper, b, session, { actor: s2, reason: 'B' }, START))
    expect(sw(paper({ ...paperB, state: 'frozen', frozenBy: ['leak-9'] }))).toEqual({
      code: 'paper_b.unavailable',
      reason: 'frozen',
      paperId: 'paper-B',
      state: 'frozen',
    })
    expect(sw({ ...paperB, state: 'retired' })).toMatchObject({ reason: 'retired' })
    expect(sw({ ...paperB, kind: 'answer_key' })).toMatchObject({ reason: 'not_paper_b' })
    expect(sw({ ...paperB, examSessionId: 'sess-2' })).toMatchObject({ reason: 'other_session' })
  })

  test('nothing is decided on a report not confirmed (leak.not_confirmed)', () => {
    expect(refusal(suspendSessions(file().report, [session], { actor: s2, reason: 'x' }, 0))).toEqual({
      code: 'leak.not_confirmed',
      leakId: 'leak-1',
      state: 'open',
    })
  })

  test("only the paper's own session is affected (session.not_affected); a session is suspended once (session.wrong_state)", () => {
    const c = confirmed()
    expect(refusal(suspendSessions(c.report, [{ id: 'sess-2', status: 'scheduled' }], { actor: s2, reason: 'x' }, 0)).code).toBe('session.not_affected')
    expect(refusal(suspendSessions(c.report, [{ id: 'sess-1', status: 'suspended' }], { actor: s2, reason: 'x' }, 0)).code).toBe('session.wrong_state')
    expect(refusal(switchToPaperB(c.report, c.paper, paperB, { id: 'sess-1', status: 'suspended' }, { actor: s2, reason: 'x' }, 0)).code).toBe(
      'session.wrong_state',
    )
  })
})
