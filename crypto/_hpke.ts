// HPKE (RFC 9180) in base mode with one suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
// (kem 0x0020, kdf 0x0001, aead 0x0002), single-shot (one message per context, sequence number 0), written over
// @noble (x25519, HKDF) and crypto/'s AES-GCM so crypto/ bundles for the browser (hpke-js reaches for node:crypto
// when it finds no WebCrypto; test/crypto-paper-hpke.test.ts checks this against RFC 9180 A.1.1 and hpke-js).
// Used to wrap paper data keys to the paper public key and to seal each key share to its holder's passphrase key
// (docs/decisions/008-split-master-key.md). Key pairs come from DeriveKeyPair (RFC 9180 §7.1.3), so a 32-byte
// seed stands for a whole key pair: the seed is what is split into shares, and what a passphrase derives.
import { x25519 } from '@noble/curves/ed25519.js'
import { expand, extract } from '@noble/hashes/hkdf.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { abytes, concatBytes, toHex, utf8 } from './_bytes.ts'
import { aesGcmOpen, aesGcmSeal } from './_aead.ts'
import { randomBytes } from './_native.ts'
import { sha256 } from './_sha256.ts'

export const X25519_KEY_LENGTH = 32
/** enc (32) — the ephemeral public key — precedes the AEAD ciphertext in everything sealed here. */
export const HPKE_ENC_LENGTH = 32
export const HPKE_TAG_LENGTH = 16

const HPKE_V1 = utf8('HPKE-v1')
const KEM_SUITE = concatBytes(utf8('KEM'), Uint8Array.of(0x00, 0x20)) // "KEM" || I2OSP(kem_id, 2)
const HPKE_SUITE = concatBytes(utf8('HPKE'), Uint8Array.of(0x00, 0x20, 0x00, 0x01, 0x00, 0x02)) // kem, kdf, aead ids
const EMPTY = new Uint8Array(0)
const MODE_BASE = 0x00

// RFC 9180 §4: LabeledExtract and LabeledExpand, bound to a suite id.
const labeledExtract = (suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array =>
  extract(nobleSha256, concatBytes(HPKE_V1, suite, utf8(label), ikm), salt)
const labeledExpand = (suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array =>
  expand(nobleSha256, prk, concatBytes(Uint8Array.of(length >> 8, length & 255), HPKE_V1, suite, utf8(label), info), length)

/** DeriveKeyPair for X25519 (RFC 9180 §7.1.3): sk = LabeledExpand(LabeledExtract("", "dkp_prk", ikm), "sk", "", 32). */
function deriveKeyPair(ikm: Uint8Array): HpkeKeyPair {
  const privateKey = labeledExpand(KEM_SUITE, labeledExtract(KEM_SUITE, EMPTY, 'dkp_prk', ikm), 'sk', EMPTY, 32)
  return { publicKey: x25519.getPublicKey(privateKey), privateKey }
}

/** DHKEM ExtractAndExpand (RFC 9180 §4.1); x25519 refuses low-order points (an all-zero shared secret). */
function sharedSecret(dh: Uint8Array, enc: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const prk = labeledExtract(KEM_SUITE, EMPTY, 'eae_prk', dh)
  return labeledExpand(KEM_SUITE, prk, 'shared_secret', concatBytes(enc, recipientPublicKey), 32)
}

/** KeySchedule in base mode (RFC 9180 §5.1): the AEAD key and base nonce (the one message uses sequence number 0). */
function keySchedule(shared: Uint8Array, info: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const context = concatBytes(
    Uint8Array.of(MODE_BASE),
    labeledExtract(HPKE_SUITE, EMPTY, 'psk_id_hash', EMPTY),
    labeledExtract(HPKE_SUITE, EMPTY, 'info_hash', info),
  )
  const secret = labeledExtract(HPKE_SUITE, shared, 'secret', EMPTY)
  return { key: labeledExpand(HPKE_SUITE, secret, 'key', context, 32), nonce: labeledExpand(HPKE_SUITE, secret, 'base_nonce', context, 12) }
}

/** An X25519 key pair as raw bytes (RFC 7748 encodings); the private half can be wiped with fill(0). */
export interface HpkeKeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

/** The key pair RFC 9180 DeriveKeyPair makes of a 32-byte seed. `const kp = await hpkeKeyPairFromSeed(seed)` */
export async function hpkeKeyPairFromSeed(seed: Uint8Array): Promise<HpkeKeyPair> {
  return deriveKeyPair(abytes(seed, 32, 'seed'))
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
  const ephemeral = deriveKeyPair(ephemeralSeed === undefined ? randomBytes(32) : abytes(ephemeralSeed, 32, 'ephemeralSeed'))
  try {
    const enc = ephemeral.publicKey
    const { key, nonce } = keySchedule(sharedSecret(x25519.getSharedSecret(ephemeral.privateKey, publicKey), enc, publicKey), binding.info)
    return concatBytes(enc, aesGcmSeal(key, nonce, plaintext, binding.aad))
  } finally {
    ephemeral.privateKey.fill(0)
  }
}

/** Opens what hpkeSeal made; null when it does not open (wrong key, info, aad, or altered). `await hpkeOpen(sk, sealed, { info, aad })` */
export async function hpkeOpen(privateKey: Uint8Array, sealed: Uint8Array, binding: HpkeBinding): Promise<Uint8Array | null> {
  abytes(privateKey, X25519_KEY_LENGTH, 'privateKey')
  abytes(sealed, undefined, 'sealed')
  abytes(binding.info, undefined, 'info')
  abytes(binding.aad, undefined, 'aad')
  if (sealed.length < HPKE_ENC_LENGTH + HPKE_TAG_LENGTH) return null
  const enc = sealed.subarray(0, HPKE_ENC_LENGTH)
  let dh: Uint8Array
  try {
    dh = x25519.getSharedSecret(privateKey, enc) // throws on a low-order enc
  } catch {
    return null
  }
  const { key, nonce } = keySchedule(sharedSecret(dh, enc, x25519.getPublicKey(privateKey)), binding.info)
  return aesGcmOpen(key, nonce, sealed.subarray(HPKE_ENC_LENGTH), binding.aad)
}
