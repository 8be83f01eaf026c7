// The pure core and the native fast path give the same bytes (crypto/_native.ts, server/native-crypto.ts):
// each pluggable primitive on random inputs, whole paper containers and wrapped keys with pinned randomness,
// audit/'s hashes and notes; and how the native path is installed (createApp does it, once, idempotently).
import fc from 'fast-check'
import { afterEach, describe, expect, test } from 'vitest'
import { cosignatureLine, formatCheckpoint, leafHash, rootOf, signNote } from '../audit/index.ts'
import {
  type NativeCrypto,
  concatBytes,
  decryptStream,
  ed25519,
  encryptStream,
  installNative,
  installedNative,
  randomBytes,
  sha256,
  sha256Concat,
  toHex,
  utf8,
  wrapKey,
} from '../crypto/index.ts'
import { aesGcmOpen, aesGcmSeal } from '../crypto/_aead.ts'
import { NODE_CRYPTO, installNativeCrypto } from '../server/native-crypto.ts'
import { makeTestApp } from './_app.ts'

const original = installedNative()
afterEach(() => {
  installNative(original)
})

/** `f` run once on the pure path and once on the native path: [pure, native]. */
function both<T>(f: () => T): [T, T] {
  const previous = installNative({})
  try {
    const pure = f()
    installNative(NODE_CRYPTO)
    return [pure, f()]
  } finally {
    installNative(previous)
  }
}

async function bothAsync<T>(f: () => Promise<T>): Promise<[T, T]> {
  const previous = installNative({})
  try {
    const pure = await f()
    installNative(NODE_CRYPTO)
    return [pure, await f()]
  } finally {
    installNative(previous)
  }
}

const hex = (b: Uint8Array | null) => (b === null ? null : toHex(b))

/** A deterministic byte source, so two runs of encryptStream or wrapKey make the same salt and nonces. */
function counterRandom(seed: number): (n: number) => Uint8Array {
  let next = seed
  return (n) => Uint8Array.from({ length: n }, () => next++ & 255)
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const p of it) parts.push(p)
  return concatBytes(...parts)
}

describe('each pluggable primitive gives the same bytes on both paths', () => {
  test('SHA-256 and sha256Concat, around block and scratch-buffer boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 1023, 1024, 1025, 5000]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 255)
      const [pure, native] = both(() => [hex(sha256(data)), hex(sha256Concat([Uint8Array.of(0), data]))])
      expect(native, `${n} bytes`).toEqual(pure)
      expect(pure[1]).toBe(hex(leafHash(data)))
    }
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 4 }), (parts) => {
        const [pure, native] = both(() => [hex(sha256(concatBytes(...parts))), hex(sha256Concat(parts))])
        expect(native).toEqual(pure)
        expect(pure[0]).toBe(pure[1])
      }),
      { numRuns: 100 },
    )
  })

  test('AES-256-GCM seals alike, each opens what the other sealed, and both refuse the same altered bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 400 }),
        fc.uint8Array({ maxLength: 60 }),
        fc.nat(),
        (key, nonce, pt, ad, flipAt) => {
          const [pure, native] = both(() => hex(aesGcmSeal(key, nonce, pt, ad)))
          expect(native).toBe(pure)
          const sealed = aesGcmSeal(key, nonce, pt, ad)
          const bad = sealed.slice()
          bad[flipAt % bad.length]! ^= 1
          const [opened, openedNative] = both(() => [hex(aesGcmOpen(key, nonce, sealed, ad)), hex(aesGcmOpen(key, nonce, bad, ad))])
          expect(opened).toEqual([toHex(pt), null])
          expect(openedNative).toEqual([toHex(pt), null])
        },
      ),
      { numRuns: 150 },
    )
  })

  test('bulk Ed25519 signatures are identical (RFC 8032 is deterministic) and verify', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (priv, msg) => {
        const [pure, native] = both(() => hex(ed25519.nativeSigner(priv)(msg)))
        expect(native).toBe(pure)
        expect(pure).toBe(toHex(ed25519.sign(priv, msg)))
      }),
      { numRuns: 40 },
    )
  })

  test('results are plain Uint8Arrays the caller owns, on both paths', () => {
    const key = new Uint8Array(32).fill(3)
    const nonce = new Uint8Array(12)
    for (const r of both(() => [sha256(utf8('a')), sha256Concat([utf8('a')]), aesGcmOpen(key, nonce, aesGcmSeal(key, nonce, utf8('x')))!]))
      for (const b of r) expect(Object.getPrototypeOf(b)).toBe(Uint8Array.prototype)
    const [first, second] = [sha256Concat([utf8('a')]), sha256Concat([utf8('b')])]
    expect(toHex(first)).toBe(toHex(sha256(utf8('a')))) // not overwritten by the next call
    expect(toHex(second)).not.toBe(toHex(first))
  })
})

describe('whole formats give the same bytes on both paths', () => {
  test('a paper container (HKDF, HMAC, chunked GCM) with pinned randomness, and each path decrypts the other', async () => {
    const dataKey = new Uint8Array(32).fill(9)
    const plain = Uint8Array.from({ length: 3 * 4096 + 77 }, (_, i) => (i * 13) & 255)
    const encrypt = () =>
      collect(encryptStream([plain.subarray(0, 5000), plain.subarray(5000)], dataKey, { fileId: 'f-1', chunkSize: 4096, random: counterRandom(1) }))
    const [pure, native] = await bothAsync(encrypt)
    expect(toHex(native)).toBe(toHex(pure))
    const [fromPure, fromNative] = await bothAsync(async () => [
      toHex(await collect(decryptStream([native], dataKey))),
      toHex(await collect(decryptStream([pure], dataKey))),
    ])
    expect(fromPure).toEqual([toHex(plain), toHex(plain)])
    expect(fromNative).toEqual([toHex(plain), toHex(plain)])
  })

  test('a wrapped data key (version 1) with a pinned nonce', () => {
    const [pure, native] = both(() =>
      hex(wrapKey(new Uint8Array(32).fill(5), { id: 'master-1', key: new Uint8Array(32).fill(6) }, { context: 'f-1', random: counterRandom(7) })),
    )
    expect(native).toBe(pure)
  })

  test("audit/'s leaf hashes, Merkle roots, signed checkpoints and cosignatures", () => {
    const entries = Array.from({ length: 21 }, (_, i) => utf8(`{"index":${i}}`))
    const key = new Uint8Array(32).fill(4)
    const run = () => {
      const root = rootOf(entries.map(leafHash))
      const text = formatCheckpoint({ origin: 'custody.test/log', size: entries.length, rootHash: root })
      return [toHex(root), signNote(text, 'custody.test/log', key), cosignatureLine(text, 1796371200, 'witness.test/w', key)]
    }
    const [pure, native] = both(run)
    expect(native).toEqual(pure)
  })
})

describe('installing the native path', () => {
  test('installNative replaces the whole installation, returns the previous one, and {} is pure everywhere', () => {
    installNative({})
    expect(installedNative()).toEqual({})
    const sha = (d: Uint8Array) => sha256Of(d)
    const previous = installNative({ sha256: sha })
    expect(previous).toEqual({})
    expect(installedNative().sha256).toBe(sha)
    expect(installedNative().aesGcm).toBeUndefined() // left out: stays pure
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(calls).toBe(1)
    expect(installNative({}).sha256).toBe(sha)
    sha256(utf8('abc'))
    expect(calls).toBe(1) // pure again
  })

  test('the installed function is what runs: a wrong native hasher shows in every digest (so the tests above compare two paths)', () => {
    const broken: NativeCrypto = { sha256: () => new Uint8Array(32) }
    installNative(broken)
    expect(toHex(sha256(utf8('abc')))).toBe('00'.repeat(32))
    expect(toHex(leafHash(utf8('abc')))).toBe('00'.repeat(32))
  })

  test('installNativeCrypto is idempotent, and createApp installs it so no entry point can forget', () => {
    installNative({})
    installNativeCrypto()
    expect(installedNative()).toEqual(NODE_CRYPTO)
    const installed = installedNative()
    installNativeCrypto()
    expect(installedNative()).toBe(installed) // not reinstalled
    installNative({})
    const app = makeTestApp()
    expect(installedNative().sha256).toBe(NODE_CRYPTO.sha256)
    expect(installedNative().aesGcm).toBe(NODE_CRYPTO.aesGcm)
    expect(installedNative().ed25519Signer).toBe(NODE_CRYPTO.ed25519Signer)
    app.close()
  })

  test('randomBytes: WebCrypto bytes of any length (getRandomValues takes at most 65,536 at a time)', () => {
    expect(randomBytes(0).length).toBe(0)
    const big = randomBytes(200_000)
    expect(big.length).toBe(200_000)
    expect(big.subarray(150_000).some((b) => b !== 0)).toBe(true)
    expect(toHex(randomBytes(32))).not.toBe(toHex(randomBytes(32)))
  })
})

let calls = 0
function sha256Of(d: Uint8Array): Uint8Array {
  calls++
  return NODE_CRYPTO.sha256!(d)
}
