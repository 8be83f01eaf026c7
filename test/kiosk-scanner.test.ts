// What a packet scan resolves to (kiosk/src/_scanner.ts): the label's QR text, a bare id typed by hand,
// and the noise a handheld scanner or a person adds; anything else is not a packet.
import { describe, expect, test } from 'vitest'
import { PACKET_QR_PREFIX, packetIdFrom } from '../kiosk/src/_scanner.ts'

const ID = '7e500ec0-a158-4828-bb86-f33ef9653dad'

describe('reading a packet code', () => {
  test('the label QR text CUSTODY-PACKET:<id> gives the id', () => {
    expect(PACKET_QR_PREFIX).toBe('CUSTODY-PACKET:')
    expect(packetIdFrom(`CUSTODY-PACKET:${ID}`)).toBe(ID)
  })

  test('a bare id (read off the label by hand) is accepted as it is', () => {
    expect(packetIdFrom(ID)).toBe(ID)
    expect(packetIdFrom('pk_101-a')).toBe('pk_101-a')
  })

  test('spaces around the code and a lower-case prefix (scanner caps-lock settings) are tolerated; the id keeps its case', () => {
    expect(packetIdFrom(`  custody-packet: ${ID}\t`)).toBe(ID)
    expect(packetIdFrom('Custody-Packet:AbC-123')).toBe('AbC-123')
  })

  test('text that cannot be a packet id is refused (null), so it never becomes a path', () => {
    for (const bad of [
      '',
      '   ',
      'CUSTODY-PACKET:',
      'CUSTODY-PACKET:a b',
      '../admin',
      `${ID}/label`,
      'CUSTODY-TICKET:abc',
      'ab',
      'x'.repeat(65),
      '试卷袋123',
      '?id=1',
    ]) {
      expect(packetIdFrom(bad), JSON.stringify(bad)).toBeNull()
    }
  })
})
