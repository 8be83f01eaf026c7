// SHA-256 on both paths: pure (noble) and the server's native hasher plugged in (server/native-crypto.ts).
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type NativeCrypto, concatBytes, installNative, installedNative, sha256, sha256Concat, toHex, utf8 } from '../crypto/index.ts'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { NODE_CRYPTO } from '../server/native-crypto.ts'

describe.each([
  ['pure', {}],
  ['native', NODE_CRYPTO],
] as Array<[string, NativeCrypto]>)('SHA-256, %s path', (path, native) => {
  let previous: NativeCrypto
  beforeAll(() => {
    previous = installNative(native)
  })
  afterAll(() => {
    installNative(previous)
  })

  test('the path under test is installed', () => {
    expect(installedNative().sha256 === NODE_CRYPTO.sha256).toBe(path === 'native')
  })

  test('SHA-256 of the empty string and of "abc" are the FIPS 180-2 values', () => {
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  test("the digest equals noble's, called directly, on random input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
        expect(toHex(sha256(b))).toBe(toHex(nobleSha256(b)))
      }),
    )
  })

  test('sha256Concat hashes the concatenation, also beyond its scratch buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 1500 }), { maxLength: 4 }), (parts) => {
        expect(toHex(sha256Concat(parts))).toBe(toHex(sha256(concatBytes(...parts))))
      }),
    )
  })

  test('digests are independent plain Uint8Arrays (not views of a shared buffer)', () => {
    const a = sha256Concat([utf8('a')])
    const b = sha256Concat([utf8('b')])
    expect(toHex(a)).toBe(toHex(sha256(utf8('a'))))
    expect(toHex(a)).not.toBe(toHex(b))
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype)
  })

  test('a non-byte argument is refused', () => {
    expect(() => sha256('abc' as never)).toThrow('"data" expected Uint8Array')
  })
})
