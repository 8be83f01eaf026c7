import { expect, test } from 'vitest'
import fc from 'fast-check'
import { adler32, crc32 } from '../server/domain/registration/_checksums.ts'

const ascii = (s: string) => new TextEncoder().encode(s)

test('CRC-32 of "123456789" is the check value 0xCBF43926; of nothing, 0', () => {
  expect(crc32(ascii('123456789'))).toBe(0xcbf43926)
  expect(crc32(new Uint8Array(0))).toBe(0)
})

test('CRC-32 of the PNG IEND chunk type is AE426082 (the bytes every PNG ends with)', () => {
  expect(crc32(ascii('IEND'))).toBe(0xae426082)
})

test('CRC-32 can be continued: crc(a‖b) = crc(b, crc(a))', () => {
  fc.assert(
    fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
      expect(crc32(b, crc32(a))).toBe(crc32(new Uint8Array([...a, ...b])))
    }),
  )
})

test('Adler-32 of "Wikipedia" is 0x11E60398; of nothing, 1', () => {
  expect(adler32(ascii('Wikipedia'))).toBe(0x11e60398)
  expect(adler32(new Uint8Array(0))).toBe(1)
})

test('Adler-32 over long runs of 0xFF (where sums overflow without reduction) matches the per-byte definition', () => {
  const data = new Uint8Array(100_000).fill(0xff)
  let a = 1
  let b = 0
  for (const byte of data) {
    a = (a + byte) % 65521
    b = (b + a) % 65521
  }
  expect(adler32(data)).toBe(((b << 16) | a) >>> 0)
})
