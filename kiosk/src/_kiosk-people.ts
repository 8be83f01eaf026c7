// People on the device (docs/decisions/011-door-kiosk.md): when someone logs in or confirms on this tablet while
// online, the kiosk keeps a verifier — scrypt of the password with salt deviceId ‖ userId, never the password —
// so that offline the same person can confirm (the record then says check: 'offline' and the server flags it).
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { toHex, utf8 } from '../../crypto/index.ts'
import type { KioskStore, VerifierRow } from './_kiosk-store.ts'

/** Lighter than the server's (N = 2^15): a tablet runs it while the person waits; the salt ties it to this device. */
export const VERIFIER_SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const

async function derive(password: string, deviceId: string, userId: string, params: VerifierRow['params']): Promise<string> {
  return toHex(await scryptAsync(utf8(password), utf8(`${deviceId}\u0000${userId}`), { ...params, dkLen: 32 }))
}

/** Keeps (or renews) the verifier of a person the server just accepted on this device. */
export async function rememberPerson(
  store: KioskStore,
  deviceId: string,
  person: { userId: string; username: string; displayName: string },
  password: string,
  now: number,
): Promise<void> {
  const hash = await derive(password, deviceId, person.userId, VERIFIER_SCRYPT)
  await store.putVerifier({ ...person, username: person.username.toLowerCase(), hash, params: { ...VERIFIER_SCRYPT }, at: now })
}

/** The person, if this username and password match the verifier kept on this device; null otherwise. */
export async function checkOffline(store: KioskStore, deviceId: string, username: string, password: string): Promise<VerifierRow | null> {
  const v = await store.getVerifierByUsername(username.trim().toLowerCase())
  if (!v) return null
  const hash = await derive(password, deviceId, v.userId, v.params)
  let diff = hash.length ^ v.hash.length
  for (let i = 0; i < Math.min(hash.length, v.hash.length); i++) diff |= hash.charCodeAt(i) ^ v.hash.charCodeAt(i)
  return diff === 0 ? v : null
}
