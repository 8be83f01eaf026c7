// Signed passes for the QR codes on admission tickets (R3.4, R3.5) and staff badges (R4.3): a compact
// binary payload signed with the body's Ed25519 ticket key, so any door can check it offline with the
// published public key. The exact bytes are pinned by known-answer vectors (test/crypto-ticket.test.ts)
// and described in docs/ticket-format.md.
//
// Text forms (what the QR code holds, byte mode):
//   CT2.<keyId: 8 hex>.<base64url(payload)>.<base64url(signature)>   Ed25519 over "custody/pass/v2" || 0x00 || keyId (4 bytes) || payload
//   CT1.<base64url(payload)>.<base64url(signature)>                  Ed25519 over "custody/pass/v1" || 0x00 || payload (legacy, no key id)
// The context keeps these signatures apart from anything else the key signs (a signed note's text cannot
// contain 0x00); in CT2 the key id is signed too, so a signature cannot be moved to another key id.
import { abytes, concatBytes, equalBytes, fromBase64Url, toBase64Url, utf8 } from './_bytes.ts'
import { MAX_TEXT, Malformed, PayloadReader, malformed } from './_payload-reader.ts'
import { ed25519 } from './_ed25519.ts'
import { sha256 } from './_sha256.ts'

/** The text prefix of format version 1 (legacy: no key id). */
export const TICKET_PREFIX = 'CT1.'
/** The text prefix of format version 2: the signing key's id follows. */
export const TICKET_PREFIX_V2 = 'CT2.'
export const TICKET_VERSION = 1
const TYPE_TICKET = 0x01
const TYPE_BADGE = 0x02
const UUID_TAG = 0xff
const MAX_PAYLOAD = 1024
const SIGNING_CONTEXT = concatBytes(utf8('custody/pass/v1'), Uint8Array.of(0))
const SIGNING_CONTEXT_V2 = concatBytes(utf8('custody/pass/v2'), Uint8Array.of(0))
const KEY_ID = /^[0-9a-f]{8}$/
const IDENTITY_CONTEXT = concatBytes(utf8('custody/ticket-identity/v1'), Uint8Array.of(0))
const LONE_SURROGATE = /\p{Surrogate}/u // UTF-8 cannot carry it: the decoded text would differ
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Staff duties (R4.3) and their one-byte codes in a badge. */
export const BADGE_DUTIES = ['invigilator', 'examiner', 'supervisor', 'site_leader'] as const
export type BadgeDuty = (typeof BADGE_DUTIES)[number]

/** The QR payload of an admission ticket (准考证). */
export interface TicketPayload {
  type: 'ticket'
  /** Ticket number, e.g. 2026-3F9A1C-00017. */
  number: string
  candidateId: string
  examSessionId: string
  roomId: string
  /** Seat number, 1..65535. */
  seat: number
  /** 16 bytes binding ticket number, name and ID number (ticketIdentity). */
  identity: Uint8Array
}

/** The QR payload of a staff badge: who, which duty, where, until when. */
export interface BadgePayload {
  type: 'badge'
  userId: string
  examSessionId: string
  /** null: the whole session (supervisor, a session-wide site leader). */
  roomId: string | null
  duty: BadgeDuty
  /** The staff member's display name, shown by the door. */
  name: string
  /** Epoch ms after which the badge no longer admits (the session's end). */
  validUntil: number
}

export type SignedPass = TicketPayload | BadgePayload

export type TicketErrorCode = 'ticket.malformed' | 'ticket.bad_signature' | 'ticket.unsupported_version'
export type TicketVerifyResult = { ok: true; payload: SignedPass; payloadBytes: Uint8Array } | { ok: false; error: { code: TicketErrorCode; reason: string } }

/** A member of the ticket key ring as a verifier holds it: its id (8 lowercase hex) and Ed25519 public key. */
export interface TicketKey {
  keyId: string
  publicKey: Uint8Array
}
/** `ticket.unknown_key`: a CT2 key id the verifier does not hold (a door says `unknown_key`, not `forged`). */
export type TicketRingErrorCode = TicketErrorCode | 'ticket.unknown_key'
export type TicketRingVerifyResult =
  | { ok: true; payload: SignedPass; payloadBytes: Uint8Array; version: 1 | 2; keyId: string }
  | { ok: false; error: { code: TicketRingErrorCode; reason: string; keyId?: string } }

// ---------- field encodings ----------

function pushText(out: number[], value: string, title: string, allowEmpty = false): void {
  if (typeof value !== 'string') throw new TypeError(`"${title}" expected string, got ${typeof value}`)
  if (!allowEmpty && value.length === 0) throw new RangeError(`"${title}" must not be empty`)
  if (LONE_SURROGATE.test(value)) throw new RangeError(`"${title}" is not well-formed Unicode`)
  const b = utf8(value)
  if (b.length > MAX_TEXT) throw new RangeError(`"${title}" expected at most ${MAX_TEXT} UTF-8 bytes, got ${b.length}`)
  out.push(b.length, ...b)
}

/** An id: a lowercase UUID takes 17 bytes (0xFF + 16), any other text the text form. */
function pushId(out: number[], value: string, title: string, allowEmpty = false): void {
  if (typeof value === 'string' && UUID.test(value)) {
    out.push(UUID_TAG)
    const hex = value.replaceAll('-', '')
    for (let i = 0; i < 32; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16))
    return
  }
  pushText(out, value, title, allowEmpty)
}

class Reader extends PayloadReader {
  id(title: string, allowEmpty = false): string {
    if (this.peek() === UUID_TAG) {
      this.at++
      const h = Array.from(this.bytes(16), (x) => x.toString(16).padStart(2, '0')).join('')
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    }
    const t = this.text(title, allowEmpty)
    // One encoding per value: a UUID written as text would be a second encoding of the same id.
    if (UUID.test(t)) malformed(`${title} is a UUID in text form`)
    return t
  }
}

/**
 * The canonical payload bytes (docs/ticket-format.md).
 * `encodeTicket({ type: 'ticket', number: '2026-A-00001', candidateId, examSessionId, roomId, seat: 7, identity })`
 */
export function encodeTicket(p: SignedPass): Uint8Array {
  const out: number[] = [TICKET_VERSION]
  if (p.type === 'ticket') {
    out.push(TYPE_TICKET)
    pushText(out, p.number, 'number')
    pushId(out, p.candidateId, 'candidateId')
    pushId(out, p.examSessionId, 'examSessionId')
    pushId(out, p.roomId, 'roomId')
    if (!Number.isInteger(p.seat) || p.seat < 1 || p.seat > 0xffff) throw new RangeError(`"seat" expected an integer 1..65535, got ${p.seat}`)
    out.push(p.seat >>> 8, p.seat & 0xff)
    out.push(...abytes(p.identity, 16, 'identity'))
  } else if (p.type === 'badge') {
    out.push(TYPE_BADGE)
    pushId(out, p.userId, 'userId')
    pushId(out, p.examSessionId, 'examSessionId')
    pushId(out, p.roomId ?? '', 'roomId', true)
    const duty = BADGE_DUTIES.indexOf(p.duty)
    if (duty < 0) throw new RangeError(`"duty" expected one of ${BADGE_DUTIES.join(', ')}, got ${String(p.duty)}`)
    out.push(duty + 1)
    pushText(out, p.name, 'name')
    if (!Number.isSafeInteger(p.validUntil) || p.validUntil < 0 || p.validUntil >= 2 ** 48) {
      throw new RangeError(`"validUntil" expected epoch ms in 0..2^48, got ${p.validUntil}`)
    }
    const hi = Math.floor(p.validUntil / 2 ** 32),
      lo = p.validUntil >>> 0
    out.push(hi >>> 8, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff)
  } else {
    throw new TypeError(`"type" expected 'ticket' or 'badge', got ${String((p as { type?: unknown }).type)}`)
  }
  return Uint8Array.from(out)
}

/** Strict decode of payload bytes (throws on anything but the canonical encoding). `decodeTicket(bytes).type` */
export function decodeTicket(bytes: Uint8Array): SignedPass {
  const r = decodePayload(abytes(bytes, undefined, 'payload'))
  if (!r.ok) throw new RangeError(`${r.error.code}: ${r.error.reason}`)
  return r.value
}

function decodePayload(b: Uint8Array): { ok: true; value: SignedPass } | { ok: false; error: { code: TicketErrorCode; reason: string } } {
  if (b.length === 0) return { ok: false, error: { code: 'ticket.malformed', reason: 'empty payload' } }
  if (b[0] !== TICKET_VERSION) return { ok: false, error: { code: 'ticket.unsupported_version', reason: `payload version ${b[0]}` } }
  try {
    const r = new Reader(b)
    r.u8()
    const type = r.u8()
    let value: SignedPass
    if (type === TYPE_TICKET) {
      const number = r.text('number')
      const candidateId = r.id('candidateId')
      const examSessionId = r.id('examSessionId')
      const roomId = r.id('roomId')
      const seat = (r.u8() << 8) | r.u8()
      if (seat === 0) malformed('seat 0')
      value = { type: 'ticket', number, candidateId, examSessionId, roomId, seat, identity: r.bytes(16) }
    } else if (type === TYPE_BADGE) {
      const userId = r.id('userId')
      const examSessionId = r.id('examSessionId')
      const room = r.id('roomId', true)
      const d = r.u8()
      const duty = BADGE_DUTIES[d - 1] ?? malformed(`unknown duty code ${d}`)
      const name = r.text('name')
      const t = r.bytes(6)
      const validUntil = ((t[0]! << 8) | t[1]!) * 2 ** 32 + (((t[2]! << 24) | (t[3]! << 16) | (t[4]! << 8) | t[5]!) >>> 0)
      value = { type: 'badge', userId, examSessionId, roomId: room === '' ? null : room, duty, name, validUntil }
    } else {
      return malformed(`unknown type 0x${type.toString(16)}`)
    }
    if (!r.done) malformed('trailing bytes')
    return { ok: true, value }
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, error: { code: 'ticket.malformed', reason: e.message } }
    throw e
  }
}

const signingMessage = (payload: Uint8Array): Uint8Array => concatBytes(SIGNING_CONTEXT, payload)
const keyIdBytes = (keyId: string): Uint8Array => {
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw new RangeError(`"keyId" expected 8 lowercase hex digits, got ${JSON.stringify(keyId)}`)
  return Uint8Array.from({ length: 4 }, (_, i) => parseInt(keyId.slice(2 * i, 2 * i + 2), 16))
}
const signingMessageV2 = (keyId: string, payload: Uint8Array): Uint8Array => concatBytes(SIGNING_CONTEXT_V2, keyIdBytes(keyId), payload)

/**
 * Signs a pass; returns the QR text. `signer` is `ed25519.nativeSigner(priv)` for bulk issuing or
 * `(m) => ed25519.sign(priv, m)`. `signTicket(payload, ed25519.nativeSigner(priv))` → `CT1.AQE….x3k…`
 */
export function signTicket(payload: SignedPass, signer: (message: Uint8Array) => Uint8Array): string {
  const bytes = encodeTicket(payload)
  const sig = abytes(signer(signingMessage(bytes)), 64, 'signature')
  return `${TICKET_PREFIX}${toBase64Url(bytes)}.${toBase64Url(sig)}`
}

/**
 * Signs a pass with a member of the ticket key ring; returns the CT2 QR text, which names the key.
 * `signTicketV2(payload, '1a2b3c4d', ed25519.nativeSigner(priv))` → `CT2.1a2b3c4d.AQE….x3k…`
 */
export function signTicketV2(payload: SignedPass, keyId: string, signer: (message: Uint8Array) => Uint8Array): string {
  const bytes = encodeTicket(payload)
  const sig = abytes(signer(signingMessageV2(keyId, bytes)), 64, 'signature')
  return `${TICKET_PREFIX_V2}${keyId}.${toBase64Url(bytes)}.${toBase64Url(sig)}`
}

type Parsed = { version: 1 | 2; keyId: string | null; payload: Uint8Array; sig: Uint8Array }

/** Splits a QR text into its parts (no signature check); a refusal says why. */
function parseText(text: unknown): { ok: true; value: Parsed } | { ok: false; error: { code: TicketErrorCode; reason: string } } {
  const bad = (code: TicketErrorCode, reason: string) => ({ ok: false as const, error: { code, reason } })
  if (typeof text !== 'string' || text.length > 4 * MAX_PAYLOAD) return bad('ticket.malformed', 'not a ticket text')
  const v = /^CT(\d{1,3})\./.exec(text)
  if (!v) return bad('ticket.malformed', 'expected CT<version>.…')
  let m: RegExpExecArray | null, keyId: string | null, version: 1 | 2
  if (v[1] === '1') {
    m = /^CT1\.()([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)$/.exec(text)
    if (!m) return bad('ticket.malformed', 'expected CT1.<payload>.<signature>')
    keyId = null
    version = 1
  } else if (v[1] === '2') {
    m = /^CT2\.([0-9a-f]{8})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)$/.exec(text)
    if (!m) return bad('ticket.malformed', 'expected CT2.<key id: 8 hex>.<payload>.<signature>')
    keyId = m[1]!
    version = 2
  } else {
    return bad('ticket.unsupported_version', `text version ${v[1]}`)
  }
  const payload = fromBase64Url(m[2]!)
  const sig = fromBase64Url(m[3]!)
  if (!payload || payload.length === 0 || payload.length > MAX_PAYLOAD) return bad('ticket.malformed', 'payload is not canonical base64url')
  if (!sig || sig.length !== 64) return bad('ticket.malformed', 'signature is not 64 bytes of canonical base64url')
  if (payload[0] !== TICKET_VERSION) return bad('ticket.unsupported_version', `payload version ${payload[0]}`)
  return { ok: true, value: { version, keyId, payload, sig } }
}

const signatureVerifies = (p: Parsed, publicKey: Uint8Array): boolean =>
  ed25519.verify(publicKey, p.keyId === null ? signingMessage(p.payload) : signingMessageV2(p.keyId, p.payload), p.sig)

/**
 * Checks a QR text (CT1 or CT2) against one ticket key the caller trusts; never throws on bad input. The
 * version is read first, then the signature over the exact bytes (a CT2 text's key id included), then the
 * fields. To tell an unknown key id from a forgery, use verifyTicketRing.
 * `verifyTicket(text, publicKey)` → `{ ok: true, payload }` or `{ ok: false, error: { code: 'ticket.bad_signature' } }`
 */
export function verifyTicket(text: string, publicKey: Uint8Array): TicketVerifyResult {
  abytes(publicKey, 32, 'publicKey')
  const p = parseText(text)
  if (!p.ok) return p
  if (!signatureVerifies(p.value, publicKey))
    return { ok: false, error: { code: 'ticket.bad_signature', reason: 'the signature does not verify with this key' } }
  const decoded = decodePayload(p.value.payload)
  return decoded.ok ? { ok: true, payload: decoded.value, payloadBytes: p.value.payload } : decoded
}

/**
 * Checks a QR text against the keys valid for the session (the ring): a CT2 text under the key it names
 * (`ticket.unknown_key` if none has that id, `ticket.bad_signature` if that key's signature fails); a CT1 text
 * under any of them. The answer names the key that verified. Never throws on bad input.
 * `verifyTicketRing(text, [{ keyId: '1a2b3c4d', publicKey }])` → `{ ok: true, payload, version: 2, keyId: '1a2b3c4d' }`
 */
export function verifyTicketRing(text: string, keys: readonly TicketKey[]): TicketRingVerifyResult {
  for (const k of keys) {
    abytes(k.publicKey, 32, 'publicKey')
    keyIdBytes(k.keyId)
  }
  const p = parseText(text)
  if (!p.ok) return p
  const forged = (reason: string): TicketRingVerifyResult => ({ ok: false, error: { code: 'ticket.bad_signature', reason } })
  let key: TicketKey | undefined
  if (p.value.keyId !== null) {
    const id = p.value.keyId
    key = keys.find((k) => k.keyId === id)
    if (!key) return { ok: false, error: { code: 'ticket.unknown_key', reason: `no key ${id} is held for this session`, keyId: id } }
    if (!signatureVerifies(p.value, key.publicKey)) return forged(`the signature does not verify with key ${id}`)
  } else {
    if (keys.length === 0) return { ok: false, error: { code: 'ticket.unknown_key', reason: 'no key is held for this session' } }
    key = keys.find((k) => signatureVerifies(p.value, k.publicKey))
    if (!key) return forged('the signature does not verify with any key held for this session')
  }
  const decoded = decodePayload(p.value.payload)
  return decoded.ok ? { ok: true, payload: decoded.value, payloadBytes: p.value.payload, version: p.value.version, keyId: key.keyId } : decoded
}

/** The key id a CT2 text names (not checked), or null for CT1 or anything else. `ticketKeyIdOf('CT2.1a2b3c4d.…')` → `'1a2b3c4d'` */
export function ticketKeyIdOf(text: string): string | null {
  return typeof text === 'string' ? (/^CT2\.([0-9a-f]{8})\./.exec(text)?.[1] ?? null) : null
}

// ---------- identity binding ----------

const lengthPrefixed = (s: string): Uint8Array => {
  const b = utf8(s)
  if (b.length > 0xffff) throw new RangeError('identity field too long')
  return concatBytes(Uint8Array.of(b.length >>> 8, b.length & 0xff), b)
}
const normalName = (name: string): string => name.normalize('NFC').trim()
const normalId = (id: string): string => id.trim().toUpperCase()

/**
 * The 16 bytes a ticket carries to bind its holder: the first half of SHA-256("custody/ticket-identity/v1"
 * 0x00 || lp(number) || lp(NFC-trimmed name) || lp(upper-cased ID number)), lp = u16 length || UTF-8.
 * `ticketIdentity('2026-A-00001', '张三', '11010519491231002X')`
 */
export function ticketIdentity(number: string, name: string, residentId: string): Uint8Array {
  const msg = concatBytes(IDENTITY_CONTEXT, lengthPrefixed(number), lengthPrefixed(normalName(name)), lengthPrefixed(normalId(residentId)))
  return sha256(msg).slice(0, 16)
}

/** Whether the name and ID number a door read (typed or from the ID card) are the ticket's holder's. */
export function ticketMatchesIdentity(t: TicketPayload, name: string, residentId: string): boolean {
  return equalBytes(t.identity, ticketIdentity(t.number, name, residentId))
}
