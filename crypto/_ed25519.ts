// Ed25519 (RFC 8032). noble is the reference path (audited, pure JS); a host may install a native signer
// for signing many payloads (tickets; crypto/_native.ts). Ed25519 is deterministic, so both give identical signatures.
import { ed25519 as noble } from '@noble/curves/ed25519.js'
import { abytes } from './_bytes.ts'
import { impl } from './_native.ts'

/** Random 32-byte private key seed (RFC 8032 §5.1.5). `const priv = ed25519.generatePrivateKey()` */
function generatePrivateKey(): Uint8Array {
  return noble.utils.randomSecretKey()
}

/** Public key of a 32-byte seed. `ed25519.publicKey(priv)` → 32 bytes */
function publicKey(privateKey: Uint8Array): Uint8Array {
  return noble.getPublicKey(abytes(privateKey, 32, 'privateKey'))
}

/** Signature (64 bytes) of `message`. `ed25519.sign(priv, utf8('hello'))` */
function sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  abytes(privateKey, 32, 'privateKey')
  abytes(message, undefined, 'message')
  return noble.sign(message, privateKey)
}

/**
 * True iff `signature` is a valid RFC 8032 signature; false (never throws) for wrong lengths or bad
 * encodings. Strict decoding (zip215: false) so a signature has a single valid encoding.
 * `ed25519.verify(pub, msg, sig)`
 */
function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  abytes(publicKey, undefined, 'publicKey')
  abytes(message, undefined, 'message')
  abytes(signature, undefined, 'signature')
  if (publicKey.length !== 32 || signature.length !== 64) return false
  try {
    return noble.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

/**
 * A signing function for bulk signing: the installed native signer (the server's: a node:crypto KeyObject),
 * else noble. Same signatures either way. `const signTicket = ed25519.nativeSigner(priv); signTicket(payload)` → 64 bytes
 */
function nativeSigner(privateKey: Uint8Array): (message: Uint8Array) => Uint8Array {
  const signer = impl.ed25519Signer(abytes(privateKey, 32, 'privateKey'))
  return (message) => signer(abytes(message, undefined, 'message'))
}

export const ed25519 = { generatePrivateKey, publicKey, sign, verify, nativeSigner } as const
