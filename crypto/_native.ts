// A pure core with speed plugged in, as noble does: every primitive here runs on @noble/* (audited, pure JS,
// the same bytes in a browser, Bun or Node), and a host that has native code passes it in once at start with
// installNative. The server does (server/native-crypto.ts: node:crypto and Bun's hasher); the kiosk bundles
// never do. The native path must give byte-identical results (test/crypto-native.test.ts runs both).
//
// Only what is hot is pluggable: SHA-256 (the log hashes every event, the verifier a million leaves),
// AES-256-GCM (paper files: ~4 GB/s native against ~46 MB/s pure) and bulk Ed25519 signing (tickets).
// HMAC and HKDF run a few times per paper file and stay on noble.
import { ed25519 as nobleEd25519 } from '@noble/curves/ed25519.js'
import { gcm } from '@noble/ciphers/aes.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

/**
 * AES-256-GCM with a 12-byte nonce and 16-byte tag. Arguments arrive checked (key 32, nonce 12 bytes).
 * `seal` returns ciphertext || tag; `open` returns the plaintext, or null when the tag does not match.
 */
export interface AesGcm {
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array | null
}

/**
 * Native implementations a host may pass in; each one left out stays pure. Results must be plain
 * Uint8Arrays (not Buffers) the caller owns. `installNative({ sha256, aesGcm, ed25519Signer })`
 */
export interface NativeCrypto {
  /** SHA-256 (32 bytes, a fresh array: callers keep it). */
  sha256?: (data: Uint8Array) => Uint8Array
  aesGcm?: AesGcm
  /** A signing function for one 32-byte Ed25519 seed (RFC 8032: deterministic, so equal to noble's). */
  ed25519Signer?: (privateKey: Uint8Array) => (message: Uint8Array) => Uint8Array
}

const pureGcm: AesGcm = {
  seal: (key, nonce, plaintext, ad) => gcm(key, nonce, ad).encrypt(plaintext),
  open: (key, nonce, sealed, ad) => {
    try {
      return gcm(key, nonce, ad).decrypt(sealed)
    } catch {
      return null
    }
  },
}

const PURE: Required<NativeCrypto> = {
  sha256: (data) => nobleSha256(data),
  aesGcm: pureGcm,
  ed25519Signer: (privateKey) => {
    const key = privateKey.slice()
    return (message) => nobleEd25519.sign(message, key)
  },
}

/** What the primitives call: the pure implementations unless a native one is installed. */
export const impl: Required<NativeCrypto> = { ...PURE }

let installed: Readonly<NativeCrypto> = Object.freeze({})

/**
 * Plugs native implementations in (replacing any installed before; `installNative({})` goes back to pure)
 * and returns what was installed, so a test can put it back. Call once at start, before any use.
 * `installNative(nodeNative())`
 */
export function installNative(native: NativeCrypto): NativeCrypto {
  const previous = installed
  installed = Object.freeze({ ...native })
  impl.sha256 = native.sha256 ?? PURE.sha256
  impl.aesGcm = native.aesGcm ?? PURE.aesGcm
  impl.ed25519Signer = native.ed25519Signer ?? PURE.ed25519Signer
  return previous
}

/** The native implementations installed now (an empty object: everything is pure). */
export function installedNative(): Readonly<NativeCrypto> {
  return installed
}

/** `n` cryptographically random bytes (WebCrypto's getRandomValues: browsers, Bun, Node 20+). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let at = 0; at < n; at += 65536) globalThis.crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)))
  return out
}
