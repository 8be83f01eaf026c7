// The tablet's own key (docs/decisions/011-door-kiosk.md, "Devices"): an ECDSA P-256 pair made with WebCrypto,
// the private half not extractable (it never leaves this browser; IndexedDB keeps the CryptoKey itself). It signs
// each record when it is made and each request the kiosk sends; signatures are raw r‖s (64 bytes) in base64,
// which is what WebCrypto gives and what the server verifies (@noble/curves p256, prehash, compact).
import { canonicalJson, type Canonical } from '../../audit/index.ts'
import { toBase64 } from '../../crypto/index.ts'
import type { KioskRecord } from './_kiosk-types.ts'

export const RECORD_CONTEXT = 'custody/kiosk-record/v1\n'
export const REQUEST_CONTEXT = 'custody/kiosk-request/v1\n'
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const
const enc = new TextEncoder()

/** A new device key pair; the private key cannot be exported (extractable: false). */
export function makeDeviceKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
}

/** The raw uncompressed public point (65 bytes, 0x04 ‖ x ‖ y) in base64, as enrolment sends it. */
export async function rawPublicKey(pair: CryptoKeyPair): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)))
}

async function sign(key: CryptoKey, text: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign(ECDSA, key, enc.encode(text))))
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('')
}

/**
 * A value as JSON carries it: undefined fields dropped (JSON.stringify drops them; canonical JSON would refuse),
 * so what is signed is exactly what is sent and stored.
 */
export const jsonValue = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V

/** The bytes a record's signature covers: the context line and the canonical JSON of everything but `signature`. */
export function recordText(record: Omit<KioskRecord, 'signature'> | KioskRecord): string {
  const { signature: _, ...rest } = record as KioskRecord
  return RECORD_CONTEXT + canonicalJson(rest as unknown as Canonical)
}

/** Signs a record (made with jsonValue'd fields). */
export async function signRecord<B>(key: CryptoKey, unsigned: Omit<KioskRecord<B>, 'signature'>): Promise<KioskRecord<B>> {
  return { ...unsigned, signature: await sign(key, recordText(unsigned as Omit<KioskRecord, 'signature'>)) }
}

/** Checks a record's signature with the device's public key (tests; the server checks its own way). */
export async function verifyRecord(publicKey: CryptoKey, record: KioskRecord): Promise<boolean> {
  const sig = Uint8Array.from(atob(record.signature), (c) => c.charCodeAt(0))
  return crypto.subtle.verify(ECDSA, publicKey, sig, enc.encode(recordText(record)))
}

/**
 * The three headers of a device-signed request: Custody-Device, Custody-Device-Time, Custody-Device-Signature
 * over `context + METHOD \n path-with-query \n time \n hex(sha256(body))`.
 */
export async function requestHeaders(
  device: { deviceId: string; privateKey: CryptoKey },
  method: string,
  pathWithQuery: string,
  body: string,
  time: number,
): Promise<Record<string, string>> {
  const text = `${REQUEST_CONTEXT}${method.toUpperCase()}\n${pathWithQuery}\n${time}\n${await sha256Hex(enc.encode(body))}`
  return { 'Custody-Device': device.deviceId, 'Custody-Device-Time': String(time), 'Custody-Device-Signature': await sign(device.privateKey, text) }
}
