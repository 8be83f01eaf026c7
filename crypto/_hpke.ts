// HPKE (RFC 9180) in base mode with one suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
// (kem 0x0020, kdf 0x0001, aead 0x0002), from hpke-js (@hpke/core). Used to wrap paper data keys to the
// paper public key and to seal each key share to its holder's passphrase key (docs/decisions/008-split-master-key.md).
// Key pairs come from DeriveKeyPair (RFC 9180 §7.1.3), so a 32-byte seed stands for a whole key pair:
// the seed is what is split into shares, and what a passphrase derives.
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import { abytes, concatBytes, toHex } from './_bytes.ts'
import { sha256 } from './_sha256.ts'

export const X25519_KEY_LENGTH = 32
/** enc (32) — the ephemeral public key — precedes the AEAD ciphertext in everything sealed here. */
export const HPKE_ENC_LENGTH = 32
export const HPKE_TAG_LENGTH = 16

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })
const u8 = (b: ArrayBuffer): Uint8Array => new Uint8Array(b)

/** An X25519 key pair as raw bytes (RFC 7748 encodings); the private half can be wiped with fill(0). */
export interface HpkeKeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

/** The key pair RFC 9180 DeriveKeyPair makes of a 32-byte seed. `const kp = await hpkeKeyPairFromSeed(seed)` */
export async function hpkeKeyPairFromSeed(seed: Uint8Array): Promise<HpkeKeyPair> {
  abytes(seed, 32, 'seed')
  const kp = await suite.kem.deriveKeyPair(seed)
  return { publicKey: u8(await suite.kem.serializePublicKey(kp.publicKey)), privateKey: u8(await suite.kem.serializePrivateKey(kp.privateKey)) }
}

/** A short, stable name of a public key: 'pk-' and the first 16 hex digits of its SHA-256. `hpkeKeyId(pk) === 'pk-3f…'` */
export function hpkeKeyId(publicKey: Uint8Array): string {
  abytes(publicKey, X25519_KEY_LENGTH, 'publicKey')
  return `pk-${toHex(sha256(publicKey)).slice(0, 16)}`
}

/** The full SHA-256 fingerprint of a public key, hex in groups of four, for people to compare aloud. */
export function hpkeFingerprint(publicKey: Uint8Array): string {
  abytes(publicKey, X25519_KEY_LENGTH, 'publicKey')
  return toHex(sha256(publicKey)).match(/.{4}/g)!.join(' ')
}

export interface HpkeBinding {
  /** RFC 9180 `info`: what the sealed bytes are for (bound into the key schedule). */
  info: Uint8Array
  /** Associated data of the one AEAD message. */
  aad: Uint8Array
}

/**
 * Seals `plaintext` to `publicKey` (single-shot, RFC 9180 §6.1): enc (32) || ciphertext || tag (16).
 * `ephemeralSeed` pins the sender's ephemeral key for known-answer tests only, never in production.
 * `const sealed = await hpkeSeal(pk, dataKey, { info, aad })`
 */
export async function hpkeSeal(publicKey: Uint8Array, plaintext: Uint8Array, binding: HpkeBinding, ephemeralSeed?: Uint8Array): Promise<Uint8Array> {
  abytes(publicKey, X25519_KEY_LENGTH, 'publicKey')
  abytes(plaintext, undefined, 'plaintext')
  abytes(binding.info, undefined, 'info')
  abytes(binding.aad, undefined, 'aad')
  const recipientPublicKey = await suite.kem.deserializePublicKey(publicKey)
  const ekm = ephemeralSeed === undefined ? undefined : await suite.kem.deriveKeyPair(abytes(ephemeralSeed, 32, 'ephemeralSeed'))
  const ctx = await suite.createSenderContext({ recipientPublicKey, info: binding.info, ...(ekm ? { ekm } : {}) })
  return concatBytes(u8(ctx.enc), u8(await ctx.seal(plaintext, binding.aad)))
}

/** Opens what hpkeSeal made; null when it does not open (wrong key, info, aad, or altered). `await hpkeOpen(sk, sealed, { info, aad })` */
export async function hpkeOpen(privateKey: Uint8Array, sealed: Uint8Array, binding: HpkeBinding): Promise<Uint8Array | null> {
  abytes(privateKey, X25519_KEY_LENGTH, 'privateKey')
  abytes(sealed, undefined, 'sealed')
  if (sealed.length < HPKE_ENC_LENGTH + HPKE_TAG_LENGTH) return null
  try {
    const recipientKey = await suite.kem.deserializePrivateKey(privateKey)
    return u8(await suite.open({ recipientKey, enc: sealed.subarray(0, HPKE_ENC_LENGTH), info: binding.info }, sealed.subarray(HPKE_ENC_LENGTH), binding.aad))
  } catch {
    return null
  }
}
