import { describe, expect, test } from 'vitest'
import { ROLES } from '../server/domain/accounts/index.ts'
import type { Result } from '../server/domain/_result.ts'
import {
  PACKET_ACTIONS,
  PACKET_EVENTS,
  PACKET_MOVES,
  PACKET_STATES,
  approvePrint,
  confirmHandover,
  decideArchive,
  decideDispose,
  decideFreeze,
  decideOpen,
  decideReconcile,
  decideRecovery,
  decideReseal,
  decideSeal,
  decideStore,
  decideUnfreeze,
  decideVoid,
  dismissLeak,
  fileLeak,
  findMove,
  movesFor,
  offerHandover,
  type Actor,
  type CustodyEventDraft,
  type CustodyRefusal,
  type HandoverAction,
  type Packet,
  type PacketAction,
  type PacketMove,
  type PacketState,
} from '../server/domain/custody/index.ts'
import { HOLDER, RESEAL, SEAL, START, everything, packetIn, paper, person, printJob, refusal, value } from './domain-custody-fixtures.ts'

const LATER = Date.UTC(2030, 0, 1) // after the exam and after its retention
const RECEIVER = everything('r-receiver')
const SECOND_INVIGILATOR = person('i-second', 'invigilator')
const HANDOVERS: ReadonlySet<PacketAction> = new Set<HandoverAction>(['issue', 'hand_over', 'receive', 'send_back', 'return'])

/** A packet in `state` made ready for `actor` doing `action` (the holder is the actor where the move needs that). */
function ready(state: PacketState, action: PacketAction, actor: Actor): Packet {
  if (HANDOVERS.has(action)) {
    const resealed = state === 'recovered' ? { sealNumber: RESEAL, seals: [SEAL, RESEAL] } : {}
    const p = packetIn(state, resealed)
    return 'userId' in p.holder ? { ...p, holder: { userId: actor.userId } } : p
  }
  if (action === 'open') return packetIn(state, { holder: { userId: actor.userId } })
  if (action === 'reconcile') return packetIn(state, { sealNumber: RESEAL, seals: [SEAL, RESEAL], holder: { userId: actor.userId } })
  if (state === 'frozen' && action === 'unfreeze') return packetIn(state, { frozenFrom: 'in_vault' })
  return packetIn(state)
}

type Outcome = Result<{ packet: Packet; events: CustodyEventDraft[] }, CustodyRefusal>

/** Runs the real decision function of `action` with otherwise valid inputs, `actor` making the move. */
function attempt(action: PacketAction, p: Packet, actor: Actor): Outcome {
  const pp = paper()
  switch (action) {
    case 'seal':
      return decideSeal(p, { actor, witness: HOLDER, sealNumber: 'SEAL-9001' }, { sealTaken: false }, START)
    case 'store':
      return decideStore(p, { actor, witness: HOLDER, sealSeen: p.sealNumber ?? '' }, START)
    case 'issue':
    case 'hand_over':
    case 'receive':
    case 'send_back':
    case 'return': {
      const offer = offerHandover(
        p,
        pp,
        { id: 'h-1', action, giver: actor, receiver: RECEIVER, place: '库房', sealSeen: p.sealNumber, condition: 'intact' },
        { pending: null },
        START,
      )
      if (!offer.ok) return offer
      return confirmHandover(p, pp, offer.value.handover, { actor: RECEIVER, sealSeen: p.sealNumber, condition: 'intact' }, START + 1)
    }
    case 'open':
      return decideOpen(
        p,
        pp,
        { actor, second: SECOND_INVIGILATOR, sealSeen: SEAL },
        { roomInvigilators: [actor.userId, SECOND_INVIGILATOR.userId], sessionStartsAt: START, openMinutesBefore: 30 },
        START - 10 * 60_000,
      )
    case 'recover':
      return decideRecovery(
        p,
        { actor, counts: { used: 30, blank: 2, spoiled: 0, answerSheets: 32, scratchPaper: 64 }, incidentId: 'inc-1' },
        { roomInvigilators: [actor.userId] },
        START,
      )
    case 'reseal':
      return decideReseal(p, { actor, witness: HOLDER, sealNumber: 'SEAL-9002' }, { sealTaken: false }, START)
    case 'reconcile':
      return decideReconcile(p, { actor, sealSeen: RESEAL }, START)
    case 'archive':
      return decideArchive(p, { actor, witness: HOLDER, examDate: '2026-06-15' }, LATER)
    case 'dispose': {
      const r = decideDispose([p], { actor, witness: HOLDER, listId: 'list-1', method: '粉碎' }, LATER)
      return r.ok ? { ok: true, value: { packet: r.value.packets[0]!, events: r.value.events } } : r
    }
    case 'freeze':
      return decideFreeze(p, { actor, leakId: 'leak-1' }, START)
    case 'unfreeze':
      return decideUnfreeze(p, { actor, leakId: 'leak-1' }, START)
    case 'void':
      return decideVoid(p, { actor, witness: HOLDER, reason: '印刷错误' }, START)
  }
}

/** A witnessed move with the given witness (the actor otherwise as in attempt). */
function witnessedAttempt(action: PacketAction, p: Packet, actor: Actor, witness: Actor): Outcome {
  switch (action) {
    case 'seal':
      return decideSeal(p, { actor, witness, sealNumber: 'SEAL-9001' }, { sealTaken: false }, START)
    case 'store':
      return decideStore(p, { actor, witness, sealSeen: SEAL }, START)
    case 'reseal':
      return decideReseal(p, { actor, witness, sealNumber: 'SEAL-9002' }, { sealTaken: false }, START)
    case 'archive':
      return decideArchive(p, { actor, witness, examDate: '2026-06-15' }, LATER)
    case 'void':
      return decideVoid(p, { actor, witness, reason: 'x' }, START)
    case 'dispose': {
      const r = decideDispose([p], { actor, witness, listId: 'l', method: '粉碎' }, LATER)
      return r.ok ? { ok: true, value: { packet: r.value.packets[0]!, events: r.value.events } } : r
    }
    default:
      throw new Error(`${action} is not a witnessed move`)
  }
}

const expectedTo = (m: PacketMove, p: Packet): PacketState => (m.to === 'previous' ? p.frozenFrom! : m.to)
const rowName = (m: PacketMove) => `${m.from} --${m.action}--> ${m.to}`

describe('the state table (PACKET_MOVES)', () => {
  test('each (state, action) pair is listed at most once, and every state and action is real', () => {
    const keys = PACKET_MOVES.map((m) => `${m.from}/${m.action}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const m of PACKET_MOVES) {
      expect(PACKET_STATES).toContain(m.from)
      expect(PACKET_ACTIONS).toContain(m.action)
      if (m.to !== 'previous') expect(PACKET_STATES).toContain(m.to)
      expect(m.who.length).toBeGreaterThan(0)
    }
  })

  test('the main line runs printed → sealed → in vault → issued → received → opened → recovered → reconciled → archived → destroyed', () => {
    const line: Array<[PacketState, PacketAction]> = [
      ['printed', 'seal'],
      ['sealed', 'store'],
      ['in_vault', 'issue'],
      ['issued', 'receive'],
      ['received', 'open'],
      ['opened', 'recover'],
      ['recovered', 'reconcile'],
      ['reconciled', 'archive'],
      ['archived', 'dispose'],
    ]
    expect(line.map(([s, a]) => findMove(s, a)?.to)).toEqual([
      'sealed',
      'in_vault',
      'issued',
      'received',
      'opened',
      'recovered',
      'reconciled',
      'archived',
      'destroyed',
    ])
  })

  test('nothing leaves destroyed, and every other state has a way on', () => {
    expect(PACKET_MOVES.filter((m) => m.from === 'destroyed')).toEqual([])
    for (const s of PACKET_STATES)
      if (s !== 'destroyed')
        expect(
          PACKET_MOVES.some((m) => m.from === s),
          s,
        ).toBe(true)
  })

  for (const move of PACKET_MOVES) {
    describe(rowName(move), () => {
      for (const role of move.who) {
        test(`works for a ${role}`, () => {
          const actor = person(`u-${role}`, role)
          const p = ready(move.from, move.action, actor)
          const before = structuredClone(p)
          const out = value(attempt(move.action, p, actor))
          expect(out.packet.state).toBe(expectedTo(move, p))
          expect(out.packet.id).toBe(p.id)
          expect(out.events.map((e) => e.action)).toContain(PACKET_EVENTS[move.action])
          const ev = out.events.find((e) => e.action === PACKET_EVENTS[move.action])!
          expect(ev.subject).toEqual({ type: 'packet', id: p.id })
          expect(ev.data['people']).toContain(actor.userId)
          expect(p).toEqual(before) // decisions never change their inputs
        })
      }
      const others = ROLES.filter((r) => !move.who.includes(r))
      for (const role of others) {
        test(`is refused for a ${role} (packet.not_allowed_for_role)`, () => {
          const actor = person(`u-${role}`, role)
          const e = refusal(attempt(move.action, ready(move.from, move.action, actor), actor))
          expect(e).toMatchObject({ code: 'packet.not_allowed_for_role', action: move.action, as: 'actor', userId: actor.userId })
        })
      }
      if (move.receiver) {
        const receiverRoles = move.receiver
        for (const role of ROLES.filter((r) => !receiverRoles.includes(r))) {
          test(`cannot be received by a ${role} alone (packet.not_allowed_for_role), neither at the offer nor at the confirmation`, () => {
            const giver = person(`u-${move.who[0]}`, move.who[0]!)
            const p = ready(move.from, move.action, giver)
            const wrong = person('r-wrong', role)
            const offer = { id: 'h-1', action: move.action as HandoverAction, giver, place: '库房', sealSeen: p.sealNumber, condition: 'intact' as const }
            expect(refusal(offerHandover(p, paper(), { ...offer, receiver: wrong }, { pending: null }, START))).toMatchObject({
              code: 'packet.not_allowed_for_role',
              as: 'receiver',
              userId: 'r-wrong',
            })
            // the account had the role when offered, the receiver's own login no longer does
            const h = value(offerHandover(p, paper(), { ...offer, receiver: { userId: 'r-wrong', roles: receiverRoles } }, { pending: null }, START)).handover
            expect(refusal(confirmHandover(p, paper(), h, { actor: wrong, sealSeen: p.sealNumber, condition: 'intact' }, START))).toMatchObject({
              code: 'packet.not_allowed_for_role',
              as: 'receiver',
            })
          })
        }
      }
      if (move.witnesses) {
        const witnessRoles = move.witnessRoles ?? []
        for (const role of ROLES.filter((r) => !witnessRoles.includes(r))) {
          test(`is not witnessed by a ${role} (packet.not_allowed_for_role)`, () => {
            const actor = person(`u-${move.who[0]}`, move.who[0]!)
            const witness = person(HOLDER.userId, role)
            const p = ready(move.from, move.action, actor)
            expect(refusal(witnessedAttempt(move.action, p, actor, witness))).toMatchObject({ code: 'packet.not_allowed_for_role', as: 'witness' })
          })
        }
      }
    })
  }

  const unlisted = PACKET_STATES.flatMap((s) => PACKET_ACTIONS.filter((a) => !findMove(s, a)).map((a) => [s, a] as const))

  test('there are unlisted pairs to test, and each listed pair is not among them', () => {
    expect(unlisted.length + PACKET_MOVES.length).toBe(PACKET_STATES.length * PACKET_ACTIONS.length)
  })

  test.each(unlisted)('%s / %s is not a move: refused for someone holding every role, nothing changes', (state, action) => {
    const actor = everything('u-all')
    const p = ready(state, action, actor)
    const before = structuredClone(p)
    const e = refusal(attempt(action, p, actor))
    if (state === 'frozen') expect(e).toMatchObject({ code: 'packet.frozen', packetId: p.id, action })
    else expect(e).toMatchObject({ code: 'packet.wrong_state', packetId: p.id, state, action })
    expect(p).toEqual(before)
  })

  test('the moves a person could start are the listed ones their roles allow', () => {
    expect(movesFor(packetIn('received'), person('i', 'invigilator')).map((m) => m.action)).toEqual(['hand_over', 'send_back', 'open', 'freeze'])
    expect(movesFor(packetIn('received'), person('a', 'admin', 'registrar'))).toEqual([])
    expect(movesFor(packetIn('frozen'), person('s', 'supervisor')).map((m) => m.action)).toEqual(['unfreeze', 'void'])
  })

  test('a wrong-state refusal says from which states the action is allowed', () => {
    const e = refusal(decideSeal(packetIn('in_vault'), { actor: everything('a'), witness: HOLDER, sealNumber: 'SEAL-7' }, { sealTaken: false }, START))
    expect(e).toEqual({ code: 'packet.wrong_state', packetId: 'pk-1', state: 'in_vault', action: 'seal', allowedFrom: ['printed'] })
  })
})

describe('two-person steps: one person never completes one alone, whatever roles they hold', () => {
  const all = everything('u-all')

  test('a handover to oneself is refused (handover.same_person)', () => {
    const p = packetIn('issued', { holder: { userId: all.userId } })
    expect(
      refusal(
        offerHandover(
          p,
          paper(),
          { id: 'h', action: 'receive', giver: all, receiver: all, place: '考点', sealSeen: SEAL, condition: 'intact' },
          { pending: null },
          START,
        ),
      ),
    ).toEqual({ code: 'handover.same_person', packetId: p.id, userId: all.userId })
  })

  test('the giver cannot confirm their own offer (handover.same_person)', () => {
    const p = packetIn('issued', { holder: { userId: all.userId } })
    const h = value(
      offerHandover(
        p,
        paper(),
        { id: 'h', action: 'receive', giver: all, receiver: RECEIVER, place: '考点', sealSeen: SEAL, condition: 'intact' },
        { pending: null },
        START,
      ),
    ).handover
    expect(refusal(confirmHandover(p, paper(), h, { actor: all, sealSeen: SEAL, condition: 'intact' }, START)).code).toBe('handover.same_person')
  })

  test('opening with oneself as the second invigilator is refused (twoperson.same_person)', () => {
    const p = packetIn('received', { holder: { userId: all.userId } })
    const r = decideOpen(
      p,
      paper(),
      { actor: all, second: all, sealSeen: SEAL },
      { roomInvigilators: [all.userId], sessionStartsAt: START, openMinutesBefore: 30 },
      START,
    )
    expect(refusal(r)).toEqual({ code: 'twoperson.same_person', step: 'packet.open', userId: all.userId })
  })

  const witnessed = PACKET_MOVES.filter((m) => m.witnesses)
  test.each(witnessed.map((m) => [rowName(m), m] as const))("%s: witnessing one's own step is refused (twoperson.same_person)", (_n, m) => {
    const p = ready(m.from, m.action, all)
    const self = { ...p, holder: 'userId' in p.holder ? { userId: all.userId } : p.holder }
    expect(refusal(witnessedAttempt(m.action, self, all, all))).toMatchObject({ code: 'twoperson.same_person', userId: all.userId })
  })

  test('a witnessed step without a witness is refused (twoperson.second_required)', () => {
    const r = decideVoid(packetIn('sealed'), { actor: person('c', 'custodian'), reason: 'misprint' }, START)
    expect(refusal(r)).toEqual({ code: 'twoperson.second_required', step: 'packet.void', as: 'witness' })
  })

  test('approving one print job twice is refused (twoperson.same_person)', () => {
    const w = { opensAt: START - 1, closesAt: START }
    const once = value(approvePrint(printJob(), paper(), all, w, START)).job
    expect(refusal(approvePrint(once, paper(), all, w, START))).toEqual({ code: 'twoperson.same_person', step: 'print.approve', userId: all.userId })
  })

  test('a supervisor cannot dismiss the leak report they filed themself (twoperson.same_person)', () => {
    const filed = value(fileLeak(paper(), [], { id: 'leak-1', actor: all, level: 'suspected', description: '群内流传照片' }, { rooms: [] }, START))
    expect(refusal(dismissLeak(filed.report, filed.paper, [], { actor: all, reason: '误报' }, START))).toMatchObject({
      code: 'twoperson.same_person',
      step: 'leak.dismiss',
    })
  })
})

describe('holding a packet', () => {
  test('only its holder hands a packet on (packet.not_holder)', () => {
    const p = packetIn('issued') // held by HOLDER
    const other = person('c-other', 'custodian')
    const r = offerHandover(
      p,
      paper(),
      { id: 'h', action: 'hand_over', giver: other, receiver: RECEIVER, place: '途中', sealSeen: SEAL, condition: 'intact' },
      { pending: null },
      START,
    )
    expect(refusal(r)).toEqual({ code: 'packet.not_holder', packetId: p.id, userId: 'c-other', holder: { userId: HOLDER.userId } })
  })

  test("a packet in someone's hands is not sealed or stored without them (packet.not_holder)", () => {
    const a = person('c-a', 'custodian'),
      b = person('c-b', 'custodian')
    expect(refusal(decideSeal(packetIn('printed'), { actor: a, witness: b, sealNumber: 'SEAL-5' }, { sealTaken: false }, START)).code).toBe('packet.not_holder')
    expect(refusal(decideStore(packetIn('issued'), { actor: a, witness: b, sealSeen: SEAL }, START)).code).toBe('packet.not_holder')
  })
})
