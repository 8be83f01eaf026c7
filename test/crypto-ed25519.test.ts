import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { ed25519, fromHex, installNative, installedNative, toHex, utf8 } from '../crypto/index.ts'
import { NODE_CRYPTO } from '../server/native-crypto.ts'

/** Runs `body` with the server's native path installed (ed25519.nativeSigner is noble without it). */
function withNative(body: () => void): void {
  const previous = installNative(NODE_CRYPTO)
  try {
    expect(installedNative().ed25519Signer).toBe(NODE_CRYPTO.ed25519Signer)
    body()
  } finally {
    installNative(previous)
  }
}

// RFC 8032 §7.1 tests 1-3.
const RFC8032 = [
  {
    name: 'TEST 1 (empty message)',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes)',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
]

// The group order L (RFC 8032 §5.1), little-endian, for building a malleated signature S + L.
const L = 2n ** 252n + 27742317777372353535851937790883648493n

describe.each(RFC8032)('RFC 8032 $name', (v) => {
  test('public key, noble signature, bulk signer on both paths and verification all match', () => {
    const priv = fromHex(v.secret)
    const msg = fromHex(v.message)
    expect(toHex(ed25519.publicKey(priv))).toBe(v.public)
    expect(toHex(ed25519.sign(priv, msg))).toBe(v.signature)
    const previous = installNative({})
    try {
      expect(toHex(ed25519.nativeSigner(priv)(msg))).toBe(v.signature) // pure
    } finally {
      installNative(previous)
    }
    withNative(() => expect(toHex(ed25519.nativeSigner(priv)(msg))).toBe(v.signature))
    expect(ed25519.verify(fromHex(v.public), msg, fromHex(v.signature))).toBe(true)
  })
})

test('native and noble signatures are identical for random keys and messages (Ed25519 is deterministic)', () => {
  withNative(() =>
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (priv, msg) => {
        const sig = ed25519.sign(priv, msg)
        expect(toHex(ed25519.nativeSigner(priv)(msg))).toBe(toHex(sig))
        expect(ed25519.verify(ed25519.publicKey(priv), msg, sig)).toBe(true)
      }),
      { numRuns: 50 },
    ),
  )
})

describe('verify returns false, never throws, for', () => {
  const priv = fromHex(RFC8032[1]!.secret)
  const pub = ed25519.publicKey(priv)
  const msg = utf8('seal 000123')
  const sig = ed25519.sign(priv, msg)

  test('a flipped bit anywhere in the signature, message or key', () => {
    for (let bit = 0; bit < 64 * 8; bit += 7) {
      const s = sig.slice()
      s[bit >> 3]! ^= 1 << (bit & 7)
      expect(ed25519.verify(pub, msg, s)).toBe(false)
    }
    expect(ed25519.verify(pub, utf8('seal 000124'), sig)).toBe(false)
    const p = pub.slice()
    p[0]! ^= 1
    expect(ed25519.verify(p, msg, sig)).toBe(false)
  })
  test('wrong lengths of signature or key', () => {
    expect(ed25519.verify(pub, msg, sig.subarray(0, 63))).toBe(false)
    expect(ed25519.verify(pub, msg, new Uint8Array(65))).toBe(false)
    expect(ed25519.verify(pub.subarray(0, 31), msg, sig)).toBe(false)
  })
  test('a malleated signature (S + L): one message, one valid signature', () => {
    let s = 0n
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!)
    s += L
    const m = sig.slice()
    for (let i = 0; i < 32; i++) m[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn)
    expect(s < 2n ** 256n).toBe(true)
    expect(ed25519.verify(pub, msg, m)).toBe(false)
  })
  test('a key that is not a curve point', () => {
    expect(ed25519.verify(new Uint8Array(32).fill(0xff), msg, sig)).toBe(false)
  })
})

test('generated keys are 32 random bytes that sign and verify', () => {
  const a = ed25519.generatePrivateKey()
  const b = ed25519.generatePrivateKey()
  expect(a.length).toBe(32)
  expect(toHex(a)).not.toBe(toHex(b))
  expect(ed25519.verify(ed25519.publicKey(a), utf8('x'), ed25519.sign(a, utf8('x')))).toBe(true)
})

test('bad arguments are refused with noble-style messages', () => {
  expect(() => ed25519.publicKey(new Uint8Array(31))).toThrow('"privateKey" expected 32 bytes, got 31')
  expect(() => ed25519.sign(new Uint8Array(33), utf8('x'))).toThrow(RangeError)
  expect(() => ed25519.sign(new Uint8Array(32), 'x' as never)).toThrow(TypeError)
  expect(() => ed25519.nativeSigner(new Uint8Array(16))).toThrow('"privateKey" expected 32 bytes, got 16')
  withNative(() => expect(() => ed25519.nativeSigner(new Uint8Array(16))).toThrow('"privateKey" expected 32 bytes, got 16'))
  expect(() => ed25519.verify('pub' as never, utf8('x'), new Uint8Array(64))).toThrow(TypeError)
})
