import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { concatBytes, equalBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from '../crypto/index.ts'
import { fromBase64Js, toBase64Js } from '../crypto/_bytes.ts'

// RFC 4648 §10 test vectors.
const RFC4648 = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
] as const

// Each names a way a lenient decoder would accept a second spelling of some bytes.
const NOT_BASE64 = {
  'missing padding': 'Zg',
  'padding with nonzero bits (==)': 'Zh==',
  'padding with nonzero bits (=)': 'Zm9=',
  'leading space': ' Zg==',
  'inner space': 'Zm9 v',
  'trailing newline': 'Zg==\n',
  'line break inside': 'Zm9v\nYmFy',
  'url-safe minus': 'Zm-v',
  'url-safe underscore': 'Zm_v',
  'only padding': '====',
  'three pads': 'Z===',
  'pad in the middle': 'Zg==Zm9v',
  'character after pad': 'Zg=a',
  'non-ascii': 'Zm9é',
}

describe('hex', () => {
  test('encodes lowercase, two digits per byte', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff')
    expect(toHex(new Uint8Array(0))).toBe('')
  })
  test('decodes either case', () => {
    expect(fromHex('0001abFF')).toEqual(Uint8Array.of(0, 1, 0xab, 0xff))
  })
  test.each(['0', 'abc', '0g', 'zz', ' 00', '00 ', '0x00', '+1'])('refuses %j', (bad) => {
    expect(() => fromHex(bad)).toThrow(RangeError)
  })
  test('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b)
      }),
    )
  })
})

describe('base64', () => {
  test.each(RFC4648)('RFC 4648 vector %j ↔ %j', (text, b64) => {
    expect(toBase64(utf8(text))).toBe(b64)
    expect(toBase64Js(utf8(text))).toBe(b64)
    expect(fromBase64(b64)).toEqual(utf8(text))
    expect(fromBase64Js(b64)).toEqual(utf8(text))
  })
  test.each(Object.entries(NOT_BASE64))('refuses %s', (_, bad) => {
    expect(() => fromBase64(bad)).toThrow(RangeError)
    expect(() => fromBase64Js(bad)).toThrow(RangeError)
  })
  test('the native path and the pure-JS path agree on every input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const b64 = toBase64(b)
        expect(toBase64Js(b)).toBe(b64)
        expect(fromBase64Js(b64)).toEqual(b)
        expect(fromBase64(b64)).toEqual(b)
      }),
    )
  })
  test('a decoder accepts a string exactly when the other does (random strings)', () => {
    const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= -_\n'.split(''))
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 16 }), (chars) => {
        const s = chars.join('')
        const native = (() => {
          try {
            return toHex(fromBase64(s))
          } catch {
            return 'refused'
          }
        })()
        const js = (() => {
          try {
            return toHex(fromBase64Js(s))
          } catch {
            return 'refused'
          }
        })()
        expect(native).toBe(js)
      }),
      { numRuns: 2000 },
    )
  })
  test('decoded bytes are a plain Uint8Array', () => {
    expect(Object.getPrototypeOf(fromBase64('Zm9v'))).toBe(Uint8Array.prototype)
  })
})

describe('utf8, concatBytes, equalBytes', () => {
  test('utf8 encodes non-ASCII as UTF-8', () => {
    expect(toHex(utf8('é试'))).toBe('c3a9e8af95')
  })
  test('concatBytes joins in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3))
  })
  test('equalBytes is true only for the same length and content', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1))).toBe(false)
  })
  test('arguments are validated the noble way', () => {
    expect(() => toHex('00' as never)).toThrow(TypeError)
    expect(() => equalBytes([1] as never, Uint8Array.of(1))).toThrow('"a" expected Uint8Array')
  })
})
