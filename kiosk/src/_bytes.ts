// Byte helpers for the browser bundles. crypto/ uses node:crypto for speed, so the kiosk keeps its own
// tiny set (atob/btoa and TextEncoder exist in every browser and in Bun).
export { bytesToHex as toHex, hexToBytes as fromHex, concatBytes } from '@noble/hashes/utils.js'

const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: true })

/** `utf8('日志')` → its UTF-8 bytes. */
export const utf8 = (s: string): Uint8Array => enc.encode(s)

/** Strict UTF-8 decoding: malformed bytes throw instead of turning into U+FFFD. */
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b)

/** Standard base64 (RFC 4648 §4, padded) to bytes; throws on anything else. */
export function fromBase64(s: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) throw new Error(`not base64: ${s.slice(0, 16)}`)
  const bin = atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Bytes to standard padded base64. */
export function toBase64(b: Uint8Array): string {
  let bin = ''
  for (const x of b) bin += String.fromCharCode(x)
  return btoa(bin)
}

/** Constant-shape comparison (the values compared here are public hashes; no timing concern). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
