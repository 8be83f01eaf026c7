import { describe, expect, test } from 'vitest'
import {
  alertFor,
  decideFreeze,
  decideReconcile,
  decideReseal,
  decideSeal,
  decideStore,
  decideUnfreeze,
  decideVoid,
  normalizeSeal,
} from '../server/domain/custody/index.ts'
import { HOLDER, RESEAL, SEAL, START, packetIn, person, refusal, value } from './domain-custody-fixtures.ts'

const c1 = person('c-1', 'custodian')
const i1 = person('i-1', 'invigilator')

describe('sealing (R5.3)', () => {
  test('sealing records the seal number (normalised), the witness, and keeps the holder', () => {
    const { packet, events } = value(decideSeal(packetIn('printed'), { actor: c1, witness: HOLDER, sealNumber: ' seal-0001 ' }, { sealTaken: false }, 7))
    expect(packet).toMatchObject({ state: 'sealed', sealNumber: SEAL, seals: [SEAL], holder: { userId: HOLDER.userId }, updatedAt: 7 })
    expect(events).toEqual([
      {
        action: 'custody.packet.sealed',
        subject: { type: 'packet', id: 'pk-1' },
        where: null,
        data: {
          paperId: 'paper-A',
          from: 'printed',
          to: 'sealed',
          seal: SEAL,
          witness: HOLDER.userId,
          holder: { userId: HOLDER.userId },
          people: ['c-1', HOLDER.userId],
        },
      },
    ])
  })

  test.each(['', 'ab', 'SEAL 01', '封条001', '-LEADING'])('%j is not a seal number (seal.invalid)', (s) => {
    expect(refusal(decideSeal(packetIn('printed'), { actor: c1, witness: HOLDER, sealNumber: s }, { sealTaken: false }, 0)).code).toBe('seal.invalid')
  })

  test('a seal number already used elsewhere is refused (seal.already_used)', () => {
    expect(refusal(decideSeal(packetIn('printed'), { actor: c1, witness: HOLDER, sealNumber: 'SEAL-5' }, { sealTaken: true }, 0))).toEqual({
      code: 'seal.already_used',
      sealNumber: 'SEAL-5',
    })
  })

  test('seal numbers compare as printed serials', () => {
    expect(normalizeSeal('  ab-12 ')).toBe('AB-12')
  })
})

describe('storing in the vault', () => {
  test('two keyholders store a sealed packet, the seal checked; the vault holds it', () => {
    const { packet } = value(decideStore(packetIn('sealed'), { actor: c1, witness: HOLDER, sealSeen: SEAL }, 0))
    expect(packet).toMatchObject({ state: 'in_vault', holder: { place: 'vault' } })
  })

  test('the second keyholder must be a custodian too (packet.not_allowed_for_role)', () => {
    const r = decideStore(packetIn('sealed', { holder: { userId: 'c-1' } }), { actor: c1, witness: person('s', 'supervisor'), sealSeen: SEAL }, 0)
    expect(refusal(r)).toMatchObject({ code: 'packet.not_allowed_for_role', as: 'witness', allowed: ['custodian'] })
  })

  test('a wrong seal keeps it out of the vault and raises an alert (packet.seal_mismatch)', () => {
    const e = refusal(decideStore(packetIn('sealed'), { actor: c1, witness: HOLDER, sealSeen: 'SEAL-0404' }, 0))
    expect(e).toEqual({ code: 'packet.seal_mismatch', packetId: 'pk-1', seen: 'SEAL-0404', seenBy: 'c-1' })
    expect(alertFor(e)).not.toBeNull()
  })

  test('an unopened packet that came back goes into the vault again', () => {
    const p = packetIn('issued', { holder: { userId: 'c-1' } })
    expect(value(decideStore(p, { actor: c1, witness: person('c-2', 'custodian'), sealSeen: SEAL }, 0)).packet).toMatchObject({
      state: 'in_vault',
      holder: { place: 'vault' },
    })
  })
})

describe('resealing recovered material (R5.5)', () => {
  test('a new seal, witnessed; the resealer takes the packet', () => {
    const { packet, events } = value(
      decideReseal(packetIn('recovered'), { actor: i1, witness: person('i-2', 'invigilator'), sealNumber: RESEAL }, { sealTaken: false }, 0),
    )
    expect(packet).toMatchObject({ state: 'recovered', sealNumber: RESEAL, seals: [SEAL, RESEAL], holder: { userId: 'i-1' } })
    expect(events[0]).toMatchObject({ action: 'custody.packet.resealed', where: { room: 'R1' } })
  })

  test('the packing seal cannot be used again (seal.already_used)', () => {
    expect(refusal(decideReseal(packetIn('recovered'), { actor: i1, witness: HOLDER, sealNumber: SEAL }, { sealTaken: false }, 0)).code).toBe(
      'seal.already_used',
    )
  })

  test('a packet is resealed once (packet.already_sealed)', () => {
    const p = packetIn('recovered', { sealNumber: RESEAL, seals: [SEAL, RESEAL] })
    expect(refusal(decideReseal(p, { actor: i1, witness: HOLDER, sealNumber: 'SEAL-0003' }, { sealTaken: false }, 0))).toEqual({
      code: 'packet.already_sealed',
      packetId: 'pk-1',
    })
  })
})

describe('reconciling', () => {
  const back = () => packetIn('recovered', { sealNumber: RESEAL, seals: [SEAL, RESEAL], holder: { userId: 'c-1' } })

  test('the custodian who has it checks the reseal and accepts the recovery record', () => {
    const { packet, events } = value(decideReconcile(back(), { actor: c1, sealSeen: RESEAL }, 0))
    expect(packet.state).toBe('reconciled')
    expect(events[0]!.data).toMatchObject({ balanced: true, incidentId: null, difference: { copies: 0, answerSheets: 0, scratchPaper: 0 } })
  })

  test("someone else's packet is not reconciled (packet.not_holder)", () => {
    expect(refusal(decideReconcile(back(), { actor: person('c-2', 'custodian'), sealSeen: RESEAL }, 0)).code).toBe('packet.not_holder')
  })

  test('an unresealed packet is not reconciled (packet.not_resealed)', () => {
    expect(refusal(decideReconcile(packetIn('recovered', { holder: { userId: 'c-1' } }), { actor: c1, sealSeen: '' }, 0)).code).toBe('packet.not_resealed')
  })

  test('the reseal must match (packet.seal_mismatch)', () => {
    expect(refusal(decideReconcile(back(), { actor: c1, sealSeen: SEAL }, 0))).toEqual({
      code: 'packet.seal_mismatch',
      packetId: 'pk-1',
      seen: SEAL,
      seenBy: 'c-1',
    })
  })
})

describe('voiding, freezing, unfreezing', () => {
  test('a misprinted packet is voided with a reason, witnessed', () => {
    const { packet } = value(decideVoid(packetIn('printed'), { actor: c1, witness: HOLDER, reason: ' 卡纸 ' }, 0))
    expect(packet).toMatchObject({ state: 'voided', voidReason: '卡纸' })
  })

  test('a void needs a reason (void.reason_required)', () => {
    expect(refusal(decideVoid(packetIn('printed'), { actor: c1, witness: HOLDER, reason: ' ' }, 0)).code).toBe('void.reason_required')
  })

  test('freezing remembers the state; unfreezing returns to it', () => {
    const frozen = value(decideFreeze(packetIn('issued'), { actor: i1, leakId: 'leak-1' }, START)).packet
    expect(frozen).toMatchObject({ state: 'frozen', frozenFrom: 'issued', holder: { userId: HOLDER.userId } })
    const thawed = value(decideUnfreeze(frozen, { actor: person('s', 'supervisor'), leakId: 'leak-1' }, START + 1)).packet
    expect(thawed).toMatchObject({ state: 'issued', frozenFrom: null })
  })

  test('an opened packet is not frozen: it is in the room and will be recovered (packet.wrong_state)', () => {
    expect(refusal(decideFreeze(packetIn('opened'), { actor: i1, leakId: 'leak-1' }, 0)).code).toBe('packet.wrong_state')
  })
})
