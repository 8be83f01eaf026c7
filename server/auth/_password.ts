import { scryptAsync } from '@noble/hashes/scrypt.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { timingSafeEqual } from 'node:crypto'

/**
 * Password hashes: scrypt (RFC 7914) from @noble/hashes, stored as `scrypt$N$r$p$salt$hash` (base64).
 * N=2^15, r=8, p=1 costs 32 MiB and ~150-200 ms on this 2-core machine (the target is at least ~50 ms).
 * The parameters are stored with each hash so they can be raised later without breaking old ones.
 */
export interface ScryptParams {
  N: number
  r: number
  p: number
}
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 }
/** Only for tests: fast, and still a real scrypt hash. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 4, r: 8, p: 1 }

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64')
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16)
  const dk = await scryptAsync(password.normalize('NFC'), salt, { ...params, dkLen: 32 })
  return `scrypt$${params.N}$${params.r}$${params.p}$${b64(salt)}$${b64(dk)}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  const salt = unb64(parts[4]!)
  const expected = unb64(parts[5]!)
  const dk = await scryptAsync(password.normalize('NFC'), salt, { N, r, p, dkLen: expected.length })
  return dk.length === expected.length && timingSafeEqual(dk, expected)
}
