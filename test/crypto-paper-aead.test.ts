// crypto/_aead.ts: the AES-256-GCM under the paper container and the key wrapping, on both paths (pure noble,
// and the server's native node:crypto plugged in). Known answers from the GCM specification, agreement with
// noble's GCM called directly, refusals.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { gcm } from '@noble/ciphers/aes.js'
import { type NativeCrypto, fromHex, installNative, installedNative, toHex } from '../crypto/index.ts'
import { aesGcmOpen, aesGcmSeal } from '../crypto/_aead.ts'
import { NODE_CRYPTO } from '../server/native-crypto.ts'

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13, 14 and 16 (AES-256),
// the vectors NIST's GCM validation starts from.
const VECTORS = [
  { name: 'test case 13 (empty plaintext)', key: '00'.repeat(32), iv: '00'.repeat(12), pt: '', ad: '', ct: '', tag: '530f8afbc74536b9a963b4f1c4cb738b' },
  {
    name: 'test case 14 (one zero block)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    pt: '00'.repeat(16),
    ad: '',
    ct: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'test case 16 (60-byte plaintext, 20-byte AAD)',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    pt: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
]

describe.each([
  ['pure', {}],
  ['native', NODE_CRYPTO],
] as Array<[string, NativeCrypto]>)('AES-256-GCM (%s path, NIST SP 800-38D)', (path, native) => {
  let previous: NativeCrypto
  beforeAll(() => {
    previous = installNative(native)
  })
  afterAll(() => {
    installNative(previous)
  })

  test('the path under test is installed', () => {
    expect(installedNative().aesGcm === NODE_CRYPTO.aesGcm).toBe(path === 'native')
  })

  for (const v of VECTORS) {
    test(`seals and opens the GCM spec's ${v.name}`, () => {
      const sealed = aesGcmSeal(fromHex(v.key), fromHex(v.iv), fromHex(v.pt), fromHex(v.ad))
      expect(toHex(sealed)).toBe(v.ct + v.tag)
      const opened = aesGcmOpen(fromHex(v.key), fromHex(v.iv), sealed, fromHex(v.ad))
      expect(opened).not.toBeNull()
      expect(toHex(opened!)).toBe(v.pt)
    })
  }

  test('agrees with noble’s pure-JS GCM for random keys, nonces, plaintexts and associated data', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 80 }),
        (key, nonce, pt, ad) => {
          const sealed = aesGcmSeal(key, nonce, pt, ad)
          expect(toHex(sealed)).toBe(toHex(gcm(key, nonce, ad).encrypt(pt)))
          expect(toHex(aesGcmOpen(key, nonce, sealed, ad)!)).toBe(toHex(pt))
        },
      ),
      { numRuns: 200 },
    )
  })

  test('opens to null, never to bytes, when any byte of ciphertext or tag is flipped', () => {
    const v = VECTORS[2]!
    const sealed = fromHex(v.ct + v.tag)
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice()
      bad[i]! ^= 0x01
      expect(aesGcmOpen(fromHex(v.key), fromHex(v.iv), bad, fromHex(v.ad)), `byte ${i}`).toBeNull()
    }
  })

  test('opens to null under another key, nonce or associated data, or when shorter than a tag', () => {
    const v = VECTORS[2]!
    const [key, iv, ad, sealed] = [fromHex(v.key), fromHex(v.iv), fromHex(v.ad), fromHex(v.ct + v.tag)]
    const flip = (b: Uint8Array, i = 0) => {
      const c = b.slice()
      c[i]! ^= 0x80
      return c
    }
    expect(aesGcmOpen(flip(key), iv, sealed, ad)).toBeNull()
    expect(aesGcmOpen(key, flip(iv, 11), sealed, ad)).toBeNull()
    expect(aesGcmOpen(key, iv, sealed, flip(ad, 19))).toBeNull()
    expect(aesGcmOpen(key, iv, sealed, new Uint8Array(0))).toBeNull()
    expect(aesGcmOpen(key, iv, sealed.subarray(0, 15), ad)).toBeNull()
  })

  test('refuses keys and nonces of the wrong length, naming the argument', () => {
    const ok = new Uint8Array(32)
    expect(() => aesGcmSeal(new Uint8Array(31), new Uint8Array(12), ok)).toThrow('"key" expected 32 bytes, got 31')
    expect(() => aesGcmSeal(ok, new Uint8Array(24), ok)).toThrow('"nonce" expected 12 bytes, got 24')
    expect(() => aesGcmOpen(ok, new Uint8Array(12), 'abc' as unknown as Uint8Array)).toThrow('"sealed" expected Uint8Array')
  })
})
