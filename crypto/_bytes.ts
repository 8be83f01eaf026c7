// Byte encodings. Strict on input: a decoder that "repairs" its input lets two different strings
// stand for the same bytes, and pinned bytes (STYLE: "Bytes that matter are pinned") stop being pinned.
//
// Speed: the verifier encodes and decodes every log entry, so each encoding uses the fastest
// implementation present: the native Uint8Array base64/hex methods (TC39, in Bun), else Buffer
// (Node), else plain JS (browsers without either). Tests pin the JS path to the native one.

/** Throws unless `value` is a Uint8Array (of `length` bytes if given). `abytes(k, 32, 'publicKey')` */
export function abytes(value: unknown, length: number | undefined, title: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${title}" expected Uint8Array, got ${typeof value}`)
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`"${title}" expected ${length} bytes, got ${value.length}`)
  }
  return value
}

interface NativeCodec {
  toBase64(this: Uint8Array): string
  toHex(this: Uint8Array): string
  fromBase64(s: string, opts: { lastChunkHandling: 'strict' }): Uint8Array
}
const proto = Uint8Array.prototype as unknown as Partial<NativeCodec>
const ctor = Uint8Array as unknown as Partial<NativeCodec>
const nativeToBase64 = typeof proto.toBase64 === 'function' ? proto.toBase64 : undefined
const nativeToHex = typeof proto.toHex === 'function' ? proto.toHex : undefined
const nativeFromBase64 = typeof ctor.fromBase64 === 'function' ? ctor.fromBase64.bind(Uint8Array) : undefined
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Lowercase hex. `toHex(Uint8Array.of(1, 255)) === '01ff'` */
export function toHex(bytes: Uint8Array): string {
  abytes(bytes, undefined, 'bytes')
  if (nativeToHex) return nativeToHex.call(bytes)
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]
  return out
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/** Strict hex decode: even length, hex digits only (either case), else throws. `fromHex('01ff')` */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`"hex" expected string, got ${typeof hex}`)
  if (hex.length % 2 !== 0) throw new RangeError(`"hex" expected even length, got ${hex.length}`)
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i))
    const lo = nibble(hex.charCodeAt(2 * i + 1))
    if (hi < 0 || lo < 0) throw new RangeError(`"hex" has a non-hex character at ${hi < 0 ? 2 * i : 2 * i + 1}`)
    out[i] = hi * 16 + lo
  }
  return out
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
// Zero pad bits: before '==' the last letter carries 4 pad bits, before '=' it carries 2.
const B64_CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/

/** Standard base64 with padding (RFC 4648 §4). `toBase64(utf8('hi')) === 'aGk='` */
export function toBase64(bytes: Uint8Array): string {
  abytes(bytes, undefined, 'bytes')
  if (nativeToBase64) return nativeToBase64.call(bytes)
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64')
  return toBase64Js(bytes)
}

/** Pure-JS base64 encoder; exported for tests that pin it to the native path. */
export function toBase64Js(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '='
    out += i + 2 < bytes.length ? B64[n & 63]! : '='
  }
  return out
}

function notCanonical(): never {
  throw new RangeError('"base64" is not canonical standard base64')
}

/**
 * Strict standard base64: padding required, no whitespace, no URL-safe letters, zero pad bits,
 * so every byte string has exactly one accepted encoding. Throws otherwise. `fromBase64('aGk=')`
 */
export function fromBase64(b64: string): Uint8Array {
  if (typeof b64 !== 'string') throw new TypeError(`"base64" expected string, got ${typeof b64}`)
  if (b64.length % 4 !== 0) throw new RangeError(`"base64" expected a multiple of 4 characters, got ${b64.length}`)
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  const expected = (b64.length / 4) * 3 - pad
  if (nativeFromBase64) {
    // 'strict' rejects missing padding and non-zero pad bits; the native decoder skips ASCII
    // whitespace, which the exact output length rules out.
    let out: Uint8Array
    try {
      out = nativeFromBase64(b64, { lastChunkHandling: 'strict' })
    } catch {
      return notCanonical()
    }
    if (out.length !== expected) notCanonical()
    return out
  }
  if (NodeBuffer) {
    // Buffer's decoder skips garbage silently; re-encoding and comparing rejects every non-canonical input.
    const buf = NodeBuffer.from(b64, 'base64')
    if (buf.toString('base64') !== b64) notCanonical()
    return new Uint8Array(buf)
  }
  return fromBase64Js(b64)
}

/** Pure-JS strict base64 decoder; exported for tests that pin it to the native path. */
export function fromBase64Js(b64: string): Uint8Array {
  if (b64.length % 4 !== 0 || !B64_CANONICAL.test(b64)) notCanonical()
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  const out = new Uint8Array((b64.length / 4) * 3 - pad)
  let o = 0
  for (let i = 0; i < b64.length; i += 4) {
    let n = 0
    for (let j = 0; j < 4; j++) {
      const c = b64[i + j]!
      n = (n << 6) | (c === '=' ? 0 : B64.indexOf(c))
    }
    if (o < out.length) out[o++] = (n >> 16) & 255
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return out
}

const encoder = new TextEncoder()

/** UTF-8 bytes of a string. `utf8('é')` is `c3 a9` */
export function utf8(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`"text" expected string, got ${typeof text}`)
  return encoder.encode(text)
}

/** Concatenation into a new array. `concatBytes(a, b, c)` */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += abytes(p, undefined, 'part').length
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Equality in time independent of where the arrays differ (lengths are not secret). `equalBytes(mac, expected)` */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  abytes(a, undefined, 'a')
  abytes(b, undefined, 'b')
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

// ---------- base64url (RFC 4648 §5), unpadded and canonical: the signed texts of tickets and certificates ----------

const B64URL = /^[A-Za-z0-9_-]*$/

export function toBase64Url(b: Uint8Array): string {
  return toBase64(b).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** The bytes of an unpadded base64url text, or null; a text with non-zero pad bits (a second text for the same bytes) is refused. */
export function fromBase64Url(s: string): Uint8Array | null {
  if (!B64URL.test(s) || s.length % 4 === 1) return null
  const padded = s.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (s.length % 4)) % 4)
  const bin = atob(padded)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return toBase64Url(out) === s ? out : null
}
