import { describe, expect, test } from 'vitest'
import { hideSeal, screenPacket, sealHiddenFrom } from '../server/domain/custody/index.ts'
import { RESEAL, SEAL, START, packetIn } from './domain-custody-fixtures.ts'

/** pk-1 belongs to room R1; i-1 and i-2 invigilate it, c-2 is offered the packet. */
const room = { offeredTo: null, roomInvigilators: ['i-1', 'i-2'] }

describe('blind seal checks (R5.3, decision record 006)', () => {
  test('the receiver of an open offer cannot read the seal; the giver and others can', () => {
    const p = packetIn('in_vault')
    const offered = { offeredTo: 'c-2', roomInvigilators: [] }
    expect(sealHiddenFrom(p, 'c-2', offered)).toBe(true)
    expect(sealHiddenFrom(p, 'c-1', offered)).toBe(false)
    expect(sealHiddenFrom(p, 's-1', offered)).toBe(false)
  })

  test("the invigilators of the packet's room cannot read the seal until it is opened, holder or not", () => {
    expect(sealHiddenFrom(packetIn('issued'), 'i-1', room)).toBe(true)
    expect(sealHiddenFrom(packetIn('received', { holder: { userId: 'i-2' } }), 'i-2', room)).toBe(true)
    expect(sealHiddenFrom(packetIn('issued'), 'i-9', room)).toBe(false) // another room's invigilator carrying it saw it when it was handed on
  })

  test('after the opening the room reads its own reseal; a spent seal is no secret', () => {
    const recovered = packetIn('recovered', { sealNumber: RESEAL, seals: [SEAL, RESEAL], openedAt: START })
    expect(sealHiddenFrom(recovered, 'i-1', room)).toBe(false)
    expect(sealHiddenFrom(packetIn('opened'), 'i-1', room)).toBe(false)
  })

  test('but the custodian who is offered the recovered packet back checks the reseal blind', () => {
    const recovered = packetIn('recovered', { sealNumber: RESEAL, seals: [SEAL, RESEAL], openedAt: START })
    expect(sealHiddenFrom(recovered, 'c-keeper', { offeredTo: 'c-keeper', roomInvigilators: ['i-1'] })).toBe(true)
  })

  test('a screened packet carries no trace of its current seal; earlier seals stay', () => {
    const recovered = packetIn('recovered', { sealNumber: RESEAL, seals: [SEAL, RESEAL], openedAt: START })
    const screened = screenPacket(recovered, true)
    expect(screened).toMatchObject({ sealNumber: null, seals: [SEAL], sealHidden: true })
    expect(JSON.stringify(screened)).not.toContain(RESEAL)
    expect(screenPacket(recovered, false)).toMatchObject({ sealNumber: RESEAL, sealHidden: false })
  })

  test('hideSeal takes the seal out of any record that repeats it, and only it', () => {
    const h = { giverSealSeen: SEAL, receiverSealSeen: null, place: '保密室', nested: [{ seen: ` ${SEAL.toLowerCase()} ` }] }
    expect(hideSeal(h, SEAL)).toEqual({ giverSealSeen: null, receiverSealSeen: null, place: '保密室', nested: [{ seen: null }] })
  })
})
