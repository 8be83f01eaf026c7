import { describe, expect, test } from 'vitest'
import { alertFor, closeHandover, confirmHandover, isAlert, offerHandover, type Handover, type HandoverOffer } from '../server/domain/custody/index.ts'
import { HOLDER, RESEAL, SEAL, START, packetIn, paper, person, refusal, value } from './domain-custody-fixtures.ts'

const courier = person('c-courier', 'custodian')
const site = person('i-site', 'invigilator')
const vaultKeeper = person('c-vault', 'custodian')
const issued = () => packetIn('issued', { holder: { userId: courier.userId } })
const offer = (over: Partial<HandoverOffer> = {}): HandoverOffer => ({
  id: 'h-1',
  action: 'receive',
  giver: courier,
  receiver: site,
  place: '第一考点',
  sealSeen: SEAL,
  condition: 'intact',
  ...over,
})
const offered = (): Handover => value(offerHandover(issued(), paper(), offer(), { pending: null }, START - 3_600_000)).handover

describe('offering a packet', () => {
  test('the offer records giver, receiver, place, time, seal seen and condition, and leaves the packet where it is', () => {
    const { handover, events } = value(offerHandover(issued(), paper(), offer({ sealSeen: ' seal-0001 ' }), { pending: null }, 100))
    expect(handover).toEqual({
      id: 'h-1',
      packetId: 'pk-1',
      action: 'receive',
      fromState: 'issued',
      giver: 'c-courier',
      receiver: 'i-site',
      place: '第一考点',
      offeredAt: 100,
      giverSealSeen: SEAL,
      giverCondition: 'intact',
      state: 'offered',
      receiverSealSeen: null,
      receiverCondition: null,
      closedAt: null,
      closeReason: null,
    })
    expect(events).toEqual([
      {
        action: 'custody.handover.offered',
        subject: { type: 'packet', id: 'pk-1' },
        where: null,
        data: {
          paperId: 'paper-A',
          handoverId: 'h-1',
          move: 'receive',
          giver: 'c-courier',
          receiver: 'i-site',
          place: '第一考点',
          sealSeen: SEAL,
          condition: 'intact',
          holder: { userId: 'c-courier' },
          people: ['c-courier'],
        },
      },
    ])
  })

  test('a seal number that does not match blocks the offer and raises an alert; the refusal never echoes the expected seal (packet.seal_mismatch)', () => {
    const e = refusal(offerHandover(issued(), paper(), offer({ sealSeen: 'SEAL-0009' }), { pending: null }, 0))
    expect(e).toEqual({ code: 'packet.seal_mismatch', packetId: 'pk-1', seen: 'SEAL-0009', seenBy: 'c-courier' })
    expect(JSON.stringify(e)).not.toContain(SEAL)
    // supervisors read expected beside seen in the alert
    const alert = alertFor(e, SEAL)!
    expect(alert).toEqual({
      action: 'custody.alert.seal_mismatch',
      subject: { type: 'packet', id: 'pk-1' },
      where: null,
      data: { expected: SEAL, seen: 'SEAL-0009', seenBy: 'c-courier', people: ['c-courier'] },
    })
    expect(isAlert(alert)).toBe(true)
  })

  test('a missing seal number is a mismatch too', () => {
    expect(refusal(offerHandover(issued(), paper(), offer({ sealSeen: '' }), { pending: null }, 0))).toMatchObject({ code: 'packet.seal_mismatch', seen: null })
  })

  test('a damaged packet is not handed on, and that raises an alert (packet.damaged)', () => {
    const e = refusal(offerHandover(issued(), paper(), offer({ condition: 'damaged' }), { pending: null }, 0))
    expect(e).toEqual({ code: 'packet.damaged', packetId: 'pk-1', seenBy: 'c-courier' })
    expect(alertFor(e)?.action).toBe('custody.alert.packet_damaged')
  })

  test('other refusals raise no alert', () => {
    expect(alertFor({ code: 'handover.place_required' })).toBeNull()
  })

  test('one open offer per packet (handover.already_pending)', () => {
    expect(refusal(offerHandover(issued(), paper(), offer({ id: 'h-2' }), { pending: offered() }, 0))).toEqual({
      code: 'handover.already_pending',
      packetId: 'pk-1',
      handoverId: 'h-1',
    })
  })

  test('a handover names its place (handover.place_required)', () => {
    expect(refusal(offerHandover(issued(), paper(), offer({ place: '  ' }), { pending: null }, 0)).code).toBe('handover.place_required')
  })

  test('a packet of a frozen paper is not issued, even if the packet itself escaped the freeze (paper.frozen)', () => {
    const p = packetIn('in_vault')
    const r = offerHandover(
      p,
      paper({ state: 'frozen', frozenBy: ['leak-1'] }),
      offer({ action: 'issue', giver: vaultKeeper, receiver: courier }),
      { pending: null },
      0,
    )
    expect(refusal(r).code).toBe('paper.frozen')
  })

  test('recovered material leaves the room only resealed (packet.not_resealed)', () => {
    const p = packetIn('recovered', { holder: { userId: site.userId } })
    expect(refusal(offerHandover(p, paper(), offer({ action: 'return', giver: site, receiver: vaultKeeper, sealSeen: null }), { pending: null }, 0))).toEqual({
      code: 'packet.not_resealed',
      packetId: 'pk-1',
    })
  })

  test('a packet is issued from the vault by a custodian to a courier', () => {
    const p = packetIn('in_vault')
    const h = value(
      offerHandover(p, paper(), offer({ action: 'issue', giver: vaultKeeper, receiver: courier, place: '保密室' }), { pending: null }, 0),
    ).handover
    const done = value(confirmHandover(p, paper(), h, { actor: courier, sealSeen: SEAL, condition: 'intact' }, 5))
    expect(done.packet).toMatchObject({ state: 'issued', holder: { userId: 'c-courier' } })
  })
})

describe('confirming a handover', () => {
  test('the receiver confirms with their own login: the packet is theirs, the handover closed, both sides logged', () => {
    const { packet, handover, events } = value(
      confirmHandover(issued(), paper(), offered(), { actor: site, sealSeen: SEAL, condition: 'intact' }, START - 3_000_000),
    )
    expect(packet).toMatchObject({ state: 'received', holder: { userId: 'i-site' }, sealNumber: SEAL, updatedAt: START - 3_000_000 })
    expect(handover).toMatchObject({ state: 'confirmed', receiverSealSeen: SEAL, receiverCondition: 'intact', closedAt: START - 3_000_000 })
    expect(events).toEqual([
      {
        action: 'custody.packet.received',
        subject: { type: 'packet', id: 'pk-1' },
        where: null,
        data: {
          paperId: 'paper-A',
          from: 'issued',
          to: 'received',
          seal: SEAL,
          handoverId: 'h-1',
          giver: 'c-courier',
          receiver: 'i-site',
          place: '第一考点',
          offeredAt: START - 3_600_000,
          giverSealSeen: SEAL,
          giverCondition: 'intact',
          receiverSealSeen: SEAL,
          receiverCondition: 'intact',
          holder: { userId: 'i-site' },
          people: ['c-courier', 'i-site'],
        },
      },
    ])
  })

  test('a seal the receiver sees differently blocks the handover and raises an alert (packet.seal_mismatch)', () => {
    const e = refusal(confirmHandover(issued(), paper(), offered(), { actor: site, sealSeen: 'SEAL-0003', condition: 'intact' }, 0))
    expect(e).toEqual({ code: 'packet.seal_mismatch', packetId: 'pk-1', seen: 'SEAL-0003', seenBy: 'i-site' })
    expect(alertFor(e)?.data).toMatchObject({ seenBy: 'i-site' })
  })

  test('nobody but the named receiver confirms (handover.not_receiver)', () => {
    expect(refusal(confirmHandover(issued(), paper(), offered(), { actor: person('i-other', 'invigilator'), sealSeen: SEAL, condition: 'intact' }, 0))).toEqual(
      { code: 'handover.not_receiver', handoverId: 'h-1', userId: 'i-other' },
    )
  })

  test('a handover is confirmed once (handover.not_pending)', () => {
    const closed = value(confirmHandover(issued(), paper(), offered(), { actor: site, sealSeen: SEAL, condition: 'intact' }, 0)).handover
    expect(refusal(confirmHandover(issued(), paper(), closed, { actor: site, sealSeen: SEAL, condition: 'intact' }, 0))).toEqual({
      code: 'handover.not_pending',
      handoverId: 'h-1',
      state: 'confirmed',
    })
  })

  test('an offer made before the packet moved is stale (handover.stale)', () => {
    const moved = packetIn('received', { holder: { userId: courier.userId } })
    expect(refusal(confirmHandover(moved, paper(), offered(), { actor: site, sealSeen: SEAL, condition: 'intact' }, 0))).toEqual({
      code: 'handover.stale',
      handoverId: 'h-1',
      offeredFrom: 'issued',
      state: 'received',
    })
  })

  test('an offer open when a leak report froze the packet cannot be confirmed (packet.frozen)', () => {
    const frozen = issued()
    const h = offered()
    expect(
      refusal(
        confirmHandover(
          { ...frozen, state: 'frozen', frozenFrom: 'issued' },
          paper({ state: 'frozen', frozenBy: ['leak-1'] }),
          h,
          { actor: site, sealSeen: SEAL, condition: 'intact' },
          0,
        ),
      ),
    ).toEqual({ code: 'packet.frozen', packetId: 'pk-1', action: 'receive', frozenFrom: 'issued' })
  })

  test('a frozen packet can still be returned to a custodian', () => {
    const p = packetIn('frozen', { holder: { userId: site.userId }, frozenFrom: 'received' })
    const h = value(
      offerHandover(p, paper({ state: 'frozen', frozenBy: ['leak-1'] }), offer({ action: 'return', giver: site, receiver: vaultKeeper }), { pending: null }, 0),
    ).handover
    const done = value(confirmHandover(p, paper({ state: 'frozen', frozenBy: ['leak-1'] }), h, { actor: vaultKeeper, sealSeen: SEAL, condition: 'intact' }, 1))
    expect(done.packet).toMatchObject({ state: 'frozen', frozenFrom: 'received', holder: { userId: 'c-vault' } })
    expect(done.events[0]!.action).toBe('custody.packet.returned')
  })

  test('resealed recovered material goes back to a custodian, who must be a custodian', () => {
    const p = packetIn('recovered', { sealNumber: RESEAL, seals: [SEAL, RESEAL], holder: { userId: site.userId } })
    const toInvigilator = offerHandover(
      p,
      paper(),
      offer({ action: 'return', giver: site, receiver: person('i-2', 'invigilator'), sealSeen: RESEAL }),
      { pending: null },
      0,
    )
    expect(refusal(toInvigilator)).toMatchObject({ code: 'packet.not_allowed_for_role', as: 'receiver', allowed: ['custodian'] })
    const h = value(offerHandover(p, paper(), offer({ action: 'return', giver: site, receiver: vaultKeeper, sealSeen: RESEAL }), { pending: null }, 0)).handover
    expect(value(confirmHandover(p, paper(), h, { actor: vaultKeeper, sealSeen: RESEAL, condition: 'intact' }, 1)).packet).toMatchObject({
      state: 'recovered',
      holder: { userId: 'c-vault' },
    })
  })
})

describe('withdrawing an offer', () => {
  test('the receiver declines, the giver cancels; the packet stays with the giver', () => {
    expect(value(closeHandover(offered(), { actor: site, reason: '封条有污损' }, 9)).handover).toMatchObject({
      state: 'declined',
      closedAt: 9,
      closeReason: '封条有污损',
    })
    const c = value(closeHandover(offered(), { actor: courier, reason: '走错考点' }, 9))
    expect(c.handover.state).toBe('cancelled')
    expect(c.events[0]).toMatchObject({ action: 'custody.handover.cancelled', subject: { type: 'packet', id: 'pk-1' } })
  })

  test('nobody else withdraws it (handover.not_party)', () => {
    expect(refusal(closeHandover(offered(), { actor: HOLDER, reason: 'x' }, 0)).code).toBe('handover.not_party')
  })
})
