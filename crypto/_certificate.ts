// Signed e-certificates (R8.1, R8.2): a compact binary payload signed with one key of the body's Ed25519
// certificate key ring, so anyone holding the published public keys can check a certificate's QR offline.
// The exact bytes are pinned by known-answer vectors (test/crypto-certificate.test.ts) and described in
// docs/certificate-format.md.
//
// Text form (the fragment of the QR's URL, https://<host>/verify/<number>#<text>):
//   CC1.<keyId: 8 hex>.<base64url(payload)>.<base64url(signature)>
//   Ed25519 over "custody/certificate/v1" || 0x00 || keyId (4 bytes) || payload
// The context keeps these signatures apart from tickets and anything else a key signs (a signed note's text
// cannot contain 0x00); the key id is signed too, so a signature cannot be moved to another key id.
//
// The payload carries the holder's name (printed on the certificate: a verifier must compare it exactly) and
// only the visible part of the ID number (first 4 and last 4 characters). It carries no hash of the full ID
// number: an unkeyed hash of 18 characters, 8 of them shown and the rest a birth date and a short sequence,
// is reversed by trying every candidate, so it would publish the number the mask hides.
import { abytes, concatBytes, fromBase64Url, toBase64Url, utf8 } from './_bytes.ts'
import { MAX_TEXT, Malformed, PayloadReader, malformed } from './_payload-reader.ts'
import { ed25519 } from './_ed25519.ts'

/** The text prefix of format version 1. */
export const CERTIFICATE_PREFIX = 'CC1.'
export const CERTIFICATE_VERSION = 1
const TYPE_CERTIFICATE = 0x01
const MAX_PAYLOAD = 1024
const SIGNING_CONTEXT = concatBytes(utf8('custody/certificate/v1'), Uint8Array.of(0))
const KEY_ID = /^[0-9a-f]{8}$/
/** The national form (R8.2): a capital letter and 21 digits; position 16 is the level, 14–15 the year. */
const NUMBER = /^[A-Z][0-9]{21}$/
/** A masked resident ID number: the first 4 and last 4 characters, the 10 between hidden. */
const MASKED_ID = /^([0-9]{4})\*{10}([0-9]{3}[0-9X])$/
const VISIBLE_ID = /^[0-9]{7}[0-9X]$/
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const LONE_SURROGATE = /\p{Surrogate}/u // UTF-8 cannot carry it: the decoded text would differ
const CONTROL = /\p{Cc}/u

/** The signed content of an e-certificate (电子证书). */
export interface CertificatePayload {
  /** The 22-character national number, e.g. S000050000001264000017 (its level and year digits match the fields below). */
  number: string
  /** The holder's name as printed: NFC, no surrounding spaces. */
  holderName: string
  /** The holder's resident ID number masked as lists show it: '5001**********0015'. */
  maskedId: string
  /** 职业（工种）code, e.g. 6-31-01-03. */
  occupationCode: string
  occupationName: string
  /** 1 = 一级/高级技师 … 5 = 五级/初级工. */
  level: 1 | 2 | 3 | 4 | 5
  /** The civil date of issue (China Standard Time), 'YYYY-MM-DD', year 2000–2099. */
  issuedOn: string
  /** The evaluating body's name as printed. */
  body: string
  /** The batch's reference as printed: the municipal centre's approval reference. */
  batchRef: string
  /** The number of the certificate this one replaces (a reissue, R8.3), or null. */
  replaces: string | null
}

export type CertificateErrorCode =
  | 'certificate.malformed'
  | 'certificate.unsupported_version'
  | 'certificate.unknown_key'
  | 'certificate.bad_signature'
  | 'certificate.number_mismatch'

/** A member of the certificate key ring as a verifier holds it: its id (8 lowercase hex) and Ed25519 public key. */
export interface CertificateKey {
  keyId: string
  publicKey: Uint8Array
}

export type CertificateVerifyResult =
  | { ok: true; payload: CertificatePayload; payloadBytes: Uint8Array; keyId: string }
  | { ok: false; error: { code: CertificateErrorCode; reason: string; keyId?: string } }

// ---------- field rules: one value, one spelling ----------

/** Why a text is not canonical, or null: non-empty, well-formed, NFC, no control characters or surrounding spaces. */
function textProblem(value: string): string | null {
  if (value.length === 0) return 'is empty'
  if (LONE_SURROGATE.test(value)) return 'is not well-formed Unicode'
  if (CONTROL.test(value)) return 'contains a control character'
  if (value.normalize('NFC') !== value) return 'is not in Unicode NFC'
  if (value.trim() !== value) return 'has surrounding white space'
  return null
}

/** Why a number is not one this payload can carry, or null (shape, level digit, year digits). */
function numberProblem(number: string, level: number, year: number): string | null {
  if (!NUMBER.test(number)) return 'expected a capital letter and 21 digits'
  if (number[15] !== String(level)) return `position 16 is ${number[15]}, the level is ${level}`
  if (number.slice(13, 15) !== String(year % 100).padStart(2, '0')) return `positions 14–15 are ${number.slice(13, 15)}, the year of issue is ${year}`
  return null
}

function dateParts(s: string): [number, number, number] | null {
  const m = ISO_DATE.exec(s)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1) return null
  const days = mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31
  return d <= days ? [y, mo, d] : null
}

function pushText(out: number[], value: string, title: string): void {
  if (typeof value !== 'string') throw new TypeError(`"${title}" expected string, got ${typeof value}`)
  const problem = textProblem(value)
  if (problem) throw new RangeError(`"${title}" ${problem}`)
  const b = utf8(value)
  if (b.length > MAX_TEXT) throw new RangeError(`"${title}" expected at most ${MAX_TEXT} UTF-8 bytes, got ${b.length}`)
  out.push(b.length, ...b)
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0))

/** Certificate text fields are never empty and spelled one way only (textProblem). */
class Reader extends PayloadReader {
  override text(title: string): string {
    const t = super.text(title, true)
    const problem = textProblem(t)
    if (problem) malformed(`${title} ${problem}`)
    return t
  }
}

/**
 * The canonical payload bytes (docs/certificate-format.md); throws on a value it cannot carry.
 * `encodeCertificate({ number: 'S000050000001264000017', holderName: '张三', maskedId: '1101**********002X', … })`
 */
export function encodeCertificate(p: CertificatePayload): Uint8Array {
  const out: number[] = [CERTIFICATE_VERSION, TYPE_CERTIFICATE]
  if (!Number.isInteger(p.level) || p.level < 1 || p.level > 5) throw new RangeError(`"level" expected an integer 1..5, got ${p.level}`)
  const date = typeof p.issuedOn === 'string' ? dateParts(p.issuedOn) : null
  if (!date) throw new RangeError(`"issuedOn" expected a real date YYYY-MM-DD in 2000..2099, got ${JSON.stringify(p.issuedOn)}`)
  if (typeof p.number !== 'string') throw new TypeError(`"number" expected string, got ${typeof p.number}`)
  const numberBad = numberProblem(p.number, p.level, date[0])
  if (numberBad) throw new RangeError(`"number" ${numberBad}: ${JSON.stringify(p.number)}`)
  out.push(...ascii(p.number))
  pushText(out, p.holderName, 'holderName')
  const masked = typeof p.maskedId === 'string' ? MASKED_ID.exec(p.maskedId) : null
  if (!masked) throw new RangeError(`"maskedId" expected 4 characters, 10 '*' and 4 characters, got ${JSON.stringify(p.maskedId)}`)
  out.push(...ascii(masked[1]! + masked[2]!))
  pushText(out, p.occupationCode, 'occupationCode')
  pushText(out, p.occupationName, 'occupationName')
  out.push(p.level)
  out.push(date[0] >>> 8, date[0] & 0xff, date[1], date[2])
  pushText(out, p.body, 'body')
  pushText(out, p.batchRef, 'batchRef')
  if (p.replaces === null) out.push(0)
  else {
    if (typeof p.replaces !== 'string' || !NUMBER.test(p.replaces))
      throw new RangeError(`"replaces" expected null or a capital letter and 21 digits, got ${JSON.stringify(p.replaces)}`)
    if (p.replaces === p.number) throw new RangeError('"replaces" names the certificate itself')
    out.push(1, ...ascii(p.replaces))
  }
  if (out.length > MAX_PAYLOAD) throw new RangeError(`payload expected at most ${MAX_PAYLOAD} bytes, got ${out.length}`)
  return Uint8Array.from(out)
}

/** Strict decode of payload bytes (throws on anything but the canonical encoding). `decodeCertificate(bytes).number` */
export function decodeCertificate(bytes: Uint8Array): CertificatePayload {
  const r = decodePayload(abytes(bytes, undefined, 'payload'))
  if (!r.ok) throw new RangeError(`${r.error.code}: ${r.error.reason}`)
  return r.value
}

function decodePayload(
  b: Uint8Array,
): { ok: true; value: CertificatePayload } | { ok: false; error: { code: 'certificate.malformed' | 'certificate.unsupported_version'; reason: string } } {
  if (b.length === 0) return { ok: false, error: { code: 'certificate.malformed', reason: 'empty payload' } }
  if (b[0] !== CERTIFICATE_VERSION) return { ok: false, error: { code: 'certificate.unsupported_version', reason: `payload version ${b[0]}` } }
  try {
    const r = new Reader(b)
    r.u8()
    const type = r.u8()
    if (type !== TYPE_CERTIFICATE) malformed(`unknown type 0x${type.toString(16)}`)
    const number = r.ascii(22)
    const holderName = r.text('holderName')
    const visible = r.ascii(8)
    if (!VISIBLE_ID.test(visible)) malformed('maskedId: the visible characters are not 7 digits and a digit or X')
    const occupationCode = r.text('occupationCode')
    const occupationName = r.text('occupationName')
    const level = r.u8()
    if (level < 1 || level > 5) malformed(`level ${level}`)
    const d = r.bytes(4)
    const issuedOn = `${String((d[0]! << 8) | d[1]!).padStart(4, '0')}-${String(d[2]).padStart(2, '0')}-${String(d[3]).padStart(2, '0')}`
    const date = dateParts(issuedOn) ?? malformed(`issuedOn ${issuedOn} is not a date in 2000..2099`)
    const numberBad = numberProblem(number, level, date[0])
    if (numberBad) malformed(`number: ${numberBad}`)
    const body = r.text('body')
    const batchRef = r.text('batchRef')
    const flag = r.u8()
    let replaces: string | null = null
    if (flag === 1) {
      replaces = r.ascii(22)
      if (!NUMBER.test(replaces)) malformed('replaces: expected a capital letter and 21 digits')
      if (replaces === number) malformed('replaces names the certificate itself')
    } else if (flag !== 0) malformed(`replaces: flag ${flag}`)
    if (!r.done) malformed('trailing bytes')
    const maskedId = `${visible.slice(0, 4)}${'*'.repeat(10)}${visible.slice(4)}`
    return {
      ok: true,
      value: { number, holderName, maskedId, occupationCode, occupationName, level: level as CertificatePayload['level'], issuedOn, body, batchRef, replaces },
    }
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, error: { code: 'certificate.malformed', reason: e.message } }
    throw e
  }
}

const keyIdBytes = (keyId: string): Uint8Array => {
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw new RangeError(`"keyId" expected 8 lowercase hex digits, got ${JSON.stringify(keyId)}`)
  return Uint8Array.from({ length: 4 }, (_, i) => parseInt(keyId.slice(2 * i, 2 * i + 2), 16))
}
const signingMessage = (keyId: string, payload: Uint8Array): Uint8Array => concatBytes(SIGNING_CONTEXT, keyIdBytes(keyId), payload)

/**
 * Signs a certificate with a member of the certificate key ring; returns the CC1 text, which names the key.
 * `signer` is `ed25519.nativeSigner(priv)` or `(m) => ed25519.sign(priv, m)`.
 * `signCertificate(payload, '3c5e0a91', ed25519.nativeSigner(priv))` → `CC1.3c5e0a91.AQFT….Xk2…`
 */
export function signCertificate(payload: CertificatePayload, keyId: string, signer: (message: Uint8Array) => Uint8Array): string {
  const bytes = encodeCertificate(payload)
  const sig = abytes(signer(signingMessage(keyId, bytes)), 64, 'signature')
  return `${CERTIFICATE_PREFIX}${keyId}.${toBase64Url(bytes)}.${toBase64Url(sig)}`
}

type Parsed = { keyId: string; payload: Uint8Array; sig: Uint8Array }
type Refusal = { ok: false; error: { code: CertificateErrorCode; reason: string; keyId?: string } }
const bad = (code: CertificateErrorCode, reason: string): Refusal => ({ ok: false, error: { code, reason } })

/** Splits a CC text into its parts (no signature check); a refusal says why. */
function parseText(text: unknown): { ok: true; value: Parsed } | Refusal {
  if (typeof text !== 'string' || text.length > 4 * MAX_PAYLOAD) return bad('certificate.malformed', 'not a certificate text')
  const v = /^CC(\d{1,3})\./.exec(text)
  if (!v) return bad('certificate.malformed', 'expected CC<version>.…')
  if (v[1] !== '1') return bad('certificate.unsupported_version', `text version ${v[1]}`)
  const m = /^CC1\.([0-9a-f]{8})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)$/.exec(text)
  if (!m) return bad('certificate.malformed', 'expected CC1.<key id: 8 hex>.<payload>.<signature>')
  const payload = fromBase64Url(m[2]!)
  const sig = fromBase64Url(m[3]!)
  if (!payload || payload.length === 0 || payload.length > MAX_PAYLOAD) return bad('certificate.malformed', 'payload is not canonical base64url')
  if (!sig || sig.length !== 64) return bad('certificate.malformed', 'signature is not 64 bytes of canonical base64url')
  if (payload[0] !== CERTIFICATE_VERSION) return bad('certificate.unsupported_version', `payload version ${payload[0]}`)
  return { ok: true, value: { keyId: m[1]!, payload, sig } }
}

/**
 * Checks a CC1 text against the certificate keys the caller trusts; never throws on bad input. The text's
 * shape and version first, then the key its id names (none held: `certificate.unknown_key`), the signature
 * over the exact bytes (`certificate.bad_signature`), then the fields (`certificate.malformed`).
 * `verifyCertificateRing(text, [{ keyId: '3c5e0a91', publicKey }])` → `{ ok: true, payload, keyId: '3c5e0a91' }`
 */
export function verifyCertificateRing(text: string, keys: readonly CertificateKey[]): CertificateVerifyResult {
  for (const k of keys) {
    abytes(k.publicKey, 32, 'publicKey')
    keyIdBytes(k.keyId)
  }
  const p = parseText(text)
  if (!p.ok) return p
  const { keyId, payload, sig } = p.value
  const key = keys.find((k) => k.keyId === keyId)
  if (!key) return { ok: false, error: { code: 'certificate.unknown_key', reason: `no certificate key ${keyId} is held`, keyId } }
  if (!ed25519.verify(key.publicKey, signingMessage(keyId, payload), sig))
    return { ok: false, error: { code: 'certificate.bad_signature', reason: `the signature does not verify with key ${keyId}`, keyId } }
  const decoded = decodePayload(payload)
  return decoded.ok ? { ok: true, payload: decoded.value, payloadBytes: payload, keyId } : decoded
}

// ---------- the QR: https://<host>/verify/<number>#<CC1 text> ----------

const ORIGIN = /^https?:\/\/[A-Za-z0-9.:[\]-]+$/
const QR_URL = /^https?:\/\/[^/?#\s]+\/verify\/([^/?#\s]*)#(\S*)$/

/**
 * The QR content of a certificate: the public page's address with the signed text in the fragment, which a
 * browser never sends to the server. The page verifies the fragment itself and asks the server only about
 * the number. `certificateQr('https://custody.example.org', text)` → `https://custody.example.org/verify/S0000…#CC1.…`
 */
export function certificateQr(origin: string, text: string): string {
  if (typeof origin !== 'string' || !ORIGIN.test(origin))
    throw new RangeError(`"origin" expected scheme://host[:port] with no path, got ${JSON.stringify(origin)}`)
  const p = parseText(text)
  if (!p.ok) throw new RangeError(`"text" ${p.error.code}: ${p.error.reason}`)
  const decoded = decodePayload(p.value.payload)
  if (!decoded.ok) throw new RangeError(`"text" ${decoded.error.code}: ${decoded.error.reason}`)
  return `${origin}/verify/${decoded.value.number}#${text}`
}

/**
 * Checks what a scanner read from a certificate's QR: its URL (`…/verify/<number>#<text>`) or the bare CC1
 * text. Like verifyCertificateRing, and a URL whose number is not the signed one is `certificate.number_mismatch`
 * (the page would otherwise show one certificate's status beside another's signed content).
 * `verifyCertificateQr('https://h/verify/S0000…#CC1.…', keys)` → `{ ok: true, payload, keyId }`
 */
export function verifyCertificateQr(qr: string, keys: readonly CertificateKey[]): CertificateVerifyResult {
  if (typeof qr !== 'string') return bad('certificate.malformed', 'not a certificate text')
  if (qr.startsWith('CC')) return verifyCertificateRing(qr, keys)
  const m = QR_URL.exec(qr)
  if (!m) return bad('certificate.malformed', 'expected https://<host>/verify/<number>#CC1.… or a CC1 text')
  const r = verifyCertificateRing(m[2]!, keys)
  if (r.ok && r.payload.number !== m[1])
    return { ok: false, error: { code: 'certificate.number_mismatch', reason: `the address names ${m[1]}, the signed certificate is ${r.payload.number}` } }
  return r
}

/** The key id a CC1 text names (not checked), or null. `certificateKeyIdOf('CC1.3c5e0a91.…')` → `'3c5e0a91'` */
export function certificateKeyIdOf(text: string): string | null {
  return typeof text === 'string' ? (/^CC1\.([0-9a-f]{8})\./.exec(text)?.[1] ?? null) : null
}
