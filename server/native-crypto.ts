// The native fast path of crypto/ (crypto/_native.ts): SHA-256, AES-256-GCM and bulk Ed25519 signing through
// Bun's hasher and node:crypto. crypto/ and audit/ stay pure so the browser bundles them; every process that
// runs the server's code installs this once at start: createApp (server/app.ts) does, so every app built by
// main.ts, tests and benchmarks gets it; so do the worker threads (server/log-check-worker.ts, audit's CLI
// worker) and the CLIs. Imports nothing of the project but crypto/index.ts, so audit's CLI may use it too.
// test/crypto-native.test.ts checks every function here gives the same bytes as the pure path.
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, hash as oneShot, sign as nodeSign } from 'node:crypto'
import { type AesGcm, type NativeCrypto, concatBytes, fromHex, installNative, installedNative } from '../crypto/index.ts'

// Buffer → plain Uint8Array view (no copy): deep equality in tests treats Buffer and Uint8Array as different.
const view = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length)

// Under Bun, its own hasher writes the digest straight into a fresh plain Uint8Array: no Buffer, no copy
// (about a quarter faster per leaf than crypto.hash, which the verifier does a million times). crypto.hash
// (Node >= 20.12) skips the Hash object: ~1.5x faster on small inputs than createHash.
const bunSha256 = (globalThis as { Bun?: { SHA256?: { hash(data: Uint8Array, out: Uint8Array): Uint8Array } } }).Bun?.SHA256
const sha256: (data: Uint8Array) => Uint8Array = bunSha256
  ? (data) => bunSha256.hash(data, new Uint8Array(32))
  : typeof oneShot === 'function'
    ? (data) => new Uint8Array(oneShot('sha256', data, 'buffer') as unknown as Uint8Array)
    : (data) => new Uint8Array(createHash('sha256').update(data).digest())

// BoringSSL/OpenSSL with AES-NI and CLMUL: ~4 GB/s sealing 64 KiB chunks (docs/decisions/003-paper-encryption.md).
const aesGcm: AesGcm = {
  seal(key, nonce, plaintext, ad) {
    const cipher = createCipheriv('aes-256-gcm', key, nonce)
    if (ad.length > 0) cipher.setAAD(ad)
    const body = cipher.update(plaintext)
    const tail = cipher.final() // empty for GCM, but the contract allows bytes here
    const out = new Uint8Array(plaintext.length + 16)
    out.set(body, 0)
    out.set(tail, body.length)
    out.set(cipher.getAuthTag(), plaintext.length)
    return out
  },
  open(key, nonce, sealed, ad) {
    const n = sealed.length - 16
    const decipher = createDecipheriv('aes-256-gcm', key, nonce)
    decipher.setAuthTag(sealed.subarray(n))
    if (ad.length > 0) decipher.setAAD(ad)
    const body = decipher.update(sealed.subarray(0, n))
    let tail: Uint8Array
    try {
      tail = decipher.final() // throws when the tag does not match
    } catch {
      return null
    }
    if (tail.length === 0) return view(body)
    const out = new Uint8Array(body.length + tail.length)
    out.set(body, 0)
    out.set(tail, body.length)
    return out
  },
}

// PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410 §7) up to the 32-byte seed.
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420')

/** A node:crypto KeyObject signer (bench/tickets.ts measures it against noble). */
function ed25519Signer(privateKey: Uint8Array): (message: Uint8Array) => Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, privateKey)), format: 'der', type: 'pkcs8' })
  return (message) => view(nodeSign(null, message, key))
}

/** The native implementations, to install or to compare with the pure ones. */
export const NODE_CRYPTO: NativeCrypto = Object.freeze({ sha256, aesGcm, ed25519Signer })

/** Installs the native path unless it already is (idempotent: every entry point may call it). */
export function installNativeCrypto(): void {
  if (installedNative().sha256 !== sha256) installNative(NODE_CRYPTO)
}
