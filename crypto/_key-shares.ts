// The paper private key as k-of-n Shamir shares (docs/decisions/008-split-master-key.md), each sealed to
// its holder's passphrase key. Splitting and combining are the audited `shamir-secret-sharing` package
// (GF(2^8), privy-io, audited by Cure53 and Zellic); nothing here does field arithmetic.
// A passphrase key is an X25519 key pair derived from scrypt(passphrase, salt) (RFC 7914), so a share can be
// sealed to a holder who is not present; only their passphrase opens it.
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { combine, split } from 'shamir-secret-sharing'
import { abytes, concatBytes, utf8 } from './_bytes.ts'
import { type HpkeKeyPair, hpkeKeyPairFromSeed, hpkeOpen, hpkeSeal } from './_hpke.ts'

export interface ScryptCost {
  N: number
  r: number
  p: number
}
/** ~150–200 ms and 32 MiB per unlock on the build machine, as for login passwords. */
export const SHARE_SCRYPT: ScryptCost = { N: 2 ** 15, r: 8, p: 1 }
export const MIN_PASSPHRASE_LENGTH = 12

/** Splits a 32-byte secret into `n` shares, any `k` of which rebuild it. `await splitSecret(seed, 3, 2)` → 3 × 33 bytes */
export async function splitSecret(secret: Uint8Array, n: number, k: number): Promise<Uint8Array[]> {
  abytes(secret, 32, 'secret')
  if (!Number.isSafeInteger(k) || !Number.isSafeInteger(n) || k < 2 || n < k || n > 255) throw new RangeError(`expected 2 <= k <= n <= 255, got k=${k} n=${n}`)
  return split(secret, n, k)
}

/** Rebuilds the secret from shares; fewer than the threshold give unrelated bytes (or throw below two). `await combineShares([s1, s3])` */
export async function combineShares(shares: readonly Uint8Array[]): Promise<Uint8Array> {
  if (shares.length < 2) throw new RangeError(`"shares" expected at least 2, got ${shares.length}`)
  for (const s of shares) abytes(s, 33, 'share')
  return combine([...shares])
}

/** The X25519 key pair a passphrase stands for under this salt. `await passphraseKeyPair('…', salt16, SHARE_SCRYPT)` */
export async function passphraseKeyPair(passphrase: string, salt: Uint8Array, cost: ScryptCost = SHARE_SCRYPT): Promise<HpkeKeyPair> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new TypeError('"passphrase" expected a non-empty string')
  abytes(salt, 16, 'salt')
  const seed = await scryptAsync(passphrase.normalize('NFC'), salt, { ...cost, dkLen: 32 })
  try {
    return await hpkeKeyPairFromSeed(seed)
  } finally {
    seed.fill(0)
  }
}

const SHARE_INFO = utf8('custody/key-share/v1')
const shareAad = (context: string): Uint8Array => {
  if (typeof context !== 'string' || context.length === 0) throw new TypeError('"context" expected a non-empty string')
  return concatBytes(SHARE_INFO, Uint8Array.of(0), utf8(context))
}

/** Seals a share to its holder's passphrase public key, bound to `context` (key id, holder). `await sealShare(share, pk, ctx)` */
export function sealShare(share: Uint8Array, holderPublicKey: Uint8Array, context: string): Promise<Uint8Array> {
  abytes(share, 33, 'share')
  return hpkeSeal(holderPublicKey, share, { info: SHARE_INFO, aad: shareAad(context) })
}

/** Opens a sealed share with the holder's passphrase private key; null if it does not open. */
export function openShare(sealed: Uint8Array, holderPrivateKey: Uint8Array, context: string): Promise<Uint8Array | null> {
  return hpkeOpen(holderPrivateKey, sealed, { info: SHARE_INFO, aad: shareAad(context) })
}
