// AES-256-GCM (NIST SP 800-38D). Pure (@noble/ciphers, ~46 MB/s sealing 64 KiB chunks) unless the host
// installed a native one (crypto/_native.ts): the server's node:crypto (BoringSSL/OpenSSL with AES-NI and CLMUL)
// seals at ~4 GB/s (docs/decisions/003-paper-encryption.md). Bun's node:crypto has neither chacha20-poly1305
// nor id-aes256-wrap, so GCM is also the key-wrapping AEAD.
import { abytes } from './_bytes.ts'
import { impl } from './_native.ts'

export const AES_KEY_LENGTH = 32
export const GCM_NONCE_LENGTH = 12
export const GCM_TAG_LENGTH = 16

const EMPTY = new Uint8Array(0)

/**
 * Seals `plaintext`: ciphertext || 16-byte tag, `ad` authenticated but not encrypted. The nonce must
 * never repeat under one key. `aesGcmSeal(key, nonce12, utf8('paper'), header)`
 */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array = EMPTY): Uint8Array {
  abytes(key, AES_KEY_LENGTH, 'key')
  abytes(nonce, GCM_NONCE_LENGTH, 'nonce')
  abytes(plaintext, undefined, 'plaintext')
  abytes(ad, undefined, 'ad')
  return impl.aesGcm.seal(key, nonce, plaintext, ad)
}

/**
 * Opens ciphertext || tag; null when authentication fails (wrong key, nonce, ad, or altered bytes).
 * Nothing of the plaintext is returned before the tag is checked. `aesGcmOpen(key, nonce12, sealed, header)`
 */
export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array = EMPTY): Uint8Array | null {
  abytes(key, AES_KEY_LENGTH, 'key')
  abytes(nonce, GCM_NONCE_LENGTH, 'nonce')
  abytes(sealed, undefined, 'sealed')
  abytes(ad, undefined, 'ad')
  if (sealed.length < GCM_TAG_LENGTH) return null
  return impl.aesGcm.open(key, nonce, sealed, ad)
}
